/**
 * The "五个一" of two-new first secretaries and Party-building instructors (FS-3; speech.md §3), counted
 * one way for the rule and the person's tracker:
 * - half: at least one day every half month at the linked organization — a check-in there not marked far
 *   (1st–15th, 16th–end); a half on approved leave throughout is excused;
 * - quarter: a themed Party day each quarter — a 主题党日 recorded by the organization in the life module;
 * - practice, deed, paper: one each a year, recorded by hand (fs_five_items) and confirmed by the township.
 * Judged only where the records could exist: a half after the person's account was opened and wholly
 * within the posting, a quarter wholly within the posting, a year served from 1 July to its end.
 */
import { type SQL, sql } from 'drizzle-orm';
import { daysInMonth, isWorkingDay } from '../../../contract/calendar.ts';
import { FS_FIVE_KINDS, type FsFivePart, type FsFiveState, TWO_NEW_FIELDS } from '../../../contract/labels.ts';
import { type Period, periodLabel, quarterPeriod, yearPeriod } from '../../../contract/periods.ts';
import { orgFilter, textList } from '../problems/api.ts';
import type { Who } from './attendance.ts';

/** One span a part is judged over: a half month, a quarter, or a year (once per yearly part). */
export interface FiveSpan {
  part: FsFivePart;
  /** '2026-11-1' (上半月), '2026-11-2', '2026-Q4', '2026'. */
  period: string;
  /** The rule's period the span belongs to: the month of a half, else the period itself. */
  grp: string;
  label: string;
  start_on: string;
  end_on: string;
  /** A half's working days (for the leave excuse). */
  wdays: string[];
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The two halves of each month `YYYY-MM`. */
export function halvesOf(months: string[]): FiveSpan[] {
  const out: FiveSpan[] = [];
  for (const m of months) {
    const [y, mo] = m.split('-').map(Number);
    const last = daysInMonth(y, mo);
    for (const [i, from, to] of [
      [1, 1, 15],
      [2, 16, last],
    ] as const) {
      const wdays: string[] = [];
      for (let d = from; d <= to; d++) if (isWorkingDay(`${m}-${pad(d)}`)) wdays.push(`${m}-${pad(d)}`);
      out.push({
        part: 'half',
        period: `${m}-${i}`,
        grp: m,
        label: `${periodLabel(m)}${i === 1 ? '上' : '下'}半月（${from}日—${to}日）`,
        start_on: `${m}-${pad(from)}`,
        end_on: `${m}-${pad(to)}`,
        wdays,
      });
    }
  }
  return out;
}

export function quartersOf(periods: Period[]): FiveSpan[] {
  return periods.map((p) => ({
    part: 'quarter' as const,
    period: p.period,
    grp: p.period,
    label: periodLabel(p.period),
    start_on: p.start,
    end_on: p.end,
    wdays: [],
  }));
}

export function yearsOf(periods: Period[]): FiveSpan[] {
  return periods.flatMap((p) =>
    FS_FIVE_KINDS.map((k) => ({
      part: k,
      period: p.period,
      grp: p.period,
      label: periodLabel(p.period),
      start_on: p.start,
      end_on: p.end,
      wdays: [],
    })),
  );
}

/** Every span of a calendar year, for the tracker. */
export function yearSpans(year: number): FiveSpan[] {
  return [
    ...halvesOf(Array.from({ length: 12 }, (_, i) => `${year}-${pad(i + 1)}`)),
    ...quartersOf([1, 2, 3, 4].map((q) => quarterPeriod(year, q))),
    ...yearsOf([yearPeriod(year)]),
  ];
}

/** The people FS-3 applies to: instructors, and first secretaries posted to a two-new organization. */
export const FIVE_SUBJECTS = sql`(f.role = 'instructor' or (f.role = 'firstSecretary' and o.field in (${textList(TWO_NEW_FIELDS)})))`;

export type FiveRow = {
  fs_id: string;
  org_id: string;
  name: string;
  role: string;
  org_name: string;
  part: FsFivePart;
  period: string;
  grp: string;
  label: string;
  start_on: string;
  end_on: string;
  judged: boolean;
  why_not: string | null;
  done: boolean;
  state: FsFiveState;
  note: string | null;
  refs: string[];
};

/**
 * The relation `v` (columns of FiveRow): one row per person (`who`, narrowed to FIVE_SUBJECTS) and span
 * the posting touches and that has begun by `today`.
 */
export function fiveSql(county: string, who: Who, spans: FiveSpan[], today: string): SQL {
  const where =
    'ids' in who
      ? sql`f.id = any(${`{${who.ids.join(',')}}`}::uuid[])`
      : sql`f.org_id in (select o.id from orgs o where ${orgFilter(who.rule, who.orgKinds)})`;
  const first = spans.map((s) => s.start_on).sort()[0] ?? today;
  const last =
    spans
      .map((s) => s.end_on)
      .sort()
      .at(-1) ?? today;
  return sql`with sp as (select * from jsonb_to_recordset(${JSON.stringify(spans)}::jsonb)
        as x(part text, period text, grp text, label text, start_on date, end_on date, wdays jsonb)),
      f as materialized (select f.id, f.org_id, f.name, f.role, f.start_date, f.ended_on, o.name as org_name,
          (u.created_at at time zone 'Asia/Shanghai')::date as account_on
        from first_secretaries f join orgs o on o.county_code = f.county_code and o.id = f.org_id
        left join users u on u.county_code = f.county_code and u.id = f.user_id
        where f.county_code = ${county} and ${FIVE_SUBJECTS} and ${where}),
      fs as (select f.*, sp.part, sp.period, sp.grp, sp.label, sp.start_on, sp.end_on, sp.wdays,
          case
            when sp.part = 'half' and not (f.start_date <= sp.start_on and (f.ended_on is null or f.ended_on > sp.end_on)) then '该半月不全在任期内'
            when sp.part = 'half' and (f.account_on is null or f.account_on > sp.start_on) then '本人账号开通前，平台没有其打卡记录'
            when sp.part = 'quarter' and not (f.start_date <= sp.start_on and (f.ended_on is null or f.ended_on > sp.end_on)) then '该季度不全在任期内'
            when sp.part not in ('half', 'quarter') and not (f.start_date <= (extract(year from sp.start_on)::int || '-07-01')::date
              and (f.ended_on is null or f.ended_on > sp.end_on)) then '当年任职不满半年'
          end as why_not
        from f join sp on f.start_date <= sp.end_on and (f.ended_on is null or f.ended_on > sp.start_on) and sp.start_on <= ${today}::date),
      ci as materialized (select c.fs_id, c.day, c.id from fs_checkins c join f on f.id = c.fs_id and c.org_id = f.org_id
        where c.county_code = ${county} and c.day between ${first}::date and least(${last}::date, ${today}::date) and not (c.flags ? 'far')),
      th as materialized (select mt.id, mt.org_id, mt.held_on, mt.topic from meetings mt
        where mt.county_code = ${county} and mt.kind = 'themedDay' and mt.deleted_at is null and mt.valid
          and mt.held_on between ${first}::date and least(${last}::date, ${today}::date)
          and mt.org_id in (select org_id from f)),
      it as materialized (select i.id, i.fs_id, i.kind, i.done_on, i.title from fs_five_items i join f on f.id = i.fs_id
        where i.county_code = ${county} and i.done_on between ${first}::date and least(${last}::date, ${today}::date)),
      ev as (select fs.*,
          case fs.part
            when 'half' then (select jsonb_agg(c.id order by c.day) from ci c where c.fs_id = fs.id and c.day between fs.start_on and fs.end_on)
            when 'quarter' then (select jsonb_agg(t.id order by t.held_on) from th t where t.org_id = fs.org_id and t.held_on between fs.start_on and fs.end_on)
            else (select jsonb_agg(i.id order by i.done_on) from it i where i.fs_id = fs.id and i.kind = fs.part and i.done_on between fs.start_on and fs.end_on)
          end as refs,
          case fs.part
            when 'half' then (select string_agg(distinct ${dayText(sql`c.day`)}, '、') from ci c where c.fs_id = fs.id and c.day between fs.start_on and fs.end_on)
            when 'quarter' then (select string_agg(${dayText(sql`t.held_on`)} || coalesce('“' || nullif(t.topic, '') || '”', ''), '、' order by t.held_on) from th t
              where t.org_id = fs.org_id and t.held_on between fs.start_on and fs.end_on)
            else (select string_agg(${dayText(sql`i.done_on`)} || '“' || i.title || '”', '、' order by i.done_on) from it i
              where i.fs_id = fs.id and i.kind = fs.part and i.done_on between fs.start_on and fs.end_on)
          end as done_text,
          fs.part = 'half' and jsonb_array_length(fs.wdays) > 0 and not exists (select 1 from jsonb_array_elements_text(fs.wdays) w(d)
            where not exists (select 1 from fs_leaves l where l.county_code = ${county} and l.fs_id = fs.id and l.status = 'approved'
              and w.d::date between l.from_date and l.to_date)) as on_leave
        from fs),
      v as (select ev.id as fs_id, ev.org_id, ev.name, ev.role, ev.org_name, ev.part, ev.period, ev.grp, ev.label, ev.start_on, ev.end_on,
          ev.why_not is null as judged, ev.why_not, ev.refs is not null as done,
          case when ev.refs is not null then 'done' when ev.why_not is not null then 'notJudged' when ev.on_leave then 'excused'
            when ev.end_on < ${today}::date then 'missed' else 'due' end as state,
          coalesce(ev.done_text, ev.why_not, case when ev.on_leave then '该半月的工作日均在经批准的请假中' end) as note,
          coalesce(ev.refs, '[]'::jsonb) as refs
        from ev)`;
}

/** 11月3日 */
function dayText(col: SQL): SQL {
  return sql`(extract(month from ${col})::int || '月' || extract(day from ${col})::int || '日')`;
}
