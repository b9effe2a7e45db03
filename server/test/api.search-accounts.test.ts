/**
 * Search and accounts (issue 18 §7): initials of any part of an organization's name, one account
 * per person across a 总支 and its branch, branches in ordinal order, the platform's address and
 * easy-to-type passwords on the sheet, and whom a forgotten password asks.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillOrgInitials } from '../modules/orgs/initials.ts';
import { setup, type TestCtx } from './harness.ts';

let t: TestCtx;
let admin: string;
beforeAll(async () => {
  t = await setup();
  admin = await t.login('admin');
});
afterAll(async () => t?.close());

describe('initials inside a name', () => {
  it('finds 中共甲镇程庄村支部委员会 by czc (the village), jz (the township) and jzczc, in the list and in the name search', async () => {
    const made = await t.req('POST', '/api/orgs', {
      cookie: admin,
      body: { parentId: t.fx.townA, name: '中共甲镇程庄村支部委员会', kind: 'branch', field: 'rural' },
    });
    expect(made.status, made.body).toBe(201);
    for (const q of ['czc', 'jzczc', 'jz']) {
      const res = await t.req('GET', `/api/orgs?q=${q}`, { cookie: admin });
      expect(
        res.json.items.map((o: { name: string }) => o.name),
        q,
      ).toContain('中共甲镇程庄村支部委员会');
    }
    const none = await t.req('GET', '/api/orgs?q=zcc', { cookie: admin });
    expect(none.json.items.map((o: { name: string }) => o.name)).not.toContain('中共甲镇程庄村支部委员会');
  });

  it('fills the parts for rows written before (start-up)', async () => {
    await t.database.db.execute(sql`update orgs set name_initials = null where name = '中共甲镇程庄村支部委员会'`);
    await t.database.db.transaction((tx) => fillOrgInitials(tx));
    const res = await t.req('GET', '/api/orgs?q=czc', { cookie: admin });
    expect(res.json.items.map((o: { name: string }) => o.name)).toContain('中共甲镇程庄村支部委员会');
  });
});

describe('bulk accounts', () => {
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    const make = async (parentId: string, name: string, kind: string) => {
      const r = await t.req('POST', '/api/orgs', { cookie: admin, body: { parentId, name, kind, field: 'rural' } });
      expect(r.status, r.body).toBe(201);
      return r.json.id as string;
    };
    ids.general = await make(t.fx.townB, '中共乙镇王庄村总支部委员会', 'generalBranch');
    // Made in the order 三, 一, 二: the sheet still lists 第一, 第二, 第三.
    ids.third = await make(ids.general, '中共乙镇王庄村第三支部委员会', 'branch');
    ids.first = await make(ids.general, '中共乙镇王庄村第一支部委员会', 'branch');
    ids.second = await make(ids.general, '中共乙镇王庄村第二支部委员会', 'branch');
    const post = (orgId: string, memberId: string | null, personName: string | null) =>
      t.database.db.execute(
        sql`insert into org_posts (county_code, org_id, post, member_id, person_name, start_date) values ('410225', ${orgId}, 'secretary', ${memberId}, ${personName}, '2024-01-01')`,
      );
    // 王五 is secretary of the 总支 and of its first branch.
    await post(ids.general, t.fx.members.王五, null);
    await post(ids.first, t.fx.members.王五, null);
    await post(ids.second, null, '周二');
    await post(ids.third, null, '吴三');
  });

  it('gives one person one account with the wider scope, lists branches 第一, 第二, 第三, prints the address and passwords easy to type', async () => {
    const dry = await t.req('POST', '/api/users/bulk', {
      cookie: admin,
      body: { orgId: t.fx.townB, role: 'branchSecretary', dryRun: true },
    });
    expect(dry.status, dry.body).toBe(200);
    const names = dry.json.accounts.map((a: { orgName: string }) => a.orgName);
    expect(names).toContain('中共乙镇王庄村总支部委员会');
    expect(names).not.toContain('中共乙镇王庄村第一支部委员会');
    expect(dry.json.accounts.filter((a: { displayName: string }) => a.displayName === '王五')).toHaveLength(1);
    expect(dry.json.skipped).toContainEqual({
      orgName: '中共乙镇王庄村第一支部委员会',
      reason: expect.stringContaining('王五'),
    });
    expect(names.indexOf('中共乙镇王庄村第二支部委员会')).toBeLessThan(names.indexOf('中共乙镇王庄村第三支部委员会'));
    expect(names.indexOf('中共乙镇王庄村总支部委员会')).toBeLessThan(names.indexOf('中共乙镇王庄村第二支部委员会'));

    const made = await t.req('POST', '/api/users/bulk', {
      cookie: admin,
      body: { orgId: t.fx.townB, role: 'branchSecretary' },
    });
    expect(made.status, made.body).toBe(200);
    expect(made.json.loginUrl).toBe('http://localhost/login');
    for (const a of made.json.accounts) {
      // Groups of lower-case letters and digits without look-alikes, joined by hyphens.
      expect(a.password).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){2,}$/);
      expect(a.password).not.toMatch(/[01ilo]/);
      expect(a.password).toMatch(/\d/);
      expect(a.password).toMatch(/[a-z]/);
    }
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(made.json.sheet, 'base64') as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    const text = JSON.stringify(ws.getSheetValues());
    expect(text).toContain('http://localhost/login');
    // The one-time password works (and must then be changed).
    const general = made.json.accounts.find((a: { orgName: string }) => a.orgName === '中共乙镇王庄村总支部委员会');
    const login = await t.req('POST', '/api/auth/login', {
      body: { username: general.username, password: general.password },
    });
    expect(login.status, login.body).toBe(200);
    expect(login.json.mustChangePassword).toBe(true);
  });
});
