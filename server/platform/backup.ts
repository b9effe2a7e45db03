/**
 * Online backup and restore inside the platform (engineering.md: the embedded server ships no pg_dump).
 * Keys are not in the archive (SEC-16): copy keys.json yourself.
 *
 * Backup: every table in one REPEATABLE READ snapshot while writes go on, read through a cursor a
 * page at a time (no table is held in memory) and written as gzip'd JSON lines: a header naming the
 * tables in their order, each table's rows in primary-key order, after each table its row count and
 * SM3 digest, and a closing manifest. The archive is written beside its final name and renamed when
 * complete. Tables go parents first (`TABLE_PARENTS`, plus any foreign key in the catalog), so the
 * order is stated here and never the alphabet's.
 *
 * Restore: into an empty database, in one transaction, streaming the archive line by line with
 * batched inserts. Rows are copied exactly as they were, derived columns included: the tables'
 * INSERT triggers (the organizations' member counts, migration 0003) are disabled for the
 * transaction, because the counts are already in the archived `orgs` rows and the triggers would
 * add every member a second time. Each table's count and digest are checked against the archive as
 * it arrives and again by reading the restored table back. Any error — a damaged line, a refused
 * row, a digest that differs, an archive cut short — rolls everything back and is reported in
 * Chinese with the table and the archive line.
 */
import fs from 'node:fs';
import readline from 'node:readline';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { drizzle } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import * as schema from '../db/schema.ts';
import { TABLE_ROLES } from '../db/table-roles.ts';
import { verifyAudit, writeAudit } from './audit.ts';
import type { Deps } from './deps.ts';
import { redactMessage } from './logging.ts';

const CLI_ACTOR = { userId: null, username: 'cli', roles: [], orgId: null, countyCode: null, ip: 'local', requestId: null };

/** Per-process state that a new database starts without: never backed up. */
export const TRANSIENT_TABLES = new Set(['sessions', 'rate_limits']);

/**
 * The tables whose rows each table's rows refer to (by id columns; the schema has no foreign keys
 * yet), from the tables' declarations (`parents` in a module's manifest, or the platform's in
 * server/db/table-roles.ts). Every backed-up table must be declared, so a new table gets its place on purpose. Rows that
 * refer to their own table (orgs.parent_id) are ordered inside the table: `ROW_ORDER_PREFIX`.
 */
export const TABLE_PARENTS: Record<string, string[]> = Object.fromEntries(
  Object.entries(TABLE_ROLES)
    .filter(([t]) => !TRANSIENT_TABLES.has(t))
    .map(([t, d]) => [t, [...(d.parents ?? [])]]),
);

/** Columns sorted before the primary key: an organization's parent (smaller depth) comes before it. */
const ROW_ORDER_PREFIX: Record<string, string[]> = { orgs: ['depth'] };

const ARCHIVE_VERSION = 2;
const FETCH_ROWS = 1000;
const INSERT_ROWS = 1000;
const INSERT_BYTES = 4 * 1024 * 1024;

/**
 * The tables in load order: each after the tables its rows refer to (`parents`), ties by name.
 * Throws for a table without an entry in `parents` and for a cycle.
 */
export function tableOrder(tables: string[], parents: Record<string, string[]>): string[] {
  const present = new Set(tables);
  const missing = tables.filter((t) => !(t in parents));
  if (missing.length) throw new Error(`表 ${missing.join('、')} 未登记备份顺序：请在所属模块 manifest.ts 的 tables 中声明它（角色与引用的表）`);
  const waiting = new Map(tables.map((t) => [t, new Set(parents[t].filter((p) => p !== t && present.has(p)))]));
  const order: string[] = [];
  while (waiting.size) {
    const ready = [...waiting].filter(([, deps]) => deps.size === 0).map(([t]) => t).sort();
    if (!ready.length) throw new Error(`表之间的引用成环，无法确定备份顺序：${[...waiting.keys()].join('、')}`);
    for (const t of ready) {
      order.push(t);
      waiting.delete(t);
      for (const deps of waiting.values()) deps.delete(t);
    }
  }
  return order;
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

interface TableRecord {
  name: string;
  rows: number;
  sm3: string;
}

interface Migration {
  hash: string;
  created_at: string | number;
}

type Runner = pg.PoolClient;

async function backedUpTables(client: Runner): Promise<string[]> {
  const r = await client.query<{ table_name: string }>(`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`);
  return r.rows.map((x) => x.table_name).filter((n) => !TRANSIENT_TABLES.has(n));
}

/** The declared parents plus the foreign keys the catalog knows between public tables. */
async function parentsWithForeignKeys(client: Runner): Promise<Record<string, string[]>> {
  const r = await client.query<{ child: string; parent: string }>(`
    select c.relname as child, p.relname as parent from pg_constraint k
      join pg_class c on c.oid = k.conrelid join pg_class p on p.oid = k.confrelid join pg_namespace n on n.oid = c.relnamespace
    where k.contype = 'f' and n.nspname = 'public'`);
  const parents: Record<string, string[]> = Object.fromEntries(Object.entries(TABLE_PARENTS).map(([t, p]) => [t, [...p]]));
  for (const { child, parent } of r.rows) if (parents[child] && !parents[child].includes(parent)) parents[child].push(parent);
  return parents;
}

/** ORDER BY of a table's rows: prefix columns, then the primary key; text compared byte-wise so every server sorts alike. */
async function rowOrder(client: Runner, table: string): Promise<string> {
  const r = await client.query<{ attname: string; collatable: boolean }>(
    `select a.attname, a.attcollation <> 0 as collatable from pg_index i
       join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
     where i.indrelid = $1::regclass and i.indisprimary
     order by array_position(i.indkey::int2[], a.attnum)`,
    [`public.${ident(table)}`],
  );
  if (!r.rows.length) throw new Error(`表 ${table} 没有主键，无法确定备份中行的顺序`);
  const cols = [...(ROW_ORDER_PREFIX[table] ?? []).map((c) => ({ attname: c, collatable: false })), ...r.rows];
  return cols.map((c) => `t.${ident(c.attname)}${c.collatable ? ' collate "C"' : ''}`).join(', ');
}

/** Each row of `table` as row_to_json text, in `order`, a page at a time through a cursor (inside the caller's transaction). */
async function* tableRows(client: Runner, table: string, order: string): AsyncGenerator<string[]> {
  const cursor = `dj_rows_${table.replace(/\W/g, '_')}`;
  await client.query(`declare ${cursor} no scroll cursor for select row_to_json(t)::text as j from ${ident(table)} t order by ${order}`);
  try {
    for (;;) {
      const page = await client.query<{ j: string }>(`fetch ${FETCH_ROWS} from ${cursor}`);
      if (!page.rows.length) break;
      yield page.rows.map((r) => r.j);
    }
  } finally {
    await client.query(`close ${cursor}`);
  }
}

async function latestMigration(client: Runner): Promise<Migration | null> {
  await client.query('savepoint dj_migration');
  try {
    const r = await client.query<Migration>(`select hash, created_at from drizzle.__drizzle_migrations order by created_at desc limit 1`);
    await client.query('release savepoint dj_migration');
    return r.rows[0] ?? null;
  } catch {
    await client.query('rollback to savepoint dj_migration');
    return null;
  }
}

export async function backup(deps: Deps, file: string, log: (m: string) => void) {
  const t0 = Date.now();
  const client = await deps.database.pool.connect();
  const tables: TableRecord[] = [];
  let total = 0;
  const partial = `${file}.part`;
  try {
    await client.query('begin isolation level repeatable read read only');
    // Timestamps are written with one offset whatever the server's zone: restore compares the text.
    await client.query(`set local timezone to 'UTC'`);
    const migration = await latestMigration(client);
    const order = tableOrder(await backedUpTables(client), await parentsWithForeignKeys(client));
    const at = new Date().toISOString();
    async function* archive(): AsyncGenerator<string> {
      yield `${JSON.stringify({ backup: { version: ARCHIVE_VERSION, at, migration, tables: order } })}\n`;
      for (const name of order) {
        const digest = deps.crypto.sm3Stream();
        const prefix = `${JSON.stringify({ t: name })}\t`;
        let rows = 0;
        for await (const page of tableRows(client, name, await rowOrder(client, name))) {
          let chunk = '';
          for (const j of page) {
            digest.update(`${j}\n`);
            chunk += `${prefix}${j}\n`;
          }
          rows += page.length;
          yield chunk;
        }
        const rec = { name, rows, sm3: digest.digest() };
        tables.push(rec);
        total += rows;
        log(`备份 ${name}：${rows} 行`);
        yield `${JSON.stringify({ end: rec })}\n`;
      }
      yield `${JSON.stringify({ manifest: { version: ARCHIVE_VERSION, at, migration, tables } })}\n`;
    }
    await pipeline(Readable.from(archive()), zlib.createGzip(), fs.createWriteStream(partial, { mode: 0o600 }));
    await client.query('commit');
    fs.renameSync(partial, file);
  } catch (e) {
    await client.query('rollback').catch(() => {});
    fs.rmSync(partial, { force: true });
    throw e;
  } finally {
    client.release();
  }
  await deps.database.db.transaction((tx) =>
    writeAudit(tx, deps.crypto, CLI_ACTOR, [
      { action: 'system.backup', detail: { file, tables: tables.length, rows: total } },
    ]),
  );
  return { tables: tables.length, rows: total, bytes: fs.statSync(file).size, ms: Date.now() - t0 };
}

/** A restore failure: what went wrong, with the table and the archive line when there is one. */
export class RestoreError extends Error {
  constructor(message: string, readonly table?: string, readonly line?: number) {
    super(`${message}${table || line ? `（${[table ? `表 ${table}` : '', line ? `备份文件第 ${line} 行` : ''].filter(Boolean).join('，')}）` : ''}；数据库未作任何改动`);
    this.name = 'RestoreError';
  }
}

/** A PostgreSQL error's message without the values it may quote (SEC-13). */
function dbMessage(e: unknown): string {
  const err = e as { message?: string; code?: string };
  return `${redactMessage(String(err.message ?? e), true)}${err.code ? `（${err.code}）` : ''}`;
}

function unreadable(e: unknown, table: string | null, lineNo: number): RestoreError {
  const code = (e as { code?: string }).code;
  return new RestoreError(`备份文件不完整或已损坏，无法读取或解压${code ? `（${code}）` : ''}`, table ?? undefined, lineNo + 1);
}

/** The INSERT triggers of a table (user-defined ones; foreign-key checks are internal and stay on). */
async function insertTriggers(client: Runner, table: string): Promise<string[]> {
  const r = await client.query<{ tgname: string }>(`select tgname from pg_trigger where tgrelid = $1::regclass and not tgisinternal and (tgtype & 4) <> 0 and tgenabled <> 'D' order by tgname`, [
    `public.${ident(table)}`,
  ]);
  return r.rows.map((x) => x.tgname);
}

export async function restore(deps: Deps, file: string, log: (m: string) => void) {
  const t0 = Date.now();
  if (!fs.existsSync(file)) throw new RestoreError(`找不到备份文件 ${file}`);
  const client = await deps.database.pool.connect();
  let manifest: { version: number; tables: TableRecord[] } | null = null;
  try {
    const names = await backedUpTables(client);
    const nonEmpty: string[] = [];
    for (const n of names) if ((await client.query(`select exists (select 1 from ${ident(n)}) as x`)).rows[0].x) nonEmpty.push(n);
    if (nonEmpty.length) throw new Error(`目标数据库不是空的（${nonEmpty.join('、')} 中已有数据）：恢复只能写入新建的空数据库（换一个 DANGJIAN_DATA_DIR 或 DATABASE_URL）`);
    await client.query('begin');
    try {
      manifest = await loadArchive(deps, client, file, names, log);
      await client.query(`select setval(pg_get_serial_sequence('audit_log', 'seq'), coalesce((select max(seq) from audit_log), 1))`);
      // Checked before the commit: with the wrong keys nothing is kept, and the restore can be run again with the right ones.
      const v = await verifyAudit(drizzle(client, { schema }), deps.crypto);
      if (!v.ok) throw new RestoreError('恢复的审计日志无法用当前密钥校验：请把原数据目录中的 keys.json 复制到新数据目录后重新恢复');
      await client.query('commit');
    } catch (e) {
      await client.query('rollback').catch(() => {});
      throw e;
    }
  } finally {
    client.release();
  }
  if (!manifest) throw new RestoreError('备份文件中没有清单');
  const done: { tables: TableRecord[] } = manifest;
  const rows = done.tables.reduce((a, b) => a + b.rows, 0);
  await deps.database.db.transaction((tx) => writeAudit(tx, deps.crypto, CLI_ACTOR, [{ action: 'system.restore', detail: { file, tables: done.tables.length, rows } }]));
  // A new data directory (or one that anchored another database) gets the restored chain's head.
  await deps.anchor?.record(deps.database.db, { force: true });
  return { tables: done.tables.length, rows, ms: Date.now() - t0 };
}

/**
 * Stream the archive into the open transaction and verify it; returns its manifest. Archives of
 * version 1 (no header, tables in alphabetical order, digests over sorted lines) are read too.
 */
async function loadArchive(deps: Deps, client: Runner, file: string, names: string[], log: (m: string) => void): Promise<{ version: number; tables: TableRecord[] }> {
  const current = await latestMigration(client);
  // Nothing is awaited between opening the file and iterating it: readline emits lines as soon as
  // the stream flows, and lines emitted before the iterator exists would be lost.
  const source = fs.createReadStream(file);
  const gunzip = zlib.createGunzip();
  const rl = readline.createInterface({ input: source.pipe(gunzip), crlfDelay: Number.POSITIVE_INFINITY });
  // A file that cannot be read or inflated (cut short, not gzip) ends the reading; reported below.
  const failed: { error: Error | null } = { error: null };
  for (const s of [source, gunzip]) {
    s.on('error', (e: Error) => {
      failed.error ??= e;
      rl.close();
    });
  }

  let version = 0;
  let declared: string[] | null = null;
  let manifest: { version: number; tables: TableRecord[] } | null = null;
  const ends = new Map<string, TableRecord>();
  const loaded: string[] = [];
  const disabled: [string, string][] = [];
  let table: string | null = null;
  let tableRows = 0;
  let digest = deps.crypto.sm3Stream();
  let batch: string[] = [];
  let batchBytes = 0;
  let batchFirstLine = 0;
  let lineNo = 0;

  const flush = async () => {
    if (!batch.length || !table) return;
    const t = table;
    const insert = (lines: string[]) => client.query(`insert into ${ident(t)} select * from json_populate_recordset(null::${ident(t)}, $1::json)`, [`[${lines.join(',')}]`]);
    await client.query('savepoint dj_batch');
    try {
      await insert(batch);
      await client.query('release savepoint dj_batch');
    } catch (e) {
      // Find the row the database refuses, so the message can name its line.
      await client.query('rollback to savepoint dj_batch');
      for (let i = 0; i < batch.length; i++) {
        try {
          await insert([batch[i]]);
        } catch (e1) {
          throw new RestoreError(`数据库拒绝写入这一行：${dbMessage(e1)}`, t, batchFirstLine + i);
        }
      }
      throw new RestoreError(`数据库拒绝写入：${dbMessage(e)}`, t, batchFirstLine);
    }
    batch = [];
    batchBytes = 0;
  };

  const startTable = async (name: string) => {
    if (!names.includes(name)) throw new RestoreError(`备份中的表 ${name} 在当前数据库中不存在：请先升级平台版本`, name, lineNo);
    if (loaded.includes(name)) throw new RestoreError(`备份文件中表 ${name} 的行不连续，文件可能已损坏`, name, lineNo);
    if (version >= 2 && declared && declared[loaded.length] !== name) throw new RestoreError(`备份文件中的表顺序与文件头不符，文件可能已损坏`, name, lineNo);
    for (const trigger of await insertTriggers(client, name)) {
      await client.query(`alter table ${ident(name)} disable trigger ${ident(trigger)}`);
      disabled.push([name, trigger]);
    }
    table = name;
    loaded.push(name);
    tableRows = 0;
    digest = deps.crypto.sm3Stream();
  };

  const endTable = async (rec: TableRecord | null) => {
    if (!table) return;
    await flush();
    const name = table;
    if (version >= 2) {
      if (!rec || rec.name !== name) throw new RestoreError(`备份文件中表 ${name} 缺少结尾记录，文件可能已损坏`, name, lineNo);
      if (rec.rows !== tableRows || rec.sm3 !== digest.digest()) throw new RestoreError(`备份文件中表 ${name} 的行数或摘要与记录不符（记录 ${rec.rows} 行，读到 ${tableRows} 行），文件可能已损坏`, name, lineNo);
      ends.set(name, rec);
    }
    log(`写入 ${name}：${tableRows} 行`);
    table = null;
  };

  try {
    for await (const line of rl) {
      lineNo++;
      if (!line) continue;
      const tab = line.indexOf('\t');
      if (tab >= 0) {
        // A row: {"t":"name"}<TAB>{…the row as JSON…}
        let name: string | undefined;
        try {
          name = (JSON.parse(line.slice(0, tab)) as { t?: unknown }).t as string | undefined;
          if (typeof name !== 'string') name = undefined;
          const row = JSON.parse(line.slice(tab + 1));
          if (!name || !row || typeof row !== 'object' || Array.isArray(row)) throw new Error('not a row');
        } catch {
          throw new RestoreError('这一行不是完整的数据行，备份文件已损坏', name ?? table ?? undefined, lineNo);
        }
        if (version === 0) version = 1; // rows before any header: an archive of version 1
        if (manifest) throw new RestoreError('清单之后还有数据行，备份文件已损坏', name, lineNo);
        if (name !== table) {
          if (version >= 2 && table) throw new RestoreError(`表 ${table} 缺少结尾记录，文件可能已损坏`, table, lineNo);
          await endTable(null);
          await startTable(name);
        }
        const text = line.slice(tab + 1);
        if (!batch.length) batchFirstLine = lineNo;
        batch.push(text);
        batchBytes += text.length;
        tableRows++;
        digest.update(`${text}\n`);
        if (batch.length >= INSERT_ROWS || batchBytes >= INSERT_BYTES) await flush();
        continue;
      }
      let rec: { backup?: { version: number; migration: Migration | null; tables: string[] }; end?: TableRecord; manifest?: { version: number; tables: TableRecord[] } };
      try {
        rec = JSON.parse(line);
      } catch {
        throw new RestoreError('这一行无法解析，备份文件已损坏', table ?? undefined, lineNo);
      }
      if (rec.backup) {
        if (lineNo !== 1) throw new RestoreError('文件头不在第一行，备份文件已损坏', undefined, lineNo);
        version = rec.backup.version;
        if (version !== ARCHIVE_VERSION) throw new RestoreError(`不支持的备份格式版本 ${version}：请用生成它的平台版本恢复`, undefined, lineNo);
        declared = rec.backup.tables;
        const missing = declared.filter((n) => !names.includes(n));
        if (missing.length) throw new RestoreError(`备份中的表 ${missing.join('、')} 在当前数据库中不存在：请先升级平台版本`, undefined, lineNo);
        if (rec.backup.migration && current && rec.backup.migration.hash !== current.hash) {
          throw new RestoreError('备份与当前平台的数据库结构版本不同：请用生成该备份的平台版本恢复，或先把该版本升级到当前版本后再备份', undefined, lineNo);
        }
        continue;
      }
      if (rec.end) {
        if (!table) {
          // An empty table: its end record is all there is of it.
          await startTable(rec.end.name);
        }
        await endTable(rec.end);
        continue;
      }
      if (rec.manifest) {
        await endTable(null);
        manifest = rec.manifest;
        continue;
      }
      throw new RestoreError('无法识别的记录，备份文件已损坏', table ?? undefined, lineNo);
    }
  } catch (e) {
    if (e instanceof RestoreError) throw e;
    if (failed.error || (e as { code?: string }).code?.startsWith('Z_')) throw unreadable(failed.error ?? e, table, lineNo);
    throw new RestoreError(`恢复失败：${dbMessage(e)}`, table ?? undefined, lineNo);
  } finally {
    rl.close();
  }
  if (failed.error) throw unreadable(failed.error, table, lineNo);
  if (!manifest) throw new RestoreError('备份文件不完整：缺少清单（可能在写入时中断）', table ?? undefined, lineNo);
  const m: { version: number; tables: TableRecord[] } = manifest;
  if (version === 0) version = 1;

  // The manifest agrees with what was read, table by table.
  for (const rec of m.tables) {
    if (!names.includes(rec.name)) throw new RestoreError(`备份中的表 ${rec.name} 在当前数据库中不存在：请先升级平台版本`, rec.name);
    if (version >= 2) {
      const end = ends.get(rec.name);
      if (!end || end.rows !== rec.rows || end.sm3 !== rec.sm3) throw new RestoreError('清单与表的结尾记录不符，备份文件已损坏', rec.name);
    } else if (rec.rows > 0 && !loaded.includes(rec.name)) {
      throw new RestoreError('清单列出的表在文件中没有数据，备份文件已损坏', rec.name);
    }
  }
  const listed = new Set(m.tables.map((r) => r.name));
  const stray = loaded.filter((n) => !listed.has(n));
  if (stray.length) throw new RestoreError(`文件中的表 ${stray.join('、')} 不在清单中，备份文件已损坏`, stray[0]);

  // What the database now holds, read back: the same rows, byte for byte, as the archive says.
  for (const rec of m.tables) {
    const got = version >= 2 ? await restoredDigest(deps, client, rec.name, await rowOrder(client, rec.name), false) : await restoredDigest(deps, client, rec.name, 'j collate "C"', true);
    if (got.rows !== rec.rows || got.sm3 !== rec.sm3) throw new RestoreError(`恢复后表 ${rec.name} 的行数或摘要与备份不一致（备份 ${rec.rows} 行，恢复 ${got.rows} 行）`, rec.name);
    log(`恢复 ${rec.name}：${rec.rows} 行，摘要一致`);
  }
  for (const [name, trigger] of disabled) await client.query(`alter table ${ident(name)} enable trigger ${ident(trigger)}`);
  if (disabled.length) log(`恢复期间停用的插入触发器已重新启用：${disabled.map(([, t]) => t).join('、')}（组织人数等派生数据按备份原样恢复）`);
  return m;
}

/**
 * Count and SM3 digest of a restored table read back through a cursor. Version 2: each row's text
 * and a newline, in the backup's order (timestamps in UTC, as written). Version 1: the rows sorted
 * and joined by newlines, in the server's default time zone (as the version 1 backup wrote them).
 */
async function restoredDigest(deps: Deps, client: Runner, table: string, order: string, v1: boolean): Promise<{ rows: number; sm3: string }> {
  await client.query(v1 ? 'set local timezone to default' : `set local timezone to 'UTC'`);
  const h = deps.crypto.sm3Stream();
  let rows = 0;
  const cursor = `dj_check_${table.replace(/\W/g, '_')}`;
  const query = v1
    ? `declare ${cursor} no scroll cursor for select j from (select row_to_json(t)::text as j from ${ident(table)} t) x order by ${order}`
    : `declare ${cursor} no scroll cursor for select row_to_json(t)::text as j from ${ident(table)} t order by ${order}`;
  await client.query(query);
  try {
    for (;;) {
      const page = await client.query<{ j: string }>(`fetch ${FETCH_ROWS} from ${cursor}`);
      if (!page.rows.length) break;
      for (const r of page.rows) {
        h.update(v1 ? (rows === 0 ? r.j : `\n${r.j}`) : `${r.j}\n`);
        rows++;
      }
    }
  } finally {
    await client.query(`close ${cursor}`);
  }
  return { rows, sm3: h.digest() };
}
