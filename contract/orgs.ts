import { z } from 'zod';
import { FIELDS, isoDate, ORG_KINDS, POSTS, pageQuery, uuidStr } from './common.ts';

export const orgKind = z.enum(ORG_KINDS);
export const orgField = z.enum(FIELDS);

export const orgSummary = z.object({
  id: z.string(),
  parentId: z.string().nullable(),
  parentName: z
    .string()
    .nullable()
    .describe('the parent organization, to tell same-named ones apart in search results'),
  name: z.string(),
  shortName: z.string().nullable(),
  kind: orgKind,
  field: orgField.nullable(),
  divisionCode: z.string().nullable(),
  status: z.string(),
  depth: z.number(),
  hasChildren: z.boolean(),
  memberCount: z.number().describe('members in this organization and everything below it'),
});
export type OrgSummary = z.infer<typeof orgSummary>;

export const orgPost = z.object({
  id: z.string(),
  post: z.enum(POSTS),
  memberId: z.string().nullable(),
  personName: z.string().nullable(),
  startDate: z.string().nullable(),
  termEnd: z.string().nullable(),
  vacantSince: z.string().nullable(),
});

export const orgWarning = z.object({ rule: z.string(), level: z.enum(['warning', 'info']), message: z.string() });

/** A child organization; with `warnings=true` also its checks, for the parent's card. */
export const orgChild = orgSummary.extend({ warnings: z.array(orgWarning).optional() });
export type OrgChild = z.infer<typeof orgChild>;
export const orgChildrenQuery = z.object({
  warnings: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true'),
});

export const orgDetail = orgSummary.extend({
  path: z.array(z.object({ id: z.string(), name: z.string() })).describe('ancestors from the top of your scope'),
  category: z.string().nullable(),
  unitSituation: z.string().nullable(),
  unitName: z.string().nullable(),
  foundedOn: z.string().nullable(),
  themedDay: z.number().nullable().describe('the day of the month of its 主题党日, where fixed (LIFE-5)'),
  location: z
    .object({ lat: z.number(), lng: z.number() })
    .nullable()
    .describe("the office's position (WGS-84): first secretaries' check-ins are measured against it"),
  contactName: z.string().nullable(),
  contactPhoneMasked: z
    .string()
    .nullable()
    .describe('masked; the full number through POST /api/orgs/:id/reveal (audited)'),
  termStart: z.string().nullable(),
  termEnd: z.string().nullable(),
  termYears: z.number().nullable(),
  version: z.number(),
  leadership: z.array(orgPost),
  counts: z.object({
    total: z.number(),
    direct: z.number(),
    full: z.number(),
    probationary: z.number(),
    byField: z.record(z.string(), z.number()),
    children: z.number(),
  }),
  warnings: z.array(orgWarning),
  /** How the county reads 第十二条's “半数以上委员到会” today (LIFE-2 setting): the meeting form's live quorum hint uses it. */
  committeeQuorum: z.enum(['atLeastHalf', 'moreThanHalf']),
  history: z.array(z.object({ kind: z.string(), at: z.string(), detail: z.record(z.string(), z.unknown()) })),
});
export type OrgDetail = z.infer<typeof orgDetail>;

export const orgListQuery = z.object({
  parentId: uuidStr.optional(),
  q: z.string().trim().max(50).optional(),
  field: orgField.optional(),
  kind: orgKind.optional(),
  ...pageQuery,
});

const orgWritable = {
  name: z.string().trim().min(2, '名称至少 2 个字').max(100, '名称不能超过 100 个字'),
  shortName: z.string().trim().max(30).nullish(),
  kind: orgKind,
  field: orgField.nullish(),
  category: z.string().max(10).nullish(),
  divisionCode: z
    .string()
    .regex(/^\d{6}(\d{3}){0,2}$/, '行政区划代码应为 6、9 或 12 位数字')
    .nullish(),
  unitSituation: z.enum(['sameAsParent', 'legalPerson', 'joint']).nullish(),
  unitName: z.string().max(100).nullish(),
  /** 成立日期: required; default the day the organization is created. */
  foundedOn: isoDate.nullish(),
  /** The day of the month its 主题党日 is held on, where fixed (LIFE-5: a record on another day gets a warning). */
  themedDay: z.number().int().min(1).max(31).nullish(),
  contactName: z.string().max(30).nullish(),
  contactPhone: z.string().max(20).nullish(),
  termStart: isoDate.nullish(),
  termEnd: isoDate.nullish(),
  termYears: z.number().int().min(1).max(10).nullish(),
};

export const orgCreate = z.strictObject({ parentId: uuidStr, ...orgWritable });
export const orgPatch = z
  .strictObject(orgWritable)
  .partial()
  .extend({
    version: z.number().int().optional(),
    /** The office's position (WGS-84) check-ins are measured against; null clears it. */
    location: z
      .strictObject({
        lat: z.number().min(3, '纬度超出我国范围').max(54, '纬度超出我国范围'),
        lng: z.number().min(73, '经度超出我国范围').max(136, '经度超出我国范围'),
      })
      .nullable()
      .optional(),
  });

export const orgRevealResult = z.object({ contactPhone: z.string().nullable() });

export const orgMove = z.strictObject({ newParentId: uuidStr, reason: z.string().trim().min(2).max(200) });
export const orgMerge = z.strictObject({ intoId: uuidStr, reason: z.string().trim().min(2).max(200) });
export const orgDissolve = z.strictObject({ reason: z.string().trim().min(2).max(200), date: isoDate.optional() });

export const postWrite = z.strictObject({
  post: z.enum(POSTS),
  memberId: uuidStr.nullish(),
  personName: z.string().trim().max(30).nullish(),
  /** The day it took effect: the new holder's start (the previous holder's term ends that day), or the day the post fell vacant; default today. */
  startDate: isoDate.nullish(),
  termEnd: isoDate.nullish(),
});

export { defaultChildKind, ORG_FIELD_LABELS } from './labels.ts';
