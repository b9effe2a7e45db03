/**
 * Issue 16 §4: who a rule applies to — branches under 7 full members (第九条), LIFE-9's evidence and
 * the organization classes LIFE-9 and the secretary's 党课 apply to, MEM-4 and LIFE-7's exclusions,
 * the 党籍状态 recorded with its decision (MEM-3 closes honestly), the fixed day of 主题党日 (LIFE-5).
 */
import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCounty } from '../modules/problems/engine.ts';
import { putRuleSetting } from '../modules/problems/rule-settings.ts';
import { SAMPLES } from './file-samples.ts';
import { COUNTY, multipart, ORIGIN, setup, type TestCtx } from './harness.ts';

let t: TestCtx;
let admin: string;
const db = () => t.database.db;

function clockAt(local: string) {
  t.advance(Date.parse(`${local}+08:00`) - t.deps.now().getTime());
}

async function addOrg(parentId: string, name: string, kind = 'branch', field = 'rural'): Promise<string> {
  const id = crypto.randomUUID();
  await db().execute(sql`insert into orgs (id, county_code, parent_id, path, depth, name, kind, field, founded_on)
    select ${id}, county_code, id, path || ${`${id}/`}, depth + 1, ${name}, ${kind}, ${field}, '2000-01-01' from orgs where id = ${parentId}`);
  return id;
}

async function addMembers(orgId: string, n: number, prefix: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = await db().execute<{
      id: string;
    }>(sql`insert into members (county_code, org_id, name, name_pinyin, name_initials, sex, birth_date, standing, join_date, full_date, id_enc, id_bidx)
      values (${COUNTY}, ${orgId}, ${`${prefix}${i}`}, 'x', 'x', '1', '1980-01-01', 'full', '2000-01-01', '2001-01-01', 'x', ${`${orgId}-${i}`}) returning id`);
    await db().execute(
      sql`insert into member_org_history (county_code, member_id, org_id, org_name, from_date, reason) values (${COUNTY}, ${r.rows[0].id}, ${orgId}, 'x', '2000-01-01', '入党')`,
    );
    ids.push(r.rows[0].id);
  }
  return ids;
}

async function results(rule: string, subjectId: string, subjectType = 'org') {
  const r = await db().execute<{
    period: string;
    ok: boolean;
    held: number;
    required: number;
  }>(sql`select period, ok, held, required from rule_results
    where county_code = ${COUNTY} and rule_id = ${rule} and subject_id = ${subjectId} and subject_type = ${subjectType} order by period`);
  return r.rows;
}

async function problem(rule: string, subjectId: string, period: string, subjectType = 'org') {
  const r = await db().execute<{
    id: string;
    status: string;
    message: string;
  }>(sql`select id, status, message from problems
    where county_code = ${COUNTY} and rule_id = ${rule} and subject_id = ${subjectId} and period = ${period} and subject_type = ${subjectType}`);
  return r.rows[0];
}

const meeting = (body: Record<string, unknown>) =>
  // A topic for the kinds that need one (MEETING_KINDS_NEEDING_TOPIC); harmless for the others.
  t.req('POST', '/api/meetings', { cookie: admin, body: { attendance: [], topic: '学习党章', ...body } });

async function upload(meetingId: string, file: Buffer, name: string) {
  const mp = multipart(file, name);
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/meetings/${meetingId}/evidence`,
    headers: { cookie: admin, origin: ORIGIN, host: 'localhost:80', 'content-type': mp.type },
    payload: mp.body,
  });
  return res.statusCode;
}

beforeAll(async () => {
  t = await setup();
  clockAt('2026-12-20T10:00:00');
  admin = await t.login('admin');
});
afterAll(async () => t?.close());

describe('branches under 7 full members (第九条)', () => {
  it('a 5-member branch with 书记, 副书记 and 组织委员 is asked for no 支委会, and ORG-2 names the post it cannot have, on the card too', async () => {
    const b = await addOrg(t.fx.townB, '中共乙六村支部委员会');
    const m = await addMembers(b, 5, '乙六');
    for (const [i, p] of ['secretary', 'deputySecretary', 'organizationMember'].entries())
      await db().execute(
        sql`insert into org_posts (county_code, org_id, post, member_id, start_date) values (${COUNTY}, ${b}, ${p}, ${m[i]}, '2020-01-01')`,
      );
    await runCounty(db(), t.deps, COUNTY, 'full', { from: '2026-01-01' });
    expect(await results('LIFE-2', b)).toEqual([]);
    const p = await problem('ORG-2', b, '');
    expect(p).toMatchObject({
      status: 'open',
      message: '正式党员 5 名（不足 7 名），不设支部委员会，只设书记（必要时设副书记），登记的组织委员不应设置',
    });
    const card = await t.req('GET', `/api/orgs/${b}`, { cookie: admin });
    expect(card.json.warnings.map((w: { rule: string; message: string }) => `${w.rule} ${w.message}`)).toContain(
      `ORG-2 ${p.message}`,
    );
  });
});

describe('LIFE-9 and the secretary’s 党课: evidence and the organization classes they apply to', () => {
  it('a special meeting without a picture or video does not count, and the problem says so; a video uploaded makes it count at once', async () => {
    const ids: string[] = [];
    for (const day of ['2026-03-10', '2026-09-10']) {
      const res = await meeting({
        orgId: t.fx.townA,
        kind: 'specialMeeting',
        startsAt: `${day}T09:00:00+08:00`,
        chairName: '书记',
        topic: '研究基层党建',
      });
      expect(res.status, res.body).toBe(201);
      ids.push(res.json.id);
    }
    expect(await problem('LIFE-9', t.fx.townA, '2026')).toMatchObject({
      status: 'upcoming',
      message:
        '本年召开党建专题会议 2 次，均未计入（3月10日召开党建专题会议，未上传照片或视频；9月10日召开党建专题会议，未上传照片或视频），还差 2 次，剩余 12 天',
    });
    // A PDF is not a picture or a video: still not counted. A video is.
    expect(await upload(ids[0], SAMPLES.pdf, '会议纪要.pdf')).toBe(201);
    expect((await results('LIFE-9', t.fx.townA))[0]).toMatchObject({ held: 0 });
    expect(await upload(ids[0], SAMPLES.mp4, '会议视频.mp4')).toBe(201);
    expect((await results('LIFE-9', t.fx.townA))[0]).toMatchObject({ held: 1, required: 2 });
  });

  it('a village 党委 and a 总支 are held to neither by default; the county may add them', async () => {
    const village = await addOrg(t.fx.townB, '中共乙七村委员会', 'committee');
    const general = await addOrg(t.fx.townB, '中共乙镇机关总支部委员会', 'generalBranch', 'organ');
    const [vs] = await addMembers(await addOrg(village, '中共乙七村第一支部委员会'), 1, '乙七书记');
    const [gs] = await addMembers(
      await addOrg(general, '中共乙镇机关第一支部委员会', 'branch', 'organ'),
      1,
      '总支书记',
    );
    await db().execute(
      sql`insert into org_posts (county_code, org_id, post, member_id, start_date) values (${COUNTY}, ${village}, 'secretary', ${vs}, '2020-01-01'), (${COUNTY}, ${general}, 'secretary', ${gs}, '2020-01-01')`,
    );
    await runCounty(db(), t.deps, COUNTY, 'full', { from: '2026-01-01' });
    expect(await results('LIFE-9', village)).toEqual([]);
    expect(await results('LIFE-4', village, 'secretary')).toEqual([]);
    expect(await results('LIFE-4', general, 'secretary')).toEqual([]);
    // The township's own committee still is.
    expect((await results('LIFE-9', t.fx.townB)).length).toBe(1);
    const settings = await t.req('GET', '/api/settings/rules', { cookie: admin });
    const s = settings.json.find((x: { key: string }) => x.key === 'life.specialMeetingOrgClasses');
    expect(s).toMatchObject({ kind: 'orgClasses', default: 'committee,workingCommittee' });
    expect(s.options.villageCommittee).toBe('村（社区）党委');
    await putRuleSetting(
      db(),
      COUNTY,
      'life.specialMeetingOrgClasses',
      'committee,workingCommittee,villageCommittee',
      '2026-01-01',
      null,
    );
    await putRuleSetting(
      db(),
      COUNTY,
      'life.secretaryLectureOrgClasses',
      'committee,workingCommittee,generalBranch',
      '2026-01-01',
      null,
    );
    await runCounty(db(), t.deps, COUNTY, 'full', { from: '2026-01-01' });
    expect((await results('LIFE-9', village)).length).toBe(1);
    expect((await results('LIFE-4', general, 'secretary')).length).toBe(1);
    await db().execute(sql`delete from rule_settings where county_code = ${COUNTY}`);
  });
});

describe('MEM-4 and LIFE-7: who is left out', () => {
  it('MEM-4 clears when the member attends this month', async () => {
    await runCounty(db(), t.deps, COUNTY, 'full', { from: '2026-01-01' });
    expect((await problem('MEM-4', t.fx.members.赵六, '', 'member')).status).toBe('open');
    const res = await meeting({
      orgId: t.fx.organBranch,
      kind: 'themedDay',
      startsAt: '2026-12-05T09:00:00+08:00',
      attendance: [{ memberId: t.fx.members.赵六, status: 'present' }],
    });
    expect(res.status, res.body).toBe(201);
    expect((await problem('MEM-4', t.fx.members.赵六, '', 'member')).status).toBe('cleared');
  });

  it('flowing, lost-contact and suspended members are left out of MEM-4 and of the talks LIFE-7 asks for', async () => {
    const b = await addOrg(t.fx.townA, '中共甲四村支部委员会');
    const m = await addMembers(b, 5, '甲四');
    await db().execute(
      sql`insert into org_posts (county_code, org_id, post, member_id, start_date) values (${COUNTY}, ${b}, 'secretary', ${m[0]}, '2020-01-01')`,
    );
    await db().execute(sql`update members set mobile = true where id = ${m[1]}`);
    await db().execute(
      sql`update members set lost_contact = true, last_contact_date = '2026-11-01' where id = ${m[2]}`,
    );
    await db().execute(sql`update members set party_status = 'suspended' where id = ${m[3]}`);
    await runCounty(db(), t.deps, COUNTY, 'full', { from: '2026-01-01' });
    for (const x of [m[1], m[2], m[3]]) expect(await results('MEM-4', x, 'member'), x).toEqual([]);
    expect((await problem('MEM-4', m[4], '', 'member')).status).toBe('open');
    // LIFE-7: the secretary with the one member left (甲四4): one talk to have, not four.
    expect((await results('LIFE-7', b))[0]).toMatchObject({ required: 1 });
  });
});

describe('党籍状态 recorded with its decision (MEM-7), so MEM-3 closes honestly', () => {
  it('停止党籍 needs the 党员大会 decision; recorded with it, MEM-3 clears', async () => {
    await db().execute(
      sql`update members set lost_contact = true, last_contact_date = '2026-01-05' where id = ${t.fx.members.李四}`,
    );
    await runCounty(db(), t.deps, COUNTY, 'full', { from: '2026-01-01' });
    const p = await problem('MEM-3', t.fx.members.李四, '', 'member');
    expect(p).toMatchObject({
      status: 'open',
      message: '党员李四失联已超过 6 个月（最后联系 2026-01-05），应停止党籍',
    });
    const without = await t.req('PATCH', `/api/members/${t.fx.members.李四}`, {
      cookie: admin,
      body: { partyStatus: 'suspended' },
    });
    expect(without.status).toBe(400);
    expect(without.json.message).toContain('停止党籍');
    const mt = await meeting({
      orgId: t.fx.villageA2,
      kind: 'branchMeeting',
      startsAt: '2026-12-10T09:00:00+08:00',
      decisions: [
        { tag: 'membershipSuspension', memberId: t.fx.members.李四, text: '李四同志失去联系超过6个月，决定停止其党籍' },
      ],
    });
    expect(mt.status, mt.body).toBe(201);
    const detail = await t.req('GET', `/api/members/${t.fx.members.李四}`, { cookie: admin });
    expect(detail.json.statusDecisions).toHaveLength(1);
    const res = await t.req('PATCH', `/api/members/${t.fx.members.李四}`, {
      cookie: admin,
      body: { partyStatus: 'suspended', partyStatusDecisionId: detail.json.statusDecisions[0].id },
    });
    expect(res.status, res.body).toBe(200);
    expect(res.json).toMatchObject({
      partyStatus: 'suspended',
      partyStatusSince: '2026-12-10',
      partyStatusDecision: { meetingId: mt.json.id },
    });
    expect((await problem('MEM-3', t.fx.members.李四, '', 'member')).status).toBe('cleared');
  });
});

describe('LIFE-5: the organization’s fixed day of 主题党日', () => {
  it('a themed day held on another day gets a warning on the record, not a problem', async () => {
    const set = await t.req('PATCH', `/api/orgs/${t.fx.villageB1}`, { cookie: admin, body: { themedDay: 15 } });
    expect(set.status, set.body).toBe(200);
    expect(set.json.themedDay).toBe(15);
    const other = await meeting({ orgId: t.fx.villageB1, kind: 'themedDay', startsAt: '2026-11-20T09:00:00+08:00' });
    expect(other.json.warnings.map((w: { code: string }) => w.code)).toContain('THEMED_DAY_NOT_FIXED_DAY');
    expect(other.json.warnings.find((w: { code: string }) => w.code === 'THEMED_DAY_NOT_FIXED_DAY').message).toContain(
      '固定在每月 15 日，本次在 20 日开展',
    );
    expect((await problem('LIFE-5', t.fx.villageB1, '2026-11')).status).toBe('cleared');
    const same = await meeting({ orgId: t.fx.villageB1, kind: 'themedDay', startsAt: '2026-10-15T09:00:00+08:00' });
    expect(same.json.warnings.map((w: { code: string }) => w.code)).not.toContain('THEMED_DAY_NOT_FIXED_DAY');
  });
});
