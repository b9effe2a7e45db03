/**
 * The rules engine's statements for the lists module's rules (contract/modules/lists.ts `rules`):
 * standing rules on an organization, true now or not, each naming what the data shows — the overdue
 * task shares it holds (TASK-1), the documents it has not signed or reported on by their days (DOC-1),
 * the problems whose rectification deadline has passed unclosed (RECT-1). An organization without any
 * is not written, and a problem it had clears.
 */
import { sql } from 'drizzle-orm';
import { TASK_OPEN_STATUSES } from '../../../contract/labels.ts';
import decl from '../../../contract/modules/lists.ts';
import { closedSql, unreportedSql, unsignedSql } from './predicates.ts';
import { orgFilter, type RuleChecks, type RulePart, STAGE_COLUMNS, textList } from '../problems/api.ts';

const STANDING = { periodType: null, kind: null, subjectType: 'org' } as const;
const OPEN = [...TASK_OPEN_STATUSES];

const TASK_1: RulePart = {
  ...STANDING,
  id: 'TASK-1',
  evaluate(ctx) {
    const c = ctx.county;
    return sql`insert into rule_stage ${STAGE_COLUMNS}
      with s as materialized (select o.id from orgs o where ${orgFilter(ctx, decl.rules['TASK-1'].orgKinds)}),
      x as materialized (select a.org_id, count(*)::int as n, max(${ctx.today}::date - a.deadline)::int as worst,
          array_agg(t.title order by a.deadline, t.title) as titles
        from task_assignments a join s on s.id = a.org_id join tasks t on t.county_code = a.county_code and t.id = a.task_id
        where a.county_code = ${c} and a.status in (${textList(OPEN)}) and a.deadline < ${ctx.today}::date
        group by a.org_id)
      select 'TASK-1', 'org', x.org_id, '', x.org_id, null::date, null::date, 0, x.n, false, true, '[]'::jsonb,
        '承办的 ' || x.n || ' 项任务逾期未完成（最长逾期 ' || x.worst || ' 天）：' || array_to_string(x.titles[1:3], '、') || case when x.n > 3 then ' 等' else '' end,
        '承办的 ' || x.n || ' 项任务已过完成时限',
        '完成任务并提交，经下发组织验收'
      from x`;
  },
};

const DOC_1: RulePart = {
  ...STANDING,
  id: 'DOC-1',
  evaluate(ctx) {
    const c = ctx.county;
    return sql`insert into rule_stage ${STAGE_COLUMNS}
      with s as materialized (select o.id from orgs o where ${orgFilter(ctx, decl.rules['DOC-1'].orgKinds)}),
      x as materialized (select r.org_id,
          count(*) filter (where ${unsignedSql(ctx.today)})::int as unsigned,
          count(*) filter (where ${unreportedSql(ctx.today)})::int as unreported,
          count(*)::int as n, array_agg(d.title order by d.sign_deadline, d.title) as titles
        from directive_recipients r join s on s.id = r.org_id join directives d on d.county_code = r.county_code and d.id = r.directive_id
        where r.county_code = ${c} and (${unsignedSql(ctx.today)} or ${unreportedSql(ctx.today)})
        group by r.org_id)
      select 'DOC-1', 'org', x.org_id, '', x.org_id, null::date, null::date, 0, x.n, false, true, '[]'::jsonb,
        concat_ws('，', case when x.unsigned > 0 then x.unsigned || ' 份上级文件超过时限未签收' end,
          case when x.unreported > 0 then x.unreported || ' 份超过时限未报告贯彻落实情况' end)
          || '：' || array_to_string(x.titles[1:3], '、') || case when x.n > 3 then ' 等' else '' end,
        x.n || ' 份上级文件未按时签收或报告',
        '签收文件并报告贯彻落实情况'
      from x`;
  },
};

const RECT_1: RulePart = {
  ...STANDING,
  id: 'RECT-1',
  evaluate(ctx) {
    const c = ctx.county;
    // The plan in force is the newest; a problem is closed (销号) when cleared and its newest verification since it last opened passed.
    return sql`insert into rule_stage ${STAGE_COLUMNS}
      with s as materialized (select o.id from orgs o where ${orgFilter(ctx, decl.rules['RECT-1'].orgKinds)}),
      plan as materialized (select distinct on (r.problem_id) r.problem_id, r.org_id, r.deadline from problem_rectifications r
        join s on s.id = r.org_id where r.county_code = ${c} order by r.problem_id, r.set_at desc, r.id desc),
      late as materialized (select plan.org_id, plan.deadline, p.message from plan
        join problems p on p.county_code = ${c} and p.id = plan.problem_id
        where plan.deadline < ${ctx.today}::date and p.status in ('open', 'cleared') and p.rule_id <> 'RECT-1'
          and not ${closedSql('p')}),
      x as materialized (select late.org_id, count(*)::int as n, max(${ctx.today}::date - late.deadline)::int as worst,
          array_agg(late.message order by late.deadline) as msgs from late group by late.org_id)
      select 'RECT-1', 'org', x.org_id, '', x.org_id, null::date, null::date, 0, x.n, false, true, '[]'::jsonb,
        x.n || ' 个问题超过整改时限未销号（最长超期 ' || x.worst || ' 天）：' || array_to_string(x.msgs[1:2], '；') || case when x.n > 2 then ' 等' else '' end,
        x.n || ' 个问题超过整改时限',
        '整改到位并经上级验收销号，或重新制定整改时限'
      from x`;
  },
};

const checks: RuleChecks = { 'TASK-1': [TASK_1], 'DOC-1': [DOC_1], 'RECT-1': [RECT_1] };

export default checks;
