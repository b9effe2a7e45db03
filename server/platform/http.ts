/**
 * Cross-cutting HTTP behaviour: request ids, authentication from the session cookie, permission
 * per route (deny by default, SEC-7), Origin check on state changes (CSRF, SEC-22), errors in
 * Chinese with a stable code (SEC-24), denials audited (SEC-12).
 */
import crypto from 'node:crypto';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { type Actor, writeAudit } from './audit.ts';
import { originOf } from './config.ts';
import { AppError, ERRORS, type FieldIssue } from './errors.ts';
import { MEMBER_FIELD_LABELS } from '../../contract/members.ts';
import { ORG_FIELD_LABELS } from '../../contract/orgs.ts';
import { PERMISSIONS } from './permissions.ts';
import { loadSession, SESSION_COOKIE } from './session.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function actorOf(req: FastifyRequest): Actor {
  const u = req.user;
  return {
    userId: u?.id ?? null,
    username: u?.username ?? null,
    roles: u?.roles ?? [],
    orgId: u?.orgId ?? null,
    countyCode: u?.countyCode ?? null,
    ip: req.ip,
    requestId: req.id,
  };
}

/** The signed-in user, or a 401 (handlers run only after the permission hook, so this is a type guard). */
export function userOf(req: FastifyRequest) {
  if (!req.user) throw new AppError('UNAUTHENTICATED');
  return req.user;
}

async function auditDenial(app: FastifyInstance, req: FastifyRequest, code: string): Promise<void> {
  try {
    await app.deps.database.db.transaction((tx) =>
      writeAudit(tx, app.deps.crypto, actorOf(req), [
        { action: 'access.denied', objectType: 'route', objectId: `${req.method} ${req.routeOptions.url ?? req.url}`, result: 'denied', detail: { code } },
      ]),
    );
  } catch (e) {
    req.log.error({ err: e }, 'audit of a denial failed');
  }
}

/** Chinese names of request fields, for schema validation messages. */
const COMMON_FIELD_NAMES: Record<string, string> = {
  username: '用户名',
  displayName: '姓名',
  password: '密码',
  oldPassword: '原密码',
  newPassword: '新密码',
  roles: '角色',
  code: '验证码',
  parentId: '上级党组织',
  version: '版本',
  page: '页码',
  pageSize: '每页条数',
  q: '搜索词',
};
/** Field names by resource: `name` is 名称 for an organization and 姓名 for a member. */
function fieldNames(url: string): Record<string, string> {
  if (url.startsWith('/api/orgs')) return { ...COMMON_FIELD_NAMES, ...ORG_FIELD_LABELS };
  if (url.startsWith('/api/members')) return { ...COMMON_FIELD_NAMES, ...MEMBER_FIELD_LABELS };
  return COMMON_FIELD_NAMES;
}

function zodIssues(err: FastifyError, url: string): FieldIssue[] {
  const names = fieldNames(url);
  const v = (err as unknown as { validation: { instancePath?: string; message?: string; params?: { issue?: { path?: (string | number)[]; message?: string } } }[] }).validation ?? [];
  return v.map((i) => {
    const p = i.params?.issue?.path ?? (i.instancePath ?? '').split('/').filter(Boolean);
    const field = p.join('.') || '(请求)';
    return { field, message: `${names[field] ?? field}：${i.params?.issue?.message ?? i.message ?? '格式不正确'}` };
  });
}

export function registerHttpPlatform(app: FastifyInstance): void {
  app.decorateRequest('user', null);
  const routeTable: { method: string; url: string; permission: string }[] = [];
  app.decorate('routeTable', routeTable);

  // SEC-7: a route without a declared permission stops the platform from starting.
  app.addHook('onRoute', (route) => {
    const perm = route.config?.permission;
    if (!perm || !(PERMISSIONS as readonly string[]).includes(perm)) {
      if (route.url.startsWith('/api/docs')) return; // swagger-ui's own static routes are public documentation
      throw new Error(`路由 ${route.method} ${route.url} 未声明权限 (SEC-7)`);
    }
    for (const m of [route.method].flat()) if (m !== 'HEAD') routeTable.push({ method: m, url: route.url, permission: perm });
  });

  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
    const perm = req.routeOptions.config?.permission ?? (req.url.startsWith('/api/docs') ? 'public' : undefined);
    if (!SAFE_METHODS.has(req.method)) {
      // Scheme, host and port must equal the configured public origin; Host is not trusted (a proxy may rewrite it).
      const raw = req.headers.origin ?? req.headers.referer;
      const origin = raw ? originOf(raw) : null; // a malformed Origin or Referer is no origin at all
      if (!origin || !app.deps.config.publicOrigins.includes(origin)) {
        await auditDenial(app, req, 'CSRF');
        throw new AppError('CSRF');
      }
    }
    // No route matched: the not-found handler answers, with nothing to authorize.
    if (perm === 'public' || req.routeOptions.url === undefined) return;
    req.user = await loadSession(app.deps, req.cookies[SESSION_COOKIE]);
    if (!req.user) throw new AppError('UNAUTHENTICATED');
    if (req.user.mustChangePassword && !req.routeOptions.config?.allowPending) throw new AppError('PASSWORD_CHANGE_REQUIRED');
    if (req.user.mustSetupTotp && !req.routeOptions.config?.allowPending) throw new AppError('TOTP_SETUP_REQUIRED');
    if (!perm || !req.user.permissions.has(perm)) {
      await auditDenial(app, req, 'FORBIDDEN');
      throw new AppError('FORBIDDEN');
    }
  });

  app.addHook('onSend', async (req, reply, payload) => {
    if (req.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
    return payload;
  });

  app.setNotFoundHandler((req, reply) => {
    reply.code(404).send({ code: 'NOT_FOUND', message: '请求的地址不存在', requestId: req.id });
  });

  app.setErrorHandler(async (err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    if (err instanceof AppError) {
      if (err.code === 'NOT_FOUND' && req.user) await auditDenial(app, req, 'NOT_FOUND');
      return reply.code(err.status).send({ code: err.code, message: err.message, requestId: req.id, ...(err.details ? { details: err.details } : {}) });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const fields = zodIssues(err, req.url);
      return reply.code(400).send({ code: 'VALIDATION', message: `提交的数据有误：${fields.map((f) => f.message).join('；')}`, requestId: req.id, details: { fields } });
    }
    if (err.code === 'FST_REQ_FILE_TOO_LARGE' || err.statusCode === 413) {
      return reply.code(413).send({ code: 'PAYLOAD_TOO_LARGE', message: ERRORS.PAYLOAD_TOO_LARGE[1], requestId: req.id });
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      const code = err.statusCode === 429 ? 'RATE_LIMITED' : err.statusCode === 415 ? 'UNSUPPORTED_FILE' : 'BAD_REQUEST';
      return reply.code(err.statusCode).send({ code, message: ERRORS[code][1], requestId: req.id });
    }
    if (err.name === 'CryptoIntegrityError') {
      // A sealed value that does not open for its row was altered or moved in the database (SEC-30).
      await auditDenial(app, req, 'DATA_INTEGRITY');
      return reply.code(500).send({ code: 'DATA_INTEGRITY', message: ERRORS.DATA_INTEGRITY[1], requestId: req.id });
    }
    req.log.error({ err }, 'unhandled error');
    if (process.env.DANGJIAN_DEBUG_ERRORS === '1') console.error(err);
    return reply.code(500).send({ code: 'INTERNAL', message: ERRORS.INTERNAL[1], requestId: req.id });
  });
}

export function newRequestId(): string {
  return crypto.randomBytes(8).toString('hex');
}
