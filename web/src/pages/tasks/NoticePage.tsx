/**
 * One supervision notice, laid out as its Word document reads (一、督查情况 … 五、通报的单位), with the
 * organizations named and their signatures; 下载 Word, 发布 (a draft, after review) and 签收 (a named
 * organization, once published).
 */
import { ArrowLeftOutlined, CheckOutlined, DownloadOutlined, SendOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Empty, Segmented, Skeleton } from 'antd';
import { useRef, useState } from 'react';
import { useLocation, useNavigate, useParams } from 'react-router';
import { NOTICE_STATUS_LABELS } from '../../../../contract/labels.ts';
import { shanghaiDate } from '../../../../contract/periods.ts';
import { api } from '../../app/api.ts';
import { ErrorAlert } from '../../app/errors.tsx';
import { useFeedback } from '../../app/feedback.tsx';
import { dateTimeText, thousands } from '../../app/format.ts';
import { useDocumentTitle, useIsMobile } from '../../app/hooks.ts';
import type { NoticeContent, NoticeView } from '../../app/types.ts';
import { Mark, percentText, useDownload, zhDate } from './shared.tsx';

/** 三、排名: a table on a desktop, one line per organization on a phone. */
function Ranking({ rows }: { rows: NoticeContent['ranking'] }) {
  const isMobile = useIsMobile();
  if (!rows.length) return <p>无下级单位。</p>;
  if (isMobile)
    return (
      <ol className="notice-rank-list" data-testid="notice-ranking">
        {rows.map((r) => (
          <li key={r.orgId}>
            <b>{r.orgName}</b>
            <div>
              完成率 <b>{percentText(r.completionRate)}</b>（到期 {r.tasks}，已完成 {r.done}，按时 {r.onTime}
              {r.overdue ? <span className="task-overdue">，逾期 {r.overdue}</span> : null}）
            </div>
            <div>
              整改销号率 <b>{percentText(r.rectificationRate)}</b>（发现问题 {r.problems}，已销号 {r.closed}）
            </div>
          </li>
        ))}
      </ol>
    );
  return (
    <div className="notice-table-wrap">
      <table className="notice-table" data-testid="notice-ranking">
        <thead>
          <tr>
            <th>名次</th>
            <th>单位</th>
            <th>到期任务</th>
            <th>已完成</th>
            <th>按时完成</th>
            <th>逾期</th>
            <th>完成率</th>
            <th>发现问题</th>
            <th>已销号</th>
            <th>整改销号率</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={r.orgId}>
              <td>{i + 1}</td>
              <td className="notice-table-name">{r.orgName}</td>
              <td>{thousands(r.tasks)}</td>
              <td>{thousands(r.done)}</td>
              <td>{thousands(r.onTime)}</td>
              <td className={r.overdue ? 'task-overdue' : undefined}>{thousands(r.overdue)}</td>
              <td>{percentText(r.completionRate)}</td>
              <td>{thousands(r.problems)}</td>
              <td>{thousands(r.closed)}</td>
              <td>{percentText(r.rectificationRate)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The notice's text as its document says it. */
function NoticeDocument({ n }: { n: NoticeView }) {
  const c = n.content;
  return (
    <article className="notice-doc" data-testid="notice-content">
      <h2 className="notice-doc-title">{n.title}</h2>
      <div className="notice-doc-sub">
        {n.underOrgName}　{c.periodLabel}　（数据截至{zhDate(c.asOf)}）
      </div>

      <h3>一、督查情况</h3>
      <p>
        {c.periodLabel}，{n.underOrgName}范围内到期任务 {thousands(c.checked.tasks)} 项、分解到各组织{' '}
        {thousands(c.checked.assignments)} 份；期间发现问题 {thousands(c.checked.problems)} 个。
      </p>
      {c.checked.draws.map((d) => (
        <p key={`${d.seed}-${d.drawnAt}`}>
          {zhDate(shanghaiDate(new Date(d.drawnAt)))}随机抽查（随机种子 <span className="mono">{d.seed}</span>）：
          {d.sampleNames.join('、') || '无'}。
        </p>
      ))}

      <h3>二、好的典型</h3>
      <p>
        {c.good.length
          ? `${c.good.join('、')}按时完成全部任务，发现的问题全部整改销号，予以通报表扬。`
          : '本期无全部按时完成且问题全部销号的单位。'}
      </p>

      <h3>三、任务完成和问题整改排名</h3>
      <Ranking rows={c.ranking} />

      <h3>四、存在的问题</h3>
      {c.problemsByOrg.length ? (
        c.problemsByOrg.map((o) => (
          <p key={o.orgName}>
            {o.orgName}：未整改问题 {thousands(o.open)} 个
            {o.rules.length ? `，主要是${o.rules.map((r) => `${r.name}（${r.count} 个）`).join('、')}` : ''}。
          </p>
        ))
      ) : (
        <p>范围内没有未整改的问题。</p>
      )}

      <h3>五、通报的单位</h3>
      {c.lagging.length ? (
        <>
          {c.lagging.map((l) => (
            <p key={l.orgId}>
              <b>{l.orgName}</b>：
              {l.overdue.map((t, i) => (
                <span key={`${t.title}-${t.deadline}`}>
                  {i ? '；' : ''}“{t.title}”（时限 {zhDate(t.deadline)}，
                  <span className="task-overdue">已逾期 {t.days} 天</span>）
                </span>
              ))}
              。
            </p>
          ))}
          <p>请以上单位收到通报后在平台签收，并抓紧整改落实。</p>
        </>
      ) : (
        <p>本期没有逾期未完成任务的单位。</p>
      )}

      <div className="notice-doc-sign">
        <div>{n.underOrgName}</div>
        <div>{zhDate(shanghaiDate(new Date(n.publishedAt ?? n.createdAt)))}</div>
      </div>
    </article>
  );
}

/** 被通报单位: each named organization and whether (when, by whom) it has signed; the unsigned at a tap. */
function Named({ n }: { n: NoticeView }) {
  const isMobile = useIsMobile();
  const published = n.status === 'published';
  const signed = n.named.filter((x) => x.signedAt).length;
  const [shown, setShown] = useState<'all' | 'unsigned' | 'signed'>('all');
  const rows = n.named.filter((x) => shown === 'all' || (shown === 'signed') === !!x.signedAt);
  const filter =
    published && n.named.length > 1 ? (
      <Segmented
        size={isMobile ? 'small' : 'middle'}
        block={isMobile}
        value={shown}
        onChange={(v) => setShown(v as typeof shown)}
        options={[
          { value: 'all', label: '全部' },
          { value: 'unsigned', label: `未签收 ${n.named.length - signed}` },
          { value: 'signed', label: `已签收 ${signed}` },
        ]}
        aria-label="显示"
      />
    ) : null;
  return (
    <Card
      size="small"
      className="mr-card notice-named-card"
      id="notice-named"
      title={published ? `被通报单位签收情况（${signed}/${n.named.length}）` : `被通报单位（${n.named.length}）`}
      extra={isMobile ? null : filter}
      data-testid="notice-named"
    >
      {!n.named.length ? (
        <span className="muted">本期没有被通报的单位。</span>
      ) : (
        <>
          {!published ? <div className="muted notice-named-hint">通报发布后，以下单位须在平台签收。</div> : null}
          {isMobile && filter ? <div style={{ marginBottom: 8 }}>{filter}</div> : null}
          {rows.length ? (
            <ul className="notice-named">
              {rows.map((x) => (
                <li key={x.orgId}>
                  <span className="notice-named-org">{x.orgName}</span>
                  {x.signedAt ? (
                    <span>
                      <Mark color="green">已签收</Mark>{' '}
                      <span className="muted">
                        {dateTimeText(x.signedAt)}
                        {x.signedByName ? ` · ${x.signedByName}` : ''}
                      </span>
                    </span>
                  ) : published ? (
                    <Mark color="red">未签收</Mark>
                  ) : (
                    <Mark color="grey">待发布</Mark>
                  )}
                </li>
              ))}
            </ul>
          ) : (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={shown === 'signed' ? '还没有单位签收' : '已全部签收'}
            />
          )}
        </>
      )}
    </Card>
  );
}

export default function NoticePage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const location = useLocation();
  const qc = useQueryClient();
  const { message, modal } = useFeedback();
  const isMobile = useIsMobile();
  const downloadFile = useDownload();
  const key = ['notices', 'detail', id];
  const q = useQuery({ queryKey: key, queryFn: () => api.get<NoticeView>(`/api/notices/${id}`) });
  const n = q.data;
  useDocumentTitle(n ? n.title : '督查通报');
  const [busy, setBusy] = useState<string | null>(null);
  const [actionErr, setActionErr] = useState<unknown>(null);
  const errRef = useRef<HTMLDivElement>(null);

  const act = async (what: 'publish' | 'sign', done: string) => {
    setBusy(what);
    setActionErr(null);
    try {
      const fresh = await api.post<NoticeView>(`/api/notices/${id}/${what}`);
      qc.setQueryData(key, fresh);
      void qc.invalidateQueries({ queryKey: ['notices', 'list'] });
      message.success(done);
    } catch (e) {
      setActionErr(e);
      setTimeout(() => errRef.current?.scrollIntoView({ behavior: 'smooth', block: 'center' }), 50);
    } finally {
      setBusy(null);
    }
  };

  if (q.isLoading) return <Skeleton active />;
  if (q.error || !n) return <ErrorAlert err={q.error ?? new Error('通报不存在或不在您的管辖范围内')} />;

  const back = () => (location.key !== 'default' ? navigate(-1) : navigate('/notices'));
  const signedCount = n.named.filter((x) => x.signedAt).length;
  const big = isMobile ? ({ size: 'large', block: true } as const) : ({ size: 'large' } as const);
  const publish = () =>
    modal.confirm({
      title: '发布这份督查通报？',
      content: `发布后通报送达${n.underOrgName}及下级各组织${n.named.length ? `，${n.named.length} 个被通报单位须签收` : ''}；发布后内容不能再修改。`,
      okText: '发布',
      cancelText: '取消',
      onOk: () => void act('publish', '已发布'),
    });

  return (
    <div className="notice-page">
      <div className="page-head">
        <h1 style={{ display: 'flex', alignItems: 'center', gap: 4 }}>
          <Button type="text" icon={<ArrowLeftOutlined />} aria-label="返回" onClick={back} />
          <span style={{ minWidth: 0, overflowWrap: 'anywhere' }}>{n.title}</span>
        </h1>
      </div>

      <div className="task-status-line">
        <Mark color={n.status === 'published' ? 'green' : 'gold'}>{NOTICE_STATUS_LABELS[n.status]}</Mark>
        <span className="muted">
          {n.createdByName}于 {dateTimeText(n.createdAt)} 生成
          {n.publishedAt ? `，${dateTimeText(n.publishedAt)} 发布` : ''}
        </span>
      </div>

      {n.named.length && n.status === 'published' ? (
        <div className="notice-sign-summary">
          被通报单位 {thousands(n.named.length)} 个，已签收{' '}
          <b className={signedCount < n.named.length ? 'task-overdue' : undefined}>{thousands(signedCount)}</b> 个
          <button
            type="button"
            className="link-button"
            onClick={() => document.getElementById('notice-named')?.scrollIntoView({ behavior: 'smooth' })}
          >
            查看签收情况 ›
          </button>
        </div>
      ) : null}

      {n.status === 'draft' ? (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title="这是通报草稿"
          description={`内容由生成时的数据得出，请审核后发布。发布后送达${n.underOrgName}及下级各组织，被通报单位须签收。`}
        />
      ) : null}
      {n.can.sign ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title="本单位被通报，请阅读后签收"
          description="签收后请抓紧整改落实通报指出的问题。"
        />
      ) : null}

      <div ref={errRef}>
        <ErrorAlert err={actionErr} style={{ marginBottom: 12 }} />
      </div>

      <div className="task-action-row notice-actions">
        {n.can.sign ? (
          <Button
            type="primary"
            {...big}
            icon={<CheckOutlined />}
            loading={busy === 'sign'}
            disabled={!!busy}
            onClick={() => void act('sign', '已签收')}
            data-testid="notice-sign"
          >
            签收
          </Button>
        ) : null}
        {n.can.publish ? (
          <Button
            type="primary"
            {...big}
            icon={<SendOutlined />}
            loading={busy === 'publish'}
            disabled={!!busy}
            onClick={publish}
            data-testid="notice-publish"
          >
            发布
          </Button>
        ) : null}
        <Button
          {...big}
          icon={<DownloadOutlined />}
          onClick={() => void downloadFile(`/api/notices/${n.id}/document`, `${n.title}.docx`)}
          data-testid="notice-download"
        >
          下载 Word
        </Button>
      </div>

      <Card size="small" className="mr-card">
        <NoticeDocument n={n} />
      </Card>

      <Named n={n} />
    </div>
  );
}
