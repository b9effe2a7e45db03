/**
 * The lists module's own rules through the engine (issue 19): a task share past its deadline (TASK-1),
 * a document not signed or reported on by its days (DOC-1) and a rectification past its deadline
 * unclosed (RECT-1) are raised by the full run, say what the data shows, and clear or reopen in the
 * transaction of the act that changes them.
 */
import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCounty } from '../modules/problems/engine.ts';
import { addDays, shanghaiDate } from '../platform/calendar.ts';
import { COUNTY, ORIGIN, setup, type TestCtx } from './harness.ts';

let t: TestCtx;
const cookies: Record<string, string> = {};
const users = ['admin', 'orga', 'orgb', 'seca1'];
const post = (user: string, url: string, body: unknown = {}) => t.req('POST', url, { cookie: cookies[user], body });

async function problem(rule: string, orgId: string) {
  const r = await t.database.db.execute<{ status: string; message: string }>(sql`select status, message from problems
    where county_code = ${COUNTY} and rule_id = ${rule} and subject_id = ${orgId} and period = ''`);
  return r.rows[0] ?? null;
}

async function sendDirective(data: unknown) {
  const b = `----dj${crypto.randomBytes(8).toString('hex')}`;
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/directives',
    headers: {
      cookie: cookies.admin,
      origin: ORIGIN,
      host: 'localhost:80',
      'content-type': `multipart/form-data; boundary=${b}`,
    },
    payload: Buffer.from(
      `--${b}\r\nContent-Disposition: form-data; name="data"\r\n\r\n${JSON.stringify(data)}\r\n--${b}\r\nContent-Disposition: form-data; name="file"; filename="通知.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n%%EOF\n\r\n--${b}--\r\n`,
    ),
  });
  return res.json();
}

const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await setup();
  for (const u of users) cookies[u] = await t.login(u);
  const t0 = shanghaiDate(t.deps.now());
  // A county task to township A's villages, due in two days.
  const task = await post('admin', '/api/tasks', {
    title: '党员信息采集核对',
    deadline: addDays(t0, 2),
    targets: { underOrgId: t.fx.townA, orgKinds: ['branch'] },
  });
  ids.share = task.json.assignments.find((a: any) => a.orgId === t.fx.villageA1).id;
  // A document to the township committees: sign within a day, report within two.
  const doc = await sendDirective({
    title: '关于开展党员冬训的通知',
    signDeadline: addDays(t0, 1),
    reportDeadline: addDays(t0, 2),
    targets: { underOrgId: t.fx.county, orgKinds: ['committee'] },
  });
  ids.doc = doc.id;
  // A rule-raised problem of village A1 (MEM-4: 张三 away six months) with a plan due tomorrow.
  await runCounty(t.database.db, t.deps, COUNTY, 'full');
  const p = await t.database.db.execute<{ id: string }>(sql`select id from problems where county_code = ${COUNTY}
    and rule_id = 'MEM-4' and subject_id = ${t.fx.members.张三} and status = 'open'`);
  ids.problem = p.rows[0].id;
  const plan = await post('seca1', `/api/problems/${ids.problem}/rectification`, {
    measures: '上门谈心',
    deadline: addDays(t0, 1),
  });
  expect(plan.status, plan.body).toBe(200);
  // Three days on, the nightly full run.
  t.advance(3 * 86_400_000);
  for (const u of users) cookies[u] = await t.login(u);
  await runCounty(t.database.db, t.deps, COUNTY, 'full');
});
afterAll(async () => t?.close());

describe('the lists module’s rules in the engine', () => {
  it('TASK-1: a share a day past its deadline, cleared when submitted and opened again when returned', async () => {
    expect(await problem('TASK-1', t.fx.villageA1)).toEqual({
      status: 'open',
      message: '承办的 1 项任务逾期未完成（最长逾期 1 天）：党员信息采集核对',
    });
    expect((await problem('TASK-1', t.fx.villageA2))?.status).toBe('open');
    await post('seca1', `/api/tasks/assignments/${ids.share}/sign`);
    expect((await post('seca1', `/api/tasks/assignments/${ids.share}/submit`)).status).toBe(200);
    expect((await problem('TASK-1', t.fx.villageA1))?.status).toBe('cleared');
    const back = await post('admin', `/api/tasks/assignments/${ids.share}/return`, { reason: '缺少核对台账' });
    expect(back.status, back.body).toBe(200);
    expect((await problem('TASK-1', t.fx.villageA1))?.status).toBe('open');
  });

  it('DOC-1: unsigned and unreported after their days, then only unreported, then cleared', async () => {
    expect(await problem('DOC-1', t.fx.townA)).toEqual({
      status: 'open',
      message: '1 份上级文件超过时限未签收，1 份超过时限未报告贯彻落实情况：关于开展党员冬训的通知',
    });
    await post('orga', `/api/directives/${ids.doc}/sign`);
    expect((await problem('DOC-1', t.fx.townA))?.message).toBe(
      '1 份超过时限未报告贯彻落实情况：关于开展党员冬训的通知',
    );
    await post('orga', `/api/directives/${ids.doc}/report`, { text: '已部署' });
    expect((await problem('DOC-1', t.fx.townA))?.status).toBe('cleared');
    expect((await problem('DOC-1', t.fx.townB))?.status).toBe('open');
  });

  it('RECT-1: a plan past its deadline with the problem still found, cleared by a new deadline', async () => {
    const p = await problem('RECT-1', t.fx.villageA1);
    expect(p?.status).toBe('open');
    expect(p?.message).toMatch(/^1 个问题超过整改时限未销号（最长超期 2 天）：党员张三连续/);
    const plan = await post('seca1', `/api/problems/${ids.problem}/rectification`, {
      measures: '上门谈心，邀请参加本月党员大会',
      deadline: addDays(shanghaiDate(t.deps.now()), 10),
    });
    expect(plan.status, plan.body).toBe(200);
    expect((await problem('RECT-1', t.fx.villageA1))?.status).toBe('cleared');
  });
});
