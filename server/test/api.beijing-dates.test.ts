/**
 * Issue 18 §4: every date shown, written in a file or used in a file name is Beijing's. Before 08:00
 * Beijing time the UTC date is still yesterday's: the tests run at 07:00 on 2026-12-06 in Beijing
 * (23:00 UTC on the 5th) and expect the 6th everywhere.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId, setup, type TestCtx } from './harness.ts';

let t: TestCtx;
let admin: string;
const AT = Date.parse('2026-12-05T23:00:00Z'); // 2026-12-06 07:00 in Beijing

beforeAll(async () => {
  t = await setup();
  t.advance(AT - t.deps.now().getTime());
  admin = await t.login('admin');
});
afterAll(async () => t?.close());

describe('dates in Beijing time at 07:00 (issue 18 §4)', () => {
  it('the roster export is named after the Beijing date', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/members/export?reason=${encodeURIComponent('核对')}`,
      headers: { cookie: admin, host: 'localhost:80' },
    });
    expect(res.statusCode).toBe(200);
    expect(decodeURIComponent(String(res.headers['content-disposition']))).toContain('党员名册-2026-12-06.xlsx');
  });

  it('a new member’s membership starts on the Beijing date; a transfer closes and opens on it', async () => {
    const made = await t.req('POST', '/api/members', {
      cookie: admin,
      body: {
        name: '早班',
        idNumber: newId(),
        orgId: t.fx.villageA1,
        standing: 'full',
        joinDate: '2010-07-01',
        fullDate: '2011-07-01',
      },
    });
    expect(made.status, made.body).toBe(201);
    const moved = await t.req('PATCH', `/api/members/${made.json.id}`, {
      cookie: admin,
      body: { orgId: t.fx.villageA2 },
    });
    expect(moved.status, moved.body).toBe(200);
    const h = await t.database.db.execute<{ from_date: string; to_date: string | null }>(
      sql`select from_date::text, to_date::text from member_org_history where county_code = '410225' and member_id = ${made.json.id} order by from_date, to_date nulls last`,
    );
    expect(h.rows).toEqual([
      { from_date: '2026-12-06', to_date: '2026-12-06' },
      { from_date: '2026-12-06', to_date: null },
    ]);
  });

  it('a post filled and an organization dissolved today carry the Beijing date', async () => {
    const post = await t.req('POST', `/api/orgs/${t.fx.villageA2}/posts`, {
      cookie: admin,
      body: { post: 'deputySecretary', personName: '早班' },
    });
    expect(post.status, post.body).toBe(200);
    const p = await t.database.db.execute<{ start_date: string }>(
      sql`select start_date::text from org_posts where county_code = '410225' and org_id = ${t.fx.villageA2} and post = 'deputySecretary'`,
    );
    expect(p.rows[0].start_date).toBe('2026-12-06');
    const org = await t.req('POST', '/api/orgs', {
      cookie: admin,
      body: { parentId: t.fx.townB, name: '中共早班村支部委员会', kind: 'branch' },
    });
    expect(org.status, org.body).toBe(201);
    const gone = await t.req('POST', `/api/orgs/${org.json.id}/dissolve`, { cookie: admin, body: { reason: '测试' } });
    expect(gone.status, gone.body).toBe(200);
    const d = await t.database.db.execute<{ dissolved_on: string }>(
      sql`select dissolved_on::text from orgs where county_code = '410225' and id = ${org.json.id}`,
    );
    expect(d.rows[0].dissolved_on).toBe('2026-12-06');
  });
});

describe('no date is taken from the UTC clock', () => {
  it('no server file makes today’s date from an instant’s UTC text', async () => {
    const fs = await import('node:fs');
    const path = await import('node:path');
    const root = path.resolve(import.meta.dirname, '..');
    const offending: string[] = [];
    for (const f of fs
      .readdirSync(root, { recursive: true })
      .map(String)
      .filter((n) => n.endsWith('.ts') && !n.includes('test'))) {
      const src = fs.readFileSync(path.join(root, f), 'utf8');
      if (/(now\(\)|new Date\(\))\.toISOString\(\)\.(slice|substring)\(0, ?10\)/.test(src)) offending.push(f);
    }
    expect(offending).toEqual([]);
  });
});
