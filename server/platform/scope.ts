/**
 * Organization-subtree scope (SEC-8): one place that says what a user may see. Every query that
 * touches organizations or members filters with these; anything outside answers 404.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../db/index.ts';
import type { SessionUser } from './deps.ts';
import { AppError } from './errors.ts';

/** SQL condition: the org alias `o` lies in the user's subtree. */
export function orgInScopeSql(user: Pick<SessionUser, 'scopePath'>, alias = 'o'): SQL {
  return sql`${sql.raw(alias)}.path like ${`${escapeLike(user.scopePath)}%`}`;
}

export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export interface ScopedOrg {
  id: string;
  path: string;
  name: string;
  kind: string;
  field: string | null;
  countyCode: string;
  parentId: string | null;
  status: string;
  depth: number;
}

/** Load an organization the user may see, or answer 404 as if it did not exist. */
export async function orgInScope(tx: Tx, user: Pick<SessionUser, 'scopePath'>, id: string): Promise<ScopedOrg> {
  const res = await tx.execute<Record<string, unknown>>(sql`
    select id, path, name, kind, field, county_code, parent_id, status, depth from orgs o where o.id = ${id} and ${orgInScopeSql(user)}`);
  const r = res.rows[0];
  if (!r) throw new AppError('NOT_FOUND');
  return {
    id: String(r.id),
    path: String(r.path),
    name: String(r.name),
    kind: String(r.kind),
    field: (r.field as string) ?? null,
    countyCode: String(r.county_code),
    parentId: (r.parent_id as string) ?? null,
    status: String(r.status),
    depth: Number(r.depth),
  };
}
