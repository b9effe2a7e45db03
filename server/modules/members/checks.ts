/** The rules engine's statements for the member rules this module declares (manifest `rules`): MEM-3 (失联党员) and MEM-4 (连续未参加组织生活), standing rules on each member (period ''). */
import { type SQL, sql } from 'drizzle-orm';
import {
  addDays,
  addMonths,
  periodLabel,
  type RuleChecks,
  type RuleCtx,
  type RulePart,
  STAGE_COLUMNS,
  uuidArray,
} from '../problems/api.ts';

function memberFilter(ctx: RuleCtx): SQL {
  return sql`m.county_code = ${ctx.county}${ctx.memberIds ? sql` and m.id = any(${uuidArray(ctx.memberIds)})` : sql``}`;
}

/**
 * MEM-3 (《党员教育管理工作条例》第二十四条): a lost-contact member in good standing whose last
 * contact is more than N months ago → 停止党籍 (a reminder with the days left before that); a member
 * whose 党籍 was stopped by a recorded decision (MEM-7) more than M years ago → 除名 (自行脱党). It
 * clears when the status is recorded with its decision, or contact is restored; a removed member is
 * not checked.
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
    const remove = addMonths(ctx.today, -12 * years);
    return sql`insert into rule_stage ${STAGE_COLUMNS}
      select 'MEM-3', 'member', m.id, '', m.org_id, null::date, null::date, ${months}, 0, false,
        case when m.party_status = 'suspended' then m.party_status_since < ${remove}::date else m.last_contact_date < ${stop}::date end,
        '[]'::jsonb,
        case when m.party_status = 'suspended' then '党员' || m.name || '自 ' || m.party_status_since || ' 停止党籍已满 ' || ${`${years} 年`} || '，仍失去联系的，应按自行脱党予以除名'
          else '党员' || m.name || '失联已超过 ' || ${`${months} 个月`} || '（最后联系 ' || m.last_contact_date || '），应停止党籍' end,
        case when m.party_status = 'suspended' then null
          else '党员' || m.name || '失联（最后联系 ' || m.last_contact_date || '），满 ' || ${`${months} 个月`} || '应停止党籍，剩余 ' || ((m.last_contact_date + make_interval(months => ${months}))::date - ${ctx.today}::date) || ' 天' end,
        case when m.party_status = 'suspended' then '经支部党员大会讨论，按自行脱党予以除名并报上级批准，在党员信息中登记党籍状态“除名”及该次党员大会的决定；或恢复联系后经党员大会决定恢复党籍'
          else '恢复联系并更新最后联系日期；或经支部党员大会讨论决定停止其党籍，在党员信息中登记党籍状态“停止党籍”及该次党员大会的决定' end
      from members m where ${memberFilter(ctx)} and m.lost_contact and m.last_contact_date is not null and m.party_status in ('normal', 'suspended')
        and (m.party_status = 'normal' or m.party_status_since is not null)`;
  },
};

/**
 * MEM-4 (党章第九条): no organizational life in the last N full months (the months before the
 * current one) nor in this month so far: no attendance marked present at a live meeting, and no leave
 * with a reason; attending this month ends it, as its advice says. Only members who were in their
 * present organization for the whole window (by member_org_history, else their join date); flowing
 * members (流动党员, they take part where they are), lost-contact members (MEM-3's) and members whose
 * 党籍 is stopped or removed are left out.
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
          -- The window, and this month up to today: attending now ends it.
          where a.county_code = m.county_code and a.member_id = m.id and a.held_on between ${from}::date and ${ctx.today}::date and mt.deleted_at is null
            and (a.status = 'present' or (a.status = 'leave' and btrim(coalesce(a.reason, '')) <> ''))) as refs
        -- Flowing members take part where they are (recorded there), lost-contact ones are MEM-3's, a suspended or removed membership is outside it.
        from members m where ${memberFilter(ctx)} and not m.lost_contact and not m.mobile and m.party_status = 'normal'
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
