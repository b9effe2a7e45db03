/**
 * One organization's share of a task, on a phone first: what is asked, its state, what to do now (签收,
 * 汇报进展 with photos, 分解到下级, 提交; 验收 or 退回 for the issuer), the shares split from it and the
 * history with its evidence. The report's text is kept on the device (app/drafts.ts) until the server
 * has it; a photo is shrunk on the phone (app/photo-shrink.ts) and stays on the page until it is sent.
 */
import { ArrowLeftOutlined, CheckOutlined, ClusterOutlined, RollbackOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Empty, Skeleton, Timeline } from 'antd';
import { lazy, Suspense, useRef, useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { api } from '../../app/api.ts';
import { useMe } from '../../app/auth.ts';
import { ErrorAlert } from '../../app/errors.tsx';
import { useFeedback } from '../../app/feedback.tsx';
import { dateText, dateTimeText, orDash, thousands } from '../../app/format.ts';
import { useDocumentTitle, useIsMobile } from '../../app/hooks.ts';
import type { AssignmentDetail, AssignmentEvent, AssignmentView } from '../../app/types.ts';
import { ReportBox } from './ReportBox.tsx';
import { AnswerLevels, EvidenceItem, eventLabel, OverdueText, StatusMark } from './shared.tsx';

const SplitModal = lazy(() => import('./AssignmentModals.tsx').then((m) => ({ default: m.SplitModal })));
const ReturnModal = lazy(() => import('./AssignmentModals.tsx').then((m) => ({ default: m.ReturnModal })));

const EVENT_COLORS: Record<string, string> = {
  accept: 'green',
  return: 'red',
  remindOverdue: 'red',
  escalated: 'red',
  remindDue: 'gold',
};

function Stat({ label, value, danger }: { label: string; value: number; danger?: boolean }) {
  return (
    <div className="stat-cell">
      <div className="stat-label">{label}</div>
      <div className={danger && value ? 'stat-value task-overdue' : 'stat-value'}>{thousands(value)}</div>
    </div>
  );
}

function EventItem({ e }: { e: AssignmentEvent }) {
  return (
    <div className="task-event">
      <div>
        <b>{eventLabel(e.kind)}</b> <span className="muted">{dateTimeText(e.at)}</span>
      </div>
      {e.byName ? (
        <div className="muted">
          {e.byName}
          {e.orgName ? `（${e.orgName}）` : ''}
        </div>
      ) : null}
      {e.text ? <div className="task-event-text">{e.text}</div> : null}
      {e.evidence.length ? (
        <div className="ev-grid task-ev-grid">
          {e.evidence.map((ev) => (
            <EvidenceItem key={ev.id} ev={ev} />
          ))}
        </div>
      ) : null}
    </div>
  );
}

function ChildCard({ c }: { c: AssignmentView }) {
  return (
    <Link to={`/tasks/assignments/${c.id}`} className="list-card" data-testid="child-assignment">
      <div className="mc-top">
        <b style={{ flex: 1, minWidth: 0 }}>{c.orgName}</b>
        <StatusMark status={c.status} />
      </div>
      <div className="mc-line">
        完成时限 {dateText(c.deadline)} <OverdueText a={c} />
        {c.childCount ? ` · 又分解 ${c.childCount} 个` : ''}
      </div>
      {c.returnReason && c.status === 'returned' ? <div className="mc-line">退回原因：{c.returnReason}</div> : null}
    </Link>
  );
}

export default function AssignmentPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const location = useLocation();
  const qc = useQueryClient();
  const { message, modal } = useFeedback();
  const isMobile = useIsMobile();
  const me = useMe().data;
  const key = ['tasks', 'assignment', id];
  const q = useQuery({ queryKey: key, queryFn: () => api.get<AssignmentDetail>(`/api/tasks/assignments/${id}`) });
  const a = q.data;
  useDocumentTitle(a ? a.task.title : '承办任务');

  const [busy, setBusy] = useState<string | null>(null);
  const [actionErr, setActionErr] = useState<unknown>(null);
  const [split, setSplit] = useState(false);
  const [returning, setReturning] = useState(false);
  // A dialog stays mounted once opened, so what was typed or chosen in it survives closing it.
  const [opened, setOpened] = useState({ split: false, returning: false });
  const openSplit = () => {
    setOpened((o) => ({ ...o, split: true }));
    setSplit(true);
  };
  const openReturn = () => {
    setOpened((o) => ({ ...o, returning: true }));
    setReturning(true);
  };
  const errRef = useRef<HTMLDivElement>(null);

  const fresh = (d: AssignmentDetail) => {
    qc.setQueryData(key, d);
    void qc.invalidateQueries({ queryKey: ['tasks', 'list'] });
    void qc.invalidateQueries({ queryKey: ['tasks', 'detail', d.taskId] });
    void qc.invalidateQueries({ queryKey: ['tasks', 'dashboard'] });
    void qc.invalidateQueries({ queryKey: ['tasks', 'ledger'] });
  };

  const failed = (e: unknown) => {
    setActionErr(e);
    setTimeout(() => errRef.current?.scrollIntoView({ behavior: 'smooth', block: 'center' }), 50);
  };

  /** One of the holder's or the issuer's acts: the server answers with the assignment as it now is. */
  const act = async (what: string, path: string, done: string, body?: unknown) => {
    setBusy(what);
    setActionErr(null);
    try {
      const d = await api.post<AssignmentDetail>(`/api/tasks/assignments/${id}/${path}`, body);
      fresh(d);
      message.success(done);
      return true;
    } catch (e) {
      failed(e);
      return false;
    } finally {
      setBusy(null);
    }
  };

  if (q.isLoading) return <Skeleton active />;
  if (q.error || !a) return <ErrorAlert err={q.error ?? new Error('任务不存在或不在您的管辖范围内')} />;

  const can = a.can;
  const working = can.report || can.split || can.submit;
  const back = () => (location.key !== 'default' ? navigate(-1) : navigate('/tasks'));
  const big = isMobile ? ({ size: 'large', block: true } as const) : ({ size: 'large' } as const);
  const openChildren = a.childAssignments.filter((c) => c.status !== 'done').length;
  const toReview = a.childAssignments.filter((c) => c.status === 'submitted').length;
  const pending = a.pendingEvidence.length;

  const submit = () =>
    modal.confirm({
      title: '提交完成情况？',
      content: `提交后由${a.issuerOrgName}验收，验收前不能再汇报或上传材料。${pending ? `尚未汇报的 ${pending} 个佐证材料将一并提交。` : ''}`,
      okText: '提交',
      cancelText: '取消',
      onOk: () => void act('submit', 'submit', `已提交，等待${a.issuerOrgName}验收`),
    });
  const accept = () =>
    modal.confirm({
      title: `验收通过${a.orgName}的完成情况？`,
      content: '验收后该组织的任务即为已完成。',
      okText: '验收通过',
      cancelText: '取消',
      onOk: () => void act('accept', 'accept', '已验收通过'),
    });

  return (
    <div className="task-assignment">
      <div className="page-head">
        <h1 style={{ display: 'flex', alignItems: 'center', gap: 4 }}>
          <Button type="text" icon={<ArrowLeftOutlined />} aria-label="返回" onClick={back} />
          <span style={{ minWidth: 0, overflowWrap: 'anywhere' }}>{a.task.title}</span>
        </h1>
      </div>

      <div className="task-status-line">
        <span>{a.orgName}</span>
        <StatusMark status={a.status} />
        <span className={a.overdue ? 'task-overdue' : 'muted'}>
          完成时限 {dateText(a.deadline)}
          {a.overdue ? `，已逾期 ${a.overdueDays} 天` : ''}
        </span>
      </div>

      {a.status === 'returned' ? (
        <Alert
          type="error"
          showIcon
          className="task-returned"
          title={`被${a.issuerOrgName}退回`}
          description={
            <>
              <div className="task-return-reason">{orDash(a.returnReason)}</div>
              <div className="muted">请按退回意见补充后重新汇报并提交。</div>
            </>
          }
          data-testid="assignment-returned"
        />
      ) : null}
      {a.status === 'submitted' && !can.review ? (
        <Alert type="info" showIcon style={{ marginBottom: 12 }} title={`已提交，等待${a.issuerOrgName}验收`} />
      ) : null}
      {a.status === 'done' ? (
        <Alert type="success" showIcon style={{ marginBottom: 12 }} title={`已于 ${dateTimeText(a.doneAt)} 验收通过`} />
      ) : null}

      <div ref={errRef}>
        <ErrorAlert err={actionErr} style={{ marginBottom: 12 }} />
      </div>

      {can.sign ? (
        <Card size="small" className="mr-card task-actions" title="签收">
          <p style={{ marginTop: 0 }}>
            {a.issuerOrgName}下发了这项任务，请签收后办理{a.overdue ? '（已逾期，请尽快签收）' : ''}。
          </p>
          <Button
            type="primary"
            {...big}
            icon={<CheckOutlined />}
            loading={busy === 'sign'}
            onClick={() => void act('sign', 'sign', '已签收')}
            data-testid="assignment-sign"
          >
            签收
          </Button>
        </Card>
      ) : null}

      {can.report ? (
        <ReportBox
          title="汇报进展"
          testId="assignment-report"
          uploadUrl={`/api/tasks/assignments/${id}/evidence`}
          evidenceBase="/api/tasks/evidence"
          draftKey={`taskReport.${me?.id ?? 'anon'}.${id}`}
          maxPhotoBytes={a.maxPhotoBytes}
          pendingEvidence={a.pendingEvidence}
          evidenceHint={a.task.evidenceNeeded}
          placeholder="做了什么、进展到哪一步、下一步打算"
          sendLabel="汇报进展"
          onUploaded={() => qc.invalidateQueries({ queryKey: key })}
          onSend={(text) => act('report', 'report', '已汇报进展', { text })}
          busy={busy === 'report'}
          disabled={!!busy && busy !== 'report'}
          onError={failed}
        />
      ) : null}

      {can.split || can.submit ? (
        <Card size="small" className="mr-card task-actions" title="分解与提交">
          <div className="task-action-row">
            {can.split ? (
              <Button {...big} icon={<ClusterOutlined />} onClick={openSplit} data-testid="assignment-split">
                分解到下级
              </Button>
            ) : null}
            {can.submit ? (
              <Button
                type="primary"
                {...big}
                icon={<CheckOutlined />}
                loading={busy === 'submit'}
                disabled={!!busy && busy !== 'submit'}
                onClick={submit}
                data-testid="assignment-submit"
              >
                提交完成情况
              </Button>
            ) : null}
          </div>
          {openChildren ? (
            <div className="mr-hint">分解给下级的任务还有 {openChildren} 项未完成，全部验收后才能提交。</div>
          ) : null}
        </Card>
      ) : null}

      {can.review ? (
        <Card size="small" className="mr-card task-actions" title="验收" data-testid="assignment-review">
          <p style={{ marginTop: 0 }}>
            {a.orgName}已于 {dateTimeText(a.submittedAt)} 提交完成情况，请查看下方的汇报和佐证材料后验收。
          </p>
          <div className="task-action-row">
            <Button
              type="primary"
              {...big}
              icon={<CheckOutlined />}
              loading={busy === 'accept'}
              onClick={accept}
              data-testid="assignment-accept"
            >
              验收通过
            </Button>
            <Button danger {...big} icon={<RollbackOutlined />} onClick={openReturn} data-testid="assignment-return">
              退回
            </Button>
          </div>
        </Card>
      ) : null}

      <Card size="small" className="mr-card" title="任务要求">
        <Descriptions
          size="small"
          column={{ xs: 1, sm: 2 }}
          items={[
            { key: 'org', label: '承办组织', children: a.orgName },
            { key: 'issuer', label: '向谁负责', children: a.issuerOrgName },
            {
              key: 'deadline',
              label: '完成时限',
              children: (
                <span>
                  {dateText(a.deadline)} <OverdueText a={a} />
                </span>
              ),
            },
            { key: 'weight', label: '分值', children: a.task.weight === null ? '—' : `${a.task.weight} 分` },
            { key: 'source', label: '任务来源', children: orDash(a.task.source) },
            { key: 'evidence', label: '佐证材料要求', children: orDash(a.task.evidenceNeeded) },
            {
              key: 'times',
              label: '办理时间',
              span: 2,
              children:
                [
                  a.signedAt ? `签收 ${dateTimeText(a.signedAt)}` : null,
                  a.submittedAt ? `提交 ${dateTimeText(a.submittedAt)}` : null,
                  a.doneAt ? `完成 ${dateTimeText(a.doneAt)}` : null,
                ]
                  .filter(Boolean)
                  .join(' · ') || '尚未签收',
            },
          ]}
        />
        {a.task.description ? <div className="task-description">{a.task.description}</div> : null}
        <div style={{ marginTop: 8 }}>
          <Link to={`/tasks/${a.taskId}`}>查看任务的全部承办情况 ›</Link>
        </div>
      </Card>

      {a.childCount || a.rollup.total > 1 ? (
        <Card size="small" className="mr-card" title={`分解到下级（${a.childAssignments.length}）`}>
          <div className="stat-grid task-stat-grid" style={{ marginBottom: 12 }} data-testid="assignment-rollup">
            <Stat label="本级及下级" value={a.rollup.total} />
            <Stat label="已签收" value={a.rollup.signed} />
            <Stat label="已完成" value={a.rollup.done} />
            <Stat label="逾期" value={a.rollup.overdue} danger />
          </div>
          {toReview ? (
            <div className="task-to-review" data-testid="children-to-review">
              有 {toReview} 个下级组织已提交完成情况，等待{a.orgName}验收（点开验收或退回）。
            </div>
          ) : null}
          <div className="list-cards task-children">
            {a.childAssignments.map((c) => (
              <ChildCard key={c.id} c={c} />
            ))}
          </div>
        </Card>
      ) : null}

      <AnswerLevels levels={a.answerable.levels} atStartLabel="下发时" />

      <Card size="small" className="mr-card" title="办理经过" data-testid="assignment-history">
        {a.events.length ? (
          <Timeline
            items={a.events.map((e, i) => ({
              key: `${e.at}-${i}`,
              color: EVENT_COLORS[e.kind] ?? 'blue',
              content: <EventItem e={e} />,
            }))}
          />
        ) : (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无记录" />
        )}
        {pending && !can.report ? (
          <>
            <div className="mr-label">已上传、尚未汇报的材料（{pending}）</div>
            <div className="ev-grid task-ev-grid">
              {a.pendingEvidence.map((ev) => (
                <EvidenceItem key={ev.id} ev={ev} />
              ))}
            </div>
          </>
        ) : null}
      </Card>

      {!working && !can.sign && !can.review && a.status !== 'done' && a.status !== 'submitted' ? (
        <div className="muted" style={{ fontSize: 13 }}>
          由{a.orgName}签收、办理和提交；您可以查看进展。
        </div>
      ) : null}

      <Suspense fallback={null}>
        {opened.split ? (
          <SplitModal
            open={split}
            assignment={a}
            onClose={() => setSplit(false)}
            onDone={() => {
              setSplit(false);
              void qc.invalidateQueries({ queryKey: ['tasks'] });
            }}
          />
        ) : null}
        {opened.returning ? (
          <ReturnModal
            open={returning}
            assignment={a}
            onClose={() => setReturning(false)}
            onDone={(d) => {
              setReturning(false);
              fresh(d);
            }}
          />
        ) : null}
      </Suspense>
    </div>
  );
}
