/** Rolling out accounts: a township administrator manages its own subtree's accounts and hands every branch its account in one go. */
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestCtx } from './harness.ts';

let t: TestCtx;
let orga: string;
beforeAll(async () => {
  t = await setup();
  orga = await t.login('orga');
});
afterAll(async () => t?.close());

describe('a township administrator manages the accounts of its subtree (default profile)', () => {
  it('lists and creates ordinary accounts inside its subtree, nothing outside it, and no privileged role', async () => {
    const list = await t.req('GET', '/api/users', { cookie: orga });
    expect(list.status).toBe(200);
    expect(list.json.items.map((u: { username: string }) => u.username).sort()).toEqual(['orga', 'seca1']);
    const mk = (body: object) =>
      t.req('POST', '/api/users', {
        cookie: orga,
        body: { displayName: '新账号', password: 'Town#Second2026', ...body },
      });
    expect((await mk({ username: 'a2sec', roles: ['branchSecretary'], orgId: t.fx.villageA2 })).status).toBe(201);
    const outside = await mk({ username: 'b1sec', roles: ['branchSecretary'], orgId: t.fx.villageB1 });
    expect(outside.json.code).toBe('VALIDATION');
    const privileged = await mk({ username: 'a2aud', roles: ['auditor'], orgId: t.fx.townA });
    expect(privileged.json.code).toBe('VALIDATION');
    expect(privileged.json.message).toMatch(/只有县级管理员或安全管理员/);
    const other = await t.req('GET', `/api/users/${t.fx.users.orgb}`, { cookie: orga });
    expect(other.json.code).toBe('NOT_FOUND');
  });
});

describe('POST /api/users/bulk', () => {
  it('previews, then creates one account per branch with a one-time password shown once, and skips branches that have one', async () => {
    // 甲一村 has a secretary on record: its account is named after him.
    await t.req('POST', `/api/orgs/${t.fx.villageA1}/posts`, {
      cookie: orga,
      body: { post: 'secretary', memberId: t.fx.members.张三 },
    });
    const preview = await t.req('POST', '/api/users/bulk', {
      cookie: orga,
      body: { orgId: t.fx.townA, role: 'branchSecretary', dryRun: true },
    });
    expect(preview.status).toBe(200);
    // 甲一村 already has seca1; 甲二村 got a2sec above: nothing to do in township A.
    expect(preview.json.accounts).toEqual([]);
    expect(preview.json.skipped.map((s: { reason: string }) => s.reason)).toEqual([
      '已有该角色的账号',
      '已有该角色的账号',
    ]);
    const none = await t.req('POST', '/api/users/bulk', {
      cookie: orga,
      body: { orgId: t.fx.townA, role: 'branchSecretary' },
    });
    expect(none.json.code).toBe('RULE_VIOLATION');

    const admin = await t.login('admin');
    const before = await t.database.db.execute<{ n: number }>(sql`select count(*)::int as n from users`);
    const dry = await t.req('POST', '/api/users/bulk', {
      cookie: admin,
      body: { orgId: t.fx.county, role: 'branchSecretary', dryRun: true },
    });
    expect(dry.json.accounts.map((a: { orgName: string }) => a.orgName).sort()).toEqual(
      ['中共乙一村支部委员会', '中共兰考县财政局机关支部委员会'].sort(),
    );
    for (const a of dry.json.accounts) expect(a.password).toBeUndefined();
    expect((await t.database.db.execute<{ n: number }>(sql`select count(*)::int as n from users`)).rows[0].n).toBe(
      before.rows[0].n,
    );

    const made = await t.req('POST', '/api/users/bulk', {
      cookie: admin,
      body: { orgId: t.fx.county, role: 'branchSecretary' },
    });
    expect(made.status).toBe(200);
    expect(made.json.accounts).toHaveLength(2);
    // Easy to type on a phone (issue 18 §7): groups of lower-case letters and digits, joined by hyphens.
    for (const a of made.json.accounts) expect(a.password).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){2,}$/);
    // The sheet holds the same usernames and passwords, as text cells.
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(made.json.sheet, 'base64') as unknown as ArrayBuffer);
    const rows = (wb.worksheets[0].getSheetValues() as unknown[][]).slice(2).map((r) => [r[3], r[4]]);
    expect(rows.sort()).toEqual(
      made.json.accounts.map((a: { username: string; password: string }) => [a.username, a.password]).sort(),
    );
    // Passwords are not kept: only argon2id hashes, and the audit log has usernames, never passwords.
    const dump =
      JSON.stringify((await t.database.db.execute(sql`select * from users`)).rows) +
      JSON.stringify((await t.database.db.execute(sql`select detail from audit_log`)).rows);
    for (const a of made.json.accounts) expect(dump).not.toContain(a.password);
    const audit = await t.database.db.execute<{ action: string }>(
      sql`select action from audit_log where username = 'admin' and (action = 'user.bulkCreate' or detail->>'via' = 'bulk')`,
    );
    expect(audit.rows.map((r) => r.action).sort()).toEqual(['user.bulkCreate', 'user.create', 'user.create']);
    // Each new account must change its one-time password at first login.
    const first = made.json.accounts[0];
    const login = await t.req('POST', '/api/auth/login', {
      body: { username: first.username, password: first.password },
    });
    expect(login.status).toBe(200);
    expect(login.json.mustChangePassword).toBe(true);
    // Run again: everything has its account now.
    const again = await t.req('POST', '/api/users/bulk', {
      cookie: admin,
      body: { orgId: t.fx.county, role: 'branchSecretary' },
    });
    expect(again.json.code).toBe('RULE_VIOLATION');
  });

  it('is refused to roles without account management, and outside the subtree', async () => {
    const leader = await t.login('leader');
    expect(
      (
        await t.req('POST', '/api/users/bulk', {
          cookie: leader,
          body: { orgId: t.fx.county, role: 'branchSecretary', dryRun: true },
        })
      ).json.code,
    ).toBe('FORBIDDEN');
    expect(
      (
        await t.req('POST', '/api/users/bulk', {
          cookie: orga,
          body: { orgId: t.fx.townB, role: 'branchSecretary', dryRun: true },
        })
      ).json.code,
    ).toBe('NOT_FOUND');
  });
});
