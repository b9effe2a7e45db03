/**
 * 整改销号 of one problem: where it stands and where it came from, who answers for it at each level,
 * the plan (measures, deadline, the person answerable), the progress reports with their evidence and the
 * checks of the level above. The problem's own organization writes or updates the plan and reports its
 * progress (both kept on the device until the server has them); the level above passes it (销号, only
 * once the rules no longer find the problem) or fails it with its reason.
 */
import { ArrowLeftOutlined, CheckOutlined, CloseOutlined, EditOutlined, SaveOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, DatePicker, Descriptions, Form, Input, Skeleton, Timeline } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useRef, useState } from 'react';
import { useLocation, useNavigate, useParams } from 'react-router';
import { PROBLEM_SOURCE_LABELS, RECTIFICATION_STATE_LABELS } from '../../../../contract/labels.ts';
import { api } from '../../app/api.ts';
import { useMe } from '../../app/auth.ts';
import { clearDraft, loadDraft, saveDraft } from '../../app/drafts.ts';
import { applyFieldErrors, ErrorAlert } from '../../app/errors.tsx';
import { useFeedback } from '../../app/feedback.tsx';
import { dateText, dateTimeText, orDash } from '../../app/format.ts';
import { useDocumentTitle, useIsMobile } from '../../app/hooks.ts';
import type { RectificationView } from '../../app/types.ts';
import { ReportBox } from './ReportBox.tsx';
import { AnswerLevels, beijingToday, EvidenceItem, Mark } from './shared.tsx';

type State = RectificationView['state'];
const STATE_COLORS: Record<State, 'red' | 'gold' | 'green' | 'blue' | 'grey'> = {
  none: 'red',
  planned: 'blue',
  failed: 'red',
  awaiting: 'gold',
  closed: 'green',
  ended: 'grey',
};

interface PlanValues {
  measures?: string;
  deadline?: string;
  responsible?: string;
}

/** What to do next, in a sentence, for each state. */
function nextStep(r: RectificationView): string {
  switch (r.state) {
    case 'none':
      return `${r.orgName}尚未制定整改措施。`;
    case 'planned':
      return r.problemStatus === 'open'
        ? '正在整改：规则检查仍发现该问题，补录或更正记录、问题自动消除后由上级验收销号。'
        : '正在整改，等待上级验收。';
    case 'failed':
      return '上级验收未通过，请按验收意见继续整改。';
    case 'awaiting':
      return '规则检查已不再发现该问题，等待上级验收销号。';
    case 'closed':
      return '问题已消除且经上级验收通过，已销号。';
    case 'ended':
      return '问题所在组织已撤销或合并，问题随之关闭，不计为已整改。';
  }
}

export default function RectificationPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const location = useLocation();
  const qc = useQueryClient();
  const { message, modal } = useFeedback();
  const isMobile = useIsMobile();
  const me = useMe().data;
  const key = ['problems', 'rectification', id];
  const q = useQuery({
    queryKey: key,
    queryFn: () => api.get<RectificationView>(`/api/problems/${id}/rectification`),
  });
  const r = q.data;
  useDocumentTitle('整改销号');
  const [form] = Form.useForm<PlanValues>();
  const [busy, setBusy] = useState<string | null>(null);
  const [err, setErr] = useState<unknown>(null);
  const [failing, setFailing] = useState(false);
  const [comment, setComment] = useState('');
  const [restored, setRestored] = useState(false);
  const [editing, setEditing] = useState(false);
  const errRef = useRef<HTMLDivElement>(null);
  const filled = useRef(false);
  const draftKey = `rectification.${me?.id ?? 'anon'}.${id}`;
  const today = beijingToday();

  // The plan's form: the draft on this device, else the plan as it stands.
  useEffect(() => {
    if (!r || !me || filled.current || !r.can.plan) return;
    filled.current = true;
    const d = loadDraft<PlanValues>(draftKey);
    if (d) {
      form.setFieldsValue(d.values);
      setRestored(true);
      setEditing(true);
    } else if (r.plan)
      form.setFieldsValue({
        measures: r.plan.measures,
        deadline: r.plan.deadline >= today ? r.plan.deadline : undefined,
        responsible: r.plan.responsible ?? undefined,
      });
  }, [r, me, draftKey, form, today]);

  const failed = (e: unknown) => {
    setErr(e);
    setTimeout(() => errRef.current?.scrollIntoView({ behavior: 'smooth', block: 'center' }), 50);
  };
  const fresh = (v: RectificationView) => {
    qc.setQueryData(key, v);
    void qc.invalidateQueries({ queryKey: ['problems'], predicate: (x) => x.queryKey[1] !== 'rectification' });
  };

  const savePlan = async (v: PlanValues) => {
    setBusy('plan');
    setErr(null);
    try {
      const next = await api.post<RectificationView>(`/api/problems/${id}/rectification`, {
        measures: v.measures?.trim(),
        deadline: v.deadline,
        responsible: v.responsible?.trim() || undefined,
      });
      clearDraft(draftKey);
      setRestored(false);
      setEditing(false);
      fresh(next);
      message.success('已保存整改措施');
    } catch (e) {
      applyFieldErrors(form, e, { measures: '整改措施', deadline: '整改时限', responsible: '责任人' });
      failed(e);
    } finally {
      setBusy(null);
    }
  };

  const verify = async (result: 'pass' | 'fail') => {
    if (result === 'fail' && !comment.trim()) {
      failed(new Error('验收不通过时请写明原因'));
      return;
    }
    setBusy(result);
    setErr(null);
    try {
      const next = await api.post<RectificationView>(`/api/problems/${id}/verify`, {
        result,
        comment: comment.trim() || undefined,
      });
      fresh(next);
      setComment('');
      setFailing(false);
      message.success(
        result === 'pass' ? (next.state === 'closed' ? '验收通过，已销号' : '验收通过') : '已退回继续整改',
      );
    } catch (e) {
      failed(e);
    } finally {
      setBusy(null);
    }
  };

  const sendProgress = async (text: string) => {
    setBusy('progress');
    setErr(null);
    try {
      fresh(await api.post<RectificationView>(`/api/problems/${id}/progress`, { text }));
      message.success('已汇报整改进展');
      return true;
    } catch (e) {
      failed(e);
      return false;
    } finally {
      setBusy(null);
    }
  };

  if (q.isLoading) return <Skeleton active />;
  if (q.error || !r) return <ErrorAlert err={q.error ?? new Error('问题不存在或不在您的管辖范围内')} />;

  const back = () => (location.key !== 'default' ? navigate(-1) : navigate('/problems'));
  const big = isMobile ? ({ size: 'large', block: true } as const) : ({ size: 'large' } as const);
  const plan = r.plan;
  const lastFail = [...r.verifications].reverse().find((v) => !v.stale && v.result === 'fail');
  const formOpen = !plan || editing;
  const pass = () =>
    modal.confirm({
      title: `验收通过${r.orgName}的整改？`,
      content: '规则检查已不再发现该问题时，验收通过即销号；问题再次出现时销号失效，须重新整改验收。',
      okText: '验收通过',
      cancelText: '取消',
      onOk: () => void verify('pass'),
    });

  return (
    <div className="task-assignment rectification-page">
      <div className="page-head">
        <h1 style={{ display: 'flex', alignItems: 'center', gap: 4 }}>
          <Button type="text" icon={<ArrowLeftOutlined />} aria-label="返回" onClick={back} />
          <span>整改销号</span>
        </h1>
      </div>

      <Alert
        type={r.state === 'closed' ? 'success' : r.state === 'ended' ? 'info' : 'error'}
        showIcon
        style={{ marginBottom: 12 }}
        title={r.message}
        description={
          <>
            {r.orgName}
            <span className="muted">
              {' '}
              · 来源：{PROBLEM_SOURCE_LABELS[r.source] ?? '其他'}
              {r.reportedBy ? `（${r.reportedBy}）` : ''}
            </span>
          </>
        }
        data-testid="rectification-problem"
      />

      <div className="task-status-line">
        <Mark color={STATE_COLORS[r.state]}>
          <span data-testid="rectification-state">{RECTIFICATION_STATE_LABELS[r.state]}</span>
        </Mark>
        <span className="muted">{nextStep(r)}</span>
      </div>

      {r.state === 'failed' && lastFail ? (
        <Alert
          type="error"
          showIcon
          className="task-returned"
          title={`${lastFail.orgName || '上级'}验收未通过`}
          description={
            <>
              <div className="task-return-reason">{orDash(lastFail.comment)}</div>
              <div className="muted">
                {lastFail.byName} · {dateTimeText(lastFail.at)}
                {r.can.plan ? '。请按验收意见继续整改，必要时修改整改措施。' : ''}
              </div>
            </>
          }
          data-testid="rectification-failed"
        />
      ) : null}

      <div ref={errRef}>
        <ErrorAlert err={err} style={{ marginBottom: 12 }} />
      </div>

      <AnswerLevels levels={r.owner.levels} atStartLabel="问题出现时" />

      <Card size="small" className="mr-card" title="整改措施" data-testid="rectification-plan">
        {plan ? (
          <>
            <div className="task-event-text">{plan.measures}</div>
            <Descriptions
              size="small"
              column={{ xs: 1, sm: 2 }}
              style={{ marginTop: 10 }}
              items={[
                {
                  key: 'deadline',
                  label: '整改时限',
                  children: (
                    <span className={plan.overdue ? 'task-overdue' : undefined}>
                      {dateText(plan.deadline)}
                      {plan.overdue ? '（已逾期）' : ''}
                    </span>
                  ),
                },
                { key: 'responsible', label: '责任人', children: orDash(plan.responsible ?? r.owner.now) },
                { key: 'by', label: '制定', children: `${orDash(plan.setByName)}（${dateTimeText(plan.setAt)}）` },
              ]}
            />
          </>
        ) : (
          <span className="muted">尚未制定整改措施。</span>
        )}
      </Card>

      {r.can.plan && !formOpen ? (
        <div className="mr-card">
          <Button {...big} icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="rectification-edit">
            修改整改措施
          </Button>
        </div>
      ) : null}
      {r.can.plan && formOpen ? (
        <Card
          size="small"
          className="mr-card task-actions"
          title={plan ? '修改整改措施' : '制定整改措施'}
          data-testid="rectification-form"
        >
          {restored ? <div className="mr-hint">已恢复本机保存的未提交内容。</div> : null}
          <Form<PlanValues>
            form={form}
            layout="vertical"
            onFinish={savePlan}
            onValuesChange={(_, all) => saveDraft(draftKey, all)}
            requiredMark
          >
            <Form.Item
              name="measures"
              label="整改措施"
              rules={[
                { required: true, whitespace: true, message: '请填写整改措施' },
                { max: 2000, message: '整改措施不能超过 2000 个字' },
              ]}
            >
              <Input.TextArea
                autoSize={{ minRows: 3, maxRows: 10 }}
                maxLength={2000}
                placeholder="针对问题采取的具体措施，如：补开支部党员大会并上传会议记录"
                data-testid="rectification-measures"
              />
            </Form.Item>
            <div className="mr-row rectification-row">
              <Form.Item
                name="deadline"
                label="整改时限"
                className="mr-field"
                rules={[{ required: true, message: '请选择整改时限' }]}
                getValueProps={(v: string | undefined) => ({ value: v ? dayjs(v) : null })}
                normalize={(d: Dayjs | null) => (d ? d.format('YYYY-MM-DD') : undefined)}
              >
                <DatePicker
                  style={{ width: '100%' }}
                  disabledDate={(d) => d.format('YYYY-MM-DD') < today}
                  inputReadOnly={isMobile}
                  placeholder="不早于今天"
                  data-testid="rectification-deadline"
                />
              </Form.Item>
              <Form.Item
                name="responsible"
                label="责任人"
                className="mr-field"
                rules={[{ max: 50, message: '责任人不能超过 50 个字' }]}
              >
                <Input
                  maxLength={50}
                  placeholder={r.owner.now ? `不填则为书记 ${r.owner.now}` : '不填则为本组织书记'}
                />
              </Form.Item>
            </div>
            <Button
              type="primary"
              htmlType="submit"
              {...big}
              icon={<SaveOutlined />}
              loading={busy === 'plan'}
              data-testid="rectification-save"
            >
              {plan ? '保存修改' : '保存整改措施'}
            </Button>
            {plan ? (
              <Button
                {...big}
                style={isMobile ? { marginTop: 8 } : { marginLeft: 8 }}
                onClick={() => {
                  clearDraft(draftKey);
                  setRestored(false);
                  setEditing(false);
                  form.setFieldsValue({
                    measures: plan.measures,
                    deadline: plan.deadline >= today ? plan.deadline : undefined,
                    responsible: plan.responsible ?? undefined,
                  });
                }}
              >
                取消
              </Button>
            ) : null}
          </Form>
        </Card>
      ) : null}

      {r.can.report ? (
        <ReportBox
          title="汇报整改进展"
          testId="rectification-report"
          uploadUrl={`/api/problems/${id}/evidence`}
          evidenceBase="/api/problems/evidence"
          draftKey={`rectificationReport.${me?.id ?? 'anon'}.${id}`}
          maxPhotoBytes={r.maxPhotoBytes}
          pendingEvidence={r.pendingEvidence}
          placeholder="按整改措施做了什么、进展到哪一步，可附照片等佐证材料"
          sendLabel="汇报整改进展"
          onUploaded={() => qc.invalidateQueries({ queryKey: key })}
          onSend={sendProgress}
          busy={busy === 'progress'}
          disabled={!!busy && busy !== 'progress'}
          onError={failed}
        />
      ) : null}

      {r.can.verify ? (
        <Card size="small" className="mr-card task-actions" title="上级验收" data-testid="rectification-verify">
          {r.problemStatus === 'open' ? (
            <div className="mr-hint" style={{ marginTop: 0, marginBottom: 8 }}>
              规则检查仍发现该问题：问题消除后才能验收通过（销号）；可先验收不通过并写明原因。
            </div>
          ) : null}
          {failing ? (
            <Input.TextArea
              value={comment}
              onChange={(e) => setComment(e.target.value)}
              autoSize={{ minRows: 3, maxRows: 8 }}
              maxLength={500}
              showCount
              placeholder="写明未通过的原因和需要继续整改的内容（必填）"
              aria-label="验收意见"
              style={{ marginBottom: 12 }}
              data-testid="rectification-comment"
            />
          ) : null}
          <div className="task-action-row">
            {failing ? (
              <>
                <Button
                  danger
                  type="primary"
                  {...big}
                  icon={<CloseOutlined />}
                  loading={busy === 'fail'}
                  disabled={!!busy && busy !== 'fail'}
                  onClick={() => void verify('fail')}
                  data-testid="rectification-fail-send"
                >
                  确认不通过
                </Button>
                <Button {...big} onClick={() => setFailing(false)}>
                  取消
                </Button>
              </>
            ) : (
              <>
                <Button
                  type="primary"
                  {...big}
                  icon={<CheckOutlined />}
                  loading={busy === 'pass'}
                  disabled={!!busy && busy !== 'pass'}
                  onClick={pass}
                  data-testid="rectification-pass"
                >
                  验收通过
                </Button>
                <Button
                  danger
                  {...big}
                  icon={<CloseOutlined />}
                  onClick={() => setFailing(true)}
                  data-testid="rectification-fail"
                >
                  验收不通过
                </Button>
              </>
            )}
          </div>
        </Card>
      ) : null}

      <Card size="small" className="mr-card" title="整改进展" data-testid="rectification-progress">
        {r.progress.length ? (
          <Timeline
            items={r.progress.map((g) => ({
              key: g.id,
              color: 'blue',
              content: (
                <div className="task-event">
                  <div>
                    <b>汇报进展</b> <span className="muted">{dateTimeText(g.at)}</span>
                  </div>
                  <div className="muted">{g.byName}</div>
                  <div className="task-event-text">{g.text}</div>
                  {g.evidence.length ? (
                    <div className="ev-grid task-ev-grid">
                      {g.evidence.map((ev) => (
                        <EvidenceItem key={ev.id} ev={ev} base="/api/problems/evidence" />
                      ))}
                    </div>
                  ) : null}
                </div>
              ),
            }))}
          />
        ) : (
          <span className="muted">尚未汇报整改进展。</span>
        )}
        {r.pendingEvidence.length && !r.can.report ? (
          <>
            <div className="mr-label">已上传、尚未汇报的材料（{r.pendingEvidence.length}）</div>
            <div className="ev-grid task-ev-grid">
              {r.pendingEvidence.map((ev) => (
                <EvidenceItem key={ev.id} ev={ev} base="/api/problems/evidence" />
              ))}
            </div>
          </>
        ) : null}
      </Card>

      <Card size="small" className="mr-card" title="验收记录" data-testid="rectification-verifications">
        {r.verifications.length ? (
          <Timeline
            items={[...r.verifications].reverse().map((v, i) => ({
              key: `${v.at}-${i}`,
              color: v.stale ? 'gray' : v.result === 'pass' ? 'green' : 'red',
              content: (
                <div className={v.stale ? 'rectification-stale' : undefined}>
                  <div>
                    <b>{v.result === 'pass' ? '验收通过' : '验收不通过'}</b>{' '}
                    <span className="muted">{dateTimeText(v.at)}</span>
                  </div>
                  <div className="muted">
                    {v.byName}
                    {v.orgName ? `（${v.orgName}）` : ''}
                  </div>
                  {v.comment ? <div className="task-event-text">{v.comment}</div> : null}
                  {v.stale ? <div className="rectification-stale-note">问题再次出现前的验收，已不计</div> : null}
                </div>
              ),
            }))}
          />
        ) : (
          <span className="muted">尚无验收记录。</span>
        )}
      </Card>
    </div>
  );
}
