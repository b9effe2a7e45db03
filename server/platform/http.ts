/**
 * Cross-cutting HTTP behaviour: request ids, authentication from the session cookie, permission
 * per route (deny by default, SEC-7), Origin check on state changes (CSRF, SEC-22), errors in
 * Chinese with a stable code (SEC-24), denials audited (SEC-12).
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { type Actor, writeAudit } from './audit.ts';
import { ANONYMOUS_DENIALS_PER_MINUTE, countAnonymousDenial, UNMATCHED_ROUTE } from './denials.ts';
import { originOf } from './config.ts';
import { CONTROL_CHARS, CONTROL_CHARS_IN_TEXT } from './control-chars.ts';
import { AppError, ERRORS, type ErrorCode, type FieldIssue } from './errors.ts';
import { MODULES } from '../modules/registry.ts';
import { PERMISSIONS } from './permissions.ts';
import { compressJson } from './compress.ts';
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

/**
 * Record a refusal and return the error to answer with. A refusal with a session is one audit row
 * (SEC-12); one without is counted per client and minute and summarised (SEC-35), and a client past
 * the limit is answered 429 instead. No URL is stored: the route's pattern only.
 */
async function denial(app: FastifyInstance, req: FastifyRequest, code: ErrorCode): Promise<AppError> {
  const route = req.routeOptions.url;
  try {
    if (!req.user) {
      const n = await countAnonymousDenial(app.deps.database.db, app.deps.now(), {
        ip: req.ip,
        method: req.method,
        route,
        code,
      });
      return n > ANONYMOUS_DENIALS_PER_MINUTE ? new AppError('RATE_LIMITED') : new AppError(code);
    }
    await app.deps.database.db.transaction((tx) =>
      writeAudit(tx, app.deps.crypto, actorOf(req), [
        {
          action: 'access.denied',
          objectType: 'route',
          objectId: `${req.method} ${route ?? UNMATCHED_ROUTE}`,
          result: 'denied',
          detail: { code },
        },
      ]),
    );
  } catch (e) {
    req.log.error({ err: e }, 'audit of a denial failed');
  }
  return new AppError(code);
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
  sex: '性别',
  subtree: '含下级组织',
  field: '所属领域',
  lostContact: '失联党员',
  ageMin: '最小年龄',
  ageMax: '最大年龄',
  joinYearMin: '入党年份起',
  joinYearMax: '入党年份止',
  reason: '原因',
  unmasked: '完整信息',
  dryRun: '仅校验',
  action: '操作',
  result: '结果',
  from: '开始日期',
  to: '结束日期',
  id: '编号',
  totpCode: '验证码',
};
/** Field names by module (its manifest's `fieldLabels`): `name` is 名称 for an organization and 姓名 for a member. */
const FIELD_NAMES_BY_MODULE: Map<string, Record<string, string>> = new Map(
  MODULES.map((m) => [m.name, { ...COMMON_FIELD_NAMES, ...('fieldLabels' in m ? m.fieldLabels : {}) }]),
);
function fieldNames(req: FastifyRequest): Record<string, string> {
  const m = req.routeOptions.config?.module;
  return (m && FIELD_NAMES_BY_MODULE.get(m)) || COMMON_FIELD_NAMES;
}

function zodIssues(err: FastifyError, req: FastifyRequest): FieldIssue[] {
  const names = fieldNames(req);
  const v =
    (
      err as unknown as {
        validation: {
          instancePath?: string;
          message?: string;
          params?: { issue?: { path?: (string | number)[]; message?: string } };
        }[];
      }
    ).validation ?? [];
  return v.map((i) => {
    const p = i.params?.issue?.path ?? (i.instancePath ?? '').split('/').filter(Boolean);
    const field = p.join('.') || '(请求)';
    // A nested field is named by its parts (targets.orgKinds → 下发对象·组织类别; an array item by its place).
    const named =
      names[field] ??
      (p.length ? p.map((x) => (typeof x === 'number' ? `第 ${x + 1} 项` : (names[x] ?? x))).join('·') : field);
    return { field, message: `${named}：${i.params?.issue?.message ?? i.message ?? '格式不正确'}` };
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
    for (const m of [route.method].flat())
      if (m !== 'HEAD') routeTable.push({ method: m, url: route.url, permission: perm });
  });

  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
    const perm = req.routeOptions.config?.permission ?? (req.url.startsWith('/api/docs') ? 'public' : undefined);
    if (!SAFE_METHODS.has(req.method)) {
      // Scheme, host and port must equal the configured public origin; Host is not trusted (a proxy may rewrite it).
      const raw = req.headers.origin ?? req.headers.referer;
      const origin = raw ? originOf(raw) : null; // a malformed Origin or Referer is no origin at all
      if (!origin || !app.deps.config.publicOrigins.includes(origin)) {
        throw await denial(app, req, 'CSRF');
      }
    }
    // No route matched: the not-found handler answers, with nothing to authorize.
    if (perm === 'public' || req.routeOptions.url === undefined) return;
    req.user = await loadSession(app.deps, req.cookies[SESSION_COOKIE]);
    if (!req.user) throw new AppError('UNAUTHENTICATED');
    if (req.user.mustChangePassword && !req.routeOptions.config?.allowPending)
      throw new AppError('PASSWORD_CHANGE_REQUIRED');
    if (req.user.mustSetupTotp && !req.routeOptions.config?.allowPending) throw new AppError('TOTP_SETUP_REQUIRED');
    if (!perm || !req.user.permissions.has(perm)) {
      throw await denial(app, req, 'FORBIDDEN');
    }
  });

  app.addHook('onSend', async (req, reply, payload) => {
    if (!req.url.startsWith('/api/')) return payload;
    reply.header('cache-control', 'no-store');
    return compressJson(req, reply, payload);
  });

  app.setNotFoundHandler((req, reply) => {
    reply.code(404).send({ code: 'NOT_FOUND', message: '请求的地址不存在', requestId: req.id });
  });

  // SEC-19: one check no route can forget. Control characters break PostgreSQL text (NUL), logs and
  // exports; tab and line breaks are allowed in bodies (multi-line text), nothing in query or path.
  app.addHook('preValidation', async (req) => {
    const bad =
      controlCharField(req.params, CONTROL_CHARS) ??
      controlCharField(req.query, CONTROL_CHARS) ??
      controlCharField(req.body, CONTROL_CHARS_IN_TEXT);
    if (bad === undefined) return;
    const names = fieldNames(req);
    const message = `${names[bad] ?? (bad || '(请求)')}：不能包含控制字符`;
    throw new AppError('VALIDATION', `提交的数据有误：${message}`, { fields: [{ field: bad, message }] });
  });

  app.setErrorHandler(async (err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    if (err instanceof AppError) {
      if (err.code === 'NOT_FOUND' && req.user) await denial(app, req, 'NOT_FOUND');
      // A refusal with a cause (a file that zlib or the spreadsheet parser could not read): the log
      // says what it was; the user gets the Chinese message only.
      if (err.cause !== undefined) req.log.warn({ err }, `request refused: ${err.code}`);
      return sendError(reply, err.status, {
        code: err.code,
        message: err.message,
        requestId: req.id,
        ...(err.details ? { details: err.details } : {}),
      });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const fields = zodIssues(err, req);
      return sendError(reply, 400, {
        code: 'VALIDATION',
        message: `提交的数据有误：${fields.map((f) => f.message).join('；')}`,
        requestId: req.id,
        details: { fields },
      });
    }
    const known = frameworkCode(err) ?? databaseInputCode(err);
    if (known) return sendError(reply, ERRORS[known][0], { code: known, message: ERRORS[known][1], requestId: req.id });
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      const code =
        err.statusCode === 429
          ? 'RATE_LIMITED'
          : err.statusCode === 413
            ? 'BODY_TOO_LARGE'
            : err.statusCode === 415
              ? 'UNSUPPORTED_MEDIA_TYPE'
              : 'BAD_REQUEST';
      return sendError(reply, ERRORS[code][0], { code, message: ERRORS[code][1], requestId: req.id });
    }
    if (err.name === 'CryptoIntegrityError') {
      // A sealed value that does not open for its row was altered or moved in the database (SEC-30).
      await denial(app, req, 'DATA_INTEGRITY');
      return sendError(reply, 500, { code: 'DATA_INTEGRITY', message: ERRORS.DATA_INTEGRITY[1], requestId: req.id });
    }
    req.log.error({ err }, 'unhandled error');
    if (process.env.DANGJIAN_DEBUG_ERRORS === '1') console.error(err);
    return sendError(reply, 500, { code: 'INTERNAL', message: ERRORS.INTERNAL[1], requestId: req.id });
  });
}

/**
 * Send an error body as plain JSON. A route's response schema (e.g. the import's 422 report) must
 * never turn an error into a serialization failure, so the route serializer is bypassed (SEC-24).
 */
function sendError(
  reply: FastifyReply,
  status: number,
  body: { code: string; message: string; requestId: string; details?: unknown },
) {
  return reply.code(status).type('application/json; charset=utf-8').serializer(JSON.stringify).send(body);
}

/** Fastify's and its plugins' own errors, by code (body parsing, multipart, URL). */
const FRAMEWORK_CODES: Record<string, ErrorCode> = {
  FST_ERR_BAD_URL: 'BAD_URL',
  FST_ERR_MAX_PARAM_LENGTH: 'BAD_URL',
  FST_ERR_CTP_BODY_TOO_LARGE: 'BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_REQUEST',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'EMPTY_BODY',
  FST_ERR_CTP_INVALID_JSON_BODY: 'INVALID_JSON',
  FST_REQ_FILE_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_FILES_LIMIT: 'PAYLOAD_TOO_LARGE',
  FST_PARTS_LIMIT: 'PAYLOAD_TOO_LARGE',
  FST_FIELDS_LIMIT: 'PAYLOAD_TOO_LARGE',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_PROTO_VIOLATION: 'BAD_REQUEST',
};

function frameworkCode(err: FastifyError): ErrorCode | undefined {
  if (err.code && FRAMEWORK_CODES[err.code]) return FRAMEWORK_CODES[err.code];
  // JSON.parse's own SyntaxError, as the JSON body parser passes it on.
  if (err instanceof SyntaxError && err.statusCode === 400) return 'INVALID_JSON';
  return undefined;
}

/** Input PostgreSQL refuses (a NUL byte, a malformed date) is the client's error, not a 500 (SEC-19). */
function databaseInputCode(err: unknown): ErrorCode | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    // 22021 invalid byte sequence (NUL), 22P05 untranslatable character, 22007/22008 datetime format/overflow.
    if (code === '22021' || code === '22P05' || code === '22007' || code === '22008') return 'BAD_REQUEST';
  }
  return undefined;
}

/** Fastify `frameworkErrors`: errors raised before routing (a malformed URL), in the Chinese form. */
export function frameworkErrorHandler(err: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  const code = frameworkCode(err) ?? 'BAD_REQUEST';
  reply.header('x-request-id', req.id).header('cache-control', 'no-store');
  void sendError(reply, ERRORS[code][0], { code, message: ERRORS[code][1], requestId: req.id });
}

/** Fastify `clientErrorHandler`: a request that never became one (timeout, oversized headers), in the Chinese form. */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const code: ErrorCode =
    err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? 'REQUEST_TIMEOUT'
      : err.code === 'HPE_HEADER_OVERFLOW'
        ? 'HEADERS_TOO_LARGE'
        : 'BAD_REQUEST';
  const requestId = newRequestId();
  const body = JSON.stringify({ code, message: ERRORS[code][1], requestId });
  const [status] = ERRORS[code];
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nX-Request-Id: ${requestId}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

/** The path (dotted) of the first string, or key, containing a refused character; undefined if none. */
function controlCharField(value: unknown, refused: RegExp): string | undefined {
  // Iterative, so a deeply nested body cannot overflow the stack.
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length) {
    const [v, at] = stack.pop() as [unknown, string];
    if (typeof v === 'string') {
      if (refused.test(v)) return at;
    } else if (v && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        const p = at ? `${at}.${k}` : k;
        if (refused.test(k)) return p;
        stack.push([child, p]);
      }
    }
  }
  return undefined;
}

/** Random bytes drawn 4 KiB at a time: a request id per request without a call into OpenSSL each (issue 6 §4). */
let idBytes = Buffer.alloc(0);
let idOffset = 0;

export function newRequestId(): string {
  if (idOffset + 8 > idBytes.length) {
    idBytes = crypto.randomBytes(4096);
    idOffset = 0;
  }
  const id = idBytes.toString('hex', idOffset, idOffset + 8);
  idOffset += 8;
  return id;
}
