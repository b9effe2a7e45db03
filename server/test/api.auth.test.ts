import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestCtx } from './harness.ts';

let t: TestCtx;
beforeAll(async () => {
  t = await setup();
});
afterAll(async () => t?.close());

describe('login and sessions (SEC-1…4)', () => {
  it('logs in, answers me, and logs out', async () => {
    const cookie = await t.login('admin');
    const me = await t.req('GET', '/api/auth/me', { cookie });
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({
      username: 'admin',
      roles: ['countyAdmin'],
      orgId: t.fx.county,
      orgName: '中共兰考县委员会',
    });
    expect(me.json.permissions).toContain('members.write');
    const out = await t.req('POST', '/api/auth/logout', { cookie });
    expect(out.status).toBe(200);
    const again = await t.req('GET', '/api/auth/me', { cookie });
    expect(again.status).toBe(401);
    expect(again.json.code).toBe('UNAUTHENTICATED');
  });

  it('names the county in the cookie, stores only the digest of its random id, and finds nothing under another county', async () => {
    const cookie = await t.login('admin');
    const m = /^dj_sid=(\d{6})\.([A-Za-z0-9_-]{43})$/.exec(cookie);
    expect(m, cookie).not.toBeNull();
    const [, county, random] = m as RegExpExecArray;
    expect(county).toBe('410225');
    const rows = await t.database.db.execute<{ county_code: string; id_hash: string }>(
      sql`select county_code, id_hash from sessions where id_hash = ${t.deps.crypto.sm3(random)}`,
    );
    expect(rows.rows).toEqual([{ county_code: '410225', id_hash: t.deps.crypto.sm3(random) }]);
    const stored = await t.database.db.execute(
      sql`select 1 from sessions where id_hash = ${random} or user_agent like ${`%${random}%`}`,
    );
    expect(stored.rows).toHaveLength(0);
    // The random id under another county's code is no session there.
    const elsewhere = await t.req('GET', '/api/auth/me', { cookie: `dj_sid=410221.${random}` });
    expect(elsewhere.status).toBe(401);
    expect(elsewhere.json.code).toBe('UNAUTHENTICATED');
    // A cookie issued before sessions carried the county (the random id alone) still finds its session.
    const legacy = await t.req('GET', '/api/auth/me', { cookie: `dj_sid=${random}` });
    expect(legacy.status).toBe(200);
    expect(legacy.json.username).toBe('admin');
    for (const bad of [
      `dj_sid=4102.${random}`,
      `dj_sid=410225.${random}.x`,
      'dj_sid=410225.',
      `dj_sid=410225.${random.slice(0, 10)}`,
    ]) {
      const r = await t.req('GET', '/api/auth/me', { cookie: bad });
      expect(r.json.code, bad).toBe('UNAUTHENTICATED');
    }
  });

  it('answers a wrong password and an unknown user alike, in Chinese', async () => {
    const a = await t.req('POST', '/api/auth/login', { body: { username: 'leader', password: 'wrong-password' } });
    const b = await t.req('POST', '/api/auth/login', { body: { username: 'nobody', password: 'wrong-password' } });
    expect(a.status).toBe(401);
    expect(b.status).toBe(401);
    expect(a.json.code).toBe('BAD_CREDENTIALS');
    expect(a.json.message).toBe(b.json.message);
    expect(a.json.message).toMatch(/用户名或密码错误/);
    expect(a.json.requestId).toBeTruthy();
  });

  it('locks the account after 5 failures (423) and unlocks after the lockout time', async () => {
    for (let i = 0; i < 5; i++)
      await t.req('POST', '/api/auth/login', { body: { username: 'orgb', password: 'nope-nope' } });
    const locked = await t.req('POST', '/api/auth/login', { body: { username: 'orgb', password: 'Test#Pass2026' } });
    expect(locked.status).toBe(423);
    expect(locked.json.message).toMatch(/锁定/);
    t.advance(16 * 60_000);
    const ok = await t.req('POST', '/api/auth/login', { body: { username: 'orgb', password: 'Test#Pass2026' } });
    expect(ok.status).toBe(200);
  });

  it('ends a session after 30 idle minutes', async () => {
    const cookie = await t.login('leader');
    expect((await t.req('GET', '/api/auth/me', { cookie })).status).toBe(200);
    t.advance(31 * 60_000);
    expect((await t.req('GET', '/api/auth/me', { cookie })).status).toBe(401);
  });

  it('refuses a state change without a matching Origin (CSRF) and audits the denial', async () => {
    const cookie = await t.login('admin');
    const res = await t.req('POST', '/api/auth/logout', { cookie, headers: { origin: 'http://evil.example' } });
    expect(res.status).toBe(403);
    expect(res.json.code).toBe('CSRF');
    const none = await t.req('POST', '/api/auth/logout', { cookie, headers: { origin: '' } });
    expect(none.status).toBe(403);
    const junk = await t.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie, host: 'localhost:80', referer: 'not a url' },
    });
    expect(junk.statusCode).toBe(403);
    expect((await t.req('GET', '/api/auth/me', { cookie })).status).toBe(200);
  });

  it('sets security headers and no-store on API answers', async () => {
    const res = await t.req('GET', '/api/health');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: 'ok', database: { mode: expect.stringMatching(/embedded|external/) } });
    expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(res.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('no-store');
  });
});

describe('accounts', () => {
  it('creates an account that must change its password, then sees only its township', async () => {
    const admin = await t.login('admin');
    const weak = await t.req('POST', '/api/users', {
      cookie: admin,
      body: {
        username: 'town_a',
        displayName: '甲镇组织委员',
        password: 'abc',
        roles: ['orgAdmin'],
        orgId: t.fx.townA,
      },
    });
    expect(weak.status).toBe(400);
    expect(weak.json.message).toMatch(/密码至少/);
    const made = await t.req('POST', '/api/users', {
      cookie: admin,
      body: {
        username: 'town_a',
        displayName: '甲镇组织委员',
        password: 'Jia#Zhen2026x',
        roles: ['orgAdmin'],
        orgId: t.fx.townA,
      },
    });
    expect(made.status).toBe(201);
    expect(made.json.mustChangePassword).toBe(true);
    const cookie = await t.login('town_a', 'Jia#Zhen2026x');
    const blocked = await t.req('GET', '/api/members', { cookie });
    expect(blocked.status).toBe(403);
    expect(blocked.json.code).toBe('PASSWORD_CHANGE_REQUIRED');
    const changed = await t.req('POST', '/api/auth/password', {
      cookie,
      body: { oldPassword: 'Jia#Zhen2026x', newPassword: 'Another#Pass99' },
    });
    expect(changed.status).toBe(200);
    const list = await t.req('GET', '/api/members?pageSize=100', { cookie });
    expect(list.status).toBe(200);
    const names = list.json.items.map((m: { name: string }) => m.name).sort();
    expect(names).toEqual(['张三', '张珊', '李四', '钱七'].sort());
  });

  it('keeps three-way separation and forbids granting oneself roles', async () => {
    const admin = await t.login('admin');
    const mixed = await t.req('POST', '/api/users', {
      cookie: admin,
      body: {
        username: 'mixed',
        displayName: '混合',
        password: 'Mixed#Pass2026',
        roles: ['countyAdmin', 'auditor'],
        orgId: t.fx.county,
      },
    });
    expect(mixed.status).toBe(400);
    expect(mixed.json.message).toMatch(/三员分立/);
    const self = await t.req('PATCH', `/api/users/${t.fx.users.admin}`, {
      cookie: admin,
      body: { roles: ['countyAdmin', 'leader'] },
    });
    expect(self.status).toBe(403);
  });

  it('ends the sessions of a disabled user', async () => {
    const cookie = await t.login('seca1');
    const admin = await t.login('admin');
    const res = await t.req('PATCH', `/api/users/${t.fx.users.seca1}`, { cookie: admin, body: { disabled: true } });
    expect(res.status).toBe(200);
    expect((await t.req('GET', '/api/auth/me', { cookie })).status).toBe(401);
    const again = await t.req('POST', '/api/auth/login', { body: { username: 'seca1', password: 'Test#Pass2026' } });
    expect(again.status).toBe(401);
  });

  it('`npm run cli -- reset-password` ends the account’s sessions and is audited', async () => {
    const cookie = await t.login('orgb');
    expect((await t.req('GET', '/api/auth/me', { cookie })).status).toBe(200);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-reset-'));
    try {
      const dbName = new URL(t.ownerUrl).pathname.slice(1);
      const r = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'reset-password', 'orgb'], {
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
      expect(r.status, r.stdout + r.stderr).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const after = await t.req('GET', '/api/auth/me', { cookie });
    expect(after.status).toBe(401);
    expect(after.json.code).toBe('UNAUTHENTICATED');
    const left = await t.database.db.execute(
      sql`select 1 from sessions where county_code = '410225' and user_id = ${t.fx.users.orgb}`,
    );
    expect(left.rows).toHaveLength(0);
    const audit = await t.database.db.execute<{ n: number }>(
      sql`select count(*)::int as n from audit_log where county_code = '410225' and action = 'user.password.reset' and object_id = ${t.fx.users.orgb}`,
    );
    expect(audit.rows[0].n).toBe(1);
  });
});
