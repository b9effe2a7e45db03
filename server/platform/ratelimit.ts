/** Fixed-window rate limits kept in the database, shared by every instance (SEC-23). */
import { sql } from 'drizzle-orm';
import { executeNamed, type Tx } from '../db/index.ts';
import { AppError } from './errors.ts';

/** The longest window any counter uses (a day: ID-number refusals); the sweep keeps rows at least this long. */
export const LONGEST_WINDOW_SECONDS = 86_400;

function checkWindow(windowSeconds: number): void {
  // A longer window would be cut short by the sweep (platform/sweep.ts): raise the constant with it.
  if (!(windowSeconds > 0 && windowSeconds <= LONGEST_WINDOW_SECONDS)) throw new Error(`rate-limit window ${windowSeconds} s outside 1..${LONGEST_WINDOW_SECONDS}`);
}

export async function hit(db: Tx, key: string, limit: number, windowSeconds: number): Promise<void> {
  checkWindow(windowSeconds);
  // A named statement: every search and export runs it, and its plan (an upsert by key) never changes.
  const res = await executeNamed<{ count: number }>(db, 'rate_limit', sql`
    insert into rate_limits (key, window_start, count) values (${key}, now(), 1)
    on conflict (key) do update set
      count = case when rate_limits.window_start < now() - make_interval(secs => ${windowSeconds}) then 1 else rate_limits.count + 1 end,
      window_start = case when rate_limits.window_start < now() - make_interval(secs => ${windowSeconds}) then now() else rate_limits.window_start end
    returning count`);
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
