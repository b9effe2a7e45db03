/** The rules engine against the database: each rule raises, reminds and clears; incremental re-checks; settings by effective date. */
import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { evaluateRules, periodsFrom, recheck, runCounty } from '../modules/problems/engine.ts';
import { loadRuleSettings, putRuleSetting } from '../modules/problems/rule-settings.ts';
import { COUNTY, setup, type TestCtx } from './harness.ts';

let t: TestCtx;
const db = () => t.database.db;

/** Move the app's clock to an Asia/Shanghai wall time. */
function clockAt(local: string) {
  t.advance(Date.parse(`${local}+08:00`) - t.deps.now().getTime());
}

async function meeting(
  orgId: string,
  kind: string,
  heldOn: string,
  extra: { valid?: boolean; chair?: string; counterpart?: string; lecturer?: string; rectification?: string } = {},
) {
  const r = await db().execute<{
    id: string;
  }>(sql`insert into meetings (county_code, org_id, kind, starts_at, held_on, valid, chair_member_id, counterpart_member_id, lecturer_member_id, rectification)
    values (${COUNTY}, ${orgId}, ${kind}, ${`${heldOn}T09:00:00+08:00`}, ${heldOn}, ${extra.valid ?? true}, ${extra.chair ?? null}, ${extra.counterpart ?? null}, ${extra.lecturer ?? null}, ${extra.rectification ?? null}) returning id`);
  return r.rows[0].id;
}

async function attend(
  meetingId: string,
  memberId: string,
  heldOn: string,
  status = 'present',
  reason: string | null = null,
) {
  await db().execute(
    sql`insert into meeting_attendance (county_code, meeting_id, member_id, status, reason, held_on) values (${COUNTY}, ${meetingId}, ${memberId}, ${status}, ${reason}, ${heldOn})`,
  );
}

async function problem(rule: string, subjectId: string, period: string, subjectType = 'org') {
  const r = await db().execute<{
    id: string;
    status: string;
    message: string;
    cleared_by: string;
    township_id: string | null;
  }>(sql`select id, status, message, cleared_by, township_id from problems
    where county_code = ${COUNTY} and rule_id = ${rule} and subject_id = ${subjectId} and period = ${period} and subject_type = ${subjectType}`);
  return r.rows[0];
}

async function result(rule: string, subjectId: string, period: string) {
  const r = await db().execute<{
    required: number;
    held: number;
    ok: boolean;
    ended: boolean;
    refs: string[];
  }>(sql`select required, held, ok, ended, refs from rule_results
    where county_code = ${COUNTY} and rule_id = ${rule} and subject_id = ${subjectId} and period = ${period}`);
  return r.rows[0];
}

const change = (orgId: string, dates: string[], memberIds?: string[]) =>
  db().transaction((tx) => recheck(tx, t.deps, { countyCode: COUNTY, orgId, dates, memberIds }));

/**
 * Each test on a database of its own: the county's fixtures, the clock at 2026-12-20 10:00 Shanghai
 * and one full run from 2026-01-01. No test leans on another's rows, so they pass in any order
 * (`--sequence.shuffle`).
 */
beforeEach(async () => {
  t = await setup();
  clockAt('2026-12-20T10:00:00');
  // villageA2 founded in the last month of Q3: Q3 is not required of it, Q4 is.
  await db().execute(sql`update orgs set founded_on = '2026-09-20' where id = ${t.fx.villageA2}`);
  await runCounty(db(), t.deps, COUNTY, 'full', { from: '2026-01-01' });
});
afterEach(async () => t?.close());

/** villageA1's committee: 张三 (secretary), 钱七 (since March) and 张珊. */
async function committeeOfVillageA1() {
  await db().execute(sql`insert into org_posts (county_code, org_id, post, member_id, start_date) values
    (${COUNTY}, ${t.fx.villageA1}, 'secretary', ${t.fx.members.张三}, '2020-01-01'), (${COUNTY}, ${t.fx.villageA1}, 'organizationMember', ${t.fx.members.钱七}, '2026-03-01'),
    (${COUNTY}, ${t.fx.villageA1}, 'propagandaMember', ${t.fx.members.张珊}, '2020-01-01')`);
}

describe('meeting counts (LIFE-1, 2, 3, 5, 9)', () => {
  it('a full run raises ended quarters as open and the running quarter as upcoming with the days left', async () => {
    const n = await runCounty(db(), t.deps, COUNTY, 'full', { from: '2026-01-01' });
    expect(n.checked).toBeGreaterThan(0);
    const q3 = await problem('LIFE-1', t.fx.villageA1, '2026-Q3');
    expect(q3).toMatchObject({
      status: 'open',
      message: '2026年第三季度未召开支部党员大会',
      cleared_by: '召开并记录一次支部党员大会（含考勤）',
      township_id: t.fx.townA,
    });
    const q4 = await problem('LIFE-1', t.fx.villageA1, '2026-Q4');
    expect(q4).toMatchObject({ status: 'upcoming', message: '本季度尚未召开支部党员大会，剩余 12 天' });
    expect((await result('LIFE-1', t.fx.villageA1, '2026-Q4')).ended).toBe(false);
    // LIFE-3 for the Party group, LIFE-5 monthly, LIFE-9 for committees (2 a year).
    expect((await problem('LIFE-3', t.fx.groupA1, '2026-11')).message).toBe('2026年11月未召开党小组会');
    expect((await problem('LIFE-5', t.fx.villageB1, '2026-02')).status).toBe('open');
    expect((await problem('LIFE-9', t.fx.townA, '2026')).status).toBe('upcoming');
    // A second full run changes nothing.
    const again = await runCounty(db(), t.deps, COUNTY, 'full', { from: '2026-01-01' });
    expect(again.opened).toBe(0);
    expect(again.cleared).toBe(0);
  });

  it('an organization founded in the last month of a quarter is not held to it', async () => {
    expect(await result('LIFE-1', t.fx.villageA2, '2026-Q3')).toBeUndefined();
    expect(await result('LIFE-1', t.fx.villageA2, '2026-Q4')).toBeDefined();
    expect(await result('LIFE-5', t.fx.villageA2, '2026-09')).toBeUndefined();
    expect(await result('LIFE-5', t.fx.villageA2, '2026-10')).toBeDefined();
  });

  it('a saved meeting clears its problem; deleting it reopens it, with three events in the history', async () => {
    // Held on the last day of the quarter: it counts for Q1.
    const id = await meeting(t.fx.villageA1, 'branchMeeting', '2026-03-31');
    await change(t.fx.villageA1, ['2026-03-31']);
    const p = await problem('LIFE-1', t.fx.villageA1, '2026-Q1');
    expect(p.status).toBe('cleared');
    expect((await result('LIFE-1', t.fx.villageA1, '2026-Q1')).refs).toEqual([id]);
    expect((await problem('LIFE-1', t.fx.villageA1, '2026-Q2')).status).toBe('open');
    await db().execute(sql`update meetings set deleted_at = now() where id = ${id}`);
    await change(t.fx.villageA1, ['2026-03-31']);
    expect((await problem('LIFE-1', t.fx.villageA1, '2026-Q1')).status).toBe('open');
    const ev = await db().execute<{ from_status: string | null; to_status: string; cause: string }>(
      sql`select from_status, to_status, cause from problem_events where problem_id = ${p.id} order by at, to_status`,
    );
    expect(ev.rows.map((e) => [e.from_status, e.to_status])).toEqual([
      [null, 'open'],
      ['open', 'cleared'],
      ['cleared', 'open'],
    ]);
    expect(ev.rows[1].cause).toBe('incremental');
  });

  it('a general branch’s meeting counts for the branches under it', async () => {
    const gb = await db().execute<{ id: string }>(
      sql`insert into orgs (county_code, parent_id, path, depth, name, kind, field, founded_on) select county_code, id, path, depth + 1, '甲镇机关总支', 'generalBranch', 'organ', '2000-01-01' from orgs where id = ${t.fx.townA} returning id`,
    );
    const gid = gb.rows[0].id;
    await db().execute(
      sql`update orgs set path = (select path from orgs where id = ${t.fx.townA}) || id || '/' where id = ${gid}`,
    );
    const br = await db().execute<{ id: string }>(
      sql`insert into orgs (county_code, parent_id, path, depth, name, kind, field, founded_on) select county_code, id, path, depth + 1, '甲镇机关第一支部', 'branch', 'organ', '2000-01-01' from orgs where id = ${gid} returning id`,
    );
    const bid = br.rows[0].id;
    await db().execute(
      sql`update orgs set path = (select path from orgs where id = ${gid}) || id || '/' where id = ${bid}`,
    );
    await meeting(gid, 'branchMeeting', '2026-05-06');
    await change(gid, ['2026-05-06']);
    expect((await result('LIFE-1', bid, '2026-Q2')).ok).toBe(true);
  });

  it('LIFE-2 applies to branches with 7 full members and a committee, and counts only meetings with the quorum', async () => {
    await committeeOfVillageA1();
    await change(t.fx.villageA1, ['2026-11-05']);
    // Two full members: a branch under seven has no committee to meet (第九条), whatever posts it registered.
    expect(await result('LIFE-2', t.fx.villageA1, '2026-11')).toBeUndefined();
    // 甲三村: seven full members, a committee of three.
    const town = (
      await db().execute<{ path: string; depth: number }>(sql`select path, depth from orgs where id = ${t.fx.townA}`)
    ).rows[0];
    const b = crypto.randomUUID();
    await db().execute(sql`insert into orgs (id, county_code, parent_id, path, depth, name, kind, field, founded_on)
      values (${b}, ${COUNTY}, ${t.fx.townA}, ${`${town.path}${b}/`}, ${town.depth + 1}, '中共甲三村支部委员会', 'branch', 'rural', '2000-01-01')`);
    const m: string[] = [];
    for (let i = 0; i < 7; i++) {
      const r = await db().execute<{
        id: string;
      }>(sql`insert into members (county_code, org_id, name, name_pinyin, name_initials, sex, birth_date, standing, join_date, full_date, id_enc, id_bidx)
        values (${COUNTY}, ${b}, ${`甲三${i}`}, 'x', 'x', '1', '1980-01-01', 'full', '2000-01-01', '2001-01-01', 'x', ${`a3-${i}`}) returning id`);
      await db().execute(
        sql`insert into member_org_history (county_code, member_id, org_id, org_name, from_date, reason) values (${COUNTY}, ${r.rows[0].id}, ${b}, 'x', '2000-01-01', '入党')`,
      );
      m.push(r.rows[0].id);
    }
    for (const [i, post] of ['secretary', 'organizationMember', 'propagandaMember'].entries())
      await db().execute(
        sql`insert into org_posts (county_code, org_id, post, member_id, start_date) values (${COUNTY}, ${b}, ${post}, ${m[i]}, '2020-01-01')`,
      );
    // One of three committee members present: held, but without the quorum (第十二条), so not counted; the message says so.
    const short = await meeting(b, 'committeeMeeting', '2026-11-05');
    await attend(short, m[0], '2026-11-05');
    await attend(short, m[1], '2026-11-05', 'leave', '外出');
    await change(b, ['2026-11-05']);
    expect(await result('LIFE-2', b, '2026-11')).toMatchObject({ held: 0, ok: false, ended: true });
    expect((await problem('LIFE-2', b, '2026-11')).message).toBe(
      '2026年11月召开支委会 1 次，均未计入：11月5日召开支委会，到会委员1人，不足应到3人的半数',
    );
    expect(await result('LIFE-2', t.fx.villageA2, '2026-11')).toBeUndefined();
    const full = await meeting(b, 'committeeMeeting', '2026-11-30');
    await attend(full, m[0], '2026-11-30');
    await attend(full, m[1], '2026-11-30');
    await change(b, ['2026-11-30']);
    expect(await result('LIFE-2', b, '2026-11')).toMatchObject({ held: 1, ok: true });
    expect((await problem('LIFE-2', b, '2026-11')).status).toBe('cleared');
  });

  it('a setting changed mid-year applies from the next period; earlier periods keep the old number', async () => {
    await putRuleSetting(db(), COUNTY, 'life.branchMeetingsPerQuarter', 2, '2026-08-15', null);
    await runCounty(db(), t.deps, COUNTY, 'full', { from: '2026-01-01' });
    expect((await result('LIFE-1', t.fx.villageB1, '2026-Q3')).required).toBe(1);
    expect((await result('LIFE-1', t.fx.villageB1, '2026-Q4')).required).toBe(2);
    await meeting(t.fx.villageB1, 'branchMeeting', '2026-10-08');
    await change(t.fx.villageB1, ['2026-10-08']);
    expect((await problem('LIFE-1', t.fx.villageB1, '2026-Q4')).message).toBe(
      '本季度支部党员大会已召开 1 次，还差 1 次，剩余 12 天',
    );
    await db().execute(sql`delete from rule_settings where county_code = ${COUNTY}`);
  });
});

describe('yearly rules (LIFE-4, 6, 7, 8)', () => {
  it('LIFE-6: reminds in December; a meeting without talks before it and rectification after it is not enough', async () => {
    expect((await problem('LIFE-6', t.fx.villageA1, '2026')).status).toBe('upcoming');
    const id = await meeting(t.fx.villageA1, 'lifeMeeting', '2026-12-10');
    await change(t.fx.villageA1, ['2026-12-10']);
    expect((await problem('LIFE-6', t.fx.villageA1, '2026')).message).toContain('谈心谈话尚未记录');
    await meeting(t.fx.villageA1, 'heartTalk', '2026-12-01', {
      chair: t.fx.members.张三,
      counterpart: t.fx.members.钱七,
    });
    await db().execute(sql`update meetings set rectification = '整改三项' where id = ${id}`);
    await change(t.fx.villageA1, ['2026-12-10']);
    expect((await result('LIFE-6', t.fx.villageA1, '2026')).ok).toBe(true);
    expect((await problem('LIFE-6', t.fx.villageA1, '2026')).status).toBe('cleared');
  });

  it('LIFE-7: every committee pair and every other member talked', async () => {
    // Committee 张三, 钱七, 张珊: three pairs; no other member in villageA1. One pair has talked.
    await committeeOfVillageA1();
    await meeting(t.fx.villageA1, 'heartTalk', '2026-12-01', {
      chair: t.fx.members.张三,
      counterpart: t.fx.members.钱七,
    });
    await change(t.fx.villageA1, ['2026-12-01']);
    const r = await result('LIFE-7', t.fx.villageA1, '2026');
    expect(r).toMatchObject({ required: 3, held: 1, ok: false });
    await meeting(t.fx.villageA1, 'heartTalk', '2026-06-01', {
      chair: t.fx.members.张珊,
      counterpart: t.fx.members.张三,
    });
    await meeting(t.fx.groupA1, 'heartTalk', '2026-06-02', {
      chair: t.fx.members.钱七,
      counterpart: t.fx.members.张珊,
    });
    await change(t.fx.villageA1, ['2026-06-01']);
    expect(await result('LIFE-7', t.fx.villageA1, '2026')).toMatchObject({ required: 3, held: 3, ok: true });
  });

  it('LIFE-4: a committee secretary’s lecture anywhere counts for the year', async () => {
    await db().execute(
      sql`insert into org_posts (county_code, org_id, post, member_id, start_date) values (${COUNTY}, ${t.fx.townB}, 'secretary', ${t.fx.members.王五}, '2020-01-01')`,
    );
    await change(t.fx.townB, ['2026-12-01']);
    expect((await problem('LIFE-4', t.fx.townB, '2026', 'secretary')).status).toBe('upcoming');
    await meeting(t.fx.villageB1, 'partyLecture', '2026-07-01', { lecturer: t.fx.members.王五 });
    await change(t.fx.villageB1, ['2026-07-01']);
    expect((await result('LIFE-4', t.fx.villageB1, '2026-Q3')).ok).toBe(true);
    expect((await problem('LIFE-4', t.fx.townB, '2026', 'secretary')).status).toBe('cleared');
  });

  it('LIFE-8: an appraisal, 优秀 within 1/3, every 不合格 handled, a 限期改正 past its end is reviewed', async () => {
    const g = async (member: string, grade: string, handling: string | null = null, ends: string | null = null) =>
      (
        await db().execute<{ id: string }>(
          sql`insert into appraisal_grades (county_code, org_id, member_id, year, grade, handling, handling_ends_on) values (${COUNTY}, ${t.fx.villageA1}, ${member}, 2025, ${grade}, ${handling}, ${ends}) returning id`,
        )
      ).rows[0].id;
    await g(t.fx.members.张三, 'excellent');
    await g(t.fx.members.张珊, 'excellent');
    const bad = await g(t.fx.members.钱七, 'unqualified');
    await runCounty(db(), t.deps, COUNTY, 'full', { from: '2025-01-01' });
    expect((await problem('LIFE-8', t.fx.villageA1, '2025')).message).toBe(
      '2025年民主评议优秀党员 2 名，超过参评党员 3 名的 1/3',
    );
    expect((await problem('LIFE-8', bad, '2025', 'grade')).message).toBe(
      '2025年民主评议不合格党员钱七尚无组织处置记录',
    );
    expect((await problem('LIFE-8', t.fx.villageB1, '2025')).message).toBe('2025年未开展民主评议党员');
    await db().execute(
      sql`update appraisal_grades set handling = 'correct', handling_ends_on = '2026-12-19' where id = ${bad}`,
    );
    await change(t.fx.villageA1, ['2025-12-31']);
    expect((await problem('LIFE-8', bad, '2025', 'grade')).message).toBe(
      '党员钱七限期改正期满（2026-12-19），应进行复评',
    );
    await db().execute(sql`update appraisal_grades set reviewed_on = '2026-12-20' where id = ${bad}`);
    await change(t.fx.villageA1, ['2025-12-31']);
    expect((await problem('LIFE-8', bad, '2025', 'grade')).status).toBe('cleared');
  });
});

describe('standing rules (ORG-2, 4, 5, 6) and members (MEM-3, 4)', () => {
  it('ORG-4: a term that ended yesterday is overdue, one ending today is a reminder', async () => {
    await db().execute(sql`update orgs set term_end = '2026-12-19' where id = ${t.fx.villageB1}`);
    await db().execute(sql`update orgs set term_end = '2026-12-20' where id = ${t.fx.villageA2}`);
    await runCounty(db(), t.deps, COUNTY, 'full', { from: '2026-01-01' });
    expect((await problem('ORG-4', t.fx.villageB1, '')).message).toBe(
      '届期已于 2026-12-19 届满（已超 1 天），应按期换届',
    );
    expect((await problem('ORG-4', t.fx.villageA2, '')).status).toBe('upcoming');
  });

  it('ORG-5 and ORG-6: a secretary long vacant; a secretary with less than a year of standing', async () => {
    await db().execute(
      sql`insert into org_posts (county_code, org_id, post, vacant_since) values (${COUNTY}, ${t.fx.villageA2}, 'secretary', '2026-09-19')`,
    );
    await db().execute(
      sql`insert into org_posts (county_code, org_id, post, vacant_since) values (${COUNTY}, ${t.fx.organBranch}, 'secretary', '2026-09-21')`,
    );
    await runCounty(db(), t.deps, COUNTY, 'full', { from: '2026-01-01' });
    expect((await problem('ORG-5', t.fx.villageA2, '')).message).toBe(
      '书记空缺已超过 3 个月（自 2026-09-19），属软弱涣散信号',
    );
    expect((await problem('ORG-5', t.fx.organBranch, '')).status).toBe('upcoming');
    // 钱七 is probationary; the township B secretary 王五 became full in 2011 and took the post in 2020.
    expect(await problem('ORG-6', t.fx.townB, '')).toBeUndefined();
    await db().execute(
      sql`update org_posts set member_id = ${t.fx.members.钱七}, vacant_since = null, start_date = '2026-10-01' where org_id = ${t.fx.villageA2}`,
    );
    await runCounty(db(), t.deps, COUNTY, 'full', { from: '2026-01-01' });
    expect((await problem('ORG-6', t.fx.villageA2, '')).message).toContain('预备党员');
    expect((await problem('ORG-5', t.fx.villageA2, '')).status).toBe('cleared');
  });

  it('ORG-2: seven full members need a committee', async () => {
    for (let i = 0; i < 7; i++) {
      await db().execute(sql`insert into members (county_code, org_id, name, name_pinyin, name_initials, sex, birth_date, standing, join_date, full_date, id_enc, id_bidx)
        values (${COUNTY}, ${t.fx.organBranch}, ${`党员${i}`}, 'x', 'x', '1', '1980-01-01', 'full', '2000-01-01', '2001-01-01', 'x', ${`bidx${i}`})`);
    }
    await runCounty(db(), t.deps, COUNTY, 'full', { from: '2026-01-01' });
    expect((await problem('ORG-2', t.fx.organBranch, '')).message).toBe(
      '正式党员 8 名（≥7），应设支部委员会（3–5 人），现有委员 0 人',
    );
  });

  it('MEM-3: lost contact over 6 months → 停止党籍; 2 years after the recorded 停止党籍 → 除名', async () => {
    await db().execute(
      sql`update members set lost_contact = true, last_contact_date = '2026-06-19' where id = ${t.fx.members.李四}`,
    );
    // 王五: 党籍 stopped on 2024-06-01 by a recorded decision; two years on, still out of contact.
    await db().execute(
      sql`update members set lost_contact = true, last_contact_date = '2023-11-19', party_status = 'suspended', party_status_since = '2024-06-01' where id = ${t.fx.members.王五}`,
    );
    await db().execute(
      sql`update members set lost_contact = true, last_contact_date = '2026-06-20' where id = ${t.fx.members.赵六}`,
    );
    await runCounty(db(), t.deps, COUNTY, 'full', { from: '2026-01-01' });
    expect((await problem('MEM-3', t.fx.members.李四, '', 'member')).message).toBe(
      '党员李四失联已超过 6 个月（最后联系 2026-06-19），应停止党籍',
    );
    expect((await problem('MEM-3', t.fx.members.王五, '', 'member')).message).toContain('应按自行脱党予以除名');
    expect((await problem('MEM-3', t.fx.members.赵六, '', 'member')).status).toBe('upcoming');
  });

  it('MEM-4: six full months without organizational life, unless present or on leave with a reason', async () => {
    const p = await problem('MEM-4', t.fx.members.张三, '', 'member');
    expect(p.message).toBe('党员张三连续 6 个月（2026年6月至11月）未参加组织生活');
    expect(p.status).toBe('open');
    // 张珊 sits in the Party group: a leave with a reason counts.
    const m = await meeting(t.fx.groupA1, 'groupMeeting', '2026-08-03');
    await attend(m, t.fx.members.张珊, '2026-08-03', 'leave', '外出务工');
    await attend(m, t.fx.members.张三, '2026-08-03', 'leave', '');
    await change(t.fx.groupA1, ['2026-08-03'], [t.fx.members.张珊, t.fx.members.张三]);
    expect((await problem('MEM-4', t.fx.members.张珊, '', 'member')).status).toBe('cleared');
    expect((await problem('MEM-4', t.fx.members.张三, '', 'member')).status).toBe('open');
    // 钱七 joined on 2026-03-01, before the window (June): counted.
    expect((await problem('MEM-4', t.fx.members.钱七, '', 'member')).status).toBe('open');
  });
});

describe('runs', () => {
  it('refuses a second run of the county while one is running', async () => {
    await db().execute(
      sql`insert into rule_runs (county_code, kind, status, started_at) values (${COUNTY}, 'full', 'running', ${t.deps.now().toISOString()})`,
    );
    await expect(runCounty(db(), t.deps, COUNTY, 'full')).rejects.toMatchObject({ code: 'RULE_RUN_BUSY' });
    await db().execute(sql`delete from rule_runs where status = 'running'`);
  });

  it('a full run for a year on a county of ~300 organizations and its incremental re-check (timings reported)', async () => {
    const town = (
      await db().execute<{ path: string; depth: number }>(sql`select path, depth from orgs where id = ${t.fx.townB}`)
    ).rows[0];
    await db().execute(sql`with n as (select gen_random_uuid() as id, g from generate_series(1, 300) g)
      insert into orgs (id, county_code, parent_id, path, depth, name, kind, field, founded_on) select n.id, ${COUNTY}, ${t.fx.townB}, ${town.path} || n.id || '/', ${town.depth + 1}, '测试支部' || g, 'branch', 'rural', '2000-01-01' from n`);
    await db().execute(sql`insert into meetings (county_code, org_id, kind, starts_at, held_on)
      select ${COUNTY}, o.id, k, d::timestamptz, d::date from orgs o, unnest(array['branchMeeting', 'themedDay', 'partyLecture']) k, generate_series('2025-01-05'::date, '2026-12-05'::date, interval '1 month') d
      where o.county_code = ${COUNTY} and o.name like '测试支部%'`);
    const t0 = performance.now();
    const n = await runCounty(db(), t.deps, COUNTY, 'full', { from: '2025-01-01' });
    const full = performance.now() - t0;
    const t1 = performance.now();
    await change(t.fx.villageA1, ['2026-12-01']);
    const inc = performance.now() - t1;
    console.log(`full run: ${Math.round(full)} ms for ${n.checked} results; recheck: ${inc.toFixed(1)} ms`);
    expect(n.checked).toBeGreaterThan(300 * 24);
  }, 120_000);

  it('evaluates an empty set of periods without writing anything', async () => {
    const settings = await loadRuleSettings(db(), COUNTY);
    const n = await db().transaction((tx) =>
      evaluateRules(
        tx,
        {
          county: COUNTY,
          today: '2026-12-20',
          settings,
          periods: periodsFrom('2027-01-01', '2026-12-20'),
          orgIds: [],
          memberIds: [],
        },
        [],
        'full',
        new Date(),
      ),
    );
    expect(n.checked).toBe(0);
  });
});
