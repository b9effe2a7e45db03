import { SafetyCertificateOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Modal, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Navigate, useNavigate } from 'react-router';
import { ApiError, api } from '../app/api.ts';
import { homePath, ME_KEY, useLogout, useMe } from '../app/auth.ts';
import { ErrorAlert } from '../app/errors.tsx';
import { useSubmit } from '../app/forms.ts';
import { useDocumentTitle } from '../app/hooks.ts';
import type { Me, TotpEnrolment } from '../app/types.ts';
import { AccountFrame } from '../components/AccountFrame.tsx';
import { PageSpin } from '../components/PageSpin.tsx';
import { useFeedback } from '../app/feedback.tsx';

/** A field error already shows on its field; the alert on top is for everything else. */
const notOnField = (err: unknown) => (err instanceof ApiError && err.fields.length ? null : err);

const CODE_RULES = [
  { required: true, message: '请输入 6 位验证码' },
  { pattern: /^\d{6}$/, message: '验证码为 6 位数字' },
];

export default function SecurityPage() {
  useDocumentTitle('两步验证');
  const me = useMe();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const logout = useLogout();
  const { message } = useFeedback();
  const [enrolment, setEnrolment] = useState<TotpEnrolment | null>(null);
  const [disableOpen, setDisableOpen] = useState(false);
  const [codeForm] = Form.useForm<{ code: string }>();

  const refreshMe = () => qc.fetchQuery({ queryKey: ME_KEY, queryFn: () => api.get<Me>('/api/auth/me'), staleTime: 0 });

  // The password first (SEC-33): a session alone must not be able to bind a new authenticator.
  const [passwordForm] = Form.useForm<{ password: string }>();
  const setup = useSubmit(passwordForm, { password: '登录密码' }, async (v) => {
    setEnrolment(await api.post<TotpEnrolment>('/api/auth/totp/setup', { password: v.password }));
    passwordForm.resetFields();
  });
  const enable = useSubmit(codeForm, { code: '验证码' }, async (v) => {
    const wasForced = !!me.data?.mustSetupTotp;
    await api.post('/api/auth/totp/enable', { code: v.code });
    message.success('两步验证已开启，以后登录时须输入验证器中的动态验证码');
    setEnrolment(null);
    codeForm.resetFields();
    const fresh = await refreshMe();
    if (wasForced) navigate(homePath(fresh), { replace: true });
  });

  if (me.isLoading) return <PageSpin />;
  if (!me.data) return <Navigate to="/login?next=%2Fsecurity" replace />;
  if (me.data.mustChangePassword) return <Navigate to="/password" replace />;
  const forced = me.data.mustSetupTotp;
  const enabled = me.data.totpEnabled;
  const mayDisable = !me.data.totpRequired;

  return (
    <AccountFrame me={me.data} title="两步验证">
      {forced ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title="按安全要求，管理员账号须先开启两步验证后才能继续使用"
        />
      ) : null}
      <div className="totp-status">
        <span>当前状态：</span>
        {enabled ? (
          <Tag color="green" data-testid="totp-status">
            已开启
          </Tag>
        ) : (
          <Tag data-testid="totp-status">未开启</Tag>
        )}
      </div>

      {enabled ? (
        <>
          <p className="muted">
            登录时除密码外，还须输入手机验证器应用中的 6 位动态验证码。
            {mayDisable ? '更换手机时，请先关闭再重新开启。' : '按等保三级配置，管理员账号不能关闭两步验证。'}
          </p>
          {mayDisable ? (
            <Button block danger onClick={() => setDisableOpen(true)} data-testid="totp-disable">
              关闭两步验证
            </Button>
          ) : null}
        </>
      ) : enrolment ? (
        <>
          <div className="totp-step">第 1 步：用手机上的验证器应用扫描二维码</div>
          <div className="totp-qr">
            <img src={enrolment.qrDataUrl} width={220} height={220} alt="两步验证二维码" />
          </div>
          <div className="muted totp-manual">
            无法扫码时，在验证器中选择“手动输入密钥”，账号填 {me.data.username}，密钥为：
          </div>
          <Typography.Paragraph
            code
            copyable={{ text: enrolment.secret, tooltips: ['复制密钥', '已复制'] }}
            className="mono totp-secret"
            data-testid="totp-secret"
          >
            {enrolment.secret.replace(/(.{4})(?=.)/g, '$1 ')}
          </Typography.Paragraph>
          <div className="totp-step">第 2 步：输入验证器显示的 6 位数字</div>
          <ErrorAlert err={notOnField(enable.err)} style={{ marginBottom: 12 }} />
          <Form form={codeForm} layout="vertical" requiredMark={false} onFinish={() => void enable.submit()}>
            <Form.Item name="code" label="验证码" normalize={(v: string) => v.replace(/\D/g, '')} rules={CODE_RULES}>
              <Input
                placeholder="6 位数字"
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={6}
                data-testid="totp-code"
              />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={enable.busy} data-testid="totp-enable">
              确认开启
            </Button>
          </Form>
        </>
      ) : (
        <>
          <p className="muted">
            开启后，登录时除密码外还须输入手机验证器应用（如微信小程序、Google Authenticator、Microsoft
            Authenticator）生成的 6 位动态验证码，即使密码泄露，他人也无法登录。
          </p>
          <ErrorAlert err={notOnField(setup.err)} style={{ marginBottom: 12 }} />
          <Form form={passwordForm} layout="vertical" requiredMark={false} onFinish={() => void setup.submit()}>
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
            <Form.Item
              name="password"
              label="登录密码"
              rules={[{ required: true, message: '请输入登录密码' }]}
              extra="为确认是您本人操作，请先输入登录密码。连续输错会锁定账号。"
            >
              <Input.Password autoComplete="current-password" data-testid="totp-setup-password" />
            </Form.Item>
            <Button
              type="primary"
              htmlType="submit"
              block
              icon={<SafetyCertificateOutlined />}
              loading={setup.busy}
              data-testid="totp-setup"
            >
              开启两步验证
            </Button>
          </Form>
        </>
      )}

      <div style={{ display: 'flex', justifyContent: 'space-between', marginTop: 12 }}>
        {forced ? <span /> : <Button onClick={() => navigate('/')}>返回</Button>}
        <Button type="link" onClick={() => void logout()}>
          退出登录
        </Button>
      </div>
      <DisableModal
        open={disableOpen}
        username={me.data.username}
        onClose={() => setDisableOpen(false)}
        onDone={async () => {
          setDisableOpen(false);
          message.success('两步验证已关闭');
          await refreshMe();
        }}
      />
    </AccountFrame>
  );
}

function DisableModal({
  open,
  username,
  onClose,
  onDone,
}: {
  open: boolean;
  username: string;
  onClose: () => void;
  onDone: () => Promise<void>;
}) {
  const [form] = Form.useForm<{ password: string }>();
  const { err, busy, submit, reset } = useSubmit(form, { password: '密码' }, async (v) => {
    await api.post('/api/auth/totp/disable', { password: v.password });
    await onDone();
  });
  return (
    <Modal
      open={open}
      title="关闭两步验证"
      onCancel={onClose}
      onOk={() => void submit()}
      okText="关闭两步验证"
      okButtonProps={{ danger: true }}
      confirmLoading={busy}
      destroyOnHidden
      mask={{ closable: false }}
      afterClose={reset}
    >
      <p className="muted">关闭后，登录时只需输入密码，账号安全性会降低。请输入登录密码确认。</p>
      <ErrorAlert err={notOnField(err)} style={{ marginBottom: 12 }} />
      <Form form={form} layout="vertical" requiredMark={false}>
        <input
          type="text"
          name="username"
          autoComplete="username"
          value={username}
          readOnly
          className="visually-hidden"
          tabIndex={-1}
          aria-hidden="true"
        />
        <Form.Item name="password" label="登录密码" rules={[{ required: true, message: '请输入登录密码' }]}>
          <Input.Password
            autoComplete="current-password"
            autoFocus
            onPressEnter={() => void submit()}
            data-testid="totp-disable-password"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
