import { DownloadOutlined, ReloadOutlined, SearchOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, DatePicker, Descriptions, Input, Modal, Select, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { api, download } from '../app/api.ts';
import { useCan } from '../app/auth.ts';
import { ErrorAlert } from '../app/errors.tsx';
import { dateTimeText, fromIso, thousands } from '../app/format.ts';
import { useDebounced, useDocumentTitle, useIsMobile } from '../app/hooks.ts';
import { type ParamPatch, useListParams, useSearchText } from '../app/list-params.ts';
import { AUDIT_ACTION_LABELS, AUDIT_RESULT_LABELS, ROLE_LABELS } from '../app/labels.ts';
import type { AuditView, Page } from '../app/types.ts';
import { PLATFORM_AUDIT_ACTIONS } from '../../../contract/audit-text.ts';
import type { ModuleDecl } from '../../../contract/module.ts';
import { MODULE_DECLS } from '../../../contract/modules/index.ts';
import { ListFilters } from '../components/ListFilters.tsx';
import { OrgSelect } from '../components/OrgSelect.tsx';
import { ResponsiveList } from '../components/ResponsiveList.tsx';

/** The action filter: one group per module (its manifest's audit actions), then the platform's own. */
const AUDIT_GROUPS: { label: string; actions: string[] }[] = [
  ...(MODULE_DECLS as readonly ModuleDecl[])
    .filter((m) => m.auditActions)
    .map((m) => ({ label: m.title, actions: Object.keys(m.auditActions ?? {}) })),
  { label: '安全与系统', actions: Object.keys(PLATFORM_AUDIT_ACTIONS) },
];
const ACTION_OPTIONS = AUDIT_GROUPS.map((g) => {
  const segments = [...new Set(g.actions.map((a) => a.split('.')[0]))];
  const all = segments.length === 1 ? [{ value: `${segments[0]}.`, label: `全部${g.label}操作` }] : [];
  return { label: g.label, options: [...all, ...g.actions.map((a) => ({ value: a, label: actionText(a) }))] };
});

/**
 * The organization filter of an auditor, who may not browse the tree: type a name, its pinyin or
 * initials, pick from the names found (/api/audit/orgs answers names only).
 */
function AuditOrgSelect({
  value,
  onChange,
  style,
}: {
  value?: string;
  onChange: (id: string | undefined) => void;
  style?: React.CSSProperties;
}) {
  const [text, setText] = useState('');
  const q = useDebounced(text.trim(), 250);
  const found = useQuery({
    queryKey: ['audit', 'orgs', q],
    // Declared in its route only (server/modules/audit/routes.ts), not in contract/users.ts.
    queryFn: ({ signal }) =>
      api.get<{ items: { id: string; name: string; parentName: string | null }[] }>(
        '/api/audit/orgs',
        { q: q || undefined },
        signal,
      ),
    staleTime: 60_000,
  });
  const [picked, setPicked] = useState<{ id: string; name: string } | null>(null);
  const items = found.data?.items ?? [];
  const options = [
    ...(picked && value === picked.id && !items.some((o) => o.id === picked.id)
      ? [{ value: picked.id, label: picked.name }]
      : []),
    ...items.map((o) => ({ value: o.id, label: o.parentName ? `${o.name}（${o.parentName}）` : o.name })),
  ];
  return (
    <Select
      allowClear
      showSearch={{ filterOption: false, onSearch: setText }}
      placeholder="全部组织（输入名称或拼音首字母）"
      value={value}
      options={options}
      loading={found.isFetching}
      notFoundContent={found.isFetching ? '查找中…' : '没有找到组织'}
      onChange={(id: string | undefined) => {
        const o = items.find((x) => x.id === id);
        setPicked(o ? { id: o.id, name: o.name } : null);
        onChange(id);
      }}
      style={style}
      aria-label="组织"
      data-testid="audit-org-select"
      // Full organization names (with the parent) need more room than the filter box.
      popupMatchSelectWidth={typeof style?.width === 'number' ? Math.max(style.width, 420) : true}
    />
  );
}

function actionText(a: string) {
  return AUDIT_ACTION_LABELS[a] ?? a;
}

function AuditDetail({ r }: { r: AuditView }) {
  return (
    <Descriptions
      size="small"
      column={{ xs: 1, md: 2 }}
      items={[
        { key: 'summary', label: '内容', children: r.summary, span: { xs: 1, md: 2 } },
        {
          key: 'who',
          label: '人员',
          children: r.actorName ? `${r.actorName}（${r.username ?? ''}）` : (r.username ?? '（未登录）'),
        },
        { key: 'org', label: '所属组织', children: r.actorOrgName ?? '—' },
        {
          key: 'roles',
          label: '角色',
          children: r.roles
            ? r.roles
                .split(/[,，\s]+/)
                .filter(Boolean)
                .map((x) => ROLE_LABELS[x] ?? x)
                .join('、')
            : '—',
        },
        { key: 'at', label: '时间', children: dateTimeText(r.at) },
        { key: 'ip', label: 'IP 地址', children: <span className="mono">{r.ip ?? '—'}</span> },
        { key: 'req', label: '请求编号', children: <span className="mono">{r.requestId ?? '—'}</span> },
        { key: 'seq', label: '记录序号', children: <span className="mono">{r.seq}</span> },
      ]}
    />
  );
}

/** One phone card: what was done, the result, when; the details unfold under it. */
function AuditCard({ r }: { r: AuditView }) {
  const [open, setOpen] = useState(false);
  return (
    <div className="list-card" data-testid="audit-card">
      <div className="mc-top">
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
      <div className="mc-line">
        {r.actorName ?? r.username ?? '（未登录）'}：{r.summary}
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
  const can = useCan();
  const list = useListParams(['person', 'orgId', 'action', 'result', 'from', 'to'], { pageSizes: [20, 50, 100] });
  // Every filter replaces the history entry: Back leaves the log instead of stepping through filters.
  const set = (patch: ParamPatch) => list.set(patch, { replace: true });
  const [user, setUser] = useSearchText(list, 'person', 400);
  const person = list.get('person');
  const orgId = list.get('orgId') || undefined;
  const [exporting, setExporting] = useState(false);
  const action = list.get('action') || undefined;
  const result = list.get('result') || undefined;
  const from = list.get('from') || undefined;
  const to = list.get('to') || undefined;
  const { page, pageSize } = list;

  const query = { person: person || undefined, orgId, action, result, from, to, page, pageSize };
  const audit = useQuery({
    queryKey: ['audit', query],
    queryFn: ({ signal }) => api.get<Page<AuditView>>('/api/audit', query, signal),
    placeholderData: keepPreviousData,
  });

  const columns: ColumnsType<AuditView> = [
    {
      title: '时间',
      dataIndex: 'at',
      key: 'at',
      width: 160,
      render: (v: string) => <span className="mono nowrap">{dateTimeText(v)}</span>,
    },
    {
      title: '人员',
      key: 'who',
      width: 180,
      render: (_: unknown, r) =>
        r.username ? (
          <span>
            {r.actorName ?? r.username}
            <div className="muted" style={{ fontSize: 12 }}>
              {r.actorOrgName ?? r.username}
            </div>
          </span>
        ) : (
          <span className="muted">（未登录）</span>
        ),
    },
    { title: '操作', dataIndex: 'action', key: 'action', width: 140, render: (a: string) => actionText(a) },
    { title: '内容', dataIndex: 'summary', key: 'summary' },
    {
      title: '结果',
      dataIndex: 'result',
      key: 'result',
      width: 80,
      render: (v: string) => <Tag color={AUDIT_RESULT_LABELS[v]?.color}>{AUDIT_RESULT_LABELS[v]?.text ?? v}</Tag>,
    },
  ];

  const [exportOpen, setExportOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [exportErr, setExportErr] = useState<unknown>(null);
  const exportLog = async () => {
    setExporting(true);
    setExportErr(null);
    try {
      await download(
        '/api/audit/export',
        { person: person || undefined, orgId, action, result, from, to, reason: reason.trim() },
        '审计日志.xlsx',
      );
      setExportOpen(false);
    } catch (e) {
      setExportErr(e);
    } finally {
      setExporting(false);
    }
  };

  const range: [Dayjs | undefined, Dayjs | undefined] = [fromIso(from), fromIso(to)];

  return (
    <div>
      <Modal
        open={exportOpen}
        title="导出审计日志"
        okText="导出 Excel"
        cancelText="取消"
        confirmLoading={exporting}
        okButtonProps={{ disabled: reason.trim().length < 2 }}
        onOk={() => void exportLog()}
        onCancel={() => setExportOpen(false)}
        destroyOnHidden
      >
        <p>
          按当前筛选条件导出{audit.data ? ` ${thousands(audit.data.total)} 条` : ''}审计记录（最多 10
          万条）。导出本身也记入审计日志。
        </p>
        <ErrorAlert err={exportErr} style={{ marginBottom: 12 }} />
        <Input.TextArea
          rows={2}
          maxLength={200}
          placeholder="导出用途，如：年度审计检查"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          data-testid="audit-export-reason"
        />
      </Modal>
      <div className="page-head">
        <h1>审计日志</h1>
        <div className="page-actions">
          <Button icon={<ReloadOutlined />} onClick={() => void audit.refetch()} loading={audit.isFetching}>
            刷新
          </Button>
          <Button icon={<DownloadOutlined />} onClick={() => setExportOpen(true)} data-testid="audit-export">
            导出
          </Button>
        </div>
      </div>
      <ListFilters onClear={list.active ? list.clear : undefined}>
        <Input
          allowClear
          prefix={<SearchOutlined />}
          placeholder="人员（用户名或姓名）"
          value={user}
          onChange={(e) => setUser(e.target.value)}
          style={{ width: isMobile ? '100%' : 180 }}
          aria-label="人员"
        />
        {can('orgs.read') ? (
          <OrgSelect
            value={orgId}
            onChange={(id) => set({ orgId: id })}
            allowClear
            placeholder="全部组织（含下级）"
            style={{ width: isMobile ? '100%' : 240 }}
            aria-label="组织"
          />
        ) : (
          <AuditOrgSelect
            value={orgId}
            onChange={(id) => set({ orgId: id })}
            style={{ width: isMobile ? '100%' : 240 }}
          />
        )}
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
      </ListFilters>
      <ResponsiveList<AuditView>
        testId="audit-list"
        list={audit}
        rowKey="seq"
        columns={columns}
        card={(r) => <AuditCard r={r} />}
        empty="没有符合条件的审计记录"
        pager={{ page, pageSize, onChange: (p, ps) => list.setPage(p, ps), unit: '条', pageSizes: [20, 50, 100] }}
        table={{
          size: 'small',
          expandable: { expandedRowRender: (r) => <AuditDetail r={r} />, expandRowByClick: true },
        }}
      />
    </div>
  );
}
