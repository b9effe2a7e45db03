/** Connection pool, drizzle handle and migrations. Queries take an executor (`Db`) as a parameter. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Query, SQL, StringChunk, sql } from 'drizzle-orm';
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
 * The text and parameters of a statement made only of text, nested `sql` fragments and plain values
 * (strings, numbers, booleans, null, dates), exactly as drizzle's `sqlToQuery` gives them, in a
 * fraction of its time: drizzle's builder tests every chunk against a dozen entity kinds, 20–40 µs
 * for a hot read's statement, which every request built anew (issue 6 §4). Anything else (columns,
 * tables, arrays, placeholders, inlined parameters) returns undefined and is left to drizzle.
 */
export function plainQuery(query: SQL): Query | undefined {
  const params: unknown[] = [];
  let text = '';
  const walk = (s: SQL): boolean => {
    if ((s as unknown as { shouldInlineParams: boolean }).shouldInlineParams) return false;
    for (const c of s.queryChunks as unknown[]) {
      if (c instanceof StringChunk) text += c.value.join('');
      else if (c instanceof SQL) {
        if (!walk(c)) return false;
      } else if (
        c === null ||
        typeof c === 'string' ||
        typeof c === 'number' ||
        typeof c === 'boolean' ||
        c instanceof Date
      ) {
        params.push(c);
        text += `$${params.length}`;
      } else if (c !== undefined) return false;
    }
    return true;
  };
  return walk(query) ? { sql: text, params } : undefined;
}

/** The type parsers drizzle's `execute` uses: dates, times and intervals (and their arrays, and numeric[]) as PostgreSQL's text. */
const TEXT_TYPES = new Set([1082, 1114, 1184, 1186, 1182, 1115, 1185, 1187, 1231]);
const asText = (v: string) => v;
const EXECUTE_TYPES = {
  getTypeParser: ((id: number, format?: 'text' | 'binary') =>
    TEXT_TYPES.has(id) ? asText : pg.types.getTypeParser(id, format)) as typeof pg.types.getTypeParser,
};

/**
 * Run a hot read as a named (server-side prepared) statement: each connection has PostgreSQL parse
 * and analyze it once, and after five runs it may keep one generic plan instead of planning every
 * time. Planning was most of PostgreSQL's work for the session lookup and the detail reads (issue 6
 * §4, bench/README.md). Only for statements whose text is fixed and whose plan does not hinge on the
 * values: lookups by primary key or unique hash; never a search whose `like 'abc%'` needs the value
 * to use an index. Sent straight to node-postgres (on the pool, or on the transaction's client) with
 * the type parsing of drizzle's `execute`, so the rows are what `execute` returns.
 */
export async function executeNamed<T extends Record<string, unknown>>(
  tx: Tx,
  label: string,
  query: SQL,
): Promise<{ rows: T[]; rowCount: number | null }> {
  const q = plainQuery(query) ?? dialect.sqlToQuery(query);
  let name = statementNames.get(q.sql);
  if (name === undefined && statementNames.size < MAX_NAMED) {
    name = `dj_${label}_${statementNames.size}`;
    statementNames.set(q.sql, name);
  }
  const client = (tx as unknown as { _: { session: { client: pg.Pool | pg.PoolClient } } })._.session.client;
  const res = await client.query<T>({ name, text: q.sql, values: q.params, types: EXECUTE_TYPES });
  return { rows: res.rows, rowCount: res.rowCount };
}

/**
 * Fresh planner statistics after a bulk write the platform made itself (an import of thousands of
 * rows, a county's first rules run, a restore: issue 21), through the owner's `dangjian_analyze`
 * (db/roles.ts), which the app role may execute; null: every table. Outside a transaction: ANALYZE
 * holds its lock to the end of the one it runs in.
 */
export async function analyzeTables(db: Tx, tables: readonly string[] | null): Promise<void> {
  await db.execute(sql`select dangjian_analyze(${tables === null ? null : sql.param([...tables])}::text[])`);
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
  // A client checked out between two statements (inside a transaction) when the server goes away
  // (a stop, a restart, the embedded server stopping on SIGTERM) emits 'error' with nobody listening,
  // which would end the process; the error reaches its caller through the next statement anyway.
  pool.on('connect', (client) => {
    client.on('error', () => {});
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
