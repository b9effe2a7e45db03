/**
 * Housekeeping of the two tables that only grow otherwise: sessions past their idle or absolute
 * timeout (SEC-4) and rate-limit counters whose window has passed (SEC-23). Expired rows are
 * already refused where they are read (`loadSession`, `hit`); the sweep only removes them. It runs
 * once when the app is ready and then every 10 minutes; every instance may run it (the deletes are
 * idempotent). Not audited: nothing a person did or could undo, and an entry every 10 minutes would
 * bury the audit log's real entries (the logins and logouts themselves are audited).
 */
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { Tx } from '../db/index.ts';
import { flushDenials } from './denials.ts';
import type { Deps } from './deps.ts';
import { LONGEST_WINDOW_SECONDS } from './ratelimit.ts';
import { installationCounty } from './installation.ts';
import { getSetting } from './settings.ts';

export const SWEEP_INTERVAL_MS = 10 * 60_000;
/** How often finished minutes of refused requests are summarised into the audit log. */
export const DENIAL_FLUSH_MS = 60_000;

/**
 * Delete expired sessions and stale rate-limit rows; returns how many of each went.
 * A rate-limit row is stale when its window started longer ago than the longest window in use and
 * than the lockout of unknown usernames (whose counter lives there too): no key is judged by its own
 * window, so a key with a short window may linger up to a day, never less than it needs.
 */
export async function sweepExpired(db: Tx, now: Date): Promise<{ sessions: number; rateLimits: number }> {
  const t = now.getTime();
  // Timeouts are settings of each county: each county's sessions are swept by its own.
  const counties = (await db.execute<{ county_code: string }>(sql`select distinct county_code from sessions`)).rows.map(
    (r) => String(r.county_code),
  );
  let sessions = 0;
  let lockoutMs = 0;
  for (const county of counties) {
    const idleMs = (await getSetting(db, county, 'security.idleMinutes')) * 60_000;
    const absoluteMs = (await getSetting(db, county, 'security.absoluteHours')) * 3_600_000;
    lockoutMs = Math.max(lockoutMs, (await getSetting(db, county, 'security.lockoutMinutes')) * 60_000);
    const s = await db.execute(sql`delete from sessions where county_code = ${county}
      and (last_seen_at < ${new Date(t - idleMs).toISOString()} or created_at < ${new Date(t - absoluteMs).toISOString()})`);
    sessions += s.rowCount ?? 0;
  }
  const installed = await installationCounty(db).catch(() => null);
  if (installed) lockoutMs = Math.max(lockoutMs, (await getSetting(db, installed, 'security.lockoutMinutes')) * 60_000);
  const keepMs = Math.max(LONGEST_WINDOW_SECONDS * 1000, lockoutMs);
  const r = await db.execute(sql`delete from rate_limits where window_start < ${new Date(t - keepMs).toISOString()}`);
  return { sessions, rateLimits: r.rowCount ?? 0 };
}

/** Run the sweep when the app is ready and every SWEEP_INTERVAL_MS; the timer never keeps the process alive and stops with the app. */
export function registerSweep(app: FastifyInstance, deps: Deps): void {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  const run = () => {
    if (running) return;
    running = sweepExpired(deps.database.db, deps.now())
      .then(
        (n) => {
          if (n.sessions || n.rateLimits) app.log.info({ sweep: n }, 'expired sessions and rate-limit rows removed');
        },
        (e) => app.log.error({ err: e }, 'sweep of expired sessions and rate limits failed'),
      )
      .finally(() => {
        running = null;
      });
  };
  // Refusals without a session become one audit row per client and minute (SEC-35): each finished minute is written within the next.
  let denialTimer: NodeJS.Timeout | null = null;
  let flushing: Promise<unknown> | null = null;
  const flush = (all = false) => {
    if (flushing) return flushing;
    flushing = flushDenials(deps.database.db, deps.crypto, deps.now(), { all })
      .catch((e) => app.log.error({ err: e }, 'summary of refused requests failed'))
      .finally(() => {
        flushing = null;
      });
    return flushing;
  };
  app.addHook('onReady', async () => {
    run();
    timer = setInterval(run, SWEEP_INTERVAL_MS);
    timer.unref();
    denialTimer = setInterval(() => void flush(), DENIAL_FLUSH_MS);
    denialTimer.unref();
  });
  app.addHook('onClose', async () => {
    if (timer) clearInterval(timer);
    if (denialTimer) clearInterval(denialTimer);
    timer = null;
    denialTimer = null;
    // A sweep in flight finishes before the pool it uses is closed; refusals counted so far are written.
    await running;
    await flushing;
    await flush(true);
  });
}
