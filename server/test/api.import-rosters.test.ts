/**
 * Rosters as offices keep them (issue 18 §1): members who joined long ago without a 转正日期, one bad
 * row among good ones, branches written by their common names, month-only dates, and the export
 * imported back.
 */
import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditSentence } from '../../contract/audit-text.ts';
import { COUNTY, multipart, newId, ORIGIN, rosterWorkbook, setup, type TestCtx, uploadRoster } from './harness.ts';

let t: TestCtx;
let admin: string;
beforeAll(async () => {
  t = await setup();
  admin = await t.login('admin');
});
afterAll(async () => t?.close());

const A1 = '中共甲一村支部委员会';
const memberBy = async (idNumber: string) =>
  (
    await t.database.db.execute<{
      id: string;
      standing: string;
      full_date: string | null;
      join_date: string;
      org_id: string;
    }>(
      sql`select id, standing, full_date, join_date, org_id from members where id_bidx = ${t.deps.crypto.blindIndex('id', idNumber)}`,
    )
  ).rows[0];

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
    return t.app.inject({
      method: 'POST',
      url: `/api/members/import${query}`,
      headers: { cookie: admin, origin: ORIGIN, host: 'localhost:80', 'content-type': mp.type },
      payload: mp.body,
    });
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
    expect(res.json()).toMatchObject({
      ok: true,
      created: 2,
      updated: 0,
      errors: [],
      skipped: [{ row: 3, column: '公民身份号码', message: expect.any(String) }],
    });
    expect(await memberBy(good[0])).toBeDefined();
    expect(await memberBy(good[1])).toBeDefined();
    const audit = await t.database.db.execute<{
      action: string;
      result: string;
      object_type: string;
      detail: Record<string, unknown>;
    }>(
      sql`select action, result, object_type, detail from audit_log where action = 'member.import' and result = 'ok' order by seq desc limit 1`,
    );
    const e = audit.rows[0];
    expect(e.detail.skipped).toBe(1);
    expect(
      auditSentence({ action: e.action, result: e.result, objectType: e.object_type, detail: e.detail }),
    ).toContain('跳过有误的 1 行');
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
    const audit = await t.database.db.execute<{ detail: { rows: number } }>(
      sql`select detail from audit_log where action = 'member.import.rejected'`,
    );
    expect(audit.rows.map((r) => r.detail.rows)).toEqual([1]);
  });

  it('refuses a file with no row to report (a missing column) with IMPORT_INVALID', async () => {
    const res = await post(await rosterWorkbook([['某人', newId('19840404')]], ['姓名', '身份证号']), '/rejected');
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('IMPORT_INVALID');
  });
});

describe('branch names as offices write them', () => {
  const HEADER = ['姓名', '身份证号', '所在党支部', '党员类别', '入党时间', '转正时间'];
  const addBranch = async (parent: string, name: string, shortName: string | null) => {
    const p = (
      await t.database.db.execute<{ path: string; depth: number }>(
        sql`select path, depth from orgs where id = ${parent}`,
      )
    ).rows[0];
    const id = crypto.randomUUID();
    await t.database.db.execute(sql`insert into orgs (id, county_code, parent_id, path, depth, name, short_name, name_pinyin, kind, field, term_years)
      values (${id}, ${COUNTY}, ${parent}, ${`${p.path}${id}/`}, ${p.depth + 1}, ${name}, ${shortName}, 'x', 'branch', 'rural', 5)`);
    return id;
  };
  let chengA: string;
  let chengB: string;
  beforeAll(async () => {
    chengA = await addBranch(t.fx.townA, '中共甲镇程庄村支部委员会', null);
    chengB = await addBranch(t.fx.townB, '中共乙镇程庄村支部委员会', null);
  });

  it('matches 甲一村党支部, 甲一村支部 and 甲一村 to 中共甲一村支部委员会', async () => {
    const ids = [newId('19710101'), newId('19720202'), newId('19730303')];
    const file = await rosterWorkbook(
      [
        ['简一', ids[0], '甲一村党支部', '正式党员', '2001-07-01', '2002-07-01'],
        ['简二', ids[1], '甲一村支部', '正式党员', '2001-07-01', '2002-07-01'],
        ['简三', ids[2], '甲镇甲一村党支部', '正式党员', '2001-07-01', '2002-07-01'],
      ],
      HEADER,
    );
    const res = await uploadRoster(t, admin, file, false);
    expect(res.json.errors).toEqual([]);
    expect(res.json).toMatchObject({ ok: true, created: 3 });
    for (const id of ids) expect((await memberBy(id)).org_id).toBe(t.fx.villageA1);
  });

  it('asks once which 程庄村 is meant when two match, and remembers the answer for the county', async () => {
    const ids = [newId('19740404'), newId('19750505')];
    const rows = [
      ['程一', ids[0], '程庄村党支部', '正式党员', '2001-07-01', '2002-07-01'],
      ['程二', ids[1], '程庄村党支部', '正式党员', '2001-07-01', '2002-07-01'],
    ];
    const first = await uploadRoster(t, admin, await rosterWorkbook(rows, HEADER), true);
    expect(first.status).toBe(422);
    expect(first.json.errors.map((e: { column: string }) => e.column)).toEqual(['所在党组织', '所在党组织']);
    const asked = first.json.unknownValues.filter((u: { field: string }) => u.field === 'org');
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatchObject({ value: '程庄村党支部', count: 2, rows: [2, 3] });
    expect(asked[0].allowed.map((a: { code: string }) => a.code).sort()).toEqual([chengA, chengB].sort());
    expect(asked[0].allowed.find((a: { code: string }) => a.code === chengB).label).toContain('乙镇');

    // An answer outside the scope, or not an organization, is refused.
    const wrong = await postWithMapping(await rosterWorkbook(rows, HEADER), {
      values: { org: { 程庄村党支部: t.fx.county } },
    });
    expect(wrong.status).toBe(422);
    expect(wrong.json.errors[0].message).toContain('不在您的管辖范围内');

    const res = await postWithMapping(
      await rosterWorkbook(rows, HEADER),
      { values: { org: { 程庄村党支部: chengB } } },
      false,
    );
    expect(res.json).toMatchObject({ ok: true, created: 2 });
    for (const id of ids) expect((await memberBy(id)).org_id).toBe(chengB);
    // The next roster of that office imports without asking.
    const next = await uploadRoster(
      t,
      admin,
      await rosterWorkbook(
        [['程三', newId('19760606'), '程庄村党支部', '正式党员', '2001-07-01', '2002-07-01']],
        HEADER,
      ),
      true,
    );
    expect(next.json.errors).toEqual([]);
    expect(next.json.unknownValues).toEqual([]);
  });
});

/** POST with the wizard's answers in the multipart field `mapping`, before the file. */
async function postWithMapping(file: Buffer, mapping: unknown, dryRun = true) {
  const boundary = `----dj${crypto.randomBytes(8).toString('hex')}`;
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="mapping"\r\n\r\n${JSON.stringify(mapping)}\r\n`,
    ),
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="r.xlsx"\r\nContent-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/members/import?dryRun=${dryRun}`,
    headers: {
      cookie: admin,
      origin: ORIGIN,
      host: 'localhost:80',
      'content-type': `multipart/form-data; boundary=${boundary}`,
    },
    payload: body,
  });
  return { status: res.statusCode, json: res.json() };
}

describe('the export imported back', () => {
  const exportBook = async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/members/export?reason=${encodeURIComponent('核对')}&unmasked=true&orgId=${t.fx.villageA2}`,
      headers: { cookie: admin, host: 'localhost:80' },
    });
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    return wb;
  };

  it('writes 序号, dates as Excel dates and ages as numbers', async () => {
    const ws = (await exportBook()).worksheets[0];
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    expect(header[0]).toBe('序号');
    const cell = (h: string) => ws.getRow(2).getCell(header.indexOf(h) + 1);
    expect(cell('序号').value).toBe(1);
    expect(cell('姓名').value).toBe('李四');
    expect(cell('入党日期').value).toBeInstanceOf(Date);
    expect((cell('入党日期').value as Date).toISOString().slice(0, 10)).toBe('2010-07-01');
    expect(cell('入党日期').numFmt).toBe('yyyy-mm-dd');
    expect(cell('出生日期').value).toBeInstanceOf(Date);
    expect(typeof cell('年龄').value).toBe('number');
    expect(header).toContain('失联');
  });

  it('recognises every column it writes (失联 included) and shows what changes for each updated member, field by field', async () => {
    const wb = await exportBook();
    const ws = wb.worksheets[0];
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    const unchanged = await uploadRoster(t, admin, Buffer.from(await wb.xlsx.writeBuffer()), true);
    expect(unchanged.json.unknownHeaders).toEqual([]);
    expect(unchanged.json).toMatchObject({ ok: true, created: 0, updated: 0, changes: [] });
    const cell = (h: string) => ws.getRow(2).getCell(header.indexOf(h) + 1);
    cell('失联').value = '是';
    cell('联系电话').value = '13700001111';
    cell('学历').value = '大学本科';
    const file = Buffer.from(await wb.xlsx.writeBuffer());
    const dry = await uploadRoster(t, admin, file, true);
    expect(dry.json).toMatchObject({ ok: true, updated: 1 });
    expect(dry.json.changes).toEqual([
      {
        row: 2,
        name: '李四',
        fields: [
          { column: '联系电话', from: '139****5678', to: '137****1111' },
          { column: '学历', from: '（空）', to: '大学本科' },
          { column: '失联', from: '否', to: '是' },
        ],
      },
    ]);
    await uploadRoster(t, admin, file, false);
    const row = (
      await t.database.db.execute<{ lost_contact: boolean }>(
        sql`select lost_contact from members where id = ${t.fx.members.李四}`,
      )
    ).rows[0];
    expect(row.lost_contact).toBe(true);
  });
});

describe('month-only dates', () => {
  const HEADER = ['姓名', '身份证号', '所在党支部', '入党时间', '转正时间', '出生年月'];
  const ids = [newId('19800115'), newId('19810215'), newId('19820315')];

  it('accepts a month-only 入党时间 and 出生年月, keeps the month precision, and shows it as 2012年07月', async () => {
    const file = await rosterWorkbook(
      [
        ['月一', ids[0], A1, '2012.07', '2013-07-01', '1980.01'],
        ['月二', ids[1], A1, '2012年7月', '2013-07-01', '1981年2月'],
        ['月三', ids[2], A1, '2012-07', '2013-07-01', '1982-03'],
      ],
      HEADER,
    );
    const res = await uploadRoster(t, admin, file, false);
    expect(res.json.errors).toEqual([]);
    expect(res.json).toMatchObject({ ok: true, created: 3, warnings: [] });
    for (const id of ids) {
      const m = await memberBy(id);
      expect(m.join_date).toBe('2012-07-01');
      const view = await t.req('GET', `/api/members/${m.id}`, { cookie: admin });
      expect(view.json).toMatchObject({ joinDate: '2012-07-01', joinDatePrecision: 'month' });
    }
    // Imported again as it is: nothing changes, the month stays a month.
    const again = await uploadRoster(t, admin, file, true);
    expect(again.json).toMatchObject({ ok: true, updated: 0, unchanged: 3 });
  });

  it('exports a month as 2012年07月 and imports it back as a month', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/members/export?reason=${encodeURIComponent('核对')}&unmasked=true&orgId=${t.fx.villageA1}`,
      headers: { cookie: admin, host: 'localhost:80' },
    });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    let row = 0;
    ws.eachRow((r, n) => {
      if (r.getCell(header.indexOf('姓名') + 1).value === '月一') row = n;
    });
    expect(ws.getRow(row).getCell(header.indexOf('入党日期') + 1).numFmt).toBe('yyyy"年"mm"月"');
    const back = await uploadRoster(t, admin, Buffer.from(await wb.xlsx.writeBuffer()), true);
    expect(back.json.errors).toEqual([]);
    expect(back.json).toMatchObject({ ok: true, updated: 0 });
  });

  it('reads a year and month typed into a number cell, and refuses 2012.1, which Excel also keeps for 2012.10', async () => {
    const [one, two, three] = [newId('19860101'), newId('19870101'), newId('19880101')];
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('名册');
    ws.addRow(HEADER);
    // Typed as 2012.07 into a General cell: the number 2012.07.
    ws.addRow(['数一', one, A1, 2012.07, '2014-07-01', '']);
    // Typed as 2012.10: Excel keeps 2012.1, as for 2012.1 (January).
    ws.addRow(['数二', two, A1, 2012.1, '2014-07-01', '']);
    // The same number in a cell formatted with two decimals shows, and means, 2012.10.
    ws.addRow(['数三', three, A1, 2012.1, '2014-07-01', '']);
    ws.getRow(4).getCell(4).numFmt = '0.00';
    const file = Buffer.from(await wb.xlsx.writeBuffer());
    const res = await uploadRoster(t, admin, file, true);
    expect(res.status).toBe(422);
    expect(res.json.errors).toEqual([
      { row: 3, column: '入党日期', message: expect.stringMatching(/数字格式.*分不清是1月还是10月.*2012-10/) },
    ]);
    const mp = multipart(file);
    const skipped = await t.app.inject({
      method: 'POST',
      url: '/api/members/import?skipInvalid=true',
      headers: { cookie: admin, origin: ORIGIN, host: 'localhost:80', 'content-type': mp.type },
      payload: mp.body,
    });
    expect(skipped.json()).toMatchObject({ ok: true, created: 2 });
    expect((await memberBy(one)).join_date).toBe('2012-07-01');
    expect(await memberBy(two)).toBeUndefined();
    expect((await memberBy(three)).join_date).toBe('2012-10-01');
  });

  it('says which forms work when a date is not one, and that a 转正日期 needs the day', async () => {
    const file = await rosterWorkbook(
      [
        ['错一', newId('19830101'), A1, '2012.13', '', ''],
        ['错二', newId('19840101'), A1, '2012-07-01', '2013.07', ''],
        ['错三', newId('19850101'), A1, '2012-07-01', '2013-07-01', '1980年1月'],
      ],
      HEADER,
    );
    const res = await uploadRoster(t, admin, file, true);
    expect(res.status).toBe(422);
    const byRow = Object.fromEntries(
      res.json.errors.map((e: { row: number; column: string; message: string }) => [e.row, e]),
    );
    expect(byRow[2]).toMatchObject({ column: '入党日期', message: expect.stringContaining('2012年7月1日') });
    expect(byRow[2].message).toContain('只知道年月时可写：2012.07');
    expect(byRow[3]).toMatchObject({ column: '转正日期', message: expect.stringContaining('需写到日') });
    expect(byRow[3].message).toContain('2012-07-01');
    expect(byRow[4]).toBeUndefined();
    expect(res.json.warnings).toContainEqual({
      row: 4,
      column: '出生日期',
      message: expect.stringContaining('与身份证号码的出生日期（1985-01-01）不一致'),
    });
  });
});
