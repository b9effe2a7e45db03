/**
 * The organization rules this module declares (manifest `rules`, ORG-*): the rules engine's
 * statements (default export, standing rules with period '') and the card's notes that are not
 * problems (ORG-1's size, a vacant post other than the secretary's). The card shows the engine's
 * findings for ORG-2/4/5/6 (problems/api.ts standingFindings), never a second copy of them.
 */
import { type SQL, sql } from 'drizzle-orm';
import { POST_LABELS } from '../../../contract/common.ts';
import {
  addMonths,
  BRANCH_KINDS,
  orgFilter,
  type RuleChecks,
  type RulePart,
  STAGE_COLUMNS,
  uuidArray,
} from '../problems/api.ts';

export interface PostRow {
  post: string;
  memberId: string | null;
  personName: string | null;
  vacantSince: string | null;
}

export interface Warning {
  rule: string;
  level: 'warning' | 'info';
  message: string;
}

function monthsBetween(from: string, to: string): number {
  const [fy, fm, fd] = from.split('-').map(Number);
  const [ty, tm, td] = to.split('-').map(Number);
  return (ty - fy) * 12 + (tm - fm) - (td < fd ? 1 : 0);
}

/**
 * What the card notes beyond the engine's findings, never a problem: a branch above the size a branch
 * normally has (ORG-1), and posts other than the secretary's left vacant (ORG-5; the secretary's is the engine's).
 */
export function cardNotes(
  org: { kind: string; status: string },
  posts: PostRow[],
  today: string,
  settings: { branchMaxMembers: number; totalMembers: number },
): Warning[] {
  if (org.status !== 'active' || org.kind === 'partyGroup') return [];
  const out: Warning[] = [];
  if ((BRANCH_KINDS as readonly string[]).includes(org.kind) && settings.totalMembers > settings.branchMaxMembers)
    out.push({
      rule: 'ORG-1',
      level: 'info',
      message: `党员 ${settings.totalMembers} 名，超过 ${settings.branchMaxMembers} 名，可考虑设立党总支或分设支部`,
    });
  for (const p of posts.filter((x) => x.post !== 'secretary' && !x.memberId && !x.personName && x.vacantSince)) {
    out.push({
      rule: 'ORG-5',
      level: 'info',
      message: `${POST_LABELS[p.post as keyof typeof POST_LABELS] ?? p.post}空缺 ${monthsBetween(p.vacantSince as string, today)} 个月（自 ${p.vacantSince}）`,
    });
  }
  return out;
}

const LEADERSHIP_KINDS = [...BRANCH_KINDS, 'generalBranch', 'committee', 'workingCommittee'];
const STANDING = { periodType: null, kind: null, subjectType: 'org' } as const;

/**
 * ORG-2 (第九条): a branch with ≥7 full members has a committee of 3–7 with 书记, 组织委员, 宣传委员,
 * 纪检委员; a branch under 7 has no committee — a secretary and at most a deputy — so committee posts
 * registered on it (组织委员, 宣传委员, 纪检委员, 委员) are flagged. Full members are counted today,
 * with those of its Party groups, leaving out a stopped or removed membership; a general branch always
 * has its committee.
 */
const ORG_2: RulePart = {
  ...STANDING,
  id: 'ORG-2',
  evaluate(ctx) {
    const c = ctx.county;
    // A re-check counts only its organizations' members and posts, not the county's.
    const ids = ctx.orgIds;
    const only = (...cols: SQL[]) =>
      ids
        ? sql` and (${sql.join(
            cols.map((col) => sql`${col} = any(${uuidArray(ids)})`),
            sql` or `,
          )})`
        : sql``;
    const label = (
      col: SQL,
    ) => sql`array_to_string(array(select case m when 'secretary' then '书记' when 'organizationMember' then '组织委员' when 'propagandaMember' then '宣传委员'
      when 'disciplineMember' then '纪检委员' when 'deputySecretary' then '副书记' else '委员' end from unnest(${col}) m), '、')`;
    return sql`insert into rule_stage ${STAGE_COLUMNS}
      with s as materialized (select o.id, o.kind from orgs o where ${orgFilter(ctx, [...BRANCH_KINDS, 'generalBranch'])}),
      fm as materialized (select case when mo.kind = 'partyGroup' then mo.parent_id else mo.id end as id, count(*)::int as n from members m
        join orgs mo on mo.county_code = m.county_code and mo.id = m.org_id where m.county_code = ${c} and m.standing = 'full' and m.party_status = 'normal'${only(sql`mo.id`, sql`mo.parent_id`)} group by 1),
      ps as materialized (select op.org_id, count(distinct coalesce(op.member_id::text, '名:' || op.person_name))::int as held, array_agg(distinct op.post) as posts from org_posts op
        where op.county_code = ${c} and op.ended_on is null and (op.member_id is not null or op.person_name is not null)${only(sql`op.org_id`)} group by 1),
      x as materialized (select s.id, s.kind, coalesce(fm.n, 0) as n, coalesce(ps.held, 0) as held,
          array(select unnest(array['secretary', 'organizationMember', 'propagandaMember', 'disciplineMember']) except select unnest(coalesce(ps.posts, array[]::text[]))) as missing,
          array(select unnest(coalesce(ps.posts, array[]::text[])) intersect select unnest(array['organizationMember', 'propagandaMember', 'disciplineMember', 'member'])) as extra
        from s left join fm on fm.id = s.id left join ps on ps.org_id = s.id where coalesce(fm.n, 0) >= 7 or s.kind <> 'generalBranch')
      select 'ORG-2', 'org', x.id, '', x.id, null::date, null::date, case when x.n >= 7 or x.kind = 'generalBranch' then 3 else 0 end, x.held,
        case when x.n >= 7 or x.kind = 'generalBranch' then x.held between 3 and 7 and cardinality(x.missing) = 0 else cardinality(x.extra) = 0 end, true, '[]'::jsonb,
        case when x.n < 7 and x.kind <> 'generalBranch' then '正式党员 ' || x.n || ' 名（不足 7 名），不设支部委员会，只设书记（必要时设副书记），登记的' || ${label(sql`x.extra`)} || '不应设置'
          when x.held < 3 then '正式党员 ' || x.n || ' 名（≥7），应设支部委员会（3–5 人），现有委员 ' || x.held || ' 人'
          when x.held > 7 then '支部委员会 ' || x.held || ' 人，不应超过 7 人'
          else '支部委员会缺少：' || ${label(sql`x.missing`)} end,
        null,
        case when x.n < 7 and x.kind <> 'generalBranch' then '核实正式党员人数；不足 7 名的，由党员大会选举书记（必要时选举副书记），在组织信息中结束其他委员职务'
          else '按规定选举产生支部委员会并在组织信息中登记委员职务' end
      from x where x.n >= 7 or x.kind = 'generalBranch' or x.held > 0`;
  },
};

/** ORG-4: the term has ended (the day after term_end) → election overdue; 90 days before, a reminder. */
const ORG_4: RulePart = {
  ...STANDING,
  id: 'ORG-4',
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
const ORG_5: RulePart = {
  ...STANDING,
  id: 'ORG-5',
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
const ORG_6: RulePart = {
  ...STANDING,
  id: 'ORG-6',
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

const checks: RuleChecks = { 'ORG-2': [ORG_2], 'ORG-4': [ORG_4], 'ORG-5': [ORG_5], 'ORG-6': [ORG_6] };

export default checks;
