import { z } from 'zod';
import { FIELDS, isoDate, pageQuery, STANDINGS, uuidStr } from './common.ts';
import { IMPORT_COLUMN_LABELS, PARTY_STATUSES } from './labels.ts';

export const standing = z.enum(STANDINGS);

/**
 * A member as every list and detail shows them: ID number, phone and address masked (SEC-9). Roles
 * without the reveal permission get no birth date (age stands in) and nothing of the ID number (SEC-30).
 */
export const memberView = z.object({
  id: z.string(),
  name: z.string(),
  sex: z.enum(['1', '2']),
  birthDate: z.string().nullable().describe('null for roles that may not reveal personal data; use age'),
  age: z.number(),
  ethnicity: z.string().nullable(),
  education: z.string().nullable(),
  personCategory: z.string().nullable(),
  joinMethod: z.string().nullable(),
  standing,
  partyStatus: z.string(),
  joinDate: z.string(),
  joinDatePrecision: z
    .enum(['day', 'month'])
    .describe(
      'month: only the year and month are known (a roster gave 2012.07); joinDate is the first of that month, shown as 2012年07月',
    ),
  fullDate: z.string().nullable(),
  post: z.string().nullable(),
  nativePlace: z.string().nullable(),
  workStartDate: z.string().nullable(),
  idNumberMasked: z.string().describe('first and last character for roles that may reveal, 18 asterisks otherwise'),
  phoneMasked: z.string().nullable(),
  phone: z
    .string()
    .nullable()
    .optional()
    .describe(
      "full phone: only in a branch secretary's list of their own branch, when the county allows it (each list view is audited)",
    ),
  addressMasked: z.string().nullable(),
  lostContact: z.boolean(),
  lastContactDate: z.string().nullable(),
  mobile: z.boolean(),
  orgId: z.string(),
  orgName: z.string(),
  version: z.number(),
});
export type MemberView = z.infer<typeof memberView>;

export const memberDetail = memberView.extend({
  /** 党籍状态 (MEM-7): since when, and the 党员大会 decision that made it. */
  partyStatusSince: z.string().nullable(),
  partyStatusDecision: z
    .object({ id: z.string(), meetingId: z.string(), heldOn: z.string(), text: z.string() })
    .nullable(),
  /** 留党察看 as recorded (null when none), with the 党员大会 decision it names; `current` on today's date. */
  partyProbation: z
    .object({
      from: z.string(),
      until: z.string(),
      decidedBy: z.string(),
      decidedOn: z.string(),
      decision: z.object({ id: z.string(), meetingId: z.string(), heldOn: z.string(), text: z.string() }).nullable(),
      current: z.boolean(),
    })
    .nullable(),
  /** Decisions of 党员大会 about this member that can move the status (停止党籍, 恢复党籍, 除名), newest first: the form offers them. */
  statusDecisions: z.array(
    z.object({ id: z.string(), tag: z.string(), meetingId: z.string(), heldOn: z.string(), text: z.string() }),
  ),
  warnings: z
    .array(z.object({ rule: z.string(), level: z.enum(['warning', 'info']), message: z.string() }))
    .describe('checks on the record (e.g. NAT-2: a full member without 转正日期); shown, never blocking'),
  history: z.array(
    z.object({
      orgId: z.string(),
      orgName: z.string(),
      fromDate: z.string(),
      toDate: z.string().nullable(),
      reason: z.string(),
    }),
  ),
});

export const memberListQuery = z.object({
  orgId: uuidStr.optional(),
  subtree: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v !== 'false'),
  q: z
    .string()
    .trim()
    .max(50)
    .optional()
    .describe(
      'name, pinyin (full or initials); the full ID number or its last 4 characters for roles that may reveal (each such lookup is audited)',
    ),
  field: z.enum(FIELDS).optional(),
  standing: standing.optional(),
  sex: z.enum(['1', '2']).optional(),
  education: z.string().trim().max(10).optional().describe('学历: a code of the education list (GET /api/code-lists)'),
  ethnicity: z.string().trim().max(10).optional().describe('民族: a code of the ethnicity list'),
  lostContact: z.enum(['true', 'false']).optional(),
  ageMin: z.coerce.number().int().min(0).max(150).optional(),
  ageMax: z.coerce.number().int().min(0).max(150).optional(),
  joinYearMin: z.coerce.number().int().min(1900).max(2100).optional(),
  joinYearMax: z.coerce.number().int().min(1900).max(2100).optional(),
  phones: z
    .enum(['true', 'false'])
    .optional()
    .describe(
      "true: the page shows phone numbers — a branch secretary's own branch then comes with full phones when the county allows it (each such view is audited); without it none are loaded",
    ),
  sort: z.enum(['name', 'joinDate', 'age', 'org']).optional().describe('default name (pinyin)'),
  order: z.enum(['asc', 'desc']).optional(),
  ...pageQuery,
});
export type MemberListQuery = z.infer<typeof memberListQuery>;

/** Selected members, as a comma-separated list of ids (one page of the list at most). */
const idList = z
  .string()
  .regex(/^[0-9a-fA-F-]{36}(,[0-9a-fA-F-]{36}){0,199}$/, '所选党员的编号格式不正确（一次最多 200 人）')
  .transform((s) => s.split(','));

export const batchTransferBody = z.strictObject({
  memberIds: z.array(z.uuid('编号格式不正确')).min(1, '请选择党员').max(200, '一次最多转接 200 人'),
  orgId: z.uuid('编号格式不正确'),
  reason: z.string().trim().min(2, '请说明转接原因').max(200),
});
export const batchTransferResult = z.object({
  ok: z.literal(true),
  moved: z.number().int(),
  unchanged: z.number().int(),
});

const memberWritable = {
  name: z.string().trim().min(1, '姓名不能为空').max(30, '姓名不能超过 30 个字'),
  idNumber: z.string().trim().max(18, '身份证号码应为 18 位'),
  orgId: uuidStr,
  standing,
  joinDate: isoDate,
  fullDate: isoDate.nullish(),
  phone: z.string().trim().max(20).nullish(),
  address: z.string().trim().max(200).nullish(),
  ethnicity: z.string().max(10).nullish(),
  education: z.string().max(10).nullish(),
  personCategory: z.string().max(10).nullish(),
  joinMethod: z.string().max(10).nullish(),
  post: z.string().trim().max(50).nullish(),
  nativePlace: z.string().trim().max(50).nullish(),
  workStartDate: isoDate.nullish(),
  lostContact: z.boolean().optional(),
  lastContactDate: isoDate.nullish(),
  mobile: z.boolean().optional(),
};
export const memberCreate = z.strictObject(memberWritable);
export type MemberCreate = z.infer<typeof memberCreate>;
/**
 * 留党察看 (党章第四十条: at most two years; no 表决权、选举权和被选举权 during it): from and until when,
 * who decided it and on what day, and the 党员大会's recorded 党纪处分 decision about the member when there is one.
 */
export const partyProbation = z.strictObject({
  from: isoDate,
  until: isoDate,
  decidedBy: z.string().trim().min(2, '请填写作出留党察看决定的组织（如：××党支部党员大会，××党委批准）').max(100),
  decidedOn: isoDate,
  decisionId: uuidStr.nullish(),
});
export type PartyProbation = z.infer<typeof partyProbation>;

export const memberPatch = z
  .strictObject(memberWritable)
  .partial()
  .extend({
    version: z.number().int().optional(),
    transferReason: z.string().trim().max(200).optional(),
    /** 党籍状态 (MEM-7), with the 党员大会 decision that made it (a 停止党籍, 恢复党籍 or 除名 decision about this member). */
    partyStatus: z.enum(PARTY_STATUSES).optional(),
    partyStatusDecisionId: uuidStr.optional(),
    /** 留党察看 (党章第四十条) recorded with its decision; null takes back a record entered by mistake. */
    partyProbation: partyProbation.nullable().optional(),
  });

export type MemberPatch = z.infer<typeof memberPatch>;

export const revealBody = z.strictObject({ reason: z.string().trim().min(2, '请说明查看原因').max(200) });
export const revealResult = z.object({
  idNumber: z.string(),
  phone: z.string().nullable(),
  address: z.string().nullable(),
});

export const exportQuery = memberListQuery
  .omit({ page: true, pageSize: true, sort: true, order: true, phones: true })
  .extend({
    ids: idList.optional().describe('only these members (a selection), still inside the scope and the other filters'),
    reason: z.string().trim().min(2, '请说明导出原因').max(200),
    unmasked: z
      .enum(['true', 'false'])
      .optional()
      .transform((v) => v === 'true'),
  });

export const importRowError = z.object({ row: z.number(), column: z.string(), message: z.string() });
export const importResult = z.object({
  ok: z.boolean(),
  dryRun: z.boolean(),
  rows: z.number(),
  created: z.number(),
  updated: z.number(),
  unchanged: z.number(),
  errors: z.array(importRowError),
  /** Rows without an error (those an import with skipInvalid=true writes). */
  validRows: z.number().optional(),
  /** With skipInvalid=true: the errors of the rows left out (each row's every problem); POST /api/members/import/rejected gives them as a file. */
  skipped: z.array(importRowError).optional(),
  /** For each member the file updates (the first 1,000), what changes, field by field (phone and address masked). */
  changes: z
    .array(
      z.object({
        row: z.number(),
        name: z.string(),
        fields: z.array(z.object({ column: z.string(), from: z.string(), to: z.string() })),
      }),
    )
    .optional(),
  /** What imports but should be completed later (a full member without a 转正日期): never blocks. */
  warnings: z.array(importRowError).optional(),
  /** Header cells of the file that are none of the roster's columns: the wizard asks what each is (or to ignore it). */
  unknownHeaders: z
    .array(z.object({ header: z.string(), column: z.string().describe('the column letter in the file') }))
    .optional(),
  /** Values not in a code list, once per distinct value: the wizard maps each to a code for the whole file. */
  unknownValues: z
    .array(
      z.object({
        field: z
          .enum(['ethnicity', 'education', 'personCategory', 'org'])
          .describe('org: a branch name that fits several organizations in scope (the allowed codes are their ids)'),
        header: z.string(),
        value: z.string(),
        count: z.number().describe('rows with this value'),
        rows: z.array(z.number()).describe('the first rows with it (at most 10)'),
        allowed: z.array(z.object({ code: z.string(), label: z.string() })),
      }),
    )
    .optional(),
});

/** How an upload is taken: checked only, and whether the rows with errors are left out while the others import. */
export const importQuery = z.object({
  dryRun: z.enum(['true', 'false']).optional(),
  skipInvalid: z
    .enum(['true', 'false'])
    .optional()
    .describe('import the rows without errors and answer the others as skipped; default: any error imports nothing'),
});

/** The import columns a header can be mapped to, in the wizard (keys of the roster's columns). */
export const IMPORT_COLUMN_KEYS = Object.keys(IMPORT_COLUMN_LABELS) as [
  keyof typeof IMPORT_COLUMN_LABELS,
  ...(keyof typeof IMPORT_COLUMN_LABELS)[],
];
const codeMapping = z.record(z.string().trim().min(1).max(50), z.string().trim().min(1).max(20));
/** What the user told the wizard (multipart field `mapping`, JSON): remembered for the county after a successful import. */
export const importMapping = z.strictObject({
  headers: z.record(z.string().trim().min(1).max(30), z.enum([...IMPORT_COLUMN_KEYS, 'ignore'])).optional(),
  values: z
    .strictObject({
      ethnicity: codeMapping.optional(),
      education: codeMapping.optional(),
      personCategory: codeMapping.optional(),
      org: z
        .record(z.string().trim().min(1).max(100), z.uuid('编号格式不正确'))
        .optional()
        .describe('a name that fits several organizations → the id of the one meant'),
    })
    .optional(),
});
export type ImportResult = z.infer<typeof importResult>;

export { MEMBER_FIELD_LABELS } from './labels.ts';
