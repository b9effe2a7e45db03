/** Accounts: login with lockout, password changes, account management with three-way separation (SEC-1…4, SEC-10, SEC-11). */
import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { userCreate, userListQuery, userPatch } from '../../../contract/users.ts';
import type { Tx } from '../../db/index.ts';
import { type Actor, writeAudit } from '../../platform/audit.ts';
import type { Deps, SessionUser } from '../../platform/deps.ts';
import { AppError, fieldError } from '../../platform/errors.ts';
import { checkPasswordRules, DUMMY_HASH, hashPassword, verifyPassword } from '../../platform/passwords.ts';
import { TOTP_REQUIRED_ROLES, violatesSeparation } from '../../platform/permissions.ts';
import { escapeLike, orgInScope, orgInScopeSql } from '../../platform/scope.ts';
import { sealCtx } from '../../platform/sealed.ts';
import { createSession, endSessionsOf } from '../../platform/session.ts';
import { newTotpSecret, totpEnrolment, totpStep } from '../../platform/totp.ts';
import { getSetting } from '../../platform/settings.ts';

export async function login(deps: Deps, username: string, password: string, totpCode: string | undefined, ip: string, userAgent: string, actorBase: Actor): Promise<{ sid: string; userId: string }> {
  const db = deps.database.db;
  const res = await db.execute<Record<string, unknown>>(
    sql`select u.id, u.username, u.password_hash, u.disabled, u.failed_logins, u.locked_until, u.roles, u.org_id, u.county_code, u.password_changed_at,
      u.totp_enabled, u.totp_secret_enc, u.totp_last_step from users u where lower(u.username) = lower(${username})`,
  );
  const u = res.rows[0];
  const now = deps.now();
  const actor: Actor = { ...actorBase, userId: (u?.id as string) ?? null, username, roles: (u?.roles as string[]) ?? [], orgId: (u?.org_id as string) ?? null, countyCode: (u?.county_code as string) ?? null };
  // Same work for unknown users, so timing does not tell which usernames exist (SEC-3).
  const ok = await verifyPassword(u ? String(u.password_hash) : DUMMY_HASH, password);
  if (u?.locked_until && new Date(String(u.locked_until)) > now) {
    await db.transaction((tx) => writeAudit(tx, deps.crypto, actor, [{ action: 'auth.login', objectType: 'user', objectId: String(u.id), result: 'denied', detail: { reason: 'locked' } }]));
    throw new AppError('LOCKED');
  }
  // Second factor (SEC-5): asked only after a right password; a wrong code counts as a failed login.
  let totpFailed = false;
  let acceptedStep: number | null = null;
  if (u && ok && !u.disabled && u.totp_enabled) {
    if (!totpCode) throw new AppError('TOTP_REQUIRED');
    acceptedStep = await totpStep(deps.crypto.decrypt(String(u.totp_secret_enc), sealCtx('users.totp', String(u.id))), totpCode, now);
    if (acceptedStep === null || (u.totp_last_step !== null && acceptedStep <= Number(u.totp_last_step))) totpFailed = true;
  }
  if (!u || !ok || u.disabled || totpFailed) {
    await db.transaction(async (tx) => {
      let locked = false;
      if (u) {
        const threshold = await getSetting(tx, 'security.lockoutThreshold');
        const minutes = await getSetting(tx, 'security.lockoutMinutes');
        const upd = await tx.execute<{ failed_logins: number }>(sql`update users set failed_logins = failed_logins + 1 where id = ${u.id} returning failed_logins`);
        if (upd.rows[0].failed_logins >= threshold) {
          locked = true;
          await tx.execute(sql`update users set locked_until = ${new Date(now.getTime() + minutes * 60_000).toISOString()}, failed_logins = 0 where id = ${u.id}`);
        }
      }
      await writeAudit(tx, deps.crypto, actor, [
        { action: 'auth.login', objectType: 'user', objectId: (u?.id as string) ?? null, result: 'failed', detail: { reason: !u ? 'unknown' : u.disabled ? 'disabled' : totpFailed ? 'totp' : 'password', locked } },
      ]);
    });
    throw new AppError(totpFailed ? 'BAD_TOTP' : 'BAD_CREDENTIALS');
  }
  const userId = String(u.id);
  const sid = await db.transaction(async (tx) => {
    await tx.execute(sql`update users set failed_logins = 0, locked_until = null, last_login_at = ${now.toISOString()} where id = ${userId}`);
    if (acceptedStep !== null) await tx.execute(sql`update users set totp_last_step = ${acceptedStep} where id = ${userId}`);
    if (deps.config.profile === 'level3') {
      const maxAge = await getSetting(tx, 'security.passwordMaxAgeDays');
      if (now.getTime() - new Date(String(u.password_changed_at)).getTime() > maxAge * 86_400_000) await tx.execute(sql`update users set must_change_password = true where id = ${userId}`);
    }
    const s = await createSession(tx, deps, userId, ip, userAgent);
    await writeAudit(tx, deps.crypto, actor, [{ action: 'auth.login', objectType: 'user', objectId: userId, result: 'ok' }]);
    return s;
  });
  return { sid, userId };
}

export async function changeOwnPassword(tx: Tx, deps: Deps, user: SessionUser, actor: Actor, oldPassword: string, newPassword: string): Promise<void> {
  const res = await tx.execute<{ password_hash: string; password_history: string[] }>(sql`select password_hash, password_history from users where id = ${user.id}`);
  if (!(await verifyPassword(res.rows[0].password_hash, oldPassword))) throw fieldError([{ field: 'oldPassword', message: '原密码：不正确' }]);
  if (oldPassword === newPassword) throw fieldError([{ field: 'newPassword', message: '新密码：不能与原密码相同' }]);
  await checkPasswordRules(tx, newPassword, user.username, 'newPassword');
  let history: string[] = res.rows[0].password_history ?? [];
  if (deps.config.profile === 'level3') {
    const keep = await getSetting(tx, 'security.passwordHistory');
    for (const h of history) if (await verifyPassword(h, newPassword)) throw fieldError([{ field: 'newPassword', message: `新密码：不能与最近 ${keep} 次使用过的密码相同` }]);
    history = [res.rows[0].password_hash, ...history].slice(0, keep - 1);
  }
  const hash = await hashPassword(newPassword);
  await tx.execute(sql`update users set password_hash = ${hash}, password_history = ${JSON.stringify(history)}::jsonb, password_changed_at = now(),
    must_change_password = false, version = version + 1, updated_at = now() where id = ${user.id}`);
  await endSessionsOf(tx, user.id, user.sessionHash);
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
  const conds = [orgInScopeSql(user)];
  if (q.q) conds.push(sql`(u.username ilike ${`%${escapeLike(q.q)}%`} or u.display_name like ${`%${escapeLike(q.q)}%`})`);
  const where = sql.join(conds, sql` and `);
  const total = await tx.execute<{ n: number }>(sql`select count(*)::int as n from users u join orgs o on o.id = u.org_id where ${where}`);
  const rows = await tx.execute<Record<string, unknown>>(
    sql`select ${USER_COLS} from users u join orgs o on o.id = u.org_id where ${where} order by o.path, u.username limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`,
  );
  return { items: rows.rows.map((r) => view(r, deps.now())), total: total.rows[0].n, page: q.page, pageSize: q.pageSize };
}

export async function getUser(tx: Tx, deps: Deps, user: SessionUser, id: string) {
  const res = await tx.execute<Record<string, unknown>>(sql`select ${USER_COLS} from users u join orgs o on o.id = u.org_id where u.id = ${id} and ${orgInScopeSql(user)}`);
  if (!res.rows[0]) throw new AppError('NOT_FOUND');
  return view(res.rows[0], deps.now());
}

function checkRoles(roles: string[]) {
  if (violatesSeparation(roles)) throw fieldError([{ field: 'roles', message: '角色：系统管理、安全管理、审计三类角色不能由同一账号兼任（三员分立）' }]);
}

export async function createUser(tx: Tx, deps: Deps, user: SessionUser, actor: Actor, body: z.infer<typeof userCreate>): Promise<string> {
  let org: Awaited<ReturnType<typeof orgInScope>>;
  try {
    org = await orgInScope(tx, user, body.orgId);
  } catch {
    throw fieldError([{ field: 'orgId', message: '所属党组织：找不到该组织，或不在您的管辖范围内' }]);
  }
  checkRoles(body.roles);
  if (body.roles.includes('countyAdmin') && org.depth !== 0) throw fieldError([{ field: 'roles', message: '角色：县级管理员只能设在县委' }]);
  if (body.roles.includes('branchSecretary') && !['branch', 'jointBranch', 'temporaryBranch', 'generalBranch'].includes(org.kind))
    throw fieldError([{ field: 'roles', message: '角色：支部书记账号应设在党支部' }]);
  await checkPasswordRules(tx, body.password, body.username);
  const dup = await tx.execute(sql`select 1 from users where lower(username) = lower(${body.username})`);
  if (dup.rowCount) throw new AppError('DUPLICATE_USERNAME', '用户名：已被使用', { fields: [{ field: 'username', message: '用户名：已被使用' }] });
  const hash = await hashPassword(body.password);
  // An account made by someone else starts with a password that its owner must change (SEC-1).
  const res = await tx.execute<{ id: string }>(sql`insert into users (county_code, username, display_name, password_hash, roles, org_id, must_change_password, created_by)
    values (${org.countyCode}, ${body.username}, ${body.displayName}, ${hash}, ${sql`array[${sql.join(body.roles.map((x) => sql`${x}`), sql`, `)}]::text[]`}, ${org.id}, true, ${user.id})
    returning id`);
  const id = res.rows[0].id;
  await writeAudit(tx, deps.crypto, actor, [{ action: 'user.create', objectType: 'user', objectId: id, detail: { username: body.username, roles: body.roles, orgId: org.id } }]);
  return id;
}

export async function patchUser(tx: Tx, deps: Deps, user: SessionUser, actor: Actor, id: string, body: z.infer<typeof userPatch>): Promise<void> {
  const target = await getUser(tx, deps, user, id);
  if (id === user.id && (body.roles || body.disabled !== undefined || body.orgId || body.resetTotp)) throw new AppError('FORBIDDEN', '不能修改自己的角色、所属组织、两步验证或停用自己的账号');
  const sets = [];
  const changed: Record<string, unknown> = {};
  if (body.displayName) {
    sets.push(sql`display_name = ${body.displayName}`);
    changed.displayName = body.displayName;
  }
  if (body.roles) {
    checkRoles(body.roles);
    sets.push(sql`roles = ${sql`array[${sql.join(body.roles.map((x) => sql`${x}`), sql`, `)}]::text[]`}`);
    changed.roles = body.roles;
  }
  if (body.orgId) {
    const org = await orgInScope(tx, user, body.orgId);
    sets.push(sql`org_id = ${org.id}`);
    changed.orgId = org.id;
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
  if (body.password) {
    await checkPasswordRules(tx, body.password, target.username);
    sets.push(sql`password_hash = ${await hashPassword(body.password)}, must_change_password = true, password_changed_at = now()`);
    changed.passwordReset = true;
  }
  if (!sets.length) return;
  await tx.execute(sql`update users set ${sql.join(sets, sql`, `)}, version = version + 1, updated_at = now() where id = ${id}`);
  // Disabling, a new role set, another organization or a reset password: their sessions end (SEC-4).
  if (body.disabled || body.roles || body.orgId || body.password || body.resetTotp) await endSessionsOf(tx, id);
  const action = body.roles ? 'user.roles' : body.password ? 'user.password.reset' : body.resetTotp ? 'user.totp.reset' : body.disabled !== undefined ? 'user.disable' : 'user.update';
  await writeAudit(tx, deps.crypto, actor, [{ action, objectType: 'user', objectId: id, detail: changed }]);
}


/** Start second-factor enrolment: a new secret kept pending (encrypted) until a code confirms it. */
export async function totpSetup(tx: Tx, deps: Deps, user: SessionUser, actor: Actor) {
  const secret = newTotpSecret();
  await tx.execute(sql`update users set totp_pending_enc = ${deps.crypto.encrypt(secret, sealCtx('users.totp', user.id))} where id = ${user.id}`);
  await writeAudit(tx, deps.crypto, actor, [{ action: 'auth.totp.setup', objectType: 'user', objectId: user.id }]);
  return totpEnrolment(secret, user.username);
}

export async function totpEnable(tx: Tx, deps: Deps, user: SessionUser, actor: Actor, code: string): Promise<void> {
  const r = await tx.execute<{ totp_pending_enc: string | null }>(sql`select totp_pending_enc from users where id = ${user.id}`);
  const pending = r.rows[0]?.totp_pending_enc;
  if (!pending) throw new AppError('BAD_REQUEST', '请先生成两步验证密钥');
  const step = await totpStep(deps.crypto.decrypt(pending, sealCtx('users.totp', user.id)), code, deps.now());
  if (step === null) {
    await writeAudit(tx, deps.crypto, actor, [{ action: 'auth.totp.enable', objectType: 'user', objectId: user.id, result: 'failed' }]);
    throw fieldError([{ field: 'code', message: '验证码：不正确，请核对手机时间后输入最新的验证码' }]);
  }
  await tx.execute(sql`update users set totp_secret_enc = totp_pending_enc, totp_pending_enc = null, totp_enabled = true, totp_last_step = ${step} where id = ${user.id}`);
  await writeAudit(tx, deps.crypto, actor, [{ action: 'auth.totp.enable', objectType: 'user', objectId: user.id }]);
}

export async function totpDisable(tx: Tx, deps: Deps, user: SessionUser, actor: Actor, password: string): Promise<void> {
  if (deps.config.profile === 'level3' && user.roles.some((r) => TOTP_REQUIRED_ROLES.has(r))) throw new AppError('FORBIDDEN', '按等保三级配置，管理员账号不能关闭两步验证');
  const r = await tx.execute<{ password_hash: string }>(sql`select password_hash from users where id = ${user.id}`);
  if (!(await verifyPassword(r.rows[0].password_hash, password))) throw fieldError([{ field: 'password', message: '密码：不正确' }]);
  await tx.execute(sql`update users set totp_enabled = false, totp_secret_enc = null, totp_pending_enc = null, totp_last_step = null where id = ${user.id}`);
  await writeAudit(tx, deps.crypto, actor, [{ action: 'auth.totp.disable', objectType: 'user', objectId: user.id }]);
}
