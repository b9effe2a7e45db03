/**
 * Training and exchange sessions of first secretaries (培训、座谈交流, issue 20) with who was called and
 * whether they came; the county's management systems (七项管理制度); and the county-wide list of the
 * villages marked for a first secretary (FS-1) with who serves there.
 */
import { z } from 'zod';
import { isoDate, pageQuery, uuidStr } from './common.ts';
import { FS_ATTENDANCE, FS_ROLES, FS_TRAINING_KINDS, ORG_DESIGNATIONS } from './labels.ts';

export {
  FS_ATTENDANCE,
  FS_ATTENDANCE_LABELS,
  FS_DEFAULT_SYSTEMS,
  FS_TRAINING_KIND_LABELS,
  FS_TRAINING_KINDS,
} from './labels.ts';

const text = (max: number) => z.string().trim().max(max);
/** Hours of a session (numeric(4,1)): at most one decimal. */
const hours = z
  .number()
  .min(0, '学时不能为负数')
  .max(999, '学时过大')
  .refine((h) => Math.round(h * 10) === h * 10, '学时最多保留一位小数');

/** POST /api/first-secretaries/trainings: a session the writer's own committee (county or township) holds. */
export const trainingCreate = z.strictObject({
  kind: z.enum(FS_TRAINING_KINDS),
  /** Empty is refused with FS_TRAINING_TITLE (a code, not a field message). */
  title: text(100),
  heldOn: isoDate,
  place: text(100).default(''),
  hours: hours.nullable().optional(),
  content: text(5000).default(''),
  /** The people called: serving, posted within the organizer's subtree (FS_TRAINING_PEOPLE otherwise). */
  fsIds: z.array(uuidStr).min(1, '请选择参加人员').max(500, '一次最多 500 人'),
});

/** PATCH /api/first-secretaries/trainings/:id: any field, with the version read. */
export const trainingPatch = z.strictObject({
  version: z.number().int().min(1),
  kind: z.enum(FS_TRAINING_KINDS).optional(),
  title: text(100).optional(),
  heldOn: isoDate.optional(),
  place: text(100).optional(),
  hours: hours.nullable().optional(),
  content: text(5000).optional(),
  /** The whole list of people called; those kept keep their attendance. */
  fsIds: z.array(uuidStr).min(1, '请选择参加人员').max(500, '一次最多 500 人').optional(),
});

/** PUT /api/first-secretaries/trainings/:id/attendance: who came, for some or all of those called. */
export const attendanceBody = z.strictObject({
  entries: z
    .array(
      z.strictObject({
        fsId: uuidStr,
        status: z.enum(FS_ATTENDANCE),
        note: text(200).optional(),
      }),
    )
    .min(1, '请至少记录一人的出勤')
    .max(500),
});

export const trainingListQuery = z.strictObject({
  kind: z.enum(FS_TRAINING_KINDS).optional(),
  /** Only sessions this person was called to (their page). */
  fsId: uuidStr.optional(),
  year: z.coerce.number().int().min(2000, '年份不正确').max(2100, '年份不正确').optional(),
  ...pageQuery,
});

/** One person called to a session and, once recorded, whether they came (null: not yet recorded). */
export const trainingPersonView = z.object({
  fsId: uuidStr,
  name: z.string(),
  role: z.enum(FS_ROLES),
  orgName: z.string(),
  townshipName: z.string().nullable(),
  status: z.enum(FS_ATTENDANCE).nullable(),
  note: z.string().nullable(),
});

export const trainingSummary = z.object({
  id: uuidStr,
  kind: z.enum(FS_TRAINING_KINDS),
  title: z.string(),
  heldOn: isoDate,
  place: z.string(),
  hours: z.number().nullable(),
  orgId: uuidStr,
  /** The organizer (the county's or a township's committee). */
  orgName: z.string(),
  /** Counts over the people the reader may see. */
  called: z.number().int(),
  present: z.number().int(),
  leave: z.number().int(),
  absent: z.number().int(),
  /** With `fsId` in the query, or for a first secretary's own account: that person's attendance. */
  mine: z.object({ status: z.enum(FS_ATTENDANCE).nullable(), note: z.string().nullable() }).nullable(),
});

export const trainingView = trainingSummary.extend({
  content: z.string(),
  version: z.number().int(),
  createdByName: z.string().nullable(),
  people: z.array(trainingPersonView),
  /** The day has come: attendance may be recorded. */
  held: z.boolean(),
  can: z.object({ edit: z.boolean(), attend: z.boolean() }),
});

// ── The county's management systems ──

export const systemItem = z.object({
  ord: z.number().int(),
  name: z.string(),
  content: z.string(),
});

export const systemsView = z.object({
  items: z.array(systemItem),
  /** The county has recorded none: the seven the county plan names, with no text of their own. */
  defaults: z.boolean(),
  updatedAt: z.string().nullable(),
  updatedByName: z.string().nullable(),
  can: z.object({ edit: z.boolean() }),
});

/** PUT /api/first-secretaries/systems: the county's whole list in order (empty: back to the defaults). */
export const systemsBody = z.strictObject({
  items: z
    .array(
      z.strictObject({
        name: text(50).min(1, '请填写制度名称'),
        content: text(20000).default(''),
      }),
    )
    .max(30, '最多 30 项制度'),
});

// ── The county-wide list of marked villages (FS-1) ──

export const markedVillagesQuery = z.strictObject({
  /** A township (or any organization in scope) whose villages are listed; default the reader's own. */
  orgId: uuidStr.optional(),
  kind: z.enum(ORG_DESIGNATIONS).optional(),
  /** The day the marks and postings are read on (default today). */
  on: isoDate.optional(),
});

export const markedVillageView = z.object({
  orgId: uuidStr,
  orgName: z.string(),
  townshipId: uuidStr.nullable(),
  townshipName: z.string().nullable(),
  marks: z.array(z.object({ kind: z.enum(ORG_DESIGNATIONS), fromDate: isoDate, toDate: isoDate.nullable() })),
  people: z.array(z.object({ id: uuidStr, name: z.string(), role: z.enum(FS_ROLES), startDate: isoDate })),
  /** A serving first secretary (a work-team member is enough for 乡村振兴任务重的村 alone): FS-1 met. */
  met: z.boolean(),
  /** What FS-1 asks of this village: a first secretary, or (乡村振兴任务重的村 alone) either. */
  needs: z.enum(['firstSecretary', 'firstSecretaryOrTeam']),
});

export const markedVillagesView = z.object({
  on: isoDate,
  items: z.array(markedVillageView),
  total: z.number().int(),
  met: z.number().int(),
});
