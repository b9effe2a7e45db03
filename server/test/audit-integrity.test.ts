/**
 * Audit log integrity (SEC-14, SEC-32): the app's database role cannot switch the append-only
 * triggers off or delete rows; a tail deleted by the owner anyway is found through the head anchor.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { makeDeps } from '../bootstrap.ts';
import { APP_ROLE } from '../db/roles.ts';
import { AuditAnchor } from '../platform/anchor.ts';
import { verifyAudit } from '../platform/audit.ts';
import { loadConfig } from '../platform/config.ts';
import { setup, type TestCtx } from './harness.ts';

let t: TestCtx;
beforeAll(async () => {
  t = await setup();
});
afterAll(async () => t?.close());

async function ownerClient(): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: t.ownerUrl });
  await c.connect();
  return c;
}

describe('the app connects as a least-privilege role (SEC-32)', () => {
  it('cannot bypass or switch off the audit triggers, nor change the audit table', async () => {
    const who = await t.database.pool.query(
      'select current_user as u, r.rolsuper, r.rolcreaterole, r.rolcreatedb, r.rolbypassrls from pg_roles r where r.rolname = current_user',
    );
    expect(who.rows[0]).toMatchObject({
      u: APP_ROLE,
      rolsuper: false,
      rolcreaterole: false,
      rolcreatedb: false,
      rolbypassrls: false,
    });
    const c = await t.database.pool.connect();
    try {
      // Each statement alone: a refusal must come from the database, not from an aborted transaction.
      await expect(c.query('set session_replication_role = replica')).rejects.toMatchObject({ code: '42501' });
      await expect(c.query('alter table audit_log disable trigger all')).rejects.toMatchObject({ code: '42501' });
      await expect(c.query('alter table audit_log disable trigger audit_log_no_update')).rejects.toMatchObject({
        code: '42501',
      });
      await expect(c.query('delete from audit_log')).rejects.toMatchObject({ code: '42501' });
      await expect(c.query(`update audit_log set action = 'x'`)).rejects.toMatchObject({ code: '42501' });
      await expect(c.query('truncate audit_log')).rejects.toMatchObject({ code: '42501' });
      await expect(c.query('drop table audit_log')).rejects.toMatchObject({ code: '42501' });
      await expect(c.query('alter table audit_log add column note text')).rejects.toMatchObject({ code: '42501' });
      await expect(c.query('create table sneaky (x int)')).rejects.toMatchObject({ code: '42501' });
      await expect(c.query('truncate members')).rejects.toMatchObject({ code: '42501' });
    } finally {
      c.release();
    }
    // It owns nothing and holds no TRIGGER, REFERENCES or TRUNCATE privilege.
    const owned = await t.database.pool.query(
      `select count(*)::int as n from pg_class where relowner = (select oid from pg_roles where rolname = current_user)`,
    );
    expect(owned.rows[0].n).toBe(0);
    const extra = await t.database.pool.query(
      `select table_name, privilege_type from information_schema.table_privileges where grantee = current_user and privilege_type in ('TRIGGER', 'REFERENCES', 'TRUNCATE')`,
    );
    expect(extra.rows).toEqual([]);
    const audit = await t.database.pool.query(
      `select privilege_type from information_schema.table_privileges where grantee = current_user and table_name = 'audit_log' order by 1`,
    );
    expect(audit.rows.map((r) => r.privilege_type)).toEqual(['INSERT', 'SELECT']);
  });

  it('DATABASE_URL mode: the platform migrates as the owner and creates and grants the app role when the owner may', async () => {
    const adminUrl = inject('pgAdminUrl');
    const name = `${inject('pgTemplate')}_t_role${Date.now()}`;
    const a = new pg.Client({ connectionString: adminUrl });
    await a.connect();
    await a.query(`create database "${name}"`);
    await a.end();
    const u = new URL(adminUrl);
    u.pathname = `/${name}`;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-role-'));
    // The role is cluster-wide and shared with the other test files: keep its password.
    fs.writeFileSync(
      path.join(dir, 'db-app.json'),
      JSON.stringify({ role: APP_ROLE, password: inject('pgAppPassword') }),
      { mode: 0o600 },
    );
    const logs: string[] = [];
    const { deps, stop } = await makeDeps(loadConfig({ DATABASE_URL: u.toString(), DANGJIAN_DATA_DIR: dir }), (m) =>
      logs.push(m),
    );
    try {
      const who = await deps.database.pool.query('select current_user as u');
      expect(who.rows[0].u).toBe(APP_ROLE);
      expect(logs.join('\n')).toContain(APP_ROLE);
      await expect(deps.database.pool.query('delete from audit_log')).rejects.toMatchObject({ code: '42501' });
      await expect(deps.database.pool.query('select count(*) from members')).resolves.toBeTruthy();
    } finally {
      await stop();
      fs.rmSync(dir, { recursive: true, force: true });
      const c2 = new pg.Client({ connectionString: adminUrl });
      await c2.connect();
      await c2.query(`drop database if exists "${name}" with (force)`);
      await c2.end();
    }
  });
});

describe('a deleted tail is found through the head anchored outside the database (SEC-14, SEC-32)', () => {
  let admin: string;
  beforeAll(async () => {
    admin = await t.login('admin');
    for (let i = 0; i < 8; i++)
      expect(
        (await t.req('PATCH', `/api/orgs/${t.fx.villageA1}`, { cookie: admin, body: { contactName: `锚定${i}` } }))
          .status,
      ).toBe(200);
  });

  it('the app anchors the head after its writes commit, in a MACed file', async () => {
    const anchor = t.deps.anchor;
    if (!anchor) throw new Error('the harness gives every app an anchor');
    // No explicit flush: the response hook and the one-second timer do it.
    const head = await t.database.pool.query('select seq, hash from audit_log order by seq desc limit 1');
    await expect.poll(() => anchor.read().heads['410225']?.seq, { timeout: 3000 }).toBe(Number(head.rows[0].seq));
    expect(anchor.read().heads['410225'].hash).toBe(head.rows[0].hash);
    expect(fs.statSync(anchor.file).mode & 0o777).toBe(0o600);
    const v = await verifyAudit(t.database.db, t.deps.crypto, anchor);
    expect(v.problems).toEqual([]);
    expect(v.ok).toBe(true);
  });

  it('verify fails when the owner deletes the last 5 rows with the triggers bypassed, naming the missing range', async () => {
    const anchor = t.deps.anchor as AuditAnchor;
    await anchor.flush(t.database.db);
    const anchored = anchor.read().heads['410225'];
    // The attack as reported: session_replication_role=replica skips the append-only trigger.
    const owner = await ownerClient();
    try {
      await owner.query('set session_replication_role = replica');
      const del = await owner.query(
        'delete from audit_log where seq in (select seq from audit_log order by seq desc limit 5) returning seq',
      );
      expect(del.rowCount).toBe(5);
    } finally {
      await owner.end();
    }
    const last = anchored.seq - 5;
    const v = await verifyAudit(t.database.db, t.deps.crypto, anchor);
    expect(v.ok).toBe(false);
    expect(v.problems).toHaveLength(1);
    expect(v.problems[0].seq).toBe(anchored.seq);
    expect(v.problems[0].problem).toContain('审计日志末尾记录缺失');
    expect(v.problems[0].problem).toContain(`序号 ${last + 1} 至 ${anchored.seq}`);
    // The chain alone still looks whole: that is why the anchor exists.
    expect((await verifyAudit(t.database.db, t.deps.crypto)).ok).toBe(true);

    // New writes after the deletion do not bless the shortened chain: the anchor stays, verify still fails.
    expect(
      (await t.req('PATCH', `/api/orgs/${t.fx.villageA1}`, { cookie: admin, body: { contactName: '删除之后' } }))
        .status,
    ).toBe(200);
    await anchor.flush(t.database.db);
    expect(anchor.read().heads['410225']).toEqual(anchored);
    const again = await verifyAudit(t.database.db, t.deps.crypto, anchor);
    expect(again.ok).toBe(false);
    expect(again.problems.map((p) => p.problem).join()).toMatch(new RegExp(`序号 ${anchored.seq}.*记录被删除`));
  });

  it('`npm run cli -- verify-audit` reports the deleted tail and exits 1', async () => {
    const anchor = t.deps.anchor as AuditAnchor;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-verify-'));
    try {
      fs.copyFileSync(anchor.file, path.join(dir, 'audit-head.json'));
      const dbName = new URL(t.ownerUrl).pathname.slice(1);
      const r = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'verify-audit'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          DATABASE_URL: t.ownerUrl,
          DANGJIAN_APP_DATABASE_URL: t.appUrlFor(dbName),
          DANGJIAN_DATA_DIR: dir,
          DANGJIAN_KEYS: t.keysJson,
        },
      });
      expect(r.status, r.stdout + r.stderr).toBe(1);
      expect(r.stderr).toContain('审计日志校验失败');
      expect(r.stderr).toMatch(/序号 \d+：审计日志(末尾记录缺失|锚定的记录).*记录被删除/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a tampered head file (bad MAC) is reported, and the app does not overwrite it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-anchor-'));
    try {
      const anchor = new AuditAnchor(path.join(dir, 'audit-head.json'), t.deps.crypto);
      await anchor.record(t.database.db, { force: true });
      expect((await verifyAudit(t.database.db, t.deps.crypto, anchor)).ok).toBe(true);
      // Someone lowers the anchored head to match a shortened table, without the audit key.
      const j = JSON.parse(fs.readFileSync(anchor.file, 'utf8'));
      j.chains['410225'].seq -= 3;
      fs.writeFileSync(anchor.file, JSON.stringify(j));
      const v = await verifyAudit(t.database.db, t.deps.crypto, anchor);
      expect(v.ok).toBe(false);
      expect(v.problems[0].problem).toMatch(/锚定文件.*校验失败（MAC 不符）/);
      const before = fs.readFileSync(anchor.file, 'utf8');
      await anchor.record(t.database.db);
      expect(fs.readFileSync(anchor.file, 'utf8')).toBe(before);
      // A missing file is reported too (the app writes it as soon as it runs).
      fs.rmSync(anchor.file);
      expect((await verifyAudit(t.database.db, t.deps.crypto, anchor)).problems[0].problem).toMatch(
        /未找到审计日志锚定文件/,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
