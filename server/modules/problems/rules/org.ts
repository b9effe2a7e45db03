/** ORG-2, ORG-4, ORG-5, ORG-6: standing rules on an organization's leadership (period ''), the same logic as the card's warnings (orgs/checks.ts). */
import { type SQL, sql } from 'drizzle-orm';
import { addMonths } from '../periods.ts';
import { BRANCH_KINDS, orgFilter, type Rule, SOURCE_BRANCH, SOURCE_ELECTION, STAGE_COLUMNS, uuidArray } from './common.ts';

const LEADERSHIP_KINDS = [...BRANCH_KINDS, 'generalBranch', 'committee', 'workingCommittee'];
const STANDING = { periodType: null, kind: null, subjectType: 'org' } as const;

/** ORG-2: a branch with ≥7 full members has a committee of 3–7 with 书记, 组织委员, 宣传委员, 纪检委员. */
export const ORG_2: Rule = {
  ...STANDING,
  id: 'ORG-2',
  name: '支部委员会设置',
  text: '正式党员 7 人以上的党支部设立支部委员会（3 至 5 人，最多不超过 7 人），设书记和组织、宣传、纪检委员；不足 7 人的设书记。',
  source: SOURCE_BRANCH,
  subject: '党支部、联合党支部、临时党支部、党总支（正式党员含其党小组的党员）',
  evaluate(ctx) {
    const c = ctx.county;
    // A re-check counts only its organizations' members and posts, not the county's.
    const ids = ctx.orgIds;
    const only = (...cols: SQL[]) => (ids ? sql` and (${sql.join(cols.map((col) => sql`${col} = any(${uuidArray(ids)})`), sql` or `)})` : sql``);
    return sql`insert into rule_stage ${STAGE_COLUMNS}
      with s as materialized (select o.id from orgs o where ${orgFilter(ctx, [...BRANCH_KINDS, 'generalBranch'])}),
      fm as materialized (select case when mo.kind = 'partyGroup' then mo.parent_id else mo.id end as id, count(*)::int as n from members m
        join orgs mo on mo.county_code = m.county_code and mo.id = m.org_id where m.county_code = ${c} and m.standing = 'full'${only(sql`mo.id`, sql`mo.parent_id`)} group by 1),
      ps as materialized (select op.org_id, count(*)::int as held, array_agg(distinct op.post) as posts from org_posts op
        where op.county_code = ${c} and op.ended_on is null and (op.member_id is not null or op.person_name is not null)${only(sql`op.org_id`)} group by 1),
      x as materialized (select s.id, fm.n, coalesce(ps.held, 0) as held,
          array(select unnest(array['secretary', 'organizationMember', 'propagandaMember', 'disciplineMember']) except select unnest(coalesce(ps.posts, array[]::text[]))) as missing
        from s join fm on fm.id = s.id left join ps on ps.org_id = s.id where fm.n >= 7)
      select 'ORG-2', 'org', x.id, '', x.id, null::date, null::date, 3, x.held, x.held between 3 and 7 and cardinality(x.missing) = 0, true, '[]'::jsonb,
        case when x.held < 3 then '正式党员 ' || x.n || ' 名（≥7），应设支部委员会（3–5 人），现有委员 ' || x.held || ' 人'
          when x.held > 7 then '支部委员会 ' || x.held || ' 人，不应超过 7 人'
          else '支部委员会缺少：' || array_to_string(array(select case m when 'secretary' then '书记' when 'organizationMember' then '组织委员' when 'propagandaMember' then '宣传委员' else '纪检委员' end from unnest(x.missing) m), '、') end,
        null, '按规定选举产生支部委员会并在组织信息中登记委员职务'
      from x`;
  },
};

/** ORG-4: the term has ended (the day after term_end) → election overdue; 90 days before, a reminder. */
export const ORG_4: Rule = {
  ...STANDING,
  id: 'ORG-4',
  name: '按期换届',
  text: '村、社区党组织和乡镇党委每届 5 年，其他党支部、党总支每届 3 年；届满应按期换届，延期须经批准且不超过 1 年。',
  source: SOURCE_ELECTION,
  subject: '设有届期的党组织（党小组除外）',
  evaluate(ctx) {
    return sql`insert into rule_stage ${STAGE_COLUMNS}
      select 'ORG-4', 'org', o.id, '', o.id, null::date, null::date, 1, case when o.term_end < ${ctx.today}::date then 0 else 1 end,
        o.term_end - ${ctx.today}::date > 90, o.term_end < ${ctx.today}::date, '[]'::jsonb,
        '届期已于 ' || o.term_end || ' 届满（已超 ' || (${ctx.today}::date - o.term_end) || ' 天），应按期换届',
        case when o.term_end - ${ctx.today}::date <= 90 then '届期将于 ' || o.term_end || ' 届满，剩余 ' || (o.term_end - ${ctx.today}::date + 1) || ' 天，应做好换届准备' end,
        '按期完成换届选举并更新届期；延期换届须经上级批准'
      from orgs o where ${orgFilter(ctx, LEADERSHIP_KINDS)} and o.term_end is not null`;
  },
};

/**
 * ORG-5: no current secretary. Vacant since the secretary row's vacant_since, else the day after the
 * last secretary left, else the founding date; unknown → vacant now. Longer than N months → open;
 * within the N months → a reminder with the days left.
 */
export const ORG_5: Rule = {
  ...STANDING,
  id: 'ORG-5',
  name: '书记空缺',
  text: '班子职务空缺应及时补齐；书记空缺超过 3 个月（县级可设参数）是软弱涣散信号。',
  source: '《中国共产党支部工作条例（试行）》2018；软弱涣散基层党组织整顿标准',
  subject: '党支部、联合党支部、临时党支部、党总支、党委、党工委',
  evaluate(ctx) {
    const c = ctx.county;
    const months = ctx.settings.num('org.secretaryVacantMonthsRule', ctx.today);
    // Vacant for more than N months: vacant since a day before today − N months.
    const limit = addMonths(ctx.today, -months);
    return sql`insert into rule_stage ${STAGE_COLUMNS}
      with s as materialized (select o.id, o.founded_on from orgs o where ${orgFilter(ctx, LEADERSHIP_KINDS)}
          and not exists (select 1 from org_posts op where op.county_code = ${c} and op.org_id = o.id and op.post = 'secretary' and op.ended_on is null
            and (op.member_id is not null or op.person_name is not null))),
      x as materialized (select s.id, coalesce(
          (select max(op.vacant_since) from org_posts op where op.county_code = ${c} and op.org_id = s.id and op.post = 'secretary' and op.ended_on is null),
          (select max(op.ended_on) + 1 from org_posts op where op.county_code = ${c} and op.org_id = s.id and op.post = 'secretary'),
          s.founded_on, ${ctx.today}::date) as since from s)
      select 'ORG-5', 'org', x.id, '', x.id, null::date, null::date, ${months}, (${ctx.today}::date - x.since) / 30, false, x.since < ${limit}::date, '[]'::jsonb,
        '书记空缺已超过 ${sql.raw(String(months))} 个月（自 ' || x.since || '），属软弱涣散信号',
        '书记空缺（自 ' || x.since || '），应在 ' || (x.since + make_interval(months => ${months}))::date || ' 前配齐，剩余 ' || ((x.since + make_interval(months => ${months}))::date - ${ctx.today}::date) || ' 天',
        '选举或任命书记，并在组织信息中登记'
      from x`;
  },
};

/** ORG-6: the secretary had at least N years of standing (from 转正) when taking the post (or today, if the start is unknown). */
export const ORG_6: Rule = {
  ...STANDING,
  id: 'ORG-6',
  name: '书记党龄',
  text: '党支部书记一般应具有 1 年以上党龄（党龄自转正之日算起）。',
  source: SOURCE_BRANCH,
  subject: '党组织的现任书记（登记为本县党员的）',
  evaluate(ctx) {
    const c = ctx.county;
    const years = ctx.settings.num('org.secretaryStandingYears', ctx.today);
    return sql`insert into rule_stage ${STAGE_COLUMNS}
      select 'ORG-6', 'org', o.id, '', o.id, null::date, null::date, ${years}, 0,
        m.full_date is not null and m.standing = 'full' and m.full_date <= (coalesce(op.start_date, ${ctx.today}::date) - make_interval(years => ${years}))::date, true, '[]'::jsonb,
        case when m.standing <> 'full' or m.full_date is null then '书记' || m.name || '为预备党员或无转正日期，应具有 ${sql.raw(String(years))} 年以上党龄'
          else '书记' || m.name || '任职时党龄不足 ${sql.raw(String(years))} 年（' || m.full_date || ' 转正，' || coalesce(op.start_date, ${ctx.today}::date) || ' 任职）' end,
        null, '核实书记的转正日期；党龄不足的，按规定调整书记人选'
      from orgs o join org_posts op on op.county_code = o.county_code and op.org_id = o.id and op.post = 'secretary' and op.ended_on is null and op.member_id is not null
        join members m on m.county_code = op.county_code and m.id = op.member_id
      where ${orgFilter(ctx, LEADERSHIP_KINDS)} and o.county_code = ${c}`;
  },
};
