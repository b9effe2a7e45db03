/**
 * What the engine runs: each rule's declaration (a module's manifest `rules`) with the statements its
 * `checks.ts` gives, each writing its rows into the run's staging table `rule_stage` with one set-based
 * statement for the whole county (or the organizations of an incremental re-check). The helpers below
 * are what those statements are built from (other modules take them through problems/api.ts).
 */
import { type SQL, sql } from 'drizzle-orm';
import type { MeetingKind } from '../../../../contract/meetings.ts';
import { underPathSql } from '../../../platform/access.ts';
import { currentLabel, type Period, type PeriodType, periodLabel } from '../periods.ts';
import type { RuleInput } from '../../module.ts';
import type { RuleSettingKey, RuleSettings } from '../rule-settings.ts';

export interface RuleCtx {
  county: string;
  /** Today in Asia/Shanghai. */
  today: string;
  settings: RuleSettings;
  /** The periods checked, by type, each starting on or before today. */
  periods: Record<PeriodType, Period[]>;
  /** null: every organization of the county; else only these (an incremental re-check). */
  orgIds: string[] | null;
  /** Member-level rules in an incremental re-check: only these members. */
  memberIds: string[] | null;
}

/** What a problem is about; firstSecretary: a person of the first-secretaries roster (firstsec module). */
export type SubjectType = 'org' | 'secretary' | 'member' | 'grade' | 'meeting' | 'firstSecretary';

/**
 * One statement of a rule, as a module's `checks.ts` gives it to the engine (a rule may have several:
 * LIFE-4 checks branches by quarter and committee secretaries by year).
 */
export interface RulePart {
  /** The rule's id, as its manifest declares it. */
  id: string;
  subjectType: SubjectType;
  /** null: a standing rule (period ''). */
  periodType: PeriodType | null;
  /** The meeting kind it counts (compliance, calendar). */
  kind: MeetingKind | null;
  /** To whom this part applies, in Chinese, when it differs from the declaration's subject. */
  subject?: string;
  /** An `insert into rule_stage …` statement, or null when there is nothing to check. */
  evaluate(ctx: RuleCtx): SQL | null;
}

/** What a module's `checks.ts` exports by default: rule id → its statements. */
export type RuleChecks = Readonly<Record<string, readonly RulePart[]>>;

/** A part with its declaration (the manifest's RuleDecl): what the engine runs and the pages show. */
export interface Rule extends RulePart {
  name: string;
  text: string;
  /** Where the rule's words are (the article). */
  source: string;
  countyRule: string | null;
  /** To whom it applies, in Chinese (the rules page). */
  subject: string;
  reads: readonly RuleInput[];
}

export const BRANCH_KINDS = ['branch', 'jointBranch', 'temporaryBranch'] as const;
export const SOURCE_BRANCH = '《中国共产党支部工作条例（试行）》2018';
export const SOURCE_EDU = '《中国共产党党员教育管理工作条例》2019';
export const SOURCE_ELECTION = '《中国共产党基层组织选举工作条例》2020';

export const STAGE_COLUMNS = sql`(rule_id, subject_type, subject_id, period, org_id, period_start, period_end, required, held, ok, ended, refs, message, upcoming, cleared_by)`;
/**
 * The same with `detail` last: what the rule looked at, for the problem's page (`records`: each record
 * it read, counted or not and why — see RecordNote), kept in problems.detail.
 */
export const STAGE_COLUMNS_DETAIL = sql`(rule_id, subject_type, subject_id, period, org_id, period_start, period_end, required, held, ok, ended, refs, message, upcoming, cleared_by, detail)`;

/** One record a rule read for a period (problems.detail.records): the meeting, its date, whether it counted, and why not. */
export interface RecordNote {
  id: string;
  heldOn: string;
  kind: string;
  counted: boolean;
  /** What the record shows, said in Chinese ("到会委员 1 人，不足应到 3 人的半数"); '' when it counted as it is. */
  note: string;
}

/** The staging table: one per database session, emptied at every commit (made once per pooled connection, not in every transaction: creating a table writes the catalog). */
export const CREATE_STAGE = sql`create temp table if not exists rule_stage (
  rule_id text not null, subject_type text not null, subject_id uuid not null, period text not null, org_id uuid not null,
  period_start date, period_end date, required int not null, held int not null, ok boolean not null, ended boolean not null,
  refs jsonb not null, message text not null, upcoming text, cleared_by text not null, detail jsonb not null default '{}') on commit delete rows`;

/** A uuid[] bound as one parameter (an import's re-check names thousands of members: one parameter each would pass PostgreSQL's 65,535). */
export function uuidArray(ids: string[]): SQL {
  return sql`${sql.param(ids)}::uuid[]`;
}

export function textList(values: readonly string[]): SQL {
  return sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  );
}

/**
 * The organizations a rule applies to: the county's of these kinds (and of the re-check) that are
 * active, and with `former` also those dissolved or merged since (a rule over periods judges each
 * period they existed in, existedIn; their problems are then closed with their own status, engine.ts).
 */
export function orgFilter(ctx: RuleCtx, kinds: readonly string[], a = 'o', opts: { former?: boolean } = {}): SQL {
  const o = sql.raw(a);
  const status = opts.former
    ? sql`(${o}.status = 'active' or ${o}.dissolved_on is not null)`
    : sql`${o}.status = 'active'`;
  return sql`${o}.county_code = ${ctx.county} and ${status} and ${o}.kind in (${textList(kinds)})${ctx.orgIds ? sql` and ${o}.id = any(${uuidArray(ctx.orgIds)})` : sql``}`;
}

/**
 * An organization's class for a rule's scope setting (contract/rules.ts ORG_CLASS_LABELS): its kind,
 * except that a 党委 in the rural or community field below the township is a village's (村、社区党委).
 * `o` must carry kind, field and depth.
 */
export function orgClass(o = 'o'): SQL {
  const a = sql.raw(o);
  return sql`(case when ${a}.kind = 'committee' and ${a}.field in ('rural', 'community') and ${a}.depth >= 2 then 'villageCommittee' else ${a}.kind end)`;
}

/** Whether organization `o`'s class is among those a setting of kind orgClasses lists on the date `date` (a period's first day). */
export function classIn(ctx: RuleCtx, key: RuleSettingKey, o: string, date: SQL): SQL {
  return sql`(',' || ${ctx.settings.sqlAt(key, date)} || ',') like ('%,' || ${orgClass(o)} || ',%')`;
}

/** The middle day of a period p: an organization, a committee or a membership that held on it held for the period. */
export function midOf(p = 'p'): SQL {
  return sql`(${sql.raw(p)}.start_on + (${sql.raw(p)}.end_on - ${sql.raw(p)}.start_on) / 2)`;
}

/**
 * An organization is held to a period only if it existed for at least half of it: founded on or before
 * the period's middle day and not dissolved or merged before it ends. A quarter in which it was founded
 * in its last month, or a month in which it was founded after the 15th, is not required; nor a month
 * in which it was dissolved on the 10th. `o` must carry founded_on and dissolved_on.
 */
export function existedIn(o = 'o', p = 'p'): SQL {
  const a = sql.raw(o);
  return sql`((${a}.founded_on is null or ${a}.founded_on <= ${midOf(p)}) and (${a}.dissolved_on is null or ${a}.dissolved_on > ${midOf(p)}))`;
}

/** The periods of a run as a relation p(period, start_on, end_on, required, label, cur) with the number in force on each start. */
export function periodsSql(ctx: RuleCtx, type: PeriodType, key: RuleSettingKey | null): SQL {
  const rows = ctx.periods[type].map((p) => ({
    period: p.period,
    start_on: p.start,
    end_on: p.end,
    required: key ? ctx.settings.num(key, p.start) : 1,
    label: periodLabel(p.period),
    cur: currentLabel(type),
  }));
  return sql`select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(period text, start_on date, end_on date, required int, label text, cur text)`;
}

/** First and last day covered by the run's periods of a type (for a range filter on meetings). */
export function range(ctx: RuleCtx, type: PeriodType): [string, string] | null {
  const ps = ctx.periods[type];
  if (!ps.length) return null;
  const starts = ps.map((p) => p.start).sort();
  const ends = ps.map((p) => p.end).sort();
  return [starts[0], ends[ends.length - 1]];
}

/** The period key of a date column, as the periods are spelled ('2026-11', '2026-Q4', '2026'). */
export function periodKey(type: PeriodType, col: SQL): SQL {
  if (type === 'month') return sql`to_char(${col}, 'YYYY-MM')`;
  if (type === 'quarter') return sql`to_char(${col}, 'YYYY-"Q"Q')`;
  return sql`to_char(${col}, 'YYYY')`;
}

/** 10月8日: a date column as the messages write it (month and day; the period names the year). */
export function dayLabel(col: SQL): SQL {
  return sql`(extract(month from ${col})::int || '月' || extract(day from ${col})::int || '日')`;
}

/**
 * Whether member `m` belonged on the date `d` to an organization whose path starts with `path` (the
 * organization and everything under it), by the membership history (member_org_history); a member
 * without any history row counts from the join date in the present organization.
 */
export function memberOfOn(m: string, path: SQL, d: SQL): SQL {
  const a = sql.raw(m);
  return sql`(exists (select 1 from member_org_history h join orgs ho on ho.county_code = h.county_code and ho.id = h.org_id
      where h.county_code = ${a}.county_code and h.member_id = ${a}.id and h.from_date <= ${d} and (h.to_date is null or h.to_date > ${d}) and ${underPathSql('ho', path)})
    or (not exists (select 1 from member_org_history h where h.county_code = ${a}.county_code and h.member_id = ${a}.id) and ${a}.join_date <= ${d}
      and exists (select 1 from orgs co where co.county_code = ${a}.county_code and co.id = ${a}.org_id and ${underPathSql('co', path)})))`;
}

/** Whether member `m` was a full member (正式党员) on the date `d`: 转正 by then (a full member without the date recorded: a year after joining). */
export function fullOn(m: string, d: SQL): SQL {
  const a = sql.raw(m);
  return sql`(${a}.standing = 'full' and coalesce(${a}.full_date, (${a}.join_date + interval '1 year')::date) <= ${d})`;
}

/** The branch a member belongs to: their organization, or for a Party group its parent branch. */
export const MEMBER_BRANCH = sql`case when mo.kind = 'partyGroup' then mo.parent_id else mo.id end`;
