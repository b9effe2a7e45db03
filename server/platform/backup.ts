/**
 * Online backup and restore inside the platform (engineering.md: the embedded server ships no pg_dump).
 * Every table is read in one REPEATABLE READ snapshot while writes go on, written as gzip'd JSON lines
 * with per-table row counts and SM3 digests; restore loads into an empty database in one transaction
 * and checks counts and digests again. Keys are not in the archive (SEC-16): copy keys.json yourself.
 */
import fs from 'node:fs';
import readline from 'node:readline';
import zlib from 'node:zlib';
import { sql } from 'drizzle-orm';
import { verifyAudit, writeAudit } from './audit.ts';
import type { Deps } from './deps.ts';

const CLI_ACTOR = { userId: null, username: 'cli', roles: [], orgId: null, countyCode: null, ip: 'local', requestId: null };

interface TableRecord {
  name: string;
  rows: number;
  sm3: string;
}

async function tableNames(deps: Deps): Promise<string[]> {
  const r = await deps.database.db.execute<{ table_name: string }>(
    sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
  );
  return r.rows.map((x) => x.table_name).filter((n) => n !== 'sessions' && n !== 'rate_limits');
}

function digest(deps: Deps, lines: string[]): string {
  return deps.crypto.sm3([...lines].sort().join('\n'));
}

export async function backup(deps: Deps, file: string, log: (m: string) => void) {
  const t0 = Date.now();
  const client = await deps.database.pool.connect();
  const gz = zlib.createGzip();
  const out = fs.createWriteStream(file, { mode: 0o600 });
  gz.pipe(out);
  const tables: TableRecord[] = [];
  let total = 0;
  try {
    await client.query('begin isolation level repeatable read read only');
    const migration = await client.query(`select hash, created_at from drizzle.__drizzle_migrations order by created_at desc limit 1`).catch(() => ({ rows: [] }));
    for (const name of await tableNames(deps)) {
      const res = await client.query(`select row_to_json(t)::text as j from "${name}" t`);
      const lines = res.rows.map((r: { j: string }) => r.j);
      for (const l of lines) gz.write(`${JSON.stringify({ t: name })}\t${l}\n`);
      tables.push({ name, rows: lines.length, sm3: digest(deps, lines) });
      total += lines.length;
      log(`备份 ${name}：${lines.length} 行`);
    }
    await client.query('commit');
    gz.write(`${JSON.stringify({ manifest: { version: 1, at: new Date().toISOString(), migration: migration.rows[0] ?? null, tables } })}\n`);
  } finally {
    client.release();
    gz.end();
  }
  await new Promise<void>((resolve, reject) => out.on('finish', resolve).on('error', reject));
  await deps.database.db.transaction((tx) =>
    writeAudit(tx, deps.crypto, CLI_ACTOR, [
      { action: 'system.backup', detail: { file, tables: tables.length, rows: total } },
    ]),
  );
  return { tables: tables.length, rows: total, bytes: fs.statSync(file).size, ms: Date.now() - t0 };
}

export async function restore(deps: Deps, file: string, log: (m: string) => void) {
  const t0 = Date.now();
  const names = await tableNames(deps);
  const nonEmpty = await deps.database.db.execute<{ n: number }>(sql`select (select count(*) from orgs) + (select count(*) from users) as n`);
  if (Number(nonEmpty.rows[0].n) > 0) throw new Error('目标数据库不是空的：恢复只能写入新建的空数据库（换一个 DANGJIAN_DATA_DIR 或 DATABASE_URL）');
  const byTable = new Map<string, string[]>();
  let manifest: { tables: TableRecord[] } | null = null;
  const rl = readline.createInterface({ input: fs.createReadStream(file).pipe(zlib.createGunzip()), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of rl) {
    if (!line) continue;
    const tab = line.indexOf('\t');
    if (tab < 0) {
      manifest = JSON.parse(line).manifest;
      continue;
    }
    const { t } = JSON.parse(line.slice(0, tab)) as { t: string };
    if (!byTable.has(t)) byTable.set(t, []);
    byTable.get(t)?.push(line.slice(tab + 1));
  }
  if (!manifest) throw new Error('备份文件不完整：缺少清单（可能在写入时中断）');
  const client = await deps.database.pool.connect();
  try {
    await client.query('begin');
    for (const rec of manifest.tables) {
      if (!names.includes(rec.name)) throw new Error(`备份中的表 ${rec.name} 在当前数据库中不存在：请先升级平台版本`);
      const lines = byTable.get(rec.name) ?? [];
      if (lines.length !== rec.rows || digest(deps, lines) !== rec.sm3) throw new Error(`备份文件中表 ${rec.name} 的行数或摘要不符，文件可能已损坏`);
      await client.query(`delete from "${rec.name}"`).catch(() => undefined);
      for (let i = 0; i < lines.length; i += 2000) {
        await client.query(`insert into "${rec.name}" select * from json_populate_recordset(null::"${rec.name}", $1::json)`, [`[${lines.slice(i, i + 2000).join(',')}]`]);
      }
      const check = await client.query(`select row_to_json(t)::text as j from "${rec.name}" t`);
      const got = check.rows.map((r: { j: string }) => r.j);
      if (got.length !== rec.rows || digest(deps, got) !== rec.sm3) throw new Error(`恢复后表 ${rec.name} 的行数或摘要与备份不一致`);
      log(`恢复 ${rec.name}：${rec.rows} 行，摘要一致`);
    }
    await client.query(`select setval(pg_get_serial_sequence('audit_log', 'seq'), coalesce((select max(seq) from audit_log), 1))`);
    await client.query('commit');
  } catch (e) {
    await client.query('rollback');
    throw e;
  } finally {
    client.release();
  }
  const v = await verifyAudit(deps.database.db, deps.crypto);
  if (!v.ok) throw new Error('恢复的审计日志无法用当前密钥校验：请把原数据目录中的 keys.json 复制到新数据目录后重新恢复');
  const rows = manifest.tables.reduce((a, b) => a + b.rows, 0);
  await deps.database.db.transaction((tx) => writeAudit(tx, deps.crypto, CLI_ACTOR, [{ action: 'system.restore', detail: { file, tables: manifest.tables.length, rows } }]));
  // A new data directory (or one that anchored another database) gets the restored chain's head.
  await deps.anchor?.record(deps.database.db, { force: true });
  return { tables: manifest.tables.length, rows, ms: Date.now() - t0 };
}
