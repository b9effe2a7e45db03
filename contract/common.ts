import { z } from 'zod';

/** Dates travel as 'YYYY-MM-DD'. */
export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');
export const uuidStr = z.uuid('编号格式不正确');
export const pageQuery = {
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
};
export function listOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });
}
export const okBody = z.object({ ok: z.literal(true) });

export { ORG_KINDS, ORG_KIND_LABELS, FIELDS, FIELD_LABELS, POSTS, POST_LABELS, STANDINGS, STANDING_LABELS, UNIT_SITUATIONS, CHILD_KINDS, MEMBER_ORG_KINDS } from './labels.ts';
