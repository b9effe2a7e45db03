/**
 * The backup drill (SEC-27, SEC-36): a county with evidence uploaded through the real route is backed
 * up, restored into a new database and a new file store, and an app built on what was restored gives
 * every file back identical, with a verified audit chain and the same rows. A file missing from or
 * altered in the archive refuses the whole restore, naming the file and the record, and leaves an
 * empty database and no files; an incremental archive restores with its base and is refused without
 * it; a backup taken while uploads run, or while a file is retired, stays consistent.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildApp } from '../app.ts';
import { connect, type Database, runMigrations } from '../db/index.ts';
import { grantAppPrivileges } from '../db/roles.ts';
import { ANCHOR_FILE, AuditAnchor } from '../platform/anchor.ts';
import { verifyAudit } from '../platform/audit.ts';
import {
  BackupError,
  backup,
  DATABASE_ENTRY,
  fileEntryName,
  MANIFEST_ENTRY,
  RestoreError,
  restore,
  TRANSIENT_TABLES,
} from '../platform/backup.ts';
import type { Deps } from '../platform/deps.ts';
import { createFileService } from '../platform/files/file-service.ts';
import { entryStream, readTarIndex, TarWriter } from '../platform/tar.ts';
import { multipart, ORIGIN, PASSWORD, setup, type TestCtx } from './harness.ts';

let t: TestCtx;
let admin: string;
const meetings: string[] = [];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-drill-'));
const backups = path.join(tmp, 'backups');
let full: string;

/** A distinct picture per seed (so each has its own digest), with structure for its dHash. */
function picture(seed: number): Promise<Buffer> {
  const w = 160;
  const h = 120;
  const px = Buffer.alloc(w * h * 3);
  for (let i = 0; i < px.length; i++) px[i] = (Math.floor(i / 601) * (seed * 37 + 11) + seed * 13) % 251;
  return sharp(px, { raw: { width: w, height: h, channels: 3 } })
    .jpeg({ quality: 90 })
    .toBuffer();
}

async function upload(
  app: FastifyInstance,
  cookie: string,
  meetingId: string,
  file: Buffer,
  name: string,
): Promise<string> {
  const mp = multipart(file, name);
  const res = await app.inject({
    method: 'POST',
    url: `/api/meetings/${meetingId}/evidence`,
    headers: { cookie, origin: ORIGIN, host: 'localhost:80', 'content-type': mp.type },
    payload: mp.body,
  });
  if (res.statusCode !== 201) throw new Error(`upload ${name}: ${res.statusCode} ${res.body}`);
  return res.json().id;
}

async function get(app: FastifyInstance, cookie: string, url: string): Promise<Buffer> {
  const res = await app.inject({ method: 'GET', url, headers: { cookie, host: 'localhost:80' } });
  if (res.statusCode !== 200) throw new Error(`GET ${url}: ${res.statusCode} ${res.body}`);
  return res.rawPayload;
}

async function login(app: FastifyInstance, username: string): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    headers: { origin: ORIGIN, host: 'localhost:80' },
    payload: { username, password: PASSWORD },
  });
  if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`);
  return String(res.headers['set-cookie']).split(';')[0];
}

/** Every live evidence file and thumbnail as the app serves them, by evidence id. */
async function downloads(app: FastifyInstance, cookie: string, db: Database): Promise<Map<string, Buffer>> {
  const rows = await db.db.execute<{ id: string; thumb_key: string | null }>(
    sql`select id, thumb_key from evidence where deleted_at is null order by id`,
  );
  const out = new Map<string, Buffer>();
  for (const r of rows.rows) {
    out.set(r.id, await get(app, cookie, `/api/evidence/${r.id}`));
    if (r.thumb_key) out.set(`${r.id}/thumbnail`, await get(app, cookie, `/api/evidence/${r.id}/thumbnail`));
  }
  return out;
}

/** Files under a store's root, partial and retired ones apart. */
function blobFiles(filesDir: string): string[] {
  const root = path.join(filesDir, 'blobs');
  if (!fs.existsSync(root)) return [];
  return (fs.readdirSync(root, { recursive: true }) as string[])
    .filter((p) => !p.startsWith('.') && fs.statSync(path.join(root, p)).isFile())
    .sort();
}

async function counts(db: Database): Promise<Record<string, number>> {
  const r = await db.pool.query<{ table_name: string }>(
    `select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
  );
  const out: Record<string, number> = {};
  for (const { table_name } of r.rows)
    if (!TRANSIENT_TABLES.has(table_name))
      out[table_name] = Number((await db.pool.query(`select count(*)::int as n from "${table_name}"`)).rows[0].n);
  return out;
}

let seq = 0;
/** A new installation: an empty migrated database (the owner's connection, as `restore` runs) and a new data directory. */
async function newInstallation(): Promise<{
  deps: Deps;
  owner: Database;
  dbName: string;
  dataDir: string;
  drop: () => Promise<void>;
}> {
  const adminUrl = inject('pgAdminUrl');
  const dbName = `${inject('pgTemplate')}_t_drill${process.pid}_${seq++}`;
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  await c.query(`create database "${dbName}"`);
  await c.end();
  const u = new URL(adminUrl);
  u.pathname = `/${dbName}`;
  const owner = connect(u.toString(), 2);
  await runMigrations(owner);
  // As a start on a new data directory does: the app's least-privilege role may use the new tables.
  await grantAppPrivileges(owner, inject('pgAppRole'));
  const dataDir = fs.mkdtempSync(path.join(tmp, 'data-'));
  const filesDir = path.join(dataDir, 'files');
  const deps: Deps = {
    ...t.deps,
    database: owner,
    filesDir,
    files: createFileService(filesDir, t.deps.crypto),
    anchor: new AuditAnchor(path.join(dataDir, ANCHOR_FILE), t.deps.crypto),
  };
  return {
    deps,
    owner,
    dbName,
    dataDir,
    drop: async () => {
      await owner.close();
      const c2 = new pg.Client({ connectionString: adminUrl });
      await c2.connect();
      await c2.query(`drop database if exists "${dbName}" with (force)`);
      await c2.end();
    },
  };
}

/** Restore `file` into a new installation, expecting a refusal: its message, with nothing left behind. */
async function expectRefused(file: string, message: RegExp): Promise<string> {
  const target = await newInstallation();
  try {
    const err = await restore(target.deps, file, () => {}).then(
      () => null,
      (e: Error) => e,
    );
    expect(err).toBeInstanceOf(RestoreError);
    expect(err?.message).toMatch(message);
    expect(err?.message).toContain('数据库未作任何改动，文件存储中也未留下文件');
    expect(Object.values(await counts(target.owner)).reduce((a, b) => a + b, 0)).toBe(0);
    expect(blobFiles(target.deps.filesDir)).toEqual([]);
    expect(fs.readdirSync(path.join(target.deps.filesDir, 'blobs', '.tmp'))).toEqual([]);
    return String(err?.message);
  } finally {
    await target.drop();
  }
}

/** A copy of an archive with one entry changed (`bytes`) or left out (`null`). */
async function rewrite(source: string, name: string, change: Record<string, Buffer | null>): Promise<string> {
  const file = path.join(path.dirname(source), name);
  const w = await TarWriter.create(file);
  for (const e of await readTarIndex(source)) {
    if (e.name in change) {
      const b = change[e.name];
      if (b) await w.add(e.name, b);
      continue;
    }
    const out: Buffer[] = [];
    for await (const c of entryStream(source, e)) out.push(c as Buffer);
    await w.add(e.name, Buffer.concat(out));
  }
  await w.finish();
  return file;
}

async function manifestOf(file: string) {
  const entry = (await readTarIndex(file)).find((e) => e.name === MANIFEST_ENTRY);
  const out: Buffer[] = [];
  for await (const c of entryStream(file, entry as never)) out.push(c as Buffer);
  return JSON.parse(Buffer.concat(out).toString('utf8'));
}

beforeAll(async () => {
  t = await setup();
  admin = await t.login('admin');
  for (const [org, at] of [
    [t.fx.villageA1, '2026-04-11T09:00:00+08:00'],
    [t.fx.villageB1, '2026-04-12T09:00:00+08:00'],
  ]) {
    const r = await t.req('POST', '/api/meetings', {
      cookie: admin,
      body: { orgId: org, kind: 'branchMeeting', startsAt: at },
    });
    expect(r.status, r.body).toBe(201);
    meetings.push(r.json.id);
  }
  await upload(t.app, admin, meetings[0], await picture(1), '会场.jpg');
  await upload(t.app, admin, meetings[0], await picture(2), '签到表.jpg');
  // The same picture on the other meeting: two records, one digest (one copy in the archive, two keys restored).
  await upload(t.app, admin, meetings[1], await picture(1), '会场-重复.jpg');
  await upload(
    t.app,
    admin,
    meetings[1],
    Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(3000, 0x41)]),
    '会议记录.pdf',
  );
  fs.mkdirSync(backups);
  full = path.join(backups, 'full.tar');
});
afterAll(async () => {
  await t?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('the drill', () => {
  it('backs up the county with its evidence and restores it into a new installation: same rows, same files, a verified audit chain', async () => {
    const served = await downloads(t.app, admin, t.database);
    const before = await counts(t.database);
    expect(served.size).toBe(7); // three pictures with thumbnails, one PDF
    const rec = await backup(t.deps, full, () => {});
    expect(rec).toMatchObject({ kind: 'full', base: null, fromBase: 0 });
    // Five distinct files: two pictures (one on two records) with their thumbnails, the PDF.
    expect(rec.referenced).toBe(5);
    expect(rec.files).toBe(5);
    const names = (await readTarIndex(full)).map((e) => e.name);
    expect(names[0]).toBe('backup.json');
    expect(names[1]).toBe(DATABASE_ENTRY);
    expect(names.at(-1)).toBe(MANIFEST_ENTRY);
    expect(names.filter((n) => n.startsWith('files/'))).toHaveLength(5);

    const target = await newInstallation();
    let app: FastifyInstance | null = null;
    let appDb: Database | null = null;
    try {
      const done = await restore(target.deps, full, () => {});
      expect(done).toMatchObject({ files: 5 });
      const after = await counts(target.owner);
      // The archive holds the rows as they were before the backup's own audit entry; the restore adds one.
      expect(after).toEqual({ ...before, audit_log: before.audit_log + 1 });
      expect(blobFiles(target.deps.filesDir)).toHaveLength(7); // one file per key: the shared digest under both keys
      expect((await verifyAudit(target.owner.db, t.deps.crypto, target.deps.anchor)).ok).toBe(true);
      // The platform on the restored database and store: every file downloads identical through the real route.
      appDb = connect(t.appUrlFor(target.dbName), 3);
      app = await buildApp({ ...target.deps, database: appDb });
      await app.ready();
      const cookie = await login(app, 'admin');
      const restored = await downloads(app, cookie, appDb);
      expect([...restored.keys()]).toEqual([...served.keys()]);
      for (const [k, v] of served) expect(restored.get(k)?.equals(v), k).toBe(true);
    } finally {
      await app?.close();
      await appDb?.close();
      await target.drop();
    }
  });

  it('refuses an archive with a file missing, naming the file and the record; nothing is left', async () => {
    const m = await manifestOf(full);
    const gone = m.files[0].sm3 as string;
    const ref = await t.database.db.execute<{ id: string }>(
      sql`select id from evidence where sm3 = ${gone} or thumb_sm3 = ${gone} order by id limit 1`,
    );
    const file = await rewrite(full, 'missing-file.tar', { [fileEntryName(gone)]: null });
    const msg = await expectRefused(file, new RegExp(`备份中缺少文件 ${gone}.*表 evidence，记录 ${ref.rows[0].id}`));
    expect(msg).toMatch(/列 (blob_key|thumb_key)/);
  });

  it('refuses an archive with a file altered, naming the file and the record; nothing is left (files placed before it removed)', async () => {
    const m = await manifestOf(full);
    // The last file in digest order: the others are already placed when it is found altered.
    const changed = m.files.at(-1).sm3 as string;
    const entry = (await readTarIndex(full)).find((e) => e.name === fileEntryName(changed));
    const out: Buffer[] = [];
    for await (const c of entryStream(full, entry as never)) out.push(c as Buffer);
    const bytes = Buffer.concat(out);
    bytes[Math.floor(bytes.length / 2)] ^= 0xff;
    const file = await rewrite(full, 'altered-file.tar', { [fileEntryName(changed)]: bytes });
    await expectRefused(
      file,
      new RegExp(
        `altered-file\\.tar 中的文件 ${changed} 已被改动：内容与 SM3 摘要不符.*表 evidence，记录 [0-9a-f-]{36}`,
      ),
    );
  });

  it('an incremental archive copies only the new files, restores with its base, and is refused without it', async () => {
    await upload(t.app, admin, meetings[1], await picture(3), '新照片.jpg');
    const incr = path.join(backups, 'incr.tar');
    const rec = await backup(t.deps, incr, () => {}, { base: full });
    expect(rec).toMatchObject({ kind: 'incremental', base: 'full.tar', files: 2, fromBase: 5, referenced: 7 });
    const served = await downloads(t.app, admin, t.database);

    const target = await newInstallation();
    let app: FastifyInstance | null = null;
    let appDb: Database | null = null;
    try {
      const done = await restore(target.deps, incr, () => {});
      expect(done.archives.map((a) => path.basename(a))).toEqual(['incr.tar', 'full.tar']);
      appDb = connect(t.appUrlFor(target.dbName), 3);
      app = await buildApp({ ...target.deps, database: appDb });
      await app.ready();
      const restored = await downloads(app, await login(app, 'admin'), appDb);
      expect(restored.size).toBe(served.size);
      for (const [k, v] of served) expect(restored.get(k)?.equals(v), k).toBe(true);
    } finally {
      await app?.close();
      await appDb?.close();
      await target.drop();
    }

    // Without its base: refused, naming the base, before anything is written.
    const alone = path.join(tmp, 'alone');
    fs.mkdirSync(alone);
    fs.copyFileSync(incr, path.join(alone, 'incr.tar'));
    await expectRefused(
      path.join(alone, 'incr.tar'),
      /备份链不完整：找不到基础备份 full\.tar.*5 个文件只保存在基础备份中/,
    );
    // With another archive under the base's name: refused too (its id is not the one named).
    fs.copyFileSync(incr, path.join(alone, 'full.tar'));
    await expectRefused(path.join(alone, 'incr.tar'), /full\.tar 不是 incr\.tar 的基础备份/);
    // A base that lacks a file the chain must hold: the file and its record are named.
    const m = await manifestOf(full);
    const lost = m.files[1].sm3 as string;
    const chain = path.join(tmp, 'chain');
    fs.mkdirSync(chain);
    await rewrite(full, 'full-missing.tar', { [fileEntryName(lost)]: null });
    fs.renameSync(path.join(backups, 'full-missing.tar'), path.join(chain, 'full.tar'));
    fs.copyFileSync(incr, path.join(chain, 'incr.tar'));
    await expectRefused(
      path.join(chain, 'incr.tar'),
      new RegExp(`备份中缺少文件 ${lost}.*表 evidence.*备份链 incr\\.tar → full\\.tar 中都没有`),
    );
  });

  it('a backup taken while uploads run is consistent: every record it holds has its file', async () => {
    const pictures = await Promise.all([10, 11, 12, 13, 14, 15, 16, 17].map((s) => picture(s)));
    const file = path.join(backups, 'during-uploads.tar');
    const later: Promise<string>[] = [];
    const [rec] = await Promise.all([
      backup(t.deps, file, () => {}, {
        // Uploads while the files are being copied: their rows are not in the snapshot, their files not needed.
        afterSnapshot: async () => {
          for (const [i, p] of pictures.slice(4).entries())
            later.push(upload(t.app, admin, meetings[i % 2], p, `复制期间上传-${i}.jpg`));
          await later[0];
        },
      }),
      ...pictures.slice(0, 4).map((p, i) => upload(t.app, admin, meetings[i % 2], p, `同时上传-${i}.jpg`)),
    ]);
    await Promise.all(later);
    expect(rec.files).toBe(rec.referenced);
    const target = await newInstallation();
    try {
      await restore(target.deps, file, () => {});
      const rows = await target.owner.db.execute<{ n: number }>(sql`select count(*)::int as n from evidence`);
      const source = await t.database.db.execute<{ n: number }>(sql`select count(*)::int as n from evidence`);
      expect(rows.rows[0].n).toBeLessThan(source.rows[0].n);
      // Each record restored has both its files (the restore refuses otherwise); uploads after the snapshot are simply not in it.
      expect(blobFiles(target.deps.filesDir).length).toBeGreaterThanOrEqual(rows.rows[0].n);
      for (const r of (
        await target.owner.db.execute<{ blob_key: string; sm3: string }>(sql`select blob_key, sm3 from evidence`)
      ).rows)
        await target.deps.files.verify(r.blob_key, r.sm3);
    } finally {
      await target.drop();
    }
  });

  it('a file retired after the snapshot is still copied (its grace outlasts the backup)', async () => {
    const victim = await t.database.db.execute<{ id: string; blob_key: string; sm3: string }>(
      sql`select id, blob_key, sm3 from evidence order by created_at desc limit 1`,
    );
    const { blob_key: key, sm3 } = victim.rows[0];
    const file = path.join(backups, 'retired.tar');
    const rec = await backup(t.deps, file, () => {}, {
      afterSnapshot: async () => {
        // A purge that removed the record and retired its file after the snapshot was taken.
        await t.deps.files.retire(key);
      },
    });
    expect(rec.files).toBe(rec.referenced);
    expect((await readTarIndex(file)).some((e) => e.name === fileEntryName(sm3))).toBe(true);
    // Back in place for the tests that follow.
    const root = path.join(t.deps.filesDir, 'blobs');
    fs.renameSync(path.join(root, '.retired', key), path.join(root, key.slice(0, 2), key.slice(2, 4), key));
  });

  it('a file missing from the store or altered there fails the backup, naming the file and the record; no archive is left', async () => {
    // The PDF: no other record has its digest (a picture on two records would be found under the other key).
    const row = (
      await t.database.db.execute<{ id: string; blob_key: string }>(
        sql`select id, blob_key from evidence where kind = 'pdf'`,
      )
    ).rows[0];
    const blob = path.join(t.deps.filesDir, 'blobs', row.blob_key.slice(0, 2), row.blob_key.slice(2, 4), row.blob_key);
    const original = fs.readFileSync(blob);
    const file = path.join(backups, 'broken.tar');
    try {
      const changed = Buffer.from(original);
      changed[changed.length - 10] ^= 1;
      fs.writeFileSync(blob, changed);
      const e1 = await backup(t.deps, file, () => {}).catch((e: Error) => e);
      expect(e1).toBeInstanceOf(BackupError);
      expect(String((e1 as Error).message)).toMatch(
        new RegExp(`文件 ${row.blob_key} 与登记的 SM3 摘要不符.*表 evidence，记录 ${row.id}，列 blob_key.*备份未完成`),
      );
      fs.rmSync(blob);
      const e2 = await backup(t.deps, file, () => {}).catch((e: Error) => e);
      expect(String((e2 as Error).message)).toMatch(
        new RegExp(`文件存储中缺少文件 ${row.blob_key}.*表 evidence，记录 ${row.id}`),
      );
      expect(fs.readdirSync(backups).filter((f) => f.startsWith('broken'))).toEqual([]);
    } finally {
      fs.writeFileSync(blob, original, { mode: 0o600 });
    }
  });

  it('an archive of the database only (the format before files) is refused when its rows refer to files', async () => {
    const entry = (await readTarIndex(full)).find((e) => e.name === DATABASE_ENTRY);
    const out: Buffer[] = [];
    for await (const c of entryStream(full, entry as never)) out.push(c as Buffer);
    const old = path.join(tmp, 'database-only.json.gz');
    fs.writeFileSync(old, zlib.gzipSync(zlib.gunzipSync(Buffer.concat(out))));
    await expectRefused(
      old,
      /备份中缺少文件 [0-9a-f]{64}（文件键 [0-9a-f]{32}，表 evidence.*共缺少 5 个文件（这是只含数据库的旧格式备份）/,
    );
  });
});
