/**
 * The container of a backup archive: a POSIX ustar file of regular files only, so any `tar` can list
 * and extract it (`tar -tf`, `tar -xf … files/ab/<sm3>`), while the platform reads it by offset: the
 * headers are walked with small reads, and an entry is streamed from its offset without reading the
 * others (the files of a base archive are fetched one by one, the database part without the files).
 *
 * Writing needs a seekable file, not a pipe: each entry's header is written once its data has been
 * streamed and its size is known. Sizes of 8 GiB and more use the GNU base-256 size field.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { Readable } from 'node:stream';

const BLOCK = 512;
const OCTAL_SIZE_MAX = 8 ** 11 - 1;
const ZERO = Buffer.alloc(BLOCK * 2);

export interface TarEntry {
  name: string;
  /** Bytes of data. */
  size: number;
  /** Offset of the data in the file. */
  offset: number;
}

/** A tar file that is not one, or is cut short: the message says where. */
export class TarFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TarFormatError';
  }
}

function writeOctal(buf: Buffer, at: number, width: number, value: number): void {
  buf.write(`${value.toString(8).padStart(width - 1, '0')}\0`, at, width, 'ascii');
}

/** A ustar header for a regular file (exported for its test). */
export function tarHeader(name: string, size: number, mtime: Date): Buffer {
  const h = Buffer.alloc(BLOCK);
  if (Buffer.byteLength(name) > 100) throw new Error(`tar entry name too long: ${name}`);
  h.write(name, 0, 100, 'utf8');
  writeOctal(h, 100, 8, 0o600);
  writeOctal(h, 108, 8, 0);
  writeOctal(h, 116, 8, 0);
  if (size <= OCTAL_SIZE_MAX) writeOctal(h, 124, 12, size);
  else {
    // GNU base-256: the high bit of the first byte set, the size big-endian in the rest.
    h[124] = 0x80;
    let v = BigInt(size);
    for (let i = 135; i > 124; i--) {
      h[i] = Number(v & 0xffn);
      v >>= 8n;
    }
  }
  writeOctal(h, 136, 12, Math.floor(mtime.getTime() / 1000));
  h.write('        ', 148, 8, 'ascii');
  h.write('0', 156, 1, 'ascii');
  h.write('ustar\0', 257, 6, 'ascii');
  h.write('00', 263, 2, 'ascii');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  return h;
}

/** The size field of a header: octal, or GNU base-256. */
export function readSize(h: Buffer): number {
  if (h[124] & 0x80) {
    let v = 0n;
    for (let i = 125; i < 136; i++) v = (v << 8n) | BigInt(h[i]);
    return Number(v);
  }
  return Number.parseInt(h.toString('ascii', 124, 136).replace(/\0.*$/s, '').trim() || '0', 8);
}

function checksumOk(h: Buffer): boolean {
  const stored = Number.parseInt(h.toString('ascii', 148, 156).replace(/\0.*$/s, '').trim(), 8);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i];
  return sum === stored;
}

const padding = (size: number) => (BLOCK - (size % BLOCK)) % BLOCK;

/** Writes a tar file entry by entry. Create with `TarWriter.create`; end with `finish` (or `abort`). */
export class TarWriter {
  private position = 0;

  private constructor(
    private readonly fh: fsp.FileHandle,
    readonly file: string,
  ) {}

  /** A new file (0600); refuses to overwrite one. */
  static async create(file: string): Promise<TarWriter> {
    return new TarWriter(await fsp.open(file, 'wx', 0o600), file);
  }

  /** Bytes written so far. */
  get bytes(): number {
    return this.position;
  }

  private async write(buf: Uint8Array, at: number): Promise<void> {
    let done = 0;
    while (done < buf.length) {
      const { bytesWritten } = await this.fh.write(buf, done, buf.length - done, at + done);
      done += bytesWritten;
    }
  }

  /** Add an entry with `data` (a buffer, or chunks streamed in); resolves with its size. */
  async add(name: string, data: Uint8Array | AsyncIterable<Uint8Array | string>, mtime = new Date()): Promise<number> {
    const at = this.position;
    let size = 0;
    let pos = at + BLOCK;
    const chunks = data instanceof Uint8Array ? [data] : data;
    for await (const c of chunks) {
      const buf = typeof c === 'string' ? Buffer.from(c) : c;
      await this.write(buf, pos);
      pos += buf.length;
      size += buf.length;
    }
    const pad = padding(size);
    if (pad) await this.write(Buffer.alloc(pad), pos);
    await this.write(tarHeader(name, size, mtime), at);
    this.position = pos + pad;
    return size;
  }

  /** The closing blocks, flushed to disk. */
  async finish(): Promise<void> {
    await this.write(ZERO, this.position);
    this.position += ZERO.length;
    await this.fh.sync();
    await this.fh.close();
  }

  /** Close without finishing (the caller removes the file). */
  async abort(): Promise<void> {
    await this.fh.close().catch(() => {});
  }
}

/**
 * The entries of a tar file, read header by header (the data is skipped). Throws TarFormatError for
 * a file that is not a tar, a damaged header, or entries that run past the end of the file.
 */
export async function readTarIndex(file: string): Promise<TarEntry[]> {
  const fh = await fsp.open(file, 'r');
  try {
    const { size: total } = await fh.stat();
    const out: TarEntry[] = [];
    const h = Buffer.alloc(BLOCK);
    let at = 0;
    for (;;) {
      if (at + BLOCK > total) throw new TarFormatError(`归档在第 ${at} 字节处提前结束（缺少结尾块，可能在写入时中断）`);
      const { bytesRead } = await fh.read(h, 0, BLOCK, at);
      if (bytesRead < BLOCK) throw new TarFormatError(`归档在第 ${at} 字节处提前结束`);
      if (h.every((b) => b === 0)) return out;
      if (h.toString('ascii', 257, 262) !== 'ustar' || !checksumOk(h))
        throw new TarFormatError(`归档第 ${at} 字节处的条目头已损坏`);
      const name = h.toString('utf8', 0, 100).replace(/\0.*$/s, '');
      const size = readSize(h);
      const offset = at + BLOCK;
      if (offset + size > total) throw new TarFormatError(`归档条目 ${name} 不完整（文件在其数据中间结束）`);
      out.push({ name, size, offset });
      at = offset + size + padding(size);
    }
  } finally {
    await fh.close();
  }
}

/** The first entry of a tar file (a backup's header) without reading the rest; null when the file does not start with one. */
export async function readFirstEntry(file: string): Promise<{ entry: TarEntry; text: string } | null> {
  const fh = await fsp.open(file, 'r');
  try {
    const h = Buffer.alloc(BLOCK);
    const { bytesRead } = await fh.read(h, 0, BLOCK, 0);
    if (bytesRead < BLOCK || h.toString('ascii', 257, 262) !== 'ustar' || !checksumOk(h)) return null;
    const entry = { name: h.toString('utf8', 0, 100).replace(/\0.*$/s, ''), size: readSize(h), offset: BLOCK };
    if (entry.size > 1024 * 1024) return null;
    const data = Buffer.alloc(entry.size);
    const r = await fh.read(data, 0, entry.size, BLOCK);
    if (r.bytesRead < entry.size) return null;
    return { entry, text: data.toString('utf8') };
  } finally {
    await fh.close();
  }
}

/** The data of one entry as a stream. */
export function entryStream(file: string, entry: TarEntry): Readable {
  if (entry.size === 0) return Readable.from([]);
  return fs.createReadStream(file, {
    start: entry.offset,
    end: entry.offset + entry.size - 1,
    highWaterMark: 256 * 1024,
  });
}

/** The data of a small entry (a header or a manifest) as text. */
export async function entryText(file: string, entry: TarEntry): Promise<string> {
  const fh = await fsp.open(file, 'r');
  try {
    const buf = Buffer.alloc(entry.size);
    let done = 0;
    while (done < entry.size) {
      const { bytesRead } = await fh.read(buf, done, entry.size - done, entry.offset + done);
      if (!bytesRead) throw new TarFormatError(`归档条目 ${entry.name} 不完整`);
      done += bytesRead;
    }
    return buf.toString('utf8');
  } finally {
    await fh.close();
  }
}
