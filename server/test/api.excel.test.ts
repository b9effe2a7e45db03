import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from '../platform/audit.ts';
import { checkChar } from '../platform/idcard.ts';
import { newId, rosterWorkbook, setup, type TestCtx, uploadRoster } from './harness.ts';

let t: TestCtx;
let admin: string;
beforeAll(async () => {
  t = await setup();
  admin = await t.login('admin');
});
afterAll(async () => t?.close());

const workbook = rosterWorkbook;
const upload = (file: Buffer, dryRun = false, cookie = admin) => uploadRoster(t, cookie, file, dryRun);

async function count(): Promise<number> {
  return (await t.database.db.execute<{ n: number }>(sql`select count(*)::int as n from members`)).rows[0].n;
}

describe('Excel import (all or nothing, idempotent)', () => {
  const good = () => [
    ['周一', newId('19810101'), '中共甲二村支部委员会', '正式党员', '2005-07-01', '2006-07-01', '13700001111'],
    ['吴二', newId('19820202', false), '中共甲二村支部委员会', '预备党员', '2026-01-05', '', ''],
    ['郑三', newId('19830303'), '中共乙一村支部委员会', '正式', new Date(Date.UTC(2001, 6, 1)), '2002-07-01', ''],
  ];

  it('with one bad row imports nothing and reports row, column and what is wrong', async () => {
    const rows = good();
    const bad = String(rows[1][1]);
    rows[1][1] = bad.slice(0, 17) + (checkChar(bad.slice(0, 17)) === '1' ? '2' : '1');
    const before = await count();
    const res = await upload(await workbook(rows));
    expect(res.status).toBe(422);
    expect(res.json.ok).toBe(false);
    expect(res.json.errors).toEqual([{ row: 3, column: '公民身份号码', message: expect.stringContaining('校验位') }]);
    expect(await count()).toBe(before);
  });

  it('imports a correct file, and re-importing the same file changes nothing', async () => {
    const file = await workbook(good());
    const dry = await upload(file, true);
    expect(dry.json).toMatchObject({ ok: true, dryRun: true, created: 3, updated: 0 });
    const before = await count();
    const res = await upload(file);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ ok: true, created: 3, updated: 0, unchanged: 0 });
    expect(await count()).toBe(before + 3);
    const again = await upload(file);
    expect(again.json).toMatchObject({ ok: true, created: 0, updated: 0, unchanged: 3 });
    expect(await count()).toBe(before + 3);
    expect((await verifyAudit(t.database.db, t.deps.crypto)).ok).toBe(true);
    const found = await t.req('GET', `/api/members?q=${encodeURIComponent('郑三')}`, { cookie: admin });
    expect(found.json.items[0]).toMatchObject({ joinDate: '2001-07-01', orgName: '中共乙一村支部委员会' });
  });

  it('reports unknown organizations, missing columns and duplicate rows', async () => {
    const id = newId('19900909');
    const res = await upload(
      await workbook([
        ['甲', id, '不存在的支部', '正式党员', '2015-07-01', '2016-07-01', ''],
        ['乙', id, '中共甲二村支部委员会', '党员', '2015-07-01', '', ''],
      ]),
    );
    expect(res.status).toBe(422);
    const msgs = res.json.errors.map(
      (e: { row: number; column: string; message: string }) => `${e.row}|${e.column}|${e.message}`,
    );
    expect(msgs.some((m: string) => m.startsWith('2|所在党组织|找不到党组织'))).toBe(true);
    expect(msgs.some((m: string) => m.startsWith('3|党员类别|'))).toBe(true);
    expect(msgs.some((m: string) => m.startsWith('3|公民身份号码|与第 2 行'))).toBe(true);
    const missing = await upload(await workbook([['甲', id]], ['姓名', '身份证号']));
    // 党员类别 is not asked for: it is derived from the dates when a roster has no such column.
    expect(missing.json.errors.map((e: { column: string }) => e.column)).toEqual(['所在党组织', '入党日期']);
  });

  it('a township account cannot import into another township', async () => {
    const orga = await t.login('orga');
    const res = await upload(
      await workbook([['冯四', newId('19700707'), '中共乙一村支部委员会', '正式党员', '2000-07-01', '2001-07-01', '']]),
      false,
      orga,
    );
    expect(res.status).toBe(422);
    expect(res.json.errors[0].message).toMatch(/不在您的管辖范围内/);
  });

  it('refuses a file that is not an xlsx by its bytes', async () => {
    const res = await upload(Buffer.from('name,id\n张三,1'));
    expect(res.status).toBe(415);
  });

  it('gives a template with the headers and the organizations in scope', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/members/import/template',
      headers: { cookie: admin, host: 'localhost:80' },
    });
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets[0].getRow(1).getCell(2).value).toBe('公民身份号码*');
    const orgs = wb.getWorksheet('党组织列表');
    const names: string[] = [];
    orgs?.eachRow((r, n) => n > 1 && names.push(String(r.getCell(2).value)));
    expect(names).toContain('中共甲一村支部委员会');
  });
});

describe('Excel export (SEC-28)', () => {
  async function exportRows(query: string, cookie = admin) {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/members/export?${query}`,
      headers: { cookie, host: 'localhost:80' },
    });
    if (res.statusCode !== 200) return { status: res.statusCode, json: res.json(), rows: [] as string[][] };
    const file = path.join(os.tmpdir(), `export-${Date.now()}.xlsx`);
    fs.writeFileSync(file, res.rawPayload);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    fs.rmSync(file);
    const rows: string[][] = [];
    wb.worksheets[0].eachRow((r) => rows.push((r.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
    const about = String(wb.getWorksheet('导出说明')?.getCell('A1').value ?? '');
    return { status: 200, rows, json: null, about, header: String(wb.worksheets[0].headerFooter.oddHeader ?? '') };
  }

  it('asks for a reason', async () => {
    const res = await exportRows('q=zs');
    expect(res.status).toBe(400);
  });

  it('exports a search masked by default, watermarked in the page header and on its own sheet (not in the data), and audits it', async () => {
    const res = await exportRows(`reason=${encodeURIComponent('年度统计')}&orgId=${t.fx.villageA1}`);
    expect(res.status).toBe(200);
    expect(res.about).toMatch(/导出人：测试admin（admin）.*导出时间.*用途：年度统计/);
    expect(res.header).toMatch(/导出人：测试admin（admin）/);
    const body = res.rows.slice(1);
    expect(body.map((r) => r[1]).sort()).toEqual(['张三', '张珊', '钱七'].sort());
    const all = JSON.stringify(res.rows);
    for (const id of Object.values(t.fx.ids)) expect(all).not.toContain(id);
    const a = await t.database.db.execute<{ n: number }>(
      sql`select count(*)::int as n from audit_log where action = 'member.export'`,
    );
    expect(a.rows[0].n).toBeGreaterThan(0);
  });

  it('exports full ID numbers only for a user with the reveal permission', async () => {
    const full = await exportRows(`reason=${encodeURIComponent('上报')}&orgId=${t.fx.villageA2}&unmasked=true`);
    expect(JSON.stringify(full.rows)).toContain(t.fx.ids.李四);
    const leader = await t.login('leader');
    const denied = await exportRows(`reason=${encodeURIComponent('上报')}&unmasked=true`, leader);
    expect(denied.status).toBe(403);
  });
});
