/**
 * The "五个一" tracker of two-new first secretaries and instructors (FS-3, issue 20): each part of a year
 * as done, due, missed, excused or not judged, from the same count as the rule (server fiveones.ts), and
 * the yearly parts recorded by hand (a practice spread, a problem solved, an experience paper).
 */
import { z } from 'zod';
import { isoDate, uuidStr } from './common.ts';
import { FS_FIVE_KINDS, FS_FIVE_PARTS, FS_FIVE_STATES } from './labels.ts';

export { FS_FIVE_KINDS, FS_FIVE_PART_LABELS, FS_FIVE_PARTS, FS_FIVE_STATE_LABELS, FS_FIVE_STATES } from './labels.ts';

export const fiveQuery = z.strictObject({
  year: z.coerce.number().int().min(2000, '年份不正确').max(2100, '年份不正确').optional(),
});

/** POST /api/first-secretaries/:id/five-items: one of the yearly parts, as done on a day. */
export const fiveItemCreate = z.strictObject({
  kind: z.enum(FS_FIVE_KINDS),
  doneOn: isoDate,
  title: z.string().trim().min(2, '请填写标题（至少 2 个字）').max(100),
  body: z.string().trim().max(20000).default(''),
});

export const fiveItemView = z.object({
  id: uuidStr,
  kind: z.enum(FS_FIVE_KINDS),
  doneOn: isoDate,
  title: z.string(),
  body: z.string(),
  createdByName: z.string().nullable(),
  confirmedByName: z.string().nullable(),
  confirmedAt: z.string().nullable(),
  can: z.object({ confirm: z.boolean(), remove: z.boolean() }),
});

export const fiveRowView = z.object({
  part: z.enum(FS_FIVE_PARTS),
  period: z.string(),
  label: z.string(),
  startOn: isoDate,
  endOn: isoDate,
  state: z.enum(FS_FIVE_STATES),
  /** What the data shows: the days checked in, the themed day, the item; or why it is not judged. */
  note: z.string().nullable(),
});

export const fiveView = z.object({
  fsId: uuidStr,
  name: z.string(),
  year: z.number().int(),
  /** Whether FS-3 applies to this person (an instructor, or a first secretary posted to a two-new organization). */
  applies: z.boolean(),
  rows: z.array(fiveRowView),
  items: z.array(fiveItemView),
  /** Count of rows by state. */
  summary: z.record(z.enum(FS_FIVE_STATES), z.number().int()),
  can: z.object({ record: z.boolean() }),
});
