/**
 * Problems (问题清单), compliance and calendar, rule settings and runs: what the routes answer, read
 * from what the rules engine wrote (rule_results, problems, problem_events, rule_runs). Nothing here
 * re-evaluates a rule. Every query carries the county and the user's subtree (platform/access.ts).
 */
import type { Writable } from 'node:stream';
import { type SQL, sql } from 'drizzle-orm';
import type { MeetingKind } from '../../../contract/meetings.ts';
import {
  PROBLEM_STATUS_LABELS,
  type ProblemView,
  type RuleRunView,
  type complianceMissingQuery,
  type complianceQuery,
  type problemListQuery,
} from '../../../contract/problems.ts';
import type { z } from 'zod';
import type { Db, Tx } from '../../db/index.ts';
import { type Actor, writeAudit } from '../../platform/audit.ts';
import {
  ancestorIdSql,
  inCounty,
  inSubtree,
  joinOrg,
  orgInScopeSql,
  requireOrgAccess,
  type Scope,
  type ScopedOrg,
} from '../../platform/access.ts';
import type { Deps, SessionUser } from '../../platform/deps.ts';
import { AppError, fieldError } from '../../platform/errors.ts';
import { addRow, addSheet, createStreamingWorkbook, setColumns } from '../../platform/xlsx-cells.ts';
import {
  monthPeriod,
  type Period,
  type PeriodType,
  parsePeriod,
  periodLabel,
  periodProgress,
  quarterPeriod,
  todayOf,
  yearPeriod,
} from './periods.ts';
import {
  loadRuleSettings,
  putRuleSetting,
  RULE_SETTING_KEYS,
  RULE_SETTINGS,
  type RuleSettingKey,
  ruleSettingProblem,
  type RuleSettingValue,
} from './rule-settings.ts';
import { startRun } from './engine.ts';
import type { RecordNote } from './rules/common.ts';
import { loadRules, ruleById, ruleInfos, ruleOfKind as ruleCountingKind } from './rules/index.ts';
import { shanghaiMinute } from '../../platform/calendar.ts';
import { ORG_CLASS_LABELS } from '../../../contract/rules.ts';
import {
  INSPECTION_CATEGORY,
  INSPECTION_KIND_LABELS,
  PROBLEM_SOURCE_LABELS,
  type REPORTED_SOURCES,
} from '../../../contract/labels.ts';

type ListQuery = z.infer<typeof problemListQuery>;
/** A problem search without its page: the list's filters, and what an export takes. */
export type ProblemFilter = Omit<ListQuery, 'page' | 'pageSize'>;
type U = Scope & Pick<SessionUser, 'orgId'>;

const iso = (v: unknown): string | null => (v === null || v === undefined ? null : new Date(v as string).toISOString());

/** The rule's Chinese name; for a problem not raised by a rule, its source and category (督查发现（随机抽查）). */
function ruleName(id: string, subjectType?: string, source = 'rule'): string {
  if (source !== 'rule') {
    const kind = Object.entries(INSPECTION_CATEGORY).find(([, c]) => c === id)?.[0] as
      | keyof typeof INSPECTION_KIND_LABELS
      | undefined;
    return `${PROBLEM_SOURCE_LABELS[source] ?? '其他来源'}${kind ? `（${INSPECTION_KIND_LABELS[kind]}）` : ''}`;
  }
  const name = ruleById(id)?.name ?? id;
  return subjectType === 'secretary' ? `${name}（书记）` : name;
}

// ---------------------------------------------------------------------------------------------
// Problem list, detail, export

/**
 * WHERE of a problem search (alias p = problems, o = the problem's organization): the county, the
 * user's subtree, an organization's subtree (404 outside the scope), then the filters.
 */
async function problemConditions(tx: Tx, user: U, q: ProblemFilter): Promise<{ where: SQL; org: ScopedOrg }> {
  const org = await requireOrgAccess(tx, user, q.orgId ?? user.orgId);
  const conds: SQL[] = [
    inCounty(user, 'p'),
    orgInScopeSql(user),
    inSubtree(org),
    sql`p.status = ${q.status ?? 'open'}`,
  ];
  if (q.rule) conds.push(sql`p.rule_id = ${q.rule}`);
  if (q.period !== undefined) conds.push(sql`p.period = ${q.period}`);
  if (q.field) conds.push(sql`p.field = ${q.field}`);
  if (q.townshipId) conds.push(sql`p.township_id = ${q.townshipId}`);
  return { where: sql.join(conds, sql` and `), org };
}

/** The subject's name: an organization's (a secretary's rule names the organization), a member's, or a graded member's. */
const PROBLEM_FROM = sql`problems p ${joinOrg('p')}
  left join orgs so on so.county_code = p.county_code and so.id = p.subject_id and p.subject_type in ('org', 'secretary')
  left join members sm on sm.county_code = p.county_code and sm.id = p.subject_id and p.subject_type = 'member'
  left join appraisal_grades ag on ag.county_code = p.county_code and ag.id = p.subject_id and p.subject_type = 'grade'
  left join members gm on gm.county_code = ag.county_code and gm.id = ag.member_id
  left join meetings smt on smt.county_code = p.county_code and smt.id = p.subject_id and p.subject_type = 'meeting'
  left join first_secretaries sfs on sfs.county_code = p.county_code and sfs.id = p.subject_id and p.subject_type = 'firstSecretary'`;
const PROBLEM_COLS = sql`p.id, p.source, p.rule_id, p.subject_type, p.subject_id, p.org_id, o.name as org_name, p.period, p.status, p.message, p.cleared_by,
  p.raised_at, p.opened_at, p.cleared_at, coalesce(so.name, sm.name, gm.name, sfs.name, case when smt.id is not null then to_char(smt.held_on, 'YYYY-MM-DD') || ' 支部党员大会' end, '') as subject_name, p.detail`;
/** Newest raised first (a reminder by when it appeared), then the organization's name. */
const PROBLEM_ORDER = sql`coalesce(p.raised_at, p.created_at) desc, o.name_pinyin, o.name, p.id`;

function toProblemView(r: Record<string, unknown>): ProblemView {
  return {
    id: String(r.id),
    source: r.source as ProblemView['source'],
    rule: String(r.rule_id),
    ruleName: ruleName(String(r.rule_id), String(r.subject_type), String(r.source)),
    subjectType: String(r.subject_type),
    subjectId: String(r.subject_id),
    subjectName: String(r.subject_name ?? ''),
    orgId: String(r.org_id),
    orgName: String(r.org_name),
    period: String(r.period),
    periodLabel: periodLabel(String(r.period)),
    status: r.status as ProblemView['status'],
    message: String(r.message),
    clearedBy: String(r.cleared_by),
    raisedAt: iso(r.raised_at),
    openedAt: iso(r.opened_at),
    clearedAt: iso(r.cleared_at),
    records: recordsOf(r.detail),
  };
}

/** The records a problem's rule read (problems.detail.records, rules/common.ts RecordNote). */
function recordsOf(detail: unknown): ProblemView['records'] {
  const list = (detail as { records?: RecordNote[] } | null)?.records;
  if (!Array.isArray(list)) return [];
  return list.map((x) => ({
    meetingId: String(x.id),
    heldOn: String(x.heldOn).slice(0, 10),
    kind: String(x.kind),
    counted: Boolean(x.counted),
    note: String(x.note ?? ''),
  }));
}

export async function listProblems(tx: Tx, user: U, q: ListQuery) {
  const { where } = await problemConditions(tx, user, q);
  const [total, rows] = await Promise.all([
    tx.execute<{ n: number }>(sql`select count(*)::int as n from problems p ${joinOrg('p')} where ${where}`),
    tx.execute<Record<string, unknown>>(
      sql`select ${PROBLEM_COLS} from ${PROBLEM_FROM} where ${where} order by ${PROBLEM_ORDER} limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`,
    ),
  ]);
  return { items: rows.rows.map(toProblemView), total: Number(total.rows[0].n), page: q.page, pageSize: q.pageSize };
}

export async function getProblem(tx: Tx, user: Scope, id: string) {
  const res = await tx.execute<Record<string, unknown>>(
    sql`select ${PROBLEM_COLS} from ${PROBLEM_FROM} where ${inCounty(user, 'p')} and p.id = ${id} and ${orgInScopeSql(user)}`,
  );
  const row = res.rows[0];
  if (!row) throw new AppError('NOT_FOUND');
  const ev = await tx.execute<{
    at: unknown;
    from_status: string | null;
    to_status: string;
    message: string;
    cause: string;
  }>(
    sql`select e.at, e.from_status, e.to_status, e.message, e.cause from problem_events e where ${inCounty(user, 'e')} and e.problem_id = ${id} order by e.at, e.id`,
  );
  const rule = ruleById(String(row.rule_id));
  return {
    ...toProblemView(row),
    history: ev.rows.map((e) => ({
      at: iso(e.at) as string,
      fromStatus: e.from_status,
      toStatus: e.to_status,
      message: e.message,
      cause: e.cause,
    })),
    ruleText: rule?.text ?? '',
    ruleSource: rule?.source ?? '',
    ruleCountyRule: rule?.countyRule ?? null,
  };
}

/** The rules that raise problems, with the regulation's words and article. */
/** A problem as other modules act on it (the lists module's rectification): its organization, status and when it last opened. */
export interface ProblemCore {
  id: string;
  countyCode: string;
  orgId: string;
  orgName: string;
  source: string;
  ruleId: string;
  status: string;
  message: string;
  period: string;
  openedAt: Date | null;
  clearedAt: Date | null;
  /** What its source recorded with it (an inspection's id, who reported it). */
  detail: Record<string, unknown>;
}

/** A problem in the user's scope (by its organization), or NOT_FOUND; `lock` takes its row lock. */
export async function problemCore(tx: Tx, user: Scope, id: string, lock = false): Promise<ProblemCore> {
  const r = await tx.execute<Record<string, unknown>>(
    sql`select p.id, p.county_code, p.org_id, o.name as org_name, p.source, p.rule_id, p.status, p.message, p.period, p.opened_at, p.cleared_at, p.detail
      from problems p ${joinOrg('p')} where ${inCounty(user, 'p')} and p.id = ${id} and ${orgInScopeSql(user)} ${lock ? sql`for update of p` : sql``}`,
  );
  const x = r.rows[0];
  if (!x) throw new AppError('NOT_FOUND');
  const at = (v: unknown) => (v == null ? null : v instanceof Date ? v : new Date(String(v)));
  return {
    id: String(x.id),
    countyCode: String(x.county_code),
    orgId: String(x.org_id),
    orgName: String(x.org_name),
    source: String(x.source),
    ruleId: String(x.rule_id),
    status: String(x.status),
    message: String(x.message),
    period: String(x.period),
    openedAt: at(x.opened_at),
    clearedAt: at(x.cleared_at),
    detail: (x.detail ?? {}) as Record<string, unknown>,
  };
}

/**
 * A problem not raised by a rule (an inspection's finding, a higher level's feedback): open from now on
 * the organization, with its history's first row. Rules never clear it; the level above's verification
 * does (closeProblem). `subjectId` keeps each finding its own problem.
 */
export async function raiseProblem(
  tx: Tx,
  deps: Pick<Deps, 'now'>,
  p: {
    countyCode: string;
    source: 'inspection' | 'manual' | (typeof REPORTED_SOURCES)[number];
    category: string;
    subjectType: string;
    subjectId: string;
    orgId: string;
    message: string;
    clearedBy: string;
    detail?: Record<string, unknown>;
  },
  userId: string | null,
): Promise<string> {
  const now = deps.now().toISOString();
  const r = await tx.execute<{
    id: string;
  }>(sql`insert into problems (county_code, source, rule_id, subject_type, subject_id, org_id, period, status,
      message, cleared_by, field, township_id, detail, raised_at, opened_at, created_at, updated_at)
    select ${p.countyCode}, ${p.source}, ${p.category}, ${p.subjectType}, ${p.subjectId}, o.id, '', 'open', ${p.message}, ${p.clearedBy},
      o.field, ${ancestorIdSql('o', 1)}, ${JSON.stringify(p.detail ?? {})}::jsonb, ${now}::timestamptz, ${now}::timestamptz, ${now}::timestamptz, ${now}::timestamptz
    from orgs o where o.county_code = ${p.countyCode} and o.id = ${p.orgId}
    returning id`);
  const id = r.rows[0].id;
  await tx.execute(sql`insert into problem_events (county_code, problem_id, at, from_status, to_status, message, cause, user_id)
    values (${p.countyCode}, ${id}, ${now}::timestamptz, null, 'open', ${p.message}, ${p.source}, ${userId})`);
  return id;
}

/** Close a problem not raised by a rule once the level above verified its rectification (a rule's problem clears only by its rule). */
export async function closeProblem(
  tx: Tx,
  deps: Pick<Deps, 'now'>,
  countyCode: string,
  id: string,
  userId: string | null,
): Promise<void> {
  const now = deps.now().toISOString();
  const r = await tx.execute<{
    message: string;
  }>(sql`update problems p set status = 'cleared', cleared_at = ${now}::timestamptz, updated_at = ${now}::timestamptz
    where p.county_code = ${countyCode} and p.id = ${id} and p.source <> 'rule' and p.status = 'open' returning p.message`);
  if (r.rows[0])
    await tx.execute(sql`insert into problem_events (county_code, problem_id, at, from_status, to_status, message, cause, user_id)
      values (${countyCode}, ${id}, ${now}::timestamptz, 'open', 'cleared', ${r.rows[0].message}, 'verification', ${userId})`);
}

export function listRules() {
  return ruleInfos(true);
}

/** 'YYYY-MM-DD HH:mm' in Asia/Shanghai. */
function shanghaiTime(v: unknown): string {
  if (v === null || v === undefined) return '';
  return shanghaiMinute(v instanceof Date ? v : String(v));
}

const EXPORT_HEADERS = ['党组织', '规则', '期间', '问题', '整改要求', '状态', '发现时间', '消除时间'];
const EXPORT_PAGE = 5000;

/** The organization whose problems an export holds (the user's own by default): 404 outside the scope, before any byte is sent. */
export async function exportTarget(tx: Tx, user: U, q: ProblemFilter): Promise<ScopedOrg> {
  return requireOrgAccess(tx, user, q.orgId ?? user.orgId);
}

/**
 * Stream the problems of a search as an .xlsx: a title row with the time of export, the Chinese
 * headers, one row per problem. The search is the list's filter; its scoped SQL is built here.
 */
export async function writeProblemsExport(
  tx: Tx,
  deps: Deps,
  user: U,
  q: ProblemFilter,
  out: Writable,
): Promise<number> {
  const { where } = await problemConditions(tx, user, q);
  const wb = createStreamingWorkbook('problems', out);
  const ws = addSheet(wb, '问题清单', {
    pageSetup: {
      paperSize: 9,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: '2:2',
    },
    views: [{ state: 'frozen', ySplit: 2 }],
  });
  setColumns(
    ws,
    [30, 22, 14, 50, 40, 10, 18, 18].map((width) => ({ width })),
  );
  addRow(ws, [`问题清单（导出时间：${shanghaiTime(deps.now())}）`]).commit();
  addRow(ws, EXPORT_HEADERS).commit();
  let n = 0;
  for (let offset = 0; ; offset += EXPORT_PAGE) {
    const page = await tx.execute<Record<string, unknown>>(
      sql`select ${PROBLEM_COLS} from ${PROBLEM_FROM} where ${where} order by ${PROBLEM_ORDER} limit ${EXPORT_PAGE} offset ${offset}`,
    );
    for (const r of page.rows) {
      const v = toProblemView(r);
      const cells = [
        v.orgName,
        `${v.ruleName}（${v.rule}）`,
        v.periodLabel,
        v.message,
        v.clearedBy,
        PROBLEM_STATUS_LABELS[v.status],
        shanghaiTime(r.raised_at ?? null),
        shanghaiTime(r.cleared_at ?? null),
      ];
      // Names and messages come from users' data: addRow neutralises formula-like text (SEC-20).
      addRow(ws, cells).commit();
      n++;
    }
    if (page.rows.length < EXPORT_PAGE) break;
  }
  ws.commit();
  await wb.commit();
  return n;
}

// ---------------------------------------------------------------------------------------------
// Runs

/**
 * 立即检查: a full run of the user's county, recorded as started and audited in one transaction
 * (RULE_RUN_BUSY while another runs); the caller carries it out with `finishRun`.
 */
export async function startRunByHand(db: Db, deps: Deps, user: Pick<SessionUser, 'countyCode' | 'id'>, actor: Actor) {
  return startRun(db, deps, user.countyCode, 'full', user.id, (tx, runId) =>
    writeAudit(tx, deps.crypto, actor, [
      { action: 'rules.run', objectType: 'ruleRun', objectId: runId, detail: { kind: 'full' } },
    ]),
  );
}

function toRunView(r: Record<string, unknown>): RuleRunView {
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    id: String(r.id),
    kind: String(r.kind),
    status: String(r.status),
    startedAt: iso(r.started_at) as string,
    finishedAt: iso(r.finished_at),
    checked: num(r.checked),
    opened: num(r.opened),
    cleared: num(r.cleared),
  };
}

export async function getRun(tx: Tx, user: Scope, id: string): Promise<RuleRunView> {
  const r = await tx.execute<Record<string, unknown>>(
    sql`select r.id, r.kind, r.status, r.started_at, r.finished_at, r.checked, r.opened, r.cleared from rule_runs r where ${inCounty(user, 'r')} and r.id = ${id}`,
  );
  if (!r.rows[0]) throw new AppError('NOT_FOUND');
  return toRunView(r.rows[0]);
}

/** The county's last 10 full runs (by hand or nightly), newest first. */
export async function listRuns(tx: Tx, user: Scope): Promise<RuleRunView[]> {
  const r = await tx.execute<Record<string, unknown>>(
    sql`select r.id, r.kind, r.status, r.started_at, r.finished_at, r.checked, r.opened, r.cleared from rule_runs r where ${inCounty(user, 'r')} order by r.started_at desc, r.id limit 10`,
  );
  return r.rows.map(toRunView);
}

// ---------------------------------------------------------------------------------------------
// Rule settings

export async function listRuleSettings(tx: Tx, deps: Deps, county: string) {
  const s = await loadRuleSettings(tx, county);
  const today = todayOf(deps);
  return RULE_SETTING_KEYS.map((key) => settingView(key, s.defaults[key], s.history[key] ?? [], s.at(key, today)));
}

function settingView(
  key: RuleSettingKey,
  def: RuleSettingValue,
  history: { effectiveFrom: string; value: RuleSettingValue; setAt: string }[],
  current: RuleSettingValue,
) {
  const d = RULE_SETTINGS[key];
  return {
    key,
    label: d.label,
    unit: d.unit ?? null,
    rule: d.rule,
    kind: d.kind,
    options: d.kind === 'orgClasses' ? ORG_CLASS_LABELS : (d.options ?? null),
    description: d.description ?? null,
    default: def,
    history: [...history].reverse(),
    current,
  };
}

const PAST_DATE = '生效日期不能早于今天：已过去的期间按当时的规定检查';

/** Record a rule number from a date on (today or later), audited in the same transaction. */
export async function setRuleSetting(
  tx: Tx,
  deps: Deps,
  user: Pick<SessionUser, 'countyCode' | 'id'>,
  actor: Actor,
  body: { key: string; value: RuleSettingValue | boolean; effectiveFrom: string },
) {
  const problem = ruleSettingProblem(body.key, body.value);
  if (problem) throw new AppError('RULE_SETTING_INVALID', problem);
  const d = new Date(`${body.effectiveFrom}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== body.effectiveFrom)
    throw fieldError([{ field: 'effectiveFrom', message: `生效日期 ${body.effectiveFrom} 不存在` }]);
  const today = todayOf(deps);
  if (body.effectiveFrom < today) throw fieldError([{ field: 'effectiveFrom', message: PAST_DATE }]);
  const key = body.key as RuleSettingKey;
  await putRuleSetting(tx, user.countyCode, key, body.value as RuleSettingValue, body.effectiveFrom, user.id);
  await writeAudit(tx, deps.crypto, actor, [
    {
      action: 'rules.setting',
      objectType: 'ruleSetting',
      objectId: null,
      detail: { key: body.key, value: body.value, effectiveFrom: body.effectiveFrom },
    },
  ]);
  const s = await loadRuleSettings(tx, user.countyCode);
  return {
    ...settingView(key, s.defaults[key], s.history[key] ?? [], s.at(key, today)),
    message: `已保存：${RULE_SETTINGS[key].label}自 ${body.effectiveFrom} 起开始的期间按 ${String(body.value)}${RULE_SETTINGS[key].unit ?? ''} 检查，之前的期间不变；下一次检查（每晚自动检查，或点击“立即检查”）时生效`,
  };
}

// ---------------------------------------------------------------------------------------------
// Compliance and calendar

/** The organization-level rule that counts a meeting kind; 联席会议 has no required frequency. */
export async function ruleOfKind(kind: MeetingKind) {
  const rule = await ruleCountingKind(kind);
  if (!rule?.periodType) throw fieldError([{ field: 'kind', message: '联席会议没有频次要求' }]);
  return rule as typeof rule & { periodType: PeriodType };
}

/** The periods of a compliance view: months (monthly rules), quarters or the year, within the year or the chosen quarter. */
export function compliancePeriods(type: PeriodType, year: number, quarter?: number): Period[] {
  const quarters = quarter ? [quarter] : [1, 2, 3, 4];
  if (type === 'month') return quarters.flatMap((q) => [1, 2, 3].map((i) => monthPeriod(year, (q - 1) * 3 + i)));
  if (type === 'quarter') return quarters.map((q) => quarterPeriod(year, q));
  return [yearPeriod(year)];
}

interface Cell {
  period: string;
  required: number;
  met: number;
  missing: number;
  rate: number | null;
  /** Results of organizations since dissolved or merged: counted apart, in no rate. */
  closed: number;
}

function cell(period: string, r?: { required: number; met: number; missing: number; closed: number }): Cell {
  const required = r?.required ?? 0;
  const met = r?.met ?? 0;
  return {
    period,
    required,
    met,
    missing: r?.missing ?? 0,
    rate: required ? met / required : null,
    closed: r?.closed ?? 0,
  };
}

const textIn = (values: string[]) =>
  sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  );

/**
 * Compliance of the direct children of an organization (party groups left out), each over its own
 * subtree, per period; the total is the whole subtree (the organization itself included). One
 * aggregate over rule_results: each result's subject is placed under a child by its path
 */
export async function compliance(tx: Tx, deps: Deps, user: U, q: z.infer<typeof complianceQuery>) {
  const kind = q.kind ?? 'committeeMeeting';
  const rule = await ruleOfKind(kind);
  const org = await requireOrgAccess(tx, user, q.orgId ?? user.orgId);
  const today = todayOf(deps);
  const year = q.year ?? Number(today.slice(0, 4));
  const periods = compliancePeriods(rule.periodType, year, q.quarter);
  const names = periods.map((p) => p.period);
  // The child under `org` a result counts for: its organization's ancestor one level below org ('' for org's own).
  const [children, agg] = await Promise.all([
    tx.execute<{ id: string; name: string; has_children: boolean }>(sql`select c.id, c.name,
        exists (select 1 from orgs g where g.county_code = c.county_code and g.parent_id = c.id and g.status = 'active' and g.kind <> 'partyGroup') as has_children
      from orgs c where ${inCounty(user, 'c')} and c.parent_id = ${org.id} and c.status = 'active' and c.kind <> 'partyGroup' and ${orgInScopeSql(user, 'c')}
      order by c.sort_order, c.name_pinyin, c.name`),
    // With the tables' statistics the planner hashes the subtree's organizations and scans the
    // period's results once (about 20 ms for 1,500 organizations × 12 months).
    tx.execute<{
      child: string | null;
      period: string;
      required: number;
      met: number;
      missing: number;
      closed: number;
    }>(sql`select
        case when grouping(x.child) = 1 then null else x.child end as child, x.period,
        count(*) filter (where x.live)::int as required, count(*) filter (where x.live and x.ok)::int as met, count(*) filter (where x.live and not x.ok)::int as missing,
        count(*) filter (where not x.live)::int as closed
      from (select coalesce(${ancestorIdSql('s', org.depth + 1)}::text, '') as child, r.period, r.ok, r.ended, s.status = 'active' as live from rule_results r ${joinOrg('r', 's')}
        where ${inCounty(user, 'r')} and r.rule_id = ${rule.id} and r.subject_type = 'org' and r.period in (${textIn(names)}) and ${inSubtree(org, 's')} and ${orgInScopeSql(user, 's')}) x
      group by grouping sets ((x.child, x.period), (x.period))`),
  ]);
  const byKey = new Map(agg.rows.map((r) => [`${r.child ?? '*'}|${r.period}`, r]));
  return {
    orgId: org.id,
    orgName: org.name,
    kind,
    rule: rule.id,
    periods: periods.map((p) => ({
      period: p.period,
      label: periodLabel(p.period),
      ended: periodProgress(p, today).state === 'ended',
    })),
    rows: children.rows.map((c) => ({
      orgId: c.id,
      orgName: c.name,
      hasChildren: Boolean(c.has_children),
      cells: names.map((p) => cell(p, byKey.get(`${c.id}|${p}`))),
    })),
    total: names.map((p) => cell(p, byKey.get(`*|${p}`))),
  };
}

/** The subject organizations under `orgId` whose result of the kind's rule for the period is not met (so far, in a running period). */
export async function complianceMissing(tx: Tx, user: U, q: z.infer<typeof complianceMissingQuery>) {
  const rule = await ruleOfKind(q.kind);
  const p = parsePeriod(q.period);
  if (p.type !== rule.periodType)
    throw fieldError([
      {
        field: 'period',
        message: `${rule.name}按${{ month: '月', quarter: '季度', year: '年' }[rule.periodType]}检查，期间应为${{ month: '2026-11', quarter: '2026-Q4', year: '2026' }[rule.periodType]}这样的格式`,
      },
    ]);
  const org = await requireOrgAccess(tx, user, q.orgId);
  const res = await tx.execute<{
    org_id: string;
    org_name: string;
    parent_name: string | null;
    required: number;
    held: number;
    ended: boolean;
  }>(sql`select r.org_id, s.name as org_name, pa.name as parent_name, r.required, r.held, r.ended
    from rule_results r ${joinOrg('r', 's')} left join orgs pa on pa.county_code = s.county_code and pa.id = s.parent_id
    where ${inCounty(user, 'r')} and r.rule_id = ${rule.id} and r.subject_type = 'org' and r.period = ${q.period} and not r.ok and s.status = 'active'
      and ${inSubtree(org, 's')} and ${orgInScopeSql(user, 's')}
    order by s.path, s.name_pinyin`);
  const year = q.period.slice(0, 4);
  return {
    rule: rule.id,
    period: q.period,
    periodLabel: periodLabel(q.period),
    items: res.rows.map((r) => ({
      orgId: r.org_id,
      orgName: r.org_name,
      parentName: r.parent_name,
      required: Number(r.required),
      held: Number(r.held),
      ended: Boolean(r.ended),
      link: `/orgs/${r.org_id}`,
      calendarLink: `/problems/calendar/${r.org_id}?year=${year}`,
    })),
  };
}

/** An organization's year: its own results (and its secretary's) for the months, quarters and the year. */
export async function calendar(tx: Tx, deps: Deps, user: Scope, orgId: string, y?: number) {
  const org = await requireOrgAccess(tx, user, orgId);
  const year = y ?? Number(todayOf(deps).slice(0, 4));
  const res = await tx.execute<{
    rule_id: string;
    subject_type: string;
    period: string;
    period_start: string;
    period_end: string;
    required: number;
    held: number;
    ok: boolean;
    ended: boolean;
    refs: unknown;
  }>(sql`
    select r.rule_id, r.subject_type, r.period, r.period_start::text as period_start, r.period_end::text as period_end, r.required, r.held, r.ok, r.ended, r.refs
    from rule_results r where ${inCounty(org.countyCode, 'r')} and r.org_id = ${org.id} and r.subject_id = ${org.id} and r.subject_type in ('org', 'secretary')
      and r.period_start between ${`${year}-01-01`}::date and ${`${year}-12-31`}::date
    order by r.period_start, r.period_end, r.rule_id, r.subject_type`);
  const rules = await loadRules();
  return {
    orgId: org.id,
    orgName: org.name,
    year,
    cells: res.rows.map((r) => {
      const rule = rules.find((x) => x.id === r.rule_id && x.subjectType === r.subject_type);
      return {
        rule: r.rule_id,
        ruleName: ruleName(r.rule_id, r.subject_type),
        kind: rule?.kind ?? null,
        period: r.period,
        periodStart: r.period_start,
        periodEnd: r.period_end,
        required: Number(r.required),
        held: Number(r.held),
        ok: Boolean(r.ok),
        ended: Boolean(r.ended),
        meetingIds: Array.isArray(r.refs) ? r.refs.map(String) : [],
      };
    }),
  };
}
