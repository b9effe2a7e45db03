/**
 * Issue 16 §3: each period is judged by the organization as it was then — the committee on the
 * meeting's day, the members and posts of the period, the founding and dissolution dates — re-checked
 * at once when posts, members or organizations change, and dissolved or merged organizations'
 * problems closed with their own status, counted apart.
 */
import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCounty } from '../modules/problems/engine.ts';
import { COUNTY, rosterWorkbook, setup, type TestCtx, uploadRoster } from './harness.ts';

let t: TestCtx;
let admin: string;
const db = () => t.database.db;

function clockAt(local: string) {
  t.advance(Date.parse(`${local}+08:00`) - t.deps.now().getTime());
}

async function addOrg(parentId: string, name: string, kind = 'branch', foundedOn = '2000-01-01'): Promise<string> {
  const id = crypto.randomUUID();
  await db().execute(sql`insert into orgs (id, county_code, parent_id, path, depth, name, kind, field, founded_on)
    select ${id}, county_code, id, path || ${`${id}/`}, depth + 1, ${name}, ${kind}, 'rural', ${foundedOn} from orgs where id = ${parentId}`);
  return id;
}

/** Full members of `orgId`, members there from `since` (member_org_history). */
async function addMembers(orgId: string, n: number, since = '2000-01-01', prefix = '党员'): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = await db().execute<{
      id: string;
    }>(sql`insert into members (county_code, org_id, name, name_pinyin, name_initials, sex, birth_date, standing, join_date, full_date, id_enc, id_bidx)
      values (${COUNTY}, ${orgId}, ${`${prefix}${i}`}, 'x', 'x', '1', '1980-01-01', 'full', '2000-01-01', '2001-01-01', 'x', ${`${orgId}-${prefix}-${i}`}) returning id`);
    await db().execute(
      sql`insert into member_org_history (county_code, member_id, org_id, org_name, from_date, reason) values (${COUNTY}, ${r.rows[0].id}, ${orgId}, 'x', ${since}, '转入')`,
    );
    ids.push(r.rows[0].id);
  }
  return ids;
}

async function results(rule: string, subjectId: string) {
  const r = await db().execute<{ period: string; ok: boolean }>(
    sql`select period, ok from rule_results where county_code = ${COUNTY} and rule_id = ${rule} and subject_id = ${subjectId} order by period`,
  );
  return r.rows;
}

async function problem(rule: string, subjectId: string, period: string) {
  const r = await db().execute<{
    id: string;
    status: string;
    message: string;
  }>(sql`select id, status, message from problems
    where county_code = ${COUNTY} and rule_id = ${rule} and subject_id = ${subjectId} and period = ${period}`);
  return r.rows[0];
}

const post = (orgId: string, body: Record<string, unknown>) =>
  t.req('POST', `/api/orgs/${orgId}/posts`, { cookie: admin, body });

beforeAll(async () => {
  t = await setup();
  clockAt('2026-12-20T10:00:00');
  admin = await t.login('admin');
});
afterAll(async () => t?.close());

describe('the committee on the meeting’s day, worked out when checked', () => {
  it('a committee registered after the meeting (elected before it) makes the meeting count at once, without re-saving the record', async () => {
    const b = await addOrg(t.fx.townB, '中共乙二村支部委员会');
    const m = await addMembers(b, 7);
    await db().execute(sql`insert into org_posts (county_code, org_id, post, member_id, person_name, start_date) values
      (${COUNTY}, ${b}, 'secretary', ${m[0]}, '党员0', '2020-01-01'), (${COUNTY}, ${b}, 'organizationMember', ${m[5]}, '党员5', '2020-01-01'), (${COUNTY}, ${b}, 'propagandaMember', ${m[6]}, '党员6', '2020-01-01')`);
    await runCounty(db(), t.deps, COUNTY, 'full', { from: '2026-01-01' });
    const res = await t.req('POST', '/api/meetings', {
      cookie: admin,
      body: {
        orgId: b,
        kind: 'committeeMeeting',
        startsAt: '2026-10-10T09:00:00+08:00',
        chairMemberId: m[0],
        attendance: m.slice(0, 3).map((memberId) => ({ memberId, status: 'present' })),
      },
    });
    expect(res.status, res.body).toBe(201);
    // On the day the committee on record was 党员0, 党员5 and 党员6: one of three present.
    expect((await problem('LIFE-2', b, '2026-10')).status).toBe('open');
    // The election of 28 September, registered in December: 党员1 and 党员2 took the two posts that day.
    expect((await post(b, { post: 'organizationMember', memberId: m[1], startDate: '2026-09-28' })).status).toBe(200);
    expect((await post(b, { post: 'propagandaMember', memberId: m[2], startDate: '2026-09-28' })).status).toBe(200);
    expect((await problem('LIFE-2', b, '2026-10')).status).toBe('cleared');
    const detail = await t.req('GET', `/api/meetings/${res.json.id}`, { cookie: admin });
    expect(detail.json).toMatchObject({ committeeSize: 3, committeePresent: 3, valid: true });
    expect(detail.json.warnings.map((w: { code: string }) => w.code)).not.toContain('QUORUM_NOT_MET');
  });

  it('posts registered by name only count: their holders present as guests make the quorum', async () => {
    const b = await addOrg(t.fx.townB, '中共乙三村支部委员会');
    await addMembers(b, 7);
    for (const [p, name] of [
      ['secretary', '王书记'],
      ['organizationMember', '李委员'],
      ['propagandaMember', '赵委员'],
    ])
      await db().execute(
        sql`insert into org_posts (county_code, org_id, post, person_name, start_date) values (${COUNTY}, ${b}, ${p}, ${name}, '2020-01-01')`,
      );
    const res = await t.req('POST', '/api/meetings', {
      cookie: admin,
      body: {
        orgId: b,
        kind: 'committeeMeeting',
        startsAt: '2026-11-10T09:00:00+08:00',
        chairName: '王书记',
        attendance: [],
        guests: [{ name: '王书记' }, { name: '李委员' }],
      },
    });
    expect(res.status, res.body).toBe(201);
    expect(res.json).toMatchObject({ committeeSize: 3, committeePresent: 2, valid: true });
    expect((await results('LIFE-2', b)).find((r) => r.period === '2026-11')?.ok).toBe(true);
  });
});

describe('each period by the organization as it was then', () => {
  it('a branch that grew to 8 members and elected its committee on 20 November is asked for a 支委会 from December only', async () => {
    const b = await addOrg(t.fx.townB, '中共乙四村支部委员会');
    const m = await addMembers(b, 8, '2026-11-01');
    for (const [i, p] of ['secretary', 'organizationMember', 'propagandaMember'].entries())
      expect((await post(b, { post: p, memberId: m[i], startDate: '2026-11-20' })).status).toBe(200);
    await runCounty(db(), t.deps, COUNTY, 'full', { from: '2026-01-01' });
    expect((await results('LIFE-2', b)).map((r) => r.period)).toEqual(['2026-12']);
  });

  it('a 党小组 created without a founding date was founded that day: no month before it is asked of it', async () => {
    const res = await t.req('POST', '/api/orgs', {
      cookie: admin,
      body: { parentId: t.fx.villageB1, name: '乙一村第二党小组', kind: 'partyGroup' },
    });
    expect(res.status, res.body).toBe(201);
    expect(res.json.foundedOn).toBe('2026-12-20');
    await runCounty(db(), t.deps, COUNTY, 'full', { from: '2026-01-01' });
    expect(await results('LIFE-3', res.json.id)).toEqual([]);
    // The founding date cannot be emptied.
    const cleared = await t.req('PATCH', `/api/orgs/${res.json.id}`, { cookie: admin, body: { foundedOn: null } });
    expect(cleared.status).toBe(400);
  });

  it('a founding date moved later clears at once the months before it (re-checked back to the earlier date, in the same transaction)', async () => {
    await runCounty(db(), t.deps, COUNTY, 'full', { from: '2026-01-01' });
    expect((await problem('LIFE-5', t.fx.organBranch, '2026-03')).status).toBe('open');
    const res = await t.req('PATCH', `/api/orgs/${t.fx.organBranch}`, {
      cookie: admin,
      body: { foundedOn: '2026-10-20' },
    });
    expect(res.status, res.body).toBe(200);
    expect((await problem('LIFE-5', t.fx.organBranch, '2026-03')).status).toBe('cleared');
    expect((await problem('LIFE-5', t.fx.organBranch, '2026-11')).status).toBe('open');
  });

  it('a member’s full-member date corrected re-checks the months it reaches: six full members then, no committee to meet', async () => {
    // Village B1: 王五 and six more full members, a committee of three; no 支委会 in October.
    const m = await addMembers(t.fx.villageB1, 6, '2000-01-01', '乙一');
    for (const [i, p] of ['secretary', 'organizationMember', 'propagandaMember'].entries())
      await db().execute(
        sql`insert into org_posts (county_code, org_id, post, member_id, start_date) values (${COUNTY}, ${t.fx.villageB1}, ${p}, ${i === 0 ? t.fx.members.王五 : m[i]}, '2020-01-01')`,
      );
    await runCounty(db(), t.deps, COUNTY, 'full', { from: '2026-01-01' });
    expect((await problem('LIFE-2', t.fx.villageB1, '2026-10')).status).toBe('open');
    // 王五 became a full member only on 20 October (the record had 2011).
    const res = await t.req('PATCH', `/api/members/${t.fx.members.王五}`, {
      cookie: admin,
      body: { fullDate: '2026-10-20' },
    });
    expect(res.status, res.body).toBe(200);
    expect((await problem('LIFE-2', t.fx.villageB1, '2026-10')).status).toBe('cleared');
    expect((await problem('LIFE-2', t.fx.villageB1, '2026-11')).status).toBe('open');
  });

  it('a roster import that moves a full-member date re-checks the months it reaches, not only this month', async () => {
    // Continues the case above: the office's roster says 王五 became a full member in 2011 after all.
    const roster = (fullDate: string) =>
      rosterWorkbook(
        [['王五', t.fx.ids.王五, '中共乙一村支部委员会', '正式党员', '2010-07-01', fullDate]],
        ['姓名', '身份证号', '所在党支部', '党员类别', '入党时间', '转正时间'],
      );
    const back = await uploadRoster(t, admin, await roster('2011-07-01'), false);
    expect(back.json).toMatchObject({ ok: true, created: 0, updated: 1 });
    // Seven full members again in October: the month without a 支委会 reopens at once, with the import.
    expect((await problem('LIFE-2', t.fx.villageB1, '2026-10')).status).toBe('open');
    const again = await uploadRoster(t, admin, await roster('2026-10-20'), false);
    expect(again.json).toMatchObject({ ok: true, updated: 1 });
    expect((await problem('LIFE-2', t.fx.villageB1, '2026-10')).status).toBe('cleared');
  });
});

describe('dissolved and merged organizations', () => {
  it('a merged branch’s open problems close as 组织已合并, with the history kept, never as 已消除; its results are counted apart in the rates', async () => {
    await runCounty(db(), t.deps, COUNTY, 'full', { from: '2026-01-01' });
    const before = await problem('LIFE-5', t.fx.villageA2, '2026-10');
    expect(before.status).toBe('open');
    const compliance0 = await t.req('GET', `/api/compliance?orgId=${t.fx.townA}&kind=themedDay&year=2026`, {
      cookie: admin,
    });
    const oct0 = compliance0.json.total.find((c: { period: string }) => c.period === '2026-10');
    const res = await t.req('POST', `/api/orgs/${t.fx.villageA2}/merge`, {
      cookie: admin,
      body: { intoId: t.fx.villageA1, reason: '村庄合并' },
    });
    expect(res.status, res.body).toBe(200);
    const after = await problem('LIFE-5', t.fx.villageA2, '2026-10');
    expect(after.status).toBe('orgMerged');
    const open = await db().execute<{ n: number }>(
      sql`select count(*)::int as n from problems where county_code = ${COUNTY} and org_id = ${t.fx.villageA2} and status in ('open', 'upcoming', 'cleared')`,
    );
    expect(open.rows[0].n).toBe(0);
    const ev = await db().execute<{ to_status: string; message: string }>(
      sql`select to_status, message from problem_events where problem_id = ${before.id} order by at desc limit 1`,
    );
    expect(ev.rows[0]).toMatchObject({ to_status: 'orgMerged' });
    expect(ev.rows[0].message).toContain('组织已合并');
    // A later full run keeps them so, and the compliance rates count the merged branch apart.
    await runCounty(db(), t.deps, COUNTY, 'full', { from: '2026-01-01' });
    expect((await problem('LIFE-5', t.fx.villageA2, '2026-10')).status).toBe('orgMerged');
    const compliance = await t.req('GET', `/api/compliance?orgId=${t.fx.townA}&kind=themedDay&year=2026`, {
      cookie: admin,
    });
    const oct = compliance.json.total.find((c: { period: string }) => c.period === '2026-10');
    expect(oct.closed).toBe(1);
    expect(oct.required).toBe(oct0.required - 1);
    const list = await t.req('GET', `/api/problems?status=orgMerged&pageSize=200`, { cookie: admin });
    expect(list.json.items.some((p: { subjectId: string }) => p.subjectId === t.fx.villageA2)).toBe(true);
  });

  it('a dissolved branch’s problems close as 组织已撤销', async () => {
    const b = await addOrg(t.fx.townB, '中共乙五村支部委员会', 'branch', '2026-01-01');
    await runCounty(db(), t.deps, COUNTY, 'full', { from: '2026-01-01' });
    expect((await problem('LIFE-1', b, '2026-Q2')).status).toBe('open');
    const res = await t.req('POST', `/api/orgs/${b}/dissolve`, {
      cookie: admin,
      body: { reason: '单位撤销', date: '2026-12-01' },
    });
    expect(res.status, res.body).toBe(200);
    expect((await problem('LIFE-1', b, '2026-Q2')).status).toBe('orgDissolved');
    expect((await problem('LIFE-1', b, '2026-Q4')).status).toBe('orgDissolved');
  });
});

describe('a 党小组 moved and the talks of a past year, by the organization as it was', () => {
  const posts = async (orgId: string, rows: [string, string, string, string | null][]) => {
    for (const [p, m, from, to] of rows)
      await db().execute(
        sql`insert into org_posts (county_code, org_id, post, member_id, start_date, ended_on) values (${COUNTY}, ${orgId}, ${p}, ${m}, ${from}, ${to})`,
      );
  };

  it('a 党小组 moved to another branch in September counts with the branch it was under before: no 支委会 is asked of the new one for March', async () => {
    const x = await addOrg(t.fx.townB, '中共移出村支部委员会');
    const y = await addOrg(t.fx.townB, '中共移入村支部委员会');
    const g = await addOrg(x, '移出村第一党小组', 'partyGroup');
    const xm = await addMembers(x, 4, '2000-01-01', '移出');
    await addMembers(g, 3, '2000-01-01', '小组');
    const ym = await addMembers(y, 4, '2000-01-01', '移入');
    for (const [o, m] of [
      [x, xm],
      [y, ym],
    ] as const)
      await posts(o, [
        ['secretary', m[0], '2020-01-01', null],
        ['organizationMember', m[1], '2020-01-01', null],
        ['propagandaMember', m[2], '2020-01-01', null],
      ]);
    await runCounty(db(), t.deps, COUNTY, 'full', { from: '2026-01-01' });
    // Seven full members with the group: X is asked for its 支委会; Y, with four, is not.
    expect((await problem('LIFE-2', x, '2026-03')).status).toBe('open');
    expect(await problem('LIFE-2', y, '2026-03')).toBeUndefined();
    const moved = await t.req('POST', `/api/orgs/${g}/move`, {
      cookie: admin,
      body: { newParentId: y, reason: '党小组调整' },
    });
    expect(moved.status, moved.body).toBe(200);
    // The move is stamped by the database's clock; the case has it on 1 September.
    await db().execute(
      sql`update org_events set at = '2026-09-01T10:00:00+08:00' where county_code = ${COUNTY} and org_id = ${g} and kind = 'moved'`,
    );
    await runCounty(db(), t.deps, COUNTY, 'full', { from: '2026-01-01' });
    expect((await problem('LIFE-2', x, '2026-03')).status).toBe('open');
    expect(await problem('LIFE-2', y, '2026-03')).toBeUndefined();
    // From September the group is Y's: Y has seven, X four.
    expect((await problem('LIFE-2', y, '2026-10')).status).toBe('open');
    expect((await problem('LIFE-2', x, '2026-10')).status).toBe('cleared');
  });

  it('a 党员大会 before a 党小组 moved counts the voters of the tree that day: the branch it joined later is not short of a quorum, the one it left is', async () => {
    const v = await addOrg(t.fx.townB, '中共原属村支部委员会');
    const w = await addOrg(t.fx.townB, '中共现属村支部委员会');
    const g = await addOrg(v, '原属村第二党小组', 'partyGroup');
    const vm = await addMembers(v, 4, '2000-01-01', '原属');
    await addMembers(g, 4, '2000-01-01', '二组');
    const wm = await addMembers(w, 4, '2000-01-01', '现属');
    const moved = await t.req('POST', `/api/orgs/${g}/move`, {
      cookie: admin,
      body: { newParentId: w, reason: '党小组调整' },
    });
    expect(moved.status, moved.body).toBe(200);
    await db().execute(
      sql`update org_events set at = '2026-09-01T10:00:00+08:00' where county_code = ${COUNTY} and org_id = ${g} and kind = 'moved'`,
    );
    const meeting = (orgId: string, present: string[]) =>
      t.req('POST', '/api/meetings', {
        cookie: admin,
        body: {
          orgId,
          kind: 'branchMeeting',
          startsAt: '2026-06-10T09:00:00+08:00',
          chairMemberId: present[0],
          attendance: present.map((memberId) => ({ memberId, status: 'present' })),
          decisions: [{ tag: 'commendation', text: '表彰优秀党员' }],
        },
      });
    // In June the group was V's: W had four voters (3 present, enough), V eight (3 present, too few).
    const atW = await meeting(w, wm.slice(0, 3));
    expect(atW.status, atW.body).toBe(201);
    expect(atW.json.warnings.map((x: { code: string }) => x.code)).not.toContain('BRANCH_QUORUM_NOT_MET');
    expect(await problem('LIFE-1', atW.json.id, '2026-Q2')).toBeUndefined();
    const atV = await meeting(v, vm.slice(0, 3));
    expect(atV.status, atV.body).toBe(201);
    expect(atV.json.warnings.find((x: { code: string }) => x.code === 'BRANCH_QUORUM_NOT_MET')?.message).toContain(
      '不足应到 8 人的半数',
    );
    expect((await problem('LIFE-1', atV.json.id, '2026-Q2')).status).toBe('open');
  });

  it('a 总支’s 主题党日 counts for a branch that was under it that month, after the branch has moved out', async () => {
    const gb = await addOrg(t.fx.townB, '中共某某村党总支部委员会', 'generalBranch');
    const u = await addOrg(gb, '中共某某村第一支部委员会');
    await addMembers(u, 5, '2000-01-01', '第一支部');
    for (let m = 1; m <= 11; m++) {
      const day = `2026-${String(m).padStart(2, '0')}-10`;
      await db().execute(sql`insert into meetings (county_code, org_id, kind, starts_at, held_on, valid)
        values (${COUNTY}, ${gb}, 'themedDay', ${`${day}T09:00:00+08:00`}, ${day}, true)`);
    }
    await runCounty(db(), t.deps, COUNTY, 'full', { from: '2026-01-01' });
    expect((await problem('LIFE-5', u, '2026-03'))?.status ?? 'none').not.toBe('open');
    const moved = await t.req('POST', `/api/orgs/${u}/move`, {
      cookie: admin,
      body: { newParentId: t.fx.townB, reason: '调整隶属关系' },
    });
    expect(moved.status, moved.body).toBe(200);
    await db().execute(
      sql`update org_events set at = '2026-09-01T10:00:00+08:00' where county_code = ${COUNTY} and org_id = ${u} and kind = 'moved'`,
    );
    await runCounty(db(), t.deps, COUNTY, 'full', { from: '2026-01-01' });
    // March was the 总支's branch and its themed day counted; October, out of it, has none of its own.
    expect((await problem('LIFE-5', u, '2026-03'))?.status ?? 'none').not.toBe('open');
    expect((await problem('LIFE-5', u, '2026-10')).status).toBe('open');
  });

  it('LIFE-7 judges 2025 by the committee of 2025: a secretary replaced in February 2026 does not make last year’s talks incomplete', async () => {
    const z = await addOrg(t.fx.townB, '中共谈心村支部委员会');
    const [a, b, c, d] = await addMembers(z, 4, '2000-01-01', '谈心');
    await posts(z, [
      ['secretary', a, '2020-01-01', '2026-02-01'],
      ['secretary', b, '2026-02-01', null],
      ['organizationMember', c, '2020-01-01', null],
      ['propagandaMember', d, '2020-01-01', null],
    ]);
    // 2025: the committee A, C, D talked pairwise, and B, a member then, with A.
    for (const [chair, other, day] of [
      [a, c, '2025-03-01'],
      [a, d, '2025-04-01'],
      [c, d, '2025-05-01'],
      [a, b, '2025-06-01'],
    ])
      await db().execute(sql`insert into meetings (county_code, org_id, kind, starts_at, held_on, valid, chair_member_id, counterpart_member_id)
        values (${COUNTY}, ${z}, 'heartTalk', ${`${day}T09:00:00+08:00`}, ${day}, true, ${chair}, ${other})`);
    await runCounty(db(), t.deps, COUNTY, 'full', { from: '2025-01-01' });
    const r = await db().execute<{ required: number; held: number; ok: boolean }>(
      sql`select required, held, ok from rule_results where county_code = ${COUNTY} and rule_id = 'LIFE-7' and subject_id = ${z} and period = '2025'`,
    );
    expect(r.rows[0]).toMatchObject({ required: 4, held: 4, ok: true });
    expect((await problem('LIFE-7', z, '2025'))?.status ?? 'none').not.toBe('open');
  });
});
