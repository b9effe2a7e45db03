/**
 * Hostile uploads made inside the test (SEC-21, SEC-31): zip bombs with honest and lying sizes,
 * too many entries, too many rows, and the import rate limit. Nothing may be written, memory stays
 * bounded, and the health check keeps answering while bombs are processed.
 */
import zlib from 'node:zlib';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId, rosterWorkbook, setup, type TestCtx, uploadRoster } from './harness.ts';

let t: TestCtx;
let admin: string;
beforeAll(async () => {
  t = await setup();
  admin = await t.login('admin');
});
afterAll(async () => t?.close());

const HEADER = ['姓名', '身份证号', '所在党支部', '党员类别', '入党时间', '转正时间', '手机号'];
const workbook = (rows: string[][], header = HEADER) => rosterWorkbook(rows, header);
const upload = (file: Buffer, dryRun = true, cookie = admin) => uploadRoster(t, cookie, file, dryRun);

async function writes(): Promise<number> {
  const r = await t.database.db.execute<{ n: number }>(
    sql`select (select count(*) from members) + (select count(*) from member_org_history) as n`,
  );
  return Number(r.rows[0].n);
}

// ---- a tiny zip writer, so the archive can say whatever the attacker wants ----
interface RawEntry {
  name: string;
  /** bytes as stored (deflated unless method 0) */
  data: Buffer;
  method: 0 | 8;
  crc: number;
  /** uncompressed size as declared in both headers */
  size: number;
}

function crc32(buf: Buffer): number {
  return zlib.crc32(buf) >>> 0;
}

function zip(entries: RawEntry[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0);
    lh.writeUInt16LE(20, 4);
    lh.writeUInt16LE(0x0800, 6);
    lh.writeUInt16LE(e.method, 8);
    lh.writeUInt32LE(e.crc, 14);
    lh.writeUInt32LE(e.data.length, 18);
    lh.writeUInt32LE(e.size, 22);
    lh.writeUInt16LE(name.length, 26);
    locals.push(lh, name, e.data);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0);
    ch.writeUInt16LE(20, 4);
    ch.writeUInt16LE(20, 6);
    ch.writeUInt16LE(0x0800, 8);
    ch.writeUInt16LE(e.method, 10);
    ch.writeUInt32LE(e.crc, 16);
    ch.writeUInt32LE(e.data.length, 20);
    ch.writeUInt32LE(e.size, 24);
    ch.writeUInt16LE(name.length, 28);
    ch.writeUInt32LE(offset, 42);
    central.push(ch, name);
    offset += 30 + name.length + e.data.length;
  }
  const cd = Buffer.concat(central);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(Math.min(entries.length, 0xffff), 8);
  eocd.writeUInt16LE(Math.min(entries.length, 0xffff), 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}

/** The entries of a real workbook, re-read from exceljs's output (so the bomb is a valid .xlsx otherwise). */
async function baseEntries(): Promise<RawEntry[]> {
  const file = await workbook([
    ['周一', newId('19810101'), '中共甲二村支部委员会', '正式党员', '2005-07-01', '2006-07-01', ''],
  ]);
  const out: RawEntry[] = [];
  const n = file.readUInt16LE(file.length - 22 + 10);
  let p = file.readUInt32LE(file.length - 22 + 16);
  for (let i = 0; i < n; i++) {
    const method = file.readUInt16LE(p + 10) as 0 | 8;
    const csize = file.readUInt32LE(p + 20);
    const nameLen = file.readUInt16LE(p + 28);
    const extraLen = file.readUInt16LE(p + 30);
    const commentLen = file.readUInt16LE(p + 32);
    const local = file.readUInt32LE(p + 42);
    const name = file.toString('utf8', p + 46, p + 46 + nameLen);
    const dataAt = local + 30 + file.readUInt16LE(local + 26) + file.readUInt16LE(local + 28);
    const data = file.subarray(dataAt, dataAt + csize);
    const raw = method === 8 ? zlib.inflateRawSync(data) : data;
    out.push({ name, data: zlib.deflateRawSync(raw), method: 8, crc: crc32(raw), size: raw.length });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

/** Deflate `total` bytes of sheet XML (mostly whitespace) without ever holding them in memory. */
async function deflatedSheet(total: number, filler: 'space' | 'rows'): Promise<{ data: Buffer; size: number }> {
  const head = Buffer.from(
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>',
  );
  // Whitespace between elements is valid XML and deflates about 1000:1, like the bombs in the report;
  // rows of one cell deflate about as well and make the guard read every element.
  const row = '<row r="2"><c r="A2" t="inlineStr"><is><t>x</t></is></c></row>';
  const chunk =
    filler === 'space'
      ? Buffer.alloc(4 * 1024 * 1024, 0x20)
      : Buffer.from(row.repeat(Math.floor((4 * 1024 * 1024) / row.length)));
  const d = zlib.createDeflateRaw({ level: 9, memLevel: 9 });
  const parts: Buffer[] = [];
  d.on('data', (b: Buffer) => parts.push(b));
  const done = new Promise((r) => d.on('end', r));
  d.write(head);
  let size = head.length;
  while (size + chunk.length <= total) {
    if (!d.write(chunk)) await new Promise((r) => d.once('drain', r));
    size += chunk.length;
  }
  d.end();
  await done;
  return { data: Buffer.concat(parts), size };
}

async function bomb(kind: 'lying' | 'lyingWithinLimits' | 'honest'): Promise<Buffer> {
  const entries = await baseEntries();
  const sheet = entries.find((e) => e.name === 'xl/worksheets/sheet1.xml');
  if (!sheet) throw new Error('no sheet');
  const big = await deflatedSheet(400 * 1024 * 1024, kind === 'lyingWithinLimits' ? 'rows' : 'space');
  sheet.data = big.data;
  sheet.crc = 0;
  // A lying archive declares a size as small as a real sheet's, or one that passes every declared-size
  // check (60 MB, ratio < 200:1) so that only the counter during inflation can stop it; an honest one declares the truth.
  sheet.size = kind === 'lying' ? 20_000 : kind === 'lyingWithinLimits' ? 60 * 1024 * 1024 : big.size;
  return zip(entries);
}

const CHINESE = /[\u4e00-\u9fff]/;

/** Run `fn` while sampling rss; returns its result and the peak growth in MB. */
async function peakRss<T>(fn: () => Promise<T>): Promise<{ result: T; growthMb: number }> {
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  try {
    const result = await fn();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, growthMb: (peak - base) / 1024 / 1024 };
  } finally {
    clearInterval(timer);
  }
}

describe('zip bombs are refused before parsing (SEC-21, SEC-31)', () => {
  let lying: Buffer;
  let lyingWithin: Buffer;
  let honest: Buffer;
  beforeAll(async () => {
    lying = await bomb('lying');
    lyingWithin = await bomb('lyingWithinLimits');
    honest = await bomb('honest');
  }, 120_000);

  it('a sheet that lies about its inflated size: 4xx, Chinese, nothing written, memory bounded', async () => {
    expect(lying.length).toBeLessThan(1024 * 1024);
    expect(lyingWithin.length).toBeGreaterThan((60 * 1024 * 1024) / 200);
    const before = await writes();
    for (const [file, dryRun] of [
      [lying, true],
      [lying, false],
      [lyingWithin, true],
      [lyingWithin, false],
    ] as const) {
      const { result: res, growthMb } = await peakRss(() => upload(file, dryRun));
      console.log(
        `lying bomb (${file === lying ? 'declares 20 KB' : 'declares 60 MB'}, dryRun=${dryRun}): rss growth ${growthMb.toFixed(0)} MB`,
      );
      expect(res.status, JSON.stringify(res.json)).toBe(413);
      expect(res.json.code).toBe('UPLOAD_TOO_LARGE_INFLATED');
      expect(res.json.message).toMatch(CHINESE);
      expect(res.json.requestId).toBeTruthy();
      expect(growthMb).toBeLessThan(150);
    }
    expect(await writes()).toBe(before);
  });

  it('an honest but huge sheet is refused from its declared size', async () => {
    const before = await writes();
    const { result: res, growthMb } = await peakRss(() => upload(honest, false));
    console.log(`honest bomb: rss growth ${growthMb.toFixed(0)} MB`);
    expect(res.status, JSON.stringify(res.json)).toBe(413);
    expect(res.json.code).toBe('UPLOAD_TOO_LARGE_INFLATED');
    expect(res.json.message).toMatch(CHINESE);
    expect(growthMb).toBeLessThan(150);
    expect(await writes()).toBe(before);
  });

  it('an archive with very many entries is refused', async () => {
    const entries = await baseEntries();
    const empty = zlib.deflateRawSync(Buffer.alloc(0));
    for (let i = 0; i < 60_000; i++)
      entries.push({ name: `xl/media/x${i}.bin`, data: empty, method: 8, crc: 0, size: 0 });
    const file = zip(entries);
    const before = await writes();
    const res = await upload(file, false);
    expect(res.status, JSON.stringify(res.json)).toBe(413);
    expect(res.json.code).toBe('UPLOAD_TOO_LARGE_INFLATED');
    expect(res.json.message).toMatch(CHINESE);
    expect(await writes()).toBe(before);
  });

  it('parts held in memory are capped by shape, not only size: rich-text runs, a huge cell, a huge row', async () => {
    const rnd = (n: number) => {
      const out = Buffer.alloc(n);
      for (let i = 0; i < n; i++) out[i] = 97 + ((Math.random() * 26) | 0);
      return out.toString('latin1');
    };
    const ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
    // 40 MB of one-letter rich-text runs became 286 MB of objects before the element cap.
    const runs: string[] = [];
    for (let size = 0; size < 39 * 1024 * 1024; ) {
      const si = `<si><r><t>${rnd(2)}</t></r><r><t>x</t></r><r><t>y</t></r></si>`;
      runs.push(si);
      size += si.length;
    }
    const sst = Buffer.from(`<?xml version="1.0"?><sst ${ns}>${runs.join('')}</sst>`);
    const sheetXml = (rows: string) =>
      Buffer.from(`<?xml version="1.0"?><worksheet ${ns}><sheetData>${rows}</sheetData></worksheet>`);
    const cases: [string, Record<string, Buffer>][] = [
      ['rich-text shared strings', { 'xl/sharedStrings.xml': sst }],
      [
        'one 2 MB cell',
        {
          'xl/worksheets/sheet1.xml': sheetXml(
            `<row r="1"><c r="A1" t="inlineStr"><is><t>${rnd(2 * 1024 * 1024)}</t></is></c></row>`,
          ),
        },
      ],
      [
        'one 3 MB row',
        {
          'xl/worksheets/sheet1.xml': sheetXml(
            `<row r="1">${Array.from({ length: 30 }, (_, i) => `<c r="A${i}" t="inlineStr"><is><t>${rnd(100 * 1024)}</t></is></c>`).join('')}</row>`,
          ),
        },
      ],
    ];
    const before = await writes();
    for (const [what, parts] of cases) {
      const entries = (await baseEntries()).filter((e) => !(e.name in parts));
      for (const [name, raw] of Object.entries(parts))
        entries.push({ name, data: zlib.deflateRawSync(raw), method: 8, crc: crc32(raw), size: raw.length });
      const { result: res, growthMb } = await peakRss(() => upload(zip(entries), true));
      console.log(`${what}: rss growth ${growthMb.toFixed(0)} MB`);
      expect(res.status, `${what}: ${JSON.stringify(res.json)}`).toBe(413);
      expect(res.json.code).toBe('UPLOAD_TOO_LARGE_INFLATED');
      expect(res.json.message).toMatch(CHINESE);
      expect(growthMb).toBeLessThan(150);
    }
    expect(await writes()).toBe(before);
  });

  it('the health check answers within a second while bombs are processed concurrently', async () => {
    const bombs = Promise.all([
      upload(lyingWithin, true),
      upload(lyingWithin, false),
      upload(honest, true),
      upload(lying, true),
    ]);
    let settled = false;
    void bombs.finally(() => {
      settled = true;
    });
    const latencies: number[] = [];
    while (!settled) {
      const at = performance.now();
      const h = await t.req('GET', '/api/health');
      latencies.push(performance.now() - at);
      expect(h.status).toBe(200);
      await new Promise((r) => setTimeout(r, 20));
    }
    const results = await bombs;
    for (const r of results) expect(r.json.code).toBe('UPLOAD_TOO_LARGE_INFLATED');
    console.log(`health during bombs: ${latencies.length} checks, max ${Math.max(...latencies).toFixed(0)} ms`);
    expect(Math.max(...latencies)).toBeLessThan(1000);
  });
});

describe('row limit and rate limit (SEC-31, SEC-23)', () => {
  it('a workbook without a sheet is an error in the Chinese form, not a 422 row report', async () => {
    const res = await upload(zip((await baseEntries()).filter((e) => !e.name.startsWith('xl/worksheets/'))), true);
    expect(res.status, JSON.stringify(res.json)).toBe(415);
    expect(res.json).toMatchObject({ code: 'UNSUPPORTED_FILE', message: expect.stringMatching(/工作表/) });
  });

  it('more than 20,000 rows answers a Chinese 4xx with a stable code and writes nothing', async () => {
    const rows: string[][] = [];
    for (let i = 0; i < 20_001; i++)
      rows.push([`甲${i}`, '110101198001010011', '中共甲二村支部委员会', '正式党员', '2005-07-01', '', '']);
    const file = await workbook(rows);
    const before = await writes();
    const res = await upload(file, false);
    expect(res.status, JSON.stringify(res.json)).toBe(413);
    expect(res.json.code).toBe('IMPORT_TOO_MANY_ROWS');
    expect(res.json.message).toMatch(/20,000/);
    expect(res.json.message).toMatch(CHINESE);
    expect(await writes()).toBe(before);
  });

  it('imports are rate-limited per user', async () => {
    const orga = await t.login('orga');
    const file = await workbook([], ['姓名']);
    const codes: string[] = [];
    for (let i = 0; i < 32; i++) {
      const r = await upload(file, true, orga);
      codes.push(r.json.code ?? (r.json.ok === false ? 'REPORT' : 'OK'));
    }
    expect(codes.slice(0, 30).every((c) => c === 'REPORT')).toBe(true);
    expect(codes.slice(30)).toEqual(['RATE_LIMITED', 'RATE_LIMITED']);
  });
});
