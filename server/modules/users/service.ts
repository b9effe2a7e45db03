/**
 * Accounts: login with lockout (unknown names alike), re-authentication for self-service, password
 * changes, account management under one role policy, and level3 dual control (SEC-1…5, SEC-10, SEC-11, SEC-33).
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import { ROLE_CODES, type userCreate, type userListQuery, type userPatch } from '../../../contract/users.ts';
import type { Tx } from '../../db/index.ts';
import { type Actor, writeAudit } from '../../platform/audit.ts';
import type { Deps, SessionUser } from '../../platform/deps.ts';
import { AppError, fieldError } from '../../platform/errors.ts';
import {
  checkPasswordRules,
  DUMMY_HASH,
  hashPassword,
  randomPassword,
  verifyPassword,
} from '../../platform/passwords.ts';
import { TOTP_REQUIRED_ROLES } from '../../platform/permissions.ts';
import { hit } from '../../platform/ratelimit.ts';
import {
  type AccountChange,
  accountChangeProblems,
  dualControlChange,
  escapeLike,
  type Granter,
  inCounty,
  joinOrg,
  needsDualControl,
  orgInScope,
  orgInScopeSql,
  roleAssignmentProblems,
} from '../../platform/access.ts';
import { installationCounty, servedCounties } from '../../platform/installation.ts';
import { sealCtx } from '../../platform/sealed.ts';
import { createSession, endSession, endSessionsOf } from '../../platform/session.ts';
import { newTotpSecret, totpEnrolment, totpStep } from '../../platform/totp.ts';
import { countyNameOf } from '../orgs/api.ts';
import { getSetting } from '../../platform/settings.ts';

/** Sign out: this session ends at once (SEC-4), recorded. */
export async function logout(tx: Tx, deps: Deps, user: SessionUser, actor: Actor): Promise<void> {
  await endSession(tx, user.countyCode, user.sessionHash);
  await writeAudit(tx, deps.crypto, actor, [{ action: 'auth.logout', objectType: 'user', objectId: user.id }]);
}

/** The counties this installation serves with their names, the installation's own first: what the login page offers. */
export async function loginCounties(db: Tx): Promise<{ code: string; name: string }[]> {
  const own = await installationCounty(db);
  const codes = await servedCounties(db);
  const r = await db.execute<{ county_code: string; name: string }>(
    sql`select distinct on (o.county_code) o.county_code, o.name from orgs o where o.county_code = any(${sql.param(codes)}::text[]) and o.parent_id is null order by o.county_code, o.depth, o.created_at`,
  );
  const names = new Map(r.rows.map((x) => [x.county_code, countyNameOf(x.name) ?? x.name]));
  return [own, ...codes.filter((c) => c !== own)]
    .filter((c) => names.has(c))
    .map((code) => ({ code, name: String(names.get(code)) }));
}

export async function login(
  deps: Deps,
  loginCounty: string | undefined,
  username: string,
  password: string,
  totpCode: string | undefined,
  ip: string,
  userAgent: string,
  actorBase: Actor,
): Promise<{ sid: string; userId: string }> {
  const db = deps.database.db;
  // Each county's login names are its own (issue 15 §8): the login names its county, by default the
  // installation's own. A county the installation does not serve has no accounts: the same answer
  // as an unknown name, after the same work (SEC-3).
  const served = await servedCounties(db);
  const named = loginCounty ?? (await installationCounty(db));
  const inCountyCode = served.includes(named) ? named : '000000';
  const res = await db.execute<Record<string, unknown>>(
    sql`select u.id, u.username, u.password_hash, u.disabled, u.failed_logins, u.locked_until, u.roles, u.org_id, u.county_code, u.password_changed_at,
      u.totp_enabled, u.totp_secret_enc, u.totp_last_step from users u where u.county_code = ${inCountyCode} and lower(u.username) = lower(${username})`,
  );
  const u = res.rows[0];
  const now = deps.now();
  const actor: Actor = {
    ...actorBase,
    userId: (u?.id as string) ?? null,
    username,
    roles: (u?.roles as string[]) ?? [],
    orgId: (u?.org_id as string) ?? null,
    countyCode: (u?.county_code as string) ?? null,
  };
  // Same work for unknown users, so timing does not tell which usernames exist (SEC-3).
  const ok = await verifyPassword(u ? String(u.password_hash) : DUMMY_HASH, password);
  // An unknown name is counted under the installation's settings, so its answers match an account's.
  const county = u ? String(u.county_code) : await installationCounty(db);
  const threshold = await getSetting(db, county, 'security.lockoutThreshold');
  const minutes = await getSetting(db, county, 'security.lockoutMinutes');
  // Unknown usernames keep a failure counter and lock like accounts do, so the 6th answer is alike (SEC-3).
  const unknownKey = `login-unknown:${inCountyCode}:${username.toLowerCase()}`;
  const unknownLocked = !u && (await unknownUserLocked(db, unknownKey, threshold, minutes, now));
  if (unknownLocked || (u?.locked_until && new Date(String(u.locked_until)) > now)) {
    await db.transaction((tx) =>
      writeAudit(tx, deps.crypto, actor, [
        {
          action: 'auth.login',
          objectType: 'user',
          objectId: (u?.id as string) ?? null,
          result: 'denied',
          detail: { reason: 'locked' },
        },
      ]),
    );
    throw new AppError('LOCKED');
  }
  // Second factor (SEC-5): asked only after a right password; a wrong code counts as a failed login.
  let totpFailed = false;
  let acceptedStep: number | null = null;
  if (u && ok && !u.disabled && u.totp_enabled) {
    if (!totpCode) throw new AppError('TOTP_REQUIRED');
    acceptedStep = await totpStep(
      deps.crypto.decrypt(String(u.totp_secret_enc), sealCtx('users.totp', String(u.id))),
      totpCode,
      now,
    );
    if (acceptedStep === null || (u.totp_last_step !== null && acceptedStep <= Number(u.totp_last_step)))
      totpFailed = true;
  }
  if (!u || !ok || u.disabled || totpFailed) {
    await db.transaction(async (tx) => {
      const locked = u
        ? await countFailure(tx, county, String(u.id), threshold, minutes, now)
        : await countUnknownFailure(tx, unknownKey, threshold, now);
      await writeAudit(tx, deps.crypto, actor, [
        {
          action: 'auth.login',
          objectType: 'user',
          objectId: (u?.id as string) ?? null,
          result: 'failed',
          detail: { reason: !u ? 'unknown' : u.disabled ? 'disabled' : totpFailed ? 'totp' : 'password', locked },
        },
      ]);
    });
    throw new AppError(totpFailed ? 'BAD_TOTP' : 'BAD_CREDENTIALS');
  }
  const userId = String(u.id);
  const sid = await db.transaction(async (tx) => {
    await tx.execute(
      sql`update users u set failed_logins = 0, locked_until = null, last_login_at = ${now.toISOString()} where ${inCounty(county, 'u')} and u.id = ${userId}`,
    );
    if (acceptedStep !== null)
      await tx.execute(
        sql`update users u set totp_last_step = ${acceptedStep} where ${inCounty(county, 'u')} and u.id = ${userId}`,
      );
    if (deps.config.profile === 'level3') {
      const maxAge = await getSetting(tx, county, 'security.passwordMaxAgeDays');
      if (now.getTime() - new Date(String(u.password_changed_at)).getTime() > maxAge * 86_400_000) {
        await tx.execute(
          sql`update users u set must_change_password = true where ${inCounty(county, 'u')} and u.id = ${userId}`,
        );
      }
    }
    const s = await createSession(tx, deps, county, userId, ip, userAgent);
    await writeAudit(tx, deps.crypto, actor, [
      { action: 'auth.login', objectType: 'user', objectId: userId, result: 'ok' },
    ]);
    return s;
  });
  return { sid, userId };
}

/** A user id that is no account (login reads with it when the name is unknown). */

/** One more failed proof of identity; at the threshold the account locks for the lockout time. True when it locked now. */
async function countFailure(
  tx: Tx,
  county: string,
  userId: string,
  threshold: number,
  minutes: number,
  now: Date,
): Promise<boolean> {
  const upd = await tx.execute<{ failed_logins: number }>(
    sql`update users u set failed_logins = u.failed_logins + 1 where ${inCounty(county, 'u')} and u.id = ${userId} returning u.failed_logins`,
  );
  if (upd.rows[0].failed_logins < threshold) return false;
  await tx.execute(
    sql`update users u set locked_until = ${new Date(now.getTime() + minutes * 60_000).toISOString()}, failed_logins = 0 where ${inCounty(county, 'u')} and u.id = ${userId}`,
  );
  return true;
}

/** An unknown username "locks" when its counter reached the threshold less than the lockout time ago. */
async function unknownUserLocked(db: Tx, key: string, threshold: number, minutes: number, now: Date): Promise<boolean> {
  const r = await db.execute<{ count: number; window_start: string }>(
    sql`select count, window_start from rate_limits where key = ${key}`,
  );
  const row = r.rows[0];
  return (
    !!row && Number(row.count) >= threshold && new Date(row.window_start).getTime() + minutes * 60_000 > now.getTime()
  );
}

/** Count a failure for an unknown username the way accounts count theirs: after a lock has run out, counting starts again. */
async function countUnknownFailure(tx: Tx, key: string, threshold: number, now: Date): Promise<boolean> {
  const r = await tx.execute<{
    count: number;
  }>(sql`insert into rate_limits (key, window_start, count) values (${key}, ${now.toISOString()}, 1)
    on conflict (key) do update set count = case when rate_limits.count >= ${threshold} then 1 else rate_limits.count + 1 end, window_start = excluded.window_start
    returning count`);
  return Number(r.rows[0].count) >= threshold;
}

const REAUTH_PER_MINUTE = 10;
const PROOF_LABELS: Record<string, string> = { oldPassword: '原密码', password: '密码', code: '验证码' };

/**
 * Re-authentication before a sensitive self-service change (SEC-33, SEC-5, SEC-23): the password or
 * a current second-factor code. Rate-limited per user; a wrong answer counts toward the lockout
 * (ending every session at the threshold) and is audited as `failed` in its own transaction, which
 * commits before the error is thrown. A locked account answers LOCKED.
 */
export async function reauthenticate(
  deps: Deps,
  user: SessionUser,
  actor: Actor,
  proof: { password?: string; code?: string },
  action: string,
  field: 'oldPassword' | 'password' | 'code',
): Promise<void> {
  const db = deps.database.db;
  await hit(db, `reauth:${user.id}`, REAUTH_PER_MINUTE, 60);
  const now = deps.now();
  const r = await db.execute<{
    password_hash: string;
    locked_until: string | null;
    totp_enabled: boolean;
    totp_secret_enc: string | null;
    totp_last_step: number | null;
  }>(
    sql`select u.password_hash, u.locked_until, u.totp_enabled, u.totp_secret_enc, u.totp_last_step from users u where ${inCounty(user, 'u')} and u.id = ${user.id}`,
  );
  const u = r.rows[0];
  if (!u) throw new AppError('UNAUTHENTICATED');
  if (u.locked_until && new Date(u.locked_until) > now) {
    await db.transaction((tx) =>
      writeAudit(tx, deps.crypto, actor, [
        { action, objectType: 'user', objectId: user.id, result: 'denied', detail: { reason: 'locked' } },
      ]),
    );
    throw new AppError('LOCKED');
  }
  let ok = false;
  let step: number | null = null;
  if (proof.code !== undefined) {
    if (u.totp_enabled && u.totp_secret_enc) {
      step = await totpStep(deps.crypto.decrypt(u.totp_secret_enc, sealCtx('users.totp', user.id)), proof.code, now);
      ok = step !== null && (u.totp_last_step === null || step > Number(u.totp_last_step));
    }
  } else if (proof.password !== undefined) ok = await verifyPassword(u.password_hash, proof.password);
  if (ok) {
    await db.execute(
      sql`update users u set failed_logins = 0 ${step !== null ? sql`, totp_last_step = ${step}` : sql``} where ${inCounty(user, 'u')} and u.id = ${user.id}`,
    );
    return;
  }
  const threshold = await getSetting(db, user.countyCode, 'security.lockoutThreshold');
  const minutes = await getSetting(db, user.countyCode, 'security.lockoutMinutes');
  const locked = await db.transaction(async (tx) => {
    const l = await countFailure(tx, user.countyCode, user.id, threshold, minutes, now);
    if (l) await endSessionsOf(tx, user.countyCode, user.id);
    await writeAudit(tx, deps.crypto, actor, [
      {
        action,
        objectType: 'user',
        objectId: user.id,
        result: 'failed',
        detail: { reason: proof.code !== undefined ? 'totp' : 'password', locked: l },
      },
    ]);
    return l;
  });
  if (locked) throw new AppError('LOCKED');
  throw fieldError([
    {
      field,
      message: `${PROOF_LABELS[field]}：${field === 'code' ? '不正确或已使用过，请输入验证器中最新的验证码' : '不正确'}`,
    },
  ]);
}

export async function changeOwnPassword(
  tx: Tx,
  deps: Deps,
  user: SessionUser,
  actor: Actor,
  oldPassword: string,
  newPassword: string,
): Promise<void> {
  // The old password was checked by reauthenticate() before this transaction.
  const res = await tx.execute<{ password_hash: string; password_history: string[] }>(
    sql`select u.password_hash, u.password_history from users u where ${inCounty(user, 'u')} and u.id = ${user.id}`,
  );
  if (oldPassword === newPassword) throw fieldError([{ field: 'newPassword', message: '新密码：不能与原密码相同' }]);
  await checkPasswordRules(tx, newPassword, { county: user.countyCode, username: user.username, field: 'newPassword' });
  let history: string[] = res.rows[0].password_history ?? [];
  if (deps.config.profile === 'level3') {
    const keep = await getSetting(tx, user.countyCode, 'security.passwordHistory');
    for (const h of history)
      if (await verifyPassword(h, newPassword))
        throw fieldError([{ field: 'newPassword', message: `新密码：不能与最近 ${keep} 次使用过的密码相同` }]);
    history = [res.rows[0].password_hash, ...history].slice(0, keep - 1);
  }
  const hash = await hashPassword(newPassword);
  await tx.execute(sql`update users u set password_hash = ${hash}, password_history = ${JSON.stringify(history)}::jsonb, password_changed_at = now(),
    must_change_password = false, version = u.version + 1, updated_at = now() where ${inCounty(user, 'u')} and u.id = ${user.id}`);
  await endSessionsOf(tx, user.countyCode, user.id, user.sessionHash);
  await writeAudit(tx, deps.crypto, actor, [{ action: 'user.password.change', objectType: 'user', objectId: user.id }]);
}

function view(r: Record<string, unknown>, now: Date) {
  return {
    id: String(r.id),
    username: String(r.username),
    displayName: String(r.display_name),
    roles: r.roles as string[],
    orgId: String(r.org_id),
    orgName: String(r.org_name),
    disabled: Boolean(r.disabled),
    locked: !!r.locked_until && new Date(String(r.locked_until)) > now,
    mustChangePassword: Boolean(r.must_change_password),
    totpEnabled: Boolean(r.totp_enabled),
    lastLoginAt: r.last_login_at ? new Date(String(r.last_login_at)).toISOString() : null,
    createdAt: new Date(String(r.created_at)).toISOString(),
  };
}

const USER_COLS = sql`u.id, u.username, u.display_name, u.roles, u.org_id, o.name as org_name, u.disabled, u.locked_until, u.must_change_password, u.totp_enabled, u.last_login_at, u.created_at`;

export async function listUsers(tx: Tx, deps: Deps, user: SessionUser, q: z.infer<typeof userListQuery>) {
  const conds = [inCounty(user, 'u'), orgInScopeSql(user)];
  if (q.q)
    conds.push(sql`(u.username ilike ${`%${escapeLike(q.q)}%`} or u.display_name like ${`%${escapeLike(q.q)}%`})`);
  const where = sql.join(conds, sql` and `);
  const total = await tx.execute<{ n: number }>(
    sql`select count(*)::int as n from users u ${joinOrg('u')} where ${where}`,
  );
  const rows = await tx.execute<Record<string, unknown>>(
    sql`select ${USER_COLS} from users u ${joinOrg('u')} where ${where} order by o.path, u.username limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`,
  );
  return {
    items: rows.rows.map((r) => view(r, deps.now())),
    total: total.rows[0].n,
    page: q.page,
    pageSize: q.pageSize,
  };
}

export async function getUser(tx: Tx, deps: Deps, user: SessionUser, id: string) {
  const res = await tx.execute<Record<string, unknown>>(
    sql`select ${USER_COLS} from users u ${joinOrg('u')} where ${inCounty(user, 'u')} and u.id = ${id} and ${orgInScopeSql(user)}`,
  );
  if (!res.rows[0]) throw new AppError('NOT_FOUND');
  return view(res.rows[0], deps.now());
}

function granterOf(user: SessionUser): Granter {
  return { userId: user.id, roles: user.roles };
}

/** Refuse a role set on an organization with the policy's Chinese problems (SEC-10). */
function assertRoles(a: Parameters<typeof roleAssignmentProblems>[0]): void {
  const problems = roleAssignmentProblems(a);
  if (problems.length) throw fieldError([{ field: 'roles', message: `角色：${problems.join('；')}` }]);
}

const sqlRoles = (roles: readonly string[]) =>
  sql`array[${sql.join(
    roles.map((x) => sql`${x}`),
    sql`, `,
  )}]::text[]`;

const usernameTaken = () =>
  new AppError('DUPLICATE_USERNAME', '用户名：已被使用', {
    fields: [{ field: 'username', message: '用户名：已被使用' }],
  });

/** Login names are unique within the county: another county's accounts are another name space, of which nothing is told (issue 15 §8). */
async function assertUsernameFree(tx: Tx, county: string, username: string): Promise<void> {
  const dup = await tx.execute(
    sql`select 1 from users u where ${inCounty(county, 'u')} and lower(u.username) = lower(${username})`,
  );
  if (dup.rowCount) throw usernameTaken();
}

export type CreateResult = { id: string; request?: undefined } | { id?: undefined; request: AccountRequestView };

export async function createUser(
  tx: Tx,
  deps: Deps,
  user: SessionUser,
  actor: Actor,
  body: z.infer<typeof userCreate>,
): Promise<CreateResult> {
  let org: Awaited<ReturnType<typeof orgInScope>>;
  try {
    org = await orgInScope(tx, user, body.orgId);
  } catch {
    throw fieldError([{ field: 'orgId', message: '所属党组织：找不到该组织，或不在您的管辖范围内' }]);
  }
  const granter = granterOf(user);
  assertRoles({ granter, targetId: null, roles: body.roles, org });
  await assertUsernameFree(tx, org.countyCode, body.username);
  if (
    needsDualControl({
      profile: deps.config.profile,
      granter,
      rolesBefore: null,
      rolesAfter: body.roles,
      change: 'create',
    })
  ) {
    // The requester's password is not kept: the approver receives a one-time password instead.
    const payload = { username: body.username, displayName: body.displayName, roles: body.roles, orgId: org.id };
    return { request: await openRequest(tx, deps, user, actor, 'create', null, payload) };
  }
  await checkPasswordRules(tx, body.password, { county: org.countyCode, username: body.username });
  const id = await insertUser(
    tx,
    org.countyCode,
    body.username,
    body.displayName,
    await hashPassword(body.password),
    body.roles,
    org.id,
    user.id,
  );
  await writeAudit(tx, deps.crypto, actor, [
    {
      action: 'user.create',
      objectType: 'user',
      objectId: id,
      detail: { username: body.username, roles: body.roles, orgId: org.id },
    },
  ]);
  return { id };
}

/**
 * New accounts of county `countyCode` (an account made by someone else starts with a password its
 * owner must change, SEC-1). DUPLICATE_USERNAME when an account of the county holds one of the names,
 * even one created a moment ago by a concurrent request (the county's unique index on the name).
 */
export async function insertUsers(
  tx: Tx,
  countyCode: string,
  rows: { id: string; username: string; displayName: string; hash: string; orgId: string }[],
  roles: readonly string[],
  createdBy: string | null,
): Promise<void> {
  const r =
    await tx.execute(sql`insert into users (id, county_code, username, display_name, password_hash, roles, org_id, must_change_password, created_by)
    select u.id, ${countyCode}, u.username, u.display_name, u.hash, ${sqlRoles(roles)}, u.org_id, true, ${createdBy}
    from unnest(${sql.param(rows.map((x) => x.id))}::uuid[], ${sql.param(rows.map((x) => x.username))}::text[], ${sql.param(rows.map((x) => x.displayName))}::text[],
      ${sql.param(rows.map((x) => x.hash))}::text[], ${sql.param(rows.map((x) => x.orgId))}::uuid[]) as u(id, username, display_name, hash, org_id)
    on conflict (county_code, lower(username)) do nothing`);
  if ((r.rowCount ?? 0) !== rows.length) throw usernameTaken();
}

async function insertUser(
  tx: Tx,
  countyCode: string,
  username: string,
  displayName: string,
  hash: string,
  roles: readonly string[],
  orgId: string,
  createdBy: string | null,
): Promise<string> {
  const id = randomUUID();
  await insertUsers(tx, countyCode, [{ id, username, displayName, hash, orgId }], roles, createdBy);
  return id;
}

/**
 * `npm run cli -- create-user`: the server operator may grant every role, but placement and
 * three-way separation still apply (SEC-10). Returns the problems, or the one-time password.
 */
export async function operatorCreateUser(
  deps: Deps,
  username: string,
  role: string,
  orgId: string | null,
): Promise<{ problems: string[]; password?: string; id?: string }> {
  const db = deps.database.db;
  if (!/^[A-Za-z0-9_.-]{3,32}$/.test(username)) return { problems: ['用户名为 3–32 位字母、数字、下划线、点或连字符'] };
  if (!(ROLE_CODES as readonly string[]).includes(role)) return { problems: [`角色须为：${ROLE_CODES.join(', ')}`] };
  // The operator's console serves the installation's counties: an organization of one of them, by
  // default the root of the installation's own county.
  const counties = orgId ? await servedCounties(db) : [await installationCounty(db)];
  const org = (
    await db.execute<{ id: string; depth: number; kind: string; county_code: string }>(
      orgId
        ? sql`select o.id, o.depth, o.kind, o.county_code from orgs o where o.county_code = any(${sql.param(counties)}::text[]) and o.id = ${orgId}`
        : sql`select o.id, o.depth, o.kind, o.county_code from orgs o where ${inCounty(counties[0], 'o')} and o.parent_id is null order by o.created_at limit 1`,
    )
  ).rows[0];
  if (!org) return { problems: ['找不到该组织'] };
  const problems = roleAssignmentProblems({
    granter: 'cli',
    targetId: null,
    roles: [role],
    org: { depth: Number(org.depth), kind: org.kind },
  });
  if (problems.length) return { problems };
  const password = randomPassword();
  const hash = await hashPassword(password);
  try {
    const id = await db.transaction(async (tx) => {
      await assertUsernameFree(tx, org.county_code, username);
      const id = await insertUser(tx, org.county_code, username, username, hash, [role], org.id, null);
      await writeAudit(tx, deps.crypto, { ...CLI_ACTOR, countyCode: org.county_code }, [
        {
          action: 'user.create',
          objectType: 'user',
          objectId: id,
          detail: { username, roles: [role], orgId: org.id, via: 'cli' },
        },
      ]);
      return id;
    });
    return { problems: [], password, id };
  } catch (e) {
    if (e instanceof AppError && e.code === 'DUPLICATE_USERNAME') return { problems: ['用户名已被使用'] };
    throw e;
  }
}

export const CLI_ACTOR: Actor = {
  userId: null,
  username: 'cli',
  roles: [],
  orgId: null,
  countyCode: null,
  ip: 'local',
  requestId: null,
};

export async function patchUser(
  tx: Tx,
  deps: Deps,
  user: SessionUser,
  actor: Actor,
  id: string,
  body: z.infer<typeof userPatch>,
): Promise<{ request: AccountRequestView } | null> {
  const target = await getUser(tx, deps, user, id);
  if (id === user.id && body.password) throw new AppError('SELF_SERVICE_ONLY');
  const granter = granterOf(user);
  const rolesAfter = body.roles ?? target.roles;
  // Every change to the account, credentials and state included, goes through the one policy (SEC-34).
  assertChanges({ granter, targetId: id, targetRoles: target.roles, changes: changesOf(body) });
  if (body.roles || body.orgId) {
    // A new role set, or a move to another organization: placement is checked again (SEC-10).
    const org = await orgInScope(tx, user, body.orgId ?? target.orgId);
    assertRoles({ granter, targetId: id, roles: rolesAfter, org });
  }
  const rolesChanged = !!body.roles && [...body.roles].sort().join() !== [...target.roles].sort().join();
  const change = dualControlChange(changesOf({ ...body, roles: rolesChanged ? body.roles : undefined }));
  if (needsDualControl({ profile: deps.config.profile, granter, rolesBefore: target.roles, rolesAfter, change })) {
    const { password, ...rest } = body;
    return {
      request: await openRequest(tx, deps, user, actor, 'update', id, {
        ...rest,
        ...(password ? { resetPassword: true } : {}),
      }),
    };
  }
  if (body.password)
    await checkPasswordRules(tx, body.password, { county: user.countyCode, username: target.username });
  await applyPatch(tx, deps, actor, user.countyCode, id, body, body.password ?? null, {});
  return null;
}

/** The changes a patch makes, as the role policy names them. */
function changesOf(body: Partial<z.infer<typeof userPatch>> & { resetPassword?: boolean }): AccountChange[] {
  const changes: AccountChange[] = [];
  if (body.roles) changes.push('roles');
  if (body.orgId) changes.push('org');
  if (body.displayName) changes.push('profile');
  if (body.password || body.resetPassword) changes.push('password');
  if (body.resetTotp) changes.push('secondFactor');
  if (body.disabled !== undefined) changes.push('disabled');
  if (body.unlock) changes.push('unlock');
  return changes;
}

/** Refuse a change to an account with the policy's Chinese problems (SEC-34). */
function assertChanges(a: Parameters<typeof accountChangeProblems>[0]): void {
  const problems = accountChangeProblems(a);
  if (problems.length) throw new AppError('FORBIDDEN', problems.join('；'));
}

type PatchFields = Omit<z.infer<typeof userPatch>, 'password'>;

/** Write a checked change to an account; `password` set means a reset the owner must change at next login. */
async function applyPatch(
  tx: Tx,
  deps: Deps,
  actor: Actor,
  county: string,
  id: string,
  body: PatchFields,
  password: string | null,
  extra: Record<string, unknown>,
): Promise<void> {
  const sets = [];
  const changed: Record<string, unknown> = {};
  if (body.displayName) {
    sets.push(sql`display_name = ${body.displayName}`);
    changed.displayName = body.displayName;
  }
  if (body.roles) {
    sets.push(sql`roles = ${sqlRoles(body.roles)}`);
    changed.roles = body.roles;
  }
  if (body.orgId) {
    sets.push(sql`org_id = ${body.orgId}`);
    changed.orgId = body.orgId;
  }
  if (body.disabled !== undefined) {
    sets.push(sql`disabled = ${body.disabled}`);
    changed.disabled = body.disabled;
  }
  if (body.unlock) {
    sets.push(sql`locked_until = null, failed_logins = 0`);
    changed.unlock = true;
  }
  if (body.resetTotp) {
    sets.push(sql`totp_enabled = false, totp_secret_enc = null, totp_pending_enc = null, totp_last_step = null`);
    changed.resetTotp = true;
  }
  if (password) {
    sets.push(
      sql`password_hash = ${await hashPassword(password)}, must_change_password = true, password_changed_at = now()`,
    );
    changed.passwordReset = true;
  }
  if (!sets.length) return;
  await tx.execute(
    sql`update users u set ${sql.join(sets, sql`, `)}, version = u.version + 1, updated_at = now() where ${inCounty(county, 'u')} and u.id = ${id}`,
  );
  // Disabling, a new role set, another organization or a reset password: their sessions end (SEC-4).
  if (body.disabled || body.roles || body.orgId || password || body.resetTotp) await endSessionsOf(tx, county, id);
  const action = body.roles
    ? 'user.roles'
    : password
      ? 'user.password.reset'
      : body.resetTotp
        ? 'user.totp.reset'
        : body.disabled !== undefined
          ? 'user.disable'
          : 'user.update';
  await writeAudit(tx, deps.crypto, actor, [
    { action, objectType: 'user', objectId: id, detail: { ...changed, ...extra } },
  ]);
}

// ── Dual control (level3, SEC-10) ─────────────────────────────────────────────────────────────

const REQUEST_HOURS = 24;

export interface AccountRequestView {
  id: string;
  kind: 'create' | 'update';
  targetId: string | null;
  targetUsername: string | null;
  summary: Record<string, unknown>;
  requestedBy: string;
  requestedAt: string;
  expiresAt: string;
  status: 'pending' | 'approved' | 'rejected' | 'expired';
  decidedBy: string | null;
  decidedAt: string | null;
}

async function openRequest(
  tx: Tx,
  deps: Deps,
  user: SessionUser,
  actor: Actor,
  kind: 'create' | 'update',
  targetId: string | null,
  payload: Record<string, unknown>,
): Promise<AccountRequestView> {
  const now = deps.now();
  const r = await tx.execute<{
    id: string;
  }>(sql`insert into account_requests (county_code, kind, target_user_id, payload, requested_by, created_at, expires_at)
    values (${user.countyCode}, ${kind}, ${targetId}, ${JSON.stringify(payload)}::jsonb, ${user.id}, ${now.toISOString()}, ${new Date(now.getTime() + REQUEST_HOURS * 3_600_000).toISOString()})
    returning id`);
  const id = r.rows[0].id;
  await writeAudit(tx, deps.crypto, actor, [
    { action: 'user.request', objectType: 'account_request', objectId: id, detail: { kind, targetId, ...payload } },
  ]);
  return (await requestRows(tx, deps, user, sql`r.id = ${id}`))[0];
}

async function requestRows(
  tx: Tx,
  deps: Deps,
  user: SessionUser,
  cond: ReturnType<typeof sql>,
): Promise<AccountRequestView[]> {
  const rows = await tx.execute<Record<string, unknown>>(sql`
    select r.id, r.kind, r.target_user_id, r.payload, r.status, r.created_at, r.expires_at, r.decided_at,
           t.username as target_username, q.username as requested_by, d.username as decided_by, o.name as org_name
    from account_requests r
    left join users t on t.county_code = r.county_code and t.id = r.target_user_id
    left join users q on q.county_code = r.county_code and q.id = r.requested_by
    left join users d on d.county_code = r.county_code and d.id = r.decided_by
    left join orgs o on o.county_code = r.county_code and o.id = (r.payload->>'orgId')::uuid
    where r.county_code = ${user.countyCode} and ${cond}
    order by r.created_at desc limit 200`);
  const now = deps.now().getTime();
  return rows.rows.map((r) => {
    const expiresAt = new Date(String(r.expires_at));
    const status = String(r.status);
    const payload = (r.payload ?? {}) as Record<string, unknown>;
    return {
      id: String(r.id),
      kind: String(r.kind) as 'create' | 'update',
      targetId: (r.target_user_id as string) ?? null,
      targetUsername: (r.target_username as string) ?? null,
      summary: { ...payload, ...(r.org_name ? { orgName: String(r.org_name) } : {}) },
      requestedBy: String(r.requested_by ?? ''),
      requestedAt: new Date(String(r.created_at)).toISOString(),
      expiresAt: expiresAt.toISOString(),
      status: (status === 'pending' && expiresAt.getTime() <= now ? 'expired' : status) as AccountRequestView['status'],
      decidedBy: (r.decided_by as string) ?? null,
      decidedAt: r.decided_at ? new Date(String(r.decided_at)).toISOString() : null,
    };
  });
}

/** Requests of the county, newest first (pending ones are what an approver acts on). */
export async function listRequests(tx: Tx, deps: Deps, user: SessionUser): Promise<AccountRequestView[]> {
  return requestRows(tx, deps, user, sql`true`);
}

/** Load a request for a decision: pending, not expired, and the decider is a second person. */
async function requestForDecision(tx: Tx, deps: Deps, user: SessionUser, id: string, approving: boolean) {
  const r = await tx.execute<{
    kind: string;
    target_user_id: string | null;
    payload: Record<string, unknown>;
    requested_by: string;
    status: string;
    expires_at: string;
  }>(
    sql`select kind, target_user_id, payload, requested_by, status, expires_at from account_requests where id = ${id} and county_code = ${user.countyCode} for update`,
  );
  const req = r.rows[0];
  if (!req) throw new AppError('NOT_FOUND');
  if (req.target_user_id === user.id) throw new AppError('DUAL_CONTROL', '不能审批涉及自己账号的申请');
  if (approving && req.requested_by === user.id)
    throw new AppError('DUAL_CONTROL', '不能批准自己提交的申请，须由另一人审批');
  if (req.status !== 'pending') throw new AppError('CONFLICT', '该申请已处理');
  if (new Date(req.expires_at) <= deps.now())
    throw new AppError('CONFLICT', `该申请已过期（${REQUEST_HOURS} 小时内未审批），请重新提交`);
  return req;
}

/**
 * Approve: the change runs now, checked again against the policy; a new account or a reset password
 * gets a one-time password returned to the approver only (never stored in clear, never shown to the
 * requester); the owner must change it at first login.
 */
export async function approveRequest(
  tx: Tx,
  deps: Deps,
  user: SessionUser,
  actor: Actor,
  id: string,
): Promise<{ request: AccountRequestView; oneTimePassword: string | null }> {
  const req = await requestForDecision(tx, deps, user, id, true);
  const p = req.payload as z.infer<typeof userPatch> & {
    username?: string;
    displayName?: string;
    resetPassword?: boolean;
  };
  const granter = granterOf(user);
  const extra = { requestId: id, requestedBy: req.requested_by, approvedBy: user.id };
  let oneTimePassword: string | null = null;
  if (req.kind === 'create') {
    const org = await orgInScope(tx, user, String(p.orgId));
    const roles = p.roles ?? [];
    assertRoles({ granter, targetId: null, roles, org });
    await assertUsernameFree(tx, org.countyCode, String(p.username));
    oneTimePassword = randomPassword();
    const uid = await insertUser(
      tx,
      org.countyCode,
      String(p.username),
      String(p.displayName),
      await hashPassword(oneTimePassword),
      roles,
      org.id,
      req.requested_by,
    );
    await writeAudit(tx, deps.crypto, actor, [
      {
        action: 'user.create',
        objectType: 'user',
        objectId: uid,
        detail: { username: p.username, roles, orgId: org.id, ...extra },
      },
    ]);
  } else {
    const target = await getUser(tx, deps, user, String(req.target_user_id));
    assertChanges({ granter, targetId: target.id, targetRoles: target.roles, changes: changesOf(p) });
    if (p.roles || p.orgId)
      assertRoles({
        granter,
        targetId: target.id,
        roles: p.roles ?? target.roles,
        org: await orgInScope(tx, user, p.orgId ?? target.orgId),
      });
    if (p.resetPassword) oneTimePassword = randomPassword();
    const { resetPassword: _r, username: _u, ...fields } = p;
    await applyPatch(tx, deps, actor, user.countyCode, target.id, fields, oneTimePassword, extra);
  }
  await tx.execute(
    sql`update account_requests r set status = 'approved', decided_by = ${user.id}, decided_at = ${deps.now().toISOString()} where ${inCounty(user, 'r')} and r.id = ${id}`,
  );
  await writeAudit(tx, deps.crypto, actor, [
    {
      action: 'user.request.approve',
      objectType: 'account_request',
      objectId: id,
      detail: { kind: req.kind, targetId: req.target_user_id, requestedBy: req.requested_by },
    },
  ]);
  return { request: (await requestRows(tx, deps, user, sql`r.id = ${id}`))[0], oneTimePassword };
}

/** Refuse (or, by the requester, withdraw) a pending request. */
export async function rejectRequest(
  tx: Tx,
  deps: Deps,
  user: SessionUser,
  actor: Actor,
  id: string,
): Promise<{ request: AccountRequestView }> {
  const req = await requestForDecision(tx, deps, user, id, false);
  await tx.execute(
    sql`update account_requests r set status = 'rejected', decided_by = ${user.id}, decided_at = ${deps.now().toISOString()} where ${inCounty(user, 'r')} and r.id = ${id}`,
  );
  await writeAudit(tx, deps.crypto, actor, [
    {
      action: 'user.request.reject',
      objectType: 'account_request',
      objectId: id,
      detail: { kind: req.kind, targetId: req.target_user_id, requestedBy: req.requested_by },
    },
  ]);
  return { request: (await requestRows(tx, deps, user, sql`r.id = ${id}`))[0] };
}

/** Start second-factor enrolment: a new secret kept pending (encrypted) until a code confirms it. The caller re-authenticated first. */
export async function totpSetup(tx: Tx, deps: Deps, user: SessionUser, actor: Actor) {
  const secret = newTotpSecret();
  await tx.execute(
    sql`update users u set totp_pending_enc = ${deps.crypto.encrypt(secret, sealCtx('users.totp', user.id))} where ${inCounty(user, 'u')} and u.id = ${user.id}`,
  );
  await writeAudit(tx, deps.crypto, actor, [{ action: 'auth.totp.setup', objectType: 'user', objectId: user.id }]);
  return totpEnrolment(secret, user.username);
}

export async function totpEnable(tx: Tx, deps: Deps, user: SessionUser, actor: Actor, code: string): Promise<void> {
  const r = await tx.execute<{ totp_pending_enc: string | null }>(
    sql`select u.totp_pending_enc from users u where ${inCounty(user, 'u')} and u.id = ${user.id}`,
  );
  const pending = r.rows[0]?.totp_pending_enc;
  if (!pending) throw new AppError('BAD_REQUEST', '请先生成两步验证密钥');
  const step = await totpStep(deps.crypto.decrypt(pending, sealCtx('users.totp', user.id)), code, deps.now());
  if (step === null) {
    await writeAudit(tx, deps.crypto, actor, [
      { action: 'auth.totp.enable', objectType: 'user', objectId: user.id, result: 'failed' },
    ]);
    throw fieldError([{ field: 'code', message: '验证码：不正确，请核对手机时间后输入最新的验证码' }]);
  }
  await tx.execute(
    sql`update users u set totp_secret_enc = u.totp_pending_enc, totp_pending_enc = null, totp_enabled = true, totp_last_step = ${step} where ${inCounty(user, 'u')} and u.id = ${user.id}`,
  );
  await writeAudit(tx, deps.crypto, actor, [{ action: 'auth.totp.enable', objectType: 'user', objectId: user.id }]);
}

/** level3 administrators keep their second factor (SEC-5); checked before the password is asked for. */
export function assertMayDisableTotp(deps: Deps, user: SessionUser): void {
  if (deps.config.profile === 'level3' && user.roles.some((r) => TOTP_REQUIRED_ROLES.has(r)))
    throw new AppError('FORBIDDEN', '按等保三级配置，管理员账号不能关闭两步验证');
}

/** Switch the second factor off; the caller re-authenticated with the password first. */
export async function totpDisable(tx: Tx, deps: Deps, user: SessionUser, actor: Actor): Promise<void> {
  assertMayDisableTotp(deps, user);
  await tx.execute(
    sql`update users u set totp_enabled = false, totp_secret_enc = null, totp_pending_enc = null, totp_last_step = null where ${inCounty(user, 'u')} and u.id = ${user.id}`,
  );
  await writeAudit(tx, deps.crypto, actor, [{ action: 'auth.totp.disable', objectType: 'user', objectId: user.id }]);
}
