/**
 * Documents from above (issue 19): a PDF sent to the township committees, signed for and reported on
 * by one, ignored by the other; past the deadlines the other is flagged, and the count of documents not
 * carried out in time per township is what the assessment will read. Bad uploads change nothing.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, shanghaiDate } from '../platform/calendar.ts';
import { ORIGIN, setup, type TestCtx } from './harness.ts';

let t: TestCtx;
const cookies: Record<string, string> = {};
const post = (user: string, url: string, body: unknown = {}) => t.req('POST', url, { cookie: cookies[user], body });
const get = (user: string, url: string) => t.req('GET', url, { cookie: cookies[user] });

function expectError(res: { status: number; json: any; body: string }, status: number, code: string) {
  expect(res.status, res.body).toBe(status);
  expect(res.json?.code, res.body).toBe(code);
  expect(res.json?.message, res.body).toMatch(/[\u4e00-\u9fa5]/);
}

const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

/** multipart/form-data with the JSON field `data` first, then the file. */
async function send(user: string, data: unknown, file: Buffer, name = '兰组〔2026〕12号.pdf') {
  const b = `----dj${crypto.randomBytes(8).toString('hex')}`;
  const body = Buffer.concat([
    Buffer.from(
      `--${b}\r\nContent-Disposition: form-data; name="data"\r\n\r\n${typeof data === 'string' ? data : JSON.stringify(data)}\r\n`,
    ),
    Buffer.from(
      `--${b}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/pdf\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${b}--\r\n`),
  ]);
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/directives',
    headers: {
      cookie: cookies[user],
      origin: ORIGIN,
      host: 'localhost:80',
      'content-type': `multipart/form-data; boundary=${b}`,
    },
    payload: body,
  });
  let json: any = null;
  try {
    json = res.json();
  } catch {}
  return { status: res.statusCode, json, body: res.body };
}

function blobCount(): number {
  const root = path.join(t.deps.filesDir, 'blobs');
  let n = 0;
  const walk = (d: string) => {
    if (!fs.existsSync(d)) return;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) e.isDirectory() ? walk(path.join(d, e.name)) : n++;
  };
  walk(root);
  return n;
}

let id = '';
const data = () => ({
  title: '关于开展党员冬训工作的通知',
  docNumber: '兰组〔2026〕12号',
  signDeadline: addDays(shanghaiDate(t.deps.now()), 2),
  reportDeadline: addDays(shanghaiDate(t.deps.now()), 10),
  targets: { underOrgId: t.fx.county, orgKinds: ['committee'] },
});

beforeAll(async () => {
  t = await setup();
  for (const u of ['admin', 'orga', 'orgb', 'seca1']) cookies[u] = await t.login(u);
});
afterAll(async () => t?.close());

describe('a document sent down and carried out, or not', () => {
  it('refuses bad uploads and keeps nothing of them', async () => {
    const before = blobCount();
    expectError(await send('admin', '{不是JSON', PDF), 400, 'VALIDATION');
    expectError(await send('admin', { ...data(), title: '' }, PDF), 400, 'VALIDATION');
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#fff' } })
      .png()
      .toBuffer();
    expectError(await send('admin', data(), png, 'x.pdf'), 415, 'UNSUPPORTED_FILE');
    expectError(
      await send('admin', { ...data(), reportDeadline: addDays(shanghaiDate(t.deps.now()), 1) }, PDF),
      422,
      'DIRECTIVE_DEADLINES',
    );
    expectError(await send('seca1', data(), PDF), 403, 'FORBIDDEN');
    expect(blobCount()).toBe(before);
    expect((await t.database.db.execute(sql`select count(*)::int as n from directives`)).rows[0].n).toBe(0);
  });

  it('goes to both township committees, who read and download it', async () => {
    const res = await send('admin', data(), PDF);
    expect(res.status, res.body).toBe(201);
    id = res.json.id;
    expect(res.json.recipients.map((r: any) => r.orgId).sort()).toEqual([t.fx.townA, t.fx.townB].sort());
    expect(res.json.counts).toEqual({ total: 2, signed: 0, reported: 0, late: 0 });
    const f = await t.app.inject({
      method: 'GET',
      url: `/api/directives/${id}/file`,
      headers: { cookie: cookies.orgb, host: 'localhost:80' },
    });
    expect(f.statusCode).toBe(200);
    expect(f.headers['content-type']).toBe('application/pdf');
    expect(f.rawPayload.equals(PDF)).toBe(true);
    // Township B sees its own copy only; village A1 holds none and sees nothing.
    const b = await get('orgb', `/api/directives/${id}`);
    expect(b.json.recipients.map((r: any) => r.orgId)).toEqual([t.fx.townB]);
    expect(b.json.mine).toMatchObject({ orgId: t.fx.townB, signedAt: null });
    expectError(await get('seca1', `/api/directives/${id}`), 404, 'NOT_FOUND');
  });

  it('township A signs and reports in time; township B cannot report unsigned', async () => {
    expectError(await post('orga', `/api/directives/${id}/report`, { text: '已部署' }), 409, 'DIRECTIVE_NOT_SIGNED');
    expect((await post('orga', `/api/directives/${id}/sign`)).json.mine.signedAt).not.toBeNull();
    expectError(await post('orga', `/api/directives/${id}/sign`), 409, 'DIRECTIVE_SIGNED');
    const rep = await post('orga', `/api/directives/${id}/report`, { text: '已召开专题会议部署，12月中旬完成冬训' });
    expect(rep.json.mine).toMatchObject({
      report: '已召开专题会议部署，12月中旬完成冬训',
      signLate: false,
      reportLate: false,
    });
    expectError(await post('admin', `/api/directives/${id}/sign`), 403, 'DIRECTIVE_NOT_RECIPIENT');
  });

  it('past both deadlines township B is flagged and counted as not carried out in time', async () => {
    t.advance(11 * 86_400_000);
    for (const u of ['admin', 'orgb']) cookies[u] = await t.login(u);
    const v = await get('admin', `/api/directives/${id}`);
    const b = v.json.recipients.find((r: any) => r.orgId === t.fx.townB);
    expect(b).toMatchObject({ signLate: true, reportLate: true, signedAt: null });
    expect(v.json.counts).toEqual({ total: 2, signed: 1, reported: 1, late: 1 });
    // Signing now is recorded, and still late.
    const late = await post('orgb', `/api/directives/${id}/sign`);
    expect(late.json.mine).toMatchObject({ signLate: true, reportLate: true });
    const lateness = await get('admin', '/api/directives/lateness');
    const row = (org: string) => lateness.json.rows.find((r: any) => r.orgId === org);
    expect(row(t.fx.townA)).toMatchObject({ received: 1, notInTime: 0 });
    expect(row(t.fx.townB)).toMatchObject({ received: 1, signLate: 1, reportLate: 1, notInTime: 1 });
    const list = await get('orgb', '/api/directives?view=received');
    expect(list.json.items.map((x: any) => x.id)).toEqual([id]);
  });

  it('a send repeated after a lost answer keeps the first document and drops the second copy of the file', async () => {
    const body = { ...data(), title: '关于补报党员信息的通知', clientId: '2b0f6c1d-8e3a-4f5b-9c7d-1a2e3f4b5c6d' };
    const first = await send('admin', body, PDF);
    expect(first.status, first.body).toBe(201);
    const blobs = blobCount();
    const again = await send('admin', body, PDF);
    expect(again.status, again.body).toBe(200);
    expect(again.json.id).toBe(first.json.id);
    expect(blobCount()).toBe(blobs);
  });
});
