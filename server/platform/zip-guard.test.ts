import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { guardZip, XmlScanner, type ZipLimits } from './zip-guard.ts';

const LIMITS: ZipLimits = {
  maxEntries: 100,
  maxEntryBytes: 10 * 1024 * 1024,
  maxTotalBytes: 20 * 1024 * 1024,
  maxRatio: 200,
  ratioFloorBytes: 1024 * 1024,
};

/** Feed `xml` in chunks of `size` bytes; the refusal message, or 'ok'. */
function scan(xml: string, size: number, limits: ConstructorParameters<typeof XmlScanner>[1]): string {
  const s = new XmlScanner('x.xml', limits);
  const buf = Buffer.from(xml);
  for (let i = 0; i < buf.length; i += size) {
    const r = s.feed(buf.subarray(i, i + size));
    if (r) return r.message;
  }
  return 'ok';
}

describe('XmlScanner', () => {
  const row = (n: number, text: string) => `<row r="${n}"><c r="A${n}" t="inlineStr"><is><t>${text}</t></is></c></row>`;

  it('gives the same answer whatever the chunk boundaries', () => {
    const okXml = `<worksheet><sheetData>${row(1, 'a'.repeat(50))}${row(2, 'b'.repeat(50))}<row r="3"/></sheetData>${'<x/>'.repeat(40)}</worksheet>`;
    const longRow = `<worksheet><sheetData>${row(1, 'a')}<row r="2">${'<c><v>1</v></c>'.repeat(20)}</row></sheetData></worksheet>`;
    for (const size of [1, 2, 3, 5, 7, 11, 13, 64, 10_000]) {
      expect(scan(okXml, size, { maxRunBytes: 60, maxRowBytes: 120, maxTags: 200 }), `chunk ${size}`).toBe('ok');
      expect(scan(okXml, size, { maxRunBytes: 40 }), `chunk ${size}`).toMatch(/单个内容/);
      expect(scan(okXml, size, { maxTags: 30 }), `chunk ${size}`).toMatch(/元素超过 30/);
      expect(scan(longRow, size, { maxRowBytes: 200 }), `chunk ${size}`).toMatch(/一行/);
    }
  });

  it('a self-closing row or the end of the sheet data closes the row', () => {
    const xml = `<worksheet><sheetData><row r="1"/></sheetData><mergeCells>${'<m/>'.repeat(100)}</mergeCells></worksheet>`;
    for (const size of [1, 4, 9, 1000]) expect(scan(xml, size, { maxRowBytes: 50 })).toBe('ok');
  });
});

/** A small roster by exceljs's streaming writer (inline strings, data descriptors), as the exports are written. */
async function streamedWorkbook(file: string, zip: { forceZip64?: boolean }): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false, zip });
  const ws = wb.addWorksheet('名册');
  ws.addRow(['姓名', '入党日期']).commit();
  ws.addRow(['张三', '2001-07-01']).commit();
  ws.commit();
  await wb.commit();
}

describe('guardZip', () => {
  it('passes a real workbook and writes a copy exceljs reads the same', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-zip-'));
    try {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('名册');
      ws.addRow(['姓名', '入党日期']);
      ws.addRow(['张三', new Date(Date.UTC(2001, 6, 1))]);
      const src = path.join(dir, 'a.xlsx');
      const dest = path.join(dir, 'b.xlsx');
      await wb.xlsx.writeFile(src);
      const entries = await guardZip(src, dest, LIMITS);
      expect(entries.map((e) => e.name)).toContain('xl/worksheets/sheet1.xml');
      const back = new ExcelJS.Workbook();
      await back.xlsx.readFile(dest);
      expect(back.worksheets[0].getRow(2).getCell(1).value).toBe('张三');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('writes an added part from its own bytes when XML parts are re-encoded (it was read from the upload at offset 0)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-zip-'));
    try {
      const src = path.join(dir, 'a.xlsx');
      const dest = path.join(dir, 'b.xlsx');
      await streamedWorkbook(src, {});
      const added = Buffer.from(
        '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"/>',
      );
      await guardZip(
        src,
        dest,
        LIMITS,
        (entries) => ({ keep: entries, extra: [{ name: 'xl/sharedStrings.xml', content: added }] }),
        { asciiXml: (n) => n.endsWith('.xml') },
      );
      const back = new ExcelJS.Workbook();
      await back.xlsx.readFile(dest);
      expect(back.worksheets[0].getRow(2).getCell(1).value).toBe('张三');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads sizes from ZIP64 fields and data descriptors, and writes a plain copy', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-zip-'));
    try {
      const src = path.join(dir, 'a.xlsx');
      const dest = path.join(dir, 'b.xlsx');
      await streamedWorkbook(src, { forceZip64: true });
      const entries = await guardZip(src, dest, LIMITS, undefined, { read: (e) => e.name === 'docProps/core.xml' });
      expect(entries.find((e) => e.name === 'docProps/core.xml')?.content?.toString()).toContain('coreProperties');
      const copy = fs.readFileSync(dest);
      expect(copy.includes(Buffer.from([0x50, 0x4b, 0x06, 0x06]))).toBe(false);
      const back = new ExcelJS.Workbook();
      await back.xlsx.readFile(dest);
      expect(back.worksheets[0].getRow(2).getCell(1).value).toBe('张三');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a broken deflate stream with UNSUPPORTED_FILE, naming the entry and what zlib said for the log', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-zip-'));
    try {
      const src = path.join(dir, 'a.xlsx');
      await streamedWorkbook(src, {});
      const bytes = fs.readFileSync(src);
      // The first entry's data starts after its 30-byte local header and its name.
      bytes.fill(0xff, 30 + bytes.readUInt16LE(26), 30 + bytes.readUInt16LE(26) + 8);
      fs.writeFileSync(src, bytes);
      const err = await guardZip(src, path.join(dir, 'b.xlsx'), LIMITS).catch((e) => e);
      expect(err).toMatchObject({ code: 'UNSUPPORTED_FILE', message: expect.stringContaining('解压失败') });
      expect(String(err.cause?.message)).toContain('解压失败');
      expect(err.cause?.cause?.code).toBe('Z_DATA_ERROR');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses what is not a zip, in Chinese, and writes nothing', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-zip-'));
    try {
      const src = path.join(dir, 'a.xlsx');
      fs.writeFileSync(src, Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(100)]));
      await expect(guardZip(src, path.join(dir, 'b.xlsx'), LIMITS)).rejects.toMatchObject({
        code: 'UNSUPPORTED_FILE',
        message: expect.stringMatching(/[\u4e00-\u9fff]/),
      });
      expect(fs.existsSync(path.join(dir, 'b.xlsx'))).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
