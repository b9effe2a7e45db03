import {
  AuditOutlined,
  CopyOutlined,
  EditOutlined,
  KeyOutlined,
  LockOutlined,
  PlusOutlined,
  SearchOutlined,
  StopOutlined,
  ThunderboltOutlined,
  UnlockOutlined,
  UsergroupAddOutlined,
} from '@ant-design/icons';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Dropdown, Empty, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useState } from 'react';
import { api } from '../app/api.ts';
import { useCan, useMe } from '../app/auth.ts';
import { ErrorAlert, errorMessage } from '../app/errors.tsx';
import { useSubmit } from '../app/forms.ts';
import { dateTimeText } from '../app/format.ts';
import { useDocumentTitle, useIsMobile } from '../app/hooks.ts';
import { useListParams, useSearchText } from '../app/list-params.ts';
import { ROLE_CODES, ROLE_COLORS, ROLE_LABELS } from '../app/labels.ts';
import type { AccountRequest, Page, PendingRequest, RequestDecision, UserView } from '../app/types.ts';
import { ListFilters } from '../components/ListFilters.tsx';
import { OrgSelect } from '../components/OrgSelect.tsx';
import { ResponsiveList } from '../components/ResponsiveList.tsx';
import { BulkAccountsModal } from './BulkAccountsModal.tsx';
import { passwordChecks } from '../app/passwords.ts';
import { useFeedback } from '../app/feedback.tsx';

const USER_FIELD_LABELS = {
  username: '用户名',
  displayName: '姓名',
  password: '初始密码',
  roles: '角色',
  orgId: '所属组织',
};

/** A strong random password: 14 characters with upper, lower, digit and symbol, no look-alikes. */
export function generatePassword(len = 14): string {
  const sets = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', '#%+=?@*!'];
  const all = sets.join('');
  const rnd = (n: number) => {
    const a = new Uint32Array(1);
    crypto.getRandomValues(a);
    return a[0] % n;
  };
  const chars = sets.map((s) => s[rnd(s.length)]);
  while (chars.length < len) chars.push(all[rnd(all.length)]);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = rnd(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join('');
}

function RoleTags({ roles }: { roles: string[] }) {
  return (
    <Space size={[4, 4]} wrap>
      {roles.map((r) => (
        <Tag key={r} color={ROLE_COLORS[r]}>
          {ROLE_LABELS[r] ?? r}
        </Tag>
      ))}
    </Space>
  );
}

function StatusTags({ u }: { u: UserView }) {
  const tags = [];
  if (u.disabled) tags.push(<Tag key="d">停用</Tag>);
  if (u.locked)
    tags.push(
      <Tag key="l" color="red" icon={<LockOutlined />}>
        锁定
      </Tag>,
    );
  if (u.mustChangePassword)
    tags.push(
      <Tag key="p" color="gold">
        待改密
      </Tag>,
    );
  if (!tags.length)
    tags.push(
      <Tag key="ok" color="green">
        正常
      </Tag>,
    );
  if (u.totpEnabled)
    tags.push(
      <Tag key="t" color="blue">
        两步验证
      </Tag>,
    );
  return (
    <Space size={[4, 4]} wrap>
      {tags}
    </Space>
  );
}

/** A 202 answer: in level3 a change touching a privileged account waits for a second person (SEC-10). */
function isPending(x: unknown): x is PendingRequest {
  return !!x && typeof x === 'object' && (x as { pending?: unknown }).pending === true;
}

const PENDING_TEXT =
  '涉及县级管理员、安全管理员或审计员账号，已提交审批：须由申请人和对象账号以外、有审批权限的另一人批准后生效（24 小时内有效）。如需新密码，批准后一次性密码只显示给审批人。';

/** What a request will do, in words. */
function requestText(r: AccountRequest): string {
  const s = r.summary as {
    username?: string;
    roles?: string[];
    orgName?: string;
    displayName?: string;
    disabled?: boolean;
    unlock?: boolean;
    resetPassword?: boolean;
    resetTotp?: boolean;
  };
  const roles = (s.roles ?? []).map((x) => ROLE_LABELS[x] ?? x).join('、');
  if (r.kind === 'create') return `新建账号 ${s.username ?? ''}（${roles}）${s.orgName ? `，所属 ${s.orgName}` : ''}`;
  const parts: string[] = [];
  if (s.roles) parts.push(`角色改为 ${roles}`);
  if (s.orgName) parts.push(`调到 ${s.orgName}`);
  if (s.displayName) parts.push(`姓名改为 ${s.displayName}`);
  if (s.disabled !== undefined) parts.push(s.disabled ? '停用' : '启用');
  if (s.unlock) parts.push('解锁');
  if (s.resetPassword) parts.push('重置密码');
  if (s.resetTotp) parts.push('重置两步验证');
  return `${r.targetUsername ?? ''}：${parts.join('，')}`;
}

const REQUEST_STATUS: Record<AccountRequest['status'], { text: string; color: string }> = {
  pending: { text: '待审批', color: 'gold' },
  approved: { text: '已批准', color: 'green' },
  rejected: { text: '已驳回', color: 'default' },
  expired: { text: '已过期', color: 'default' },
};

/** level3 dual control: requests touching privileged accounts, approved or refused by a second person. */
function RequestsCard({ always }: { always: boolean }) {
  const me = useMe().data;
  const qc = useQueryClient();
  const { message, modal } = useFeedback();
  const list = useQuery({
    queryKey: ['user-requests'],
    queryFn: ({ signal }) =>
      api.get<{ items: AccountRequest[] }>(
        '/api/users/requests',
        undefined,
        signal,
      ) /* the route's answer: the contract's accountRequestView in `items` */,
  });
  const items = list.data?.items ?? [];
  // Account managers see the card only when there is something to decide; an approver alone always does.
  if (!always && !list.isLoading && !list.error && !items.length) return null;

  const decide = (r: AccountRequest, verb: 'approve' | 'reject') => {
    const own = r.requestedBy === me?.username;
    modal.confirm({
      title: verb === 'approve' ? '批准此申请？' : own ? '撤回此申请？' : '驳回此申请？',
      content: requestText(r),
      okText: verb === 'approve' ? '批准' : own ? '撤回' : '驳回',
      okButtonProps: { danger: verb === 'reject' },
      onOk: async () => {
        try {
          // Approving answers requestDecision (with a one-time password for a new account or a reset); rejecting, the request only.
          const res = await api.post<RequestDecision | Pick<RequestDecision, 'request'>>(
            `/api/users/requests/${r.id}/${verb}`,
          );
          await qc.invalidateQueries({ queryKey: ['user-requests'] });
          await qc.invalidateQueries({ queryKey: ['users'] });
          if ('oneTimePassword' in res && res.oneTimePassword) {
            modal.success({
              title: '已批准，一次性密码只显示这一次',
              width: 520,
              content: (
                <div>
                  <p>请当面或通过安全渠道交给账号本人（不要交给申请人），本人首次登录后须立即修改。</p>
                  <p>
                    一次性密码：
                    <Typography.Text code copyable className="mono" data-testid="request-otp">
                      {res.oneTimePassword}
                    </Typography.Text>
                  </p>
                </div>
              ),
              okText: '已妥善交付',
            });
          } else message.success(verb === 'approve' ? '已批准，变更已生效' : own ? '已撤回' : '已驳回');
        } catch (e) {
          message.error(errorMessage(e));
          await qc.invalidateQueries({ queryKey: ['user-requests'] });
        }
      },
    });
  };

  const columns: ColumnsType<AccountRequest> = [
    { title: '申请内容', key: 'what', render: (_: unknown, r) => requestText(r) },
    {
      title: '申请人',
      dataIndex: 'requestedBy',
      key: 'requestedBy',
      render: (v: string) => <span className="mono">{v}</span>,
    },
    {
      title: '申请时间',
      dataIndex: 'requestedAt',
      key: 'requestedAt',
      render: (v: string) => dateTimeText(v),
      responsive: ['md'],
    },
    {
      title: '状态',
      key: 'status',
      render: (_: unknown, r) => <Tag color={REQUEST_STATUS[r.status].color}>{REQUEST_STATUS[r.status].text}</Tag>,
    },
    {
      title: '操作',
      key: 'actions',
      render: (_: unknown, r) => {
        if (r.status !== 'pending') return r.decidedBy ? <span className="muted">{r.decidedBy}</span> : null;
        const mine = r.requestedBy === me?.username;
        const aboutMe = r.targetId === me?.id;
        return (
          <Space size={0} wrap>
            {mine || aboutMe ? (
              <span className="muted">须由他人审批</span>
            ) : (
              <Button type="link" size="small" onClick={() => decide(r, 'approve')} data-testid="request-approve">
                批准
              </Button>
            )}
            {aboutMe ? null : (
              <Button type="link" size="small" danger onClick={() => decide(r, 'reject')}>
                {mine ? '撤回' : '驳回'}
              </Button>
            )}
          </Space>
        );
      },
    },
  ];
  return (
    <Card
      size="small"
      style={{ marginBottom: 12 }}
      title={
        <span>
          <AuditOutlined /> 账号变更审批（双人控制）
        </span>
      }
    >
      {list.error ? <ErrorAlert err={list.error} style={{ marginBottom: 12 }} /> : null}
      <div className="muted" style={{ marginBottom: 8 }}>
        新建或调整县级管理员、安全管理员、审计员账号，以及重置其密码或两步验证，须由申请人和对象账号以外的另一人批准。
      </div>
      <Table<AccountRequest>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={items}
        loading={list.isFetching}
        pagination={{ pageSize: 5, hideOnSinglePage: true }}
        locale={{ emptyText: <Empty description="暂无账号变更申请" /> }}
        data-testid="user-requests"
      />
    </Card>
  );
}

const roleOptions = ROLE_CODES.map((r) => ({ value: r, label: ROLE_LABELS[r] }));

function PasswordInput({ value, onChange, id }: { value?: string; onChange?: (v: string) => void; id?: string }) {
  const { message } = useFeedback();
  return (
    <Space.Compact block>
      <Input
        id={id}
        value={value}
        onChange={(e) => onChange?.(e.target.value)}
        className="mono"
        autoComplete="new-password"
        placeholder="至少 8 位，含大小写字母、数字、符号中的 3 类"
      />
      <Button
        icon={<ThunderboltOutlined />}
        onClick={() => onChange?.(generatePassword())}
        data-testid="password-generate"
      >
        生成
      </Button>
      <Button
        icon={<CopyOutlined />}
        aria-label="复制密码"
        disabled={!value}
        onClick={() => {
          if (!value) return;
          navigator.clipboard?.writeText(value).then(
            () => message.success('已复制'),
            () => message.info('请手动选中复制'),
          );
        }}
      />
    </Space.Compact>
  );
}

const pwRule = {
  validator: (_r: unknown, v: string) =>
    !v || passwordChecks(v).every((c) => c.ok)
      ? Promise.resolve()
      : Promise.reject(new Error('密码至少 8 位，且包含大写字母、小写字母、数字、符号中的至少 3 类')),
};
const rolesRule = {
  validator: (_r: unknown, v: string[] | undefined) => {
    if (!v?.length) return Promise.reject(new Error('至少选择一个角色'));
    const groups = [['countyAdmin', 'orgAdmin', 'branchSecretary', 'leader'], ['securityAdmin'], ['auditor']].filter(
      (g) => g.some((r) => v.includes(r)),
    );
    if (groups.length > 1)
      return Promise.reject(new Error('系统管理、安全管理、审计三类角色不能由同一账号兼任（三员分立）'));
    return Promise.resolve();
  },
};

function CreateUserModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [form] = Form.useForm<{
    username: string;
    displayName: string;
    password: string;
    roles: string[];
    orgId: string;
  }>();
  const qc = useQueryClient();
  const { modal } = useFeedback();
  useEffect(() => {
    if (open) {
      form.resetFields();
      form.setFieldsValue({ password: generatePassword() });
    }
  }, [open, form]);
  const { err, busy, submit, reset } = useSubmit(
    form,
    USER_FIELD_LABELS,
    async (v: { username: string; displayName: string; password: string; roles: string[]; orgId: string }) => {
      const u = await api.post<UserView | PendingRequest>('/api/users', {
        ...v,
        username: v.username.trim(),
        displayName: v.displayName.trim(),
      });
      await qc.invalidateQueries({ queryKey: ['users'] });
      onClose();
      if (isPending(u)) {
        await qc.invalidateQueries({ queryKey: ['user-requests'] });
        modal.info({
          title: `新建账号 ${v.username.trim()} 已提交审批`,
          content: `${PENDING_TEXT}此处填写的初始密码不会被使用。`,
          okText: '知道了',
        });
        return;
      }
      modal.success({
        title: `已新建账号 ${u.username}`,
        content: (
          <div>
            <p>请将用户名和初始密码当面或通过安全渠道告知本人。首次登录时须修改密码。</p>
            <p>
              初始密码：
              <Typography.Text code copyable className="mono">
                {v.password}
              </Typography.Text>
            </p>
          </div>
        ),
        okText: '知道了',
      });
    },
  );
  return (
    <Modal
      open={open}
      title="新建账号"
      onCancel={onClose}
      onOk={() => void submit()}
      okText="创建"
      confirmLoading={busy}
      destroyOnHidden
      mask={{ closable: false }}
      afterClose={reset}
      width={600}
    >
      <ErrorAlert err={err} style={{ marginBottom: 12 }} />
      <Form form={form} layout="vertical" name="user-create">
        <Form.Item
          name="username"
          label="用户名"
          rules={[
            { required: true, message: '请填写用户名' },
            { pattern: /^[A-Za-z0-9_.-]{3,32}$/, message: '3–32 位字母、数字、下划线、点或连字符' },
          ]}
        >
          <Input autoComplete="off" placeholder="如：zhangsan" />
        </Form.Item>
        <Form.Item
          name="displayName"
          label="姓名"
          rules={[{ required: true, whitespace: true, message: '请填写姓名' }, { max: 30 }]}
        >
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="password"
          label="初始密码"
          rules={[{ required: true, message: '请设置初始密码' }, pwRule]}
          extra="用户首次登录时须修改此密码"
        >
          <PasswordInput />
        </Form.Item>
        <Form.Item
          name="roles"
          label="角色"
          rules={[rolesRule]}
          extra="县级管理员、安全管理员、审计员只能设在县委；支部书记账号应设在党支部；党小组不设党组织管理员"
        >
          <Select mode="multiple" options={roleOptions} placeholder="选择角色" />
        </Form.Item>
        <Form.Item
          name="orgId"
          label="所属组织"
          rules={[{ required: true, message: '请选择所属组织' }]}
          extra="账号只能查看和管理该组织及其下级的数据"
        >
          <OrgSelect />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function EditUserModal({ user, onClose }: { user: UserView | null; onClose: () => void }) {
  const [form] = Form.useForm<{ displayName: string; roles: string[]; orgId: string }>();
  const qc = useQueryClient();
  const { message } = useFeedback();
  const me = useMe().data;
  const self = user?.id === me?.id;
  useEffect(() => {
    if (user) form.setFieldsValue({ displayName: user.displayName, roles: user.roles, orgId: user.orgId });
  }, [user, form]);
  const { err, busy, submit, reset } = useSubmit(
    form,
    USER_FIELD_LABELS,
    async (v: { displayName: string; roles: string[]; orgId: string }) => {
      if (!user) return;
      const patch: Record<string, unknown> = {};
      if (v.displayName.trim() !== user.displayName) patch.displayName = v.displayName.trim();
      if (!self && JSON.stringify([...v.roles].sort()) !== JSON.stringify([...user.roles].sort()))
        patch.roles = v.roles;
      if (!self && v.orgId !== user.orgId) patch.orgId = v.orgId;
      if (!Object.keys(patch).length) {
        onClose();
        return;
      }
      const res = await api.patch<UserView | PendingRequest>(`/api/users/${user.id}`, patch);
      await qc.invalidateQueries({ queryKey: ['users'] });
      if (isPending(res)) {
        await qc.invalidateQueries({ queryKey: ['user-requests'] });
        message.info(PENDING_TEXT, 8);
      } else message.success(patch.roles || patch.orgId ? '已保存，该账号需重新登录后生效' : '已保存');
      onClose();
    },
  );
  return (
    <Modal
      open={!!user}
      title={`编辑账号：${user?.username ?? ''}`}
      onCancel={onClose}
      onOk={() => void submit()}
      okText="保存"
      confirmLoading={busy}
      destroyOnHidden
      mask={{ closable: false }}
      afterClose={reset}
      width={600}
    >
      {self ? <Alert type="info" showIcon style={{ marginBottom: 12 }} title="不能修改自己的角色和所属组织" /> : null}
      <ErrorAlert err={err} style={{ marginBottom: 12 }} />
      <Form form={form} layout="vertical" name="user-edit">
        <Form.Item
          name="displayName"
          label="姓名"
          rules={[{ required: true, whitespace: true, message: '请填写姓名' }, { max: 30 }]}
        >
          <Input />
        </Form.Item>
        <Form.Item name="roles" label="角色" rules={[rolesRule]}>
          <Select mode="multiple" options={roleOptions} disabled={self} />
        </Form.Item>
        <Form.Item name="orgId" label="所属组织" rules={[{ required: true, message: '请选择所属组织' }]}>
          <OrgSelect disabled={self} allowClear={false} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function ResetPasswordModal({ user, onClose }: { user: UserView | null; onClose: () => void }) {
  const [form] = Form.useForm<{ password: string }>();
  const [done, setDone] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const qc = useQueryClient();
  useEffect(() => {
    if (user) {
      setDone(null);
      setPending(false);
      form.setFieldsValue({ password: generatePassword() });
    }
  }, [user, form]);
  const { err, busy, submit, reset } = useSubmit(form, USER_FIELD_LABELS, async (v: { password: string }) => {
    if (!user) return;
    const res = await api.patch<UserView | PendingRequest>(`/api/users/${user.id}`, { password: v.password });
    await qc.invalidateQueries({ queryKey: ['users'] });
    if (isPending(res)) {
      await qc.invalidateQueries({ queryKey: ['user-requests'] });
      setPending(true);
    }
    setDone(v.password);
  });
  return (
    <Modal
      open={!!user}
      title={`重置密码：${user?.displayName ?? ''}（${user?.username ?? ''}）`}
      onCancel={onClose}
      destroyOnHidden
      mask={{ closable: false }}
      afterClose={reset}
      footer={
        done
          ? [
              <Button key="ok" type="primary" onClick={onClose}>
                完成
              </Button>,
            ]
          : [
              <Button key="c" onClick={onClose}>
                取消
              </Button>,
              <Button key="s" type="primary" danger loading={busy} onClick={() => void submit()}>
                重置密码
              </Button>,
            ]
      }
    >
      {done && pending ? (
        <Alert
          type="info"
          showIcon
          title="已提交审批，密码尚未重置"
          description={`${PENDING_TEXT}此处填写的密码不会被使用。`}
        />
      ) : done ? (
        <Alert
          type="success"
          showIcon
          title="密码已重置，该账号的登录已全部失效"
          description={
            <div>
              新密码：
              <Typography.Text code copyable className="mono">
                {done}
              </Typography.Text>
              <div>请通过安全渠道告知本人，登录后须立即修改。</div>
            </div>
          }
        />
      ) : (
        <>
          <ErrorAlert err={err} style={{ marginBottom: 12 }} />
          <Form form={form} layout="vertical" name="user-reset">
            <Form.Item
              name="password"
              label="新密码"
              rules={[{ required: true, message: '请设置新密码' }, pwRule]}
              extra="用户下次登录时须修改此密码"
            >
              <PasswordInput />
            </Form.Item>
          </Form>
        </>
      )}
    </Modal>
  );
}

export default function UsersPage() {
  useDocumentTitle('账号管理');
  const can = useCan();
  const me = useMe().data;
  const isMobile = useIsMobile();
  const qc = useQueryClient();
  const { message, modal } = useFeedback();
  const list = useListParams(['q'], { pageSizes: [20, 50, 100] });
  const [text, setText] = useSearchText(list, 'q', 300);
  const q = list.get('q');
  const { page, pageSize } = list;
  const [creating, setCreating] = useState(false);
  const [bulk, setBulk] = useState(false);
  const [editing, setEditing] = useState<UserView | null>(null);
  const [resetting, setResetting] = useState<UserView | null>(null);
  const users = useQuery({
    queryKey: ['users', q, page, pageSize],
    queryFn: ({ signal }) => api.get<Page<UserView>>('/api/users', { q: q || undefined, page, pageSize }, signal),
    placeholderData: keepPreviousData,
    enabled: can('users.read'),
  });

  const patch = async (u: UserView, body: Record<string, unknown>, ok: string) => {
    try {
      const res = await api.patch<UserView | PendingRequest>(`/api/users/${u.id}`, body);
      await qc.invalidateQueries({ queryKey: ['users'] });
      if (isPending(res)) {
        await qc.invalidateQueries({ queryKey: ['user-requests'] });
        message.info(PENDING_TEXT, 8);
      } else message.success(ok);
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  const toggleDisabled = (u: UserView) => {
    modal.confirm({
      title: u.disabled ? `启用账号 ${u.username}？` : `停用账号 ${u.username}？`,
      content: u.disabled ? '启用后该账号可以重新登录。' : '停用后该账号立即退出登录，且不能再登录，直至重新启用。',
      okText: u.disabled ? '启用' : '停用',
      okButtonProps: { danger: !u.disabled },
      onOk: () => patch(u, { disabled: !u.disabled }, u.disabled ? '已启用' : '已停用'),
    });
  };

  const resetTotp = (u: UserView) => {
    modal.confirm({
      title: `重置 ${u.username} 的两步验证？`,
      content: '用于手机丢失或更换：该账号立即退出登录，下次登录后须重新绑定验证器。',
      okText: '重置',
      okButtonProps: { danger: true },
      onOk: () => patch(u, { resetTotp: true }, '已重置两步验证'),
    });
  };

  const actions = (u: UserView) => {
    const self = u.id === me?.id;
    return [
      { key: 'edit', icon: <EditOutlined />, label: '编辑角色/组织', onClick: () => setEditing(u) },
      { key: 'reset', icon: <KeyOutlined />, label: '重置密码', onClick: () => setResetting(u) },
      ...(u.locked
        ? [
            {
              key: 'unlock',
              icon: <UnlockOutlined />,
              label: '解锁',
              onClick: () => void patch(u, { unlock: true }, '已解锁'),
            },
          ]
        : []),
      ...(u.totpEnabled && !self
        ? [{ key: 'totp', icon: <KeyOutlined />, label: '重置两步验证', onClick: () => resetTotp(u) }]
        : []),
      ...(self
        ? []
        : [
            {
              key: 'disable',
              icon: <StopOutlined />,
              label: u.disabled ? '启用' : '停用',
              danger: !u.disabled,
              onClick: () => toggleDisabled(u),
            },
          ]),
    ];
  };

  const columns: ColumnsType<UserView> = [
    {
      title: '用户名',
      dataIndex: 'username',
      key: 'username',
      render: (v: string) => <span className="mono">{v}</span>,
    },
    { title: '姓名', dataIndex: 'displayName', key: 'displayName' },
    { title: '角色', dataIndex: 'roles', key: 'roles', render: (r: string[]) => <RoleTags roles={r} /> },
    { title: '所属组织', dataIndex: 'orgName', key: 'orgName', ellipsis: true, responsive: ['lg'] },
    { title: '状态', key: 'status', render: (_: unknown, u) => <StatusTags u={u} /> },
    {
      title: '最近登录',
      dataIndex: 'lastLoginAt',
      key: 'lastLoginAt',
      render: (v: string | null) => (v ? dateTimeText(v) : <span className="muted">从未登录</span>),
      responsive: ['md'],
    },
    ...(can('users.manage')
      ? [
          {
            title: '操作',
            key: 'actions',
            width: isMobile ? 70 : 260,
            render: (_: unknown, u: UserView) =>
              isMobile ? (
                <Dropdown
                  menu={{
                    items: actions(u).map(({ onClick, ...rest }) => rest),
                    onClick: (e) =>
                      actions(u)
                        .find((a) => a.key === e.key)
                        ?.onClick(),
                  }}
                  trigger={['click']}
                >
                  <Button size="small">操作</Button>
                </Dropdown>
              ) : (
                <Space size={0} wrap>
                  {actions(u).map((a) => (
                    <Button
                      key={a.key}
                      type="link"
                      size="small"
                      danger={'danger' in a ? a.danger : false}
                      onClick={a.onClick}
                    >
                      {a.label}
                    </Button>
                  ))}
                </Space>
              ),
          },
        ]
      : []),
  ];

  return (
    <div>
      <div className="page-head">
        <h1>账号管理</h1>
        <div className="page-actions">
          {can('users.manage') ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="user-new">
              新建账号
            </Button>
          ) : null}
          {can('users.manage') ? (
            <Button icon={<UsergroupAddOutlined />} onClick={() => setBulk(true)} data-testid="user-bulk">
              批量开通
            </Button>
          ) : null}
        </div>
      </div>
      {can('users.approve') ? <RequestsCard always={!can('users.read')} /> : null}
      {can('users.read') ? (
        <>
          <ListFilters>
            <Input
              allowClear
              prefix={<SearchOutlined />}
              placeholder="搜索用户名或姓名"
              value={text}
              onChange={(e) => setText(e.target.value)}
              style={{ width: isMobile ? '100%' : 320 }}
              aria-label="搜索账号"
              data-testid="user-search"
            />
          </ListFilters>
          <ResponsiveList<UserView>
            testId="user-list"
            list={users}
            rowKey="id"
            columns={columns}
            card={(u) => (
              <div className="list-card" data-testid="user-card">
                <div className="mc-top">
                  <b>{u.displayName}</b>
                  <span className="mono muted">{u.username}</span>
                  <span style={{ flex: 1 }} />
                  {can('users.manage') ? (
                    <Dropdown
                      menu={{
                        items: actions(u).map(({ onClick, ...rest }) => rest),
                        onClick: (e) =>
                          actions(u)
                            .find((a) => a.key === e.key)
                            ?.onClick(),
                      }}
                      trigger={['click']}
                    >
                      <Button size="small">操作</Button>
                    </Dropdown>
                  ) : null}
                </div>
                <div style={{ marginTop: 6 }}>
                  <RoleTags roles={u.roles} /> <StatusTags u={u} />
                </div>
                <div className="mc-line">{u.orgName}</div>
                <div className="mc-line">最近登录：{u.lastLoginAt ? dateTimeText(u.lastLoginAt) : '从未登录'}</div>
              </div>
            )}
            empty={q ? '没有匹配的账号' : '暂无账号'}
            pager={{
              page,
              pageSize,
              onChange: (p, ps) => list.setPage(p, ps),
              unit: '个账号',
              pageSizes: [20, 50, 100],
            }}
          />
        </>
      ) : null}
      <CreateUserModal open={creating} onClose={() => setCreating(false)} />
      <BulkAccountsModal open={bulk} onClose={() => setBulk(false)} />
      <EditUserModal user={editing} onClose={() => setEditing(null)} />
      <ResetPasswordModal user={resetting} onClose={() => setResetting(null)} />
    </div>
  );
}
