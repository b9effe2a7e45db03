/**
 * Backup and restore (SEC-27): the table order is stated, not alphabetical; a round trip gives the
 * same rows (member counts not added twice); a damaged archive fails loudly, names the table and
 * line, and leaves the target empty; archives of the first format still restore.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connect, type Database, runMigrations } from '../db/index.ts';
import { ephemeralCrypto } from '../platform/crypto.ts';
import {
  backup,
  DATABASE_ENTRY,
  FILE_COLUMNS,
  RestoreError,
  restore,
  TABLE_PARENTS,
  TRANSIENT_TABLES,
  tableOrder,
} from '../platform/backup.ts';
import { entryStream, readTarIndex, type TarEntry, TarWriter } from '../platform/tar.ts';
import { setup, type TestCtx } from './harness.ts';

let t: TestCtx;
let archive: string;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-backup-test-'));

beforeAll(async () => {
  t = await setup();
  const admin = await t.login('admin');
  // Something of every kind: a moved member (history), an edited organization, audit entries.
  expect(
    (await t.req('PATCH', `/api/orgs/${t.fx.villageA1}`, { cookie: admin, body: { contactName: '备份测试' } })).status,
  ).toBe(200);
  const m = await t.req('GET', `/api/members/${t.fx.members.李四}`, { cookie: admin });
  expect(
    (
      await t.req('PATCH', `/api/members/${t.fx.members.李四}`, {
        cookie: admin,
        body: { orgId: t.fx.villageB1, version: m.json.version },
      })
    ).status,
  ).toBe(200);
  archive = path.join(tmp, 'good.tar');
  await backup(t.deps, archive, () => {});
});
afterAll(async () => {
  await t?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

let seq = 0;
/** A new database with the schema only, as `npm run cli -- restore` finds it. */
async function freshDb(): Promise<{ db: Database; url: string; name: string; drop: () => Promise<void> }> {
  const adminUrl = inject('pgAdminUrl');
  const name = `${inject('pgTemplate')}_t_bk${process.pid}_${seq++}`;
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  await c.query(`create database "${name}"`);
  await c.end();
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  const db = connect(u.toString(), 2);
  await runMigrations(db);
  return {
    db,
    url: u.toString(),
    name,
    drop: async () => {
      await db.close();
      const c2 = new pg.Client({ connectionString: adminUrl });
      await c2.connect();
      await c2.query(`drop database if exists "${name}" with (force)`);
      await c2.end();
    },
  };
}

async function tablesOf(db: Database): Promise<string[]> {
  const r = await db.pool.query<{ table_name: string }>(
    `select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
  );
  return r.rows.map((x) => x.table_name).filter((n) => !TRANSIENT_TABLES.has(n));
}

/** Every row of every backed-up table as text, sorted: two databases with the same rows give the same map. */
async function snapshot(db: Database): Promise<Record<string, string[]>> {
  const client = await db.pool.connect();
  try {
    await client.query(`set timezone to 'UTC'`);
    const out: Record<string, string[]> = {};
    for (const name of await tablesOf(db)) {
      const r = await client.query<{ j: string }>(
        `select j from (select row_to_json(t)::text as j from "${name}" t) x order by j collate "C"`,
      );
      out[name] = r.rows.map((x) => x.j);
    }
    return out;
  } finally {
    client.release();
  }
}

async function rowCounts(db: Database): Promise<number> {
  let n = 0;
  for (const name of await tablesOf(db))
    n += Number((await db.pool.query(`select count(*)::int as n from "${name}"`)).rows[0].n);
  return n;
}

async function insertTriggersEnabled(db: Database): Promise<string[]> {
  const r = await db.pool.query<{ tgname: string; tgenabled: string }>(
    `select tgname, tgenabled from pg_trigger where tgrelid = 'public.members'::regclass and not tgisinternal order by tgname`,
  );
  return r.rows.filter((x) => x.tgenabled === 'O').map((x) => x.tgname);
}

/** The bytes of one entry of an archive (a tar). */
async function entryBytes(file: string, name: string): Promise<Buffer> {
  const entry = (await readTarIndex(file)).find((e) => e.name === name);
  expect(entry, name).toBeDefined();
  const out: Buffer[] = [];
  for await (const c of entryStream(file, entry as TarEntry)) out.push(c as Buffer);
  return Buffer.concat(out);
}
/** The lines of an archive's database part. */
async function readLines(file: string): Promise<string[]> {
  return zlib
    .gunzipSync(await entryBytes(file, DATABASE_ENTRY))
    .toString('utf8')
    .split('\n');
}
/** A copy of `archive` whose database part is `database` (gzip'd) or these lines: every other entry as it was. */
async function withDatabase(name: string, database: string[] | Buffer, source = archive): Promise<string> {
  const file = path.join(tmp, name);
  const w = await TarWriter.create(file);
  for (const e of await readTarIndex(source)) {
    const bytes =
      e.name === DATABASE_ENTRY
        ? Buffer.isBuffer(database)
          ? database
          : zlib.gzipSync(database.join('\n'))
        : await entryBytes(source, e.name);
    await w.add(e.name, bytes);
  }
  await w.finish();
  return file;
}
const writeLines = (name: string, lines: string[]) => withDatabase(name, lines);
/** The index of the `k`-th row line of `table` in the archive. */
function rowLine(lines: string[], table: string, k = 0): number {
  const at = lines.map((l, i) => (l.startsWith(`{"t":"${table}"}\t`) ? i : -1)).filter((i) => i >= 0);
  expect(at.length).toBeGreaterThan(k);
  return at[k];
}

describe('table order', () => {
  it('puts every table after the tables its rows refer to, whatever the alphabet says', async () => {
    const tables = await tablesOf(t.database);
    const order = tableOrder(tables, TABLE_PARENTS);
    expect([...order].sort()).toEqual([...tables].sort());
    const loadsBefore = (a: string, b: string) =>
      expect(order.indexOf(a), `${a} before ${b}`).toBeLessThan(order.indexOf(b));
    // Each of these children sorts before its parent alphabetically.
    loadsBefore('orgs', 'members');
    loadsBefore('orgs', 'account_requests');
    loadsBefore('users', 'account_requests');
    loadsBefore('members', 'member_org_history');
    loadsBefore('orgs', 'member_org_history');
    loadsBefore('members', 'org_posts');
    loadsBefore('users', 'org_events');
    expect(tableOrder(['a_child', 'b_free', 'z_parent'], { a_child: ['z_parent'], b_free: [], z_parent: [] })).toEqual([
      'b_free',
      'z_parent',
      'a_child',
    ]);
  });

  it('refuses a table without a stated place, and a cycle', () => {
    expect(() => tableOrder(['orgs', 'new_table'], TABLE_PARENTS)).toThrow(/new_table 未登记备份顺序/);
    expect(() => tableOrder(['a', 'b'], { a: ['b'], b: ['a'] })).toThrow(/成环/);
  });

  it('writes the archive in that order, parents first, with a header and an end record per table', async () => {
    const lines = await readLines(archive);
    const header = JSON.parse(lines[0]).backup;
    expect(header.version).toBe(2);
    expect(header.tables).toEqual(tableOrder(header.tables, TABLE_PARENTS));
    const firstRow = (table: string) => rowLine(lines, table);
    expect(firstRow('orgs')).toBeLessThan(firstRow('members'));
    expect(firstRow('members')).toBeLessThan(firstRow('member_org_history'));
    // Inside orgs, a parent comes before its children.
    const orgs = lines
      .filter((l) => l.startsWith('{"t":"orgs"}\t'))
      .map((l) => JSON.parse(l.slice(l.indexOf('\t') + 1)) as { id: string; parent_id: string | null });
    const seen = new Set<string>();
    for (const o of orgs) {
      if (o.parent_id) expect(seen.has(o.parent_id)).toBe(true);
      seen.add(o.id);
    }
    const ends = lines.filter((l) => l.startsWith('{"end":')).map((l) => JSON.parse(l).end.name);
    expect(ends).toEqual(header.tables);
    expect(
      JSON.parse(lines.filter(Boolean).at(-1) as string).manifest.tables.map((x: { name: string }) => x.name),
    ).toEqual(header.tables);
  });
});

describe('files by declaration', () => {
  it('every declared file column exists, and every column that looks like a blob key is declared with its digest', async () => {
    const r = await t.database.pool.query<{ c: string }>(
      `select table_name || '.' || column_name as c from information_schema.columns where table_schema = 'public'`,
    );
    const columns = r.rows.map((x) => x.c);
    for (const f of FILE_COLUMNS) {
      expect(columns).toContain(`${f.table}.${f.key}`);
      expect(columns).toContain(`${f.table}.${f.sm3}`);
    }
    const blobLike = columns.filter((c) => /\.(\w+_)?(blob|thumb|file)_key$/.test(c)).sort();
    expect(blobLike).toEqual(FILE_COLUMNS.map((f) => `${f.table}.${f.key}`).sort());
    expect(blobLike).toContain('evidence.blob_key');
  });
});

describe('round trip', () => {
  it('restores the same rows into a fresh database: counts and digests equal, member counts not added twice', async () => {
    const fresh = await freshDb();
    try {
      const messages: string[] = [];
      const done = await restore({ ...t.deps, database: fresh.db, anchor: undefined }, archive, (m) =>
        messages.push(m),
      );
      const source = await snapshot(t.database);
      const restored = await snapshot(fresh.db);
      // The restore adds its own audit entry; everything else is identical.
      const isRestore = (j: string) => JSON.parse(j).action === 'system.restore';
      expect(restored.audit_log.filter(isRestore)).toHaveLength(1);
      restored.audit_log = restored.audit_log.filter((j) => !isRestore(j));
      source.audit_log = source.audit_log.filter((j) => JSON.parse(j).action !== 'system.backup');
      expect(restored).toEqual(source);
      expect(done.rows).toBe(Object.values(source).reduce((a, b) => a + b.length, 0));
      const counts = await fresh.db.db.execute<{ id: string; member_count: number; n: number }>(
        sql`select o.id, o.member_count, (select count(*)::int from members m where m.org_id = o.id) as n from orgs o`,
      );
      for (const o of counts.rows) expect(o.member_count, o.id).toBe(o.n);
      expect(counts.rows.some((o) => o.n > 0)).toBe(true);
      // The count triggers are on again once the restore is done.
      expect(await insertTriggersEnabled(fresh.db)).toEqual([
        'members_count_delete',
        'members_count_insert',
        'members_count_update',
      ]);
      expect(messages.join('\n')).toContain('members_count_insert');
      expect(messages.filter((m) => m.includes('摘要一致'))).toHaveLength((await tablesOf(fresh.db)).length);
    } finally {
      await fresh.drop();
    }
  });

  it('restores an archive of the first format (alphabetical tables, digests over sorted rows)', async () => {
    const file = path.join(tmp, 'v1.json.gz');
    await writeVersion1(t.database, file);
    const fresh = await freshDb();
    try {
      await restore({ ...t.deps, database: fresh.db, anchor: undefined }, file, () => {});
      const restored = await snapshot(fresh.db);
      restored.audit_log = restored.audit_log.filter((j) => JSON.parse(j).action !== 'system.restore');
      expect(restored).toEqual(await snapshot(t.database));
    } finally {
      await fresh.drop();
    }
  });
});

/** The first format as the platform wrote it until archives were streamed: kept to prove those archives still restore. */
async function writeVersion1(db: Database, file: string) {
  const tables = (await tablesOf(db)).sort();
  const out: string[] = [];
  const recs: { name: string; rows: number; sm3: string }[] = [];
  for (const name of tables) {
    const r = await db.pool.query<{ j: string }>(`select row_to_json(t)::text as j from "${name}" t`);
    const lines = r.rows.map((x) => x.j);
    for (const l of lines) out.push(`${JSON.stringify({ t: name })}\t${l}`);
    recs.push({ name, rows: lines.length, sm3: t.deps.crypto.sm3([...lines].sort().join('\n')) });
  }
  out.push(JSON.stringify({ manifest: { version: 1, at: new Date().toISOString(), migration: null, tables: recs } }));
  fs.writeFileSync(file, zlib.gzipSync(`${out.join('\n')}\n`));
}

describe('a damaged archive fails loudly and leaves the target empty', () => {
  async function expectRefused(file: string, message: RegExp): Promise<string> {
    const fresh = await freshDb();
    try {
      const err = await restore({ ...t.deps, database: fresh.db, anchor: undefined }, file, () => {}).then(
        () => null,
        (e: Error) => e,
      );
      expect(err).toBeInstanceOf(RestoreError);
      expect(err?.message).toMatch(message);
      expect(err?.message).toContain('数据库未作任何改动');
      expect(await rowCounts(fresh.db)).toBe(0);
      expect(await insertTriggersEnabled(fresh.db)).toContain('members_count_insert');
      return String(err?.message);
    } finally {
      await fresh.drop();
    }
  }

  it('a line cut in the middle of the members: the table and the line are named', async () => {
    const lines = await readLines(archive);
    const i = rowLine(lines, 'members', 2);
    lines[i] = lines[i].slice(0, Math.floor(lines[i].length / 2));
    await expectRefused(
      await writeLines('cut-line.tar', lines),
      new RegExp(`这一行不是完整的数据行.*表 members，备份文件第 ${i + 1} 行`),
    );
  });

  it('a row the database refuses: named by its line, without the value it holds', async () => {
    const lines = await readLines(archive);
    const i = rowLine(lines, 'members', 1);
    const row = JSON.parse(lines[i].slice(lines[i].indexOf('\t') + 1));
    row.org_id = 'not-a-uuid-张三';
    lines[i] = `{"t":"members"}\t${JSON.stringify(row)}`;
    const msg = await expectRefused(
      await writeLines('bad-row.tar', lines),
      new RegExp(`数据库拒绝写入这一行.*表 members，备份文件第 ${i + 1} 行`),
    );
    expect(msg).not.toContain('张三');
  });

  it("a changed value: the digest differs from the table's end record", async () => {
    const lines = await readLines(archive);
    const i = rowLine(lines, 'orgs', 0);
    lines[i] = lines[i].replace(/"name":"[^"]*"/, '"name":"被改动的组织"');
    await expectRefused(await writeLines('changed.tar', lines), /表 orgs 的行数或摘要与记录不符.*表 orgs/);
  });

  it('a missing row: the count differs', async () => {
    const lines = await readLines(archive);
    lines.splice(rowLine(lines, 'member_org_history', 0), 1);
    await expectRefused(await writeLines('missing.tar', lines), /表 member_org_history 的行数或摘要与记录不符/);
  });

  it('an archive cut short: the database part without its closing record or its gzip stream broken, the tar without its end', async () => {
    const lines = (await readLines(archive)).filter(Boolean);
    await expectRefused(await writeLines('no-manifest.tar', lines.slice(0, -1)), /缺少清单/);
    const gz = await entryBytes(archive, DATABASE_ENTRY);
    await expectRefused(
      await withDatabase('cut-gzip.tar', gz.subarray(0, Math.floor(gz.length * 0.6))),
      /不完整或已损坏，无法读取或解压/,
    );
    const whole = fs.readFileSync(archive);
    const cut = path.join(tmp, 'cut.tar');
    fs.writeFileSync(cut, whole.subarray(0, Math.floor(whole.length * 0.6)));
    await expectRefused(cut, /不完整或已损坏/);
  });

  it('the wrong keys: the audit chain does not verify, nothing is kept, and the right keys then restore', async () => {
    const fresh = await freshDb();
    try {
      await expect(
        restore({ ...t.deps, crypto: ephemeralCrypto(), database: fresh.db, anchor: undefined }, archive, () => {}),
      ).rejects.toThrow(/keys\.json.*数据库未作任何改动/);
      expect(await rowCounts(fresh.db)).toBe(0);
      await restore({ ...t.deps, database: fresh.db, anchor: undefined }, archive, () => {});
      expect(await rowCounts(fresh.db)).toBeGreaterThan(0);
    } finally {
      await fresh.drop();
    }
  });

  it('a target that is not empty is refused before anything is written', async () => {
    const fresh = await freshDb();
    try {
      await fresh.db.db.execute(
        sql`insert into settings (county_code, key, value) values ('410225', 'security.idleMinutes', '15'::jsonb)`,
      );
      await expect(restore({ ...t.deps, database: fresh.db, anchor: undefined }, archive, () => {})).rejects.toThrow(
        /不是空的（settings/,
      );
      expect(await rowCounts(fresh.db)).toBe(1);
    } finally {
      await fresh.drop();
    }
  });

  it('`npm run cli -- restore` exits 1 with the Chinese message', async () => {
    const lines = await readLines(archive);
    const i = rowLine(lines, 'members', 0);
    lines[i] = `${lines[i].slice(0, -5)}`;
    const file = await writeLines('cli.tar', lines);
    const fresh = await freshDb();
    const dir = fs.mkdtempSync(path.join(tmp, 'cli-data-'));
    try {
      const appUrl = t.appUrlFor(fresh.name);
      const r = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'restore', file], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          DATABASE_URL: fresh.url,
          DANGJIAN_APP_DATABASE_URL: appUrl,
          DANGJIAN_DATA_DIR: dir,
          DANGJIAN_KEYS: t.keysJson,
        },
      });
      expect(r.status, r.stdout + r.stderr).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`失败：这一行不是完整的数据行.*表 members，备份文件第 ${i + 1} 行`));
      expect(await rowCounts(fresh.db)).toBe(0);
    } finally {
      await fresh.drop();
    }
  });
});
