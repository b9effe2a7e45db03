import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
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
  const base = () => ({
    name: '孙悟空',
    orgId: t.fx.villageA2,
    standing: 'full',
    joinDate: '2010-07-01',
    fullDate: '2011-07-01',
    phone: '13812345678',
  });

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
    expect(res.json).toMatchObject({
      name: '孙悟空',
      birthDate: '1985-06-10',
      sex: '2',
      standing: 'full',
      orgName: '中共甲二村支部委员会',
    });
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
    const young = await t.req('POST', '/api/members', {
      cookie: admin,
      body: { ...base(), idNumber: newId('20000101'), joinDate: '2017-12-31', fullDate: '2019-01-01' },
    });
    expect(young.status).toBe(400);
    expect(young.json.message).toMatch(/入党日期：应在年满 18 周岁（2018-01-01）之后/);
    const early = await t.req('POST', '/api/members', {
      cookie: admin,
      body: { ...base(), idNumber: newId('19800101'), joinDate: '2010-07-01', fullDate: '2011-06-30' },
    });
    expect(early.status).toBe(400);
    expect(early.json.message).toMatch(/转正日期：不能早于入党日期满一年（2011-07-01）/);
    const phone = await t.req('POST', '/api/members', {
      cookie: admin,
      body: { ...base(), idNumber: newId('19800101'), phone: '12345' },
    });
    expect(phone.status).toBe(400);
    expect(phone.json.details.fields[0].field).toBe('phone');
  });

  it('names fields in Chinese when the request itself is malformed', async () => {
    const res = await t.req('POST', '/api/members', {
      cookie: admin,
      body: { ...base(), idNumber: newId(), joinDate: '2010/07/01' },
    });
    expect(res.status).toBe(400);
    expect(res.json.message).toContain('入党日期：');
    expect(res.json.details.fields[0].field).toBe('joinDate');
  });

  it('rejects unknown fields (mass assignment) and a member in a committee', async () => {
    const extra = await t.req('POST', '/api/members', {
      cookie: admin,
      body: { ...base(), idNumber: newId(), countyCode: '999999' },
    });
    expect(extra.status).toBe(400);
    const committee = await t.req('POST', '/api/members', {
      cookie: admin,
      body: { ...base(), idNumber: newId(), orgId: t.fx.townA },
    });
    expect(committee.status).toBe(400);
    expect(committee.json.message).toMatch(/党支部或党小组/);
  });

  it('a township account cannot place a member outside its township', async () => {
    const orga = await t.login('orga');
    const res = await t.req('POST', '/api/members', {
      cookie: orga,
      body: { ...base(), idNumber: newId(), orgId: t.fx.villageB1 },
    });
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
    expect(
      (await t.req('GET', '/api/members?q=lisi', { cookie: admin })).json.items.map((m: { name: string }) => m.name),
    ).toEqual(['李四']);
    expect(
      (await t.req('GET', `/api/members?q=${encodeURIComponent('五')}`, { cookie: admin })).json.items.map(
        (m: { name: string }) => m.name,
      ),
    ).toEqual(['王五']);
    const tail = t.fx.ids.赵六.slice(-4);
    expect(
      (await t.req('GET', `/api/members?q=${tail}`, { cookie: admin })).json.items.map((m: { name: string }) => m.name),
    ).toContain('赵六');
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
    const audit = await t.database.db.execute<{ n: number }>(
      sql`select count(*)::int as n from audit_log where action = 'access.denied' and username = 'orgb'`,
    );
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
    const a = await t.database.db.execute<{ detail: { reason: string } }>(
      sql`select detail from audit_log where action = 'member.reveal' and object_id = ${id}`,
    );
    expect(a.rows[0].detail.reason).toBe('核对党员信息');
    const leader = await t.login('leader');
    expect(
      (await t.req('POST', `/api/members/${id}/reveal`, { cookie: leader, body: { reason: '查看' } })).status,
    ).toBe(403);
  });

  it('transfers a member to another branch and keeps the history', async () => {
    const id = t.fx.members.王五;
    const res = await t.req('PATCH', `/api/members/${id}`, {
      cookie: admin,
      body: { orgId: t.fx.organBranch, transferReason: '工作调动' },
    });
    expect(res.status).toBe(200);
    expect(res.json.orgId).toBe(t.fx.organBranch);
    expect(res.json.history).toHaveLength(2);
    expect(res.json.history[0]).toMatchObject({ orgId: t.fx.organBranch, toDate: null, reason: '工作调动' });
    expect(res.json.history[1].toDate).not.toBeNull();
    for (const h of res.json.history) expect(h.fromDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(res.json.history[1].toDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('refuses a stale version (optimistic locking)', async () => {
    const id = t.fx.members.赵六;
    const cur = await t.req('GET', `/api/members/${id}`, { cookie: admin });
    const ok = await t.req('PATCH', `/api/members/${id}`, {
      cookie: admin,
      body: { post: '会计', version: cur.json.version },
    });
    expect(ok.status).toBe(200);
    const stale = await t.req('PATCH', `/api/members/${id}`, {
      cookie: admin,
      body: { post: '出纳', version: cur.json.version },
    });
    expect(stale.status).toBe(409);
  });
});

describe('coded fields (SEC-19)', () => {
  it('accept only codes of their list: a label, a formula or a typo is refused and nothing is written', async () => {
    const base = {
      name: '代码',
      idNumber: newId('19880808'),
      orgId: t.fx.villageA2,
      standing: 'full',
      joinDate: '2010-07-01',
      fullDate: '2011-07-01',
    };
    for (const [field, value] of [
      ['ethnicity', '汉族'],
      ['education', '=HYPERLINK("http://x")'],
      ['joinMethod', '7'],
      ['personCategory', '@SUM(1)'],
    ] as const) {
      const res = await t.req('POST', '/api/members', { cookie: admin, body: { ...base, [field]: value } });
      expect(res.status, `${field}=${value}`).toBe(400);
      expect(res.json.code).toBe('VALIDATION');
      expect(res.json.details.fields.map((f: { field: string }) => f.field)).toEqual([field]);
    }
    const ok = await t.req('POST', '/api/members', {
      cookie: admin,
      body: { ...base, ethnicity: '01', education: '21', joinMethod: '1' },
    });
    expect(ok.status).toBe(201);
    const patch = await t.req('PATCH', `/api/members/${ok.json.id}`, { cookie: admin, body: { ethnicity: '99' } });
    expect(patch.json.code).toBe('VALIDATION');
    const org = await t.req('PATCH', `/api/orgs/${t.fx.villageA2}`, { cookie: admin, body: { category: '=1+1' } });
    expect(org.json.code).toBe('VALIDATION');
    expect(org.json.details.fields[0].field).toBe('category');
  });
});

describe("a branch secretary's calls (county setting)", () => {
  it('shows their own branch members full phones in the list, one audit entry per list view; others and the switched-off setting see masks', async () => {
    const sec = await t.login('seca1');
    const before = await t.database.db.execute<{ n: number }>(
      sql`select count(*)::int as n from audit_log where action = 'member.phones.view'`,
    );
    const res = await t.req('GET', '/api/members?phones=true', { cookie: sec });
    expect(res.status).toBe(200);
    const own = res.json.items.filter((m: { orgId: string }) => m.orgId === t.fx.villageA1 || m.orgId === t.fx.groupA1);
    expect(own.length).toBeGreaterThan(0);
    for (const m of own) expect(m.phone).toBe('13912345678');
    const after = await t.database.db.execute<{ n: number; detail: { members: number } }>(
      sql`select count(*) over ()::int as n, detail from audit_log where action = 'member.phones.view' order by seq desc limit 1`,
    );
    expect(after.rows[0].n).toBe(before.rows[0].n + 1);
    expect(after.rows[0].detail.members).toBe(res.json.items.length);
    // Not for an organization administrator, not for a leader.
    for (const who of ['orga', 'leader']) {
      const other = await t.req('GET', '/api/members?phones=true', { cookie: await t.login(who) });
      for (const m of other.json.items) expect(m.phone, who).toBeUndefined();
    }
    // The county can switch it off (settings are cached for up to 10 s per process).
    await t.database.db.execute(
      sql`insert into settings (county_code, key, value) values ('410225', 'members.secretarySeesPhones', 'false'::jsonb)`,
    );
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 11_000);
      const off = await t.req('GET', '/api/members?phones=true', { cookie: sec });
      for (const m of off.json.items) expect(m.phone).toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('list order, selection export and batch transfer', () => {
  it('sorts by join date, age and organization, both ways, without overlapping pages', async () => {
    const joinDesc = await t.req('GET', '/api/members?sort=joinDate&order=desc&pageSize=200', { cookie: admin });
    const dates = joinDesc.json.items.map((m: { joinDate: string }) => m.joinDate);
    expect(dates).toEqual([...dates].sort().reverse());
    const ageAsc = await t.req('GET', '/api/members?sort=age&pageSize=200', { cookie: admin });
    const ages = ageAsc.json.items.map((m: { age: number }) => m.age);
    expect(ages).toEqual([...ages].sort((a: number, b: number) => a - b));
    const byOrg = await t.req('GET', '/api/members?sort=org&order=desc&q=z&pageSize=200', { cookie: admin });
    expect(byOrg.status).toBe(200);
    const pages = [];
    for (let p = 1; p <= 3; p++)
      pages.push(
        ...(await t.req('GET', `/api/members?sort=joinDate&pageSize=2&page=${p}`, { cookie: admin })).json.items.map(
          (m: { id: string }) => m.id,
        ),
      );
    expect(new Set(pages).size).toBe(pages.length);
    const bad = await t.req('GET', '/api/members?sort=password', { cookie: admin });
    expect(bad.json.code).toBe('VALIDATION');
  });

  it('exports only the selected members', async () => {
    const ids = [t.fx.members.张三, t.fx.members.李四];
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/members/export?reason=${encodeURIComponent('所选核对')}&ids=${ids.join(',')}`,
      headers: { cookie: admin, host: 'localhost:80' },
    });
    expect(res.statusCode).toBe(200);
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const names = (wb.worksheets[0].getSheetValues() as unknown[][])
      .map((r) => r?.[2])
      .filter((n) => n === '张三' || n === '李四' || n === '王五');
    expect(names.sort()).toEqual(['张三', '李四'].sort());
  });

  it('transfers a selection in one go, keeping each history; one member out of scope moves nobody', async () => {
    const orga = await t.login('orga');
    const refused = await t.req('POST', '/api/members/transfer', {
      cookie: orga,
      body: { memberIds: [t.fx.members.张三, t.fx.members.王五], orgId: t.fx.villageA2, reason: '村党支部合并' },
    });
    expect(refused.status).toBe(404);
    expect(refused.json.code).toBe('NOT_FOUND');
    const still = await t.req('GET', `/api/members/${t.fx.members.张三}`, { cookie: orga });
    expect(still.json.orgId).toBe(t.fx.villageA1);
    const ok = await t.req('POST', '/api/members/transfer', {
      cookie: orga,
      body: {
        memberIds: [t.fx.members.张三, t.fx.members.钱七, t.fx.members.李四],
        orgId: t.fx.villageA2,
        reason: '村党支部合并',
      },
    });
    expect(ok.json).toEqual({ ok: true, moved: 2, unchanged: 1 });
    const moved = await t.req('GET', `/api/members/${t.fx.members.张三}`, { cookie: orga });
    expect(moved.json.orgId).toBe(t.fx.villageA2);
    expect(moved.json.history[0]).toMatchObject({ orgId: t.fx.villageA2, reason: '村党支部合并' });
    const a = await t.database.db.execute<{ action: string }>(
      sql`select action from audit_log where username = 'orga' and action like 'member.transfer%' order by seq`,
    );
    expect(a.rows.map((r) => r.action)).toEqual(['member.transfer', 'member.transfer', 'member.transfer.batch']);
  });
});
