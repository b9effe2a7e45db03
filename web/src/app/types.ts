/**
 * The API's shapes for the web app, taken from the shared contract (contract/*.ts) with `z.infer`:
 * one name per response a page reads, so a call says what it gets (`api.get<OrgDetail>(…)`) and a
 * change of a schema is a type error here, not a guess at run time. Types only: `import type` is
 * erased, so nothing of zod reaches the bundle from here (the login page imports this file too).
 *
 * A response declared only in a server route (not in contract/) has no name here; it is written
 * where it is read, marked as such.
 */
import type { z } from 'zod';
import type { listOf, okBody } from '../../../contract/common.ts';
import type {
  appraisalView,
  evidenceView,
  MeetingKind,
  meetingKindsResult,
  meetingSummary,
  MeetingView,
  talkMatrix,
} from '../../../contract/meetings.ts';
import type {
  batchTransferResult,
  importMapping,
  importResult,
  memberDetail,
  MemberView,
  revealResult,
} from '../../../contract/members.ts';
import type { OrgChild, OrgDetail, orgRevealResult, OrgSummary, orgWarning } from '../../../contract/orgs.ts';
import type {
  calendarView,
  complianceMissingView,
  complianceView,
  problemDetail,
  ProblemView,
  ruleInfo,
  ruleRunView,
  ruleSettingPutResult,
  ruleSettingView,
} from '../../../contract/problems.ts';
import type {
  answerLevel,
  inspectionPlanView,
  assignmentDetail,
  assignmentEvent,
  assignmentView,
  dashboard,
  dashboardRow,
  directiveBrief,
  directiveLateness,
  directiveRecipient,
  directiveView,
  drawResult,
  inspectionView,
  ledger,
  noticeBrief,
  noticeContent,
  noticeRank,
  noticeView,
  rectificationView,
  responsibilityChain,
  responsibilityPerson,
  rollup,
  splitResult,
  targetItem,
  targetSheet,
  taskCreated,
  taskDetail,
  taskEvidenceView,
  taskListItem,
} from '../../../contract/lists.ts';
import type {
  entryListItem,
  entryView,
  inquiryListItem,
  inquiryReceived,
  inquiryStats,
  inquiryView,
  pictureView,
  publicCard,
  publicProduct,
  publicTownships,
} from '../../../contract/showroom.ts';
import type { checkinView, fsAccount, fsMonth, fsView, leaveView, spotCheckView } from '../../../contract/firstsec.ts';
import type { StatsResult } from '../../../contract/stats.ts';
import type { JobRunView, JobsOverview } from '../../../contract/system.ts';
import type {
  accountRequestView,
  auditView,
  bulkCreateResult,
  loginCounties,
  me,
  pendingRequest,
  requestDecision,
  totpEnrolment,
  userView,
} from '../../../contract/users.ts';

/** One page of a list (`listOf(item)` in the contract). */
export type Page<T> = z.infer<ReturnType<typeof listOf<z.ZodType<T>>>>;
/** `{ ok: true }`. */
export type Ok = z.infer<typeof okBody>;

// Accounts and sign-in
export type Me = z.infer<typeof me>;
export type LoginCounties = z.infer<typeof loginCounties>;
export type TotpEnrolment = z.infer<typeof totpEnrolment>;
export type UserView = z.infer<typeof userView>;
export type AccountRequest = z.infer<typeof accountRequestView>;
export type PendingRequest = z.infer<typeof pendingRequest>;
export type RequestDecision = z.infer<typeof requestDecision>;
export type BulkCreateResult = z.infer<typeof bulkCreateResult>;
export type AuditView = z.infer<typeof auditView>;

// Organizations
export type { OrgChild, OrgDetail, OrgSummary };
/** GET /api/orgs/:id/children (the route's answer: the contract's orgChild in `items`). */
export type OrgChildList = { items: OrgChild[] };
export type OrgWarning = z.infer<typeof orgWarning>;
export type OrgRevealResult = z.infer<typeof orgRevealResult>;

// Members
export type { MemberView };
export type MemberDetail = z.infer<typeof memberDetail>;
export type RevealResult = z.infer<typeof revealResult>;
export type BatchTransferResult = z.infer<typeof batchTransferResult>;
export type ImportResult = z.infer<typeof importResult>;
/** What the import wizard sends as `mapping` (the request's input shape). */
export type ImportMapping = z.input<typeof importMapping>;

// Organizational life
export type { MeetingKind, MeetingView };
export type MeetingSummary = z.infer<typeof meetingSummary>;
/** GET /api/meetings/kinds: what an organization may record. */
export type MeetingKinds = z.infer<typeof meetingKindsResult>;
export type EvidenceView = z.infer<typeof evidenceView>;
export type AppraisalView = z.infer<typeof appraisalView>;
export type TalkMatrix = z.infer<typeof talkMatrix>;

// Problems and compliance
export type { ProblemView };
export type ProblemDetail = z.infer<typeof problemDetail>;
export type RuleInfo = z.infer<typeof ruleInfo>;
export type RuleRunView = z.infer<typeof ruleRunView>;
export type RuleSettingView = z.infer<typeof ruleSettingView>;
export type RuleSettingPutResult = z.infer<typeof ruleSettingPutResult>;
export type ComplianceView = z.infer<typeof complianceView>;
export type ComplianceMissingView = z.infer<typeof complianceMissingView>;
export type CalendarView = z.infer<typeof calendarView>;

// Tasks (任务清单与督查)
export type TaskListItem = z.infer<typeof taskListItem>;
export type TaskDetail = z.infer<typeof taskDetail>;
export type TaskCreated = z.infer<typeof taskCreated>;
export type TaskRollup = z.infer<typeof rollup>;
export type AssignmentView = z.infer<typeof assignmentView>;
export type AssignmentDetail = z.infer<typeof assignmentDetail>;
export type AssignmentEvent = z.infer<typeof assignmentEvent>;
export type TaskEvidenceView = z.infer<typeof taskEvidenceView>;
export type SplitResult = z.infer<typeof splitResult>;
export type TaskDashboard = z.infer<typeof dashboard>;
export type TaskDashboardRow = z.infer<typeof dashboardRow>;
export type TaskLedger = z.infer<typeof ledger>;
export type TaskLedgerItem = TaskLedger['items'][number];
export type DrawResult = z.infer<typeof drawResult>;
export type RectificationView = z.infer<typeof rectificationView>;
export type AnswerLevel = z.infer<typeof answerLevel>;
export type InspectionPlanView = z.infer<typeof inspectionPlanView>;
export type NoticeView = z.infer<typeof noticeView>;
export type NoticeBrief = z.infer<typeof noticeBrief>;
export type NoticeContent = z.infer<typeof noticeContent>;
export type NoticeRank = z.infer<typeof noticeRank>;
export type DirectiveView = z.infer<typeof directiveView>;
export type DirectiveBrief = z.infer<typeof directiveBrief>;
export type DirectiveRecipient = z.infer<typeof directiveRecipient>;
export type DirectiveLateness = z.infer<typeof directiveLateness>;
export type ResponsibilityChain = z.infer<typeof responsibilityChain>;
export type ResponsibilityPerson = z.infer<typeof responsibilityPerson>;
export type ResponsibilityOverride = ResponsibilityChain['overrides'][number];
export type InspectionView = z.infer<typeof inspectionView>;
export type TargetSheet = z.infer<typeof targetSheet>;
export type TargetItem = z.infer<typeof targetItem>;

// The showroom (推荐展厅)
export type EntryView = z.infer<typeof entryView>;
export type EntryListItem = z.infer<typeof entryListItem>;
export type PublicCard = z.infer<typeof publicCard>;
export type PublicProduct = z.infer<typeof publicProduct>;
export type PublicTownships = z.infer<typeof publicTownships>;
export type InquiryListItem = z.infer<typeof inquiryListItem>;
export type InquiryView = z.infer<typeof inquiryView>;
export type InquiryStats = z.infer<typeof inquiryStats>;
export type InquiryReceived = z.infer<typeof inquiryReceived>;
export type PictureView = z.infer<typeof pictureView>;

// First secretaries (第一书记)
export type FsView = z.infer<typeof fsView>;
export type FsMonth = z.infer<typeof fsMonth>;
export type FsAccount = z.infer<typeof fsAccount>;
export type CheckinView = z.infer<typeof checkinView>;
export type LeaveView = z.infer<typeof leaveView>;
export type SpotCheckView = z.infer<typeof spotCheckView>;

// Statistics and system
export type { JobRunView, JobsOverview, StatsResult };
