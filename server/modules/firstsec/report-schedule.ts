/**
 * The county's schedule of periodic reports (定期汇报, FS-4), counted one way for the rule, the
 * status page, the person's own page and the reminders job: for each person and period, the due date
 * (the rule settings in force on the period's first day; 0: that kind is not asked), whether the period
 * is judged — the person has an account opened before the period (from the month after it was
 * opened, as FS-2: before it the platform holds nothing of theirs) and served through the period — and
 * the report filed for it, with how many days late it was written.
 */
import { type SQL, sql } from 'drizzle-orm';
import { previousReportPeriod, reportBounds, reportDueOn, reportPeriodOf } from '../../../contract/firstsec-reports.ts';
import { FS_REPORT_KINDS, FS_REPORT_WORDS, type FsReportKind, fsReportPeriodLabel } from '../../../contract/labels.ts';
import type { Tx } from '../../db/index.ts';
import { orgFilter, type RuleCtx, type RuleSettings } from '../problems/api.ts';

/** The rule setting that holds each kind's due day (contract/modules/firstsec.ts FS-4 `settings`). */
export const REPORT_DAY_SETTING = {
  monthly: 'fs.monthlyReportDay',
  quarterly: 'fs.quarterlyReportDay',
  yearly: 'fs.yearlyReportDay',
} as const satisfies Record<FsReportKind, string>;

/** 工作日志, 工作报告, 工作总结: how a message names the report after its period's label. */
export const REPORT_WORD = FS_REPORT_WORDS;

/** One period of one kind as the schedule reads it; `due_on` null: the county does not ask for this kind then. */
export interface ReportSpec {
  kind: FsReportKind;
  period: string;
  label: string;
  start_on: string;
  end_on: string;
  due_on: string | null;
}

/** The periods' specs with the due day in force on each one's first day. */
export function reportSpecs(settings: RuleSettings, kind: FsReportKind, periods: string[]): ReportSpec[] {
  const out: ReportSpec[] = [];
  for (const period of periods) {
    const b = reportBounds(kind, period);
    if (!b) continue;
    const day = settings.num(REPORT_DAY_SETTING[kind], b.start);
    out.push({
      kind,
      period,
      label: fsReportPeriodLabel(period),
      start_on: b.start,
      end_on: b.end,
      due_on: day > 0 ? reportDueOn(kind, period, day) : null,
    });
  }
  return out;
}

/** Each kind's last ended period and the running one on `today` (what a person owes now). */
export function currentSpecs(settings: RuleSettings, today: string): ReportSpec[] {
  return FS_REPORT_KINDS.flatMap((k) =>
    reportSpecs(settings, k, [previousReportPeriod(k, today), reportPeriodOf(k, today)]),
  );
}

/** Whose reports: these people, every serving person with an account in the county, or those posted in the organizations a rule run checks. */
export type ReportWho = { ids: string[] } | { serving: true } | { rule: RuleCtx; orgKinds: readonly string[] };

/**
 * The relation `rd(fs_id, org_id, name, role, kind, period, label, start_on, end_on, due_on, judged,
 * note, report_id, made_at, made_on, late_days)`: one row per person (`who`) and spec; `note` says
 * why a period is not judged; `made_on` is the Beijing day the report was written (what its lateness
 * is counted by: a report kept on the phone counts when it was written, as a check-in does).
 */
export function reportDueSql(county: string, who: ReportWho, specs: ReportSpec[]): SQL {
  const where =
    'ids' in who
      ? sql`f.id = any(${`{${who.ids.join(',')}}`}::uuid[])`
      : 'serving' in who
        ? sql`f.status = 'serving' and f.user_id is not null`
        : sql`f.org_id in (select o.id from orgs o where ${orgFilter(who.rule, who.orgKinds)})`;
  return sql`with p as (select * from jsonb_to_recordset(${JSON.stringify(specs)}::jsonb)
        as x(kind text, period text, label text, start_on date, end_on date, due_on date)),
      f as materialized (select f.id, f.org_id, f.name, f.role, f.start_date, f.ended_on, f.user_id,
          (date_trunc('month', (u.created_at at time zone 'Asia/Shanghai') - interval '1 day') + interval '1 month')::date as account_from
        from first_secretaries f left join users u on u.county_code = f.county_code and u.id = f.user_id
        where f.county_code = ${county} and ${where}),
      rd as (select f.id as fs_id, f.org_id, f.name, f.role, p.kind, p.period, p.label, p.start_on, p.end_on, p.due_on,
          (p.due_on is not null and f.account_from is not null and p.start_on >= f.account_from and f.start_date <= p.end_on
            and (f.ended_on is null or f.ended_on > p.end_on)) as judged,
          case when p.due_on is null then '县里未要求此类汇报'
            when f.user_id is null then '未开通本人账号'
            when p.start_on < f.account_from then '本人账号在该期开始后开通'
            when f.start_date > p.end_on then '该期尚未到任'
            when f.ended_on is not null and f.ended_on <= p.end_on then '该期内已离任' end as note,
          r.id as report_id, r.made_at, (r.made_at at time zone 'Asia/Shanghai')::date as made_on,
          greatest(0, coalesce((r.made_at at time zone 'Asia/Shanghai')::date - p.due_on, 0))::int as late_days
        from f cross join p
        left join fs_reports r on r.county_code = ${county} and r.fs_id = f.id and r.kind = p.kind and r.period = p.period)`;
}

export type DueRow = {
  fs_id: string;
  org_id: string;
  name: string;
  role: string;
  kind: FsReportKind;
  period: string;
  label: string;
  due_on: string | null;
  judged: boolean;
  note: string | null;
  report_id: string | null;
  made_at: Date | null;
  late_days: number;
};

/** The rows of `reportDueSql` (dates as text). */
export async function dueRows(tx: Tx, county: string, who: ReportWho, specs: ReportSpec[]): Promise<DueRow[]> {
  if (!specs.length || ('ids' in who && !who.ids.length)) return [];
  const r = await tx.execute<DueRow>(sql`${reportDueSql(county, who, specs)}
    select rd.fs_id, rd.org_id, rd.name, rd.role, rd.kind, rd.period, rd.label, to_char(rd.due_on, 'YYYY-MM-DD') as due_on,
      rd.judged, rd.note, rd.report_id, rd.made_at, rd.late_days from rd order by rd.fs_id, rd.kind, rd.period`);
  return r.rows.map((x) => ({ ...x, late_days: Number(x.late_days) }));
}

/** 已提交 / 逾期提交 / 未到期 / 逾期未交 / 不要求, as of `today`. */
export function stateOf(
  r: Pick<DueRow, 'report_id' | 'late_days' | 'judged' | 'due_on'>,
  today: string,
): 'filed' | 'late' | 'notDue' | 'overdue' | 'notRequired' {
  // A report the person was not asked for (the account opened later) is never late.
  if (r.report_id) return r.judged && r.late_days > 0 ? 'late' : 'filed';
  if (!r.judged || !r.due_on) return 'notRequired';
  return today <= r.due_on ? 'notDue' : 'overdue';
}
