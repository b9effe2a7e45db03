import { LockOutlined, SafetyCertificateOutlined, UserOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Form, Input } from 'antd';
import { useEffect, useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { ApiError, api } from '../app/api.ts';
import { hadSession, homePath, markSignedIn, ME_KEY, rememberLoginPassword } from '../app/auth.ts';
import { applyFieldErrors, RequestId } from '../app/errors.tsx';
import { useDocumentTitle } from '../app/hooks.ts';
import type { Me } from '../app/types.ts';
import { LiteCard as Card } from '../components/LiteCard.tsx';
import { Logo } from '../components/Logo.tsx';

/** Only same-site paths are followed after login. */
function safeNext(next: string | null): string | null {
  if (!next?.startsWith('/') || next.startsWith('//') || next.startsWith('/login')) return null;
  return next;
}

/** Where a freshly signed-in user goes: forced password change first, then forced two-step setup. */
function landing(user: Me, next: string | null): string {
  if (user.mustChangePassword) return '/password';
  if (user.mustSetupTotp) return '/security';
  return next ?? homePath(user.permissions);
}

interface Values {
  username: string;
  password: string;
  totpCode?: string;
}

export default function LoginPage() {
  useDocumentTitle('登录');
  const [form] = Form.useForm<Values>();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const qc = useQueryClient();
  // No /api/auth/me request here (it would answer 401 for everyone who is signed out); use what is known.
  const known = qc.getQueryData<Me | null>(ME_KEY);
  const [err, setErr] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  // The password was right but the account has two-step verification: ask for the code too.
  const [needCode, setNeedCode] = useState(false);
  const next = safeNext(params.get('next'));
  const [expired] = useState(() => !!next && hadSession());

  useEffect(() => {
    form.getFieldInstance('username')?.focus?.();
  }, [form]);

  if (known && !busy) return <Navigate to={landing(known, next)} replace />;

  const submit = async (v: Values) => {
    setBusy(true);
    setErr(null);
    try {
      const user = await api.post<Me>('/api/auth/login', { username: v.username.trim(), password: v.password, totpCode: needCode ? v.totpCode : undefined });
      qc.clear();
      qc.setQueryData(ME_KEY, user);
      markSignedIn();
      if (user.mustChangePassword) rememberLoginPassword(v.password);
      navigate(landing(user, next), { replace: true });
    } catch (e) {
      const ae = e instanceof ApiError ? e : new ApiError(0, 'NETWORK', '登录失败，请稍后再试');
      if (ae.code === 'TOTP_REQUIRED') {
        // Not a mistake: the code field appears (and takes the focus) with its hint.
        setNeedCode(true);
        return;
      }
      setErr(ae);
      if (ae.code === 'BAD_CREDENTIALS') form.setFieldValue('password', '');
      if (ae.code === 'BAD_TOTP') {
        form.setFieldValue('totpCode', '');
        form.getFieldInstance('totpCode')?.focus?.();
      }
      applyFieldErrors(form, ae, { username: '用户名', password: '密码', totpCode: '动态验证码' });
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
        {/* Only someone who was signed in on this browser (and did not sign out) hears that the session expired; a first visit just sees the form. */}
        {expired && !err ? <Alert type="info" showIcon style={{ marginBottom: 16 }} title="登录已过期，请重新登录后继续。" data-testid="login-expired" /> : null}
        <Form
          form={form}
          layout="vertical"
          onFinish={submit}
          onValuesChange={(changed: Partial<Values>) => {
            // Another account: it may not use two-step verification.
            if ('username' in changed) setNeedCode(false);
          }}
          requiredMark={false}
          autoComplete="on"
          size="large"
        >
          <Form.Item name="username" label="用户名" rules={[{ required: true, whitespace: true, message: '请输入用户名' }]}>
            <Input prefix={<UserOutlined />} placeholder="请输入用户名" autoComplete="username" data-testid="login-username" autoCapitalize="off" autoCorrect="off" spellCheck={false} />
          </Form.Item>
          <Form.Item name="password" label="密码" rules={[{ required: true, message: '请输入密码' }]}>
            <Input.Password prefix={<LockOutlined />} placeholder="请输入密码" autoComplete="current-password" data-testid="login-password" />
          </Form.Item>
          {needCode ? (
            <Form.Item
              name="totpCode"
              label="动态验证码"
              normalize={(v: string) => v.replace(/\D/g, '')}
              rules={[
                { required: true, message: '请输入 6 位动态验证码' },
                { pattern: /^\d{6}$/, message: '动态验证码为 6 位数字' },
              ]}
              extra="打开手机上的验证器应用（如微信小程序、Google Authenticator、Microsoft Authenticator），输入党建平台显示的 6 位数字"
            >
              <Input
                prefix={<SafetyCertificateOutlined />}
                placeholder="6 位数字"
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={6}
                autoFocus
                data-testid="login-totp"
              />
            </Form.Item>
          ) : null}
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">
            登 录
          </Button>
        </Form>
      </Card>
      <div className="login-foot">本系统含党员个人信息，仅限授权人员使用，所有操作均记录审计日志。</div>
    </div>
  );
}
