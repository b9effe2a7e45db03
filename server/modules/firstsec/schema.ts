/**
 * Tables of the first-secretaries module (issue 20): the roster of people posted to villages and
 * organizations, their check-ins (the position sealed, the distance and marks in clear), leave with the
 * two approvals, unannounced checks, periodic reports and their comments, and the villages' designations
 * that call for a first secretary (FS-1). Distributed by county_code (docs/SCALE.md).
 */
import { boolean, date, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
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
