import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input } from 'antd';
import { useEffect, useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { ApiError, api } from '../app/api.ts';
import { homePath, ME_KEY } from '../app/auth.ts';
import { applyFieldErrors, RequestId } from '../app/errors.tsx';
import { useDocumentTitle } from '../app/hooks.ts';
import type { Me } from '../app/types.ts';
import { Logo } from '../components/AppLayout.tsx';

/** Only same-site paths are followed after login. */
function safeNext(next: string | null): string | null {
  if (!next?.startsWith('/') || next.startsWith('//') || next.startsWith('/login')) return null;
  return next;
}

export default function LoginPage() {
  useDocumentTitle('登录');
  const [form] = Form.useForm<{ username: string; password: string }>();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const qc = useQueryClient();
  // No /api/auth/me request here (it would answer 401 for everyone who is signed out); use what is known.
  const known = qc.getQueryData<Me | null>(ME_KEY);
  const [err, setErr] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const next = safeNext(params.get('next'));

  useEffect(() => {
    form.getFieldInstance('username')?.focus?.();
  }, [form]);

  if (known && !busy) return <Navigate to={known.mustChangePassword ? '/password' : (next ?? homePath(known.permissions))} replace />;

  const submit = async (v: { username: string; password: string }) => {
    setBusy(true);
    setErr(null);
    try {
      const user = await api.post<Me>('/api/auth/login', { username: v.username.trim(), password: v.password });
      qc.clear();
      qc.setQueryData(ME_KEY, user);
      navigate(user.mustChangePassword ? '/password' : (next ?? homePath(user.permissions)), { replace: true });
    } catch (e) {
      const ae = e instanceof ApiError ? e : new ApiError(0, 'NETWORK', '登录失败，请稍后再试');
      setErr(ae);
      if (ae.code === 'BAD_CREDENTIALS') form.setFieldValue('password', '');
      applyFieldErrors(form, ae, { username: '用户名', password: '密码' });
    } finally {
      setBusy(false);
    }
  };

  const alertType = err?.code === 'LOCKED' || err?.code === 'RATE_LIMITED' ? 'warning' : 'error';
  const alertText =
    err?.code === 'LOCKED'
      ? `${err.message}。如需立即解锁，请联系本级安全管理员或县委组织部。`
      : err?.code === 'BAD_CREDENTIALS'
        ? '用户名或密码错误，请重新输入。连续多次输错后账号将被临时锁定。'
        : err?.message;

  return (
    <div className="login-page">
      <div className="login-brand">
        <Logo />
        <div className="login-sub">基层党组织和党员信息管理</div>
      </div>
      <Card className="login-card" title="账号登录">
        {err ? (
          <Alert
            type={alertType}
            showIcon
            style={{ marginBottom: 16 }}
            title={alertText}
            description={err.status >= 500 ? <RequestId err={err} /> : undefined}
            data-testid="login-error"
            role="alert"
          />
        ) : null}
        {next && !err ? <Alert type="info" showIcon style={{ marginBottom: 16 }} title="登录已过期或尚未登录，请登录后继续。" /> : null}
        <Form form={form} layout="vertical" onFinish={submit} requiredMark={false} autoComplete="on" size="large">
          <Form.Item name="username" label="用户名" rules={[{ required: true, whitespace: true, message: '请输入用户名' }]}>
            <Input prefix={<UserOutlined />} placeholder="请输入用户名" autoComplete="username" data-testid="login-username" autoCapitalize="off" autoCorrect="off" spellCheck={false} />
          </Form.Item>
          <Form.Item name="password" label="密码" rules={[{ required: true, message: '请输入密码' }]}>
            <Input.Password prefix={<LockOutlined />} placeholder="请输入密码" autoComplete="current-password" data-testid="login-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">
            登 录
          </Button>
        </Form>
      </Card>
      <div className="login-foot">本系统含党员个人信息，仅限授权人员使用，所有操作均记录审计日志。</div>
    </div>
  );
}
