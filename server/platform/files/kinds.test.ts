/** File kinds by magic bytes (SEC-21): every accepted kind, and disguised files refused whatever their name. */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { ftyp, HOSTILE, SAMPLES, zipOf } from '../../test/file-samples.ts';
import { FILE_KINDS, type FileKind, SNIFF_BYTES, sniffKind, ZIP_SNIFF_BYTES } from './kinds.ts';

describe('sniffKind', () => {
  it.each(Object.keys(SAMPLES) as FileKind[])('tells %s by its first bytes', (kind) => {
    expect(sniffKind(SAMPLES[kind], true)).toBe(kind);
    // The same answer from the head alone, as an upload arrives (a plain zip may still show an Office entry later).
    expect(sniffKind(SAMPLES[kind].subarray(0, 1024), false)).toBe(kind === 'zip' ? 'more' : kind);
  });

  it('every kind has a MIME type, an extension and a Chinese label', () => {
    for (const info of Object.values(FILE_KINDS)) {
      expect(info.mime).toMatch(/^[a-z]+\/[\w.+-]+$/);
      expect(info.label).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it.each(Object.keys(HOSTILE) as (keyof typeof HOSTILE)[])(
    'refuses %s (no kind, whatever the file is called)',
    (name) => {
      expect(sniffKind(HOSTILE[name], true)).toBeNull();
    },
  );

  it('asks for more bytes while the head is too short, and decides at the end of the file', () => {
    expect(sniffKind(SAMPLES.jpeg.subarray(0, 3), false)).toBe('more');
    expect(sniffKind(SAMPLES.jpeg.subarray(0, 3), true)).toBe('jpeg');
    expect(sniffKind(Buffer.alloc(0), false)).toBe('more');
    expect(sniffKind(Buffer.alloc(0), true)).toBeNull();
    expect(sniffKind(HOSTILE.exe.subarray(0, SNIFF_BYTES), false)).toBeNull();
    // An ftyp box longer than the head so far: its brands are still to come.
    const longBox = ftyp('zzzz', ...Array(50).fill('zzzz'), 'mp42');
    expect(sniffKind(longBox.subarray(0, 100), false)).toBe('more');
    expect(sniffKind(longBox.subarray(0, 100), true)).toBeNull();
    expect(sniffKind(longBox, false)).toBe('mp4');
  });

  it('a real workbook written by exceljs is xlsx', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('名册').addRow(['姓名', '身份证号']);
    const file = Buffer.from(await wb.xlsx.writeBuffer());
    expect(sniffKind(file, true)).toBe('xlsx');
    expect(sniffKind(file.subarray(0, 4096), false)).toBe('xlsx');
  });

  it('a zip tells workbook from Word file by its entries; others are plain zip', () => {
    const pptx = zipOf([
      { name: '[Content_Types].xml', data: '<Types/>' },
      { name: 'ppt/presentation.xml', data: '<p/>' },
    ]);
    expect(sniffKind(pptx, true)).toBe('zip');
    const ods = zipOf([{ name: 'mimetype', data: 'application/vnd.oasis.opendocument.spreadsheet' }]);
    expect(sniffKind(ods, true)).toBe('zip');
    // Entries that say nothing within the window: decided as a plain zip once the window is full.
    const late = zipOf([
      { name: 'docProps/thumbnail.jpeg', data: Buffer.alloc(ZIP_SNIFF_BYTES, 1) },
      { name: 'xl/workbook.xml', data: '<workbook/>' },
    ]);
    expect(sniffKind(late.subarray(0, 1024), false)).toBe('more');
    expect(sniffKind(late.subarray(0, ZIP_SNIFF_BYTES), false)).toBe('zip');
  });

  it('an ftyp box with an impossible size is no kind', () => {
    const bad = Buffer.from(SAMPLES.mp4);
    bad.writeUInt32BE(7, 0);
    expect(sniffKind(bad, true)).toBeNull();
    const unknownBrand = Buffer.from(SAMPLES.mp4);
    for (let p = 8; p < unknownBrand.readUInt32BE(0); p += 4) if (p !== 12) unknownBrand.write('zzzz', p, 'latin1');
    expect(sniffKind(unknownBrand, true)).toBeNull();
  });
});
