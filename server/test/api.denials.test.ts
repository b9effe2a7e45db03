/**
 * Issue 15 §3 (SEC-35): refusals of requests without a session cost bounded storage. The reviewer's
 * attack: six threads of POSTs without an Origin, each with a 16 KB URL, wrote one audit row each
 * (about 4 GB an hour into a log that can never be pruned). Now they are counted per client and
 * minute, written as one summarising row that names route patterns, never URLs, and a client that
 * keeps trying is answered 429.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANONYMOUS_DENIALS_PER_MINUTE, flushDenials, UNMATCHED_ROUTE } from '../platform/denials.ts';
import { setup, type TestCtx } from './harness.ts';

let t: TestCtx;
beforeAll(async () => {
  t = await setup();
});
afterAll(async () => t?.close());

async function auditRows(): Promise<number> {
  const r = await t.database.db.execute<{ n: number }>(sql`select count(*)::int as n from audit_log`);
  return r.rows[0].n;
}

describe('refusals without a session (SEC-35)', () => {
  it('a thousand refused anonymous requests from five clients leave five audit rows naming route patterns, and the persistent ones get 429', async () => {
    await flushDenials(t.deps.database.db, t.deps.crypto, t.deps.now(), { all: true });
    const before = await auditRows();
    // One minute for the whole run: on a busy machine the thousand requests may cross a minute, which starts each client's count again.
    const now = t.deps.now;
    const fixed = now();
    t.deps.now = () => fixed;
    const pad = 'x'.repeat(16_000);
    const clients = ['203.0.113.1', '203.0.113.2', '203.0.113.3', '203.0.113.4', '2001:db8::5'];
    const codes: Record<string, number> = {};
    for (const ip of clients)
      for (let i = 0; i < 200; i++) {
        const url = i % 2 ? `/api/orgs/${t.fx.villageA1}?q=${pad}` : `/api/nothing-here/${i}?q=${pad}`;
        const res = await t.app.inject({
          method: 'PATCH',
          url,
          remoteAddress: ip,
          headers: { 'content-type': 'application/json' },
          payload: '{}',
        });
        const code = res.json().code as string;
        codes[code] = (codes[code] ?? 0) + 1;
        if (i < ANONYMOUS_DENIALS_PER_MINUTE) expect(res.statusCode, `${ip} #${i}`).toBe(403);
        if (i >= ANONYMOUS_DENIALS_PER_MINUTE) {
          expect(res.statusCode, `${ip} #${i}`).toBe(429);
          expect(code).toBe('RATE_LIMITED');
        }
      }
    t.deps.now = now;
    expect(codes.CSRF).toBe(clients.length * ANONYMOUS_DENIALS_PER_MINUTE);
    // Nothing was written per request.
    expect(await auditRows()).toBe(before);

    const written = await flushDenials(t.deps.database.db, t.deps.crypto, t.deps.now(), { all: true });
    // One row per client and minute.
    expect(written).toBe(clients.length);
    expect(await auditRows()).toBe(before + written);

    const rows = await t.database.db.execute<{
      ip: string;
      detail: { total: number; routes: { route: string; code: string; count: number }[] };
      object_id: string;
    }>(sql`select ip, detail, object_id from audit_log where action = 'access.denied.summary' order by seq`);
    const total = rows.rows.reduce((sum, r) => sum + r.detail.total, 0);
    expect(total).toBe(1000);
    expect(new Set(rows.rows.map((r) => r.object_id))).toEqual(new Set(clients));
    const routes = new Set(rows.rows.flatMap((r) => r.detail.routes.map((x) => `${x.route} ${x.code}`)));
    expect(routes).toEqual(
      new Set([
        'PATCH /api/orgs/:id CSRF',
        `PATCH ${UNMATCHED_ROUTE} CSRF`,
        'PATCH /api/orgs/:id RATE_LIMITED',
        `PATCH ${UNMATCHED_ROUTE} RATE_LIMITED`,
      ]),
    );
    const stored = JSON.stringify(rows.rows);
    expect(stored).not.toContain('xxxxxxxx');
    expect(stored).not.toContain('nothing-here');
    expect(stored.length).toBeLessThan(10_000);
  });

  it('two instances flushing at once write each minute once', async () => {
    await flushDenials(t.deps.database.db, t.deps.crypto, t.deps.now(), { all: true });
    const now = t.deps.now;
    const fixed = now();
    t.deps.now = () => fixed;
    for (let i = 0; i < 10; i++)
      await t.app.inject({ method: 'POST', url: '/api/members', remoteAddress: '198.51.100.7', payload: {} });
    t.deps.now = now;
    const before = await auditRows();
    const [a, b] = await Promise.all([
      flushDenials(t.deps.database.db, t.deps.crypto, t.deps.now(), { all: true }),
      flushDenials(t.deps.database.db, t.deps.crypto, t.deps.now(), { all: true }),
    ]);
    expect(a + b).toBe(1);
    expect(await auditRows()).toBe(before + 1);
  });

  it('the summary reads as a Chinese sentence in the audit log', async () => {
    const admin = await t.login('auditor');
    const res = await t.req('GET', '/api/audit?action=access.denied.summary', { cookie: admin });
    expect(res.status, res.body).toBe(200);
    const text = JSON.stringify(res.json.items);
    expect(text).toMatch(/未登录的请求在 \d\d月\d\d日 \d\d:\d\d 这一分钟内被拒绝 \d+ 次/);
    expect(text).toContain('请求来源不受信任');
  });

  it('a refusal with a session is still one row, naming the route pattern', async () => {
    const cookie = await t.login('leader');
    const res = await t.req('GET', `/api/no-route/${t.fx.members.张三}?q=${t.fx.ids.张三}`, { cookie });
    expect(res.json.code).toBe('NOT_FOUND');
    const res2 = await t.req('POST', '/api/members', { cookie, body: { name: '无权' } });
    expect(res2.json.code).toBe('FORBIDDEN');
    const r = await t.database.db.execute<{ object_id: string }>(
      sql`select object_id from audit_log where action = 'access.denied' order by seq desc limit 1`,
    );
    expect(r.rows[0].object_id).toBe('POST /api/members');
    const all = await t.database.db.execute<{ n: number }>(
      sql`select count(*)::int as n from audit_log where object_id like ${`%${t.fx.ids.张三}%`}`,
    );
    expect(all.rows[0].n).toBe(0);
  });
});
