/**
 * 考勤打卡: what a first secretary opens most, on a phone in the village. One tap opens the camera;
 * the photo is shrunk on the phone while the position is read, and the check-in goes to the server with
 * the time it was made. Without a network it is kept on the phone (app/offline.ts, kind 'checkin') and
 * sent when the network returns; the server counts it for the day it was made and marks how late it
 * arrived. An unannounced check waiting for an answer is shown first, and the tap answers it. Below:
 * the periodic report owed (a line and a link to 工作日志), this month's days in the village, the latest
 * check-ins and leave (请假) with its two approvals.
 *
 * A light page (its manifest's `frame`): plain elements in its own frame (components/LightFrame.tsx),
 * no antd and no shell, so that it is usable within 3 s of a cold load on slow 4G (bench/phone.ts).
 * Opened with no network at all, it works from the card it kept at its last load (name, village, the
 * photo limit; saved as a draft: one day, gone at logout): the check-in is kept and sent later.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useState } from 'react';
import { Link } from 'react-router';
import type { z } from 'zod';
import { shanghaiMinute } from '../../../../contract/calendar.ts';
import type { fsMe as fsMeSchema } from '../../../../contract/firstsec.ts';
import { DEFAULT_MAX_IMAGE_MB } from '../../../../contract/limits.ts';
import {
  CHECKIN_FLAG_LABELS,
  FS_DAYS_ROLES,
  FS_REPORT_WORDS,
  LEAVE_STATUS_LABELS,
} from '../../../../contract/labels.ts';
import { ApiError, api, takeEarly } from '../../app/api.ts';
import { lastUserId, useMe } from '../../app/auth.ts';
import { loadDraft, saveDraft } from '../../app/drafts.ts';
import { errorMessage, RequestId } from '../../app/issues.tsx';
import { isRetryable, newClientId, OFFLINE_MESSAGE, offline, useOfflineItems } from '../../app/offline.ts';
import { PhotoRefused, photoShrinkOn, preparePhoto } from '../../app/photo-shrink.ts';
import { useDocumentTitle } from '../../app/title.ts';
import type { CheckinView, LeaveView, Page, SpotCheckView } from '../../app/types.ts';
import { LightFrame } from '../../components/LightFrame.tsx';
import { useOpenedOffline } from '../../components/LightGate.tsx';
import { PageSpin } from '../../components/PageSpin.tsx';
import { CHECKIN_KIND, type CheckinPayload } from './checkin-drafts.ts';
import { isShort } from './month-rule.ts';

/**
 * The leave form (a date range picker, antd) only when the person asks for leave, inside antd's root
 * (components/AppHooks.tsx): the page opens without either.
 */
const LeaveForm = lazy(async () => {
  const [hooks, form] = await Promise.all([import('../../components/AppHooks.tsx'), import('./CheckinLeaveForm.tsx')]);
  const Hooks = hooks.default;
  const Form = form.default;
  return {
    default: (p: React.ComponentProps<typeof Form>) => (
      <Hooks>
        <Form {...p} />
      </Hooks>
    ),
  };
});

type FsMe = z.infer<typeof fsMeSchema>;

/** What the page keeps of its last load, to open and check in with no network (a draft: one day, gone at logout). */
interface Card {
  name: string;
  orgName: string;
  maxPhotoBytes: number;
  hasOffice: boolean;
}
const cardKey = (userId: string) => `checkin.card.${userId}`;
/** The county's default photo limit (files.maxImageMB), when the page opens offline without a card. */
const DEFAULT_PHOTO_BYTES = DEFAULT_MAX_IMAGE_MB * 1024 * 1024;

const isNetworkError = (e: unknown) => e instanceof ApiError && e.status === 0;

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

function CameraIcon() {
  return (
    <svg viewBox="0 0 24 24" width="26" height="26" aria-hidden="true">
      <path
        d="M4 7h3l1.5-2h7L17 7h3a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V8a1 1 0 0 1 1-1z"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.8"
        strokeLinejoin="round"
      />
      <circle cx="12" cy="13" r="3.6" fill="none" stroke="currentColor" strokeWidth="1.8" />
    </svg>
  );
}

function CheckIcon() {
  return (
    <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" style={{ verticalAlign: '-3px' }}>
      <circle cx="12" cy="12" r="10" fill="currentColor" />
      <path d="M7 12.5l3.2 3.2L17 9" fill="none" stroke="#fff" strokeWidth="2.2" strokeLinecap="round" />
    </svg>
  );
}

/** A server error in Chinese, with the request id of a 5xx (plain, as the login page's). */
function LightError({ err }: { err: unknown }) {
  if (!err) return null;
  return (
    <div className="light-alert light-alert-error" role="alert">
      {errorMessage(err)}
      <RequestId err={err} />
    </div>
  );
}

/** A card of the page: a white box with its title and what sits on the title's right. */
function Box({
  title,
  extra,
  children,
  className,
  ...rest
}: {
  title?: React.ReactNode;
  extra?: React.ReactNode;
  children: React.ReactNode;
  className?: string;
  'data-testid'?: string;
}) {
  return (
    <section className={className ? `light-card ${className}` : 'light-card'} {...rest}>
      {title || extra ? (
        <div className="light-card-head">
          <h2>{title}</h2>
          {extra}
        </div>
      ) : null}
      {children}
    </section>
  );
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
  return (
    <LightFrame>
      <Checkin />
    </LightFrame>
  );
}

function Checkin() {
  const qc = useQueryClient();
  const meQ = useMe();
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
    enabled: !!mine.data,
  });
  const leaves = useQuery({
    queryKey: ['firstsec', 'me', 'leaves'],
    queryFn: () => api.get<Page<LeaveView>>('/api/first-secretaries/leaves', { pageSize: 5 }),
    enabled: !!mine.data,
  });
  // No network: the session check or the page's read unanswered. The person is who last signed in here.
  const openedOffline = useOpenedOffline();
  const netDown = openedOffline || (!mine.data && isNetworkError(mine.error));
  const userId = meQ.data?.id ?? (netDown ? lastUserId() : null);
  const waiting = useOfflineItems<CheckinPayload>(CHECKIN_KIND, userId);
  const [step, setStep] = useState<string | null>(null);
  const [err, setErr] = useState<unknown>(null);
  const [done, setDone] = useState<CheckinView | null>(null);
  const [note, setNote] = useState<{ text: string; bad?: boolean } | null>(null);

  // The card for opening offline, renewed at every load.
  const m = mine.data;
  useEffect(() => {
    if (!m || !meQ.data) return;
    saveDraft<Card>(cardKey(meQ.data.id), {
      name: m.secretary.name,
      orgName: m.secretary.orgName,
      maxPhotoBytes: m.maxPhotoBytes,
      hasOffice: !!m.office,
    });
  }, [m, meQ.data]);
  const card: Card | null = m
    ? { name: m.secretary.name, orgName: m.secretary.orgName, maxPhotoBytes: m.maxPhotoBytes, hasOffice: !!m.office }
    : netDown && userId
      ? (loadDraft<Card>(cardKey(userId))?.values ?? null)
      : null;

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
    if (!userId) return;
    setErr(null);
    setDone(null);
    setNote(null);
    const clientId = newClientId();
    const madeAt = new Date().toISOString();
    const where = position();
    const payload: CheckinPayload = { madeAt, checkId: open?.id };
    try {
      if (file) {
        setStep('正在处理照片…');
        const p = await preparePhoto(file, card?.maxPhotoBytes ?? DEFAULT_PHOTO_BYTES, { shrink: photoShrinkOn() });
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
        userId,
        onProgress: setStep,
      });
      setStep(null);
      setDone(made);
      setNote(
        made.flags.includes('far')
          ? { text: '已打卡，但位置距驻村地点较远', bad: true }
          : { text: `打卡成功（${shanghaiMinute(made.madeAt).slice(11)}）` },
      );
      void qc.invalidateQueries({ queryKey: ['firstsec', 'me'] });
    } catch (e) {
      if (e instanceof PhotoRefused) setErr(e);
      else if (isRetryable(e)) setNote({ text: `${OFFLINE_MESSAGE}（打卡时间按拍摄时记录）`, bad: true });
      else setErr(new Error(errorMessage(e)));
    } finally {
      setStep(null);
    }
  };

  if ((meQ.isLoading && !openedOffline) || (mine.isLoading && !netDown)) return <PageSpin />;
  if (!card || !userId)
    return (
      <LightError
        err={
          netDown
            ? new Error('当前没有网络，且本机没有保存您的驻村信息，请联网后打开此页')
            : (mine.error ?? new Error('未找到您的驻村信息'))
        }
      />
    );
  const pending = waiting.items.filter((i) => i.state === 'pending').length;

  return (
    <div className="ci-page">
      <div className="ci-head">
        <h1>考勤打卡</h1>
        <div className="muted">
          {card.name} · {card.orgName}
        </div>
      </div>

      {netDown ? (
        <div className="light-alert light-alert-warn" role="status" data-testid="checkin-offline">
          当前没有网络：照常拍照打卡，打卡先保存在本机，网络恢复后自动上传，按拍摄时间记录。
        </div>
      ) : null}

      {open ? (
        <div className="light-alert light-alert-warn ci-check" role="alert" data-testid="checkin-spot">
          <b>不打招呼抽查：请在 {shanghaiMinute(open.dueAt).slice(11)} 前拍摄现场照片打卡</b>
          <div>点下方“拍照打卡”即回应抽查；逾时未回应记为当天不在岗。</div>
        </div>
      ) : null}

      <Box className="ci-today" data-testid="checkin-today">
        {m?.checkedInToday || done ? (
          <div className="ci-ok">
            <CheckIcon /> 今天已打卡
            {done ? <span className="muted"> · {distanceText(done.distanceM)}</span> : null}
          </div>
        ) : m ? (
          <div className="ci-not">今天（{m.today}）尚未打卡</div>
        ) : null}
        {!card.hasOffice ? (
          <div className="mr-hint">驻村地点尚未标注位置，打卡只记录时间和照片，请联系乡镇标注。</div>
        ) : null}
        <label className={step ? 'ci-shoot ci-shoot-busy' : 'ci-shoot'} data-testid="checkin-shoot">
          <CameraIcon /> {step ?? (open ? '拍照回应抽查' : '拍照打卡')}
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
        <button
          type="button"
          className="light-link"
          disabled={!!step}
          onClick={() => void checkIn(null)}
          data-testid="checkin-nophoto"
        >
          无法拍照？仅定位打卡（将标记“未拍现场照片”）
        </button>
        {note ? (
          <div className={note.bad ? 'ci-note ci-note-bad' : 'ci-note'} role="status" data-testid="checkin-note">
            {note.text}
          </div>
        ) : null}
        <LightError err={err} />
        {done?.flags.length ? (
          <div className="ci-flags" data-testid="checkin-flags">
            {done.flags.map((f) => (
              <span key={f} className="ci-flag ci-flag-bad">
                {CHECKIN_FLAG_LABELS[f]}
              </span>
            ))}
          </div>
        ) : null}
      </Box>

      {waiting.items.length ? (
        <Box title={`待上传的打卡（${waiting.items.length}）`} data-testid="checkin-waiting">
          {waiting.items.map((i) => (
            <div key={i.clientId} className="ci-line">
              {shanghaiMinute(i.payload.madeAt)}{' '}
              {/* Waiting (no network) in grey; refused by the server (back with the person) in red. */}
              <span className={i.state === 'pending' ? 'muted' : 'task-overdue'}>{i.lastError || '等待网络'}</span>
            </div>
          ))}
          {pending ? (
            <button type="button" className="light-btn" disabled={waiting.syncing} onClick={waiting.retry}>
              {waiting.syncing ? '正在上传…' : '立即上传'}
            </button>
          ) : null}
        </Box>
      ) : null}

      {m ? (
        <Loaded
          m={m}
          leaves={leaves.data?.items ?? []}
          onLeave={() => void qc.invalidateQueries({ queryKey: ['firstsec', 'me'] })}
        />
      ) : null}
    </div>
  );
}

/** What only the server's answer shows: the report owed, the month, the latest check-ins, leave. */
function Loaded({ m, leaves, onLeave }: { m: FsMe; leaves: LeaveView[]; onLeave: () => void }) {
  const s = m.secretary;
  const month = s.attendance;
  const owesDays = FS_DAYS_ROLES.includes(s.role);
  return (
    <>
      <ReportDue me={m} />

      <Box title={owesDays ? '本月在村' : '本月到联系的组织'} data-testid="checkin-month">
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
      </Box>

      <Box title="最近打卡">
        {m.recent.length ? (
          m.recent.map((c) => <CheckinLine key={c.id} c={c} />)
        ) : (
          <span className="muted">还没有打卡记录。</span>
        )}
      </Box>

      <LeaveBox leaves={leaves} onDone={onLeave} />
    </>
  );
}

/** 定期汇报: the report owed first (overdue, then the nearest due date) and a link to the report page; text only (this page must load fast). */
function ReportDue({ me }: { me: FsMe }) {
  const owed = me.reports.find((r) => r.state === 'overdue' || r.state === 'notDue');
  const overdue = owed?.state === 'overdue';
  return (
    <Box data-testid="checkin-report">
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
    </Box>
  );
}

/** 请假: the latest requests with both sides' decisions; the request form (its date picker is heavy) loads when asked for. */
function LeaveBox({ leaves, onDone }: { leaves: LeaveView[]; onDone: () => void }) {
  const [open, setOpen] = useState(false);
  const side = (d: LeaveView['township']) => (d.approve === null ? '待审批' : d.approve ? '已批准' : '不批准');
  return (
    <Box
      title="请假"
      extra={
        open ? null : (
          <button
            type="button"
            className="light-btn light-btn-small"
            onClick={() => setOpen(true)}
            data-testid="leave-new"
          >
            申请请假
          </button>
        )
      }
    >
      {open ? (
        <Suspense fallback={<PageSpin />}>
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
                {l.fromDate} 至 {l.toDate}
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
    </Box>
  );
}
