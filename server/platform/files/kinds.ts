/**
 * File kinds told by their first bytes, never by name or declared type (SEC-21): a `.exe` or an HTML
 * page renamed `photo.jpg` is no kind at all. Pure functions; the file service feeds them the head of
 * an upload as it arrives.
 */

/** How a kind is stored and named to users. `group` picks its size limit (settings `files.max*MB`). */
export interface KindInfo {
  mime: string;
  ext: string;
  /** Chinese name for messages ("可上传：JPEG 图片、PDF 文档"). */
  label: string;
  group: 'image' | 'video' | 'document' | 'import';
}

export const FILE_KINDS = {
  jpeg: { mime: 'image/jpeg', ext: 'jpg', label: 'JPEG 图片', group: 'image' },
  png: { mime: 'image/png', ext: 'png', label: 'PNG 图片', group: 'image' },
  gif: { mime: 'image/gif', ext: 'gif', label: 'GIF 图片', group: 'image' },
  webp: { mime: 'image/webp', ext: 'webp', label: 'WebP 图片', group: 'image' },
  heic: { mime: 'image/heic', ext: 'heic', label: 'HEIC 图片（苹果手机照片）', group: 'image' },
  heif: { mime: 'image/heif', ext: 'heif', label: 'HEIF 图片', group: 'image' },
  mp4: { mime: 'video/mp4', ext: 'mp4', label: 'MP4 视频', group: 'video' },
  mov: { mime: 'video/quicktime', ext: 'mov', label: 'MOV 视频（苹果手机视频）', group: 'video' },
  pdf: { mime: 'application/pdf', ext: 'pdf', label: 'PDF 文档', group: 'document' },
  docx: {
    mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    ext: 'docx',
    label: 'Word 文档（.docx）',
    group: 'document',
  },
  xlsx: {
    mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    ext: 'xlsx',
    label: 'Excel 工作簿（.xlsx）',
    group: 'import',
  },
  /** Any other zip archive (.pptx, .ods, .jar, .apk, a plain .zip): recognised so it can be named, allowed nowhere yet. */
  zip: { mime: 'application/zip', ext: 'zip', label: 'ZIP 压缩包', group: 'document' },
} as const satisfies Record<string, KindInfo>;

export type FileKind = keyof typeof FILE_KINDS;

/**
 * How far into a zip the sniffer looks for the entry names that tell a workbook from a Word file.
 * Excel, WPS, LibreOffice and exceljs write `xl/…` or `word/…` within the first few KB; a zip that
 * shows neither by then is reported as a plain `zip`.
 */
export const ZIP_SNIFF_BYTES = 256 * 1024;

/** Bytes the sniffer wants before deciding on anything but a zip (an `ftyp` box with its brands). */
export const SNIFF_BYTES = 64;

const ISO_BMFF_BRANDS: Record<string, FileKind> = {
  heic: 'heic',
  heix: 'heic',
  heim: 'heic',
  heis: 'heic',
  hevc: 'heic',
  hevx: 'heic',
  mif1: 'heif',
  msf1: 'heif',
  'qt  ': 'mov',
  isom: 'mp4',
  iso2: 'mp4',
  iso4: 'mp4',
  iso5: 'mp4',
  iso6: 'mp4',
  mp41: 'mp4',
  mp42: 'mp4',
  avc1: 'mp4',
  'M4V ': 'mp4',
  mmp4: 'mp4',
  MSNV: 'mp4',
  dash: 'mp4',
};

function startsWith(buf: Buffer, sig: number[] | string, at = 0): boolean {
  const bytes = typeof sig === 'string' ? Buffer.from(sig, 'latin1') : Buffer.from(sig);
  return buf.length >= at + bytes.length && buf.subarray(at, at + bytes.length).equals(bytes);
}

/**
 * The kind of a file from its first bytes.
 *
 * `head` is the start of the file; `final` says it is the whole file. Returns the kind, `null` for
 * anything not on the list (including every text format: HTML, SVG, scripts), or `'more'` when the
 * head is too short to decide and more bytes may follow (never when `final`).
 */
export function sniffKind(head: Buffer, final: boolean): FileKind | null | 'more' {
  if (head.length < SNIFF_BYTES && !final) return 'more';
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(head, 'GIF87a') || startsWith(head, 'GIF89a')) return 'gif';
  if (startsWith(head, '%PDF-')) return 'pdf';
  if (
    startsWith(head, 'RIFF') &&
    startsWith(head, 'WEBP', 8) &&
    ['VP8 ', 'VP8L', 'VP8X'].some((c) => startsWith(head, c, 12))
  )
    return 'webp';
  if (startsWith(head, 'ftyp', 4)) return isoBmff(head, final);
  if (startsWith(head, 'PK\x03\x04')) return zipKind(head, final);
  return null;
}

/** ISO base media (MP4, MOV, HEIC): the `ftyp` box's major brand, then its compatible brands. */
function isoBmff(head: Buffer, final: boolean): FileKind | null | 'more' {
  const size = head.readUInt32BE(0);
  if (size < 16 || size > 4096 || size % 4 !== 0) return null;
  if (head.length < size) return final ? null : 'more';
  const brands = [head.toString('latin1', 8, 12)];
  for (let p = 16; p + 4 <= size; p += 4) brands.push(head.toString('latin1', p, p + 4));
  // AVIF shares HEIF's container (`mif1` with an `avif` brand): not a kind we accept.
  if (brands.includes('avif') || brands.includes('avis')) return null;
  // `mif1` files that also list a HEIC brand are HEIC (what iPhones write).
  if (brands[0] === 'mif1' || brands[0] === 'msf1')
    return brands.some((b) => ISO_BMFF_BRANDS[b] === 'heic') ? 'heic' : 'heif';
  for (const b of brands) {
    const k = ISO_BMFF_BRANDS[b];
    if (k) return k;
  }
  return null;
}

/** An Office Open XML file is a zip whose entries live under `xl/` (workbook) or `word/` (document). */
function zipKind(head: Buffer, final: boolean): FileKind | 'more' {
  for (let at = head.indexOf('PK\x03\x04', 0, 'latin1'); at !== -1; at = head.indexOf('PK\x03\x04', at + 4, 'latin1')) {
    if (at + 30 > head.length) break;
    const nameLen = head.readUInt16LE(at + 26);
    if (at + 30 + nameLen > head.length) break;
    const name = head.toString('latin1', at + 30, at + 30 + nameLen);
    if (name.startsWith('xl/')) return 'xlsx';
    if (name.startsWith('word/')) return 'docx';
    if (name.startsWith('ppt/')) return 'zip';
  }
  return final || head.length >= ZIP_SNIFF_BYTES ? 'zip' : 'more';
}
