/**
 * Periodic reports (定期汇报, issue 20; rule FS-4): a first secretary, work-team member or instructor
 * files the monthly work log, the quarterly report or the yearly summary from the phone (kept there by
 * the offline service until the network returns, so `madeAt` is when it was written and a resend of
 * the same `clientId` answers the first), tagged with the work areas; the author may correct it until
 * someone has commented. The township (an account whose organization is above the posted one; the
 * county as such), the dispatching unit (its Party organization's accounts) read and comment — the
 * same sides leave's decisions have (leaves.ts postingSides). Managers see who filed a period, late or
 * not at all; the daily job writes the person's in-app reminders. Every write is audited; a new report
 * is announced so FS-4 is re-checked in the same transaction.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { daysBetween, shanghaiDate } from '../../../contract/calendar.ts';
import {
  REPORT_MIN_CHARS,
  type reportCommentBody,
  type reportCommentView,
  reportBounds,
  type reportCreate,
  reportDueOn,
  type reportListQuery,
  type reportPatch,
  type reportStatusQuery,
  type reportStatusView,
  type reportView,
} from '../../../contract/firstsec-reports.ts';
import {
  FS_REPORT_STATES,
  type FsArea,
  type FsReportKind,
  type FsReportSide,
  type FsRole,
  fsReportPeriodLabel,
} from '../../../contract/labels.ts';
import type { Tx } from '../../db/index.ts';
import { ancestorIdSql, inCounty, inSubtree, orgInScopeSql, pathIds, requireOrgAccess } from '../../platform/access.ts';
import { type Actor, writeAudit } from '../../platform/audit.ts';
import type { Deps, SessionUser } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { getSetting } from '../../platform/settings.ts';
import { loadRuleSettings, type RuleSettings } from '../problems/api.ts';
import { postingSides } from './leaves.ts';
import { currentSpecs, dueRows, REPORT_DAY_SETTING, REPORT_WORD, reportSpecs, stateOf } from './report-schedule.ts';
import { announce, ownOnly, ownRow, todayOf } from './service.ts';

type View = z.infer<typeof reportView>;

type Row = {
  id: string;
  county_code: string;
  fs_id: string;
  name: string;
  role: FsRole;
  org_id: string;
  org_name: string;
  org_path: string;
  dispatch_org_id: string | null;
  user_id: string | null;
  kind: FsReportKind;
  period: string;
  body: string;
  areas: FsArea[];
  made_at: Date;
  submitted_at: Date;
  version: number;
  comment_count: number;
  account_from: string | null;
  start_date: string;
  ended_on: string | null;
};

const R_SELECT = sql`select r.id, r.county_code, r.fs_id, f.name, f.role, r.org_id, o.name as org_name, o.path as org_path,
    f.dispatch_org_id, f.user_id, r.kind, r.period, r.body, r.areas, r.made_at, r.submitted_at, r.version,
    (select count(*) from fs_report_comments c where c.county_code = r.county_code and c.report_id = r.id)::int as comment_count,
    to_char(date_trunc('month', (u.created_at at time zone 'Asia/Shanghai') - interval '1 day') + interval '1 month', 'YYYY-MM-DD') as account_from,
    to_char(f.start_date, 'YYYY-MM-DD') as start_date, to_char(f.ended_on, 'YYYY-MM-DD') as ended_on
  from fs_reports r join first_secretaries f on f.county_code = r.county_code and f.id = r.fs_id
  join orgs o on o.county_code = r.county_code and o.id = r.org_id
  left join users u on u.county_code = f.county_code and u.id = f.user_id`;

/** Reports the user may read: of people posted in the user's scope or sent by the user's organization; a first secretary's own only. */
function readable(user: SessionUser): SQL {
  return sql`${inCounty(user, 'r')} and (${orgInScopeSql(user)} or f.dispatch_org_id = ${user.orgId}) and ${ownOnly(user)}`;
}

/**
 * As which side the user comments: the dispatching unit (an account of its Party organization), the
 * county (an account of the county's root organization, also for a unit not on the platform), the
 * township (another organization above the posted one); null for anyone else (the person included).
 */
export function commentSide(
  user: SessionUser,
  r: { org_id: string; org_path: string; dispatch_org_id: string | null },
): FsReportSide | null {
  if (!user.permissions.has('firstsec.roster')) return null;
  const s = postingSides(user, r);
  if (s.township) return pathIds(r.org_path)[0] === user.orgId ? 'county' : 'town';
  if (s.unit) return 'unit';
  return null;
}

/** The report's due date, or null when it was not asked of the person (the kind off the schedule; a period not judged, as report-schedule.ts judges it). */
function dueOf(settings: RuleSettings, r: Row): string | null {
  const b = reportBounds(r.kind, r.period);
  if (!b) return null;
  const judged =
    !!r.account_from && b.start >= r.account_from && r.start_date <= b.end && (!r.ended_on || r.ended_on > b.end);
  const day = settings.num(REPORT_DAY_SETTING[r.kind], b.start);
  return judged && day > 0 ? reportDueOn(r.kind, r.period, day) : null;
}

async function toViews(tx: Tx, user: SessionUser, rows: Row[]): Promise<View[]> {
  if (!rows.length) return [];
  const county = rows[0].county_code;
  const settings = await loadRuleSettings(tx, county);
  const c = await tx.execute<{
    id: string;
    report_id: string;
    side: FsReportSide;
    text: string;
    by_name: string | null;
    created_at: Date;
  }>(sql`select c.id, c.report_id, c.side, c.text, u.display_name as by_name, c.created_at from fs_report_comments c
    left join users u on u.county_code = c.county_code and u.id = c.created_by
    where c.county_code = ${county} and c.report_id = any(${`{${rows.map((r) => r.id).join(',')}}`}::uuid[])
    order by c.created_at, c.id`);
  const comments = new Map<string, z.infer<typeof reportCommentView>[]>();
  for (const x of c.rows) {
    const list = comments.get(x.report_id) ?? [];
    list.push({ id: x.id, side: x.side, text: x.text, byName: x.by_name, at: new Date(x.created_at).toISOString() });
    comments.set(x.report_id, list);
  }
  return rows.map((r) => {
    const dueOn = dueOf(settings, r);
    const madeOn = shanghaiDate(new Date(r.made_at));
    return {
      id: r.id,
      fsId: r.fs_id,
      name: r.name,
      role: r.role,
      orgId: r.org_id,
      orgName: r.org_name,
      kind: r.kind,
      period: r.period,
      periodLabel: fsReportPeriodLabel(r.period),
      body: r.body,
      areas: r.areas ?? [],
      madeAt: new Date(r.made_at).toISOString(),
      submittedAt: new Date(r.submitted_at).toISOString(),
      dueOn,
      lateDays: dueOn && madeOn > dueOn ? daysBetween(dueOn, madeOn) : 0,
      version: Number(r.version),
      comments: comments.get(r.id) ?? [],
      can: {
        edit: r.user_id === user.id && Number(r.comment_count) === 0,
        comment: commentSide(user, r),
      },
    };
  });
}

async function reportRow(tx: Tx, user: SessionUser, id: string, lock = false): Promise<Row> {
  const r = await tx.execute<Row>(
    sql`${R_SELECT} where ${readable(user)} and r.id = ${id} ${lock ? sql`for update of r` : sql``}`,
  );
  if (!r.rows[0]) throw new AppError('NOT_FOUND');
  return r.rows[0];
}

export async function getReport(tx: Tx, user: SessionUser, id: string): Promise<View> {
  return (await toViews(tx, user, [await reportRow(tx, user, id)]))[0];
}

/** Reports in the user's reach (newest period first), filtered by person, kind, period or organization. */
export async function listReports(
  tx: Tx,
  user: SessionUser,
  q: z.infer<typeof reportListQuery>,
): Promise<{ items: View[]; total: number; page: number; pageSize: number }> {
  const conds: SQL[] = [readable(user)];
  if (q.orgId) conds.push(inSubtree(await requireOrgAccess(tx, user, q.orgId)));
  if (q.fsId) conds.push(sql`r.fs_id = ${q.fsId}`);
  if (q.kind) conds.push(sql`r.kind = ${q.kind}`);
  if (q.period) conds.push(sql`r.period = ${q.period}`);
  const where = sql.join(conds, sql` and `);
  const total = await tx.execute<{ n: number }>(sql`select count(*)::int as n from fs_reports r
    join first_secretaries f on f.county_code = r.county_code and f.id = r.fs_id
    join orgs o on o.county_code = r.county_code and o.id = r.org_id where ${where}`);
  const r = await tx.execute<Row>(sql`${R_SELECT} where ${where}
    order by r.made_at desc, r.id limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`);
  return { items: await toViews(tx, user, r.rows), total: Number(total.rows[0].n), page: q.page, pageSize: q.pageSize };
}

function checkText(body: string): void {
  if ([...body.replace(/\s/g, '')].length < REPORT_MIN_CHARS) throw new AppError('FS_REPORT_TOO_SHORT');
}

/** The person's own report of a period (one per kind and period); a resend of its clientId answers the first. */
export async function createReport(
  tx: Tx,
  deps: Deps,
  user: SessionUser,
  actor: Actor,
  body: z.infer<typeof reportCreate>,
): Promise<{ id: string; replayed: boolean }> {
  const me = await ownRow(tx, user, true);
  if (body.clientId) {
    const seen = await tx.execute<{ id: string }>(
      sql`select r.id from fs_reports r where r.county_code = ${me.county_code} and r.client_id = ${body.clientId} and r.fs_id = ${me.id}`,
    );
    if (seen.rows[0]) return { id: seen.rows[0].id, replayed: true };
  }
  const b = reportBounds(body.kind, body.period);
  if (!b) throw new AppError('FS_REPORT_PERIOD');
  if (b.start > todayOf(deps)) throw new AppError('FS_REPORT_NOT_BEGUN');
  checkText(body.body);
  const now = deps.now();
  const madeAt = body.madeAt ? new Date(body.madeAt) : now;
  // A few minutes' grace for a phone's clock; a report kept offline longer than check-ins may wait is not taken.
  if (madeAt.getTime() > now.getTime() + 5 * 60_000) throw new AppError('FS_REPORT_FUTURE');
  const offlineDays = Number(await getSetting(tx, me.county_code, 'firstsec.offlineDays'));
  if (madeAt.getTime() < now.getTime() - offlineDays * 86_400_000) throw new AppError('FS_REPORT_TOO_OLD');
  const made = await tx.execute<{
    id: string;
  }>(sql`insert into fs_reports (county_code, fs_id, org_id, kind, period, body, areas,
      made_at, submitted_at, client_id, created_by)
    values (${me.county_code}, ${me.id}, ${me.org_id}, ${body.kind}, ${body.period}, ${body.body},
      ${JSON.stringify([...new Set(body.areas)])}::jsonb, ${madeAt.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz,
      ${body.clientId ?? null}, ${user.id})
    on conflict do nothing returning id`);
  // The period's report exists (the unique index answers a race the same way).
  if (!made.rows[0]) throw new AppError('FS_REPORT_EXISTS');
  const id = made.rows[0].id;
  await writeAudit(tx, deps.crypto, actor, [
    {
      action: 'fs.report',
      objectType: 'fsReport',
      objectId: id,
      detail: { fsId: me.id, kind: body.kind, period: body.period, areas: body.areas, madeAt: madeAt.toISOString() },
    },
  ]);
  await announce(tx, deps, me.county_code, [me.org_id], [b.start], ['reports'], user.id);
  return { id, replayed: false };
}

/** The author corrects the text or the areas, while nobody has commented (the version guards against a stale page). */
export async function patchReport(
  tx: Tx,
  deps: Deps,
  user: SessionUser,
  actor: Actor,
  id: string,
  body: z.infer<typeof reportPatch>,
): Promise<void> {
  const r = await reportRow(tx, user, id, true);
  if (r.user_id !== user.id) throw new AppError('FORBIDDEN', '只能修改本人的汇报');
  if (Number(r.comment_count) > 0) throw new AppError('FS_REPORT_COMMENTED');
  if (Number(r.version) !== body.version) throw new AppError('CONFLICT', '该汇报已在别处修改，请刷新后重试');
  const sets: SQL[] = [];
  const changed: string[] = [];
  if (body.body !== undefined) {
    checkText(body.body);
    sets.push(sql`body = ${body.body}`);
    changed.push('body');
  }
  if (body.areas) {
    sets.push(sql`areas = ${JSON.stringify([...new Set(body.areas)])}::jsonb`);
    changed.push('areas');
  }
  if (!sets.length) return;
  await tx.execute(sql`update fs_reports set ${sql.join(sets, sql`, `)}, version = version + 1, updated_at = now()
    where county_code = ${r.county_code} and id = ${r.id}`);
  await writeAudit(tx, deps.crypto, actor, [
    { action: 'fs.reportEdit', objectType: 'fsReport', objectId: r.id, detail: { fsId: r.fs_id, fields: changed } },
  ]);
}

/** A comment (阅示) by the township, the dispatching unit or the county; anyone else FS_REPORT_NOT_YOURS. */
export async function commentReport(
  tx: Tx,
  deps: Deps,
  user: SessionUser,
  actor: Actor,
  id: string,
  body: z.infer<typeof reportCommentBody>,
): Promise<void> {
  const r = await reportRow(tx, user, id, true);
  const side = commentSide(user, r);
  if (!side) throw new AppError('FS_REPORT_NOT_YOURS');
  const c = await tx.execute<{
    id: string;
  }>(sql`insert into fs_report_comments (county_code, report_id, side, text, created_by, created_at)
    values (${r.county_code}, ${r.id}, ${side}, ${body.text}, ${user.id}, ${deps.now().toISOString()}::timestamptz) returning id`);
  await writeAudit(tx, deps.crypto, actor, [
    {
      action: 'fs.reportComment',
      objectType: 'fsReport',
      objectId: r.id,
      detail: { fsId: r.fs_id, commentId: c.rows[0].id, side },
    },
  ]);
}

/** Who in the user's scope filed a period's report, late or not at all (汇报情况). */
export async function reportStatus(
  tx: Tx,
  deps: Deps,
  user: SessionUser,
  q: z.infer<typeof reportStatusQuery>,
): Promise<z.infer<typeof reportStatusView>> {
  const b = reportBounds(q.kind, q.period);
  if (!b) throw new AppError('FS_REPORT_PERIOD');
  const under = await requireOrgAccess(tx, user, q.orgId ?? user.orgId);
  const settings = await loadRuleSettings(tx, user.countyCode);
  const spec = reportSpecs(settings, q.kind, [q.period]);
  // Everyone posted in the scope during the period (a past period keeps those who have left since).
  const people = await tx.execute<{ id: string; org_name: string; township_name: string | null }>(sql`
    select f.id, o.name as org_name, t.name as township_name from first_secretaries f
    join orgs o on o.county_code = f.county_code and o.id = f.org_id
    left join orgs t on t.county_code = o.county_code and t.id = ${ancestorIdSql('o', 1)} and t.id <> o.id
    where ${inCounty(user, 'f')} and ${inSubtree(under)} and f.start_date <= ${b.end}::date
      and (f.ended_on is null or f.ended_on > ${b.start}::date)
    order by o.path, f.name, f.id`);
  const rows = await dueRows(tx, user.countyCode, { ids: people.rows.map((p) => p.id) }, spec);
  const byId = new Map(rows.map((r) => [r.fs_id, r]));
  const today = todayOf(deps);
  const counts = Object.fromEntries(FS_REPORT_STATES.map((s) => [s, 0])) as Record<
    (typeof FS_REPORT_STATES)[number],
    number
  >;
  const items = people.rows.flatMap((p) => {
    const r = byId.get(p.id);
    if (!r) return [];
    const state = stateOf(r, today);
    counts[state]++;
    return [
      {
        fsId: r.fs_id,
        name: r.name,
        role: r.role as FsRole,
        orgId: r.org_id,
        orgName: p.org_name,
        townshipName: p.township_name,
        state,
        reportId: r.report_id,
        madeAt: r.made_at ? new Date(r.made_at).toISOString() : null,
        lateDays: state === 'late' ? r.late_days : 0,
        note: state === 'notRequired' ? r.note : null,
      },
    ];
  });
  return {
    kind: q.kind,
    period: q.period,
    periodLabel: fsReportPeriodLabel(q.period),
    dueOn: spec[0]?.due_on ?? null,
    counts,
    items,
  };
}

/** What the person owes now and the unread reminders (GET /api/first-secretaries/me). */
export async function owedOf(
  tx: Tx,
  deps: Deps,
  county: string,
  fsId: string,
): Promise<{
  reports: {
    kind: FsReportKind;
    period: string;
    periodLabel: string;
    dueOn: string;
    state: (typeof FS_REPORT_STATES)[number];
    reportId: string | null;
  }[];
  reminders: { id: string; text: string; dueOn: string; stage: 'due' | 'overdue'; createdAt: string }[];
}> {
  const today = todayOf(deps);
  const rows = await dueRows(tx, county, { ids: [fsId] }, currentSpecs(await loadRuleSettings(tx, county), today));
  const order = { overdue: 0, notDue: 1, late: 2, filed: 3, notRequired: 4 } as const;
  const reports = rows
    .filter((r) => r.due_on && (r.judged || r.report_id))
    .map((r) => ({
      kind: r.kind,
      period: r.period,
      periodLabel: r.label,
      dueOn: r.due_on as string,
      state: stateOf(r, today),
      reportId: r.report_id,
    }))
    .sort((a, b) => order[a.state] - order[b.state] || a.dueOn.localeCompare(b.dueOn));
  const rem = await tx.execute<{
    id: string;
    text: string;
    due_on: string;
    stage: 'due' | 'overdue';
    created_at: Date;
  }>(
    sql`select m.id, m.text, to_char(m.due_on, 'YYYY-MM-DD') as due_on, m.stage, m.created_at from fs_reminders m
      where m.county_code = ${county} and m.fs_id = ${fsId} and m.read_at is null order by m.created_at desc, m.id limit 5`,
  );
  return {
    reports,
    reminders: rem.rows.map((m) => ({
      id: m.id,
      text: m.text,
      dueOn: m.due_on,
      stage: m.stage,
      createdAt: new Date(m.created_at).toISOString(),
    })),
  };
}

/** The person marks an own reminder read. */
export async function readReminder(tx: Tx, deps: Deps, user: SessionUser, actor: Actor, id: string): Promise<void> {
  const me = await ownRow(tx, user);
  const r = await tx.execute<{
    id: string;
  }>(sql`update fs_reminders set read_at = coalesce(read_at, ${deps.now().toISOString()}::timestamptz)
    where county_code = ${me.county_code} and id = ${id} and fs_id = ${me.id} returning id`);
  if (!r.rows[0]) throw new AppError('NOT_FOUND');
  await writeAudit(tx, deps.crypto, actor, [
    { action: 'fs.reminderRead', objectType: 'fsReminder', objectId: id, detail: { fsId: me.id } },
  ]);
}

/**
 * The daily reminders of a county (jobs.ts): for each serving person with an account, one when a
 * report falls due within the county's `firstsec.reportRemindDays` and one when it is overdue (the last
 * ended period of each kind). A repeat on the same day or the next adds nothing (unique per person,
 * subject and stage). In-app only: the platform has no SMS or WeChat channel.
 */
export async function writeReminders(tx: Tx, county: string, today: string): Promise<number> {
  const settings = await loadRuleSettings(tx, county);
  const remindDays = Number(await getSetting(tx, county, 'firstsec.reportRemindDays'));
  const rows = await dueRows(
    tx,
    county,
    { serving: true },
    currentSpecs(settings, today).filter((s) => s.due_on),
  );
  const out: { fs_id: string; subject: string; due_on: string; stage: string; text: string }[] = [];
  for (const r of rows) {
    if (!r.judged || r.report_id || !r.due_on) continue;
    const what = `${r.label}${REPORT_WORD[r.kind]}`;
    const subject = `report:${r.kind}:${r.period}`;
    if (today > r.due_on)
      out.push({
        fs_id: r.fs_id,
        subject,
        due_on: r.due_on,
        stage: 'overdue',
        text: `${what}已逾期（应于 ${r.due_on} 前提交），请尽快提交`,
      });
    else if (daysBetween(today, r.due_on) <= remindDays)
      out.push({ fs_id: r.fs_id, subject, due_on: r.due_on, stage: 'due', text: `${what}请于 ${r.due_on} 前提交` });
  }
  if (!out.length) return 0;
  const r = await tx.execute(sql`insert into fs_reminders (county_code, fs_id, subject, due_on, stage, text)
    select ${county}, x.fs_id, x.subject, x.due_on, x.stage, x.text
    from jsonb_to_recordset(${JSON.stringify(out)}::jsonb) as x(fs_id uuid, subject text, due_on date, stage text, text text)
    on conflict do nothing`);
  return r.rowCount ?? 0;
}
