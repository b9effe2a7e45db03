/**
 * Year-end targets (年底兑标, issue 19): a township sets a village's target sheet, the village reports,
 * and from 1 December the township scores each target within its weight; the sheet settles when all are scored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiDate } from '../platform/calendar.ts';
import { setup, type TestCtx } from './harness.ts';

let t: TestCtx;
const cookies: Record<string, string> = {};
const users = ['admin', 'orga', 'orgb', 'seca1'];
const post = (user: string, url: string, body: unknown = {}) => t.req('POST', url, { cookie: cookies[user], body });
const get = (user: string, url: string) => t.req('GET', url, { cookie: cookies[user] });

function expectError(res: { status: number; json: any; body: string }, status: number, code: string) {
  expect(res.status, res.body).toBe(status);
  expect(res.json?.code, res.body).toBe(code);
  expect(res.json?.message, res.body).toMatch(/[\u4e00-\u9fa5]/);
}

let year = 0;
let sheet: any;

beforeAll(async () => {
  t = await setup();
  for (const u of users) cookies[u] = await t.login(u);
  year = Number(shanghaiDate(t.deps.now()).slice(0, 4));
});
afterAll(async () => t?.close());

describe('a village’s targets for the year', () => {
  const items = [
    { text: '全年召开支部党员大会不少于 4 次', weight: 40 },
    { text: '发展党员 1 名', weight: 30 },
    { text: '村级活动场所规范化', weight: 30 },
  ];

  it('the township sets them for a village below it, once', async () => {
    const res = await post('orga', '/api/targets', { orgId: t.fx.villageA1, year, items });
    expect(res.status, res.body).toBe(201);
    sheet = res.json;
    expect(sheet).toMatchObject({
      orgName: '中共甲一村支部委员会',
      issuerOrgName: '中共甲镇委员会',
      weight: 100,
      score: 0,
      settled: false,
    });
    expectError(await post('orga', '/api/targets', { orgId: t.fx.villageA1, year, items }), 409, 'TARGET_EXISTS');
    expectError(await post('orga', '/api/targets', { orgId: t.fx.townA, year, items }), 422, 'TARGET_OWN_ORG');
    expectError(await post('orgb', '/api/targets', { orgId: t.fx.villageA1, year, items }), 404, 'NOT_FOUND');
    expectError(await post('seca1', '/api/targets', { orgId: t.fx.groupA1, year, items }), 403, 'FORBIDDEN');
  });

  it('the village reports how a target was met; nobody else does', async () => {
    const item = sheet.items[0].id;
    const rep = await post('seca1', `/api/targets/${sheet.id}/items/${item}/report`, {
      text: '全年召开党员大会 5 次，记录齐全',
    });
    expect(rep.status, rep.body).toBe(200);
    expect(rep.json.items[0].report).toBe('全年召开党员大会 5 次，记录齐全');
    expectError(
      await post('orga', `/api/targets/${sheet.id}/items/${item}/report`, { text: 'x' }),
      403,
      'TARGET_NOT_HOLDER',
    );
    expectError(await get('orgb', `/api/targets/${sheet.id}`), 404, 'NOT_FOUND');
  });

  it('scoring opens on 1 December, stays within each weight, and settles the sheet', async () => {
    const next = await post('orga', '/api/targets', { orgId: t.fx.villageA1, year: year + 1, items });
    expectError(
      await post('orga', `/api/targets/${next.json.id}/items/${next.json.items[0].id}/score`, { score: 10 }),
      409,
      'TARGET_NOT_YET',
    );
    // This year's December (the clock only moves forward; a run in December is there already).
    const dec = Date.parse(`${year}-12-02T10:00:00+08:00`);
    if (t.deps.now().getTime() < dec) {
      t.advance(dec - t.deps.now().getTime());
      for (const u of users) cookies[u] = await t.login(u);
    }
    const url = (i: number) => `/api/targets/${sheet.id}/items/${sheet.items[i].id}/score`;
    expectError(await post('orga', url(1), { score: 45 }), 422, 'TARGET_SCORE_OVER');
    expectError(await post('seca1', url(1), { score: 10 }), 403, 'TARGET_NOT_ISSUER');
    await post('orga', url(0), { score: 40, comment: '超额完成' });
    await post('orga', url(1), { score: 0, comment: '未发展党员' });
    const last = await post('orga', url(2), { score: 25.5 });
    expect(last.status, last.body).toBe(200);
    expect(last.json).toMatchObject({ score: 65.5, weight: 100, settled: true });
    const list = await get('orga', `/api/targets?year=${year}`);
    expect(list.json.map((s: any) => [s.orgName, s.score])).toEqual([['中共甲一村支部委员会', 65.5]]);
  });
});
