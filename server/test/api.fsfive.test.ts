/**
 * The "五个一" of a two-new Party-building instructor (FS-3, issue 20) against a whole recorded year:
 * check-ins at the linked organization every half month (one half missed, one only far away, one on
 * leave throughout), the organization's themed Party days each quarter (one quarter without), and the
 * yearly items recorded by hand and confirmed by the township. The tracker and the rule say the same;
 * recording the missing item clears the year's problem in its own transaction.
 */
import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCounty } from '../modules/problems/engine.ts';
import { makeIdNumber } from '../platform/idcard.ts';
import { setSetting } from '../platform/settings.ts';
import { COUNTY, setup, type TestCtx } from './harness.ts';

let t: TestCtx;
const cookies: Record<string, string> = {};
const post = (user: string, url: string, body: unknown = {}) => t.req('POST', url, { cookie: cookies[user], body });
const get = (user: string, url: string) => t.req('GET', url, { cookie: cookies[user] });

function expectError(res: { status: number; json: any; body: string }, status: number, code: string) {
  expect(res.status, res.body).toBe(status);
  expect(res.json?.code, res.body).toBe(code);
  expect(res.json?.message, res.body).toMatch(/[\u4e00-\u9fa5]/);
}

let firm = '';
let fsId = '';
let villageFs = '';
const ENTERPRISE = '中共甲镇恒达制衣有限公司支部委员会';

beforeAll(async () => {
  t = await setup();
  // The clock on 5 January 2027: the whole of 2026 is behind.
  t.advance(new Date('2027-01-05T10:00:00+08:00').getTime() - t.deps.now().getTime());
  for (const u of ['admin', 'orga', 'orgb', 'leader']) cookies[u] = await t.login(u);
  const db = t.database.db;
  const town = await db.execute<{ path: string; depth: number }>(
    sql`select path, depth from orgs where county_code = ${COUNTY} and id = ${t.fx.townA}`,
  );
  firm = crypto.randomUUID();
  await db.execute(sql`insert into orgs (id, county_code, parent_id, path, depth, name, name_pinyin, name_initials, kind, field, term_years, founded_on)
    values (${firm}, ${COUNTY}, ${t.fx.townA}, ${`${town.rows[0].path}${firm}/`}, ${town.rows[0].depth + 1}, ${ENTERPRISE}, 'hengda', 'hd',
      'branch', 'nonPublicEnterprise', 3, '2015-01-01')`);
});
afterAll(async () => t?.close());

async function register(name: string, idSeq: number, role: string, orgId: string, startDate: string) {
  const res = await post('orga', '/api/first-secretaries', {
    name,
    idNumber: makeIdNumber('410225', '19880301', idSeq),
    role,
    dispatchUnit: '县工商联',
    orgId,
    startDate,
    endDate: '2027-12-31',
  });
  expect(res.status, res.body).toBe(201);
  return res.json.id as string;
}

describe('the five ones over 2026', () => {
  it('registers an instructor at an enterprise; the account reads as opened before the year', async () => {
    fsId = await register('周敏', 151, 'instructor', firm, '2026-01-01');
    const acc = await post('orga', `/api/first-secretaries/${fsId}/account`);
    expect(acc.status, acc.body).toBe(201);
    await t.database.db.execute(sql`update users set must_change_password = false, created_at = '2025-12-20T10:00:00+08:00',
      password_hash = (select password_hash from users where county_code = ${COUNTY} and username = 'admin')
      where county_code = ${COUNTY} and username = ${acc.json.username}`);
    cookies.fs = await t.login(acc.json.username);
    villageFs = await register('孙力', 163, 'firstSecretary', t.fx.villageA1, '2026-01-01');
  });

  it('records the year: check-ins every half month but three, themed days in three quarters', async () => {
    const db = t.database.db;
    const checkin = (day: string, flags: string[] = []) =>
      db.execute(sql`insert into fs_checkins (county_code, fs_id, org_id, day, made_at, received_at, distance_m, flags, created_by)
        values (${COUNTY}, ${fsId}, ${firm}, ${day}, ${`${day}T09:00:00+08:00`}::timestamptz, ${`${day}T09:00:00+08:00`}::timestamptz,
          ${flags.includes('far') ? 6000 : 150}, ${JSON.stringify(flags)}::jsonb, ${t.fx.users.admin})`);
    for (let m = 1; m <= 12; m++) {
      const mm = String(m).padStart(2, '0');
      // July's first half: only a check-in marked far (not at the organization); August's first half: on leave.
      if (m === 7) await checkin('2026-07-06', ['far']);
      else if (m !== 8) await checkin(`2026-${mm}-06`);
      // March's second half: nothing.
      if (m !== 3) await checkin(`2026-${mm}-20`);
      // A second check-in the same half changes nothing.
      if (m === 5) await checkin('2026-05-21');
    }
    await db.execute(sql`insert into fs_leaves (county_code, fs_id, from_date, to_date, reason, status, town_approve, unit_approve, created_by)
      values (${COUNTY}, ${fsId}, '2026-08-01', '2026-08-16', '派出单位集中培训', 'approved', true, true, ${t.fx.users.admin})`);
    const themed = (day: string, deleted = false) =>
      db.execute(sql`insert into meetings (county_code, org_id, kind, starts_at, held_on, topic, deleted_at)
        values (${COUNTY}, ${firm}, 'themedDay', ${`${day}T14:00:00+08:00`}::timestamptz, ${day}, '学习贯彻党的二十届四中全会精神',
          ${deleted ? sql`now()` : null})`);
    await themed('2026-03-18');
    await themed('2026-05-12');
    // The third quarter's one was deleted: it does not count.
    await themed('2026-08-20', true);
    await themed('2026-11-10');
  });

  it('records the yearly items; refuses bad ones with codes and changes nothing', async () => {
    const item = {
      kind: 'practice',
      doneOn: '2026-06-10',
      title: '“党建+生产”车间班组融合做法',
      body: '在三个车间设立党员示范岗。',
    };
    expectError(
      await post('fs', `/api/first-secretaries/${fsId}/five-items`, { ...item, doneOn: '2027-02-01' }),
      422,
      'FS_FIVE_FUTURE',
    );
    expectError(
      await post('fs', `/api/first-secretaries/${fsId}/five-items`, { ...item, doneOn: '2025-12-01' }),
      422,
      'FS_FIVE_OUTSIDE_TERM',
    );
    expectError(await post('orga', `/api/first-secretaries/${villageFs}/five-items`, item), 422, 'FS_FIVE_NOT_TWO_NEW');
    expectError(await post('orgb', `/api/first-secretaries/${fsId}/five-items`, item), 404, 'NOT_FOUND');
    expectError(await post('leader', `/api/first-secretaries/${fsId}/five-items`, item), 403, 'FORBIDDEN');
    expectError(await post('fs', `/api/first-secretaries/${villageFs}/five-items`, item), 404, 'NOT_FOUND');
    const n = await t.database.db.execute<{ n: number }>(
      sql`select count(*)::int as n from fs_five_items where county_code = ${COUNTY}`,
    );
    expect(n.rows[0].n).toBe(0);

    const made = await post('fs', `/api/first-secretaries/${fsId}/five-items`, item);
    expect(made.status, made.body).toBe(201);
    const practice = made.json.items[0];
    expect(practice).toMatchObject({ kind: 'practice', title: item.title, confirmedAt: null, can: { confirm: false } });
    const paper = await post('fs', `/api/first-secretaries/${fsId}/five-items`, {
      kind: 'paper',
      doneOn: '2026-12-20',
      title: '做两新组织职工的贴心人',
    });
    expect(paper.status, paper.body).toBe(201);

    // The township confirms; another township cannot see it; the instructor cannot confirm; once confirmed it stays.
    expectError(await post('fs', `/api/first-secretaries/five-items/${practice.id}/confirm`), 403, 'FORBIDDEN');
    expectError(await post('orgb', `/api/first-secretaries/five-items/${practice.id}/confirm`), 404, 'NOT_FOUND');
    const ok = await post('orga', `/api/first-secretaries/five-items/${practice.id}/confirm`);
    expect(ok.status, ok.body).toBe(200);
    expect(ok.json.items.find((x: any) => x.id === practice.id).confirmedByName).toBeTruthy();
    expectError(
      await post('orga', `/api/first-secretaries/five-items/${practice.id}/confirm`),
      409,
      'FS_FIVE_CONFIRMED',
    );
    const del = await t.req('DELETE', `/api/first-secretaries/five-items/${practice.id}`, { cookie: cookies.fs });
    expectError(del, 409, 'FS_FIVE_CONFIRMED');
    const audit = await t.database.db.execute<{ action: string }>(
      sql`select action from audit_log where county_code = ${COUNTY} and action like 'fs.five%' order by seq`,
    );
    expect(audit.rows.map((r) => r.action)).toEqual(['fs.fiveItem', 'fs.fiveItem', 'fs.fiveConfirm']);
  });

  it('the tracker shows each part of the year as the records show it', async () => {
    const v = await get('orga', `/api/first-secretaries/${fsId}/five-ones?year=2026`);
    expect(v.status, v.body).toBe(200);
    expect(v.json.applies).toBe(true);
    const state = (period: string, part = 'half') =>
      v.json.rows.find((r: any) => r.period === period && r.part === part)?.state;
    const halves = v.json.rows.filter((r: any) => r.part === 'half');
    expect(halves).toHaveLength(24);
    expect(halves.filter((r: any) => r.state === 'done')).toHaveLength(21);
    expect(state('2026-03-2')).toBe('missed');
    expect(state('2026-07-1')).toBe('missed');
    expect(state('2026-08-1')).toBe('excused');
    expect(v.json.rows.find((r: any) => r.period === '2026-05-2').note).toBe('5月20日、5月21日');
    expect(['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4'].map((q) => state(q, 'quarter'))).toEqual([
      'done',
      'done',
      'missed',
      'done',
    ]);
    expect(v.json.rows.find((r: any) => r.period === '2026-Q1').note).toBe('3月18日“学习贯彻党的二十届四中全会精神”');
    expect(['practice', 'deed', 'paper'].map((p) => state('2026', p))).toEqual(['done', 'missed', 'done']);
    expect(v.json.summary).toEqual({ done: 26, due: 0, missed: 4, excused: 1, notJudged: 0 });
    // The instructor reads the same; a first secretary in a village is not held to the five ones.
    expect((await get('fs', `/api/first-secretaries/${fsId}/five-ones?year=2026`)).json.rows).toEqual(v.json.rows);
    const village = await get('orga', `/api/first-secretaries/${villageFs}/five-ones?year=2026`);
    expect(village.json).toMatchObject({ applies: false, rows: [], can: { record: false } });
    expectError(await get('orgb', `/api/first-secretaries/${fsId}/five-ones`), 404, 'NOT_FOUND');
    // An instructor owes no days in the village: the month counts the days at the organization, asks none, alerts none.
    const march = await get('orga', `/api/first-secretaries/${fsId}?month=2026-03`);
    expect(march.json.attendance).toMatchObject({ daysIn: 1, required: 0, judged: false, gapAlert: false });
  });

  it('the rule raises the same misses as problems, each saying what the records show', async () => {
    await runCounty(t.database.db, t.deps, COUNTY, 'full', { from: '2026-01-01' });
    const p = await get('orga', `/api/problems?orgId=${firm}&rule=FS-3&status=open&pageSize=50`);
    expect(p.status, p.body).toBe(200);
    const byPeriod = Object.fromEntries(p.json.items.map((x: any) => [x.period, x.message]));
    expect(byPeriod).toEqual({
      '2026-03': `2026年3月下半月（16日—31日）党建指导员周敏没有在联系的组织（${ENTERPRISE}）打卡的记录（“五个一”：每半月到联系的组织工作1天）`,
      '2026-07': `2026年7月上半月（1日—15日）党建指导员周敏没有在联系的组织（${ENTERPRISE}）打卡的记录（“五个一”：每半月到联系的组织工作1天）`,
      '2026-Q3': `2026年第三季度党建指导员周敏联系的组织（${ENTERPRISE}）没有主题党日的记录（“五个一”：每季度1次主题党日）`,
      '2026': '2026年党建指导员周敏的“五个一”没有记录：为组织解决1个实际问题（办1件好事）',
    });
    // The village's first secretary is not checked by FS-3.
    const v = await get('orga', `/api/problems?orgId=${t.fx.villageA1}&rule=FS-3`);
    expect(v.json.items).toEqual([]);
  });

  it('recording the missing item clears the year’s problem at once', async () => {
    const made = await post('fs', `/api/first-secretaries/${fsId}/five-items`, {
      kind: 'deed',
      doneOn: '2026-11-30',
      title: '协调解决车间党员活动室场地',
    });
    expect(made.status, made.body).toBe(201);
    const cleared = await get('orga', `/api/problems?orgId=${firm}&rule=FS-3&period=2026&status=cleared`);
    expect(cleared.json.items).toHaveLength(1);
    const open = await get('orga', `/api/problems?orgId=${firm}&rule=FS-3&status=open&pageSize=50`);
    expect(open.json.items.map((x: any) => x.period).sort()).toEqual(['2026-03', '2026-07', '2026-Q3']);
  });

  it('the yearly score reads the rules’ results and the two sides’ marks, weighted by the county', async () => {
    const put = (user: string, side: string, body: unknown) =>
      t.req('PUT', `/api/first-secretaries/${fsId}/score/${side}`, { cookie: cookies[user], body });
    cookies.firm = await t.login((await t.addUser('firmadmin', ['orgAdmin'], firm), 'firmadmin'));
    expectError(await put('firm', 'town', { year: 2026, score: 90 }), 403, 'FS_SCORE_NOT_YOURS');
    expectError(await put('orgb', 'town', { year: 2026, score: 90 }), 404, 'NOT_FOUND');
    expectError(await put('fs', 'town', { year: 2026, score: 90 }), 403, 'FORBIDDEN');
    expectError(await put('orga', 'town', { year: 2028, score: 90 }), 422, 'FS_SCORE_YEAR');
    expectError(await put('orga', 'town', { year: 2026, score: 120 }), 400, 'VALIDATION');
    const town = await put('orga', 'town', { year: 2026, score: 90, comment: '工作扎实' });
    expect(town.status, town.body).toBe(200);
    // The dispatching unit is not on the platform: the county marks for it.
    expectError(await put('orga', 'unit', { year: 2026, score: 80 }), 403, 'FS_SCORE_NOT_YOURS');
    const unit = await put('admin', 'unit', { year: 2026, score: 80 });
    expect(unit.status, unit.body).toBe(200);
    const v = unit.json;
    const part = (k: string) => v.parts.find((x: any) => x.part === k);
    // An instructor is not judged by days in the village; the five ones
    // as the rules' results of the year's ended periods say.
    expect(part('attendance').rate).toBeNull();
    expect(part('fiveOnes').note).toMatch(/^已到期的 \d+ 项中完成 \d+ 项（[\d.]+%）$/);
    expect(part('town')).toMatchObject({ rate: 0.9, weight: 10 });
    expect(part('unit')).toMatchObject({ rate: 0.8, weight: 10 });
    const counted = v.parts.filter((x: any) => x.points !== null);
    // The parts with something to judge, scaled to 100.
    expect(v.total).toBeCloseTo(
      (counted.reduce((s: number, x: any) => s + x.points, 0) * 100) /
        counted.reduce((s: number, x: any) => s + x.weight, 0),
      0,
    );
    expect(v.final).toBe(true);
    // The county's weights are its settings: the five ones alone make the score their rate.
    for (const k of ['attendance', 'reports', 'tasks', 'problems', 'town', 'unit'] as const)
      await setSetting(t.database.db, COUNTY, `firstsec.score.${k}`, 0);
    const only = await get('orga', `/api/first-secretaries/${fsId}/score?year=2026`);
    expect(only.json.total).toBeCloseTo(only.json.parts.find((x: any) => x.part === 'fiveOnes').rate * 100, 0);
    const list = await get('orga', '/api/first-secretaries/scores?year=2026');
    expect(list.json.items.map((x: any) => x.name)).toContain('周敏');
    expect((await get('orgb', '/api/first-secretaries/scores?year=2026')).json.items).toEqual([]);
    // Under one organization: its people only; one outside the reader's scope is not found.
    const underFirm = await get('orga', `/api/first-secretaries/scores?year=2026&orgId=${firm}`);
    expect(underFirm.json.items.map((x: any) => x.name)).toEqual(['周敏']);
    const underVillage = await get('orga', `/api/first-secretaries/scores?year=2026&orgId=${t.fx.villageA1}`);
    expect(underVillage.json.items.map((x: any) => x.name)).toEqual(['孙力']);
    expectError(await get('orgb', `/api/first-secretaries/scores?year=2026&orgId=${firm}`), 404, 'NOT_FOUND');
    // The same list as a workbook the office keeps: the weights in the headers, the points, the total; audited.
    const xlsx = await t.app.inject({
      method: 'GET',
      url: `/api/first-secretaries/scores/export?year=2026&orgId=${firm}`,
      headers: { cookie: cookies.orga, host: 'localhost:80' },
    });
    expect(xlsx.statusCode, xlsx.body).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('年度考核得分');
    expect(ws?.getRow(2).values).toContain('“五个一”（10分）');
    const row = ws?.getRow(3).values as unknown[];
    expect(row).toContain('周敏');
    expect(row).toContain(only.json.total);
    expect(wb.getWorksheet('计分依据')?.rowCount).toBe(1 + 7);
    const audit = await t.database.db.execute<{ n: number }>(
      sql`select count(*)::int as n from audit_log where county_code = ${COUNTY} and action = 'fs.scoresExport'`,
    );
    expect(audit.rows[0].n).toBe(1);
    expect((await get('fs', `/api/first-secretaries/${fsId}/score?year=2026`)).json.can).toEqual({
      town: false,
      unit: false,
    });
  });
});
