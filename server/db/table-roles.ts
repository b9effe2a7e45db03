/**
 * The role of every table under Citus (engineering.md "Scale path", docs/SCALE.md): distributed by
 * `county_code`, a reference table (copied to every node), or local (kept on the coordinator). One
 * declaration used by the catalog check (`tableRoleProblems`, run by server/test/scale.catalog.test.ts
 * against the live database), by docs/SCALE.md (checked to match) and by the Citus statements.
 */

import type { TableDecl, TableRole } from '../modules/module.ts';
import { MODULES } from '../modules/registry.ts';

export type { TableRole };
export type TableDeclaration = TableDecl;

/** The platform's own tables (server/db/schema.ts); each module declares its tables in its manifest. */
const PLATFORM_TABLES: Record<string, TableDeclaration> = {
  audit_log: {
    role: 'distributed',
    reason:
      'one hash chain and one lock per county, so counties never wait on each other; auditors read their own county',
    parents: ['users', 'orgs'],
  },
  settings: {
    role: 'distributed',
    reason: 'county-editable numbers and switches over the platform defaults (SETTING_DEFAULTS in code)',
  },
  sessions: {
    role: 'distributed',
    reason:
      "the cookie names the account's county, so a request reads its session with the account and its organization in one statement on one shard; touched at most once a minute",
    transient: true,
  },
  rate_limits: {
    role: 'local',
    reason: 'counters per IP or account, written on every counted request; coordinator only',
    transient: true,
  },
  platform_meta: {
    role: 'local',
    reason: 'facts of the installation: its own division code, the counties it serves, seed state',
  },
  job_runs: {
    role: 'local',
    reason:
      "runs of the installation's scheduled jobs (one instance claims each slot) and of CLI backups; not a county's",
    transient: true,
  },
};

/** Every table in the `public` schema: the platform's and the modules'. A table missing here fails the catalog test. */
export const TABLE_ROLES: Record<string, TableDeclaration> = Object.assign(
  {},
  PLATFORM_TABLES,
  ...MODULES.map((m) => ('tables' in m ? m.tables : {})),
);

/** The distribution column of every distributed table. */
export const DISTRIBUTION_COLUMN = 'county_code';

/** Distributed tables are co-located with this one (joins between them stay on one node). */
export const COLOCATE_WITH = 'orgs';

/** The Citus calls that turn this schema into a distributed one (docs/SCALE.md lists them). */
export function citusStatements(): string[] {
  const out: string[] = [];
  for (const [name, d] of Object.entries(TABLE_ROLES))
    if (d.role === 'reference') out.push(`SELECT create_reference_table('${name}');`);
  out.push(`SELECT create_distributed_table('${COLOCATE_WITH}', '${DISTRIBUTION_COLUMN}');`);
  for (const [name, d] of Object.entries(TABLE_ROLES)) {
    if (d.role === 'distributed' && name !== COLOCATE_WITH)
      out.push(
        `SELECT create_distributed_table('${name}', '${DISTRIBUTION_COLUMN}', colocate_with => '${COLOCATE_WITH}');`,
      );
  }
  return out;
}

/** Anything that can run a query (a pg Pool or Client). */
interface Runner {
  query<R extends Record<string, unknown>>(text: string): Promise<{ rows: R[] }>;
}

/**
 * Every way the live catalog breaks the declared roles, in words; empty when it keeps them.
 * Distributed: `county_code char(6) NOT NULL`, in the primary key and every unique index, and every
 * foreign key between distributed tables pairs `county_code` with `county_code`. Reference: no
 * `county_code`, and no foreign key to a distributed or local table. Local: nothing outside the
 * local tables references it, and it references no distributed table.
 */
export async function tableRoleProblems(
  db: Runner,
  roles: Record<string, TableDeclaration> = TABLE_ROLES,
): Promise<string[]> {
  const problems: string[] = [];
  const tables = (
    await db.query<{ name: string }>(
      `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition order by 1`,
    )
  ).rows.map((r) => r.name);
  for (const t of tables)
    if (!roles[t])
      problems.push(`table ${t} has no declared role in server/db/table-roles.ts (distributed, reference or local)`);
  for (const t of Object.keys(roles))
    if (!tables.includes(t)) problems.push(`table ${t} is declared but does not exist`);
  const role = (t: string): TableRole | undefined => roles[t]?.role;

  const cols = (
    await db.query<{ table_name: string; data_type: string; char_len: number | null; is_nullable: string }>(
      `select table_name, data_type, character_maximum_length as char_len, is_nullable from information_schema.columns
       where table_schema = 'public' and column_name = '${DISTRIBUTION_COLUMN}'`,
    )
  ).rows;
  const countyCol = new Map(cols.map((c) => [c.table_name, c]));
  for (const t of tables) {
    const c = countyCol.get(t);
    if (role(t) === 'distributed') {
      if (!c) problems.push(`distributed table ${t} has no ${DISTRIBUTION_COLUMN} column`);
      else {
        if (c.is_nullable !== 'NO')
          problems.push(`distributed table ${t}: ${DISTRIBUTION_COLUMN} is nullable (must be NOT NULL)`);
        if (c.data_type !== 'character' || Number(c.char_len) !== 6)
          problems.push(
            `distributed table ${t}: ${DISTRIBUTION_COLUMN} is ${c.data_type}${c.char_len ? `(${c.char_len})` : ''}, must be char(6) (co-located tables share the distribution column type)`,
          );
      }
    }
    if (role(t) === 'reference' && c)
      problems.push(
        `reference table ${t} has a ${DISTRIBUTION_COLUMN} column (per-county rows belong in a distributed table)`,
      );
  }

  const indexes = (
    await db.query<{ table_name: string; index_name: string; primary: boolean; has_county: boolean }>(
      `select c.relname as table_name, i.relname as index_name, ix.indisprimary as primary,
         coalesce(a.attnum = any(ix.indkey::int2[]), false) as has_county
       from pg_index ix
       join pg_class c on c.oid = ix.indrelid
       join pg_class i on i.oid = ix.indexrelid
       join pg_namespace n on n.oid = c.relnamespace
       left join pg_attribute a on a.attrelid = c.oid and a.attname = '${DISTRIBUTION_COLUMN}' and not a.attisdropped
       where n.nspname = 'public' and (ix.indisunique or ix.indisprimary)`,
    )
  ).rows;
  for (const t of tables.filter((x) => role(x) === 'distributed')) {
    const own = indexes.filter((i) => i.table_name === t);
    if (!own.some((i) => i.primary)) problems.push(`distributed table ${t} has no primary key`);
    for (const i of own) {
      if (!i.has_county)
        problems.push(
          `distributed table ${t}: ${i.primary ? 'primary key' : 'unique index'} ${i.index_name} does not include ${DISTRIBUTION_COLUMN} (Citus needs the distribution column in every unique constraint)`,
        );
    }
  }

  const fks = (
    await db.query<{ name: string; table_name: string; ref_table: string; cols: string[]; ref_cols: string[] }>(
      `select con.conname as name, c.relname as table_name, f.relname as ref_table,
         array(select a.attname::text from unnest(con.conkey) with ordinality k(attnum, ord) join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.attnum order by k.ord) as cols,
         array(select a.attname::text from unnest(con.confkey) with ordinality k(attnum, ord) join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.attnum order by k.ord) as ref_cols
       from pg_constraint con
       join pg_class c on c.oid = con.conrelid
       join pg_class f on f.oid = con.confrelid
       join pg_namespace n on n.oid = c.relnamespace
       where con.contype = 'f' and n.nspname = 'public'`,
    )
  ).rows;
  for (const fk of fks) {
    const from = role(fk.table_name);
    const to = role(fk.ref_table);
    const what = `foreign key ${fk.name} (${fk.table_name} → ${fk.ref_table})`;
    if (from === 'distributed' && to === 'distributed') {
      const i = fk.cols.indexOf(DISTRIBUTION_COLUMN);
      if (i < 0 || fk.ref_cols[i] !== DISTRIBUTION_COLUMN)
        problems.push(
          `${what} does not pair ${DISTRIBUTION_COLUMN} with ${DISTRIBUTION_COLUMN} (a foreign key between distributed tables must include the distribution column)`,
        );
    } else if (from === 'reference' && to === 'distributed')
      problems.push(`${what}: a reference table cannot reference a distributed table`);
    else if (to === 'local' && from !== 'local')
      problems.push(`${what}: a local table lives on the coordinator only; no other role may reference it`);
    else if (from === 'local' && to === 'distributed')
      problems.push(`${what}: a local table cannot reference a distributed table`);
  }
  return problems;
}
