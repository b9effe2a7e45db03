/** Connection pool, drizzle handle and migrations. Queries take an executor (`Db`) as a parameter. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SQL } from 'drizzle-orm';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { PgDialect } from 'drizzle-orm/pg-core';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import * as schema from './schema.ts';

// DATE columns come back as 'YYYY-MM-DD' strings, never shifted by the process time zone.
pg.types.setTypeParser(1082, (v) => v);
// bigint counts as numbers (they stay far below 2^53 here).
pg.types.setTypeParser(20, (v) => Number(v));

export type Db = NodePgDatabase<typeof schema>;
/** An executor: the database or a transaction inside it. */
export type Tx = Db | Parameters<Parameters<Db['transaction']>[0]>[0];

const dialect = new PgDialect();
/** Statement text → its name; bounded so a statement whose text varied could not grow it without end. */
const statementNames = new Map<string, string>();
const MAX_NAMED = 200;

/**
 * Run a hot read as a named (server-side prepared) statement: each connection has PostgreSQL parse
 * and analyze it once, and after five runs it may keep one generic plan instead of planning every
 * time. Planning was most of PostgreSQL's work for the session lookup and the detail reads (issue 6
 * §4, bench/README.md). Only for statements whose text is fixed and whose plan does not hinge on the
 * values: lookups by primary key or unique hash; never a search whose `like 'abc%'` needs the value
 * to use an index. The result is what `execute` returns (same type parsing, through drizzle).
 */
export async function executeNamed<T extends Record<string, unknown>>(tx: Tx, label: string, query: SQL): Promise<{ rows: T[]; rowCount: number | null }> {
  const q = dialect.sqlToQuery(query);
  let name = statementNames.get(q.sql);
  if (name === undefined && statementNames.size < MAX_NAMED) {
    name = `dj_${label}_${statementNames.size}`;
    statementNames.set(q.sql, name);
  }
  return (await tx._.session.prepareQuery(q, undefined, name, false).execute()) as { rows: T[]; rowCount: number | null };
}

export interface Database {
  pool: pg.Pool;
  db: Db;
  close(): Promise<void>;
}

export function connect(url: string, max = 10): Database {
  const pool = new pg.Pool({ connectionString: url, max, idleTimeoutMillis: 30_000 });
  pool.on('error', () => {
    /* a dropped idle client is replaced on next use */
  });
  const db = drizzle(pool, { schema });
  return { pool, db, close: () => pool.end() };
}

const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Bring the schema to the newest migration; extensions first (they need no migration history). */
export async function runMigrations(database: Database): Promise<void> {
  await database.pool.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
  await migrate(database.db, { migrationsFolder });
}

/** Make sure a database exists on the server behind `adminUrl` and return a URL pointing at it. */
export async function ensureDatabase(adminUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name.replace(/"/g, '')}" ENCODING 'UTF8' TEMPLATE template0`);
  } finally {
    await client.end();
  }
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}
