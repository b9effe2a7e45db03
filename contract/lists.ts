/**
 * 任务清单与督查 (issue 19): requests and answers of the tasks and the spot-check draw. The paths and
 * fields the issue spells out are a contract other tools rely on: `POST /api/tasks`, `GET /api/tasks/:id`
 * with `rollup`, `POST /api/tasks/assignments/:id/split|sign|report|submit|accept|return`,
 * `GET /api/tasks/assignments/:id`, `POST /api/inspections/draw`.
 */
import { z } from 'zod';
import { isoDate, pageQuery, uuidStr } from './common.ts';
import { periodStr } from './problems.ts';
import {
  DRAW_STRATA,
  FIELDS,
  INSPECTION_KINDS,
  INSPECTION_PLAN_STATES,
  NOTICE_STATUSES,
  ORG_KINDS,
  RECTIFICATION_STATES,
  REPORTED_SOURCES,
  RESPONSIBILITY_LEVELS,
  TASK_STATUSES,
} from './labels.ts';

export {
  DRAW_STRATA,
  DRAW_STRATA_LABELS,
  INSPECTION_KIND_LABELS,
  INSPECTION_KINDS,
  INSPECTION_PLAN_STATE_LABELS,
  INSPECTION_PLAN_STATES,
  NOTICE_STATUS_LABELS,
  NOTICE_STATUSES,
  RECTIFICATION_STATE_LABELS,
  RECTIFICATION_STATES,
  REPORTED_SOURCE_CATEGORY,
  REPORTED_SOURCES,
  RESPONSIBILITY_LEVEL_LABELS,
  RESPONSIBILITY_LEVELS,
  TASK_EVENT_LABELS,
  TASK_OPEN_STATUSES,
  TASK_STATUS_LABELS,
  TASK_STATUSES,
  type TaskStatus,
} from './labels.ts';

const text = (max: number) => z.string().trim().max(max);

/** How many organizations one task or one split may name at most (a county has a few hundred). */
export const TASK_MAX_TARGETS = 2000;

export const taskTargets = z.strictObject({
  /** The organizations below this one (not itself) of the kinds named receive the task. */
  underOrgId: uuidStr,
  orgKinds: z.array(z.enum(ORG_KINDS)).min(1, '请至少选择一种组织类别').max(ORG_KINDS.length),
  /** Only organizations of these fields (领域); absent: every field. */
  fields: z.array(z.enum(FIELDS)).min(1).max(FIELDS.length).optional(),
});

/** POST /api/tasks. */
export const taskCreate = z.strictObject({
  title: text(100).min(1, '请填写任务名称'),
  description: text(5000).default(''),
  /** Where the task comes from: a document's number, a meeting, the province's nine main tasks. */
  source: text(200).optional(),
  deadline: isoDate,
  /** Its weight in the assessment (分值), 0–100. */
  weight: z.number().int().min(0).max(100).optional(),
  /** What evidence completion needs, in words (照片、会议记录、台账…). */
  evidenceNeeded: text(500).optional(),
  targets: taskTargets,
  /** A client-made id (UUID) of the form: a repeated send answers the task it made (status 200) instead of a second one. */
  clientId: uuidStr.optional(),
});

export const rollup = z.object({
  total: z.number().int(),
  signed: z.number().int(),
  done: z.number().int(),
  overdue: z.number().int(),
});

export const assignmentBrief = z.object({ id: z.string(), orgId: z.string(), status: z.enum(TASK_STATUSES) });

export const taskCreated = z.object({ id: z.string(), assignments: z.array(assignmentBrief) });

/** One assignment (one organization's share of a task) as lists and the tree show it. */
export const assignmentView = z.object({
  id: z.string(),
  taskId: z.string(),
  parentId: z.string().nullable(),
  orgId: z.string(),
  orgName: z.string(),
  /** The organization it answers to (the task's issuer, or the holder of the assignment it was split from). */
  issuerOrgId: z.string(),
  issuerOrgName: z.string(),
  status: z.enum(TASK_STATUSES),
  deadline: z.string(),
  /** The deadline has passed and it is not submitted or done; the days since. */
  overdue: z.boolean(),
  overdueDays: z.number().int(),
  signedAt: z.string().nullable(),
  submittedAt: z.string().nullable(),
  doneAt: z.string().nullable(),
  returnReason: z.string().nullable(),
  /** When its lateness was reported to the level above the issuer (the nightly job). */
  escalatedAt: z.string().nullable(),
  /** How many assignments were split from it (a count: not rows). */
  childCount: z.number().int(),
});

export const taskDetail = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  source: z.string().nullable(),
  deadline: z.string(),
  weight: z.number().int().nullable(),
  evidenceNeeded: z.string().nullable(),
  issuerOrgId: z.string(),
  issuerOrgName: z.string(),
  createdByName: z.string(),
  createdAt: z.string(),
  targets: z.object({
    underOrgId: z.string(),
    underOrgName: z.string(),
    orgKinds: z.array(z.string()),
    fields: z.array(z.string()).optional(),
  }),
  /** Over every assignment of the task in the reader's scope, sub-assignments included. */
  rollup,
  /** Those assignments, parents before their children. */
  assignments: z.array(assignmentView),
});

export const taskListQuery = z.strictObject({
  /** issued: tasks my organization issued; received: tasks my organization holds a share of; all: either. */
  view: z.enum(['issued', 'received', 'all']).default('all'),
  q: text(50).optional(),
  /** Only tasks with an overdue assignment in scope. */
  overdue: z.enum(['true', 'false']).optional(),
  ...pageQuery,
});

export const taskListItem = z.object({
  id: z.string(),
  title: z.string(),
  deadline: z.string(),
  issuerOrgName: z.string(),
  createdAt: z.string(),
  rollup,
  /** My organization's own assignment of this task, when it holds one. */
  mine: assignmentView.nullable(),
});

export const splitBody = z.strictObject({
  orgIds: z.array(uuidStr).min(1, '请至少选择一个下级组织').max(TASK_MAX_TARGETS),
  deadline: isoDate,
});
export const splitResult = z.object({ assignments: z.array(assignmentBrief) });

export const reportBody = z.strictObject({ text: text(2000).min(1, '请填写进展情况') });
export const returnBody = z.strictObject({ reason: text(500).min(1, '请填写退回原因') });

/** One level's 第一责任人 for a task or a problem, today and when it was issued or opened (the responsibility chain). */
export const answerLevel = z.object({
  orgId: z.string(),
  orgName: z.string(),
  now: z.string().nullable(),
  atStart: z.string().nullable(),
});

export const taskEvidenceView = z.object({
  id: z.string(),
  filename: z.string(),
  kind: z.string(),
  size: z.number().int(),
  capturedAt: z.string().nullable(),
  hasThumbnail: z.boolean(),
  uploadedAt: z.string(),
  uploadedByName: z.string(),
});

export const assignmentEvent = z.object({
  at: z.string(),
  /** One of TASK_EVENT_LABELS' keys. */
  kind: z.string(),
  text: z.string().nullable(),
  byName: z.string().nullable(),
  orgName: z.string().nullable(),
  evidence: z.array(taskEvidenceView),
});

export const assignmentDetail = assignmentView.extend({
  task: z.object({
    id: z.string(),
    title: z.string(),
    description: z.string(),
    source: z.string().nullable(),
    evidenceNeeded: z.string().nullable(),
    weight: z.number().int().nullable(),
  }),
  /** Over this assignment and every one split from it, at any depth. */
  rollup,
  /** The assignments split from it directly. */
  childAssignments: z.array(assignmentView),
  /** History, oldest first, with the evidence each report carried. */
  events: z.array(assignmentEvent),
  /** Evidence uploaded and not yet sent with a report. */
  pendingEvidence: z.array(taskEvidenceView),
  /** Who answers for it: the holder's 第一责任人 today and on the day it was issued (the responsibility chain). */
  answerable: z.object({
    now: z.string().nullable(),
    whenIssued: z.string().nullable(),
    /** Every level from the holder up to the reader's own organization, nearest first. */
    levels: z.array(answerLevel),
  }),
  /** The county's size limit for a photo (files.maxImageMB), for the phone to shrink to. */
  maxPhotoBytes: z.number().int(),
  /** What the reader may do now. */
  can: z.object({
    sign: z.boolean(),
    split: z.boolean(),
    report: z.boolean(),
    submit: z.boolean(),
    review: z.boolean(),
  }),
});

export const dashboardQuery = z.strictObject({ orgId: uuidStr.optional() });
export const dashboardRow = z.object({
  orgId: z.string(),
  orgName: z.string(),
  total: z.number().int(),
  issued: z.number().int(),
  working: z.number().int(),
  submitted: z.number().int(),
  done: z.number().int(),
  overdue: z.number().int(),
  escalated: z.number().int(),
  /** Problems of its subtree: open now by source (规则检查 / 督查发现), raised this year, and of those closed (销号). */
  problemsOpenRule: z.number().int(),
  problemsOpenOther: z.number().int(),
  problemsRaised: z.number().int(),
  problemsClosed: z.number().int(),
  /** problemsClosed / problemsRaised, 0–1; null without problems this year. */
  rectificationRate: z.number().nullable(),
  /** Documents from above its subtree has not signed or not reported on, past their days. */
  documentsLate: z.number().int(),
});
export const dashboard = z.object({
  orgId: z.string(),
  orgName: z.string(),
  /** Every assignment held in the organization's subtree. */
  totals: dashboardRow,
  /** Per organization directly below it: the assignments held in its subtree. */
  rows: z.array(dashboardRow),
  /** Overdue assignments whose lateness has been reported up to this organization, newest first (at most 50). */
  escalations: z.array(assignmentView.extend({ title: z.string() })),
});

export const ledgerQuery = z.strictObject({ orgId: uuidStr.optional(), open: z.enum(['true', 'false']).optional() });
export const ledger = z.object({
  orgId: z.string(),
  orgName: z.string(),
  /** What the organization owes: its assignments with their task, issuer and deadline, the overdue first. */
  items: z.array(assignmentView.extend({ title: z.string() })),
});

/** POST /api/inspections/draw. */
export const drawBody = z.strictObject({
  underOrgId: uuidStr,
  strata: z.enum(DRAW_STRATA),
  size: z.number().int().min(1).max(500),
  /** Any text; the same seed over the same population draws the same sample. Absent: a new random seed. */
  seed: text(64).min(1).optional(),
  /** The kinds drawn from (default: the branches, where the members are). */
  orgKinds: z.array(z.enum(ORG_KINDS)).min(1).max(ORG_KINDS.length).optional(),
});
export const drawStratum = z.object({
  key: z.string(),
  label: z.string(),
  population: z.number().int(),
  sample: z.number().int(),
});
export const drawResult = z.object({
  id: z.string(),
  seed: z.string(),
  /** Every organization the draw chose from, in the order the draw reads them (by id). */
  population: z.array(z.string()),
  sample: z.array(z.string()),
  strata: z.array(drawStratum),
  /** The sample's names, in the sample's order. */
  sampleNames: z.array(z.string()),
});

/** What a spot check draws from when the request names no kinds: the branches, where the members meet. */
export const DRAW_DEFAULT_KINDS = ['branch', 'jointBranch', 'generalBranch'] as const;

// ── Problems: rectification and verification (整改销号) ──

/** POST /api/problems/:id/rectification. */
export const rectificationBody = z.strictObject({
  measures: text(2000).min(1, '请填写整改措施'),
  deadline: isoDate,
  /** The person answerable for it; absent: the organization's secretary. */
  responsible: text(50).optional(),
});

/** POST /api/problems/:id/verify: `comment` is required when the rectification fails. */
export const verifyBody = z
  .strictObject({ result: z.enum(['pass', 'fail']), comment: text(500).optional() })
  .refine((b) => b.result === 'pass' || !!b.comment, { message: '验收不通过时请写明原因', path: ['comment'] });

export const rectificationView = z.object({
  problemId: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  /** The problem's own status (contract/labels.ts PROBLEM_STATUS_LABELS). */
  problemStatus: z.string(),
  message: z.string(),
  state: z.enum(RECTIFICATION_STATES),
  /** Who answers for it: the organization's 第一责任人 (responsibility chain) today and when the problem last opened. */
  owner: z.object({
    now: z.string().nullable(),
    whenOpened: z.string().nullable(),
    /** Every level from the problem's organization up to the reader's own, nearest first. */
    levels: z.array(answerLevel),
  }),
  plan: z
    .object({
      measures: z.string(),
      deadline: z.string(),
      responsible: z.string().nullable(),
      setByName: z.string(),
      setAt: z.string(),
      overdue: z.boolean(),
    })
    .nullable(),
  verifications: z.array(
    z.object({
      result: z.enum(['pass', 'fail']),
      comment: z.string().nullable(),
      byName: z.string(),
      orgName: z.string(),
      at: z.string(),
      /** Made before the problem last opened: it no longer counts. */
      stale: z.boolean(),
    }),
  ),
  /** Progress reports, oldest first, each with the evidence it carried. */
  progress: z.array(
    z.object({
      id: z.string(),
      text: z.string(),
      byName: z.string(),
      at: z.string(),
      evidence: z.array(taskEvidenceView),
    }),
  ),
  /** Evidence uploaded and not yet sent with a progress report. */
  pendingEvidence: z.array(taskEvidenceView),
  /** Where it came from (PROBLEM_SOURCE_LABELS) and, for a reported one, from whom and when. */
  source: z.string(),
  reportedBy: z.string().nullable(),
  /** The county's size limit for a photo (files.maxImageMB), for the phone to shrink to. */
  maxPhotoBytes: z.number().int(),
  can: z.object({ plan: z.boolean(), verify: z.boolean(), report: z.boolean() }),
});

/** POST /api/problems/:id/progress: how the rectification is going; takes the evidence uploaded since the last report. */
export const progressBody = z.strictObject({ text: text(2000).min(1, '请填写整改进展') });

/**
 * POST /api/problems: a problem a level above registers for an organization in its subtree from a
 * source other than the platform's checks — a higher level's feedback (上级反馈) or the public's report
 * (群众反映).
 */
export const problemReport = z.strictObject({
  orgId: uuidStr,
  source: z.enum(REPORTED_SOURCES),
  /** The problem, as it should stand on the organization's list. */
  text: text(500).min(1, '请填写问题'),
  /** Who fed it back or reported it (e.g. 市委组织部督查组, 12345 热线), and on which day. */
  reportedBy: text(100).min(1, '请填写问题来源（反馈单位或反映渠道）'),
  receivedOn: isoDate,
  /** What would close it (default: 整改到位并经上级验收). */
  clearedBy: text(200).optional(),
});

// ── Supervision notices (督查通报) ──

/** POST /api/notices: a draft made from the data of the organizations below `underOrgId` in `period`. */
export const noticeCreate = z.strictObject({
  title: text(100).min(1, '请填写通报标题'),
  underOrgId: uuidStr,
  period: periodStr,
});

export const noticeRank = z.object({
  orgId: z.string(),
  orgName: z.string(),
  /** Shares of tasks due in the period held in the organization's subtree. */
  tasks: z.number().int(),
  done: z.number().int(),
  onTime: z.number().int(),
  overdue: z.number().int(),
  /** done / tasks, 0–1; null without tasks. */
  completionRate: z.number().nullable(),
  /** Problems raised in the period in its subtree, and those closed (销号). */
  problems: z.number().int(),
  closed: z.number().int(),
  rectificationRate: z.number().nullable(),
});

/** What a notice says, worked out from the data when the draft is made and kept as it was reviewed. */
export const noticeContent = z.object({
  periodLabel: z.string(),
  /** 截至 date the figures were taken. */
  asOf: z.string(),
  checked: z.object({
    tasks: z.number().int(),
    assignments: z.number().int(),
    problems: z.number().int(),
    draws: z.array(z.object({ seed: z.string(), drawnAt: z.string(), sampleNames: z.array(z.string()) })),
  }),
  /** The organizations directly below, best completion first. */
  ranking: z.array(noticeRank),
  /** Every task share done on time and every problem closed. */
  good: z.array(z.string()),
  problemsByOrg: z.array(
    z.object({
      orgName: z.string(),
      open: z.number().int(),
      rules: z.array(z.object({ name: z.string(), count: z.number().int() })),
    }),
  ),
  /** Organizations holding a task share due in the period and still not done: named, and each signs for the notice. */
  lagging: z.array(
    z.object({
      orgId: z.string(),
      orgName: z.string(),
      overdue: z.array(z.object({ title: z.string(), deadline: z.string(), days: z.number().int() })),
    }),
  ),
});

export const noticeView = z.object({
  id: z.string(),
  title: z.string(),
  underOrgId: z.string(),
  underOrgName: z.string(),
  period: z.string(),
  status: z.enum(NOTICE_STATUSES),
  createdAt: z.string(),
  createdByName: z.string(),
  publishedAt: z.string().nullable(),
  content: noticeContent,
  /** The organizations named, with their signature once published. */
  named: z.array(
    z.object({
      orgId: z.string(),
      orgName: z.string(),
      signedAt: z.string().nullable(),
      signedByName: z.string().nullable(),
    }),
  ),
  can: z.object({ publish: z.boolean(), sign: z.boolean() }),
});

export const noticeBrief = z.object({
  id: z.string(),
  title: z.string(),
  underOrgName: z.string(),
  period: z.string(),
  status: z.enum(NOTICE_STATUSES),
  createdAt: z.string(),
  publishedAt: z.string().nullable(),
  named: z.number().int(),
  signed: z.number().int(),
  /** Whether the reader's organization is named and has not signed. */
  mustSign: z.boolean(),
});
export const noticeListQuery = z.strictObject({ ...pageQuery });

// ── Documents from above (上级文件) ──

/** POST /api/directives: multipart with the document as `file` (PDF or Word) and this JSON as the field `data`. */
export const directiveCreate = z.strictObject({
  title: text(200).min(1, '请填写文件标题'),
  /** 文号, e.g. 兰组〔2026〕12号. */
  docNumber: text(50).optional(),
  summary: text(2000).optional(),
  /** By when each organization must sign for it, and by when report how it carried it out. */
  signDeadline: isoDate,
  reportDeadline: isoDate,
  targets: taskTargets,
  /** A client-made id (UUID) of the form: a repeated send answers the document it sent (status 200) instead of a second one. */
  clientId: uuidStr.optional(),
});

export const directiveRecipient = z.object({
  orgId: z.string(),
  orgName: z.string(),
  signedAt: z.string().nullable(),
  reportedAt: z.string().nullable(),
  report: z.string().nullable(),
  /** Not signed by the sign deadline (signed late, or not yet and the day has passed). */
  signLate: z.boolean(),
  /** No report by the report deadline (reported late, or not yet and the day has passed). */
  reportLate: z.boolean(),
});

export const directiveView = z.object({
  id: z.string(),
  title: z.string(),
  docNumber: z.string().nullable(),
  summary: z.string().nullable(),
  issuerOrgId: z.string(),
  issuerOrgName: z.string(),
  signDeadline: z.string(),
  reportDeadline: z.string(),
  fileName: z.string(),
  fileSize: z.number().int(),
  createdAt: z.string(),
  /** The recipients in the reader's scope. */
  recipients: z.array(directiveRecipient),
  /** The reader's own organization's copy, when it is a recipient. */
  mine: directiveRecipient.nullable(),
  counts: z.object({
    total: z.number().int(),
    signed: z.number().int(),
    reported: z.number().int(),
    late: z.number().int(),
  }),
});

export const directiveBrief = directiveView.omit({ recipients: true, summary: true });
export const directiveListQuery = z.strictObject({
  view: z.enum(['issued', 'received', 'all']).default('all'),
  ...pageQuery,
});
export const directiveReportBody = z.strictObject({ text: text(5000).min(1, '请填写贯彻落实情况') });

/** GET /api/directives/lateness: per organization directly below, documents not carried out in time (feeds the assessment). */
export const directiveLateness = z.object({
  orgId: z.string(),
  orgName: z.string(),
  rows: z.array(
    z.object({
      orgId: z.string(),
      orgName: z.string(),
      received: z.number().int(),
      signLate: z.number().int(),
      reportLate: z.number().int(),
      /** Documents with either lateness. */
      notInTime: z.number().int(),
    }),
  ),
});

// ── The responsibility chain (党建责任制) ──

export const responsibilityQuery = z.strictObject({
  orgId: uuidStr.optional(),
  /** The chain as it was on this day (default today). */
  date: isoDate.optional(),
});

export const responsibilityPerson = z.object({
  level: z.enum(RESPONSIBILITY_LEVELS),
  personName: z.string(),
  /** The post it was read from, or null when the committee named the person (override). */
  post: z.string().nullable(),
  orgId: z.string(),
  orgName: z.string(),
  /** The override's reason, when the committee named the person. */
  reason: z.string().nullable(),
  since: z.string().nullable(),
});

export const responsibilityChain = z.object({
  orgId: z.string(),
  orgName: z.string(),
  date: z.string(),
  people: z.array(responsibilityPerson),
  /** Levels nobody holds on that day (a vacant post, no organization below). */
  vacant: z.array(z.enum(RESPONSIBILITY_LEVELS)),
  /** The committee's overrides, newest first, with the days they were in force. */
  overrides: z.array(
    z.object({
      id: z.string(),
      level: z.enum(RESPONSIBILITY_LEVELS),
      personName: z.string().nullable(),
      reason: z.string(),
      from: z.string(),
      to: z.string().nullable(),
      setByName: z.string(),
    }),
  ),
});

/** POST /api/responsibility/overrides: name the person answerable at a level from a day on (absent name: back to the posts). */
export const overrideBody = z.strictObject({
  orgId: uuidStr,
  level: z.enum(['primary', 'direct', 'related']),
  personName: text(50).min(1).optional(),
  reason: text(500).min(1, '请写明调整原因'),
  from: isoDate,
});

// ── Inspection records (督查检查记录) ──

/** POST /api/inspections: what was checked where, by whom, on which day; each finding becomes a problem of the inspected organization. */
export const inspectionCreate = z.strictObject({
  kind: z.enum(INSPECTION_KINDS),
  orgId: uuidStr,
  checkedOn: isoDate,
  inspectors: text(200).min(1, '请填写检查人员'),
  summary: text(2000).optional(),
  /** The spot-check draw this visit came from. */
  drawId: uuidStr.optional(),
  /** The inspection plan this visit carries out (the organization must be one of its stops). */
  planId: uuidStr.optional(),
  findings: z
    .array(
      z.strictObject({
        text: text(500).min(1, '请填写发现的问题'),
        /** What would close it, in the inspector's words (default: 整改到位并经上级验收). */
        clearedBy: text(200).optional(),
      }),
    )
    .max(50),
});

export const inspectionView = z.object({
  id: z.string(),
  kind: z.enum(INSPECTION_KINDS),
  orgId: z.string(),
  orgName: z.string(),
  inspectorOrgName: z.string(),
  checkedOn: z.string(),
  inspectors: z.string(),
  summary: z.string().nullable(),
  drawSeed: z.string().nullable(),
  createdAt: z.string(),
  findings: z.array(z.object({ id: z.string(), text: z.string(), problemId: z.string(), problemStatus: z.string() })),
});
export const inspectionListQuery = z.strictObject({ orgId: uuidStr.optional(), ...pageQuery });

/** POST /api/inspections/plans: what will be checked, where (organizations, or a draw's sample), when and by whom. */
export const inspectionPlanCreate = z
  .strictObject({
    title: text(200).min(1, '请填写检查内容'),
    kind: z.enum(INSPECTION_KINDS),
    /** The organizations to visit; or `drawId`: a spot-check draw's sample. */
    orgIds: z.array(uuidStr).max(500).optional(),
    drawId: uuidStr.optional(),
    startsOn: isoDate,
    endsOn: isoDate,
    inspectors: text(200).min(1, '请填写检查人员'),
    /** 检查重点. */
    focus: text(2000).optional(),
  })
  .refine((b) => !!b.drawId || !!b.orgIds?.length, { message: '请选择被检查的组织或一次随机抽取', path: ['orgIds'] })
  .refine((b) => b.endsOn >= b.startsOn, { message: '结束日期不能早于开始日期', path: ['endsOn'] });

export const inspectionPlanView = z.object({
  id: z.string(),
  title: z.string(),
  kind: z.enum(INSPECTION_KINDS),
  plannerOrgName: z.string(),
  startsOn: z.string(),
  endsOn: z.string(),
  inspectors: z.string(),
  focus: z.string().nullable(),
  drawSeed: z.string().nullable(),
  state: z.enum(INSPECTION_PLAN_STATES),
  /** Each stop in the reader's scope and the inspection recorded there under this plan, if any. */
  stops: z.array(
    z.object({
      orgId: z.string(),
      orgName: z.string(),
      inspectionId: z.string().nullable(),
      checkedOn: z.string().nullable(),
      findings: z.number().int(),
    }),
  ),
  done: z.number().int(),
  total: z.number().int(),
  createdAt: z.string(),
});
export const inspectionPlanListQuery = z.strictObject({ ...pageQuery });

// ── Year-end targets (年底兑标) ──

/** POST /api/targets: a township's target sheet for one organization below it (a village's secretary) for a year. */
export const targetCreate = z.strictObject({
  orgId: uuidStr,
  year: z.number().int().min(2000).max(2100),
  items: z
    .array(z.strictObject({ text: text(300).min(1, '请填写目标内容'), weight: z.number().int().min(1).max(100) }))
    .min(1, '请至少填写一项目标')
    .max(30),
});
export const targetReportBody = z.strictObject({ text: text(2000).min(1, '请填写完成情况') });
export const targetScoreBody = z.strictObject({
  score: z.number().min(0).max(100),
  comment: text(500).optional(),
});
export const targetItem = z.object({
  id: z.string(),
  text: z.string(),
  weight: z.number().int(),
  report: z.string().nullable(),
  reportedAt: z.string().nullable(),
  score: z.number().nullable(),
  comment: z.string().nullable(),
  scoredByName: z.string().nullable(),
  scoredAt: z.string().nullable(),
});
export const targetSheet = z.object({
  id: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  /** The 第一责任人 answering for it (the responsibility chain): today's in the running year, the last day's for a past year. */
  secretary: z.string().nullable(),
  issuerOrgId: z.string(),
  issuerOrgName: z.string(),
  year: z.number().int(),
  items: z.array(targetItem),
  /** Sum of the weights, of the scores given, and whether every item is scored (兑标 done). */
  weight: z.number().int(),
  score: z.number(),
  settled: z.boolean(),
  can: z.object({ report: z.boolean(), score: z.boolean() }),
});
export const targetListQuery = z.strictObject({
  orgId: uuidStr.optional(),
  year: z.coerce.number().int().min(2000).max(2100).optional(),
});
export const targetItemParams = z.object({ id: uuidStr, itemId: uuidStr });

/** GET /api/responsibility/person: one person's responsibility list (责任清单) across the organizations of the reader's scope. */
export const personQuery = z.strictObject({
  name: text(50).min(1, '请输入姓名'),
  orgId: uuidStr.optional(),
});
export const personList = z.object({
  name: z.string(),
  /** Where the person answers today: organization, level, post. */
  roles: z.array(
    z.object({
      orgId: z.string(),
      orgName: z.string(),
      level: z.enum(RESPONSIBILITY_LEVELS),
      post: z.string().nullable(),
    }),
  ),
  /** The duties of those levels and fields, from the county's template (contract/labels.ts). */
  duties: z.array(z.string()),
  /** Open task shares of the organizations where the person is 第一责任人 or 具体责任人. */
  tasks: z.array(assignmentView.extend({ title: z.string() })),
  /** Open problems of those organizations. */
  problems: z.array(
    z.object({ id: z.string(), orgName: z.string(), message: z.string(), raisedAt: z.string().nullable() }),
  ),
  /** This year's target sheets of those organizations. */
  targets: z.array(
    z.object({
      id: z.string(),
      orgName: z.string(),
      year: z.number().int(),
      weight: z.number().int(),
      score: z.number(),
    }),
  ),
});

/** POST /api/problems/:id/major: a committee's pick of a major problem of the year (LIFE-9: 2–3 a year). */
export const majorBody = z.strictObject({ year: z.number().int().min(2000).max(2100), note: text(300).optional() });
export const majorList = z.object({
  orgId: z.string(),
  orgName: z.string(),
  year: z.number().int(),
  items: z.array(
    z.object({
      problemId: z.string(),
      orgName: z.string(),
      message: z.string(),
      note: z.string().nullable(),
      /** Where its rectification stands (RECTIFICATION_STATE_LABELS). */
      state: z.enum(RECTIFICATION_STATES),
    }),
  ),
});
