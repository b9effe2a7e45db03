/**
 * The default blob store: one directory outside any web root (`<data>/files/blobs`).
 *
 * `ab/cd/abcd…` — two levels of fan-out from the key, so no directory holds more than a few thousand
 * files even at a province's scale. Retired files wait in `.retired/` for their grace period. Files are 0600, directories 0700. A file is written under
 * `.tmp/` (same file system), flushed to disk, then renamed into place and the directory synced, so a
 * crash or a failed upload never leaves a half-written file under a real key (SEC-26); the partial
 * file is removed on failure, and left-overs of a crashed process are swept at start.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BlobNotFoundError, type BlobStore, isBlobKey, RETIRED_GRACE_MS } from './blob-store.ts';

/** Partial files older than this are a crashed process's; younger ones may be an upload in progress. */
export const STALE_TMP_MS = 24 * 3600 * 1000;

export class LocalDirStore implements BlobStore {
  readonly tmpDir: string;
  /** Retired files (`retire`), each named by its key, its mtime the moment it was retired. */
  readonly retiredDir: string;

  constructor(readonly root: string) {
    this.tmpDir = path.join(root, '.tmp');
    this.retiredDir = path.join(root, '.retired');
    fs.mkdirSync(this.tmpDir, { recursive: true, mode: 0o700 });
    fs.mkdirSync(this.retiredDir, { recursive: true, mode: 0o700 });
    sweepOlderThan(this.tmpDir, STALE_TMP_MS);
    sweepOlderThan(this.retiredDir, RETIRED_GRACE_MS);
  }

  /** Remove partial files older than `olderThanMs` (all of them with 0). */
  sweep(olderThanMs: number): number {
    return sweepOlderThan(this.tmpDir, olderThanMs);
  }

  /** Remove retired files whose grace has passed; returns how many. */
  sweepRetired(olderThanMs = RETIRED_GRACE_MS): number {
    return sweepOlderThan(this.retiredDir, olderThanMs);
  }

  private pathOf(key: string): string {
    // Keys are generated, never user input; anything else is a programming error and must not become a path.
    if (!isBlobKey(key)) throw new Error('invalid blob key');
    return path.join(this.root, key.slice(0, 2), key.slice(2, 4), key);
  }

  async put(key: string, data: Readable): Promise<{ size: number }> {
    const final = this.pathOf(key);
    const tmp = path.join(this.tmpDir, `${key}.${crypto.randomBytes(6).toString('hex')}.part`);
    let placed = false;
    let out: fs.WriteStream | null = null;
    try {
      // `flush`: fsync before close, so the rename below never publishes bytes still in the page cache.
      out = fs.createWriteStream(tmp, { flags: 'wx', mode: 0o600, flush: true });
      await pipeline(data, out);
      const dir = path.dirname(final);
      await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
      if (await this.exists(key)) throw new Error('blob key already exists');
      await fsp.rename(tmp, final);
      placed = true;
      await syncDir(dir);
      return { size: out.bytesWritten };
    } catch (e) {
      // The stream opens its file asynchronously: a stream destroyed early may still create it after
      // this point. Wait until it has closed, so the partial file is really gone when put() rejects.
      if (out) await untilClosed(out);
      await fsp.rm(placed ? final : tmp, { force: true });
      throw e;
    }
  }

  async get(key: string, opts: { retired?: boolean } = {}): Promise<Readable> {
    const places = [this.pathOf(key), ...(opts.retired ? [path.join(this.retiredDir, key)] : [])];
    for (const p of places) {
      try {
        const fh = await fsp.open(p, 'r');
        return fh.createReadStream({ highWaterMark: 64 * 1024 });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
    }
    throw new BlobNotFoundError(key);
  }

  async delete(key: string): Promise<void> {
    await fsp.rm(this.pathOf(key), { force: true });
  }

  async retire(key: string): Promise<void> {
    const to = path.join(this.retiredDir, key);
    try {
      await fsp.rename(this.pathOf(key), to);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw e;
    }
    // The grace runs from now, not from when the file was written.
    const now = new Date();
    await fsp.utimes(to, now, now);
    await syncDir(this.retiredDir);
  }

  async exists(key: string): Promise<boolean> {
    try {
      await fsp.access(this.pathOf(key));
      return true;
    } catch {
      return false;
    }
  }
}

/** Remove the files in `dir` last modified at least `olderThanMs` ago; returns how many. */
export function sweepOlderThan(dir: string, olderThanMs: number): number {
  let removed = 0;
  const now = Date.now();
  for (const name of fs.readdirSync(dir)) {
    const p = path.join(dir, name);
    try {
      // 0 means all: a file written this millisecond can carry an mtime a fraction ahead of Date.now().
      if (olderThanMs <= 0 || now - fs.statSync(p).mtimeMs >= olderThanMs) {
        fs.rmSync(p, { force: true, recursive: true });
        removed++;
      }
    } catch {
      // removed meanwhile
    }
  }
  return removed;
}

async function syncDir(dir: string): Promise<void> {
  const fh = await fsp.open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * Resolves once a file write stream has closed. The stream opens its file asynchronously: one
 * destroyed early (a failed pipeline) may still create the file after the caller moved on, so wait
 * for this before removing a partial file.
 */
export function untilClosed(stream: fs.WriteStream): Promise<void> {
  if (stream.closed) return Promise.resolve();
  return new Promise((resolve) => stream.once('close', () => resolve()));
}
