/**
 * Days in the village (FS-2), counted one way for the rule, the roster and a person's page: for each
 * month of a posting, its working days (the State Council's holiday arrangement, contract/calendar.ts),
 * those on approved leave, the days with a check-in near the office (a day counts once; a check-in
 * marked far does not count; the day of an unanswered unannounced check does not count), the longest
 * run of working days with neither a check-in nor leave (空岗、脱岗), and the days the county's setting
 * asks for in that month.
 */
import { type SQL, sql } from 'drizzle-orm';
import { calendarKnown, daysInMonth, isWorkingDay } from '../../../contract/calendar.ts';
import { periodLabel } from '../../../contract/periods.ts';
import { FS_DAYS_ROLES } from '../../../contract/labels.ts';
import { orgFilter, parseShare, type RuleCtx, type RuleSettings, textList } from '../problems/api.ts';

/** A month as the count reads it, with the setting in force on its first day. */
export interface MonthSpec {
  period: string;
  start_on: string;
  end_on: string;
  label: string;
  rule: 'share' | 'days';
  num: number;
  den: number;
  days: number;
  /** Working days of the whole month (a part-month posting is prorated against it). */
  full_wd: number;
  /** Whether the year's holiday arrangement is known (else Monday to Friday). */
  known: boolean;
}

/** The month `YYYY-MM` with the setting in force on its first day. */
export function monthSpec(settings: RuleSettings, period: string): MonthSpec {
  const [y, m] = period.split('-').map(Number);
  const start = `${period}-01`;
  const end = `${period}-${String(daysInMonth(y, m)).padStart(2, '0')}`;
  const share = parseShare(settings.at('fs.shareOfWorkingDays', start)) ?? [2, 3];
  let fullWd = 0;
  for (let d = 1; d <= daysInMonth(y, m); d++) if (isWorkingDay(`${period}-${String(d).padStart(2, '0')}`)) fullWd++;
  return {
    period,
    start_on: start,
    end_on: end,
    label: periodLabel(period),
    rule: settings.at('fs.daysRule', start) === 'days' ? 'days' : 'share',
    num: share[0],
    den: share[1],
    days: Number(settings.at('fs.daysPerMonth', start)),
    full_wd: fullWd,
    known: calendarKnown(y),
  };
}

/** Every day of the months with whether it is a working day. */
function daysOf(months: MonthSpec[]): { d: string; w: boolean }[] {
  const out: { d: string; w: boolean }[] = [];
  for (const m of months) {
    const [y, mo] = m.period.split('-').map(Number);
    for (let d = 1; d <= daysInMonth(y, mo); d++) {
      const day = `${m.period}-${String(d).padStart(2, '0')}`;
      out.push({ d: day, w: isWorkingDay(day) });
    }
  }
  return out;
}

/**
 * The relation `a(fs_id, org_id, name, role, account_from, period, label, start_on, end_on, known, wd,
 * leave_days, days_in, flagged, missed, longest_gap, required)`: one row per person (`who`) and month in which the posting has a day; `account_from` is the first month the person
 * could check in all month (the month after the account was opened, or that month when opened on its 1st).
 * `now` is the moment unanswered checks are judged at.
 */
/** Whose days: these people, or the first secretaries and work-team members posted in the organizations a rule run checks. */
export type Who = { ids: string[] } | { rule: RuleCtx; orgKinds: readonly string[] };

export function attendanceSql(county: string, who: Who, months: MonthSpec[], today: string, now: Date): SQL {
  const where =
    'ids' in who
      ? sql`f.id = any(${`{${who.ids.join(',')}}`}::uuid[])`
      : sql`f.role in (${textList(FS_DAYS_ROLES)}) and f.org_id in (select o.id from orgs o where ${orgFilter(who.rule, who.orgKinds)})`;
  const first = months.map((m) => m.start_on).sort()[0];
  const last = months
    .map((m) => m.end_on)
    .sort()
    .at(-1);
  return sql`with p as (select * from jsonb_to_recordset(${JSON.stringify(months)}::jsonb)
        as x(period text, start_on date, end_on date, label text, rule text, num int, den int, days int, full_wd int, known boolean)),
      dd as (select * from jsonb_to_recordset(${JSON.stringify(daysOf(months))}::jsonb) as x(d date, w boolean)),
      f as materialized (select f.id, f.org_id, f.name, f.role, f.start_date, f.ended_on,
          (date_trunc('month', (u.created_at at time zone 'Asia/Shanghai') - interval '1 day') + interval '1 month')::date as account_from
        from first_secretaries f left join users u on u.county_code = f.county_code and u.id = f.user_id
        where f.county_code = ${county} and ${where}),
      pd as materialized (select f.id as fs_id, p.period, dd.d, dd.w from f join p on f.start_date <= p.end_on and (f.ended_on is null or f.ended_on > p.start_on)
        join dd on dd.d between p.start_on and p.end_on
        where dd.d >= f.start_date and (f.ended_on is null or dd.d < f.ended_on)),
      lv as materialized (select distinct l.fs_id, g.d::date as d from fs_leaves l join f on f.id = l.fs_id
        cross join generate_series(greatest(l.from_date, ${first}::date), least(l.to_date, ${last}::date), interval '1 day') g(d)
        where l.county_code = ${county} and l.status = 'approved' and l.to_date >= ${first}::date and l.from_date <= ${last}::date),
      miss as materialized (select s.fs_id, (s.due_at at time zone 'Asia/Shanghai')::date as d, count(*)::int as n from fs_spot_checks s join f on f.id = s.fs_id
        where s.county_code = ${county} and s.due_at < ${now.toISOString()}::timestamptz and s.asked_at >= ${first}::date - 1
          and (s.answered_at is null or s.answered_at > s.due_at)
        group by 1, 2),
      ci as materialized (select c.fs_id, c.day as d, bool_and(c.flags ? 'far') as all_far,
          count(*) filter (where c.flags ?| array['far', 'noPhoto', 'noLocation'])::int as flagged
        from fs_checkins c join f on f.id = c.fs_id
        where c.county_code = ${county} and c.day between ${first}::date and ${last}::date group by 1, 2),
      day as materialized (select pd.fs_id, pd.period, pd.d, pd.w, lv.d is not null as on_leave,
          (ci.d is not null and not ci.all_far and miss.d is null) as present, coalesce(ci.flagged, 0) as flagged, coalesce(miss.n, 0) as missed
        from pd left join lv on lv.fs_id = pd.fs_id and lv.d = pd.d left join ci on ci.fs_id = pd.fs_id and ci.d = pd.d
        left join miss on miss.fs_id = pd.fs_id and miss.d = pd.d),
      agg as (select fs_id, period, count(*) filter (where w)::int as wd, count(*) filter (where w and on_leave)::int as leave_days,
          count(*) filter (where present)::int as days_in, sum(flagged)::int as flagged, sum(missed)::int as missed from day group by 1, 2),
      runs as (select fs_id, period, count(*)::int as n from (
          select fs_id, period, absent, row_number() over (partition by fs_id, period order by d)
            - row_number() over (partition by fs_id, period, absent order by d) as grp
          from (select fs_id, period, d, not present and not on_leave as absent from day where w and d <= ${today}::date) z) y
        where absent group by fs_id, period, grp),
      gap as (select fs_id, period, max(n)::int as longest_gap from runs group by 1, 2),
      a as (select agg.fs_id, f.org_id, f.name, f.role, f.account_from, p.period, p.label, p.start_on, p.end_on, p.known, agg.wd, agg.leave_days, agg.days_in,
          agg.flagged, agg.missed, coalesce(gap.longest_gap, 0) as longest_gap,
          case when p.rule = 'days' then least(agg.wd - agg.leave_days, round(p.days * (agg.wd - agg.leave_days)::numeric / greatest(p.full_wd, 1)))::int
            else ceil(p.num * (agg.wd - agg.leave_days)::numeric / p.den)::int end as required
        from agg join f on f.id = agg.fs_id join p on p.period = agg.period left join gap on gap.fs_id = agg.fs_id and gap.period = agg.period)`;
}
