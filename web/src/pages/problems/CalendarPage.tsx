/** 组织生活日历: an organization's year, each rule's periods (months, quarters, the year) with what was required and what was held. */
import { ArrowLeftOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Empty, Select, Skeleton, Space } from 'antd';
import { useMemo } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { api } from '../../app/api.ts';
import { ErrorAlert } from '../../app/errors.tsx';
import { useDocumentTitle } from '../../app/hooks.ts';
import { type CalendarView, periodText, thisYear } from './shared.ts';

type CalCell = CalendarView['cells'][number];

/** The column a period falls in: months 1–12, quarters after them, the year last. */
function columnOf(period: string): string {
  const m = /^\d{4}-(\d{2})$/.exec(period);
  if (m) return `M${Number(m[1])}`;
  const q = /^\d{4}-Q([1-4])$/.exec(period);
  if (q) return `Q${q[1]}`;
  return 'Y';
}
const COLUMNS = [
  ...Array.from({ length: 12 }, (_, i) => ({ key: `M${i + 1}`, label: `${i + 1}月` })),
  ...[1, 2, 3, 4].map((n) => ({ key: `Q${n}`, label: `${'一二三四'[n - 1]}季度` })),
  { key: 'Y', label: '全年' },
];

function CellView({ c }: { c: CalCell }) {
  const cls = c.ok ? 'cal-ok' : c.ended ? 'cal-miss' : 'cal-running';
  const text = c.ok ? '✓' : c.ended ? '✗' : '…';
  const title = `${periodText(c.period)}：应开展 ${c.required} 次，已开展 ${c.held} 次${c.ended ? '' : '（本期未结束）'}`;
  return (
    <td className={cls} title={title}>
      {c.meetingIds.length ? (
        <Link to={`/meetings/${c.meetingIds[0]}`} style={{ color: 'inherit' }}>
          {text}
          {c.held > 1 ? <sup>{c.held}</sup> : null}
        </Link>
      ) : (
        text
      )}
    </td>
  );
}

export default function CalendarPage() {
  const { orgId, id } = useParams();
  const target = orgId ?? id;
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const year = Number(params.get('year')) || thisYear();
  const q = useQuery({
    queryKey: ['compliance', 'calendar', target, year],
    enabled: !!target,
    queryFn: () => api.get<CalendarView>(`/api/compliance/calendar/${target}`, { year }),
  });
  useDocumentTitle(q.data ? `${q.data.orgName}组织生活日历` : '组织生活日历');
  const rows = useMemo(() => {
    const byRule = new Map<string, { rule: string; name: string; cells: Map<string, CalCell> }>();
    for (const c of q.data?.cells ?? []) {
      const r = byRule.get(c.rule) ?? { rule: c.rule, name: c.ruleName, cells: new Map() };
      r.cells.set(columnOf(c.period), c);
      byRule.set(c.rule, r);
    }
    return [...byRule.values()];
  }, [q.data]);
  const used = COLUMNS.filter((col) => rows.some((r) => r.cells.has(col.key)));
  return (
    <div>
      <div className="page-head">
        <h1 style={{ display: 'flex', alignItems: 'center', gap: 4 }}>
          <Button type="text" icon={<ArrowLeftOutlined />} aria-label="返回" onClick={() => navigate(-1)} />
          {q.data?.orgName ?? ''}组织生活日历
        </h1>
        <Space>
          <Select
            value={year}
            onChange={(y: number) => setParams({ year: String(y) }, { replace: true })}
            options={[0, 1, 2].map((d) => ({ value: thisYear() - d, label: `${thisYear() - d} 年` }))}
            style={{ width: 110 }}
            aria-label="年度"
          />
          {target ? (
            <Button onClick={() => navigate(`/meetings?orgId=${target}`)} data-testid="calendar-meetings">
              查看会议记录
            </Button>
          ) : null}
        </Space>
      </div>
      <ErrorAlert err={q.error} style={{ marginBottom: 12 }} />
      {q.isLoading ? <Skeleton active /> : null}
      {q.data ? (
        <Card size="small">
          {rows.length ? (
            <div className="grid-scroll">
              <table className="life-grid" data-testid="calendar-grid">
                <thead>
                  <tr>
                    <th style={{ textAlign: 'left' }}>要求</th>
                    {used.map((c) => (
                      <th key={c.key}>{c.label}</th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.rule}>
                      <th style={{ textAlign: 'left' }}>
                        {r.name}
                        <span className="rule-id">{r.rule}</span>
                      </th>
                      {used.map((col) => {
                        const c = r.cells.get(col.key);
                        return c ? <CellView key={col.key} c={c} /> : <td key={col.key} />;
                      })}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <Empty description="该组织本年度没有需要开展的组织生活" />
          )}
          <div className="muted" style={{ fontSize: 12, marginTop: 8 }}>
            <span className="cal-legend cal-ok">✓</span> 已开展（点击查看记录）{' '}
            <span className="cal-legend cal-miss">✗</span> 期间已结束未开展{' '}
            <span className="cal-legend cal-running">…</span> 本期进行中
          </div>
        </Card>
      ) : null}
    </div>
  );
}
