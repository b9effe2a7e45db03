/**
 * Tables of the organizational-life module (三会一课 and the rest, rules.md LIFE-1…LIFE-10), all
 * distributed by county_code (server/db/table-roles.ts, docs/SCALE.md).
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { countyCode, countyKey, createdAt, id, updatedAt } from '../../db/columns.ts';

/**
 * One meeting or other record of organizational life: a branch members' meeting, a committee
 * meeting, a lecture, a themed day, a talk… `kind` is a glossary code (contract/meetings.ts
 * MEETING_KINDS). A deleted record keeps its row (`deleted_at`) so the audit trail and the evidence
 * stay readable; every query of live records filters `deleted_at is null`.
 */
export const meetings = pgTable(
  'meetings',
  {
    id: id(),
    countyCode: countyCode(),
    orgId: uuid('org_id').notNull(),
    kind: text('kind').notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }),
    /** The Asia/Shanghai calendar date of `starts_at` (periods are counted in local time). */
    heldOn: date('held_on').notNull(),
    place: text('place'),
    /** LIFE-10: the chair is the secretary, a recorded delegate, or for a 党小组会 the group leader. */
    chairMemberId: uuid('chair_member_id'),
    chairName: text('chair_name'),
    /** Why someone other than the secretary chaired (the recorded delegation, LIFE-10). */
    chairDelegation: text('chair_delegation'),
    recorderMemberId: uuid('recorder_member_id'),
    recorderName: text('recorder_name'),
    /** Lectures: who gave it and on what. */
    lecturerMemberId: uuid('lecturer_member_id'),
    lecturerName: text('lecturer_name'),
    topic: text('topic'),
    agenda: text('agenda'),
    /** Minutes as HTML, sanitized by allow-list on the server before it is stored (SEC-20). */
    minutesHtml: text('minutes_html'),
    /** 谈心谈话: the other party of the talk (the chair is the one who talked). */
    counterpartMemberId: uuid('counterpart_member_id'),
    /** 组织生活会: the rectification (整改) record after it (LIFE-6). */
    rectification: text('rectification'),
    /** Guests and outside participants (联席会议 units): [{ name, unit }]. */
    guests: jsonb('guests').notNull().default([]),
    /** LIFE-2, taken when saved: committee members on the day and how many of them were present. */
    committeeSize: smallint('committee_size'),
    committeePresent: smallint('committee_present'),
    /** Counted towards its rule: false for a committee meeting without more than half the committee (LIFE-2). */
    valid: boolean('valid').notNull().default(true),
    /** The id a phone gave its offline draft: a draft sent twice makes one record (unique per county). */
    clientId: uuid('client_id'),
    createdBy: uuid('created_by'),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    deletedBy: uuid('deleted_by'),
  },
  (t) => [
    countyKey(t),
    index('meetings_org_idx').on(t.countyCode, t.orgId, t.kind, t.heldOn),
    index('meetings_kind_day_idx').on(t.countyCode, t.kind, t.heldOn),
    uniqueIndex('meetings_client_id_uq').on(t.countyCode, t.clientId),
  ],
);

/** Attendance of the organization's members: present, on leave (with the reason) or absent. */
export const meetingAttendance = pgTable(
  'meeting_attendance',
  {
    countyCode: countyCode(),
    meetingId: uuid('meeting_id').notNull(),
    memberId: uuid('member_id').notNull(),
    /** present | leave | absent */
    status: text('status').notNull(),
    reason: text('reason'),
    /** Copied from the meeting, so "when did this member last take part" (MEM-4) reads one index. */
    heldOn: date('held_on').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.countyCode, t.meetingId, t.memberId] }),
    index('meeting_attendance_member_idx').on(t.countyCode, t.memberId, t.heldOn),
  ],
);

/** What a meeting decided; a decision about a member is tagged with what it decides (LIFE-1). */
export const meetingDecisions = pgTable(
  'meeting_decisions',
  {
    id: id(),
    countyCode: countyCode(),
    meetingId: uuid('meeting_id').notNull(),
    /** admission | fullMembership | probationExtension | probationCancel | commendation | disposal | discipline | other */
    tag: text('tag').notNull(),
    memberId: uuid('member_id'),
    text: text('text').notNull(),
    sortOrder: smallint('sort_order').notNull().default(0),
  },
  (t) => [
    countyKey(t),
    index('meeting_decisions_meeting_idx').on(t.countyCode, t.meetingId),
    index('meeting_decisions_member_idx').on(t.countyCode, t.memberId),
  ],
);

/**
 * Evidence (影像留痕, SEC-17, SEC-21): a photo, video, scan or PDF attached to a record. The bytes
 * are in the file service under `blob_key`; `sm3` is checked on every download. Images are stored
 * re-encoded without their metadata; `source_sm3` is the digest of the bytes as uploaded (the same
 * file sent twice), `phash` a 64-bit perceptual hash (the same picture re-encoded), `captured_at`
 * the EXIF capture time kept on purpose as evidence metadata.
 */
export const evidence = pgTable(
  'evidence',
  {
    id: id(),
    countyCode: countyCode(),
    /** The record it belongs to: 'meeting' today; later tasks, inspections, reports. */
    ownerType: text('owner_type').notNull(),
    ownerId: uuid('owner_id').notNull(),
    /** The organization of the record, for scope without a join to every owner table. */
    orgId: uuid('org_id').notNull(),
    blobKey: text('blob_key').notNull(),
    sm3: text('sm3').notNull(),
    sourceSm3: text('source_sm3').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    kind: text('kind').notNull(),
    mime: text('mime').notNull(),
    /** The client's file name, for display only (never a path). */
    filename: text('filename').notNull(),
    width: integer('width'),
    height: integer('height'),
    capturedAt: timestamp('captured_at', { withTimezone: true }),
    /** 16 hex digits (dHash of the picture), null for what is not an image. */
    phash: text('phash'),
    thumbKey: text('thumb_key'),
    thumbSm3: text('thumb_sm3'),
    uploadedBy: uuid('uploaded_by'),
    createdAt: createdAt(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [
    countyKey(t),
    index('evidence_owner_idx').on(t.countyCode, t.ownerType, t.ownerId),
    index('evidence_source_sm3_idx').on(t.countyCode, t.sourceSm3),
    index('evidence_phash_idx').on(t.countyCode, t.phash),
  ],
);

/**
 * 民主评议 (LIFE-8): one grade per member per year, from the organization's appraisal; a 不合格
 * carries its handling (限期改正 with an end date that raises a review, 劝退, 除名).
 */
export const appraisalGrades = pgTable(
  'appraisal_grades',
  {
    id: id(),
    countyCode: countyCode(),
    orgId: uuid('org_id').notNull(),
    memberId: uuid('member_id').notNull(),
    year: smallint('year').notNull(),
    /** excellent | qualified | basicallyQualified | unqualified */
    grade: text('grade').notNull(),
    meetingId: uuid('meeting_id'),
    /** For unqualified: correct (限期改正) | persuade (劝退) | remove (除名). */
    handling: text('handling'),
    handlingNote: text('handling_note'),
    handlingEndsOn: date('handling_ends_on'),
    reviewedOn: date('reviewed_on'),
    reviewResult: text('review_result'),
    updatedBy: uuid('updated_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    countyKey(t),
    uniqueIndex('appraisal_grades_member_year_uq').on(t.countyCode, t.memberId, t.year),
    index('appraisal_grades_org_year_idx').on(t.countyCode, t.orgId, t.year),
    index('appraisal_grades_review_idx')
      .on(t.countyCode, t.handlingEndsOn)
      .where(sql`handling = 'correct' and reviewed_on is null`),
  ],
);
