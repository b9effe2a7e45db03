/**
 * Tasks (任务清单, issue 19): issued by an organization to organizations below it, split level by level
 * (层层落实), signed for, reported on with evidence, submitted, accepted or returned. Every read goes
 * through the reader's scope (an assignment is seen when its organization is in the reader's subtree);
 * a holder's act needs the reader's own organization to hold the assignment, a review needs it to be the
 * one that issued it. Each change writes its history row and its audit entry in the same transaction.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type {
  assignmentDetail,
  assignmentView,
  dashboard,
  ledger,
  rollup,
  taskCreate,
  taskDetail,
  taskListItem,
  taskListQuery,
} from '../../../contract/lists.ts';
import { TASK_MAX_TARGETS, TASK_OPEN_STATUSES, type TaskStatus } from '../../../contract/lists.ts';
import type { Tx } from '../../db/index.ts';
import {
  childOf,
  inCounty,
  inSubtree,
  joinOrg,
  orgInScopeSql,
  requireOrgAccess,
  type ScopedOrg,
  underIndexedSql,
} from '../../platform/access.ts';
import { type Actor, writeAudit } from '../../platform/audit.ts';
import { addDays, daysBetween, shanghaiDate } from '../../platform/calendar.ts';
import type { Deps, SessionUser } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { emit } from '../../platform/events.ts';
import { getSetting } from '../../platform/settings.ts';
import { addRow, addSheet, createWorkbook, LANDSCAPE_PRINT, setCell, setColumns } from '../../platform/xlsx-cells.ts';
import {
  bare,
  claimEvidence,
  evidenceCount,
  evidenceViews,
  insertEvidence,
  type PreparedFile,
  TASK_EVIDENCE,
} from './evidence.ts';
import { closedSql, unreportedSql, unsignedSql } from './predicates.ts';
import { answerableUp } from './responsibility.ts';

type U = SessionUser;
type AssignmentView = z.infer<typeof assignmentView>;
type Rollup = z.infer<typeof rollup>;

const OPEN = [...TASK_OPEN_STATUSES];
const openList = sql.join(
  OPEN.map((s) => sql`${s}`),
  sql`, `,
);

export function todayOf(deps: Pick<Deps, 'now'>): string {
  return shanghaiDate(deps.now());
}

const iso = (v: Date | string | null | undefined) =>
  v == null ? null : (v instanceof Date ? v : new Date(v)).toISOString();

// ── Assignment rows ──

type AssignmentRow = {
  id: string;
  county_code: string;
  task_id: string;
  parent_id: string | null;
  org_id: string;
  org_name: string;
  issuer_org_id: string;
  issuer_org_name: string;
  status: TaskStatus;
  deadline: string;
  signed_at: Date | null;
  submitted_at: Date | null;
  done_at: Date | null;
  return_reason: string | null;
  escalated_at: Date | null;
  created_at: Date;
  version: number;
  children: number;
};

/** The columns of an assignment `a` joined to its organization `o` and issuer `io`, with its number of children. */
const A_COLS = sql`a.id, a.county_code, a.task_id, a.parent_id, a.org_id, o.name as org_name, a.issuer_org_id, io.name as issuer_org_name,
  a.status, to_char(a.deadline, 'YYYY-MM-DD') as deadline, a.signed_at, a.submitted_at, a.done_at, a.return_reason, a.escalated_at, a.created_at, a.version,
  (select count(*)::int from task_assignments ch where ${childOf('a', 'ch', 'parent_id')}) as children`;
const A_FROM = sql`task_assignments a ${joinOrg('a')} ${joinOrg('a', 'io', 'issuer_org_id')}`;

function overdueDays(status: TaskStatus, deadline: string, today: string): number {
  return TASK_OPEN_STATUSES.has(status) && deadline < today ? daysBetween(deadline, today) : 0;
}

function toView(r: AssignmentRow, today: string): AssignmentView {
  const late = overdueDays(r.status, r.deadline, today);
  return {
    id: r.id,
    taskId: r.task_id,
    parentId: r.parent_id,
    orgId: r.org_id,
    orgName: r.org_name,
    issuerOrgId: r.issuer_org_id,
    issuerOrgName: r.issuer_org_name,
    status: r.status,
    deadline: r.deadline,
    overdue: late > 0,
    overdueDays: late,
    signedAt: iso(r.signed_at),
    submittedAt: iso(r.submitted_at),
    doneAt: iso(r.done_at),
    returnReason: r.return_reason,
    escalatedAt: iso(r.escalated_at),
    childCount: Number(r.children),
  };
}

/** An assignment whose organization is in the user's scope, or NOT_FOUND; `lock` takes its row lock. */
async function assignmentRow(tx: Tx, user: U, id: string, lock = false): Promise<AssignmentRow> {
  const r = await tx.execute<AssignmentRow>(sql`select ${A_COLS} from ${A_FROM}
    where ${inCounty(user, 'a')} and a.id = ${id} and ${orgInScopeSql(user)} ${lock ? sql`for update of a` : sql``}`);
  if (!r.rows[0]) throw new AppError('NOT_FOUND');
  return r.rows[0];
}

/** SQL counting the rollup over the assignments `a` a statement reads (today for lateness). */
function rollupSql(today: string): SQL {
  return sql`count(*)::int as total, count(*) filter (where a.status <> 'issued')::int as signed,
    count(*) filter (where a.status = 'done')::int as done,
    count(*) filter (where a.status in (${openList}) and a.deadline < ${today}::date)::int as overdue`;
}

const toRollup = (r: Record<string, unknown> | undefined): Rollup => ({
  total: Number(r?.total ?? 0),
  signed: Number(r?.signed ?? 0),
  done: Number(r?.done ?? 0),
  overdue: Number(r?.overdue ?? 0),
});

async function event(
  tx: Tx,
  deps: Pick<Deps, 'now'>,
  a: { county_code: string; id: string },
  kind: string,
  text: string | null,
  userId: string | null,
) {
  const r = await tx.execute<{
    id: string;
  }>(sql`insert into task_events (county_code, assignment_id, kind, text, user_id, at)
    values (${a.county_code}, ${a.id}, ${kind}, ${text}, ${userId}, ${deps.now().toISOString()}::timestamptz) returning id`);
  return r.rows[0].id;
}

/**
 * Announce a change of these organizations' lists (`lists.changed`): the rules engine re-checks the
 * rules reading it (TASK-1, DOC-1, RECT-1) in this transaction. Only changes that can move a rule are
 * announced — a share submitted or returned, a copy signed or reported, a plan or verification made —
 * not new shares, whose deadlines are not yet past; the nightly run sees the days pass.
 */
export async function announce(
  tx: Tx,
  deps: Deps,
  county: string,
  orgIds: string[],
  touched: ('tasks' | 'directives' | 'rectifications')[],
  userId: string | null,
): Promise<void> {
  await emit(tx, deps, 'lists.changed', { countyCode: county, orgIds: [...new Set(orgIds)], touched, userId });
}

// ── Create ──

/**
 * The organizations a task or a document goes to: every active one below `under` (not itself) of the
 * kinds (and fields) chosen, in tree order; TASK_NO_TARGETS when none, refused above TASK_MAX_TARGETS.
 */
export async function targetOrgs(
  tx: Tx,
  under: ScopedOrg,
  targets: { orgKinds: readonly string[]; fields?: readonly string[] },
  notSent: string,
): Promise<string[]> {
  const list = (xs: readonly string[]) =>
    sql.join(
      xs.map((x) => sql`${x}`),
      sql`, `,
    );
  const fields = targets.fields?.length ? sql`and o.field in (${list(targets.fields)})` : sql``;
  const r = await tx.execute<{ id: string }>(sql`select o.id from orgs o
    where ${inSubtree(under)} and o.id <> ${under.id} and o.status = 'active' and o.kind in (${list(targets.orgKinds)}) ${fields}
    order by o.path limit ${TASK_MAX_TARGETS + 1}`);
  if (!r.rows.length) throw new AppError('TASK_NO_TARGETS', `所选范围内没有符合条件的组织，${notSent}`);
  if (r.rows.length > TASK_MAX_TARGETS)
    throw new AppError('VALIDATION', `一次最多下发给 ${TASK_MAX_TARGETS} 个组织，请缩小范围`);
  return r.rows.map((x) => x.id);
}

export async function createTask(
  tx: Tx,
  deps: Deps,
  user: U,
  actor: Actor,
  body: z.infer<typeof taskCreate>,
): Promise<{ id: string; assignments: { id: string; orgId: string; status: TaskStatus }[]; replayed?: boolean }> {
  // The same form sent again (its answer lost on a weak connection): the task it made, not a second one.
  if (body.clientId) {
    const made = await tx.execute<{ id: string }>(sql`select t.id from tasks t
      where t.county_code = ${user.countyCode} and t.created_by = ${user.id} and t.client_id = ${body.clientId}`);
    if (made.rows[0]) {
      const shares = await tx.execute<{
        id: string;
        org_id: string;
        status: TaskStatus;
      }>(sql`select a.id, a.org_id, a.status
        from task_assignments a ${joinOrg('a')} where ${childOf({ countyCode: user.countyCode, id: made.rows[0].id }, 'a', 'task_id')}
          and a.parent_id is null
        order by o.path`);
      return {
        id: made.rows[0].id,
        assignments: shares.rows.map((x) => ({ id: x.id, orgId: x.org_id, status: x.status })),
        replayed: true,
      };
    }
  }
  const under = await requireOrgAccess(tx, user, body.targets.underOrgId);
  const today = todayOf(deps);
  if (body.deadline < today) throw new AppError('TASK_DEADLINE_PAST', `完成时限 ${body.deadline} 早于今天（${today}）`);
  const targets = { rows: (await targetOrgs(tx, under, body.targets, '任务未下发')).map((id) => ({ id })) };
  const t = await tx.execute<{
    id: string;
  }>(sql`insert into tasks (county_code, title, description, source, deadline, weight, evidence_needed,
      issuer_org_id, under_org_id, org_kinds, fields, created_by, client_id)
    values (${user.countyCode}, ${body.title}, ${body.description}, ${body.source ?? null}, ${body.deadline}, ${body.weight ?? null},
      ${body.evidenceNeeded ?? null}, ${user.orgId}, ${under.id}, ${JSON.stringify(body.targets.orgKinds)}::jsonb,
      ${body.targets.fields ? JSON.stringify(body.targets.fields) : null}::jsonb, ${user.id}, ${body.clientId ?? null})
    returning id`);
  const taskId = t.rows[0].id;
  const ids = targets.rows.map((r) => r.id);
  const made = await insertAssignments(tx, user, taskId, null, user.orgId, ids, body.deadline);
  await writeAudit(tx, deps.crypto, actor, [
    {
      action: 'task.create',
      objectType: 'task',
      objectId: taskId,
      detail: {
        title: body.title,
        deadline: body.deadline,
        underOrgId: under.id,
        orgKinds: body.targets.orgKinds,
        fields: body.targets.fields ?? null,
        assignments: made.length,
      },
    },
  ]);
  return { id: taskId, assignments: made };
}

async function insertAssignments(
  tx: Tx,
  user: U,
  taskId: string,
  parentId: string | null,
  issuerOrgId: string,
  orgIds: string[],
  deadline: string,
): Promise<{ id: string; orgId: string; status: TaskStatus }[]> {
  const r = await tx.execute<{
    id: string;
    org_id: string;
  }>(sql`insert into task_assignments (county_code, task_id, parent_id, org_id, issuer_org_id, status, deadline)
    select ${user.countyCode}, ${taskId}, ${parentId}, x.org_id, ${issuerOrgId}, 'issued', ${deadline}
    from unnest(${uuids(orgIds)}) as x(org_id)
    returning id, org_id`);
  await tx.execute(sql`insert into task_events (county_code, assignment_id, kind, user_id, at)
    select ${user.countyCode}, x.id, 'issued', ${user.id}, now() from unnest(${uuids(r.rows.map((x) => x.id))}) as x(id)`);
  return r.rows.map((x) => ({ id: x.id, orgId: x.org_id, status: 'issued' as const }));
}

// ── Read ──

export async function getTask(db: Tx, deps: Deps, user: U, id: string): Promise<z.infer<typeof taskDetail>> {
  const today = todayOf(deps);
  const t = await db.execute<{
    id: string;
    county_code: string;
    title: string;
    description: string;
    source: string | null;
    deadline: string;
    weight: number | null;
    evidence_needed: string | null;
    issuer_org_id: string;
    issuer_org_name: string;
    under_org_id: string;
    under_org_name: string;
    org_kinds: string[];
    fields: string[] | null;
    created_by_name: string | null;
    created_at: Date;
    issuer_in_scope: boolean;
  }>(sql`select t.id, t.county_code, t.title, t.description, t.source, to_char(t.deadline, 'YYYY-MM-DD') as deadline, t.weight,
      t.evidence_needed, t.issuer_org_id, o.name as issuer_org_name, t.under_org_id, uo.name as under_org_name, t.org_kinds, t.fields,
      u.display_name as created_by_name, t.created_at, ${orgInScopeSql(user)} as issuer_in_scope
    from tasks t ${joinOrg('t', 'o', 'issuer_org_id')} ${joinOrg('t', 'uo', 'under_org_id')}
    left join users u on u.county_code = t.county_code and u.id = t.created_by
    where ${inCounty(user, 't')} and t.id = ${id}`);
  const row = t.rows[0];
  if (!row) throw new AppError('NOT_FOUND');
  const rows = await db.execute<AssignmentRow>(sql`select ${A_COLS} from ${A_FROM}
    where ${childOf({ countyCode: row.county_code, id }, 'a', 'task_id')} and ${orgInScopeSql(user)}
    order by o.path`);
  if (!row.issuer_in_scope && !rows.rows.length) throw new AppError('NOT_FOUND');
  const views = rows.rows.map((r) => toView(r, today));
  const r: Rollup = {
    total: views.length,
    signed: views.filter((v) => v.status !== 'issued').length,
    done: views.filter((v) => v.status === 'done').length,
    overdue: views.filter((v) => v.overdue).length,
  };
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    source: row.source,
    deadline: row.deadline,
    weight: row.weight,
    evidenceNeeded: row.evidence_needed,
    issuerOrgId: row.issuer_org_id,
    issuerOrgName: row.issuer_org_name,
    createdByName: row.created_by_name ?? '',
    createdAt: iso(row.created_at) ?? '',
    targets: {
      underOrgId: row.under_org_id,
      underOrgName: row.under_org_name,
      orgKinds: row.org_kinds,
      ...(row.fields ? { fields: row.fields } : {}),
    },
    rollup: r,
    assignments: views,
  };
}

export async function listTasks(
  db: Tx,
  deps: Deps,
  user: U,
  q: z.infer<typeof taskListQuery>,
): Promise<{ items: z.infer<typeof taskListItem>[]; total: number; page: number; pageSize: number }> {
  const today = todayOf(deps);
  const inScope = sql`exists (select 1 from task_assignments a ${joinOrg('a')} where ${childOf('t', 'a', 'task_id')} and ${orgInScopeSql(user)})`;
  const issued = sql`t.issuer_org_id = ${user.orgId}`;
  const received = sql`exists (select 1 from task_assignments a where ${childOf('t', 'a', 'task_id')} and a.org_id = ${user.orgId})`;
  const issuerInScope = sql`exists (select 1 from orgs o where o.county_code = t.county_code and o.id = t.issuer_org_id and ${orgInScopeSql(user)})`;
  const view = q.view === 'issued' ? issued : q.view === 'received' ? received : sql`(${issuerInScope} or ${inScope})`;
  const text = q.q ? sql`and t.title ilike ${`%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}` : sql``;
  const late =
    q.overdue === 'true'
      ? sql`and exists (select 1 from task_assignments a ${joinOrg('a')} where ${childOf('t', 'a', 'task_id')} and ${orgInScopeSql(user)}
          and a.status in (${openList}) and a.deadline < ${today}::date)`
      : sql``;
  const where = sql`${inCounty(user, 't')} and ${view} ${text} ${late}`;
  const total = await db.execute<{ n: number }>(sql`select count(*)::int as n from tasks t where ${where}`);
  const rows = await db.execute<{
    id: string;
    title: string;
    deadline: string;
    issuer_org_name: string;
    created_at: Date;
    total: number;
    signed: number;
    done: number;
    overdue: number;
    mine: string | null;
  }>(sql`select t.id, t.title, to_char(t.deadline, 'YYYY-MM-DD') as deadline, io.name as issuer_org_name, t.created_at, r.*,
      (select a.id from task_assignments a where ${childOf('t', 'a', 'task_id')} and a.org_id = ${user.orgId}) as mine
    from tasks t ${joinOrg('t', 'io', 'issuer_org_id')}
    cross join lateral (select ${rollupSql(today)} from task_assignments a ${joinOrg('a')} where ${childOf('t', 'a', 'task_id')} and ${orgInScopeSql(user)}) r
    where ${where}
    order by t.created_at desc, t.id
    limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`);
  const mineIds = rows.rows.map((r) => r.mine).filter((x): x is string => !!x);
  const mine = new Map<string, AssignmentView>();
  if (mineIds.length) {
    const m = await db.execute<AssignmentRow>(sql`select ${A_COLS} from ${A_FROM}
      where ${inCounty(user, 'a')} and a.id in (${sql.join(
        mineIds.map((x) => sql`${x}`),
        sql`, `,
      )}) and ${orgInScopeSql(user)}`);
    for (const r of m.rows) mine.set(r.id, toView(r, today));
  }
  return {
    items: rows.rows.map((r) => ({
      id: r.id,
      title: r.title,
      deadline: r.deadline,
      issuerOrgName: r.issuer_org_name,
      createdAt: iso(r.created_at) ?? '',
      rollup: toRollup(r),
      mine: (r.mine && mine.get(r.mine)) || null,
    })),
    total: Number(total.rows[0].n),
    page: q.page,
    pageSize: q.pageSize,
  };
}

/** The assignment and every one split from it, at any depth (a recursive walk down `parent_id` within the county). */
function subtreeCte(a: { county_code: string; id: string }): SQL {
  return sql`with recursive sub(id) as (
      select ${a.id}::uuid
      union all
      select ch.id from task_assignments ch join sub on ch.parent_id = sub.id where ch.county_code = ${a.county_code}
    )`;
}

export async function getAssignment(
  db: Tx,
  deps: Deps,
  user: U,
  id: string,
): Promise<z.infer<typeof assignmentDetail>> {
  const today = todayOf(deps);
  const a = await assignmentRow(db, user, id);
  const t = await db.execute<{
    id: string;
    title: string;
    description: string;
    source: string | null;
    evidence_needed: string | null;
    weight: number | null;
  }>(sql`select t.id, t.title, t.description, t.source, t.evidence_needed, t.weight from tasks t
    where t.county_code = ${a.county_code} and t.id = ${a.task_id}`);
  const roll = await db.execute(sql`${subtreeCte(a)}
    select ${rollupSql(today)} from task_assignments a join sub on sub.id = a.id where a.county_code = ${a.county_code}`);
  const children = await db.execute<AssignmentRow>(sql`select ${A_COLS} from ${A_FROM}
    where ${childOf({ countyCode: a.county_code, id: a.id }, 'a', 'parent_id')} order by o.path`);
  const events = await db.execute<{
    id: string;
    at: Date;
    kind: string;
    text: string | null;
    by_name: string | null;
    org_name: string | null;
  }>(sql`select ev.id, ev.at, ev.kind, ev.text, u.display_name as by_name, uo.name as org_name
    from task_events ev left join users u on u.county_code = ev.county_code and u.id = ev.user_id
    left join orgs uo on uo.county_code = u.county_code and uo.id = u.org_id
    where ${childOf({ countyCode: a.county_code, id: a.id }, 'ev', 'assignment_id')} order by ev.at, ev.id`);
  const evidence = await evidenceViews(db, TASK_EVIDENCE, { countyCode: a.county_code, id: a.id });
  const holder = user.orgId === a.org_id && user.permissions.has('lists.work');
  const reviewer = user.orgId === a.issuer_org_id && user.permissions.has('lists.review');
  const working = a.status === 'signed' || a.status === 'inProgress' || a.status === 'returned';
  // Splitting needs an active organization below the holder, and a day left before its own deadline.
  const below = holder
    ? await db.execute(
        sql`select 1 from orgs c where ${childOf({ countyCode: a.county_code, id: a.org_id }, 'c', 'parent_id')} and c.status = 'active' limit 1`,
      )
    : { rows: [] };
  const maxPhotoBytes = Number(await getSetting(db, a.county_code, 'files.maxImageMB')) * 1024 * 1024;
  const holderOrg = await requireOrgAccess(db, user, a.org_id);
  const levels = await answerableUp(db, user, holderOrg, today, shanghaiDate(a.created_at));
  const answerable = { now: levels[0].now, whenIssued: levels[0].atStart, levels };
  return {
    ...toView(a, today),
    task: {
      id: t.rows[0].id,
      title: t.rows[0].title,
      description: t.rows[0].description,
      source: t.rows[0].source,
      evidenceNeeded: t.rows[0].evidence_needed,
      weight: t.rows[0].weight,
    },
    rollup: toRollup(roll.rows[0] as Record<string, unknown>),
    childAssignments: children.rows.map((r) => toView(r, today)),
    events: events.rows.map((e) => ({
      at: iso(e.at) ?? '',
      kind: e.kind,
      text: e.text,
      byName: e.by_name,
      orgName: e.org_name,
      evidence: evidence.filter((x) => x.groupId === e.id).map(bare),
    })),
    pendingEvidence: evidence.filter((x) => !x.groupId).map(bare),
    answerable,
    maxPhotoBytes,
    can: {
      sign: holder && a.status === 'issued',
      split: holder && working && below.rows.length > 0 && a.deadline >= today,
      report: holder && working,
      submit: holder && working,
      review: reviewer && a.status === 'submitted',
    },
  };
}

// ── Holder's acts ──

async function asHolder(tx: Tx, user: U, id: string): Promise<AssignmentRow> {
  const a = await assignmentRow(tx, user, id, true);
  if (a.org_id !== user.orgId) throw new AppError('TASK_NOT_HOLDER');
  return a;
}

function wrongState(a: AssignmentRow, what: string): AppError {
  const labels: Record<TaskStatus, string> = {
    issued: '尚未签收，请先签收',
    signed: '已签收',
    inProgress: '正在办理',
    submitted: '已提交，等待上级验收',
    returned: '已被退回',
    done: '已完成',
  };
  return new AppError('TASK_WRONG_STATE', `该任务${labels[a.status]}，不能${what}`);
}

async function touch(tx: Tx, a: AssignmentRow, set: SQL): Promise<void> {
  await tx.execute(sql`update task_assignments set ${set}, version = version + 1, updated_at = now()
    where county_code = ${a.county_code} and id = ${a.id}`);
}

export async function signAssignment(tx: Tx, deps: Deps, user: U, actor: Actor, id: string): Promise<void> {
  const a = await asHolder(tx, user, id);
  if (a.status !== 'issued') throw wrongState(a, '签收');
  await touch(tx, a, sql`status = 'signed', signed_at = now(), signed_by = ${user.id}`);
  await event(tx, deps, a, 'sign', null, user.id);
  await writeAudit(tx, deps.crypto, actor, [
    {
      action: 'task.sign',
      objectType: 'taskAssignment',
      objectId: a.id,
      detail: { taskId: a.task_id, orgId: a.org_id },
    },
  ]);
}

const WORKING: ReadonlySet<TaskStatus> = new Set(['signed', 'inProgress', 'returned']);

const ownerOf = (a: AssignmentRow) => ({ countyCode: a.county_code, id: a.id, orgId: a.org_id });

export async function reportAssignment(
  tx: Tx,
  deps: Deps,
  user: U,
  actor: Actor,
  id: string,
  text: string,
): Promise<void> {
  const a = await asHolder(tx, user, id);
  if (!WORKING.has(a.status)) throw wrongState(a, '汇报进展');
  await touch(tx, a, sql`status = 'inProgress'`);
  const ev = await event(tx, deps, a, 'report', text, user.id);
  const evidence = await claimEvidence(tx, TASK_EVIDENCE, ownerOf(a), ev);
  await writeAudit(tx, deps.crypto, actor, [
    {
      action: 'task.report',
      objectType: 'taskAssignment',
      objectId: a.id,
      detail: { taskId: a.task_id, orgId: a.org_id, evidence },
    },
  ]);
}

export async function submitAssignment(tx: Tx, deps: Deps, user: U, actor: Actor, id: string): Promise<void> {
  const a = await asHolder(tx, user, id);
  if (!WORKING.has(a.status)) throw wrongState(a, '提交');
  const open = await tx.execute<{
    n: number;
    names: string[];
  }>(sql`select count(*)::int as n, (array_agg(o.name order by o.path))[1:3] as names
    from task_assignments ch ${joinOrg('ch')}
    where ${childOf({ countyCode: a.county_code, id: a.id }, 'ch', 'parent_id')} and ch.status <> 'done'`);
  if (Number(open.rows[0].n) > 0)
    throw new AppError(
      'TASK_CHILDREN_OPEN',
      `分解给下级的任务还有 ${open.rows[0].n} 项未完成（${open.rows[0].names.join('、')}${Number(open.rows[0].n) > 3 ? ' 等' : ''}），验收后才能提交`,
    );
  await touch(tx, a, sql`status = 'submitted', submitted_at = now()`);
  await announce(tx, deps, a.county_code, [a.org_id], ['tasks'], user.id);
  const ev = await event(tx, deps, a, 'submit', null, user.id);
  const evidence = await claimEvidence(tx, TASK_EVIDENCE, ownerOf(a), ev);
  await writeAudit(tx, deps.crypto, actor, [
    {
      action: 'task.submit',
      objectType: 'taskAssignment',
      objectId: a.id,
      detail: { taskId: a.task_id, orgId: a.org_id, evidence },
    },
  ]);
}

export async function splitAssignment(
  tx: Tx,
  deps: Deps,
  user: U,
  actor: Actor,
  id: string,
  body: { orgIds: string[]; deadline: string },
): Promise<{ id: string; orgId: string; status: TaskStatus }[]> {
  const a = await asHolder(tx, user, id);
  if (!WORKING.has(a.status)) throw wrongState(a, '分解');
  if (body.deadline > a.deadline)
    throw new AppError(
      'TASK_DEADLINE_AFTER_PARENT',
      `分解任务的完成时限 ${body.deadline} 晚于本级任务的完成时限 ${a.deadline}`,
    );
  const today = todayOf(deps);
  if (body.deadline < today) throw new AppError('TASK_DEADLINE_PAST', `完成时限 ${body.deadline} 早于今天（${today}）`);
  const holder = await requireOrgAccess(tx, user, a.org_id);
  const wanted = [...new Set(body.orgIds)];
  const found = await tx.execute<{ id: string; name: string; taken: boolean }>(sql`select o.id, o.name,
      exists (select 1 from task_assignments x where x.county_code = o.county_code and x.task_id = ${a.task_id} and x.org_id = o.id) as taken
    from orgs o
    where ${inSubtree(holder)} and o.id <> ${holder.id} and o.status = 'active' and o.id in (${sql.join(
      wanted.map((x) => sql`${x}`),
      sql`, `,
    )})`);
  if (found.rows.length !== wanted.length) throw new AppError('TASK_SPLIT_OUTSIDE');
  const taken = found.rows.filter((r) => r.taken).map((r) => r.name);
  if (taken.length) throw new AppError('TASK_ALREADY_ASSIGNED', `${taken.join('、')}已承办该任务，不能重复分解`);
  const made = await insertAssignments(tx, user, a.task_id, a.id, a.org_id, wanted, body.deadline);
  await touch(tx, a, sql`status = 'inProgress'`);
  await event(
    tx,
    deps,
    a,
    'split',
    `分解给${found.rows.map((r) => r.name).join('、')}，完成时限 ${body.deadline}`,
    user.id,
  );
  await writeAudit(tx, deps.crypto, actor, [
    {
      action: 'task.split',
      objectType: 'taskAssignment',
      objectId: a.id,
      detail: { taskId: a.task_id, orgId: a.org_id, orgIds: wanted, deadline: body.deadline },
    },
  ]);
  return made;
}

// ── Issuer's acts ──

async function asIssuer(tx: Tx, user: U, id: string): Promise<AssignmentRow> {
  const a = await assignmentRow(tx, user, id, true);
  if (a.issuer_org_id !== user.orgId) throw new AppError('TASK_NOT_ISSUER');
  if (a.status !== 'submitted') throw wrongState(a, a.status === 'done' ? '再次验收' : '验收或退回');
  return a;
}

export async function acceptAssignment(tx: Tx, deps: Deps, user: U, actor: Actor, id: string): Promise<void> {
  const a = await asIssuer(tx, user, id);
  await touch(tx, a, sql`status = 'done', done_at = now(), return_reason = null`);
  await event(tx, deps, a, 'accept', null, user.id);
  await writeAudit(tx, deps.crypto, actor, [
    {
      action: 'task.accept',
      objectType: 'taskAssignment',
      objectId: a.id,
      detail: { taskId: a.task_id, orgId: a.org_id },
    },
  ]);
}

export async function returnAssignment(
  tx: Tx,
  deps: Deps,
  user: U,
  actor: Actor,
  id: string,
  reason: string,
): Promise<void> {
  const a = await asIssuer(tx, user, id);
  await touch(tx, a, sql`status = 'returned', return_reason = ${reason}, submitted_at = null`);
  await announce(tx, deps, a.county_code, [a.org_id], ['tasks'], user.id);
  await event(tx, deps, a, 'return', reason, user.id);
  await writeAudit(tx, deps.crypto, actor, [
    {
      action: 'task.return',
      objectType: 'taskAssignment',
      objectId: a.id,
      detail: { taskId: a.task_id, orgId: a.org_id, reason },
    },
  ]);
}

// ── Views for a committee ──

/** The organization a view is about: the one asked for (in scope), or the user's own. */
async function viewOrg(tx: Tx, user: U, orgId: string | undefined): Promise<ScopedOrg> {
  return requireOrgAccess(tx, user, orgId ?? user.orgId);
}

export async function taskDashboard(
  db: Tx,
  deps: Deps,
  user: U,
  orgId: string | undefined,
): Promise<z.infer<typeof dashboard>> {
  const today = todayOf(deps);
  const org = await viewOrg(db, user, orgId);
  const counts = sql`count(a.id)::int as total, count(a.id) filter (where a.status = 'issued')::int as issued,
    count(a.id) filter (where a.status in ('signed', 'inProgress', 'returned'))::int as working,
    count(a.id) filter (where a.status = 'submitted')::int as submitted,
    count(a.id) filter (where a.status = 'done')::int as done,
    count(a.id) filter (where a.status in (${openList}) and a.deadline < ${today}::date)::int as overdue,
    count(a.id) filter (where a.status in (${openList}) and a.escalated_at is not null)::int as escalated`;
  // Per organization directly below: the assignments held anywhere in its subtree.
  const rows = await db.execute<Record<string, unknown>>(sql`select c.id as org_id, c.name as org_name, ${counts}
    from orgs c
    left join orgs ao on ${underIndexedSql('ao', 'c')}
    left join task_assignments a on a.county_code = ao.county_code and a.org_id = ao.id
    where ${childOf({ countyCode: org.countyCode, id: org.id }, 'c', 'parent_id')} and c.status = 'active'
    group by c.id, c.name, c.path order by c.path`);
  const totals = await db.execute<Record<string, unknown>>(sql`select ${counts}
    from orgs ao join task_assignments a on a.county_code = ao.county_code and a.org_id = ao.id
    where ${inSubtree(org, 'ao')}`);
  // Problems and documents per organization directly below (and over the whole subtree for the totals).
  const yearStart = `${today.slice(0, 4)}-01-01`;
  const raisedSql = sql`p.raised_at >= ${yearStart}::date`;
  const problemCounts = sql`count(p.id) filter (where p.status = 'open' and p.source = 'rule')::int as open_rule,
    count(p.id) filter (where p.status = 'open' and p.source <> 'rule')::int as open_other,
    count(p.id) filter (where ${raisedSql})::int as raised,
    count(p.id) filter (where ${raisedSql} and ${closedSql('p')})::int as closed`;
  const lateDocs = sql`(${unsignedSql(today)} or ${unreportedSql(today)})`;
  const probRows = await db.execute<Record<string, unknown>>(sql`select c.id as org_id, ${problemCounts}
    from orgs c join orgs po on ${underIndexedSql('po', 'c')}
    join problems p on p.county_code = po.county_code and p.org_id = po.id
    where ${childOf({ countyCode: org.countyCode, id: org.id }, 'c', 'parent_id')} and c.status = 'active' group by c.id`);
  const probTotal = await db.execute<Record<string, unknown>>(sql`select ${problemCounts}
    from orgs po join problems p on p.county_code = po.county_code and p.org_id = po.id where ${inSubtree(org, 'po')}`);
  const docRows = await db.execute<{ org_id: string; n: number }>(sql`select c.id as org_id, count(*)::int as n
    from orgs c join orgs ro on ${underIndexedSql('ro', 'c')}
    join directive_recipients r on r.county_code = ro.county_code and r.org_id = ro.id
    join directives d on d.county_code = r.county_code and d.id = r.directive_id
    where ${childOf({ countyCode: org.countyCode, id: org.id }, 'c', 'parent_id')} and c.status = 'active' and ${lateDocs} group by c.id`);
  const docTotal = await db.execute<{ n: number }>(sql`select count(*)::int as n
    from orgs ro join directive_recipients r on r.county_code = ro.county_code and r.org_id = ro.id
    join directives d on d.county_code = r.county_code and d.id = r.directive_id where ${inSubtree(org, 'ro')} and ${lateDocs}`);
  const probOf = new Map(probRows.rows.map((r) => [String(r.org_id), r]));
  const docOf = new Map(docRows.rows.map((r) => [r.org_id, Number(r.n)]));
  const toRow = (
    r: Record<string, unknown>,
    id: string,
    name: string,
    pr: Record<string, unknown> | undefined = probOf.get(id),
    docs = docOf.get(id) ?? 0,
  ) => {
    const raised = Number(pr?.raised ?? 0);
    const closed = Number(pr?.closed ?? 0);
    return {
      orgId: id,
      orgName: name,
      total: Number(r.total ?? 0),
      issued: Number(r.issued ?? 0),
      working: Number(r.working ?? 0),
      submitted: Number(r.submitted ?? 0),
      done: Number(r.done ?? 0),
      overdue: Number(r.overdue ?? 0),
      escalated: Number(r.escalated ?? 0),
      problemsOpenRule: Number(pr?.open_rule ?? 0),
      problemsOpenOther: Number(pr?.open_other ?? 0),
      problemsRaised: raised,
      problemsClosed: closed,
      rectificationRate: raised ? closed / raised : null,
      documentsLate: docs,
    };
  };
  const esc = await db.execute<AssignmentRow & { title: string }>(sql`select ${A_COLS}, t.title from ${A_FROM}
    join tasks t on t.county_code = a.county_code and t.id = a.task_id
    where ${inCounty(org.countyCode, 'a')} and a.escalated_to_org_id = ${org.id} and a.status in (${openList}) and ${orgInScopeSql(user)}
    order by a.escalated_at desc, a.id limit 50`);
  return {
    orgId: org.id,
    orgName: org.name,
    totals: toRow(totals.rows[0] ?? {}, org.id, org.name, probTotal.rows[0], Number(docTotal.rows[0]?.n ?? 0)),
    rows: rows.rows.map((r) => toRow(r, String(r.org_id), String(r.org_name))),
    escalations: esc.rows.map((r) => ({ ...toView(r, today), title: r.title })),
  };
}

export async function taskLedger(
  db: Tx,
  deps: Deps,
  user: U,
  orgId: string | undefined,
  open: boolean,
): Promise<z.infer<typeof ledger>> {
  const today = todayOf(deps);
  const org = await viewOrg(db, user, orgId);
  const r = await db.execute<AssignmentRow & { title: string }>(sql`select ${A_COLS}, t.title from ${A_FROM}
    join tasks t on t.county_code = a.county_code and t.id = a.task_id
    where ${inCounty(org.countyCode, 'a')} and a.org_id = ${org.id} ${open ? sql`and a.status <> 'done'` : sql``}
    order by (a.status in (${openList}) and a.deadline < ${today}::date) desc, a.deadline, t.created_at
    limit 500`);
  return { orgId: org.id, orgName: org.name, items: r.rows.map((x) => ({ ...toView(x, today), title: x.title })) };
}

// ── Evidence ──

export async function precheckEvidence(db: Tx, user: U, id: string): Promise<void> {
  const a = await assignmentRow(db, user, id);
  if (a.org_id !== user.orgId) throw new AppError('TASK_NOT_HOLDER');
  if (!WORKING.has(a.status)) throw wrongState(a, '上传佐证材料');
}

export async function recordEvidence(
  tx: Tx,
  deps: Deps,
  user: U,
  actor: Actor,
  id: string,
  p: PreparedFile,
  max: number,
): Promise<string> {
  const a = await asHolder(tx, user, id);
  if (!WORKING.has(a.status)) throw wrongState(a, '上传佐证材料');
  const n = await evidenceCount(tx, TASK_EVIDENCE, ownerOf(a));
  if (n >= max) throw new AppError('TASK_EVIDENCE_TOO_MANY', `每项任务最多上传 ${max} 个佐证材料，本任务已有 ${n} 个`);
  const evidenceId = await insertEvidence(tx, TASK_EVIDENCE, ownerOf(a), p, user.id);
  await writeAudit(tx, deps.crypto, actor, [
    {
      action: 'task.evidence',
      objectType: 'taskEvidence',
      objectId: evidenceId,
      detail: {
        assignmentId: a.id,
        taskId: a.task_id,
        orgId: a.org_id,
        kind: p.kind,
        size: p.size,
        sm3: p.sm3,
        capturedFrom: p.capturedFrom,
      },
    },
  ]);
  return evidenceId;
}

// ── The nightly reminders (jobs.ts) ──

/**
 * One county's reminders: an open assignment due within `before` days is reminded once, an overdue one
 * once, and one overdue more than `after` days is reported to the organization above its issuer (the
 * issuer of the assignment it was split from, or the issuing organization's parent for a task's first
 * level), once. Each is a history row; the county's audit gets one entry per kind with the count.
 */
export async function remindCounty(
  tx: Tx,
  deps: Deps,
  county: string,
  before: number,
  after: number,
): Promise<{ due: number; overdue: number; escalated: number }> {
  const today = todayOf(deps);
  const due = await tx.execute<{ id: string }>(sql`update task_assignments a set reminded_due_at = now()
    where a.county_code = ${county} and a.status in (${openList}) and a.reminded_due_at is null
      and a.deadline >= ${today}::date and a.deadline <= ${addDays(today, before)}::date
    returning a.id`);
  if (due.rows.length)
    await tx.execute(sql`insert into task_events (county_code, assignment_id, kind, text, at)
      select a.county_code, a.id, 'remindDue', '距完成时限（' || to_char(a.deadline, 'YYYY-MM-DD') || '）还有 ' || (a.deadline - ${today}::date) || ' 天', now()
      from task_assignments a where a.county_code = ${county} and a.id = any(${idsArray(due.rows)})`);
  const late = await tx.execute<{ id: string }>(sql`update task_assignments a set reminded_overdue_at = now()
    where a.county_code = ${county} and a.status in (${openList}) and a.reminded_overdue_at is null and a.deadline < ${today}::date
    returning a.id`);
  if (late.rows.length)
    await tx.execute(sql`insert into task_events (county_code, assignment_id, kind, text, at)
      select a.county_code, a.id, 'remindOverdue', '已超过完成时限（' || to_char(a.deadline, 'YYYY-MM-DD') || '）', now()
      from task_assignments a where a.county_code = ${county} and a.id = any(${idsArray(late.rows)})`);
  const esc = await tx.execute<{
    id: string;
  }>(sql`update task_assignments a set escalated_at = now(), escalated_to_org_id = up.org_id
    from (
      select x.id, coalesce(p.issuer_org_id, io.parent_id) as org_id
      from task_assignments x
      left join task_assignments p on p.county_code = x.county_code and p.id = x.parent_id
      join orgs io on io.county_code = x.county_code and io.id = x.issuer_org_id
      where x.county_code = ${county} and x.status in (${openList}) and x.escalated_at is null and x.deadline < ${addDays(today, -after)}::date
    ) up
    where a.county_code = ${county} and a.id = up.id and up.org_id is not null
    returning a.id`);
  if (esc.rows.length)
    await tx.execute(sql`insert into task_events (county_code, assignment_id, kind, text, at)
      select a.county_code, a.id, 'escalated', '逾期 ' || (${today}::date - a.deadline) || ' 天，已上报' || o.name, now()
      from task_assignments a join orgs o on o.county_code = a.county_code and o.id = a.escalated_to_org_id
      where a.county_code = ${county} and a.id = any(${idsArray(esc.rows)})`);
  const actor: Actor = {
    userId: null,
    username: 'system',
    roles: [],
    orgId: null,
    countyCode: county,
    ip: null,
    requestId: null,
  };
  const entries = [
    ...(due.rows.length || late.rows.length
      ? [{ action: 'task.remind', detail: { due: due.rows.length, overdue: late.rows.length, on: today } }]
      : []),
    ...(esc.rows.length
      ? [{ action: 'task.escalate', detail: { escalated: esc.rows.length, afterDays: after, on: today } }]
      : []),
  ];
  if (entries.length) await writeAudit(tx, deps.crypto, actor, entries);
  return { due: due.rows.length, overdue: late.rows.length, escalated: esc.rows.length };
}

function idsArray(rows: { id: string }[]): SQL {
  return uuids(rows.map((r) => r.id));
}

/** A uuid[] parameter (one bound value, whatever the number of ids). */
function uuids(ids: readonly string[]): SQL {
  return sql`${`{${ids.join(',')}}`}::uuid[]`;
}

/** The dashboard as a sheet (任务督办表): a row per organization directly below, then the total. */
export async function writeDashboardXlsx(
  d: z.infer<typeof dashboard>,
  asOf: string,
  out: NodeJS.WritableStream,
): Promise<void> {
  const wb = createWorkbook('taskBoard');
  const ws = addSheet(wb, '任务督办', {
    pageSetup: LANDSCAPE_PRINT,
  });
  const heads = [
    '组织',
    '任务总数',
    '待签收',
    '办理中',
    '待验收',
    '已完成',
    '逾期',
    '逾期上报',
    '规则发现未整改',
    '督查发现未整改',
    '本年发现问题',
    '本年已销号',
    '整改销号率',
    '文件未按时签收或报告',
  ];
  setColumns(
    ws,
    heads.map((_, i) => ({ width: i === 0 ? 34 : 12 })),
  );
  ws.mergeCells(1, 1, 1, heads.length);
  setCell(ws.getCell('A1'), `${d.orgName}任务督办表（截至 ${asOf}）`);
  ws.getCell('A1').font = { bold: true, size: 13 };
  addRow(ws, heads).font = { bold: true };
  const line = (r: z.infer<typeof dashboard>['totals'], name: string) => {
    const row = addRow(ws, [
      name,
      r.total,
      r.issued,
      r.working,
      r.submitted,
      r.done,
      r.overdue,
      r.escalated,
      r.problemsOpenRule,
      r.problemsOpenOther,
      r.problemsRaised,
      r.problemsClosed,
      r.rectificationRate,
      r.documentsLate,
    ]);
    row.getCell(13).numFmt = '0.0%';
    return row;
  };
  for (const r of d.rows) line(r, r.orgName);
  line(d.totals, '合计（含本级）').font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: 2 }];
  await wb.xlsx.write(out as import('node:stream').Writable);
}

/** The open task shares of several organizations (a person's list), the overdue first. */
export async function taskLedgerOf(
  db: Tx,
  deps: Deps,
  county: string,
  orgIds: string[],
): Promise<(AssignmentView & { title: string })[]> {
  const today = todayOf(deps);
  const r = await db.execute<AssignmentRow & { title: string }>(sql`select ${A_COLS}, t.title from ${A_FROM}
    join tasks t on t.county_code = a.county_code and t.id = a.task_id
    where ${inCounty(county, 'a')} and a.org_id = any(${uuids(orgIds)}) and a.status <> 'done'
    order by (a.status in (${openList}) and a.deadline < ${today}::date) desc, a.deadline, t.created_at
    limit 200`);
  return r.rows.map((x) => ({ ...toView(x, today), title: x.title }));
}
