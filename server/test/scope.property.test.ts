/** Property tests (SEC-8, SEC-9): whatever the search, lists and exports stay in the subtree and never show a valid ID number. */
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseIdNumber } from '../platform/idcard.ts';
import { setup, type TestCtx } from './harness.ts';

const USERS = ['admin', 'orga', 'orgb', 'seca1', 'leader'];
let t: TestCtx;
const cookies: Record<string, string> = {};
const userOrg: Record<string, string> = {};
const paths: Record<string, string> = {};

/** Any 18-character run that passes the GB 11643 check is a leaked ID number. */
function leakedIds(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/\d{17}[\dXx]/g)) if (parseIdNumber(m[0]).ok) out.push(m[0]);
  return out;
}

const query = () =>
  fc.record(
    {
      q: fc.constantFrom('zs', 'z', 'li', '张', '五', 'wangwu', '0', 'zhang', 'qq'),
      orgKey: fc.constantFrom(
        'county',
        'townA',
        'villageA1',
        'groupA1',
        'villageA2',
        'townB',
        'villageB1',
        'organs',
        'organBranch',
      ),
      subtree: fc.constantFrom('true', 'false'),
      standing: fc.constantFrom('full', 'probationary'),
      ageMin: fc.integer({ min: 0, max: 90 }),
    },
    { requiredKeys: [] },
  );

function qs(user: string, q: Record<string, unknown>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    if (k === 'orgKey') p.set('orgId', (t.fx as unknown as Record<string, string>)[v as string]);
    else p.set(k, String(v));
  }
  void user;
  return p.toString();
}

// Both security profiles: level3 administrators log in with a second factor (the harness enrols them).
describe.each(['default', 'level3'] as const)('scope properties (%s profile)', (profile) => {
  beforeAll(async () => {
    t = await setup({ profile, totp: true });
    for (const u of USERS) cookies[u] = await t.login(u);
    const res = await t.database.db.execute<{ id: string; path: string }>(sql`select id, path from orgs`);
    for (const r of res.rows) paths[r.id] = r.path;
    const us = await t.database.db.execute<{ username: string; org_id: string }>(
      sql`select username, org_id from users`,
    );
    for (const r of us.rows) userOrg[r.username] = r.org_id;
  });
  afterAll(async () => t?.close());

  it('member lists never leave the subtree and never carry a valid ID number', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...USERS), query(), async (user, q) => {
        const res = await t.req('GET', `/api/members?pageSize=200&${qs(user, q)}`, { cookie: cookies[user] });
        const scope = paths[userOrg[user]];
        if (q.orgKey && !paths[(t.fx as unknown as Record<string, string>)[q.orgKey]].startsWith(scope)) {
          expect(res.status).toBe(404);
          expect(res.json.code).toBe('NOT_FOUND');
          return;
        }
        expect(res.status, res.body).toBe(200);
        for (const m of res.json.items) expect(paths[m.orgId].startsWith(scope)).toBe(true);
        expect(leakedIds(res.body)).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it('the audit log never shows an auditor entries from outside their subtree (SEC-8, SEC-10)', async () => {
    // Auditors at several depths (placement is policed by the account rules; the query must not rely on it).
    const auditors: Record<string, string> = { auditor: t.fx.county };
    for (const [name, org] of [
      ['aud_towna', t.fx.townA],
      ['aud_villagea1', t.fx.villageA1],
      ['aud_townb', t.fx.townB],
    ] as const) {
      await t.addUser(name, ['auditor'], org);
      auditors[name] = org;
    }
    const auditorCookies: Record<string, string> = {};
    for (const name of Object.keys(auditors)) auditorCookies[name] = await t.login(name);
    // Something to find everywhere: reveals and writes in both townships, a failed login without an organization.
    await t.req('POST', `/api/members/${t.fx.members.王五}/reveal`, {
      cookie: cookies.orgb,
      body: { reason: '属性测试乙' },
    });
    await t.req('POST', `/api/members/${t.fx.members.张三}/reveal`, {
      cookie: cookies.seca1,
      body: { reason: '属性测试甲' },
    });
    await t.req('POST', '/api/auth/login', { body: { username: 'nobody-at-all', password: 'wrong-password' } });
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...Object.keys(auditors)),
        fc.record(
          {
            action: fc.constantFrom('auth', 'member.reveal', 'org', 'access'),
            result: fc.constantFrom('ok', 'denied', 'failed'),
            username: fc.constantFrom(...USERS, 'nobody-at-all'),
          },
          { requiredKeys: [] },
        ),
        async (auditor, q) => {
          const res = await t.req(
            'GET',
            `/api/audit?pageSize=200&${new URLSearchParams(q as Record<string, string>)}`,
            { cookie: auditorCookies[auditor] },
          );
          expect(res.status, res.body).toBe(200);
          const scope = paths[auditors[auditor]];
          const atRoot = auditors[auditor] === t.fx.county;
          for (const i of res.json.items as { orgId: string | null }[]) {
            if (i.orgId === null) expect(atRoot, JSON.stringify(i)).toBe(true);
            else expect(paths[i.orgId].startsWith(scope), JSON.stringify(i)).toBe(true);
          }
          expect(res.json.total).toBe(res.json.items.length);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('exports stay in the subtree and are masked', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('admin', 'orga', 'orgb'), query(), async (user, q) => {
        const res = await t.app.inject({
          method: 'GET',
          url: `/api/members/export?reason=${encodeURIComponent('属性测试')}&${qs(user, q)}`,
          headers: { cookie: cookies[user], host: 'localhost:80' },
        });
        const scope = paths[userOrg[user]];
        if (q.orgKey && !paths[(t.fx as unknown as Record<string, string>)[q.orgKey]].startsWith(scope)) {
          expect(res.statusCode).toBe(404);
          expect(res.json().code).toBe('NOT_FOUND');
          return;
        }
        expect(res.statusCode).toBe(200);
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
        const names = new Map(
          (
            await t.database.db.execute<{ name: string; org_id: string }>(sql`select name, org_id from members`)
          ).rows.map((r) => [r.name, r.org_id]),
        );
        let text = '';
        // The name column found by its header (row 1), not by its position.
        const header = (wb.worksheets[0].getRow(1).values as unknown[]).map((v) => String(v ?? '').replace(/\*$/, ''));
        const nameCol = header.indexOf('姓名');
        expect(nameCol).toBeGreaterThan(0);
        wb.worksheets[0].eachRow((r, n) => {
          text += JSON.stringify(r.values);
          if (n > 1) expect(paths[names.get(String(r.getCell(nameCol).value)) ?? ''].startsWith(scope)).toBe(true);
        });
        expect(leakedIds(text)).toEqual([]);
      }),
      { numRuns: 25 },
    );
  });
});
