/**
 * Issue 15 §1 (SEC-34): every change to an account's credentials or state goes through the one role
 * policy. The reviewer's attack: an organization administrator on the county committee reset the
 * password, the second factor and the disabled flag of the county administrator, the security
 * administrator and the auditor, then logged in as each. The matrix: each acting role × each target
 * role × each change, in both profiles, with the refusal's code and the target left as it was.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, setup, type TestCtx } from './harness.ts';

const NEW_PASSWORD = 'Fresh#Pass2027';
const TARGET_ROLES = ['countyAdmin', 'securityAdmin', 'auditor', 'orgAdmin', 'branchSecretary', 'leader'] as const;
const PRIVILEGED = new Set<string>(['countyAdmin', 'securityAdmin', 'auditor']);
const CHANGES = {
  password: { password: NEW_PASSWORD },
  secondFactor: { resetTotp: true },
  disabled: { disabled: true },
  unlock: { unlock: true },
  displayName: { displayName: '改名测试' },
} as const;
type Change = keyof typeof CHANGES;

type State = {
  password_hash: string;
  totp_enabled: boolean;
  disabled: boolean;
  locked_until: string | null;
  display_name: string;
};

async function stateOf(t: TestCtx, id: string): Promise<State> {
  const r = await t.database.db.execute<State>(
    sql`select password_hash, totp_enabled, disabled, locked_until, display_name from users where id = ${id}`,
  );
  return r.rows[0];
}

/** A fresh target for one cell of the matrix: enrolled in a second factor and locked, so every change has something to change. */
async function target(t: TestCtx, name: string, role: string, orgId: string): Promise<string> {
  const id = await t.addUser(name, [role], orgId);
  await t.database.db.execute(
    sql`update users set totp_enabled = true, locked_until = now() + interval '1 hour', failed_logins = 5 where id = ${id}`,
  );
  return id;
}

function orgFor(t: TestCtx, role: string): string {
  if (PRIVILEGED.has(role)) return t.fx.county;
  if (role === 'branchSecretary') return t.fx.villageA1;
  if (role === 'leader') return t.fx.county;
  return t.fx.townA;
}

describe('default profile: who may change which account (SEC-34)', () => {
  let t: TestCtx;
  const cookies: Record<string, string> = {};
  let n = 0;
  beforeAll(async () => {
    t = await setup();
    await t.addUser('root_oa', ['orgAdmin'], t.fx.county);
    for (const u of ['admin', 'secadmin', 'root_oa', 'orga']) cookies[u] = await t.login(u);
  });
  afterAll(async () => t?.close());

  // root_oa: an organization administrator on the county committee (the reviewer's account); orga: one on a township.
  const expected = (actor: string, role: string): 'ok' | 'forbidden' | 'notFound' => {
    if (actor === 'admin' || actor === 'secadmin') return 'ok';
    if (actor === 'root_oa') return PRIVILEGED.has(role) ? 'forbidden' : 'ok';
    // A township's administrator sees only its subtree: the county committee's accounts are not there.
    return role === 'branchSecretary' || role === 'orgAdmin' ? 'ok' : 'notFound';
  };

  for (const actor of ['admin', 'secadmin', 'root_oa', 'orga'])
    for (const role of TARGET_ROLES)
      for (const change of Object.keys(CHANGES) as Change[])
        it(`${actor} → ${role}: ${change} is ${expected(actor, role)}`, async () => {
          const id = await target(t, `m${++n}`, role, orgFor(t, role));
          const before = await stateOf(t, id);
          const res = await t.req('PATCH', `/api/users/${id}`, { cookie: cookies[actor], body: CHANGES[change] });
          const after = await stateOf(t, id);
          const want = expected(actor, role);
          if (want === 'ok') {
            expect(res.status, res.body).toBe(200);
            expect(after).not.toEqual(before);
          } else {
            expect(res.status, res.body).toBe(want === 'forbidden' ? 403 : 404);
            expect(res.json.code).toBe(want === 'forbidden' ? 'FORBIDDEN' : 'NOT_FOUND');
            if (want === 'forbidden') expect(res.json.message).toMatch(/只有县级管理员或安全管理员/);
            expect(after).toEqual(before);
          }
        });

  it('the reviewer cannot log in as the county administrator after trying to reset its password', async () => {
    const res = await t.req('PATCH', `/api/users/${t.fx.users.admin}`, {
      cookie: cookies.root_oa,
      body: { password: NEW_PASSWORD },
    });
    expect(res.json.code).toBe('FORBIDDEN');
    const login = await t.req('POST', '/api/auth/login', { body: { username: 'admin', password: NEW_PASSWORD } });
    expect(login.status).toBe(401);
    expect(await t.login('admin', PASSWORD)).toBeTruthy();
  });

  it('nobody unlocks, disables or resets their own account through the administrators’ route', async () => {
    for (const change of ['secondFactor', 'disabled', 'unlock'] as Change[]) {
      const res = await t.req('PATCH', `/api/users/${t.fx.users.admin}`, {
        cookie: cookies.admin,
        body: CHANGES[change],
      });
      expect(res.status, change).toBe(403);
      expect(res.json.code).toBe('FORBIDDEN');
    }
  });
});

describe('level3: privileged accounts change only through a second person (SEC-34, SEC-10)', () => {
  let t: TestCtx;
  let sec: string;
  let n = 0;
  beforeAll(async () => {
    t = await setup({ profile: 'level3', totp: true });
    sec = await t.login('secadmin');
  });
  afterAll(async () => t?.close());

  for (const role of TARGET_ROLES)
    for (const change of Object.keys(CHANGES) as Change[]) {
      const waits = PRIVILEGED.has(role) && change !== 'displayName';
      it(`secadmin → ${role}: ${change} ${waits ? 'waits for approval' : 'is done'}`, async () => {
        const id = await target(t, `l${++n}`, role, orgFor(t, role));
        const before = await stateOf(t, id);
        const res = await t.req('PATCH', `/api/users/${id}`, { cookie: sec, body: CHANGES[change] });
        const after = await stateOf(t, id);
        if (waits) {
          expect(res.status, res.body).toBe(202);
          expect(after).toEqual(before);
        } else {
          expect(res.status, res.body).toBe(200);
          expect(after).not.toEqual(before);
        }
      });
    }

  it('organization administrators and county administrators cannot manage accounts at all in level3', async () => {
    await t.addUser('root_oa', ['orgAdmin'], t.fx.county);
    for (const actor of ['root_oa', 'admin']) {
      const cookie = await t.login(actor);
      const res = await t.req('PATCH', `/api/users/${t.fx.users.auditor}`, { cookie, body: { disabled: true } });
      expect(res.status, actor).toBe(403);
      expect(res.json.code).toBe('FORBIDDEN');
    }
  });
});
