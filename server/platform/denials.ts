/**
 * Refusals of requests without a session (SEC-35, issue 15 §3). Anyone on the network can send
 * them, and the audit log can never be pruned, so they are not written one row each: they are
 * counted per client address and minute (by route pattern and code, in the database's counters,
 * shared by every instance) and each finished minute becomes one summarising audit row. No URL is
 * stored, only the route's pattern. A client that keeps being refused is answered 429 for the rest
 * of the minute, counted all the same.
 *
 * The counters live in `rate_limits` under keys `deny|<minute>|<ip>|<code>|<method> <pattern>` (at
 * most one per route, code and client in a minute) and `denyip|<minute>|<ip>` (the client's total,
 * for the limit). `flushDenials` turns every minute before the current one into audit rows: the
 * counters are deleted and the rows written in one transaction, so two instances never write the
 * same minute twice. The sweep's timer calls it every minute.
 */
import { sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/index.ts';
import { writeAudit } from './audit.ts';
import type { CryptoProvider } from './crypto.ts';
import { hitMany } from './ratelimit.ts';

/** Refusals a client without a session may collect in a minute before it is answered 429. */
export const ANONYMOUS_DENIALS_PER_MINUTE = 60;
/** What a refused request is named by: its route pattern, or this for a path no route matches. */
export const UNMATCHED_ROUTE = '(不存在的地址)';
const KEY_PREFIX = 'deny|';

/** The minute a refusal is counted in, as a fixed-width UTC text that sorts by time ("2026-12-06T07:05"). */
export function minuteOf(now: Date): string {
  return now.toISOString().slice(0, 16);
}

/** Keep an address short and free of the key's separator (an IPv6 address has no '|'; a proxy's header might). */
function cleanIp(ip: string): string {
  return ip.replace(/[^0-9A-Fa-f:.]/g, '').slice(0, 45) || 'unknown';
}

/**
 * Count one refusal of a request without a session; returns the client's refusals in this minute
 * (the caller answers 429 past `ANONYMOUS_DENIALS_PER_MINUTE`).
 */
export async function countAnonymousDenial(
  db: Tx,
  now: Date,
  d: { ip: string; method: string; route: string | undefined; code: string },
): Promise<number> {
  const minute = minuteOf(now);
  const ip = cleanIp(d.ip);
  const route = `${d.method.slice(0, 10)} ${(d.route ?? UNMATCHED_ROUTE).slice(0, 200)}`;
  const total = await hitMany(db, `denyip|${minute}|${ip}`, 1, 120);
  // Counted under what the client is answered: past the limit, 429.
  const code = total > ANONYMOUS_DENIALS_PER_MINUTE ? 'RATE_LIMITED' : d.code.slice(0, 40);
  await hitMany(db, `${KEY_PREFIX}${minute}|${ip}|${code}|${route}`, 1, 3600);
  return total;
}

type Counter = {
  key: string;
  count: number;
};

/**
 * Write one audit row per client and finished minute (all minutes when `all`, e.g. at shutdown) and
 * delete their counters; returns the rows written.
 */
export async function flushDenials(
  db: Db,
  crypto: CryptoProvider,
  now: Date,
  opts: { all?: boolean } = {},
): Promise<number> {
  const before = opts.all ? '~' : minuteOf(now);
  return db.transaction(async (tx) => {
    await tx.execute(sql`delete from rate_limits where key like 'denyip|%' and key < ${`denyip|${before}`}`);
    const gone = await tx.execute<Counter>(
      sql`delete from rate_limits where key like 'deny|%' and key < ${`${KEY_PREFIX}${before}`} returning key, count`,
    );
    const groups = new Map<
      string,
      { minute: string; ip: string; total: number; routes: { route: string; code: string; count: number }[] }
    >();
    for (const c of gone.rows) {
      const [, minute, ip, code, ...rest] = String(c.key).split('|');
      const route = rest.join('|');
      const id = `${minute}|${ip}`;
      const g = groups.get(id) ?? { minute, ip, total: 0, routes: [] };
      g.total += Number(c.count);
      g.routes.push({ route, code, count: Number(c.count) });
      groups.set(id, g);
    }
    for (const g of [...groups.values()].sort((a, b) => a.minute.localeCompare(b.minute))) {
      g.routes.sort((a, b) => b.count - a.count || a.route.localeCompare(b.route));
      await writeAudit(
        tx,
        crypto,
        { userId: null, username: null, roles: [], orgId: null, countyCode: null, ip: g.ip, requestId: null },
        [
          {
            action: 'access.denied.summary',
            objectType: 'client',
            objectId: g.ip,
            result: 'denied',
            detail: {
              minute: `${g.minute}Z`,
              total: g.total,
              routes: g.routes.slice(0, 20),
              ...(g.routes.length > 20 ? { moreRoutes: g.routes.length - 20 } : {}),
            },
          },
        ],
      );
    }
    return groups.size;
  });
}
