import { sql } from 'drizzle-orm';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, runMigrations } from '../db/index.ts';
import { AuditAnchor } from '../platform/anchor.ts';
import { verifyAudit } from '../platform/audit.ts';
import { backup, restore } from '../platform/backup.ts';
import { setup, type TestCtx } from './harness.ts';

let t: TestCtx;
beforeAll(async () => {
  t = await setup();
});
afterAll(async () => t?.close());

describe('API contract', () => {
  it('publishes OpenAPI generated from the zod schemas, unchanged unless on purpose', async () => {
    const res = await t.req('GET', '/api/openapi.json');
    expect(res.status).toBe(200);
    expect(Object.keys(res.json.paths)).toEqual(
      expect.arrayContaining([
        '/api/members',
        '/api/members/{id}/reveal',
        '/api/orgs/{id}/children',
        '/api/users',
        '/api/audit',
        '/api/health',
      ]),
    );
    // A changed contract shows up as a diff of this file in review (update with `vitest -u`).
    // Paths in sorted order: the order modules register in is not part of the contract.
    const doc = res.json as { paths: Record<string, unknown> };
    const sorted = {
      ...doc,
      paths: Object.fromEntries(Object.entries(doc.paths).sort(([a], [b]) => a.localeCompare(b))),
    };
    await expect(JSON.stringify(sorted, null, 2)).toMatchFileSnapshot('../../docs/openapi.snapshot.json');
  });

  it('serves the API docs page', async () => {
    const res = await t.req('GET', '/api/docs/');
    expect([200, 302]).toContain(res.status);
  });

  it('answers unknown API paths with a Chinese 404 and never a stack trace on junk', async () => {
    const res = await t.req('GET', '/api/nothing-here');
    expect(res.status).toBe(404);
    expect(res.json.message).toMatch(/不存在/);
    const admin = await t.login('admin');
    for (const body of [
      '{',
      '[]',
      '"x"',
      JSON.stringify({ name: 'x'.repeat(10_000) }),
      JSON.stringify({ orgId: "'; drop table members; --" }),
    ]) {
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/members',
        headers: {
          cookie: admin,
          origin: 'http://localhost:80',
          host: 'localhost:80',
          'content-type': 'application/json',
        },
        payload: body,
      });
      expect(r.statusCode, body.slice(0, 30)).toBeGreaterThanOrEqual(400);
      expect(r.statusCode).toBeLessThan(500);
      expect(r.body).not.toMatch(/at .*\.ts:\d+/);
      expect(r.json().code).toBeTruthy();
    }
    const n = await t.database.db.execute<{ n: number }>(sql`select count(*)::int as n from members`);
    expect(n.rows[0].n).toBe(6);
  });
});

describe('backup and restore (SEC-27)', () => {
  async function freshDb() {
    const adminUrl = inject('pgAdminUrl');
    const name = `${inject('pgTemplate')}_t_restore${Date.now()}`;
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
      drop: async () => {
        await db.close();
        const c2 = new pg.Client({ connectionString: adminUrl });
        await c2.connect();
        await c2.query(`drop database if exists "${name}" with (force)`);
        await c2.end();
      },
    };
  }

  it('restores into a fresh database with the same rows and a valid audit chain', async () => {
    const admin = await t.login('admin');
    await t.req('PATCH', `/api/orgs/${t.fx.villageA1}`, { cookie: admin, body: { contactName: '备份测试' } });
    const file = path.join(os.tmpdir(), `dj-backup-${Date.now()}.json.gz`);
    const rec = await backup(t.deps, file, () => {});
    expect(rec.rows).toBeGreaterThan(10);
    const { db: fresh, drop } = await freshDb();
    // A new data directory: the restore anchors the restored chain's head there (SEC-32).
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-restore-'));
    const anchor = new AuditAnchor(path.join(dataDir, 'audit-head.json'), t.deps.crypto);
    try {
      const done = await restore({ ...t.deps, database: fresh, anchor }, file, () => {});
      expect(done.rows).toBe(rec.rows);
      const head = await fresh.db.execute<{ seq: number; hash: string }>(
        sql`select seq, hash from audit_log order by seq desc limit 1`,
      );
      expect(anchor.read().heads['410225']).toMatchObject({ seq: Number(head.rows[0].seq), hash: head.rows[0].hash });
      expect((await verifyAudit(fresh.db, t.deps.crypto, anchor)).ok).toBe(true);
      const orgs = await fresh.db.execute<{ contact_name: string }>(
        sql`select contact_name from orgs where id = ${t.fx.villageA1}`,
      );
      expect(orgs.rows[0].contact_name).toBe('备份测试');
      const audit = await fresh.db.execute<{ n: number }>(
        sql`select count(*)::int as n from audit_log where action = 'system.restore'`,
      );
      expect(audit.rows[0].n).toBe(1);
      // Restoring twice is refused: the target must be empty.
      await expect(restore({ ...t.deps, database: fresh, anchor }, file, () => {})).rejects.toThrow(/不是空的/);
    } finally {
      fs.rmSync(file, { force: true });
      fs.rmSync(dataDir, { recursive: true, force: true });
      await drop();
    }
  });

  it('refuses a damaged archive', async () => {
    const file = path.join(os.tmpdir(), `dj-bad-${Date.now()}.json.gz`);
    const { gzipSync } = await import('node:zlib');
    fs.writeFileSync(file, gzipSync('{"t":"orgs"}\t{"id":"x"}\n'));
    const { db: fresh, drop } = await freshDb();
    try {
      await expect(restore({ ...t.deps, database: fresh }, file, () => {})).rejects.toThrow(/不完整/);
      const n = await fresh.db.execute<{ n: number }>(sql`select count(*)::int as n from orgs`);
      expect(n.rows[0].n).toBe(0);
    } finally {
      fs.rmSync(file, { force: true });
      await drop();
    }
  });
});
