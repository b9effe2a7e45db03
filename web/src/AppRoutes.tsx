import { useQueryClient } from '@tanstack/react-query';
import { LockOutlined } from '@ant-design/icons';
import { Button, Result } from 'antd';
import { lazy, Suspense, useEffect } from 'react';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { setAuthHandlers } from './app/api.ts';
import { homePath, ME_KEY, type Permission, useMe } from './app/auth.ts';
import { ErrorAlert } from './app/errors.tsx';
import { AppLayout } from './components/AppLayout.tsx';
import { PageSpin } from './components/PageSpin.tsx';

const LoginPage = lazy(() => import('./pages/LoginPage.tsx'));
const PasswordPage = lazy(() => import('./pages/PasswordPage.tsx'));
const SecurityPage = lazy(() => import('./pages/SecurityPage.tsx'));
const OrgsPage = lazy(() => import('./pages/orgs/OrgsPage.tsx'));
const MembersPage = lazy(() => import('./pages/members/MembersPage.tsx'));
const MemberFormPage = lazy(() => import('./pages/members/MemberFormPage.tsx'));
const MemberDetailPage = lazy(() => import('./pages/members/MemberDetailPage.tsx'));
const ImportPage = lazy(() => import('./pages/members/ImportPage.tsx'));
const UsersPage = lazy(() => import('./pages/UsersPage.tsx'));
const StatsPage = lazy(() => import('./pages/StatsPage.tsx'));
const AuditPage = lazy(() => import('./pages/AuditPage.tsx'));
const NotFoundPage = lazy(() => import('./pages/NotFoundPage.tsx'));

/** Sends 401s to the login page, forced password changes to the password page and forced two-step setup to the security page, inside the router. */
function AuthBridge() {
  const navigate = useNavigate();
  const qc = useQueryClient();
  useEffect(() => {
    setAuthHandlers({
      unauthenticated: () => {
        const here = window.location.pathname + window.location.search;
        qc.setQueryData(ME_KEY, null);
        if (!window.location.pathname.startsWith('/login')) navigate(`/login?next=${encodeURIComponent(here)}`, { replace: true });
      },
      passwordChangeRequired: () => {
        void qc.invalidateQueries({ queryKey: ME_KEY });
        if (window.location.pathname !== '/password') navigate('/password', { replace: true });
      },
      totpSetupRequired: () => {
        void qc.invalidateQueries({ queryKey: ME_KEY });
        if (window.location.pathname !== '/security') navigate('/security', { replace: true });
      },
    });
  }, [navigate, qc]);
  return null;
}

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

function Need({ perm, children }: { perm: Permission | Permission[]; children: React.ReactNode }) {
  const me = useMe();
  const navigate = useNavigate();
  if (![perm].flat().some((p) => me.data?.permissions.includes(p)))
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

function Home() {
  const me = useMe();
  return <Navigate to={homePath(me.data?.permissions ?? [])} replace />;
}

function Welcome() {
  const me = useMe();
  return <Result status="info" title={`欢迎，${me.data?.displayName ?? ''}`} subTitle="您的账号目前没有可使用的功能模块，请联系管理员分配角色。" />;
}

export function AppRoutes() {
  return (
    <>
      <AuthBridge />
      <Suspense fallback={<PageSpin />}>
        <Routes>
          <Route path="/login" element={<LoginPage />} />
          <Route path="/password" element={<PasswordPage />} />
          <Route path="/security" element={<SecurityPage />} />
          <Route
            element={
              <RequireAuth>
                <AppLayout />
              </RequireAuth>
            }
          >
            <Route index element={<Home />} />
            <Route path="welcome" element={<Welcome />} />
            <Route path="orgs" element={<Need perm="orgs.read"><OrgsPage /></Need>} />
            <Route path="orgs/:id" element={<Need perm="orgs.read"><OrgsPage /></Need>} />
            <Route path="members" element={<Need perm="members.read"><MembersPage /></Need>} />
            <Route path="members/new" element={<Need perm="members.write"><MemberFormPage /></Need>} />
            <Route path="members/import" element={<Need perm="members.import"><ImportPage /></Need>} />
            <Route path="members/:id" element={<Need perm="members.read"><MemberDetailPage /></Need>} />
            <Route path="members/:id/edit" element={<Need perm="members.write"><MemberFormPage /></Need>} />
            <Route path="stats" element={<Need perm="members.read"><StatsPage /></Need>} />
            <Route path="users" element={<Need perm={['users.read', 'users.approve']}><UsersPage /></Need>} />
            <Route path="audit" element={<Need perm="audit.read"><AuditPage /></Need>} />
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Routes>
      </Suspense>
    </>
  );
}
