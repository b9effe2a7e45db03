import { z } from 'zod';
import { uuidStr } from './common.ts';

/**
 * The tables of the annual internal statistics report (党内统计) for one organization and everything
 * below it, as of today: members by standing, sex, age band, education, ethnicity, field and the
 * period they joined in. Counts only — no person appears.
 */
export const STATS_TABLES = ['standing', 'sex', 'age', 'education', 'ethnicity', 'field', 'joinPeriod'] as const;
export type StatsTable = (typeof STATS_TABLES)[number];

export const STATS_TABLE_TITLES: Record<StatsTable, string> = {
  standing: '按党员类别',
  sex: '按性别',
  age: '按年龄段',
  education: '按学历',
  ethnicity: '按民族',
  field: '按所在领域',
  joinPeriod: '按入党时间',
};

export const statsQuery = z.object({ orgId: uuidStr.optional().describe('default: the top of your scope') });
export const statsExportQuery = statsQuery.extend({
  table: z.enum(STATS_TABLES).optional().describe('one table; default: every table, one sheet each'),
});

export const statsRow = z.object({
  key: z.string(),
  label: z.string(),
  count: z.number().int(),
  share: z.number().describe('share of all members, 0–1'),
});
export const statsResult = z.object({
  orgId: z.string(),
  orgName: z.string(),
  asOf: z.string(),
  total: z.number().int(),
  tables: z.array(z.object({ table: z.enum(STATS_TABLES), title: z.string(), rows: z.array(statsRow) })),
});
export type StatsResult = z.infer<typeof statsResult>;
