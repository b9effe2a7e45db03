/**
 * 任务督办: an organization's tasks at a glance — the states of every share held in its subtree, the same
 * per organization directly below it (a row opens that organization here) with its problems (open by
 * source, this year's 销号率) and documents not carried out in time, the overdue shares reported up to it,
 * and its own ledger of what it owes. 导出 Excel writes the rows as 任务督办表.
 */
import { DownloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Breadcrumb, Button, Card, Checkbox, Empty, Skeleton } from 'antd';
import { useState } from 'react';
import type { ColumnsType } from 'antd/es/table';
import { Link, useSearchParams } from 'react-router';
import { api, urlOf } from '../../app/api.ts';
import { useMe } from '../../app/auth.ts';
import { ErrorAlert } from '../../app/errors.tsx';
import { dateText, dateTimeText, thousands } from '../../app/format.ts';
import { useDocumentTitle, useIsMobile } from '../../app/hooks.ts';
import { orgKeys } from '../../app/org-tree.ts';
import type { OrgDetail, TaskDashboard, TaskDashboardRow, TaskLedger, TaskLedgerItem } from '../../app/types.ts';
import { LazyOrgSelect } from '../../components/LazyOrgSelect.tsx';
import { Table } from '../../components/LazyTable.tsx';
import { OverdueText, StatusMark, useDownload } from './shared.tsx';

/** The counts of a row, in the order the cards and the table show them. */
const COUNTS: { key: keyof TaskDashboardRow; label: string; danger?: boolean }[] = [
  { key: 'total', label: '总数' },
  { key: 'issued', label: '待签收' },
  { key: 'working', label: '办理中' },
  { key: 'submitted', label: '待验收' },
  { key: 'done', label: '已完成' },
  { key: 'overdue', label: '逾期', danger: true },
  { key: 'escalated', label: '逾期上报', danger: true },
];

/** Problems and documents of a row: open problems by source, this year's 销号率, documents late. */
const PROBLEM_COLUMNS: { key: keyof TaskDashboardRow; label: string; short: string }[] = [
  { key: 'problemsOpenRule', label: '规则发现未整改', short: '规则未整改' },
  { key: 'problemsOpenOther', label: '督查发现未整改', short: '督查未整改' },
  { key: 'documentsLate', label: '文件未按时落实', short: '文件未落实' },
];

/** 50%（1/2）: closed over raised this year; — without problems this year. */
function rateText(row: TaskDashboardRow): string {
  if (row.rectificationRate === null || !row.problemsRaised) return '—';
  return `${Math.round(row.rectificationRate * 100)}%`;
}

function count(row: TaskDashboardRow, key: keyof TaskDashboardRow, danger?: boolean) {
  const n = Number(row[key]);
  return <span className={danger && n ? 'task-overdue' : undefined}>{thousands(n)}</span>;
}

export default function TaskDashboardPage() {
  useDocumentTitle('任务督办');
  const isMobile = useIsMobile();
  const me = useMe().data;
  const [params, setParams] = useSearchParams();
  const asked = params.get('orgId') ?? undefined;
  const withDone = params.get('done') === 'true';
  const lateOnly = params.get('late') === 'true';
  const go = (patch: Record<string, string | null>) =>
    setParams((cur) => {
      const next = new URLSearchParams(cur);
      for (const [k, v] of Object.entries(patch)) {
        if (v) next.set(k, v);
        else next.delete(k);
      }
      return next;
    });

  const dash = useQuery({
    queryKey: ['tasks', 'dashboard', asked ?? ''],
    queryFn: ({ signal }) => api.get<TaskDashboard>('/api/tasks/dashboard', { orgId: asked }, signal),
  });
  const orgId = dash.data?.orgId ?? asked ?? me?.orgId;
  const ledger = useQuery({
    queryKey: ['tasks', 'ledger', asked ?? '', withDone],
    queryFn: ({ signal }) =>
      api.get<TaskLedger>('/api/tasks/ledger', { orgId: asked, open: withDone ? undefined : 'true' }, signal),
  });
  // Where this organization sits (ancestors from the top of the reader's scope), for the way back up.
  const org = useQuery({
    queryKey: orgKeys.detail(orgId ?? ''),
    queryFn: () => api.get<OrgDetail>(`/api/orgs/${orgId}`),
    enabled: !!orgId,
    staleTime: 60_000,
  });
  const d = dash.data;
  const download = useDownload();
  const [exporting, setExporting] = useState(false);
  const exportXlsx = async () => {
    setExporting(true);
    try {
      await download(urlOf('/api/tasks/dashboard/export', { orgId: asked }), '任务督办表.xlsx');
    } finally {
      setExporting(false);
    }
  };
  const drill = (id: string) => go({ orgId: id === me?.orgId ? null : id });
  const rows = (d?.rows ?? []).filter((r) => !lateOnly || r.overdue > 0);

  const rowColumns: ColumnsType<TaskDashboardRow> = [
    {
      title: '下级组织',
      dataIndex: 'orgName',
      width: 200,
      fixed: 'left' as const,
      ellipsis: true,
      render: (name: string, r) => (
        <button type="button" className="link-button" onClick={() => drill(r.orgId)}>
          {name}
        </button>
      ),
    },
    ...COUNTS.map((c) => ({
      title: c.label,
      key: c.key,
      width: 68,
      align: 'right' as const,
      render: (_: unknown, r: TaskDashboardRow) => count(r, c.key, c.danger),
    })),
    ...PROBLEM_COLUMNS.slice(0, 2).map((c) => ({
      title: c.label,
      key: c.key,
      width: 112,
      align: 'right' as const,
      render: (_: unknown, r: TaskDashboardRow) => count(r, c.key, true),
    })),
    {
      title: '本年销号率',
      key: 'rectificationRate',
      width: 112,
      align: 'right' as const,
      render: (_: unknown, r: TaskDashboardRow) =>
        r.problemsRaised ? (
          <span title={`本年发现 ${r.problemsRaised} 个问题，已销号 ${r.problemsClosed} 个`}>{rateText(r)}</span>
        ) : (
          <span className="muted">—</span>
        ),
    },
    {
      title: PROBLEM_COLUMNS[2].label,
      key: PROBLEM_COLUMNS[2].key,
      width: 112,
      align: 'right' as const,
      render: (_: unknown, r: TaskDashboardRow) => count(r, PROBLEM_COLUMNS[2].key, true),
    },
  ];

  const escalationColumns: ColumnsType<TaskDashboard['escalations'][number]> = [
    {
      title: '任务',
      dataIndex: 'title',
      ellipsis: true,
      render: (title: string, a) => <Link to={`/tasks/${a.taskId}`}>{title}</Link>,
    },
    {
      title: '承办组织',
      dataIndex: 'orgName',
      ellipsis: true,
      render: (name: string, a) => <Link to={`/tasks/assignments/${a.id}`}>{name}</Link>,
    },
    { title: '向谁负责', dataIndex: 'issuerOrgName', ellipsis: true },
    { title: '状态', key: 'status', width: 120, render: (_, a) => <StatusMark status={a.status} /> },
    {
      title: '完成时限',
      key: 'deadline',
      width: 170,
      render: (_, a) => (
        <span>
          {dateText(a.deadline)} <OverdueText a={a} />
        </span>
      ),
    },
    { title: '上报时间', key: 'at', width: 150, render: (_, a) => dateTimeText(a.escalatedAt) },
  ];

  const ledgerColumns: ColumnsType<TaskLedgerItem> = [
    {
      title: '任务',
      dataIndex: 'title',
      ellipsis: true,
      render: (title: string, a) => <Link to={`/tasks/assignments/${a.id}`}>{title}</Link>,
    },
    { title: '向谁负责', dataIndex: 'issuerOrgName', width: 220, ellipsis: true },
    {
      title: '完成时限',
      key: 'deadline',
      width: 170,
      render: (_, a) => (
        <span>
          {dateText(a.deadline)} <OverdueText a={a} />
        </span>
      ),
    },
    { title: '状态', key: 'status', width: 130, render: (_, a) => <StatusMark status={a.status} /> },
  ];

  // The ancestors, then this organization (the detail's path may end with it already).
  const path = (org.data?.path ?? []).filter((p) => p.id !== orgId);

  return (
    <div>
      <div className="page-head">
        <h1>任务督办</h1>
        <div className="page-actions" style={isMobile ? { width: '100%' } : undefined}>
          <LazyOrgSelect
            style={{ width: isMobile ? '100%' : 320 }}
            value={orgId}
            onChange={(id) => go({ orgId: id && id !== me?.orgId ? id : null })}
            allowClear={false}
            placeholder="选择党组织"
            aria-label="党组织"
            data-testid="dashboard-org"
          />
          <Button
            icon={<DownloadOutlined />}
            onClick={() => void exportXlsx()}
            loading={exporting}
            disabled={!d}
            block={isMobile}
            data-testid="dashboard-export"
          >
            导出 Excel
          </Button>
        </div>
      </div>
      {path.length ? (
        <Breadcrumb
          style={{ marginBottom: 8 }}
          items={[
            ...path.map((p) => ({
              key: p.id,
              title: (
                <button type="button" className="link-button" onClick={() => drill(p.id)}>
                  {p.name}
                </button>
              ),
            })),
            { key: 'here', title: d?.orgName ?? org.data?.name },
          ]}
        />
      ) : null}
      <ErrorAlert err={dash.error} style={{ marginBottom: 12 }} />
      {dash.isLoading ? <Skeleton active /> : null}
      {d ? (
        <>
          <div className="section-title" style={{ marginTop: 0 }}>
            {d.orgName}及下级承办的任务
          </div>
          <div className="stat-grid task-stat-grid" data-testid="dashboard-totals">
            {COUNTS.map((c) => (
              <div key={c.key} className="stat-cell">
                <div className="stat-label">{c.label}</div>
                <div className={c.danger && Number(d.totals[c.key]) ? 'stat-value task-overdue' : 'stat-value'}>
                  {thousands(Number(d.totals[c.key]))}
                </div>
              </div>
            ))}
          </div>

          {d.rows.length ? (
            <div className="section-title task-ledger-title">
              <span>
                各下级组织<span className="section-note">点组织查看其下级</span>
              </span>
              <Checkbox
                checked={lateOnly}
                onChange={(e) => go({ late: e.target.checked ? 'true' : null })}
                data-testid="dashboard-late-only"
              >
                只看有逾期的
              </Checkbox>
            </div>
          ) : null}
          {d.rows.length === 0 ? null : rows.length === 0 ? (
            <Card size="small">
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有逾期的下级组织" />
            </Card>
          ) : isMobile ? (
            <div className="list-cards" data-testid="dashboard-rows">
              {rows.map((r) => (
                <button key={r.orgId} type="button" className="list-card" onClick={() => drill(r.orgId)}>
                  <div className="mc-top">
                    <b style={{ flex: 1, minWidth: 0 }}>{r.orgName}</b>
                    <span className="muted">›</span>
                  </div>
                  <div className="task-count-line">
                    {/* A phone shows the counts there are: 总数 always, the others when not zero. */}
                    {COUNTS.filter((c) => c.key === 'total' || Number(r[c.key])).map((c) => (
                      <span key={c.key}>
                        {c.label} {count(r, c.key, c.danger)}
                      </span>
                    ))}
                  </div>
                  {/* Problems and documents: what is open or late, and this year's 销号率 when there were problems. */}
                  {r.problemsRaised || r.problemsOpenRule || r.problemsOpenOther || r.documentsLate ? (
                    <div className="task-count-line">
                      {PROBLEM_COLUMNS.filter((c) => Number(r[c.key])).map((c) => (
                        <span key={c.key}>
                          {c.short} {count(r, c.key, true)}
                        </span>
                      ))}
                      {r.problemsRaised ? (
                        <span>
                          销号率 {rateText(r)}（{thousands(r.problemsClosed)}/{thousands(r.problemsRaised)}）
                        </span>
                      ) : null}
                    </div>
                  ) : null}
                </button>
              ))}
            </div>
          ) : (
            <Card size="small" styles={{ body: { padding: 0 } }}>
              <div data-testid="dashboard-rows">
                <Table<TaskDashboardRow>
                  rowKey="orgId"
                  size="middle"
                  columns={rowColumns}
                  dataSource={rows}
                  scroll={{ x: 1130 }}
                  pagination={rows.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
                  onRow={(r) => ({ onClick: () => drill(r.orgId), style: { cursor: 'pointer' } })}
                />
              </div>
            </Card>
          )}

          {d.escalations.length || d.rows.length ? (
            <div className="section-title">
              逾期上报<span className="section-note">逾期未办结、已上报到{d.orgName}的任务</span>
            </div>
          ) : null}
          {d.escalations.length === 0 ? (
            d.rows.length === 0 ? null : (
              <Card size="small">
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有上报到本组织的逾期任务" />
              </Card>
            )
          ) : isMobile ? (
            <div className="list-cards" data-testid="dashboard-escalations">
              {d.escalations.map((a) => (
                <Link key={a.id} to={`/tasks/assignments/${a.id}`} className="list-card">
                  <div className="mc-top">
                    <b style={{ flex: 1, minWidth: 0 }}>{a.title}</b>
                    <StatusMark status={a.status} />
                  </div>
                  <div className="mc-line">
                    {a.orgName} · 完成时限 {dateText(a.deadline)} <OverdueText a={a} />
                  </div>
                  <div className="mc-line">
                    向{a.issuerOrgName}负责 · {dateTimeText(a.escalatedAt)} 上报
                  </div>
                </Link>
              ))}
            </div>
          ) : (
            <Card size="small" styles={{ body: { padding: 0 } }}>
              <div data-testid="dashboard-escalations">
                <Table<TaskDashboard['escalations'][number]>
                  rowKey="id"
                  size="middle"
                  columns={escalationColumns}
                  dataSource={d.escalations}
                  pagination={false}
                />
              </div>
            </Card>
          )}
        </>
      ) : null}

      <div className="section-title task-ledger-title">
        <span>
          {ledger.data?.orgName ?? d?.orgName ?? ''}的任务台账
          <span className="section-note">本组织承办的任务，逾期的在前</span>
        </span>
        <Checkbox checked={withDone} onChange={(e) => go({ done: e.target.checked ? 'true' : null })}>
          含已完成
        </Checkbox>
      </div>
      <ErrorAlert err={ledger.error} style={{ marginBottom: 12 }} />
      {ledger.isLoading ? <Skeleton active /> : null}
      {ledger.data ? (
        ledger.data.items.length === 0 ? (
          <Card size="small">
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={withDone ? '本组织没有承办任务' : '本组织没有未办结的任务'}
            />
          </Card>
        ) : isMobile ? (
          <div className="list-cards" data-testid="dashboard-ledger">
            {ledger.data.items.map((a) => (
              <Link key={a.id} to={`/tasks/assignments/${a.id}`} className="list-card">
                <div className="mc-name">{a.title}</div>
                <div className="mc-line">
                  <StatusMark status={a.status} /> 完成时限 {dateText(a.deadline)} <OverdueText a={a} />
                </div>
                <div className="mc-line">向{a.issuerOrgName}负责</div>
              </Link>
            ))}
          </div>
        ) : (
          <Card size="small" styles={{ body: { padding: 0 } }}>
            <div data-testid="dashboard-ledger">
              <Table<TaskLedgerItem>
                rowKey="id"
                size="middle"
                columns={ledgerColumns}
                dataSource={ledger.data.items}
                pagination={ledger.data.items.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
              />
            </div>
          </Card>
        )
      ) : null}
    </div>
  );
}
