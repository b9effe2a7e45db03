/**
 * Supervision notices (issue 19): a draft made from the data in one call names the organizations
 * late with a task due in the period, ranks the townships, opens as a valid Word document holding
 * those names, is published to the county, and each named organization signs for it — nobody else.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, shanghaiDate } from '../platform/calendar.ts';
import { setup, type TestCtx } from './harness.ts';

let t: TestCtx;
const cookies: Record<string, string> = {};
const post = (user: string, url: string, body: unknown = {}) => t.req('POST', url, { cookie: cookies[user], body });
const get = (user: string, url: string) => t.req('GET', url, { cookie: cookies[user] });
const users = ['admin', 'orga', 'orgb', 'seca1', 'seca2', 'leader'];

function expectError(res: { status: number; json: any; body: string }, status: number, code: string) {
  expect(res.status, res.body).toBe(status);
  expect(res.json?.code, res.body).toBe(code);
}

let period = '';
let noticeId = '';

beforeAll(async () => {
  t = await setup();
  await t.addUser('seca2', ['branchSecretary'], t.fx.villageA2);
  for (const u of users) cookies[u] = await t.login(u);
  // A county task to both townships, due in a fortnight; township A passes it to its two villages.
  const due = addDays(shanghaiDate(t.deps.now()), 14);
  period = due.slice(0, 7);
  const task = await post('admin', '/api/tasks', {
    title: '党员冬训',
    deadline: due,
    targets: { underOrgId: t.fx.county, orgKinds: ['committee'] },
  });
  const share = (org: string) => task.json.assignments.find((x: any) => x.orgId === org).id;
  await post('orga', `/api/tasks/assignments/${share(t.fx.townA)}/sign`);
  const split = await post('orga', `/api/tasks/assignments/${share(t.fx.townA)}/split`, {
    orgIds: [t.fx.villageA1, t.fx.villageA2],
    deadline: due,
  });
  const a1 = split.json.assignments.find((x: any) => x.orgId === t.fx.villageA1).id;
  // Village A1 and township B finish on time; village A2 and so township A do not.
  await post('seca1', `/api/tasks/assignments/${a1}/sign`);
  await post('seca1', `/api/tasks/assignments/${a1}/submit`);
  await post('orga', `/api/tasks/assignments/${a1}/accept`);
  await post('orgb', `/api/tasks/assignments/${share(t.fx.townB)}/sign`);
  await post('orgb', `/api/tasks/assignments/${share(t.fx.townB)}/submit`);
  await post('admin', `/api/tasks/assignments/${share(t.fx.townB)}/accept`);
  // Two days past the deadline.
  t.advance(16 * 86_400_000);
  for (const u of users) cookies[u] = await t.login(u);
});
afterAll(async () => t?.close());

describe('a supervision notice out of the data', () => {
  it('ranks the townships, praises the one on time and names the late ones', async () => {
    const res = await post('admin', '/api/notices', {
      title: '关于党员冬训落实情况的督查通报',
      underOrgId: t.fx.county,
      period,
    });
    expect(res.status, res.body).toBe(201);
    noticeId = res.json.id;
    const c = res.json.content;
    expect(c.checked).toMatchObject({ tasks: 1, assignments: 4 });
    expect(c.ranking.map((r: any) => [r.orgName, r.tasks, r.done, r.onTime, r.overdue])).toEqual([
      ['中共乙镇委员会', 1, 1, 1, 0],
      ['中共甲镇委员会', 3, 1, 1, 2],
      ['中共兰考县县直机关工作委员会', 0, 0, 0, 0],
    ]);
    expect(c.good).toEqual(['中共乙镇委员会']);
    expect(c.lagging.map((l: any) => [l.orgName, l.overdue[0].days])).toEqual([
      ['中共甲镇委员会', 2],
      ['中共甲二村支部委员会', 2],
    ]);
    expect(res.json.status).toBe('draft');
    expect(res.json.named.map((n: any) => [n.orgName, n.signedAt])).toEqual([
      ['中共甲镇委员会', null],
      ['中共甲二村支部委员会', null],
    ]);
    expect(res.json.can).toEqual({ publish: true, sign: false });
  });

  it('opens as a Word document naming those organizations', async () => {
    const d = await t.app.inject({
      method: 'GET',
      url: `/api/notices/${noticeId}/document`,
      headers: { cookie: cookies.admin, host: 'localhost:80' },
    });
    expect(d.statusCode, d.body).toBe(200);
    expect(d.headers['content-type']).toContain('wordprocessingml');
    const { default: JSZip } = await import('jszip');
    const zip = await JSZip.loadAsync(d.rawPayload);
    const xml = (await zip.file('word/document.xml')?.async('string')) ?? '';
    const text = xml.replace(/<[^>]+>/g, '');
    expect(text).toContain('关于党员冬训落实情况的督查通报');
    expect(text).toContain('中共甲二村支部委员会：“党员冬训”');
    expect(text).toContain('已逾期 2 天');
    expect(text).toContain('中共乙镇委员会按时完成全部任务');
    const audit = await t.database.db.execute(
      sql`select 1 from audit_log where action = 'notice.download' and object_id = ${noticeId}`,
    );
    expect(audit.rows).toHaveLength(1);
  });

  it('a draft stays with the level that made it; once published the named organizations sign, and only they', async () => {
    expectError(await get('seca2', `/api/notices/${noticeId}`), 404, 'NOT_FOUND');
    expectError(await post('orga', `/api/notices/${noticeId}/publish`), 404, 'NOT_FOUND');
    expectError(await post('seca2', `/api/notices/${noticeId}/sign`), 404, 'NOT_FOUND');
    const pub = await post('admin', `/api/notices/${noticeId}/publish`);
    expect(pub.status, pub.body).toBe(200);
    expect(pub.json.status).toBe('published');
    expectError(await post('admin', `/api/notices/${noticeId}/publish`), 409, 'NOTICE_PUBLISHED');
    // Everyone below the county reads it; the village named signs.
    const seen = await get('seca2', `/api/notices/${noticeId}`);
    expect(seen.json.can).toEqual({ publish: false, sign: true });
    const list = await get('seca2', '/api/notices');
    expect(list.json.items[0]).toMatchObject({ id: noticeId, mustSign: true, named: 2, signed: 0 });
    const signed = await post('seca2', `/api/notices/${noticeId}/sign`);
    expect(signed.status, signed.body).toBe(200);
    expect(signed.json.named.find((n: any) => n.orgId === t.fx.villageA2).signedAt).not.toBeNull();
    expectError(await post('seca2', `/api/notices/${noticeId}/sign`), 409, 'NOTICE_SIGNED');
    expectError(await post('seca1', `/api/notices/${noticeId}/sign`), 403, 'NOTICE_NOT_NAMED');
    expectError(await post('leader', `/api/notices/${noticeId}/sign`), 403, 'FORBIDDEN');
    expect((await post('orga', `/api/notices/${noticeId}/sign`)).json.named.every((n: any) => n.signedAt)).toBe(true);
  });

  it("a township's own notice is not seen by the other township", async () => {
    const own = await post('orga', '/api/notices', { title: '甲镇督查通报', underOrgId: t.fx.townA, period });
    expect(own.status, own.body).toBe(201);
    expect(own.json.content.ranking.map((r: any) => r.orgName)).toEqual([
      '中共甲一村支部委员会',
      '中共甲二村支部委员会',
    ]);
    await post('orga', `/api/notices/${own.json.id}/publish`);
    expectError(await get('orgb', `/api/notices/${own.json.id}`), 404, 'NOT_FOUND');
    expect((await get('orgb', '/api/notices')).json.items.map((x: any) => x.id)).not.toContain(own.json.id);
    expectError(
      await post('orga', '/api/notices', { title: '越级', underOrgId: t.fx.townB, period }),
      404,
      'NOT_FOUND',
    );
    expectError(
      await post('orga', '/api/notices', { title: '格式', underOrgId: t.fx.townA, period: '2026-13' }),
      400,
      'VALIDATION',
    );
  });
});
