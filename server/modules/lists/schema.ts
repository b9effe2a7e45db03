/**
 * Tables of the lists module (issue 19): tasks issued down the tree and each organization's share of
 * them (assignments, split level by level), their history and evidence, and the supervision's spot-check
 * draws. Distributed by county_code (docs/SCALE.md).
 */
import {
  bigint,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { countyCode, countyKey, createdAt, id, updatedAt } from '../../db/columns.ts';

/**
 * The columns of a stored evidence file (the platform's pipeline: re-encoded, its SM3 and its
 * source's, capture time, thumbnail): one declaration for the task's and the rectification's evidence.
 */
const evidenceFile = () => ({
  blobKey: text('blob_key').notNull(),
  sm3: text('sm3').notNull(),
  sourceSm3: text('source_sm3').notNull(),
  size: bigint('size', { mode: 'number' }).notNull(),
  kind: text('kind').notNull(),
  mime: text('mime').notNull(),
  filename: text('filename').notNull(),
  width: integer('width'),
  height: integer('height'),
  capturedAt: timestamp('captured_at', { withTimezone: true }),
  thumbKey: text('thumb_key'),
  thumbSm3: text('thumb_sm3'),
});

/** A task as its issuer wrote it, with the targets it was sent to (任务清单). */
export const tasks = pgTable(
  'tasks',
  {
    id: id(),
    countyCode: countyCode(),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    source: text('source'),
    deadline: date('deadline').notNull(),
    weight: integer('weight'),
    evidenceNeeded: text('evidence_needed'),
    /** The organization that issued it (the issuing user's organization). */
    issuerOrgId: uuid('issuer_org_id').notNull(),
    /** The targets as chosen: the organizations below `under_org_id` of `org_kinds` (and `fields`). */
    underOrgId: uuid('under_org_id').notNull(),
    orgKinds: jsonb('org_kinds').notNull(),
    fields: jsonb('fields'),
    /** Who issued it; null for the demo county's seeded tasks. */
    createdBy: uuid('created_by'),
    /** The form's own id: a send repeated after a lost answer finds the task it made instead of issuing it twice. */
    clientId: uuid('client_id'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    countyKey(t),
    index('tasks_issuer_idx').on(t.countyCode, t.issuerOrgId, t.createdAt),
    uniqueIndex('tasks_client_uq').on(t.countyCode, t.createdBy, t.clientId),
  ],
);

/**
 * One organization's share of a task (任务分解): issued by the task's issuer, or split from the
 * assignment of the organization above it, with a deadline no later than that one's. An organization
 * holds at most one share of a task.
 */
export const taskAssignments = pgTable(
  'task_assignments',
  {
    id: id(),
    countyCode: countyCode(),
    taskId: uuid('task_id').notNull(),
    /** The assignment it was split from; null for one the task's issuer sent. */
    parentId: uuid('parent_id'),
    orgId: uuid('org_id').notNull(),
    issuerOrgId: uuid('issuer_org_id').notNull(),
    /** issued | signed | inProgress | submitted | returned | done (contract/labels.ts TASK_STATUSES) */
    status: text('status').notNull(),
    deadline: date('deadline').notNull(),
    signedAt: timestamp('signed_at', { withTimezone: true }),
    signedBy: uuid('signed_by'),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    doneAt: timestamp('done_at', { withTimezone: true }),
    returnReason: text('return_reason'),
    /** The nightly job's reminders, each sent once: before the deadline, after it. */
    remindedDueAt: timestamp('reminded_due_at', { withTimezone: true }),
    remindedOverdueAt: timestamp('reminded_overdue_at', { withTimezone: true }),
    /** When its lateness was reported to the organization above its issuer, and which that is. */
    escalatedAt: timestamp('escalated_at', { withTimezone: true }),
    escalatedToOrgId: uuid('escalated_to_org_id'),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    countyKey(t),
    uniqueIndex('task_assignments_task_org_uq').on(t.countyCode, t.taskId, t.orgId),
    index('task_assignments_org_idx').on(t.countyCode, t.orgId, t.status, t.deadline),
    index('task_assignments_parent_idx').on(t.countyCode, t.parentId),
    index('task_assignments_escalated_idx').on(t.countyCode, t.escalatedToOrgId, t.escalatedAt),
  ],
);

/** An assignment's history: issued, signed, split, each progress report, submission, acceptance or return, reminders. */
export const taskEvents = pgTable(
  'task_events',
  {
    id: id(),
    countyCode: countyCode(),
    assignmentId: uuid('assignment_id').notNull(),
    /** One of TASK_EVENT_LABELS' keys (contract/labels.ts). */
    kind: text('kind').notNull(),
    text: text('text'),
    userId: uuid('user_id'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [countyKey(t), index('task_events_assignment_idx').on(t.countyCode, t.assignmentId, t.at)],
);

/**
 * Evidence of an assignment's work (photos, scans, PDFs) through the platform's evidence pipeline
 * (meetings/api.ts prepareEvidence): uploaded to the assignment, then carried by the next progress
 * report or submission (`event_id`).
 */
export const taskEvidence = pgTable(
  'task_evidence',
  {
    id: id(),
    countyCode: countyCode(),
    assignmentId: uuid('assignment_id').notNull(),
    eventId: uuid('event_id'),
    orgId: uuid('org_id').notNull(),
    ...evidenceFile(),
    uploadedBy: uuid('uploaded_by').notNull(),
    createdAt: createdAt(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [countyKey(t), index('task_evidence_assignment_idx').on(t.countyCode, t.assignmentId, t.createdAt)],
);

/**
 * A spot-check draw (随机抽查): the population it chose from, in the order it read it, the seed and the
 * sample, so that anyone can draw again and get the same organizations.
 */
export const inspectionDraws = pgTable(
  'inspection_draws',
  {
    id: id(),
    countyCode: countyCode(),
    underOrgId: uuid('under_org_id').notNull(),
    strata: text('strata').notNull(),
    size: integer('size').notNull(),
    seed: text('seed').notNull(),
    orgKinds: jsonb('org_kinds').notNull(),
    population: jsonb('population').notNull(),
    sample: jsonb('sample').notNull(),
    drawnBy: uuid('drawn_by').notNull(),
    drawnAt: timestamp('drawn_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [countyKey(t), index('inspection_draws_org_idx').on(t.countyCode, t.underOrgId, t.drawnAt)],
);

/**
 * A problem's rectification plan (整改方案): measures, deadline and the person answerable, written by
 * the organization the problem belongs to. Each new plan is a new row; the newest is in force.
 */
export const problemRectifications = pgTable(
  'problem_rectifications',
  {
    id: id(),
    countyCode: countyCode(),
    problemId: uuid('problem_id').notNull(),
    orgId: uuid('org_id').notNull(),
    measures: text('measures').notNull(),
    deadline: date('deadline').notNull(),
    responsible: text('responsible'),
    setBy: uuid('set_by').notNull(),
    setAt: timestamp('set_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [countyKey(t), index('problem_rectifications_problem_idx').on(t.countyCode, t.problemId, t.setAt)],
);

/**
 * The level above's verification of a rectification (验收): pass or fail with a comment. A pass counts
 * for 销号 only while the problem has not opened again since (a reopened problem needs a new one).
 */
export const problemVerifications = pgTable(
  'problem_verifications',
  {
    id: id(),
    countyCode: countyCode(),
    problemId: uuid('problem_id').notNull(),
    /** pass | fail */
    result: text('result').notNull(),
    comment: text('comment'),
    byUser: uuid('by_user').notNull(),
    byOrgId: uuid('by_org_id').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [countyKey(t), index('problem_verifications_problem_idx').on(t.countyCode, t.problemId, t.at)],
);

/**
 * A supervision notice (督查通报): made from the data of the organizations below `under_org_id` in a
 * period, kept as it was reviewed (`content`), then published to that subtree.
 */
export const notices = pgTable(
  'notices',
  {
    id: id(),
    countyCode: countyCode(),
    title: text('title').notNull(),
    underOrgId: uuid('under_org_id').notNull(),
    period: text('period').notNull(),
    /** draft | published */
    status: text('status').notNull(),
    content: jsonb('content').notNull(),
    createdBy: uuid('created_by').notNull(),
    createdAt: createdAt(),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    publishedBy: uuid('published_by'),
  },
  (t) => [countyKey(t), index('notices_org_idx').on(t.countyCode, t.underOrgId, t.createdAt)],
);

/** An organization a notice names, and its signature once the notice is published (签收). */
export const noticeSignatures = pgTable(
  'notice_signatures',
  {
    countyCode: countyCode(),
    noticeId: uuid('notice_id').notNull(),
    orgId: uuid('org_id').notNull(),
    signedAt: timestamp('signed_at', { withTimezone: true }),
    signedBy: uuid('signed_by'),
  },
  (t) => [
    primaryKey({ columns: [t.countyCode, t.noticeId, t.orgId] }),
    index('notice_signatures_org_idx').on(t.countyCode, t.orgId),
  ],
);

/** A document from above (上级文件) sent to organizations to sign for and report on by their deadlines. */
export const directives = pgTable(
  'directives',
  {
    id: id(),
    countyCode: countyCode(),
    title: text('title').notNull(),
    docNumber: text('doc_number'),
    summary: text('summary'),
    issuerOrgId: uuid('issuer_org_id').notNull(),
    underOrgId: uuid('under_org_id').notNull(),
    orgKinds: jsonb('org_kinds').notNull(),
    fields: jsonb('fields'),
    signDeadline: date('sign_deadline').notNull(),
    reportDeadline: date('report_deadline').notNull(),
    fileKey: text('file_key').notNull(),
    fileSm3: text('file_sm3').notNull(),
    fileName: text('file_name').notNull(),
    fileMime: text('file_mime').notNull(),
    fileKind: text('file_kind').notNull(),
    fileSize: bigint('file_size', { mode: 'number' }).notNull(),
    createdBy: uuid('created_by').notNull(),
    /** The form's own id: a send repeated after a lost answer finds the document it sent instead of sending it twice. */
    clientId: uuid('client_id'),
    createdAt: createdAt(),
  },
  (t) => [
    countyKey(t),
    index('directives_issuer_idx').on(t.countyCode, t.issuerOrgId, t.createdAt),
    uniqueIndex('directives_client_uq').on(t.countyCode, t.createdBy, t.clientId),
  ],
);

/** Each organization a document was sent to: when it signed for it and reported how it carried it out. */
export const directiveRecipients = pgTable(
  'directive_recipients',
  {
    countyCode: countyCode(),
    directiveId: uuid('directive_id').notNull(),
    orgId: uuid('org_id').notNull(),
    signedAt: timestamp('signed_at', { withTimezone: true }),
    signedBy: uuid('signed_by'),
    reportedAt: timestamp('reported_at', { withTimezone: true }),
    reportedBy: uuid('reported_by'),
    report: text('report'),
  },
  (t) => [
    primaryKey({ columns: [t.countyCode, t.directiveId, t.orgId] }),
    index('directive_recipients_org_idx').on(t.countyCode, t.orgId),
  ],
);

/**
 * A committee naming the person answerable at one level of its responsibility chain instead of the
 * post's holder (or, without a name, going back to the posts), from a day on, with its reason. The rows
 * are never changed but to close them: who was answerable on any day stays known.
 */
export const responsibilityOverrides = pgTable(
  'responsibility_overrides',
  {
    id: id(),
    countyCode: countyCode(),
    orgId: uuid('org_id').notNull(),
    /** primary | direct | related */
    level: text('level').notNull(),
    /** Null: the posts decide again from `from_date`. */
    personName: text('person_name'),
    reason: text('reason').notNull(),
    fromDate: date('from_date').notNull(),
    /** The last day it was in force (null: still in force). */
    toDate: date('to_date'),
    setBy: uuid('set_by').notNull(),
    setAt: timestamp('set_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [countyKey(t), index('responsibility_overrides_org_idx').on(t.countyCode, t.orgId, t.level, t.fromDate)],
);

/** An inspection (调研、日常检查、随机抽查) of one organization: who checked, when, what they found. */
export const inspections = pgTable(
  'inspections',
  {
    id: id(),
    countyCode: countyCode(),
    /** research | routine | spot (contract/labels.ts INSPECTION_KINDS) */
    kind: text('kind').notNull(),
    orgId: uuid('org_id').notNull(),
    inspectorOrgId: uuid('inspector_org_id').notNull(),
    inspectors: text('inspectors').notNull(),
    checkedOn: date('checked_on').notNull(),
    summary: text('summary'),
    drawId: uuid('draw_id'),
    planId: uuid('plan_id'),
    createdBy: uuid('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [countyKey(t), index('inspections_org_idx').on(t.countyCode, t.orgId, t.checkedOn)],
);

/** A finding of an inspection, and the problem it became on the inspected organization's list. */
export const inspectionFindings = pgTable(
  'inspection_findings',
  {
    id: id(),
    countyCode: countyCode(),
    inspectionId: uuid('inspection_id').notNull(),
    /** Its place among the inspection's findings, as the inspector listed them. */
    position: integer('position').notNull(),
    orgId: uuid('org_id').notNull(),
    text: text('text').notNull(),
    problemId: uuid('problem_id').notNull(),
  },
  (t) => [countyKey(t), index('inspection_findings_inspection_idx').on(t.countyCode, t.inspectionId)],
);

/** A year's target sheet (目标责任书, 年底兑标) a township set for an organization below it. */
export const targetSheets = pgTable(
  'target_sheets',
  {
    id: id(),
    countyCode: countyCode(),
    orgId: uuid('org_id').notNull(),
    issuerOrgId: uuid('issuer_org_id').notNull(),
    year: integer('year').notNull(),
    createdBy: uuid('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [countyKey(t), uniqueIndex('target_sheets_org_year_uq').on(t.countyCode, t.orgId, t.year)],
);

/** One target of a sheet: its weight, what the organization reported, and the score the issuer gave at year end. */
export const targetItems = pgTable(
  'target_items',
  {
    id: id(),
    countyCode: countyCode(),
    sheetId: uuid('sheet_id').notNull(),
    position: integer('position').notNull(),
    text: text('text').notNull(),
    weight: integer('weight').notNull(),
    report: text('report'),
    reportedAt: timestamp('reported_at', { withTimezone: true }),
    reportedBy: uuid('reported_by'),
    score: numeric('score', { precision: 5, scale: 1 }),
    comment: text('comment'),
    scoredBy: uuid('scored_by'),
    scoredAt: timestamp('scored_at', { withTimezone: true }),
  },
  (t) => [countyKey(t), index('target_items_sheet_idx').on(t.countyCode, t.sheetId, t.position)],
);

/** A committee's major grassroots problems of a year (LIFE-9: 2–3 settled on and followed to the end). */
export const majorProblems = pgTable(
  'major_problems',
  {
    countyCode: countyCode(),
    orgId: uuid('org_id').notNull(),
    year: integer('year').notNull(),
    problemId: uuid('problem_id').notNull(),
    note: text('note'),
    chosenBy: uuid('chosen_by').notNull(),
    chosenAt: timestamp('chosen_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.countyCode, t.orgId, t.year, t.problemId] })],
);

/**
 * A rectification's progress report (整改进展): what the organization did, with the evidence it
 * uploaded since its last report (problem_evidence.progress_id).
 */
export const problemProgress = pgTable(
  'problem_progress',
  {
    id: id(),
    countyCode: countyCode(),
    problemId: uuid('problem_id').notNull(),
    orgId: uuid('org_id').notNull(),
    text: text('text').notNull(),
    byUser: uuid('by_user').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [countyKey(t), index('problem_progress_problem_idx').on(t.countyCode, t.problemId, t.at)],
);

/** Evidence of a rectification: uploaded by the problem's organization, attached to its next progress report. */
export const problemEvidence = pgTable(
  'problem_evidence',
  {
    id: id(),
    countyCode: countyCode(),
    problemId: uuid('problem_id').notNull(),
    progressId: uuid('progress_id'),
    orgId: uuid('org_id').notNull(),
    ...evidenceFile(),
    uploadedBy: uuid('uploaded_by').notNull(),
    createdAt: createdAt(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [countyKey(t), index('problem_evidence_problem_idx').on(t.countyCode, t.problemId, t.createdAt)],
);

/**
 * An inspection plan (督查计划): what will be checked, at which organizations, between which days and
 * by whom, made ahead; the inspections recorded against it show how far it has got.
 */
export const inspectionPlans = pgTable(
  'inspection_plans',
  {
    id: id(),
    countyCode: countyCode(),
    title: text('title').notNull(),
    /** research | routine | spot (contract/labels.ts INSPECTION_KINDS) */
    kind: text('kind').notNull(),
    /** The organization that plans it (the inspectors' own). */
    plannerOrgId: uuid('planner_org_id').notNull(),
    /** The organizations to visit, in the order given. */
    orgIds: jsonb('org_ids').notNull(),
    drawId: uuid('draw_id'),
    startsOn: date('starts_on').notNull(),
    endsOn: date('ends_on').notNull(),
    inspectors: text('inspectors').notNull(),
    focus: text('focus'),
    createdBy: uuid('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [countyKey(t), index('inspection_plans_org_idx').on(t.countyCode, t.plannerOrgId, t.startsOn)],
);
