/**
 * The rules engine's output: problems (问题) with their history, compliance across a subtree, an
 * organization's calendar, and rule settings with effective dates. Shared by server and web.
 */
import { z } from 'zod';
import { isoDate, pageQuery, uuidStr } from './common.ts';
import { MEETING_KINDS, PROBLEM_STATUSES, REPORTED_SOURCES } from './labels.ts';

/** '2026-11' (month), '2026-Q4' (quarter) or '2026' (year): Asia/Shanghai calendar periods. */
export const periodStr = z
  .string()
  .regex(/^\d{4}(-(0[1-9]|1[0-2])|-Q[1-4])?$/, '期间格式应为 2026-11、2026-Q4 或 2026');
export { PROBLEM_STATUS_LABELS, PROBLEM_STATUSES } from './labels.ts';
export const PROBLEM_SOURCES = ['rule', 'inspection', 'manual', ...REPORTED_SOURCES] as const;

export const problemListQuery = z.strictObject({
  orgId: uuidStr.optional(),
  rule: z
    .string()
    .regex(/^[A-Z]{2,5}-\d{1,2}$/, '规则编号格式如 LIFE-2')
    .optional(),
  period: periodStr.optional(),
  /** open | cleared | upcoming (reminders of a running period); absent: open. */
  status: z.enum(PROBLEM_STATUSES).optional(),
  field: z.string().max(40).optional(),
  townshipId: uuidStr.optional(),
  ...pageQuery,
});

export const problemView = z.object({
  id: z.string(),
  source: z.enum(PROBLEM_SOURCES),
  rule: z.string(),
  ruleName: z.string(),
  subjectType: z.string(),
  subjectId: z.string(),
  subjectName: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  period: z.string(),
  periodLabel: z.string(),
  status: z.enum(PROBLEM_STATUSES),
  message: z.string(),
  clearedBy: z.string(),
  raisedAt: z.string().nullable(),
  openedAt: z.string().nullable(),
  clearedAt: z.string().nullable(),
  /** The records the rule read for the period: each meeting, whether it counted, and why not (link: /meetings/:meetingId). */
  records: z.array(
    z.object({ meetingId: z.string(), heldOn: z.string(), kind: z.string(), counted: z.boolean(), note: z.string() }),
  ),
});
export type ProblemView = z.infer<typeof problemView>;

export const problemDetail = problemView.extend({
  history: z.array(
    z.object({
      at: z.string(),
      fromStatus: z.string().nullable(),
      toStatus: z.string(),
      message: z.string(),
      cause: z.string(),
    }),
  ),
  ruleText: z.string(),
  ruleSource: z.string(),
  /** What the county sets beyond the regulation's words, said as its own. */
  ruleCountyRule: z.string().nullable(),
});

/** A rule as the problems page lists it: Chinese name, the id in small print, its text and where it comes from. */
export const ruleInfo = z.object({
  id: z.string(),
  name: z.string(),
  /** The regulation's own words. */
  text: z.string(),
  /** Where they are (the article); kept as `source` too for older clients. */
  source: z.string(),
  article: z.string(),
  /** What the county sets beyond the text, said as the county's own; null when the rule is the text alone. */
  countyRule: z.string().nullable(),
  subject: z.string(),
});

export const complianceQuery = z.strictObject({
  /** The committee whose subtree is shown (default: the user's own organization). */
  orgId: uuidStr.optional(),
  kind: z.enum(MEETING_KINDS).optional(),
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  quarter: z.coerce.number().int().min(1).max(4).optional(),
});

/** One period of a compliance row: required, met, missing among active organizations (rate = met/required); `closed`: results of organizations since dissolved or merged, counted apart. */
const complianceCell = z.object({
  period: z.string(),
  required: z.number(),
  met: z.number(),
  missing: z.number(),
  rate: z.number().nullable(),
  closed: z.number(),
});

/**
 * Compliance of the direct children of `orgId` (party groups left out; each over its own subtree), by
 * month of the chosen year or quarter (quarters or the year for quarterly and yearly kinds). `total`
 * is the whole subtree of `orgId`, the organization itself included.
 */
export const complianceView = z.object({
  orgId: z.string(),
  orgName: z.string(),
  kind: z.enum(MEETING_KINDS),
  rule: z.string(),
  periods: z.array(z.object({ period: z.string(), label: z.string(), ended: z.boolean() })),
  rows: z.array(
    z.object({
      orgId: z.string(),
      orgName: z.string(),
      hasChildren: z.boolean(),
      cells: z.array(complianceCell),
    }),
  ),
  total: z.array(complianceCell),
});

/** GET /api/compliance/missing: the organizations behind a missing cell. */
export const complianceMissingQuery = z.strictObject({
  orgId: uuidStr,
  kind: z.enum(MEETING_KINDS),
  period: periodStr,
});

export const calendarQuery = z.strictObject({ year: z.coerce.number().int().min(2000).max(2100).optional() });
/** An organization's year: per month and quarter, what each rule required and what was held, with links. */
export const calendarView = z.object({
  orgId: z.string(),
  orgName: z.string(),
  year: z.number(),
  cells: z.array(
    z.object({
      rule: z.string(),
      ruleName: z.string(),
      kind: z.enum(MEETING_KINDS).nullable(),
      period: z.string(),
      periodStart: z.string(),
      periodEnd: z.string(),
      required: z.number(),
      held: z.number(),
      ok: z.boolean(),
      ended: z.boolean(),
      meetingIds: z.array(z.string()),
    }),
  ),
});

export const ruleSettingView = z.object({
  key: z.string(),
  label: z.string(),
  unit: z.string().nullable(),
  rule: z.string(),
  /** int, share, choice (one of `options`) or orgClasses (several of `options`, written 'a,b'). */
  kind: z.enum(['int', 'share', 'choice', 'orgClasses']),
  options: z.record(z.string(), z.string()).nullable(),
  /** What the regulation says and why the county sets it, naming the article. */
  description: z.string().nullable(),
  default: z.union([z.number(), z.boolean(), z.string()]),
  /** The values in force over time, newest first; the platform default applies before the first. */
  history: z.array(
    z.object({ effectiveFrom: z.string(), value: z.union([z.number(), z.boolean(), z.string()]), setAt: z.string() }),
  ),
  current: z.union([z.number(), z.boolean(), z.string()]),
});
export const ruleSettingPut = z.strictObject({
  key: z.string().max(80),
  value: z.union([z.number(), z.boolean(), z.string().max(40)]),
  effectiveFrom: isoDate,
});

export const ruleRunView = z.object({
  id: z.string(),
  kind: z.string(),
  status: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  checked: z.number().nullable(),
  opened: z.number().nullable(),
  cleared: z.number().nullable(),
});
export type RuleInfo = z.infer<typeof ruleInfo>;
export type RuleRunView = z.infer<typeof ruleRunView>;
/** PUT /api/settings/rules: the setting as it now stands, and what happens to the checks. */
export const ruleSettingPutResult = ruleSettingView.extend({ message: z.string() });
/** GET /api/compliance/missing: the organizations behind a cell, with links to them. */
export const complianceMissingView = z.object({
  rule: z.string(),
  period: z.string(),
  periodLabel: z.string(),
  items: z.array(
    z.object({
      orgId: z.string(),
      orgName: z.string(),
      /** The organization above it (usually the township's committee). */ parentName: z.string().nullable(),
      required: z.number(),
      held: z.number(),
      ended: z.boolean(),
      link: z.string(),
      calendarLink: z.string(),
    }),
  ),
});
