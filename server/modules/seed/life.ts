/**
 * Organizational life for the demo county (issue 8 "Demo data"): the last `months` months of
 * 三会一课, themed days, life meetings, appraisals, talks and committees' special meetings, realistic
 * and with gaps — most branches keep to the rules, some miss meetings, some committee meetings lack a
 * quorum, a few lectures are given by someone other than the secretary — so every view of the rules
 * engine has something true to show on first start. Pure and deterministic like plan.ts: the same
 * plan and `today` give the same records and ids. The bench uses it with 60 months.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../db/index.ts';
import { shanghaiDate } from '../../platform/calendar.ts';
import { addMonths } from './dates.ts';
import type { CountyPlan, MemberPlan, OrgPlan, PostPlan } from './plan.ts';
import { Rng } from './prng.ts';

export interface MeetingPlan {
  id: string;
  orgId: string;
  kind: string;
  heldOn: string;
  startsAt: string;
  place: string;
  chairMemberId: string | null;
  chairName: string | null;
  recorderMemberId: string | null;
  lecturerMemberId: string | null;
  topic: string;
  minutesHtml: string;
  counterpartMemberId: string | null;
  rectification: string | null;
  committeeSize: number | null;
  committeePresent: number | null;
  valid: boolean;
}

export interface AttendancePlan {
  meetingId: string;
  memberId: string;
  status: 'present' | 'leave' | 'absent';
  reason: string | null;
  heldOn: string;
}

export interface DecisionPlan {
  id: string;
  meetingId: string;
  tag: string;
  memberId: string | null;
  text: string;
}

export interface GradePlan {
  orgId: string;
  memberId: string;
  year: number;
  grade: string;
  meetingId: string;
  handling: string | null;
  handlingEndsOn: string | null;
}

export interface LifePlan {
  meetings: MeetingPlan[];
  attendance: AttendancePlan[];
  decisions: DecisionPlan[];
  grades: GradePlan[];
  /** Branches that registered their fixed 主题党日 day (orgs.themed_day, LIFE-5): the day they hold it on. */
  themedDays?: { orgId: string; day: number }[];
}

const BRANCH_KINDS = new Set(['branch', 'jointBranch', 'temporaryBranch']);
const COMMITTEE_POSTS = new Set([
  'secretary',
  'deputySecretary',
  'organizationMember',
  'propagandaMember',
  'disciplineMember',
]);

const THEMES = [
  '学习贯彻党的二十届四中全会精神',
  '深入学习习近平总书记关于“三农”工作的重要论述',
  '开展党纪学习教育专题学习',
  '学习《中国共产党支部工作条例（试行）》',
  '学习《中国共产党党员教育管理工作条例》',
  '重温入党誓词，缴纳党费',
  '人居环境整治志愿服务',
  '走访慰问困难党员和老党员',
  '防汛抗旱和安全生产专题学习',
  '乡村振兴产业发展座谈',
  '学习身边先进典型事迹',
  '“我为群众办实事”实践活动',
];
const LECTURES = [
  '坚定理想信念，做合格共产党员',
  '新时代党员如何发挥先锋模范作用',
  '以党建引领乡村振兴',
  '全面从严治党永远在路上',
  '学习党章，遵守党章',
];
const COMMITTEE_TOPICS = [
  '研究本月党建重点工作',
  '研究发展党员工作',
  '研究党费收缴和使用',
  '研究村级重大事项（四议两公开）',
  '研究主题党日活动安排',
];
const LEAVE_REASONS = ['外出务工', '生病住院', '在外地照看子女', '年老行动不便', '公务出差'];

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function monthStart(iso: string): string {
  return `${iso.slice(0, 7)}-01`;
}

function daysIn(ym: string): number {
  return new Date(Date.UTC(Number(ym.slice(0, 4)), Number(ym.slice(5, 7)), 0)).getUTCDate();
}

/** How a branch keeps its rules: most are diligent, some patchy, a few weak (the ones the county will find). */
type Habit = { miss: number; quorumFail: number; attendance: number };
const HABITS: { habit: Habit; weight: number }[] = [
  { habit: { miss: 0.02, quorumFail: 0.01, attendance: 0.9 }, weight: 70 },
  { habit: { miss: 0.18, quorumFail: 0.08, attendance: 0.78 }, weight: 22 },
  { habit: { miss: 0.5, quorumFail: 0.2, attendance: 0.6 }, weight: 8 },
];

/**
 * Plan `months` months of organizational life up to `now`, in Beijing time.
 * Only meetings that started by `now` get records (none later today); nothing before an organization was founded.
 */
export function planLife(plan: CountyPlan, now: Date, months = 12): LifePlan {
  const today = shanghaiDate(now);
  const rng = new Rng(`life:${plan.root.id}:${today}:${months}`);
  const out: LifePlan = { meetings: [], attendance: [], decisions: [], grades: [], themedDays: [] };
  // Which branches registered their 主题党日 day: a stream of its own, so the meetings drawn below stay as they were.
  const dayRng = new Rng(`themedDay:${plan.root.id}`);
  const byOrg = new Map<string, MemberPlan[]>();
  const memberById = new Map(plan.members.map((m) => [m.id, m]));
  for (const m of plan.members) {
    const list = byOrg.get(m.orgId);
    if (list) list.push(m);
    else byOrg.set(m.orgId, [m]);
  }
  const postsOf = new Map<string, PostPlan[]>();
  for (const p of plan.posts) {
    const list = postsOf.get(p.orgId);
    if (list) list.push(p);
    else postsOf.set(p.orgId, [p]);
  }
  const first = monthStart(addMonths(today, -(months - 1)));

  const add = (o: OrgPlan, kind: string, heldOn: string, fields: Partial<MeetingPlan>): MeetingPlan | null => {
    if (heldOn > today || heldOn < o.foundedOn || heldOn < first) return null;
    const hour = rng.pick([9, 9, 10, 14, 15, 19]);
    const startsAt = `${heldOn}T${pad(hour)}:${rng.pick(['00', '30'])}:00+08:00`;
    // A record is of a meeting that was held: one planned for later today is not there yet.
    if (Date.parse(startsAt) > now.getTime()) return null;
    const m: MeetingPlan = {
      id: rng.uuid(),
      orgId: o.id,
      kind,
      heldOn,
      startsAt,
      place: o.field === 'rural' ? '村党群服务中心会议室' : o.field === 'community' ? '社区党群服务中心' : '单位会议室',
      chairMemberId: null,
      chairName: null,
      recorderMemberId: null,
      lecturerMemberId: null,
      topic: '',
      minutesHtml: '',
      counterpartMemberId: null,
      rectification: null,
      committeeSize: null,
      committeePresent: null,
      valid: true,
      ...fields,
    };
    out.meetings.push(m);
    return m;
  };

  const attend = (m: MeetingPlan, people: MemberPlan[], rate: number) => {
    let present = 0;
    for (const p of people) {
      let status: AttendancePlan['status'];
      let reason: string | null = null;
      if (p.lostContact) status = 'absent';
      else if (rng.chance(rate)) status = 'present';
      else if (rng.chance(0.6)) {
        status = 'leave';
        reason = rng.pick(LEAVE_REASONS);
      } else status = 'absent';
      if (status === 'present') present++;
      out.attendance.push({ meetingId: m.id, memberId: p.id, status, reason, heldOn: m.heldOn });
    }
    return present;
  };

  /** A committee meeting's attendance: more than half present, unless this one failed its quorum (LIFE-2). */
  const committeeAttendance = (m: MeetingPlan, members: MemberPlan[], size: number, fail: boolean, topic: string) => {
    const needed = Math.floor(size / 2) + 1;
    let present = 0;
    for (const p of members) {
      const status = (fail ? present < needed - 1 : rng.chance(0.92) || present < needed) ? 'present' : 'leave';
      if (status === 'present') present++;
      out.attendance.push({
        meetingId: m.id,
        memberId: p.id,
        status,
        reason: status === 'leave' ? rng.pick(LEAVE_REASONS) : null,
        heldOn: m.heldOn,
      });
    }
    m.committeeSize = size;
    m.committeePresent = present;
    m.valid = present * 2 > size;
    m.minutesHtml = minutes(topic, present, size);
  };

  const minutes = (topic: string, present: number, total: number) =>
    `<p>应到 ${total} 人，实到 ${present} 人。</p><p>会议围绕“${topic}”进行了学习和讨论，与会党员结合实际作了发言。</p><p>会议要求全体党员把学习成果转化为推动工作的实际行动。</p>`;

  for (const o of plan.orgs) {
    const people = byOrg.get(o.id) ?? [];
    const posts = postsOf.get(o.id) ?? [];
    const secretary = posts.find((p) => p.post === 'secretary')?.memberId ?? null;
    const committee = posts.filter((p) => COMMITTEE_POSTS.has(p.post) && p.memberId).map((p) => p.memberId as string);
    const habit = rng.weighted(
      HABITS.map((h) => h.habit),
      HABITS.map((h) => h.weight),
    );
    const skip = () => rng.chance(habit.miss);

    if ((o.kind === 'committee' || o.kind === 'workingCommittee') && o.depth <= 1) {
      // LIFE-9: two special meetings on Party building a year (a few committees hold only one).
      for (let y = Number(first.slice(0, 4)); y <= Number(today.slice(0, 4)); y++) {
        const n = rng.chance(0.15) ? 1 : 2;
        for (let i = 0; i < n; i++) {
          const month = i === 0 ? rng.int(2, 5) : rng.int(8, 11);
          const topic = rng.pick([
            '研究部署基层党建重点任务',
            '专题研究软弱涣散党组织整顿',
            '专题研究党建引领乡村振兴',
          ]);
          add(o, 'specialMeeting', `${y}-${pad(month)}-${pad(rng.int(5, 25))}`, {
            chairMemberId: secretary,
            chairName: secretary ? null : '书记',
            topic,
            minutesHtml: `<p>会议专题研究“${topic}”，梳理问题 3 个，明确责任人和完成时限。</p>`,
          });
        }
      }
      continue;
    }
    if (o.kind === 'generalBranch' && committee.length >= 3) {
      // A general branch's committee meets monthly too (LIFE-2); its members sit in the branches below.
      const members = committee.map((id) => memberById.get(id)).filter((m): m is MemberPlan => !!m);
      for (let mi = 0; mi < months; mi++) {
        const ym = addMonths(first, mi).slice(0, 7);
        if (skip()) continue;
        const topic = rng.pick(COMMITTEE_TOPICS);
        const m = add(o, 'committeeMeeting', `${ym}-${pad(rng.int(1, Math.min(28, daysIn(ym))))}`, {
          chairMemberId: secretary,
          topic,
        });
        if (m) committeeAttendance(m, members, committee.length, rng.chance(habit.quorumFail), topic);
      }
      continue;
    }
    if (!BRANCH_KINDS.has(o.kind) || people.length === 0) continue;

    const fixedDay = rng.int(5, 20);
    // About two in five branches registered the day (LIFE-5 warns on a record held on another).
    if (dayRng.chance(0.4)) out.themedDays?.push({ orgId: o.id, day: fixedDay });
    const hasCommittee = committee.length >= 3;
    for (let mi = 0; mi < months; mi++) {
      const ym = addMonths(first, mi).slice(0, 7);
      const last = daysIn(ym);
      // LIFE-5: themed day on the branch's fixed day.
      if (!skip()) {
        const topic = rng.pick(THEMES);
        const m = add(o, 'themedDay', `${ym}-${pad(Math.min(fixedDay, last))}`, {
          chairMemberId: secretary,
          recorderMemberId: committee[1] ?? null,
          topic,
        });
        if (m) m.minutesHtml = minutes(topic, attend(m, people, habit.attendance), people.length);
      }
      // LIFE-2: committee meeting, with a quorum most of the time.
      if (hasCommittee && !skip()) {
        const topic = rng.pick(COMMITTEE_TOPICS);
        const m = add(o, 'committeeMeeting', `${ym}-${pad(rng.int(1, Math.min(28, last)))}`, {
          chairMemberId: secretary,
          topic,
        });
        if (m)
          committeeAttendance(
            m,
            people.filter((p) => committee.includes(p.id)),
            committee.length,
            rng.chance(habit.quorumFail),
            topic,
          );
      }
      const month = Number(ym.slice(5, 7));
      if (month % 3 === 0) {
        // LIFE-1 and LIFE-4: each quarter a branch members' meeting and a Party lecture (in the quarter's middle or last month).
        if (!skip()) {
          const topic = rng.pick([
            '讨论接收预备党员',
            '通报支部工作，开展党性教育',
            '讨论预备党员转正',
            '民主评议和表彰',
          ]);
          const m = add(
            o,
            'branchMeeting',
            `${addMonths(`${ym}-01`, -rng.int(0, 1)).slice(0, 7)}-${pad(rng.int(3, 27))}`,
            { chairMemberId: secretary, topic },
          );
          if (m) {
            m.minutesHtml = minutes(topic, attend(m, people, habit.attendance), people.length);
            const probationary = people.filter((p) => p.standing === 'probationary');
            if (topic === '讨论预备党员转正' && probationary.length) {
              const p = rng.pick(probationary);
              out.decisions.push({
                id: rng.uuid(),
                meetingId: m.id,
                tag: 'fullMembership',
                memberId: p.id,
                text: `同意${p.name}同志按期转为正式党员`,
              });
            }
          }
        }
        if (!skip()) {
          const lecturer = rng.chance(0.9) ? secretary : (committee[1] ?? secretary);
          const topic = rng.pick(LECTURES);
          const m = add(o, 'partyLecture', `${ym}-${pad(rng.int(1, 25))}`, {
            chairMemberId: secretary,
            lecturerMemberId: lecturer,
            topic,
          });
          if (m) m.minutesHtml = minutes(topic, attend(m, people, habit.attendance), people.length);
        }
      }
      if (month === 12) {
        const year = Number(ym.slice(0, 4));
        // LIFE-7: talks before the life meeting: the secretary with each committee member and some members.
        if (secretary) {
          const with_ = [
            ...committee.filter((id) => id !== secretary),
            ...people.filter(() => rng.chance(0.3)).map((p) => p.id),
          ];
          for (const other of new Set(with_)) {
            if (other === secretary || skip()) continue;
            add(o, 'heartTalk', `${year}-${pad(rng.int(10, 12))}-${pad(rng.int(1, 20))}`, {
              chairMemberId: secretary,
              counterpartMemberId: other,
              topic: '谈心谈话',
            });
          }
        }
        // LIFE-6: the life meeting, late in the year, with its rectification record.
        if (!skip()) {
          const m = add(o, 'lifeMeeting', `${year}-12-${pad(rng.int(20, 28))}`, {
            chairMemberId: secretary,
            topic: `${year}年度组织生活会`,
            rectification: rng.chance(0.85)
              ? '针对查摆出的学习不够深入、联系群众不够紧密等问题，制定整改措施 3 条，明确责任人和时限。'
              : null,
          });
          if (m) m.minutesHtml = minutes(`${year}年度组织生活会`, attend(m, people, habit.attendance), people.length);
        }
        // LIFE-8: democratic appraisal in the same month.
        if (!skip()) {
          const m = add(o, 'appraisal', `${year}-12-${pad(rng.int(10, 19))}`, {
            chairMemberId: secretary,
            topic: `${year}年度民主评议党员`,
          });
          if (m) {
            m.minutesHtml = minutes(`${year}年度民主评议党员`, attend(m, people, habit.attendance), people.length);
            const generous = rng.chance(0.08);
            for (const p of people) {
              const r = rng.float();
              const grade =
                r < (generous ? 0.45 : 0.22)
                  ? 'excellent'
                  : r < 0.985
                    ? 'qualified'
                    : r < 0.995
                      ? 'basicallyQualified'
                      : 'unqualified';
              const handled = grade === 'unqualified' && rng.chance(0.8);
              out.grades.push({
                orgId: o.id,
                memberId: p.id,
                year,
                grade,
                meetingId: m.id,
                handling: handled ? 'correct' : null,
                handlingEndsOn: handled ? addMonths(m.heldOn, 12) : null,
              });
            }
          }
        }
      }
    }
  }
  return out;
}

/** Rows sent as one array per column: one statement per few thousand rows, whatever the count. */
async function insertColumns(
  tx: Tx,
  head: SQL,
  select: SQL,
  columns: { values: unknown[]; type: string }[],
  batch = 10_000,
): Promise<void> {
  const n = columns[0]?.values.length ?? 0;
  for (let i = 0; i < n; i += batch) {
    const arrays = columns.map((c) => sql`${sql.param(c.values.slice(i, i + batch))}::${sql.raw(c.type)}[]`);
    await tx.execute(
      sql`${head} ${select} from unnest(${sql.join(arrays, sql`, `)}) as t(${sql.raw(columns.map((_, k) => `c${k}`).join(', '))})`,
    );
  }
}

/** Write a life plan for `county` (inside the caller's transaction). */
export async function insertLife(tx: Tx, county: string, life: LifePlan): Promise<void> {
  const m = life.meetings;
  for (let i = 0; i < m.length; i += 2000) {
    const part = m.slice(i, i + 2000);
    await tx.execute(sql`insert into meetings (id, county_code, org_id, kind, starts_at, held_on, place, chair_member_id, chair_name, recorder_member_id, lecturer_member_id,
      topic, minutes_html, counterpart_member_id, rectification, committee_size, committee_present, valid) values ${sql.join(
        part.map(
          (
            x,
          ) => sql`(${x.id}, ${county}, ${x.orgId}, ${x.kind}, ${x.startsAt}, ${x.heldOn}, ${x.place}, ${x.chairMemberId}, ${x.chairName}, ${x.recorderMemberId}, ${x.lecturerMemberId},
          ${x.topic}, ${x.minutesHtml}, ${x.counterpartMemberId}, ${x.rectification}, ${x.committeeSize}, ${x.committeePresent}, ${x.valid})`,
        ),
        sql`, `,
      )}`);
  }
  const td = life.themedDays ?? [];
  if (td.length)
    await tx.execute(sql`update orgs o set themed_day = v.day from (select unnest(${`{${td.map((x) => x.orgId).join(',')}}`}::uuid[]) as id,
      unnest(${`{${td.map((x) => x.day).join(',')}}`}::smallint[]) as day) v where o.county_code = ${county} and o.id = v.id`);
  const a = life.attendance;
  await insertColumns(
    tx,
    sql`insert into meeting_attendance (county_code, meeting_id, member_id, status, reason, held_on)`,
    sql`select ${county}, c0, c1, c2, c3, c4`,
    [
      { values: a.map((x) => x.meetingId), type: 'uuid' },
      { values: a.map((x) => x.memberId), type: 'uuid' },
      { values: a.map((x) => x.status), type: 'text' },
      { values: a.map((x) => x.reason), type: 'text' },
      { values: a.map((x) => x.heldOn), type: 'date' },
    ],
  );
  const d = life.decisions;
  for (let i = 0; i < d.length; i += 2000) {
    const part = d.slice(i, i + 2000);
    await tx.execute(
      sql`insert into meeting_decisions (id, county_code, meeting_id, tag, member_id, text) values ${sql.join(
        part.map((x) => sql`(${x.id}, ${county}, ${x.meetingId}, ${x.tag}, ${x.memberId}, ${x.text})`),
        sql`, `,
      )}`,
    );
  }
  const g = life.grades;
  for (let i = 0; i < g.length; i += 2000) {
    const part = g.slice(i, i + 2000);
    await tx.execute(
      sql`insert into appraisal_grades (county_code, org_id, member_id, year, grade, meeting_id, handling, handling_ends_on) values ${sql.join(
        part.map(
          (x) =>
            sql`(${county}, ${x.orgId}, ${x.memberId}, ${x.year}, ${x.grade}, ${x.meetingId}, ${x.handling}, ${x.handlingEndsOn})`,
        ),
        sql`, `,
      )}`,
    );
  }
}
