/**
 * Rosters as offices keep them (issue 18 §1): members who joined long ago without a 转正日期, one bad
 * row among good ones, branches written by their common names, month-only dates, and the export
 * imported back.
 */
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditSentence } from '../../contract/audit-text.ts';
import { multipart, newId, ORIGIN, rosterWorkbook, setup, type TestCtx, uploadRoster } from './harness.ts';

let t: TestCtx;
let admin: string;
beforeAll(async () => {
  t = await setup();
  admin = await t.login('admin');
});
afterAll(async () => t?.close());

const A1 = '中共甲一村支部委员会';
const memberBy = async (idNumber: string) =>
  (await t.database.db.execute<{ id: string; standing: string; full_date: string | null; join_date: string; org_id: string }>(
    sql`select id, standing, full_date, join_date, org_id from members where id_bidx = ${t.deps.crypto.blindIndex('id', idNumber)}`,
  )).rows[0];

describe('members who joined long ago', () => {
  it('takes a member who joined longer ago than the longest probation as a full member, with a warning to complete the 转正日期', async () => {
    const old = newId('19500101');
    const recent = newId('19990101');
    const file = await rosterWorkbook(
      [
        ['老党员', old, A1, '1975-07-01', ''],
        ['新党员', recent, A1, '2026-01-01', ''],
      ],
      ['姓名', '身份证号', '所在党支部', '入党时间', '转正时间'],
    );
    const dry = await uploadRoster(t, admin, file, true);
    expect(dry.status, JSON.stringify(dry.json.errors)).toBe(200);
    expect(dry.json).toMatchObject({ ok: true, created: 2, errors: [] });
    expect(dry.json.warnings).toEqual([{ row: 2, column: '转正日期', message: expect.stringContaining('补录') }]);
    const res = await uploadRoster(t, admin, file, false);
    expect(res.json).toMatchObject({ ok: true, created: 2 });
    expect(await memberBy(old)).toMatchObject({ standing: 'full', full_date: null });
    expect(await memberBy(recent)).toMatchObject({ standing: 'probationary' });
  });
});

describe('one bad row among good ones', () => {
  const HEADER = ['姓名', '身份证号', '所在党支部', '党员类别', '入党时间', '转正时间'];
  const good = [newId('19810101'), newId('19820202')];
  const rows = [
    ['好一', good[0], A1, '正式党员', '2001-07-01', '2002-07-01'],
    ['坏二', '41022519800101123', A1, '正式党员', '2001-07-01', '2002-07-01'],
    ['好三', good[1], A1, '正式党员', '2001-07-01', '2002-07-01'],
  ];
  const post = async (file: Buffer, query: string) => {
    const mp = multipart(file);
    return t.app.inject({ method: 'POST', url: `/api/members/import${query}`, headers: { cookie: admin, origin: ORIGIN, host: 'localhost:80', 'content-type': mp.type }, payload: mp.body });
  };

  it('by default imports nothing and says how many rows are without errors', async () => {
    const res = await uploadRoster(t, admin, await rosterWorkbook(rows, HEADER), false);
    expect(res.status).toBe(422);
    expect(res.json).toMatchObject({ ok: false, created: 0, validRows: 2 });
    expect(res.json.errors).toEqual([{ row: 3, column: '公民身份号码', message: expect.any(String) }]);
    expect(await memberBy(good[0])).toBeUndefined();
  });

  it('with skipInvalid=true imports the valid rows, answers the others as skipped, and audits how many were skipped', async () => {
    const file = await rosterWorkbook(rows, HEADER);
    const dry = (await post(file, '?dryRun=true&skipInvalid=true')).json();
    expect(dry).toMatchObject({ ok: true, dryRun: true, created: 2, updated: 0, errors: [] });
    expect(await memberBy(good[0])).toBeUndefined();
    const res = await post(file, '?skipInvalid=true');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ok: true, created: 2, updated: 0, errors: [], skipped: [{ row: 3, column: '公民身份号码', message: expect.any(String) }] });
    expect(await memberBy(good[0])).toBeDefined();
    expect(await memberBy(good[1])).toBeDefined();
    const audit = await t.database.db.execute<{ action: string; result: string; object_type: string; detail: Record<string, unknown> }>(
      sql`select action, result, object_type, detail from audit_log where action = 'member.import' and result = 'ok' order by seq desc limit 1`,
    );
    const e = audit.rows[0];
    expect(e.detail.skipped).toBe(1);
    expect(auditSentence({ action: e.action, result: e.result, objectType: e.object_type, detail: e.detail })).toContain('跳过有误的 1 行');
  });

  it('refuses skipInvalid when no row is without errors, with IMPORT-style errors and nothing written', async () => {
    const res = await post(await rosterWorkbook([rows[1]], HEADER), '?skipInvalid=true');
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ ok: false, created: 0, validRows: 0 });
  });

  it('gives the rows left out as an .xlsx with what is wrong, which imports once corrected', async () => {
    const res = await post(await rosterWorkbook(rows, HEADER), '/rejected');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    expect(header[0]).toBe('未导入的原因');
    expect(header).toContain('公民身份号码');
    expect(header.at(-1)).toBe('原文件行号');
    expect(ws.rowCount).toBe(2);
    const cell = (h: string) => ws.getRow(2).getCell(header.indexOf(h) + 1);
    expect(String(cell('未导入的原因').value)).toContain('公民身份号码');
    expect(cell('姓名').value).toBe('坏二');
    expect(cell('原文件行号').value).toBe(3);
    // Corrected and imported again: the added columns are not asked about.
    const fixed = newId('19830303');
    cell('公民身份号码').value = fixed;
    const again = await uploadRoster(t, admin, Buffer.from(await wb.xlsx.writeBuffer()), false);
    expect(again.json.errors).toEqual([]);
    expect(again.json).toMatchObject({ ok: true, created: 1, unknownHeaders: [] });
    expect(await memberBy(fixed)).toBeDefined();
    const audit = await t.database.db.execute<{ detail: { rows: number } }>(sql`select detail from audit_log where action = 'member.import.rejected'`);
    expect(audit.rows.map((r) => r.detail.rows)).toEqual([1]);
  });

  it('refuses a file with no row to report (a missing column) with IMPORT_INVALID', async () => {
    const res = await post(await rosterWorkbook([['某人', newId('19840404')]], ['姓名', '身份证号']), '/rejected');
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('IMPORT_INVALID');
  });
});
