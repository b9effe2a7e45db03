/** The rules engine's statements for the member rules this module declares (manifest `rules`): MEM-3 (失联党员) and MEM-4 (连续未参加组织生活), standing rules on each member (period ''). */
import { type SQL, sql } from 'drizzle-orm';
import { addDays, addMonths, periodLabel, type RuleChecks, type RuleCtx, type RulePart, STAGE_COLUMNS, uuidArray } from '../problems/api.ts';

function memberFilter(ctx: RuleCtx): SQL {
  return sql`m.county_code = ${ctx.county}${ctx.memberIds ? sql` and m.id = any(${uuidArray(ctx.memberIds)})` : sql``}`;
}

/**
 * MEM-3: a lost-contact member whose last contact is more than N months ago → 停止党籍; more than
 * N months + M years → 除名 (自行脱党). Before N months, a reminder with the days left.
 */
const MEM_3: RulePart = {
  id: 'MEM-3',
  subjectType: 'member',
  periodType: null,
  kind: null,
  evaluate(ctx) {
    const months = ctx.settings.num('member.lostContactMonths', ctx.today);
    const years = ctx.settings.num('member.lostContactRemoveYears', ctx.today);
    const stop = addMonths(ctx.today, -months);
    const remove = addMonths(ctx.today, -(months + 12 * years));
    return sql`insert into rule_stage ${STAGE_COLUMNS}
      select 'MEM-3', 'member', m.id, '', m.org_id, null::date, null::date, ${months}, 0, false, m.last_contact_date < ${stop}::date,
        '[]'::jsonb,
        case when m.last_contact_date < ${remove}::date then '党员' || m.name || '失联已满 ' || ${`${months} 个月又 ${years} 年`} || '（最后联系 ' || m.last_contact_date || '），应按自行脱党予以除名'
          else '党员' || m.name || '失联已超过 ' || ${`${months} 个月`} || '（最后联系 ' || m.last_contact_date || '），应停止党籍' end,
        '党员' || m.name || '失联（最后联系 ' || m.last_contact_date || '），满 ' || ${`${months} 个月`} || '应停止党籍，剩余 ' || ((m.last_contact_date + make_interval(months => ${months}))::date - ${ctx.today}::date) || ' 天',
        case when m.last_contact_date < ${remove}::date then '经支部党员大会讨论，按自行脱党予以除名并报上级批准；或恢复联系后更新最后联系日期'
          else '恢复联系并更新最后联系日期，或经支部党员大会讨论停止其党籍' end
      from members m where ${memberFilter(ctx)} and m.lost_contact and m.last_contact_date is not null`;
  },
};

/**
 * MEM-4: no organizational life in the last N full months (the months before the current one): no
 * attendance marked present at a live meeting, and no leave with a reason. Only members who were in
 * their present organization for the whole window (by member_org_history, else their join date);
 * lost-contact members are MEM-3's.
 */
const MEM_4: RulePart = {
  id: 'MEM-4',
  subjectType: 'member',
  periodType: null,
  kind: null,
  evaluate(ctx) {
    const months = ctx.settings.num('member.noLifeMonths', ctx.today);
    const monthStart = `${ctx.today.slice(0, 7)}-01`;
    const from = addMonths(monthStart, -months);
    const to = addDays(monthStart, -1);
    const label = `${periodLabel(from.slice(0, 7))}至${periodLabel(to.slice(0, 7)).slice(5)}`;
    return sql`insert into rule_stage ${STAGE_COLUMNS}
      with x as materialized (select m.id, m.org_id, m.name, (
          select array_agg(a.meeting_id) from meeting_attendance a join meetings mt on mt.county_code = a.county_code and mt.id = a.meeting_id
          where a.county_code = m.county_code and a.member_id = m.id and a.held_on between ${from}::date and ${to}::date and mt.deleted_at is null
            and (a.status = 'present' or (a.status = 'leave' and btrim(coalesce(a.reason, '')) <> ''))) as refs
        from members m where ${memberFilter(ctx)} and not m.lost_contact
          and coalesce((select max(h.from_date) from member_org_history h where h.county_code = m.county_code and h.member_id = m.id and h.to_date is null), m.join_date) <= ${from}::date)
      select 'MEM-4', 'member', x.id, '', x.org_id, null::date, null::date, 1, coalesce(cardinality(x.refs), 0), x.refs is not null, true,
        coalesce(to_jsonb(x.refs), '[]'::jsonb),
        '党员' || x.name || '连续 ' || ${`${months} 个月（${label}）`} || '未参加组织生活',
        null,
        '核实情况：记录其参加组织生活的考勤或请假事由；确属无正当理由的，提交支部党员大会按自行脱党处理'
      from x`;
  },
};

const checks: RuleChecks = { 'MEM-3': [MEM_3], 'MEM-4': [MEM_4] };

export default checks;
