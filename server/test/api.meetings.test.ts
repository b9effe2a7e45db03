/** Meetings, appraisal, talks and the ledger through the API (LIFE-1…LIFE-10, SEC-20). */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEETING_KINDS_NEEDING_TOPIC, MEETING_START_MARGIN_MINUTES } from '../../contract/labels.ts';
import { setup, type TestCtx } from './harness.ts';

let t: TestCtx;
let admin: string;
let seca1: string;
let M: Record<string, string>;

async function post(t: TestCtx, body: Record<string, unknown>, cookie = admin) {
  return t.req('POST', '/api/meetings', { cookie, body });
}

beforeAll(async () => {
  t = await setup();
  admin = await t.login('admin');
  seca1 = await t.login('seca1');
  M = t.fx.members;
  // Village A1's committee: 张三 secretary, 钱七 organization member, 张珊 propaganda member (3 people).
  const posts: [string, string][] = [
    ['secretary', t.fx.members.张三],
    ['organizationMember', t.fx.members.钱七],
    ['propagandaMember', t.fx.members.张珊],
  ];
  for (const [post, memberId] of posts) {
    await t.database.db.execute(
      sql`insert into org_posts (county_code, org_id, post, member_id, start_date) values ('410225', ${t.fx.villageA1}, ${post}, ${memberId}, '2020-01-01')`,
    );
  }
});
afterAll(async () => t?.close());

describe('meetings', () => {
  it('records a committee meeting with held_on in Shanghai time, LIFE-2 quorum and sanitized minutes', async () => {
    const res = await post(t, {
      orgId: t.fx.villageA1,
      kind: 'committeeMeeting',
      startsAt: '2026-03-31T17:30:00Z',
      chairMemberId: M.张三,
      topic: '研究发展党员',
      minutesHtml:
        '<p>会议<script>alert(1)</script><img src=x onerror=alert(1)><a href="javascript:alert(1)">纪要</a></p>',
      attendance: [
        { memberId: M.张三, status: 'present' },
        { memberId: M.钱七, status: 'absent' },
        { memberId: M.张珊, status: 'leave', reason: '外出' },
      ],
      decisions: [{ tag: 'admission', memberId: M.钱七, text: '同意接收为预备党员' }],
    });
    expect(res.status, res.body).toBe(201);
    const m = res.json;
    expect(m.heldOn).toBe('2026-04-01');
    // Named by id only: the record reads back with the chair's name.
    expect(m.chairName).toBe('张三');
    expect(m.committeeSize).toBe(3);
    expect(m.committeePresent).toBe(1);
    expect(m.valid).toBe(false);
    expect(m.warnings.map((w: { code: string }) => w.code)).toContain('QUORUM_NOT_MET');
    expect(m.warnings.find((w: { code: string }) => w.code === 'QUORUM_NOT_MET').message).toContain(
      '到会委员1人，不足应到3人的半数',
    );
    expect(m.warnings.map((w: { code: string }) => w.code)).not.toContain('CHAIR_NOT_SECRETARY');
    expect(m.minutesHtml).toBe('<p>会议纪要</p>');
    expect(m.attendance).toHaveLength(3);
    expect(m.decisions[0]).toMatchObject({ tag: 'admission', memberId: M.钱七, memberName: '钱七' });
    const att = await t.database.db.execute<{ held_on: string }>(
      sql`select to_char(held_on, 'YYYY-MM-DD') as held_on from meeting_attendance where meeting_id = ${m.id}`,
    );
    expect(att.rows.every((r) => r.held_on === '2026-04-01')).toBe(true);
    // Audit: the action is recorded with ids only.
    const audit = await t.database.db.execute<{ detail: Record<string, unknown> }>(
      sql`select detail from audit_log where action = 'meeting.create' and object_id = ${m.id}`,
    );
    expect(audit.rows).toHaveLength(1);
    expect(JSON.stringify(audit.rows[0].detail)).not.toContain('钱七');
  });

  it('a quorate committee meeting is valid; a chair other than the secretary without delegation is flagged', async () => {
    const res = await post(t, {
      orgId: t.fx.villageA1,
      kind: 'committeeMeeting',
      startsAt: '2026-05-10T09:00:00+08:00',
      chairMemberId: M.钱七,
      attendance: [
        { memberId: M.张三, status: 'present' },
        { memberId: M.钱七, status: 'present' },
      ],
    });
    expect(res.status, res.body).toBe(201);
    expect(res.json.valid).toBe(true);
    expect(res.json.warnings.map((w: { code: string }) => w.code)).toEqual(['CHAIR_NOT_SECRETARY']);
    const ok = await t.req('PATCH', `/api/meetings/${res.json.id}`, {
      cookie: admin,
      body: { version: res.json.version, chairDelegation: '书记外出学习，委托组织委员主持' },
    });
    expect(ok.status, ok.body).toBe(200);
    expect(ok.json.warnings).toEqual([]);
    expect(ok.json.version).toBe(res.json.version + 1);
  });

  it('refuses members of another organization, kinds the organization does not hold, and out-of-scope organizations', async () => {
    const outside = await post(t, {
      orgId: t.fx.villageA1,
      kind: 'branchMeeting',
      startsAt: '2026-04-02T09:00:00+08:00',
      attendance: [{ memberId: M.李四, status: 'present' }],
    });
    expect(outside.status).toBe(422);
    expect(outside.json.code).toBe('MEETING_MEMBER_OUTSIDE');
    const decision = await post(t, {
      orgId: t.fx.villageA1,
      kind: 'branchMeeting',
      startsAt: '2026-04-02T09:00:00+08:00',
      decisions: [{ tag: 'commendation', memberId: M.王五, text: '表彰' }],
    });
    expect(decision.json.code).toBe('MEETING_MEMBER_OUTSIDE');
    // A branch meeting may list the members of its Party groups.
    const group = await post(t, {
      orgId: t.fx.villageA1,
      kind: 'branchMeeting',
      startsAt: '2026-04-02T09:00:00+08:00',
      attendance: [{ memberId: M.张珊, status: 'present' }],
    });
    expect(group.status, group.body).toBe(201);
    // A township committee may list members of its whole subtree.
    const town = await post(t, {
      orgId: t.fx.townA,
      kind: 'specialMeeting',
      startsAt: '2026-04-03T09:00:00+08:00',
      topic: '研究基层党建工作',
      attendance: [{ memberId: M.李四, status: 'present' }],
    });
    expect(town.status, town.body).toBe(201);
    for (const [orgId, kind] of [
      [t.fx.villageA1, 'groupMeeting'],
      [t.fx.groupA1, 'branchMeeting'],
      [t.fx.villageA1, 'specialMeeting'],
      [t.fx.townA, 'themedDay'],
    ]) {
      const r = await post(t, { orgId, kind, startsAt: '2026-04-02T09:00:00+08:00' });
      expect(r.status, `${kind}: ${r.body}`).toBe(422);
      expect(r.json.code).toBe('MEETING_KIND_NOT_FOR_ORG');
    }
    const scope = await post(
      t,
      { orgId: t.fx.villageA2, kind: 'branchMeeting', startsAt: '2026-04-02T09:00:00+08:00' },
      seca1,
    );
    expect(scope.status).toBe(404);
    expect(scope.json.code).toBe('NOT_FOUND');
  });

  it('an old record stays editable after a member on it transfers; a new outsider is still refused', async () => {
    const m = await post(t, {
      orgId: t.fx.villageA2,
      kind: 'branchMeeting',
      startsAt: '2026-03-05T09:00:00+08:00',
      attendance: [{ memberId: M.李四, status: 'present' }],
    });
    expect(m.status, m.body).toBe(201);
    await t.database.db.execute(sql`update members set org_id = ${t.fx.villageB1} where id = ${M.李四}`);
    try {
      const edit = await t.req('PATCH', `/api/meetings/${m.json.id}`, {
        cookie: admin,
        body: { version: m.json.version, topic: '补记主题' },
      });
      expect(edit.status, edit.body).toBe(200);
      expect(edit.json.attendance.map((a: { memberId: string }) => a.memberId)).toEqual([M.李四]);
      const add = await t.req('PATCH', `/api/meetings/${m.json.id}`, {
        cookie: admin,
        body: {
          version: edit.json.version,
          attendance: [
            { memberId: M.李四, status: 'present' },
            { memberId: M.王五, status: 'present' },
          ],
        },
      });
      expect(add.status).toBe(422);
      expect(add.json.code).toBe('MEETING_MEMBER_OUTSIDE');
    } finally {
      await t.database.db.execute(sql`update members set org_id = ${t.fx.villageA2} where id = ${M.李四}`);
    }
  });

  it('refuses a meeting not yet held and a blank topic where the kind needs one (issue 18 §3)', async () => {
    const at = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();
    const base = { orgId: t.fx.villageA1, kind: 'committeeMeeting', attendance: [] };
    const later = await post(t, { ...base, startsAt: at(MEETING_START_MARGIN_MINUTES + 5) }, seca1);
    expect(later.status, later.body).toBe(422);
    expect(later.json.code).toBe('MEETING_NOT_YET_HELD');
    expect(later.json.details.fields[0].field).toBe('startsAt');
    expect(later.json.message).toContain('只能记录已经召开的会议');
    const nextYear = await post(t, { ...base, startsAt: '2099-03-01T09:00:00+08:00' }, seca1);
    expect(nextYear.json.code).toBe('MEETING_NOT_YET_HELD');
    // Recorded as it begins (a phone's clock a little ahead): within the margin.
    const starting = await post(t, { ...base, startsAt: at(MEETING_START_MARGIN_MINUTES - 5) }, seca1);
    expect(starting.status, starting.body).toBe(201);
    for (const kind of MEETING_KINDS_NEEDING_TOPIC) {
      const orgId = kind === 'specialMeeting' ? t.fx.townA : t.fx.villageA1;
      for (const topic of [undefined, '   ']) {
        const res = await post(t, { orgId, kind, startsAt: '2026-04-20T09:00:00+08:00', topic, attendance: [] });
        expect(res.status, `${kind} ${res.body}`).toBe(422);
        expect(res.json.code).toBe('MEETING_TOPIC_REQUIRED');
        expect(res.json.details.fields).toEqual([{ field: 'topic', message: expect.stringContaining('须填写主题') }]);
      }
    }
    // A 支委会 needs none; an edit is checked as the record will stand.
    const lecture = await post(t, { ...base, kind: 'partyLecture', startsAt: at(-60), topic: '党史' }, seca1);
    expect(lecture.status, lecture.body).toBe(201);
    const blanked = await t.req('PATCH', `/api/meetings/${lecture.json.id}`, {
      cookie: seca1,
      body: { version: lecture.json.version, topic: '' },
    });
    expect(blanked.json.code).toBe('MEETING_TOPIC_REQUIRED');
    const moved = await t.req('PATCH', `/api/meetings/${lecture.json.id}`, {
      cookie: seca1,
      body: { version: lecture.json.version, startsAt: at(120) },
    });
    expect(moved.json.code).toBe('MEETING_NOT_YET_HELD');
  });

  it('a draft sent twice makes one record', async () => {
    const clientId = randomUUID();
    const body = {
      orgId: t.fx.villageA1,
      kind: 'themedDay',
      startsAt: '2026-04-15T09:00:00+08:00',
      topic: '离线草稿',
      clientId,
    };
    const a = await post(t, body, seca1);
    const b = await post(t, body, seca1);
    expect(a.status, a.body).toBe(201);
    expect(b.status, b.body).toBe(200);
    expect(b.json.id).toBe(a.json.id);
    const n = await t.database.db.execute<{ n: number }>(
      sql`select count(*)::int as n from meetings where client_id = ${clientId}`,
    );
    expect(n.rows[0].n).toBe(1);
  });

  it('lists newest first within the scope; PATCH with a stale version is a conflict; DELETE hides the record', async () => {
    const a = await post(t, {
      orgId: t.fx.villageA2,
      kind: 'branchMeeting',
      startsAt: '2026-06-01T09:00:00+08:00',
      topic: '甲二村',
    });
    expect(a.status).toBe(201);
    const list = await t.req('GET', '/api/meetings?pageSize=100', { cookie: seca1 });
    expect(list.status).toBe(200);
    const items = list.json.items as { orgId: string; startsAt: string }[];
    expect(items.length).toBeGreaterThan(2);
    expect(items.every((i) => i.orgId === t.fx.villageA1)).toBe(true);
    expect([...items].sort((x, y) => y.startsAt.localeCompare(x.startsAt))).toEqual(items);
    const first = await t.req('PATCH', `/api/meetings/${a.json.id}`, {
      cookie: admin,
      body: { version: a.json.version, topic: '改过' },
    });
    expect(first.status, first.body).toBe(200);
    const stale = await t.req('PATCH', `/api/meetings/${a.json.id}`, {
      cookie: admin,
      body: { version: a.json.version, topic: '再改' },
    });
    expect(stale.status).toBe(409);
    expect(stale.json.code).toBe('CONFLICT');
    const del = await t.req('DELETE', `/api/meetings/${a.json.id}`, { cookie: admin });
    expect(del.status, del.body).toBe(200);
    const gone = await t.req('GET', `/api/meetings/${a.json.id}`, { cookie: admin });
    expect(gone.status).toBe(404);
    expect(gone.json.code).toBe('NOT_FOUND');
    const after = await t.req('GET', `/api/meetings?orgId=${t.fx.villageA2}`, { cookie: admin });
    expect(after.json.items.map((i: { id: string }) => i.id)).not.toContain(a.json.id);
    const row = await t.database.db.execute<{ deleted_by: string | null }>(
      sql`select deleted_by from meetings where id = ${a.json.id}`,
    );
    expect(row.rows[0].deleted_by).toBe(t.fx.users.admin);
    const actions = await t.database.db.execute<{ action: string }>(
      sql`select action from audit_log where object_id = ${a.json.id} order by seq`,
    );
    expect(actions.rows.map((r) => r.action)).toEqual(['meeting.create', 'meeting.update', 'meeting.delete']);
  });
});

describe('appraisal (LIFE-8)', () => {
  it('lists the members, upserts grades, requires a handling for 不合格, defaults the correction end, warns above the excellent share', async () => {
    const url = `/api/appraisals/${t.fx.villageA1}/2026`;
    const empty = await t.req('GET', url, { cookie: seca1 });
    expect(empty.status, empty.body).toBe(200);
    expect(empty.json.members.map((m: { name: string }) => m.name).sort()).toEqual(['张三', '张珊', '钱七'].sort());
    expect(empty.json.excellentLimit).toBeCloseTo(0.3334);
    const missing = await t.req('PUT', url, {
      cookie: seca1,
      body: { grades: [{ memberId: M.钱七, grade: 'unqualified' }] },
    });
    expect(missing.status).toBe(400);
    expect(missing.json.code).toBe('VALIDATION');
    expect(JSON.stringify(missing.json)).toContain('grades.0.handling');
    const outside = await t.req('PUT', url, {
      cookie: admin,
      body: { grades: [{ memberId: M.李四, grade: 'qualified' }] },
    });
    expect(outside.json.code).toBe('MEETING_MEMBER_OUTSIDE');
    const put = await t.req('PUT', url, {
      cookie: seca1,
      body: {
        grades: [
          { memberId: M.张三, grade: 'excellent' },
          { memberId: M.张珊, grade: 'excellent' },
          { memberId: M.钱七, grade: 'unqualified', handling: 'correct' },
        ],
      },
    });
    expect(put.status, put.body).toBe(200);
    const qian = put.json.members.find((m: { memberId: string }) => m.memberId === M.钱七);
    expect(qian.handling).toBe('correct');
    expect(qian.handlingEndsOn).toMatch(/^2027-/);
    expect(put.json.excellentShare).toBeCloseTo(2 / 3);
    expect(put.json.warnings.map((w: { code: string }) => w.code)).toContain('EXCELLENT_OVER_LIMIT');
    // Upsert: a second PUT changes the grade in place.
    const again = await t.req('PUT', url, {
      cookie: seca1,
      body: { grades: [{ memberId: M.张珊, grade: 'qualified' }] },
    });
    expect(again.json.warnings).toEqual([]);
    const n = await t.database.db.execute<{ n: number }>(
      sql`select count(*)::int as n from appraisal_grades where year = 2026`,
    );
    expect(n.rows[0].n).toBe(3);
    const audit = await t.database.db.execute<{ action: string; detail: unknown }>(
      sql`select action, detail from audit_log where action like 'appraisal.%' order by seq`,
    );
    expect(audit.rows.map((r) => r.action)).toEqual(['appraisal.grade', 'appraisal.handling', 'appraisal.grade']);
    expect(JSON.stringify(audit.rows.map((r) => r.detail))).not.toMatch(/张三|张珊|钱七/);
  });
});

describe('heart talks (LIFE-7)', () => {
  it('shows the committee, the talks in either direction and who was not talked to', async () => {
    const talk = await post(t, {
      orgId: t.fx.villageA1,
      kind: 'heartTalk',
      startsAt: '2026-02-01T09:00:00+08:00',
      chairMemberId: M.张珊,
      counterpartMemberId: M.张三,
    });
    expect(talk.status, talk.body).toBe(201);
    expect(talk.json.counterpartName).toBe('张三');
    const res = await t.req('GET', `/api/meetings/talks?orgId=${t.fx.villageA1}&year=2026`, { cookie: seca1 });
    expect(res.status, res.body).toBe(200);
    expect(res.json.committee.map((c: { post: string }) => c.post)).toEqual([
      'secretary',
      'organizationMember',
      'propagandaMember',
    ]);
    expect(res.json.talks).toEqual([{ fromId: M.张珊, toId: M.张三, meetingId: talk.json.id, heldOn: '2026-02-01' }]);
    expect(res.json.membersNotTalkedTo.map((m: { name: string }) => m.name)).toEqual(['钱七']);
  });
});

describe('ledger', () => {
  it('exports the year as xlsx with a title row and a row per record, and as docx with the organization name', async () => {
    const x = await t.app.inject({
      method: 'GET',
      url: `/api/meetings/ledger?orgId=${t.fx.villageA1}&year=2026&format=xlsx`,
      headers: { cookie: admin, host: 'localhost:80' },
    });
    expect(x.statusCode, x.body).toBe(200);
    expect(String(x.headers['content-disposition'])).toContain(
      encodeURIComponent('三会一课台账-中共甲一村支部委员会-2026.xlsx'),
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect(String(ws.getRow(1).getCell(1).value)).toBe('中共甲一村支部委员会 2026 年三会一课台账');
    expect(ws.getRow(2).getCell(1).value).toBe('日期');
    const kinds: string[] = [];
    ws.eachRow((row, n) => {
      if (n > 2 && /^\d{4}-/.test(String(row.getCell(1).value))) kinds.push(String(row.getCell(2).value));
    });
    expect(kinds).toContain('支委会');
    expect(kinds).toContain('谈心谈话');
    const quorumRow = ws.getRows(3, ws.rowCount - 2)?.find((r) => r.getCell(1).value === '2026-04-01');
    expect(quorumRow?.getCell(6).value).toBe('1/3');
    expect(quorumRow?.getCell(9).value).toContain('不计入');

    const d = await t.app.inject({
      method: 'GET',
      url: `/api/meetings/ledger?orgId=${t.fx.villageA1}&year=2026&format=docx`,
      headers: { cookie: admin, host: 'localhost:80' },
    });
    expect(d.statusCode).toBe(200);
    const buf = d.rawPayload;
    expect(buf.subarray(0, 2).toString('latin1')).toBe('PK');
    const { default: JSZip } = await import('jszip');
    const zip = await JSZip.loadAsync(buf);
    const xml = await zip.file('word/document.xml')?.async('string');
    expect(xml).toContain('中共甲一村支部委员会');
    expect(xml).toContain('第二季度');
    expect(xml).toContain('会议纪要');
    const audit = await t.database.db.execute<{ n: number }>(
      sql`select count(*)::int as n from audit_log where action = 'meeting.ledger.export'`,
    );
    expect(audit.rows[0].n).toBe(2);
  });
});

describe('people on a record are members the writer may read (issue 15 §5, SEC-4)', () => {
  const base = () => ({
    orgId: t.fx.villageA1,
    kind: 'partyLecture',
    startsAt: '2026-04-10T09:00:00+08:00',
    topic: '党课',
    attendance: [{ memberId: M.张三, status: 'present' }],
  });

  it('a branch secretary cannot name another township’s member as chair, recorder or lecturer, and learns no name', async () => {
    for (const field of ['chairMemberId', 'recorderMemberId', 'lecturerMemberId']) {
      const res = await post(t, { ...base(), [field]: M.王五 }, seca1);
      expect(res.status, field).toBe(422);
      expect(res.json.code).toBe('MEETING_PERSON_OUTSIDE');
      expect(res.json.details.fields[0].field).toBe(field);
      expect(res.body).not.toContain('王五');
    }
    const n = await t.database.db.execute<{ n: number }>(
      sql`select count(*)::int as n from meetings where lecturer_member_id = ${M.王五} or chair_member_id = ${M.王五} or recorder_member_id = ${M.王五}`,
    );
    expect(n.rows[0].n).toBe(0);
  });

  it('nor through a correction of its own record', async () => {
    const made = await post(t, { ...base(), lecturerMemberId: M.张三 }, seca1);
    expect(made.status, made.body).toBe(201);
    const res = await t.req('PATCH', `/api/meetings/${made.json.id}`, {
      cookie: seca1,
      body: { lecturerMemberId: M.王五, version: made.json.version },
    });
    expect(res.status).toBe(422);
    expect(res.json.code).toBe('MEETING_PERSON_OUTSIDE');
    expect(res.body).not.toContain('王五');
  });

  it('attendance from outside the organization is refused as before', async () => {
    const res = await post(t, { ...base(), attendance: [{ memberId: M.王五, status: 'present' }] }, seca1);
    expect(res.json.code).toBe('MEETING_MEMBER_OUTSIDE');
    expect(res.body).not.toContain('王五');
  });

  it('a record the county made with a lecturer from elsewhere shows the secretary no name it may not read', async () => {
    const made = await post(t, { ...base(), lecturerMemberId: M.王五 });
    expect(made.status, made.body).toBe(201);
    expect(made.body).toContain('王五');
    const seen = await t.req('GET', `/api/meetings/${made.json.id}`, { cookie: seca1 });
    expect(seen.status).toBe(200);
    expect(seen.body).not.toContain('王五');
    expect(seen.json.lecturerMemberId).toBe(M.王五);
    expect(seen.json.lecturerName).toBeNull();
  });
});
