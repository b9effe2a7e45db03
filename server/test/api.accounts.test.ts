/**
 * Accounts, section 4 of the security issue: each test replays an attack as reported and asserts
 * the error code that stops it (SEC-2, SEC-3, SEC-5, SEC-10, SEC-23, SEC-33).
 */
import { sql } from 'drizzle-orm';
import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomPassword } from '../bootstrap.ts';
import { operatorCreateUser } from '../modules/users/service.ts';
import { checkPasswordRules } from '../platform/passwords.ts';
import { PASSWORD, setup, type TestCtx } from './harness.ts';

const codeNow = (t: TestCtx, secret: string) => generate({ secret, epoch: Math.floor(t.deps.now().getTime() / 1000) });

/** Log in with a password and, when given, a fresh second-factor code (the clock moves one step so codes are never replays). */
async function signIn(t: TestCtx, username: string, secret?: string, password = PASSWORD): Promise<string> {
  if (!secret) return t.login(username, password);
  t.advance(31_000);
  const res = await t.req('POST', '/api/auth/login', {
    body: { username, password, totpCode: await codeNow(t, secret) },
  });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${res.body}`);
  return String(res.headers['set-cookie']).split(';')[0];
}

/** Enrol a second factor the way the web page does: password first, then a code. */
async function enrol(t: TestCtx, username: string, password = PASSWORD): Promise<{ cookie: string; secret: string }> {
  const cookie = await t.login(username, password);
  const s = await t.req('POST', '/api/auth/totp/setup', { cookie, body: { password } });
  if (s.status !== 200) throw new Error(`setup ${username}: ${s.status} ${s.body}`);
  const e = await t.req('POST', '/api/auth/totp/enable', { cookie, body: { code: await codeNow(t, s.json.secret) } });
  if (e.status !== 200) throw new Error(`enable ${username}: ${e.status} ${e.body}`);
  return { cookie, secret: s.json.secret };
}

async function auditCount(t: TestCtx, action: string, result: string, objectId: string): Promise<number> {
  const r = await t.database.db.execute<{ n: number }>(
    sql`select count(*)::int as n from audit_log where action = ${action} and result = ${result} and object_id = ${objectId}`,
  );
  return r.rows[0].n;
}

describe('default profile', () => {
  let t: TestCtx;
  let admin: string;
  beforeAll(async () => {
    t = await setup();
    admin = await t.login('admin');
  });
  afterAll(async () => t?.close());

  describe('role assignment: one policy on every path (SEC-10)', () => {
    it('PATCH refuses a county administrator outside the county committee', async () => {
      const res = await t.req('PATCH', `/api/users/${t.fx.users.orga}`, {
        cookie: admin,
        body: { roles: ['countyAdmin'] },
      });
      expect(res.status).toBe(400);
      expect(res.json.code).toBe('VALIDATION');
      expect(res.json.message).toMatch(/县级管理员只能设在县委/);
      const row = await t.database.db.execute<{ roles: string[] }>(
        sql`select roles from users where id = ${t.fx.users.orga}`,
      );
      expect(row.rows[0].roles).toEqual(['orgAdmin']);
    });

    it('PATCH re-checks placement when an account moves to another organization', async () => {
      const res = await t.req('PATCH', `/api/users/${t.fx.users.seca1}`, {
        cookie: admin,
        body: { orgId: t.fx.townA },
      });
      expect(res.status).toBe(400);
      expect(res.json.code).toBe('VALIDATION');
      expect(res.json.message).toMatch(/支部书记账号应设在党支部/);
    });

    it('POST applies the same rules to the security administrator and the auditor', async () => {
      for (const role of ['securityAdmin', 'auditor']) {
        const res = await t.req('POST', '/api/users', {
          cookie: admin,
          body: {
            username: `x_${role}`,
            displayName: '越级',
            password: 'Place#Ment2026x',
            roles: [role],
            orgId: t.fx.townA,
          },
        });
        expect(res.status, role).toBe(400);
        expect(res.json.code).toBe('VALIDATION');
        expect(res.json.message).toMatch(/只能设在县委/);
      }
    });

    it('the CLI create-user applies placement and separation rules too', async () => {
      const bad = await operatorCreateUser(t.deps, 'cli_town_admin', 'countyAdmin', t.fx.townA);
      expect(bad.problems.join()).toMatch(/县级管理员只能设在县委/);
      expect((await t.database.db.execute(sql`select 1 from users where username = 'cli_town_admin'`)).rowCount).toBe(
        0,
      );
      const group = await operatorCreateUser(t.deps, 'cli_group', 'orgAdmin', t.fx.groupA1);
      expect(group.problems.join()).toMatch(/党小组/);
      const ok = await operatorCreateUser(t.deps, 'cli_sec', 'securityAdmin', null);
      expect(ok.problems).toEqual([]);
      expect(ok.password).toBeTruthy();
      const row = await t.database.db.execute<{ must_change_password: boolean; org_id: string }>(
        sql`select must_change_password, org_id from users where username = 'cli_sec'`,
      );
      expect(row.rows[0]).toEqual({ must_change_password: true, org_id: t.fx.county });
    });
  });

  it("PATCH of one's own account cannot set a password (SEC-2)", async () => {
    const res = await t.req('PATCH', `/api/users/${t.fx.users.admin}`, {
      cookie: admin,
      body: { password: 'Taken#Over2026x' },
    });
    expect(res.status).toBe(403);
    expect(res.json.code).toBe('SELF_SERVICE_ONLY');
    expect(res.json.message).toMatch(/修改密码/);
    await t.login('admin'); // the old password still works
  });

  describe('re-authentication for self-service (SEC-5, SEC-23, SEC-33)', () => {
    it('a session alone cannot replace a working authenticator', async () => {
      const { cookie, secret } = await enrol(t, 'leader');
      const before = await t.database.db.execute<{ totp_secret_enc: string }>(
        sql`select totp_secret_enc from users where username = 'leader'`,
      );
      const bare = await t.req('POST', '/api/auth/totp/setup', { cookie, body: {} });
      expect(bare.status).toBe(400);
      expect(bare.json.code).toBe('VALIDATION');
      const wrong = await t.req('POST', '/api/auth/totp/setup', { cookie, body: { password: 'Guess#Pass2026' } });
      expect(wrong.status).toBe(400);
      expect(wrong.json.code).toBe('VALIDATION');
      expect(wrong.json.details.fields[0].field).toBe('password');
      expect(await auditCount(t, 'auth.totp.setup', 'failed', t.fx.users.leader)).toBe(1);
      const pending = await t.database.db.execute<{ totp_pending_enc: string | null; totp_secret_enc: string }>(
        sql`select totp_pending_enc, totp_secret_enc from users where username = 'leader'`,
      );
      expect(pending.rows[0]).toEqual({ totp_pending_enc: null, totp_secret_enc: before.rows[0].totp_secret_enc });
      // The current code is enough to move to a new phone.
      t.advance(31_000);
      const withCode = await t.req('POST', '/api/auth/totp/setup', {
        cookie,
        body: { code: await codeNow(t, secret) },
      });
      expect(withCode.status).toBe(200);
      expect(await auditCount(t, 'auth.totp.setup', 'ok', t.fx.users.leader)).toBe(2); // the enrolment and this one
    });

    it('wrong old passwords on /api/auth/password count toward the lockout and are audited', async () => {
      const cookie = await t.login('orga');
      const codes: string[] = [];
      for (let i = 0; i < 8; i++) {
        const r = await t.req('POST', '/api/auth/password', {
          cookie,
          body: { oldPassword: `guess-${i}`, newPassword: 'Brand#New2026x' },
        });
        codes.push(r.json.code);
      }
      // Four field errors, the fifth locks (and ends the session), then the session is gone.
      expect(codes.slice(0, 4)).toEqual(['VALIDATION', 'VALIDATION', 'VALIDATION', 'VALIDATION']);
      expect(codes[4]).toBe('LOCKED');
      expect(codes.slice(5)).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED']);
      expect(await auditCount(t, 'user.password.change', 'failed', t.fx.users.orga)).toBe(5);
      const login = await t.req('POST', '/api/auth/login', { body: { username: 'orga', password: PASSWORD } });
      expect(login.status).toBe(423);
      expect(login.json.code).toBe('LOCKED');
    });

    it('wrong passwords on /api/auth/totp/disable count toward the lockout and are audited; a locked account answers LOCKED', async () => {
      const { cookie } = await enrol(t, 'orgb');
      for (let i = 0; i < 4; i++) {
        const r = await t.req('POST', '/api/auth/totp/disable', { cookie, body: { password: `guess-${i}` } });
        expect(r.json.code).toBe('VALIDATION');
      }
      const fifth = await t.req('POST', '/api/auth/totp/disable', { cookie, body: { password: 'guess-5' } });
      expect(fifth.status).toBe(423);
      expect(fifth.json.code).toBe('LOCKED');
      expect(await auditCount(t, 'auth.totp.disable', 'failed', t.fx.users.orgb)).toBe(5);
      expect(
        (
          await t.database.db.execute<{ totp_enabled: boolean }>(
            sql`select totp_enabled from users where username = 'orgb'`,
          )
        ).rows[0].totp_enabled,
      ).toBe(true);
    });

    it('re-authentication is rate-limited per user, right answers included', async () => {
      const mk = await t.req('POST', '/api/users', {
        cookie: admin,
        body: {
          username: 'rl_user',
          displayName: '限速',
          password: 'Rate#Limit2026',
          roles: ['leader'],
          orgId: t.fx.county,
        },
      });
      expect(mk.status).toBe(201);
      const cookie = await t.login('rl_user', 'Rate#Limit2026');
      const codes: string[] = [];
      for (let i = 0; i < 11; i++)
        codes.push(
          (await t.req('POST', '/api/auth/totp/setup', { cookie, body: { password: 'Rate#Limit2026' } })).json?.code ??
            'ok',
        );
      expect(codes.slice(0, 10)).toEqual(Array(10).fill('ok'));
      expect(codes[10]).toBe('RATE_LIMITED');
    });

    it('a session of an account locked by failed logins gets LOCKED on these routes', async () => {
      const cookie = await t.login('seca1');
      for (let i = 0; i < 5; i++)
        await t.req('POST', '/api/auth/login', { body: { username: 'seca1', password: 'nope-nope' } });
      const r = await t.req('POST', '/api/auth/password', {
        cookie,
        body: { oldPassword: PASSWORD, newPassword: 'Brand#New2026x' },
      });
      expect(r.status).toBe(423);
      expect(r.json.code).toBe('LOCKED');
    });
  });

  it('unknown and known usernames answer alike, lockout included (SEC-3)', async () => {
    const mk = await t.req('POST', '/api/users', {
      cookie: admin,
      body: {
        username: 'enum_known',
        displayName: '枚举',
        password: 'Enum#Known2026',
        roles: ['leader'],
        orgId: t.fx.county,
      },
    });
    expect(mk.status).toBe(201);
    const run = async (username: string) => {
      const out: string[] = [];
      for (let i = 0; i < 7; i++) {
        const r = await t.req('POST', '/api/auth/login', { body: { username, password: 'wrong-password' } });
        out.push(`${r.status} ${r.json.code} ${r.json.message}`);
      }
      return out;
    };
    const known = await run('enum_known');
    const unknown = await run('enum_nobody');
    expect(known[5]).toMatch(/^423 LOCKED/);
    expect(unknown).toEqual(known);
    // Case does not give it away either.
    expect(
      (await t.req('POST', '/api/auth/login', { body: { username: 'ENUM_NOBODY', password: 'x' } })).json.code,
    ).toBe('LOCKED');
    t.advance(16 * 60_000);
    expect(
      (await t.req('POST', '/api/auth/login', { body: { username: 'enum_nobody', password: 'x' } })).json.code,
    ).toBe('BAD_CREDENTIALS');
  });

  describe('weak passwords (SEC-2)', () => {
    const attempt = (username: string, password: string) =>
      t.req('POST', '/api/users', {
        cookie: admin,
        body: { username, displayName: '弱口令', password, roles: ['leader'], orgId: t.fx.county },
      });

    it('refuses common passwords dressed with a capital, a symbol and a year', async () => {
      for (const pw of [
        'Qwerty@123456',
        'Lankao@2024',
        'Zhangwei@1990',
        'Woaini@1314',
        '1qaz@WSX2024',
        'P@ssw0rd2026',
        'Dangjian#2026',
      ]) {
        const res = await attempt('weak_pw', pw);
        expect(res.status, pw).toBe(400);
        expect(res.json.code).toBe('VALIDATION');
        expect(res.json.message, pw).toMatch(/常见|县名/);
      }
    });

    it('refuses the county name and the username inside a password', async () => {
      const pinyin = await attempt('county_pw', 'My#Lankao-Home9x');
      expect(pinyin.json.code).toBe('VALIDATION');
      expect(pinyin.json.message).toMatch(/县名/);
      const hanzi = await attempt('county_pw', 'Ab#兰考cd2026');
      expect(hanzi.json.message).toMatch(/县名/);
      const user = await attempt('wangfang_x', 'X#wangfang_x99Q');
      expect(user.json.message).toMatch(/用户名/);
    });

    it('keeps strong passwords, the harness password and generated ones valid', async () => {
      expect((await attempt('strong_pw', PASSWORD)).status).toBe(201);
      for (let i = 0; i < 300; i++)
        await checkPasswordRules(t.database.db, randomPassword(), { county: '410225', username: 'someone' });
    });
  });
});

describe('level3 dual control (SEC-10)', () => {
  let t: TestCtx;
  const secrets: Record<string, string> = {};
  const cookie = async (u: string) => signIn(t, u, secrets[u]);
  beforeAll(async () => {
    t = await setup({ profile: 'level3' });
    for (const u of ['admin', 'secadmin', 'auditor']) secrets[u] = (await enrol(t, u)).secret;
  });
  afterAll(async () => t?.close());

  it('a security administrator cannot take over the county administrator by resetting password and second factor', async () => {
    const sec = await cookie('secadmin');
    const res = await t.req('PATCH', `/api/users/${t.fx.users.admin}`, {
      cookie: sec,
      body: { password: 'Hijack#Pass2026', resetTotp: true },
    });
    expect(res.status).toBe(202);
    expect(res.json.request).toMatchObject({
      kind: 'update',
      status: 'pending',
      targetUsername: 'admin',
      summary: { resetPassword: true, resetTotp: true },
    });
    // Nothing happened yet: the old password and second factor still work, the attacker's password does not.
    const hijack = await t.req('POST', '/api/auth/login', { body: { username: 'admin', password: 'Hijack#Pass2026' } });
    expect(hijack.json.code).toBe('BAD_CREDENTIALS');
    await cookie('admin');
    // The requester cannot approve, and neither can the target.
    const own = await t.req('POST', `/api/users/requests/${res.json.request.id}/approve`, { cookie: sec });
    expect(own.status).toBe(403);
    expect(own.json.code).toBe('DUAL_CONTROL');
    const target = await t.req('POST', `/api/users/requests/${res.json.request.id}/approve`, {
      cookie: await cookie('admin'),
    });
    expect(target.status).toBe(403);
    expect(target.json.code).toBe('DUAL_CONTROL');
    const auditor = await t.req('POST', `/api/users/requests/${res.json.request.id}/approve`, {
      cookie: await cookie('auditor'),
    });
    expect(auditor.json.code).toBe('FORBIDDEN');
    const rej = await t.req('POST', `/api/users/requests/${res.json.request.id}/reject`, {
      cookie: await cookie('admin'),
    });
    expect(rej.json.code).toBe('DUAL_CONTROL');
  });

  it('the same holds for the auditor: a password reset waits for approval, and the approver alone sees the one-time password', async () => {
    const sec = await cookie('secadmin');
    const res = await t.req('PATCH', `/api/users/${t.fx.users.auditor}`, {
      cookie: sec,
      body: { password: 'Hijack#Pass2026' },
    });
    expect(res.status).toBe(202);
    const list = await t.req('GET', '/api/users/requests', { cookie: sec });
    expect(list.status).toBe(200);
    expect(JSON.stringify(list.json)).not.toMatch(/Hijack/);
    const admin = await cookie('admin');
    const ok = await t.req('POST', `/api/users/requests/${res.json.request.id}/approve`, { cookie: admin });
    expect(ok.status).toBe(200);
    expect(ok.json.request.status).toBe('approved');
    const otp = ok.json.oneTimePassword as string;
    expect(otp).toMatch(/^.{16}$/);
    expect(otp).not.toBe('Hijack#Pass2026');
    expect(
      (await t.req('POST', '/api/auth/login', { body: { username: 'auditor', password: 'Hijack#Pass2026' } })).json
        .code,
    ).toBe('BAD_CREDENTIALS');
    // Never stored in clear, never shown again.
    const dump = await t.database.pool.query(`select row_to_json(r)::text as j from account_requests r`);
    expect(JSON.stringify(dump.rows)).not.toContain(otp);
    expect(JSON.stringify((await t.req('GET', '/api/users/requests', { cookie: admin })).json)).not.toContain(otp);
    const again = await t.req('POST', `/api/users/requests/${res.json.request.id}/approve`, { cookie: admin });
    expect(again.status).toBe(409);
    expect(again.json.code).toBe('CONFLICT');
    // The auditor logs in with it (second factor unchanged) and must change it first.
    t.advance(31_000);
    const login = await t.req('POST', '/api/auth/login', {
      body: { username: 'auditor', password: otp, totpCode: await codeNow(t, secrets.auditor) },
    });
    expect(login.status).toBe(200);
    expect(login.json.mustChangePassword).toBe(true);
    expect(await auditCount(t, 'user.request.approve', 'ok', res.json.request.id)).toBe(1);
  });

  it('a security administrator cannot create a county administrator alone', async () => {
    const sec = await cookie('secadmin');
    const body = {
      username: 'rogue_admin',
      displayName: '冒名',
      password: 'Rogue#Admin2026',
      roles: ['countyAdmin'],
      orgId: t.fx.county,
    };
    const res = await t.req('POST', '/api/users', { cookie: sec, body });
    expect(res.status).toBe(202);
    expect(res.json.request).toMatchObject({
      kind: 'create',
      status: 'pending',
      summary: { username: 'rogue_admin', roles: ['countyAdmin'] },
    });
    expect((await t.database.db.execute(sql`select 1 from users where username = 'rogue_admin'`)).rowCount).toBe(0);
    // Granting the role to an existing account waits too.
    const grant = await t.req('PATCH', `/api/users/${t.fx.users.leader}`, {
      cookie: sec,
      body: { roles: ['countyAdmin'] },
    });
    expect(grant.status).toBe(202);
    expect(
      (await t.database.db.execute<{ roles: string[] }>(sql`select roles from users where id = ${t.fx.users.leader}`))
        .rows[0].roles,
    ).toEqual(['leader']);
    // A refusal is final; an old request expires.
    const admin = await cookie('admin');
    const rej = await t.req('POST', `/api/users/requests/${res.json.request.id}/reject`, { cookie: admin });
    expect(rej.status).toBe(200);
    expect(rej.json.request.status).toBe('rejected');
    expect(
      (await t.req('POST', `/api/users/requests/${res.json.request.id}/approve`, { cookie: admin })).json.code,
    ).toBe('CONFLICT');
    t.advance(25 * 3_600_000);
    const late = await t.req('POST', `/api/users/requests/${grant.json.request.id}/approve`, {
      cookie: await cookie('admin'),
    });
    expect(late.status).toBe(409);
    expect(late.json.code).toBe('CONFLICT');
    expect(late.json.message).toMatch(/过期/);
  });

  it('an approved creation makes the account with a one-time password for the approver; ordinary accounts need no approval', async () => {
    const sec = await cookie('secadmin');
    const res = await t.req('POST', '/api/users', {
      cookie: sec,
      body: {
        username: 'sec_two',
        displayName: '安全二',
        password: 'Ignored#Pass2026',
        roles: ['securityAdmin'],
        orgId: t.fx.county,
      },
    });
    expect(res.status).toBe(202);
    const ok = await t.req('POST', `/api/users/requests/${res.json.request.id}/approve`, {
      cookie: await cookie('admin'),
    });
    expect(ok.status).toBe(200);
    const made = await t.database.db.execute<{ roles: string[]; must_change_password: boolean }>(
      sql`select roles, must_change_password from users where username = 'sec_two'`,
    );
    expect(made.rows[0]).toEqual({ roles: ['securityAdmin'], must_change_password: true });
    expect(
      (await t.req('POST', '/api/auth/login', { body: { username: 'sec_two', password: 'Ignored#Pass2026' } })).json
        .code,
    ).toBe('BAD_CREDENTIALS');
    expect(
      (await t.req('POST', '/api/auth/login', { body: { username: 'sec_two', password: ok.json.oneTimePassword } }))
        .status,
    ).toBe(200);
    const plain = await t.req('POST', '/api/users', {
      cookie: sec,
      body: {
        username: 'plain_l3',
        displayName: '普通',
        password: 'Plain#User2026',
        roles: ['orgAdmin'],
        orgId: t.fx.townA,
      },
    });
    expect(plain.status).toBe(201);
  });
});
