/**
 * 工作日志 (定期汇报, FS-4), phone first: the first secretary chooses the kind and the period (by
 * default the monthly log of the month just ended, or this month's once that one is in), writes what
 * was done and taps the work areas it touched. What is typed is kept on the device while typing
 * (app/offline.ts, kind 'fsReport'); 提交 without a network keeps it there and it goes when the network
 * returns, with the time it was written. A period already filed opens the filed report to correct it
 * (until someone has commented). Below: the person's own reports with the township's and the
 * dispatching unit's comments.
 */
import { ReloadOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Input, Radio, Select, Skeleton, Tag } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router';
import type { z } from 'zod';
import type { fsMe as fsMeSchema } from '../../../../contract/firstsec.ts';
import {
  FS_AREA_LABELS,
  FS_AREAS,
  FS_REPORT_KIND_LABELS,
  FS_REPORT_MIN_CHARS,
  FS_REPORT_WORDS,
  FS_REPORT_KINDS,
  type FsArea,
  type FsReportKind,
  fsReportPeriodLabel,
} from '../../../../contract/labels.ts';
import { shanghaiDate, shanghaiMinute } from '../../../../contract/calendar.ts';
import { api, ApiError } from '../../app/api.ts';
import { useMe } from '../../app/auth.ts';
import { ErrorAlert, errorMessage } from '../../app/errors.tsx';
import { useFeedback } from '../../app/feedback.tsx';
import { useDocumentTitle } from '../../app/hooks.ts';
import { isRetryable, newClientId, OFFLINE_MESSAGE, offline, useOfflineItems } from '../../app/offline.ts';
import type { Page } from '../../app/types.ts';
import { REPORT_KIND, type ReportPayload, type ReportView } from './report-drafts.ts';
import { currentPeriod, lastPeriod, periodsFor, ReportItem } from './report-shared.tsx';

type FsMe = z.infer<typeof fsMeSchema>;

const EMPTY = (kind: FsReportKind, period: string): ReportPayload => ({ kind, period, body: '', areas: [] });

export default function ReportPage() {
  useDocumentTitle('工作日志');
  const qc = useQueryClient();
  const { message } = useFeedback();
  const me = useMe().data;
  const today = shanghaiDate(new Date());
  const mine = useQuery({
    queryKey: ['firstsec', 'me'],
    queryFn: () => api.get<FsMe>('/api/first-secretaries/me'),
  });
  const reportsKey = ['firstsec', 'me', 'reports'];
  const reports = useQuery({
    queryKey: reportsKey,
    queryFn: ({ signal }) => api.get<Page<ReportView>>('/api/first-secretaries/reports', { pageSize: 100 }, signal),
  });
  const waiting = useOfflineItems<ReportPayload>(REPORT_KIND);
  const filed = useMemo(
    () => new Map((reports.data?.items ?? []).map((r) => [`${r.kind}:${r.period}`, r])),
    [reports.data],
  );

  // The draft: the latest one being written on this device, or a new one (the month just ended unless it is in).
  const [clientId, setClientId] = useState<string | null>(null);
  const [draft, setDraft] = useState<ReportPayload | null>(null);
  const [editing, setEditing] = useState<ReportView | null>(null);
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<unknown>(null);
  const [full, setFull] = useState(false);
  const formRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!me || draft || !reports.data) return;
    const kept = offline.list<ReportPayload>(REPORT_KIND, me.id).find((i) => i.state === 'editing');
    if (kept) {
      setClientId(kept.clientId);
      setDraft(kept.payload);
      if (kept.lastError) setErr(new Error(kept.lastError));
      return;
    }
    const last = lastPeriod('monthly', today);
    setClientId(newClientId());
    setDraft(EMPTY('monthly', filed.has(`monthly:${last}`) ? currentPeriod('monthly', today) : last));
  }, [me, draft, reports.data, filed, today]);
  useEffect(
    () =>
      offline.on((e) => {
        if (e.type === 'sent' && e.kind === REPORT_KIND) void qc.invalidateQueries({ queryKey: ['firstsec', 'me'] });
      }),
    [qc],
  );

  if (mine.isLoading || reports.isLoading || !draft || !clientId) return <Skeleton active />;
  if (mine.error || !mine.data) return <ErrorAlert err={mine.error ?? new Error('未找到您的驻村信息')} />;
  const s = mine.data.secretary;

  const change = (patch: Partial<ReportPayload>) => {
    const next = { ...draft, ...patch };
    setDraft(next);
    if (editing || !me) return;
    // Kept on the device while typing; an empty form leaves nothing behind.
    if (next.body.trim() || next.areas.length) setFull(!offline.keep(REPORT_KIND, next, { clientId, userId: me.id }));
    else void offline.remove(REPORT_KIND, clientId);
  };
  const existing = !editing ? filed.get(`${draft.kind}:${draft.period}`) : undefined;
  const fresh = (kind: FsReportKind = 'monthly') => {
    setEditing(null);
    setErr(null);
    setClientId(newClientId());
    setDraft(EMPTY(kind, currentPeriod(kind, today)));
  };
  const openEdit = (r: ReportView) => {
    setEditing(r);
    setErr(null);
    setDraft({ kind: r.kind, period: r.period, body: r.body, areas: r.areas });
    setTimeout(() => formRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' }), 50);
  };

  const submit = async () => {
    if (!me) return;
    setErr(null);
    if ([...draft.body.replace(/\s/g, '')].length < FS_REPORT_MIN_CHARS)
      return setErr(new Error(`内容过短，请至少写 ${FS_REPORT_MIN_CHARS} 个字`));
    setBusy(true);
    try {
      if (editing) {
        await api.patch<ReportView>(`/api/first-secretaries/reports/${editing.id}`, {
          version: editing.version,
          body: draft.body,
          areas: draft.areas,
        });
        message.success('已保存修改');
        fresh(editing.kind);
      } else {
        await offline.queue<ReportPayload, ReportView>(
          REPORT_KIND,
          { ...draft, madeAt: new Date().toISOString() },
          { clientId, userId: me.id },
        );
        message.success(`已提交${fsReportPeriodLabel(draft.period)}${FS_REPORT_WORDS[draft.kind]}`);
        fresh(draft.kind);
      }
      await qc.invalidateQueries({ queryKey: ['firstsec', 'me'] });
    } catch (e) {
      if (!editing && isRetryable(e)) {
        message.info(OFFLINE_MESSAGE);
        fresh(draft.kind);
      } else setErr(e instanceof ApiError ? e : new Error(errorMessage(e)));
    } finally {
      setBusy(false);
    }
  };

  const pending = waiting.items.filter((i) => i.state === 'pending');
  const items = reports.data?.items ?? [];
  const periodOptions = periodsFor(draft.kind, today).map((p) => ({
    ...p,
    label: filed.has(`${draft.kind}:${p.value}`) ? `${p.label}（已提交）` : p.label,
  }));

  return (
    <div className="ci-page">
      <div className="ci-head">
        <h1>工作日志</h1>
        <div className="muted">
          {s.name} · {s.orgName} · <Link to="/checkin">考勤打卡</Link>
        </div>
      </div>

      {mine.data.reminders.map((r) => (
        <Alert
          key={r.id}
          type={r.stage === 'overdue' ? 'error' : 'warning'}
          showIcon
          className="ci-check"
          title={r.text}
          closable
          onClose={() => void api.post(`/api/first-secretaries/reminders/${r.id}/read`).catch(() => undefined)}
        />
      ))}

      <div ref={formRef}>
        <Card
          size="small"
          className="mr-card"
          title={editing ? `修改${editing.periodLabel}${FS_REPORT_WORDS[editing.kind]}` : '填写汇报'}
          data-testid="report-form"
        >
          {!editing ? (
            <div className="fs-report-choose">
              <Radio.Group
                value={draft.kind}
                optionType="button"
                buttonStyle="solid"
                onChange={(e) => {
                  const kind = e.target.value as FsReportKind;
                  const last = lastPeriod(kind, today);
                  change({ kind, period: filed.has(`${kind}:${last}`) ? currentPeriod(kind, today) : last });
                }}
                options={FS_REPORT_KINDS.map((k) => ({ value: k, label: FS_REPORT_KIND_LABELS[k].slice(0, 2) }))}
                data-testid="report-kind"
              />
              <Select
                value={draft.period}
                options={periodOptions}
                onChange={(period) => change({ period })}
                style={{ minWidth: 150 }}
                data-testid="report-period"
              />
            </div>
          ) : null}
          {existing ? (
            <Alert
              type="info"
              showIcon
              style={{ marginTop: 8 }}
              title={`${existing.periodLabel}${FS_REPORT_WORDS[existing.kind]}已于 ${shanghaiMinute(existing.madeAt)} 提交`}
              action={
                existing.can.edit ? (
                  <Button size="small" onClick={() => openEdit(existing)}>
                    修改
                  </Button>
                ) : undefined
              }
              description={existing.can.edit ? undefined : '已有批阅意见，不能再修改'}
            />
          ) : (
            <>
              <Input.TextArea
                value={draft.body}
                onChange={(e) => change({ body: e.target.value })}
                maxLength={5000}
                autoSize={{ minRows: 6, maxRows: 16 }}
                placeholder="本期做了哪些工作、取得什么效果、存在什么问题、下步打算"
                style={{ marginTop: 10 }}
                data-testid="report-body"
              />
              <div className="muted" style={{ margin: '10px 0 4px' }}>
                涉及的工作领域（点选）
              </div>
              <div className="fs-report-areas" data-testid="report-areas">
                {FS_AREAS.map((a) => (
                  <Tag.CheckableTag
                    key={a}
                    checked={draft.areas.includes(a)}
                    onChange={(on) =>
                      change({
                        areas: on
                          ? FS_AREAS.filter((x) => x === a || draft.areas.includes(x))
                          : draft.areas.filter((x: FsArea) => x !== a),
                      })
                    }
                  >
                    {FS_AREA_LABELS[a]}
                  </Tag.CheckableTag>
                ))}
              </div>
              {full ? <div className="task-overdue">本机存储已满，填写内容未能保存在本机</div> : null}
              {!editing && (draft.body.trim() || draft.areas.length) ? (
                <div className="muted" style={{ marginTop: 6 }}>
                  已自动保存在本机
                </div>
              ) : null}
              <ErrorAlert err={err} style={{ marginTop: 8 }} />
              <div style={{ display: 'flex', gap: 8, marginTop: 10 }}>
                <Button
                  type="primary"
                  size="large"
                  block
                  loading={busy}
                  onClick={() => void submit()}
                  data-testid="report-submit"
                >
                  {editing ? '保存修改' : '提交'}
                </Button>
                {editing ? (
                  <Button size="large" onClick={() => fresh(editing.kind)}>
                    取消
                  </Button>
                ) : null}
              </div>
            </>
          )}
        </Card>
      </div>

      {pending.length ? (
        <Card size="small" className="mr-card" title={`待上传的汇报（${pending.length}）`} data-testid="report-waiting">
          {pending.map((i) => (
            <div key={i.clientId} className="ci-line">
              {fsReportPeriodLabel(i.payload.period)}
              {FS_REPORT_WORDS[i.payload.kind]}
              {i.payload.madeAt ? <span className="muted"> · {shanghaiMinute(i.payload.madeAt)} 填写</span> : null}
              <span className="muted"> · 等待网络</span>
            </div>
          ))}
          <Button icon={<ReloadOutlined />} loading={waiting.syncing} onClick={waiting.retry}>
            立即上传
          </Button>
        </Card>
      ) : null}

      <Card size="small" className="mr-card" title={`我的汇报（${items.length}）`} data-testid="report-list">
        {reports.error ? <ErrorAlert err={reports.error} /> : null}
        {items.length ? (
          <div className="fs-rows">
            {items.map((r) => (
              <ReportItem key={r.id} r={r}>
                {r.can.edit ? (
                  <div>
                    <Button size="small" onClick={() => openEdit(r)}>
                      修改
                    </Button>
                  </div>
                ) : null}
              </ReportItem>
            ))}
          </div>
        ) : (
          <div className="muted fs-empty">还没有提交过汇报</div>
        )}
      </Card>
    </div>
  );
}
