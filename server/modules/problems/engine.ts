/**
 * The rules engine: evaluates the rules (rules/*.ts) for a county or for one organization and writes
 * what it found into rule_results, and the problems it raises, clears or reopens (with their
 * history) into problems and problem_events. Each rule is one set-based statement for the whole
 * county into a staging table; results and problems are then written with a handful of statements.
 */
import { type SQL, sql } from 'drizzle-orm';
import { analyzeTables, type Db, type Tx } from '../../db/index.ts';
import { ancestorIdSql, pathIds } from '../../platform/access.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { addMonths, type Period, type PeriodType, periodsBetween, periodsContaining, todayOf } from './periods.ts';
import { loadRuleSettings } from './rule-settings.ts';
import type { RuleInput } from '../module.ts';
import { CREATE_STAGE, type Rule, type RuleCtx, uuidArray } from './rules/common.ts';
import { loadRules, rulesReading } from './rules/index.ts';

export type Cause = 'incremental' | 'full' | 'nightly';

export interface RunCounts {
  checked: number;
  opened: number;
  cleared: number;
}

function textIn(values: string[]): SQL {
  return values.length
    ? sql.join(
        values.map((v) => sql`${v}`),
        sql`, `,
      )
    : sql`null`;
}

/** Which rows of rule_results / problems (alias x) a rule's evaluation in this context replaces. */
function scopeOf(ctx: RuleCtx, rule: Rule): SQL {
  const periods = rule.periodType ? ctx.periods[rule.periodType].map((p) => p.period) : [''];
  let subject = sql``;
  if (rule.subjectType === 'member')
    subject = ctx.memberIds ? sql` and x.subject_id = any(${uuidArray(ctx.memberIds)})` : sql``;
  else if (ctx.orgIds) subject = sql` and x.org_id = any(${uuidArray(ctx.orgIds)})`;
  return sql`(x.rule_id = ${rule.id} and x.subject_type = ${rule.subjectType} and x.period in (${textIn(periods)})${subject})`;
}

/**
 * The rows (alias x) the evaluation of `rules` replaces. In a re-check the organization rules' part is
 * led by `x.org_id = any(…)` (already implied by each rule's condition) so the organization index finds
 * them, instead of every row of each rule and period being read and filtered.
 */
function scopeSql(ctx: RuleCtx, rules: readonly Rule[]): SQL {
  const orgRules = rules.filter((r) => r.subjectType !== 'member');
  const memberRules = rules.filter((r) => r.subjectType === 'member');
  const either = (rs: readonly Rule[]) =>
    rs.length
      ? sql.join(
          rs.map((r) => scopeOf(ctx, r)),
          sql` or `,
        )
      : sql`false`;
  if (!ctx.orgIds) return either(rules);
  return sql`((x.org_id = any(${uuidArray(ctx.orgIds)}) and (${either(orgRules)})) or (${either(memberRules)}))`;
}

/**
 * Evaluate `rules` in `ctx` inside `tx` and write the outcome: the rule_results rows of the scope are
 * replaced; a failed ended period is an open problem, a running one not yet met an upcoming reminder,
 * and a problem whose data no longer breaks the rule is cleared. Each status change is an event.
 */
export async function evaluateRules(
  tx: Tx,
  ctx: RuleCtx,
  rules: readonly Rule[],
  cause: Cause,
  at: Date,
  userId: string | null = null,
): Promise<RunCounts> {
  const c = ctx.county;
  const now = at.toISOString();
  // A server with JIT on (PostgreSQL 15 as packaged) compiles these statements for seconds on their cost
  // estimates over the unanalyzed staging table, for work of milliseconds: never worth it here.
  await tx.execute(sql`set local jit = off`);
  await tx.execute(CREATE_STAGE);
  // Empty already unless this transaction evaluated before (a delete, not a truncate: no new file, no lock).
  await tx.execute(sql`delete from rule_stage`);
  const live: Rule[] = [];
  for (const rule of rules) {
    const stmt = rule.evaluate(ctx);
    if (!stmt) continue;
    await tx.execute(stmt);
    live.push(rule);
  }
  if (!live.length) return { checked: 0, opened: 0, cleared: 0 };
  // A full run stages tens of thousands of rows and the planner needs their statistics (a temp table
  // is never auto-analyzed); a re-check stages a few dozen, for which the defaults do.
  if (!ctx.orgIds) await tx.execute(sql`analyze rule_stage`);
  const scope = scopeSql(ctx, live);
  const restore = await planForAnyCounty(tx);
  await tx.execute(sql`delete from rule_results x where x.county_code = ${c} and (${scope})`);
  const ins =
    await tx.execute(sql`insert into rule_results (county_code, rule_id, subject_type, subject_id, period, org_id, period_start, period_end, required, held, ok, ended, refs, checked_at)
    select ${c}, rule_id, subject_type, subject_id, period, org_id, period_start, period_end, required, held, ok, ended, refs, ${now}::timestamptz from rule_stage`);
  const desired = sql`d as materialized (select s.rule_id, s.subject_type, s.subject_id, s.period, s.org_id, s.cleared_by,
      ${CLOSED_STATUS} as closed,
      coalesce(${CLOSED_STATUS}, case when s.ended then 'open' else 'upcoming' end) as status, case when s.ended then s.message else s.upcoming end as msg, s.detail,
      o.field, ${ancestorIdSql('o', 1)} as township_id
    from rule_stage s join orgs o on o.county_code = ${c} and o.id = s.org_id where not s.ok and (s.ended or s.upcoming is not null))`;
  const changed = await tx.execute<{ opened: number }>(sql`with ${desired},
    cur as (select x.id, x.old_status, d.* from d cross join lateral (
        -- One key lookup per wanted problem (LIMIT 1 keeps the planner from scanning the county's problems when its statistics are stale).
        select p.id, p.status as old_status, p.message, p.org_id, p.cleared_by, p.detail as old_detail from problems p where p.county_code = ${c} and p.source = 'rule' and p.rule_id = d.rule_id
          and p.subject_type = d.subject_type and p.subject_id = d.subject_id and p.period = d.period limit 1) x
      where x.old_status <> d.status or x.message <> d.msg or x.org_id <> d.org_id or x.cleared_by <> d.cleared_by or x.old_detail <> d.detail),
    upd as (update problems x set status = cur.status, message = cur.msg, cleared_by = cur.cleared_by, org_id = cur.org_id, field = cur.field, township_id = cur.township_id, detail = cur.detail,
        raised_at = case when cur.status = 'open' then coalesce(x.raised_at, ${now}::timestamptz) else x.raised_at end,
        opened_at = case when cur.status = 'open' and cur.old_status <> 'open' then ${now}::timestamptz else x.opened_at end, updated_at = ${now}::timestamptz
      from cur where x.county_code = ${c} and x.id = cur.id returning x.id, cur.old_status, x.status, x.message),
    ev as (insert into problem_events (county_code, problem_id, at, from_status, to_status, message, cause, user_id)
      select ${c}, id, ${now}::timestamptz, old_status, status, message, ${cause}, ${userId} from upd where old_status <> status returning to_status)
    select count(*) filter (where to_status = 'open')::int as opened from ev`);
  const added = await tx.execute<{ opened: number }>(sql`with ${desired},
    ins as (insert into problems (county_code, source, rule_id, subject_type, subject_id, org_id, period, status, message, cleared_by, field, township_id, detail, raised_at, opened_at, created_at, updated_at)
      select ${c}, 'rule', d.rule_id, d.subject_type, d.subject_id, d.org_id, d.period, d.status, d.msg, d.cleared_by, d.field, d.township_id, d.detail,
        case when d.status = 'open' then ${now}::timestamptz end, case when d.status = 'open' then ${now}::timestamptz end, ${now}::timestamptz, ${now}::timestamptz
      from d where d.closed is null
      -- The problem's key is unique (problems_key_uq): the ones that exist are skipped by the index, not by a scan.
      on conflict do nothing returning id, status, message),
    ev as (insert into problem_events (county_code, problem_id, at, from_status, to_status, message, cause, user_id)
      select ${c}, id, ${now}::timestamptz, null, status, message, ${cause}, ${userId} from ins returning to_status)
    select count(*) filter (where to_status = 'open')::int as opened from ev`);
  const cleared = await tx.execute<{ n: number }>(sql`with c as (select x.id, x.status as old_status,
        coalesce((select ${CLOSED_STATUS} from orgs o where o.county_code = ${c} and o.id = x.org_id), 'cleared') as new_status from problems x
      where x.county_code = ${c} and x.source = 'rule' and x.status in ('open', 'upcoming') and (${scope})
        and not exists (select 1 from rule_stage s where s.rule_id = x.rule_id and s.subject_type = x.subject_type and s.subject_id = x.subject_id and s.period = x.period
          and not s.ok and (s.ended or s.upcoming is not null))),
    upd as (update problems x set status = c.new_status, cleared_at = ${now}::timestamptz, updated_at = ${now}::timestamptz,
        -- What the rule now reads (the record that counts), kept on the cleared problem.
        detail = coalesce((select s.detail from rule_stage s where s.rule_id = x.rule_id and s.subject_type = x.subject_type and s.subject_id = x.subject_id and s.period = x.period limit 1), x.detail)
      from c
      where x.county_code = ${c} and x.id = c.id returning x.id, c.old_status, x.status, x.message),
    ev as (insert into problem_events (county_code, problem_id, at, from_status, to_status, message, cause, user_id)
      select ${c}, id, ${now}::timestamptz, old_status, status, ${CLOSED_PREFIX} || message, ${cause}, ${userId} from upd returning 1)
    select count(*)::int as n from ev`);
  await tx.execute(restore);
  return {
    checked: ins.rowCount ?? 0,
    opened: (changed.rows[0]?.opened ?? 0) + (added.rows[0]?.opened ?? 0),
    cleared: cleared.rows[0]?.n ?? 0,
  };
}

/**
 * The engine's writes into rule_results and problems are planned for a county of any size, not for
 * the rows the county had there when the tables were last analyzed (issue 21). A county in its first
 * run among others had none then (the app role cannot ANALYZE, and autovacuum waits for a tenth of the
 * table to change): the planner took its problems for one row and looked each wanted problem up by
 * reading all of them (problems_org_idx on the county alone, once per row) — minutes per county in a
 * nine-county database. A generic plan does not look at the county's value (its share is the column's
 * distinct count, an average county), so each lookup takes the problem's key; with sequential scans off
 * every read of these tables goes through an index led by the county, never through every county's
 * rows. Set for this transaction; the statement returned restores the caller's settings.
 */
async function planForAnyCounty(tx: Tx): Promise<SQL> {
  const r = await tx.execute<{
    mode: string;
    seqscan: string;
  }>(sql`select current_setting('plan_cache_mode') as mode, current_setting('enable_seqscan') as seqscan,
    set_config('plan_cache_mode', 'force_generic_plan', true), set_config('enable_seqscan', 'off', true)`);
  const was = r.rows[0];
  return sql`select set_config('plan_cache_mode', ${was.mode}, true), set_config('enable_seqscan', ${was.seqscan}, true)`;
}

/** The status a problem of an organization takes when the organization is no longer active (alias o): 组织已撤销 or 组织已合并; null while active. */
const CLOSED_STATUS = sql`(case o.status when 'merged' then 'orgMerged' when 'active' then null else 'orgDissolved' end)`;
/** How a closing reads in the history (alias status): fixed, or the organization gone. */
const CLOSED_PREFIX = sql`(case status when 'orgMerged' then '组织已合并，问题随之关闭：' when 'orgDissolved' then '组织已撤销，问题随之关闭：' else '已消除：' end)`;

/**
 * Close the open problems and reminders of organizations dissolved or merged (orgs.changed), of every
 * period, with their own status (组织已撤销, 组织已合并), never 已消除: nobody fixed them. Kept with
 * their history; the compliance rates count those organizations apart.
 */
export async function closeProblemsOfInactive(
  tx: Tx,
  deps: Pick<Deps, 'now'>,
  county: string,
  orgIds: string[],
  userId: string | null,
): Promise<number> {
  if (!orgIds.length) return 0;
  const now = deps.now().toISOString();
  const r = await tx.execute<{
    n: number;
  }>(sql`with c as (select x.id, x.status as old_status, ${CLOSED_STATUS} as new_status from problems x
      join orgs o on o.county_code = x.county_code and o.id = x.org_id
      where x.county_code = ${county} and x.org_id = any(${uuidArray(orgIds)}) and x.status in ('open', 'upcoming') and o.status <> 'active'),
    upd as (update problems x set status = c.new_status, cleared_at = ${now}::timestamptz, updated_at = ${now}::timestamptz from c
      where x.county_code = ${county} and x.id = c.id returning x.id, c.old_status, x.status, x.message),
    ev as (insert into problem_events (county_code, problem_id, at, from_status, to_status, message, cause, user_id)
      select ${county}, id, ${now}::timestamptz, old_status, status, ${CLOSED_PREFIX} || message, 'incremental', ${userId} from upd returning 1)
    select count(*)::int as n from ev`);
  return r.rows[0]?.n ?? 0;
}

/** Periods of every type from the one containing `from` to the one containing `today`. */
export function periodsFrom(from: string, today: string): Record<PeriodType, Period[]> {
  return {
    month: periodsBetween('month', from, today),
    quarter: periodsBetween('quarter', from, today),
    year: periodsBetween('year', from, today),
  };
}

/** The default start of a full run: 1 January of the year 24 months ago. */
export function defaultFrom(today: string): string {
  return `${addMonths(today, -24).slice(0, 4)}-01-01`;
}

/**
 * Where a county's checks begin: the default start, but never before the month of the first record of
 * organizational life the county keeps here. A county that starts using the platform is not told it
 * missed every meeting of the years before it came (those were kept on paper); an empty county is
 * checked from this month.
 */
export async function checkStart(db: Db | Tx, county: string, today: string): Promise<string> {
  const r = await db.execute<{ first: string | null }>(
    sql`select min(m.held_on)::text as first from meetings m where m.county_code = ${county} and m.deleted_at is null`,
  );
  const first = r.rows[0]?.first ?? today;
  const from = defaultFrom(today);
  const month = `${first.slice(0, 7)}-01`;
  return month > from ? month : from;
}

const RUN_LOCK_SPACE = 7_302_002;
/** Problems opened and cleared by one run from which the engine's tables are analyzed after it. */
const BULK_CHANGES = 500;

/**
 * Record a run as started, or refuse with RULE_RUN_BUSY while another one of the county is running (a
 * run older than 2 hours is taken as dead). `onStarted` writes in the same transaction (a run started
 * by hand: its audit entry).
 */
export async function startRun(
  db: Db,
  deps: Pick<Deps, 'now'>,
  county: string,
  kind: 'full' | 'nightly',
  userId: string | null,
  onStarted?: (tx: Tx, runId: string) => Promise<unknown>,
): Promise<string> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${RUN_LOCK_SPACE}::int, ${Number(county)}::int)`);
    const busy = await tx.execute(
      sql`select 1 from rule_runs r where r.county_code = ${county} and r.status = 'running' and r.started_at > ${deps.now().toISOString()}::timestamptz - interval '2 hours'`,
    );
    if (busy.rows.length) throw new AppError('RULE_RUN_BUSY');
    const r = await tx.execute<{ id: string }>(
      sql`insert into rule_runs (county_code, kind, status, started_at, started_by) values (${county}, ${kind}, 'running', ${deps.now().toISOString()}::timestamptz, ${userId}) returning id`,
    );
    if (onStarted) await onStarted(tx, r.rows[0].id);
    return r.rows[0].id;
  });
}

/** Carry out a started run: every rule over the county, one transaction per rule; the run row gets the outcome. */
export async function finishRun(
  db: Db,
  deps: Pick<Deps, 'now'>,
  county: string,
  runId: string,
  kind: 'full' | 'nightly',
  opts: { from?: string; userId?: string | null } = {},
): Promise<RunCounts> {
  const total: RunCounts = { checked: 0, opened: 0, cleared: 0 };
  try {
    const today = todayOf(deps);
    const settings = await loadRuleSettings(db, county);
    const ctx: RuleCtx = {
      county,
      today,
      settings,
      periods: periodsFrom(opts.from ?? (await checkStart(db, county, today)), today),
      orgIds: null,
      memberIds: null,
    };
    for (const rule of await loadRules()) {
      const n = await db.transaction((tx) => evaluateRules(tx, ctx, [rule], kind, deps.now(), opts.userId ?? null));
      total.checked += n.checked;
      total.opened += n.opened;
      total.cleared += n.cleared;
    }
    await db.execute(sql`update rule_runs set status = 'done', finished_at = ${deps.now().toISOString()}::timestamptz, checked = ${total.checked}, opened = ${total.opened}, cleared = ${total.cleared}
      where county_code = ${county} and id = ${runId}`);
    // A run that changed many of the county's problems (its first run above all) leaves the views'
    // plans to statistics that do not know them: the owner's analyze now, not autovacuum's some day.
    if (total.opened + total.cleared >= BULK_CHANGES)
      await analyzeTables(db, ['rule_results', 'problems', 'problem_events']);
    return total;
  } catch (e) {
    await db.execute(sql`update rule_runs set status = 'failed', finished_at = ${deps.now().toISOString()}::timestamptz, error = ${String((e as Error).message ?? e).slice(0, 500)}
      where county_code = ${county} and id = ${runId}`);
    throw e;
  }
}

/**
 * The full run of a county: all organizations and members over the periods from `from` (default:
 * 1 January of the year 24 months ago) to today. Refused with RULE_RUN_BUSY while one is running.
 */
export async function runCounty(
  db: Db,
  deps: Pick<Deps, 'now'>,
  county: string,
  kind: 'full' | 'nightly',
  opts: { from?: string; userId?: string | null } = {},
): Promise<{ runId: string } & RunCounts> {
  const runId = await startRun(db, deps, county, kind, opts.userId ?? null);
  return { runId, ...(await finishRun(db, deps, county, runId, kind, opts)) };
}

/**
 * What changed, as events.ts tells it from another module's event: the organizations (or one), the
 * Asia/Shanghai dates whose periods it reaches, the members whose own checks may have moved, and what
 * kind of data it touched (the declarations' `reads`; absent: anything, every rule is re-checked).
 */
export interface Change {
  countyCode: string;
  orgId?: string;
  orgIds?: string[];
  dates: string[];
  memberIds?: string[];
  userId?: string | null;
  touched?: readonly RuleInput[];
  /** Re-check every period from the one containing this date to today (a post from its start, a founding date moved): not only those containing `dates`. */
  since?: string;
}

/**
 * Incremental re-check after a change of organizations' data, in the caller's transaction: those
 * organizations, their ancestors (their secretaries' lectures), the Party groups under them and the
 * branches under a general branch (its meetings count for them) and their members, for the periods
 * containing the given dates. One evaluation however many organizations (an import names hundreds).
 */
export async function recheck(tx: Tx, deps: Deps, change: Change): Promise<RunCounts> {
  const county = change.countyCode;
  const today = todayOf(deps);
  const named = [...new Set([...(change.orgIds ?? []), ...(change.orgId ? [change.orgId] : [])])];
  if (!named.length) return { checked: 0, opened: 0, cleared: 0 };
  const orgs = await tx.execute<{ id: string; path: string; kind: string }>(
    sql`select o.id, o.path, o.kind from orgs o where o.county_code = ${county} and o.id = any(${uuidArray(named)})`,
  );
  if (!orgs.rows.length) return { checked: 0, opened: 0, cleared: 0 };
  const orgIds = new Set(orgs.rows.flatMap((o) => pathIds(o.path)));
  const general = orgs.rows.filter((o) => o.kind === 'generalBranch').map((o) => o.id);
  const below = await tx.execute<{
    id: string;
  }>(sql`select o.id from orgs o where o.county_code = ${county} and o.parent_id = any(${uuidArray(orgs.rows.map((o) => o.id))})
    and (o.kind = 'partyGroup' or o.parent_id = any(${uuidArray(general)}))`);
  for (const r of below.rows) orgIds.add(r.id);
  const memberOrgs = [...orgs.rows.map((o) => o.id), ...below.rows.map((r) => r.id)];
  const members = await tx.execute<{ id: string }>(
    sql`select m.id from members m where m.county_code = ${county} and m.org_id = any(${uuidArray(memberOrgs)})`,
  );
  const memberIds = new Set([...(change.memberIds ?? []), ...members.rows.map((r) => r.id)]);
  const periods: Record<PeriodType, Period[]> = { month: [], quarter: [], year: [] };
  // From `since`, but not before the default start of a full run: a post held since 2015 re-checks the last two years.
  const from = change.since ? [change.since, defaultFrom(today)].sort()[1] : null;
  const dates = [...new Set(change.dates)];
  const spans = from && from <= today ? periodsFrom(from, today) : null;
  for (const type of ['month', 'quarter', 'year'] as const) {
    for (const p of [
      ...(spans?.[type] ?? []),
      ...dates.flatMap((d) => periodsContaining(d).filter((x) => x.type === type)),
    ]) {
      if (p.start <= today && !periods[type].some((q) => q.period === p.period)) periods[type].push(p);
    }
  }
  const settings = await loadRuleSettings(tx, county);
  const ctx: RuleCtx = { county, today, settings, periods, orgIds: [...orgIds], memberIds: [...memberIds] };
  return evaluateRules(
    tx,
    ctx,
    rulesReading(await loadRules(), change.touched),
    'incremental',
    deps.now(),
    change.userId ?? null,
  );
}
