/** Evidence files of meetings through the API (SEC-17, SEC-21): hostile files, limits, re-encoding, anti-fake warnings, integrity. */
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import exifr from 'exifr';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setSetting } from '../platform/settings.ts';
import { SAMPLES } from './file-samples.ts';
import { COUNTY, multipart, ORIGIN, setup, type TestCtx } from './harness.ts';

let t: TestCtx;
let admin: string;
let seca1: string;
const meetings: Record<string, string> = {};

async function upload(meetingId: string, file: Buffer, name: string, cookie = admin) {
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

async function download(url: string, cookie = admin) {
  return t.app.inject({ method: 'GET', url, headers: { cookie, host: 'localhost:80' } });
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

function sm3(buf: Buffer): string {
  const h = t.deps.crypto.sm3Hasher();
  h.update(buf);
  return h.digest();
}

/** A picture with structure (so its dHash means something): blocks of pseudo-random grey with a colour tint. */
async function picture(): Promise<ReturnType<typeof sharp>> {
  const w = 240;
  const h = 180;
  const px = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3;
      const block = Math.floor(x / 20) * 31 + Math.floor(y / 20) * 17;
      const v = (block * 7919) % 223;
      px[i] = v;
      px[i + 1] = (v + 40) % 256;
      px[i + 2] = (v * 3) % 256;
    }
  }
  return sharp(px, { raw: { width: w, height: h, channels: 3 } });
}

let photo: Buffer;

beforeAll(async () => {
  t = await setup();
  admin = await t.login('admin');
  seca1 = await t.login('seca1');
  const mk = async (key: string, orgId: string, startsAt: string) => {
    const r = await t.req('POST', '/api/meetings', { cookie: admin, body: { orgId, kind: 'branchMeeting', startsAt } });
    if (r.status !== 201) throw new Error(r.body);
    meetings[key] = r.json.id;
  };
  await mk('a1', t.fx.villageA1, '2026-04-11T09:00:00+08:00');
  await mk('a2', t.fx.villageA2, '2026-04-11T09:00:00+08:00');
  await mk('a2later', t.fx.villageA2, '2026-05-20T09:00:00+08:00');
  await mk('b1', t.fx.villageB1, '2026-04-11T09:00:00+08:00');
  await mk('small', t.fx.villageA1, '2026-04-12T09:00:00+08:00');
  // Taken 2026-03-02 10:00 (local time, no offset) with a GPS position: 40 days before the meeting.
  photo = await (await picture())
    .jpeg({ quality: 95 })
    .withExif({
      IFD0: { Make: 'TestPhone', Model: 'T1' },
      IFD2: { DateTimeOriginal: '2026:03:02 10:00:00' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '34/1 49/1 30/1',
        GPSLongitudeRef: 'E',
        GPSLongitude: '114/1 49/1 0/1',
      },
    } as never)
    .toBuffer();
});
afterAll(async () => t?.close());

describe('hostile and oversized files are refused and leave nothing', () => {
  it.each([
    ['a shell script named .jpg', Buffer.from('#!/bin/sh\nrm -rf / --no-preserve-root\n'), 'photo.jpg'],
    [
      'an HTML page named .png',
      Buffer.from('<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>'),
      'photo.png',
    ],
    [
      'HTML after a PNG signature',
      Buffer.concat([
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
        Buffer.from('IHDR'),
        Buffer.from('<html><script>alert(1)</script></html>'.repeat(20)),
      ]),
      'photo.png',
    ],
  ])('%s', async (_what, file, name) => {
    const blobsBefore = blobFiles();
    const rowsBefore = await evidenceRows();
    const res = await upload(meetings.a1, file, name);
    expect(res.status, res.body).toBe(415);
    expect(res.json.code).toBe('UNSUPPORTED_FILE');
    expect(blobFiles()).toEqual(blobsBefore);
    expect(await evidenceRows()).toBe(rowsBefore);
  });

  it('a picture over files.maxImageMB', async () => {
    await setSetting(t.database.db, COUNTY, 'files.maxImageMB', 0.01);
    try {
      const noise = await sharp(Buffer.from(Array.from({ length: 200 * 200 * 3 }, (_, i) => (i * 7919) % 251)), {
        raw: { width: 200, height: 200, channels: 3 },
      })
        .jpeg({ quality: 100 })
        .toBuffer();
      expect(noise.length).toBeGreaterThan(0.01 * 1024 * 1024);
      const before = blobFiles();
      const res = await upload(meetings.a1, noise, 'big.jpg');
      expect(res.status, res.body).toBe(413);
      expect(res.json.code).toBe('PAYLOAD_TOO_LARGE');
      expect(blobFiles()).toEqual(before);
      expect(await evidenceRows()).toBe(0);
    } finally {
      await setSetting(t.database.db, COUNTY, 'files.maxImageMB', null);
    }
  });

  it('more files than meetings.maxEvidencePerRecord', async () => {
    await setSetting(t.database.db, COUNTY, 'meetings.maxEvidencePerRecord', 1);
    try {
      // Another picture (the one below would be taken for a re-use of the photo).
      const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#3060c0' } })
        .png()
        .toBuffer();
      expect((await upload(meetings.small, png, 'one.png')).status).toBe(201);
      const before = blobFiles();
      const res = await upload(meetings.small, png, 'two.png');
      expect(res.status).toBe(422);
      expect(res.json.code).toBe('EVIDENCE_TOO_MANY');
      expect(blobFiles()).toEqual(before);
    } finally {
      await setSetting(t.database.db, COUNTY, 'meetings.maxEvidencePerRecord', null);
    }
  });

  it('a record outside the scope receives nothing', async () => {
    const before = blobFiles();
    const res = await upload(meetings.a2, photo, 'x.jpg', seca1);
    expect(res.status).toBe(404);
    expect(res.json.code).toBe('NOT_FOUND');
    expect(blobFiles()).toEqual(before);
  });
});

describe('pictures', () => {
  let first: { id: string; sm3: string };

  it('re-encodes without metadata, keeps the capture time, names the file without its path, and warns of a far capture date', async () => {
    const original = await exifr.parse(photo, { gps: true });
    expect(original?.latitude).toBeGreaterThan(34);
    const res = await upload(meetings.a1, photo, '../../etc/passwd.jpg');
    expect(res.status, res.body).toBe(201);
    const e = res.json;
    first = e;
    expect(e.filename).toBe('passwd.jpg');
    expect(e.kind).toBe('jpeg');
    expect(e.width).toBe(240);
    expect(e.height).toBe(180);
    expect(e.hasThumbnail).toBe(true);
    expect(e.capturedAt).toBe('2026-03-02T02:00:00.000Z');
    expect(e.warnings).toEqual([{ code: 'CAPTURE_TIME_FAR', message: '照片拍摄于 2026-03-02，与会议日期相差 40 天' }]);
    const row = await t.database.db.execute<{ source_sm3: string; sm3: string; phash: string }>(
      sql`select source_sm3, sm3, phash from evidence where id = ${e.id}`,
    );
    expect(row.rows[0].source_sm3).toBe(sm3(photo));
    expect(row.rows[0].sm3).not.toBe(row.rows[0].source_sm3);
    expect(row.rows[0].phash).toMatch(/^[0-9a-f]{16}$/);
    // Two blobs kept (picture and thumbnail); the original upload is gone.
    expect(blobFiles()).toHaveLength(2 + 2);

    const dl = await download(`/api/evidence/${e.id}`);
    expect(dl.statusCode).toBe(200);
    expect(dl.headers['content-type']).toBe('image/jpeg');
    expect(dl.headers['x-content-type-options']).toBe('nosniff');
    expect(String(dl.headers['cache-control'])).toContain('no-store');
    expect(String(dl.headers['content-disposition'])).toMatch(
      /^attachment; filename="evidence\.jpg"; filename\*=UTF-8''passwd\.jpg$/,
    );
    expect(sm3(dl.rawPayload)).toBe(e.sm3);
    // No EXIF left: no capture time, no position.
    const left = await exifr.parse(dl.rawPayload, { gps: true }).catch(() => undefined);
    expect(left?.latitude).toBeUndefined();
    expect(left?.DateTimeOriginal).toBeUndefined();
    expect(await exifr.gps(dl.rawPayload).catch(() => undefined)).toBeUndefined();

    const th = await download(`/api/evidence/${e.id}/thumbnail`);
    expect(th.statusCode).toBe(200);
    expect(th.headers['content-type']).toBe('image/jpeg');
    expect(th.headers['x-content-type-options']).toBe('nosniff');
    const meta = await sharp(th.rawPayload).metadata();
    expect(Math.max(meta.width ?? 0, meta.height ?? 0)).toBeLessThanOrEqual(320);

    const m = await t.req('GET', `/api/meetings/${meetings.a1}`, { cookie: admin });
    expect(m.json.evidence).toHaveLength(1);
    expect(m.json.warnings.map((w: { code: string }) => w.code)).toContain('EVIDENCE_WARNINGS');
  });

  it("the same photo on another organization's meeting is flagged on both", async () => {
    const res = await upload(meetings.a2, photo, 'IMG_0001.jpg');
    expect(res.status, res.body).toBe(201);
    expect(res.json.warnings.map((w: { code: string }) => w.code).sort()).toEqual([
      'CAPTURE_TIME_FAR',
      'SAME_FILE_ELSEWHERE',
    ]);
    expect(res.json.warnings.find((w: { code: string }) => w.code === 'SAME_FILE_ELSEWHERE').message).toContain(
      '中共甲一村支部委员会',
    );
    const a1 = await t.req('GET', `/api/meetings/${meetings.a1}`, { cookie: admin });
    expect(a1.json.evidence[0].warnings.map((w: { code: string }) => w.code)).toContain('SAME_FILE_ELSEWHERE');
    // The branch secretary of A1 does not see A2: the other record is named only as another organization.
    const mine = await t.req('GET', `/api/meetings/${meetings.a1}`, { cookie: seca1 });
    const msg = mine.json.evidence[0].warnings.find((w: { code: string }) => w.code === 'SAME_FILE_ELSEWHERE')
      .message as string;
    expect(msg).toContain('其他组织');
    expect(msg).not.toContain('甲二村');
    const list = await t.req('GET', `/api/meetings?orgId=${t.fx.villageA2}`, { cookie: admin });
    expect(list.json.items.find((i: { id: string }) => i.id === meetings.a2).warningCount).toBe(1);
  });

  it('the same picture re-encoded at another quality is a similar picture, in the township and across the county', async () => {
    const again = await sharp(photo).jpeg({ quality: 55 }).toBuffer();
    expect(sm3(again)).not.toBe(sm3(photo));
    const near = await upload(meetings.a2later, again, 'again.jpg');
    expect(near.status, near.body).toBe(201);
    expect(near.json.warnings.map((w: { code: string }) => w.code)).toEqual(['SIMILAR_PICTURE_ELSEWHERE']);
    const far = await upload(meetings.b1, again, 'again.jpg');
    expect(far.status, far.body).toBe(201);
    expect(far.json.warnings.map((w: { code: string }) => w.code)).toContain('SAME_FILE_ELSEWHERE');
    // Resized and re-encoded, on another village of the same township: found by the township scan.
    const other = await sharp(photo).resize(200).jpeg({ quality: 70 }).toBuffer();
    const resized = await upload(meetings.a2, other, 'resized.jpg');
    expect(resized.json.warnings.map((w: { code: string }) => w.code)).toContain('SIMILAR_PICTURE_ELSEWHERE');
  });

  it('PNG stays PNG; HEIC (which cannot be re-encoded without its location) is refused with a way out, nothing stored', async () => {
    const png = await (await picture()).png().toBuffer();
    const p = await upload(meetings.a1, png, 'scan.png');
    expect(p.status, p.body).toBe(201);
    expect(p.json.mime).toBe('image/png');
    const pd = await download(`/api/evidence/${p.json.id}`);
    expect(pd.rawPayload.subarray(1, 4).toString('latin1')).toBe('PNG');
    const blobsBefore = blobFiles();
    const rowsBefore = await evidenceRows();
    const heic = await upload(meetings.a1, SAMPLES.heic, 'IMG_2001.HEIC');
    expect(heic.status, heic.body).toBe(415);
    expect(heic.json.code).toBe('UNSUPPORTED_FILE');
    expect(heic.json.message).toContain('兼容性最佳');
    expect(blobFiles()).toEqual(blobsBefore);
    expect(await evidenceRows()).toBe(rowsBefore);
    const pdf = await upload(meetings.a1, SAMPLES.pdf, '会议签到表.pdf');
    expect(pdf.status, pdf.body).toBe(201);
    const dl = await download(`/api/evidence/${pdf.json.id}`);
    expect(String(dl.headers['content-disposition'])).toContain(
      `filename*=UTF-8''${encodeURIComponent('会议签到表.pdf')}`,
    );
  });

  it('a blob changed on disk is refused with DATA_INTEGRITY', async () => {
    const row = await t.database.db.execute<{ blob_key: string }>(
      sql`select blob_key from evidence where id = ${first.id}`,
    );
    const key = row.rows[0].blob_key;
    const file = blobFiles().find((f) => path.basename(f) === key) as string;
    const bytes = fs.readFileSync(file);
    bytes[bytes.length - 10] ^= 0xff;
    fs.chmodSync(file, 0o600);
    fs.writeFileSync(file, bytes);
    const res = await download(`/api/evidence/${first.id}`);
    expect(res.statusCode).toBe(500);
    expect(res.json().code).toBe('DATA_INTEGRITY');
    const audit = await t.database.db.execute<{ result: string }>(
      sql`select result from audit_log where action = 'evidence.download' and object_id = ${first.id} order by seq desc limit 1`,
    );
    expect(audit.rows[0].result).toBe('failed');
  });

  it('deleting hides the file; uploads, downloads and deletions are audited', async () => {
    const list = await t.req('GET', `/api/meetings/${meetings.a2}`, { cookie: admin });
    const id = list.json.evidence[0].id as string;
    const count = list.json.evidence.length as number;
    expect((await t.req('DELETE', `/api/evidence/${id}`, { cookie: seca1 })).status).toBe(404);
    const del = await t.req('DELETE', `/api/evidence/${id}`, { cookie: admin });
    expect(del.status, del.body).toBe(200);
    expect((await download(`/api/evidence/${id}`)).statusCode).toBe(404);
    const after = await t.req('GET', `/api/meetings/${meetings.a2}`, { cookie: admin });
    expect(after.json.evidence).toHaveLength(count - 1);
    const actions = await t.database.db.execute<{ action: string }>(
      sql`select distinct action from audit_log where action like 'evidence.%' order by action`,
    );
    expect(actions.rows.map((r) => r.action)).toEqual(['evidence.delete', 'evidence.download', 'evidence.upload']);
  });
});

describe('the capture time a phone sends with a photo it shrank (issue 18 §2)', () => {
  /** Multipart with text fields before the file, as the web app sends them. */
  async function uploadWith(meetingId: string, file: Buffer, name: string, fields: Record<string, string>) {
    const boundary = `----djf${Date.now()}`;
    const parts = Object.entries(fields).map(
      ([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`,
    );
    const body = Buffer.concat([
      Buffer.from(parts.join('')),
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: image/jpeg\r\n\r\n`,
      ),
      file,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/meetings/${meetingId}/evidence`,
      headers: {
        cookie: admin,
        origin: ORIGIN,
        host: 'localhost:80',
        'content-type': `multipart/form-data; boundary=${boundary}`,
      },
      payload: body,
    });
    return { status: res.statusCode, json: res.json(), body: res.body };
  }
  let meetingId: string;
  /** What a canvas writes: a JPEG with no EXIF at all. */
  let shrunk: Buffer;
  beforeAll(async () => {
    const r = await t.req('POST', '/api/meetings', {
      cookie: admin,
      body: { orgId: t.fx.villageA1, kind: 'branchMeeting', startsAt: '2026-04-25T09:00:00+08:00' },
    });
    meetingId = r.json.id;
    shrunk = await (await picture()).flop().jpeg({ quality: 85 }).toBuffer();
    expect(await exifr.parse(shrunk).catch(() => undefined)).toBeUndefined();
  });
  const auditOf = async (id: string) =>
    (
      await t.database.db.execute<{ detail: { capturedFrom: string | null } }>(
        sql`select detail from audit_log where action = 'evidence.upload' and object_id = ${id}`,
      )
    ).rows[0].detail.capturedFrom;

  it('a file without EXIF takes the time sent with it, and the anti-fake check reads it', async () => {
    const same = await uploadWith(meetingId, shrunk, 'a.jpg', { capturedAt: '2026-04-25T10:05:00+08:00' });
    expect(same.status, same.body).toBe(201);
    expect(same.json.capturedAt).toBe('2026-04-25T02:05:00.000Z');
    expect(same.json.warnings.map((w: { code: string }) => w.code)).not.toContain('CAPTURE_TIME_FAR');
    expect(await auditOf(same.json.id)).toBe('phone');
    const old = await uploadWith(meetingId, shrunk, 'b.jpg', { capturedAt: '2026-03-01T10:00:00Z' });
    expect(old.status, old.body).toBe(201);
    expect(old.json.warnings).toContainEqual({
      code: 'CAPTURE_TIME_FAR',
      message: '照片拍摄于 2026-03-01，与会议日期相差 55 天',
    });
    const none = await uploadWith(meetingId, shrunk, 'c.jpg', {});
    expect(none.json.capturedAt).toBeNull();
    expect(await auditOf(none.json.id)).toBeNull();
  });

  it("the file's own EXIF wins over the time sent with it", async () => {
    const res = await uploadWith(meetingId, photo, 'd.jpg', { capturedAt: '2026-04-25T10:00:00+08:00' });
    expect(res.status, res.body).toBe(201);
    expect(res.json.capturedAt).toBe('2026-03-02T02:00:00.000Z');
    expect(await auditOf(res.json.id)).toBe('exif');
  });

  it('a time that is not one, or is later than now, is refused and nothing is kept', async () => {
    const before = blobFiles();
    const rows = await evidenceRows();
    const later = new Date(Date.now() + 3600_000).toISOString();
    for (const bad of ['昨天', '2026-04-25 10:00', '2026-13-40T10:00:00Z', '1970-01-01T00:00:00Z', later]) {
      const res = await uploadWith(meetingId, shrunk, 'e.jpg', { capturedAt: bad });
      expect(res.status, bad).toBe(400);
      expect(res.json.code).toBe('EVIDENCE_CAPTURE_TIME_INVALID');
      expect(res.json.message).toContain('拍摄时间无效');
    }
    expect(blobFiles()).toEqual(before);
    expect(await evidenceRows()).toBe(rows);
  });
});
