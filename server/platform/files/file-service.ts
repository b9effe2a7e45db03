/**
 * Files users send and the platform keeps (SEC-17, SEC-21): evidence of organizational life, and
 * import workbooks on their way to the parser.
 *
 * `store` streams an upload into the blob store under a generated key while it counts bytes, computes
 * the SM3 digest and tells the kind from the first bytes; a file of a kind not allowed, too large, or
 * cut off (the client went away) is refused and nothing of it stays. `open` gives the bytes back
 * through an SM3 check: a file changed on disk fails with DATA_INTEGRITY before its last bytes are
 * released. The caller keeps `key`, `sm3`, `size` and `kind` in its own table; the service keeps no
 * record of its own.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { type Readable, Transform, type TransformCallback, pipeline as pipelineCb } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { CryptoProvider, Sm3Hasher } from '../crypto.ts';
import { AppError } from '../errors.ts';
import { BlobNotFoundError, type BlobStore, isBlobKey, newBlobKey } from './blob-store.ts';
import { FILE_KINDS, type FileKind, sniffKind, ZIP_SNIFF_BYTES } from './kinds.ts';
import { LocalDirStore, STALE_TMP_MS, sweepOlderThan, untilClosed } from './local-dir-store.ts';

export interface StoreOptions {
  /** Kinds accepted, told by magic bytes (never by name or declared type). */
  allowedKinds: readonly FileKind[];
  /** Largest size in bytes: one for all, or one per allowed kind (settings `files.max*MB`, see `sizeLimits`). */
  maxBytes: number | Partial<Record<FileKind, number>>;
  /** Chinese messages in place of the generic ones. */
  messages?: { unsupported?: string; tooLarge?: string };
}

/** What the caller records beside its own row (the evidence table stores key, sm3, size, kind). */
export interface StoredFile {
  /** Generated blob key (32 hex digits). */
  key: string;
  size: number;
  /** SM3 of the bytes, lowercase hex: given back to `open` to check them on every read. */
  sm3: string;
  kind: FileKind;
  /** From the kind, never from the client. */
  mime: string;
}

const SM3_HEX = /^[0-9a-f]{64}$/;
const MiB = 1024 * 1024;

/** The limit of each allowed kind; a kind without one is a programming error. */
export function limitOf(opts: Pick<StoreOptions, 'allowedKinds' | 'maxBytes'>, kind: FileKind): number {
  const limit = typeof opts.maxBytes === 'number' ? opts.maxBytes : opts.maxBytes[kind];
  if (limit === undefined || !(limit >= 0)) throw new Error(`no size limit for file kind ${kind}`);
  return limit;
}

/** The largest limit among the allowed kinds: what an upload may reach before its kind is known. */
export function ceilingOf(opts: Pick<StoreOptions, 'allowedKinds' | 'maxBytes'>): number {
  if (!opts.allowedKinds.length) throw new Error('no file kinds allowed');
  return Math.max(...opts.allowedKinds.map((k) => limitOf(opts, k)));
}

function formatMb(bytes: number): string {
  const mb = bytes / MiB;
  return Number.isInteger(mb) ? String(mb) : mb.toFixed(1);
}

/** PAYLOAD_TOO_LARGE with the limit in the message. */
export function tooLargeError(opts: Pick<StoreOptions, 'messages'>, limit: number): AppError {
  return new AppError(
    'PAYLOAD_TOO_LARGE',
    opts.messages?.tooLarge ?? `文件超过 ${formatMb(limit)} MB 的上限，请压缩或拆分后重新上传`,
  );
}

function unsupportedError(opts: StoreOptions, empty: boolean): AppError {
  if (empty) return new AppError('UNSUPPORTED_FILE', '文件为空，请重新选择文件');
  const labels = opts.allowedKinds.map((k) => FILE_KINDS[k].label).join('、');
  return new AppError(
    'UNSUPPORTED_FILE',
    opts.messages?.unsupported ?? `文件类型不支持（按文件内容识别，与文件扩展名无关），可上传：${labels}`,
  );
}

/** The Chinese message when a stored file's bytes no longer match the digest recorded with it (SEC-17). */
export const FILE_ALTERED_MESSAGE =
  '文件完整性校验失败：存储的文件与登记时的 SM3 摘要不符，可能已被改动，请联系管理员并提供请求编号';
export const FILE_MISSING_MESSAGE = '文件完整性校验失败：存储的文件已缺失，请联系管理员并提供请求编号';

/** Counts, hashes and sniffs an upload as it passes; refuses it the moment it breaks a rule. */
class Inspector extends Transform {
  size = 0;
  kind: FileKind | null = null;
  /** The AppError this upload was refused with (other failures come from the source or the store). */
  refusal: AppError | null = null;
  private head: Buffer[] = [];
  private headLength = 0;
  private limit: number;

  constructor(
    readonly hasher: Sm3Hasher,
    private readonly opts: StoreOptions,
  ) {
    super();
    this.limit = ceilingOf(opts);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.size += chunk.length;
    let err: AppError | undefined;
    if (this.size > this.limit) err = this.refuse(tooLargeError(this.opts, this.limit));
    else {
      this.hasher.update(chunk);
      if (!this.kind) {
        this.head.push(chunk);
        this.headLength += chunk.length;
        err = this.decide(false);
      }
    }
    if (err) cb(err);
    else cb(null, chunk);
  }

  override _flush(cb: TransformCallback): void {
    cb(this.kind ? undefined : this.decide(true));
  }

  private decide(final: boolean): AppError | undefined {
    // The sniffer never needs more than the zip window; past it the head is not kept growing.
    const head = Buffer.concat(this.head, Math.min(this.headLength, ZIP_SNIFF_BYTES));
    const kind = sniffKind(head, final || this.headLength >= ZIP_SNIFF_BYTES);
    if (kind === 'more') return undefined;
    this.head = [];
    if (!kind || !this.opts.allowedKinds.includes(kind))
      return this.refuse(unsupportedError(this.opts, this.size === 0));
    this.kind = kind;
    this.limit = limitOf(this.opts, kind);
    if (this.size > this.limit) return this.refuse(tooLargeError(this.opts, this.limit));
    return undefined;
  }

  private refuse(e: AppError): AppError {
    this.refusal = e;
    return e;
  }
}

export class FileService {
  constructor(
    readonly blobs: BlobStore,
    private readonly crypto: Pick<CryptoProvider, 'sm3Hasher'>,
    /** A local directory for copies a parser needs as a file (`withLocalCopy`). */
    private readonly scratchDir: string,
  ) {
    fs.mkdirSync(scratchDir, { recursive: true, mode: 0o700 });
    // Copies left by a crashed process (a CLI command may share the directory with a running server: only old ones).
    sweepOlderThan(scratchDir, STALE_TMP_MS);
  }

  /**
   * Stream `source` into the store. Resolves with the generated key, size, SM3 and kind; rejects with
   * UNSUPPORTED_FILE or PAYLOAD_TOO_LARGE (Chinese messages), or with the source's own error when it
   * fails (a client that went away). On any failure nothing is left in the store.
   */
  async store(source: Readable, opts: StoreOptions): Promise<StoredFile> {
    const key = newBlobKey();
    const inspector = new Inspector(this.crypto.sm3Hasher(), opts);
    const fed = pipeline(source, inspector).then(
      () => undefined,
      (e: unknown) => e ?? new Error('upload failed'),
    );
    let failure: unknown;
    try {
      await this.blobs.put(key, inspector);
    } catch (e) {
      failure = e;
    }
    failure ??= await fed;
    if (failure || !inspector.kind) {
      await this.blobs.delete(key).catch(() => {});
      throw inspector.refusal ?? failure ?? new Error('upload failed');
    }
    const sm3 = inspector.hasher.digest();
    return { key, size: inspector.size, sm3, kind: inspector.kind, mime: FILE_KINDS[inspector.kind].mime };
  }

  /**
   * The stored bytes, checked against `expectedSm3` as they pass. The last chunk is held back until
   * the digest matches, so a reader never receives the whole of a file that was changed on disk: the
   * stream errors with DATA_INTEGRITY instead (and with DATA_INTEGRITY at once if the file is gone).
   */
  async open(key: string, expectedSm3: string): Promise<Readable> {
    if (!isBlobKey(key) || !SM3_HEX.test(expectedSm3)) throw new Error('invalid file reference');
    let src: Readable;
    try {
      src = await this.blobs.get(key);
    } catch (e) {
      if (e instanceof BlobNotFoundError) throw new AppError('DATA_INTEGRITY', FILE_MISSING_MESSAGE);
      throw e;
    }
    const hasher = this.crypto.sm3Hasher();
    let held: Buffer | null = null;
    const check = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        hasher.update(chunk);
        if (held) this.push(held);
        held = chunk;
        cb();
      },
      flush(cb) {
        if (hasher.digest() !== expectedSm3) {
          cb(new AppError('DATA_INTEGRITY', FILE_ALTERED_MESSAGE));
          return;
        }
        if (held) this.push(held);
        cb();
      },
    });
    // Errors of either stream end up on `check`, the one the caller reads.
    return pipelineCb(src, check, () => {});
  }

  /** Read the whole file through the digest check; rejects with DATA_INTEGRITY on a mismatch. */
  async verify(key: string, expectedSm3: string): Promise<void> {
    for await (const _ of await this.open(key, expectedSm3)) {
      // read to the end
    }
  }

  /**
   * Run `fn` on a checked local copy of the file, for parsers that need random access (the zip
   * guard reads an archive's directory from its end). The copy has a generated name and is removed
   * when `fn` settles.
   */
  async withLocalCopy<T>(key: string, expectedSm3: string, fn: (file: string) => Promise<T>): Promise<T> {
    const copy = path.join(this.scratchDir, `${newBlobKey()}.tmp`);
    const out = fs.createWriteStream(copy, { flags: 'wx', mode: 0o600 });
    try {
      await pipeline(await this.open(key, expectedSm3), out);
      return await fn(copy);
    } finally {
      // A failed copy's stream may still create its file after the failure (or was never piped, when
      // open() refused): end it and wait for it to close before removing the copy.
      out.destroy();
      await untilClosed(out);
      await fsp.rm(copy, { force: true });
    }
  }

  /** Remove bytes no committed row has referred to (see `BlobStore.delete`). */
  async delete(key: string): Promise<void> {
    await this.blobs.delete(key);
  }

  /**
   * Remove a file a committed row referred to, after the transaction that dropped the reference has
   * committed: a backup that started before still finds it during the grace period (`BlobStore.retire`).
   */
  async retire(key: string): Promise<void> {
    await this.blobs.retire(key);
  }
}

/** The platform's file service: blobs under `<filesDir>/blobs`, scratch copies under `<filesDir>/scratch`. */
export function createFileService(filesDir: string, crypto: Pick<CryptoProvider, 'sm3Hasher'>): FileService {
  return new FileService(new LocalDirStore(path.join(filesDir, 'blobs')), crypto, path.join(filesDir, 'scratch'));
}
