/**
 * Every workbook the platform writes, read back by its own import and scanned for formula-like text
 * (issue 15 items 7 and 9, SEC-20), and workbooks as other writers make them: inline or shared
 * strings, with or without styles, data descriptors, ZIP64, stored entries, byte-order marks. A file
 * problem is a Chinese 4xx with a code, never `INTERNAL`, and the log names its cause.
 */
import { Writable } from 'node:stream';
import zlib from 'node:zlib';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { runCounty } from '../modules/problems/engine.ts';
import { shanghaiDate } from '../platform/calendar.ts';
import { COUNTY, multipart, newId, ORIGIN, setup, type TestCtx, uploadRoster } from './harness.ts';

let t: TestCtx;
let admin: string;
let auditor: string;
let year: number;

/** Names a spreadsheet would evaluate once a user edits the cell. */
const EVIL_ORG = '=HYPERLINK("http://evil.example","支部")';
const EVIL_ORG_B = '@SUM(1+1)乙一村支部';
/** A member's name may hold only Chinese, letters and ·: the post and the address are free text. */
const EVIL_POST = '@委员';
const EVIL_ADDRESS = '-1+2 号楼';
const EVIL_TOPIC = '+1+1 学习会';
const FORMULA_START = /^[=+\-@\t\r]/;

beforeAll(async () => {
  t = await setup();
  admin = await t.login('admin');
  auditor = await t.login('auditor');
  year = Number(shanghaiDate(t.deps.now()).slice(0, 4));
  for (const [id, name] of [
    [t.fx.villageA1, EVIL_ORG],
    [t.fx.villageB1, EVIL_ORG_B],
  ]) {
    const res = await t.req('PATCH', `/api/orgs/${id}`, { cookie: admin, body: { name } });
    expect(res.status, res.body).toBe(200);
  }
  const member = await t.req('POST', '/api/members', {
    cookie: admin,
    body: {
      name: '公式',
      idNumber: newId('19880808'),
      orgId: t.fx.villageA1,
      standing: 'full',
      joinDate: '2012-07-01',
      fullDate: '2013-07-01',
      post: EVIL_POST,
      address: EVIL_ADDRESS,
    },
  });
  expect(member.status, member.body).toBe(201);
  await t.database.db.execute(sql`insert into meetings (county_code, org_id, kind, starts_at, held_on, valid, topic, place, chair_name)
    values (${COUNTY}, ${t.fx.villageA1}, 'partyLecture', ${`${year}-03-05T09:00:00+08:00`}, ${`${year}-03-05`}, true, ${EVIL_TOPIC}, '-会议室', '=张三')`);
  await runCounty(t.database.db, t.deps, COUNTY, 'full', { from: `${year}-01-01` });
});
afterAll(async () => t?.close());

async function download(url: string, cookie = admin): Promise<Buffer> {
  const res = await t.app.inject({ method: 'GET', url, headers: { cookie, host: 'localhost:80' } });
  expect(res.statusCode, `${url}: ${res.body.slice(0, 300)}`).toBe(200);
  return res.rawPayload;
}

/** A dry-run import; the hourly import limit is reset first (this suite imports many files). */
async function importFile(file: Buffer): Promise<{ status: number; json: any }> {
  await t.database.db.execute(sql`delete from rate_limits where key like 'import:%'`);
  return uploadRoster(t, admin, file, true);
}

/** Every workbook the platform writes, as it sends it. */
async function platformWorkbooks(): Promise<Record<string, Buffer>> {
  const reason = encodeURIComponent('往返测试');
  await t.database.db.execute(sql`delete from rate_limits where key like 'export:%' or key like 'problems-export:%'`);
  const bulk = await t.req('POST', '/api/users/bulk', {
    cookie: admin,
    body: { orgId: t.fx.county, role: 'branchSecretary' },
  });
  expect(bulk.status, bulk.body).toBe(200);
  return {
    template: await download('/api/members/import/template'),
    exportUnmasked: await download(`/api/members/export?reason=${reason}&unmasked=true`),
    exportMasked: await download(`/api/members/export?reason=${reason}`),
    stats: await download(`/api/stats/export?orgId=${t.fx.villageA1}`),
    statsOne: await download(`/api/stats/export?orgId=${t.fx.villageA1}&table=age`),
    ledger: await download(`/api/meetings/ledger?orgId=${t.fx.villageA1}&year=${year}&format=xlsx`),
    problems: await download(`/api/problems/export?orgId=${t.fx.county}`),
    accounts: Buffer.from(bulk.json.sheet, 'base64'),
    audit: await download(`/api/audit/export?reason=${reason}`, auditor),
  };
}

/** Written once for the suite (the accounts sheet can be made only once). */
let books: Promise<Record<string, Buffer>> | undefined;
function books_(): Promise<Record<string, Buffer>> {
  books ??= platformWorkbooks();
  return books;
}

/** Sheet names and the text of every cell, by sheet (formulas reported as such). */
async function textsOf(
  file: Buffer,
): Promise<{ sheets: string[]; cells: { at: string; text: string }[]; formulas: string[] }> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(file as unknown as ArrayBuffer);
  const cells: { at: string; text: string }[] = [];
  const formulas: string[] = [];
  for (const ws of wb.worksheets) {
    ws.eachRow((row) =>
      row.eachCell((cell) => {
        const v = cell.value;
        const at = `${ws.name}!${cell.address}`;
        if (typeof v === 'string') cells.push({ at, text: v });
        else if (v && typeof v === 'object' && 'richText' in v)
          cells.push({ at, text: v.richText.map((r) => r.text).join('') });
        else if (v && typeof v === 'object' && ('formula' in v || 'sharedFormula' in v)) formulas.push(at);
      }),
    );
  }
  return { sheets: wb.worksheets.map((w) => w.name), cells, formulas };
}

describe('every workbook the platform writes, after names that look like formulas were set (SEC-20)', () => {
  it('has no cell, title or sheet name that starts with = + - @ (or a tab or CR), and no formula cells', async () => {
    const found: string[] = [];
    for (const [kind, file] of Object.entries(await books_())) {
      const { sheets, cells, formulas } = await textsOf(file);
      for (const s of sheets) if (FORMULA_START.test(s)) found.push(`${kind}: sheet name ${s}`);
      for (const c of cells) if (FORMULA_START.test(c.text)) found.push(`${kind}: ${c.at} ${JSON.stringify(c.text)}`);
      for (const f of formulas) found.push(`${kind}: formula at ${f}`);
    }
    expect(found).toEqual([]);
  });

  it('still shows the names, neutralised with a leading apostrophe, where each workbook names them', async () => {
    const b = await books_();
    const has = async (kind: string, text: string) => {
      const { cells } = await textsOf(b[kind]);
      return cells.some((c) => c.text.includes(`'${text}`));
    };
    // The statistics title begins with the organization's name (the reported case).
    const stats = await textsOf(b.stats);
    expect(stats.cells.find((c) => c.at.endsWith('!A1'))?.text).toBe(
      `'${EVIL_ORG}党员统计（按党员类别，截至 ${shanghaiDate(t.deps.now())}）`,
    );
    expect(await has('ledger', EVIL_ORG)).toBe(true);
    expect(await has('ledger', EVIL_TOPIC)).toBe(true);
    expect(await has('template', EVIL_ORG)).toBe(true);
    expect(await has('exportUnmasked', EVIL_POST)).toBe(true);
    expect(await has('exportUnmasked', EVIL_ADDRESS)).toBe(true);
    expect(await has('exportUnmasked', EVIL_ORG)).toBe(true);
    expect(await has('accounts', EVIL_ORG_B)).toBe(true);
    expect(await has('problems', EVIL_ORG)).toBe(true);
    // Numbers stay numbers.
    const ws = new ExcelJS.Workbook();
    await ws.xlsx.load(b.stats as unknown as ArrayBuffer);
    expect(typeof ws.worksheets[0].getCell('B3').value).toBe('number');
  });
});

describe('every workbook the platform writes, uploaded to the member import (issue 15 item 9)', () => {
  it('the full export imports back unchanged, formula-like names included', async () => {
    const before = (await t.database.db.execute<{ n: number }>(sql`select count(*)::int as n from members`)).rows[0].n;
    const res = await importFile((await books_()).exportUnmasked);
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json).toMatchObject({ ok: true, dryRun: true, errors: [], created: 0, updated: 0, unchanged: before });
  });

  it('the masked export and the empty template are read and answered with a row report', async () => {
    const masked = await importFile((await books_()).exportMasked);
    expect(masked.status, JSON.stringify(masked.json)).toBe(422);
    expect(masked.json.ok).toBe(false);
    expect(masked.json.errors[0].message).toMatch(/已脱敏/);
    const template = await importFile((await books_()).template);
    expect(template.status, JSON.stringify(template.json)).toBe(422);
    expect(template.json.errors).toEqual([{ row: 2, column: '', message: '文件中没有党员数据' }]);
  });

  it('the template filled in imports, with an organization picked from its list', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await books_()).template as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('党员名册');
    if (!ws) throw new Error('sheet 党员名册');
    const listed = wb
      .getWorksheet('党组织列表')
      ?.getColumn(2)
      .values.find((v) => typeof v === 'string' && v.includes('HYPERLINK'));
    expect(listed).toBe(`'${EVIL_ORG}`);
    ws.getRow(2).values = ['周填', newId('19790909'), listed as string, '正式党员', '2001-07-01', '2002-07-01'];
    const res = await importFile(Buffer.from(await wb.xlsx.writeBuffer()));
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json).toMatchObject({ ok: true, created: 1 });
  });

  it.each([
    ['stats', '党员统计表'],
    ['statsOne', '党员统计表'],
    ['ledger', '三会一课台账'],
    ['problems', '问题清单'],
    ['accounts', '账号开通单'],
    ['audit', '审计日志'],
  ])('the %s workbook is not a roster, and the answer says so in Chinese', async (kind, label) => {
    const res = await importFile((await books_())[kind]);
    expect(res.status, JSON.stringify(res.json)).toBe(415);
    expect(res.json.code).toBe('UNSUPPORTED_FILE');
    expect(res.json.message).toContain(label);
    expect(res.json.message).toContain('不是党员名册');
  });
});

// ---------------------------------------------------------------------------------------------
// Workbooks from other writers

const ROSTER_HEADER = ['姓名', '公民身份号码', '所在党组织', '党员类别', '入党日期', '转正日期'];
const rosterRows = (name: string) => [
  ROSTER_HEADER,
  [name, newId('19770707'), '中共甲二村支部委员会', '正式党员', '2003-07-01', '2004-07-01'],
];

interface Part {
  name: string;
  data: Buffer;
}

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG = 'http://schemas.openxmlformats.org/package/2006/relationships';
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** The parts of a minimal .xlsx as a script writes it (openpyxl's order: the sheet first, the content types last). */
function xlsxParts(
  rows: string[][],
  opts: { shared?: boolean; styles?: boolean; bom?: boolean; noRowNumbers?: boolean } = {},
): Part[] {
  const strings: string[] = [];
  const cell = (v: string, c: number, r: number) => {
    // Cells keep their references: exceljs's reader needs them (a row's number is optional and the import counts rows itself).
    const ref = ` r="${String.fromCharCode(65 + c)}${r}"`;
    const style = opts.styles ? ' s="1"' : '';
    if (!opts.shared) return `<c${ref}${style} t="inlineStr"><is><t>${esc(v)}</t></is></c>`;
    strings.push(v);
    return `<c${ref}${style} t="s"><v>${strings.length - 1}</v></c>`;
  };
  const sheet = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="${MAIN}"><sheetData>${rows
    .map(
      (row, i) =>
        `<row${opts.noRowNumbers ? '' : ` r="${i + 1}"`}>${row.map((v, c) => cell(v, c, i + 1)).join('')}</row>`,
    )
    .join('')}</sheetData></worksheet>`;
  const xml = (s: string) =>
    Buffer.concat([opts.bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(s, 'utf8')]);
  const rels = [`<Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/>`];
  const types = [
    `<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>`,
    `<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
  ];
  const parts: Part[] = [{ name: 'xl/worksheets/sheet1.xml', data: xml(sheet) }];
  if (opts.shared) {
    parts.push({
      name: 'xl/sharedStrings.xml',
      data: xml(
        `<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="${MAIN}" count="${strings.length}" uniqueCount="${strings.length}">${strings.map((s) => `<si><t>${esc(s)}</t></si>`).join('')}</sst>`,
      ),
    });
    rels.push(`<Relationship Id="rId2" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/>`);
    types.push(
      `<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>`,
    );
  }
  if (opts.styles) {
    parts.push({
      name: 'xl/styles.xml',
      data: xml(
        `<?xml version="1.0" encoding="UTF-8"?>\n<styleSheet xmlns="${MAIN}"><numFmts count="1"><numFmt numFmtId="164" formatCode="@"/></numFmts><fonts count="1"><font><sz val="11"/><name val="宋体"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>`,
      ),
    });
    rels.push(`<Relationship Id="rId3" Type="${REL}/styles" Target="styles.xml"/>`);
    types.push(
      `<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>`,
    );
  }
  parts.push(
    {
      name: 'xl/workbook.xml',
      data: xml(
        `<?xml version="1.0" encoding="UTF-8"?>\n<workbook xmlns="${MAIN}" xmlns:r="${REL}"><sheets><sheet name="花名册" sheetId="1" r:id="rId1"/></sheets></workbook>`,
      ),
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data: xml(
        `<?xml version="1.0" encoding="UTF-8"?>\n<Relationships xmlns="${PKG}">${rels.join('')}</Relationships>`,
      ),
    },
    {
      name: '_rels/.rels',
      data: xml(
        `<?xml version="1.0" encoding="UTF-8"?>\n<Relationships xmlns="${PKG}"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
      ),
    },
    {
      name: '[Content_Types].xml',
      data: xml(
        `<?xml version="1.0" encoding="UTF-8"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>${types.join('')}</Types>`,
      ),
    },
  );
  return parts;
}

/**
 * A zip archive written by hand: deflated or stored; sizes in the local headers or after the data
 * (general-purpose bit 3, zeros in the local header, as streaming writers do); ZIP64 extra fields and
 * end records (as .NET and forced-ZIP64 writers do).
 */
function buildZip(parts: Part[], style: { method?: 0 | 8; descriptor?: boolean; zip64?: boolean } = {}): Buffer {
  const method = style.method ?? 8;
  const out: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  const push = (b: Buffer) => {
    out.push(b);
    offset += b.length;
  };
  const u64 = (...values: number[]) => {
    const b = Buffer.alloc(values.length * 8);
    values.forEach((v, i) => {
      b.writeBigUInt64LE(BigInt(v), i * 8);
    });
    return b;
  };
  const extra64 = (values: number[]) =>
    Buffer.concat([Buffer.from([0x01, 0x00, values.length * 8, 0x00]), u64(...values)]);
  for (const p of parts) {
    const name = Buffer.from(p.name, 'utf8');
    const body = method === 8 ? zlib.deflateRawSync(p.data) : p.data;
    const crc = zlib.crc32(p.data) >>> 0;
    const flags = 0x0800 | (style.descriptor ? 0x0008 : 0);
    const at = offset;
    const localExtra = style.zip64
      ? extra64(style.descriptor ? [0, 0] : [p.data.length, body.length])
      : Buffer.alloc(0);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(style.zip64 ? 45 : 20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    if (!style.descriptor) {
      local.writeUInt32LE(crc, 14);
      local.writeUInt32LE(style.zip64 ? 0xffffffff : body.length, 18);
      local.writeUInt32LE(style.zip64 ? 0xffffffff : p.data.length, 22);
    }
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(localExtra.length, 28);
    push(Buffer.concat([local, name, localExtra, body]));
    if (style.descriptor) {
      const d = Buffer.alloc(8);
      d.writeUInt32LE(0x08074b50, 0);
      d.writeUInt32LE(crc, 4);
      const sizes = style.zip64 ? u64(body.length, p.data.length) : Buffer.alloc(8);
      if (!style.zip64) {
        sizes.writeUInt32LE(body.length, 0);
        sizes.writeUInt32LE(p.data.length, 4);
      }
      push(Buffer.concat([d, sizes]));
    }
    const cdExtra = style.zip64 ? extra64([p.data.length, body.length, at]) : Buffer.alloc(0);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(style.zip64 ? 45 : 20, 4);
    c.writeUInt16LE(style.zip64 ? 45 : 20, 6);
    c.writeUInt16LE(flags, 8);
    c.writeUInt16LE(method, 10);
    c.writeUInt32LE(crc, 16);
    c.writeUInt32LE(style.zip64 ? 0xffffffff : body.length, 20);
    c.writeUInt32LE(style.zip64 ? 0xffffffff : p.data.length, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt16LE(cdExtra.length, 30);
    c.writeUInt32LE(style.zip64 ? 0xffffffff : at, 42);
    central.push(Buffer.concat([c, name, cdExtra]));
  }
  const cd = Buffer.concat(central);
  const cdOffset = offset;
  push(cd);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  if (style.zip64) {
    const record = Buffer.alloc(56);
    record.writeUInt32LE(0x06064b50, 0);
    record.writeBigUInt64LE(44n, 4);
    record.writeUInt16LE(45, 12);
    record.writeUInt16LE(45, 14);
    u64(parts.length, parts.length, cd.length, cdOffset).copy(record, 24);
    const recordAt = offset;
    push(record);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    locator.writeBigUInt64LE(BigInt(recordAt), 8);
    locator.writeUInt32LE(1, 16);
    push(locator);
    eocd.writeUInt16LE(0xffff, 8);
    eocd.writeUInt16LE(0xffff, 10);
    eocd.writeUInt32LE(0xffffffff, 12);
    eocd.writeUInt32LE(0xffffffff, 16);
  } else {
    eocd.writeUInt16LE(parts.length, 8);
    eocd.writeUInt16LE(parts.length, 10);
    eocd.writeUInt32LE(cd.length, 12);
    eocd.writeUInt32LE(cdOffset, 16);
  }
  push(eocd);
  return Buffer.concat(out);
}

/** exceljs's streaming writer, as the platform's exports use it, with the given options. */
async function streamed(
  rows: string[][],
  options: Partial<ExcelJS.stream.xlsx.WorkbookStreamWriterOptions>,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(chunk as Buffer);
      done();
    },
  });
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, ...options });
  const ws = wb.addWorksheet('名册');
  for (const r of rows) ws.addRow(r).commit();
  ws.commit();
  await wb.commit();
  return Buffer.concat(chunks);
}

describe('workbooks from other writers import (issue 15 item 9)', () => {
  const cases: [string, (name: string) => Promise<Buffer> | Buffer][] = [
    [
      'exceljs Workbook (shared strings, styles)',
      async (n) => {
        const wb = new ExcelJS.Workbook();
        const ws = wb.addWorksheet('名册');
        for (const r of rosterRows(n)) ws.addRow(r);
        return Buffer.from(await wb.xlsx.writeBuffer());
      },
    ],
    [
      'exceljs streaming writer, inline strings, no styles',
      (n) => streamed(rosterRows(n), { useSharedStrings: false, useStyles: false }),
    ],
    [
      'exceljs streaming writer, shared strings and styles',
      (n) => streamed(rosterRows(n), { useSharedStrings: true, useStyles: true }),
    ],
    [
      'exceljs streaming writer, ZIP64 forced',
      (n) => streamed(rosterRows(n), { useSharedStrings: false, zip: { forceZip64: true } }),
    ],
    [
      'exceljs streaming writer, entries stored',
      (n) => streamed(rosterRows(n), { useSharedStrings: false, zip: { store: true } }),
    ],
    ['a script: inline strings, no styles.xml', (n) => buildZip(xlsxParts(rosterRows(n)))],
    [
      'a script: shared strings, no styles.xml, entries stored',
      (n) => buildZip(xlsxParts(rosterRows(n), { shared: true }), { method: 0 }),
    ],
    [
      'a script: inline strings and styles, data descriptors',
      (n) => buildZip(xlsxParts(rosterRows(n), { styles: true }), { descriptor: true }),
    ],
    [
      'a script: shared strings, data descriptors, stored',
      (n) => buildZip(xlsxParts(rosterRows(n), { shared: true }), { descriptor: true, method: 0 }),
    ],
    [
      'a script: ZIP64 extra fields and end records',
      (n) => buildZip(xlsxParts(rosterRows(n), { shared: true, styles: true }), { zip64: true }),
    ],
    [
      'a script: ZIP64 with data descriptors',
      (n) => buildZip(xlsxParts(rosterRows(n)), { zip64: true, descriptor: true }),
    ],
    [
      'a generator: a byte-order mark before every XML part',
      (n) => buildZip(xlsxParts(rosterRows(n), { shared: true, styles: true, bom: true })),
    ],
  ];

  it.each(cases)('%s', async (label, make) => {
    const name = `外来${String.fromCharCode(0x4e00 + cases.findIndex((c) => c[0] === label))}`;
    const res = await importFile(await make(name));
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json).toMatchObject({ ok: true, dryRun: true, rows: 1, created: 1, errors: [] });
  });
});

describe('a file problem is a Chinese 4xx with a code, never INTERNAL (issue 15 item 9)', () => {
  const good = () => xlsxParts(rosterRows('坏文件'));
  const withPart = (name: string, data: Buffer) => good().map((p) => (p.name === name ? { ...p, data } : p));
  const corruptDeflate = () => {
    const zip = buildZip(good());
    // The sheet is the first entry: break its deflate stream after the local header and name.
    const at = 30 + 'xl/worksheets/sheet1.xml'.length;
    zip.fill(0xff, at, at + 8);
    return zip;
  };
  const cases: [string, () => Buffer, string][] = [
    ['a broken deflate stream', corruptDeflate, 'UNSUPPORTED_FILE'],
    [
      'a part that is not well-formed XML',
      () =>
        buildZip(
          withPart(
            'xl/worksheets/sheet1.xml',
            Buffer.from(
              `<worksheet xmlns="${MAIN}"><sheetData><row r="1"><c t="inlineStr"><is><t>姓名</t></is></c></sheetData>`,
            ),
          ),
        ),
      'UNSUPPORTED_FILE',
    ],
    [
      'a CRC that does not match',
      () => {
        const zip = buildZip(good(), { method: 0 });
        zip[30 + 'xl/worksheets/sheet1.xml'.length + 60] ^= 0x01;
        return zip;
      },
      'UNSUPPORTED_FILE',
    ],
    ['no workbook part', () => buildZip(good().filter((p) => p.name !== 'xl/workbook.xml')), 'UNSUPPORTED_FILE'],
    // Optional in the format, but exceljs's reader cannot place a row without its number: refused, in Chinese.
    [
      'rows without row numbers',
      () => buildZip(xlsxParts(rosterRows('无行号'), { noRowNumbers: true })),
      'UNSUPPORTED_FILE',
    ],
    ['a file cut short', () => buildZip(good()).subarray(0, 400), 'UNSUPPORTED_FILE'],
    [
      'a sheet that inflates past its declared size',
      () => {
        const parts = good();
        const zip = buildZip(parts);
        // Declare the sheet (first entry) one byte smaller than it is, in the local and the central header.
        const real = parts[0].data.length;
        zip.writeUInt32LE(real - 1, 22);
        const cd = zip.lastIndexOf(Buffer.from('xl/worksheets/sheet1.xml')) - 46;
        zip.writeUInt32LE(real - 1, cd + 24);
        return zip;
      },
      'UPLOAD_TOO_LARGE_INFLATED',
    ],
  ];

  it.each(cases)('%s', async (_label, make, code) => {
    const res = await importFile(make());
    expect(res.status, JSON.stringify(res.json)).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.json.code).toBe(code);
    expect(res.json.message).toMatch(/[\u4e00-\u9fff]/);
  });

  it('the log names the cause of a refused file', async () => {
    const lines: string[] = [];
    const logStream = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const app = await buildApp(t.deps, { logger: true, logStream });
    try {
      await t.database.db.execute(sql`delete from rate_limits where key like 'import:%'`);
      const mp = multipart(corruptDeflate());
      const res = await app.inject({
        method: 'POST',
        url: '/api/members/import?dryRun=true',
        headers: { cookie: admin, origin: ORIGIN, host: 'localhost:80', 'content-type': mp.type },
        payload: mp.body,
      });
      expect(res.json().code).toBe('UNSUPPORTED_FILE');
      const refused = lines.map((l) => JSON.parse(l)).find((l) => l.err?.code === 'UNSUPPORTED_FILE');
      expect(refused, lines.join('')).toBeDefined();
      // The entry and what zlib said about it.
      expect(JSON.stringify(refused.err.cause)).toContain('xl/worksheets/sheet1.xml');
      expect(JSON.stringify(refused.err.cause)).toMatch(/invalid/i);
    } finally {
      await app.close();
    }
  });
});
