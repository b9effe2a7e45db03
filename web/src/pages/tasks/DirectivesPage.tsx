/**
 * 上级文件: the documents my organization sent down or received (or every one in my scope), with how many
 * recipients signed and reported and my own copy's state; for those who issue, the organizations below
 * with the documents they did not carry out in time (what the assessment reads).
 */
import { PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Breadcrumb, Button, Card, Empty, Segmented, Skeleton } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api } from '../../app/api.ts';
import { useCan, useMe } from '../../app/auth.ts';
import { ErrorAlert } from '../../app/errors.tsx';
import { dateText, thousands } from '../../app/format.ts';
import { useDocumentTitle, useIsMobile } from '../../app/hooks.ts';
import { useListParams } from '../../app/list-params.ts';
import type { DirectiveBrief, DirectiveLateness, Page } from '../../app/types.ts';
import { LazyOrgSelect } from '../../components/LazyOrgSelect.tsx';
import { ListFilters } from '../../components/ListFilters.tsx';
import { Table } from '../../components/LazyTable.tsx';
import { ResponsiveList } from '../../components/ResponsiveList.tsx';
import { DirectiveCounts, MineState } from './shared.tsx';

const PAGE_SIZES = [20, 50, 100];
const VIEWS = [
  { value: 'all', label: '全部' },
  { value: 'issued', label: '我下发的' },
  { value: 'received', label: '我收到的' },
];

type LateRow = DirectiveLateness['rows'][number];

/** The two deadlines: to sign, and to report how it was carried out. */
function Deadlines({ d }: { d: DirectiveBrief }) {
  return (
    <span className="directive-deadlines">
      <span>签收 {dateText(d.signDeadline)}</span>
      <span>报告 {dateText(d.reportDeadline)}</span>
    </span>
  );
}

/** 各单位未按时落实文件数: per organization directly below the chosen one; a name opens its own below. */
function Lateness() {
  const isMobile = useIsMobile();
  const me = useMe().data;
  const [orgId, setOrgId] = useState<string | undefined>(undefined);
  const q = useQuery({
    queryKey: ['directives', 'lateness', orgId ?? ''],
    queryFn: ({ signal }) => api.get<DirectiveLateness>('/api/directives/lateness', { orgId }, signal),
  });
  const d = q.data;
  const [trail, setTrail] = useState<{ id: string; name: string }[]>([]);
  const drill = (r: LateRow) => {
    if (d) setTrail((t) => [...t, { id: d.orgId, name: d.orgName }]);
    setOrgId(r.orgId);
  };
  const up = (i: number) => {
    const to = trail[i];
    setTrail((t) => t.slice(0, i));
    setOrgId(to.id === me?.orgId ? undefined : to.id);
  };
  const n = (v: number, danger = false) => (
    <span className={danger && v ? 'task-overdue' : undefined}>{thousands(v)}</span>
  );
  const columns: ColumnsType<LateRow> = [
    {
      title: '单位',
      dataIndex: 'orgName',
      ellipsis: true,
      render: (name: string, r) => (
        <button type="button" className="link-button" onClick={() => drill(r)}>
          {name}
        </button>
      ),
    },
    { title: '收到文件', key: 'received', width: 110, align: 'right', render: (_, r) => n(r.received) },
    { title: '未按时签收', key: 'signLate', width: 120, align: 'right', render: (_, r) => n(r.signLate, true) },
    { title: '未按时报告', key: 'reportLate', width: 120, align: 'right', render: (_, r) => n(r.reportLate, true) },
    { title: '未按时落实', key: 'notInTime', width: 120, align: 'right', render: (_, r) => n(r.notInTime, true) },
  ];
  const orgSelect = (
    <LazyOrgSelect
      style={{ width: isMobile ? '100%' : 280 }}
      value={orgId ?? d?.orgId ?? me?.orgId}
      onChange={(id) => {
        setTrail([]);
        setOrgId(id && id !== me?.orgId ? id : undefined);
      }}
      allowClear={false}
      placeholder="选择党组织"
      aria-label="统计范围"
      data-testid="lateness-org"
    />
  );
  return (
    <>
      <div className="section-title task-ledger-title">
        <span>
          各单位未按时落实文件数
          <span className="section-note">
            {d ? `${d.orgName}的直属下级（含其下级），` : ''}未按时签收或报告的都计入
          </span>
        </span>
        {isMobile ? null : orgSelect}
      </div>
      {isMobile ? <div style={{ marginBottom: 8 }}>{orgSelect}</div> : null}
      {trail.length ? (
        <Breadcrumb
          style={{ marginBottom: 8 }}
          items={[
            ...trail.map((t, i) => ({
              key: t.id,
              title: (
                <button type="button" className="link-button" onClick={() => up(i)}>
                  {t.name}
                </button>
              ),
            })),
            { key: 'here', title: d?.orgName },
          ]}
        />
      ) : null}
      <ErrorAlert err={q.error} style={{ marginBottom: 12 }} />
      {q.isLoading ? <Skeleton active /> : null}
      {d && !d.rows.length ? (
        <Card size="small">
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={`${d.orgName}没有下级组织`} />
        </Card>
      ) : null}
      {d?.rows.length ? (
        isMobile ? (
          <div className="list-cards" data-testid="directive-lateness">
            {d.rows.map((r) => (
              <button key={r.orgId} type="button" className="list-card" onClick={() => drill(r)}>
                <div className="mc-top">
                  <b style={{ flex: 1, minWidth: 0 }}>{r.orgName}</b>
                  <span className="muted">›</span>
                </div>
                <div className="task-count-line">
                  {/* A phone shows the counts there are: 收到 always, the late ones when not zero. */}
                  <span>收到 {n(r.received)}</span>
                  {r.notInTime ? (
                    <>
                      <span>未按时落实 {n(r.notInTime, true)}</span>
                      {r.signLate ? <span>未按时签收 {n(r.signLate, true)}</span> : null}
                      {r.reportLate ? <span>未按时报告 {n(r.reportLate, true)}</span> : null}
                    </>
                  ) : r.received ? (
                    <span>均按时落实</span>
                  ) : null}
                </div>
              </button>
            ))}
          </div>
        ) : (
          <Card size="small" styles={{ body: { padding: 0 } }}>
            <div data-testid="directive-lateness">
              <Table<LateRow>
                rowKey="orgId"
                size="middle"
                columns={columns}
                dataSource={d.rows}
                pagination={d.rows.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
              />
            </div>
          </Card>
        )
      ) : null}
    </>
  );
}

export default function DirectivesPage() {
  useDocumentTitle('上级文件');
  const navigate = useNavigate();
  const can = useCan();
  const isMobile = useIsMobile();
  const list = useListParams(['view'], { pageSizes: PAGE_SIZES });
  const view = list.get('view') || 'all';
  const directives = useQuery({
    queryKey: ['directives', 'list', list.filters, list.page, list.pageSize],
    queryFn: ({ signal }) =>
      api.get<Page<DirectiveBrief>>(
        '/api/directives',
        { ...list.filters, page: list.page, pageSize: list.pageSize },
        signal,
      ),
    placeholderData: keepPreviousData,
  });
  const items = directives.data?.items ?? [];
  // Recipients' counts only where I see more than my own copy (a branch sees only itself).
  const showCounts = items.some((d) => d.counts.total > (d.mine ? 1 : 0));
  const showMine = items.some((d) => d.mine);

  const columns: ColumnsType<DirectiveBrief> = [
    {
      title: '文件',
      key: 'title',
      ellipsis: true,
      render: (_, d) => <Link to={`/directives/${d.id}`}>{d.title}</Link>,
    },
    { title: '文号', key: 'docNumber', width: 150, ellipsis: true, render: (_, d) => d.docNumber ?? '—' },
    { title: '下发单位', dataIndex: 'issuerOrgName', width: 180, ellipsis: true },
    { title: '时限', key: 'deadlines', width: 150, render: (_, d) => <Deadlines d={d} /> },
    ...(showCounts
      ? [
          {
            title: '落实情况',
            key: 'counts',
            width: 250,
            render: (_: unknown, d: DirectiveBrief) => <DirectiveCounts counts={d.counts} />,
          },
        ]
      : []),
    ...(showMine
      ? [
          {
            title: '本单位',
            key: 'mine',
            width: 170,
            render: (_: unknown, d: DirectiveBrief) =>
              d.mine ? <MineState r={d.mine} /> : <span className="muted">—</span>,
          },
        ]
      : []),
  ];

  const card = (d: DirectiveBrief) => (
    <Link to={`/directives/${d.id}`} className="list-card" data-testid="directive-card">
      <div className="mc-name">{d.title}</div>
      <div className="mc-line">
        {d.docNumber ? `${d.docNumber} · ` : ''}
        {d.issuerOrgName} 下发
      </div>
      <div className="mc-line">
        <Deadlines d={d} />
      </div>
      {d.counts.total > (d.mine ? 1 : 0) ? (
        <div className="mc-line">
          <DirectiveCounts counts={d.counts} />
        </div>
      ) : null}
      {d.mine ? (
        <div className="mc-line">
          本单位：
          <MineState r={d.mine} />
        </div>
      ) : null}
    </Link>
  );

  return (
    <div>
      <div className="page-head">
        <h1>上级文件</h1>
        <div className="page-actions">
          {can('lists.issue') ? (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => navigate('/directives/new')}
              data-testid="directive-new"
            >
              下发文件
            </Button>
          ) : null}
        </div>
      </div>
      <ListFilters onClear={list.active ? list.clear : undefined}>
        <Segmented
          value={view}
          // 我下发的 only for those who issue (a branch secretary never does).
          options={can('lists.issue') ? VIEWS : VIEWS.filter((v) => v.value !== 'issued')}
          onChange={(v) => list.set({ view: v === 'all' ? null : String(v) })}
          block={isMobile}
          style={isMobile ? { width: '100%' } : undefined}
          aria-label="范围"
          data-testid="directive-view"
        />
      </ListFilters>
      <ResponsiveList<DirectiveBrief>
        testId="directive-list"
        list={directives}
        rowKey="id"
        columns={columns}
        card={card}
        empty={
          view === 'issued'
            ? '本组织还没有下发文件'
            : view === 'received'
              ? '本组织还没有收到上级文件'
              : can('lists.issue')
                ? '还没有文件。点“下发文件”向下级组织下发'
                : '还没有下发给本组织的文件'
        }
        pager={{
          page: list.page,
          pageSize: list.pageSize,
          onChange: list.setPage,
          unit: '份文件',
          pageSizes: PAGE_SIZES,
        }}
        table={{ onRow: (d) => ({ onDoubleClick: () => navigate(`/directives/${d.id}`) }) }}
      />
      {can('lists.issue') ? <Lateness /> : null}
    </div>
  );
}
