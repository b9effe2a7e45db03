/** The problems API: the list and its filters, detail history, rules, export, runs, rule settings, compliance, calendar, and scope. */
import crypto from 'node:crypto';
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCounty } from '../modules/problems/engine.ts';
import { RULE_SETTING_KEYS } from '../modules/problems/rule-settings.ts';
import { COUNTY, setup, type TestCtx } from './harness.ts';

let t: TestCtx;
const db = () => t.database.db;
const cookies: Record<string, string> = {};
/** Township C: three branches with a committee each; C1 and C2 held November's committee meeting, C3 did not. */
const C: { town: string; b1: string; b2: string; b3: string; meeting1: string } = {
  town: '',
  b1: '',
  b2: '',
  b3: '',
  meeting1: '',
};

/** Move the app's clock to an Asia/Shanghai wall time. */
function clockAt(local: string) {
  t.advance(Date.parse(`${local}+08:00`) - t.deps.now().getTime());
}

async function addOrg(parentId: string, name: string, kind: string, field = 'rural'): Promise<string> {
  const id = crypto.randomUUID();
  await db().execute(sql`insert into orgs (id, county_code, parent_id, path, depth, name, kind, field, founded_on)
    select ${id}, county_code, id, path || ${`${id}/`}, depth + 1, ${name}, ${kind}, ${field}, '2000-01-01' from orgs where id = ${parentId}`);
  return id;
}

/** Seven full members, so the branch has a committee to meet (LIFE-2, 第九条). */
async function members(orgId: string) {
  for (let i = 0; i < 7; i++) {
    const r = await db().execute<{
      id: string;
    }>(sql`insert into members (county_code, org_id, name, name_pinyin, name_initials, sex, birth_date, standing, join_date, full_date, id_enc, id_bidx)
      values (${COUNTY}, ${orgId}, ${`党员${i}`}, 'x', 'x', '1', '1980-01-01', 'full', '2000-01-01', '2001-01-01', 'x', ${`${orgId}-${i}`}) returning id`);
    await db().execute(
      sql`insert into member_org_history (county_code, member_id, org_id, org_name, from_date, reason) values (${COUNTY}, ${r.rows[0].id}, ${orgId}, 'x', '2000-01-01', '入党')`,
    );
  }
}

async function committee(orgId: string) {
  for (const post of ['secretary', 'organizationMember', 'propagandaMember']) {
    await db().execute(
      sql`insert into org_posts (county_code, org_id, post, person_name, start_date) values (${COUNTY}, ${orgId}, ${post}, ${`委员${post}`}, '2020-01-01')`,
    );
  }
}

/** A meeting; a committee meeting with two of the three committee members (registered by name only) present as guests: a quorum. */
async function meeting(orgId: string, kind: string, heldOn: string): Promise<string> {
  const guests = kind === 'committeeMeeting' ? [{ name: '委员secretary' }, { name: '委员organizationMember' }] : [];
  const r = await db().execute<{
    id: string;
  }>(sql`insert into meetings (county_code, org_id, kind, starts_at, held_on, guests)
    values (${COUNTY}, ${orgId}, ${kind}, ${`${heldOn}T09:00:00+08:00`}, ${heldOn}, ${JSON.stringify(guests)}::jsonb) returning id`);
  return r.rows[0].id;
}

const get = (user: string, url: string) => t.req('GET', url, { cookie: cookies[user] });

beforeAll(async () => {
  t = await setup();
  clockAt('2026-12-20T10:00:00');
  C.town = await addOrg(t.fx.county, '中共丙镇委员会', 'committee');
  C.b1 = await addOrg(C.town, '中共丙一村支部委员会', 'branch');
  C.b2 = await addOrg(C.town, '中共丙二村支部委员会', 'branch');
  C.b3 = await addOrg(C.town, '中共丙三村支部委员会', 'branch');
  for (const b of [C.b1, C.b2, C.b3]) {
    await committee(b);
    await members(b);
  }
  C.meeting1 = await meeting(C.b1, 'committeeMeeting', '2026-11-12');
  await meeting(C.b2, 'committeeMeeting', '2026-11-20');
  await runCounty(db(), t.deps, COUNTY, 'full', { from: '2026-01-01' });
  for (const u of ['admin', 'orga', 'orgb', 'leader', 'seca1']) cookies[u] = await t.login(u);
});
afterAll(async () => t?.close());

describe('problem list', () => {
  it('defaults to open problems of the whole scope, newest raised first, with Chinese names and labels', async () => {
    const res = await get('admin', '/api/problems?pageSize=200');
    expect(res.status, res.body).toBe(200);
    const items = res.json.items as any[];
    expect(items.length).toBeGreaterThan(0);
    expect(res.json.total).toBeGreaterThanOrEqual(items.length);
    expect(items.every((i) => i.status === 'open')).toBe(true);
    const q3 = items.find((i) => i.rule === 'LIFE-1' && i.subjectId === t.fx.villageA1 && i.period === '2026-Q3');
    expect(q3).toMatchObject({
      ruleName: '支部党员大会',
      subjectType: 'org',
      subjectName: '中共甲一村支部委员会',
      orgName: '中共甲一村支部委员会',
      periodLabel: '2026年第三季度',
      source: 'rule',
    });
    expect(q3.message).toBe('2026年第三季度未召开支部党员大会');
    expect(q3.raisedAt).not.toBeNull();
    // Member problems name the member (names only: nothing else personal).
    const member = items.find((i) => i.subjectType === 'member' && i.subjectName in t.fx.members);
    expect(member, 'a member problem (the fixture has one)').toBeTruthy();
    expect(Object.keys(t.fx.members)).toContain(member.subjectName);
    expect(JSON.stringify(items)).not.toContain(t.fx.ids.张三);
    const raised = items.map((i) => i.raisedAt as string);
    expect([...raised].sort().reverse()).toEqual(raised);
  });

  it('filters by rule, period, status, organization subtree, township and field; pages', async () => {
    const byRule = await get('admin', '/api/problems?rule=LIFE-2&period=2026-11&pageSize=200');
    expect(byRule.json.items.map((i: any) => i.subjectName)).toEqual(['中共丙三村支部委员会']);
    expect(byRule.json.items[0].periodLabel).toBe('2026年11月');
    const upcoming = await get('admin', '/api/problems?status=upcoming&rule=LIFE-1&pageSize=200');
    expect(upcoming.json.items.length).toBeGreaterThan(0);
    for (const i of upcoming.json.items)
      expect(i).toMatchObject({ status: 'upcoming', rule: 'LIFE-1', period: '2026-Q4' });
    const townA = await get('admin', `/api/problems?orgId=${t.fx.townA}&pageSize=200`);
    const inA = new Set([t.fx.townA, t.fx.villageA1, t.fx.villageA2, t.fx.groupA1]);
    expect(townA.json.items.length).toBeGreaterThan(0);
    for (const i of townA.json.items) expect(inA.has(i.orgId)).toBe(true);
    const townB = await get('admin', `/api/problems?townshipId=${t.fx.townB}&pageSize=200`);
    expect(townB.json.items.length).toBeGreaterThan(0);
    for (const i of townB.json.items) expect([t.fx.townB, t.fx.villageB1]).toContain(i.orgId);
    const organ = await get('admin', '/api/problems?field=organ&pageSize=200');
    expect(organ.json.items.length).toBeGreaterThan(0);
    for (const i of organ.json.items) expect([t.fx.organs, t.fx.organBranch]).toContain(i.orgId);
    const page = await get('admin', '/api/problems?pageSize=2&page=2');
    expect(page.json).toMatchObject({ page: 2, pageSize: 2 });
    expect(page.json.items).toHaveLength(2);
    const bad = await get('admin', '/api/problems?period=2026-13');
    expect(bad.status).toBe(400);
    expect(bad.json.code).toBe('VALIDATION');
  });

  it('lists the rules with their Chinese names, text, source and subject', async () => {
    const res = await get('leader', '/api/problems/rules');
    expect(res.status).toBe(200);
    const ids = res.json.map((r: any) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(res.json.find((r: any) => r.id === 'LIFE-2')).toMatchObject({
      name: '支委会',
      source: expect.stringContaining('支部工作条例'),
    });
    // LIFE-4 applies to branches and to committees' secretaries: both subjects are named.
    expect(res.json.find((r: any) => r.id === 'LIFE-4').subject).toContain('；');
    for (const r of res.json) expect(r.text.length * r.name.length * r.subject.length).toBeGreaterThan(0);
  });
});

describe('problem detail', () => {
  it('keeps the history as a meeting is saved and deleted through the meetings API', async () => {
    const list = await get('admin', `/api/problems?orgId=${t.fx.villageA1}&rule=LIFE-1&period=2026-Q3`);
    expect(list.json.items).toHaveLength(1);
    const id = list.json.items[0].id;
    const made = await t.req('POST', '/api/meetings', {
      cookie: cookies.admin,
      body: { orgId: t.fx.villageA1, kind: 'branchMeeting', startsAt: '2026-08-10T09:00:00+08:00', topic: '党员大会' },
    });
    expect(made.status, made.body).toBe(201);
    const cleared = await get('admin', `/api/problems/${id}`);
    expect(cleared.json).toMatchObject({ status: 'cleared', ruleName: '支部党员大会' });
    expect(cleared.json.clearedAt).not.toBeNull();
    const del = await t.req('DELETE', `/api/meetings/${made.json.id}`, { cookie: cookies.admin });
    expect(del.status, del.body).toBe(200);
    const d = await get('admin', `/api/problems/${id}`);
    expect(d.status).toBe(200);
    expect(d.json.status).toBe('open');
    expect(d.json.history.map((h: any) => [h.fromStatus, h.toStatus, h.cause])).toEqual([
      [null, 'open', 'full'],
      ['open', 'cleared', 'incremental'],
      ['cleared', 'open', 'incremental'],
    ]);
    expect(d.json.history[1].message).toContain('已消除');
    expect(d.json.ruleText).toContain('支部党员大会');
    expect(d.json.ruleSource).toContain('支部工作条例');
  });

  it('answers 404 for an unknown id', async () => {
    const res = await get('admin', `/api/problems/${crypto.randomUUID()}`);
    expect(res.status).toBe(404);
    expect(res.json.code).toBe('NOT_FOUND');
  });
});

describe('export', () => {
  it('streams the filtered list as .xlsx with a title row and Chinese headers, and audits the filter', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/problems/export?orgId=${t.fx.townA}`,
      headers: { cookie: cookies.orga, host: 'localhost:80' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(String(res.headers['content-disposition'])).toContain(
      `filename*=UTF-8''${encodeURIComponent('问题清单-中共甲镇委员会-')}`,
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect(String(ws.getRow(1).getCell(1).value)).toMatch(/^问题清单（导出时间：2026-12-20 10:\d\d）$/);
    expect((ws.getRow(2).values as unknown[]).slice(1)).toEqual([
      '党组织',
      '规则',
      '期间',
      '问题',
      '整改要求',
      '状态',
      '发现时间',
      '消除时间',
    ]);
    const list = await get('orga', `/api/problems?orgId=${t.fx.townA}&pageSize=200`);
    expect(ws.rowCount - 2).toBe(list.json.total);
    const first = list.json.items[0];
    expect((ws.getRow(3).values as unknown[]).slice(1, 7)).toEqual([
      first.orgName,
      `${first.ruleName}（${first.rule}）`,
      first.periodLabel,
      first.message,
      first.clearedBy,
      '未整改',
    ]);
    const audit = await db().execute<{ detail: any; object_id: string }>(
      sql`select detail, object_id from audit_log where action = 'problems.export' and username = 'orga'`,
    );
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0].object_id).toBe(t.fx.townA);
    expect(audit.rows[0].detail.filter).toMatchObject({ orgId: t.fx.townA, status: 'open' });
  });
});

describe('runs', () => {
  it('starts a run in the background (202), refuses a second while it runs (409 RULE_RUN_BUSY), and lists it', async () => {
    const first = await t.req('POST', '/api/problems/run', { cookie: cookies.admin });
    expect(first.status, first.body).toBe(202);
    expect(first.json).toMatchObject({ kind: 'full', status: 'running', finishedAt: null });
    const second = await t.req('POST', '/api/problems/run', { cookie: cookies.admin });
    expect(second.status, second.body).toBe(409);
    expect(second.json.code).toBe('RULE_RUN_BUSY');
    let run: any;
    for (let i = 0; i < 120; i++) {
      const runs = await get('leader', '/api/problems/runs');
      run = runs.json.find((r: any) => r.id === first.json.id);
      if (run.status !== 'running') break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(run).toMatchObject({ status: 'done', kind: 'full' });
    expect(run.checked).toBeGreaterThan(0);
    const audit = await db().execute<{ n: number }>(
      sql`select count(*)::int as n from audit_log where action = 'rules.run' and object_id = ${first.json.id}`,
    );
    expect(audit.rows[0].n).toBe(1);
    const refused = await t.req('POST', '/api/problems/run', { cookie: cookies.orga });
    expect(refused.status).toBe(403);
    expect(refused.json.code).toBe('FORBIDDEN');
  });
});

describe('rule settings', () => {
  const key = 'life.committeeMeetingsPerMonth';
  const put = (user: string, body: unknown) => t.req('PUT', '/api/settings/rules', { cookie: cookies[user], body });

  it('lists every setting with its label, rule, default and the value in force today', async () => {
    const res = await get('leader', '/api/settings/rules');
    expect(res.status).toBe(200);
    expect(res.json.map((s: any) => s.key)).toEqual(RULE_SETTING_KEYS);
    expect(res.json.find((s: any) => s.key === key)).toEqual({
      key,
      label: '支委会每月至少召开次数',
      unit: '次',
      rule: 'LIFE-2',
      kind: 'int',
      options: null,
      description: null,
      default: 1,
      history: [],
      current: 1,
    });
  });

  it('records a value from today on, refuses one out of range, an unknown key and a past date', async () => {
    const ok = await put('admin', { key, value: 2, effectiveFrom: '2027-01-01' });
    expect(ok.status, ok.body).toBe(200);
    expect(ok.json).toMatchObject({ key, current: 1, history: [{ effectiveFrom: '2027-01-01', value: 2 }] });
    expect(ok.json.message).toContain('立即检查');
    const today = await put('admin', { key, value: 3, effectiveFrom: '2026-12-20' });
    expect(today.status, today.body).toBe(200);
    expect(today.json.current).toBe(3);
    const range = await put('admin', { key, value: 9, effectiveFrom: '2027-01-01' });
    expect(range.status).toBe(422);
    expect(range.json.code).toBe('RULE_SETTING_INVALID');
    expect(range.json.message).toContain('1–4');
    const unknown = await put('admin', { key: 'life.nothing', value: 1, effectiveFrom: '2027-01-01' });
    expect(unknown.status).toBe(422);
    expect(unknown.json.code).toBe('RULE_SETTING_INVALID');
    const past = await put('admin', { key, value: 2, effectiveFrom: '2026-12-19' });
    expect(past.status).toBe(400);
    expect(past.json.code).toBe('VALIDATION');
    expect(past.json.details.fields).toEqual([
      { field: 'effectiveFrom', message: '生效日期不能早于今天：已过去的期间按当时的规定检查' },
    ]);
    const noDay = await put('admin', { key, value: 2, effectiveFrom: '2027-02-30' });
    expect(noDay.json.code).toBe('VALIDATION');
    const forbidden = await put('orga', { key, value: 2, effectiveFrom: '2027-01-01' });
    expect(forbidden.status).toBe(403);
    expect(forbidden.json.code).toBe('FORBIDDEN');

    const res = await get('admin', '/api/settings/rules');
    const s = res.json.find((x: any) => x.key === key);
    expect(s.history.map((h: any) => [h.effectiveFrom, h.value])).toEqual([
      ['2027-01-01', 2],
      ['2026-12-20', 3],
    ]);
    expect(s.current).toBe(3);
    const audit = await db().execute<{ detail: any }>(
      sql`select detail from audit_log where action = 'rules.setting' order by seq`,
    );
    expect(audit.rows).toHaveLength(2);
    expect(audit.rows[0].detail).toMatchObject({ key, value: 2, effectiveFrom: '2027-01-01' });
    expect(audit.rows[1].detail).toMatchObject({ key, value: 3, effectiveFrom: '2026-12-20' });
    await db().execute(sql`delete from rule_settings where county_code = ${COUNTY}`);
  });
});

describe('compliance', () => {
  it('aggregates each child over its subtree per month, with a total; rate met/required', async () => {
    const res = await get('admin', `/api/compliance?orgId=${C.town}&kind=committeeMeeting&year=2026`);
    expect(res.status, res.body).toBe(200);
    expect(res.json).toMatchObject({
      orgId: C.town,
      orgName: '中共丙镇委员会',
      kind: 'committeeMeeting',
      rule: 'LIFE-2',
    });
    expect(res.json.periods).toHaveLength(12);
    expect(res.json.periods[10]).toEqual({ period: '2026-11', label: '2026年11月', ended: true });
    expect(res.json.periods[11].ended).toBe(false);
    const nov = (cells: any[]) => cells.find((c) => c.period === '2026-11');
    const rows = Object.fromEntries(res.json.rows.map((r: any) => [r.orgName, r]));
    expect(Object.keys(rows).sort()).toEqual(
      ['中共丙一村支部委员会', '中共丙三村支部委员会', '中共丙二村支部委员会'].sort(),
    );
    expect(nov(rows.中共丙一村支部委员会.cells)).toEqual({
      period: '2026-11',
      required: 1,
      met: 1,
      missing: 0,
      rate: 1,
      closed: 0,
    });
    expect(nov(rows.中共丙三村支部委员会.cells)).toEqual({
      period: '2026-11',
      required: 1,
      met: 0,
      missing: 1,
      rate: 0,
      closed: 0,
    });
    expect(rows.中共丙一村支部委员会.hasChildren).toBe(false);
    expect(nov(res.json.total)).toEqual({ period: '2026-11', required: 3, met: 2, missing: 1, rate: 2 / 3, closed: 0 });
    // December is running: what is not held yet counts as missing so far (each record brings it down).
    expect(res.json.periods[11].ended).toBe(false);
    expect(res.json.total[11]).toMatchObject({ required: 3, met: 0, missing: 3 });

    // From the county: township C is one row, over its whole subtree.
    const county = await get('admin', '/api/compliance?year=2026');
    expect(county.json.orgId).toBe(t.fx.county);
    const c = county.json.rows.find((r: any) => r.orgId === C.town);
    expect(c.hasChildren).toBe(true);
    expect(nov(c.cells)).toMatchObject({ required: 3, met: 2, missing: 1 });

    // A quarter narrows the months; a quarterly kind uses quarters.
    const q4 = await get('admin', `/api/compliance?orgId=${C.town}&year=2026&quarter=4`);
    expect(q4.json.periods.map((p: any) => p.period)).toEqual(['2026-10', '2026-11', '2026-12']);
    const quarterly = await get('admin', `/api/compliance?orgId=${C.town}&kind=branchMeeting&year=2026`);
    expect(quarterly.json.rule).toBe('LIFE-1');
    expect(quarterly.json.periods.map((p: any) => p.label)).toEqual([
      '2026年第一季度',
      '2026年第二季度',
      '2026年第三季度',
      '2026年第四季度',
    ]);
    const joint = await get('admin', `/api/compliance?orgId=${C.town}&kind=jointMeeting`);
    expect(joint.status).toBe(400);
    expect(joint.json).toMatchObject({ code: 'VALIDATION', message: '联席会议没有频次要求' });
  });

  it('lists the organizations behind a missing cell', async () => {
    const res = await get('leader', `/api/compliance/missing?orgId=${C.town}&kind=committeeMeeting&period=2026-11`);
    expect(res.status, res.body).toBe(200);
    expect(res.json).toMatchObject({ rule: 'LIFE-2', period: '2026-11', periodLabel: '2026年11月' });
    expect(res.json.items).toEqual([
      {
        orgId: C.b3,
        orgName: '中共丙三村支部委员会',
        parentName: '中共丙镇委员会',
        required: 1,
        held: 0,
        ended: true,
        link: `/orgs/${C.b3}`,
        calendarLink: `/problems/calendar/${C.b3}?year=2026`,
      },
    ]);
    const wrong = await get('leader', `/api/compliance/missing?orgId=${C.town}&kind=committeeMeeting&period=2026-Q4`);
    expect(wrong.status).toBe(400);
    expect(wrong.json.code).toBe('VALIDATION');
  });

  it('shows an organization’s year as calendar cells with the meetings that count', async () => {
    const res = await get('admin', `/api/compliance/calendar/${C.b1}?year=2026`);
    expect(res.status, res.body).toBe(200);
    expect(res.json).toMatchObject({ orgId: C.b1, orgName: '中共丙一村支部委员会', year: 2026 });
    const cell = (rule: string, period: string) =>
      res.json.cells.find((c: any) => c.rule === rule && c.period === period);
    expect(cell('LIFE-2', '2026-11')).toEqual({
      rule: 'LIFE-2',
      ruleName: '支委会',
      kind: 'committeeMeeting',
      period: '2026-11',
      periodStart: '2026-11-01',
      periodEnd: '2026-11-30',
      required: 1,
      held: 1,
      ok: true,
      ended: true,
      meetingIds: [C.meeting1],
    });
    expect(cell('LIFE-2', '2026-10')).toMatchObject({ held: 0, ok: false, ended: true, meetingIds: [] });
    expect(cell('LIFE-1', '2026-Q4')).toMatchObject({ kind: 'branchMeeting', ended: false });
    expect(cell('LIFE-6', '2026')).toMatchObject({ kind: 'lifeMeeting' });
    // Only the year asked for; and nothing before the county's first record (checks begin with it).
    for (const c of res.json.cells) expect(c.periodStart.slice(0, 4)).toBe('2026');
    expect((await get('admin', `/api/compliance/calendar/${C.b1}?year=2025`)).json.cells).toEqual([]);
    expect((await get('admin', `/api/compliance/calendar/${C.b1}?year=2020`)).json.cells).toEqual([]);
  });
});

describe('scope', () => {
  it('a township administrator sees only their township: other townships answer 404 and are absent from lists', async () => {
    const foreign = await get('admin', `/api/problems?townshipId=${t.fx.townB}&pageSize=1`);
    const foreignId = foreign.json.items[0].id;
    for (const url of [
      `/api/problems?orgId=${t.fx.townB}`,
      `/api/problems/export?orgId=${t.fx.townB}`,
      `/api/problems/${foreignId}`,
      `/api/compliance?orgId=${t.fx.townB}`,
      `/api/compliance/missing?orgId=${t.fx.townB}&kind=committeeMeeting&period=2026-11`,
      `/api/compliance/calendar/${t.fx.villageB1}`,
      `/api/compliance/calendar/${t.fx.townB}`,
    ]) {
      const res = await get('orga', url);
      expect(res.status, url).toBe(404);
      expect(res.json.code, url).toBe('NOT_FOUND');
    }
    const mine = await get('orga', '/api/problems?pageSize=200');
    const inA = new Set([t.fx.townA, t.fx.villageA1, t.fx.villageA2, t.fx.groupA1]);
    expect(mine.json.items.length).toBeGreaterThan(0);
    for (const i of mine.json.items) expect(inA.has(i.orgId)).toBe(true);
    expect((await get('orga', `/api/problems?townshipId=${t.fx.townB}`)).json.total).toBe(0);
    const comp = await get('orga', '/api/compliance?kind=branchMeeting');
    expect(comp.json.orgId).toBe(t.fx.townA);
    expect(comp.json.rows.map((r: any) => r.orgId).sort()).toEqual([t.fx.villageA1, t.fx.villageA2].sort());
    // A branch secretary: their branch only.
    const sec = await get('seca1', '/api/problems?pageSize=200');
    expect(sec.json.items.length).toBeGreaterThan(0);
    for (const i of sec.json.items) expect([t.fx.villageA1, t.fx.groupA1]).toContain(i.orgId);
    const secComp = await get('seca1', `/api/compliance?orgId=${t.fx.townA}`);
    expect(secComp.json.code).toBe('NOT_FOUND');
  });
});
