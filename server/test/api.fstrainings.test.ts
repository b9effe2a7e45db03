/**
 * First secretaries' training and exchange sessions (issue 20): held by the county's or a township's
 * committee for serving people posted in its subtree (others refused with a code), attendance recorded
 * from the day on and only for those called, a first secretary seeing only the sessions it was called to
 * and its own attendance, another township seeing only its own people; the county's management systems
 * (defaults until the county writes its own; a township cannot); and the county-wide list of marked
 * villages with FS-1 met or not, a township seeing only its own villages, and its Excel export.
 */

import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FS_DEFAULT_SYSTEMS } from '../../contract/labels.ts';
import { trainingAttendance } from '../modules/firstsec/trainings.ts';
import { addDays, shanghaiDate } from '../platform/calendar.ts';
import { COUNTY, newId, setup, type TestCtx } from './harness.ts';

let t: TestCtx;
const cookies: Record<string, string> = {};
const post = (user: string, url: string, body: unknown = {}) => t.req('POST', url, { cookie: cookies[user], body });
const put = (user: string, url: string, body: unknown = {}) => t.req('PUT', url, { cookie: cookies[user], body });
const patch = (user: string, url: string, body: unknown = {}) => t.req('PATCH', url, { cookie: cookies[user], body });
const get = (user: string, url: string) => t.req('GET', url, { cookie: cookies[user] });

function expectError(res: { status: number; json: any; body: string }, status: number, code: string) {
  expect(res.status, res.body).toBe(status);
  expect(res.json?.code, res.body).toBe(code);
  expect(res.json?.message, res.body).toMatch(/[\u4e00-\u9fa5]/);
}

const today = () => shanghaiDate(t.deps.now());
/** People posted: 甲一村's first secretary (with an account), 甲二村's work-team member, 乙一村's first secretary, one who left. */
const P = { a: '', b: '', c: '', gone: '' };
const S = { town: '', county: '', other: '' };

async function postPerson(user: string, name: string, role: string, orgId: string, birth: string): Promise<string> {
  const res = await post(user, '/api/first-secretaries', {
    name,
    idNumber: newId(birth, true),
    role,
    dispatchUnit: '县农业农村局',
    orgId,
    startDate: '2026-01-01',
    endDate: '2027-12-31',
  });
  expect(res.status, res.body).toBe(201);
  return res.json.id;
}

async function count(table: 'fs_trainings' | 'fs_training_attendance' | 'fs_systems'): Promise<number> {
  const r = await t.database.db.execute<{ n: number }>(
    sql`select count(*)::int as n from ${sql.raw(table)} where county_code = ${COUNTY}`,
  );
  return Number(r.rows[0].n);
}

async function audits(action: string): Promise<number> {
  const r = await t.database.db.execute<{ n: number }>(
    sql`select count(*)::int as n from audit_log where county_code = ${COUNTY} and action = ${action}`,
  );
  return Number(r.rows[0].n);
}

beforeAll(async () => {
  t = await setup();
  for (const u of ['admin', 'orga', 'orgb', 'leader', 'seca1']) cookies[u] = await t.login(u);
  P.a = await postPerson('orga', '李明', 'firstSecretary', t.fx.villageA1, '19850612');
  P.b = await postPerson('orga', '周强', 'workTeam', t.fx.villageA2, '19900301');
  P.c = await postPerson('orgb', '陈静', 'firstSecretary', t.fx.villageB1, '19880808');
  P.gone = await postPerson('orga', '吴刚', 'workTeam', t.fx.villageA1, '19790505');
  const fs = await get('orga', `/api/first-secretaries/${P.gone}`);
  const ended = await patch('orga', `/api/first-secretaries/${P.gone}`, {
    version: fs.json.version,
    status: 'ended',
    endedOn: '2026-06-30',
    endReason: '任期结束',
  });
  expect(ended.status, ended.body).toBe(200);
  const user = await t.addUser('liming', ['firstSecretary'], t.fx.villageA1);
  await t.database.db.execute(
    sql`update first_secretaries set user_id = ${user} where county_code = ${COUNTY} and id = ${P.a}`,
  );
  cookies.fsA = await t.login('liming');
});
afterAll(async () => t?.close());

describe('training and exchange sessions', () => {
  const session = (over: Record<string, unknown> = {}) => ({
    kind: 'exchange',
    title: '第一书记工作座谈会',
    heldOn: addDays(today(), -1),
    place: '甲镇党委会议室',
    hours: 2.5,
    content: '交流土地流转和村集体经济发展的做法',
    fsIds: [P.a, P.b],
    ...over,
  });

  it('a township calls serving people of its own villages; others, a former one, an empty title or a far date are refused with codes', async () => {
    const before = [await count('fs_trainings'), await count('fs_training_attendance')];
    expectError(
      await post('orga', '/api/first-secretaries/trainings', session({ fsIds: [P.a, P.c] })),
      422,
      'FS_TRAINING_PEOPLE',
    );
    expectError(
      await post('orga', '/api/first-secretaries/trainings', session({ fsIds: [P.a, P.gone] })),
      422,
      'FS_TRAINING_PEOPLE',
    );
    expectError(
      await post('orga', '/api/first-secretaries/trainings', session({ title: '  ' })),
      422,
      'FS_TRAINING_TITLE',
    );
    expectError(
      await post('orga', '/api/first-secretaries/trainings', session({ heldOn: addDays(today(), 400) })),
      422,
      'FS_TRAINING_DATE',
    );
    expectError(
      await post('orga', '/api/first-secretaries/trainings', session({ heldOn: '2026-02-30' })),
      422,
      'FS_TRAINING_DATE',
    );
    expectError(await post('orga', '/api/first-secretaries/trainings', session({ fsIds: [] })), 400, 'VALIDATION');
    expectError(await post('leader', '/api/first-secretaries/trainings', session()), 403, 'FORBIDDEN');
    expectError(await post('seca1', '/api/first-secretaries/trainings', session()), 403, 'FORBIDDEN');
    // A village's own administrator manages its roster but does not hold sessions.
    await t.addUser('orgv', ['orgAdmin'], t.fx.villageA1);
    cookies.orgv = await t.login('orgv');
    expectError(
      await post('orgv', '/api/first-secretaries/trainings', session({ fsIds: [P.a] })),
      403,
      'FS_TRAINING_ORGANIZER',
    );
    expect([await count('fs_trainings'), await count('fs_training_attendance')]).toEqual(before);

    const made = await post('orga', '/api/first-secretaries/trainings', session());
    expect(made.status, made.body).toBe(201);
    S.town = made.json.id;
    expect(made.json).toMatchObject({
      kind: 'exchange',
      title: '第一书记工作座谈会',
      orgName: '中共甲镇委员会',
      hours: 2.5,
      called: 2,
      present: 0,
      held: true,
      can: { edit: true, attend: true },
    });
    // In the county's order of organizations (甲二村 before 甲一村 by pinyin).
    expect(made.json.people.map((p: any) => [p.name, p.townshipName, p.status])).toEqual([
      ['周强', '中共甲镇委员会', null],
      ['李明', '中共甲镇委员会', null],
    ]);
    expect(await audits('fs.training')).toBe(1);

    // The county calls people of both townships, ten days ahead.
    const county = await post('admin', '/api/first-secretaries/trainings', {
      ...session({ kind: 'training', title: '全县第一书记乡村振兴专题培训', fsIds: [P.a, P.c] }),
      heldOn: addDays(today(), 10),
      place: '县委党校',
      hours: 6,
    });
    expect(county.status, county.body).toBe(201);
    expect(county.json).toMatchObject({ orgName: '中共兰考县委员会', held: false, can: { edit: true, attend: false } });
    S.county = county.json.id;
    const other = await post(
      'orgb',
      '/api/first-secretaries/trainings',
      session({ title: '乙镇驻村干部交流会', fsIds: [P.c] }),
    );
    expect(other.status, other.body).toBe(201);
    S.other = other.json.id;
  });

  it('records who came only from the day on, only for those called; bad entries change nothing', async () => {
    expectError(
      await put('admin', `/api/first-secretaries/trainings/${S.county}/attendance`, {
        entries: [{ fsId: P.a, status: 'present' }],
      }),
      422,
      'FS_TRAINING_NOT_HELD',
    );
    expectError(
      await put('orga', `/api/first-secretaries/trainings/${S.town}/attendance`, {
        entries: [
          { fsId: P.a, status: 'present' },
          { fsId: P.c, status: 'present' },
        ],
      }),
      422,
      'FS_TRAINING_NOT_CALLED',
    );
    expect((await get('orga', `/api/first-secretaries/trainings/${S.town}`)).json.present).toBe(0);
    // Another township does not see the session; a township cannot record the county's.
    expectError(
      await put('orgb', `/api/first-secretaries/trainings/${S.town}/attendance`, {
        entries: [{ fsId: P.a, status: 'present' }],
      }),
      404,
      'NOT_FOUND',
    );
    expectError(
      await patch('orga', `/api/first-secretaries/trainings/${S.county}`, { version: 1, title: '改名' }),
      403,
      'FS_TRAINING_ORGANIZER',
    );
    const done = await put('orga', `/api/first-secretaries/trainings/${S.town}/attendance`, {
      entries: [
        { fsId: P.a, status: 'present' },
        { fsId: P.b, status: 'leave', note: '村里防汛值班' },
      ],
    });
    expect(done.status, done.body).toBe(200);
    expect(done.json).toMatchObject({ called: 2, present: 1, leave: 1, absent: 0 });
    expect(done.json.people.map((p: any) => [p.name, p.status, p.note])).toEqual([
      ['周强', 'leave', '村里防汛值班'],
      ['李明', 'present', null],
    ]);
    expect(await audits('fs.trainingAttendance')).toBe(1);
  });

  it('edits with the version; a recorded session cannot move past today', async () => {
    expectError(
      await patch('orga', `/api/first-secretaries/trainings/${S.town}`, { version: 9, title: '新名称' }),
      409,
      'CONFLICT',
    );
    expectError(
      await patch('orga', `/api/first-secretaries/trainings/${S.town}`, { version: 1, heldOn: addDays(today(), 3) }),
      409,
      'FS_TRAINING_RECORDED',
    );
    expectError(
      await patch('orga', `/api/first-secretaries/trainings/${S.town}`, { version: 1, title: '' }),
      422,
      'FS_TRAINING_TITLE',
    );
    const ok = await patch('orga', `/api/first-secretaries/trainings/${S.town}`, {
      version: 1,
      title: '甲镇第一书记座谈交流会',
    });
    expect(ok.status, ok.body).toBe(200);
    expect(ok.json).toMatchObject({ title: '甲镇第一书记座谈交流会', version: 2, present: 1 });
    expect(await audits('fs.trainingEdit')).toBe(1);
  });

  it('a township sees its own sessions and the county’s with its own people only', async () => {
    const b = await get('orgb', '/api/first-secretaries/trainings');
    expect(b.status, b.body).toBe(200);
    expect(b.json.items.map((x: any) => x.id).sort()).toEqual([S.county, S.other].sort());
    const countyAsB = await get('orgb', `/api/first-secretaries/trainings/${S.county}`);
    expect(countyAsB.json.people.map((p: any) => p.name)).toEqual(['陈静']);
    expect(countyAsB.json.can.edit).toBe(false);
    expectError(await get('orgb', `/api/first-secretaries/trainings/${S.town}`), 404, 'NOT_FOUND');
    const all = await get('admin', '/api/first-secretaries/trainings?kind=exchange');
    expect(all.json.total).toBe(2);
  });

  it('a first secretary sees the sessions it was called to and its own attendance only', async () => {
    const mine = await get('fsA', '/api/first-secretaries/trainings');
    expect(mine.status, mine.body).toBe(200);
    expect(mine.json.items.map((x: any) => [x.id, x.called, x.mine])).toEqual([
      [S.county, 1, { status: null, note: null }],
      [S.town, 1, { status: 'present', note: null }],
    ]);
    const one = await get('fsA', `/api/first-secretaries/trainings/${S.town}`);
    expect(one.json.people.map((p: any) => p.name)).toEqual(['李明']);
    expect(one.json.can).toEqual({ edit: false, attend: false });
    expectError(await get('fsA', `/api/first-secretaries/trainings/${S.other}`), 404, 'NOT_FOUND');
    expectError(await post('fsA', '/api/first-secretaries/trainings', session()), 403, 'FORBIDDEN');
    // On the person's page, the roster's readers see the same sessions with that person's attendance.
    const page = await get('orga', `/api/first-secretaries/trainings?fsId=${P.b}`);
    expect(page.json.items.map((x: any) => [x.title, x.mine])).toEqual([
      ['甲镇第一书记座谈交流会', { status: 'leave', note: '村里防汛值班' }],
    ]);
    expectError(await get('orgb', `/api/first-secretaries/trainings?fsId=${P.b}`), 404, 'NOT_FOUND');
  });

  it('gives the yearly score each person’s sessions, attendance and hours', async () => {
    const y = Number(addDays(today(), -1).slice(0, 4));
    const m = await trainingAttendance(t.database.db, COUNTY, [P.a, P.b, P.gone], y, addDays(today(), -1));
    expect(m.get(P.a)).toEqual({ called: 1, present: 1, leave: 0, absent: 0, unrecorded: 0, hours: 2.5 });
    expect(m.get(P.b)).toEqual({ called: 1, present: 0, leave: 1, absent: 0, unrecorded: 0, hours: 0 });
    expect(m.get(P.gone)).toEqual({ called: 0, present: 0, leave: 0, absent: 0, unrecorded: 0, hours: 0 });
  });
});

describe('the county’s management systems', () => {
  it('shows the seven of the county plan as defaults until the county writes its own; a township only reads', async () => {
    const d = await get('fsA', '/api/first-secretaries/systems');
    expect(d.status, d.body).toBe(200);
    expect(d.json.defaults).toBe(true);
    expect(d.json.items.map((i: any) => i.name)).toEqual([...FS_DEFAULT_SYSTEMS]);
    expect(d.json.items.map((i: any) => i.name)).toEqual([
      '指导帮带制度',
      '能力提升制度',
      '重点工作推进制度',
      '考勤管理制度',
      '定期汇报制度',
      '督查通报制度',
      '定期培训制度',
    ]);
    expect(d.json.can.edit).toBe(false);
    expect((await get('admin', '/api/first-secretaries/systems')).json.can.edit).toBe(true);
    expect((await get('orga', '/api/first-secretaries/systems')).json.can.edit).toBe(false);

    const items = [
      { name: '指导帮带制度', content: '县直单位和乡镇党委各明确一名领导干部联系指导第一书记。' },
      { name: '考勤管理制度', content: '每月在村不少于 20 天，每天打卡。' },
      { name: '定期培训制度', content: '' },
    ];
    expectError(await put('orga', '/api/first-secretaries/systems', { items }), 403, 'FS_SYSTEMS_COUNTY');
    expectError(await put('leader', '/api/first-secretaries/systems', { items }), 403, 'FORBIDDEN');
    expectError(await put('fsA', '/api/first-secretaries/systems', { items }), 403, 'FORBIDDEN');
    expectError(
      await put('admin', '/api/first-secretaries/systems', { items: [...items, items[0]] }),
      422,
      'FS_SYSTEMS_DUPLICATE',
    );
    expect(await count('fs_systems')).toBe(0);
    const saved = await put('admin', '/api/first-secretaries/systems', { items });
    expect(saved.status, saved.body).toBe(200);
    expect(saved.json.defaults).toBe(false);
    const seen = await get('fsA', '/api/first-secretaries/systems');
    expect(seen.json.items).toEqual(items.map((i, n) => ({ ord: n + 1, ...i })));
    expect(seen.json.updatedByName).toBe('测试admin');
    expect(await audits('fs.systems')).toBe(1);
    // Emptied: the defaults again.
    const back = await put('admin', '/api/first-secretaries/systems', { items: [] });
    expect(back.json.defaults).toBe(true);
    expect(back.json.items).toHaveLength(7);
  });
});

describe('the marked villages', () => {
  const mark = async (orgId: string, designations: unknown[]) => {
    const res = await put('admin', `/api/first-secretaries/designations/${orgId}`, { designations });
    expect(res.status, res.body).toBe(200);
  };

  it('lists every marked village in scope with its township, marks, who serves and whether FS-1 is met', async () => {
    await mark(t.fx.villageA1, [{ kind: 'weak', fromDate: '2026-01-01' }]);
    // 甲二村 has only a work-team member: not enough for a 软弱涣散村.
    await mark(t.fx.villageA2, [
      { kind: 'weak', fromDate: '2026-03-01' },
      { kind: 'revitalization', fromDate: '2026-03-01' },
    ]);
    await mark(t.fx.villageB1, [{ kind: 'povertyExit', fromDate: '2026-02-01' }]);
    const all = await get('admin', '/api/first-secretaries/designations');
    expect(all.status, all.body).toBe(200);
    expect(all.json).toMatchObject({ on: today(), total: 3, met: 2 });
    const row = (name: string) => all.json.items.find((i: any) => i.orgName === name);
    expect(row('中共甲一村支部委员会')).toMatchObject({
      townshipName: '中共甲镇委员会',
      marks: [{ kind: 'weak', fromDate: '2026-01-01', toDate: null }],
      people: [{ id: P.a, name: '李明', role: 'firstSecretary', startDate: '2026-01-01' }],
      met: true,
      needs: 'firstSecretary',
    });
    expect(row('中共甲二村支部委员会')).toMatchObject({
      people: [{ name: '周强', role: 'workTeam' }],
      met: false,
      needs: 'firstSecretary',
    });
    expect(row('中共乙一村支部委员会')).toMatchObject({ townshipName: '中共乙镇委员会', met: true });

    // Marked only 乡村振兴任务重的村: a work-team member is enough.
    await mark(t.fx.villageA2, [{ kind: 'revitalization', fromDate: '2026-03-01' }]);
    const a = await get('orga', '/api/first-secretaries/designations');
    expect(a.json.items.map((i: any) => [i.orgName, i.met, i.needs])).toEqual([
      ['中共甲二村支部委员会', true, 'firstSecretaryOrTeam'],
      ['中共甲一村支部委员会', true, 'firstSecretary'],
    ]);
    // Filters: kind, township, day.
    expect(
      (await get('admin', '/api/first-secretaries/designations?kind=weak')).json.items.map((i: any) => i.orgName),
    ).toEqual(['中共甲一村支部委员会']);
    expect(
      (await get('admin', `/api/first-secretaries/designations?orgId=${t.fx.townB}`)).json.items.map(
        (i: any) => i.orgName,
      ),
    ).toEqual(['中共乙一村支部委员会']);
    expect((await get('admin', '/api/first-secretaries/designations?on=2025-12-31')).json.total).toBe(0);
  });

  it('another township sees only its own villages; the export is audited and has Chinese headers', async () => {
    const b = await get('orgb', '/api/first-secretaries/designations');
    expect(b.json.items.map((i: any) => i.orgName)).toEqual(['中共乙一村支部委员会']);
    expectError(await get('orgb', `/api/first-secretaries/designations?orgId=${t.fx.townA}`), 404, 'NOT_FOUND');
    expectError(await get('fsA', '/api/first-secretaries/designations'), 403, 'FORBIDDEN');

    const res = await t.app.inject({
      method: 'GET',
      url: '/api/first-secretaries/designations/export',
      headers: { cookie: cookies.orga, host: 'localhost:80' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(String(res.headers['content-disposition'])).toContain(encodeURIComponent('重点村选派情况'));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect(ws.getRow(2).values).toEqual([
      undefined,
      '乡镇（街道）',
      '村（社区）',
      '重点村标注',
      '标注起始日期',
      '第一书记',
      '驻村工作队员',
      '选派要求',
      '是否符合',
    ]);
    expect(ws.getRow(3).values).toEqual([
      undefined,
      '中共甲镇委员会',
      '中共甲二村支部委员会',
      '乡村振兴任务重的村',
      '2026-03-01',
      '',
      '周强',
      '须有第一书记或驻村工作队员',
      '符合',
    ]);
    expect(ws.getRow(4).values).toEqual([
      undefined,
      '中共甲镇委员会',
      '中共甲一村支部委员会',
      '软弱涣散村',
      '2026-01-01',
      '李明',
      '',
      '须有在岗的第一书记',
      '符合',
    ]);
    expect(ws.rowCount).toBe(4);
    expect(ws.getRow(1).getCell(1).text).toContain('中共甲镇委员会重点村选派第一书记情况');
    expect(await audits('fs.villagesExport')).toBe(1);
  });
});
