/** The two rare answers of the signed-in app (no permission, no module), apart so that every page does not load antd's Result and its pictures. */
import { LockOutlined } from '@ant-design/icons';
import { Button, Result } from 'antd';
import { useNavigate } from 'react-router';
import { useMe } from '../app/auth.ts';

export function NoPermission() {
  const navigate = useNavigate();
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
}

export function Welcome() {
  const me = useMe();
  return (
    <Result
      status="info"
      title={`欢迎，${me.data?.displayName ?? ''}`}
      subTitle="您的账号目前没有可使用的功能模块，请联系管理员分配角色。"
    />
  );
}
