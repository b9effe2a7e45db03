/**
 * 合规情况: how the organizations under one committee keep up a meeting kind month by month: a heat
 * map (rate as colour), the trend of each kind, and the table; a cell lists the organizations
 * missing it; an organization with children drills down (county → township → branch).
 */
import { useQueries, useQuery } from '@tanstack/react-query';
import { Breadcrumb, Card, Col, Empty, List, Modal, Row, Segmented, Select, Skeleton, Table } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api } from '../../app/api.ts';
import { useMe } from '../../app/auth.ts';
import { ErrorAlert } from '../../app/errors.tsx';
import { useDocumentTitle, useIsMobile } from '../../app/hooks.ts';
import type { ComplianceMissingView, OrgDetail } from '../../app/types.ts';
import { type ChartOption, EChart } from '../../components/EChart.tsx';
import { shanghaiDate } from '../../../../contract/calendar.ts';
import { periodProgress } from '../../../../contract/periods.ts';
import { kindLabel } from '../meetings/shared.tsx';
import { shortNames } from './org-short.ts';
import { type ComplianceView, thisYear } from './shared.ts';

const KINDS = ['committeeMeeting', 'themedDay', 'groupMeeting', 'branchMeeting', 'partyLecture'] as const;
const TREND_COLORS = ['#c8161d', '#f2a541', '#5b8ff9', '#61ddaa', '#7262fd'];
/** A running month or quarter: its own neutral colour, never the red–green scale of an ended one. */
const RUNNING_FILL = '#dfe7f1';
const RUNNING_TEXT = '#1f5fa8';

type Progress = ReturnType<typeof periodProgress>;
/** Each period of the view: over, running (with its days left) or not begun, by today's date in Beijing. */
function progressOf(data: ComplianceView | undefined): Progress[] {
  const today = shanghaiDate(new Date());
  return (data?.periods ?? []).map((p) => periodProgress(p.period, today));
}

type Cell = ComplianceView['total'][number];
/** A cell's rate (met ÷ required, 0–1) as a percent with one decimal. */
const pct = (c: Cell | undefined): number | null => (c && c.rate !== null ? Math.round(c.rate * 1000) / 10 : null);

function MissingModal({
  target,
  kind,
  onClose,
}: {
  target: { orgId: string; orgName: string; period: string; periodLabel: string } | null;
  kind: string;
  onClose: () => void;
}) {
  const q = useQuery({
    queryKey: ['compliance', 'missing', target?.orgId, kind, target?.period],
    enabled: !!target,
    queryFn: () =>
      api
        .get<ComplianceMissingView>('/api/compliance/missing', { orgId: target?.orgId, kind, period: target?.period })
        .then((r) => r.items),
  });
  return (
    <Modal
      open={!!target}
      onCancel={onClose}
      footer={null}
      title={target ? `${target.orgName} · ${target.periodLabel} 未开展${kindLabel(kind)}的组织` : ''}
      destroyOnHidden
    >
      <ErrorAlert err={q.error} />
      {q.isLoading ? <Skeleton active /> : null}
      {q.data ? (
        q.data.length ? (
          <List
            size="small"
            data-testid="compliance-missing"
            dataSource={q.data}
            renderItem={(o) => (
              <List.Item
                actions={[
                  <Link key="cal" to={`/problems/calendar/${o.orgId}`}>
                    组织生活日历
                  </Link>,
                ]}
              >
                <Link to={`/orgs/${o.orgId}`}>{o.orgName}</Link>
              </List.Item>
            )}
          />
        ) : (
          <Empty description="没有缺少的组织" />
        )
      ) : null}
    </Modal>
  );
}

export default function CompliancePage() {
  useDocumentTitle('合规情况');
  const [params, setParams] = useSearchParams();
  const me = useMe().data;
  const isMobile = useIsMobile();
  const orgId = params.get('orgId') ?? undefined;
  const kind = params.get('kind') ?? 'committeeMeeting';
  const year = Number(params.get('year')) || thisYear();
  const quarter = Number(params.get('quarter')) || undefined;
  const [missing, setMissing] = useState<{
    orgId: string;
    orgName: string;
    period: string;
    periodLabel: string;
  } | null>(null);
  const set = (patch: Record<string, string | undefined>) =>
    setParams((cur) => {
      const n = new URLSearchParams(cur);
      for (const [k, v] of Object.entries(patch)) {
        if (v) n.set(k, v);
        else n.delete(k);
      }
      return n;
    });

  const q = useQuery({
    queryKey: ['compliance', orgId ?? 'own', kind, year, quarter],
    queryFn: ({ signal }) => api.get<ComplianceView>('/api/compliance', { orgId, kind, year, quarter }, signal),
  });
  const trend = useQueries({
    queries: KINDS.map((k) => ({
      queryKey: ['compliance', orgId ?? 'own', k, year, quarter],
      queryFn: () => api.get<ComplianceView>('/api/compliance', { orgId, kind: k, year, quarter }),
      staleTime: 60_000,
    })),
  });
  const here = q.data?.orgId ?? orgId ?? me?.orgId;
  const org = useQuery({
    queryKey: ['orgs', 'detail', here],
    enabled: !!here,
    queryFn: () => api.get<OrgDetail>(`/api/orgs/${here}`),
  });
  const data = q.data;
  const progress = useMemo(() => progressOf(data), [data]);
  /** The table's period columns: on a phone the newest first, beside the names (the running month without scrolling). */
  const order = useMemo(() => {
    const all = (data?.periods ?? []).map((_, j) => j);
    return isMobile ? all.reverse() : all;
  }, [data, isMobile]);
  const short = useMemo(() => {
    const rows = data?.rows ?? [];
    const names = shortNames(
      rows.map((r) => r.orgName),
      data?.orgName,
    );
    return new Map(rows.map((r, i) => [r.orgId, names[i]]));
  }, [data]);

  const heat: ChartOption | null = useMemo(() => {
    if (!data?.rows.length) return null;
    // Axis labels without what every name shares (中共兰考县…) and without the kind, so a phone shows the part that tells them apart.
    const names = shortNames(
      data.rows.map((r) => r.orgName),
      data.orgName,
    );
    // A running period is drawn apart (series 1, its own colour): a month a third through is not a failure.
    const points: (number | string | null)[][] = [];
    const runningPoints: (number | string | null)[][] = [];
    data.rows.forEach((r, y) => {
      r.cells.forEach((c, x) => {
        const v = pct(c);
        (progress[x]?.state === 'running' ? runningPoints : points).push([x, y, v === null ? '-' : v]);
      });
    });
    return {
      tooltip: {
        formatter: (p: { data: [number, number, number | string] }) => {
          const r = data.rows[p.data[1]];
          const c = r?.cells[p.data[0]];
          const per = data.periods[p.data[0]];
          if (!r || !c || !per) return '';
          const run = progress[p.data[0]];
          if (run?.state === 'running')
            return `${r.orgName}<br/>${per.label}进行中，还剩 ${run.daysLeft} 天<br/>${c.required ? `已开展 ${c.met}/${c.required}（${pct(c)}%）` : '无要求'}`;
          return `${r.orgName}<br/>${per.label}：${c.required ? `${pct(c)}%（${c.met}/${c.required}）` : '无要求'}`;
        },
      },
      grid: { left: 8, right: 8, top: 8, bottom: 56, containLabel: true },
      xAxis: {
        type: 'category',
        data: data.periods.map(
          (p, j) => `${p.label.replace(/^\d{4}年/, '')}${progress[j]?.state === 'running' ? '\n进行中' : ''}`,
        ),
        splitArea: { show: true },
        // Every month on a desktop, so the running one's 进行中 shows.
        axisLabel: { interval: isMobile ? 'auto' : 0 },
      },
      yAxis: {
        type: 'category',
        data: names,
        inverse: true,
        axisLabel: { width: isMobile ? 84 : 160, overflow: 'truncate' },
      },
      visualMap: {
        seriesIndex: 0,
        min: 0,
        max: 100,
        calculable: false,
        itemHeight: 120,
        orient: 'horizontal',
        left: 'center',
        bottom: 0,
        text: ['100%', '0%'],
        inRange: { color: ['#cf1322', '#fa8c16', '#fadb14', '#95de64', '#389e0d'] },
      },
      series: [
        {
          type: 'heatmap',
          data: points,
          label: {
            show: !isMobile && data.periods.length <= 12,
            formatter: (p: { data: unknown[] }) => (typeof p.data[2] === 'number' ? `${Math.round(p.data[2])}` : ''),
          },
          emphasis: { itemStyle: { borderColor: '#333', borderWidth: 1 } },
        },
        {
          type: 'heatmap',
          name: '进行中',
          data: runningPoints,
          itemStyle: { color: RUNNING_FILL },
          label: {
            show: !isMobile,
            color: RUNNING_TEXT,
            formatter: (p: { data: unknown[] }) => (typeof p.data[2] === 'number' ? `${Math.round(p.data[2])}` : ''),
          },
          emphasis: { itemStyle: { borderColor: '#333', borderWidth: 1 } },
        },
      ],
    };
  }, [data, isMobile, progress]);

  const trendOption: ChartOption | null = useMemo(() => {
    const monthly = trend.map((t) => t.data).filter((d): d is ComplianceView => !!d);
    if (!monthly.length) return null;
    const thisMonth = shanghaiDate(new Date()).slice(0, 7);
    const months = Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`).filter(
      (m) => !quarter || Math.ceil(Number(m.slice(5)) / 3) === quarter,
    );
    const series = monthly.map((d, i) => {
      const byMonth = new Map<string, number | null>();
      d.periods.forEach((p, j) => {
        const v = pct(d.total[j]);
        // A quarter's value sits on its last month.
        const m = /^(\d{4})-Q([1-4])$/.exec(p.period);
        // A running period is left out: its share so far is not a fall.
        byMonth.set(m ? `${m[1]}-${String(Number(m[2]) * 3).padStart(2, '0')}` : p.period, p.ended ? v : null);
      });
      return {
        type: 'line',
        name: kindLabel(d.kind),
        connectNulls: true,
        color: TREND_COLORS[i % TREND_COLORS.length],
        data: months.map((m) => byMonth.get(m) ?? null),
      };
    });
    return {
      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (typeof v === 'number' ? `${v}%` : '—') },
      legend: { bottom: 0, type: 'scroll' },
      grid: { left: 8, right: 16, top: 16, bottom: 40, containLabel: true },
      xAxis: {
        type: 'category',
        data: months.map((m) => `${Number(m.slice(5))}月${m === thisMonth ? '\n进行中' : ''}`),
      },
      yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
      series,
    };
  }, [trend, year, quarter]);

  const columns: ColumnsType<ComplianceView['rows'][number]> = [
    {
      title: '党组织',
      dataIndex: 'orgName',
      fixed: 'left',
      width: isMobile ? 120 : 180,
      render: (n: string, r) =>
        r.hasChildren ? (
          <button
            type="button"
            className="link-button"
            onClick={() => set({ orgId: r.orgId })}
            title={`${n}：查看下级组织`}
            data-testid="compliance-drill"
          >
            {short.get(r.orgId) ?? n} ›
          </button>
        ) : (
          <Link to={`/problems/calendar/${r.orgId}`} title={`${n}：组织生活日历`}>
            {short.get(r.orgId) ?? n}
          </Link>
        ),
    },
    ...order
      .map((j) => ({ p: (data as ComplianceView).periods[j], j }))
      .map(({ p, j }) => ({
        title:
          progress[j]?.state === 'running' ? (
            <span style={{ color: RUNNING_TEXT }}>
              {p.label.replace(/^\d{4}年/, '')}
              <div style={{ fontSize: 11, fontWeight: 'normal', whiteSpace: 'nowrap' }}>进行中</div>
              <div style={{ fontSize: 11, fontWeight: 'normal', whiteSpace: 'nowrap' }}>
                剩 {progress[j].daysLeft} 天
              </div>
            </span>
          ) : (
            p.label.replace(/^\d{4}年/, '')
          ),
        key: p.period,
        width: 84,
        align: 'center' as const,
        render: (_: unknown, r: ComplianceView['rows'][number]) => {
          const c = r.cells[j];
          // Organizations since dissolved or merged are counted apart, in no rate.
          const closed = c?.closed ? (
            <div className="muted" style={{ fontSize: 11 }} title="已撤销或合并的组织，不计入比率">
              另 {c.closed} 个已撤并
            </div>
          ) : null;
          if (!c?.required) return c?.closed ? closed : <span className="muted">—</span>;
          const v = pct(c) ?? 0;
          const running = progress[j]?.state === 'running';
          const color = running ? RUNNING_TEXT : v >= 100 ? '#389e0d' : v >= 60 ? '#d48806' : '#cf1322';
          return c.missing > 0 ? (
            <button
              type="button"
              className="link-button"
              style={{ color }}
              onClick={() => setMissing({ orgId: r.orgId, orgName: r.orgName, period: p.period, periodLabel: p.label })}
              title={running ? '查看尚未开展的组织' : '查看缺少的组织'}
            >
              {v}%
              <div className="muted" style={{ fontSize: 11 }}>
                {c.met}/{c.required}
              </div>
              {closed}
            </button>
          ) : (
            <span style={{ color }}>
              {v}%
              <div className="muted" style={{ fontSize: 11 }}>
                {c.met}/{c.required}
              </div>
              {closed}
            </span>
          );
        },
      })),
  ];

  const crumbs = org.data
    ? [...org.data.path.filter((p) => p.id !== org.data?.id), { id: org.data.id, name: org.data.name }]
    : [];

  return (
    <div>
      <div className="page-head">
        <h1>合规情况</h1>
      </div>
      <Card size="small" style={{ marginBottom: 12 }}>
        <div className="filter-bar">
          {isMobile ? (
            <Select
              value={kind}
              onChange={(v: string) => set({ kind: v })}
              options={KINDS.map((k) => ({ value: k, label: kindLabel(k) }))}
              style={{ width: '100%' }}
              aria-label="会议类型"
              data-testid="compliance-kind"
            />
          ) : (
            <Segmented
              value={kind}
              onChange={(v) => set({ kind: String(v) })}
              options={KINDS.map((k) => ({ value: k, label: kindLabel(k) }))}
              data-testid="compliance-kind"
            />
          )}
          <Select
            value={year}
            onChange={(y: number) => set({ year: String(y) })}
            options={[0, 1, 2].map((d) => ({ value: thisYear() - d, label: `${thisYear() - d} 年` }))}
            style={{ width: 110 }}
            aria-label="年度"
          />
          <Select
            value={quarter ?? 0}
            onChange={(v: number) => set({ quarter: v ? String(v) : undefined })}
            options={[
              { value: 0, label: '全年' },
              ...[1, 2, 3, 4].map((n) => ({ value: n, label: `第${'一二三四'[n - 1]}季度` })),
            ]}
            style={{ width: 120 }}
            aria-label="季度"
          />
        </div>
        {crumbs.length ? (
          <Breadcrumb
            style={{ marginTop: 10 }}
            items={crumbs.map((c, i) => ({
              key: c.id,
              title:
                i === crumbs.length - 1 ? (
                  <b>{c.name}</b>
                ) : (
                  <button type="button" className="link-button" onClick={() => set({ orgId: c.id })}>
                    {c.name}
                  </button>
                ),
            }))}
          />
        ) : null}
      </Card>
      <ErrorAlert err={q.error} style={{ marginBottom: 12 }} />
      {q.isLoading ? <Skeleton active /> : null}
      {data ? (
        <>
          {data.total.length ? (
            <div className="muted" style={{ marginBottom: 8 }} data-testid="compliance-summary">
              {data.orgName}下属组织{kindLabel(data.kind)}：
              {data.periods
                .map((p, j) => ({ p, c: data.total[j] }))
                .filter(({ c }) => (c?.required ?? 0) > 0)
                .slice(-1)
                .map(
                  ({ p, c }) =>
                    `${p.label}${p.ended ? '' : '（进行中）'}已开展 ${c?.met ?? 0}/${c?.required ?? 0}，还缺 ${c?.missing ?? 0} 个`,
                )
                .join('')}
            </div>
          ) : null}
          <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
            <Col xs={24} xl={14}>
              <Card
                size="small"
                title={`${kindLabel(data.kind)}完成率（${data.periods[0]?.period.includes('Q') ? '按季度' : '按月'}）`}
              >
                {heat ? (
                  <EChart
                    option={heat}
                    height={Math.max(240, Math.min(data.rows.length, 40) * 26 + 90)}
                    ariaLabel="下属组织按月完成率热力图"
                    onClick={(e) => {
                      const d = e.value as [number, number, number | string];
                      const r = data.rows[d[1]];
                      const per = data.periods[d[0]];
                      if (r && per && (r.cells[d[0]]?.missing ?? 0) > 0)
                        setMissing({ orgId: r.orgId, orgName: r.orgName, period: per.period, periodLabel: per.label });
                    }}
                  />
                ) : (
                  <Empty description="没有下级组织" />
                )}
              </Card>
            </Col>
            <Col xs={24} xl={10}>
              <Card size="small" title="各类会议完成率走势" extra={<span className="muted">进行中的月份不计入</span>}>
                {trendOption ? (
                  <EChart option={trendOption} height={300} ariaLabel="各类会议完成率走势图" />
                ) : (
                  <Skeleton active />
                )}
              </Card>
            </Col>
          </Row>
          <Card size="small" styles={{ body: { padding: 0 } }}>
            <Table
              rowKey="orgId"
              size="small"
              pagination={data.rows.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
              columns={columns}
              dataSource={data.rows}
              scroll={{ x: 'max-content' }}
              data-testid="compliance-table"
              summary={() => (
                <Table.Summary.Row>
                  <Table.Summary.Cell index={0}>
                    <b>合计</b>
                  </Table.Summary.Cell>
                  {order
                    .map((j, at) => ({ c: data.total[j], j, at }))
                    .map(({ c, j, at }) => (
                      <Table.Summary.Cell key={data.periods[j]?.period ?? j} index={at + 1} align="center">
                        <span data-testid={`compliance-total-${data.periods[j]?.period}`}>
                          {c.required ? (
                            <b style={progress[j]?.state === 'running' ? { color: RUNNING_TEXT } : undefined}>
                              {pct(c)}%
                              <div className="muted" style={{ fontSize: 11, fontWeight: 'normal' }}>
                                {c.met}/{c.required}
                              </div>
                            </b>
                          ) : (
                            '—'
                          )}
                        </span>
                      </Table.Summary.Cell>
                    ))}
                </Table.Summary.Row>
              )}
            />
          </Card>
          <div className="muted" style={{ fontSize: 12, marginTop: 8 }}>
            点击百分比查看缺少的组织；点击带 › 的组织查看其下级。
            <span style={{ color: RUNNING_TEXT }}>蓝色</span>
            为进行中的月份或季度：显示到今天为止的完成比例，不计入走势。
          </div>
        </>
      ) : null}
      <MissingModal target={missing} kind={kind} onClose={() => setMissing(null)} />
    </div>
  );
}
