/**
 * The responsibility chain (issue 19): read from the posts as they were on a day, overridden by the
 * committee from a day on with a reason, never rewritten; a task's share says who answers for it.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, shanghaiDate } from '../platform/calendar.ts';
import { COUNTY, setup, type TestCtx } from './harness.ts';

let t: TestCtx;
const cookies: Record<string, string> = {};
const post = (user: string, url: string, body: unknown = {}) => t.req('POST', url, { cookie: cookies[user], body });
const get = (user: string, url: string) => t.req('GET', url, { cookie: cookies[user] });
const today = () => shanghaiDate(t.deps.now());

async function postOf(orgId: string, post: string, name: string, from: string, ended: string | null = null) {
  await t.database.db.execute(sql`insert into org_posts (county_code, org_id, post, person_name, start_date, ended_on)
    values (${COUNTY}, ${orgId}, ${post}, ${name}, ${from}, ${ended})`);
}

const names = (chain: any, level: string) =>
  chain.people.filter((p: any) => p.level === level).map((p: any) => p.personName);

beforeAll(async () => {
  t = await setup();
  for (const u of ['admin', 'orga', 'orgb', 'seca1']) cookies[u] = await t.login(u);
  // Township A: a secretary replaced on 2026-06-01, a deputy, an organization member; village A1's secretary.
  await postOf(t.fx.townA, 'secretary', '王书记', '2021-03-01', '2026-06-01');
  await postOf(t.fx.townA, 'secretary', '周书记', '2026-06-01');
  await postOf(t.fx.townA, 'deputySecretary', '李副书记', '2021-03-01');
  await postOf(t.fx.townA, 'organizationMember', '赵委员', '2021-03-01');
  await postOf(t.fx.villageA1, 'secretary', '孙支书', '2022-01-01');
  await postOf(t.fx.county, 'secretary', '郑书记', '2021-01-01');
});
afterAll(async () => t?.close());

describe('who answers for township A’s Party building', () => {
  it('reads each level from the posts of the day', async () => {
    const may = await get('orga', '/api/responsibility?date=2026-05-31');
    expect(may.status, may.body).toBe(200);
    expect(names(may.json, 'primary')).toEqual(['王书记']);
    const june = (await get('orga', '/api/responsibility?date=2026-06-01')).json;
    expect(names(june, 'primary')).toEqual(['周书记']);
    expect(names(june, 'direct')).toEqual(['李副书记']);
    expect(names(june, 'related')).toEqual(['赵委员']);
    // 具体责任人: the secretaries of the organizations directly below (village A2 has none).
    expect(june.people.filter((p: any) => p.level === 'concrete').map((p: any) => [p.orgName, p.personName])).toEqual([
      ['中共甲一村支部委员会', '孙支书'],
    ]);
    expect(june.vacant).toEqual([]);
    const a2 = (await get('orga', `/api/responsibility?orgId=${t.fx.villageA2}`)).json;
    expect(a2.vacant).toEqual(['primary', 'direct', 'related', 'concrete']);
  });

  it('a committee names someone else from a day on, with its reason, and the days before keep the posts', async () => {
    const from = today();
    const set = await post('orga', '/api/responsibility/overrides', {
      orgId: t.fx.townA,
      level: 'primary',
      personName: '吴镇长',
      reason: '书记长期病休，党委会议决定由吴镇长主持党建工作',
      from,
    });
    expect(set.status, set.body).toBe(200);
    expect(set.json.people.find((p: any) => p.level === 'primary')).toMatchObject({
      personName: '吴镇长',
      post: null,
      reason: '书记长期病休，党委会议决定由吴镇长主持党建工作',
    });
    // A second adjustment of the same level on the same day would rewrite what was recorded: refused.
    const again = await post('orga', '/api/responsibility/overrides', {
      orgId: t.fx.townA,
      level: 'primary',
      personName: '郑某',
      reason: '改派',
      from,
    });
    expect(again.status, again.body).toBe(409);
    expect(again.json.code).toBe('RESPONSIBILITY_LATER_OVERRIDE');
    const before = (await get('orga', `/api/responsibility?date=${addDays(from, -1)}`)).json;
    expect(names(before, 'primary')).toEqual(['周书记']);
    // Back to the posts ten days later; the override's days stay on record.
    const back = await post('orga', '/api/responsibility/overrides', {
      orgId: t.fx.townA,
      level: 'primary',
      reason: '书记复岗',
      from: addDays(from, 10),
    });
    expect(names(back.json, 'primary')).toEqual(['周书记']);
    expect(back.json.overrides.map((o: any) => [o.personName, o.from, o.to])).toEqual([
      [null, addDays(from, 10), null],
      ['吴镇长', from, addDays(from, 9)],
    ]);
    expect(names((await get('orga', `/api/responsibility?date=${addDays(from, 9)}`)).json, 'primary')).toEqual([
      '吴镇长',
    ]);
    // History is not rewritten: an override starting before a later one is refused.
    const late = await post('admin', '/api/responsibility/overrides', {
      orgId: t.fx.townA,
      level: 'primary',
      personName: '某人',
      reason: '补录',
      from: addDays(from, 1),
    });
    expect(late.status, late.body).toBe(409);
    expect(late.json.code).toBe('RESPONSIBILITY_LATER_OVERRIDE');
    const audit = await t.database.db.execute(
      sql`select count(*)::int as n from audit_log where action = 'responsibility.override'`,
    );
    expect(audit.rows[0].n).toBe(2);
  });

  it('a task’s share names who answers for it, today and when it was issued', async () => {
    const task = await post('admin', '/api/tasks', {
      title: '责任测试任务',
      deadline: addDays(today(), 20),
      targets: { underOrgId: t.fx.county, orgKinds: ['committee'] },
    });
    const share = task.json.assignments.find((a: any) => a.orgId === t.fx.townA).id;
    const a = await get('orga', `/api/tasks/assignments/${share}`);
    // The township reads its own level only; the county reads each level up to itself, nearest first.
    expect(a.json.answerable).toEqual({
      now: '吴镇长',
      whenIssued: '吴镇长',
      levels: [{ orgId: t.fx.townA, orgName: '中共甲镇委员会', now: '吴镇长', atStart: '吴镇长' }],
    });
    const county = await get('admin', `/api/tasks/assignments/${share}`);
    expect(county.json.answerable.levels.map((l: any) => [l.orgId, l.now])).toEqual([
      [t.fx.townA, '吴镇长'],
      [t.fx.county, '郑书记'],
    ]);
  });

  it('a person’s list: where they answer, the duties of those levels and fields', async () => {
    const res = await get('orga', `/api/responsibility/person?name=${encodeURIComponent('孙支书')}`);
    expect(res.status, res.body).toBe(200);
    expect(res.json.roles.map((r: any) => [r.orgName, r.level])).toEqual([
      ['中共甲一村支部委员会', 'primary'],
      ['中共甲一村支部委员会', 'concrete'],
    ]);
    expect(res.json.duties).toContain('落实“四议两公开”，规范村级重大事项决策');
    expect(res.json.duties).toContain('牵头确定年度 2—3 个基层党建重点问题并推动解决');
    const nobody = await get('orga', `/api/responsibility/person?name=${encodeURIComponent('查无此人')}`);
    expect(nobody.json).toMatchObject({ roles: [], duties: [], tasks: [], problems: [] });
    expect((await get('orgb', `/api/responsibility/person?name=${encodeURIComponent('孙支书')}`)).json.roles).toEqual(
      [],
    );
  });

  it('stays within scope: another township reads nothing, a branch secretary changes nothing', async () => {
    const other = await get('orgb', `/api/responsibility?orgId=${t.fx.townA}`);
    expect(other.status).toBe(404);
    expect(other.json.code).toBe('NOT_FOUND');
    const branch = await post('seca1', '/api/responsibility/overrides', {
      orgId: t.fx.villageA1,
      level: 'primary',
      personName: 'x',
      reason: 'x',
      from: today(),
    });
    expect(branch.status).toBe(403);
    expect(branch.json.code).toBe('FORBIDDEN');
  });
});
