/** Excel round trips and the rosters offices keep: template, export → import, title rows, numbers Excel mangled. */
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId, setup, type TestCtx, uploadRoster } from './harness.ts';

let t: TestCtx;
let admin: string;
beforeAll(async () => {
  t = await setup();
  admin = await t.login('admin');
});
afterAll(async () => t?.close());

async function download(url: string): Promise<ExcelJS.Workbook> {
  const res = await t.app.inject({ method: 'GET', url, headers: { cookie: admin, host: 'localhost:80' } });
  expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  return wb;
}

async function upload(wb: ExcelJS.Workbook, dryRun = true) {
  return (await uploadRoster(t, admin, Buffer.from(await wb.xlsx.writeBuffer()), dryRun)).json;
}

describe('the template', () => {
  it('marks required headers with *, keeps the ID column as text, offers drop-downs, and lists organizations by township without ids', async () => {
    const wb = await download('/api/members/import/template');
    const ws = wb.getWorksheet('党员名册');
    if (!ws) throw new Error('sheet');
    const headers = (ws.getRow(1).values as unknown[]).slice(1);
    expect(headers.slice(0, 5)).toEqual(['姓名*', '公民身份号码*', '所在党组织*', '党员类别*', '入党日期*']);
    expect(ws.getColumn(2).numFmt).toBe('@');
    const dv = ws.getCell('D3').dataValidation;
    expect(dv?.type).toBe('list');
    expect(String(dv?.formulae?.[0])).toContain('代码表');
    expect(ws.getCell('C3').dataValidation?.type).toBe('list');
    const orgs = wb.getWorksheet('党组织列表');
    if (!orgs) throw new Error('sheet 党组织列表');
    const rows = (orgs.getSheetValues() as unknown[][]).slice(1).map((r) => (r ? r.slice(1) : []));
    expect(rows[0]).toEqual(['所属乡镇（街道）或单位', '党组织名称']);
    expect(rows).toContainEqual(['中共甲镇委员会', '中共甲一村支部委员会']);
    expect(JSON.stringify(rows)).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
  });
});

describe('export and import back', () => {
  it('a full export imports back unchanged: no errors, nothing created or updated', async () => {
    const wb = await download(`/api/members/export?reason=${encodeURIComponent('往返测试')}&unmasked=true`);
    const ws = wb.getWorksheet('党员名册');
    if (!ws) throw new Error('sheet 党员名册');
    // No watermark sentence among the data rows: it is in the header/footer and on its own sheet.
    const names = (ws.getSheetValues() as unknown[][]).slice(2).map((r) => r?.[2]);
    expect(names.every((n) => typeof n === 'string' && n.length <= 10)).toBe(true);
    expect(String(wb.getWorksheet('导出说明')?.getCell('A1').value)).toContain('导出人');
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.pageSetup.orientation).toBe('landscape');
    const before = (await t.database.db.execute<{ n: number }>(sql`select count(*)::int as n from members`)).rows[0].n;
    const res = await upload(wb, false);
    expect(res.errors).toEqual([]);
    expect(res).toMatchObject({ ok: true, created: 0, updated: 0, unchanged: before });
  });

  it('a masked export says why it cannot be imported', async () => {
    const wb = await download(`/api/members/export?reason=${encodeURIComponent('往返测试')}`);
    const res = await upload(wb);
    expect(res.ok).toBe(false);
    expect(res.errors[0].message).toMatch(/已脱敏/);
  });
});

describe('rosters as offices keep them', () => {
  it('finds the header under a merged title row and a date line, and accepts full-width digits, spaces and a lower-case x', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('花名册');
    ws.addRow(['中共甲二村支部委员会党员花名册']);
    ws.mergeCells('A1:F1');
    ws.addRow(['填报日期：2026年11月']);
    ws.addRow(['序号', '姓名', '公民身份号码', '所在党支部', '党员类别', '入党时间', '转正时间']);
    let id = newId('19851111');
    while (!id.endsWith('X')) id = newId('19851111');
    const wide = id.slice(0, 17).replace(/\d/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
    ws.addRow([
      1,
      '花名',
      ` ${wide.slice(0, 6)} ${wide.slice(6)}x `,
      '中共甲二村支部委员会',
      '正式党员',
      '1985年6月12日'.replace('1985', '2008'),
      '2009.06.12',
    ]);
    const res = await upload(wb);
    expect(res.errors).toEqual([]);
    expect(res).toMatchObject({ ok: true, created: 1 });
  });

  it('an ID that Excel turned into a number gets a message that says so', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('名册');
    ws.addRow(['姓名', '身份证号', '所在党支部', '党员类别', '入党时间', '转正时间']);
    const id = newId('19700707');
    ws.addRow(['数字', Number(id.slice(0, 15)) * 1000, '中共甲二村支部委员会', '正式党员', '2000-07-01', '2001-07-01']);
    const res = await upload(wb);
    expect(res.ok).toBe(false);
    expect(res.errors).toEqual([{ row: 2, column: '公民身份号码', message: expect.stringContaining('数字格式') }]);
  });
});

describe("a township's own roster, as the first users brought it (issue 7 §1)", () => {
  it('imports as it is: no 党员类别 column, dates as 1985.06.12 or 1985年6月12日, 高中 / 大专 / 汉 / 农民', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('花名册');
    ws.addRow(['中共甲二村支部委员会党员花名册']);
    ws.addRow([
      '序号',
      '姓名',
      '性别',
      '民族',
      '出生年月',
      '公民身份号码',
      '学历',
      '入党时间',
      '转正时间',
      '所在党支部',
      '联系电话',
      '家庭住址',
      '人员类别',
      '备注',
    ]);
    const today = new Date();
    const recent = `${today.getUTCFullYear() - 1}年${today.getUTCMonth() + 1}月1日`;
    ws.addRow([
      1,
      '张老',
      '男',
      '汉',
      '1960.03',
      newId('19600303'),
      '高中',
      '1985.06.12',
      '1986.06.12',
      '中共甲二村支部委员会',
      '13700000001',
      '甲二村',
      '农民',
      '',
    ]);
    ws.addRow([
      2,
      '李新',
      '女',
      '回',
      '1995.05',
      newId('19950505', false),
      '大专',
      recent,
      '',
      '中共甲二村支部委员会',
      '',
      '',
      '学生',
      '预备期',
    ]);
    const res = await upload(wb);
    expect(res.errors).toEqual([]);
    expect(res).toMatchObject({ ok: true, created: 2 });
    const done = await upload(wb, false);
    expect(done.ok).toBe(true);
    const rows = await t.database.db.execute<{
      name: string;
      standing: string;
      education: string;
      ethnicity: string;
      person_category: string;
      join_date: string;
    }>(
      sql`select name, standing, education, ethnicity, person_category, join_date from members where name in ('张老', '李新') order by name`,
    );
    expect(rows.rows).toEqual(
      [
        {
          name: '张老',
          standing: 'full',
          education: '61',
          ethnicity: '01',
          person_category: '2',
          join_date: '1985-06-12',
        },
        {
          name: '李新',
          standing: 'probationary',
          education: '31',
          ethnicity: '03',
          person_category: '4',
          join_date: expect.stringMatching(/^\d{4}-\d{2}-01$/),
        },
      ].sort((a, b) => a.name.localeCompare(b.name)),
    );
  });

  it('takes a member who joined decades ago as a full member (issue 18 §1), and names the allowed values of an unknown one', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('名册');
    ws.addRow(['姓名', '公民身份号码', '所在党支部', '入党时间', '学历']);
    ws.addRow(['老王', newId('19550505'), '中共甲二村支部委员会', '1980-07-01', '私塾']);
    const res = await upload(wb);
    expect(res.ok).toBe(false);
    const byColumn = Object.fromEntries(
      res.errors.map((e: { column: string; message: string }) => [e.column, e.message]),
    );
    expect(byColumn.党员类别).toBeUndefined();
    expect(res.warnings).toEqual([{ row: 2, column: '转正日期', message: expect.stringContaining('补录') }]);
    expect(byColumn.学历).toMatch(/对照.*改填：.*普通高中/);
  });
});
