/**
 * 汇报情况 (定期汇报, FS-4): for a chosen kind and period, every person posted in the user's scope then,
 * with where the report stands — 已提交, 逾期提交 (how many days), 未到期, 逾期未交, 不要求 (and why) —
 * the due date the county set, and counts; a name opens the person's page with the reports and comments.
 */
import { ArrowLeftOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Radio, Select, Skeleton, Table } from 'antd';
import { Link, useNavigate, useSearchParams } from 'react-router';
import type { z } from 'zod';
import type { reportStatusView } from '../../../../contract/firstsec-reports.ts';
import { shanghaiDate, shanghaiMinute } from '../../../../contract/calendar.ts';
import {
  FS_REPORT_KIND_LABELS,
  FS_REPORT_KINDS,
  FS_REPORT_STATE_LABELS,
  FS_REPORT_STATES,
  FS_REPORT_WORDS,
  FS_ROLE_LABELS,
  type FsReportKind,
  type FsReportState,
} from '../../../../contract/labels.ts';
import { api } from '../../app/api.ts';
import { ErrorAlert } from '../../app/errors.tsx';
import { dateText } from '../../app/format.ts';
import { useDocumentTitle, useIsMobile } from '../../app/hooks.ts';
import { lastPeriod, periodsFor } from './report-shared.tsx';

type Status = z.infer<typeof reportStatusView>;
type Item = Status['items'][number];

const STATE_COLOR: Record<FsReportState, string> = {
  filed: 'green',
  late: 'gold',
  notDue: 'blue',
  overdue: 'red',
  notRequired: 'grey',
};

function StateMark({ i }: { i: Item }) {
  return (
    <span className={`mc-tag mc-tag-${STATE_COLOR[i.state]}`}>
      {i.state === 'late' ? `逾期 ${i.lateDays} 天提交` : FS_REPORT_STATE_LABELS[i.state]}
    </span>
  );
}

export default function ReportStatusPage() {
  useDocumentTitle('汇报情况');
  const navigate = useNavigate();
  const isMobile = useIsMobile();
  const [params, setParams] = useSearchParams();
  const today = shanghaiDate(new Date());
  const kind = (FS_REPORT_KINDS as readonly string[]).includes(params.get('kind') ?? '')
    ? (params.get('kind') as FsReportKind)
    : 'monthly';
  const options = periodsFor(kind, today);
  const period = options.some((o) => o.value === params.get('period'))
    ? (params.get('period') as string)
    : lastPeriod(kind, today);
  const set = (k: FsReportKind, p: string) => setParams({ kind: k, period: p }, { replace: true });
  const q = useQuery({
    queryKey: ['firstsec', 'reportStatus', kind, period],
    queryFn: ({ signal }) => api.get<Status>('/api/first-secretaries/reports/status', { kind, period }, signal),
    placeholderData: keepPreviousData,
  });
  const s = q.data;
  const who = (i: Item) => (
    <Link to={`/first-secretaries/${i.fsId}`}>
      {i.name}
      <span className="muted">（{FS_ROLE_LABELS[i.role]}）</span>
    </Link>
  );
  const when = (i: Item) => (i.madeAt ? shanghaiMinute(i.madeAt) : (i.note ?? ''));

  return (
    <div>
      <div className="page-head">
        <h1>
          <Button
            type="text"
            icon={<ArrowLeftOutlined />}
            onClick={() => navigate('/first-secretaries')}
            aria-label="返回名册"
          />
          汇报情况
        </h1>
      </div>
      <div className="fs-report-choose" style={{ marginBottom: 12 }}>
        <Radio.Group
          value={kind}
          optionType="button"
          buttonStyle="solid"
          onChange={(e) => set(e.target.value, lastPeriod(e.target.value, today))}
          options={FS_REPORT_KINDS.map((k) => ({ value: k, label: FS_REPORT_KIND_LABELS[k] }))}
        />
        <Select
          value={period}
          options={options}
          onChange={(p) => set(kind, p)}
          style={{ minWidth: 150 }}
          data-testid="status-period"
        />
      </div>
      {q.error ? <ErrorAlert err={q.error} /> : null}
      {!s ? (
        <Skeleton active />
      ) : (
        <>
          <div className="fs-sentence" style={{ marginBottom: 12 }} data-testid="status-summary">
            {s.periodLabel}
            {FS_REPORT_WORDS[s.kind]}
            {s.dueOn ? `应于 ${dateText(s.dueOn)} 前提交：` : '：县里未要求此类汇报。'}
            {s.dueOn
              ? FS_REPORT_STATES.filter((x) => s.counts[x])
                  .map((x) => `${FS_REPORT_STATE_LABELS[x]} ${s.counts[x]} 人`)
                  .join('，') || '管辖范围内没有驻村干部'
              : ''}
          </div>
          {isMobile ? (
            <div className="fs-rows">
              {s.items.map((i) => (
                <div key={i.fsId} className="fs-row" data-testid="status-row">
                  <div className="mc-top">
                    <b style={{ flex: 1, minWidth: 0 }}>{who(i)}</b>
                    <StateMark i={i} />
                  </div>
                  <div className="muted">
                    {i.townshipName ? `${i.townshipName} · ` : ''}
                    {i.orgName}
                  </div>
                  {when(i) ? <div className="muted">{i.madeAt ? `${when(i)} 填写` : when(i)}</div> : null}
                </div>
              ))}
              {!s.items.length ? <div className="muted fs-empty">管辖范围内没有驻村干部</div> : null}
            </div>
          ) : (
            <Table<Item>
              rowKey="fsId"
              size="middle"
              dataSource={s.items}
              pagination={s.items.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
              loading={q.isFetching && !!q.data}
              locale={{ emptyText: '管辖范围内没有驻村干部' }}
              columns={[
                { title: '姓名', key: 'name', render: (_, i) => who(i) },
                { title: '乡镇（街道）', dataIndex: 'townshipName', render: (v: string | null) => v ?? '' },
                { title: '驻村（驻点）组织', dataIndex: 'orgName' },
                { title: '情况', key: 'state', render: (_, i) => <StateMark i={i} /> },
                { title: '填写时间 / 说明', key: 'when', render: (_, i) => <span className="muted">{when(i)}</span> },
              ]}
            />
          )}
        </>
      )}
    </div>
  );
}
