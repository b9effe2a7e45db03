/**
 * Inspection records (issue 19): a township checks a village drawn at random; each finding becomes a
 * problem on the village's list, which the village plans and the township verifies — the pass closes it.
 */
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, shanghaiDate } from '../platform/calendar.ts';
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

beforeAll(async () => {
  t = await setup();
  for (const u of ['admin', 'orga', 'orgb', 'seca1']) cookies[u] = await t.login(u);
});
afterAll(async () => t?.close());

describe('an inspection and its findings', () => {
  let inspection: any;
  const today = () => shanghaiDate(t.deps.now());

  it('records a visit to a drawn village; each finding is a problem on the village’s list', async () => {
    const draw = await post('orga', '/api/inspections/draw', {
      underOrgId: t.fx.townA,
      strata: 'field',
      size: 2,
      seed: '抽查',
    });
    expect(draw.json.sample).toContain(t.fx.villageA1);
    const body = {
      kind: 'spot',
      orgId: t.fx.villageA1,
      checkedOn: today(),
      inspectors: '张组长、李干事',
      summary: '查阅三会一课记录，走访党员 5 名',
      drawId: draw.json.id,
      findings: [{ text: '10月支委会记录缺少签到' }, { text: '党员活动室制度未上墙', clearedBy: '制度上墙并拍照' }],
    };
    expectError(
      await post('orga', '/api/inspections', { ...body, orgId: t.fx.townA, drawId: undefined }),
      422,
      'INSPECTION_OWN_ORG',
    );
    expectError(
      await post('orga', '/api/inspections', { ...body, checkedOn: addDays(today(), 1) }),
      422,
      'INSPECTION_FUTURE',
    );
    expectError(await post('orga', '/api/inspections', { ...body, orgId: t.fx.groupA1 }), 422, 'INSPECTION_NOT_DRAWN');
    expectError(await post('seca1', '/api/inspections', body), 403, 'FORBIDDEN');
    expectError(await post('orgb', '/api/inspections', body), 404, 'NOT_FOUND');
    const res = await post('orga', '/api/inspections', body);
    expect(res.status, res.body).toBe(201);
    inspection = res.json;
    expect(inspection).toMatchObject({ kind: 'spot', orgName: '中共甲一村支部委员会', drawSeed: '抽查' });
    expect(inspection.findings.map((f: any) => [f.text, f.problemStatus])).toEqual([
      ['10月支委会记录缺少签到', 'open'],
      ['党员活动室制度未上墙', 'open'],
    ]);
    const list = await get('seca1', `/api/problems?orgId=${t.fx.villageA1}&rule=INSP-3`);
    expect(list.json.items.map((p: any) => [p.ruleName, p.source, p.message]).sort()).toEqual(
      [
        ['督查发现（随机抽查）', 'inspection', `${today()}随机抽查发现：10月支委会记录缺少签到`],
        ['督查发现（随机抽查）', 'inspection', `${today()}随机抽查发现：党员活动室制度未上墙`],
      ].sort(),
    );
    expectError(await get('orgb', `/api/inspections/${inspection.id}`), 404, 'NOT_FOUND');
    expect((await get('seca1', '/api/inspections')).json.items.map((i: any) => i.id)).toEqual([inspection.id]);
  });

  it('the village plans, the township verifies, and the pass closes the finding (no rule to wait for)', async () => {
    const pid = inspection.findings[1].problemId;
    const plan = await post('seca1', `/api/problems/${pid}/rectification`, {
      measures: '制度上墙',
      deadline: addDays(today(), 3),
    });
    expect(plan.json.state).toBe('planned');
    const pass = await post('orga', `/api/problems/${pid}/verify`, { result: 'pass', comment: '已上墙' });
    expect(pass.status, pass.body).toBe(200);
    expect(pass.json).toMatchObject({ state: 'closed', problemStatus: 'cleared' });
    const p = await get('seca1', `/api/problems/${pid}`);
    expect(p.json.history.map((h: any) => [h.fromStatus, h.toStatus, h.cause])).toEqual([
      [null, 'open', 'inspection'],
      ['open', 'cleared', 'verification'],
    ]);
    const audit = await t.database.db.execute(
      sql`select count(*)::int as n from audit_log where county_code = ${COUNTY} and action = 'inspection.record'`,
    );
    expect(audit.rows[0].n).toBe(1);
  });

  it('the township’s board counts the village’s findings by source, raised and closed, and exports as a sheet', async () => {
    const board = await get('orga', '/api/tasks/dashboard');
    const row = board.json.rows.find((r: any) => r.orgId === t.fx.villageA1);
    expect(row).toMatchObject({ problemsOpenOther: 1, problemsRaised: 2, problemsClosed: 1, rectificationRate: 0.5 });
    const x = await t.app.inject({
      method: 'GET',
      url: '/api/tasks/dashboard/export',
      headers: { cookie: cookies.orga, host: 'localhost:80' },
    });
    expect(x.statusCode, x.body).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect(String(ws.getCell('A1').value)).toMatch(/^中共甲镇委员会任务督办表/);
    const rows = ws.getSheetValues().filter(Boolean) as unknown[][];
    const village = rows.find((r) => r[1] === '中共甲一村支部委员会');
    // 督查发现未整改 1, 本年发现 2, 已销号 1, 50 %.
    expect(village?.slice(10, 14)).toEqual([1, 2, 1, 0.5]);
  });

  it('a township settles on its year’s major problems (at most three) and follows them to 销号', async () => {
    const year = Number(today().slice(0, 4));
    const [open, closed] = inspection.findings.map((f: any) => f.problemId);
    const pick = await post('orga', `/api/problems/${open}/major`, { year, note: '年度重点整改' });
    expect(pick.status, pick.body).toBe(200);
    await post('orga', `/api/problems/${closed}/major`, { year });
    expect(pick.json.items).toHaveLength(1);
    const list = await get('orga', `/api/responsibility/major?year=${year}`);
    expect(list.json.items.map((i: any) => [i.note, i.state])).toEqual([
      ['年度重点整改', 'none'],
      [null, 'closed'],
    ]);
    expectError(await post('orga', `/api/problems/${open}/major`, { year }), 409, 'MAJOR_ALREADY');
    expectError(await post('orgb', `/api/problems/${open}/major`, { year }), 404, 'NOT_FOUND');
    expectError(await post('seca1', `/api/problems/${open}/major`, { year }), 403, 'FORBIDDEN');
  });
});

describe('an inspection plan made ahead (督查计划)', () => {
  const today = () => shanghaiDate(t.deps.now());
  let plan: any;

  it('names what, where, when and by whom; only organizations of the planner’s subtree', async () => {
    const body = {
      title: '第四季度“三会一课”落实情况检查',
      kind: 'routine',
      orgIds: [t.fx.villageA1, t.fx.villageA2],
      startsOn: today(),
      endsOn: addDays(today(), 10),
      inspectors: '组织委员、组织干事',
      focus: '会议记录、签到、照片',
    };
    expectError(
      await post('orga', '/api/inspections/plans', { ...body, orgIds: [t.fx.villageA1, t.fx.villageB1] }),
      422,
      'INSPECTION_PLAN_ORGS',
    );
    expectError(
      await post('orga', '/api/inspections/plans', { ...body, orgIds: [t.fx.townA] }),
      422,
      'INSPECTION_PLAN_ORGS',
    );
    expectError(await post('orga', '/api/inspections/plans', { ...body, orgIds: [] }), 400, 'VALIDATION');
    expectError(
      await post('orga', '/api/inspections/plans', { ...body, endsOn: addDays(today(), -1) }),
      400,
      'VALIDATION',
    );
    expectError(await post('seca1', '/api/inspections/plans', body), 403, 'FORBIDDEN');
    const res = await post('orga', '/api/inspections/plans', body);
    expect(res.status, res.body).toBe(201);
    plan = res.json;
    expect(plan).toMatchObject({ state: 'underway', done: 0, total: 2, plannerOrgName: '中共甲镇委员会' });
    expect(plan.stops.map((s: any) => s.orgName)).toEqual(['中共甲一村支部委员会', '中共甲二村支部委员会']);
    // The other township does not see it; a village sees its own stop only.
    expectError(await get('orgb', `/api/inspections/plans/${plan.id}`), 404, 'NOT_FOUND');
    expect((await get('orgb', '/api/inspections/plans')).json.items).toEqual([]);
  });

  it('an inspection recorded under the plan counts for its stop; another organization is refused', async () => {
    const rec = {
      kind: 'routine',
      orgId: t.fx.villageA2,
      checkedOn: today(),
      inspectors: '组织委员',
      planId: plan.id,
      findings: [{ text: '11月主题党日无照片' }],
    };
    expectError(await post('orga', '/api/inspections', { ...rec, orgId: t.fx.groupA1 }), 422, 'INSPECTION_NOT_PLANNED');
    const made = await post('orga', '/api/inspections', rec);
    expect(made.status, made.body).toBe(201);
    const after = await get('orga', `/api/inspections/plans/${plan.id}`);
    expect(after.json).toMatchObject({ done: 1, total: 2, state: 'underway' });
    expect(after.json.stops.find((s: any) => s.orgId === t.fx.villageA2)).toMatchObject({
      inspectionId: made.json.id,
      checkedOn: today(),
      findings: 1,
    });
    const audit = await t.database.db.execute(
      sql`select detail from audit_log where county_code = ${COUNTY} and action = 'inspection.plan'`,
    );
    expect(audit.rows).toHaveLength(1);
  });

  it('a plan over a draw’s sample visits exactly the drawn organizations', async () => {
    const draw = await post('orga', '/api/inspections/draw', {
      underOrgId: t.fx.townA,
      strata: 'field',
      size: 1,
      seed: 'plan',
    });
    const res = await post('orga', '/api/inspections/plans', {
      title: '随机抽查',
      kind: 'spot',
      drawId: draw.json.id,
      startsOn: addDays(today(), 5),
      endsOn: addDays(today(), 6),
      inspectors: '督查组',
    });
    expect(res.status, res.body).toBe(201);
    expect(res.json.stops.map((s: any) => s.orgId)).toEqual(draw.json.sample);
    expect(res.json).toMatchObject({ state: 'upcoming', drawSeed: 'plan' });
  });
});
