/**
 * The rules engine's statements for the first-secretaries module's rules (contract/modules/firstsec.ts
 * `rules`): FS-1, a standing rule on a village the county marked (软弱涣散村 and the others) that has no
 * serving first secretary (or, for 乡村振兴任务重的村, no first secretary or work-team member) today; FS-2,
 * a month's days in the village of each first secretary and work-team member, counted by attendance.ts,
 * each message saying what the data shows — judged only for months the person could check in all month
 * (from the month after the account was opened): before, the platform holds no record of their days.
 */
import { sql } from 'drizzle-orm';
import {
  FS_DAYS_ROLES,
  FS_FIVE_PART_LABELS,
  FS_ROLE_LABELS,
  ORG_DESIGNATION_LABELS,
} from '../../../contract/labels.ts';
import decl from '../../../contract/modules/firstsec.ts';
import { orgFilter, type RuleChecks, type RulePart, STAGE_COLUMNS, textList } from '../problems/api.ts';
import { attendanceSql, monthSpec } from './attendance.ts';
import { fiveSql, halvesOf, quartersOf, yearsOf } from './fiveones.ts';
import { REPORT_WORD, reportDueSql, reportSpecs } from './report-schedule.ts';

const designationLabel = sql.raw(
  `case d.kind ${Object.entries(ORG_DESIGNATION_LABELS)
    .map(([k, v]) => `when '${k}' then '${v}'`)
    .join(' ')} else d.kind end`,
);

const FS_1: RulePart = {
  periodType: null,
  kind: null,
  subjectType: 'org',
  id: 'FS-1',
  evaluate(ctx) {
    const c = ctx.county;
    return sql`insert into rule_stage ${STAGE_COLUMNS}
      with s as materialized (select o.id from orgs o where ${orgFilter(ctx, decl.rules['FS-1'].orgKinds)}),
      d as materialized (select g.org_id, g.kind, min(g.from_date) as from_date from org_designations g join s on s.id = g.org_id
        where g.county_code = ${c} and g.from_date <= ${ctx.today}::date and (g.to_date is null or g.to_date >= ${ctx.today}::date)
        group by 1, 2),
      f as materialized (select f.org_id, f.role, f.name from first_secretaries f join s on s.id = f.org_id
        where f.county_code = ${c} and f.status = 'serving' and f.start_date <= ${ctx.today}::date
          and (f.ended_on is null or f.ended_on > ${ctx.today}::date)),
      x as materialized (select d.org_id,
          string_agg(${designationLabel} || '（' || to_char(d.from_date, 'YYYY-MM-DD') || ' 起）', '、' order by d.kind) as marks,
          bool_or(d.kind <> 'revitalization') as needs_secretary,
          exists (select 1 from f where f.org_id = d.org_id and f.role = 'firstSecretary') as has_secretary,
          exists (select 1 from f where f.org_id = d.org_id and f.role = 'workTeam') as has_team
        from d group by d.org_id)
      select 'FS-1', 'org', x.org_id, '', x.org_id, null::date, null::date, 1, 0, false, true, '[]'::jsonb,
        '标注为' || x.marks || '，' || case when x.needs_secretary then
            '没有在岗的第一书记' || case when x.has_team then '（仅有驻村工作队员）' else '' end
          else '没有在岗的第一书记或驻村工作队员' end,
        '没有在岗的第一书记',
        '选派第一书记（乡村振兴任务重的村也可选派驻村工作队）并登记在册'
      from x where (x.needs_secretary and not x.has_secretary) or (not x.needs_secretary and not x.has_secretary and not x.has_team)`;
  },
};

const FS_2: RulePart = {
  periodType: 'month',
  kind: null,
  subjectType: 'firstSecretary',
  id: 'FS-2',
  evaluate(ctx) {
    if (!ctx.periods.month.length) return null;
    const months = ctx.periods.month.map((p) => monthSpec(ctx.settings, p.period));
    return sql`insert into rule_stage ${STAGE_COLUMNS}
      ${attendanceSql(ctx.county, { rule: ctx, orgKinds: decl.rules['FS-2'].orgKinds }, months, ctx.today, new Date(`${ctx.today}T00:00:00+08:00`))}
      select 'FS-2', 'firstSecretary', a.fs_id, a.period, a.org_id, a.start_on, a.end_on, a.required, a.days_in,
        a.days_in >= a.required, a.end_on < ${ctx.today}::date, '[]'::jsonb,
        a.label || (case a.role when 'workTeam' then '驻村工作队员' else '第一书记' end) || a.name || '在村 ' || a.days_in || ' 天，应不少于 '
          || a.required || ' 天（在岗工作日 ' || a.wd || ' 天'
          || case when a.leave_days > 0 then '，经批准请假 ' || a.leave_days || ' 天' else '' end
          || case when a.missed > 0 then '，不打招呼抽查未按时回应 ' || a.missed || ' 次，当天不计在村' else '' end
          || case when a.known then '' else '；该年放假安排未录入，工作日按周一至周五计' end || '）',
        '本月' || a.name || '已在村 ' || a.days_in || ' 天，应不少于 ' || a.required || ' 天',
        '按要求驻村，每天在驻村地点打卡（请假须经乡镇党委和派出单位批准）'
      from a where a.wd > 0 and a.role in (${textList(FS_DAYS_ROLES)})
        and a.account_from is not null and a.start_on >= a.account_from`;
  },
};

const roleLabel = sql.raw(
  `case v.role ${Object.entries(FS_ROLE_LABELS)
    .map(([k, l]) => `when '${k}' then '${l}'`)
    .join(' ')} end`,
);
const partLabel = sql.raw(
  `case v.part ${Object.entries(FS_FIVE_PART_LABELS)
    .map(([k, l]) => `when '${k}' then '${l.replace(/ /g, '')}'`)
    .join(' ')} end`,
);
const fiveWho = (ctx: Parameters<RulePart['evaluate']>[0]) => ({ rule: ctx, orgKinds: decl.rules['FS-3'].orgKinds });

/** FS-3 by month: each half month (1st–15th, 16th–end) a day at the linked organization. */
const FS_3_HALF: RulePart = {
  periodType: 'month',
  kind: null,
  subjectType: 'firstSecretary',
  id: 'FS-3',
  subject: '两新组织第一书记、党建指导员（每半月到联系的组织工作 1 天）',
  evaluate(ctx) {
    if (!ctx.periods.month.length) return null;
    const spans = halvesOf(ctx.periods.month.map((p) => p.period));
    return sql`insert into rule_stage ${STAGE_COLUMNS}
      ${fiveSql(ctx.county, fiveWho(ctx), spans, ctx.today)}
      select 'FS-3', 'firstSecretary', v.fs_id, v.grp, v.org_id, min(v.start_on), max(v.end_on),
        (count(*) filter (where v.judged and v.state <> 'excused'))::int, (count(*) filter (where v.state = 'done'))::int,
        bool_and(v.state in ('done', 'excused', 'notJudged')), bool_or(v.state = 'missed') or max(v.end_on) < ${ctx.today}::date,
        coalesce(jsonb_agg(r) filter (where r is not null), '[]'::jsonb),
        coalesce(string_agg(v.label, '、' order by v.period) filter (where v.state = 'missed') || min(${roleLabel}) || min(v.name)
          || '没有在联系的组织（' || min(v.org_name) || '）打卡的记录（“五个一”：' || ${FS_FIVE_PART_LABELS.half.replace(/ /g, '')} || '）',
          min(v.grp) || ' 每半月均到联系的组织打卡'),
        '本月' || string_agg(case when v.period like '%-1' then '上' else '下' end, '、') filter (where v.state = 'due')
          || '半月还没有在联系的组织（' || min(v.org_name) || '）打卡的记录',
        '每半月至少到联系的组织工作 1 天，在该组织打卡'
      from v left join lateral jsonb_array_elements(v.refs) r on true
      where v.part = 'half' group by v.fs_id, v.grp, v.org_id having bool_or(v.judged)`;
  },
};

/** FS-3 by quarter: a themed Party day at the linked organization (the life module's record). */
const FS_3_QUARTER: RulePart = {
  periodType: 'quarter',
  kind: null,
  subjectType: 'firstSecretary',
  id: 'FS-3',
  subject: '两新组织第一书记、党建指导员（每季度 1 次主题党日）',
  evaluate(ctx) {
    if (!ctx.periods.quarter.length) return null;
    return sql`insert into rule_stage ${STAGE_COLUMNS}
      ${fiveSql(ctx.county, fiveWho(ctx), quartersOf(ctx.periods.quarter), ctx.today)}
      select 'FS-3', 'firstSecretary', v.fs_id, v.period, v.org_id, v.start_on, v.end_on, 1, case when v.done then 1 else 0 end,
        v.done, v.end_on < ${ctx.today}::date, v.refs,
        v.label || ${roleLabel} || v.name || '联系的组织（' || v.org_name || '）没有主题党日的记录（“五个一”：' || ${FS_FIVE_PART_LABELS.quarter.replace(/ /g, '')} || '）',
        '本季度' || v.name || '联系的组织（' || v.org_name || '）还没有主题党日的记录',
        '在联系的组织开展主题党日，并在组织生活中记录'
      from v where v.part = 'quarter' and v.judged`;
  },
};

/** FS-3 by year: a practice spread, a problem solved, an experience paper, recorded by hand. */
const FS_3_YEAR: RulePart = {
  periodType: 'year',
  kind: null,
  subjectType: 'firstSecretary',
  id: 'FS-3',
  subject: '两新组织第一书记、党建指导员（每年经验做法、解决实际问题、心得体会文章各 1）',
  evaluate(ctx) {
    if (!ctx.periods.year.length) return null;
    return sql`insert into rule_stage ${STAGE_COLUMNS}
      ${fiveSql(ctx.county, fiveWho(ctx), yearsOf(ctx.periods.year), ctx.today)}
      select 'FS-3', 'firstSecretary', v.fs_id, v.grp, v.org_id, min(v.start_on), max(v.end_on), 3, (count(*) filter (where v.done))::int,
        bool_and(v.done), max(v.end_on) < ${ctx.today}::date,
        coalesce(jsonb_agg(r) filter (where r is not null), '[]'::jsonb),
        coalesce(min(v.label) || min(${roleLabel}) || min(v.name) || '的“五个一”没有记录：' || string_agg(${partLabel}, '、' order by v.part) filter (where not v.done),
          min(v.label) || '“五个一”均已记录'),
        '今年' || min(v.name) || '还需记录：' || string_agg(${partLabel}, '、' order by v.part) filter (where not v.done),
        '记录当年总结推广的经验做法、为组织解决的实际问题和年终心得体会文章，由乡镇（街道）党（工）委确认'
      from v left join lateral jsonb_array_elements(v.refs) r on true
      where v.part in ('practice', 'deed', 'paper') and v.judged group by v.fs_id, v.grp, v.org_id`;
  },
};

const reportRole = sql.raw(
  `case rd.role ${Object.entries(FS_ROLE_LABELS)
    .map(([k, l]) => `when '${k}' then '${l}'`)
    .join(' ')} end`,
);

/**
 * FS-4, one part per kind of report (定期汇报): a period the person is judged for (report-schedule.ts)
 * with no report is a problem from the day after its due date, a reminder between the period's end and
 * the due date; a report written after the due date meets the rule (its lateness is on the status page).
 */
function reportPart(kind: 'monthly' | 'quarterly' | 'yearly', periodType: 'month' | 'quarter' | 'year'): RulePart {
  return {
    periodType,
    kind: null,
    subjectType: 'firstSecretary',
    id: 'FS-4',
    subject: `在岗的第一书记、驻村工作队员、党建指导员（${decl.rules['FS-4'].name}：${REPORT_WORD[kind]}）`,
    evaluate(ctx) {
      const specs = reportSpecs(
        ctx.settings,
        kind,
        ctx.periods[periodType].map((p) => p.period),
      ).filter((s) => s.due_on);
      if (!specs.length) return null;
      const word = REPORT_WORD[kind];
      return sql`insert into rule_stage ${STAGE_COLUMNS}
      ${reportDueSql(ctx.county, { rule: ctx, orgKinds: decl.rules['FS-4'].orgKinds }, specs)}
      select 'FS-4', 'firstSecretary', rd.fs_id, rd.period, rd.org_id, rd.start_on, rd.due_on, 1, (rd.report_id is not null)::int,
        rd.report_id is not null, rd.due_on < ${ctx.today}::date,
        '[]'::jsonb,
        case when rd.report_id is null
          then rd.label || ${word} || '（' || ${reportRole} || rd.name || '）应于 ' || to_char(rd.due_on, 'YYYY-MM-DD') || ' 前提交，至今未提交'
          when rd.late_days > 0 then rd.label || ${word} || '（' || ${reportRole} || rd.name || '）逾期 ' || rd.late_days || ' 天提交'
          else rd.label || ${word} || '（' || ${reportRole} || rd.name || '）已按时提交' end,
        case when rd.end_on < ${ctx.today}::date
          then rd.label || ${word} || '（' || ${reportRole} || rd.name || '）请于 ' || to_char(rd.due_on, 'YYYY-MM-DD') || ' 前提交' end,
        '在“工作日志”页面提交' || rd.label || ${word}
      from rd where rd.judged`;
    },
  };
}

const checks: RuleChecks = {
  'FS-1': [FS_1],
  'FS-2': [FS_2],
  'FS-3': [FS_3_HALF, FS_3_QUARTER, FS_3_YEAR],
  'FS-4': [reportPart('monthly', 'month'), reportPart('quarterly', 'quarter'), reportPart('yearly', 'year')],
};

export default checks;
