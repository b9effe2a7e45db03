/**
 * Leave (请假, issue 20): the first secretary asks from the phone; the township (an account of an
 * organization whose scope holds the posted one, other than it) and the dispatching unit (an account of
 * its Party organization on the platform, or the county on its behalf when it has none there) each
 * decide. Approved when both approve, refused when either refuses; the person may withdraw a pending one.
 * Approved days are not counted as working days owed (attendance.ts).
 */
import { type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { daysBetween } from '../../../contract/calendar.ts';
import type { leaveCreate, leaveDecision, leaveListQuery, leaveView } from '../../../contract/firstsec.ts';
import type { LeaveStatus } from '../../../contract/labels.ts';
import type { Tx } from '../../db/index.ts';
import { inCounty, orgInScopeSql, pathIds } from '../../platform/access.ts';
import { type Actor, writeAudit } from '../../platform/audit.ts';
import type { Deps, SessionUser } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { announce, ownOnly, ownRow } from './service.ts';

type View = z.infer<typeof leaveView>;

type Row = {
  id: string;
  county_code: string;
  fs_id: string;
  name: string;
  org_id: string;
  org_path: string;
  org_name: string;
  dispatch_org_id: string | null;
  user_id: string | null;
  from_date: string;
  to_date: string;
  reason: string;
  status: LeaveStatus;
  town_approve: boolean | null;
  town_by_name: string | null;
  town_comment: string | null;
  town_at: Date | null;
  unit_approve: boolean | null;
  unit_by_name: string | null;
  unit_comment: string | null;
  unit_at: Date | null;
  created_at: Date;
};

const L_SELECT = sql`select l.id, l.county_code, l.fs_id, f.name, f.org_id, o.path as org_path, o.name as org_name, f.dispatch_org_id, f.user_id,
    to_char(l.from_date, 'YYYY-MM-DD') as from_date, to_char(l.to_date, 'YYYY-MM-DD') as to_date, l.reason, l.status,
    l.town_approve, tu.display_name as town_by_name, l.town_comment, l.town_at,
    l.unit_approve, uu.display_name as unit_by_name, l.unit_comment, l.unit_at, l.created_at
  from fs_leaves l join first_secretaries f on f.county_code = l.county_code and f.id = l.fs_id
  join orgs o on o.county_code = f.county_code and o.id = f.org_id
  left join users tu on tu.county_code = l.county_code and tu.id = l.town_by
  left join users uu on uu.county_code = l.county_code and uu.id = l.unit_by`;

const iso = (v: Date | null) => (v ? new Date(v).toISOString() : null);

/** Which side the user may decide for: the township (the posted organization is below the user's own), the unit (its organization, or the county for a unit not on the platform). */
export function sides(
  user: SessionUser,
  r: Pick<Row, 'org_path' | 'org_id' | 'dispatch_org_id'>,
): { township: boolean; unit: boolean } {
  if (!user.permissions.has('firstsec.approve')) return { township: false, unit: false };
  return postingSides(user, r);
}

/**
 * Where the user's organization stands to a posting, whatever the permission: above the posted
 * organization (the township side; the county is above every one) and as its dispatching unit (its
 * Party organization on the platform, or the county for a unit that has none there). Leave and the
 * periodic reports' comments (reports.ts) ask the same.
 */
export function postingSides(
  user: SessionUser,
  r: { org_id: string; org_path: string; dispatch_org_id: string | null },
): { township: boolean; unit: boolean } {
  const above = pathIds(r.org_path);
  const township = user.orgId !== r.org_id && above.includes(user.orgId);
  const unit = r.dispatch_org_id ? user.orgId === r.dispatch_org_id : above[0] === user.orgId;
  return { township, unit };
}

function toView(user: SessionUser, r: Row): View {
  const s = sides(user, r);
  const pending = r.status === 'pending';
  return {
    id: r.id,
    fsId: r.fs_id,
    name: r.name,
    orgName: r.org_name,
    fromDate: r.from_date,
    toDate: r.to_date,
    days: daysBetween(r.from_date, r.to_date) + 1,
    reason: r.reason,
    status: r.status,
    township: { approve: r.town_approve, byName: r.town_by_name, comment: r.town_comment, at: iso(r.town_at) },
    unit: { approve: r.unit_approve, byName: r.unit_by_name, comment: r.unit_comment, at: iso(r.unit_at) },
    createdAt: new Date(r.created_at).toISOString(),
    can: {
      township: pending && s.township && r.town_approve === null,
      unit: pending && s.unit && r.unit_approve === null,
      cancel: pending && r.user_id === user.id,
    },
  };
}

async function leaveRow(tx: Tx, user: SessionUser, id: string, lock = false): Promise<Row> {
  const r = await tx.execute<Row>(
    sql`${L_SELECT} where ${inCounty(user, 'l')} and l.id = ${id} and (${orgInScopeSql(user)} or f.dispatch_org_id = ${user.orgId})
      and ${ownOnly(user)}
      ${lock ? sql`for update of l` : sql``}`,
  );
  if (!r.rows[0]) throw new AppError('NOT_FOUND');
  return r.rows[0];
}

export async function getLeave(tx: Tx, user: SessionUser, id: string): Promise<View> {
  return toView(user, await leaveRow(tx, user, id));
}

/** Leave of the people posted in the user's scope, or sent by the user's organization (as their dispatching unit). */
export async function listLeaves(
  tx: Tx,
  user: SessionUser,
  q: z.infer<typeof leaveListQuery>,
): Promise<{ items: View[]; total: number; page: number; pageSize: number }> {
  const conds: SQL[] = [
    inCounty(user, 'l'),
    sql`(${orgInScopeSql(user)} or f.dispatch_org_id = ${user.orgId})`,
    ownOnly(user),
  ];
  if (q.fsId) conds.push(sql`l.fs_id = ${q.fsId}`);
  if (q.status) conds.push(sql`l.status = ${q.status}`);
  const where = sql.join(conds, sql` and `);
  const total = await tx.execute<{ n: number }>(sql`select count(*)::int as n from fs_leaves l
    join first_secretaries f on f.county_code = l.county_code and f.id = l.fs_id
    join orgs o on o.county_code = f.county_code and o.id = f.org_id where ${where}`);
  const r = await tx.execute<Row>(sql`${L_SELECT} where ${where}
    order by (l.status = 'pending') desc, l.from_date desc, l.id limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`);
  return {
    items: r.rows.map((x) => toView(user, x)),
    total: Number(total.rows[0].n),
    page: q.page,
    pageSize: q.pageSize,
  };
}

export async function requestLeave(
  tx: Tx,
  deps: Deps,
  user: SessionUser,
  actor: Actor,
  body: z.infer<typeof leaveCreate>,
): Promise<{ id: string; replayed: boolean }> {
  const me = await ownRow(tx, user, true);
  if (body.clientId) {
    const seen = await tx.execute<{ id: string }>(
      sql`select l.id from fs_leaves l where l.county_code = ${me.county_code} and l.client_id = ${body.clientId} and l.fs_id = ${me.id}`,
    );
    if (seen.rows[0]) return { id: seen.rows[0].id, replayed: true };
  }
  if (body.toDate < body.fromDate) throw new AppError('FS_LEAVE_DATES');
  const overlap =
    await tx.execute(sql`select 1 from fs_leaves l where l.county_code = ${me.county_code} and l.fs_id = ${me.id}
    and l.status in ('pending', 'approved') and l.from_date <= ${body.toDate}::date and l.to_date >= ${body.fromDate}::date`);
  if (overlap.rows.length) throw new AppError('FS_LEAVE_OVERLAP');
  const r = await tx.execute<{
    id: string;
  }>(sql`insert into fs_leaves (county_code, fs_id, from_date, to_date, reason, client_id, created_by)
    values (${me.county_code}, ${me.id}, ${body.fromDate}, ${body.toDate}, ${body.reason}, ${body.clientId ?? null}, ${user.id}) returning id`);
  await writeAudit(tx, deps.crypto, actor, [
    {
      action: 'fs.leave',
      objectType: 'fsLeave',
      objectId: r.rows[0].id,
      detail: { fsId: me.id, fromDate: body.fromDate, toDate: body.toDate },
    },
  ]);
  return { id: r.rows[0].id, replayed: false };
}

export async function decideLeave(
  tx: Tx,
  deps: Deps,
  user: SessionUser,
  actor: Actor,
  id: string,
  side: 'township' | 'unit',
  body: z.infer<typeof leaveDecision>,
): Promise<void> {
  const r = await leaveRow(tx, user, id, true);
  // Who may decide comes first: one who may not learns nothing of where the request stands.
  if (!sides(user, r)[side]) throw new AppError('FS_LEAVE_NOT_YOURS');
  if (r.status !== 'pending') throw new AppError('FS_LEAVE_DECIDED');
  const already = side === 'township' ? r.town_approve : r.unit_approve;
  if (already !== null) throw new AppError('FS_LEAVE_DECIDED', '本方已审批该请假');
  const other = side === 'township' ? r.unit_approve : r.town_approve;
  const status: LeaveStatus = !body.approve ? 'rejected' : other === true ? 'approved' : 'pending';
  const now = deps.now().toISOString();
  const set =
    side === 'township'
      ? sql`town_approve = ${body.approve}, town_by = ${user.id}, town_at = ${now}::timestamptz, town_comment = ${body.comment ?? null}`
      : sql`unit_approve = ${body.approve}, unit_by = ${user.id}, unit_at = ${now}::timestamptz, unit_comment = ${body.comment ?? null}`;
  await tx.execute(
    sql`update fs_leaves set ${set}, status = ${status} where county_code = ${r.county_code} and id = ${r.id}`,
  );
  await writeAudit(tx, deps.crypto, actor, [
    {
      action: 'fs.leaveDecide',
      objectType: 'fsLeave',
      objectId: r.id,
      detail: { fsId: r.fs_id, side, approve: body.approve, status },
    },
  ]);
  // Approved days leave the working days owed: their months are re-checked.
  if (status === 'approved')
    await announce(tx, deps, r.county_code, [r.org_id], [r.from_date, r.to_date], ['checkins'], user.id);
}

export async function cancelLeave(tx: Tx, deps: Deps, user: SessionUser, actor: Actor, id: string): Promise<void> {
  const r = await leaveRow(tx, user, id, true);
  if (r.user_id !== user.id) throw new AppError('FORBIDDEN', '只能撤回本人的请假申请');
  if (r.status !== 'pending') throw new AppError('FS_LEAVE_DECIDED');
  await tx.execute(
    sql`update fs_leaves set status = 'cancelled' where county_code = ${r.county_code} and id = ${r.id}`,
  );
  await writeAudit(tx, deps.crypto, actor, [
    { action: 'fs.leaveCancel', objectType: 'fsLeave', objectId: r.id, detail: { fsId: r.fs_id } },
  ]);
}
