/** One task: what it asks, who issued it to whom, how far each organization (and those it split it to) has got. */
import { ArrowLeftOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Descriptions, Empty, Segmented, Skeleton } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { FIELD_LABELS, ORG_KIND_LABELS, TASK_OPEN_STATUSES } from '../../../../contract/labels.ts';
import { api } from '../../app/api.ts';
import { ErrorAlert } from '../../app/errors.tsx';
import { dateText, dateTimeText, orDash, thousands } from '../../app/format.ts';
import { useDocumentTitle, useIsMobile } from '../../app/hooks.ts';
import type { AssignmentView, TaskDetail } from '../../app/types.ts';
import { Table } from '../../components/LazyTable.tsx';
import { OverdueText, StatusMark } from './shared.tsx';
import { treeOrder } from './tree.ts';

type Row = { item: AssignmentView; depth: number };

const SHOWN = {
  all: () => true,
  open: (a: AssignmentView) => TASK_OPEN_STATUSES.has(a.status),
  overdue: (a: AssignmentView) => a.overdue,
  submitted: (a: AssignmentView) => a.status === 'submitted',
  done: (a: AssignmentView) => a.status === 'done',
};
type Shown = keyof typeof SHOWN;
const SHOWN_OPTIONS: { value: Shown; label: string }[] = [
  { value: 'all', label: '全部' },
  { value: 'open', label: '未办结' },
  { value: 'overdue', label: '逾期' },
  { value: 'submitted', label: '待验收' },
  { value: 'done', label: '已完成' },
];
/** How many cards a phone draws at first (a county-wide task has hundreds). */
const PHONE_BATCH = 50;

const label = (map: Record<string, string>, code: string) => map[code] ?? '其他';

/** 签收 / 提交 / 完成 times of an assignment, those it has. */
function Times({ a }: { a: AssignmentView }) {
  const parts = [
    a.signedAt ? `签收 ${dateTimeText(a.signedAt)}` : null,
    a.submittedAt ? `提交 ${dateTimeText(a.submittedAt)}` : null,
    a.doneAt ? `完成 ${dateTimeText(a.doneAt)}` : null,
  ].filter(Boolean);
  return parts.length ? <span>{parts.join(' · ')}</span> : <span className="muted">尚未签收</span>;
}

function Stat({ label, value, danger }: { label: string; value: number; danger?: boolean }) {
  return (
    <div className="stat-cell">
      <div className="stat-label">{label}</div>
      <div className={danger && value ? 'stat-value task-overdue' : 'stat-value'}>{thousands(value)}</div>
    </div>
  );
}

export default function TaskDetailPage() {
  const { id } = useParams();
  const navigate = useNavigate();
  const isMobile = useIsMobile();
  const [shown, setShown] = useState<Shown>('all');
  const [phoneCount, setPhoneCount] = useState(PHONE_BATCH);
  const q = useQuery({
    queryKey: ['tasks', 'detail', id],
    queryFn: () => api.get<TaskDetail>(`/api/tasks/${id}`),
  });
  const t = q.data;
  useDocumentTitle(t ? t.title : '任务详情');

  const rows: Row[] = useMemo(() => {
    const all = treeOrder(t?.assignments ?? []);
    if (shown === 'all') return all;
    // A filtered list is flat: the tree's gaps would mislead.
    return all.filter((r) => SHOWN[shown](r.item)).map((r) => ({ ...r, depth: 0 }));
  }, [t, shown]);

  if (q.isLoading) return <Skeleton active />;
  if (q.error || !t) return <ErrorAlert err={q.error ?? new Error('任务不存在或不在您的管辖范围内')} />;

  const r = t.rollup;
  const columns: ColumnsType<Row> = [
    {
      title: '承办组织',
      key: 'org',
      ellipsis: true,
      render: (_, { item: a, depth }) => (
        <span style={{ paddingLeft: depth * 20 }} className={depth ? 'task-tree-child' : undefined}>
          <Link to={`/tasks/assignments/${a.id}`}>{a.orgName}</Link>
          {a.childCount ? <span className="muted">（分解 {a.childCount} 个）</span> : null}
        </span>
      ),
    },
    { title: '状态', key: 'status', width: 120, render: (_, { item: a }) => <StatusMark status={a.status} /> },
    {
      title: '完成时限',
      key: 'deadline',
      width: 150,
      render: (_, { item: a }) => (
        <span>
          {dateText(a.deadline)} <OverdueText a={a} />
        </span>
      ),
    },
    { title: '办理时间', key: 'times', render: (_, { item: a }) => <Times a={a} /> },
  ];

  const card = ({ item: a, depth }: Row) => (
    <Link
      key={a.id}
      to={`/tasks/assignments/${a.id}`}
      className="list-card"
      style={depth ? { marginLeft: Math.min(depth, 3) * 14, width: 'auto' } : undefined}
      data-testid="assignment-card"
    >
      <div className="mc-top">
        <b style={{ flex: 1, minWidth: 0 }}>{a.orgName}</b>
        <StatusMark status={a.status} />
      </div>
      <div className="mc-line">
        完成时限 {dateText(a.deadline)} <OverdueText a={a} />
        {a.childCount ? ` · 分解 ${a.childCount} 个` : ''}
      </div>
      <div className="mc-line">
        <Times a={a} />
      </div>
    </Link>
  );

  return (
    <div style={{ maxWidth: 1200 }}>
      <div className="page-head">
        <h1 style={{ display: 'flex', alignItems: 'center', gap: 4 }}>
          <Button type="text" icon={<ArrowLeftOutlined />} aria-label="返回" onClick={() => navigate('/tasks')} />
          <span style={{ minWidth: 0, overflowWrap: 'anywhere' }}>{t.title}</span>
        </h1>
      </div>

      <div className="stat-grid task-stat-grid" style={{ marginBottom: 12 }} data-testid="task-rollup">
        <Stat label="承办组织" value={r.total} />
        <Stat label="已签收" value={r.signed} />
        <Stat label="已完成" value={r.done} />
        <Stat label="逾期" value={r.overdue} danger />
      </div>

      <Card size="small" style={{ marginBottom: 12 }}>
        <Descriptions
          size="small"
          column={{ xs: 1, sm: 2 }}
          items={[
            { key: 'issuer', label: '下发组织', children: t.issuerOrgName },
            {
              key: 'by',
              label: '下发人',
              children: `${orDash(t.createdByName)}（${dateTimeText(t.createdAt)}）`,
            },
            { key: 'deadline', label: '完成时限', children: dateText(t.deadline) },
            { key: 'weight', label: '分值', children: t.weight === null ? '—' : `${t.weight} 分` },
            { key: 'source', label: '任务来源', children: orDash(t.source) },
            {
              key: 'targets',
              label: '下发对象',
              children: `${t.targets.underOrgName}以下的${t.targets.fields?.length ? `${t.targets.fields.map((f) => label(FIELD_LABELS, f)).join('、')}领域` : ''}${t.targets.orgKinds.map((k) => label(ORG_KIND_LABELS, k)).join('、')}`,
            },
            { key: 'evidence', label: '佐证材料要求', children: orDash(t.evidenceNeeded), span: 2 },
          ]}
        />
        {t.description ? (
          <div className="task-description" data-testid="task-description">
            {t.description}
          </div>
        ) : null}
      </Card>

      <Card
        size="small"
        title={`承办情况（${thousands(t.assignments.length)}）`}
        extra={
          isMobile ? null : (
            <Segmented<Shown> value={shown} onChange={setShown} options={SHOWN_OPTIONS} aria-label="显示" />
          )
        }
        styles={{ body: isMobile ? { padding: 8 } : { padding: 0 } }}
      >
        {isMobile ? (
          <>
            <Segmented<Shown>
              block
              size="small"
              value={shown}
              onChange={(v) => {
                setShown(v);
                setPhoneCount(PHONE_BATCH);
              }}
              options={SHOWN_OPTIONS}
              style={{ marginBottom: 8 }}
              aria-label="显示"
            />
            {rows.length ? (
              <div className="list-cards" data-testid="assignment-tree">
                {rows.slice(0, phoneCount).map(card)}
                {rows.length > phoneCount ? (
                  <Button block size="large" onClick={() => setPhoneCount((n) => n + PHONE_BATCH)}>
                    再显示 {Math.min(PHONE_BATCH, rows.length - phoneCount)} 个（共 {thousands(rows.length)} 个）
                  </Button>
                ) : null}
              </div>
            ) : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有符合条件的承办组织" />
            )}
          </>
        ) : (
          <div data-testid="assignment-tree">
            <Table<Row>
              rowKey={(x) => x.item.id}
              size="middle"
              columns={columns}
              dataSource={rows}
              pagination={rows.length > 100 ? { pageSize: 100, showSizeChanger: false } : false}
              locale={{ emptyText: <Empty description="没有符合条件的承办组织" /> }}
            />
          </div>
        )}
      </Card>
    </div>
  );
}
