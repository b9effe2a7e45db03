/**
 * Where file bytes live. Keys are opaque names the file service generates (`newBlobKey`); nothing a
 * user sends ever becomes part of one. Streams only, no file-system paths: a local directory
 * (`LocalDirStore`) today, an S3-compatible bucket later (put = a multipart upload that is aborted
 * when the stream fails, get = GetObject's body, delete = DeleteObject, exists = HeadObject).
 */
import crypto from 'node:crypto';
import type { Readable } from 'node:stream';

export interface BlobStore {
  /**
   * Store `data` under `key`, which must not exist yet. Resolves when the bytes are durable; if `data`
   * errors or is destroyed, rejects and leaves nothing behind: no object under `key`, no partial copy.
   */
  put(key: string, data: Readable): Promise<{ size: number }>;
  /**
   * The bytes under `key`; rejects with `BlobNotFoundError` when there are none. `retired`: the bytes
   * of a key retired within the grace period (the backup's reads), if there are no others.
   */
  get(key: string, opts?: { retired?: boolean }): Promise<Readable>;
  /**
   * Remove `key` at once; removing a key that does not exist is not an error. Only for bytes no
   * committed row has referred to (a refused upload, an original replaced before it was recorded, an
   * import parsed): a file a row referred to is retired instead.
   */
  delete(key: string): Promise<void>;
  /**
   * Remove a file a committed row referred to: it leaves `get` and `exists` now, and its bytes are
   * kept for `RETIRED_GRACE_MS` (longer than any backup runs), so a backup whose snapshot still holds
   * the row copies it (S3: a `retired/` prefix with a lifecycle rule).
   */
  retire(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
}

/** How long a retired file's bytes stay readable to a backup. */
export const RETIRED_GRACE_MS = 7 * 24 * 3600 * 1000;

export class BlobNotFoundError extends Error {
  constructor(key: string) {
    super(`blob ${key} not found`);
    this.name = 'BlobNotFoundError';
  }
}

const KEY = /^[0-9a-f]{32}$/;

/** A fresh key: 128 random bits in lowercase hex. */
export function newBlobKey(): string {
  return crypto.randomBytes(16).toString('hex');
}

/** True for a key `newBlobKey` could have made (stores refuse anything else). */
export function isBlobKey(key: string): boolean {
  return KEY.test(key);
}
