/** 统计分析: the internal statistics report's tables for any organization's subtree, each with a chart and an xlsx export. */
import { DownloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Col, Empty, Flex, Row, Skeleton, Space, Table } from 'antd';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import type { StatsResult } from '../app/types.ts';
import { api, download } from '../app/api.ts';
import { ErrorAlert } from '../app/errors.tsx';
import { useDocumentTitle, useIsMobile } from '../app/hooks.ts';
import { type ChartOption, EChart } from '../components/EChart.tsx';
import { OrgSelect } from '../components/OrgSelect.tsx';
import { thousands } from '../app/format.ts';
import { useFeedback } from '../app/feedback.tsx';

type StatTable = StatsResult['tables'][number];
type StatRow = StatTable['rows'][number];

const PALETTE = [
  '#c8161d',
  '#e8693a',
  '#f2a541',
  '#5b8ff9',
  '#61ddaa',
  '#7262fd',
  '#78d3f8',
  '#9661bc',
  '#f6903d',
  '#008685',
  '#f08bb4',
  '#65789b',
];
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** Few categories read best as a ring, ordered bands (age, periods, education) as bars. */
function chartFor(t: StatTable, mobile: boolean): ChartOption {
  const rows = t.rows.filter((r) => r.count > 0);
  if (['standing', 'sex'].includes(t.table)) {
    return {
      color: PALETTE,
      tooltip: { trigger: 'item', formatter: '{b}：{c} 人（{d}%）' },
      legend: { bottom: 0, type: 'scroll' },
      series: [
        {
          type: 'pie',
          radius: ['40%', '68%'],
          center: ['50%', '45%'],
          label: { formatter: '{b}\n{d}%' },
          data: rows.map((r) => ({ name: r.label, value: r.count })),
        },
      ],
    };
  }
  // Many small categories (minorities, fields) crowd a ring's labels: bars, largest first where order carries no meaning.
  const all =
    t.table === 'ethnicity' || t.table === 'field'
      ? [...rows].sort((a, b) => b.count - a.count)
      : t.table === 'education'
        ? rows
        : t.rows;
  return {
    color: PALETTE,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: unknown) => `${v} 人` },
    grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
    xAxis: mobile
      ? { type: 'value' }
      : {
          type: 'category',
          data: all.map((r) => r.label),
          axisLabel: { interval: 0, rotate: all.length > 6 ? 30 : 0 },
        },
    yAxis: mobile ? { type: 'category', data: all.map((r) => r.label), inverse: true } : { type: 'value' },
    series: [
      {
        type: 'bar',
        data: all.map((r) => r.count),
        barMaxWidth: 36,
        label: { show: true, position: mobile ? 'right' : 'top' },
      },
    ],
  };
}

function StatsTable({ t, total, orgId }: { t: StatTable; total: number; orgId: string }) {
  const mobile = useIsMobile();
  const { message } = useFeedback();
  const [busy, setBusy] = useState(false);
  const option = useMemo(() => chartFor(t, mobile), [t, mobile]);
  const exportOne = async () => {
    setBusy(true);
    try {
      const name = await download('/api/stats/export', { orgId, table: t.table }, `${t.title}.xlsx`);
      message.success(`已导出：${name}`);
    } catch (e) {
      message.error(e instanceof Error ? e.message : '导出失败');
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card
      size="small"
      title={t.title}
      extra={
        <Button
          size="small"
          icon={<DownloadOutlined />}
          loading={busy}
          onClick={() => void exportOne()}
          data-testid={`stats-export-${t.table}`}
        >
          导出
        </Button>
      }
      data-testid={`stats-${t.table}`}
    >
      <Row gutter={[16, 8]}>
        <Col xs={24} lg={12}>
          {total ? (
            <EChart
              option={option}
              ariaLabel={`${t.title}统计图`}
              height={mobile ? Math.max(200, t.rows.length * 28) : 260}
            />
          ) : (
            <Empty description="没有党员" />
          )}
        </Col>
        <Col xs={24} lg={12}>
          <Table<StatRow>
            size="small"
            rowKey="key"
            pagination={false}
            dataSource={t.rows}
            columns={[
              { title: '项目', dataIndex: 'label' },
              { title: '人数', dataIndex: 'count', align: 'right', width: 90, render: (v: number) => thousands(v) },
              { title: '占比', dataIndex: 'share', align: 'right', width: 80, render: pct },
            ]}
            summary={() => (
              <Table.Summary.Row>
                <Table.Summary.Cell index={0}>
                  <b>合计</b>
                </Table.Summary.Cell>
                <Table.Summary.Cell index={1} align="right">
                  <b>{thousands(total)}</b>
                </Table.Summary.Cell>
                <Table.Summary.Cell index={2} align="right">
                  {total ? '100.0%' : '—'}
                </Table.Summary.Cell>
              </Table.Summary.Row>
            )}
          />
        </Col>
      </Row>
    </Card>
  );
}

export default function StatsPage() {
  useDocumentTitle('统计分析');
  const [params, setParams] = useSearchParams();
  const orgId = params.get('orgId') ?? undefined;
  const { message } = useFeedback();
  const [busy, setBusy] = useState(false);
  const q = useQuery({
    queryKey: ['stats', orgId ?? 'root'],
    queryFn: ({ signal }) => api.get<StatsResult>('/api/stats', orgId ? { orgId } : {}, signal),
  });
  const exportAll = async () => {
    if (!q.data) return;
    setBusy(true);
    try {
      const name = await download('/api/stats/export', { orgId: q.data.orgId }, '党员统计.xlsx');
      message.success(`已导出：${name}`);
    } catch (e) {
      message.error(e instanceof Error ? e.message : '导出失败');
    } finally {
      setBusy(false);
    }
  };
  return (
    <div>
      <div className="page-head">
        <h1>统计分析</h1>
      </div>
      <Card size="small" style={{ marginBottom: 12 }}>
        <Space wrap style={{ width: '100%' }}>
          <OrgSelect
            value={orgId ?? q.data?.orgId}
            onChange={(id) => setParams(id ? { orgId: id } : {}, { replace: true })}
            placeholder="选择党组织（含下级）"
            style={{ minWidth: 320, maxWidth: '100%' }}
            aria-label="统计范围"
            data-testid="stats-org"
          />
          <Button
            type="primary"
            icon={<DownloadOutlined />}
            loading={busy}
            disabled={!q.data}
            onClick={() => void exportAll()}
            data-testid="stats-export-all"
          >
            导出全部统计表
          </Button>
        </Space>
        {q.data ? (
          <div className="muted" style={{ marginTop: 8 }} data-testid="stats-summary">
            {q.data.orgName}及下级党组织，截至 {q.data.asOf}，共有党员 <b>{thousands(q.data.total)}</b> 名
          </div>
        ) : null}
      </Card>
      <ErrorAlert err={q.error} style={{ marginBottom: 12 }} />
      {q.isLoading ? <Skeleton active /> : null}
      {q.data ? (
        <Flex vertical gap={12}>
          {q.data.tables.map((t) => (
            <StatsTable key={t.table} t={t} total={q.data.total} orgId={q.data.orgId} />
          ))}
        </Flex>
      ) : null}
    </div>
  );
}
