/**
 * The county's management systems for first secretaries (七项管理制度, issue 20; speech.md §3): the
 * county's own list in order, or — while it has recorded none — the seven the county plan names
 * (contract/labels.ts FS_DEFAULT_SYSTEMS) with no text, marked as defaults. Read by everyone holding
 * firstsec.read (first secretaries on the phone too); replaced as a whole by the county's own accounts
 * only (a township reads them), in one transaction, audited.
 */
import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { systemsBody, systemsView } from '../../../contract/firstsec-trainings.ts';
import { FS_DEFAULT_SYSTEMS } from '../../../contract/labels.ts';
import type { Tx } from '../../db/index.ts';
import { pathIds } from '../../platform/access.ts';
import { type Actor, writeAudit } from '../../platform/audit.ts';
import type { Deps, SessionUser } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';

type View = z.infer<typeof systemsView>;

/** The county's own accounts: the organization at the county's root, holding firstsec.manage. */
const isCounty = (user: SessionUser) => user.permissions.has('firstsec.manage') && pathIds(user.scopePath).length === 1;

export async function getSystems(tx: Tx, user: SessionUser): Promise<View> {
  const r = await tx.execute<{
    ord: number;
    name: string;
    content: string;
    updated_at: Date | string | null;
    updated_by_name: string | null;
  }>(sql`select s.ord, s.name, s.content, s.updated_at, u.display_name as updated_by_name
    from fs_systems s left join users u on u.county_code = s.county_code and u.id = s.updated_by
    where s.county_code = ${user.countyCode} order by s.ord`);
  const can = { edit: isCounty(user) };
  if (!r.rows.length)
    return {
      items: FS_DEFAULT_SYSTEMS.map((name, i) => ({ ord: i + 1, name, content: '' })),
      defaults: true,
      updatedAt: null,
      updatedByName: null,
      can,
    };
  // The newest change names when and by whom the list was last replaced.
  const newest = r.rows.reduce((a, b) => (new Date(b.updated_at ?? 0) > new Date(a.updated_at ?? 0) ? b : a));
  return {
    items: r.rows.map((x) => ({ ord: Number(x.ord), name: x.name, content: x.content })),
    defaults: false,
    updatedAt: newest.updated_at ? new Date(newest.updated_at).toISOString() : null,
    updatedByName: newest.updated_by_name,
    can,
  };
}

/** Replace the county's list (an empty list returns to the defaults). */
export async function putSystems(
  tx: Tx,
  deps: Deps,
  user: SessionUser,
  actor: Actor,
  body: z.infer<typeof systemsBody>,
): Promise<void> {
  if (!isCounty(user)) throw new AppError('FS_SYSTEMS_COUNTY');
  const names = body.items.map((i) => i.name);
  if (new Set(names).size !== names.length) throw new AppError('FS_SYSTEMS_DUPLICATE');
  // One writer at a time per county: the county's row of counties would do, but the list itself is locked.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`fs_systems:${user.countyCode}`}))`);
  const before = await tx.execute<{ name: string }>(
    sql`select name from fs_systems where county_code = ${user.countyCode} order by ord`,
  );
  await tx.execute(sql`delete from fs_systems where county_code = ${user.countyCode}`);
  for (const [i, item] of body.items.entries())
    await tx.execute(sql`insert into fs_systems (county_code, ord, name, content, updated_by)
      values (${user.countyCode}, ${i + 1}, ${item.name}, ${item.content}, ${user.id})`);
  await writeAudit(tx, deps.crypto, actor, [
    {
      action: 'fs.systems',
      objectType: 'county',
      objectId: user.countyCode,
      detail: { before: before.rows.map((x) => x.name), after: names },
    },
  ]);
}
