/**
 * 考勤打卡: what a first secretary opens most, on a phone in the village. One tap opens the camera;
 * the photo is shrunk on the phone while the position is read, and the check-in goes to the server with
 * the time it was made. Without a network it is kept on the phone (app/offline.ts, kind 'checkin') and
 * sent when the network returns; the server counts it for the day it was made and marks how late it
 * arrived. An unannounced check waiting for an answer is shown first, and the tap answers it. Below:
 * the periodic report owed (a line and a link to 工作日志), this month's days in the village, the latest
 * check-ins and leave (请假) with its two approvals.
 */
import { CameraOutlined, CheckCircleFilled, EnvironmentOutlined, ReloadOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Skeleton } from 'antd';
import { lazy, Suspense, useEffect, useState } from 'react';
import { Link } from 'react-router';
import type { z } from 'zod';
import type { fsMe as fsMeSchema } from '../../../../contract/firstsec.ts';
import {
  CHECKIN_FLAG_LABELS,
  FS_DAYS_ROLES,
  FS_REPORT_WORDS,
  LEAVE_STATUS_LABELS,
} from '../../../../contract/labels.ts';
import { shanghaiMinute } from '../../../../contract/calendar.ts';
import { api, takeEarly } from '../../app/api.ts';
import { useMe } from '../../app/auth.ts';
import { ErrorAlert, errorMessage } from '../../app/errors.tsx';
import { useFeedback } from '../../app/feedback.tsx';
import { dateText } from '../../app/format.ts';
import { useDocumentTitle } from '../../app/hooks.ts';
import { isRetryable, newClientId, OFFLINE_MESSAGE, offline, useOfflineItems } from '../../app/offline.ts';
import { PhotoRefused, photoShrinkOn, preparePhoto } from '../../app/photo-shrink.ts';
import type { CheckinView, LeaveView, Page, SpotCheckView } from '../../app/types.ts';
import { CHECKIN_KIND, type CheckinPayload } from './checkin-drafts.ts';
import { isShort } from './month-rule.ts';

/** The leave form (a date range picker) only when the person asks for leave: the page opens without it. */
const LeaveForm = lazy(() => import('./CheckinLeaveForm.tsx'));

type FsMe = z.infer<typeof fsMeSchema>;

/** The phone's position, or nothing after 15 s (marked 未取得定位 on the server, never refused). */
function position(): Promise<GeolocationPosition | null> {
  return new Promise((resolve) => {
    if (!('geolocation' in navigator)) return resolve(null);
    navigator.geolocation.getCurrentPosition(resolve, () => resolve(null), {
      enableHighAccuracy: true,
      timeout: 15_000,
      maximumAge: 60_000,
    });
  });
}

const distanceText = (m: number | null) =>
  m === null ? '距离未知' : m >= 1000 ? `${(m / 1000).toFixed(1)} 公里` : `${m} 米`;

function CheckinLine({ c }: { c: CheckinView }) {
  const late = c.flags.includes('late');
  return (
    <div className="ci-line">
      <div className="ci-line-main">
        <b>{shanghaiMinute(c.madeAt)}</b>
        <span className="muted"> · {distanceText(c.distanceM)}</span>
        {c.checkId ? <span className="muted"> · 回应抽查</span> : null}
      </div>
      {c.flags.length ? (
        <div className="ci-flags">
          {c.flags.map((f) => (
            <span key={f} className={f === 'far' || f === 'noPhoto' ? 'ci-flag ci-flag-bad' : 'ci-flag'}>
              {CHECKIN_FLAG_LABELS[f]}
            </span>
          ))}
          {late ? <span className="muted"> {shanghaiMinute(c.receivedAt)} 上传</span> : null}
        </div>
      ) : null}
    </div>
  );
}

export default function CheckinPage() {
  useDocumentTitle('考勤打卡');
  const qc = useQueryClient();
  const { message } = useFeedback();
  const me = useMe().data;
  // The page's first read may have come with its scripts (contract/modules/firstsec.ts `data`; app/api.ts fetchEarly).
  const [early] = useState(() => takeEarly<FsMe>('/api/first-secretaries/me', {}));
  const mine = useQuery({
    queryKey: ['firstsec', 'me'],
    queryFn: () => api.get<FsMe>('/api/first-secretaries/me'),
    initialData: early?.data,
    initialDataUpdatedAt: early?.at,
  });
  const checks = useQuery({
    queryKey: ['firstsec', 'me', 'checks'],
    queryFn: () => api.get<SpotCheckView[]>('/api/first-secretaries/me/spot-checks'),
    refetchInterval: 60_000,
  });
  const leaves = useQuery({
    queryKey: ['firstsec', 'me', 'leaves'],
    queryFn: () => api.get<Page<LeaveView>>('/api/first-secretaries/leaves', { pageSize: 5 }),
  });
  const waiting = useOfflineItems<CheckinPayload>(CHECKIN_KIND);
  const [step, setStep] = useState<string | null>(null);
  const [err, setErr] = useState<unknown>(null);
  const [done, setDone] = useState<CheckinView | null>(null);
  const [kept, setKept] = useState(false);

  // A check-in that went from the queue refreshes the page.
  useEffect(
    () =>
      offline.on((e) => {
        if (e.type === 'sent' && e.kind === CHECKIN_KIND) void qc.invalidateQueries({ queryKey: ['firstsec', 'me'] });
      }),
    [qc],
  );

  const open = checks.data?.find((c) => c.state === 'open');

  const checkIn = async (file: File | null) => {
    if (!me || !mine.data) return;
    setErr(null);
    setDone(null);
    setKept(false);
    const clientId = newClientId();
    const madeAt = new Date().toISOString();
    const where = position();
    const payload: CheckinPayload = { madeAt, checkId: open?.id };
    try {
      if (file) {
        setStep('正在处理照片…');
        const p = await preparePhoto(file, mine.data.maxPhotoBytes, { shrink: photoShrinkOn() });
        await offline.putBlob(clientId, 'photo', p.blob);
        payload.photo = { id: 'photo', name: p.name, type: p.type, capturedAt: p.capturedAt };
      }
      setStep('正在定位…');
      const pos = await where;
      if (pos) {
        payload.lat = pos.coords.latitude;
        payload.lng = pos.coords.longitude;
        payload.accuracy = pos.coords.accuracy;
      }
      setStep('正在上传…');
      const made = await offline.queue<CheckinPayload, CheckinView>(CHECKIN_KIND, payload, {
        clientId,
        userId: me.id,
        onProgress: setStep,
      });
      setDone(made);
      message.success(made.flags.includes('far') ? '已打卡，但位置距驻村地点较远' : '打卡成功');
      await qc.invalidateQueries({ queryKey: ['firstsec', 'me'] });
    } catch (e) {
      if (e instanceof PhotoRefused) setErr(e);
      else if (isRetryable(e)) {
        setKept(true);
        message.info(OFFLINE_MESSAGE);
      } else setErr(new Error(errorMessage(e)));
    } finally {
      setStep(null);
    }
  };

  if (mine.isLoading) return <Skeleton active />;
  if (mine.error || !mine.data) return <ErrorAlert err={mine.error ?? new Error('未找到您的驻村信息')} />;
  const m = mine.data;
  const s = m.secretary;
  const month = s.attendance;
  const owesDays = FS_DAYS_ROLES.includes(s.role);
  const pending = waiting.items.filter((i) => i.state === 'pending').length;

  return (
    <div className="ci-page">
      <div className="ci-head">
        <h1>考勤打卡</h1>
        <div className="muted">
          {s.name} · {s.orgName}
        </div>
      </div>

      {open ? (
        <Alert
          type="warning"
          showIcon
          className="ci-check"
          title={`不打招呼抽查：请在 ${shanghaiMinute(open.dueAt).slice(11)} 前拍摄现场照片打卡`}
          description="点下方“拍照打卡”即回应抽查；逾时未回应记为当天不在岗。"
          data-testid="checkin-spot"
        />
      ) : null}

      <Card size="small" className="ci-today" data-testid="checkin-today">
        {m.checkedInToday || done ? (
          <div className="ci-ok">
            <CheckCircleFilled /> 今天已打卡
            {done ? <span className="muted"> · {distanceText(done.distanceM)}</span> : null}
          </div>
        ) : (
          <div className="ci-not">今天（{dateText(m.today)}）尚未打卡</div>
        )}
        {!m.office ? <div className="mr-hint">驻村地点尚未标注位置，打卡只记录时间和照片，请联系乡镇标注。</div> : null}
        <label className={step ? 'ci-shoot ci-shoot-busy' : 'ci-shoot'} data-testid="checkin-shoot">
          <CameraOutlined /> {step ?? (open ? '拍照回应抽查' : '拍照打卡')}
          <input
            type="file"
            accept="image/*"
            capture="environment"
            hidden
            disabled={!!step}
            onChange={(e) => {
              const f = e.target.files?.[0] ?? null;
              e.target.value = '';
              if (f) void checkIn(f);
            }}
            data-testid="checkin-photo"
          />
        </label>
        <Button
          type="link"
          disabled={!!step}
          onClick={() => void checkIn(null)}
          icon={<EnvironmentOutlined />}
          data-testid="checkin-nophoto"
        >
          无法拍照？仅定位打卡（将标记“未拍现场照片”）
        </Button>
        {kept ? <div className="mr-hint">{OFFLINE_MESSAGE}（打卡时间按拍摄时记录）</div> : null}
        <ErrorAlert err={err} style={{ marginTop: 8 }} />
        {done?.flags.length ? (
          <div className="ci-flags" data-testid="checkin-flags">
            {done.flags.map((f) => (
              <span key={f} className="ci-flag ci-flag-bad">
                {CHECKIN_FLAG_LABELS[f]}
              </span>
            ))}
          </div>
        ) : null}
      </Card>

      {waiting.items.length ? (
        <Card
          size="small"
          className="mr-card"
          title={`待上传的打卡（${waiting.items.length}）`}
          data-testid="checkin-waiting"
        >
          {waiting.items.map((i) => (
            <div key={i.clientId} className="ci-line">
              {shanghaiMinute(i.payload.madeAt)}{' '}
              {i.lastError ? (
                <span className="task-overdue">{i.lastError}</span>
              ) : (
                <span className="muted">等待网络</span>
              )}
            </div>
          ))}
          {pending ? (
            <Button icon={<ReloadOutlined />} loading={waiting.syncing} onClick={waiting.retry}>
              立即上传
            </Button>
          ) : null}
        </Card>
      ) : null}

      <ReportDue me={m} />

      <Card
        size="small"
        className="mr-card"
        title={owesDays ? '本月在村' : '本月到联系的组织'}
        data-testid="checkin-month"
      >
        <div className="ci-month">
          <span className={isShort(month, m.today) ? 'ci-big task-overdue' : 'ci-big'}>{month.daysIn}</span> 天
          {owesDays ? <span className="muted"> / 应不少于 {month.required} 天</span> : null}
        </div>
        <div className="muted">
          在岗工作日 {month.workingDays} 天{month.leaveDays ? `，经批准请假 ${month.leaveDays} 天` : ''}
          {month.judged
            ? month.gapAlert
              ? `；最长连续 ${month.longestGap} 个工作日未打卡`
              : ''
            : '；本月账号未满月，不作考核，从下月起按月检查'}
        </div>
      </Card>

      <Card size="small" className="mr-card" title="最近打卡">
        {m.recent.length ? (
          m.recent.map((c) => <CheckinLine key={c.id} c={c} />)
        ) : (
          <span className="muted">还没有打卡记录。</span>
        )}
      </Card>

      <LeaveBox
        leaves={leaves.data?.items ?? []}
        onDone={() => void qc.invalidateQueries({ queryKey: ['firstsec', 'me'] })}
      />
    </div>
  );
}

/** 定期汇报: the report owed first (overdue, then the nearest due date) and a link to the report page; text only (this page must load fast). */
function ReportDue({ me }: { me: FsMe }) {
  const owed = me.reports.find((r) => r.state === 'overdue' || r.state === 'notDue');
  const overdue = owed?.state === 'overdue';
  return (
    <Card size="small" className="mr-card" data-testid="checkin-report">
      <div className="ci-report">
        <div>
          {owed ? (
            <>
              <b className={overdue ? 'task-overdue' : undefined}>
                {owed.periodLabel}
                {FS_REPORT_WORDS[owed.kind]}
              </b>
              <div className={overdue ? 'task-overdue' : 'muted'}>
                {overdue ? `已逾期，应于 ${owed.dueOn} 前提交` : `请于 ${owed.dueOn} 前提交`}
              </div>
            </>
          ) : (
            <span className="muted">暂无待交的定期汇报</span>
          )}
          {me.reminders.length ? <div className="muted">有 {me.reminders.length} 条汇报提醒</div> : null}
        </div>
        <Link to="/first-secretaries/report" data-testid="checkin-report-link">
          写工作日志 ›
        </Link>
      </div>
    </Card>
  );
}

/** 请假: the latest requests with both sides' decisions; the request form (its date picker is heavy) loads when asked for. */
function LeaveBox({ leaves, onDone }: { leaves: LeaveView[]; onDone: () => void }) {
  const [open, setOpen] = useState(false);
  const side = (d: LeaveView['township']) => (d.approve === null ? '待审批' : d.approve ? '已批准' : '不批准');
  return (
    <Card
      size="small"
      className="mr-card"
      title="请假"
      extra={
        open ? null : (
          <Button size="small" onClick={() => setOpen(true)} data-testid="leave-new">
            申请请假
          </Button>
        )
      }
    >
      {open ? (
        <Suspense fallback={<Skeleton active paragraph={{ rows: 2 }} />}>
          <LeaveForm
            onClose={() => setOpen(false)}
            onDone={() => {
              setOpen(false);
              onDone();
            }}
          />
        </Suspense>
      ) : null}
      {leaves.length ? (
        leaves.map((l) => (
          <div key={l.id} className="ci-line">
            <div>
              <b>
                {dateText(l.fromDate)} 至 {dateText(l.toDate)}
              </b>{' '}
              <span className="muted">
                {l.days} 天 · {LEAVE_STATUS_LABELS[l.status]}
              </span>
            </div>
            <div className="muted">
              {l.reason} · 乡镇{side(l.township)}，派出单位{side(l.unit)}
            </div>
          </div>
        ))
      ) : open ? null : (
        <span className="muted">没有请假记录。</span>
      )}
    </Card>
  );
}
