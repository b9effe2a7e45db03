/**
 * Zip archives from users (an .xlsx is one), checked before any parser sees them (SEC-21, SEC-31).
 *
 * 1. The central directory alone: entry count, every entry's declared inflated size and
 *    compression ratio, and the total declared size are held to limits before one byte is inflated.
 * 2. Every entry is then inflated as a stream through node:zlib with a byte counter that aborts the
 *    moment the entry passes its declared size (declared sizes can lie); the CRC is checked too.
 *    Parts a parser will turn into objects can also be held to shape limits (`XmlScan`).
 * 3. A normalized copy is written: only the entries the caller keeps, in the caller's order, each with
 *    a fresh local header that agrees with what was verified. Streaming parsers (exceljs reads local
 *    headers in file order, not the central directory) therefore see exactly what was checked, and
 *    nothing hidden between entries.
 *
 * 4. Optionally, XML parts are re-encoded as ASCII on the way (`asciiXml`): every character beyond
 *    ASCII becomes a numeric character reference (中 → &#x4e2d;), which every XML parser reads back
 *    as the same character. exceljs's streaming reader decodes each chunk of a part on its own, so a
 *    multi-byte character split across two chunks became U+FFFD in a name (exceljs issues #2063,
 *    #2084): 9 of 5,000 Chinese names in one roster. ASCII has no multi-byte characters to split.
 *
 * Sizes may sit after an entry's data (general-purpose bit 3, zeros in the local header: streaming
 * writers) and in ZIP64 fields (forced-ZIP64 writers, .NET): both are read from the central directory,
 * and the copy always has plain 32-bit local headers with the sizes in them. Encryption, split
 * archives and methods other than stored/deflate are refused.
 *
 * Every refusal is an AppError with a Chinese message; its `cause` names the check, the entry and,
 * for a stream that broke, what zlib said, for the log (platform/http.ts logs it).
 */
import fs from 'node:fs';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { AppError } from './errors.ts';

export interface ZipLimits {
  /** Most entries the central directory may list. */
  maxEntries: number;
  /** Largest declared (and actual) inflated size of one entry, unless `perEntryBytes` names it. */
  maxEntryBytes: number;
  /** Per-name overrides of `maxEntryBytes` (e.g. a part that is held in memory whole). */
  perEntryBytes?: Record<string, number>;
  /** Largest sum of declared inflated sizes. */
  maxTotalBytes: number;
  /** Largest inflated/stored ratio of an entry bigger than `ratioFloorBytes`. */
  maxRatio: number;
  ratioFloorBytes: number;
  /** Limits on the XML inside named entries, checked while they are inflated (see `XmlScan`). */
  xmlScan?: (name: string) => XmlScan | undefined;
}

/**
 * Shape limits on an XML part, for parts a parser turns into objects: size alone does not bound
 * memory when 40 bytes of markup become a 300-byte object, or a whole row is held at once.
 */
export interface XmlScan {
  /** Most elements (counted as `<`), e.g. shared-string runs each become an object. */
  maxTags?: number;
  /** Longest text or tag without a `<` (a cell's text is held whole). */
  maxRunBytes?: number;
  /** Longest `<row …>…</row>` (a row is held whole while it is read). */
  maxRowBytes?: number;
}

export interface ZipEntry {
  name: string;
  method: 0 | 8;
  crc: number;
  compressedSize: number;
  size: number;
  /** Where the stored bytes start in the source file. */
  dataOffset: number;
  /** The inflated bytes, when the caller asked to read this entry (`read` option; small parts only). */
  content?: Buffer;
}

const MiB = 1024 * 1024;
const EOCD = 0x06054b50;
const EOCD64 = 0x06064b50;
const EOCD64_LOCATOR = 0x07064b50;
const CEN = 0x02014b50;
const LOC = 0x04034b50;
/** The ZIP64 extended-information extra field. */
const ZIP64_EXTRA = 0x0001;

/** A refusal for the user, with what was found for the log (the cause is never sent). */
function refusal(error: AppError, detail: string, cause?: unknown): AppError {
  error.cause = new Error(`zip guard: ${detail}`, cause === undefined ? undefined : { cause });
  return error;
}
function tooLarge(detail: string, cause?: unknown): AppError {
  return refusal(
    new AppError(
      'UPLOAD_TOO_LARGE_INFLATED',
      `文件解压后的内容超出限制（${detail}），已拒绝，未写入任何数据；请检查文件或拆分后重新导入`,
    ),
    detail,
    cause,
  );
}
function corrupt(detail: string, cause?: unknown): AppError {
  return refusal(
    new AppError(
      'UNSUPPORTED_FILE',
      `文件已损坏或不是有效的 .xlsx 文件（${detail}），请用 Excel 或 WPS 另存为 .xlsx 后重试`,
    ),
    detail,
    cause,
  );
}

/** A 64-bit little-endian field as a number (sizes and offsets of a file that fits on a disk). */
function u64(buf: Buffer, at: number): number {
  const n = buf.readBigUInt64LE(at);
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw corrupt('ZIP64 数值超出范围');
  return Number(n);
}

function readAt(fd: number, offset: number, length: number): Buffer {
  const buf = Buffer.alloc(length);
  let got = 0;
  while (got < length) {
    const n = fs.readSync(fd, buf, got, length - got, offset + got);
    if (n === 0) break;
    got += n;
  }
  if (got < length) throw corrupt('文件不完整');
  return buf;
}

/** Read and check the central directory; nothing is inflated here. */
export function readCentralDirectory(fd: number, fileSize: number, limits: ZipLimits): ZipEntry[] {
  if (fileSize < 22) throw corrupt('文件过短');
  const tailLen = Math.min(fileSize, 22 + 0xffff);
  const tail = readAt(fd, fileSize - tailLen, tailLen);
  let at = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD && i + 22 + tail.readUInt16LE(i + 20) <= tail.length) {
      at = i;
      break;
    }
  }
  if (at < 0) throw corrupt('找不到压缩包目录');
  let disk = tail.readUInt16LE(at + 4);
  let cdDisk = tail.readUInt16LE(at + 6);
  let onDisk = tail.readUInt16LE(at + 8);
  let count = tail.readUInt16LE(at + 10);
  let cdSize = tail.readUInt32LE(at + 12);
  let cdOffset = tail.readUInt32LE(at + 16);
  const eocdPos = fileSize - tailLen + at;
  /** Where the central directory must end: the end record, or the ZIP64 end record before it. */
  let cdEnd = eocdPos;
  if (
    disk === 0xffff ||
    cdDisk === 0xffff ||
    onDisk === 0xffff ||
    count === 0xffff ||
    cdSize === 0xffffffff ||
    cdOffset === 0xffffffff
  ) {
    // ZIP64: the real numbers are in the ZIP64 end record, which the locator just before this record points to.
    if (eocdPos < 20) throw corrupt('找不到 ZIP64 目录');
    const locator = readAt(fd, eocdPos - 20, 20);
    if (locator.readUInt32LE(0) !== EOCD64_LOCATOR) throw corrupt('找不到 ZIP64 目录');
    const recordAt = u64(locator, 8);
    if (locator.readUInt32LE(4) !== 0 || locator.readUInt32LE(16) > 1) throw corrupt('不支持分卷压缩');
    if (recordAt + 56 > eocdPos - 20) throw corrupt('ZIP64 目录位置错误');
    const record = readAt(fd, recordAt, 56);
    if (record.readUInt32LE(0) !== EOCD64) throw corrupt('ZIP64 目录错误');
    disk = record.readUInt32LE(16);
    cdDisk = record.readUInt32LE(20);
    onDisk = u64(record, 24);
    count = u64(record, 32);
    cdSize = u64(record, 40);
    cdOffset = u64(record, 48);
    cdEnd = recordAt;
  }
  if (disk !== 0 || cdDisk !== 0 || onDisk !== count) throw corrupt('不支持分卷压缩');
  if (count > limits.maxEntries) throw tooLarge(`包含 ${count} 个文件，上限 ${limits.maxEntries}`);
  if (cdOffset + cdSize > cdEnd) throw corrupt('目录位置错误');
  const cd = readAt(fd, cdOffset, cdSize);
  const entries: ZipEntry[] = [];
  const names = new Set<string>();
  let total = 0;
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > cd.length || cd.readUInt32LE(p) !== CEN) throw corrupt('目录项错误');
    const flags = cd.readUInt16LE(p + 8);
    const method = cd.readUInt16LE(p + 10);
    const crc = cd.readUInt32LE(p + 16);
    let compressedSize = cd.readUInt32LE(p + 20);
    let size = cd.readUInt32LE(p + 24);
    const nameLen = cd.readUInt16LE(p + 28);
    const extraLen = cd.readUInt16LE(p + 30);
    const commentLen = cd.readUInt16LE(p + 32);
    let localOffset = cd.readUInt32LE(p + 42);
    if (p + 46 + nameLen + extraLen > cd.length) throw corrupt('目录项错误');
    const name = cd.toString('utf8', p + 46, p + 46 + nameLen);
    if (compressedSize === 0xffffffff || size === 0xffffffff || localOffset === 0xffffffff) {
      // ZIP64: the saturated fields, in this order, are in the entry's ZIP64 extra field.
      const z = zip64Extra(cd.subarray(p + 46 + nameLen, p + 46 + nameLen + extraLen));
      let q = 0;
      const next = () => {
        if (!z || q + 8 > z.length) throw corrupt(`“${name}”缺少 ZIP64 信息`);
        q += 8;
        return u64(z, q - 8);
      };
      if (size === 0xffffffff) size = next();
      if (compressedSize === 0xffffffff) compressedSize = next();
      if (localOffset === 0xffffffff) localOffset = next();
    }
    p += 46 + nameLen + extraLen + commentLen;
    if (flags & 0x1) throw corrupt('文件已加密');
    if (method !== 0 && method !== 8) throw corrupt('不支持的压缩方式');
    if (names.has(name)) throw corrupt('包含重名文件');
    names.add(name);
    const limit = limits.perEntryBytes?.[name] ?? limits.maxEntryBytes;
    if (size > limit)
      throw tooLarge(`“${name}”解压后 ${(size / MiB).toFixed(0)} MB，上限 ${(limit / MiB).toFixed(0)} MB`);
    if (size > limits.ratioFloorBytes && size / Math.max(compressedSize, 1) > limits.maxRatio) {
      throw tooLarge(`“${name}”压缩比 ${(size / Math.max(compressedSize, 1)).toFixed(0)}:1，上限 ${limits.maxRatio}:1`);
    }
    if (method === 0 && size !== compressedSize) throw corrupt('目录项大小不一致');
    total += size;
    if (total > limits.maxTotalBytes) throw tooLarge(`解压后合计超过 ${(limits.maxTotalBytes / MiB).toFixed(0)} MB`);
    // Where the data starts comes from the local header, whose name and extra lengths may differ.
    if (localOffset + 30 > cdOffset) throw corrupt('文件位置错误');
    const local = readAt(fd, localOffset, 30);
    if (local.readUInt32LE(0) !== LOC) throw corrupt('文件头错误');
    const dataOffset = localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
    if (dataOffset + compressedSize > cdOffset) throw corrupt('文件位置错误');
    entries.push({ name, method: method as 0 | 8, crc, compressedSize, size, dataOffset });
  }
  return entries;
}

/** The data of the ZIP64 extra field among an entry's extra fields, if there is one. */
function zip64Extra(extra: Buffer): Buffer | undefined {
  for (let i = 0; i + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(i);
    const len = extra.readUInt16LE(i + 2);
    if (i + 4 + len > extra.length) return undefined;
    if (id === ZIP64_EXTRA) return extra.subarray(i + 4, i + 4 + len);
    i += 4 + len;
  }
  return undefined;
}

/** Counts elements, text runs and row lengths of an XML stream as it passes, chunk by chunk (exported for its tests). */
export class XmlScanner {
  private tags = 0;
  private run = 0;
  /** Absolute offset of the open `<row`, or -1. */
  private rowStart = -1;
  /** Bytes of earlier chunks. */
  private consumed = 0;
  /** The last bytes of earlier chunks: a `<` there still waits for the bytes that name its element. */
  private tail = Buffer.alloc(0);

  constructor(
    private readonly name: string,
    private readonly limits: XmlScan,
  ) {}

  /** Returns a refusal, or undefined while within limits. */
  feed(chunk: Buffer): AppError | undefined {
    const { maxTags = Infinity, maxRunBytes = Infinity, maxRowBytes = Infinity } = this.limits;
    const buf = this.tail.length ? Buffer.concat([this.tail, chunk]) : chunk;
    const fresh = this.tail.length; // a '<' before this index was counted with the earlier chunk
    const base = this.consumed - fresh; // absolute offset of buf[0]
    let prev = fresh;
    for (let k = buf.indexOf(0x3c); k !== -1; k = buf.indexOf(0x3c, k + 1)) {
      if (k >= fresh) {
        this.run += k - prev;
        if (this.run > maxRunBytes) return this.refuse('run');
        this.run = 0;
        prev = k + 1;
        if (++this.tags > maxTags) return tooLarge(`“${this.name}”的元素超过 ${maxTags} 个`);
      }
      // Every '<' in the tail was still waiting: the tail is shorter than the bytes a name needs.
      if (k + TAIL <= buf.length) this.element(buf, k, base);
      if (this.rowStart >= 0 && base + k - this.rowStart > maxRowBytes) return this.refuse('row');
    }
    this.run += buf.length - prev;
    this.consumed += chunk.length;
    this.tail = Buffer.from(buf.subarray(Math.max(0, buf.length - (TAIL - 1))));
    if (this.run > maxRunBytes) return this.refuse('run');
    if (this.rowStart >= 0 && this.consumed - this.rowStart > maxRowBytes) return this.refuse('row');
    return undefined;
  }

  private refuse(what: 'run' | 'row'): AppError {
    return what === 'run'
      ? tooLarge(`“${this.name}”中有超过 ${Math.ceil((this.limits.maxRunBytes ?? 0) / 1024)} KB 的单个内容`)
      : tooLarge(`“${this.name}”中有超过 ${Math.ceil((this.limits.maxRowBytes ?? 0) / 1024)} KB 的一行`);
  }

  /** The element whose `<` is at buf[k]: a row opens, or a row or the sheet data closes. */
  private element(buf: Buffer, k: number, base: number): void {
    const head = buf.toString('latin1', k + 1, k + TAIL);
    if (/^row[\s>/]/.test(head)) this.rowStart = base + k;
    else if (head.startsWith('/row>') || head.startsWith('/sheetData')) this.rowStart = -1;
  }
}

/** Bytes from a `<` that name the elements the scanner looks for (`</sheetData` is 11). */
const TAIL = 12;

/** Inflate one entry as a stream, counting bytes; refuse the moment it passes its declared size. `keep`: hold its bytes in `e.content`. */
function verifyEntry(file: string, e: ZipEntry, scan?: XmlScan, keep = false): Promise<void> {
  return new Promise((resolve, reject) => {
    const src = e.compressedSize
      ? fs.createReadStream(file, {
          start: e.dataOffset,
          end: e.dataOffset + e.compressedSize - 1,
          highWaterMark: 64 * 1024,
        })
      : null;
    const inflate = e.method === 8 ? zlib.createInflateRaw({ chunkSize: 64 * 1024 }) : null;
    const scanner = scan ? new XmlScanner(e.name, scan) : null;
    const kept: Buffer[] = [];
    let size = 0;
    let crc = 0;
    let done = false;
    const finish = (err?: Error) => {
      if (done) return;
      done = true;
      src?.destroy();
      inflate?.destroy();
      if (err) reject(err);
      else if (size !== e.size) reject(corrupt(`“${e.name}”实际大小与声明不符`));
      else if (crc >>> 0 !== e.crc) reject(corrupt(`“${e.name}”校验失败`));
      else {
        if (keep) e.content = Buffer.concat(kept);
        resolve();
      }
    };
    const count = (chunk: Buffer) => {
      size += chunk.length;
      if (size > e.size) {
        finish(tooLarge(`“${e.name}”实际解压大小超过声明的 ${e.size} 字节`));
        return;
      }
      crc = zlib.crc32(chunk, crc);
      if (keep) kept.push(chunk);
      const refused = scanner?.feed(chunk);
      if (refused) finish(refused);
    };
    if (!src) {
      // An empty stored entry, or a deflate entry with no data: nothing to inflate.
      if (e.method === 8 && e.size > 0) finish(corrupt(`“${e.name}”数据缺失`));
      else finish();
      return;
    }
    src.on('error', (err) => finish(corrupt(`“${e.name}”读取失败`, err)));
    if (inflate) {
      inflate.on('data', count);
      inflate.on('error', (err) => finish(corrupt(`“${e.name}”解压失败`, err)));
      inflate.on('end', () => finish());
      src.pipe(inflate);
    } else {
      src.on('data', (c) => count(c as Buffer));
      src.on('end', () => finish());
    }
  });
}

function localHeader(e: ZipEntry, name: Buffer): Buffer {
  const h = Buffer.alloc(30);
  h.writeUInt32LE(LOC, 0);
  h.writeUInt16LE(20, 4);
  h.writeUInt16LE(0x0800, 6); // UTF-8 names; sizes are in this header (no data descriptor)
  h.writeUInt16LE(e.method, 8);
  h.writeUInt32LE(e.crc, 14);
  h.writeUInt32LE(e.compressedSize, 18);
  h.writeUInt32LE(e.size, 22);
  h.writeUInt16LE(name.length, 26);
  return h;
}

function centralHeader(e: ZipEntry, name: Buffer, offset: number): Buffer {
  const h = Buffer.alloc(46);
  h.writeUInt32LE(CEN, 0);
  h.writeUInt16LE(20, 4);
  h.writeUInt16LE(20, 6);
  h.writeUInt16LE(0x0800, 8);
  h.writeUInt16LE(e.method, 10);
  h.writeUInt32LE(e.crc, 16);
  h.writeUInt32LE(e.compressedSize, 20);
  h.writeUInt32LE(e.size, 24);
  h.writeUInt16LE(name.length, 28);
  h.writeUInt32LE(offset, 42);
  return h;
}

/** The length of the longest prefix of `buf` that ends on a whole UTF-8 character. */
export function wholeUtf8Length(buf: Buffer): number {
  // Look back over at most 3 continuation bytes for the lead byte of the last character.
  for (let i = buf.length - 1, back = 0; i >= 0 && back < 4; i--, back++) {
    const b = buf[i];
    if ((b & 0xc0) === 0x80) continue; // continuation byte
    const need = b < 0x80 ? 1 : (b & 0xe0) === 0xc0 ? 2 : (b & 0xf0) === 0xe0 ? 3 : (b & 0xf8) === 0xf0 ? 4 : 1;
    return buf.length - i >= need ? buf.length : i;
  }
  return buf.length;
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * UTF-8 XML in, ASCII XML out: each non-ASCII character as a numeric character reference. Characters
 * split across input chunks are carried to the next chunk, so none is ever cut. A leading byte-order
 * mark (written by .NET and other generators) is dropped: as a reference before `<?xml` it would be
 * text before the document, which no XML parser accepts.
 */
export class AsciiXml extends Transform {
  private carry: Buffer = Buffer.alloc(0);
  private started = false;

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    let buf = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    if (!this.started) {
      // Wait for three bytes while they may still be a byte-order mark.
      if (buf.length < BOM.length && BOM.subarray(0, buf.length).equals(buf)) {
        this.carry = Buffer.from(buf);
        done();
        return;
      }
      this.started = true;
      if (buf.subarray(0, BOM.length).equals(BOM)) buf = buf.subarray(BOM.length);
    }
    const whole = wholeUtf8Length(buf);
    this.carry = Buffer.from(buf.subarray(whole));
    done(null, encodeAscii(buf.subarray(0, whole)));
  }

  override _flush(done: TransformCallback): void {
    // A part of one or two bytes that began like a byte-order mark: they are not one.
    done(null, this.carry.length ? encodeAscii(this.carry) : undefined);
  }
}

function encodeAscii(bytes: Buffer): Buffer {
  let ascii = true;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return Buffer.from(bytes);
  return Buffer.from(
    bytes.toString('utf8').replace(/[^\p{ASCII}]/gu, (c) => `&#x${(c.codePointAt(0) ?? 0xfffd).toString(16)};`),
    'latin1',
  );
}

/** An extra part the caller adds to the normalized copy (e.g. an empty shared-strings table). */
export interface ExtraEntry {
  name: string;
  content: Buffer;
}

/**
 * Check `src` against `limits` (declared sizes, then actual inflated sizes of every entry) and write
 * `dest` with the entries `select` returns, in that order, plus `extra`. Throws an AppError
 * (`UPLOAD_TOO_LARGE_INFLATED` or `UNSUPPORTED_FILE`) and writes nothing when a check fails.
 * `read` names small entries whose inflated bytes `select` needs (in `ZipEntry.content`).
 */
export async function guardZip(
  src: string,
  dest: string,
  limits: ZipLimits,
  select: (entries: ZipEntry[]) => { keep: ZipEntry[]; extra?: ExtraEntry[] } = (entries) => ({ keep: entries }),
  opts: { asciiXml?: (name: string) => boolean; read?: (entry: ZipEntry) => boolean } = {},
): Promise<ZipEntry[]> {
  const fd = fs.openSync(src, 'r');
  let entries: ZipEntry[];
  try {
    entries = readCentralDirectory(fd, fs.fstatSync(fd).size, limits);
  } finally {
    fs.closeSync(fd);
  }
  // One entry at a time: a bomb costs one inflate stream's buffers, never more.
  for (const e of entries) await verifyEntry(src, e, limits.xmlScan?.(e.name), opts.read?.(e) ?? false);

  const { keep, extra = [] } = select(entries);
  // Each part of the copy with its stored bytes as a stream: an entry from the source file by its
  // offset, an extra part from memory (it has no place in the source).
  const parts: { e: ZipEntry; stored: () => Readable }[] = [
    ...keep.map((e) => ({
      e,
      stored: () =>
        e.compressedSize
          ? fs.createReadStream(src, {
              start: e.dataOffset,
              end: e.dataOffset + e.compressedSize - 1,
              highWaterMark: 64 * 1024,
            })
          : Readable.from([]),
    })),
    ...extra.map((x) => {
      const data = zlib.deflateRawSync(x.content);
      const e: ZipEntry = {
        name: x.name,
        method: 8,
        crc: zlib.crc32(x.content) >>> 0,
        compressedSize: data.length,
        size: x.content.length,
        dataOffset: -1,
      };
      return { e, stored: () => Readable.from([data]) };
    }),
  ];
  const out = fs.openSync(dest, 'w', 0o600);
  let current = '';
  try {
    let offset = 0;
    const central: Buffer[] = [];
    const write = (b: Buffer) => {
      let w = 0;
      while (w < b.length) w += fs.writeSync(out, b, w, b.length - w);
      offset += b.length;
    };
    /** Writes what passes through it, counting size and CRC. */
    const sink = () => {
      const counted = { size: 0, crc: 0 };
      const stream = new Transform({
        transform(chunk: Buffer, _enc, done) {
          write(chunk);
          counted.size += chunk.length;
          counted.crc = zlib.crc32(chunk, counted.crc);
          done();
        },
      });
      return { stream, counted };
    };
    for (const { e, stored } of parts) {
      current = e.name;
      const name = Buffer.from(e.name, 'utf8');
      const headerAt = offset;
      if (opts.asciiXml?.(e.name) && e.size > 0) {
        // Re-encoded parts are written stored (method 0); their size and CRC are known only afterwards,
        // so the local header is patched in place once the bytes are written.
        write(localHeader({ ...e, method: 0, crc: 0, compressedSize: 0, size: 0 }, name));
        write(name);
        const { stream, counted } = sink();
        if (e.method === 8)
          await pipeline(stored(), zlib.createInflateRaw({ chunkSize: 64 * 1024 }), new AsciiXml(), stream);
        else await pipeline(stored(), new AsciiXml(), stream);
        const done: ZipEntry = {
          ...e,
          method: 0,
          crc: counted.crc >>> 0,
          compressedSize: counted.size,
          size: counted.size,
        };
        fs.writeSync(out, localHeader(done, name), 0, 30, headerAt);
        central.push(centralHeader(done, name, headerAt), name);
        continue;
      }
      write(localHeader(e, name));
      write(name);
      const { stream, counted } = sink();
      await pipeline(stored(), stream);
      if (counted.size !== e.compressedSize) throw corrupt(`“${e.name}”复制时大小不符`);
      central.push(centralHeader(e, name, headerAt), name);
    }
    current = '';
    const cd = Buffer.concat(central);
    const cdOffset = offset;
    write(cd);
    const eocd = Buffer.alloc(22);
    eocd.writeUInt32LE(EOCD, 0);
    eocd.writeUInt16LE(parts.length, 8);
    eocd.writeUInt16LE(parts.length, 10);
    eocd.writeUInt32LE(cd.length, 12);
    eocd.writeUInt32LE(cdOffset, 16);
    write(eocd);
  } catch (err) {
    fs.closeSync(out);
    fs.rmSync(dest, { force: true });
    // The disk (a system call failed) is the server's problem. Anything else comes from the file's
    // bytes: every entry was inflated and checked above, so it is not expected, but it is still the
    // file's refusal (never a 500), and the log gets what failed.
    if (err instanceof AppError || (err as NodeJS.ErrnoException).syscall) throw err;
    throw corrupt(current ? `“${current}”无法读取` : '无法写出检查后的副本', err);
  }
  fs.closeSync(out);
  return entries;
}
