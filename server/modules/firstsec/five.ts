/**
 * The "五个一" tracker (FS-3, issue 20): a person's year part by part from the rule's own count
 * (fiveones.ts), and the yearly parts recorded by hand — by the person or the roster's managers — and
 * confirmed by the township (an account of an organization above the posted one) or the county. Every
 * write is audited and announced, so FS-3 is re-checked in the same transaction.
 */
import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { fiveItemCreate, fiveItemView, fiveView } from '../../../contract/firstsec-five.ts';
import { FS_FIVE_STATES, type FsFiveKind, TWO_NEW_FIELDS } from '../../../contract/labels.ts';
import type { Tx } from '../../db/index.ts';
import { inCounty, orgInScopeSql, pathIds } from '../../platform/access.ts';
import { type Actor, writeAudit } from '../../platform/audit.ts';
import type { Deps, SessionUser } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { type FiveRow, fiveSql, yearSpans } from './fiveones.ts';
import { announce, fsRow, ownOnly, todayOf } from './service.ts';

type Posting = {
  id: string;
  name: string;
  role: string;
  org_id: string;
  org_path: string;
  field: string | null;
  user_id: string | null;
  start_date: string;
  ended_on: string | null;
};

async function posting(tx: Tx, user: SessionUser, id: string, lock = false): Promise<Posting> {
  await fsRow(tx, user, id, lock);
  const r = await tx.execute<Posting>(sql`select f.id, f.name, f.role, f.org_id, o.path as org_path, o.field, f.user_id,
      to_char(f.start_date, 'YYYY-MM-DD') as start_date, to_char(f.ended_on, 'YYYY-MM-DD') as ended_on
    from first_secretaries f join orgs o on o.county_code = f.county_code and o.id = f.org_id
    where ${inCounty(user, 'f')} and f.id = ${id}`);
  return r.rows[0];
}

const applies = (p: Posting) =>
  p.role === 'instructor' ||
  (p.role === 'firstSecretary' && (TWO_NEW_FIELDS as readonly string[]).includes(p.field ?? ''));

/** The township (an organization above the posted one) or the county confirms. */
function mayConfirm(user: SessionUser, orgPath: string, orgId: string): boolean {
  return user.permissions.has('firstsec.approve') && user.orgId !== orgId && pathIds(orgPath).includes(user.orgId);
}

/** The person themselves, or a manager of the roster whose scope holds the posting. */
const mayRecord = (user: SessionUser, p: Posting) => p.user_id === user.id || user.permissions.has('firstsec.manage');

type ItemRow = {
  id: string;
  fs_id: string;
  kind: FsFiveKind;
  done_on: string;
  title: string;
  body: string;
  created_by: string;
  created_by_name: string | null;
  confirmed_by_name: string | null;
  confirmed_at: Date | null;
  org_id: string;
  org_path: string;
  user_id: string | null;
};

const I_SELECT = sql`select i.id, i.fs_id, i.kind, to_char(i.done_on, 'YYYY-MM-DD') as done_on, i.title, i.body, i.created_by,
    cu.display_name as created_by_name, fu.display_name as confirmed_by_name, i.confirmed_at, f.org_id, o.path as org_path, f.user_id
  from fs_five_items i join first_secretaries f on f.county_code = i.county_code and f.id = i.fs_id
  join orgs o on o.county_code = f.county_code and o.id = f.org_id
  left join users cu on cu.county_code = i.county_code and cu.id = i.created_by
  left join users fu on fu.county_code = i.county_code and fu.id = i.confirmed_by`;

function itemView(user: SessionUser, r: ItemRow): z.infer<typeof fiveItemView> {
  const open = !r.confirmed_at;
  return {
    id: r.id,
    kind: r.kind,
    doneOn: r.done_on,
    title: r.title,
    body: r.body,
    createdByName: r.created_by_name,
    confirmedByName: r.confirmed_by_name,
    confirmedAt: r.confirmed_at ? new Date(r.confirmed_at).toISOString() : null,
    can: {
      confirm: open && mayConfirm(user, r.org_path, r.org_id),
      remove: open && (r.created_by === user.id || user.permissions.has('firstsec.manage')),
    },
  };
}

/** A person's year: every part's state, the items recorded, and what the reader may do. */
export async function fiveOf(
  tx: Tx,
  deps: Deps,
  user: SessionUser,
  id: string,
  year?: number,
): Promise<z.infer<typeof fiveView>> {
  const p = await posting(tx, user, id);
  const today = todayOf(deps);
  const y = year ?? Number(today.slice(0, 4));
  const rows = applies(p)
    ? (
        await tx.execute<FiveRow>(sql`${fiveSql(user.countyCode, { ids: [id] }, yearSpans(y), today)}
          select v.part, v.period, v.label, to_char(v.start_on, 'YYYY-MM-DD') as start_on, to_char(v.end_on, 'YYYY-MM-DD') as end_on,
            v.state, v.note from v order by case v.part when 'half' then 1 when 'quarter' then 2 else 3 end, v.start_on, v.part`)
      ).rows
    : [];
  const items = await tx.execute<ItemRow>(
    sql`${I_SELECT} where ${inCounty(user, 'i')} and i.fs_id = ${id} and extract(year from i.done_on) = ${y} order by i.done_on, i.created_at`,
  );
  const summary = Object.fromEntries(
    FS_FIVE_STATES.map((s) => [s, rows.filter((r) => r.state === s).length]),
  ) as Record<(typeof FS_FIVE_STATES)[number], number>;
  return {
    fsId: p.id,
    name: p.name,
    year: y,
    applies: applies(p),
    rows: rows.map((r) => ({
      part: r.part,
      period: r.period,
      label: r.label,
      startOn: r.start_on,
      endOn: r.end_on,
      state: r.state,
      note: r.note,
    })),
    items: items.rows.map((r) => itemView(user, r)),
    summary,
    can: { record: applies(p) && mayRecord(user, p) },
  };
}

export async function addFiveItem(
  tx: Tx,
  deps: Deps,
  user: SessionUser,
  actor: Actor,
  id: string,
  body: z.infer<typeof fiveItemCreate>,
): Promise<string> {
  const p = await posting(tx, user, id, true);
  if (!applies(p)) throw new AppError('FS_FIVE_NOT_TWO_NEW');
  if (!mayRecord(user, p)) throw new AppError('FORBIDDEN');
  if (body.doneOn > todayOf(deps)) throw new AppError('FS_FIVE_FUTURE');
  if (body.doneOn < p.start_date || (p.ended_on && body.doneOn >= p.ended_on))
    throw new AppError('FS_FIVE_OUTSIDE_TERM');
  const r = await tx.execute<{
    id: string;
  }>(sql`insert into fs_five_items (county_code, fs_id, kind, year, done_on, title, body, created_by)
    values (${user.countyCode}, ${id}, ${body.kind}, ${Number(body.doneOn.slice(0, 4))}, ${body.doneOn}, ${body.title}, ${body.body}, ${user.id})
    returning id`);
  const itemId = r.rows[0].id;
  await writeAudit(tx, deps.crypto, actor, [
    {
      action: 'fs.fiveItem',
      objectType: 'fsFiveItem',
      objectId: itemId,
      detail: { fsId: id, kind: body.kind, doneOn: body.doneOn },
    },
  ]);
  await announce(tx, deps, user.countyCode, [p.org_id], [body.doneOn], ['firstSecretaries'], user.id);
  return itemId;
}

async function itemRow(tx: Tx, user: SessionUser, itemId: string): Promise<ItemRow> {
  const r = await tx.execute<ItemRow>(
    sql`${I_SELECT} where ${inCounty(user, 'i')} and i.id = ${itemId} and ${orgInScopeSql(user)} and ${ownOnly(user)} for update of i`,
  );
  if (!r.rows[0]) throw new AppError('NOT_FOUND');
  return r.rows[0];
}

export async function confirmFiveItem(
  tx: Tx,
  deps: Deps,
  user: SessionUser,
  actor: Actor,
  itemId: string,
): Promise<{ fsId: string; year: number }> {
  const r = await itemRow(tx, user, itemId);
  if (!mayConfirm(user, r.org_path, r.org_id)) throw new AppError('FS_FIVE_NOT_YOURS');
  if (r.confirmed_at) throw new AppError('FS_FIVE_CONFIRMED');
  await tx.execute(sql`update fs_five_items set confirmed_by = ${user.id}, confirmed_at = now()
    where county_code = ${user.countyCode} and id = ${itemId}`);
  await writeAudit(tx, deps.crypto, actor, [
    { action: 'fs.fiveConfirm', objectType: 'fsFiveItem', objectId: itemId, detail: { fsId: r.fs_id, kind: r.kind } },
  ]);
  return { fsId: r.fs_id, year: Number(r.done_on.slice(0, 4)) };
}

export async function removeFiveItem(
  tx: Tx,
  deps: Deps,
  user: SessionUser,
  actor: Actor,
  itemId: string,
): Promise<{ fsId: string; year: number }> {
  const r = await itemRow(tx, user, itemId);
  if (!(r.created_by === user.id || user.permissions.has('firstsec.manage'))) throw new AppError('FORBIDDEN');
  if (r.confirmed_at) throw new AppError('FS_FIVE_CONFIRMED');
  await tx.execute(sql`delete from fs_five_items where county_code = ${user.countyCode} and id = ${itemId}`);
  await writeAudit(tx, deps.crypto, actor, [
    {
      action: 'fs.fiveRemove',
      objectType: 'fsFiveItem',
      objectId: itemId,
      detail: { fsId: r.fs_id, kind: r.kind, doneOn: r.done_on, title: r.title },
    },
  ]);
  await announce(tx, deps, user.countyCode, [r.org_id], [r.done_on], ['firstSecretaries'], user.id);
  return { fsId: r.fs_id, year: Number(r.done_on.slice(0, 4)) };
}
