/**
 * The rules engine's statements for the rules of organizational life this module declares (manifest
 * `rules`, LIFE-*): LIFE-1, 2, 3, 4, 5, 9 count a kind of meeting per period (the "三会一课" counts);
 * LIFE-4's secretaries' lectures, LIFE-6, 7, 8 are yearly rules with more than a count. Built from the
 * engine's helpers (problems/api.ts); a record's own warnings are in rules.ts.
 */
import { type SQL, sql } from 'drizzle-orm';
import { MEETING_KIND_LABELS, type MeetingKind } from '../../../contract/meetings.ts';
import {
  BRANCH_KINDS,
  existedIn,
  MEMBER_BRANCH,
  orgFilter,
  type PeriodType,
  parseShare,
  periodKey,
  periodsSql,
  type RuleChecks,
  type RuleCtx,
  type RulePart,
  type RuleSettingKey,
  range,
  STAGE_COLUMNS,
  uuidArray,
} from '../problems/api.ts';

interface MeetingRuleDef {
  id: string;
  orgKinds: readonly string[];
  periodType: PeriodType;
  kind: MeetingKind;
  setting: RuleSettingKey;
  clearedBy: string;
  /** A general branch's meetings count for the branches under it (its 党员大会 is theirs too). */
  parentGeneralBranch?: boolean;
  /** Extra condition on the subject organization `o` (LIFE-2: only branches with a committee). */
  subjectWhere?: (ctx: RuleCtx) => SQL;
}

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
        ? sql`union all select s.id, g.id from s join orgs g on g.county_code = ${c} and g.id = s.parent_id and g.kind = 'generalBranch'`
        : sql``;
      return sql`insert into rule_stage ${STAGE_COLUMNS}
        with p as materialized (${periodsSql(ctx, def.periodType, def.setting)}),
        s as materialized (select o.id, o.parent_id, o.founded_on from orgs o where ${orgFilter(ctx, def.orgKinds)}${def.subjectWhere ? sql` and ${def.subjectWhere(ctx)}` : sql``}),
        src as materialized (select s.id as subject_id, s.id as src_id from s ${parents}),
        m as materialized (select src.subject_id, ${periodKey(def.periodType, sql`mt.held_on`)} as period, count(*)::int as held, jsonb_agg(mt.id order by mt.held_on) as refs
          from src join meetings mt on mt.county_code = ${c} and mt.org_id = src.src_id and mt.kind = ${def.kind}
          where mt.deleted_at is null and mt.valid and mt.held_on between ${r[0]}::date and ${r[1]}::date group by 1, 2)
        select ${def.id}, 'org', o.id, p.period, o.id, p.start_on, p.end_on, p.required, coalesce(m.held, 0), coalesce(m.held, 0) >= p.required, p.end_on < ${ctx.today}::date,
          coalesce(m.refs, '[]'::jsonb),
          case when coalesce(m.held, 0) = 0 then p.label || ${`未召开${kl}`} else p.label || ${`${kl}仅召开 `} || m.held || ' 次，应至少召开 ' || p.required || ' 次' end,
          p.cur || case when coalesce(m.held, 0) = 0 then ${`尚未召开${kl}`} else ${`${kl}已召开 `} || m.held || ' 次，还差 ' || (p.required - m.held) || ' 次' end || '，剩余 ' || (p.end_on - ${ctx.today}::date + 1) || ' 天',
          ${def.clearedBy}
        from s o cross join p left join m on m.subject_id = o.id and m.period = p.period
        where ${existedIn('o', 'p')}`;
    },
  };
}

/**
 * LIFE-2 applies to branches that have a committee (支委会): three or more current post holders, or
 * seven or more full members (ORG-2 says such a branch must have one; if it has not, ORG-2 flags
 * that as well). Committee and members are as they are today, not as they were in the period.
 */
function hasCommittee(ctx: RuleCtx): SQL {
  const c = ctx.county;
  return sql`((select count(*) from org_posts op where op.county_code = ${c} and op.org_id = o.id and op.ended_on is null and (op.member_id is not null or op.person_name is not null)) >= 3
    or (select count(*) from members mm join orgs mo on mo.county_code = mm.county_code and mo.id = mm.org_id
        where mm.county_code = ${c} and mm.standing = 'full' and (mo.id = o.id or (mo.parent_id = o.id and mo.kind = 'partyGroup'))) >= 7)`;
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
  clearedBy: '召开并记录一次到会委员过半的支委会',
  subjectWhere: hasCommittee,
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
  clearedBy: '召开并记录基层党建专题会议（附影像资料）',
});
/** LIFE-4, second part: the secretary of a committee (党委, 党工委, 总支) gives a lecture a year, anywhere in the county. */
const LIFE_4_SECRETARY: RulePart = {
  id: 'LIFE-4',
  subject: '党委、党工委、党总支的现任书记（在任何组织讲授的党课均计入；书记空缺时不检查，由 ORG-5 提示）',
  subjectType: 'secretary',
  periodType: 'year',
  kind: 'partyLecture',
  evaluate(ctx) {
    const r = range(ctx, 'year');
    if (!r) return null;
    const c = ctx.county;
    return sql`insert into rule_stage ${STAGE_COLUMNS}
      with p as materialized (${periodsSql(ctx, 'year', 'life.secretaryLecturesPerYear')}),
      s as materialized (select o.id, o.founded_on, sp.member_id, sm.name from orgs o
        join org_posts sp on sp.county_code = o.county_code and sp.org_id = o.id and sp.post = 'secretary' and sp.ended_on is null and sp.member_id is not null
        join members sm on sm.county_code = sp.county_code and sm.id = sp.member_id
        where ${orgFilter(ctx, ['committee', 'workingCommittee', 'generalBranch'])}),
      m as materialized (select s.id, ${periodKey('year', sql`mt.held_on`)} as period, count(*)::int as held, jsonb_agg(mt.id order by mt.held_on) as refs
        from s join meetings mt on mt.county_code = ${c} and mt.lecturer_member_id = s.member_id and mt.kind = 'partyLecture'
        where mt.deleted_at is null and mt.valid and mt.held_on between ${r[0]}::date and ${r[1]}::date group by 1, 2)
      select 'LIFE-4', 'secretary', o.id, p.period, o.id, p.start_on, p.end_on, p.required, coalesce(m.held, 0), coalesce(m.held, 0) >= p.required, p.end_on < ${ctx.today}::date,
        coalesce(m.refs, '[]'::jsonb),
        p.label || '书记' || o.name || case when coalesce(m.held, 0) = 0 then '未讲党课' else '讲党课 ' || m.held || ' 次，应至少 ' || p.required || ' 次' end,
        '本年书记' || o.name || '尚未讲足党课（应 ' || p.required || ' 次），剩余 ' || (p.end_on - ${ctx.today}::date + 1) || ' 天',
        '记录书记讲授的党课（主讲人选书记）'
      from s o cross join p left join m on m.id = o.id and m.period = p.period
      where ${existedIn('o', 'p')}`;
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
      s as materialized (select o.id, o.founded_on from orgs o where ${orgFilter(ctx, BRANCH_KINDS)}),
      lm as materialized (select s.id, ${periodKey('year', sql`mt.held_on`)} as period, count(*)::int as held, min(mt.held_on) as first_on,
          bool_or(btrim(coalesce(mt.rectification, '')) <> '') as rectified, jsonb_agg(mt.id order by mt.held_on) as refs
        from s join meetings mt on mt.county_code = ${c} and mt.org_id = s.id and mt.kind = 'lifeMeeting'
        where mt.deleted_at is null and mt.valid and mt.held_on between ${r[0]}::date and ${r[1]}::date group by 1, 2),
      t as materialized (select lm.id, lm.period, exists (select 1 from meetings ht join orgs ho on ho.county_code = ht.county_code and ho.id = ht.org_id
          where ht.county_code = ${c} and ht.kind = 'heartTalk' and ht.deleted_at is null and (ho.id = lm.id or ho.parent_id = lm.id)
            and ht.held_on between (lm.period || '-01-01')::date and lm.first_on) as talked from lm),
      x as materialized (select o.id, o.founded_on, p.*, coalesce(lm.held, 0) as held, coalesce(lm.rectified, false) as rectified, coalesce(t.talked, false) as talked, coalesce(lm.refs, '[]'::jsonb) as refs
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
 * LIFE-7: within a branch, each pair of committee members (current post holders who are members)
 * talked at least once in the year, and each other member talked with at least one of them.
 * A talk is a 谈心谈话 record of the branch or one of its Party groups, chair ↔ counterpart either way.
 * A branch without a committee member on record is not checked (ORG-5 flags the vacancy).
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
      s as materialized (select o.id, o.founded_on from orgs o where ${orgFilter(ctx, BRANCH_KINDS)}),
      cm as materialized (select distinct op.org_id, op.member_id from org_posts op join s on s.id = op.org_id where op.county_code = ${c} and op.ended_on is null and op.member_id is not null),
      bm as materialized (select ${MEMBER_BRANCH} as branch_id, m.id as member_id from members m join orgs mo on mo.county_code = m.county_code and mo.id = m.org_id
        where m.county_code = ${c} and ${MEMBER_BRANCH} in (select id from s) and not exists (select 1 from cm where cm.member_id = m.id and cm.org_id = ${MEMBER_BRANCH})),
      t as materialized (select ${MEMBER_BRANCH} as branch_id, ${periodKey('year', sql`mt.held_on`)} as period, least(mt.chair_member_id, mt.counterpart_member_id) as a,
          greatest(mt.chair_member_id, mt.counterpart_member_id) as b, count(*)::int as n, array_agg(mt.id) as ids
        from meetings mt join orgs mo on mo.county_code = mt.county_code and mo.id = mt.org_id
        where mt.county_code = ${c} and mt.kind = 'heartTalk' and mt.deleted_at is null and mt.chair_member_id is not null and mt.counterpart_member_id is not null
          and mt.held_on between ${r[0]}::date and ${r[1]}::date${ctx.orgIds ? sql` and (mo.id = any(${uuidArray(ctx.orgIds)}) or mo.parent_id = any(${uuidArray(ctx.orgIds)}))` : sql``} group by 1, 2, 3, 4),
      pairs as materialized (select c1.org_id, c1.member_id as a, c2.member_id as b from cm c1 join cm c2 on c2.org_id = c1.org_id and c1.member_id < c2.member_id),
      need as materialized (select s.id, (select count(*) from pairs where pairs.org_id = s.id)::int + (select count(*) from bm where bm.branch_id = s.id)::int as n from s
        where exists (select 1 from cm where cm.org_id = s.id)),
      done_pairs as materialized (select pairs.org_id, t.period, count(*)::int as n from pairs join t on t.branch_id = pairs.org_id and t.a = pairs.a and t.b = pairs.b
        join p on p.period = t.period where t.n >= p.required group by 1, 2),
      done_members as materialized (select bm.branch_id, t.period, count(distinct bm.member_id)::int as n from bm join cm on cm.org_id = bm.branch_id
        join t on t.branch_id = bm.branch_id and ((t.a = bm.member_id and t.b = cm.member_id) or (t.b = bm.member_id and t.a = cm.member_id))
        join p on p.period = t.period where t.n >= p.required group by 1, 2),
      refs as materialized (select t.branch_id, t.period, jsonb_agg(distinct u.x) as refs from t cross join lateral unnest(t.ids) as u(x) where t.branch_id in (select id from s) group by 1, 2)
      select 'LIFE-7', 'org', o.id, p.period, o.id, p.start_on, p.end_on, need.n, coalesce(dp.n, 0) + coalesce(dm.n, 0), coalesce(dp.n, 0) + coalesce(dm.n, 0) >= need.n,
        p.end_on < ${ctx.today}::date, coalesce(refs.refs, '[]'::jsonb),
        p.label || '谈心谈话未全覆盖：应谈 ' || need.n || ' 对（人），已谈 ' || (coalesce(dp.n, 0) + coalesce(dm.n, 0)),
        '本年谈心谈话尚差 ' || (need.n - coalesce(dp.n, 0) - coalesce(dm.n, 0)) || ' 对（人），剩余 ' || (p.end_on - ${ctx.today}::date + 1) || ' 天',
        '班子成员之间、班子成员与每名党员之间开展并记录谈心谈话'
      from s o join need on need.id = o.id cross join p
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
      s as materialized (select o.id, o.founded_on from orgs o where ${orgFilter(ctx, BRANCH_KINDS)}),
      am as materialized (select s.id, ${periodKey('year', sql`mt.held_on`)} as period, count(*)::int as held, jsonb_agg(mt.id order by mt.held_on) as refs
        from s join meetings mt on mt.county_code = ${c} and mt.org_id = s.id and mt.kind = 'appraisal'
        where mt.deleted_at is null and mt.valid and mt.held_on between ${r[0]}::date and ${r[1]}::date group by 1, 2),
      g as materialized (select ag.org_id, ag.year::text as period, count(*)::int as graded, count(*) filter (where ag.grade = 'excellent')::int as excellent
        from appraisal_grades ag join s on s.id = ag.org_id where ag.county_code = ${c} group by 1, 2),
      sh as materialized (select * from jsonb_to_recordset(${JSON.stringify(shares)}::jsonb) as y(period text, num int, den int)),
      x as materialized (select o.id, o.founded_on, p.*, sh.num, sh.den, greatest(coalesce(am.held, 0), case when coalesce(g.graded, 0) > 0 then 1 else 0 end) as held,
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
  'LIFE-1': [LIFE_1],
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
