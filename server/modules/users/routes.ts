import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { listOf, okBody, uuidStr } from '../../../contract/common.ts';
import { auditQuery, auditView, changePasswordBody, loginBody, me, totpCodeBody, totpDisableBody, totpEnrolment, userCreate, userListQuery, userPatch, userView } from '../../../contract/users.ts';
import { queryAudit, writeAudit } from '../../platform/audit.ts';
import { actorOf, userOf } from '../../platform/http.ts';
import { hit } from '../../platform/ratelimit.ts';
import { loadSession, SESSION_COOKIE } from '../../platform/session.ts';
import { getSetting } from '../../platform/settings.ts';
import * as svc from './service.ts';

const idParam = z.object({ id: uuidStr });

export default async function userRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const deps = app.deps;
  const { db } = deps.database;

  const cookieOpts = () => ({ path: '/', httpOnly: true, sameSite: 'strict' as const, secure: deps.config.secureCookies });

  r.post('/api/auth/login', { config: { permission: 'public' }, schema: { tags: ['登录'], summary: '登录，成功后返回会话 Cookie', body: loginBody, response: { 200: me } } }, async (req, reply) => {
    await hit(db, `login-ip:${req.ip}`, await getSetting(db, 'security.loginPerIpPerMinute'), 60);
    const { sid } = await svc.login(deps, req.body.username, req.body.password, req.body.totpCode, req.ip, String(req.headers['user-agent'] ?? ''), actorOf(req));
    reply.setCookie(SESSION_COOKIE, sid, cookieOpts());
    const user = await loadSession(deps, sid);
    if (!user) throw new Error('session vanished');
    return meOf(user);
  });

  function meOf(user: NonNullable<ReturnType<typeof userOf>>) {
    return {
      id: user.id,
      username: user.username,
      displayName: user.displayName,
      roles: user.roles,
      orgId: user.orgId,
      orgName: user.orgName,
      permissions: [...user.permissions],
      mustChangePassword: user.mustChangePassword,
      totpEnabled: user.totpEnabled,
      totpRequired: user.totpRequired,
      mustSetupTotp: user.mustSetupTotp,
      profile: deps.config.profile,
    };
  }

  r.post('/api/auth/logout', { config: { permission: 'authenticated', allowPending: true }, schema: { tags: ['登录'], summary: '退出登录', response: { 200: okBody } } }, async (req, reply) => {
    const user = userOf(req);
    await db.transaction(async (tx) => {
      await tx.execute(sql`delete from sessions where id_hash = ${user.sessionHash}`);
      await writeAudit(tx, deps.crypto, actorOf(req), [{ action: 'auth.logout', objectType: 'user', objectId: user.id }]);
    });
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true as const };
  });
  r.get('/api/auth/me', { config: { permission: 'authenticated', allowPending: true }, schema: { tags: ['登录'], summary: '当前用户', response: { 200: me } } }, async (req) => meOf(userOf(req)));
  r.post('/api/auth/password', { config: { permission: 'authenticated', allowPending: true }, schema: { tags: ['登录'], summary: '修改自己的密码', body: changePasswordBody, response: { 200: okBody } } }, async (req) => {
    await db.transaction((tx) => svc.changeOwnPassword(tx, deps, userOf(req), actorOf(req), req.body.oldPassword, req.body.newPassword));
    return { ok: true as const };
  });

  r.post('/api/auth/totp/setup', { config: { permission: 'authenticated', allowPending: true }, schema: { tags: ['登录'], summary: '两步验证：生成密钥和二维码（确认前不生效）', response: { 200: totpEnrolment } } }, async (req) =>
    db.transaction((tx) => svc.totpSetup(tx, deps, userOf(req), actorOf(req))),
  );
  r.post('/api/auth/totp/enable', { config: { permission: 'authenticated', allowPending: true }, schema: { tags: ['登录'], summary: '两步验证：输入验证器中的验证码以开启', body: totpCodeBody, response: { 200: okBody } } }, async (req) => {
    await db.transaction((tx) => svc.totpEnable(tx, deps, userOf(req), actorOf(req), req.body.code));
    return { ok: true as const };
  });
  r.post('/api/auth/totp/disable', { config: { permission: 'authenticated' }, schema: { tags: ['登录'], summary: '关闭两步验证（须输入密码）', body: totpDisableBody, response: { 200: okBody } } }, async (req) => {
    await db.transaction((tx) => svc.totpDisable(tx, deps, userOf(req), actorOf(req), req.body.password));
    return { ok: true as const };
  });

  const tags = ['账号'];
  r.get('/api/users', { config: { permission: 'users.read' }, schema: { tags, summary: '账号列表（管辖范围内）', querystring: userListQuery, response: { 200: listOf(userView) } } }, async (req) =>
    svc.listUsers(db, deps, userOf(req), req.query),
  );
  r.get('/api/users/:id', { config: { permission: 'users.read' }, schema: { tags, summary: '账号详情', params: idParam, response: { 200: userView } } }, async (req) => svc.getUser(db, deps, userOf(req), req.params.id));
  r.post('/api/users', { config: { permission: 'users.manage' }, schema: { tags, summary: '新建账号（首次登录须改密码）', body: userCreate, response: { 201: userView } } }, async (req, reply) => {
    const user = userOf(req);
    const id = await db.transaction((tx) => svc.createUser(tx, deps, user, actorOf(req), req.body));
    reply.code(201);
    return svc.getUser(db, deps, user, id);
  });
  r.patch('/api/users/:id', { config: { permission: 'users.manage' }, schema: { tags, summary: '修改账号：角色、组织、停用、解锁、重置密码', params: idParam, body: userPatch, response: { 200: userView } } }, async (req) => {
    const user = userOf(req);
    await db.transaction((tx) => svc.patchUser(tx, deps, user, actorOf(req), req.params.id, req.body));
    return svc.getUser(db, deps, user, req.params.id);
  });

  r.get('/api/audit', { config: { permission: 'audit.read' }, schema: { tags: ['审计'], summary: '审计日志（只读）', querystring: auditQuery, response: { 200: listOf(auditView) } } }, async (req) =>
    queryAudit(db, userOf(req), req.query),
  );

  r.get('/api/health', { config: { permission: 'public' }, schema: { tags: ['系统'], summary: '健康检查', response: { 200: z.object({ status: z.literal('ok'), database: z.object({ mode: z.enum(['embedded', 'external']), version: z.string() }) }) } } }, async () => {
    await db.execute(sql`select 1`);
    return { status: 'ok' as const, database: deps.dbInfo };
  });
}
