/**
 * Access in one place (SEC-8, SEC-10): what a user may see and who may sit where. Every query on a
 * county table carries the county (`county_code = …`: under Citus it routes the query to one shard,
 * and on one server it keeps one county's accounts out of another's rows) and, for organizations and
 * what hangs off them, the user's subtree. Services use these helpers instead of writing
 * `path like` or `county_code =` by hand; an object outside answers 404.
 *
 * Which roles may sit where and who may grant them is `role-policy.ts`, re-exported here.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../db/index.ts';
import type { SessionUser } from './deps.ts';
import { AppError } from './errors.ts';

export {
  type AccountChange,
  accountChangeProblems,
  BRANCH_KINDS,
  dualControlChange,
  type Granter,
  isPrivileged,
  needsDualControl,
  PRIVILEGED_ROLES,
  type RoleAssignment,
  roleAssignmentProblems,
} from './role-policy.ts';

/** Who is asking, as far as scope goes: their county and their organization's path. */
export type Scope = Pick<SessionUser, 'countyCode' | 'scopePath'>;

/** An organization's place: its county and path (a subtree is everything under that path in that county). */
export interface Place {
  countyCode: string;
  path: string;
}

export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

const alias = (a: string) => sql.raw(/^[a-z_][a-z0-9_]*$/.test(a) ? a : '"invalid alias"');

/** `alias.county_code = <county>`: the filter every query on a county table carries. */
export function inCounty(county: string | Pick<SessionUser, 'countyCode'>, a: string): SQL {
  return sql`${alias(a)}.county_code = ${typeof county === 'string' ? county : county.countyCode}`;
}

/**
 * The organization `alias` (default `o`) lies in the subtree of `place`, in its county.
 *
 * Below a county's root (the usual scope of a county's office) that is the whole county when it has
 * no other root, said first as an init plan the executor answers once (issue 21). The planner takes a
 * county's share of the organizations and the root's path prefix for independent, though the prefix
 * holds exactly the county's rows: among ten counties it expected 38 of 1,443 organizations and read
 * the county's results once per organization (×3.4 the compliance view's time alone, ×1.8 the
 * statistics'), among a hundred it would expect one. The OR is estimated apart from the county's share.
 */
export function inSubtree(place: Place, a = 'o'): SQL {
  const o = alias(a);
  const under = sql`${o}.path like ${`${escapeLike(place.path)}%`}`;
  if (pathIds(place.path).length !== 1) return sql`(${o}.county_code = ${place.countyCode} and ${under})`;
  const onlyRoot = sql`(select not exists (select 1 from orgs sub_root where sub_root.county_code = ${place.countyCode} and sub_root.parent_id is null and sub_root.path <> ${place.path}))`;
  return sql`(${o}.county_code = ${place.countyCode} and (${onlyRoot} or ${under}))`;
}

/** SQL condition: the organization `alias` (default `o`) lies in the user's county and subtree. */
export function orgInScopeSql(user: Scope, a = 'o'): SQL {
  return inSubtree({ countyCode: user.countyCode, path: user.scopePath }, a);
}

/**
 * `join orgs <org> on <org>.county_code = <row>.county_code and <org>.id = <row>.<column>`: a row's
 * organization, joined on the county as Citus co-location needs (and so an index on the key serves).
 */
export function joinOrg(row: string, org = 'o', column = 'org_id', kind: 'join' | 'left join' = 'join'): SQL {
  return sql`${sql.raw(kind)} orgs ${alias(org)} on ${alias(org)}.county_code = ${alias(row)}.county_code and ${alias(org)}.id = ${alias(row)}.${alias(column)}`;
}

// ── Tree paths ('/county/township/village/'): all arithmetic on them lives here (issue 17 §2). ──

/** The organization ids along a path, from the root down to the organization itself. */
export function pathIds(path: string): string[] {
  return path.split('/').filter(Boolean);
}

/** The path of the ancestor at `depth` (0 = the county's root) of the organization at `path`, or the path itself when it is not that deep. */
export function ancestorPath(path: string, depth: number): string {
  const ids = pathIds(path);
  return `/${ids.slice(0, Math.min(ids.length, depth + 1)).join('/')}/`;
}

/** Whether the organization at `path` lies in the subtree at `ancestor` (itself included). */
export function isWithin(path: string, ancestor: string): boolean {
  return path.startsWith(ancestor);
}

/** The path of a new child `id` of the organization at `parentPath`. */
export function childPath(parentPath: string, id: string): string {
  return `${parentPath}${id}/`;
}

/** SQL: the path organization `a` must have as the child of organization `b` (aliases of orgs). */
export function childPathSql(a: string, b: string): SQL {
  return sql`(${sql.raw(b)}.path || ${sql.raw(a)}.id || '/')`;
}

/** The path of the deepest organization whose subtree holds every one of `paths` ('/' when they share no root). */
export function commonPath(paths: readonly string[]): string {
  let common = paths[0] ?? '/';
  for (const p of paths)
    while (!isWithin(p, common)) common = common.slice(0, common.lastIndexOf('/', common.length - 2) + 1);
  return common;
}

/** SQL: organization `a` lies in the subtree of organization `b` (both aliases of orgs, same county; `a = b` included). */
export function underSql(a: string, b: string): SQL {
  return sql`(${alias(a)}.county_code = ${alias(b)}.county_code and ${underPathSql(a, sql`${alias(b)}.path`)})`;
}

/**
 * `underSql` said also as the range the path's `text_pattern_ops` index reads (`b`'s path up to the
 * next path after its subtree): for a statement run once per organization `b`, where a pattern taken
 * from a column would read every organization of the county.
 */
export function underIndexedSql(a: string, b: string): SQL {
  const A = alias(a);
  const B = alias(b);
  return sql`(${A}.county_code = ${B}.county_code and ${pathRangeSql(a, b)} and ${A}.path like ${B}.path || '%')`;
}

/**
 * SQL: the path of organization `a` lies in the range of `b`'s subtree (from `b`'s path to the next
 * path after its subtree: '0' follows '/'), the comparison the `text_pattern_ops` index reads. Exactly
 * the subtree; the caller has compared the counties.
 */
export function pathRangeSql(a: string, b: string): SQL {
  const A = alias(a);
  const B = alias(b);
  return sql`${A}.path ~>=~ ${B}.path and ${A}.path ~<~ (left(${B}.path, -1) || '0')`;
}

/**
 * SQL: organization `a` lies under the path `path` (an SQL expression — a column or a parameter —
 * naming a path of `a`'s county; the caller has compared the counties).
 */
export function underPathSql(a: string, path: SQL): SQL {
  return sql`${alias(a)}.path like ${path} || '%'`;
}

/** SQL: organization `a` is on the path of organization `b`: one of its ancestors or `b` itself (same county). */
export function ancestorOfSql(a: string, b: string): SQL {
  return sql`(${alias(a)}.county_code = ${alias(b)}.county_code and ${alias(a)}.id = any(string_to_array(trim(both '/' from ${alias(b)}.path), '/')::uuid[]))`;
}

/** SQL: the id of the ancestor at `depth` (0 = root) of organization `a`, null when it is not that deep. */
export function ancestorIdSql(a: string, depth: number): SQL {
  return sql`case when ${alias(a)}.depth >= ${depth} then split_part(${alias(a)}.path, '/', ${depth + 2})::uuid end`;
}

/**
 * SQL: the rows of `a` (a child table: attendance, decisions, evidence of a meeting…) that belong to a
 * parent row: one already loaded through the scope helpers (its county and id), or the row of the
 * alias `parent` in the same statement (a count per meeting in a list). A child row is never read by
 * its parent's id alone.
 */
export function childOf(parent: { countyCode: string; id: string } | string, a: string, column: string): SQL {
  if (typeof parent === 'string')
    return sql`(${alias(a)}.county_code = ${alias(parent)}.county_code and ${alias(a)}.${alias(column)} = ${alias(parent)}.id)`;
  return sql`(${alias(a)}.county_code = ${parent.countyCode} and ${alias(a)}.${alias(column)} = ${parent.id})`;
}

/** `<a>.county_code = <b>.county_code`: two rows of the same county (for joins written out by hand). */
export function sameCounty(a: string, b: string): SQL {
  return sql`${alias(a)}.county_code = ${alias(b)}.county_code`;
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

/** Load an organization the user may see, or answer 404 as if it did not exist (SEC-8). */
export async function requireOrgAccess(tx: Tx, user: Scope, id: string): Promise<ScopedOrg> {
  const res = await tx.execute<Record<string, unknown>>(sql`
    select id, path, name, kind, field, county_code, parent_id, status, depth from orgs o where ${orgInScopeSql(user)} and o.id = ${id}`);
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

/** The former name of `requireOrgAccess`. */
export const orgInScope = requireOrgAccess;
