/** Fixed-window rate limits kept in the database, shared by every instance (SEC-23). */
import { sql } from 'drizzle-orm';
import { executeNamed, type Tx } from '../db/index.ts';
import { AppError } from './errors.ts';
import { getSetting, type SettingKey } from './settings.ts';

/** The longest window any counter uses (a day: ID-number refusals); the sweep keeps rows at least this long. */
export const LONGEST_WINDOW_SECONDS = 86_400;

function checkWindow(windowSeconds: number): void {
  // A longer window would be cut short by the sweep (platform/sweep.ts): raise the constant with it.
  if (!(windowSeconds > 0 && windowSeconds <= LONGEST_WINDOW_SECONDS))
    throw new Error(`rate-limit window ${windowSeconds} s outside 1..${LONGEST_WINDOW_SECONDS}`);
}

export async function hit(db: Tx, key: string, limit: number, windowSeconds: number): Promise<void> {
  checkWindow(windowSeconds);
  // A named statement: every search and export runs it, and its plan (an upsert by key) never changes.
  const res = await executeNamed<{ count: number }>(
    db,
    'rate_limit',
    sql`
    insert into rate_limits (key, window_start, count) values (${key}, now(), 1)
    on conflict (key) do update set
      count = case when rate_limits.window_start < now() - make_interval(secs => ${windowSeconds}) then 1 else rate_limits.count + 1 end,
      window_start = case when rate_limits.window_start < now() - make_interval(secs => ${windowSeconds}) then now() else rate_limits.window_start end
    returning count`,
  );
  if (Number(res.rows[0].count) > limit) throw new AppError('RATE_LIMITED');
}

/** Add `n` to a fixed-window counter and return the window's total (the caller decides what is too many). */
export async function hitMany(db: Tx, key: string, n: number, windowSeconds: number): Promise<number> {
  checkWindow(windowSeconds);
  const res = await db.execute<{ count: number }>(sql`
    insert into rate_limits (key, window_start, count) values (${key}, now(), ${n})
    on conflict (key) do update set
      count = case when rate_limits.window_start < now() - make_interval(secs => ${windowSeconds}) then ${n} else rate_limits.count + ${n} end,
      window_start = case when rate_limits.window_start < now() - make_interval(secs => ${windowSeconds}) then now() else rate_limits.window_start end
    returning count`);
  return Number(res.rows[0].count);
}

/**
 * The ways data leaves the platform, each a per-account budget (SEC-14, SEC-23) with its setting,
 * window and Chinese refusal. A use that can stand in for another spends both budgets: a member's
 * full view or an export filtered by an ID number is also a lookup by ID number, so the lookup cap
 * cannot be stepped around through them (issue 15 §6).
 */
export const DATA_USES = {
  search: { setting: 'security.searchesPerMinute', window: 60, message: '查询过于频繁，请稍候一分钟再试' },
  idLookup: {
    setting: 'security.idSearchesPerHour',
    window: 3600,
    message: '按身份证号码查找（含查看完整信息、按号码导出）的次数已达本小时上限，请一小时后再试',
  },
  reveal: {
    setting: 'security.revealsPerHour',
    window: 3600,
    message: '查看完整个人信息的次数已达本小时上限，请一小时后再试',
  },
  export: { setting: 'security.exportsPerHour', window: 3600, message: '导出次数已达本小时上限，请一小时后再试' },
  download: {
    setting: 'security.downloadsPerHour',
    window: 3600,
    message: '下载影像资料的次数已达本小时上限，请一小时后再试',
  },
} as const satisfies Record<string, { setting: SettingKey; window: number; message: string }>;
export type DataUse = keyof typeof DATA_USES;

/** Spend one of each budget named, for this account; the first one exhausted answers 429 with its message. */
export async function spend(db: Tx, user: { id: string; countyCode: string }, ...uses: DataUse[]): Promise<void> {
  for (const use of uses) {
    const d = DATA_USES[use];
    const limit = Number(await getSetting(db, user.countyCode, d.setting));
    try {
      await hit(db, `${use}:${user.id}`, limit, d.window);
    } catch (e) {
      if (e instanceof AppError && e.code === 'RATE_LIMITED') throw new AppError('RATE_LIMITED', d.message);
      throw e;
    }
  }
}
