/**
 * Rectification and 销号 of a rule-raised problem (issue 19): the branch writes its plan, the township
 * verifies; a pass is refused while the rules engine still finds the problem, counts once the data shows
 * the fix, and stops counting when the problem opens again.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCounty } from '../modules/problems/engine.ts';
import { addDays, shanghaiDate } from '../platform/calendar.ts';
import sharp from 'sharp';
import { COUNTY, multipart, ORIGIN, setup, type TestCtx } from './harness.ts';

let t: TestCtx;
const cookies: Record<string, string> = {};
const post = (user: string, url: string, body: unknown = {}) => t.req('POST', url, { cookie: cookies[user], body });
const get = (user: string, url: string) => t.req('GET', url, { cookie: cookies[user] });

function expectError(res: { status: number; json: any; body: string }, status: number, code: string) {
  expect(res.status, res.body).toBe(status);
  expect(res.json?.code, res.body).toBe(code);
  expect(res.json?.message, res.body).toMatch(/[\u4e00-\u9fa5]/);
}

let problemId = '';

beforeAll(async () => {
  t = await setup();
  for (const u of ['admin', 'orga', 'orgb', 'seca1']) cookies[u] = await t.login(u);
  await runCounty(t.database.db, t.deps, COUNTY, 'full');
  // 张三 of village A1 has not taken part in organizational life for six months (MEM-4).
  const r = await t.database.db.execute<{ id: string }>(sql`select id from problems
    where county_code = ${COUNTY} and rule_id = 'MEM-4' and subject_id = ${t.fx.members.张三} and status = 'open'`);
  problemId = r.rows[0].id;
});
afterAll(async () => t?.close());

describe('a rule-raised problem rectified and closed (销号)', () => {
  let meetingId = '';
  const url = () => `/api/problems/${problemId}/rectification`;
  const verify = () => `/api/problems/${problemId}/verify`;

  it('starts with no plan; only the branch itself writes one', async () => {
    const first = await get('orga', url());
    expect(first.status, first.body).toBe(200);
    expect(first.json).toMatchObject({ state: 'none', plan: null, orgId: t.fx.villageA1, problemStatus: 'open' });
    // Nothing to verify before a plan exists.
    expect(first.json.can).toEqual({ plan: false, verify: false, report: false });
    expectError(await post('orga', verify(), { result: 'fail', comment: '未整改' }), 409, 'RECTIFICATION_NOT_OPEN');
    const plan = {
      measures: '书记上门谈心，邀请参加十一月党员大会',
      deadline: addDays(shanghaiDate(t.deps.now()), 20),
    };
    expectError(await post('orga', url(), plan), 403, 'RECTIFICATION_NOT_OWNER');
    expectError(await post('seca1', url(), { ...plan, deadline: '2020-01-01' }), 422, 'TASK_DEADLINE_PAST');
    const made = await post('seca1', url(), { ...plan, responsible: '李书记' });
    expect(made.status, made.body).toBe(200);
    expect(made.json).toMatchObject({ state: 'planned', plan: { measures: plan.measures, responsible: '李书记' } });
    expect(made.json.can).toEqual({ plan: true, verify: false, report: true });
  });

  it('refuses a pass while the engine still finds the problem, and the branch verifying itself', async () => {
    expectError(await post('orga', verify(), { result: 'pass' }), 409, 'RECTIFICATION_STILL_FOUND');
    expectError(await post('seca1', verify(), { result: 'pass' }), 403, 'RECTIFICATION_NOT_ABOVE');
    expectError(await post('orgb', verify(), { result: 'pass' }), 404, 'NOT_FOUND');
    expectError(await get('orgb', url()), 404, 'NOT_FOUND');
  });

  it('once the data shows the fix the township verifies: a fail needs its reason, a pass closes it', async () => {
    // Last month's 党员大会 with 张三 present ends his six months away: the engine clears the problem in that write.
    const last = addDays(`${shanghaiDate(t.deps.now()).slice(0, 7)}-01`, -20);
    const m = await post('seca1', '/api/meetings', {
      orgId: t.fx.villageA1,
      kind: 'branchMeeting',
      startsAt: `${last}T09:00:00+08:00`,
      topic: '党员大会',
      attendance: [{ memberId: t.fx.members.张三, status: 'present' }],
    });
    expect(m.status, m.body).toBe(201);
    meetingId = m.json.id;
    const awaiting = await get('orga', url());
    expect(awaiting.json).toMatchObject({ state: 'awaiting', problemStatus: 'cleared' });
    expectError(await post('orga', verify(), { result: 'fail' }), 400, 'VALIDATION');
    const failed = await post('orga', verify(), { result: 'fail', comment: '会议记录缺少签到照片' });
    expect(failed.json).toMatchObject({ state: 'failed' });
    const closed = await post('orga', verify(), { result: 'pass', comment: '已补充照片' });
    expect(closed.status, closed.body).toBe(200);
    expect(closed.json.state).toBe('closed');
    expect(closed.json.verifications.map((v: any) => [v.result, v.orgName, v.stale])).toEqual([
      ['fail', '中共甲镇委员会', false],
      ['pass', '中共甲镇委员会', false],
    ]);
    expectError(await post('orga', verify(), { result: 'pass' }), 409, 'RECTIFICATION_NOT_OPEN');
    const audit = await t.database.db.execute<{ action: string }>(
      sql`select action from audit_log where county_code = ${COUNTY} and object_id = ${problemId} order by seq`,
    );
    expect(audit.rows.map((a) => a.action)).toEqual([
      'problem.rectification',
      'problem.verifyFail',
      'problem.verifyPass',
    ]);
  });

  it('reopens when the rule fires again: the earlier pass no longer counts', async () => {
    const del = await t.req('DELETE', `/api/meetings/${meetingId}`, { cookie: cookies.seca1 });
    expect(del.status, del.body).toBe(200);
    const again = await get('orga', url());
    expect(again.json.problemStatus).toBe('open');
    expect(again.json.state).toBe('planned');
    expect(again.json.verifications.every((v: any) => v.stale)).toBe(true);
    expect(again.json.can.verify).toBe(true);
  });
});

describe('a rectification’s progress with evidence, and who answers at each level', () => {
  const url = () => `/api/problems/${problemId}`;

  it('the village uploads a photo and reports; the township sees both, the other township nothing', async () => {
    const img = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#c02020' } })
      .jpeg()
      .toBuffer();
    const upload = (user: string) => {
      const mp = multipart(img, '谈心谈话.jpg');
      return t.app.inject({
        method: 'POST',
        url: `${url()}/evidence`,
        headers: { cookie: cookies[user], origin: ORIGIN, host: 'localhost:80', 'content-type': mp.type },
        payload: mp.body,
      });
    };
    const refused = await upload('orga');
    expect(refused.statusCode, refused.body).toBe(403);
    expect(refused.json().code).toBe('RECTIFICATION_NOT_OWNER');
    const up = await upload('seca1');
    expect(up.statusCode, up.body).toBe(201);
    const evidenceId = up.json().id;
    const before = await get('seca1', `${url()}/rectification`);
    expect(before.json.pendingEvidence.map((e: any) => e.id)).toEqual([evidenceId]);
    expectError(await post('seca1', `${url()}/progress`, { text: '' }), 400, 'VALIDATION');
    expectError(await post('orga', `${url()}/progress`, { text: '代为汇报' }), 403, 'RECTIFICATION_NOT_OWNER');
    const rep = await post('seca1', `${url()}/progress`, { text: '书记已上门谈心，张三表示下月参加党员大会' });
    expect(rep.status, rep.body).toBe(200);
    expect(rep.json.pendingEvidence).toEqual([]);
    expect(rep.json.progress.map((g: any) => [g.text, g.evidence.map((e: any) => e.id)])).toEqual([
      ['书记已上门谈心，张三表示下月参加党员大会', [evidenceId]],
    ]);
    const thumb = await t.app.inject({
      method: 'GET',
      url: `/api/problems/evidence/${evidenceId}/thumbnail`,
      headers: { cookie: cookies.orga, host: 'localhost:80' },
    });
    expect(thumb.statusCode).toBe(200);
    expect(thumb.headers['content-type']).toBe('image/jpeg');
    expectError(await get('orgb', `/api/problems/evidence/${evidenceId}`), 404, 'NOT_FOUND');
    const audit = await t.database.db.execute<{ action: string }>(
      sql`select action from audit_log where county_code = ${COUNTY} and action in ('problem.evidence', 'problem.progress') order by seq`,
    );
    expect(audit.rows.map((a) => a.action)).toEqual(['problem.evidence', 'problem.progress']);
  });

  it('names the 第一责任人 of each level up to the reader’s own organization', async () => {
    await t.database.db.execute(sql`insert into org_posts (county_code, org_id, post, person_name, start_date)
      values (${COUNTY}, ${t.fx.villageA1}, 'secretary', '孙支书', '2022-01-01'),
             (${COUNTY}, ${t.fx.townA}, 'secretary', '周书记', '2022-01-01')`);
    const county = await get('admin', `${url()}/rectification`);
    expect(county.json.owner.levels.map((l: any) => [l.orgName, l.now, l.atStart])).toEqual([
      ['中共甲一村支部委员会', '孙支书', '孙支书'],
      ['中共甲镇委员会', '周书记', '周书记'],
      [expect.any(String), null, null],
    ]);
    const village = await get('seca1', `${url()}/rectification`);
    expect(village.json.owner.levels.map((l: any) => l.orgName)).toEqual(['中共甲一村支部委员会']);
  });
});

describe('problems fed back from above or reported by the public (上级反馈、群众反映)', () => {
  const today = () => shanghaiDate(t.deps.now());
  const body = () => ({
    orgId: t.fx.villageA1,
    source: 'public',
    text: '村务公开栏三个月未更新',
    reportedBy: '12345 热线',
    receivedOn: today(),
  });

  it('the township registers one for its village; it opens on the village’s list under its source', async () => {
    expectError(await post('seca1', '/api/problems', body()), 403, 'FORBIDDEN');
    expectError(await post('orga', '/api/problems', { ...body(), orgId: t.fx.townA }), 422, 'PROBLEM_OWN_ORG');
    expectError(await post('orgb', '/api/problems', body()), 404, 'NOT_FOUND');
    expectError(await post('orga', '/api/problems', { ...body(), reportedBy: '' }), 400, 'VALIDATION');
    expectError(
      await post('orga', '/api/problems', { ...body(), receivedOn: addDays(today(), 1) }),
      422,
      'INSPECTION_FUTURE',
    );
    const res = await post('orga', '/api/problems', body());
    expect(res.status, res.body).toBe(201);
    expect(res.json).toMatchObject({
      state: 'none',
      problemStatus: 'open',
      source: 'public',
      reportedBy: `12345 热线，${today()} 收到`,
      message: `${today()}群众反映（12345 热线）：村务公开栏三个月未更新`,
    });
    const list = await get('seca1', `/api/problems?orgId=${t.fx.villageA1}&rule=PUB-1`);
    expect(list.json.items.map((p: any) => [p.source, p.ruleName])).toEqual([['public', '群众反映']]);
    const id = res.json.problemId;
    await post('seca1', `/api/problems/${id}/rectification`, {
      measures: '每月更新公开栏',
      deadline: addDays(today(), 5),
    });
    const pass = await post('orga', `/api/problems/${id}/verify`, { result: 'pass', comment: '已更新' });
    expect(pass.json).toMatchObject({ state: 'closed', problemStatus: 'cleared' });
    const audit = await t.database.db.execute(
      sql`select count(*)::int as n from audit_log where county_code = ${COUNTY} and action = 'problem.report' and object_id = ${id}`,
    );
    expect(audit.rows[0].n).toBe(1);
  });
});
