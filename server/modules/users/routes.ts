import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listOf, okBody, uuidStr } from '../../../contract/common.ts';
import {
  accountRequestView,
  bulkCreateBody,
  bulkCreateResult,
  changePasswordBody,
  loginBody,
  loginCounties,
  me,
  pendingRequest,
  requestDecision,
  totpCodeBody,
  totpDisableBody,
  totpEnrolment,
  totpSetupBody,
  userCreate,
  userListQuery,
  userPatch,
  userView,
} from '../../../contract/users.ts';
import { fieldError } from '../../platform/errors.ts';
import { actorOf, userOf } from '../../platform/http.ts';
import { hit } from '../../platform/ratelimit.ts';
import { loadSession, SESSION_COOKIE } from '../../platform/session.ts';
import { installationCounty } from '../../platform/installation.ts';
import { getSetting } from '../../platform/settings.ts';
import { createBulk, previewBulk } from './bulk.ts';
import * as svc from './service.ts';

const idParam = z.object({ id: uuidStr });

export default async function userRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const deps = app.deps;
  const { db } = deps.database;

  const cookieOpts = () => ({
    path: '/',
    httpOnly: true,
    sameSite: 'strict' as const,
    secure: deps.config.secureCookies,
  });

  r.post(
    '/api/auth/login',
    {
      config: { permission: 'public' },
      schema: { tags: ['登录'], summary: '登录，成功后返回会话 Cookie', body: loginBody, response: { 200: me } },
    },
    async (req, reply) => {
      await hit(
        db,
        `login-ip:${req.ip}`,
        await getSetting(db, await installationCounty(db), 'security.loginPerIpPerMinute'),
        60,
      );
      const { sid } = await svc.login(
        deps,
        req.body.county,
        req.body.username,
        req.body.password,
        req.body.totpCode,
        req.ip,
        String(req.headers['user-agent'] ?? ''),
        actorOf(req),
      );
      reply.setCookie(SESSION_COOKIE, sid, cookieOpts());
      const user = await loadSession(deps, sid);
      if (!user) throw new Error('session vanished');
      return meOf(user);
    },
  );

  r.get(
    '/api/auth/counties',
    {
      config: { permission: 'public' },
      schema: {
        tags: ['登录'],
        summary: '本平台服务的县（多个县时登录页请用户选择所在县）',
        response: { 200: loginCounties },
      },
    },
    async () => svc.loginCounties(db),
  );

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

  r.post(
    '/api/auth/logout',
    {
      config: { permission: 'authenticated', allowPending: true },
      schema: { tags: ['登录'], summary: '退出登录', response: { 200: okBody } },
    },
    async (req, reply) => {
      const user = userOf(req);
      await db.transaction((tx) => svc.logout(tx, deps, user, actorOf(req)));
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true as const };
    },
  );
  r.get(
    '/api/auth/me',
    {
      config: { permission: 'authenticated', allowPending: true },
      schema: { tags: ['登录'], summary: '当前用户', response: { 200: me } },
    },
    async (req) => meOf(userOf(req)),
  );
  // Sensitive self-service re-authenticates first (SEC-33): wrong answers count toward the lockout and are audited.
  r.post(
    '/api/auth/password',
    {
      config: { permission: 'authenticated', allowPending: true },
      schema: {
        tags: ['登录'],
        summary: '修改自己的密码（须输入原密码）',
        body: changePasswordBody,
        response: { 200: okBody },
      },
    },
    async (req) => {
      const user = userOf(req);
      await svc.reauthenticate(
        deps,
        user,
        actorOf(req),
        { password: req.body.oldPassword },
        'user.password.change',
        'oldPassword',
      );
      await db.transaction((tx) =>
        svc.changeOwnPassword(tx, deps, user, actorOf(req), req.body.oldPassword, req.body.newPassword),
      );
      return { ok: true as const };
    },
  );

  r.post(
    '/api/auth/totp/setup',
    {
      config: { permission: 'authenticated', allowPending: true },
      schema: {
        tags: ['登录'],
        summary: '两步验证：确认身份（密码，或已开启时的当前验证码）后生成密钥和二维码（确认前不生效）',
        body: totpSetupBody,
        response: { 200: totpEnrolment },
      },
    },
    async (req) => {
      const user = userOf(req);
      const { password, code } = req.body;
      // With no second factor yet, only the password proves the person; with one, its current code does too.
      if (password === undefined && (code === undefined || !user.totpEnabled))
        throw fieldError([{ field: 'password', message: '密码：请输入登录密码以确认身份' }]);
      await svc.reauthenticate(
        deps,
        user,
        actorOf(req),
        password !== undefined ? { password } : { code },
        'auth.totp.setup',
        password !== undefined ? 'password' : 'code',
      );
      return db.transaction((tx) => svc.totpSetup(tx, deps, user, actorOf(req)));
    },
  );
  r.post(
    '/api/auth/totp/enable',
    {
      config: { permission: 'authenticated', allowPending: true },
      schema: {
        tags: ['登录'],
        summary: '两步验证：输入验证器中的验证码以开启',
        body: totpCodeBody,
        response: { 200: okBody },
      },
    },
    async (req) => {
      await db.transaction((tx) => svc.totpEnable(tx, deps, userOf(req), actorOf(req), req.body.code));
      return { ok: true as const };
    },
  );
  r.post(
    '/api/auth/totp/disable',
    {
      config: { permission: 'authenticated' },
      schema: {
        tags: ['登录'],
        summary: '关闭两步验证（须输入密码）',
        body: totpDisableBody,
        response: { 200: okBody },
      },
    },
    async (req) => {
      const user = userOf(req);
      svc.assertMayDisableTotp(deps, user);
      await svc.reauthenticate(
        deps,
        user,
        actorOf(req),
        { password: req.body.password },
        'auth.totp.disable',
        'password',
      );
      await db.transaction((tx) => svc.totpDisable(tx, deps, user, actorOf(req)));
      return { ok: true as const };
    },
  );

  const tags = ['账号'];
  r.get(
    '/api/users',
    {
      config: { permission: 'users.read' },
      schema: {
        tags,
        summary: '账号列表（管辖范围内）',
        querystring: userListQuery,
        response: { 200: listOf(userView) },
      },
    },
    async (req) => svc.listUsers(db, deps, userOf(req), req.query),
  );
  r.get(
    '/api/users/:id',
    {
      config: { permission: 'users.read' },
      schema: { tags, summary: '账号详情', params: idParam, response: { 200: userView } },
    },
    async (req) => svc.getUser(db, deps, userOf(req), req.params.id),
  );
  r.post(
    '/api/users',
    {
      config: { permission: 'users.manage' },
      schema: {
        tags,
        summary: '新建账号（首次登录须改密码；level3 下特权账号须另一人审批，答 202）',
        body: userCreate,
        response: { 201: userView, 202: pendingRequest },
      },
    },
    async (req, reply) => {
      const user = userOf(req);
      const res = await db.transaction((tx) => svc.createUser(tx, deps, user, actorOf(req), req.body));
      if (res.request) return reply.code(202).send({ pending: true as const, request: res.request });
      reply.code(201);
      return svc.getUser(db, deps, user, res.id);
    },
  );
  r.post(
    '/api/users/bulk',
    {
      config: { permission: 'users.manage' },
      schema: {
        tags,
        summary: '批量开通账号：所选组织及下级的每个党支部（或党委）一个账号，一次性密码只返回这一次',
        body: bulkCreateBody,
        response: { 200: bulkCreateResult },
      },
    },
    async (req) => {
      const user = userOf(req);
      if (req.body.dryRun) return previewBulk(db, user, req.body);
      return createBulk(deps, user, actorOf(req), req.body);
    },
  );
  r.patch(
    '/api/users/:id',
    {
      config: { permission: 'users.manage' },
      schema: {
        tags,
        summary: '修改账号：角色、组织、停用、解锁、重置密码（level3 下涉及特权账号须另一人审批，答 202）',
        params: idParam,
        body: userPatch,
        response: { 200: userView, 202: pendingRequest },
      },
    },
    async (req, reply) => {
      const user = userOf(req);
      const res = await db.transaction((tx) => svc.patchUser(tx, deps, user, actorOf(req), req.params.id, req.body));
      if (res) return reply.code(202).send({ pending: true as const, request: res.request });
      return svc.getUser(db, deps, user, req.params.id);
    },
  );

  // Dual control (level3, SEC-10): a second person approves changes to privileged accounts.
  r.get(
    '/api/users/requests',
    {
      config: { permission: 'users.approve' },
      schema: {
        tags,
        summary: '待审批的账号变更（双人控制）',
        response: { 200: z.object({ items: z.array(accountRequestView) }) },
      },
    },
    async (req) => ({
      items: await svc.listRequests(db, deps, userOf(req)),
    }),
  );
  r.post(
    '/api/users/requests/:id/approve',
    {
      config: { permission: 'users.approve' },
      schema: {
        tags,
        summary: '批准账号变更（一次性密码只返回给审批人）',
        params: idParam,
        response: { 200: requestDecision },
      },
    },
    async (req) => db.transaction((tx) => svc.approveRequest(tx, deps, userOf(req), actorOf(req), req.params.id)),
  );
  r.post(
    '/api/users/requests/:id/reject',
    {
      config: { permission: 'users.approve' },
      schema: {
        tags,
        summary: '驳回（申请人可撤回）账号变更',
        params: idParam,
        response: { 200: z.object({ request: accountRequestView }) },
      },
    },
    async (req) => db.transaction((tx) => svc.rejectRequest(tx, deps, userOf(req), actorOf(req), req.params.id)),
  );
}
