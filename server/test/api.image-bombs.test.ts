/**
 * Image decompression bombs on the evidence upload (issue 15 item 2, SEC-21, SEC-31): pictures small
 * on the wire and huge once decoded are refused from their header before any decode, image work
 * runs one at a time, and memory stays bounded while the server keeps answering. Real phone photos
 * still pass, and uploads are counted per account.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setSetting } from '../platform/settings.ts';
import { COUNTY, multipart, ORIGIN, setup, type TestCtx } from './harness.ts';

let t: TestCtx;
let admin: string;
let seca1: string;
let bombDir: string;

/** How far the process's resident memory may rise while three hostile pictures are handled at once. */
const MAX_RSS_RISE_MB = 300;

/**
 * The hostile pictures are made in a child process: encoding a 9990×9990 progressive JPEG costs the
 * encoder as much memory as decoding it, and that must not count against the server in this process.
 */
const MAKE_BOMBS = `
const sharp = require('sharp');
const fs = require('fs');
const path = require('path');
const out = process.env.BOMB_DIR;
const flat = (w, h, background) => sharp({ create: { width: w, height: h, channels: 3, background } });
const frames = (n, w) => Promise.all(Array.from({ length: n }, (_, i) => flat(w, w, { r: (i * 41) % 256, g: (i * 89) % 256, b: 120 }).png({ compressionLevel: 1 }).toBuffer()));
(async () => {
  // The incident: 9990×9990 progressive JPEG of about a megabyte.
  await flat(9990, 9990, '#c83c3c').jpeg({ progressive: true, quality: 80 }).toFile(path.join(out, 'progressive.jpg'));
  // A PNG just under 100 million pixels (the old limit), a few hundred kilobytes.
  await flat(9990, 9990, '#3c78c8').png({ compressionLevel: 9 }).toFile(path.join(out, 'huge.png'));
  // Animations: each frame is modest, all frames together are not.
  await sharp(await frames(24, 1600), { join: { animated: true } }).gif().toFile(path.join(out, 'frames.gif'));
  await sharp(await frames(40, 2000), { join: { animated: true } }).webp({ lossless: true, effort: 0 }).toFile(path.join(out, 'frames.webp'));
})().catch((e) => { console.error(e); process.exit(1); });
`;

function bomb(name: string): Buffer {
  return fs.readFileSync(path.join(bombDir, name));
}

async function newMeeting(startsAt: string): Promise<string> {
  const r = await t.req('POST', '/api/meetings', {
    cookie: admin,
    body: { orgId: t.fx.villageA1, kind: 'branchMeeting', startsAt },
  });
  if (r.status !== 201) throw new Error(r.body);
  return r.json.id;
}

async function upload(meetingId: string, file: Buffer, name: string, cookie = seca1) {
  const mp = multipart(file, name);
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/meetings/${meetingId}/evidence`,
    headers: { cookie, origin: ORIGIN, host: 'localhost:80', 'content-type': mp.type },
    payload: mp.body,
  });
  let json: any = null;
  try {
    json = res.json();
  } catch {
    json = null;
  }
  return { status: res.statusCode, json, body: res.body };
}

function blobFiles(): string[] {
  const root = path.join(t.deps.filesDir, 'blobs');
  const out: string[] = [];
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.name === '.tmp') continue;
      if (e.isDirectory()) walk(path.join(dir, e.name));
      else out.push(path.join(dir, e.name));
    }
  };
  walk(root);
  return out.sort();
}

async function evidenceRows(): Promise<number> {
  const r = await t.database.db.execute<{ n: number }>(sql`select count(*)::int as n from evidence`);
  return r.rows[0].n;
}

/**
 * Run `work` while sampling the process's resident memory and asking the health check every 100 ms;
 * the highest rise over the memory before it began, and how the health checks went.
 */
async function watched<T>(
  work: () => Promise<T>,
): Promise<{ result: T; riseMB: number; health: { status: number; ms: number }[] }> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const health: { status: number; ms: number }[] = [];
  let running = true;
  const asking = (async () => {
    while (running) {
      const at = Date.now();
      const res = await t.app.inject({ method: 'GET', url: '/api/health', headers: { host: 'localhost:80' } });
      health.push({ status: res.statusCode, ms: Date.now() - at });
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  try {
    const result = await work();
    return { result, riseMB: Math.round((peak - before) / 2 ** 20), health };
  } finally {
    running = false;
    clearInterval(sampler);
    await asking;
    peak = Math.max(peak, process.memoryUsage().rss);
  }
}

beforeAll(async () => {
  bombDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-bombs-'));
  execFileSync(process.execPath, ['-e', MAKE_BOMBS], {
    cwd: process.cwd(),
    env: { ...process.env, BOMB_DIR: bombDir },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  t = await setup();
  admin = await t.login('admin');
  seca1 = await t.login('seca1');
});
afterAll(async () => {
  await t?.close();
  if (bombDir) fs.rmSync(bombDir, { recursive: true, force: true });
});

describe('decompression bombs', () => {
  it.each([
    [
      'three 9990×9990 progressive JPEGs at once (the incident)',
      ['progressive.jpg', 'progressive.jpg', 'progressive.jpg'],
    ],
    [
      'a 100-megapixel PNG, a 24-frame 1600×1600 GIF and a 40-frame 2000×2000 WebP at once',
      ['huge.png', 'frames.gif', 'frames.webp'],
    ],
  ])(
    '%s: each refused in Chinese or stored, memory bounded, the health check answers, nothing left behind',
    async (_what, names) => {
      const meeting = await newMeeting('2026-04-20T09:00:00+08:00');
      const files = names.map((n) => bomb(n));
      for (const f of files) expect(f.length).toBeLessThan(2 * 1024 * 1024);
      const blobsBefore = blobFiles().length;
      const rowsBefore = await evidenceRows();
      const { result, riseMB, health } = await watched(() =>
        Promise.all(files.map((f, i) => upload(meeting, f, names[i]))),
      );
      console.log(
        `image bombs ${names.join(', ')}: RSS rose ${riseMB} MB; answers ${result.map((r) => `${r.status} ${r.json?.code ?? ''}`).join(', ')}; health checks ${health.length}, slowest ${Math.max(...health.map((h) => h.ms))} ms`,
      );
      const stored = result.filter((r) => r.status === 201);
      for (const r of result) {
        if (r.status === 201) {
          expect(r.json.kind).toMatch(/^(jpeg|png|gif|webp)$/);
          expect(r.json.hasThumbnail).toBe(true);
        } else {
          expect(r.status, r.body).toBe(422);
          expect(r.json.code).toBe('EVIDENCE_IMAGE_TOO_LARGE');
          expect(r.json.message).toContain('像素');
          expect(r.json.message).toContain('请在手机上缩小后重新上传');
        }
      }
      // The progressive JPEGs and the PNG are over any budget: they must be refused, not decoded.
      names.forEach((n, i) => {
        if (n !== 'frames.webp')
          expect(result[i].json.code, `${n}: ${result[i].body}`).toBe('EVIDENCE_IMAGE_TOO_LARGE');
      });
      expect(riseMB).toBeLessThanOrEqual(MAX_RSS_RISE_MB);
      expect(health.length).toBeGreaterThanOrEqual(1);
      for (const h of health) expect(h.status).toBe(200);
      // A refused upload leaves no blob and no row; a stored one leaves its picture and thumbnail.
      expect(blobFiles().length).toBe(blobsBefore + 2 * stored.length);
      expect(await evidenceRows()).toBe(rowsBefore + stored.length);
    },
    180_000,
  );
});

describe('real phone photos still pass', () => {
  it('a 12-megapixel baseline photo keeps its capture time; a 50-megapixel baseline and a 12-megapixel progressive photo are stored', async () => {
    const meeting = await newMeeting('2026-04-21T09:00:00+08:00');
    const exif = {
      IFD0: { Make: 'TestPhone', Model: 'T2' },
      IFD2: { DateTimeOriginal: '2026:04:21 09:30:00', OffsetTimeOriginal: '+08:00' },
    } as never;
    const twelve = await sharp({
      create: {
        width: 4032,
        height: 3024,
        channels: 3,
        background: '#7a9a5a',
        noise: { type: 'gaussian', mean: 120, sigma: 4 },
      },
    })
      .jpeg({ quality: 85 })
      .withExif(exif)
      .toBuffer();
    const res = await upload(meeting, twelve, 'IMG_20260421_093000.jpg');
    expect(res.status, res.body).toBe(201);
    expect(res.json.width).toBe(4032);
    expect(res.json.height).toBe(3024);
    expect(res.json.capturedAt).toBe('2026-04-21T01:30:00.000Z');
    expect(res.json.hasThumbnail).toBe(true);

    const fifty = await sharp({ create: { width: 8160, height: 6120, channels: 3, background: '#5a7a9a' } })
      .jpeg({ quality: 85 })
      .withExif(exif)
      .toBuffer();
    const big = await upload(meeting, fifty, 'IMG_50MP.jpg');
    expect(big.status, big.body).toBe(201);
    expect([big.json.width, big.json.height]).toEqual([8160, 6120]);
    expect(big.json.capturedAt).toBe('2026-04-21T01:30:00.000Z');

    const progressive = await sharp({ create: { width: 4032, height: 3024, channels: 3, background: '#9a5a7a' } })
      .jpeg({ quality: 85, progressive: true })
      .toBuffer();
    expect((await sharp(progressive).metadata()).isProgressive).toBe(true);
    const prog = await upload(meeting, progressive, '微信图片_20260421.jpg');
    expect(prog.status, prog.body).toBe(201);
    expect([prog.json.width, prog.json.height]).toEqual([4032, 3024]);
  }, 120_000);
});

describe('upload rate limit', () => {
  it('an account over security.uploadsPerHour is answered 429 RATE_LIMITED, and nothing is received', async () => {
    const meeting = await newMeeting('2026-04-22T09:00:00+08:00');
    await t.addUser('seca1b', ['branchSecretary'], t.fx.villageA1);
    await t.addUser('seca1c', ['branchSecretary'], t.fx.villageA1);
    const cookie = await t.login('seca1b');
    const other = await t.login('seca1c');
    const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#30c060' } })
      .png()
      .toBuffer();
    await setSetting(t.database.db, COUNTY, 'security.uploadsPerHour', 2);
    try {
      expect((await upload(meeting, png, 'a.png', cookie)).status).toBe(201);
      expect((await upload(meeting, png, 'b.png', cookie)).status).toBe(201);
      const blobsBefore = blobFiles();
      const third = await upload(meeting, png, 'c.png', cookie);
      expect(third.status, third.body).toBe(429);
      expect(third.json.code).toBe('RATE_LIMITED');
      expect(third.json.message).toMatch(/[\u4e00-\u9fa5]/);
      expect(blobFiles()).toEqual(blobsBefore);
      // Another account is counted on its own.
      expect((await upload(meeting, png, 'd.png', other)).status).toBe(201);
    } finally {
      await setSetting(t.database.db, COUNTY, 'security.uploadsPerHour', null);
    }
  });
});
