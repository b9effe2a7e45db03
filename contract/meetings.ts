/**
 * Organizational life (三会一课 and the rest, rules.md LIFE-1…LIFE-10): meetings with attendance,
 * decisions and evidence; democratic appraisal grades. Shared by the server routes and the web app.
 */
import { z } from 'zod';
import { isoDate, pageQuery, uuidStr } from './common.ts';
import { APPRAISAL_GRADES, ATTENDANCE_STATUSES, DECISION_TAGS, HANDLINGS, MEETING_KINDS } from './labels.ts';

export {
  APPRAISAL_GRADE_LABELS,
  APPRAISAL_GRADES,
  ATTENDANCE_LABELS,
  ATTENDANCE_STATUSES,
  DECISION_TAG_LABELS,
  DECISION_TAGS,
  HANDLING_LABELS,
  HANDLINGS,
  MEETING_KIND_LABELS,
  MEETING_KINDS,
  type MeetingKind,
} from './labels.ts';

const text = (max: number) => z.string().trim().max(max);

export const attendanceItem = z.strictObject({
  memberId: uuidStr,
  status: z.enum(ATTENDANCE_STATUSES),
  reason: text(200).optional(),
});
export const decisionItem = z.strictObject({
  tag: z.enum(DECISION_TAGS),
  memberId: uuidStr.optional(),
  text: text(2000).min(1),
});
export const guestItem = z.strictObject({ name: text(50).min(1), unit: text(100).optional() });

/** POST /api/meetings. `startsAt` is an ISO timestamp with offset (the page sends local time +08:00). */
export const meetingCreate = z.strictObject({
  orgId: uuidStr,
  kind: z.enum(MEETING_KINDS),
  startsAt: z.iso.datetime({ offset: true }),
  endsAt: z.iso.datetime({ offset: true }).optional(),
  place: text(200).optional(),
  chairMemberId: uuidStr.optional(),
  chairName: text(50).optional(),
  chairDelegation: text(200).optional(),
  recorderMemberId: uuidStr.optional(),
  recorderName: text(50).optional(),
  lecturerMemberId: uuidStr.optional(),
  lecturerName: text(50).optional(),
  topic: text(200).optional(),
  agenda: text(5000).optional(),
  minutesHtml: z.string().max(200_000).optional(),
  counterpartMemberId: uuidStr.optional(),
  rectification: text(5000).optional(),
  guests: z.array(guestItem).max(200).optional(),
  attendance: z.array(attendanceItem).max(2000).default([]),
  decisions: z.array(decisionItem).max(100).optional(),
  /** A client-made id (UUID) of a draft saved offline: a repeated send of the same draft returns the first record instead of a second one. */
  clientId: uuidStr.optional(),
});
export type MeetingCreate = z.infer<typeof meetingCreate>;

/** PATCH /api/meetings/:id: any field of the create body but orgId and clientId, with the version read (optimistic lock). */
export const meetingPatch = meetingCreate
  .omit({ orgId: true, clientId: true })
  .partial()
  // Attendance left out keeps what is recorded (the create body's default [] would wipe it).
  .extend({ attendance: z.array(attendanceItem).max(2000).optional(), version: z.number().int().min(1) });
export type MeetingPatch = z.infer<typeof meetingPatch>;

/** A warning the platform found on a record (anti-fake signals, quorum): shown, never blocking. */
export const recordWarning = z.object({
  code: z.string(),
  message: z.string(),
  rule: z.string().optional().describe('the rule behind it, when it comes from one (LIFE-2…)'),
});

export const evidenceView = z.object({
  id: z.string(),
  filename: z.string(),
  kind: z.string(),
  mime: z.string(),
  size: z.number(),
  sm3: z.string(),
  width: z.number().nullable(),
  height: z.number().nullable(),
  capturedAt: z.string().nullable(),
  hasThumbnail: z.boolean(),
  uploadedAt: z.string(),
  warnings: z.array(recordWarning),
});
export type EvidenceView = z.infer<typeof evidenceView>;

export const meetingView = z.object({
  id: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  kind: z.enum(MEETING_KINDS),
  startsAt: z.string(),
  endsAt: z.string().nullable(),
  heldOn: z.string(),
  place: z.string().nullable(),
  chairMemberId: z.string().nullable(),
  chairName: z.string().nullable(),
  chairDelegation: z.string().nullable(),
  recorderMemberId: z.string().nullable(),
  recorderName: z.string().nullable(),
  lecturerMemberId: z.string().nullable(),
  lecturerName: z.string().nullable(),
  topic: z.string().nullable(),
  agenda: z.string().nullable(),
  minutesHtml: z.string().nullable(),
  counterpartMemberId: z.string().nullable(),
  counterpartName: z.string().nullable(),
  rectification: z.string().nullable(),
  guests: z.array(z.object({ name: z.string(), unit: z.string().optional() })),
  attendance: z.array(
    z.object({
      memberId: z.string(),
      name: z.string(),
      status: z.enum(ATTENDANCE_STATUSES),
      reason: z.string().nullable(),
    }),
  ),
  decisions: z.array(
    z.object({
      id: z.string(),
      tag: z.enum(DECISION_TAGS),
      memberId: z.string().nullable(),
      memberName: z.string().nullable(),
      text: z.string(),
    }),
  ),
  committeeSize: z.number().nullable(),
  committeePresent: z.number().nullable(),
  valid: z.boolean(),
  evidence: z.array(evidenceView),
  warnings: z.array(recordWarning),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type MeetingView = z.infer<typeof meetingView>;

/** A row of the meeting list. */
export const meetingSummary = z.object({
  id: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  kind: z.enum(MEETING_KINDS),
  startsAt: z.string(),
  heldOn: z.string(),
  topic: z.string().nullable(),
  present: z.number(),
  expected: z.number(),
  evidenceCount: z.number(),
  valid: z.boolean(),
  warningCount: z.number(),
});

export const meetingListQuery = z.strictObject({
  orgId: uuidStr.optional(),
  /** With orgId: that organization and everything under it (default) or only it. */
  subtree: z.enum(['true', 'false']).optional(),
  kind: z.enum(MEETING_KINDS).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  ...pageQuery,
});

export const appraisalGradeItem = z.strictObject({
  memberId: uuidStr,
  grade: z.enum(APPRAISAL_GRADES),
  handling: z.enum(HANDLINGS).optional(),
  handlingNote: text(500).optional(),
  handlingEndsOn: isoDate.optional(),
});
/** PUT /api/appraisals/:orgId/:year: the year's grades of an organization's members (replaces the ones sent). */
export const appraisalPut = z.strictObject({
  meetingId: uuidStr.optional(),
  grades: z.array(appraisalGradeItem).min(1).max(2000),
});
export const appraisalView = z.object({
  orgId: z.string(),
  year: z.number(),
  members: z.array(
    z.object({
      memberId: z.string(),
      name: z.string(),
      grade: z.enum(APPRAISAL_GRADES).nullable(),
      handling: z.enum(HANDLINGS).nullable(),
      handlingNote: z.string().nullable(),
      handlingEndsOn: z.string().nullable(),
      reviewedOn: z.string().nullable(),
    }),
  ),
  excellentShare: z.number(),
  excellentLimit: z.number(),
  warnings: z.array(recordWarning),
});

/** The committee's heart-to-heart talk matrix for a year (LIFE-7): who talked with whom. */
export const talkMatrix = z.object({
  orgId: z.string(),
  year: z.number(),
  committee: z.array(z.object({ memberId: z.string(), name: z.string(), post: z.string() })),
  /** For each committee member, the members they talked with this year (ids). */
  talks: z.array(z.object({ fromId: z.string(), toId: z.string(), meetingId: z.string(), heldOn: z.string() })),
  membersNotTalkedTo: z.array(z.object({ memberId: z.string(), name: z.string() })),
});

/** GET /api/meetings/talks */
export const talkQuery = z.strictObject({ orgId: uuidStr, year: z.coerce.number().int().min(2000).max(2100) });
/** GET /api/meetings/ledger: the organization's records of the year as a spreadsheet or a Word document. */
export const ledgerQuery = z.strictObject({
  orgId: uuidStr,
  year: z.coerce.number().int().min(2000).max(2100),
  format: z.enum(['xlsx', 'docx']).default('xlsx'),
});
/** /api/appraisals/:orgId/:year */
export const appraisalParams = z.strictObject({ orgId: uuidStr, year: z.coerce.number().int().min(2000).max(2100) });

/**
 * GET /api/meetings/kinds: what the record form needs of an organization — the kinds of meeting it may
 * record (the form offers only these) and the county's photo size limit in bytes (files.maxImageMB), so
 * a photo that cannot be shrunk below it is refused when it is picked, not after a minute of upload.
 */
export const meetingKindsQuery = z.strictObject({ orgId: uuidStr });
export const meetingKindsResult = z.object({ kinds: z.array(z.enum(MEETING_KINDS)), maxPhotoBytes: z.number().int() });
