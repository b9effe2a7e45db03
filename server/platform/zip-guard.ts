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
 * ZIP64, encryption and methods other than stored/deflate are refused: an Office file under the
 * upload limit never needs them.
 */
import fs from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';
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
}

const MiB = 1024 * 1024;
const EOCD = 0x06054b50;
const CEN = 0x02014b50;
const LOC = 0x04034b50;

function tooLarge(detail: string): AppError {
  return new AppError('UPLOAD_TOO_LARGE_INFLATED', `文件解压后的内容超出限制（${detail}），已拒绝，未写入任何数据；请检查文件或拆分后重新导入`);
}
function corrupt(detail: string): AppError {
  return new AppError('UNSUPPORTED_FILE', `文件已损坏或不是有效的 .xlsx 文件（${detail}），请用 Excel 或 WPS 另存为 .xlsx 后重试`);
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
  const disk = tail.readUInt16LE(at + 4);
  const cdDisk = tail.readUInt16LE(at + 6);
  const onDisk = tail.readUInt16LE(at + 8);
  const count = tail.readUInt16LE(at + 10);
  const cdSize = tail.readUInt32LE(at + 12);
  const cdOffset = tail.readUInt32LE(at + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) throw corrupt('不支持 ZIP64');
  if (disk !== 0 || cdDisk !== 0 || onDisk !== count) throw corrupt('不支持分卷压缩');
  if (count > limits.maxEntries) throw tooLarge(`包含 ${count} 个文件，上限 ${limits.maxEntries}`);
  const eocdPos = fileSize - tailLen + at;
  if (cdOffset + cdSize > eocdPos) throw corrupt('目录位置错误');
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
    const compressedSize = cd.readUInt32LE(p + 20);
    const size = cd.readUInt32LE(p + 24);
    const nameLen = cd.readUInt16LE(p + 28);
    const extraLen = cd.readUInt16LE(p + 30);
    const commentLen = cd.readUInt16LE(p + 32);
    const localOffset = cd.readUInt32LE(p + 42);
    if (p + 46 + nameLen > cd.length) throw corrupt('目录项错误');
    const name = cd.toString('utf8', p + 46, p + 46 + nameLen);
    p += 46 + nameLen + extraLen + commentLen;
    if (flags & 0x1) throw corrupt('文件已加密');
    if (method !== 0 && method !== 8) throw corrupt('不支持的压缩方式');
    if (compressedSize === 0xffffffff || size === 0xffffffff || localOffset === 0xffffffff) throw corrupt('不支持 ZIP64');
    if (names.has(name)) throw corrupt('包含重名文件');
    names.add(name);
    const limit = limits.perEntryBytes?.[name] ?? limits.maxEntryBytes;
    if (size > limit) throw tooLarge(`“${name}”解压后 ${(size / MiB).toFixed(0)} MB，上限 ${(limit / MiB).toFixed(0)} MB`);
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

/** Inflate one entry as a stream, counting bytes; refuse the moment it passes its declared size. */
function verifyEntry(file: string, e: ZipEntry, scan?: XmlScan): Promise<void> {
  return new Promise((resolve, reject) => {
    const src = e.compressedSize
      ? fs.createReadStream(file, { start: e.dataOffset, end: e.dataOffset + e.compressedSize - 1, highWaterMark: 64 * 1024 })
      : null;
    const inflate = e.method === 8 ? zlib.createInflateRaw({ chunkSize: 64 * 1024 }) : null;
    const scanner = scan ? new XmlScanner(e.name, scan) : null;
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
      else if ((crc >>> 0) !== e.crc) reject(corrupt(`“${e.name}”校验失败`));
      else resolve();
    };
    const count = (chunk: Buffer) => {
      size += chunk.length;
      if (size > e.size) {
        finish(tooLarge(`“${e.name}”实际解压大小超过声明的 ${e.size} 字节`));
        return;
      }
      crc = zlib.crc32(chunk, crc);
      const refused = scanner?.feed(chunk);
      if (refused) finish(refused);
    };
    if (!src) {
      // An empty stored entry, or a deflate entry with no data: nothing to inflate.
      if (e.method === 8 && e.size > 0) finish(corrupt(`“${e.name}”数据缺失`));
      else finish();
      return;
    }
    src.on('error', (err) => finish(corrupt(err.message)));
    if (inflate) {
      inflate.on('data', count);
      inflate.on('error', () => finish(corrupt(`“${e.name}”解压失败`)));
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

/**
 * UTF-8 XML in, ASCII XML out: each non-ASCII character as a numeric character reference. Characters
 * split across input chunks are carried to the next chunk, so none is ever cut.
 */
export class AsciiXml extends Transform {
  private carry: Buffer = Buffer.alloc(0);

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    const buf = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    const whole = wholeUtf8Length(buf);
    this.carry = Buffer.from(buf.subarray(whole));
    done(null, encodeAscii(buf.subarray(0, whole)));
  }

  override _flush(done: TransformCallback): void {
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
  return Buffer.from(bytes.toString('utf8').replace(/[^\p{ASCII}]/gu, (c) => `&#x${(c.codePointAt(0) ?? 0xfffd).toString(16)};`), 'latin1');
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
 */
export async function guardZip(
  src: string,
  dest: string,
  limits: ZipLimits,
  select: (entries: ZipEntry[]) => { keep: ZipEntry[]; extra?: ExtraEntry[] } = (entries) => ({ keep: entries }),
  opts: { asciiXml?: (name: string) => boolean } = {},
): Promise<ZipEntry[]> {
  const fd = fs.openSync(src, 'r');
  let entries: ZipEntry[];
  try {
    entries = readCentralDirectory(fd, fs.fstatSync(fd).size, limits);
  } finally {
    fs.closeSync(fd);
  }
  // One entry at a time: a bomb costs one inflate stream's buffers, never more.
  for (const e of entries) await verifyEntry(src, e, limits.xmlScan?.(e.name));

  const { keep, extra = [] } = select(entries);
  const out = fs.openSync(dest, 'w', 0o600);
  const inFd = fs.openSync(src, 'r');
  try {
    let offset = 0;
    const central: Buffer[] = [];
    const write = (b: Buffer) => {
      let w = 0;
      while (w < b.length) w += fs.writeSync(out, b, w, b.length - w);
      offset += b.length;
    };
    const parts: { e: ZipEntry; data: () => Buffer }[] = [
      ...keep.map((e) => ({ e, data: () => readAt(inFd, e.dataOffset, e.compressedSize) })),
      ...extra.map((x) => {
        const data = zlib.deflateRawSync(x.content);
        const e: ZipEntry = { name: x.name, method: 8, crc: zlib.crc32(x.content) >>> 0, compressedSize: data.length, size: x.content.length, dataOffset: 0 };
        return { e, data: () => data };
      }),
    ];
    for (const { e, data } of parts) {
      const name = Buffer.from(e.name, 'utf8');
      if (opts.asciiXml?.(e.name) && e.size > 0) {
        // Re-encoded parts are written stored (method 0); their size and CRC are known only afterwards,
        // so the local header is patched in place once the bytes are written.
        const headerAt = offset;
        write(localHeader({ ...e, method: 0, crc: 0, compressedSize: 0, size: 0 }, name));
        write(name);
        let size = 0;
        let crc = 0;
        const sink = new Transform({
          transform(chunk: Buffer, _enc, done) {
            write(chunk);
            size += chunk.length;
            crc = zlib.crc32(chunk, crc);
            done();
          },
        });
        const raw = fs.createReadStream(src, { start: e.dataOffset, end: e.dataOffset + e.compressedSize - 1, highWaterMark: 64 * 1024 });
        if (e.method === 8) await pipeline(raw, zlib.createInflateRaw({ chunkSize: 64 * 1024 }), new AsciiXml(), sink);
        else await pipeline(raw, new AsciiXml(), sink);
        const done: ZipEntry = { ...e, method: 0, crc: crc >>> 0, compressedSize: size, size };
        fs.writeSync(out, localHeader(done, name), 0, 30, headerAt);
        central.push(centralHeader(done, name, headerAt), name);
        continue;
      }
      central.push(centralHeader(e, name, offset), name);
      write(localHeader(e, name));
      write(name);
      write(data());
    }
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
  } catch (e) {
    fs.closeSync(out);
    fs.rmSync(dest, { force: true });
    fs.closeSync(inFd);
    throw e;
  }
  fs.closeSync(inFd);
  fs.closeSync(out);
  return entries;
}
