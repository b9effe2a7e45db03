/**
 * Periodic reports of first secretaries (定期汇报, issue 20; FS-4): the monthly log filed from the phone
 * (a resend of its clientId answering the first, one per period, bad input refused with its code and
 * nothing kept), corrected until someone comments; the township, the dispatching unit and the county
 * comment each as their side, anyone else is refused; a first secretary reads only his own; FS-4 raises
 * a missing log the day after its due date — across a month's end and from December into January — and
 * clears it when the log comes (late, and said so); nothing is judged before the account's month; the
 * reminders job writes once. The clock is set to fixed moments so the periods are the same on any day.
 */
import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReminders } from '../modules/firstsec/reports.ts';
import { runCounty } from '../modules/problems/engine.ts';
import { makeIdNumber } from '../platform/idcard.ts';
import { COUNTY, setup, type TestCtx } from './harness.ts';

let t: TestCtx;
const cookies: Record<string, string> = {};
const post = (user: string, url: string, body: unknown = {}) => t.req('POST', url, { cookie: cookies[user], body });
const get = (user: string, url: string) => t.req('GET', url, { cookie: cookies[user] });
const patch = (user: string, url: string, body: unknown) => t.req('PATCH', url, { cookie: cookies[user], body });

function expectError(res: { status: number; json: any; body: string }, status: number, code: string) {
  expect(res.status, res.body).toBe(status);
  expect(res.json?.code, res.body).toBe(code);
  expect(res.json?.message, res.body).toMatch(/[\u4e00-\u9fa5]/);
}

/** Move the app's clock to a Beijing moment. */
function at(beijing: string) {
  t.advance(new Date(`${beijing}+08:00`).getTime() - t.deps.now().getTime());
}

const LOG =
  '本月走访脱贫户和监测户 23 户，更新帮扶台账；组织召开支部委员会 2 次，讨论村集体光伏项目收益分配。下月继续跟进冷库建设。';
let fsId = '';
let fs2Id = '';
let reportId = '';

async function person(name: string, orgId: string, idNumber: string, dispatchOrgId?: string) {
  const made = await post('admin', '/api/first-secretaries', {
    name,
    idNumber,
    role: 'firstSecretary',
    dispatchUnit: '县财政局',
    dispatchOrgId,
    orgId,
    startDate: '2026-08-01',
    endDate: '2028-07-31',
    areas: ['organization', 'industry'],
  });
  expect(made.status, made.body).toBe(201);
  const account = await post('admin', `/api/first-secretaries/${made.json.id}/account`);
  expect(account.status, account.body).toBe(201);
  return { id: made.json.id as string, username: account.json.username as string };
}

/** The account reads as opened at `openedAt`, signed in with the harness's password. */
async function signIn(username: string, openedAt: string) {
  await t.database.db.execute(sql`update users set must_change_password = false, created_at = ${openedAt}::timestamptz,
    password_hash = (select password_hash from users where county_code = ${COUNTY} and username = 'admin')
    where county_code = ${COUNTY} and username = ${username}`);
  return t.login(username);
}

async function loginAll() {
  for (const u of ['admin', 'orga', 'orgb', 'leader', 'unit', 'village']) cookies[u] = await t.login(u);
  cookies.fs = await t.login(names.fs);
  cookies.fs2 = await t.login(names.fs2);
}
const names = { fs: '', fs2: '' };

async function problems(period: string, status = 'open') {
  const r = await get('admin', `/api/problems?rule=FS-4&period=${period}&status=${status}`);
  expect(r.status, r.body).toBe(200);
  return r.json.items.map((x: any) => [x.subjectName, x.message]);
}

beforeAll(async () => {
  t = await setup();
  at('2026-12-03T10:00:00');
  await t.addUser('unit', ['orgAdmin'], t.fx.organBranch);
  await t.addUser('village', ['orgAdmin'], t.fx.villageA1);
  for (const u of ['admin', 'orga', 'orgb', 'leader', 'unit', 'village']) cookies[u] = await t.login(u);
  // 王芳 in village A1, sent by the organs' branch (on the platform); her account opened on 20 August: judged from September.
  const a = await person('王芳', t.fx.villageA1, makeIdNumber('410225', '19870312', 142), t.fx.organBranch);
  fsId = a.id;
  names.fs = a.username;
  cookies.fs = await signIn(a.username, '2026-08-20T10:00:00+08:00');
  // 周强 in village A2, his account opened today: nothing judged before January.
  const b = await person('周强', t.fx.villageA2, makeIdNumber('410225', '19850707', 153));
  fs2Id = b.id;
  names.fs2 = b.username;
  cookies.fs2 = await signIn(b.username, '2026-12-03T10:00:00+08:00');
});
afterAll(async () => t?.close());

describe('filing a report from the phone', () => {
  it('refuses bad input with its code and keeps nothing', async () => {
    const body = { kind: 'monthly', period: '2026-11', body: LOG, areas: ['organization'] };
    expectError(
      await post('fs', '/api/first-secretaries/reports', { ...body, period: '2026-Q4' }),
      422,
      'FS_REPORT_PERIOD',
    );
    expectError(
      await post('fs', '/api/first-secretaries/reports', { ...body, period: '2027-01' }),
      422,
      'FS_REPORT_NOT_BEGUN',
    );
    expectError(
      await post('fs', '/api/first-secretaries/reports', { ...body, body: '已驻村。' }),
      422,
      'FS_REPORT_TOO_SHORT',
    );
    expectError(
      await post('fs', '/api/first-secretaries/reports', {
        ...body,
        madeAt: new Date(t.deps.now().getTime() + 3600_000).toISOString(),
      }),
      422,
      'FS_REPORT_FUTURE',
    );
    expectError(await post('fs', '/api/first-secretaries/reports', { ...body, areas: ['fishing'] }), 400, 'VALIDATION');
    expectError(await post('orga', '/api/first-secretaries/reports', body), 403, 'FORBIDDEN');
    const n = await t.database.db.execute<{ n: number }>(
      sql`select count(*)::int as n from fs_reports where county_code = ${COUNTY}`,
    );
    expect(n.rows[0].n).toBe(0);
  });

  it('files the monthly log once; a resend answers the first; a second for the period is refused', async () => {
    const clientId = crypto.randomUUID();
    const madeAt = new Date(t.deps.now().getTime() - 2 * 3600_000).toISOString();
    const body = {
      kind: 'monthly',
      period: '2026-11',
      body: LOG,
      areas: ['organization', 'povertyRelief'],
      madeAt,
      clientId,
    };
    const made = await post('fs', '/api/first-secretaries/reports', body);
    expect(made.status, made.body).toBe(201);
    reportId = made.json.id;
    expect(made.json).toMatchObject({
      name: '王芳',
      kind: 'monthly',
      period: '2026-11',
      periodLabel: '2026年11月',
      areas: ['organization', 'povertyRelief'],
      madeAt,
      dueOn: '2026-12-05',
      lateDays: 0,
      version: 1,
      comments: [],
      can: { edit: true, comment: null },
    });
    const again = await post('fs', '/api/first-secretaries/reports', body);
    expect(again.status, again.body).toBe(200);
    expect(again.json.id).toBe(reportId);
    expectError(
      await post('fs', '/api/first-secretaries/reports', { ...body, clientId: crypto.randomUUID() }),
      409,
      'FS_REPORT_EXISTS',
    );
    const audit = await t.database.db.execute(
      sql`select 1 from audit_log where county_code = ${COUNTY} and action = 'fs.report'`,
    );
    expect(audit.rows).toHaveLength(1);
    // The phone's page: December's log and the fourth quarter's report to come, November's filed.
    const me = await get('fs', '/api/first-secretaries/me');
    expect(me.status, me.body).toBe(200);
    expect(me.json.reports.map((r: any) => [r.kind, r.period, r.dueOn, r.state])).toEqual([
      ['monthly', '2026-12', '2027-01-05', 'notDue'],
      ['quarterly', '2026-Q4', '2027-01-10', 'notDue'],
      ['monthly', '2026-11', '2026-12-05', 'filed'],
    ]);
    expect(me.json.reminders).toEqual([]);
  });

  it('the author corrects it while nobody has commented, with the version', async () => {
    const fixed = await patch('fs', `/api/first-secretaries/reports/${reportId}`, {
      version: 1,
      body: `${LOG}另：协调解决了两个自然村的污水管网接入。`,
      areas: ['organization', 'povertyRelief', 'environment'],
    });
    expect(fixed.status, fixed.body).toBe(200);
    expect(fixed.json).toMatchObject({ version: 2, areas: ['organization', 'povertyRelief', 'environment'] });
    expectError(
      await patch('fs', `/api/first-secretaries/reports/${reportId}`, { version: 1, body: LOG }),
      409,
      'CONFLICT',
    );
    expectError(
      await patch('fs', `/api/first-secretaries/reports/${reportId}`, { version: 2, body: '太短了' }),
      422,
      'FS_REPORT_TOO_SHORT',
    );
    expectError(
      await patch('fs2', `/api/first-secretaries/reports/${reportId}`, { version: 2, body: LOG }),
      404,
      'NOT_FOUND',
    );
  });
});

describe('reading and commenting', () => {
  it('the township, the dispatching unit and the county comment as their side; nobody else', async () => {
    const town = await post('orga', `/api/first-secretaries/reports/${reportId}/comments`, {
      text: '已阅。走访扎实，请继续抓好光伏项目收益分配。',
    });
    expect(town.status, town.body).toBe(201);
    expect(town.json.comments.map((c: any) => c.side)).toEqual(['town']);
    expect(town.json.can).toEqual({ edit: false, comment: 'town' });
    // The dispatching unit's account reads it though the village is outside its organization.
    const seen = await get('unit', `/api/first-secretaries/reports?fsId=${fsId}`);
    expect(seen.json.items.map((r: any) => r.id)).toEqual([reportId]);
    const unit = await post('unit', `/api/first-secretaries/reports/${reportId}/comments`, {
      text: '单位党组已阅，消费帮扶需求请列出清单。',
    });
    expect(unit.status, unit.body).toBe(201);
    const county = await post('admin', `/api/first-secretaries/reports/${reportId}/comments`, {
      text: '县委组织部已阅。',
    });
    expect(county.json.comments.map((c: any) => [c.side, c.text])).toEqual([
      ['town', '已阅。走访扎实，请继续抓好光伏项目收益分配。'],
      ['unit', '单位党组已阅，消费帮扶需求请列出清单。'],
      ['county', '县委组织部已阅。'],
    ]);
    // Another township does not see it; the village's own account and the person may not comment.
    expectError(await get('orgb', `/api/first-secretaries/reports/${reportId}`), 404, 'NOT_FOUND');
    expectError(
      await post('orgb', `/api/first-secretaries/reports/${reportId}/comments`, { text: '已阅。' }),
      404,
      'NOT_FOUND',
    );
    expectError(
      await post('village', `/api/first-secretaries/reports/${reportId}/comments`, { text: '已阅。' }),
      403,
      'FS_REPORT_NOT_YOURS',
    );
    expectError(
      await post('fs', `/api/first-secretaries/reports/${reportId}/comments`, { text: '已阅。' }),
      403,
      'FS_REPORT_NOT_YOURS',
    );
    expectError(
      await post('orga', `/api/first-secretaries/reports/${reportId}/comments`, { text: '' }),
      400,
      'VALIDATION',
    );
    // Commented: no longer corrected.
    expectError(
      await patch('fs', `/api/first-secretaries/reports/${reportId}`, { version: 2, body: LOG }),
      409,
      'FS_REPORT_COMMENTED',
    );
    const mine = await get('fs', `/api/first-secretaries/reports/${reportId}`);
    expect(mine.json.comments).toHaveLength(3);
    expect(mine.json.can).toEqual({ edit: false, comment: null });
  });

  it('a first secretary reads only his own reports', async () => {
    expectError(await get('fs2', `/api/first-secretaries/reports/${reportId}`), 404, 'NOT_FOUND');
    expect((await get('fs2', '/api/first-secretaries/reports')).json.items).toEqual([]);
    expect((await get('fs', '/api/first-secretaries/reports')).json.items.map((r: any) => r.id)).toEqual([reportId]);
    expectError(await get('fs', '/api/first-secretaries/reports/status?kind=monthly&period=2026-11'), 403, 'FORBIDDEN');
  });
});

describe('FS-4: reports on the county’s schedule', () => {
  it('a log missing after its due date is a problem, cleared when it comes (late, and said so)', async () => {
    await runCounty(t.database.db, t.deps, COUNTY, 'full', { from: '2026-08-01' });
    // September and October are owed (the account was opened in August); August is not judged, November was filed.
    expect(await problems('2026-10')).toEqual([
      ['王芳', '2026年10月工作日志（第一书记王芳）应于 2026-11-05 前提交，至今未提交'],
    ]);
    expect(await problems('2026-09')).toHaveLength(1);
    expect(await problems('2026-08')).toEqual([]);
    expect(await problems('2026-11')).toEqual([]);
    // 周强's account was opened today: nothing of his is judged yet.
    const his = await t.database.db.execute(
      sql`select 1 from rule_results where county_code = ${COUNTY} and rule_id = 'FS-4' and subject_id = ${fs2Id}`,
    );
    expect(his.rows).toEqual([]);

    const late = await post('fs', '/api/first-secretaries/reports', {
      kind: 'monthly',
      period: '2026-10',
      body: '十月份补交：组织党员开展国庆主题党日，协调秋收机械 6 台，走访监测户 11 户。',
      areas: ['organization'],
    });
    expect(late.status, late.body).toBe(201);
    expect(late.json).toMatchObject({ dueOn: '2026-11-05', lateDays: 28 });
    // Re-checked in the filing's transaction.
    expect(await problems('2026-10')).toEqual([]);
    expect((await problems('2026-10', 'cleared')).map((p: any) => p[0])).toEqual(['王芳']);

    const status = await get('orga', '/api/first-secretaries/reports/status?kind=monthly&period=2026-10');
    expect(status.status, status.body).toBe(200);
    expect(status.json).toMatchObject({ periodLabel: '2026年10月', dueOn: '2026-11-05' });
    const byName = (a: any, b: any) => a.name.localeCompare(b.name, 'zh-CN');
    expect(status.json.items.sort(byName).map((i: any) => [i.name, i.state, i.lateDays, i.note])).toEqual([
      ['王芳', 'late', 28, null],
      ['周强', 'notRequired', 0, '本人账号在该期开始后开通'],
    ]);
    expect(status.json.counts).toMatchObject({ late: 1, notRequired: 1, overdue: 0 });
    expectError(
      await get('orga', '/api/first-secretaries/reports/status?kind=quarterly&period=2026-11'),
      422,
      'FS_REPORT_PERIOD',
    );
    expect((await get('orgb', '/api/first-secretaries/reports/status?kind=monthly&period=2026-10')).json.items).toEqual(
      [],
    );
  });

  it('December’s log is due on 5 January: a reminder until then, a problem from the 6th', async () => {
    at('2027-01-05T20:00:00');
    await loginAll();
    await runCounty(t.database.db, t.deps, COUNTY, 'full', { from: '2026-08-01' });
    expect(await problems('2026-12', 'upcoming')).toEqual([
      ['王芳', '2026年12月工作日志（第一书记王芳）请于 2027-01-05 前提交'],
    ]);
    expect(await problems('2026-12')).toEqual([]);
    at('2027-01-06T09:00:00');
    await loginAll();
    await runCounty(t.database.db, t.deps, COUNTY, 'full', { from: '2026-08-01' });
    expect(await problems('2026-12')).toEqual([
      ['王芳', '2026年12月工作日志（第一书记王芳）应于 2027-01-05 前提交，至今未提交'],
    ]);
    // 周强 (account opened in December) owes nothing for December; January is his first month.
    const status = await get('admin', '/api/first-secretaries/reports/status?kind=monthly&period=2026-12');
    expect(Object.fromEntries(status.json.items.map((i: any) => [i.name, i.state]))).toEqual({
      王芳: 'overdue',
      周强: 'notRequired',
    });
  });

  it('the reminders job writes once a day, due and overdue; the person reads them', async () => {
    const run = () => t.database.db.transaction((tx) => writeReminders(tx, COUNTY, '2027-01-06'));
    // December's log overdue; the quarter's report (10 January) is four days off, beyond the default three.
    expect(await run()).toBe(1);
    expect(await run()).toBe(0);
    expect(await t.database.db.transaction((tx) => writeReminders(tx, COUNTY, '2027-01-07'))).toBe(1);
    const me = await get('fs', '/api/first-secretaries/me');
    expect(me.json.reminders.map((r: any) => [r.stage, r.text])).toEqual([
      ['due', '2026年第四季度工作报告请于 2027-01-10 前提交'],
      ['overdue', '2026年12月工作日志已逾期（应于 2027-01-05 前提交），请尽快提交'],
    ]);
    expect((await get('fs2', '/api/first-secretaries/me')).json.reminders).toEqual([]);
    const one = me.json.reminders[0].id;
    expectError(await post('fs2', `/api/first-secretaries/reminders/${one}/read`), 404, 'NOT_FOUND');
    expect((await post('fs', `/api/first-secretaries/reminders/${one}/read`)).status).toBe(200);
    expect((await get('fs', '/api/first-secretaries/me')).json.reminders).toHaveLength(1);
    // Filing December's log clears the problem at once.
    const filed = await post('fs', '/api/first-secretaries/reports', {
      kind: 'monthly',
      period: '2026-12',
      body: '十二月份工作：召开年终党员大会，完成村级财务公开，冷库投入使用。',
      areas: ['industry'],
    });
    expect(filed.status, filed.body).toBe(201);
    expect(await problems('2026-12')).toEqual([]);
  });
});
