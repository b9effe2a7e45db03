/**
 * Tables of the first-secretaries module (issue 20): the roster of people posted to villages and
 * organizations, their check-ins (the position sealed, the distance and marks in clear), leave with the
 * two approvals, unannounced checks, periodic reports and their comments, and the villages' designations
 * that call for a first secretary (FS-1). Distributed by county_code (docs/SCALE.md).
 */
import {
  boolean,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { countyCode, countyKey, createdAt, id, updatedAt } from '../../db/columns.ts';

/** A person posted (第一书记、驻村工作队员、党建指导员): ID number sealed with a blind index (SEC-16). */
export const firstSecretaries = pgTable(
  'first_secretaries',
  {
    id: id(),
    countyCode: countyCode(),
    /** firstSecretary | workTeam | instructor (contract/labels.ts FS_ROLES) */
    role: text('role').notNull(),
    name: text('name').notNull(),
    idEnc: text('id_enc').notNull(),
    idBidx: text('id_bidx').notNull(),
    memberId: uuid('member_id'),
    orgId: uuid('org_id').notNull(),
    dispatchUnit: text('dispatch_unit').notNull(),
    dispatchOrgId: uuid('dispatch_org_id'),
    liaison: text('liaison'),
    startDate: date('start_date').notNull(),
    endDate: date('end_date').notNull(),
    /** serving | ended | recalled */
    status: text('status').notNull().default('serving'),
    endedOn: date('ended_on'),
    endReason: text('end_reason'),
    areas: jsonb('areas').notNull().default([]),
    userId: uuid('user_id'),
    version: integer('version').notNull().default(1),
    createdBy: uuid('created_by').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    countyKey(t),
    index('first_secretaries_org_idx').on(t.countyCode, t.orgId),
    index('first_secretaries_user_idx').on(t.countyCode, t.userId),
  ],
);

/**
 * A check-in (考勤打卡): when it was made on the phone and when it arrived, the position sealed (a
 * person's whereabouts), its accuracy, the distance to the posted office and the marks; the on-the-spot
 * photo through the evidence pipeline (absent: marked noPhoto). `client_id` makes a resend answer the first.
 */
export const fsCheckins = pgTable(
  'fs_checkins',
  {
    id: id(),
    countyCode: countyCode(),
    fsId: uuid('fs_id').notNull(),
    orgId: uuid('org_id').notNull(),
    /** The Beijing day of made_at: the day it counts for. */
    day: date('day').notNull(),
    madeAt: timestamp('made_at', { withTimezone: true }).notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    positionEnc: text('position_enc'),
    accuracyM: integer('accuracy_m'),
    distanceM: integer('distance_m'),
    flags: jsonb('flags').notNull().default([]),
    note: text('note'),
    clientId: uuid('client_id'),
    checkId: uuid('check_id'),
    blobKey: text('blob_key'),
    sm3: text('sm3'),
    sourceSm3: text('source_sm3'),
    size: integer('size'),
    mime: text('mime'),
    width: integer('width'),
    height: integer('height'),
    capturedAt: timestamp('captured_at', { withTimezone: true }),
    thumbKey: text('thumb_key'),
    thumbSm3: text('thumb_sm3'),
    createdBy: uuid('created_by').notNull(),
  },
  (t) => [
    countyKey(t),
    index('fs_checkins_fs_day_idx').on(t.countyCode, t.fsId, t.day),
    uniqueIndex('fs_checkins_client_idx').on(t.countyCode, t.clientId),
  ],
);

/** A leave request (请假): approved when both the township and the dispatching unit approve; refused by either. */
export const fsLeaves = pgTable(
  'fs_leaves',
  {
    id: id(),
    countyCode: countyCode(),
    fsId: uuid('fs_id').notNull(),
    fromDate: date('from_date').notNull(),
    toDate: date('to_date').notNull(),
    reason: text('reason').notNull(),
    /** pending | approved | rejected | cancelled */
    status: text('status').notNull().default('pending'),
    townApprove: boolean('town_approve'),
    townBy: uuid('town_by'),
    townAt: timestamp('town_at', { withTimezone: true }),
    townComment: text('town_comment'),
    unitApprove: boolean('unit_approve'),
    unitBy: uuid('unit_by'),
    unitAt: timestamp('unit_at', { withTimezone: true }),
    unitComment: text('unit_comment'),
    clientId: uuid('client_id'),
    createdBy: uuid('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    countyKey(t),
    index('fs_leaves_fs_idx').on(t.countyCode, t.fsId, t.fromDate),
    uniqueIndex('fs_leaves_client_idx').on(t.countyCode, t.clientId),
  ],
);

/**
 * An unannounced check (不打招呼抽查): an inspector, or the platform at a time it drew (its seed kept),
 * asks for an on-the-spot photo by `due_at`; the check-in that answers it, or none (absence).
 */
export const fsSpotChecks = pgTable(
  'fs_spot_checks',
  {
    id: id(),
    countyCode: countyCode(),
    fsId: uuid('fs_id').notNull(),
    askedAt: timestamp('asked_at', { withTimezone: true }).notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    /** null: drawn by the platform (seed). */
    askedBy: uuid('asked_by'),
    seed: text('seed'),
    answeredBy: uuid('answered_by'),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [countyKey(t), index('fs_spot_checks_fs_idx').on(t.countyCode, t.fsId, t.askedAt)],
);

/** The villages' designations that call for a first secretary (FS-1), each from a day to a day. */
export const orgDesignations = pgTable(
  'org_designations',
  {
    id: id(),
    countyCode: countyCode(),
    orgId: uuid('org_id').notNull(),
    /** weak | povertyExit | relocation | revitalization */
    kind: text('kind').notNull(),
    fromDate: date('from_date').notNull(),
    toDate: date('to_date'),
    setBy: uuid('set_by').notNull(),
    setAt: timestamp('set_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [countyKey(t), index('org_designations_org_idx').on(t.countyCode, t.orgId, t.kind)],
);

/**
 * A periodic report (定期汇报): a monthly work log, a quarterly or a yearly report, on the schedule the
 * county sets (manifest settings); tagged with the city's work areas (FS_AREAS). One per person, kind
 * and period ('2026-11', '2026-Q4', '2026'); `client_id` makes a resend from the phone answer the first.
 */
export const fsReports = pgTable(
  'fs_reports',
  {
    id: id(),
    countyCode: countyCode(),
    fsId: uuid('fs_id').notNull(),
    orgId: uuid('org_id').notNull(),
    /** monthly | quarterly | yearly (contract/labels.ts FS_REPORT_KINDS) */
    kind: text('kind').notNull(),
    period: text('period').notNull(),
    body: text('body').notNull(),
    areas: jsonb('areas').notNull().default([]),
    /** When it was written on the phone (a report kept offline arrives later). */
    madeAt: timestamp('made_at', { withTimezone: true }).notNull(),
    submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull().defaultNow(),
    clientId: uuid('client_id'),
    version: integer('version').notNull().default(1),
    createdBy: uuid('created_by').notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [
    countyKey(t),
    uniqueIndex('fs_reports_period_idx').on(t.countyCode, t.fsId, t.kind, t.period),
    uniqueIndex('fs_reports_client_idx').on(t.countyCode, t.clientId),
  ],
);

/** A comment on a report by the township, the dispatching unit or the county (阅示). */
export const fsReportComments = pgTable(
  'fs_report_comments',
  {
    id: id(),
    countyCode: countyCode(),
    reportId: uuid('report_id').notNull(),
    /** town | unit | county */
    side: text('side').notNull(),
    text: text('text').notNull(),
    createdBy: uuid('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [countyKey(t), index('fs_report_comments_report_idx').on(t.countyCode, t.reportId)],
);

/** A reminder the daily job wrote for a report coming due or overdue (shown on the person's phone and the roster). */
export const fsReminders = pgTable(
  'fs_reminders',
  {
    id: id(),
    countyCode: countyCode(),
    fsId: uuid('fs_id').notNull(),
    /** report:monthly:2026-11 and the like: what it reminds of */
    subject: text('subject').notNull(),
    dueOn: date('due_on').notNull(),
    /** due | overdue */
    stage: text('stage').notNull(),
    text: text('text').notNull(),
    createdAt: createdAt(),
    readAt: timestamp('read_at', { withTimezone: true }),
  },
  (t) => [countyKey(t), uniqueIndex('fs_reminders_subject_idx').on(t.countyCode, t.fsId, t.subject, t.stage)],
);

/** A training or exchange session (培训、座谈交流) the county or a township holds for the people posted. */
export const fsTrainings = pgTable(
  'fs_trainings',
  {
    id: id(),
    countyCode: countyCode(),
    /** The organizing organization (the county's or a township's committee). */
    orgId: uuid('org_id').notNull(),
    /** training | exchange */
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    heldOn: date('held_on').notNull(),
    place: text('place').notNull().default(''),
    hours: numeric('hours', { precision: 4, scale: 1 }),
    content: text('content').notNull().default(''),
    version: integer('version').notNull().default(1),
    createdBy: uuid('created_by').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [countyKey(t), index('fs_trainings_day_idx').on(t.countyCode, t.heldOn)],
);

/** Who was called to a session and whether they came (present | leave | absent). */
export const fsTrainingAttendance = pgTable(
  'fs_training_attendance',
  {
    id: id(),
    countyCode: countyCode(),
    trainingId: uuid('training_id').notNull(),
    fsId: uuid('fs_id').notNull(),
    status: text('status').notNull(),
    note: text('note'),
  },
  (t) => [
    countyKey(t),
    uniqueIndex('fs_training_attendance_idx').on(t.countyCode, t.trainingId, t.fsId),
    index('fs_training_attendance_fs_idx').on(t.countyCode, t.fsId),
  ],
);

/** The county's management systems for first secretaries (七项管理制度): its own names and words, in order. */
export const fsSystems = pgTable(
  'fs_systems',
  {
    id: id(),
    countyCode: countyCode(),
    ord: integer('ord').notNull(),
    name: text('name').notNull(),
    content: text('content').notNull().default(''),
    updatedBy: uuid('updated_by'),
    updatedAt: updatedAt(),
  },
  (t) => [countyKey(t), uniqueIndex('fs_systems_ord_idx').on(t.countyCode, t.ord)],
);

/**
 * One of the "五个一" recorded by hand (FS-3): a practice summarized and spread, a practical problem
 * solved, an experience paper; confirmed by the township (or the county). The half-monthly day at the
 * organization and the quarterly themed Party day are read from check-ins and the life module.
 */
export const fsFiveItems = pgTable(
  'fs_five_items',
  {
    id: id(),
    countyCode: countyCode(),
    fsId: uuid('fs_id').notNull(),
    /** practice | deed | paper (contract/labels.ts FS_FIVE_KINDS) */
    kind: text('kind').notNull(),
    year: integer('year').notNull(),
    doneOn: date('done_on').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull().default(''),
    confirmedBy: uuid('confirmed_by'),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
    createdBy: uuid('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [countyKey(t), index('fs_five_items_fs_idx').on(t.countyCode, t.fsId, t.year)],
);

/** A manual score item of the yearly assessment, given by the township or the dispatching unit (or the county). */
export const fsScoreItems = pgTable(
  'fs_score_items',
  {
    id: id(),
    countyCode: countyCode(),
    fsId: uuid('fs_id').notNull(),
    year: integer('year').notNull(),
    /** town | unit | county */
    side: text('side').notNull(),
    score: numeric('score', { precision: 5, scale: 1 }).notNull(),
    comment: text('comment').notNull().default(''),
    givenBy: uuid('given_by').notNull(),
    givenAt: timestamp('given_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [countyKey(t), uniqueIndex('fs_score_items_idx').on(t.countyCode, t.fsId, t.year, t.side)],
);
