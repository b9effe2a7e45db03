/**
 * Periodic reports of first secretaries, work-team members and instructors (定期汇报, issue 20; rule
 * FS-4): the monthly work log, the quarterly report and the yearly summary on the county's schedule,
 * tagged with the work areas, read and commented by the township and the dispatching unit. The
 * schedule's arithmetic (a period's days, its due date) is here, without zod, for the server and pages.
 */
import { z } from 'zod';
import { pageQuery, uuidStr } from './common.ts';
import {
  FS_AREAS,
  FS_REPORT_KINDS,
  FS_REPORT_MIN_CHARS,
  FS_REPORT_PERIOD_FORMATS,
  FS_REPORT_SIDES,
  FS_REPORT_STATES,
  FS_ROLES,
  type FsReportKind,
} from './labels.ts';
import { addDays, daysInMonth, parsePeriod, periodOf } from './periods.ts';

export {
  FS_REPORT_KIND_LABELS,
  FS_REPORT_KINDS,
  FS_REPORT_SIDE_LABELS,
  FS_REPORT_STATE_LABELS,
  fsReportPeriodLabel,
} from './labels.ts';

/** The fewest characters a report's text may have (a line of what was done). */
export const REPORT_MIN_CHARS = FS_REPORT_MIN_CHARS;

const PERIOD_TYPE = { monthly: 'month', quarterly: 'quarter', yearly: 'year' } as const;

/** The period's first and last day, or null when `period` is not a period of this kind. */
export function reportBounds(kind: FsReportKind, period: string): { start: string; end: string } | null {
  if (!FS_REPORT_PERIOD_FORMATS[kind].test(period)) return null;
  const p = parsePeriod(period);
  return { start: p.start, end: p.end };
}

/** The period of this kind containing `date`. */
export function reportPeriodOf(kind: FsReportKind, date: string): string {
  return periodOf(PERIOD_TYPE[kind], date).period;
}

/** The period of this kind before the one containing `date` (the one whose report falls due next). */
export function previousReportPeriod(kind: FsReportKind, date: string): string {
  return periodOf(PERIOD_TYPE[kind], addDays(periodOf(PERIOD_TYPE[kind], date).start, -1)).period;
}

/**
 * The due date of a period's report: day `day` of the month after the period (a monthly log by the
 * 5th of the next month, a quarterly report by the 10th of the month after the quarter, a yearly
 * summary by the 20th of January), the month's last day when it has fewer days.
 */
export function reportDueOn(kind: FsReportKind, period: string, day: number): string {
  const b = reportBounds(kind, period);
  if (!b) throw new Error(`汇报期间格式不正确：${period}`);
  const next = addDays(b.end, 1);
  const y = Number(next.slice(0, 4));
  const m = Number(next.slice(5, 7));
  return `${next.slice(0, 7)}-${String(Math.min(Math.max(day, 1), daysInMonth(y, m))).padStart(2, '0')}`;
}

/** POST /api/first-secretaries/reports: the person's own report; `madeAt` is when it was written on the phone. */
export const reportCreate = z.strictObject({
  kind: z.enum(FS_REPORT_KINDS),
  /** '2026-11' (monthly), '2026-Q4' (quarterly), '2026' (yearly). */
  period: z.string().trim().max(7),
  body: z.string().trim().max(5000, '汇报内容不能超过 5000 字'),
  areas: z.array(z.enum(FS_AREAS)).max(FS_AREAS.length).default([]),
  madeAt: z.iso.datetime({ offset: true }).optional(),
  /** The phone's id of it: a resend answers the first. */
  clientId: uuidStr.optional(),
});
/** PATCH /api/first-secretaries/reports/:id: the author's correction, before anyone commented. */
export const reportPatch = z.strictObject({
  version: z.number().int().min(1),
  body: z.string().trim().max(5000, '汇报内容不能超过 5000 字').optional(),
  areas: z.array(z.enum(FS_AREAS)).max(FS_AREAS.length).optional(),
});
/** POST /api/first-secretaries/reports/:id/comments: the township's, the unit's or the county's comment (阅示). */
export const reportCommentBody = z.strictObject({
  text: z.string().trim().min(2, '请填写批阅意见').max(1000, '批阅意见不能超过 1000 字'),
});

export const reportListQuery = z.strictObject({
  fsId: uuidStr.optional(),
  kind: z.enum(FS_REPORT_KINDS).optional(),
  period: z.string().trim().max(7).optional(),
  orgId: uuidStr.optional(),
  ...pageQuery,
});

export const reportCommentView = z.object({
  id: z.string(),
  side: z.enum(FS_REPORT_SIDES),
  text: z.string(),
  byName: z.string().nullable(),
  at: z.string(),
});

export const reportView = z.object({
  id: z.string(),
  fsId: z.string(),
  name: z.string(),
  role: z.enum(FS_ROLES),
  orgId: z.string(),
  orgName: z.string(),
  kind: z.enum(FS_REPORT_KINDS),
  period: z.string(),
  /** 2026年11月 and the like. */
  periodLabel: z.string(),
  body: z.string(),
  areas: z.array(z.enum(FS_AREAS)),
  /** When it was written on the phone, and when it reached the server. */
  madeAt: z.string(),
  submittedAt: z.string(),
  /** The county's due date for it; null when it was not asked of the person (the kind is off the schedule, or the account was opened after the period began). */
  dueOn: z.string().nullable(),
  /** Days after the due date it was written (0: in time). */
  lateDays: z.number().int(),
  version: z.number().int(),
  comments: z.array(reportCommentView),
  /** What the reader may do: correct it (the author, before any comment); comment, and as which side. */
  can: z.object({ edit: z.boolean(), comment: z.enum(FS_REPORT_SIDES).nullable() }),
});

export const reportStatusQuery = z.strictObject({
  kind: z.enum(FS_REPORT_KINDS),
  period: z.string().trim().max(7),
  orgId: uuidStr.optional(),
});
export const reportStatusItem = z.object({
  fsId: z.string(),
  name: z.string(),
  role: z.enum(FS_ROLES),
  orgId: z.string(),
  orgName: z.string(),
  townshipName: z.string().nullable(),
  state: z.enum(FS_REPORT_STATES),
  reportId: z.string().nullable(),
  madeAt: z.string().nullable(),
  lateDays: z.number().int(),
  /** Why a report is not asked of the person (不要求): no account, the account opened later, not serving then. */
  note: z.string().nullable(),
});
export const reportStatusView = z.object({
  kind: z.enum(FS_REPORT_KINDS),
  period: z.string(),
  periodLabel: z.string(),
  dueOn: z.string().nullable(),
  counts: z.record(z.enum(FS_REPORT_STATES), z.number().int()),
  items: z.array(reportStatusItem),
});

/** A report the person owes (GET /api/first-secretaries/me `reports`): the last ended period and the running one of each kind asked. */
export const fsOwedReport = z.object({
  kind: z.enum(FS_REPORT_KINDS),
  period: z.string(),
  periodLabel: z.string(),
  dueOn: z.string(),
  state: z.enum(FS_REPORT_STATES),
  reportId: z.string().nullable(),
});
/** A reminder the daily job wrote (in-app only: the platform has no SMS or WeChat channel). */
export const fsReminderView = z.object({
  id: z.string(),
  text: z.string(),
  dueOn: z.string(),
  stage: z.enum(['due', 'overdue']),
  createdAt: z.string(),
});
