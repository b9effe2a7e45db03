/** Security checks from security.md "How we test it": leak scan, junk-input fuzzing, rate limits, the level3 profile. */
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, setup, type TestCtx } from './harness.ts';

describe('default profile', () => {
  let t: TestCtx;
  let admin: string;
  beforeAll(async () => {
    t = await setup();
    admin = await t.login('admin');
  });
  afterAll(async () => t?.close());

  it('no plaintext ID number or phone in any table, audit detail included (SEC-16)', async () => {
    await t.req('POST', `/api/members/${t.fx.members.李四}/reveal`, { cookie: admin, body: { reason: '泄露扫描' } });
    await t.req('PATCH', `/api/members/${t.fx.members.李四}`, { cookie: admin, body: { phone: '13698765432' } });
    const tables = await t.database.db.execute<{ table_name: string }>(
      sql`select table_name from information_schema.tables where table_schema = 'public'`,
    );
    let dump = '';
    for (const { table_name } of tables.rows) {
      const rows = await t.database.pool.query(`select row_to_json(t)::text as j from "${table_name}" t`);
      dump += rows.rows.map((r: { j: string }) => r.j).join('\n');
    }
    for (const id of Object.values(t.fx.ids)) expect(dump).not.toContain(id);
    expect(dump).not.toContain('13698765432');
    expect(dump).not.toContain('13912345678');
  });

  it('junk bodies never cause a 5xx and a refused request changes nothing (SEC-19)', async () => {
    const count = async () =>
      (
        await t.database.db.execute<{ n: number }>(
          sql`select (select count(*) from members) + (select count(*) from orgs) + (select count(*) from users) as n`,
        )
      ).rows[0].n;
    const before = await count();
    const targets = [
      ['POST', '/api/members'],
      ['PATCH', `/api/members/${t.fx.members.张三}`],
      ['POST', '/api/orgs'],
      ['PATCH', `/api/orgs/${t.fx.villageA1}`],
      ['POST', '/api/users'],
      ['POST', `/api/orgs/${t.fx.villageA1}/posts`],
    ] as const;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...targets), fc.anything({ maxDepth: 2 }), async ([method, url], body) => {
        const res = await t.req(method, url, { cookie: admin, body: body === undefined ? {} : body });
        expect(res.status, `${method} ${url} ${JSON.stringify(body)?.slice(0, 80)}`).toBeLessThan(500);
        if (res.status >= 400) expect(res.json.code).toMatch(/^[A-Z_]+$/);
      }),
      { numRuns: 150 },
    );
    // Valid-looking strings in every field of a member, still refused without writing.
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          name: fc.string(),
          idNumber: fc.string({ maxLength: 18 }),
          orgId: fc.uuid(),
          standing: fc.constantFrom('full', 'probationary', 'x'),
          joinDate: fc.string(),
        }),
        async (body) => {
          const res = await t.req('POST', '/api/members', { cookie: admin, body });
          expect(res.status).toBeGreaterThanOrEqual(400);
          expect(res.status).toBeLessThan(500);
        },
      ),
      { numRuns: 100 },
    );
    // Patches that were accepted change members, not the member/org/user counts.
    expect(await count()).toBe(before);
  });

  it('two-step verification: enrol, then every login needs a fresh code, used once (SEC-5)', async () => {
    const cookie = await t.login('leader');
    const setup = await t.req('POST', '/api/auth/totp/setup', { cookie, body: { password: PASSWORD } });
    expect(setup.status).toBe(200);
    expect(setup.json.otpauthUrl).toMatch(/^otpauth:\/\/totp\//);
    expect(setup.json.qrDataUrl).toMatch(/^data:image\/png;base64,/);
    const secret = setup.json.secret as string;
    const code = async (offsetSeconds = 0) =>
      generate({ secret, epoch: Math.floor(t.deps.now().getTime() / 1000) + offsetSeconds });
    expect((await t.req('POST', '/api/auth/totp/enable', { cookie, body: { code: '000000' } })).status).toBe(400);
    expect((await t.req('POST', '/api/auth/totp/enable', { cookie, body: { code: await code() } })).status).toBe(200);
    const stored = await t.database.db.execute<{ totp_secret_enc: string }>(
      sql`select totp_secret_enc from users where username = 'leader'`,
    );
    expect(stored.rows[0].totp_secret_enc).not.toContain(secret);

    const noCode = await t.req('POST', '/api/auth/login', { body: { username: 'leader', password: 'Test#Pass2026' } });
    expect(noCode.status).toBe(401);
    expect(noCode.json.code).toBe('TOTP_REQUIRED');
    t.advance(31_000);
    const fresh = await code();
    const ok = await t.req('POST', '/api/auth/login', {
      body: { username: 'leader', password: 'Test#Pass2026', totpCode: fresh },
    });
    expect(ok.status).toBe(200);
    const replay = await t.req('POST', '/api/auth/login', {
      body: { username: 'leader', password: 'Test#Pass2026', totpCode: fresh },
    });
    expect(replay.status).toBe(401);
    expect(replay.json.code).toBe('BAD_TOTP');
    const wrongPassword = await t.req('POST', '/api/auth/login', {
      body: { username: 'leader', password: 'nope-nope', totpCode: await code(30) },
    });
    expect(wrongPassword.json.code).toBe('BAD_CREDENTIALS');
  });

  it('rate-limits logins per IP (SEC-23)', async () => {
    let limited = 0;
    for (let i = 0; i < 35; i++) {
      const r = await t.req('POST', '/api/auth/login', {
        body: { username: `nobody${i}`, password: 'x' },
        headers: { 'x-forwarded-for': '10.0.0.1' },
      });
      if (r.status === 429) limited++;
    }
    expect(limited).toBeGreaterThan(0);
  });
});

describe('level3 profile (SEC-2, SEC-10)', () => {
  let t: TestCtx;
  let secSecret = '';
  let adminSecret = '';
  const codeNow = (secret: string) => generate({ secret, epoch: Math.floor(t.deps.now().getTime() / 1000) });
  /** Enrol a second factor as the web page does: password, then a code from the new secret. */
  const enrol = async (cookie: string) => {
    const setup = await t.req('POST', '/api/auth/totp/setup', { cookie, body: { password: PASSWORD } });
    expect(setup.status).toBe(200);
    expect(
      (await t.req('POST', '/api/auth/totp/enable', { cookie, body: { code: await codeNow(setup.json.secret) } }))
        .status,
    ).toBe(200);
    return setup.json.secret as string;
  };
  /** A login with a fresh code (one step later, so a code is never replayed). */
  const signIn = async (username: string, secret: string) => {
    t.advance(31_000);
    const res = await t.req('POST', '/api/auth/login', {
      body: { username, password: PASSWORD, totpCode: await codeNow(secret) },
    });
    expect(res.status).toBe(200);
    return String(res.headers['set-cookie']).split(';')[0];
  };
  beforeAll(async () => {
    t = await setup({ profile: 'level3' });
  });
  afterAll(async () => t?.close());

  it('moves account management from the county administrator to the security administrator', async () => {
    // The county administrator enrols first, so the refusal below is about the permission and not a missing second factor.
    const admin = await t.login('admin');
    adminSecret = await enrol(admin);
    expect((await t.req('GET', '/api/auth/me', { cookie: admin })).json.mustSetupTotp).toBe(false);
    const body = {
      username: 'l3user',
      displayName: '三级',
      password: 'Level3#Pass2026',
      roles: ['leader'],
      orgId: t.fx.county,
    };
    const refused = await t.req('POST', '/api/users', { cookie: admin, body });
    expect(refused.status).toBe(403);
    expect(refused.json.code).toBe('FORBIDDEN');
    const sec = await t.login('secadmin');
    secSecret = await enrol(sec);
    expect((await t.req('POST', '/api/users', { cookie: sec, body })).status).toBe(201);
  });

  it('administrators must enrol a second factor before anything else', async () => {
    const cookie = await t.login('auditor');
    const blocked = await t.req('GET', '/api/audit', { cookie });
    expect(blocked.status).toBe(403);
    expect(blocked.json.code).toBe('TOTP_SETUP_REQUIRED');
    const me = await t.req('GET', '/api/auth/me', { cookie });
    expect(me.json).toMatchObject({ mustSetupTotp: true, totpEnabled: false });
    await enrol(cookie);
    expect((await t.req('GET', '/api/audit', { cookie })).status).toBe(200);
    const off = await t.req('POST', '/api/auth/totp/disable', { cookie, body: { password: 'Test#Pass2026' } });
    expect(off.status).toBe(403);
    expect(off.json.code).toBe('FORBIDDEN');
    // A lost phone: the security administrator asks for a reset, the county administrator approves; the auditor must enrol again.
    const sec = await signIn('secadmin', secSecret);
    const reset = await t.req('PATCH', `/api/users/${t.fx.users.auditor}`, { cookie: sec, body: { resetTotp: true } });
    expect(reset.status).toBe(202);
    expect((await t.req('GET', '/api/auth/me', { cookie })).status).toBe(200);
    const approved = await t.req('POST', `/api/users/requests/${reset.json.request.id}/approve`, {
      cookie: await signIn('admin', adminSecret),
    });
    expect(approved.status).toBe(200);
    expect(approved.json.oneTimePassword).toBeNull();
    expect((await t.req('GET', `/api/users/${t.fx.users.auditor}`, { cookie: sec })).json.totpEnabled).toBe(false);
    expect((await t.req('GET', '/api/auth/me', { cookie })).status).toBe(401);
    const again = await t.login('auditor');
    expect((await t.req('GET', '/api/auth/me', { cookie: again })).json.mustSetupTotp).toBe(true);
  });

  it('refuses a recently used password', async () => {
    const cookie = await t.login('leader');
    const first = await t.req('POST', '/api/auth/password', {
      cookie,
      body: { oldPassword: 'Test#Pass2026', newPassword: 'Second#Pass2026' },
    });
    expect(first.status).toBe(200);
    const back = await t.req('POST', '/api/auth/password', {
      cookie,
      body: { oldPassword: 'Second#Pass2026', newPassword: 'Test#Pass2026' },
    });
    expect(back.status).toBe(400);
    expect(back.json.message).toMatch(/最近/);
  });
});
