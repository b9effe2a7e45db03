/** 备份与定时任务: each scheduled job's last run, the backups on disk, and a red warning when the last good backup is old or a disk is nearly full. */
import { ReloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Empty, Progress, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { JobRunView, JobsOverview } from '../../app/types.ts';
import { api } from '../../app/api.ts';
import { ErrorAlert } from '../../app/errors.tsx';
import { bytesText, dateTimeText } from '../../app/format.ts';
import { useDocumentTitle, useIsMobile } from '../../app/hooks.ts';
import { PageSpin } from '../../components/PageSpin.tsx';

const STATUS: Record<JobRunView['status'], { text: string; color: string }> = {
  running: { text: '运行中', color: 'processing' },
  ok: { text: '成功', color: 'green' },
  failed: { text: '失败', color: 'red' },
  skipped: { text: '跳过', color: 'default' },
  interrupted: { text: '中断', color: 'orange' },
};
const TRIGGER: Record<JobRunView['trigger'], string> = { schedule: '定时', cli: '命令行' };

function duration(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} 秒`;
  return `${Math.floor(ms / 60_000)} 分 ${Math.round((ms % 60_000) / 1000)} 秒`;
}

function gigabytes(n: number): string {
  return `${(n / 1024 ** 3).toFixed(1)} GB`;
}

/** Archives reach gigabytes: bytesText stops at MB. */
function sizeText(n: number): string {
  return n >= 1024 ** 3 ? gigabytes(n) : bytesText(n);
}

function StatusTag({ run }: { run: JobRunView | null }) {
  if (!run) return <Tag>尚未运行</Tag>;
  const s = STATUS[run.status];
  return <Tag color={s.color}>{s.text}</Tag>;
}

export default function JobsPage() {
  useDocumentTitle('备份与定时任务');
  const mobile = useIsMobile();
  const q = useQuery({
    queryKey: ['system', 'jobs'],
    queryFn: () => api.get<JobsOverview>('/api/system/jobs'),
    refetchInterval: (query) => (query.state.data?.runs.some((r) => r.status === 'running') ? 10_000 : 60_000),
  });
  if (q.isLoading) return <PageSpin />;
  const d = q.data;

  const runColumns: ColumnsType<JobRunView> = [
    { title: '任务', dataIndex: 'title', key: 'title' },
    {
      title: '方式',
      dataIndex: 'trigger',
      key: 'trigger',
      width: 80,
      render: (v: JobRunView['trigger']) => TRIGGER[v],
    },
    {
      title: '开始时间',
      dataIndex: 'startedAt',
      key: 'startedAt',
      width: 150,
      render: (v: string) => <span className="nowrap">{dateTimeText(v)}</span>,
    },
    {
      title: '用时',
      dataIndex: 'durationMs',
      key: 'durationMs',
      width: 100,
      render: (v: number | null, r) => (r.status === 'running' ? '—' : duration(v)),
    },
    { title: '结果', dataIndex: 'status', key: 'status', width: 80, render: (_v, r) => <StatusTag run={r} /> },
    {
      title: '大小',
      dataIndex: 'bytes',
      key: 'bytes',
      width: 100,
      render: (v: number | null) => (v === null ? '—' : sizeText(v)),
    },
    { title: '说明', dataIndex: 'message', key: 'message', render: (v: string | null) => v ?? '—' },
  ];

  return (
    <div data-testid="jobs-page">
      <div className="page-head">
        <h1>备份与定时任务</h1>
        <div className="page-actions">
          <Button icon={<ReloadOutlined />} onClick={() => void q.refetch()} loading={q.isFetching}>
            刷新
          </Button>
        </div>
      </div>
      <ErrorAlert err={q.error} style={{ marginBottom: 12 }} />
      {d?.warnings.map((w) => (
        <Alert key={w} type="error" showIcon title={w} style={{ marginBottom: 12 }} data-testid="jobs-warning" />
      ))}
      {d ? (
        <>
          <Card size="small" title="定时任务" style={{ marginBottom: 12 }}>
            {d.jobs.map((j) => (
              <div key={j.name} className="mobile-row" data-testid={`job-${j.name}`}>
                <div className="mobile-row-top" style={{ flexWrap: 'wrap' }}>
                  <b>{j.title}</b>
                  <span className="muted">每日 {j.at}</span>
                  <StatusTag run={j.lastRun} />
                  <span style={{ flex: 1 }} />
                  <span className="muted" style={{ fontSize: 13 }}>
                    {j.lastRun
                      ? `最近运行：${dateTimeText(j.lastRun.startedAt)}，用时 ${duration(j.lastRun.durationMs)}`
                      : '尚未运行'}
                    {j.lastOkAt && j.lastRun?.status !== 'ok' ? `；最近成功：${dateTimeText(j.lastOkAt)}` : ''}
                  </span>
                </div>
                {j.lastRun?.message ? <div style={{ fontSize: 13, marginTop: 4 }}>{j.lastRun.message}</div> : null}
              </div>
            ))}
          </Card>
          <Card size="small" title="备份" style={{ marginBottom: 12 }}>
            <p style={{ marginTop: 0 }}>
              最近一次成功备份：
              {d.backup.lastGood
                ? `${dateTimeText(d.backup.lastGood.at)}${d.backup.lastGood.bytes !== null ? `（${sizeText(d.backup.lastGood.bytes)}）` : ''}`
                : '尚无'}
              <br />
              <span className="muted">
                备份目录：<span className="mono">{d.backup.dir}</span>；保留最近 {d.backup.keepDaily} 天每天一份、最近{' '}
                {d.backup.keepWeekly} 周每周一份（及它们所依赖的完整备份）。备份不含密钥文件 keys.json，请另行妥善保存。
              </span>
            </p>
            {d.backup.disks.map((disk) => {
              const used = disk.totalBytes
                ? Math.round(((disk.totalBytes - disk.freeBytes) / disk.totalBytes) * 100)
                : 0;
              return (
                <div key={disk.label} style={{ marginBottom: 8 }}>
                  <div style={{ fontSize: 13 }}>
                    {disk.label}所在磁盘：剩余 {gigabytes(disk.freeBytes)}，共 {gigabytes(disk.totalBytes)}
                  </div>
                  <Progress
                    percent={used}
                    size="small"
                    status={disk.totalBytes && disk.freeBytes / disk.totalBytes < 0.1 ? 'exception' : 'normal'}
                  />
                </div>
              );
            })}
            {d.backup.archives.length ? (
              <Table
                size="small"
                rowKey="file"
                pagination={false}
                scroll={{ x: mobile ? 560 : undefined }}
                dataSource={d.backup.archives}
                columns={[
                  {
                    title: '备份文件',
                    dataIndex: 'file',
                    key: 'file',
                    render: (v: string) => <span className="mono">{v}</span>,
                  },
                  {
                    title: '类型',
                    dataIndex: 'kind',
                    key: 'kind',
                    width: 80,
                    render: (v: string) => (v === 'full' ? '完整' : '增量'),
                  },
                  {
                    title: '时间',
                    dataIndex: 'at',
                    key: 'at',
                    width: 150,
                    render: (v: string) => <span className="nowrap">{dateTimeText(v)}</span>,
                  },
                  { title: '大小', dataIndex: 'bytes', key: 'bytes', width: 100, render: (v: number) => sizeText(v) },
                  {
                    title: '基础备份',
                    dataIndex: 'base',
                    key: 'base',
                    render: (v: string | null) => (v ? <span className="mono">{v}</span> : '—'),
                  },
                ]}
              />
            ) : (
              <Empty description="备份目录中还没有每日备份" />
            )}
          </Card>
          <Card size="small" title="运行记录">
            <Table
              size="small"
              rowKey="id"
              pagination={false}
              scroll={{ x: mobile ? 720 : undefined }}
              dataSource={d.runs}
              columns={runColumns}
              locale={{ emptyText: '还没有运行记录' }}
            />
          </Card>
        </>
      ) : null}
    </div>
  );
}
