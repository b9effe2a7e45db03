/**
 * Issue 15 §6 (SEC-14, SEC-23): a per-account budget wherever data leaves, counted with the
 * searches it can stand in for. The reviewer's findings: 300 of 300 reveals answered; after the
 * ID-search cap, exports filtered by the last four digits returned 14 more lists; the statistics
 * export and evidence downloads were never limited.
 */
import { sql } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SettingKey, setSetting } from '../platform/settings.ts';
import { COUNTY, multipart, ORIGIN, setup, type TestCtx } from './harness.ts';

let t: TestCtx;

async function setting(key: SettingKey, value: number): Promise<void> {
  await setSetting(t.database.db, COUNTY, key, value as never);
}

/** Answers of `n` calls, as "status code" strings. */
async function calls(n: number, call: () => Promise<{ status: number; json: any }>): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = await call();
    out.push(`${r.status} ${r.json?.code ?? ''}`.trim());
  }
  return out;
}

beforeAll(async () => {
  t = await setup();
});
afterAll(async () => t?.close());

describe('budgets where data leaves (issue 15 §6)', () => {
  it('a member’s full view stops at the hourly limit, in Chinese', async () => {
    await setting('security.revealsPerHour', 5);
    const cookie = await t.login('admin');
    const answers = await calls(8, () =>
      t.req('POST', `/api/members/${t.fx.members.张三}/reveal`, { cookie, body: { reason: '核对信息' } }),
    );
    expect(answers).toEqual([...Array(5).fill('200'), ...Array(3).fill('429 RATE_LIMITED')]);
    const last = await t.req('POST', `/api/orgs/${t.fx.villageA1}/reveal`, { cookie, body: { reason: '核对信息' } });
    expect(last.json.code).toBe('RATE_LIMITED');
    expect(last.json.message).toMatch(/查看完整个人信息的次数已达本小时上限/);
    // Nothing was revealed past the limit: five audit entries, not eight.
    const n = await t.database.db.execute<{ n: number }>(
      sql`select count(*)::int as n from audit_log where action = 'member.reveal'`,
    );
    expect(n.rows[0].n).toBe(5);
  });

  it('full views spend the lookup-by-ID budget, and an export by the last four digits cannot step around its cap', async () => {
    await setting('security.revealsPerHour', 100);
    await setting('security.idSearchesPerHour', 3);
    await setting('security.exportsPerHour', 100);
    const admin2 = await t.addUser('admin2', ['countyAdmin'], t.fx.county).then(() => t.login('admin2'));
    const tail = t.fx.ids.张三.slice(-4);
    const searches = await calls(3, () => t.req('GET', `/api/members?q=${tail}`, { cookie: admin2 }));
    expect(searches).toEqual(['200', '200', '200']);
    const exp = await t.req('GET', `/api/members/export?q=${tail}&reason=${encodeURIComponent('核对')}`, {
      cookie: admin2,
    });
    expect(exp.status).toBe(429);
    expect(exp.json.code).toBe('RATE_LIMITED');
    expect(exp.json.message).toMatch(/按身份证号码查找/);
    const reveal = await t.req('POST', `/api/members/${t.fx.members.张三}/reveal`, {
      cookie: admin2,
      body: { reason: '核对信息' },
    });
    expect(reveal.json.code).toBe('RATE_LIMITED');
    // An export by name is not a lookup by ID number: it still works.
    const byName = await t.req(
      'GET',
      `/api/members/export?q=${encodeURIComponent('张')}&reason=${encodeURIComponent('核对')}`,
      { cookie: admin2 },
    );
    expect(byName.status).toBe(200);
  });

  it('the statistics export is an export: it shares the hourly budget', async () => {
    await setting('security.exportsPerHour', 2);
    await t.addUser('admin3', ['countyAdmin'], t.fx.county);
    const cookie = await t.login('admin3');
    const answers = await calls(3, () => t.req('GET', `/api/stats/export?orgId=${t.fx.county}`, { cookie }));
    expect(answers).toEqual(['200', '200', '429 RATE_LIMITED']);
    const problems = await t.req('GET', '/api/problems/export', { cookie });
    expect(problems.json.code).toBe('RATE_LIMITED');
    expect(problems.json.message).toMatch(/导出次数已达本小时上限/);
  });

  it('evidence downloads stop at the hourly limit', async () => {
    await setting('security.downloadsPerHour', 3);
    const cookie = await t.login('seca1');
    const m = await t.req('POST', '/api/meetings', {
      cookie,
      body: {
        orgId: t.fx.villageA1,
        kind: 'branchMeeting',
        startsAt: '2026-05-10T09:00:00+08:00',
        topic: '学习',
        attendance: [{ memberId: t.fx.members.张三, status: 'present' }],
      },
    });
    expect(m.status, m.body).toBe(201);
    const photo = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#a03020' } })
      .jpeg()
      .toBuffer();
    const mp = multipart(photo, 'a.jpg');
    const up = await t.app.inject({
      method: 'POST',
      url: `/api/meetings/${m.json.id}/evidence`,
      headers: { cookie, origin: ORIGIN, host: 'localhost:80', 'content-type': mp.type },
      payload: mp.body,
    });
    expect(up.statusCode, up.body).toBe(201);
    const id = up.json().id;
    const answers = await calls(5, async () => {
      const r = await t.app.inject({
        method: 'GET',
        url: `/api/evidence/${id}`,
        headers: { cookie, host: 'localhost:80' },
      });
      return { status: r.statusCode, json: r.statusCode === 200 ? null : r.json() };
    });
    expect(answers).toEqual(['200', '200', '200', '429 RATE_LIMITED', '429 RATE_LIMITED']);
  });
});
