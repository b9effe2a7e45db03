/**
 * The rules engine's statements for the rules of organizational life this module declares (manifest
 * `rules`, LIFE-*): LIFE-1, 2, 3, 4, 5, 9 count a kind of meeting per period (the "三会一课" counts);
 * LIFE-4's secretaries' lectures, LIFE-6, 7, 8 are yearly rules with more than a count. Built from the
 * engine's helpers (problems/api.ts); a record's own warnings are in rules.ts.
 */
import { type SQL, sql } from 'drizzle-orm';
import { DECISION_TAG_LABELS } from '../../../contract/labels.ts';
import { childOf, pathRangeSql } from '../../platform/access.ts';
import { MEETING_KIND_LABELS, type MeetingKind } from '../../../contract/meetings.ts';
import {
  BRANCH_KINDS,
  classIn,
  existedIn,
  midOf,
  fullOn,
  orgFilter,
  type PeriodType,
  parseShare,
  periodKey,
  periodsSql,
  type RuleChecks,
  type RuleCtx,
  type RulePart,
  type RuleSettingKey,
  type RuleSettings,
  range,
  STAGE_COLUMNS,
  STAGE_COLUMNS_DETAIL,
  dayLabel,
  uuidArray,
} from '../problems/api.ts';

/** How a rule judges each record of its kind: whether it counts and, when it does not, what the record shows. */
interface Judge {
  /** Joined to each meeting `mt` (a lateral subquery). */
  join?: SQL;
  counted: SQL;
  /** Why it does not count, in Chinese (after "10月8日召开支委会，"). */
  note: SQL;
}

interface MeetingRuleDef {
  id: string;
  orgKinds: readonly string[];
  periodType: PeriodType;
  kind: MeetingKind;
  setting: RuleSettingKey;
  clearedBy: string;
  /** A general branch's meetings count for the branches under it (its 党员大会 is theirs too). */
  parentGeneralBranch?: boolean;
  /**
   * When the rule applies to an organization `o` in a period `p`, as it was then (LIFE-2: a committee
   * and, for a branch, 7 full members on the period's middle day): CTEs after s and p, joins and a condition.
   */
  applies?: (ctx: RuleCtx) => { ctes?: SQL; joins?: SQL; where: SQL };
  /** Records that do not count (LIFE-2: without a quorum; LIFE-9: without a picture or video); absent: every record counts. */
  judge?: (ctx: RuleCtx) => Judge;
}

/**
 * The committee on the meeting's date, worked out when checked (LIFE-2, 第十二条): the seats held that
 * day by the posts on record — by member or by name only — and how many of them were present (a
 * member by the attendance, a name-only seat by a present member or a guest of that name). Columns
 * q.size, q.present for the meeting `mt`.
 */
export const COMMITTEE_ON_THE_DAY = sql`cross join lateral (select count(*)::int as size, count(*) filter (where seat.present)::int as present from (
    select distinct on (coalesce(op.member_id::text, '名:' || op.person_name)) (case when op.member_id is not null
        then exists (select 1 from meeting_attendance a where ${childOf('mt', 'a', 'meeting_id')} and a.member_id = op.member_id and a.status = 'present')
        else exists (select 1 from meeting_attendance a where ${childOf('mt', 'a', 'meeting_id')} and a.status = 'present'
            -- The attendee's name by the member's key: by the name's index the statement read every county's namesakes (issue 21).
            and (select am.name from members am where am.county_code = a.county_code and am.id = a.member_id) = op.person_name)
          or exists (select 1 from jsonb_array_elements(mt.guests) g where g->>'name' = op.person_name) end) as present
    from org_posts op where op.county_code = mt.county_code and op.org_id = mt.org_id and (op.member_id is not null or op.person_name is not null)
      and (op.start_date is null or op.start_date <= mt.held_on) and (op.ended_on is null or op.ended_on > mt.held_on)
    order by coalesce(op.member_id::text, '名:' || op.person_name), 1 desc) seat) q`;

/** Whether the committee meeting `mt` (with COMMITTEE_ON_THE_DAY joined) had its quorum, by the county's reading of 第十二条 in force that month. */
export function committeeQuorate(settings: RuleSettings): SQL {
  const strict = sql`${settings.sqlAt('life.committeeQuorum', sql`date_trunc('month', mt.held_on)::date`)} = 'moreThanHalf'`;
  return sql`(q.size > 0 and (q.present * 2 > q.size or (not ${strict} and q.present * 2 = q.size)))`;
}

/** What a committee meeting without its quorum shows, in the words of the county's reading. */
export function committeeShortfall(settings: RuleSettings): SQL {
  const strict = sql`${settings.sqlAt('life.committeeQuorum', sql`date_trunc('month', mt.held_on)::date`)} = 'moreThanHalf'`;
  return sql`case when q.size = 0 then '会议当天未登记支部委员，无法确认到会委员是否达到半数'
    else '到会委员' || q.present || '人，' || case when ${strict} then '未超过应到' else '不足应到' end || q.size || '人的半数' end`;
}

/** Decisions that belong to the 党员大会 (第十一条): every tag but 其他. */
export const MEETING_DECISION_TAGS = [
  'admission',
  'fullMembership',
  'probationExtension',
  'probationCancel',
  'commendation',
  'disposal',
  'discipline',
  'membershipSuspension',
  'membershipRestoration',
  'removal',
] as const;

/**
 * The organizations under the 党员大会's organization `mo` on the meeting's day, `mo` itself included:
 * those under it now or moved away from under it since, kept where their parent that day (parentOn)
 * puts them — two levels down, a 总支's branches and their 党小组. Columns id, county_code.
 */
const ORGS_UNDER_MO_THEN = sql`(select ho.id, ho.county_code from (
      select x.id, x.county_code, x.parent_id from orgs x where x.county_code = mt.county_code and ${pathRangeSql('x', 'mo')}
      union
      select x.id, x.county_code, x.parent_id from org_events e join orgs x on x.county_code = e.county_code and x.id = e.org_id
        where e.county_code = mt.county_code and e.kind = 'moved'
          and (e.detail->>'fromParentId')::uuid in (select y.id from orgs y where y.county_code = mt.county_code and ${pathRangeSql('y', 'mo')})) ho
    where ho.id = mo.id or ${parentOn('ho', sql`mt.held_on`)} = mo.id
      or exists (select 1 from orgs hp where hp.county_code = ho.county_code and hp.id = ${parentOn('ho', sql`mt.held_on`)} and ${parentOn('hp', sql`mt.held_on`)} = mo.id))`;

/**
 * The members with a vote at the 党员大会 `mt` (of organization `mo`) and how many of them were present
 * (第十一条; ORG-7): members of that organization or any below it on the meeting's date (the tree as it
 * was that day: a 党小组 or branch moved since counts where it was, ORGS_UNDER_MO_THEN), full members
 * then, whose membership was in good standing that day (预备党员, 留党察看 from its first day until it ends,
 * 停止党籍 and 除名 from the 党员大会 that decided them have no vote).
 * Columns v.base, v.present.
 */
export const VOTERS_ON_THE_DAY = sql`cross join lateral (select count(*)::int as base,
    count(*) filter (where exists (select 1 from meeting_attendance a where ${childOf('mt', 'a', 'meeting_id')} and a.member_id = vm.id and a.status = 'present'))::int as present
  from (select h.member_id as id from ${ORGS_UNDER_MO_THEN} ho join member_org_history h on h.county_code = ho.county_code and h.org_id = ho.id
        where h.from_date <= mt.held_on and (h.to_date is null or h.to_date > mt.held_on)
      union
      -- A member without any membership history counts from the join date in the present organization.
      select cm.id from ${ORGS_UNDER_MO_THEN} ho join members cm on cm.county_code = ho.county_code and cm.org_id = ho.id
        where cm.join_date <= mt.held_on
          and not exists (select 1 from member_org_history h where h.county_code = cm.county_code and h.member_id = cm.id)) w
  join members vm on vm.county_code = mt.county_code and vm.id = w.id
  where (vm.party_status = 'normal' or vm.party_status_since > mt.held_on) and ${fullOn('vm', sql`mt.held_on`)}
    -- 留党察看 (党章第四十条): no vote from its first day until it ends.
    and not (vm.party_probation_from is not null and vm.party_probation_from <= mt.held_on and vm.party_probation_until > mt.held_on)) v`;

/** Whether the 党员大会 `mt` (with VOTERS_ON_THE_DAY joined) could vote, by the county's reading of 第十一条 in force that quarter. */
export function votersQuorate(settings: RuleSettings): SQL {
  const strict = sql`${settings.sqlAt('life.branchMeetingQuorum', sql`date_trunc('quarter', mt.held_on)::date`)} = 'moreThanHalf'`;
  return sql`(v.present * 2 > v.base or (not ${strict} and v.present * 2 = v.base))`;
}

/**
 * LIFE-1, second part: a 党员大会 that decided on a member (admission, 转正, probation, commendation,
 * 处置, discipline) with fewer than half of the members with a vote present (第十一条). One result per
 * such meeting (subject 'meeting'); it clears when the attendance shows the quorum or the decisions go.
 */
const LIFE_1_DECISIONS: RulePart = {
  id: 'LIFE-1',
  subject: '作出接收预备党员、转正、延长预备期、表彰、处置、处分等决定的支部党员大会（应有半数以上有表决权的党员到会）',
  subjectType: 'meeting',
  periodType: 'quarter',
  kind: null,
  evaluate(ctx) {
    const r = range(ctx, 'quarter');
    if (!r) return null;
    const c = ctx.county;
    const tags = sql.join(
      MEETING_DECISION_TAGS.map((t) => sql`${t}`),
      sql`, `,
    );
    const labels = sql.join(
      MEETING_DECISION_TAGS.map((t) => sql`when ${t} then ${DECISION_TAG_LABELS[t]}`),
      sql` `,
    );
    return sql`insert into rule_stage ${STAGE_COLUMNS_DETAIL}
      with p as materialized (${periodsSql(ctx, 'quarter', null)}),
      -- The 党员大会 that decided on members, first (a few in a county's year); their voters then, one by one.
      dm as materialized (select mt.id, mt.county_code, mt.org_id, mt.held_on from meetings mt join orgs mo on mo.county_code = mt.county_code and mo.id = mt.org_id
        where mt.county_code = ${c} and mt.kind = 'branchMeeting' and mt.deleted_at is null and mt.held_on between ${r[0]}::date and ${r[1]}::date
          and ${orgFilter(ctx, [...BRANCH_KINDS, 'generalBranch'], 'mo', { former: true })}
          and exists (select 1 from meeting_decisions d where ${childOf('mt', 'd', 'meeting_id')} and d.tag in (${tags}))),
      x as materialized (select mt.id, mt.org_id, mt.held_on, ${periodKey('quarter', sql`mt.held_on`)} as period, v.base, v.present, ${votersQuorate(ctx.settings)} as quorate,
          (select string_agg(distinct case d.tag ${labels} end, '、') from meeting_decisions d where ${childOf('mt', 'd', 'meeting_id')} and d.tag in (${tags})) as what
        from dm mt join orgs mo on mo.county_code = mt.county_code and mo.id = mt.org_id ${VOTERS_ON_THE_DAY})
      select 'LIFE-1', 'meeting', x.id, x.period, x.org_id, p.start_on, p.end_on, x.base, x.present, x.quorate, true, jsonb_build_array(x.id),
        to_char(x.held_on, 'YYYY"年"FMMM"月"FMDD"日"') || '召开的支部党员大会作出' || x.what || '的决定，到会有表决权的党员' || x.present || '人，不足应到' || x.base || '人的半数，不能进行表决',
        null,
        '核对该次会议的考勤（预备党员和受留党察看处分、停止党籍的党员没有表决权）；到会人数确实不足的，重新召开支部党员大会表决',
        jsonb_build_object('records', jsonb_build_array(jsonb_build_object('id', x.id, 'heldOn', x.held_on, 'kind', 'branchMeeting', 'counted', false,
          'note', '作出' || x.what || '的决定，到会有表决权的党员' || x.present || '人，应到' || x.base || '人')))
      from x join p on p.period = x.period where x.base > 0`;
  },
};

/** Evidence that is a picture or a video (LIFE-9: the county plan wants the meeting on image). */
const IMAGE_OR_VIDEO = sql`exists (select 1 from evidence e where ${childOf('mt', 'e', 'owner_id')} and e.owner_type = 'meeting' and e.deleted_at is null
  and e.kind in ('jpeg', 'png', 'gif', 'webp', 'heic', 'heif', 'mp4', 'mov'))`;

function meetingRule(def: MeetingRuleDef): RulePart {
  const kl = MEETING_KIND_LABELS[def.kind];
  return {
    id: def.id,
    subjectType: 'org',
    periodType: def.periodType,
    kind: def.kind,
    evaluate(ctx) {
      const r = range(ctx, def.periodType);
      if (!r) return null;
      const c = ctx.county;
      const parents = def.parentGeneralBranch
        ? sql`union select s.id, g.id from s join orgs g on g.county_code = ${c} and g.id = s.parent_id and g.kind = 'generalBranch'
            union select s.id, g.id from s join org_events e on e.county_code = ${c} and e.org_id = s.id and e.kind = 'moved'
              join orgs g on g.county_code = ${c} and g.id = (e.detail->>'fromParentId')::uuid and g.kind = 'generalBranch'`
        : sql``;
      const judge = def.judge?.(ctx) ?? { counted: sql`true`, note: sql`''` };
      const applies = def.applies?.(ctx);
      const missed = sql`m.missed_text`;
      return sql`insert into rule_stage ${STAGE_COLUMNS_DETAIL}
        with p as materialized (${periodsSql(ctx, def.periodType, def.setting)}),
        s as materialized (select o.id, o.parent_id, o.path, o.kind, o.field, o.depth, o.founded_on, o.dissolved_on from orgs o where ${orgFilter(ctx, def.orgKinds, 'o', { former: true })}),
        src as materialized (select s.id as subject_id, s.id as src_id from s ${parents}),${applies?.ctes ? sql` ${applies.ctes},` : sql``}
        mm as materialized (select src.subject_id, ${periodKey(def.periodType, sql`mt.held_on`)} as period, mt.id, mt.held_on, ${judge.counted} as counted, ${judge.note} as note
          from src join meetings mt on mt.county_code = ${c} and mt.org_id = src.src_id and mt.kind = ${def.kind} ${judge.join ?? sql``}
          where mt.deleted_at is null and mt.held_on between ${r[0]}::date and ${r[1]}::date${
            def.parentGeneralBranch
              ? sql`
            -- A 总支's meeting counts for a branch that was under it that day (one moved since counts where it was).
            and (src.src_id = src.subject_id or exists (select 1 from orgs so where so.county_code = ${c} and so.id = src.subject_id and ${parentOn('so', sql`mt.held_on`)} = src.src_id))`
              : sql``
          }),
        m as materialized (select mm.subject_id, mm.period, count(*) filter (where mm.counted)::int as held, count(*) filter (where not mm.counted)::int as missed,
            coalesce(jsonb_agg(mm.id order by mm.held_on, mm.id) filter (where mm.counted), '[]'::jsonb) as refs,
            jsonb_agg(jsonb_build_object('id', mm.id, 'heldOn', mm.held_on, 'kind', ${def.kind}::text, 'counted', mm.counted, 'note', case when mm.counted then '' else mm.note end) order by mm.held_on, mm.id) as records,
            string_agg(${dayLabel(sql`mm.held_on`)} || ${`召开${kl}，`} || mm.note, '；' order by mm.held_on, mm.id) filter (where not mm.counted) as missed_text
          from mm group by 1, 2)
        select ${def.id}, 'org', o.id, p.period, o.id, p.start_on, p.end_on, p.required, coalesce(m.held, 0), coalesce(m.held, 0) >= p.required, p.end_on < ${ctx.today}::date,
          coalesce(m.refs, '[]'::jsonb),
          p.label || case when m.subject_id is null then ${`未召开${kl}`}
            when m.held = 0 then ${`召开${kl} `} || m.missed || ' 次，均未计入：' || ${missed}
            when m.missed = 0 then ${`${kl}仅召开 `} || m.held || ' 次，应至少召开 ' || p.required || ' 次'
            else ${`${kl}计入 `} || m.held || ' 次，应至少 ' || p.required || ' 次；另有' || ${missed} || '，未计入' end,
          p.cur || case when m.subject_id is null then ${`尚未召开${kl}`}
            when m.held = 0 then ${`召开${kl} `} || m.missed || ' 次，均未计入（' || ${missed} || '），还差 ' || p.required || ' 次'
            when m.missed = 0 then ${`${kl}已召开 `} || m.held || ' 次，还差 ' || (p.required - m.held) || ' 次'
            else ${`${kl}已计入 `} || m.held || ' 次（另有' || ${missed} || '，未计入），还差 ' || (p.required - m.held) || ' 次' end || '，剩余 ' || (p.end_on - ${ctx.today}::date + 1) || ' 天',
          ${def.clearedBy}, jsonb_build_object('records', coalesce(m.records, '[]'::jsonb))
        from s o cross join p left join m on m.subject_id = o.id and m.period = p.period ${applies?.joins ?? sql``}
        where ${existedIn('o', 'p')}${applies ? sql` and ${applies.where}` : sql``}`;
    },
  };
}

/**
 * The parent of organization `o` (a row of orgs) on the date `d`, as it was: a move is kept as an
 * org_events 'moved' row (its Shanghai day, the parent it left), so before the first move after `d`
 * the organization was under the parent that move left; with no move since, under today's parent.
 * A 党小组 moved from one branch to another counts with the branch it was in that day.
 */
export function parentOn(o: string, d: SQL): SQL {
  const a = sql.raw(o);
  return sql`coalesce((select (e.detail->>'fromParentId')::uuid from org_events e where e.county_code = ${a}.county_code and e.org_id = ${a}.id and e.kind = 'moved'
      and (e.at at time zone 'Asia/Shanghai')::date > ${d} and e.detail->>'fromParentId' is not null order by e.at limit 1), ${a}.parent_id)`;
}

/**
 * gb(id, period, branch_id): each 党小组 under a branch of `s` now or moved from one since, with the
 * branch it was under on the date `d` of each period of `p` (an organization not listed stands for itself).
 */
function groupBranches(c: string, d: SQL): SQL {
  return sql`select ho.id, p.period, ${parentOn('ho', d)} as branch_id from orgs ho cross join p
    where ho.county_code = ${c} and ho.kind = 'partyGroup' and (ho.parent_id in (select id from s) or ho.id in ${movedGroupsFrom(c)})`;
}

/** Organizations a moved 党小组 could have stood for: those of `s` and any a group under them has since left. */
function movedGroupsFrom(c: string): SQL {
  return sql`(select e.org_id from org_events e where e.county_code = ${c} and e.kind = 'moved' and (e.detail->>'fromParentId')::uuid in (select id from s))`;
}

/**
 * LIFE-2 applies to an organization in a month as it was that month (第九条): a branch with 7 or more
 * full members and a committee of 3 or more seats on the month's middle day; a general branch with its
 * committee. Seats are the posts held that day (by member or by name only); full members those whose
 * membership (member_org_history) covered the day and who were full members by then. A branch under 7
 * full members has no committee to meet (ORG-2 tells it which posts it cannot have).
 */
function hasCommitteeThen(ctx: RuleCtx): { ctes: SQL; joins: SQL; where: SQL } {
  const c = ctx.county;
  const mid = midOf('p');
  const inS = sql`(ho.id in (select id from s) or ho.parent_id in (select id from s))`;
  return {
    ctes: sql`seat as materialized (select op.org_id, coalesce(op.member_id::text, '名:' || op.person_name) as who, op.start_date, op.ended_on
          from org_posts op join s on s.id = op.org_id where op.county_code = ${c} and (op.member_id is not null or op.person_name is not null)),
        seats as materialized (select s.id, p.period, count(distinct seat.who)::int as n from s cross join p join seat on seat.org_id = s.id
          and (seat.start_date is null or seat.start_date <= ${mid}) and (seat.ended_on is null or seat.ended_on > ${mid}) group by 1, 2),
        mem as materialized (select ho.id as org_id, vm.id,
            greatest(h.from_date, coalesce(vm.full_date, (vm.join_date + interval '1 year')::date)) as from_on, h.to_date as to_on
          from member_org_history h join members vm on vm.county_code = h.county_code and vm.id = h.member_id join orgs ho on ho.county_code = h.county_code and ho.id = h.org_id
          where h.county_code = ${c} and vm.standing = 'full' and vm.party_status not in ('suspended', 'removed') and (${inS} or ho.id in ${movedGroupsFrom(c)})
          union all
          select ho.id, vm.id, coalesce(vm.full_date, (vm.join_date + interval '1 year')::date), null::date
          from members vm join orgs ho on ho.county_code = vm.county_code and ho.id = vm.org_id
          where vm.county_code = ${c} and vm.standing = 'full' and vm.party_status not in ('suspended', 'removed') and (${inS} or ho.id in ${movedGroupsFrom(c)})
            and not exists (select 1 from member_org_history h where h.county_code = vm.county_code and h.member_id = vm.id)),
        -- The branch each 党小组 was under on the month's middle day (one moved since counts where it was).
        gb as materialized (${groupBranches(c, mid)}),
        fulls as materialized (select s.id, p.period, count(distinct mem.id)::int as n from p join mem on mem.from_on <= ${mid} and (mem.to_on is null or mem.to_on > ${mid})
          left join gb on gb.id = mem.org_id and gb.period = p.period join s on s.id = coalesce(gb.branch_id, mem.org_id) group by 1, 2)`,
    joins: sql`left join seats on seats.id = o.id and seats.period = p.period left join fulls on fulls.id = o.id and fulls.period = p.period`,
    where: sql`coalesce(seats.n, 0) >= 3 and (o.kind = 'generalBranch' or coalesce(fulls.n, 0) >= 7)`,
  };
}

const LIFE_1 = meetingRule({
  id: 'LIFE-1',
  orgKinds: BRANCH_KINDS,
  periodType: 'quarter',
  kind: 'branchMeeting',
  setting: 'life.branchMeetingsPerQuarter',
  clearedBy: '召开并记录一次支部党员大会（含考勤）',
  parentGeneralBranch: true,
});

const LIFE_2 = meetingRule({
  id: 'LIFE-2',
  orgKinds: [...BRANCH_KINDS, 'generalBranch'],
  periodType: 'month',
  kind: 'committeeMeeting',
  setting: 'life.committeeMeetingsPerMonth',
  clearedBy: '召开并记录一次到会委员达到半数的支委会',
  applies: hasCommitteeThen,
  judge: (ctx) => ({
    join: COMMITTEE_ON_THE_DAY,
    counted: committeeQuorate(ctx.settings),
    note: committeeShortfall(ctx.settings),
  }),
});

const LIFE_3 = meetingRule({
  id: 'LIFE-3',
  orgKinds: ['partyGroup'],
  periodType: 'month',
  kind: 'groupMeeting',
  setting: 'life.groupMeetingsPerMonth',
  clearedBy: '召开并记录一次党小组会（含考勤）',
});

const LIFE_4 = meetingRule({
  id: 'LIFE-4',
  orgKinds: BRANCH_KINDS,
  periodType: 'quarter',
  kind: 'partyLecture',
  setting: 'life.branchLecturesPerQuarter',
  clearedBy: '组织并记录一次党课',
  parentGeneralBranch: true,
});

const LIFE_5 = meetingRule({
  id: 'LIFE-5',
  orgKinds: BRANCH_KINDS,
  periodType: 'month',
  kind: 'themedDay',
  setting: 'life.themedDaysPerMonth',
  clearedBy: '开展并记录一次主题党日',
  parentGeneralBranch: true,
});

const LIFE_9 = meetingRule({
  id: 'LIFE-9',
  orgKinds: ['committee', 'workingCommittee'],
  periodType: 'year',
  kind: 'specialMeeting',
  setting: 'life.specialMeetingsPerYear',
  clearedBy: '召开并记录基层党建专题会议，并上传会议照片或视频',
  judge: () => ({ counted: IMAGE_OR_VIDEO, note: sql`'未上传照片或视频'` }),
  // The organization classes the county holds to it, in force on the year's first day (default: not 总支, not village 党委).
  applies: (ctx) => ({ where: classIn(ctx, 'life.specialMeetingOrgClasses', 'o', sql`p.start_on`) }),
});
/** LIFE-4, second part (第十五条): the secretary of an organization of the classes the county sets (default 党委 and 党工委, not 总支 or village 党委) gives a lecture a year, anywhere in the county. */
const LIFE_4_SECRETARY: RulePart = {
  id: 'LIFE-4',
  subject:
    '县级参数所列类别党组织的现任书记（默认：县、乡镇和单位党委，党工委；在任何组织讲授的党课均计入；书记空缺时不检查，由 ORG-5 提示）',
  subjectType: 'secretary',
  periodType: 'year',
  kind: 'partyLecture',
  evaluate(ctx) {
    const r = range(ctx, 'year');
    if (!r) return null;
    const c = ctx.county;
    return sql`insert into rule_stage ${STAGE_COLUMNS}
      with p as materialized (${periodsSql(ctx, 'year', 'life.secretaryLecturesPerYear')}),
      s as materialized (select o.id, o.kind, o.field, o.depth, o.founded_on, o.dissolved_on, sp.member_id, sm.name from orgs o
        join org_posts sp on sp.county_code = o.county_code and sp.org_id = o.id and sp.post = 'secretary' and sp.ended_on is null and sp.member_id is not null
        join members sm on sm.county_code = sp.county_code and sm.id = sp.member_id
        where ${orgFilter(ctx, ['committee', 'workingCommittee', 'generalBranch'])}),
      m as materialized (select s.id, ${periodKey('year', sql`mt.held_on`)} as period, count(*)::int as held, jsonb_agg(mt.id order by mt.held_on) as refs
        from s join meetings mt on mt.county_code = ${c} and mt.lecturer_member_id = s.member_id and mt.kind = 'partyLecture'
        where mt.deleted_at is null and mt.held_on between ${r[0]}::date and ${r[1]}::date group by 1, 2)
      select 'LIFE-4', 'secretary', o.id, p.period, o.id, p.start_on, p.end_on, p.required, coalesce(m.held, 0), coalesce(m.held, 0) >= p.required, p.end_on < ${ctx.today}::date,
        coalesce(m.refs, '[]'::jsonb),
        p.label || '书记' || o.name || case when coalesce(m.held, 0) = 0 then '未讲党课' else '讲党课 ' || m.held || ' 次，应至少 ' || p.required || ' 次' end,
        '本年书记' || o.name || '尚未讲足党课（应 ' || p.required || ' 次），剩余 ' || (p.end_on - ${ctx.today}::date + 1) || ' 天',
        '记录书记讲授的党课（主讲人选书记）'
      from s o cross join p left join m on m.id = o.id and m.period = p.period
      where ${existedIn('o', 'p')} and ${classIn(ctx, 'life.secretaryLectureOrgClasses', 'o', sql`p.start_on`)}`;
  },
};

/**
 * LIFE-6: at least one 组织生活会 a year, with talks (谈心谈话) before it and a rectification record
 * after it. A running year is a reminder only from the remind-from month (October by default).
 */
const LIFE_6: RulePart = {
  id: 'LIFE-6',
  subjectType: 'org',
  periodType: 'year',
  kind: 'lifeMeeting',
  evaluate(ctx) {
    const r = range(ctx, 'year');
    if (!r) return null;
    const c = ctx.county;
    const remind = ctx.settings.num('life.lifeMeetingRemindFromMonth', ctx.today);
    const month = Number(ctx.today.slice(5, 7));
    return sql`insert into rule_stage ${STAGE_COLUMNS}
      with p as materialized (${periodsSql(ctx, 'year', 'life.lifeMeetingsPerYear')}),
      s as materialized (select o.id, o.founded_on, o.dissolved_on from orgs o where ${orgFilter(ctx, BRANCH_KINDS, 'o', { former: true })}),
      lm as materialized (select s.id, ${periodKey('year', sql`mt.held_on`)} as period, count(*)::int as held, min(mt.held_on) as first_on,
          bool_or(btrim(coalesce(mt.rectification, '')) <> '') as rectified, jsonb_agg(mt.id order by mt.held_on) as refs
        from s join meetings mt on mt.county_code = ${c} and mt.org_id = s.id and mt.kind = 'lifeMeeting'
        where mt.deleted_at is null and mt.held_on between ${r[0]}::date and ${r[1]}::date group by 1, 2),
      t as materialized (select lm.id, lm.period, exists (select 1 from meetings ht join orgs ho on ho.county_code = ht.county_code and ho.id = ht.org_id
          where ht.county_code = ${c} and ht.kind = 'heartTalk' and ht.deleted_at is null and (ho.id = lm.id or ho.parent_id = lm.id)
            and ht.held_on between (lm.period || '-01-01')::date and lm.first_on) as talked from lm),
      x as materialized (select o.id, o.founded_on, o.dissolved_on, p.*, coalesce(lm.held, 0) as held, coalesce(lm.rectified, false) as rectified, coalesce(t.talked, false) as talked, coalesce(lm.refs, '[]'::jsonb) as refs
        from s o cross join p left join lm on lm.id = o.id and lm.period = p.period left join t on t.id = o.id and t.period = p.period)
      select 'LIFE-6', 'org', x.id, x.period, x.id, x.start_on, x.end_on, x.required, x.held, x.held >= x.required and x.rectified and x.talked, x.end_on < ${ctx.today}::date, x.refs,
        x.label || case when x.held = 0 then '未召开组织生活会' when x.held < x.required then '组织生活会仅召开 ' || x.held || ' 次' when not x.talked then '组织生活会前未开展谈心谈话'
          else '组织生活会缺少会后整改记录' end,
        case when ${month >= remind} then '本年' || case when x.held = 0 then '尚未召开组织生活会' when not x.talked then '组织生活会前的谈心谈话尚未记录' else '组织生活会尚无整改记录' end
          || '，剩余 ' || (x.end_on - ${ctx.today}::date + 1) || ' 天' end,
        case when x.held = 0 or x.held < x.required then '会前开展谈心谈话，召开并记录组织生活会，会后填写整改记录' when not x.talked then '记录会前开展的谈心谈话' else '在组织生活会记录中填写整改情况' end
      from x where ${existedIn('x', 'x')}`;
  },
};

/**
 * LIFE-7: within a branch, each pair of committee members (post holders who are members) talked at
 * least once in the year, and each other member talked with at least one of them. Each year is judged
 * by the branch as it was on its last day (today, for the year running): the posts held that day, the
 * members it had that day (member_org_history), its 党小组 where they were then.
 * A talk is a 谈心谈话 record of the branch or one of its Party groups, chair ↔ counterpart either way.
 * A branch without a committee member on record that day is not checked (ORG-5 flags the vacancy).
 */
const LIFE_7: RulePart = {
  id: 'LIFE-7',
  subjectType: 'org',
  periodType: 'year',
  kind: 'heartTalk',
  evaluate(ctx) {
    const r = range(ctx, 'year');
    if (!r) return null;
    const c = ctx.county;
    return sql`insert into rule_stage ${STAGE_COLUMNS}
      with p as materialized (${periodsSql(ctx, 'year', 'life.talksPerYear')}),
      s as materialized (select o.id, o.founded_on, o.dissolved_on from orgs o where ${orgFilter(ctx, BRANCH_KINDS)}),
      -- The day each year is judged by: its last, or today while it runs.
      pr as materialized (select p.period, least(p.end_on, ${ctx.today}::date) as ref from p),
      cm as materialized (select distinct pr.period, op.org_id, op.member_id from org_posts op join s on s.id = op.org_id cross join pr
        where op.county_code = ${c} and op.member_id is not null and (op.start_date is null or op.start_date <= pr.ref) and (op.ended_on is null or op.ended_on > pr.ref)),
      gb as materialized (select ho.id, pr.period, ${parentOn('ho', sql`pr.ref`)} as branch_id from orgs ho cross join pr
        where ho.county_code = ${c} and ho.kind = 'partyGroup' and (ho.parent_id in (select id from s) or ho.id in ${movedGroupsFrom(c)})),
      -- Members of each branch (or of a 党小组 under it then) on that day; a member without history, from the join date where they are now.
      mem as materialized (select pr.period, h.org_id, h.member_id from member_org_history h cross join pr
          where h.county_code = ${c} and h.from_date <= pr.ref and (h.to_date is null or h.to_date > pr.ref)
            and (h.org_id in (select id from s) or h.org_id in (select id from gb))
        union
        select pr.period, m.org_id, m.id from members m cross join pr
          where m.county_code = ${c} and m.join_date <= pr.ref and (m.org_id in (select id from s) or m.org_id in (select id from gb))
            and not exists (select 1 from member_org_history h where h.county_code = m.county_code and h.member_id = m.id)),
      bm as materialized (select distinct mem.period, coalesce(gb.branch_id, mem.org_id) as branch_id, mem.member_id from mem
          left join gb on gb.id = mem.org_id and gb.period = mem.period
          join members m on m.county_code = ${c} and m.id = mem.member_id
        where coalesce(gb.branch_id, mem.org_id) in (select id from s)
          and not exists (select 1 from cm where cm.period = mem.period and cm.member_id = m.id and cm.org_id = coalesce(gb.branch_id, mem.org_id))
          -- As MEM-4: flowing members talk where they are, lost-contact ones cannot be reached, a stopped or removed membership is outside it.
          and not m.lost_contact and not m.mobile and (m.party_status = 'normal' or m.party_status_since > (select pr.ref from pr where pr.period = mem.period))),
      t as materialized (select coalesce(tg.branch_id, mo.id) as branch_id, ${periodKey('year', sql`mt.held_on`)} as period, least(mt.chair_member_id, mt.counterpart_member_id) as a,
          greatest(mt.chair_member_id, mt.counterpart_member_id) as b, count(*)::int as n, array_agg(mt.id) as ids
        from meetings mt join orgs mo on mo.county_code = mt.county_code and mo.id = mt.org_id
          left join gb tg on tg.id = mo.id and tg.period = ${periodKey('year', sql`mt.held_on`)}
        where mt.county_code = ${c} and mt.kind = 'heartTalk' and mt.deleted_at is null and mt.chair_member_id is not null and mt.counterpart_member_id is not null
          and mt.held_on between ${r[0]}::date and ${r[1]}::date${ctx.orgIds ? sql` and (mo.id = any(${uuidArray(ctx.orgIds)}) or mo.id in (select id from gb))` : sql``} group by 1, 2, 3, 4),
      pairs as materialized (select c1.period, c1.org_id, c1.member_id as a, c2.member_id as b from cm c1 join cm c2 on c2.period = c1.period and c2.org_id = c1.org_id and c1.member_id < c2.member_id),
      need as materialized (select s.id, pr.period, (select count(*) from pairs where pairs.org_id = s.id and pairs.period = pr.period)::int
          + (select count(*) from bm where bm.branch_id = s.id and bm.period = pr.period)::int as n from s cross join pr
        where exists (select 1 from cm where cm.org_id = s.id and cm.period = pr.period)),
      done_pairs as materialized (select pairs.org_id, t.period, count(*)::int as n from pairs join t on t.branch_id = pairs.org_id and t.period = pairs.period and t.a = pairs.a and t.b = pairs.b
        join p on p.period = t.period where t.n >= p.required group by 1, 2),
      done_members as materialized (select bm.branch_id, t.period, count(distinct bm.member_id)::int as n from bm join cm on cm.org_id = bm.branch_id and cm.period = bm.period
        join t on t.branch_id = bm.branch_id and t.period = bm.period and ((t.a = bm.member_id and t.b = cm.member_id) or (t.b = bm.member_id and t.a = cm.member_id))
        join p on p.period = t.period where t.n >= p.required group by 1, 2),
      refs as materialized (select t.branch_id, t.period, jsonb_agg(distinct u.x) as refs from t cross join lateral unnest(t.ids) as u(x) where t.branch_id in (select id from s) group by 1, 2)
      select 'LIFE-7', 'org', o.id, p.period, o.id, p.start_on, p.end_on, need.n, coalesce(dp.n, 0) + coalesce(dm.n, 0), coalesce(dp.n, 0) + coalesce(dm.n, 0) >= need.n,
        p.end_on < ${ctx.today}::date, coalesce(refs.refs, '[]'::jsonb),
        p.label || '谈心谈话未全覆盖：应谈 ' || need.n || ' 对（人），已谈 ' || (coalesce(dp.n, 0) + coalesce(dm.n, 0)),
        '本年谈心谈话尚差 ' || (need.n - coalesce(dp.n, 0) - coalesce(dm.n, 0)) || ' 对（人），剩余 ' || (p.end_on - ${ctx.today}::date + 1) || ' 天',
        '班子成员之间、班子成员与每名党员之间开展并记录谈心谈话'
      from s o cross join p join need on need.id = o.id and need.period = p.period
        left join done_pairs dp on dp.org_id = o.id and dp.period = p.period
        left join done_members dm on dm.branch_id = o.id and dm.period = p.period
        left join refs on refs.branch_id = o.id and refs.period = p.period
      where ${existedIn('o', 'p')}`;
  },
};

/** LIFE-8 for the branch: an appraisal in the year (a 民主评议 record or grades entered), 优秀 within the share. */
const LIFE_8: RulePart = {
  id: 'LIFE-8',
  subjectType: 'org',
  periodType: 'year',
  kind: 'appraisal',
  evaluate(ctx) {
    const r = range(ctx, 'year');
    if (!r) return null;
    const c = ctx.county;
    // The share in force on each year's first day, as the appraisal page warns with it.
    const shares = ctx.periods.year.map((p) => {
      const [num, den] = parseShare(ctx.settings.at('life.excellentMaxShare', p.start)) ?? [1, 3];
      return { period: p.period, num, den };
    });
    return sql`insert into rule_stage ${STAGE_COLUMNS}
      with p as materialized (${periodsSql(ctx, 'year', 'life.appraisalsPerYear')}),
      s as materialized (select o.id, o.founded_on, o.dissolved_on from orgs o where ${orgFilter(ctx, BRANCH_KINDS, 'o', { former: true })}),
      am as materialized (select s.id, ${periodKey('year', sql`mt.held_on`)} as period, count(*)::int as held, jsonb_agg(mt.id order by mt.held_on) as refs
        from s join meetings mt on mt.county_code = ${c} and mt.org_id = s.id and mt.kind = 'appraisal'
        where mt.deleted_at is null and mt.held_on between ${r[0]}::date and ${r[1]}::date group by 1, 2),
      g as materialized (select ag.org_id, ag.year::text as period, count(*)::int as graded, count(*) filter (where ag.grade = 'excellent')::int as excellent
        from appraisal_grades ag join s on s.id = ag.org_id where ag.county_code = ${c} group by 1, 2),
      sh as materialized (select * from jsonb_to_recordset(${JSON.stringify(shares)}::jsonb) as y(period text, num int, den int)),
      x as materialized (select o.id, o.founded_on, o.dissolved_on, p.*, sh.num, sh.den, greatest(coalesce(am.held, 0), case when coalesce(g.graded, 0) > 0 then 1 else 0 end) as held,
          coalesce(g.graded, 0) as graded, coalesce(g.excellent, 0) as excellent, coalesce(am.refs, '[]'::jsonb) as refs
        from s o cross join p join sh on sh.period = p.period left join am on am.id = o.id and am.period = p.period left join g on g.org_id = o.id and g.period = p.period)
      select 'LIFE-8', 'org', x.id, x.period, x.id, x.start_on, x.end_on, x.required, x.held,
        x.held >= x.required and x.excellent * x.den <= x.graded * x.num, x.end_on < ${ctx.today}::date, x.refs,
        x.label || case when x.held < x.required then '未开展民主评议党员' else '民主评议优秀党员 ' || x.excellent || ' 名，超过参评党员 ' || x.graded || ' 名的 ' || x.num || '/' || x.den end,
        '本年' || case when x.held < x.required then '尚未开展民主评议党员' else '民主评议优秀党员比例超过 ' || x.num || '/' || x.den end || '，剩余 ' || (x.end_on - ${ctx.today}::date + 1) || ' 天',
        case when x.held < x.required then '开展民主评议党员并记录评议结果' else '核实评议等次，使优秀党员不超过参评人数的 ' || x.num || '/' || x.den end
      from x where ${existedIn('x', 'x')}`;
  },
};

/** LIFE-8 for each 不合格 grade: a handling is recorded; a 限期改正 whose term has passed is reviewed. */
const LIFE_8_GRADE: RulePart = {
  id: 'LIFE-8',
  subject: '评为不合格的党员',
  subjectType: 'grade',
  periodType: 'year',
  kind: 'appraisal',
  evaluate(ctx) {
    const years = ctx.periods.year;
    if (!years.length) return null;
    const c = ctx.county;
    const months = ctx.settings.num('life.correctionMonths', ctx.today);
    return sql`insert into rule_stage ${STAGE_COLUMNS}
      with p as materialized (${periodsSql(ctx, 'year', null)}),
      g as materialized (select ag.id, ag.org_id, ag.year::text as period, ag.handling, ag.reviewed_on, ag.meeting_id, m.name,
          coalesce(ag.handling_ends_on, (ag.created_at at time zone 'Asia/Shanghai')::date + make_interval(months => ${months}))::date as ends_on
        from appraisal_grades ag join members m on m.county_code = ag.county_code and m.id = ag.member_id
        where ag.county_code = ${c} and ag.grade = 'unqualified'${ctx.orgIds ? sql` and ag.org_id = any(${uuidArray(ctx.orgIds)})` : sql``})
      select 'LIFE-8', 'grade', g.id, p.period, g.org_id, p.start_on, p.end_on, 1,
        case when g.handling is null then 0 when g.handling = 'correct' and g.reviewed_on is null and g.ends_on < ${ctx.today}::date then 0 else 1 end,
        not (g.handling is null or (g.handling = 'correct' and g.reviewed_on is null and g.ends_on < ${ctx.today}::date)), true,
        case when g.meeting_id is null then '[]'::jsonb else jsonb_build_array(g.meeting_id) end,
        case when g.handling is null then p.label || '民主评议不合格党员' || g.name || '尚无组织处置记录' else '党员' || g.name || '限期改正期满（' || g.ends_on || '），应进行复评' end,
        null,
        case when g.handling is null then '记录组织处置（限期改正、劝退或除名）' else '记录复评日期和结果' end
      from g join p on p.period = g.period`;
  },
};

const checks: RuleChecks = {
  'LIFE-1': [LIFE_1, LIFE_1_DECISIONS],
  'LIFE-2': [LIFE_2],
  'LIFE-3': [LIFE_3],
  'LIFE-4': [LIFE_4, LIFE_4_SECRETARY],
  'LIFE-5': [LIFE_5],
  'LIFE-6': [LIFE_6],
  'LIFE-7': [LIFE_7],
  'LIFE-8': [LIFE_8, LIFE_8_GRADE],
  'LIFE-9': [LIFE_9],
};

export default checks;
