/** Builds the Fastify app from the platform plugins and the feature modules. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, validatorCompiler } from 'fastify-type-provider-zod';
import helmet from 'helmet';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { ModuleManifest } from './modules/module.ts';
import { MODULES } from './modules/registry.ts';
import type { Deps } from './platform/deps.ts';
import { registerAnchor } from './platform/anchor.ts';
import { ERRORS } from './platform/errors.ts';
import { clientErrorHandler, frameworkErrorHandler, newRequestId, registerHttpPlatform } from './platform/http.ts';
import { serializeError, serializeRequest } from './platform/logging.ts';
import { serializerCompiler } from './platform/serialize.ts';
import { registerSweep } from './platform/sweep.ts';
import { firstScreen, linkTags, preloadMapReader } from './platform/preload.ts';
import { SESSION_COOKIE } from './platform/session.ts';
import { webAppHandler } from './platform/webapp.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const WEB_DIST = path.join(root, 'web', 'dist');

/** Time to receive a whole request (SEC-31): a 20 MB upload at 2 Mbit/s needs about 80 s. */
const REQUEST_TIMEOUT_MS = 120_000;

/**
 * A module's routes (`server/modules/<name>/routes.ts`, a Fastify plugin) in a context of their own,
 * where every route must lie under one of the manifest's `apiPrefixes` (or the platform refuses to
 * start) and is tagged with the module's name (validation messages use its field names).
 */
async function registerModule(app: FastifyInstance, m: ModuleManifest): Promise<void> {
  if (!m.hasRoutes) return;
  const mod = (await import(`./modules/${m.name}/routes.ts`)) as { default?: unknown };
  if (typeof mod.default !== 'function') throw new Error(`模块 ${m.name} 的 routes.ts 须默认导出一个 Fastify 插件`);
  const plugin = mod.default as (app: FastifyInstance) => Promise<void>;
  await app.register(async (scope) => {
    scope.addHook('onRoute', (route) => {
      if (!m.apiPrefixes.some((p) => route.url === p || route.url.startsWith(`${p}/`))) {
        throw new Error(`模块 ${m.name} 的路由 ${route.url} 不在其声明的地址前缀（${m.apiPrefixes.join('、')}）之下`);
      }
      route.config = { ...(route.config ?? {}), module: m.name };
    });
    await scope.register(plugin);
  });
}

export async function buildApp(
  deps: Deps,
  opts: { logger?: boolean; logStream?: NodeJS.WritableStream; requestTimeoutMs?: number } = {},
): Promise<FastifyInstance> {
  const requestTimeout = opts.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
  const app = Fastify({
    logger: opts.logger
      ? {
          level: deps.config.logLevel,
          // SEC-13: no secrets or personal data in logs.
          redact: [
            'req.headers.cookie',
            'req.headers.authorization',
            'res.headers["set-cookie"]',
            '*.password',
            '*.idNumber',
            '*.phone',
            '*.address',
          ],
          // Database errors carry query parameters (names, birth dates, ID tails, phones): an allow-listed shape only.
          // The URL is logged as its route pattern, never with its query or values (a search for an ID number, issue 15 §4).
          serializers: { err: (e: unknown) => serializeError(e), req: serializeRequest },
          ...(opts.logStream ? { stream: opts.logStream } : {}),
        }
      : false,
    genReqId: newRequestId,
    trustProxy: process.env.DANGJIAN_TRUST_PROXY === '1',
    bodyLimit: 1024 * 1024,
    // SEC-31: a trickled body must not hold a connection. The whole request (headers and body) gets
    // `requestTimeout`; the headers alone a quarter of it, at most 30 s; a socket on which nothing
    // moves for 3 minutes is closed (longer than the slowest import takes to answer).
    requestTimeout,
    connectionTimeout: 180_000,
    http: {
      headersTimeout: Math.min(30_000, Math.ceil(requestTimeout / 4)),
      // Node checks the two timeouts above on this interval (default 30 s, which would let a slow body live that much longer).
      connectionsCheckingInterval: Math.min(1_000, Math.ceil(requestTimeout / 4)),
    },
    // SEC-24: errors Fastify raises before routing or before a request exists, in the Chinese form.
    frameworkErrors: frameworkErrorHandler,
    clientErrorHandler,
    ajv: { customOptions: { removeAdditional: false } },
  });
  app.decorate('deps', deps);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  // Security headers (helmet), built once: @fastify/helmet rebuilt helmet's middleware, parsing these
  // options again, on every request, about a tenth of the server's CPU on a small read (issue 6 §4).
  // The middleware built here only sets the precomputed headers.
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"], // antd injects its CSS-in-JS styles at run time
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    referrerPolicy: { policy: 'same-origin' },
    crossOriginEmbedderPolicy: false,
    strictTransportSecurity: deps.config.secureCookies,
  });
  app.addHook('onRequest', (req, reply, done) =>
    securityHeaders(req.raw, reply.raw, (err?: unknown) => done(err as Error | undefined)),
  );
  await app.register(cookie);
  await app.register(multipart, { limits: { fileSize: 20 * 1024 * 1024, files: 1, fields: 5 } });
  registerHttpPlatform(app);
  if (deps.anchor) registerAnchor(app, deps.anchor);
  registerSweep(app, deps);

  await app.register(swagger, {
    openapi: {
      info: {
        title: '党建平台 API',
        description: '组织、党员、账号与审计。写操作须携带会话 Cookie 并带与服务地址一致的 Origin 请求头。',
        version: '0.1.0',
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', uiConfig: { docExpansion: 'list' } });
  app.get('/api/openapi.json', { config: { permission: 'public' }, schema: { hide: true } }, async () => app.swagger());

  app.get(
    '/api/health',
    {
      config: { permission: 'public' },
      schema: {
        tags: ['系统'],
        summary: '健康检查',
        response: {
          200: z.object({
            status: z.literal('ok'),
            database: z.object({ mode: z.enum(['embedded', 'external']), version: z.string() }),
          }),
        },
      },
    },
    async () => {
      await deps.database.db.execute(sql`select 1`);
      return { status: 'ok' as const, database: deps.dbInfo };
    },
  );

  for (const m of MODULES) await registerModule(app, m);

  // The web app: built files if present (precompressed, hashed assets immutable; see platform/webapp.ts);
  // every non-API path falls back to index.html (client routing).
  if (fs.existsSync(path.join(WEB_DIST, 'index.html'))) {
    const preloads = preloadMapReader(WEB_DIST);
    const serveWeb = webAppHandler(WEB_DIST, {
      headHints: (req) => linkTags(firstScreen(preloads(), req.url, Boolean(req.cookies?.[SESSION_COOKIE]))),
    });
    app.get('/*', { config: { permission: 'public' }, schema: { hide: true } }, async (req, reply) => {
      let path0: string;
      try {
        path0 = decodeURIComponent(req.url.split('?')[0]);
      } catch {
        // The catch-all route sees URLs the router could not decode for a parameter: the same answer as elsewhere (SEC-24).
        return reply.code(400).send({ code: 'BAD_URL', message: ERRORS.BAD_URL[1], requestId: req.id });
      }
      if (req.url.startsWith('/api/')) {
        // A path parameter longer than the router accepts falls through to here: answer as the router would without the web app.
        if (path0.split('/').some((seg) => seg.length > 100))
          return reply.code(400).send({ code: 'BAD_URL', message: ERRORS.BAD_URL[1], requestId: req.id });
        return reply.code(404).send({ code: 'NOT_FOUND', message: '请求的地址不存在', requestId: req.id });
      }
      return serveWeb(req, reply);
    });
  } else {
    app.get('/', { config: { permission: 'public' }, schema: { hide: true } }, async (_req, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .send(
          '<!doctype html><meta charset="utf-8"><title>党建平台</title><p>网页端尚未构建：请运行 <code>npm run build:web</code>。API 文档见 <a href="/api/docs">/api/docs</a>。</p>',
        ),
    );
  }
  return app;
}
