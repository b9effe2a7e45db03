import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkChar, makeIdNumber } from '../platform/idcard.ts';
import { newId, setup, type TestCtx } from './harness.ts';

let t: TestCtx;
let admin: string;
beforeAll(async () => {
  t = await setup();
  admin = await t.login('admin');
});
afterAll(async () => t?.close());

function wrongCheck(id: string): string {
  const right = checkChar(id.slice(0, 17));
  const wrong = right === '1' ? '2' : '1';
  return id.slice(0, 17) + wrong;
}

describe('member entry rules (MEM-6, DEV-5)', () => {
  const base = () => ({ name: '孙悟空', orgId: t.fx.villageA2, standing: 'full', joinDate: '2010-07-01', fullDate: '2011-07-01', phone: '13812345678' });

  it('rejects a wrong ID check digit with a Chinese message naming the field, and writes nothing', async () => {
    const id = makeIdNumber('410225', '19850610', 123);
    const before = await t.database.db.execute<{ n: number }>(sql`select count(*)::int as n from members`);
    const res = await t.req('POST', '/api/members', { cookie: admin, body: { ...base(), idNumber: wrongCheck(id) } });
    expect(res.status).toBe(400);
    expect(res.json.code).toBe('VALIDATION');
    expect(res.json.message).toContain('身份证号码');
    expect(res.json.message).toContain('校验位');
    expect(res.json.details.fields[0].field).toBe('idNumber');
    const after = await t.database.db.execute<{ n: number }>(sql`select count(*)::int as n from members`);
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it('creates a member; birth date and sex come from the ID number; the ID is masked', async () => {
    const id = makeIdNumber('410225', '19850610', 124); // even → female
    const res = await t.req('POST', '/api/members', { cookie: admin, body: { ...base(), idNumber: id } });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ name: '孙悟空', birthDate: '1985-06-10', sex: '2', standing: 'full', orgName: '中共甲二村支部委员会' });
    expect(res.json.idNumberMasked).not.toContain(id.slice(6, 14));
    expect(JSON.stringify(res.json)).not.toContain(id);
    expect(res.json.phoneMasked).toBe('138****5678');
    expect(res.json.history).toHaveLength(1);
    const dup = await t.req('POST', '/api/members', { cookie: admin, body: { ...base(), idNumber: id } });
    expect(dup.status).toBe(409);
    expect(dup.json.code).toBe('DUPLICATE_ID_NUMBER');
    expect(dup.json.message).toMatch(/组织关系转接/);
  });

  it('refuses a join date before the 18th birthday and a full-member date within a year of joining', async () => {
    const young = await t.req('POST', '/api/members', { cookie: admin, body: { ...base(), idNumber: newId('20000101'), joinDate: '2017-12-31', fullDate: '2019-01-01' } });
    expect(young.status).toBe(400);
    expect(young.json.message).toMatch(/入党日期：应在年满 18 周岁（2018-01-01）之后/);
    const early = await t.req('POST', '/api/members', { cookie: admin, body: { ...base(), idNumber: newId('19800101'), joinDate: '2010-07-01', fullDate: '2011-06-30' } });
    expect(early.status).toBe(400);
    expect(early.json.message).toMatch(/转正日期：不能早于入党日期满一年（2011-07-01）/);
    const phone = await t.req('POST', '/api/members', { cookie: admin, body: { ...base(), idNumber: newId('19800101'), phone: '12345' } });
    expect(phone.status).toBe(400);
    expect(phone.json.details.fields[0].field).toBe('phone');
  });

  it('names fields in Chinese when the request itself is malformed', async () => {
    const res = await t.req('POST', '/api/members', { cookie: admin, body: { ...base(), idNumber: newId(), joinDate: '2010/07/01' } });
    expect(res.status).toBe(400);
    expect(res.json.message).toContain('入党日期：');
    expect(res.json.details.fields[0].field).toBe('joinDate');
  });

  it('rejects unknown fields (mass assignment) and a member in a committee', async () => {
    const extra = await t.req('POST', '/api/members', { cookie: admin, body: { ...base(), idNumber: newId(), countyCode: '999999' } });
    expect(extra.status).toBe(400);
    const committee = await t.req('POST', '/api/members', { cookie: admin, body: { ...base(), idNumber: newId(), orgId: t.fx.townA } });
    expect(committee.status).toBe(400);
    expect(committee.json.message).toMatch(/党支部或党小组/);
  });

  it('a township account cannot place a member outside its township', async () => {
    const orga = await t.login('orga');
    const res = await t.req('POST', '/api/members', { cookie: orga, body: { ...base(), idNumber: newId(), orgId: t.fx.villageB1 } });
    expect(res.status).toBe(400);
    expect(res.json.details.fields[0].field).toBe('orgId');
  });
});

describe('member search', () => {
  it('finds 张三 by initials "zs" and sorts in pinyin order', async () => {
    const res = await t.req('GET', '/api/members?q=zs', { cookie: admin });
    expect(res.status).toBe(200);
    const names = res.json.items.map((m: { name: string }) => m.name);
    expect(names).toContain('张三');
    expect(names).toContain('张珊');
    expect(names).not.toContain('李四');
    const all = await t.req('GET', '/api/members?pageSize=200', { cookie: admin });
    const order = all.json.items.map((m: { name: string }) => m.name);
    expect(order.indexOf('李四')).toBeLessThan(order.indexOf('王五'));
    expect(order.indexOf('王五')).toBeLessThan(order.indexOf('张三'));
  });

  it('a single letter finds every name whose initials start with it', async () => {
    const res = await t.req('GET', '/api/members?q=Z', { cookie: admin });
    expect(res.json.items.map((m: { name: string }) => m.name)).toEqual(['张三', '张珊', '赵六']);
    expect(res.json.total).toBe(3);
  });

  it('finds by full pinyin, by Chinese name part and by the last 4 of the ID', async () => {
    expect((await t.req('GET', '/api/members?q=lisi', { cookie: admin })).json.items.map((m: { name: string }) => m.name)).toEqual(['李四']);
    expect((await t.req('GET', `/api/members?q=${encodeURIComponent('五')}`, { cookie: admin })).json.items.map((m: { name: string }) => m.name)).toEqual(['王五']);
    const tail = t.fx.ids.赵六.slice(-4);
    expect((await t.req('GET', `/api/members?q=${tail}`, { cookie: admin })).json.items.map((m: { name: string }) => m.name)).toContain('赵六');
  });

  it('filters by organization with or without its subtree, and by standing', async () => {
    const sub = await t.req('GET', `/api/members?orgId=${t.fx.villageA1}&subtree=true`, { cookie: admin });
    expect(sub.json.items.map((m: { name: string }) => m.name).sort()).toEqual(['张三', '张珊', '钱七'].sort());
    const own = await t.req('GET', `/api/members?orgId=${t.fx.villageA1}&subtree=false`, { cookie: admin });
    expect(own.json.items.map((m: { name: string }) => m.name).sort()).toEqual(['张三', '钱七'].sort());
    const prob = await t.req('GET', '/api/members?standing=probationary', { cookie: admin });
    expect(prob.json.items.map((m: { name: string }) => m.name)).toEqual(['钱七']);
    expect(prob.json).toMatchObject({ total: 1, page: 1, pageSize: 20 });
  });

  it('filters by age range and join year', async () => {
    const res = await t.req('GET', '/api/members?ageMin=60', { cookie: admin });
    expect(res.json.items.map((m: { name: string }) => m.name)).toEqual(['王五']);
    const joined = await t.req('GET', '/api/members?joinYearMin=2026', { cookie: admin });
    expect(joined.json.items.map((m: { name: string }) => m.name)).toEqual(['钱七']);
  });

  it('answers 404 for a member outside the scope, and audits the denial', async () => {
    const orgb = await t.login('orgb');
    const res = await t.req('GET', `/api/members/${t.fx.members.张三}`, { cookie: orgb });
    expect(res.status).toBe(404);
    const audit = await t.database.db.execute<{ n: number }>(sql`select count(*)::int as n from audit_log where action = 'access.denied' and username = 'orgb'`);
    expect(audit.rows[0].n).toBeGreaterThan(0);
  });
});

describe('reveal and transfer', () => {
  it('reveals the full ID only with a reason, and audits it', async () => {
    const id = t.fx.members.李四;
    const none = await t.req('POST', `/api/members/${id}/reveal`, { cookie: admin, body: {} });
    expect(none.status).toBe(400);
    const res = await t.req('POST', `/api/members/${id}/reveal`, { cookie: admin, body: { reason: '核对党员信息' } });
    expect(res.status).toBe(200);
    expect(res.json.idNumber).toBe(t.fx.ids.李四);
    const a = await t.database.db.execute<{ detail: { reason: string } }>(sql`select detail from audit_log where action = 'member.reveal' and object_id = ${id}`);
    expect(a.rows[0].detail.reason).toBe('核对党员信息');
    const leader = await t.login('leader');
    expect((await t.req('POST', `/api/members/${id}/reveal`, { cookie: leader, body: { reason: '查看' } })).status).toBe(403);
  });

  it('transfers a member to another branch and keeps the history', async () => {
    const id = t.fx.members.王五;
    const res = await t.req('PATCH', `/api/members/${id}`, { cookie: admin, body: { orgId: t.fx.organBranch, transferReason: '工作调动' } });
    expect(res.status).toBe(200);
    expect(res.json.orgId).toBe(t.fx.organBranch);
    expect(res.json.history).toHaveLength(2);
    expect(res.json.history[0]).toMatchObject({ orgId: t.fx.organBranch, toDate: null, reason: '工作调动' });
    expect(res.json.history[1].toDate).not.toBeNull();
  });

  it('refuses a stale version (optimistic locking)', async () => {
    const id = t.fx.members.赵六;
    const cur = await t.req('GET', `/api/members/${id}`, { cookie: admin });
    const ok = await t.req('PATCH', `/api/members/${id}`, { cookie: admin, body: { post: '会计', version: cur.json.version } });
    expect(ok.status).toBe(200);
    const stale = await t.req('PATCH', `/api/members/${id}`, { cookie: admin, body: { post: '出纳', version: cur.json.version } });
    expect(stale.status).toBe(409);
  });
});

describe('coded fields (SEC-19)', () => {
  it('accept only codes of their list: a label, a formula or a typo is refused and nothing is written', async () => {
    const base = { name: '代码', idNumber: newId('19880808'), orgId: t.fx.villageA2, standing: 'full', joinDate: '2010-07-01', fullDate: '2011-07-01' };
    for (const [field, value] of [['ethnicity', '汉族'], ['education', '=HYPERLINK("http://x")'], ['joinMethod', '7'], ['personCategory', '@SUM(1)']] as const) {
      const res = await t.req('POST', '/api/members', { cookie: admin, body: { ...base, [field]: value } });
      expect(res.status, `${field}=${value}`).toBe(400);
      expect(res.json.code).toBe('VALIDATION');
      expect(res.json.details.fields.map((f: { field: string }) => f.field)).toEqual([field]);
    }
    const ok = await t.req('POST', '/api/members', { cookie: admin, body: { ...base, ethnicity: '01', education: '21', joinMethod: '1' } });
    expect(ok.status).toBe(201);
    const patch = await t.req('PATCH', `/api/members/${ok.json.id}`, { cookie: admin, body: { ethnicity: '99' } });
    expect(patch.json.code).toBe('VALIDATION');
    const org = await t.req('PATCH', `/api/orgs/${t.fx.villageA2}`, { cookie: admin, body: { category: '=1+1' } });
    expect(org.json.code).toBe('VALIDATION');
    expect(org.json.details.fields[0].field).toBe('category');
  });
});
