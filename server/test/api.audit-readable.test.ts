/** The audit log reads as sentences with the names of the time, filters by person and organization, and exports (SEC-12). */
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from '../platform/audit.ts';
import { setup, type TestCtx } from './harness.ts';

let t: TestCtx;
let auditor: string;
beforeAll(async () => {
  t = await setup();
  const orga = await t.login('orga');
  await t.req('POST', `/api/members/${t.fx.members.张三}/reveal`, { cookie: orga, body: { reason: '核对转接材料' } });
  // A rename afterwards does not rewrite what the entry says.
  const admin = await t.login('admin');
  await t.req('PATCH', `/api/members/${t.fx.members.张三}`, { cookie: admin, body: { name: '张三丰' } });
  auditor = await t.login('auditor');
});
afterAll(async () => t?.close());

describe('GET /api/audit', () => {
  it('says who saw whose data and why, with the names as they were, and no codes or ids in the sentence', async () => {
    const res = await t.req('GET', '/api/audit?action=member.reveal', { cookie: auditor });
    expect(res.status).toBe(200);
    const e = res.json.items[0];
    expect(e.summary).toBe('查看了 张三 的完整身份证号码、电话和住址，原因：核对转接材料');
    expect(e.actorName).toBe('测试orga');
    expect(e.actorOrgName).toBe('中共甲镇委员会');
    expect(e.summary).not.toMatch(/[0-9a-f]{8}-|member\\./);
    const update = (await t.req('GET', '/api/audit?action=member.update', { cookie: auditor })).json.items[0];
    // The update itself is recorded with the name it produced.
    expect(update.summary).toBe('修改了 张三丰 的信息');
    // The names are part of the hashed detail: the chain still verifies.
    expect((await verifyAudit(t.database.db, t.deps.crypto)).problems).toEqual([]);
  });

  it('filters by person (account or name) and by organization with everything below it', async () => {
    const byName = await t.req('GET', `/api/audit?person=${encodeURIComponent('测试orga')}`, { cookie: auditor });
    expect(byName.json.items.length).toBeGreaterThan(0);
    for (const i of byName.json.items) expect(i.username).toBe('orga');
    const byOrg = await t.req('GET', `/api/audit?orgId=${t.fx.townA}&pageSize=200`, { cookie: auditor });
    expect(byOrg.json.items.map((i: { username: string }) => i.username)).toContain('orga');
    expect(byOrg.json.items.map((i: { username: string }) => i.username)).not.toContain('admin');
  });

  it('lets an auditor, who may not browse the tree, find an organization by initials for the filter: names only', async () => {
    const found = await t.req('GET', '/api/audit/orgs?q=jz', { cookie: auditor });
    expect(found.status, found.body).toBe(200);
    expect(found.json.items.map((o: { name: string }) => o.name)).toContain('中共甲镇委员会');
    expect(Object.keys(found.json.items[0]).sort()).toEqual(['id', 'name', 'parentName']);
    const townA = found.json.items.find((o: { name: string }) => o.name === '中共甲镇委员会').id;
    const filtered = await t.req('GET', `/api/audit?orgId=${townA}`, { cookie: auditor });
    expect(filtered.status).toBe(200);
    expect(filtered.json.items.some((i: { username: string }) => i.username === 'orga')).toBe(true);
    expect(filtered.json.items.some((i: { username: string }) => i.username === 'admin')).toBe(false);
    // The organization permission stays what it was: the auditor still cannot open the tree.
    const tree = await t.req('GET', '/api/orgs?q=jz', { cookie: auditor });
    expect(tree.status).toBe(403);
    expect(tree.json.code).toBe('FORBIDDEN');
    // And nobody without the audit permission reaches the names this way.
    const leader = await t.req('GET', '/api/audit/orgs?q=jz', { cookie: await t.login('leader') });
    expect(leader.status).toBe(403);
    expect(leader.json.code).toBe('FORBIDDEN');
  });

  it('exports the filtered log as sentences, asks for a purpose, and audits the export', async () => {
    const none = await t.req('GET', '/api/audit/export', { cookie: auditor });
    expect(none.json.code).toBe('VALIDATION');
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/audit/export?action=member.reveal&reason=${encodeURIComponent('年度审计')}`,
      headers: { cookie: auditor, host: 'localhost:80' },
    });
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const rows = (wb.worksheets[0].getSheetValues() as unknown[][]).slice(1).map((r) => r.slice(1));
    expect(rows[0]).toEqual([
      '序号',
      '时间',
      '账号',
      '姓名',
      '所属组织',
      '操作',
      '内容',
      '结果',
      'IP 地址',
      '请求编号',
    ]);
    expect(rows[1].slice(2, 8)).toEqual([
      'orga',
      '测试orga',
      '中共甲镇委员会',
      '查看完整信息',
      '查看了 张三 的完整身份证号码、电话和住址，原因：核对转接材料',
      '成功',
    ]);
    const a = await t.database.db.execute<{ n: number }>(
      sql`select count(*)::int as n from audit_log where action = 'audit.export' and username = 'auditor'`,
    );
    expect(a.rows[0].n).toBe(1);
  });
});
