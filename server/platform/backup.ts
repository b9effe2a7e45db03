/**
 * Online backup and restore inside the platform (engineering.md: the embedded server ships no
 * pg_dump), of the database and of every stored file its rows refer to (SEC-27, SEC-36). Keys are not
 * in the archive (SEC-16): copy keys.json yourself.
 *
 * The archive is one tar file (platform/tar.ts; any `tar` lists it):
 *   backup.json        its header: format, id, time, full or incremental and its base, migration level
 *   database.jsonl.gz  every table, gzip'd JSON lines (below)
 *   files/ab/<sm3>     each stored file the rows refer to, named by its SM3 digest (one copy per digest)
 *   manifest.json      last: the header again, each table's count and digest, the files it holds
 * An archive without its manifest was cut short. Files are found by declaration: a table's entry in
 * its module's manifest (`tables.<name>.files`, server/modules/module.ts) names the columns holding a
 * blob key and its digest (`FILE_COLUMNS`).
 *
 * Backup: every table in one REPEATABLE READ snapshot while writes go on, read through a cursor a
 * page at a time (no table is held in memory): a header naming the tables in their order, each
 * table's rows in primary-key order, after each table its row count and SM3 digest, and a closing
 * record. Tables go parents first (`TABLE_PARENTS`, plus any foreign key in the catalog), so the order
 * is stated here and never the alphabet's. The file references are read in the same snapshot; once it
 * is written the files are copied from the store, each checked against the digest its row recorded.
 * No lock is needed: a file is stored before the transaction that records its row opens (the upload
 * path), so every file a snapshot refers to exists; a file whose reference is dropped later is retired,
 * not deleted (`BlobStore.retire`), and the backup still reads it during the grace period. A file
 * missing from the store or changed fails the backup, naming the file and the record.
 *
 * Incremental: an archive may name a base (`backup(…, { base })`, in the same directory); the files
 * already in the base's chain are not copied again. Its database part is always whole.
 *
 * Restore: into an empty database and an empty file store, in one transaction, streaming the database
 * part line by line with batched inserts. Rows are copied exactly as they were, derived columns
 * included: the tables' INSERT triggers (the organizations' member counts, migration 0003) are
 * disabled for the transaction, because the counts are already in the archived `orgs` rows and the
 * triggers would add every member a second time. Each table's count and digest are checked against
 * the archive as it arrives and again by reading the restored table back. Then every file the restored
 * rows refer to is looked up in the archive's chain (the archive, its base, the base's base…), streamed
 * into the store through an SM3 check and placed under its key. Any error — a damaged line, a refused
 * row, a digest that differs, an archive cut short, a base or a file missing, a file altered — rolls
 * everything back, removes the files already placed, and is reported in Chinese with the table and the
 * archive line, or the file and the record that refers to it.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { pipeline as pipelineCb, Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { drizzle } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import * as schema from '../db/schema.ts';
import { TABLE_ROLES } from '../db/table-roles.ts';
import { verifyAudit, writeAudit } from './audit.ts';
import type { Deps } from './deps.ts';
import { BlobNotFoundError, isBlobKey } from './files/blob-store.ts';
import { redactMessage } from './logging.ts';
import { entryStream, entryText, readTarIndex, type TarEntry, TarFormatError, TarWriter } from './tar.ts';

const CLI_ACTOR = {
  userId: null,
  username: 'cli',
  roles: [],
  orgId: null,
  countyCode: null,
  ip: 'local',
  requestId: null,
};

/** State of the running installation that a new database starts without (declared `transient`): never backed up. */
export const TRANSIENT_TABLES = new Set(
  Object.entries(TABLE_ROLES)
    .filter(([, d]) => d.transient)
    .map(([t]) => t),
);

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

/** Every declared pair of columns naming a stored file and its SM3 digest (`files` of a table's declaration). */
export const FILE_COLUMNS: readonly { table: string; key: string; sm3: string }[] = Object.entries(TABLE_ROLES).flatMap(
  ([table, d]) => (d.files ?? []).map((f) => ({ table, key: f.key, sm3: f.sm3 })),
);

/** Columns sorted before the primary key: an organization's parent (smaller depth) comes before it. */
const ROW_ORDER_PREFIX: Record<string, string[]> = { orgs: ['depth'] };

/** The tar archive (format 3); its database part keeps the stream format of the gzip archives before it (version 2). */
export const ARCHIVE_FORMAT = 3;
const TABLES_VERSION = 2;
export const HEADER_ENTRY = 'backup.json';
export const DATABASE_ENTRY = 'database.jsonl.gz';
export const MANIFEST_ENTRY = 'manifest.json';
/** Where a file's bytes sit in an archive: by digest, fanned out like the store. */
export const fileEntryName = (sm3: string) => `files/${sm3.slice(0, 2)}/${sm3}`;
const FETCH_ROWS = 1000;
const INSERT_ROWS = 1000;
const INSERT_BYTES = 4 * 1024 * 1024;
const SM3_HEX = /^[0-9a-f]{64}$/;

/**
 * The tables in load order: each after the tables its rows refer to (`parents`), ties by name.
 * Throws for a table without an entry in `parents` and for a cycle.
 */
export function tableOrder(tables: string[], parents: Record<string, string[]>): string[] {
  const present = new Set(tables);
  const missing = tables.filter((t) => !(t in parents));
  if (missing.length)
    throw new Error(
      `表 ${missing.join('、')} 未登记备份顺序：请在所属模块 manifest.ts 的 tables 中声明它（角色与引用的表）`,
    );
  const waiting = new Map(tables.map((t) => [t, new Set(parents[t].filter((p) => p !== t && present.has(p)))]));
  const order: string[] = [];
  while (waiting.size) {
    const ready = [...waiting]
      .filter(([, deps]) => deps.size === 0)
      .map(([t]) => t)
      .sort();
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

/** The first entry of an archive: what it is and what it needs. */
export interface ArchiveHeader {
  format: number;
  /** Random id; an incremental archive names its base by it. */
  id: string;
  at: string;
  kind: 'full' | 'incremental';
  /** The archive whose chain holds the files this one does not: its id and file name (in the same directory). */
  base: { id: string; file: string } | null;
  migration: Migration | null;
}

/** The last entry: the header again, the tables' counts and digests, and the files in this archive. */
export interface ArchiveManifest extends ArchiveHeader {
  tables: TableRecord[];
  /** The files this archive holds (not those it takes from its base). */
  files: { sm3: string; size: number }[];
  fileBytes: number;
  /** Distinct files the snapshot refers to, and how many of them are in the base's chain. */
  referenced: number;
  fromBase: number;
}

/** One archive of a chain, opened: its header, manifest and entries by name. */
export interface OpenArchive {
  file: string;
  header: ArchiveHeader;
  manifest: ArchiveManifest;
  entries: Map<string, TarEntry>;
}

type Runner = pg.PoolClient;

async function backedUpTables(client: Runner): Promise<string[]> {
  const r = await client.query<{ table_name: string }>(
    `select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
  );
  return r.rows.map((x) => x.table_name).filter((n) => !TRANSIENT_TABLES.has(n));
}

/** The declared parents plus the foreign keys the catalog knows between public tables. */
async function parentsWithForeignKeys(client: Runner): Promise<Record<string, string[]>> {
  const r = await client.query<{ child: string; parent: string }>(`
    select c.relname as child, p.relname as parent from pg_constraint k
      join pg_class c on c.oid = k.conrelid join pg_class p on p.oid = k.confrelid join pg_namespace n on n.oid = c.relnamespace
    where k.contype = 'f' and n.nspname = 'public'`);
  const parents: Record<string, string[]> = Object.fromEntries(
    Object.entries(TABLE_PARENTS).map(([t, p]) => [t, [...p]]),
  );
  for (const { child, parent } of r.rows)
    if (parents[child] && !parents[child].includes(parent)) parents[child].push(parent);
  return parents;
}

async function primaryKey(client: Runner, table: string): Promise<{ attname: string; collatable: boolean }[]> {
  const r = await client.query<{ attname: string; collatable: boolean }>(
    `select a.attname, a.attcollation <> 0 as collatable from pg_index i
       join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
     where i.indrelid = $1::regclass and i.indisprimary
     order by array_position(i.indkey::int2[], a.attnum)`,
    [`public.${ident(table)}`],
  );
  if (!r.rows.length) throw new Error(`表 ${table} 没有主键，无法确定备份中行的顺序`);
  return r.rows;
}

/** ORDER BY of a table's rows: prefix columns, then the primary key; text compared byte-wise so every server sorts alike. */
async function rowOrder(client: Runner, table: string): Promise<string> {
  const cols = [
    ...(ROW_ORDER_PREFIX[table] ?? []).map((c) => ({ attname: c, collatable: false })),
    ...(await primaryKey(client, table)),
  ];
  return cols.map((c) => `t.${ident(c.attname)}${c.collatable ? ' collate "C"' : ''}`).join(', ');
}

/** Rows of a query a page at a time through a cursor (inside the caller's transaction). */
async function* cursorRows<R>(client: Runner, name: string, query: string): AsyncGenerator<R[]> {
  const cursor = `dj_${name.replace(/\W/g, '_')}`;
  await client.query(`declare ${cursor} no scroll cursor for ${query}`);
  try {
    for (;;) {
      const page = await client.query(`fetch ${FETCH_ROWS} from ${cursor}`);
      if (!page.rows.length) break;
      yield page.rows as R[];
    }
  } finally {
    await client.query(`close ${cursor}`);
  }
}

/** Each row of `table` as row_to_json text, in `order`, a page at a time. */
async function* tableRows(client: Runner, table: string, order: string): AsyncGenerator<string[]> {
  for await (const page of cursorRows<{ j: string }>(
    client,
    `rows_${table}`,
    `select row_to_json(t)::text as j from ${ident(table)} t order by ${order}`,
  ))
    yield page.map((r) => r.j);
}

async function latestMigration(client: Runner): Promise<Migration | null> {
  await client.query('savepoint dj_migration');
  try {
    const r = await client.query<Migration>(
      `select hash, created_at from drizzle.__drizzle_migrations order by created_at desc limit 1`,
    );
    await client.query('release savepoint dj_migration');
    return r.rows[0] ?? null;
  } catch {
    await client.query('rollback to savepoint dj_migration');
    return null;
  }
}

/** A row's reference to a stored file: where it is recorded (table, row, column) and what it names. */
export interface FileRef {
  table: string;
  /** The row's id (or its primary key's values joined by '/'). */
  row: string;
  column: string;
  key: string;
  sm3: string;
}

const describeRef = (r: FileRef) => `表 ${r.table}，记录 ${r.row}，列 ${r.column}`;

/** Every file reference the rows of the declared file columns hold, read in the caller's transaction. */
export async function fileReferences(client: Runner, present: string[]): Promise<FileRef[]> {
  const out: FileRef[] = [];
  for (const c of FILE_COLUMNS) {
    if (!present.includes(c.table)) continue;
    const cols = await client.query<{ attname: string }>(
      `select attname from pg_attribute where attrelid = $1::regclass and attnum > 0 and not attisdropped`,
      [`public.${ident(c.table)}`],
    );
    const has = new Set(cols.rows.map((r) => r.attname));
    for (const col of [c.key, c.sm3])
      if (!has.has(col))
        throw new Error(
          `表 ${c.table} 声明的文件列 ${col} 不存在（见所属模块 manifest.ts 的 tables.${c.table}.files）`,
        );
    const pk = has.has('id') ? [{ attname: 'id' }] : await primaryKey(client, c.table);
    const row = `concat_ws('/', ${pk.map((k) => `t.${ident(k.attname)}::text`).join(', ')})`;
    const query = `select ${row} as row, t.${ident(c.key)}::text as key, t.${ident(c.sm3)}::text as sm3 from ${ident(c.table)} t where t.${ident(c.key)} is not null order by 1`;
    for await (const page of cursorRows<{ row: string; key: string; sm3: string | null }>(
      client,
      `refs_${c.table}_${c.key}`,
      query,
    )) {
      for (const r of page) out.push({ table: c.table, row: r.row, column: c.key, key: r.key, sm3: r.sm3 ?? '' });
    }
  }
  return out;
}

/** References grouped by digest, in digest order: each distinct file once. */
function byDigest(refs: FileRef[]): [string, FileRef[]][] {
  const m = new Map<string, FileRef[]>();
  for (const r of refs) {
    const list = m.get(r.sm3);
    if (list) list.push(r);
    else m.set(r.sm3, [r]);
  }
  return [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** A backup that could not be completed: what went wrong, and for a file the record that refers to it. */
export class BackupError extends Error {
  constructor(
    message: string,
    readonly ref?: FileRef,
  ) {
    super(`${message}${ref ? `（${describeRef(ref)}）` : ''}；备份未完成，未生成备份文件`);
    this.name = 'BackupError';
  }
}

/** The database part: a header, each table's rows and end record, a closing record (the stream format of version 2). */
async function* databaseLines(
  deps: Deps,
  client: Runner,
  order: string[],
  at: string,
  migration: Migration | null,
  tables: TableRecord[],
  log: (m: string) => void,
  signal?: AbortSignal,
): AsyncGenerator<string> {
  yield `${JSON.stringify({ backup: { version: TABLES_VERSION, at, migration, tables: order } })}\n`;
  for (const name of order) {
    signal?.throwIfAborted();
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
    log(`备份 ${name}：${rows} 行`);
    yield `${JSON.stringify({ end: rec })}\n`;
  }
  yield `${JSON.stringify({ manifest: { version: TABLES_VERSION, at, migration, tables } })}\n`;
}

/** Open an archive of format 3: its entries, header and manifest. Failures are thrown as `fail(message)`. */
export async function openArchive(file: string, fail: (message: string) => Error): Promise<OpenArchive> {
  let index: TarEntry[];
  try {
    index = await readTarIndex(file);
  } catch (e) {
    if (e instanceof TarFormatError) throw fail(`备份文件 ${path.basename(file)} 不完整或已损坏：${e.message}`);
    throw e;
  }
  const entries = new Map(index.map((e) => [e.name, e]));
  const json = async <T>(name: string, what: string): Promise<T> => {
    const entry = entries.get(name);
    if (!entry) throw fail(`备份文件 ${path.basename(file)} 不完整：缺少${what}（可能在写入时中断）`);
    try {
      return JSON.parse(await entryText(file, entry)) as T;
    } catch {
      throw fail(`备份文件 ${path.basename(file)} 的${what}无法解析，文件已损坏`);
    }
  };
  const header = await json<ArchiveHeader>(HEADER_ENTRY, '文件头');
  if (header.format !== ARCHIVE_FORMAT) throw fail(`不支持的备份格式版本 ${header.format}：请用生成它的平台版本恢复`);
  const manifest = await json<ArchiveManifest>(MANIFEST_ENTRY, '清单');
  if (manifest.id !== header.id) throw fail(`备份文件 ${path.basename(file)} 的清单与文件头不符，文件已损坏`);
  return { file, header, manifest, entries };
}

/**
 * An archive and the bases it names, newest first. A base is looked for in the archive's directory by
 * its file name and must carry the id the archive names.
 */
export async function openChain(file: string, fail: (message: string) => Error): Promise<OpenArchive[]> {
  const chain = [await openArchive(file, fail)];
  for (let link = chain[0].header.base; link; link = chain[chain.length - 1].header.base) {
    const child = chain[chain.length - 1];
    const baseFile = path.join(path.dirname(child.file), path.basename(link.file));
    const needs = child.manifest.fromBase
      ? `；${path.basename(child.file)} 引用的 ${child.manifest.fromBase} 个文件只保存在基础备份中`
      : '';
    if (!fs.existsSync(baseFile))
      throw fail(
        `备份链不完整：找不到基础备份 ${link.file}（编号 ${link.id}），它应与 ${path.basename(child.file)} 放在同一目录${needs}`,
      );
    if (chain.some((a) => a.header.id === link?.id)) throw fail(`备份链成环：${link.file} 已在链中`);
    const base = await openArchive(baseFile, fail);
    if (base.header.id !== link.id)
      throw fail(
        `备份链不完整：${link.file} 不是 ${path.basename(child.file)} 的基础备份（编号 ${base.header.id}，应为 ${link.id}）${needs}`,
      );
    chain.push(base);
  }
  return chain;
}

/** A pass-through that hashes what it passes. */
async function* hashing(
  source: AsyncIterable<Buffer>,
  hasher: { update(chunk: Buffer): void },
): AsyncGenerator<Buffer> {
  for await (const chunk of source) {
    hasher.update(chunk);
    yield chunk;
  }
}

export interface BackupOptions {
  /** An archive in the same directory whose chain holds the files already copied: this one is incremental. */
  base?: string;
  /** Called once the database snapshot is written, before any file is copied (tests: what happens meanwhile). */
  afterSnapshot?: () => Promise<void>;
  /** Stops the backup between two tables or two files (the platform is stopping); nothing is left. */
  signal?: AbortSignal;
  /** Who the audit entry names: the CLI (default) or the platform's nightly job. */
  by?: 'cli' | 'system';
}

export interface BackupResult {
  id: string;
  kind: 'full' | 'incremental';
  base: string | null;
  tables: number;
  rows: number;
  /** Files copied into this archive, and their bytes. */
  files: number;
  fileBytes: number;
  /** Distinct files the snapshot refers to; of them, in the base's chain. */
  referenced: number;
  fromBase: number;
  /** Size of the archive. */
  bytes: number;
  ms: number;
}

/** Write an archive of the database and its files to `file` (written beside it as `.part`, renamed when complete). */
export async function backup(
  deps: Deps,
  file: string,
  log: (m: string) => void,
  opts: BackupOptions = {},
): Promise<BackupResult> {
  const t0 = Date.now();
  const target = path.resolve(file);
  const backupFail = (m: string) => new BackupError(m);
  let chain: OpenArchive[] = [];
  if (opts.base) {
    const base = path.resolve(opts.base);
    if (path.dirname(base) !== path.dirname(target))
      throw new BackupError(`增量备份须与其基础备份放在同一目录（基础备份 ${base}）`);
    chain = await openChain(base, backupFail);
  }
  const inChain = new Set(chain.flatMap((a) => a.manifest.files.map((f) => f.sm3)));
  const partial = `${target}.part`;
  fs.rmSync(partial, { force: true }); // left by an interrupted backup to the same name
  const tar = await TarWriter.create(partial);
  const client = await deps.database.pool.connect();
  let released = false;
  let open = false;
  try {
    await client.query('begin isolation level repeatable read read only');
    open = true;
    // Timestamps are written with one offset whatever the server's zone: restore compares the text.
    await client.query(`set local timezone to 'UTC'`);
    const migration = await latestMigration(client);
    const present = await backedUpTables(client);
    const order = tableOrder(present, await parentsWithForeignKeys(client));
    const header: ArchiveHeader = {
      format: ARCHIVE_FORMAT,
      id: randomUUID(),
      at: deps.now().toISOString(),
      kind: chain.length ? 'incremental' : 'full',
      base: chain.length ? { id: chain[0].header.id, file: path.basename(chain[0].file) } : null,
      migration,
    };
    await tar.add(HEADER_ENTRY, Buffer.from(JSON.stringify(header)));
    const refs = await fileReferences(client, present);
    for (const r of refs)
      if (!isBlobKey(r.key) || !SM3_HEX.test(r.sm3))
        throw new BackupError(`记录中的文件键或摘要格式不正确（文件键 ${r.key.slice(0, 40)}）`, r);
    const tables: TableRecord[] = [];
    const gzip = zlib.createGzip();
    await Promise.all([
      pipeline(Readable.from(databaseLines(deps, client, order, header.at, migration, tables, log, opts.signal)), gzip),
      tar.add(DATABASE_ENTRY, gzip),
    ]);
    await client.query('commit');
    open = false;
    client.release();
    released = true;
    const rows = tables.reduce((a, b) => a + b.rows, 0);
    log(
      `数据库快照已写入：${tables.length} 张表 ${rows} 行；开始复制 ${new Set(refs.map((r) => r.sm3)).size} 个文件${chain.length ? `（基础备份中已有的不再复制）` : ''}`,
    );
    await opts.afterSnapshot?.();

    const files: { sm3: string; size: number }[] = [];
    let fileBytes = 0;
    let fromBase = 0;
    const groups = byDigest(refs);
    for (const [sm3, list] of groups) {
      opts.signal?.throwIfAborted();
      if (inChain.has(sm3)) {
        fromBase++;
        continue;
      }
      let source: Readable | null = null;
      let used = list[0];
      for (const r of list) {
        try {
          source = await deps.files.blobs.get(r.key, { retired: true });
          used = r;
          break;
        } catch (e) {
          if (!(e instanceof BlobNotFoundError)) throw e;
        }
      }
      if (!source) throw new BackupError(`文件存储中缺少文件 ${used.key}（SM3 ${sm3}）`, used);
      const hasher = deps.crypto.sm3Hasher();
      const size = await tar.add(fileEntryName(sm3), hashing(source, hasher));
      if (hasher.digest() !== sm3)
        throw new BackupError(`文件 ${used.key} 与登记的 SM3 摘要不符，存储的文件可能已被改动`, used);
      files.push({ sm3, size });
      fileBytes += size;
      if (files.length % 1000 === 0) log(`已复制 ${files.length} 个文件（${(fileBytes / 1024 / 1024).toFixed(0)} MB）`);
    }
    const manifest: ArchiveManifest = { ...header, tables, files, fileBytes, referenced: groups.length, fromBase };
    await tar.add(MANIFEST_ENTRY, Buffer.from(JSON.stringify(manifest)));
    await tar.finish();
    fs.renameSync(partial, target);
    log(
      `文件已复制：${files.length} 个，${(fileBytes / 1024 / 1024).toFixed(1)} MB${fromBase ? `；另有 ${fromBase} 个在基础备份中` : ''}`,
    );
    await deps.database.db.transaction((tx) =>
      writeAudit(
        tx,
        deps.crypto,
        { ...CLI_ACTOR, username: opts.by ?? 'cli', ip: opts.by === 'system' ? null : CLI_ACTOR.ip },
        [
          {
            action: 'system.backup',
            detail: {
              file: target,
              id: header.id,
              kind: header.kind,
              base: header.base?.file ?? null,
              tables: tables.length,
              rows,
              files: files.length,
              fileBytes,
            },
          },
        ],
      ),
    );
    return {
      id: header.id,
      kind: header.kind,
      base: header.base?.file ?? null,
      tables: tables.length,
      rows,
      files: files.length,
      fileBytes,
      referenced: groups.length,
      fromBase,
      bytes: fs.statSync(target).size,
      ms: Date.now() - t0,
    };
  } catch (e) {
    if (open) await client.query('rollback').catch(() => {});
    await tar.abort();
    fs.rmSync(partial, { force: true });
    throw e;
  } finally {
    if (!released) client.release();
  }
}

/** A restore failure: what went wrong, with the table and the archive line when there is one. */
export class RestoreError extends Error {
  constructor(
    message: string,
    readonly table?: string,
    readonly line?: number,
  ) {
    super(
      `${message}${table || line ? `（${[table ? `表 ${table}` : '', line ? `备份文件第 ${line} 行` : ''].filter(Boolean).join('，')}）` : ''}；数据库未作任何改动，文件存储中也未留下文件`,
    );
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
  return new RestoreError(
    `备份文件不完整或已损坏，无法读取或解压${code ? `（${code}）` : ''}`,
    table ?? undefined,
    lineNo + 1,
  );
}

/** The INSERT triggers of a table (user-defined ones; foreign-key checks are internal and stay on). */
async function insertTriggers(client: Runner, table: string): Promise<string[]> {
  const r = await client.query<{ tgname: string }>(
    `select tgname from pg_trigger where tgrelid = $1::regclass and not tgisinternal and (tgtype & 4) <> 0 and tgenabled <> 'D' order by tgname`,
    [`public.${ident(table)}`],
  );
  return r.rows.map((x) => x.tgname);
}

/** What a restore reads: the database part, and where each file of the chain is. */
interface RestoreSource {
  database: () => Readable;
  /** The archive and entry holding a digest, newest archive first; none for an archive of the database only. */
  find(sm3: string): { file: string; entry: TarEntry } | undefined;
  archives: OpenArchive[];
}

async function restoreSource(file: string): Promise<RestoreSource> {
  const fd = fs.openSync(file, 'r');
  const magic = Buffer.alloc(2);
  try {
    fs.readSync(fd, magic, 0, 2, 0);
  } finally {
    fs.closeSync(fd);
  }
  // An archive of the database only (formats 1 and 2: gzip'd JSON lines), as written before files were included.
  if (magic[0] === 0x1f && magic[1] === 0x8b)
    return { database: () => fs.createReadStream(file), find: () => undefined, archives: [] };
  const chain = await openChain(file, (m) => new RestoreError(m));
  const db = chain[0].entries.get(DATABASE_ENTRY);
  if (!db) throw new RestoreError(`备份文件 ${path.basename(file)} 不完整：缺少数据库部分`);
  return {
    database: () => entryStream(file, db),
    find: (sm3) => {
      for (const a of chain) {
        const entry = a.entries.get(fileEntryName(sm3));
        if (entry) return { file: a.file, entry };
      }
      return undefined;
    },
    archives: chain,
  };
}

class DigestMismatch extends Error {}

/** A pass-through that fails at its end when the bytes' SM3 differs from `expected` (the store then keeps nothing). */
function checkedAgainst(expected: string, hasher: { update(chunk: Buffer): void; digest(): string }): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc, cb: TransformCallback) {
      hasher.update(chunk);
      cb(null, chunk);
    },
    flush(cb: TransformCallback) {
      cb(hasher.digest() === expected ? null : new DigestMismatch(expected));
    },
  });
}

/**
 * Every file the restored rows refer to, from the chain into the store: all present first (else
 * nothing is copied), the target store without any of the keys, then each digest streamed through
 * its check and placed under its first key, and copied from there to any other key with the same
 * digest. Placed keys are pushed to `placed` as they land, so the caller can remove them on failure.
 */
async function restoreFiles(
  deps: Deps,
  source: RestoreSource,
  refs: FileRef[],
  placed: string[],
  log: (m: string) => void,
): Promise<{ files: number; bytes: number }> {
  const groups = byDigest(refs);
  const missing = groups.filter(([sm3]) => !source.find(sm3));
  if (missing.length) {
    const [sm3, list] = missing[0];
    const where = !source.archives.length
      ? '（这是只含数据库的旧格式备份）'
      : source.archives.length > 1
        ? `（备份链 ${source.archives.map((a) => path.basename(a.file)).join(' → ')} 中都没有）`
        : '';
    throw new RestoreError(
      `备份中缺少文件 ${sm3}（文件键 ${list[0].key}，${describeRef(list[0])}）${missing.length > 1 ? `，共缺少 ${missing.length} 个文件` : ''}${where}`,
    );
  }
  for (const r of refs)
    if (await deps.files.blobs.exists(r.key))
      throw new RestoreError(`目标文件存储中已有文件 ${r.key}（${describeRef(r)}）：恢复只能写入新的数据目录`);
  let bytes = 0;
  let done = 0;
  for (const [sm3, list] of groups) {
    const at = source.find(sm3) as { file: string; entry: TarEntry };
    const first = list[0];
    try {
      // A read error of the archive ends up on the checked stream the store reads, like a mismatch.
      await deps.files.blobs.put(
        first.key,
        pipelineCb(entryStream(at.file, at.entry), checkedAgainst(sm3, deps.crypto.sm3Hasher()), () => {}),
      );
    } catch (e) {
      if (e instanceof DigestMismatch)
        throw new RestoreError(
          `备份 ${path.basename(at.file)} 中的文件 ${sm3} 已被改动：内容与 SM3 摘要不符（文件键 ${first.key}，${describeRef(first)}）`,
        );
      throw e;
    }
    placed.push(first.key);
    for (const r of list.slice(1)) {
      await deps.files.blobs.put(r.key, await deps.files.open(first.key, sm3));
      placed.push(r.key);
    }
    bytes += at.entry.size;
    done++;
    if (done % 1000 === 0) log(`已恢复 ${done} 个文件（${(bytes / 1024 / 1024).toFixed(0)} MB）`);
  }
  return { files: groups.length, bytes };
}

export interface RestoreResult {
  tables: number;
  rows: number;
  /** Distinct files placed in the store (by digest), and their bytes. */
  files: number;
  fileBytes: number;
  /** Archives read: the archive and its bases. */
  archives: string[];
  ms: number;
}

export async function restore(deps: Deps, file: string, log: (m: string) => void): Promise<RestoreResult> {
  const t0 = Date.now();
  if (!fs.existsSync(file)) throw new RestoreError(`找不到备份文件 ${file}`);
  const source = await restoreSource(path.resolve(file));
  if (source.archives.length > 1)
    log(
      `备份链：${source.archives.map((a) => `${path.basename(a.file)}（${a.header.kind === 'full' ? '完整' : '增量'}）`).join(' → ')}`,
    );
  const client = await deps.database.pool.connect();
  let manifest: { version: number; tables: TableRecord[] } | null = null;
  let copied = { files: 0, bytes: 0 };
  const placed: string[] = [];
  try {
    const names = await backedUpTables(client);
    const nonEmpty: string[] = [];
    for (const n of names)
      if ((await client.query(`select exists (select 1 from ${ident(n)}) as x`)).rows[0].x) nonEmpty.push(n);
    if (nonEmpty.length)
      throw new Error(
        `目标数据库不是空的（${nonEmpty.join('、')} 中已有数据）：恢复只能写入新建的空数据库（换一个 DANGJIAN_DATA_DIR 或 DATABASE_URL）`,
      );
    await client.query('begin');
    try {
      manifest = await loadArchive(deps, client, source.database, names, log);
      await client.query(
        `select setval(pg_get_serial_sequence('audit_log', 'seq'), coalesce((select max(seq) from audit_log), 1))`,
      );
      // Checked before the commit (and before any file is copied): with the wrong keys nothing is kept, and the restore can be run again with the right ones.
      const v = await verifyAudit(drizzle(client, { schema }), deps.crypto);
      if (!v.ok)
        throw new RestoreError(
          '恢复的审计日志无法用当前密钥校验：请把原数据目录中的 keys.json 复制到新数据目录后重新恢复',
        );
      copied = await restoreFiles(deps, source, await fileReferences(client, names), placed, log);
      if (copied.files)
        log(`恢复文件：${copied.files} 个，${(copied.bytes / 1024 / 1024).toFixed(1)} MB，SM3 摘要均一致`);
      await client.query('commit');
    } catch (e) {
      await client.query('rollback').catch(() => {});
      throw e;
    }
  } catch (e) {
    for (const key of placed) await deps.files.blobs.delete(key).catch(() => {});
    throw e;
  } finally {
    client.release();
  }
  if (!manifest) throw new RestoreError('备份文件中没有清单');
  // Every table was written in bulk: the visibility map and the planner's statistics now, not when
  // autovacuum gets to them (issue 21; as the owner, which the CLI's restore connects as).
  await deps.database.pool.query('vacuum analyze');
  const done: { tables: TableRecord[] } = manifest;
  const rows = done.tables.reduce((a, b) => a + b.rows, 0);
  await deps.database.db.transaction((tx) =>
    writeAudit(tx, deps.crypto, CLI_ACTOR, [
      {
        action: 'system.restore',
        detail: { file, tables: done.tables.length, rows, files: copied.files, fileBytes: copied.bytes },
      },
    ]),
  );
  // A new data directory (or one that anchored another database) gets the restored chain's head.
  await deps.anchor?.record(deps.database.db, { force: true });
  return {
    tables: done.tables.length,
    rows,
    files: copied.files,
    fileBytes: copied.bytes,
    archives: source.archives.map((a) => a.file),
    ms: Date.now() - t0,
  };
}

/**
 * Stream the database part into the open transaction and verify it; returns its closing record.
 * Archives of version 1 (no header, tables in alphabetical order, digests over sorted lines) are read too.
 */
async function loadArchive(
  deps: Deps,
  client: Runner,
  open: () => Readable,
  names: string[],
  log: (m: string) => void,
): Promise<{ version: number; tables: TableRecord[] }> {
  const current = await latestMigration(client);
  // Nothing is awaited between opening the file and iterating it: readline emits lines as soon as
  // the stream flows, and lines emitted before the iterator exists would be lost.
  const source = open();
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
    const insert = (lines: string[]) =>
      client.query(`insert into ${ident(t)} select * from json_populate_recordset(null::${ident(t)}, $1::json)`, [
        `[${lines.join(',')}]`,
      ]);
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
    if (!names.includes(name))
      throw new RestoreError(`备份中的表 ${name} 在当前数据库中不存在：请先升级平台版本`, name, lineNo);
    if (loaded.includes(name)) throw new RestoreError(`备份文件中表 ${name} 的行不连续，文件可能已损坏`, name, lineNo);
    if (version >= 2 && declared && declared[loaded.length] !== name)
      throw new RestoreError(`备份文件中的表顺序与文件头不符，文件可能已损坏`, name, lineNo);
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
      if (!rec || rec.name !== name)
        throw new RestoreError(`备份文件中表 ${name} 缺少结尾记录，文件可能已损坏`, name, lineNo);
      if (rec.rows !== tableRows || rec.sm3 !== digest.digest())
        throw new RestoreError(
          `备份文件中表 ${name} 的行数或摘要与记录不符（记录 ${rec.rows} 行，读到 ${tableRows} 行），文件可能已损坏`,
          name,
          lineNo,
        );
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
      let rec: {
        backup?: { version: number; migration: Migration | null; tables: string[] };
        end?: TableRecord;
        manifest?: { version: number; tables: TableRecord[] };
      };
      try {
        rec = JSON.parse(line);
      } catch {
        throw new RestoreError('这一行无法解析，备份文件已损坏', table ?? undefined, lineNo);
      }
      if (rec.backup) {
        if (lineNo !== 1) throw new RestoreError('文件头不在第一行，备份文件已损坏', undefined, lineNo);
        version = rec.backup.version;
        if (version !== TABLES_VERSION)
          throw new RestoreError(`不支持的备份格式版本 ${version}：请用生成它的平台版本恢复`, undefined, lineNo);
        declared = rec.backup.tables;
        const missing = declared.filter((n) => !names.includes(n));
        if (missing.length)
          throw new RestoreError(
            `备份中的表 ${missing.join('、')} 在当前数据库中不存在：请先升级平台版本`,
            undefined,
            lineNo,
          );
        if (rec.backup.migration && current && rec.backup.migration.hash !== current.hash) {
          throw new RestoreError(
            '备份与当前平台的数据库结构版本不同：请用生成该备份的平台版本恢复，或先把该版本升级到当前版本后再备份',
            undefined,
            lineNo,
          );
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
    if (failed.error || (e as { code?: string }).code?.startsWith('Z_'))
      throw unreadable(failed.error ?? e, table, lineNo);
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
    if (!names.includes(rec.name))
      throw new RestoreError(`备份中的表 ${rec.name} 在当前数据库中不存在：请先升级平台版本`, rec.name);
    if (version >= 2) {
      const end = ends.get(rec.name);
      if (!end || end.rows !== rec.rows || end.sm3 !== rec.sm3)
        throw new RestoreError('清单与表的结尾记录不符，备份文件已损坏', rec.name);
    } else if (rec.rows > 0 && !loaded.includes(rec.name)) {
      throw new RestoreError('清单列出的表在文件中没有数据，备份文件已损坏', rec.name);
    }
  }
  const listed = new Set(m.tables.map((r) => r.name));
  const stray = loaded.filter((n) => !listed.has(n));
  if (stray.length) throw new RestoreError(`文件中的表 ${stray.join('、')} 不在清单中，备份文件已损坏`, stray[0]);

  // What the database now holds, read back: the same rows, byte for byte, as the archive says.
  for (const rec of m.tables) {
    const got =
      version >= 2
        ? await restoredDigest(deps, client, rec.name, await rowOrder(client, rec.name), false)
        : await restoredDigest(deps, client, rec.name, 'j collate "C"', true);
    if (got.rows !== rec.rows || got.sm3 !== rec.sm3)
      throw new RestoreError(
        `恢复后表 ${rec.name} 的行数或摘要与备份不一致（备份 ${rec.rows} 行，恢复 ${got.rows} 行）`,
        rec.name,
      );
    log(`恢复 ${rec.name}：${rec.rows} 行，摘要一致`);
  }
  for (const [name, trigger] of disabled)
    await client.query(`alter table ${ident(name)} enable trigger ${ident(trigger)}`);
  if (disabled.length)
    log(
      `恢复期间停用的插入触发器已重新启用：${disabled.map(([, t]) => t).join('、')}（组织人数等派生数据按备份原样恢复）`,
    );
  return m;
}

/**
 * Count and SM3 digest of a restored table read back through a cursor. Version 2: each row's text
 * and a newline, in the backup's order (timestamps in UTC, as written). Version 1: the rows sorted
 * and joined by newlines, in the server's default time zone (as the version 1 backup wrote them).
 */
async function restoredDigest(
  deps: Deps,
  client: Runner,
  table: string,
  order: string,
  v1: boolean,
): Promise<{ rows: number; sm3: string }> {
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
