/**
 * A first secretary's yearly score (issue 20): each part's rate from the records (FS-2's months, FS-4's
 * reports, FS-3's five ones, the posted organization's tasks and problems) and the township's and the
 * dispatching unit's own marks, weighted by the county's settings; parts without anything to judge are
 * left out and the rest scaled to 100. The assessment module reads the same (server score.ts yearScores).
 */
import { z } from 'zod';
import { uuidStr } from './common.ts';
import { FS_ROLES, FS_SCORE_PARTS } from './labels.ts';

export { FS_SCORE_PART_LABELS, FS_SCORE_PARTS } from './labels.ts';

export const scoreQuery = z.strictObject({
  year: z.coerce.number().int().min(2000, '年份不正确').max(2100, '年份不正确').optional(),
});

export const scoreListQuery = z.strictObject({
  year: z.coerce.number().int().min(2000, '年份不正确').max(2100, '年份不正确').optional(),
  orgId: uuidStr.optional(),
});

/** PUT /api/first-secretaries/:id/score/:side: the township's or the dispatching unit's mark of a year, out of 100. */
export const scoreMarkBody = z.strictObject({
  year: z.number().int().min(2000, '年份不正确').max(2100, '年份不正确'),
  score: z.number().min(0, '分数应在 0 到 100 之间').max(100, '分数应在 0 到 100 之间'),
  comment: z.string().trim().max(500).default(''),
});
export const scoreSideParam = z.object({ id: uuidStr, side: z.enum(['town', 'unit']) });

const mark = z
  .object({ score: z.number(), comment: z.string(), byName: z.string().nullable(), at: z.string() })
  .nullable();

export const scoreView = z.object({
  fsId: uuidStr,
  name: z.string(),
  role: z.enum(FS_ROLES),
  orgName: z.string(),
  townshipName: z.string().nullable(),
  year: z.number().int(),
  parts: z.array(
    z.object({
      part: z.enum(FS_SCORE_PARTS),
      /** The county's weight of the part. */
      weight: z.number(),
      /** 0–1; null: nothing to judge this year (left out of the total). */
      rate: z.number().nullable(),
      /** The part's points out of its weight (rate × weight; null when left out); the total scales their sum to 100. */
      points: z.number().nullable(),
      /** What the records show, in Chinese. */
      note: z.string(),
    }),
  ),
  /** Out of 100, one decimal; null when nothing could be judged. */
  total: z.number().nullable(),
  /** Whether both marks are given and the year has ended. */
  final: z.boolean(),
  town: mark,
  unit: mark,
  can: z.object({ town: z.boolean(), unit: z.boolean() }),
});
