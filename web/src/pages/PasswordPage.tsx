import { CheckCircleFilled, CloseCircleOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Form, Input } from 'antd';
import { useState } from 'react';
import { Navigate, useNavigate } from 'react-router';
import { api } from '../app/api.ts';
import { forgetLoginPassword, homePath, ME_KEY, takeLoginPassword, useLogout, useMe } from '../app/auth.ts';
import { applyFieldErrors, ErrorAlert } from '../app/errors.tsx';
import { useDocumentTitle } from '../app/hooks.ts';
import type { Me, Ok } from '../app/types.ts';
import { AccountFrame } from '../components/AccountFrame.tsx';
import { PageSpin } from '../components/PageSpin.tsx';
import { passwordChecks } from '../app/passwords.ts';
import { useFeedback } from '../app/feedback.tsx';

interface Values {
  oldPassword: string;
  newPassword: string;
  confirm: string;
}

export default function PasswordPage() {
  useDocumentTitle('修改密码');
  const me = useMe();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const logout = useLogout();
  const { message } = useFeedback();
  const [form] = Form.useForm<Values>();
  const newPassword = Form.useWatch('newPassword', form) ?? '';
  const [err, setErr] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  if (me.isLoading) return <PageSpin />;
  if (!me.data) return <Navigate to="/login?next=%2Fpassword" replace />;
  const forced = me.data.mustChangePassword;
  // Right after logging in with a one-time password, that password is the old one: not asked again.
  const carried = forced ? takeLoginPassword() : null;

  const submit = async (v: Values) => {
    setBusy(true);
    setErr(null);
    try {
      await api.post<Ok>('/api/auth/password', { oldPassword: carried ?? v.oldPassword, newPassword: v.newPassword });
      forgetLoginPassword();
      message.success('密码已修改，其他设备上的登录已失效');
      const fresh = await qc.fetchQuery({ queryKey: ME_KEY, queryFn: () => api.get<Me>('/api/auth/me'), staleTime: 0 });
      navigate(homePath(fresh), { replace: true });
    } catch (e) {
      setErr(e);
      applyFieldErrors(form, e, { oldPassword: '原密码', newPassword: '新密码' }, { password: 'newPassword' });
    } finally {
      setBusy(false);
    }
  };

  return (
    <AccountFrame me={me.data} title="修改密码">
      {forced ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title="首次登录或密码已被重置，请先设置新密码"
          description="为保护党员个人信息，设置新密码后才能使用其他功能。"
        />
      ) : null}
      <ErrorAlert err={err} style={{ marginBottom: 16 }} />
      <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
        {/* For password managers: which account this password belongs to. */}
        <input
          type="text"
          name="username"
          autoComplete="username"
          value={me.data.username}
          readOnly
          className="visually-hidden"
          tabIndex={-1}
          aria-hidden="true"
        />
        {carried ? null : (
          <Form.Item name="oldPassword" label="原密码" rules={[{ required: true, message: '请输入原密码' }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
        )}
        <Form.Item
          name="newPassword"
          label="新密码"
          rules={[
            { required: true, message: '请输入新密码' },
            {
              validator: (_r, v: string) =>
                !v || passwordChecks(v).every((c) => c.ok)
                  ? Promise.resolve()
                  : Promise.reject(new Error('新密码不符合要求')),
            },
          ]}
          extra={
            <ul className="pw-rules" aria-live="polite">
              {passwordChecks(newPassword).map((c) => (
                <li key={c.text} className={c.ok ? 'ok' : ''}>
                  {c.ok ? <CheckCircleFilled /> : <CloseCircleOutlined />} {c.text}
                </li>
              ))}
              <li className="hint">
                不能是常见密码（加大写、符号或年份也不行），不能包含用户名或本县县名，不能与原密码相同
              </li>
            </ul>
          }
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label="确认新密码"
          dependencies={['newPassword']}
          rules={[
            { required: true, message: '请再次输入新密码' },
            ({ getFieldValue }) => ({
              validator: (_r, v: string) =>
                !v || v === getFieldValue('newPassword')
                  ? Promise.resolve()
                  : Promise.reject(new Error('两次输入的新密码不一致')),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={busy} data-testid="password-submit">
          确认修改
        </Button>
        <div style={{ display: 'flex', justifyContent: 'space-between', marginTop: 12 }}>
          {forced ? <span /> : <Button onClick={() => navigate('/')}>返回</Button>}
          <Button type="link" onClick={() => void logout()}>
            退出登录
          </Button>
        </div>
      </Form>
    </AccountFrame>
  );
}
