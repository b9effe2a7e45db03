/** The sweep of expired sessions and passed rate-limit windows (SEC-4, SEC-23): exactly the expired rows go. */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hit, LONGEST_WINDOW_SECONDS } from '../platform/ratelimit.ts';
import { sweepExpired } from '../platform/sweep.ts';
import { setup, type TestCtx } from './harness.ts';

let t: TestCtx;
beforeAll(async () => {
  t = await setup();
});
afterAll(async () => t?.close());

const MIN = 60_000;
const HOUR = 60 * MIN;

async function addSession(hash: string, createdAgoMs: number, seenAgoMs: number) {
  const now = t.deps.now().getTime();
  await t.database.db.execute(sql`insert into sessions (id_hash, county_code, user_id, created_at, last_seen_at, ip, user_agent)
    values (${hash}, '410225', ${t.fx.users.admin}, ${new Date(now - createdAgoMs).toISOString()}, ${new Date(now - seenAgoMs).toISOString()}, '127.0.0.1', 'test')`);
}

async function addCounter(key: string, startedAgoMs: number) {
  await t.database.db.execute(
    sql`insert into rate_limits (key, window_start, count) values (${key}, ${new Date(t.deps.now().getTime() - startedAgoMs).toISOString()}, 3)`,
  );
}

const sessionHashes = async () =>
  (
    await t.database.db.execute<{ id_hash: string }>(
      sql`select id_hash from sessions where id_hash like 'sweep-%' order by id_hash`,
    )
  ).rows.map((r) => r.id_hash);
const counterKeys = async () =>
  (
    await t.database.db.execute<{ key: string }>(sql`select key from rate_limits where key like 'sweep:%' order by key`)
  ).rows.map((r) => r.key);

describe('sweep of expired sessions and rate limits', () => {
  it('deletes sessions past the idle (30 min) or absolute (12 h) timeout and counters older than the longest window, nothing else', async () => {
    await addSession('sweep-idle', 2 * HOUR, 31 * MIN);
    await addSession('sweep-absolute', 12 * HOUR + MIN, MIN); // still active, but past its lifetime
    await addSession('sweep-live', 11 * HOUR, 29 * MIN);
    await addSession('sweep-new', 0, 0);
    await addCounter('sweep:day-old', LONGEST_WINDOW_SECONDS * 1000 + MIN);
    await addCounter('sweep:hours-old', 23 * HOUR); // a daily counter still counting
    await addCounter('sweep:now', 0);
    const n = await sweepExpired(t.database.db, t.deps.now());
    expect(n).toEqual({ sessions: 2, rateLimits: 1 });
    expect(await sessionHashes()).toEqual(['sweep-live', 'sweep-new']);
    expect(await counterKeys()).toEqual(['sweep:hours-old', 'sweep:now']);
    // Nothing more to do the second time.
    expect(await sweepExpired(t.database.db, t.deps.now())).toEqual({ sessions: 0, rateLimits: 0 });
  });

  it('ends a real login once it has been idle too long, the way the session check would', async () => {
    const cookie = await t.login('orga');
    expect((await t.req('GET', '/api/auth/me', { cookie })).status).toBe(200);
    const userSessions = async () =>
      (
        await t.database.db.execute<{ n: number }>(
          sql`select count(*)::int as n from sessions where user_id = ${t.fx.users.orga}`,
        )
      ).rows[0].n;
    expect(await userSessions()).toBe(1);
    await sweepExpired(t.database.db, t.deps.now());
    expect(await userSessions()).toBe(1);
    t.advance(31 * MIN);
    await sweepExpired(t.database.db, t.deps.now());
    expect(await userSessions()).toBe(0);
    expect((await t.req('GET', '/api/auth/me', { cookie })).status).toBe(401);
  });

  it('runs when the app starts', async () => {
    await addSession('sweep-at-start', 13 * HOUR, 13 * HOUR);
    await addCounter('sweep:at-start', 2 * LONGEST_WINDOW_SECONDS * 1000);
    await t.restart();
    for (
      let i = 0;
      i < 50 &&
      ((await sessionHashes()).includes('sweep-at-start') || (await counterKeys()).includes('sweep:at-start'));
      i++
    )
      await new Promise((r) => setTimeout(r, 100));
    expect(await sessionHashes()).not.toContain('sweep-at-start');
    expect(await counterKeys()).not.toContain('sweep:at-start');
  });

  it('refuses a rate-limit window the sweep would cut short', async () => {
    await expect(hit(t.database.db, 'sweep:too-long', 5, LONGEST_WINDOW_SECONDS + 1)).rejects.toThrow(/outside/);
  });
});
