/**
 * The file service over the local store (SEC-17, SEC-21): generated names, kinds by magic bytes, size
 * limits, SM3 checked on read, and nothing left behind by a refused, failed or abandoned upload.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HOSTILE, SAMPLES } from '../../test/file-samples.ts';
import { ephemeralCrypto } from '../crypto.ts';
import { AppError } from '../errors.ts';
import { isBlobKey, RETIRED_GRACE_MS } from './blob-store.ts';
import {
  createFileService,
  FILE_ALTERED_MESSAGE,
  FILE_MISSING_MESSAGE,
  type FileService,
  type StoreOptions,
} from './file-service.ts';
import { LocalDirStore, sweepOlderThan } from './local-dir-store.ts';

const crypto = ephemeralCrypto();
const CHINESE = /[\u4e00-\u9fff]/;
const IMAGES: StoreOptions = { allowedKinds: ['jpeg', 'png', 'webp', 'heic', 'gif'], maxBytes: 1024 * 1024 };

let dir: string;
let files: FileService;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-files-'));
  files = createFileService(dir, crypto);
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Every file under the files directory, relative to it (partial files and scratch copies included). */
function allFiles(): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((p) => fs.statSync(path.join(dir, p)).isFile())
    .sort();
}

/** A source that yields `data` in chunks of `size`, counting how much was read. */
function chunked(data: Buffer, size = 1000) {
  const state = { read: 0 };
  const stream = Readable.from(
    (function* () {
      for (let i = 0; i < data.length; i += size) {
        const c = data.subarray(i, i + size);
        state.read += c.length;
        yield c;
      }
    })(),
    { objectMode: false },
  );
  return { stream, state };
}

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

const photo = (bytes: number) =>
  Buffer.concat([SAMPLES.jpeg, Buffer.alloc(Math.max(0, bytes - SAMPLES.jpeg.length), 0x42)]);

describe('store', () => {
  it('streams to a generated name with its size, SM3, kind and MIME type from the bytes; 0600', async () => {
    const data = photo(300_000);
    const a = await files.store(chunked(data, 4096).stream, IMAGES);
    expect(isBlobKey(a.key)).toBe(true);
    expect(a).toMatchObject({ size: data.length, sm3: crypto.sm3(data), kind: 'jpeg', mime: 'image/jpeg' });
    // Two-level fan-out from the key; nothing else on disk (no partial file).
    expect(allFiles()).toEqual([path.join('blobs', a.key.slice(0, 2), a.key.slice(2, 4), a.key)]);
    const stat = fs.statSync(path.join(dir, allFiles()[0]));
    expect(stat.mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(path.join(dir, allFiles()[0])).equals(data)).toBe(true);
    // The same bytes again get a new name: names never come from content or from the client.
    const b = await files.store(Readable.from([data]), IMAGES);
    expect(b.key).not.toBe(a.key);
    expect(b.sm3).toBe(a.sm3);
  });

  it.each(['exe', 'html', 'svg', 'elf', 'avif'] as const)(
    'refuses %s disguised as a photo, leaving nothing',
    async (name) => {
      const e = await refusal(files.store(chunked(HOSTILE[name], 16).stream, IMAGES));
      expect(e.code).toBe('UNSUPPORTED_FILE');
      expect(e.message).toMatch(CHINESE);
      expect(e.message).toMatch(/JPEG 图片/);
      expect(allFiles()).toEqual([]);
    },
  );

  it('refuses an allowed-elsewhere kind (a PDF where only images are allowed)', async () => {
    const e = await refusal(files.store(Readable.from([SAMPLES.pdf]), IMAGES));
    expect(e.code).toBe('UNSUPPORTED_FILE');
    expect(allFiles()).toEqual([]);
  });

  it('refuses an empty file', async () => {
    const e = await refusal(files.store(Readable.from([]), IMAGES));
    expect(e).toMatchObject({ code: 'UNSUPPORTED_FILE', message: expect.stringMatching(/为空/) });
    expect(allFiles()).toEqual([]);
  });

  it('refuses a file over the limit as soon as it passes it, and removes the partial file', async () => {
    const data = photo(3 * 1024 * 1024);
    const { stream, state } = chunked(data, 16 * 1024);
    const e = await refusal(files.store(stream, IMAGES));
    expect(e).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: expect.stringMatching(/1 MB/) });
    // Refused near the limit, not after reading everything.
    expect(state.read).toBeLessThan(1024 * 1024 + 256 * 1024);
    expect(allFiles()).toEqual([]);
  });

  it('holds each kind to its own limit', async () => {
    const opts: StoreOptions = { allowedKinds: ['jpeg', 'mp4'], maxBytes: { jpeg: 100_000, mp4: 1_000_000 } };
    const video = Buffer.concat([SAMPLES.mp4, Buffer.alloc(500_000)]);
    expect((await files.store(Readable.from([video]), opts)).kind).toBe('mp4');
    const e = await refusal(files.store(chunked(photo(500_000), 8192).stream, opts));
    expect(e.code).toBe('PAYLOAD_TOO_LARGE');
    expect(allFiles()).toHaveLength(1);
  });

  it('a stream that fails mid-upload (a client that went away) leaves nothing', async () => {
    const source = new Readable({ read() {} });
    const stored = files.store(source, IMAGES);
    source.push(photo(64 * 1024));
    // Wait until the partial file exists, then fail the source.
    for (let i = 0; i < 100 && !allFiles().some((f) => f.endsWith('.part')); i++)
      await new Promise((r) => setTimeout(r, 5));
    expect(allFiles().some((f) => f.endsWith('.part'))).toBe(true);
    source.destroy(new Error('aborted'));
    await expect(stored).rejects.toThrow(/aborted/);
    expect(allFiles()).toEqual([]);
  });

  it('a stream destroyed without an error leaves nothing either', async () => {
    const source = new Readable({ read() {} });
    const stored = files.store(source, IMAGES);
    source.push(photo(10_000));
    await new Promise((r) => setTimeout(r, 20));
    source.destroy();
    await expect(stored).rejects.toThrow();
    expect(allFiles()).toEqual([]);
  });
});

describe('open: SM3 checked on read (SEC-17)', () => {
  it('gives the bytes back when they match', async () => {
    const data = photo(200_000);
    const f = await files.store(Readable.from([data]), IMAGES);
    const chunks: Buffer[] = [];
    for await (const c of await files.open(f.key, f.sm3)) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).equals(data)).toBe(true);
    await files.verify(f.key, f.sm3);
  });

  it('a byte flipped on disk fails with DATA_INTEGRITY before the whole file is released', async () => {
    const data = photo(300_000);
    const f = await files.store(Readable.from([data]), IMAGES);
    const onDisk = path.join(dir, allFiles()[0]);
    const bytes = fs.readFileSync(onDisk);
    bytes[150_000] ^= 0x01;
    fs.writeFileSync(onDisk, bytes);
    let received = 0;
    const e = await refusal(
      (async () => {
        for await (const c of await files.open(f.key, f.sm3)) received += (c as Buffer).length;
      })(),
    );
    expect(e).toMatchObject({ code: 'DATA_INTEGRITY', message: FILE_ALTERED_MESSAGE });
    expect(received).toBeLessThan(data.length);
    expect((await refusal(files.verify(f.key, f.sm3))).code).toBe('DATA_INTEGRITY');
    // A truncated or lengthened file as well.
    fs.writeFileSync(onDisk, data.subarray(0, data.length - 1));
    expect((await refusal(files.verify(f.key, f.sm3))).code).toBe('DATA_INTEGRITY');
    fs.writeFileSync(onDisk, Buffer.concat([data, Buffer.from([0])]));
    expect((await refusal(files.verify(f.key, f.sm3))).code).toBe('DATA_INTEGRITY');
  });

  it('a missing file is DATA_INTEGRITY too; a malformed reference is a programming error', async () => {
    const f = await files.store(Readable.from([SAMPLES.png]), IMAGES);
    await files.delete(f.key);
    await files.delete(f.key); // idempotent
    expect(await refusal(files.open(f.key, f.sm3))).toMatchObject({
      code: 'DATA_INTEGRITY',
      message: FILE_MISSING_MESSAGE,
    });
    await expect(files.open('../../etc/passwd', f.sm3)).rejects.toThrow(/invalid/);
    await expect(files.open(f.key, 'abc')).rejects.toThrow(/invalid/);
  });

  it('withLocalCopy hands a checked copy to a parser and removes it; a changed file never reaches the parser', async () => {
    const data = SAMPLES.xlsx;
    const f = await files.store(Readable.from([data]), { allowedKinds: ['xlsx'], maxBytes: 1024 * 1024 });
    let seen = '';
    const n = await files.withLocalCopy(f.key, f.sm3, async (file) => {
      seen = file;
      expect(path.basename(file)).toMatch(/^[0-9a-f]{32}\.tmp$/);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      return fs.readFileSync(file).length;
    });
    expect(n).toBe(data.length);
    expect(fs.existsSync(seen)).toBe(false);
    fs.appendFileSync(path.join(dir, allFiles()[0]), 'x');
    let called = false;
    const e = await refusal(
      files.withLocalCopy(f.key, f.sm3, async () => {
        called = true;
      }),
    );
    expect(e.code).toBe('DATA_INTEGRITY');
    expect(called).toBe(false);
    expect(allFiles().filter((p) => p.startsWith('scratch'))).toEqual([]);
  });
});

describe('LocalDirStore', () => {
  it('accepts generated keys only: no name from outside becomes a path', async () => {
    const store = new LocalDirStore(path.join(dir, 'other'));
    for (const key of ['../x', 'a/b', 'ABCDEF0123456789ABCDEF0123456789', `${'a'.repeat(31)}/`, 'photo.jpg', '']) {
      await expect(store.put(key, Readable.from([Buffer.from('x')]))).rejects.toThrow(/invalid blob key/);
      await expect(store.get(key)).rejects.toThrow(/invalid blob key/);
    }
  });

  it('never overwrites a key, and leaves no partial file when refusing', async () => {
    const store = new LocalDirStore(path.join(dir, 'other'));
    const key = 'ab'.repeat(16);
    expect(await store.put(key, Readable.from([Buffer.from('one')]))).toEqual({ size: 3 });
    await expect(store.put(key, Readable.from([Buffer.from('two')]))).rejects.toThrow(/exists/);
    expect(await store.exists(key)).toBe(true);
    expect(fs.readdirSync(store.tmpDir)).toEqual([]);
    const back: Buffer[] = [];
    for await (const c of await store.get(key)) back.push(c as Buffer);
    expect(Buffer.concat(back).toString()).toBe('one');
  });

  it('sweeps partial files a crashed process left, but not fresh ones', () => {
    const root = path.join(dir, 'crashed');
    fs.mkdirSync(path.join(root, '.tmp'), { recursive: true });
    const old = path.join(root, '.tmp', 'old.part');
    const fresh = path.join(root, '.tmp', 'fresh.part');
    fs.writeFileSync(old, 'x');
    fs.writeFileSync(fresh, 'x');
    const past = new Date(Date.now() - 25 * 3600 * 1000);
    fs.utimesSync(old, past, past);
    new LocalDirStore(root);
    expect(fs.existsSync(old)).toBe(false);
    expect(fs.existsSync(fresh)).toBe(true);
    expect(sweepOlderThan(path.join(root, '.tmp'), 0)).toBe(1);
  });

  it('a retired file leaves the store at once but stays readable to a backup for its grace period', async () => {
    const store = new LocalDirStore(path.join(dir, 'retiring'));
    const key = 'cd'.repeat(16);
    await store.put(key, Readable.from([Buffer.from('evidence')]));
    await store.retire(key);
    expect(await store.exists(key)).toBe(false);
    await expect(store.get(key)).rejects.toThrow(/not found/);
    const back: Buffer[] = [];
    for await (const c of await store.get(key, { retired: true })) back.push(c as Buffer);
    expect(Buffer.concat(back).toString()).toBe('evidence');
    await store.retire(key); // twice: nothing to do
    // Kept while the grace lasts (the clock starts when retired), removed after.
    const retired = path.join(store.retiredDir, key);
    const past = new Date(Date.now() - RETIRED_GRACE_MS + 3600_000);
    fs.utimesSync(retired, past, past);
    expect(store.sweepRetired()).toBe(0);
    const older = new Date(Date.now() - RETIRED_GRACE_MS - 1000);
    fs.utimesSync(retired, older, older);
    new LocalDirStore(store.root);
    await expect(store.get(key, { retired: true })).rejects.toThrow(/not found/);
  });
});
