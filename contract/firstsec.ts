/**
 * First secretaries, village work teams and two-new Party-building instructors (issue 20): the roster,
 * their accounts, check-ins, leave and the days in the village. Paths and fields spelled out by the issue
 * are a contract: `/api/first-secretaries` (`name`, `idNumber`, `role`, `dispatchUnit`, `orgId`,
 * `startDate`, `endDate`, `memberId`), `POST /api/first-secretaries/:id/account` → `username`,
 * `oneTimePassword`, `POST /api/checkins` → `id`, `distanceM`, `flags`.
 */
import { z } from 'zod';
import { isoDate, pageQuery, uuidStr } from './common.ts';
import { fsOwedReport, fsReminderView } from './firstsec-reports.ts';
import { CHECKIN_FLAGS, FS_AREAS, FS_ROLES, FS_STATUSES, LEAVE_STATUSES, ORG_DESIGNATIONS } from './labels.ts';

export {
  CHECKIN_FLAG_LABELS,
  CHECKIN_FLAGS,
  FS_AREA_LABELS,
  FS_AREAS,
  FS_ROLE_LABELS,
  FS_ROLES,
  FS_STATUS_LABELS,
  FS_STATUSES,
  LEAVE_STATUS_LABELS,
  LEAVE_STATUSES,
  ORG_DESIGNATION_LABELS,
  ORG_DESIGNATIONS,
} from './labels.ts';

const text = (max: number) => z.string().trim().max(max);

/** POST /api/first-secretaries: a person posted to an organization (an existing member may be named by `memberId`). */
export const fsCreate = z.strictObject({
  name: text(30).min(1, '请填写姓名'),
  /** Required unless `memberId` names a member (whose number is used). */
  idNumber: text(18).optional(),
  memberId: uuidStr.optional(),
  role: z.enum(FS_ROLES),
  /** 派出单位. */
  dispatchUnit: text(100).min(1, '请填写派出单位'),
  /** The dispatching unit's own Party organization on the platform, when it has one: its accounts approve leave. */
  dispatchOrgId: uuidStr.optional(),
  /** The dispatching unit's liaison and office line (派出单位联络人). */
  liaison: text(100).optional(),
  /** Where the person is posted (派驻村、组织). */
  orgId: uuidStr,
  startDate: isoDate,
  /** The term's planned end (FS-2: 1–3 years). */
  endDate: isoDate,
  areas: z.array(z.enum(FS_AREAS)).max(FS_AREAS.length).optional(),
});

/** PATCH /api/first-secretaries/:id: any field of the roster, and ending or recalling a posting. */
export const fsPatch = z.strictObject({
  version: z.number().int().min(1),
  name: text(30).min(1, '请填写姓名').optional(),
  role: z.enum(FS_ROLES).optional(),
  dispatchUnit: text(100).min(1, '请填写派出单位').optional(),
  dispatchOrgId: uuidStr.nullable().optional(),
  liaison: text(100).nullable().optional(),
  startDate: isoDate.optional(),
  endDate: isoDate.optional(),
  areas: z.array(z.enum(FS_AREAS)).max(FS_AREAS.length).optional(),
  /** ended (任期结束) or recalled (召回调整) from `endedOn`, with the reason. */
  status: z.enum(FS_STATUSES).optional(),
  endedOn: isoDate.optional(),
  endReason: text(200).optional(),
});

export const fsListQuery = z.strictObject({
  orgId: uuidStr.optional(),
  status: z.enum(FS_STATUSES).optional(),
  role: z.enum(FS_ROLES).optional(),
  q: text(30).optional(),
  /** The month the attendance columns count (default: this month). */
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 2026-12')
    .optional(),
  ...pageQuery,
});

/** A month's days in the village, as counted from check-ins and approved leave (FS-2). */
export const fsMonth = z.object({
  month: z.string(),
  /** Days with at least one check-in in the village (within the distance), up to today. */
  daysIn: z.number().int(),
  /** Working days of the month in the posting (up to today while the month runs). */
  workingDays: z.number().int(),
  /** Working days on approved leave. */
  leaveDays: z.number().int(),
  /** Days the setting asks for (≥2/3 of the working days not on leave, or the county's days a month). */
  required: z.number().int(),
  /** Days of the longest run without a check-in, leave excluded (空岗、脱岗 alert). */
  longestGap: z.number().int(),
  /** Check-ins marked (far, no photo, sent late). */
  flagged: z.number().int(),
  /** Whether that run reaches the county's alert for 空岗、脱岗 (setting firstsec.gapAlertDays). */
  gapAlert: z.boolean(),
  /** Whether FS-2 judges this month: the person's account was open all of it (from the month after it was opened). */
  judged: z.boolean(),
});

export const fsView = z.object({
  id: z.string(),
  name: z.string(),
  /** First and last character only (SEC-16). */
  idNumberMasked: z.string(),
  memberId: z.string().nullable(),
  role: z.enum(FS_ROLES),
  dispatchUnit: z.string(),
  dispatchOrgId: z.string().nullable(),
  dispatchOrgName: z.string().nullable(),
  liaison: z.string().nullable(),
  orgId: z.string(),
  orgName: z.string(),
  /** The township (or county unit) above the posted organization. */
  townshipName: z.string().nullable(),
  startDate: z.string(),
  endDate: z.string(),
  status: z.enum(FS_STATUSES),
  endedOn: z.string().nullable(),
  endReason: z.string().nullable(),
  areas: z.array(z.enum(FS_AREAS)),
  /** The person's own account, when opened. */
  username: z.string().nullable(),
  version: z.number().int(),
  attendance: fsMonth,
});

export const fsAccount = z.object({ username: z.string(), oneTimePassword: z.string() });

/**
 * POST /api/checkins: multipart with fields `lat`, `lng`, `accuracy`, `madeAt` (when it was made on the
 * phone, for a check-in kept offline), `clientId` (the phone's id of it: a resend answers the first), `checkId`
 * (the unannounced check it answers), and the file `photo`. Marked, never refused, for distance or a missing photo.
 */
export const checkinFields = z.strictObject({
  lat: z.coerce.number().min(-90).max(90).optional(),
  lng: z.coerce.number().min(-180).max(180).optional(),
  accuracy: z.coerce.number().min(0).max(100_000).optional(),
  madeAt: z.iso.datetime({ offset: true }).optional(),
  clientId: uuidStr.optional(),
  checkId: uuidStr.optional(),
  note: text(200).optional(),
  /** The photo's own capture time as the phone read it before shrinking it (the evidence pipeline's `capturedAt`). */
  capturedAt: z.iso.datetime({ offset: true }).optional(),
});

export const checkinView = z.object({
  id: z.string(),
  /** Metres from the posted organization's office; null without a position or an office location. */
  distanceM: z.number().int().nullable(),
  flags: z.array(z.enum(CHECKIN_FLAGS)),
  fsId: z.string(),
  name: z.string(),
  orgName: z.string(),
  /** When it was made (the phone's clock for an offline one) and when it reached the server. */
  madeAt: z.string(),
  receivedAt: z.string(),
  /** The Beijing day it counts for. */
  day: z.string(),
  accuracyM: z.number().int().nullable(),
  hasPhoto: z.boolean(),
  note: z.string().nullable(),
  /** Whether this check-in answered an unannounced check. */
  checkId: z.string().nullable(),
});

export const checkinListQuery = z.strictObject({
  fsId: uuidStr.optional(),
  orgId: uuidStr.optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  flagged: z.enum(['true', 'false']).optional(),
  ...pageQuery,
});

/** POST /api/first-secretaries/leaves: the person's own request (from, to inclusive) with its reason. */
export const leaveCreate = z.strictObject({
  fromDate: isoDate,
  toDate: isoDate,
  reason: text(300).min(1, '请填写请假事由'),
  clientId: uuidStr.optional(),
});
/** POST /api/first-secretaries/leaves/:id/decide: the township's or the dispatching unit's decision. */
export const leaveDecision = z
  .strictObject({ approve: z.boolean(), comment: text(300).optional() })
  .refine((b) => b.approve || !!b.comment, { message: '不批准时请写明原因', path: ['comment'] });

export const leaveView = z.object({
  id: z.string(),
  fsId: z.string(),
  name: z.string(),
  orgName: z.string(),
  fromDate: z.string(),
  toDate: z.string(),
  days: z.number().int(),
  reason: z.string(),
  status: z.enum(LEAVE_STATUSES),
  /** Each side's decision: the township (乡镇党委) and the dispatching unit (派出单位). */
  township: z.object({
    approve: z.boolean().nullable(),
    byName: z.string().nullable(),
    comment: z.string().nullable(),
    at: z.string().nullable(),
  }),
  unit: z.object({
    approve: z.boolean().nullable(),
    byName: z.string().nullable(),
    comment: z.string().nullable(),
    at: z.string().nullable(),
  }),
  createdAt: z.string(),
  /** What the reader may decide now: as the township, as the dispatching unit, or cancel (the person). */
  can: z.object({ township: z.boolean(), unit: z.boolean(), cancel: z.boolean() }),
});
export const leaveListQuery = z.strictObject({
  fsId: uuidStr.optional(),
  status: z.enum(LEAVE_STATUSES).optional(),
  ...pageQuery,
});

/** The first secretary's own page: who, where, today's check-in and the month so far. */
export const fsMe = z.object({
  secretary: fsView,
  office: z.object({ lat: z.number(), lng: z.number() }).nullable(),
  farMeters: z.number().int(),
  today: z.string(),
  checkedInToday: z.boolean(),
  recent: z.array(checkinView),
  maxPhotoBytes: z.number().int(),
  /** The periodic reports owed (定期汇报, FS-4): each kind's last ended period and the running one. */
  reports: z.array(fsOwedReport),
  /** Unread reminders of reports coming due or overdue. */
  reminders: z.array(fsReminderView),
});

/** An unannounced check (不打招呼抽查): open (due not yet passed), answered (in time), late (answered after the due time), missed. */
export const spotCheckView = z.object({
  id: z.string(),
  fsId: z.string(),
  name: z.string(),
  orgName: z.string(),
  askedAt: z.string(),
  dueAt: z.string(),
  /** null: drawn by the platform. */
  askedByName: z.string().nullable(),
  seed: z.string().nullable(),
  state: z.enum(['open', 'answered', 'late', 'missed']),
  answeredAt: z.string().nullable(),
  checkinId: z.string().nullable(),
});

/** PUT /api/first-secretaries/designations/:id: the village's designations for FS-1, each from a day (to a day). */
export const designationsBody = z.strictObject({
  designations: z
    .array(z.strictObject({ kind: z.enum(ORG_DESIGNATIONS), fromDate: isoDate, toDate: isoDate.nullable().optional() }))
    .max(20),
});
export const designationView = z.object({
  kind: z.enum(ORG_DESIGNATIONS),
  fromDate: z.string(),
  toDate: z.string().nullable(),
});
