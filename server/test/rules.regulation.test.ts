/**
 * Issue 16 §1 and §2: quorum as the regulation words it (第十一条, 第十二条), and problems that say
 * what happened, with the records they counted and did not, and rule texts that quote the article.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCounty } from '../modules/problems/engine.ts';
import { putRuleSetting } from '../modules/problems/rule-settings.ts';
import { COUNTY, setup, type TestCtx } from './harness.ts';

let t: TestCtx;
let admin: string;
const db = () => t.database.db;
/** Village B1's committee of four: 王五 (secretary) and three members added here. */
const B: Record<string, string> = {};

function clockAt(local: string) {
  t.advance(Date.parse(`${local}+08:00`) - t.deps.now().getTime());
}

async function addMember(orgId: string, name: string, standing = 'full', partyStatus = 'normal'): Promise<string> {
  const r = await db().execute<{
    id: string;
  }>(sql`insert into members (county_code, org_id, name, name_pinyin, name_initials, sex, birth_date, standing, join_date, full_date, party_status, id_enc, id_bidx)
    values (${COUNTY}, ${orgId}, ${name}, 'x', 'x', '1', '1980-01-01', ${standing}, '2015-01-01', ${standing === 'full' ? '2016-01-01' : null}, ${partyStatus}, 'x', ${`reg-${name}`}) returning id`);
  await db().execute(
    sql`insert into member_org_history (county_code, member_id, org_id, org_name, from_date, reason) values (${COUNTY}, ${r.rows[0].id}, ${orgId}, 'x', '2015-01-01', '入党')`,
  );
  return r.rows[0].id;
}

const post = (body: Record<string, unknown>) =>
  t.req('POST', '/api/meetings', { cookie: admin, body: { attendance: [], ...body } });
const codes = (m: { warnings: { code: string }[] }) => m.warnings.map((w) => w.code);

async function problem(rule: string, subjectId: string, period: string, subjectType = 'org') {
  const r = await db().execute<{
    id: string;
    status: string;
    message: string;
  }>(sql`select id, status, message from problems
    where county_code = ${COUNTY} and rule_id = ${rule} and subject_id = ${subjectId} and period = ${period} and subject_type = ${subjectType}`);
  return r.rows[0];
}

beforeAll(async () => {
  t = await setup();
  clockAt('2026-12-20T10:00:00');
  admin = await t.login('admin');
  // Village B1 grows to eight full members with a committee of four elected in 2020.
  B.王五 = t.fx.members.王五;
  for (const n of ['周一', '吴二', '郑三', '冯四', '陈五', '褚六', '卫七']) B[n] = await addMember(t.fx.villageB1, n);
  for (const [p, m] of [
    ['secretary', B.王五],
    ['organizationMember', B.周一],
    ['propagandaMember', B.吴二],
    ['disciplineMember', B.郑三],
  ])
    await db().execute(
      sql`insert into org_posts (county_code, org_id, post, member_id, start_date) values (${COUNTY}, ${t.fx.villageB1}, ${p}, ${m}, '2020-01-01')`,
    );
  await runCounty(db(), t.deps, COUNTY, 'full', { from: '2026-01-01' });
});
afterAll(async () => t?.close());

describe('§1 quorum as the regulation words it', () => {
  it('LIFE-2: 2 of 4 committee members is “半数以上委员到会” (以上 includes the number): the meeting counts and the record has no quorum warning', async () => {
    const res = await post({
      orgId: t.fx.villageB1,
      kind: 'committeeMeeting',
      startsAt: '2026-10-08T09:00:00+08:00',
      chairMemberId: B.王五,
      attendance: [
        { memberId: B.王五, status: 'present' },
        { memberId: B.周一, status: 'present' },
        { memberId: B.吴二, status: 'leave', reason: '外出' },
        { memberId: B.郑三, status: 'absent' },
      ],
    });
    expect(res.status, res.body).toBe(201);
    expect(res.json).toMatchObject({ committeeSize: 4, committeePresent: 2, valid: true });
    expect(codes(res.json)).not.toContain('QUORUM_NOT_MET');
    expect((await problem('LIFE-2', t.fx.villageB1, '2026-10')).status).toBe('cleared');
  });

  it('the reading is a county setting, its description naming 第十二条; “超过半数” from a date on makes 2 of 4 too few', async () => {
    const list = await t.req('GET', '/api/settings/rules', { cookie: admin });
    const s = list.json.find((x: { key: string }) => x.key === 'life.committeeQuorum');
    expect(s).toMatchObject({ rule: 'LIFE-2', kind: 'choice', default: 'atLeastHalf', current: 'atLeastHalf' });
    expect(s.description).toContain('第十二条');
    expect(Object.keys(s.options)).toEqual(['atLeastHalf', 'moreThanHalf']);
    await putRuleSetting(db(), COUNTY, 'life.committeeQuorum', 'moreThanHalf', '2026-10-01', null);
    await runCounty(db(), t.deps, COUNTY, 'full', { from: '2026-01-01' });
    const p = await problem('LIFE-2', t.fx.villageB1, '2026-10');
    expect(p.status).toBe('open');
    expect(p.message).toBe('2026年10月召开支委会 1 次，均未计入：10月8日召开支委会，到会委员2人，未超过应到4人的半数');
    await db().execute(sql`delete from rule_settings where county_code = ${COUNTY} and key = 'life.committeeQuorum'`);
    await runCounty(db(), t.deps, COUNTY, 'full', { from: '2026-01-01' });
    expect((await problem('LIFE-2', t.fx.villageB1, '2026-10')).status).toBe('cleared');
  });

  it('LIFE-1: a 党员大会 deciding on admission needs half of the members with a vote; 预备党员 and suspended members are not in the base', async () => {
    const probationary = await addMember(t.fx.villageB1, '蒋八', 'probationary');
    const suspended = await addMember(t.fx.villageB1, '沈九', 'full', 'suspended');
    // Present: four people, but of the eight with a vote only 王五, 周一 and 吴二 (3 of 8).
    const res = await post({
      orgId: t.fx.villageB1,
      kind: 'branchMeeting',
      startsAt: '2026-11-10T09:00:00+08:00',
      chairMemberId: B.王五,
      attendance: [B.王五, B.周一, B.吴二, probationary, suspended].map((memberId) => ({
        memberId,
        status: 'present',
      })),
      decisions: [{ tag: 'admission', text: '讨论接收预备党员' }],
    });
    expect(res.status, res.body).toBe(201);
    expect(codes(res.json)).toContain('BRANCH_QUORUM_NOT_MET');
    expect(res.json.warnings.find((w: { code: string }) => w.code === 'BRANCH_QUORUM_NOT_MET').message).toContain(
      '到会有表决权的党员 3 人，不足应到 8 人的半数',
    );
    const p = await problem('LIFE-1', res.json.id, '2026-Q4', 'meeting');
    expect(p).toMatchObject({
      status: 'open',
      message:
        '2026年11月10日召开的支部党员大会作出接收预备党员的决定，到会有表决权的党员3人，不足应到8人的半数，不能进行表决',
    });
    // The attendance corrected: 郑三 was there too (4 of 8, half): the problem clears and the record has no warning.
    const fixed = await t.req('PATCH', `/api/meetings/${res.json.id}`, {
      cookie: admin,
      body: {
        version: res.json.version,
        attendance: [B.王五, B.周一, B.吴二, B.郑三, probationary, suspended].map((memberId) => ({
          memberId,
          status: 'present',
        })),
      },
    });
    expect(fixed.status, fixed.body).toBe(200);
    expect(codes(fixed.json)).not.toContain('BRANCH_QUORUM_NOT_MET');
    expect((await problem('LIFE-1', res.json.id, '2026-Q4', 'meeting')).status).toBe('cleared');
  });

  it('a 支委会 recording what belongs to the 党员大会 (admission, 转正, discipline) gets a warning on the record', async () => {
    const res = await post({
      orgId: t.fx.villageB1,
      kind: 'committeeMeeting',
      startsAt: '2026-11-12T09:00:00+08:00',
      chairMemberId: B.王五,
      attendance: [B.王五, B.周一, B.吴二].map((memberId) => ({ memberId, status: 'present' })),
      decisions: [
        { tag: 'fullMembership', memberId: B.卫七, text: '同意转为正式党员' },
        { tag: 'other', text: '研究本月工作' },
      ],
    });
    expect(res.status, res.body).toBe(201);
    expect(codes(res.json)).toEqual(['DECISION_FOR_BRANCH_MEETING']);
    expect(res.json.warnings[0].message).toContain('预备党员转正应由支部党员大会讨论决定');
  });

  it('LIFE-1: a member under 留党察看 on the meeting’s date has no vote (党章第四十条): recorded with its decision, audited, the base shrinks at once', async () => {
    const meeting = async (day: string) => {
      const res = await post({
        orgId: t.fx.villageB1,
        kind: 'branchMeeting',
        startsAt: `${day}T09:00:00+08:00`,
        chairMemberId: B.王五,
        attendance: [B.王五, B.周一, B.吴二, B.郑三].map((memberId) => ({ memberId, status: 'present' })),
        decisions: [{ tag: 'commendation', text: '表彰优秀党员' }],
      });
      expect(res.status, res.body).toBe(201);
      return res.json;
    };
    // 4 of the 8 with a vote: half, the meeting may vote.
    const held = await meeting('2026-12-05');
    expect(codes(held)).not.toContain('BRANCH_QUORUM_NOT_MET');
    expect(await problem('LIFE-1', held.id, '2026-Q4', 'meeting')).toBeUndefined();
    const patch = (body: Record<string, unknown>) => t.req('PATCH', `/api/members/${B.王五}`, { cookie: admin, body });
    // More than two years, or ending before it starts: refused in Chinese, naming the field.
    const long = await patch({
      partyProbation: {
        from: '2026-07-01',
        until: '2028-07-02',
        decidedBy: '某某村党支部党员大会',
        decidedOn: '2026-07-01',
      },
    });
    expect(long.status, long.body).toBe(400);
    expect(long.body).toContain('最长不超过二年');
    // 王五 (a member with a real record) under 留党察看 since 1 July: on 5 December 3 of 7 with a vote were present, too few.
    const rec = await patch({
      partyProbation: {
        from: '2026-07-01',
        until: '2027-07-01',
        decidedBy: '某某村党支部党员大会决定，某某镇党委批准',
        decidedOn: '2026-06-28',
      },
    });
    expect(rec.status, rec.body).toBe(200);
    expect((await problem('LIFE-1', held.id, '2026-Q4', 'meeting')).message).toContain(
      '到会有表决权的党员3人，不足应到7人的半数',
    );
    const again = await meeting('2026-12-08');
    expect(again.warnings.find((w: { code: string }) => w.code === 'BRANCH_QUORUM_NOT_MET').message).toContain(
      '到会有表决权的党员 3 人，不足应到 7 人的半数',
    );
    const detail = await t.req('GET', `/api/members/${B.王五}`, { cookie: admin });
    expect(detail.json.partyProbation).toMatchObject({ from: '2026-07-01', until: '2027-07-01', current: true });
    const audit = await db().execute<{ detail: { fields: string[] } }>(
      sql`select detail from audit_log where action = 'member.update' and object_id = ${B.王五} order by seq desc limit 1`,
    );
    expect(audit.rows[0].detail.fields).toContain('partyProbation');
    // A 留党察看 that ended before the meeting takes no vote away: the record corrected, both clear.
    const ended = await patch({
      partyProbation: { from: '2025-01-01', until: '2026-01-01', decidedBy: '某某镇纪委', decidedOn: '2025-01-01' },
    });
    expect(ended.status, ended.body).toBe(200);
    expect((await problem('LIFE-1', held.id, '2026-Q4', 'meeting')).status).toBe('cleared');
    expect((await problem('LIFE-1', again.id, '2026-Q4', 'meeting')).status).toBe('cleared');
  });
});

describe('§2 say what happened', () => {
  it('a 支委会 held without a quorum is reported as held, with the numbers; the problem lists each record, counted or not and why', async () => {
    const short = await post({
      orgId: t.fx.villageB1,
      kind: 'committeeMeeting',
      startsAt: '2026-09-08T09:00:00+08:00',
      chairMemberId: B.王五,
      attendance: [{ memberId: B.王五, status: 'present' }],
    });
    expect(short.status, short.body).toBe(201);
    const p = await problem('LIFE-2', t.fx.villageB1, '2026-09');
    expect(p.message).toBe('2026年9月召开支委会 1 次，均未计入：9月8日召开支委会，到会委员1人，不足应到4人的半数');
    expect(p.message).not.toContain('未召开');
    const detail = await t.req('GET', `/api/problems/${p.id}`, { cookie: admin });
    expect(detail.json.records).toEqual([
      {
        meetingId: short.json.id,
        heldOn: '2026-09-08',
        kind: 'committeeMeeting',
        counted: false,
        note: '到会委员1人，不足应到4人的半数',
      },
    ]);
    // A second, quorate one the same month: counted, listed beside the first; the problem clears.
    const ok = await post({
      orgId: t.fx.villageB1,
      kind: 'committeeMeeting',
      startsAt: '2026-09-20T09:00:00+08:00',
      chairMemberId: B.王五,
      attendance: [B.王五, B.周一, B.吴二].map((memberId) => ({ memberId, status: 'present' })),
    });
    const after = await t.req('GET', `/api/problems/${p.id}`, { cookie: admin });
    expect(after.json.status).toBe('cleared');
    expect(after.json.records.map((r: { meetingId: string; counted: boolean }) => [r.meetingId, r.counted])).toEqual([
      [short.json.id, false],
      [ok.json.id, true],
    ]);
  });

  it('rule texts quote the regulation and cite the article; LIFE-4 no longer says the 条例 wants a 党课 each quarter', async () => {
    const rules = await t.req('GET', '/api/problems/rules', { cookie: admin });
    const byId = (id: string) => rules.json.find((r: { id: string }) => r.id === id);
    expect(byId('LIFE-2').text).toContain('党支部委员会会议须有半数以上委员到会方可进行');
    expect(byId('LIFE-2').text).not.toContain('超过半数');
    expect(byId('LIFE-2').article).toBe('《中国共产党支部工作条例（试行）》第十二条');
    expect(byId('LIFE-1').article).toBe('《中国共产党支部工作条例（试行）》第十一条');
    expect(byId('LIFE-4').text).toBe('党员领导干部应当定期为基层党员讲党课，党委（党组）书记每年至少讲1次党课。');
    expect(byId('LIFE-4').text).not.toContain('每季度');
    expect(byId('LIFE-4').article).toBe('《中国共产党支部工作条例（试行）》第十五条');
    expect(byId('LIFE-4').countyRule).toContain('本县');
    expect(byId('LIFE-4').countyRule).toContain('每季度');
    for (const r of rules.json) expect(r.article, r.id).toMatch(/《.+》|本县/);
    // Each rule of organizational life names the 条例's article, or says plainly that the number is not confirmed: a chapter alone reads as a citation.
    for (const r of rules.json)
      if (r.id.startsWith('LIFE-') && r.article.includes('支部工作条例'))
        expect(r.article, r.id).toMatch(/第[一二三四五六七八九十]+条|条号待核/);
    for (const id of ['LIFE-5', 'LIFE-6', 'LIFE-7', 'LIFE-8']) expect(byId(id).article, id).toContain('条号待核');
    // The problem page carries the text, the article and the county's own part.
    const lecture = await t.req('GET', `/api/problems?rule=LIFE-4&status=open&pageSize=1`, { cookie: admin });
    const d = await t.req('GET', `/api/problems/${lecture.json.items[0].id}`, { cookie: admin });
    expect(d.json).toMatchObject({ ruleSource: '《中国共产党支部工作条例（试行）》第十五条' });
    expect(d.json.ruleCountyRule).toContain('每季度');
  });
});
