/** Issue 7 §4 (pages): organization search by initials, full-member date, children with their warnings. */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillOrgInitials } from '../modules/orgs/initials.ts';
import { newId, setup, type TestCtx } from './harness.ts';

let t: TestCtx;
let admin: string;
let orga: string;
let orgb: string;
beforeAll(async () => {
  t = await setup();
  admin = await t.login('admin');
  orga = await t.login('orga');
  orgb = await t.login('orgb');
});
afterAll(async () => t?.close());

const names = (res: { json: { items: { name: string }[] } }) => res.json.items.map((o) => o.name);

describe('organization search by pinyin initials', () => {
  it('matches the initials of the distinctive part of the name (no 中共, county name or kind suffix)', async () => {
    // Initials match from the start: the village's Party group (甲一村第一) comes too.
    expect(names(await t.req('GET', '/api/orgs?q=jyc', { cookie: admin }))).toEqual([
      '中共甲一村支部委员会',
      '甲一村第一党小组',
    ]);
    expect(names(await t.req('GET', '/api/orgs?q=jycd', { cookie: admin }))).toEqual(['甲一村第一党小组']);
    expect(names(await t.req('GET', '/api/orgs?q=jz', { cookie: admin }))).toEqual(['中共甲镇委员会']);
    expect(names(await t.req('GET', '/api/orgs?q=JYC', { cookie: admin }))).toEqual([
      '中共甲一村支部委员会',
      '甲一村第一党小组',
    ]);
    expect(names(await t.req('GET', '/api/orgs?q=czj', { cookie: admin }))).toEqual(['中共兰考县财政局机关支部委员会']);
    // "zg" (中共) and "wyh" (委员会) are in every name: they are not what people type, and find nothing by initials.
    expect(names(await t.req('GET', '/api/orgs?q=wyh', { cookie: admin }))).toEqual([]);
  });

  it('stays inside the user scope', async () => {
    expect(names(await t.req('GET', '/api/orgs?q=jyc', { cookie: orga }))).toEqual([
      '中共甲一村支部委员会',
      '甲一村第一党小组',
    ]);
    expect(names(await t.req('GET', '/api/orgs?q=jyc', { cookie: orgb }))).toEqual([]);
    expect(names(await t.req('GET', '/api/orgs?q=yyc', { cookie: orgb }))).toEqual(['中共乙一村支部委员会']);
    expect(names(await t.req('GET', '/api/orgs?q=yyc', { cookie: orga }))).toEqual([]);
  });

  it('is computed for new and renamed organizations, and filled at start-up for older rows', async () => {
    const created = await t.req('POST', '/api/orgs', {
      cookie: admin,
      body: { parentId: t.fx.townA, name: '中共固阳村支部委员会', kind: 'branch' },
    });
    expect(created.status).toBe(201);
    expect(names(await t.req('GET', '/api/orgs?q=gyc', { cookie: orga }))).toEqual(['中共固阳村支部委员会']);
    const renamed = await t.req('PATCH', `/api/orgs/${created.json.id}`, {
      cookie: admin,
      body: { name: '中共固阳镇东村党总支', kind: 'generalBranch' },
    });
    expect(renamed.status).toBe(200);
    expect(names(await t.req('GET', '/api/orgs?q=gyc', { cookie: orga }))).toEqual([]);
    expect(names(await t.req('GET', '/api/orgs?q=gyzdc', { cookie: orga }))).toEqual(['中共固阳镇东村党总支']);

    await t.database.db.execute(sql`update orgs set name_initials = null where id = ${t.fx.villageA2}`);
    expect(await t.database.db.transaction((tx) => fillOrgInitials(tx))).toBe(1);
    expect(names(await t.req('GET', '/api/orgs?q=jec', { cookie: admin }))).toEqual(['中共甲二村支部委员会']);
  });
});

describe('full members carry 转正日期 (NAT-2)', () => {
  const base = () => ({
    name: '转正',
    idNumber: newId('19800606'),
    orgId: t.fx.villageA2,
    standing: 'full',
    joinDate: '2010-07-01',
  });

  it('a new full member without the date is refused with a field error in Chinese', async () => {
    const res = await t.req('POST', '/api/members', { cookie: admin, body: base() });
    expect(res.status).toBe(400);
    expect(res.json.code).toBe('VALIDATION');
    expect(res.json.details.fields).toEqual([{ field: 'fullDate', message: '转正日期：正式党员应填写转正日期' }]);
    const ok = await t.req('POST', '/api/members', {
      cookie: admin,
      body: { ...base(), fullDate: '2011-07-01', joinMethod: '1' },
    });
    expect(ok.status).toBe(201);
    expect(ok.json.joinMethod).toBe('1');
    expect(ok.json.warnings).toEqual([]);
  });

  it('turning a probationary member full needs the date; clearing it from a full member is refused', async () => {
    const id = t.fx.members.钱七;
    const res = await t.req('PATCH', `/api/members/${id}`, { cookie: admin, body: { standing: 'full' } });
    expect(res.json.code).toBe('VALIDATION');
    expect(res.json.details.fields.map((f: { field: string }) => f.field)).toEqual(['fullDate']);
    const clear = await t.req('PATCH', `/api/members/${t.fx.members.李四}`, {
      cookie: admin,
      body: { fullDate: null },
    });
    expect(clear.json.code).toBe('VALIDATION');
  });

  it('an existing full member without the date is a warning on the record, not a block on unrelated edits', async () => {
    const id = t.fx.members.王五;
    await t.database.db.execute(sql`update members set full_date = null where id = ${id}`);
    const detail = await t.req('GET', `/api/members/${id}`, { cookie: admin });
    expect(detail.json.warnings).toEqual([
      { rule: 'NAT-2', level: 'warning', message: '正式党员未登记转正日期，请核对档案后补录' },
    ]);
    const edit = await t.req('PATCH', `/api/members/${id}`, {
      cookie: admin,
      body: { post: '村委委员', joinMethod: '1' },
    });
    expect(edit.status).toBe(200);
    expect(edit.json.warnings.map((w: { rule: string }) => w.rule)).toEqual(['NAT-2']);
    const fixed = await t.req('PATCH', `/api/members/${id}`, { cookie: admin, body: { fullDate: '2011-07-01' } });
    expect(fixed.status).toBe(200);
    expect(fixed.json.warnings).toEqual([]);
  });
});

describe('children of an organization with their warnings (the card lists them)', () => {
  it('lists active children with member counts and each one’s warnings when asked', async () => {
    await t.req('PATCH', `/api/orgs/${t.fx.villageA1}`, { cookie: admin, body: { termEnd: '2020-01-01' } });
    const res = await t.req('GET', `/api/orgs/${t.fx.townA}/children?warnings=true`, { cookie: admin });
    expect(res.status).toBe(200);
    const a1 = res.json.items.find((o: { id: string }) => o.id === t.fx.villageA1);
    expect(a1.memberCount).toBe(3);
    expect(a1.warnings.map((w: { rule: string }) => w.rule)).toEqual(expect.arrayContaining(['ORG-4', 'ORG-5']));
    // The same checks as the child's own card.
    const card = await t.req('GET', `/api/orgs/${t.fx.villageA1}`, { cookie: admin });
    expect(a1.warnings).toEqual(card.json.warnings);
    // Without the flag the tree keeps its lighter answer.
    const plain = await t.req('GET', `/api/orgs/${t.fx.townA}/children`, { cookie: admin });
    expect(plain.json.items[0].warnings).toBeUndefined();
  });

  it('is scoped', async () => {
    const res = await t.req('GET', `/api/orgs/${t.fx.townA}/children?warnings=true`, { cookie: orgb });
    expect(res.status).toBe(404);
  });
});
