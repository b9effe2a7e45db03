/**
 * One document from above: its facts and file; my organization's copy (签收, then the report of how it
 * was carried out — kept on the device from the first keystroke until the server has it, and correctable);
 * for the issuing side, every recipient in my scope with its times and what was late.
 */
import { ArrowLeftOutlined, CheckOutlined, DownloadOutlined, SendOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Descriptions, Empty, Input, Segmented, Skeleton } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useLocation, useNavigate, useParams } from 'react-router';
import { api } from '../../app/api.ts';
import { useCan, useMe } from '../../app/auth.ts';
import { clearDraft, loadDraft, saveDraft } from '../../app/drafts.ts';
import { ErrorAlert } from '../../app/errors.tsx';
import { useFeedback } from '../../app/feedback.tsx';
import { bytesText, dateText, dateTimeText, orDash, thousands } from '../../app/format.ts';
import { useDocumentTitle, useIsMobile } from '../../app/hooks.ts';
import type { DirectiveRecipient, DirectiveView } from '../../app/types.ts';
import { Table } from '../../components/LazyTable.tsx';
import { beijingToday, MineState, useDownload } from './shared.tsx';

const SHOWN = {
  all: () => true,
  unsigned: (r: DirectiveRecipient) => !r.signedAt,
  unreported: (r: DirectiveRecipient) => !r.reportedAt,
  late: (r: DirectiveRecipient) => r.signLate || r.reportLate,
};
type Shown = keyof typeof SHOWN;
const SHOWN_OPTIONS: { value: Shown; label: string }[] = [
  { value: 'all', label: '全部' },
  { value: 'unsigned', label: '未签收' },
  { value: 'unreported', label: '未报告' },
  { value: 'late', label: '逾期' },
];

function Stat({ label, value, danger }: { label: string; value: number; danger?: boolean }) {
  return (
    <div className="stat-cell">
      <div className="stat-label">{label}</div>
      <div className={danger && value ? 'stat-value task-overdue' : 'stat-value'}>{thousands(value)}</div>
    </div>
  );
}

/**
 * A time with 逾期 in red when its day was missed; not yet: 未签收 / 未报告 (逾期未签收 in red once late).
 * `label` (签收, 报告) goes before the time where no column names it (the phone's cards).
 */
function When({ at, late, what, label }: { at: string | null; late: boolean; what: '签收' | '报告'; label?: boolean }) {
  if (!at) return <span className={late ? 'task-overdue' : 'muted'}>{late ? `逾期未${what}` : `未${what}`}</span>;
  return (
    <span>
      {label ? `${what} ` : ''}
      {dateTimeText(at)}
      {late ? <span className="task-overdue">（逾期）</span> : null}
    </span>
  );
}

export default function DirectivePage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const location = useLocation();
  const qc = useQueryClient();
  const { message } = useFeedback();
  const can = useCan();
  const isMobile = useIsMobile();
  const me = useMe().data;
  const downloadFile = useDownload();
  const key = ['directives', 'detail', id];
  const q = useQuery({ queryKey: key, queryFn: () => api.get<DirectiveView>(`/api/directives/${id}`) });
  const d = q.data;
  useDocumentTitle(d ? d.title : '上级文件');
  const [busy, setBusy] = useState<string | null>(null);
  const [actionErr, setActionErr] = useState<unknown>(null);
  const [shown, setShown] = useState<Shown>('all');
  const errRef = useRef<HTMLDivElement>(null);

  // The report: on the device from the first keystroke until the server has it.
  const draftKey = `directiveReport.${me?.id ?? 'anon'}.${id}`;
  const [report, setReport] = useState('');
  const [restored, setRestored] = useState(false);
  const [editing, setEditing] = useState(false);
  useEffect(() => {
    if (!me) return;
    const saved = loadDraft<string>(draftKey);
    setReport(saved?.values ?? '');
    setRestored(!!saved?.values);
    if (saved?.values) setEditing(true);
  }, [me, draftKey]);
  const changeReport = (text: string) => {
    setReport(text);
    if (text.trim()) saveDraft(draftKey, text);
    else clearDraft(draftKey);
  };

  const others = useMemo(() => (d?.recipients ?? []).filter((r) => r.orgId !== me?.orgId), [d, me?.orgId]);
  const rows = useMemo(() => others.filter(SHOWN[shown]), [others, shown]);

  const act = async (what: 'sign' | 'report', done: string, body?: unknown) => {
    setBusy(what);
    setActionErr(null);
    try {
      const fresh = await api.post<DirectiveView>(`/api/directives/${id}/${what}`, body);
      qc.setQueryData(key, fresh);
      void qc.invalidateQueries({ queryKey: ['directives', 'list'] });
      void qc.invalidateQueries({ queryKey: ['directives', 'lateness'] });
      message.success(done);
      return true;
    } catch (e) {
      setActionErr(e);
      setTimeout(() => errRef.current?.scrollIntoView({ behavior: 'smooth', block: 'center' }), 50);
      return false;
    } finally {
      setBusy(null);
    }
  };

  const sendReport = async (again: boolean) => {
    if (!report.trim()) {
      setActionErr(new Error('请填写贯彻落实情况'));
      return;
    }
    if (await act('report', again ? '已更正落实情况报告' : '已报告贯彻落实情况', { text: report.trim() })) {
      clearDraft(draftKey);
      setReport('');
      setRestored(false);
      setEditing(false);
    }
  };

  if (q.isLoading) return <Skeleton active />;
  if (q.error || !d) return <ErrorAlert err={q.error ?? new Error('文件不存在或不在您的管辖范围内')} />;

  const mine = d.mine;
  const works = can('lists.work');
  const back = () => (location.key !== 'default' ? navigate(-1) : navigate('/directives'));
  const big = isMobile ? ({ size: 'large', block: true } as const) : ({ size: 'large' } as const);
  const today = beijingToday();
  // Over the recipients below (my own copy is shown above, not counted here).
  const c = {
    total: others.length,
    signed: others.filter((r) => r.signedAt).length,
    reported: others.filter((r) => r.reportedAt).length,
    late: others.filter((r) => r.signLate || r.reportLate).length,
  };

  const columns: ColumnsType<DirectiveRecipient> = [
    { title: '接收单位', dataIndex: 'orgName', width: 300, ellipsis: true },
    {
      title: '签收时间',
      key: 'signed',
      width: 190,
      render: (_, r) => <When at={r.signedAt} late={r.signLate} what="签收" />,
    },
    {
      title: '报告时间',
      key: 'reported',
      width: 190,
      render: (_, r) => <When at={r.reportedAt} late={r.reportLate} what="报告" />,
    },
    {
      title: '贯彻落实情况',
      key: 'report',
      render: (_, r) =>
        r.report ? <div className="directive-report-text">{r.report}</div> : <span className="muted">—</span>,
    },
  ];

  return (
    <div className="task-assignment directive-page">
      <div className="page-head">
        <h1 style={{ display: 'flex', alignItems: 'center', gap: 4 }}>
          <Button type="text" icon={<ArrowLeftOutlined />} aria-label="返回" onClick={back} />
          <span style={{ minWidth: 0, overflowWrap: 'anywhere' }}>{d.title}</span>
        </h1>
      </div>

      <div className="task-status-line">
        {d.docNumber ? <span>{d.docNumber}</span> : null}
        <span className="muted">
          {d.issuerOrgName} {dateText(d.createdAt)} 下发
        </span>
        {mine ? <MineState r={mine} /> : null}
      </div>

      <div ref={errRef}>
        <ErrorAlert err={actionErr} style={{ marginBottom: 12 }} />
      </div>

      {mine && !mine.signedAt ? (
        <Card size="small" className="mr-card task-actions" title="签收">
          <p style={{ marginTop: 0 }}>
            {d.issuerOrgName}下发了这份文件，请阅读后于 {dateText(d.signDeadline)} 前签收
            {mine.signLate ? <span className="task-overdue">（已过签收时限，请尽快签收）</span> : null}。
          </p>
          {works ? (
            <Button
              type="primary"
              {...big}
              icon={<CheckOutlined />}
              loading={busy === 'sign'}
              onClick={() => void act('sign', '已签收')}
              data-testid="directive-sign"
            >
              签收
            </Button>
          ) : (
            <div className="muted">由本单位书记或管理员签收。</div>
          )}
        </Card>
      ) : null}

      {mine?.signedAt ? (
        <Card size="small" className="mr-card task-actions" title="贯彻落实情况" data-testid="directive-report">
          <div className="muted" style={{ marginBottom: 8 }}>
            签收于 {dateTimeText(mine.signedAt)}
            {mine.signLate ? <span className="task-overdue">（逾期签收）</span> : null}
            ；请于 {dateText(d.reportDeadline)} 前报告贯彻落实情况
            {!mine.reportedAt && d.reportDeadline < today ? (
              <span className="task-overdue">（已过报告时限）</span>
            ) : null}
            。
          </div>
          {mine.reportedAt && !editing ? (
            <>
              <div className="directive-report-text" data-testid="directive-my-report">
                {mine.report}
              </div>
              <div className="muted" style={{ margin: '6px 0 10px' }}>
                报告于 {dateTimeText(mine.reportedAt)}
                {mine.reportLate ? <span className="task-overdue">（逾期报告）</span> : null}
                ；更正不改变报告时间。
              </div>
              {works ? (
                <Button
                  {...big}
                  onClick={() => {
                    changeReport(mine.report ?? '');
                    setEditing(true);
                  }}
                >
                  更正报告
                </Button>
              ) : null}
            </>
          ) : works ? (
            <>
              {restored ? <div className="mr-hint">已恢复本机保存的未发送内容。</div> : null}
              <Input.TextArea
                value={report}
                onChange={(e) => changeReport(e.target.value)}
                autoSize={{ minRows: 4, maxRows: 14 }}
                maxLength={5000}
                showCount
                placeholder="如何传达学习、采取了哪些措施、取得什么成效"
                aria-label="贯彻落实情况"
                data-testid="directive-report-text"
              />
              <div className="task-action-row" style={{ marginTop: 12 }}>
                <Button
                  type="primary"
                  {...big}
                  icon={<SendOutlined />}
                  loading={busy === 'report'}
                  onClick={() => void sendReport(!!mine.reportedAt)}
                  data-testid="directive-report-send"
                >
                  {mine.reportedAt ? '提交更正' : '报告落实情况'}
                </Button>
                {mine.reportedAt ? (
                  <Button
                    {...big}
                    onClick={() => {
                      changeReport('');
                      setRestored(false);
                      setEditing(false);
                    }}
                  >
                    取消更正
                  </Button>
                ) : null}
              </div>
            </>
          ) : (
            <div className="muted">尚未报告。由本单位书记或管理员报告贯彻落实情况。</div>
          )}
        </Card>
      ) : null}

      <Card size="small" className="mr-card" title="文件">
        <Descriptions
          size="small"
          column={{ xs: 1, sm: 2 }}
          items={[
            { key: 'number', label: '文号', children: orDash(d.docNumber) },
            { key: 'issuer', label: '下发单位', children: d.issuerOrgName },
            { key: 'sign', label: '签收时限', children: dateText(d.signDeadline) },
            { key: 'report', label: '落实情况报告时限', children: dateText(d.reportDeadline) },
            {
              key: 'file',
              label: '文件',
              span: 2,
              children: (
                <span style={{ overflowWrap: 'anywhere' }}>
                  {d.fileName} <span className="muted">{bytesText(d.fileSize)}</span>
                </span>
              ),
            },
          ]}
        />
        {d.summary ? <div className="task-description">{d.summary}</div> : null}
        <div style={{ marginTop: 12 }}>
          <Button
            {...big}
            icon={<DownloadOutlined />}
            onClick={() => void downloadFile(`/api/directives/${d.id}/file`, d.fileName)}
            data-testid="directive-download"
          >
            下载文件
          </Button>
        </div>
      </Card>

      {others.length ? (
        <Card
          size="small"
          className="mr-card"
          title={mine ? `下级接收单位（${thousands(others.length)}）` : `接收单位（${thousands(others.length)}）`}
          extra={
            isMobile ? null : (
              <Segmented<Shown> value={shown} onChange={setShown} options={SHOWN_OPTIONS} aria-label="显示" />
            )
          }
          styles={{ body: isMobile ? { padding: 8 } : { padding: 0 } }}
          data-testid="directive-recipients"
        >
          <div className="stat-grid task-stat-grid" style={isMobile ? undefined : { padding: 12, marginBottom: 0 }}>
            <Stat label="接收单位" value={c.total} />
            <Stat label="已签收" value={c.signed} />
            <Stat label="已报告" value={c.reported} />
            <Stat label="逾期" value={c.late} danger />
          </div>
          {isMobile ? (
            <>
              <Segmented<Shown>
                block
                size="small"
                value={shown}
                onChange={setShown}
                options={SHOWN_OPTIONS}
                style={{ margin: '8px 0' }}
                aria-label="显示"
              />
              {rows.length ? (
                <div className="list-cards">
                  {rows.map((r) => (
                    <div key={r.orgId} className="list-card">
                      <div className="mc-top">
                        <b style={{ flex: 1, minWidth: 0 }}>{r.orgName}</b>
                        <MineState r={r} />
                      </div>
                      <div className="mc-line">
                        <When at={r.signedAt} late={r.signLate} what="签收" label />
                        {' · '}
                        <When at={r.reportedAt} late={r.reportLate} what="报告" label />
                      </div>
                      {r.report ? <div className="mc-line directive-report-text">{r.report}</div> : null}
                    </div>
                  ))}
                </div>
              ) : (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有符合条件的接收单位" />
              )}
            </>
          ) : (
            <Table<DirectiveRecipient>
              rowKey="orgId"
              size="middle"
              columns={columns}
              dataSource={rows}
              pagination={rows.length > 100 ? { pageSize: 100, showSizeChanger: false } : false}
              locale={{ emptyText: <Empty description="没有符合条件的接收单位" /> }}
            />
          )}
        </Card>
      ) : null}
    </div>
  );
}
