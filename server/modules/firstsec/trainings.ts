/**
 * Training and exchange sessions (培训、座谈交流, issue 20; speech.md §3: regular training, a platform for
 * exchange): the county's or a township's committee holds one for people it calls — serving, posted within
 * its subtree — and records afterwards who came (出席、请假、缺席). A reader sees the sessions its subtree
 * organized and those that called someone in its subtree, with only the people in its scope; a first
 * secretary's own account sees the sessions it was called to and its own attendance only. Every write is
 * audited. `trainingAttendance` gives the yearly score its per-person counts.
 *
 * fs_training_attendance.status is not null: a person called whose attendance is not yet recorded is
 * stored as 'called' (shown as null, 未记录); recorded ones are present | leave | absent.
 */
import { patchSets } from '../../platform/patch.ts';
import { type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type {
  attendanceBody,
  trainingCreate,
  trainingListQuery,
  trainingPatch,
  trainingPersonView,
  trainingSummary,
  trainingView,
} from '../../../contract/firstsec-trainings.ts';
import type { FsAttendance, FsRole, FsTrainingKind } from '../../../contract/labels.ts';
import type { Tx } from '../../db/index.ts';
import {
  ancestorIdSql,
  inCounty,
  inSubtree,
  orgInScopeSql,
  requireOrgAccess,
  type ScopedOrg,
} from '../../platform/access.ts';
import { type Actor, writeAudit } from '../../platform/audit.ts';
import type { Deps, SessionUser } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { fsRow, ownOnly, todayOf } from './service.ts';

type Summary = z.infer<typeof trainingSummary>;
type View = z.infer<typeof trainingView>;
type Person = z.infer<typeof trainingPersonView>;

/** Stored for a person called whose attendance is not yet recorded. */
const CALLED = 'called';

const uuidArray = (ids: readonly string[]) => sql`${`{${ids.join(',')}}`}::uuid[]`;

/**
 * The visible attendance rows `p` (people posted in the reader's scope; a first secretary's own row only)
 * and the visible sessions `t` (organized in the reader's subtree, or calling someone of `p`), narrowed by
 * `only` on `t`.
 */
function visibleSql(user: SessionUser, only: SQL): SQL {
  const organized = user.permissions.has('firstsec.roster')
    ? sql`exists (select 1 from orgs o where o.county_code = t.county_code and o.id = t.org_id and ${orgInScopeSql(user)})`
    : sql`false`;
  return sql`with p as materialized (select a.training_id, a.fs_id, a.status, a.note, f.user_id, f.name, f.role,
      o.name as org_name, tw.name as township_name,
      tw.sort_order as tw_sort, tw.name_pinyin as tw_py, o.sort_order as o_sort, o.name_pinyin as o_py
    from fs_training_attendance a join first_secretaries f on f.county_code = a.county_code and f.id = a.fs_id
    join orgs o on o.county_code = f.county_code and o.id = f.org_id
    left join orgs tw on tw.county_code = o.county_code and tw.id = ${ancestorIdSql('o', 1)} and tw.id <> o.id
    where ${inCounty(user, 'a')} and ${orgInScopeSql(user)} and ${ownOnly(user)}),
  t as materialized (select t.* from fs_trainings t where ${inCounty(user, 't')} and ${only}
    and (${organized} or exists (select 1 from p where p.training_id = t.id)))`;
}

type SummaryRow = {
  id: string;
  kind: FsTrainingKind;
  title: string;
  held_on: string;
  place: string;
  hours: string | null;
  org_id: string;
  org_name: string;
  called: number;
  present: number;
  leave: number;
  absent: number;
  mine: boolean;
  mine_status: string | null;
  mine_note: string | null;
};

/** The page's columns of `t` with counts over `p` and the reader's (or `fsId`'s) own attendance. */
function summarySql(user: SessionUser, fsId: string | undefined): SQL {
  const mine = fsId ? sql`p.fs_id = ${fsId}` : sql`p.user_id = ${user.id}`;
  return sql`select t.id, t.kind, t.title, to_char(t.held_on, 'YYYY-MM-DD') as held_on, t.place, t.hours::text as hours,
      t.org_id, og.name as org_name, t.created_at,
      count(p.fs_id)::int as called, (count(*) filter (where p.status = 'present'))::int as present,
      (count(*) filter (where p.status = 'leave'))::int as leave, (count(*) filter (where p.status = 'absent'))::int as absent,
      coalesce(bool_or(${mine}), false) as mine, max(p.status) filter (where ${mine}) as mine_status,
      max(p.note) filter (where ${mine}) as mine_note
    from t join orgs og on og.county_code = t.county_code and og.id = t.org_id
    left join p on p.training_id = t.id
    group by t.id, t.kind, t.title, t.held_on, t.place, t.hours, t.org_id, og.name, t.created_at`;
}

const statusOf = (s: string | null): FsAttendance | null => (s && s !== CALLED ? (s as FsAttendance) : null);

function toSummary(r: SummaryRow): Summary {
  return {
    id: r.id,
    kind: r.kind,
    title: r.title,
    heldOn: r.held_on,
    place: r.place,
    hours: r.hours == null ? null : Number(r.hours),
    orgId: r.org_id,
    orgName: r.org_name,
    called: Number(r.called),
    present: Number(r.present),
    leave: Number(r.leave),
    absent: Number(r.absent),
    mine: r.mine ? { status: statusOf(r.mine_status), note: r.mine_note } : null,
  };
}

export async function listTrainings(
  tx: Tx,
  user: SessionUser,
  q: z.infer<typeof trainingListQuery>,
): Promise<{ items: Summary[]; total: number; page: number; pageSize: number }> {
  if (q.fsId) await fsRow(tx, user, q.fsId);
  const conds: SQL[] = [sql`true`];
  if (q.kind) conds.push(sql`t.kind = ${q.kind}`);
  if (q.year) conds.push(sql`t.held_on between ${`${q.year}-01-01`}::date and ${`${q.year}-12-31`}::date`);
  if (q.fsId)
    conds.push(sql`exists (select 1 from fs_training_attendance fa where fa.county_code = t.county_code
      and fa.training_id = t.id and fa.fs_id = ${q.fsId})`);
  const vis = visibleSql(user, sql.join(conds, sql` and `));
  const total = await tx.execute<{ n: number }>(sql`${vis} select count(*)::int as n from t`);
  const r = await tx.execute<SummaryRow>(sql`${vis} select * from (${summarySql(user, q.fsId)}) s
    order by s.held_on desc, s.created_at desc, s.id limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`);
  return { items: r.rows.map(toSummary), total: Number(total.rows[0].n), page: q.page, pageSize: q.pageSize };
}

type Head = { org_path: string; content: string; version: number; created_by_name: string | null };

export async function getTraining(tx: Tx, deps: Deps, user: SessionUser, id: string): Promise<View> {
  const vis = visibleSql(user, sql`t.id = ${id}`);
  const r = await tx.execute<SummaryRow & Head>(sql`${vis} select s.*, og.path as org_path, t.content, t.version,
      u.display_name as created_by_name
    from (${summarySql(user, undefined)}) s join t on t.id = s.id
    join orgs og on og.county_code = t.county_code and og.id = t.org_id
    left join users u on u.county_code = t.county_code and u.id = t.created_by`);
  const row = r.rows[0];
  if (!row) throw new AppError('NOT_FOUND');
  const people = await tx.execute<{
    fs_id: string;
    name: string;
    role: FsRole;
    org_name: string;
    township_name: string | null;
    status: string;
    note: string | null;
  }>(sql`${vis} select p.fs_id, p.name, p.role, p.org_name, p.township_name, p.status, p.note from p
    where p.training_id = ${id} order by p.tw_sort nulls first, p.tw_py, p.o_sort, p.o_py, p.name, p.fs_id`);
  const held = row.held_on <= todayOf(deps);
  const edit = user.permissions.has('firstsec.manage') && organizerInScope(user, row.org_path);
  return {
    ...toSummary(row),
    content: row.content,
    version: Number(row.version),
    createdByName: row.created_by_name,
    people: people.rows.map(
      (p): Person => ({
        fsId: p.fs_id,
        name: p.name,
        role: p.role,
        orgName: p.org_name,
        townshipName: p.township_name,
        status: statusOf(p.status),
        note: p.note,
      }),
    ),
    held,
    can: { edit, attend: edit && held },
  };
}

/** The organizer lies in the reader's subtree (its sessions are the reader's to change). */
const organizerInScope = (user: SessionUser, orgPath: string) => orgPath.startsWith(user.scopePath);

/** The writer's own organization, when it is the county's or a township's committee. */
async function organizerOf(tx: Tx, user: SessionUser): Promise<ScopedOrg> {
  const org = await requireOrgAccess(tx, user, user.orgId);
  if (org.depth > 1 || org.kind === 'partyGroup' || org.status !== 'active')
    throw new AppError('FS_TRAINING_ORGANIZER');
  return org;
}

function checkHead(deps: Deps, title: string | undefined, heldOn: string | undefined): void {
  if (title !== undefined && !title) throw new AppError('FS_TRAINING_TITLE');
  if (heldOn === undefined) return;
  const ms = Date.parse(`${heldOn}T00:00:00Z`);
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== heldOn)
    throw new AppError('FS_TRAINING_DATE', '举办日期不是有效日期');
  const today = todayOf(deps);
  // A year ahead, as a day's text (from 29 February: up to 28 February of the next year).
  if (heldOn > `${Number(today.slice(0, 4)) + 1}${today.slice(4)}`) throw new AppError('FS_TRAINING_DATE');
}

/** Every one called is serving and posted within the organizer's subtree (FS_TRAINING_PEOPLE names how many are not). */
async function checkPeople(tx: Tx, organizer: { countyCode: string; path: string }, ids: string[]): Promise<string[]> {
  const unique = [...new Set(ids)];
  const r = await tx.execute<{ id: string }>(sql`select f.id from first_secretaries f
    join orgs o on o.county_code = f.county_code and o.id = f.org_id
    where f.county_code = ${organizer.countyCode} and f.id = any(${uuidArray(unique)}) and f.status = 'serving'
      and ${inSubtree(organizer, 'o')}`);
  const missing = unique.length - r.rows.length;
  if (missing > 0)
    throw new AppError(
      'FS_TRAINING_PEOPLE',
      `所选人员中有 ${missing} 人不是组织者管辖范围内在岗的第一书记、驻村工作队员或党建指导员`,
    );
  return unique;
}

export async function createTraining(
  tx: Tx,
  deps: Deps,
  user: SessionUser,
  actor: Actor,
  body: z.infer<typeof trainingCreate>,
): Promise<string> {
  const org = await organizerOf(tx, user);
  checkHead(deps, body.title, body.heldOn);
  const ids = await checkPeople(tx, org, body.fsIds);
  const id = crypto.randomUUID();
  await tx.execute(sql`insert into fs_trainings (id, county_code, org_id, kind, title, held_on, place, hours, content, created_by)
    values (${id}, ${org.countyCode}, ${org.id}, ${body.kind}, ${body.title}, ${body.heldOn}, ${body.place},
      ${body.hours ?? null}, ${body.content}, ${user.id})`);
  await tx.execute(sql`insert into fs_training_attendance (county_code, training_id, fs_id, status)
    select ${org.countyCode}, ${id}, x, ${CALLED} from unnest(${uuidArray(ids)}) as x`);
  await writeAudit(tx, deps.crypto, actor, [
    {
      action: 'fs.training',
      objectType: 'fsTraining',
      objectId: id,
      detail: { orgId: org.id, kind: body.kind, title: body.title, heldOn: body.heldOn, called: ids.length },
    },
  ]);
  return id;
}

type Own = { id: string; county_code: string; org_id: string; org_path: string; held_on: string; version: number };

/** A session the writer may change: visible to them, organized in their subtree (else FS_TRAINING_ORGANIZER). */
async function ownTraining(tx: Tx, user: SessionUser, id: string): Promise<Own> {
  const vis = visibleSql(user, sql`t.id = ${id}`);
  const r = await tx.execute<Own>(sql`${vis} select t.id, t.county_code, t.org_id, og.path as org_path,
      to_char(t.held_on, 'YYYY-MM-DD') as held_on, t.version
    from t join orgs og on og.county_code = t.county_code and og.id = t.org_id`);
  const row = r.rows[0];
  if (!row) throw new AppError('NOT_FOUND');
  if (!organizerInScope(user, row.org_path)) throw new AppError('FS_TRAINING_ORGANIZER');
  await tx.execute(
    sql`select 1 from fs_trainings where county_code = ${row.county_code} and id = ${row.id} for update`,
  );
  return row;
}

export async function patchTraining(
  tx: Tx,
  deps: Deps,
  user: SessionUser,
  actor: Actor,
  id: string,
  body: z.infer<typeof trainingPatch>,
): Promise<void> {
  const t = await ownTraining(tx, user, id);
  const now = await tx.execute<{ version: number }>(
    sql`select version from fs_trainings where county_code = ${t.county_code} and id = ${t.id}`,
  );
  if (Number(now.rows[0].version) !== body.version) throw new AppError('CONFLICT', '该记录已被他人修改，请刷新后重试');
  checkHead(deps, body.title, body.heldOn);
  if (body.heldOn && body.heldOn > todayOf(deps)) {
    const recorded = await tx.execute(sql`select 1 from fs_training_attendance where county_code = ${t.county_code}
      and training_id = ${t.id} and status <> ${CALLED} limit 1`);
    if (recorded.rows.length) throw new AppError('FS_TRAINING_RECORDED');
  }
  const { sets, changed } = patchSets(body, {
    kind: 'kind',
    title: 'title',
    heldOn: 'held_on',
    place: 'place',
    hours: 'hours',
    content: 'content',
  });
  let added = 0;
  let removed = 0;
  if (body.fsIds) {
    const org = await tx.execute<{ path: string }>(
      sql`select path from orgs where county_code = ${t.county_code} and id = ${t.org_id}`,
    );
    const ids = await checkPeople(tx, { countyCode: t.county_code, path: org.rows[0].path }, body.fsIds);
    const del = await tx.execute(sql`delete from fs_training_attendance where county_code = ${t.county_code}
      and training_id = ${t.id} and not (fs_id = any(${uuidArray(ids)}))`);
    removed = del.rowCount ?? 0;
    const ins = await tx.execute(sql`insert into fs_training_attendance (county_code, training_id, fs_id, status)
      select ${t.county_code}, ${t.id}, x, ${CALLED} from unnest(${uuidArray(ids)}) as x
      on conflict (county_code, training_id, fs_id) do nothing`);
    added = ins.rowCount ?? 0;
    if (added || removed) changed.push('fsIds');
  }
  if (!changed.length) return;
  await tx.execute(sql`update fs_trainings set ${sql.join([...sets, sql`version = version + 1`], sql`, `)}, updated_at = now()
    where county_code = ${t.county_code} and id = ${t.id}`);
  await writeAudit(tx, deps.crypto, actor, [
    {
      action: 'fs.trainingEdit',
      objectType: 'fsTraining',
      objectId: t.id,
      detail: { fields: changed, added, removed },
    },
  ]);
}

/** Record who came (only on or after the day, only people called); entries not given keep theirs. */
export async function recordAttendance(
  tx: Tx,
  deps: Deps,
  user: SessionUser,
  actor: Actor,
  id: string,
  body: z.infer<typeof attendanceBody>,
): Promise<void> {
  const t = await ownTraining(tx, user, id);
  if (t.held_on > todayOf(deps)) throw new AppError('FS_TRAINING_NOT_HELD');
  const called = await tx.execute<{ fs_id: string }>(sql`select fs_id from fs_training_attendance
    where county_code = ${t.county_code} and training_id = ${t.id}`);
  const known = new Set(called.rows.map((r) => r.fs_id));
  const last = new Map(body.entries.map((e) => [e.fsId, e]));
  const strangers = [...last.keys()].filter((k) => !known.has(k)).length;
  if (strangers)
    throw new AppError(
      'FS_TRAINING_NOT_CALLED',
      `有 ${strangers} 人不在通知参加的名单中，只能记录通知参加的人员的出勤`,
    );
  for (const e of last.values())
    await tx.execute(sql`update fs_training_attendance set status = ${e.status}, note = ${e.note || null}
      where county_code = ${t.county_code} and training_id = ${t.id} and fs_id = ${e.fsId}`);
  const counts: Record<string, number> = {};
  for (const e of last.values()) counts[e.status] = (counts[e.status] ?? 0) + 1;
  await writeAudit(tx, deps.crypto, actor, [
    {
      action: 'fs.trainingAttendance',
      objectType: 'fsTraining',
      objectId: t.id,
      detail: { entries: last.size, ...counts },
    },
  ]);
}

/** One person's sessions in a year, for the yearly score. */
export interface TrainingTally {
  /** Sessions held in the year (up to the day asked) the person was called to. */
  called: number;
  present: number;
  leave: number;
  absent: number;
  /** Called but not yet recorded. */
  unrecorded: number;
  /** Hours of the sessions attended (present). */
  hours: number;
}

/**
 * Per person: the sessions of `year` held on or before `until` (default the year's end) they were called
 * to, and whether they came. Everyone asked is in the answer (zeros when never called).
 */
export async function trainingAttendance(
  tx: Tx,
  county: string,
  fsIds: readonly string[],
  year: number,
  until?: string,
): Promise<Map<string, TrainingTally>> {
  const out = new Map<string, TrainingTally>(
    fsIds.map((id) => [id, { called: 0, present: 0, leave: 0, absent: 0, unrecorded: 0, hours: 0 }]),
  );
  if (!fsIds.length) return out;
  const end = until && until < `${year}-12-31` ? until : `${year}-12-31`;
  const r = await tx.execute<{ fs_id: string; status: string; n: number; hours: string | null }>(sql`
    select a.fs_id, a.status, count(*)::int as n, sum(t.hours)::text as hours
    from fs_training_attendance a join fs_trainings t on t.county_code = a.county_code and t.id = a.training_id
    where a.county_code = ${county} and a.fs_id = any(${uuidArray([...fsIds])})
      and t.held_on between ${`${year}-01-01`}::date and ${end}::date
    group by a.fs_id, a.status`);
  for (const x of r.rows) {
    const v = out.get(x.fs_id);
    if (!v) continue;
    const n = Number(x.n);
    v.called += n;
    if (x.status === 'present') {
      v.present += n;
      v.hours += Number(x.hours ?? 0);
    } else if (x.status === 'leave') v.leave += n;
    else if (x.status === 'absent') v.absent += n;
    else v.unrecorded += n;
  }
  return out;
}
