import { ReloadOutlined, SearchOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, DatePicker, Descriptions, Empty, Input, Pagination, Select, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { api } from '../app/api.ts';
import { ErrorAlert } from '../app/errors.tsx';
import { dateTimeText, fromIso } from '../app/format.ts';
import { useDebounced, useDocumentTitle, useIsMobile } from '../app/hooks.ts';
import { AUDIT_ACTION_LABELS, AUDIT_RESULT_LABELS, ROLE_LABELS } from '../app/labels.ts';
import type { AuditView, Page } from '../app/types.ts';

const OBJECT_LABELS: Record<string, string> = { member: '党员', org: '党组织', user: '账号', import: '导入', route: '接口', export: '导出' };

const ACTION_OPTIONS = [
  { label: '登录与访问', options: ['auth.', 'auth.login', 'auth.logout', 'access.denied'] },
  { label: '党员', options: ['member.', 'member.create', 'member.update', 'member.transfer', 'member.reveal', 'member.export', 'member.import'] },
  { label: '党组织', options: ['org.', 'org.create', 'org.update', 'org.move', 'org.merge', 'org.dissolve', 'org.post'] },
  { label: '账号', options: ['user.', 'user.create', 'user.update', 'user.roles', 'user.disable', 'user.password.change', 'user.password.reset'] },
  { label: '系统', options: ['system.seed'] },
].map((g) => ({
  label: g.label,
  options: g.options.map((a) => ({ value: a, label: a.endsWith('.') ? `全部${g.label}操作` : `${AUDIT_ACTION_LABELS[a] ?? a}` })),
}));

function actionText(a: string) {
  return AUDIT_ACTION_LABELS[a] ?? a;
}

function AuditDetail({ r }: { r: AuditView }) {
  return (
    <div style={{ display: 'grid', gap: 8 }}>
      <Descriptions
        size="small"
        column={{ xs: 1, md: 2 }}
        items={[
          { key: 'seq', label: '序号', children: <span className="mono">{r.seq}</span> },
          { key: 'at', label: '时间', children: dateTimeText(r.at) },
          { key: 'roles', label: '角色', children: r.roles ? r.roles.split(/[,，\s]+/).filter(Boolean).map((x) => ROLE_LABELS[x] ?? x).join('、') : '—' },
          { key: 'ip', label: 'IP 地址', children: <span className="mono">{r.ip ?? '—'}</span> },
          { key: 'obj', label: '对象', children: <span className="mono">{r.objectType ? `${OBJECT_LABELS[r.objectType] ?? r.objectType} ${r.objectId ?? ''}` : '—'}</span> },
          { key: 'req', label: '请求编号', children: <span className="mono">{r.requestId ?? '—'}</span> },
          { key: 'org', label: '所属组织编号', children: <span className="mono">{r.orgId ?? '—'}</span> },
        ]}
      />
      <div>
        <div className="muted" style={{ marginBottom: 4 }}>
          详细内容
        </div>
        <pre className="json">{Object.keys(r.detail ?? {}).length ? JSON.stringify(r.detail, null, 2) : '（无）'}</pre>
      </div>
    </div>
  );
}

function MobileAuditRow({ r }: { r: AuditView }) {
  const [open, setOpen] = useState(false);
  return (
    <div className="mobile-row">
      <div className="mobile-row-top">
        <b>{actionText(r.action)}</b>
        <Tag color={AUDIT_RESULT_LABELS[r.result]?.color}>{AUDIT_RESULT_LABELS[r.result]?.text ?? r.result}</Tag>
        <span style={{ flex: 1 }} />
        <span className="muted mono" style={{ fontSize: 12 }}>
          {dateTimeText(r.at)}
        </span>
        <Button size="small" type="link" onClick={() => setOpen(!open)} aria-expanded={open} data-testid="audit-toggle">
          {open ? '收起' : '详情'}
        </Button>
      </div>
      <div className="mobile-row-line">
        {r.username ?? '（未登录）'}
        {r.objectType ? ` · ${OBJECT_LABELS[r.objectType] ?? r.objectType}` : ''}
        {r.ip ? <span className="mono"> · {r.ip}</span> : null}
      </div>
      {open ? (
        <div style={{ marginTop: 8 }}>
          <AuditDetail r={r} />
        </div>
      ) : null}
    </div>
  );
}

export default function AuditPage() {
  useDocumentTitle('审计日志');
  const isMobile = useIsMobile();
  const [params, setParams] = useSearchParams();
  const [user, setUser] = useState(params.get('username') ?? '');
  const username = useDebounced(user.trim(), 400);
  const action = params.get('action') ?? undefined;
  const result = params.get('result') ?? undefined;
  const from = params.get('from') ?? undefined;
  const to = params.get('to') ?? undefined;
  const page = Math.max(1, Number(params.get('page') ?? 1) || 1);
  const pageSize = [20, 50, 100].includes(Number(params.get('pageSize'))) ? Number(params.get('pageSize')) : 20;

  const set = (patch: Record<string, string | number | undefined | null>, keepPage = false) =>
    setParams(
      (cur) => {
        const n = new URLSearchParams(cur);
        for (const [k, v] of Object.entries(patch)) {
          if (v === undefined || v === null || v === '') n.delete(k);
          else n.set(k, String(v));
        }
        if (!keepPage) n.delete('page');
        return n;
      },
      { replace: true },
    );

  const query = { username: username || undefined, action, result, from, to, page, pageSize };
  const list = useQuery({
    queryKey: ['audit', query],
    queryFn: ({ signal }) => api.get<Page<AuditView>>('/api/audit', query, signal),
    placeholderData: keepPreviousData,
  });

  const columns: ColumnsType<AuditView> = [
    { title: '时间', dataIndex: 'at', key: 'at', width: 160, render: (v: string) => <span className="mono nowrap">{dateTimeText(v)}</span> },
    { title: '用户', dataIndex: 'username', key: 'username', width: 130, render: (v: string | null) => v ?? <span className="muted">（未登录）</span> },
    {
      title: '操作',
      dataIndex: 'action',
      key: 'action',
      render: (a: string) => (
        <span>
          {actionText(a)}
          {!isMobile ? (
            <span className="muted mono" style={{ fontSize: 12, marginLeft: 6 }}>
              {a}
            </span>
          ) : null}
        </span>
      ),
    },
    {
      title: '对象',
      key: 'object',
      responsive: ['lg'],
      render: (_: unknown, r) => (r.objectType ? <span>{OBJECT_LABELS[r.objectType] ?? r.objectType}<span className="muted mono" style={{ fontSize: 12, marginLeft: 6 }}>{(r.objectId ?? '').slice(0, 24)}</span></span> : '—'),
    },
    {
      title: '结果',
      dataIndex: 'result',
      key: 'result',
      width: 80,
      render: (v: string) => <Tag color={AUDIT_RESULT_LABELS[v]?.color}>{AUDIT_RESULT_LABELS[v]?.text ?? v}</Tag>,
    },
    { title: 'IP', dataIndex: 'ip', key: 'ip', width: 130, responsive: ['xl'], render: (v: string | null) => <span className="mono">{v ?? '—'}</span> },
  ];

  const range: [Dayjs | undefined, Dayjs | undefined] = [fromIso(from), fromIso(to)];

  return (
    <div>
      <div className="page-head">
        <h1>审计日志</h1>
        <div className="page-actions">
          <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()} loading={list.isFetching}>
            刷新
          </Button>
        </div>
      </div>
      <Card size="small" style={{ marginBottom: 12 }}>
        <div className="filter-bar">
          <Input
            allowClear
            prefix={<SearchOutlined />}
            placeholder="用户名（精确）"
            value={user}
            onChange={(e) => {
              setUser(e.target.value);
              set({ username: e.target.value.trim() });
            }}
            style={{ width: isMobile ? '100%' : 180 }}
            aria-label="用户名"
          />
          <Select
            allowClear
            placeholder="全部操作"
            value={action}
            onChange={(v: string | undefined) => set({ action: v })}
            options={ACTION_OPTIONS}
            style={{ width: isMobile ? '100%' : 200 }}
            aria-label="操作类型"
            showSearch={{ optionFilterProp: 'label' }}
          />
          <Select
            allowClear
            placeholder="全部结果"
            value={result}
            onChange={(v: string | undefined) => set({ result: v })}
            options={Object.entries(AUDIT_RESULT_LABELS).map(([value, l]) => ({ value, label: l.text }))}
            style={{ width: isMobile ? '100%' : 120 }}
            aria-label="结果"
          />
          <DatePicker.RangePicker
            value={range[0] || range[1] ? [range[0] ?? null, range[1] ?? null] : null}
            onChange={(v) => set({ from: v?.[0]?.format('YYYY-MM-DD'), to: v?.[1]?.format('YYYY-MM-DD') })}
            allowEmpty={[true, true]}
            style={{ width: isMobile ? '100%' : 260 }}
            placeholder={['开始日期', '结束日期']}
          />
        </div>
      </Card>
      {list.error ? <ErrorAlert err={list.error} style={{ marginBottom: 12 }} /> : null}
      <Card size="small" styles={{ body: { padding: 0 } }}>
        {isMobile ? (
          <div data-testid="audit-list" className="mobile-list">
            {(list.data?.items ?? []).map((r) => (
              <MobileAuditRow key={r.seq} r={r} />
            ))}
            {!list.isLoading && !list.data?.items.length ? <Empty style={{ padding: 24 }} description="没有符合条件的审计记录" /> : null}
          </div>
        ) : (
          <div data-testid="audit-list">
            <Table<AuditView>
              rowKey="seq"
              size="small"
              columns={columns}
              dataSource={list.data?.items ?? []}
              loading={list.isFetching}
              pagination={false}
              expandable={{ expandedRowRender: (r) => <AuditDetail r={r} />, expandRowByClick: true }}
              locale={{ emptyText: <Empty description="没有符合条件的审计记录" /> }}
            />
          </div>
        )}
        <div style={{ display: 'flex', justifyContent: 'flex-end', padding: '12px 16px' }}>
          <Pagination
            current={page}
            pageSize={pageSize}
            total={list.data?.total ?? 0}
            showTotal={(t) => `共 ${t.toLocaleString('zh-CN')} 条`}
            showSizeChanger={!isMobile}
            pageSizeOptions={[20, 50, 100]}
            size={isMobile ? 'small' : undefined}
            onChange={(p, ps) => set({ page: p === 1 ? undefined : p, pageSize: ps === 20 ? undefined : ps }, true)}
          />
        </div>
      </Card>
    </div>
  );
}
