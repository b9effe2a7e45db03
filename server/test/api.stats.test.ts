/** Member statistics (党内统计 tables) for a subtree: counts that match the data, scope, and the xlsx export. */
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestCtx } from './harness.ts';

let t: TestCtx;
beforeAll(async () => {
  t = await setup();
});
afterAll(async () => t?.close());

type Table = { table: string; rows: { key: string; label: string; count: number; share: number }[] };
const counts = (tables: Table[], name: string) =>
  Object.fromEntries(
    (tables.find((x) => x.table === name)?.rows ?? []).filter((r) => r.count).map((r) => [r.label, r.count]),
  );

describe('GET /api/stats', () => {
  it('counts the county by standing, sex, age band, field and join period, every table adding up to the total', async () => {
    const admin = await t.login('admin');
    // Known ages: pin the clock to a date the fixtures' birthdays are easy against.
    const res = await t.req('GET', '/api/stats', { cookie: admin });
    expect(res.status).toBe(200);
    expect(res.json.total).toBe(6);
    expect(counts(res.json.tables, 'standing')).toEqual({ 正式党员: 5, 预备党员: 1 });
    expect(counts(res.json.tables, 'sex')).toEqual({ 男: 4, 女: 2 });
    expect(counts(res.json.tables, 'field')).toEqual({ 农村: 5, 机关: 1 });
    expect(counts(res.json.tables, 'joinPeriod')).toEqual({
      '2002 年 11 月至 2012 年 10 月': 5,
      '2012 年 11 月以后': 1,
    });
    for (const table of res.json.tables as Table[]) {
      expect(
        table.rows.reduce((s, r) => s + r.count, 0),
        table.table,
      ).toBe(6);
    }
    // Ages from the same birth dates the database holds, computed here independently.
    const born = await t.database.db.execute<{ birth_date: string }>(sql`select birth_date from members`);
    const today = res.json.asOf as string;
    const ageOf = (b: string) =>
      Number(today.slice(0, 4)) - Number(b.slice(0, 4)) - (today.slice(5) < b.slice(5) ? 1 : 0);
    const band = (a: number) =>
      a <= 25
        ? '25 岁及以下'
        : a > 80
          ? '81 岁及以上'
          : a > 60
            ? a <= 70
              ? '61–70 岁'
              : '71–80 岁'
            : `${Math.floor((a - 1) / 5) * 5 + 1}–${Math.floor((a - 1) / 5) * 5 + 5} 岁`;
    const want: Record<string, number> = {};
    for (const r of born.rows) want[band(ageOf(r.birth_date))] = (want[band(ageOf(r.birth_date))] ?? 0) + 1;
    expect(counts(res.json.tables, 'age')).toEqual(want);
  });

  it('stays inside the scope: a township sees its own subtree, another township answers 404', async () => {
    const orga = await t.login('orga');
    const own = await t.req('GET', '/api/stats', { cookie: orga });
    expect(own.json.total).toBe(4);
    expect(own.json.orgName).toBe('中共甲镇委员会');
    const other = await t.req('GET', `/api/stats?orgId=${t.fx.townB}`, { cookie: orga });
    expect(other.status).toBe(404);
    expect(other.json.code).toBe('NOT_FOUND');
    const auditor = await t.login('auditor');
    expect((await t.req('GET', '/api/stats', { cookie: auditor })).json.code).toBe('FORBIDDEN');
  });

  it('exports every table as a sheet with a title row and a total, and audits the export', async () => {
    const leader = await t.login('leader');
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/stats/export?orgId=${t.fx.townA}`,
      headers: { cookie: leader, host: 'localhost:80' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain(encodeURIComponent('中共甲镇委员会'));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      '按党员类别',
      '按性别',
      '按年龄段',
      '按学历',
      '按民族',
      '按所在领域',
      '按入党时间',
    ]);
    const sex = wb.getWorksheet('按性别');
    expect(String(sex?.getCell('A1').value)).toContain('中共甲镇委员会');
    const rows = sex?.getSheetValues().slice(3) as unknown[][];
    expect(rows.map((r) => [r[1], r[2]])).toEqual([
      ['男', 3],
      ['女', 1],
      ['合计', 4],
    ]);
    const one = await t.app.inject({
      method: 'GET',
      url: '/api/stats/export?table=age',
      headers: { cookie: leader, host: 'localhost:80' },
    });
    const wb1 = new ExcelJS.Workbook();
    await wb1.xlsx.load(one.rawPayload as unknown as ArrayBuffer);
    expect(wb1.worksheets.map((w) => w.name)).toEqual(['按年龄段']);
    const a = await t.database.db.execute<{ n: number }>(
      sql`select count(*)::int as n from audit_log where action = 'stats.export' and username = 'leader'`,
    );
    expect(a.rows[0].n).toBe(2);
  });
});
