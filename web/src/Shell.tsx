/**
 * The signed-in part of the app: the session check, the layout (menu, header) and the permission gate.
 * Loaded lazily so that the login page downloads none of it (Layout, Menu, Drawer, Dropdown, Result).
 */
import { LockOutlined } from '@ant-design/icons';
import { Button, Result } from 'antd';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { type Permission, useMe } from './app/auth.ts';
import { ErrorAlert } from './app/errors.tsx';
import { AppLayout } from './components/AppLayout.tsx';
import { PageSpin } from './components/PageSpin.tsx';

function RequireAuth({ children }: { children: React.ReactNode }) {
  const me = useMe();
  const loc = useLocation();
  if (me.isLoading) return <PageSpin />;
  if (me.error)
    return (
      <div style={{ maxWidth: 520, margin: '80px auto', padding: 16 }}>
        <ErrorAlert err={me.error} />
        <Button style={{ marginTop: 16 }} onClick={() => void me.refetch()}>
          重试
        </Button>
      </div>
    );
  if (!me.data) return <Navigate to={`/login?next=${encodeURIComponent(loc.pathname + loc.search)}`} replace />;
  if (me.data.mustChangePassword) return <Navigate to="/password" replace />;
  if (me.data.mustSetupTotp) return <Navigate to="/security" replace />;
  return <>{children}</>;
}

/** The layout route: signed in (or sent to the login page), then the app frame around the page. */
export default function Shell() {
  return (
    <RequireAuth>
      <AppLayout />
    </RequireAuth>
  );
}

export function Need({ perm, children }: { perm: Permission; children: React.ReactNode }) {
  const me = useMe();
  const navigate = useNavigate();
  if (!me.data?.permissions.includes(perm))
    return (
      <Result
        icon={<LockOutlined style={{ color: '#c8161d' }} />}
        title="没有权限"
        subTitle="您的账号没有访问此页面的权限。如需开通，请联系本级党组织管理员。"
        extra={
          <Button type="primary" onClick={() => navigate('/')}>
            返回首页
          </Button>
        }
      />
    );
  return <>{children}</>;
}

export function Welcome() {
  const me = useMe();
  return <Result status="info" title={`欢迎，${me.data?.displayName ?? ''}`} subTitle="您的账号目前没有可使用的功能模块，请联系管理员分配角色。" />;
}
