/** The one cell writer (SEC-20): neutralised text, sheet names Excel accepts, the workbook's kind, and no writer around it. */
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import {
  addRow,
  addSheet,
  cellValue,
  createStreamingWorkbook,
  createWorkbook,
  safeCellText,
  safeSheetName,
  setCell,
  setColumns,
  withoutNeutraliser,
  workbookKindOf,
} from './xlsx-cells.ts';

describe('cell values', () => {
  it('neutralises text a spreadsheet would evaluate, and the import takes the apostrophe off again', () => {
    for (const v of ['=1+1', '+1', '-1', '@SUM(A1)', '\t=1', '\r=1', '=HYPERLINK("http://evil.example","支部")']) {
      expect(safeCellText(v)).toBe(`'${v}`);
      expect(withoutNeutraliser(safeCellText(v))).toBe(v);
    }
    for (const v of ['张三', "'plain", '1+1', '', 'a=b']) {
      expect(safeCellText(v)).toBe(v);
      expect(withoutNeutraliser(v)).toBe(v);
    }
  });

  it('keeps numbers, booleans and dates as they are', () => {
    const d = new Date(Date.UTC(2026, 0, 2));
    expect(cellValue(-5)).toBe(-5);
    expect(cellValue(0.25)).toBe(0.25);
    expect(cellValue(true)).toBe(true);
    expect(cellValue(d)).toBe(d);
    expect(cellValue(null)).toBeNull();
    expect(cellValue(undefined)).toBeNull();
  });
});

describe('sheet names', () => {
  it('are names Excel accepts and that do not read as formulas', () => {
    expect(safeSheetName('a[b]c:d*e?f/g\\h')).toBe('a［b］c：d＊e？f／g＼h');
    expect(safeSheetName('=HYPERLINK("x")')).toBe('＝HYPERLINK("x")');
    expect(safeSheetName('-+@x')).toBe('－＋＠x');
    expect(safeSheetName("'引号'")).toBe('引号');
    expect(safeSheetName('\u0001\t')).toBe('工作表');
    expect(safeSheetName('')).toBe('工作表');
    const long = safeSheetName('中'.repeat(40));
    expect(long).toBe('中'.repeat(31));
    // 30 characters and a character outside the BMP: never half a surrogate pair.
    expect(safeSheetName(`${'a'.repeat(30)}𠀋b`)).toBe('a'.repeat(30));
    expect(safeSheetName('名册', ['名册'])).toBe('名册(2)');
    expect(safeSheetName('Sheet', ['sheet', 'SHEET(2)'])).toBe('Sheet(3)');
    expect(safeSheetName('中'.repeat(40), ['中'.repeat(31)])).toBe(`${'中'.repeat(28)}(2)`);
  });

  it('are accepted by exceljs and read back, repeated names included', async () => {
    const wb = createWorkbook('stats');
    addSheet(wb, '=a/b');
    addSheet(wb, '=a/b');
    const back = new ExcelJS.Workbook();
    await back.xlsx.load((await wb.xlsx.writeBuffer()) as ArrayBuffer);
    expect(back.worksheets.map((w) => w.name)).toEqual(['＝a／b', '＝a／b(2)']);
  });
});

describe('workbooks', () => {
  it('name their kind in the document properties, in memory and streamed', async () => {
    const wb = createWorkbook('stats');
    const ws = addSheet(wb, '表');
    setColumns(ws, [{ header: '=标题', width: 10 }]);
    addRow(ws, ['=1', 2, new Date(Date.UTC(2026, 0, 2))]);
    setCell(ws.getCell('D1'), '@x');
    const mem = await JSZip.loadAsync((await wb.xlsx.writeBuffer()) as ArrayBuffer);
    expect(workbookKindOf((await mem.file('docProps/core.xml')?.async('string')) ?? '')).toBe('stats');
    const back = new ExcelJS.Workbook();
    await back.xlsx.load((await wb.xlsx.writeBuffer()) as ArrayBuffer);
    const sheet = back.worksheets[0];
    expect([
      sheet.getCell('A1').value,
      sheet.getCell('D1').value,
      sheet.getCell('A2').value,
      sheet.getCell('B2').value,
    ]).toEqual(["'=标题", "'@x", "'=1", 2]);
    expect(sheet.getCell('C2').value).toBeInstanceOf(Date);

    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const streamed = createStreamingWorkbook('ledger', out);
    addRow(addSheet(streamed, '台账'), ['x']).commit();
    await streamed.commit();
    const zip = await JSZip.loadAsync(Buffer.concat(chunks));
    expect(workbookKindOf((await zip.file('docProps/core.xml')?.async('string')) ?? '')).toBe('ledger');
  });

  it('reads no kind from properties other writers wrote', () => {
    expect(
      workbookKindOf('<cp:coreProperties><cp:keywords>名册 2026</cp:keywords></cp:coreProperties>'),
    ).toBeUndefined();
    expect(workbookKindOf('<cp:keywords>dangjian:nothing</cp:keywords>')).toBeUndefined();
    expect(workbookKindOf('<cp:keywords>dangjian:constructor</cp:keywords>')).toBeUndefined();
    expect(workbookKindOf('<keywords>dangjian:problems</keywords>')).toBe('problems');
  });
});

describe('no spreadsheet is written around this module', () => {
  it('no server file but xlsx-cells.ts makes a workbook, adds a sheet or row, or sets a cell or the columns', () => {
    const root = path.resolve(import.meta.dirname, '..');
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory() && e.name !== 'test' && e.name !== 'node_modules') walk(p);
        else if (e.isFile() && p.endsWith('.ts') && !p.endsWith('.test.ts')) files.push(p);
      }
    };
    walk(root);
    const writing =
      /\.addRows?\(|\.insertRows?\(|\.spliceRows\(|\.duplicateRow\(|\.addWorksheet\(|new ExcelJS\.Workbook\(|WorkbookWriter\(|\.values?\s*=[^=]|\.columns\s*=[^=]/;
    const offenders = files
      .filter((f) => !f.endsWith(path.join('platform', 'xlsx-cells.ts')))
      .flatMap((f) =>
        fs
          .readFileSync(f, 'utf8')
          .split('\n')
          .map((line, i) => ({ line, at: `${path.relative(root, f)}:${i + 1}` }))
          .filter(({ line }) => writing.test(line))
          .map(({ line, at }) => `${at}: ${line.trim()}`),
      );
    expect(offenders).toEqual([]);
  });
});
