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
    const made = await t.req('POST', '/api/orgs', { cookie: admin, body: { parentId: t.fx.townA, name: '中共甲镇程庄村支部委员会', kind: 'branch', field: 'rural' } });
    expect(made.status, made.body).toBe(201);
    for (const q of ['czc', 'jzczc', 'jz']) {
      const res = await t.req('GET', `/api/orgs?q=${q}`, { cookie: admin });
      expect(res.json.items.map((o: { name: string }) => o.name), q).toContain('中共甲镇程庄村支部委员会');
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
