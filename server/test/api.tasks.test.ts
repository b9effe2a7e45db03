/**
 * Tasks (issue 19): a county task to the townships, split three levels deep with its roll-up, a
 * submission returned and submitted again, the holder's and the issuer's acts refused to everyone
 * else, a task overdue at one level reported to the next by the nightly job, evidence with a report,
 * and the scope between townships.
 */
import { sql } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import jobs from '../modules/lists/jobs.ts';
import { addDays, shanghaiDate } from '../platform/calendar.ts';
import { multipart, ORIGIN, setup, type TestCtx } from './harness.ts';

let t: TestCtx;
const cookies: Record<string, string> = {};
const db = () => t.database.db;
const today = () => shanghaiDate(t.deps.now());

const post = (user: string, url: string, body: unknown = {}) => t.req('POST', url, { cookie: cookies[user], body });
const get = (user: string, url: string) => t.req('GET', url, { cookie: cookies[user] });

function expectError(res: { status: number; json: any; body: string }, status: number, code: string) {
  expect(res.status, res.body).toBe(status);
  expect(res.json?.code, res.body).toBe(code);
  expect(res.json?.message, res.body).toMatch(/[\u4e00-\u9fa5]/);
}

async function runReminders() {
  const ctrl = new AbortController();
  return jobs['lists.reminders']({ deps: t.deps, log: () => {}, dueAt: null, signal: ctrl.signal });
}

async function photo(): Promise<Buffer> {
  return sharp({ create: { width: 64, height: 48, channels: 3, background: '#2060c0' } })
    .jpeg()
    .toBuffer();
}

beforeAll(async () => {
  t = await setup();
  await t.addUser('secg', ['branchSecretary'], t.fx.groupA1);
  await t.addUser('seca2', ['branchSecretary'], t.fx.villageA2);
  for (const u of ['admin', 'orga', 'orgb', 'seca1', 'seca2', 'secg', 'leader']) cookies[u] = await t.login(u);
});
afterAll(async () => t?.close());

describe('a county task followed down to the villages and back up', () => {
  let taskId = '';
  const a: Record<string, string> = {};

  it('goes to every township committee below the county, not to the county itself', async () => {
    const res = await post('admin', '/api/tasks', {
      title: '开展党员冬训',
      description: '各乡镇组织党员冬训，不少于三天',
      source: '县委组织部〔2026〕12号',
      deadline: addDays(today(), 30),
      weight: 10,
      evidenceNeeded: '培训照片、签到表',
      targets: { underOrgId: t.fx.county, orgKinds: ['committee'] },
    });
    expect(res.status, res.body).toBe(201);
    taskId = res.json.id;
    const byOrg = Object.fromEntries(res.json.assignments.map((x: any) => [x.orgId, x]));
    expect(Object.keys(byOrg).sort()).toEqual([t.fx.townA, t.fx.townB].sort());
    expect(res.json.assignments.every((x: any) => x.status === 'issued')).toBe(true);
    a.townA = byOrg[t.fx.townA].id;
    a.townB = byOrg[t.fx.townB].id;
    const audit = await db().execute(
      sql`select detail from audit_log where action = 'task.create' and object_id = ${taskId}`,
    );
    expect(audit.rows[0]?.detail).toMatchObject({ assignments: 2, underOrgId: t.fx.county });
  });

  it('a township splits only after signing for it, to its own villages, with a deadline no later than its own', async () => {
    expectError(
      await post('orga', `/api/tasks/assignments/${a.townA}/split`, {
        orgIds: [t.fx.villageA1],
        deadline: addDays(today(), 10),
      }),
      409,
      'TASK_WRONG_STATE',
    );
    expect((await post('orga', `/api/tasks/assignments/${a.townA}/sign`)).status).toBe(200);
    expectError(
      await post('orga', `/api/tasks/assignments/${a.townA}/split`, {
        orgIds: [t.fx.villageA1],
        deadline: addDays(today(), 31),
      }),
      422,
      'TASK_DEADLINE_AFTER_PARENT',
    );
    // A village of the other township is not below township A.
    expectError(
      await post('orga', `/api/tasks/assignments/${a.townA}/split`, {
        orgIds: [t.fx.villageA1, t.fx.villageB1],
        deadline: addDays(today(), 20),
      }),
      422,
      'TASK_SPLIT_OUTSIDE',
    );
    const split = await post('orga', `/api/tasks/assignments/${a.townA}/split`, {
      orgIds: [t.fx.villageA1, t.fx.villageA2],
      deadline: addDays(today(), 20),
    });
    expect(split.status, split.body).toBe(201);
    for (const x of split.json.assignments) a[x.orgId === t.fx.villageA1 ? 'villageA1' : 'villageA2'] = x.id;
    expectError(
      await post('orga', `/api/tasks/assignments/${a.townA}/split`, {
        orgIds: [t.fx.villageA1],
        deadline: addDays(today(), 20),
      }),
      409,
      'TASK_ALREADY_ASSIGNED',
    );
  });

  it('a village splits to its party group: three levels below the county, rolled up at each', async () => {
    expect((await post('seca1', `/api/tasks/assignments/${a.villageA1}/sign`)).status).toBe(200);
    const split = await post('seca1', `/api/tasks/assignments/${a.villageA1}/split`, {
      orgIds: [t.fx.groupA1],
      deadline: addDays(today(), 15),
    });
    expect(split.status, split.body).toBe(201);
    a.groupA1 = split.json.assignments[0].id;

    const task = await get('admin', `/api/tasks/${taskId}`);
    expect(task.status).toBe(200);
    // townA, townB, villageA1, villageA2, groupA1; signed: townA and villageA1.
    expect(task.json.rollup).toEqual({ total: 5, signed: 2, done: 0, overdue: 0 });
    const group = task.json.assignments.find((x: any) => x.id === a.groupA1);
    expect(group).toMatchObject({ parentId: a.villageA1, issuerOrgId: t.fx.villageA1, orgId: t.fx.groupA1 });
    const town = await get('orga', `/api/tasks/assignments/${a.townA}`);
    expect(town.json.rollup).toEqual({ total: 4, signed: 2, done: 0, overdue: 0 });
    expect(town.json.childAssignments.map((x: any) => x.orgId).sort()).toEqual([t.fx.villageA1, t.fx.villageA2].sort());
    expect(town.json.events.map((e: any) => e.kind)).toEqual(['issued', 'sign', 'split']);
  });

  it('the party group reports with a photo and submits; the village accepts', async () => {
    expect((await post('secg', `/api/tasks/assignments/${a.groupA1}/sign`)).status).toBe(200);
    const mp = multipart(await photo(), '冬训现场.jpg');
    const up = await t.app.inject({
      method: 'POST',
      url: `/api/tasks/assignments/${a.groupA1}/evidence`,
      headers: { cookie: cookies.secg, origin: ORIGIN, host: 'localhost:80', 'content-type': mp.type },
      payload: mp.body,
    });
    expect(up.statusCode, up.body).toBe(201);
    const evidenceId = up.json().id;
    const before = await get('secg', `/api/tasks/assignments/${a.groupA1}`);
    expect(before.json.pendingEvidence.map((e: any) => e.id)).toEqual([evidenceId]);
    const report = await post('secg', `/api/tasks/assignments/${a.groupA1}/report`, { text: '已组织党员冬训第一天' });
    expect(report.status, report.body).toBe(200);
    expect(report.json.status).toBe('inProgress');
    expect(report.json.pendingEvidence).toEqual([]);
    const reported = report.json.events.find((e: any) => e.kind === 'report');
    expect(reported).toMatchObject({ text: '已组织党员冬训第一天' });
    expect(reported.evidence.map((e: any) => e.id)).toEqual([evidenceId]);
    // The village above sees the photo; the other township does not.
    const file = await t.app.inject({
      method: 'GET',
      url: `/api/tasks/evidence/${evidenceId}/thumbnail`,
      headers: { cookie: cookies.seca1, host: 'localhost:80' },
    });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('image/jpeg');
    expectError(await get('orgb', `/api/tasks/evidence/${evidenceId}`), 404, 'NOT_FOUND');

    expect((await post('secg', `/api/tasks/assignments/${a.groupA1}/submit`)).json.status).toBe('submitted');
    // Only the organization that issued it accepts: not the township above, not the group itself.
    expectError(await post('orga', `/api/tasks/assignments/${a.groupA1}/accept`), 403, 'TASK_NOT_ISSUER');
    expectError(await post('secg', `/api/tasks/assignments/${a.groupA1}/accept`), 403, 'TASK_NOT_ISSUER');
    const accepted = await post('seca1', `/api/tasks/assignments/${a.groupA1}/accept`);
    expect(accepted.status, accepted.body).toBe(200);
    expect(accepted.json.status).toBe('done');
    expectError(await post('seca1', `/api/tasks/assignments/${a.groupA1}/accept`), 409, 'TASK_WRONG_STATE');
  });

  it('a township cannot submit while a village it split to is open; a returned submission goes back with its reason', async () => {
    expectError(await post('orga', `/api/tasks/assignments/${a.townA}/submit`), 409, 'TASK_CHILDREN_OPEN');
    expect((await post('seca1', `/api/tasks/assignments/${a.villageA1}/submit`)).json.status).toBe('submitted');
    expectError(await post('orga', `/api/tasks/assignments/${a.villageA1}/return`, { reason: '' }), 400, 'VALIDATION');
    const returned = await post('orga', `/api/tasks/assignments/${a.villageA1}/return`, {
      reason: '缺少签到表，请补充后重新提交',
    });
    expect(returned.status, returned.body).toBe(200);
    expect(returned.json).toMatchObject({ status: 'returned', returnReason: '缺少签到表，请补充后重新提交' });
    expect(returned.json.events.at(-1)).toMatchObject({ kind: 'return', text: '缺少签到表，请补充后重新提交' });
    // Reported again and submitted again: accepted this time.
    await post('seca1', `/api/tasks/assignments/${a.villageA1}/report`, { text: '已补充签到表' });
    expect((await post('seca1', `/api/tasks/assignments/${a.villageA1}/submit`)).json.status).toBe('submitted');
    expect((await post('orga', `/api/tasks/assignments/${a.villageA1}/accept`)).json.status).toBe('done');
    await post('seca2', `/api/tasks/assignments/${a.villageA2}/sign`);
    await post('seca2', `/api/tasks/assignments/${a.villageA2}/submit`);
    await post('orga', `/api/tasks/assignments/${a.villageA2}/accept`);
    expect((await post('orga', `/api/tasks/assignments/${a.townA}/submit`)).json.status).toBe('submitted');
    expect((await post('admin', `/api/tasks/assignments/${a.townA}/accept`)).json.status).toBe('done');
    const task = await get('admin', `/api/tasks/${taskId}`);
    expect(task.json.rollup).toEqual({ total: 5, signed: 4, done: 4, overdue: 0 });
  });

  it('township B sees its own share of the county task and nothing of township A’s', async () => {
    const task = await get('orgb', `/api/tasks/${taskId}`);
    expect(task.status).toBe(200);
    expect(task.json.assignments.map((x: any) => x.orgId)).toEqual([t.fx.townB]);
    expect(task.json.rollup).toEqual({ total: 1, signed: 0, done: 0, overdue: 0 });
    for (const id of [a.townA, a.villageA1, a.groupA1]) {
      expectError(await get('orgb', `/api/tasks/assignments/${id}`), 404, 'NOT_FOUND');
      expectError(await post('orgb', `/api/tasks/assignments/${id}/sign`), 404, 'NOT_FOUND');
    }
    // A leader reads and acts on nothing.
    expect((await get('leader', `/api/tasks/${taskId}`)).status).toBe(200);
    expectError(await post('leader', `/api/tasks/assignments/${a.townB}/sign`), 403, 'FORBIDDEN');
    // The county cannot sign for a township: only the holder does.
    expectError(await post('admin', `/api/tasks/assignments/${a.townB}/sign`), 403, 'TASK_NOT_HOLDER');
  });

  it('a task township A issues on its own is invisible to township B', async () => {
    const own = await post('orga', '/api/tasks', {
      title: '甲镇村级活动场所排查',
      deadline: addDays(today(), 5),
      targets: { underOrgId: t.fx.townA, orgKinds: ['branch'] },
    });
    expect(own.status, own.body).toBe(201);
    expectError(await get('orgb', `/api/tasks/${own.json.id}`), 404, 'NOT_FOUND');
    const listB = await get('orgb', '/api/tasks');
    expect(listB.json.items.map((x: any) => x.id)).not.toContain(own.json.id);
    const listA = await get('orga', '/api/tasks?view=issued');
    expect(listA.json.items.map((x: any) => x.id)).toEqual([own.json.id]);
    // Township A cannot issue into township B's villages.
    expectError(
      await post('orga', '/api/tasks', {
        title: '越级下发',
        deadline: addDays(today(), 5),
        targets: { underOrgId: t.fx.townB, orgKinds: ['branch'] },
      }),
      404,
      'NOT_FOUND',
    );
  });

  it('a form sent again after a lost answer gets the task it made, not a second one', async () => {
    const count = async () => Number((await db().execute(sql`select count(*)::int as n from tasks`)).rows[0].n);
    const body = {
      title: '村级后备力量摸排',
      deadline: addDays(today(), 9),
      targets: { underOrgId: t.fx.townA, orgKinds: ['branch'] },
      clientId: '6f1c2a9e-4b7d-4c1e-9a3b-2d5e8f7a1b30',
    };
    const first = await post('orga', '/api/tasks', body);
    expect(first.status, first.body).toBe(201);
    const n = await count();
    const again = await post('orga', '/api/tasks', body);
    expect(again.status, again.body).toBe(200);
    expect(again.json).toEqual(first.json);
    expect(await count()).toBe(n);
  });

  it('refuses a task without a name, with a past deadline or without any target, writing nothing', async () => {
    const count = async () => Number((await db().execute(sql`select count(*)::int as n from tasks`)).rows[0].n);
    const n = await count();
    const base = {
      title: '测试',
      deadline: addDays(today(), 3),
      targets: { underOrgId: t.fx.county, orgKinds: ['committee'] },
    };
    expectError(await post('admin', '/api/tasks', { ...base, title: '  ' }), 400, 'VALIDATION');
    expectError(
      await post('admin', '/api/tasks', { ...base, deadline: addDays(today(), -1) }),
      422,
      'TASK_DEADLINE_PAST',
    );
    expectError(
      await post('admin', '/api/tasks', { ...base, targets: { underOrgId: t.fx.villageB1, orgKinds: ['committee'] } }),
      422,
      'TASK_NO_TARGETS',
    );
    expect(await count()).toBe(n);
  });
});

describe('late work: reminded, overdue, and reported up a level', () => {
  let taskId = '';
  const a: Record<string, string> = {};

  it('a village overdue past the escalation days is reported to the county above its township; reminders are made once', async () => {
    const res = await post('admin', '/api/tasks', {
      title: '软弱涣散村党组织整顿',
      deadline: addDays(today(), 6),
      targets: { underOrgId: t.fx.county, orgKinds: ['committee'] },
    });
    taskId = res.json.id;
    a.townA = res.json.assignments.find((x: any) => x.orgId === t.fx.townA).id;
    a.townB = res.json.assignments.find((x: any) => x.orgId === t.fx.townB).id;
    await post('orga', `/api/tasks/assignments/${a.townA}/sign`);
    const split = await post('orga', `/api/tasks/assignments/${a.townA}/split`, {
      orgIds: [t.fx.villageA1],
      deadline: addDays(today(), 2),
    });
    a.villageA1 = split.json.assignments[0].id;

    // Two days before the village's deadline: a due reminder (default: three days before).
    const first = await runReminders();
    expect(first?.detail).toBeTruthy();
    const events = async (id: string) =>
      (await get('admin', `/api/tasks/assignments/${id}`)).json.events.map((e: any) => e.kind) as string[];
    expect(await events(a.villageA1)).toContain('remindDue');
    expect(await events(a.townA)).not.toContain('remindDue');

    // Six days later: the village is 4 days late, past the default 3: reported to the county.
    t.advance(6 * 86_400_000);
    for (const u of ['admin', 'orga', 'orgb', 'seca1']) cookies[u] = await t.login(u);
    await runReminders();
    await runReminders();
    const village = await get('orga', `/api/tasks/assignments/${a.villageA1}`);
    expect(village.json).toMatchObject({ overdue: true, overdueDays: 4 });
    expect(village.json.escalatedAt).not.toBeNull();
    const kinds = village.json.events.map((e: any) => e.kind);
    expect(kinds.filter((k: string) => k === 'remindDue')).toHaveLength(1);
    expect(kinds.filter((k: string) => k === 'remindOverdue')).toHaveLength(1);
    expect(kinds.filter((k: string) => k === 'escalated')).toHaveLength(1);
    expect(village.json.events.find((e: any) => e.kind === 'escalated').text).toMatch(
      /逾期 4 天，已上报中共兰考县委员会/,
    );

    // The county's board names it among the escalations, and counts it under township A.
    const board = await get('admin', '/api/tasks/dashboard');
    expect(board.status).toBe(200);
    expect(board.json.escalations.map((x: any) => x.id)).toContain(a.villageA1);
    const rowA = board.json.rows.find((r: any) => r.orgId === t.fx.townA);
    expect(rowA.overdue).toBeGreaterThanOrEqual(1);
    expect(rowA.escalated).toBeGreaterThanOrEqual(1);
    // Township B is only late by today's date (its deadline is today): not yet reported to anyone.
    const b = await get('admin', `/api/tasks/assignments/${a.townB}`);
    expect(b.json).toMatchObject({ overdue: false, escalatedAt: null });
    // The township's board lists its late village (this task, and township A's own survey due a day ago) but nothing is reported to the township itself.
    const boardA = await get('orga', '/api/tasks/dashboard');
    expect(boardA.json.rows.find((r: any) => r.orgId === t.fx.villageA1).overdue).toBe(2);
    expect(boardA.json.escalations).toEqual([]);
    // The village's ledger puts the late task first.
    const ledger = await get('seca1', '/api/tasks/ledger?open=true');
    expect(ledger.json.items[0]).toMatchObject({ id: a.villageA1, overdue: true, title: '软弱涣散村党组织整顿' });
    // The task list can show only tasks with late work in the reader's scope.
    const late = await get('orgb', '/api/tasks?overdue=true');
    expect(late.json.items.map((x: any) => x.id)).not.toContain(taskId);
    const lateA = await get('orga', '/api/tasks?overdue=true');
    expect(lateA.json.items.map((x: any) => x.id)).toContain(taskId);
  });
});

describe('spot checks drawn by the platform', () => {
  it('draws one branch of each township when the sample allows it, the same again from the same seed, and records both', async () => {
    const body = { underOrgId: t.fx.county, strata: 'township', size: 3, seed: '2026年12月督查' };
    const one = await post('admin', '/api/inspections/draw', body);
    expect(one.status, one.body).toBe(201);
    expect(one.json.population.sort()).toEqual(
      [t.fx.villageA1, t.fx.villageA2, t.fx.villageB1, t.fx.organBranch].sort(),
    );
    expect(one.json.strata.map((s: any) => [s.label, s.population, s.sample]).sort()).toEqual(
      [
        ['中共兰考县县直机关工作委员会', 1, 1],
        ['中共甲镇委员会', 2, 1],
        ['中共乙镇委员会', 1, 1],
      ].sort(),
    );
    expect(one.json.sample).toContain(t.fx.villageB1);
    expect(one.json.sample).toContain(t.fx.organBranch);
    const two = await post('admin', '/api/inspections/draw', body);
    expect(two.json.sample).toEqual(one.json.sample);
    expect(two.json.sampleNames).toEqual(one.json.sampleNames);
    const saved = await db().execute<{ seed: string; population: string[]; sample: string[] }>(
      sql`select seed, population, sample from inspection_draws where id = ${one.json.id}`,
    );
    expect(saved.rows[0]).toEqual({ seed: body.seed, population: one.json.population, sample: one.json.sample });
    // Without a seed the platform makes one and says which.
    const fresh = await post('admin', '/api/inspections/draw', { ...body, seed: undefined });
    expect(fresh.json.seed).toMatch(/^[0-9a-f]{16}$/);
  });

  it('a township draws only among its own villages, and not in another township', async () => {
    const own = await post('orga', '/api/inspections/draw', { underOrgId: t.fx.townA, strata: 'field', size: 5 });
    expect(own.status, own.body).toBe(201);
    expect(own.json.population.sort()).toEqual([t.fx.villageA1, t.fx.villageA2].sort());
    expectError(
      await post('orga', '/api/inspections/draw', { underOrgId: t.fx.townB, strata: 'township', size: 1 }),
      404,
      'NOT_FOUND',
    );
    expectError(
      await post('orga', '/api/inspections/draw', { underOrgId: t.fx.villageA1, strata: 'township', size: 1 }),
      422,
      'DRAW_EMPTY',
    );
    expectError(
      await post('seca1', '/api/inspections/draw', { underOrgId: t.fx.villageA1, strata: 'township', size: 1 }),
      403,
      'FORBIDDEN',
    );
  });
});
