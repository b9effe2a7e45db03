/** LIFE-1, 2, 3, 4, 5, 9: a kind of meeting held at least N times per period (the "三会一课" counts). */
import { type SQL, sql } from 'drizzle-orm';
import { MEETING_KIND_LABELS, type MeetingKind } from '../../../../contract/meetings.ts';
import type { PeriodType } from '../periods.ts';
import type { RuleSettingKey } from '../rule-settings.ts';
import { BRANCH_KINDS, existedIn, orgFilter, periodKey, periodsSql, type Rule, type RuleCtx, range, SOURCE_BRANCH, STAGE_COLUMNS } from './common.ts';

interface MeetingRuleDef {
  id: string;
  name: string;
  text: string;
  source: string;
  subject: string;
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

export function meetingRule(def: MeetingRuleDef): Rule {
  const kl = MEETING_KIND_LABELS[def.kind];
  return {
    id: def.id,
    name: def.name,
    text: def.text,
    source: def.source,
    subject: def.subject,
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

export const LIFE_1 = meetingRule({
  id: 'LIFE-1',
  name: '支部党员大会',
  text: '党支部每季度至少召开 1 次支部党员大会（次数为县级可设参数）。',
  source: SOURCE_BRANCH,
  subject: '党支部、联合党支部、临时党支部（所在党总支召开的党员大会同样计入）',
  orgKinds: BRANCH_KINDS,
  periodType: 'quarter',
  kind: 'branchMeeting',
  setting: 'life.branchMeetingsPerQuarter',
  clearedBy: '召开并记录一次支部党员大会（含考勤）',
  parentGeneralBranch: true,
});

export const LIFE_2 = meetingRule({
  id: 'LIFE-2',
  name: '支委会',
  text: '设立支部委员会的党支部（党总支）每月至少召开 1 次支委会，到会委员超过半数方为有效。',
  source: SOURCE_BRANCH,
  subject: '设有委员会的党支部、联合党支部、临时党支部和党总支（现任委员 3 人以上或正式党员 7 人以上）；只计有效（到会委员过半）的会议',
  orgKinds: [...BRANCH_KINDS, 'generalBranch'],
  periodType: 'month',
  kind: 'committeeMeeting',
  setting: 'life.committeeMeetingsPerMonth',
  clearedBy: '召开并记录一次到会委员过半的支委会',
  subjectWhere: hasCommittee,
});

export const LIFE_3 = meetingRule({
  id: 'LIFE-3',
  name: '党小组会',
  text: '党小组每月至少召开 1 次党小组会。',
  source: SOURCE_BRANCH,
  subject: '党小组',
  orgKinds: ['partyGroup'],
  periodType: 'month',
  kind: 'groupMeeting',
  setting: 'life.groupMeetingsPerMonth',
  clearedBy: '召开并记录一次党小组会（含考勤）',
});

export const LIFE_4 = meetingRule({
  id: 'LIFE-4',
  name: '党课',
  text: '党支部每季度至少上 1 次党课；党组织书记每年至少讲 1 次党课。',
  source: SOURCE_BRANCH,
  subject: '党支部、联合党支部、临时党支部（所在党总支的党课同样计入）',
  orgKinds: BRANCH_KINDS,
  periodType: 'quarter',
  kind: 'partyLecture',
  setting: 'life.branchLecturesPerQuarter',
  clearedBy: '组织并记录一次党课',
  parentGeneralBranch: true,
});

export const LIFE_5 = meetingRule({
  id: 'LIFE-5',
  name: '主题党日',
  text: '党支部每月相对固定 1 天开展主题党日。',
  source: SOURCE_BRANCH,
  subject: '党支部、联合党支部、临时党支部（所在党总支的主题党日同样计入）',
  orgKinds: BRANCH_KINDS,
  periodType: 'month',
  kind: 'themedDay',
  setting: 'life.themedDaysPerMonth',
  clearedBy: '开展并记录一次主题党日',
  parentGeneralBranch: true,
});

export const LIFE_9 = meetingRule({
  id: 'LIFE-9',
  name: '基层党建专题会议',
  text: '党委（党工委）每年至少召开 2 次基层党建专题会议，研究解决 2–3 个重大问题，并影像留痕。',
  source: '县委组织部基层党建工作要点',
  subject: '党委、党工委',
  orgKinds: ['committee', 'workingCommittee'],
  periodType: 'year',
  kind: 'specialMeeting',
  setting: 'life.specialMeetingsPerYear',
  clearedBy: '召开并记录基层党建专题会议（附影像资料）',
});
