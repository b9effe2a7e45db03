/**
 * The roster import through the platform file service (SEC-17, SEC-21, SEC-31): the upload is stored
 * under a generated name with its SM3, its kind told by its bytes, parsed from a checked copy and
 * deleted; refused, oversized and abandoned uploads leave no file behind.
 */
import fs from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { StoredFile } from '../platform/files/file-service.ts';
import { HOSTILE, SAMPLES } from './file-samples.ts';
import { multipart, newId, ORIGIN, rosterWorkbook, setup, type TestCtx, uploadRoster } from './harness.ts';

const CHINESE = /[\u4e00-\u9fff]/;
const HEADER = ['姓名', '身份证号', '所在党支部', '党员类别', '入党时间', '转正时间', '手机号'];

let t: TestCtx;
let admin: string;
beforeAll(async () => {
  t = await setup();
  // A small limit for this file, so "too large" needs only a few MB (set before anything reads it: settings are cached).
  await t.database.db.execute(
    sql`insert into settings (county_code, key, value) values ('410225', 'files.maxImportMB', '2'::jsonb)`,
  );
  admin = await t.login('admin');
});
afterAll(async () => t?.close());

/** Every file under the data directory's files folder (blobs, partial files, scratch copies). */
function leftovers(): string[] {
  const dir = t.deps.filesDir;
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter(
    (p) => fs.statSync(path.join(dir, p), { throwIfNoEntry: false })?.isFile() === true,
  );
}

async function until(cond: () => boolean, ms = 5000): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 20)))
    if (cond()) return true;
  return cond();
}

/** A workbook padded with a stored filler entry to about `bytes` (still a valid .xlsx by its first bytes). */
async function bigWorkbook(bytes: number): Promise<Buffer> {
  const wb = await rosterWorkbook([], HEADER);
  return Buffer.concat([wb, Buffer.alloc(Math.max(0, bytes - wb.length), 0x20)]);
}

describe('import through the file service', () => {
  it('stores the upload under a generated name with its SM3, parses it, and deletes it', async () => {
    const store = vi.spyOn(t.deps.files, 'store');
    try {
      const file = await rosterWorkbook(
        [['周一', newId('19810101'), '中共甲二村支部委员会', '正式党员', '2005-07-01', '2006-07-01', '']],
        HEADER,
      );
      const res = await uploadRoster(t, admin, file, false);
      expect(res.status, JSON.stringify(res.json)).toBe(200);
      expect(res.json).toMatchObject({ ok: true, created: 1 });
      expect(store).toHaveBeenCalledTimes(1);
      const stored = (await store.mock.results[0].value) as StoredFile;
      expect(stored).toMatchObject({ kind: 'xlsx', size: file.length, sm3: t.deps.crypto.sm3(file) });
      expect(stored.key).toMatch(/^[0-9a-f]{32}$/);
      expect(await t.deps.files.blobs.exists(stored.key)).toBe(false);
      expect(leftovers()).toEqual([]);
    } finally {
      store.mockRestore();
    }
  });

  it.each([
    ['a Windows program', HOSTILE.exe],
    ['an HTML page', HOSTILE.html],
    ['a JPEG photo', SAMPLES.jpeg],
    ['a Word document', SAMPLES.docx],
    ['a plain zip', SAMPLES.zip],
  ])('refuses %s named roster.xlsx by its bytes, leaving nothing', async (_what, bytes) => {
    const res = await uploadRoster(t, admin, bytes, true);
    expect(res.status, JSON.stringify(res.json)).toBe(415);
    expect(res.json).toMatchObject({
      code: 'UNSUPPORTED_FILE',
      message: expect.stringMatching(CHINESE),
      requestId: expect.any(String),
    });
    expect(leftovers()).toEqual([]);
  });

  it('a request without a file is a Chinese 400', async () => {
    const boundary = '----djnone';
    const body = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nx\r\n--${boundary}--\r\n`,
    );
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/members/import?dryRun=true',
      headers: {
        cookie: admin,
        origin: ORIGIN,
        host: 'localhost:80',
        'content-type': `multipart/form-data; boundary=${boundary}`,
      },
      payload: body,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'BAD_REQUEST', message: '请选择要上传的 Excel 文件' });
  });

  it('the size limit is the setting: refused from the declared length, nothing stored', async () => {
    const res = await uploadRoster(t, admin, await bigWorkbook(3 * 1024 * 1024), true);
    expect(res.status).toBe(413);
    expect(res.json).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: expect.stringMatching(/2 MB/) });
    expect(leftovers()).toEqual([]);
  });
});

describe('over a real connection', () => {
  let port: number;
  beforeAll(async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as net.AddressInfo).port;
  });

  /** POST the import with a chunked body (no Content-Length: only the service's byte counter can stop it). */
  function post(): http.ClientRequest {
    return http.request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/api/members/import?dryRun=true',
      // A connection of its own: a kept-alive socket that the server closed after the previous test's
      // 413 can be reset under the next request, which then never reaches the server.
      agent: false,
      headers: { cookie: admin, origin: ORIGIN, host: 'localhost:80', 'transfer-encoding': 'chunked' },
    });
  }

  function answer(req: http.ClientRequest): Promise<{ status: number; json: any }> {
    return new Promise((resolve, reject) => {
      req.on('response', (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(parts).toString() || 'null') }),
        );
      });
      req.on('error', reject);
    });
  }

  it('a streamed file that passes the limit is cut off at the limit with a Chinese 413, nothing stored', async () => {
    const mp = multipart(await bigWorkbook(4 * 1024 * 1024));
    const req = post();
    req.setHeader('content-type', mp.type);
    const answered = answer(req);
    for (let i = 0; i < mp.body.length; i += 64 * 1024) {
      if (!req.write(mp.body.subarray(i, i + 64 * 1024))) await new Promise((r) => req.once('drain', r));
    }
    req.end();
    const res = await answered;
    expect(res.status).toBe(413);
    expect(res.json).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: expect.stringMatching(/2 MB/) });
    expect(await until(() => leftovers().length === 0)).toBe(true);
  });

  it('a client that goes away mid-upload leaves no file, and the next upload works', async () => {
    const mp = multipart(await bigWorkbook(1024 * 1024));
    const req = post();
    req.setHeader('content-type', mp.type);
    // An early answer (a refusal before the body is read) would mean the test no longer measures what it names.
    let early: unknown = null;
    answer(req).then(
      (a) => {
        early = a;
      },
      (e: Error) => {
        early = e.message;
      },
    );
    req.write(mp.body.subarray(0, 300 * 1024));
    // The upload is being written… (generous waits: CI runs this beside the whole suite on two cores)
    expect(await until(() => early !== null || leftovers().some((p) => p.endsWith('.part')), 60_000)).toBe(true);
    expect(early).toBeNull();
    // …when the client disappears.
    req.destroy();
    expect(await until(() => leftovers().length === 0, 60_000)).toBe(true);
    const res = await uploadRoster(
      t,
      admin,
      await rosterWorkbook(
        [['周二', newId('19820202'), '中共甲二村支部委员会', '正式党员', '2005-07-01', '2006-07-01', '']],
        HEADER,
      ),
      true,
    );
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(leftovers()).toEqual([]);
  }, 150_000);
});
