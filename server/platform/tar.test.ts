/** The backup archive's tar container: what it writes, any tar reads, and what it reads back. */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { entryStream, entryText, readSize, readTarIndex, TarFormatError, TarWriter, tarHeader } from './tar.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-tar-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function* chunks(buf: Buffer, size: number) {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

async function collect(s: NodeJS.ReadableStream): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const c of s) out.push(Buffer.from(c as Buffer));
  return Buffer.concat(out);
}

describe('tar', () => {
  const big = crypto.randomBytes(70_000);
  const file = path.join(dir, 'a.tar');

  it('writes entries any tar lists and extracts, and reads them back by offset', async () => {
    const w = await TarWriter.create(file);
    await w.add('backup.json', Buffer.from('{"a":1}'));
    expect(await w.add('files/ab/abc', chunks(big, 4096))).toBe(big.length);
    await w.add('empty', Buffer.alloc(0));
    await w.add('manifest.json', Buffer.from('中文清单'));
    await w.finish();
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const listed = spawnSync('tar', ['-tf', file], { encoding: 'utf8' });
    expect(listed.stdout.trim().split('\n')).toEqual(['backup.json', 'files/ab/abc', 'empty', 'manifest.json']);
    const out = path.join(dir, 'x');
    fs.mkdirSync(out);
    expect(spawnSync('tar', ['-xf', file, '-C', out]).status).toBe(0);
    expect(fs.readFileSync(path.join(out, 'files/ab/abc')).equals(big)).toBe(true);

    const index = await readTarIndex(file);
    expect(index.map((e) => [e.name, e.size])).toEqual([
      ['backup.json', 7],
      ['files/ab/abc', big.length],
      ['empty', 0],
      ['manifest.json', Buffer.byteLength('中文清单')],
    ]);
    expect((await collect(entryStream(file, index[1]))).equals(big)).toBe(true);
    expect((await collect(entryStream(file, index[2]))).length).toBe(0);
    expect(await entryText(file, index[3])).toBe('中文清单');
  });

  it('refuses to overwrite a file', async () => {
    await expect(TarWriter.create(file)).rejects.toThrow();
  });

  it('reports a file cut short, a damaged header and a file that is no tar', async () => {
    const whole = fs.readFileSync(file);
    const cut = path.join(dir, 'cut.tar');
    fs.writeFileSync(cut, whole.subarray(0, 2000));
    await expect(readTarIndex(cut)).rejects.toThrow(TarFormatError);
    fs.writeFileSync(cut, whole.subarray(0, whole.length - 1024));
    await expect(readTarIndex(cut)).rejects.toThrow(/提前结束/);
    const bad = Buffer.from(whole);
    bad[10] ^= 1;
    fs.writeFileSync(cut, bad);
    await expect(readTarIndex(cut)).rejects.toThrow(/条目头已损坏/);
    fs.writeFileSync(cut, Buffer.alloc(4096, 7));
    await expect(readTarIndex(cut)).rejects.toThrow(TarFormatError);
  });

  it('encodes sizes of 8 GiB and more in base-256', () => {
    for (const size of [0, 511, 8 ** 11 - 1, 8 ** 11, 20 * 1024 ** 3 + 5])
      expect(readSize(tarHeader('x', size, new Date()))).toBe(size);
  });
});
