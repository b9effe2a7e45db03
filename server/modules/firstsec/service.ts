/**
 * The roster (issue 20): first secretaries, village work-team members and two-new instructors posted to
 * an organization in the user's scope, with the ID number sealed (SEC-16); their own accounts; the
 * person's own page; the villages' designations for FS-1. Every write is audited and announced
 * (`firstsec.changed`) so the rules engine re-checks FS-1 and FS-2 in the same transaction.
 */
import { patchSets } from '../../platform/patch.ts';
import { type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { shanghaiDate } from '../../../contract/calendar.ts';
import type {
  designationsBody,
  designationView,
  fsCreate,
  fsListQuery,
  fsMe,
  fsMonth,
  fsPatch,
  fsView,
} from '../../../contract/firstsec.ts';
import { FS_DAYS_ROLES, type FsArea, type FsRole, type FsStatus } from '../../../contract/labels.ts';
import type { Tx } from '../../db/index.ts';
import {
  ancestorIdSql,
  escapeLike,
  inCounty,
  inSubtree,
  orgInScopeSql,
  requireOrgAccess,
} from '../../platform/access.ts';
import { type Actor, writeAudit } from '../../platform/audit.ts';
import type { Deps, SessionUser } from '../../platform/deps.ts';
import { AppError, fieldError } from '../../platform/errors.ts';
import { emit } from '../../platform/events.ts';
import { ID_PROBLEM_TEXT, maskIdNumber, parseIdNumber } from '../../platform/idcard.ts';
import { roleAssignmentProblems } from '../../platform/role-policy.ts';
import { sealCtx } from '../../platform/sealed.ts';
import { getSetting } from '../../platform/settings.ts';
import { loadRuleSettings, textList } from '../problems/api.ts';
import { openPersonalAccount } from '../users/api.ts';
import { attendanceSql, monthSpec } from './attendance.ts';
import { recentCheckins } from './checkins.ts';
import { owedOf } from './reports.ts';

type View = z.infer<typeof fsView>;
type Month = z.infer<typeof fsMonth>;

export const todayOf = (deps: Pick<Deps, 'now'>) => shanghaiDate(deps.now());

/** Announce a change of the roster, designations, check-ins or leave (`firstsec.changed`). */
export async function announce(
  tx: Tx,
  deps: Deps,
  county: string,
  orgIds: string[],
  dates: string[],
  touched: ('firstSecretaries' | 'checkins' | 'reports')[],
  userId: string | null,
): Promise<void> {
  await emit(tx, deps, 'firstsec.changed', {
    countyCode: county,
    orgIds: [...new Set(orgIds)],
    dates: [...new Set(dates)],
    touched,
    userId,
  });
}

type Row = {
  id: string;
  county_code: string;
  role: FsRole;
  name: string;
  id_enc: string;
  member_id: string | null;
  org_id: string;
  org_name: string;
  township_name: string | null;
  dispatch_unit: string;
  dispatch_org_id: string | null;
  dispatch_org_name: string | null;
  liaison: string | null;
  start_date: string;
  end_date: string;
  status: FsStatus;
  ended_on: string | null;
  end_reason: string | null;
  areas: FsArea[];
  user_id: string | null;
  username: string | null;
  version: number;
};

const F_SELECT = sql`select f.id, f.county_code, f.role, f.name, f.id_enc, f.member_id, f.org_id, o.name as org_name, t.name as township_name,
    f.dispatch_unit, f.dispatch_org_id, dorg.name as dispatch_org_name, f.liaison, to_char(f.start_date, 'YYYY-MM-DD') as start_date,
    to_char(f.end_date, 'YYYY-MM-DD') as end_date, f.status, to_char(f.ended_on, 'YYYY-MM-DD') as ended_on, f.end_reason, f.areas,
    f.user_id, u.username, f.version
  from first_secretaries f join orgs o on o.county_code = f.county_code and o.id = f.org_id
  left join orgs t on t.county_code = o.county_code and t.id = ${ancestorIdSql('o', 1)} and t.id <> o.id
  left join orgs dorg on dorg.county_code = f.county_code and dorg.id = f.dispatch_org_id
  left join users u on u.county_code = f.county_code and u.id = f.user_id`;

/** The month's attendance of each person (attendance.ts), by id. */
export async function monthsOf(
  tx: Tx,
  deps: Deps,
  county: string,
  ids: string[],
  period: string,
): Promise<Map<string, Month>> {
  const out = new Map<string, Month>();
  if (!ids.length) return out;
  const settings = await loadRuleSettings(tx, county);
  const gapAlertDays = Number(await getSetting(tx, county, 'firstsec.gapAlertDays'));
  const r = await tx.execute<{
    fs_id: string;
    wd: number;
    leave_days: number;
    days_in: number;
    required: number;
    longest_gap: number;
    flagged: number;
    judged: boolean;
    owes: boolean;
  }>(sql`${attendanceSql(county, { ids }, [monthSpec(settings, period)], todayOf(deps), deps.now())}
    select a.fs_id, a.wd, a.leave_days, a.days_in, a.required, a.longest_gap, a.flagged,
      coalesce(a.start_on >= a.account_from, false) and a.role in (${textList(FS_DAYS_ROLES)}) as judged,
      a.role in (${textList(FS_DAYS_ROLES)}) as owes from a`);
  for (const x of r.rows)
    out.set(x.fs_id, {
      month: period,
      daysIn: Number(x.days_in),
      workingDays: Number(x.wd),
      leaveDays: Number(x.leave_days),
      // Instructors owe no days in the village (FS-2 does not judge them): their 五个一 count instead.
      required: x.owes ? Math.max(0, Number(x.required)) : 0,
      longestGap: Number(x.longest_gap),
      gapAlert: x.owes && Number(x.longest_gap) >= gapAlertDays,
      flagged: Number(x.flagged),
      judged: !!x.judged,
    });
  return out;
}

const EMPTY_MONTH = (month: string): Month => ({
  month,
  daysIn: 0,
  workingDays: 0,
  leaveDays: 0,
  required: 0,
  longestGap: 0,
  gapAlert: false,
  flagged: 0,
  judged: false,
});

function toView(deps: Deps, r: Row, month: Month): View {
  let masked = '******************';
  try {
    masked = maskIdNumber(deps.crypto.decrypt(r.id_enc, sealCtx('firstSecretaries.id', r.id)));
  } catch {
    // A value that no longer opens is shown masked, never in clear.
  }
  return {
    id: r.id,
    name: r.name,
    idNumberMasked: masked,
    memberId: r.member_id,
    role: r.role,
    dispatchUnit: r.dispatch_unit,
    dispatchOrgId: r.dispatch_org_id,
    dispatchOrgName: r.dispatch_org_name,
    liaison: r.liaison,
    orgId: r.org_id,
    orgName: r.org_name,
    townshipName: r.township_name,
    startDate: r.start_date,
    endDate: r.end_date,
    status: r.status,
    endedOn: r.ended_on,
    endReason: r.end_reason,
    areas: r.areas ?? [],
    username: r.username,
    version: Number(r.version),
    attendance: month,
  };
}

/** A first secretary's own account reads only its own records (firstsec.read without the roster): the condition on `f`. */
export function ownOnly(user: SessionUser, f = 'f'): SQL {
  return user.permissions.has('firstsec.roster') ? sql`true` : sql`${sql.raw(f)}.user_id = ${user.id}`;
}

/** A person of the roster whose posted organization is in the user's scope, or NOT_FOUND (`lock` takes the row). */
export async function fsRow(tx: Tx, user: SessionUser, id: string, lock = false): Promise<Row> {
  const r = await tx.execute<Row>(
    sql`${F_SELECT} where ${inCounty(user, 'f')} and f.id = ${id} and ${orgInScopeSql(user)} and ${ownOnly(user)}
      ${lock ? sql`for update of f` : sql``}`,
  );
  if (!r.rows[0]) throw new AppError('NOT_FOUND');
  return r.rows[0];
}

export async function getFs(tx: Tx, deps: Deps, user: SessionUser, id: string, month?: string): Promise<View> {
  const r = await fsRow(tx, user, id);
  const m = month ?? todayOf(deps).slice(0, 7);
  return toView(deps, r, (await monthsOf(tx, deps, r.county_code, [r.id], m)).get(r.id) ?? EMPTY_MONTH(m));
}

export async function listFs(
  tx: Tx,
  deps: Deps,
  user: SessionUser,
  q: z.infer<typeof fsListQuery>,
): Promise<{ items: View[]; total: number; page: number; pageSize: number }> {
  const under = await requireOrgAccess(tx, user, q.orgId ?? user.orgId);
  const conds: SQL[] = [inCounty(user, 'f'), inSubtree(under)];
  if (q.status) conds.push(sql`f.status = ${q.status}`);
  if (q.role) conds.push(sql`f.role = ${q.role}`);
  if (q.q) {
    const like = `%${escapeLike(q.q)}%`;
    conds.push(sql`(f.name like ${like} or o.name like ${like})`);
  }
  const where = sql.join(conds, sql` and `);
  const total = await tx.execute<{ n: number }>(sql`select count(*)::int as n from first_secretaries f
    join orgs o on o.county_code = f.county_code and o.id = f.org_id where ${where}`);
  const r = await tx.execute<Row>(sql`${F_SELECT} where ${where}
    order by (f.status = 'serving') desc, o.path, f.name, f.id limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`);
  const month = q.month ?? todayOf(deps).slice(0, 7);
  const months = await monthsOf(
    tx,
    deps,
    user.countyCode,
    r.rows.map((x) => x.id),
    month,
  );
  return {
    items: r.rows.map((x) => toView(deps, x, months.get(x.id) ?? EMPTY_MONTH(month))),
    total: Number(total.rows[0].n),
    page: q.page,
    pageSize: q.pageSize,
  };
}

/** The ID number of a new posting: the member's when `memberId` names one in scope, else the one given (checked). */
async function identity(
  tx: Tx,
  deps: Deps,
  user: SessionUser,
  body: z.infer<typeof fsCreate>,
): Promise<{ idNumber: string; memberId: string | null }> {
  if (body.memberId) {
    const m = await tx.execute<{ id: string; id_enc: string }>(sql`select m.id, m.id_enc from members m
      join orgs o on o.county_code = m.county_code and o.id = m.org_id
      where ${inCounty(user, 'm')} and m.id = ${body.memberId} and ${orgInScopeSql(user)}`);
    if (!m.rows[0]) throw new AppError('NOT_FOUND', '未找到所选党员，或不在您的管辖范围内');
    return {
      idNumber: deps.crypto.decrypt(m.rows[0].id_enc, sealCtx('members.id', m.rows[0].id)),
      memberId: m.rows[0].id,
    };
  }
  if (!body.idNumber) throw new AppError('FS_ID_REQUIRED');
  const parsed = parseIdNumber(body.idNumber);
  if (!parsed.ok) throw fieldError([{ field: 'idNumber', message: `身份证号码：${ID_PROBLEM_TEXT[parsed.problem]}` }]);
  return { idNumber: parsed.value, memberId: null };
}

export async function createFs(
  tx: Tx,
  deps: Deps,
  user: SessionUser,
  actor: Actor,
  body: z.infer<typeof fsCreate>,
): Promise<string> {
  const org = await requireOrgAccess(tx, user, body.orgId);
  if (org.status !== 'active') throw new AppError('RULE_VIOLATION', '该组织已撤销或合并，不能派驻');
  if (org.kind === 'partyGroup') throw fieldError([{ field: 'orgId', message: '驻村（驻点）组织：不能是党小组' }]);
  if (body.endDate <= body.startDate) throw new AppError('FS_DATES');
  if (body.dispatchOrgId) await requireOrgAccess(tx, user, body.dispatchOrgId);
  const who = await identity(tx, deps, user, body);
  const bidx = deps.crypto.blindIndex('id', who.idNumber);
  const dup =
    await tx.execute(sql`select 1 from first_secretaries f where f.county_code = ${user.countyCode} and f.id_bidx = ${bidx}
    and f.org_id = ${org.id} and f.status = 'serving'`);
  if (dup.rows.length) throw new AppError('FS_ALREADY_SERVING');
  const id = crypto.randomUUID();
  await tx.execute(sql`insert into first_secretaries (id, county_code, role, name, id_enc, id_bidx, member_id, org_id, dispatch_unit,
      dispatch_org_id, liaison, start_date, end_date, areas, created_by)
    values (${id}, ${user.countyCode}, ${body.role}, ${body.name}, ${deps.crypto.encrypt(who.idNumber, sealCtx('firstSecretaries.id', id))},
      ${bidx}, ${who.memberId}, ${org.id}, ${body.dispatchUnit}, ${body.dispatchOrgId ?? null}, ${body.liaison ?? null},
      ${body.startDate}, ${body.endDate}, ${JSON.stringify(body.areas ?? [])}::jsonb, ${user.id})`);
  await writeAudit(tx, deps.crypto, actor, [
    {
      action: 'fs.create',
      objectType: 'firstSecretary',
      objectId: id,
      detail: {
        orgId: org.id,
        role: body.role,
        name: body.name,
        dispatchUnit: body.dispatchUnit,
        startDate: body.startDate,
      },
    },
  ]);
  await announce(tx, deps, user.countyCode, [org.id], [body.startDate], ['firstSecretaries'], user.id);
  return id;
}

export async function patchFs(
  tx: Tx,
  deps: Deps,
  user: SessionUser,
  actor: Actor,
  id: string,
  body: z.infer<typeof fsPatch>,
): Promise<void> {
  const r = await fsRow(tx, user, id, true);
  if (Number(r.version) !== body.version) throw new AppError('CONFLICT', '该记录已被他人修改，请刷新后重试');
  const start = body.startDate ?? r.start_date;
  const end = body.endDate ?? r.end_date;
  if (end <= start) throw new AppError('FS_DATES');
  if (body.dispatchOrgId) await requireOrgAccess(tx, user, body.dispatchOrgId);
  const { sets, changed } = patchSets(body, {
    name: 'name',
    role: 'role',
    dispatchUnit: 'dispatch_unit',
    dispatchOrgId: 'dispatch_org_id',
    liaison: 'liaison',
    startDate: 'start_date',
    endDate: 'end_date',
  });
  if (body.areas) {
    sets.push(sql`areas = ${JSON.stringify(body.areas)}::jsonb`);
    changed.push('areas');
  }
  const today = todayOf(deps);
  const dates = [start];
  if (body.status && body.status !== r.status) {
    const endedOn = body.status === 'serving' ? null : (body.endedOn ?? today);
    if (endedOn && endedOn < start) throw fieldError([{ field: 'endedOn', message: '离任日期：不能早于任职日期' }]);
    sets.push(
      sql`status = ${body.status}`,
      sql`ended_on = ${endedOn}`,
      sql`end_reason = ${body.status === 'serving' ? null : (body.endReason ?? null)}`,
    );
    changed.push('status');
    if (endedOn) dates.push(endedOn);
    // SEC-11: the person's account is disabled when the posting ends, enabled again if it is resumed.
    if (r.user_id)
      await tx.execute(sql`update users set disabled = ${body.status !== 'serving'}, updated_at = now()
        where county_code = ${r.county_code} and id = ${r.user_id}`);
  }
  if (!sets.length) return;
  await tx.execute(sql`update first_secretaries set ${sql.join(sets, sql`, `)}, version = version + 1, updated_at = now()
    where county_code = ${r.county_code} and id = ${r.id}`);
  await writeAudit(tx, deps.crypto, actor, [
    {
      action: 'fs.update',
      objectType: 'firstSecretary',
      objectId: r.id,
      detail: { fields: changed, status: body.status ?? null },
    },
  ]);
  await announce(tx, deps, r.county_code, [r.org_id], dates, ['firstSecretaries'], user.id);
}

/** The person's own account (role firstSecretary on the posted organization), with a one-time password shown once. */
export async function openAccount(
  tx: Tx,
  deps: Deps,
  user: SessionUser,
  actor: Actor,
  id: string,
): Promise<{ username: string; oneTimePassword: string }> {
  const r = await fsRow(tx, user, id, true);
  if (r.status !== 'serving') throw new AppError('FS_NOT_SERVING');
  if (r.user_id) throw new AppError('FS_ACCOUNT_EXISTS');
  const org = await requireOrgAccess(tx, user, r.org_id);
  const problems = roleAssignmentProblems({
    granter: { userId: user.id, roles: user.roles },
    targetId: null,
    roles: ['firstSecretary'],
    org: { depth: org.depth, kind: org.kind },
  });
  if (problems.length) throw new AppError('RULE_VIOLATION', problems.join('；'));
  const made = await openPersonalAccount(tx, {
    countyCode: r.county_code,
    displayName: r.name,
    orgId: r.org_id,
    roles: ['firstSecretary'],
    createdBy: user.id,
  });
  await tx.execute(sql`update first_secretaries set user_id = ${made.id}, version = version + 1, updated_at = now()
    where county_code = ${r.county_code} and id = ${r.id}`);
  await writeAudit(tx, deps.crypto, actor, [
    {
      action: 'fs.account',
      objectType: 'firstSecretary',
      objectId: r.id,
      detail: { userId: made.id, username: made.username, orgId: r.org_id },
    },
  ]);
  return { username: made.username, oneTimePassword: made.oneTimePassword };
}

/** The signed-in first secretary's own posting (serving), or FS_NOT_POSTED. */
export async function ownRow(tx: Tx, user: SessionUser, lock = false): Promise<Row> {
  const r =
    await tx.execute<Row>(sql`${F_SELECT} where ${inCounty(user, 'f')} and f.user_id = ${user.id} and f.status = 'serving'
    order by f.start_date desc limit 1 ${lock ? sql`for update of f` : sql``}`);
  if (!r.rows[0]) throw new AppError('FS_NOT_POSTED');
  return r.rows[0];
}

export async function me(tx: Tx, deps: Deps, user: SessionUser): Promise<z.infer<typeof fsMe>> {
  const r = await ownRow(tx, user);
  const today = todayOf(deps);
  const office = await tx.execute<{ lat: number | null; lng: number | null }>(
    sql`select o.lat, o.lng from orgs o where o.county_code = ${r.county_code} and o.id = ${r.org_id}`,
  );
  const o = office.rows[0];
  const recent = await recentCheckins(tx, r.county_code, r.id, 10);
  const month =
    (await monthsOf(tx, deps, r.county_code, [r.id], today.slice(0, 7))).get(r.id) ?? EMPTY_MONTH(today.slice(0, 7));
  return {
    secretary: toView(deps, r, month),
    office: o?.lat != null && o?.lng != null ? { lat: Number(o.lat), lng: Number(o.lng) } : null,
    farMeters: Number(await getSetting(tx, r.county_code, 'firstsec.farMeters')),
    today,
    checkedInToday: recent.some((c) => c.day === today),
    recent,
    maxPhotoBytes: Number(await getSetting(tx, r.county_code, 'files.maxImageMB')) * 1024 * 1024,
    ...(await owedOf(tx, deps, r.county_code, r.id)),
  };
}

// ── Designations (FS-1) ──

export async function getDesignations(
  tx: Tx,
  user: SessionUser,
  orgId: string,
): Promise<z.infer<typeof designationView>[]> {
  const org = await requireOrgAccess(tx, user, orgId);
  const r = await tx.execute<{
    kind: z.infer<typeof designationView>['kind'];
    from_date: string;
    to_date: string | null;
  }>(sql`
    select g.kind, to_char(g.from_date, 'YYYY-MM-DD') as from_date, to_char(g.to_date, 'YYYY-MM-DD') as to_date
    from org_designations g where g.county_code = ${org.countyCode} and g.org_id = ${org.id} order by g.from_date, g.kind`);
  return r.rows.map((g) => ({ kind: g.kind, fromDate: g.from_date, toDate: g.to_date }));
}

/** Replace a village's designations with those given (each with its days: the list is its history). */
export async function putDesignations(
  tx: Tx,
  deps: Deps,
  user: SessionUser,
  actor: Actor,
  orgId: string,
  body: z.infer<typeof designationsBody>,
): Promise<void> {
  const org = await requireOrgAccess(tx, user, orgId);
  if (org.depth < 2 || org.kind === 'partyGroup') throw new AppError('FS_NOT_VILLAGE');
  for (const d of body.designations)
    if (d.toDate && d.toDate < d.fromDate)
      throw fieldError([{ field: 'designations', message: '重点村标注：结束日期不能早于开始日期' }]);
  const before = await getDesignations(tx, user, orgId);
  await tx.execute(sql`delete from org_designations where county_code = ${org.countyCode} and org_id = ${org.id}`);
  for (const d of body.designations)
    await tx.execute(sql`insert into org_designations (county_code, org_id, kind, from_date, to_date, set_by)
      values (${org.countyCode}, ${org.id}, ${d.kind}, ${d.fromDate}, ${d.toDate ?? null}, ${user.id})`);
  await writeAudit(tx, deps.crypto, actor, [
    { action: 'fs.designations', objectType: 'org', objectId: org.id, detail: { before, after: body.designations } },
  ]);
  await announce(tx, deps, org.countyCode, [org.id], [], ['firstSecretaries'], user.id);
}
