/**
 * Serving the built web app (web/dist) for phones on weak connections:
 * - the `.br` / `.gz` files written beside each asset at build time (web/precompress.ts) are sent when
 *   the browser accepts them (brotli first), with `Content-Encoding` and `Vary: Accept-Encoding`;
 * - `/assets/*` carry a content hash in their names, so they are cached for a year as immutable;
 *   `index.html` (the answer to every other path, for client-side routing) is `no-cache` with an ETag;
 * - a path is resolved inside the dist directory or not at all (encoded `..`, backslashes and NUL bytes
 *   never reach outside it);
 * - `/.vite/` (the build's own notes, e.g. the preload map) is not served;
 * - `headHints`, when given, adds tags to the HTML's head per request (server/platform/preload.ts: the
 *   first screen's chunks and reads); the page is then compressed here, once per distinct head.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
};

/** Extensions that web/precompress.ts compresses (text); the others are sent as they are. */
export const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.webmanifest', '.map', '.svg', '.txt']);

export type Encoding = 'br' | 'gzip' | 'identity';

/** The best encoding the request accepts among brotli, gzip and none (q-values honoured, `*` understood). */
export function negotiateEncoding(header: string | string[] | undefined): Encoding {
  const raw = Array.isArray(header) ? header.join(',') : (header ?? '');
  const q = new Map<string, number>();
  for (const part of raw.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    let weight = 1;
    for (const p of params) {
      const m = /^\s*q=([0-9.]+)\s*$/.exec(p);
      if (m) weight = Number(m[1]);
    }
    q.set(name, Number.isFinite(weight) ? weight : 0);
  }
  const accepts = (enc: string) => (q.get(enc) ?? q.get('*') ?? 0) > 0;
  if (accepts('br')) return 'br';
  if (accepts('gzip')) return 'gzip';
  return 'identity';
}

/**
 * The file under `root` that a request path names, or null. The path is decoded once; anything that
 * does not decode, contains a NUL byte or a backslash, or resolves outside `root` is refused.
 */
export function resolveInside(root: string, urlPath: string): string | null {
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath.split('?')[0].split('#')[0]);
  } catch {
    return null;
  }
  if (rel.includes('\0') || rel.includes('\\')) return null;
  rel = rel.replace(/^\/+/, '');
  if (!rel) return null;
  const base = path.resolve(root);
  const file = path.resolve(base, rel);
  if (!file.startsWith(base + path.sep)) return null;
  return file;
}

function statFile(file: string): fs.Stats | null {
  try {
    const st = fs.statSync(file);
    return st.isFile() ? st : null;
  } catch {
    return null;
  }
}

/** Sends `file` (which exists), or its precompressed sibling when the client accepts it. */
function sendFile(req: FastifyRequest, reply: FastifyReply, file: string, st: fs.Stats, cacheControl: string) {
  const ext = path.extname(file).toLowerCase();
  reply.header('content-type', TYPES[ext] ?? 'application/octet-stream');
  reply.header('cache-control', cacheControl);
  let body = file;
  let size = st.size;
  let etag = `"${st.size.toString(36)}-${Math.floor(st.mtimeMs).toString(36)}"`;
  if (COMPRESSIBLE.has(ext)) {
    reply.header('vary', 'Accept-Encoding');
    const enc = negotiateEncoding(req.headers['accept-encoding']);
    const sibling = enc === 'br' ? `${file}.br` : enc === 'gzip' ? `${file}.gz` : null;
    const sst = sibling ? statFile(sibling) : null;
    if (sibling && sst && sst.mtimeMs >= st.mtimeMs) {
      reply.header('content-encoding', enc);
      body = sibling;
      size = sst.size;
      etag = `${etag.slice(0, -1)}-${enc}"`;
    }
  }
  reply.header('etag', etag);
  if (req.headers['if-none-match'] === etag) return reply.code(304).send();
  reply.header('content-length', size);
  if (req.method === 'HEAD') return reply.send();
  return reply.send(fs.createReadStream(body));
}

interface HtmlVariant {
  raw: Buffer;
  br: Buffer;
  gzip: Buffer;
  etag: string;
}

/** index.html with `extra` before `</head>`, in its three encodings (a few per route: kept, bounded). */
function htmlVariants(index: string) {
  const cache = new Map<string, HtmlVariant>();
  return (extra: string): HtmlVariant => {
    let v = cache.get(extra);
    if (!v) {
      const html = fs.readFileSync(index, 'utf8');
      const at = html.indexOf('</head>');
      const raw = Buffer.from(at < 0 ? html : `${html.slice(0, at)}  ${extra}\n  ${html.slice(at)}`);
      v = {
        raw,
        br: zlib.brotliCompressSync(raw, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 9 } }),
        gzip: zlib.gzipSync(raw, { level: 9 }),
        etag: createHash('sha256').update(raw).digest('base64url').slice(0, 22),
      };
      if (cache.size >= 500) cache.clear();
      cache.set(extra, v);
    }
    return v;
  };
}

export interface WebAppOptions {
  /** Tags for the HTML's head of this request (empty: none). */
  headHints?: (req: FastifyRequest) => string;
}

/** The handler for every non-API GET: a file of the build, or index.html for client-side routes. */
export function webAppHandler(root: string, opts: WebAppOptions = {}) {
  const index = path.join(root, 'index.html');
  // Rebuilt when index.html changes (a new build is served without a restart).
  let variants: { mtimeMs: number; get: (extra: string) => HtmlVariant } | null = null;
  const sendIndex = (req: FastifyRequest, reply: FastifyReply, st: fs.Stats) => {
    const extra = opts.headHints?.(req) ?? '';
    if (!extra) return sendFile(req, reply, index, st, 'no-cache');
    if (variants?.mtimeMs !== st.mtimeMs) variants = { mtimeMs: st.mtimeMs, get: htmlVariants(index) };
    const v = variants.get(extra);
    const enc = negotiateEncoding(req.headers['accept-encoding']);
    const body = enc === 'br' ? v.br : enc === 'gzip' ? v.gzip : v.raw;
    const etag = `"${v.etag}-${enc}"`;
    reply.header('content-type', TYPES['.html']);
    reply.header('cache-control', 'no-cache');
    // The head differs with the session cookie (reads are named only for a signed-in browser).
    reply.header('vary', 'Accept-Encoding, Cookie');
    reply.header('etag', etag);
    if (enc !== 'identity') reply.header('content-encoding', enc);
    if (req.headers['if-none-match'] === etag) return reply.code(304).send();
    reply.header('content-length', body.length);
    if (req.method === 'HEAD') return reply.send();
    return reply.send(body);
  };
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const file = resolveInside(root, req.url);
    // The build's own notes (.vite/preload.json) are for the server, not for browsers (checked on the decoded path).
    if (file && path.relative(root, file).split(path.sep)[0].toLowerCase() === '.vite')
      return reply.code(404).send({ code: 'NOT_FOUND', message: '请求的地址不存在', requestId: req.id });
    // The precompressed copies are only ever sent through their original's name.
    const st = file && !/\.(br|gz)$/i.test(file) ? statFile(file) : null;
    if (file && st) {
      const rel = path.relative(root, file);
      const hashed = rel.startsWith(`assets${path.sep}`);
      return sendFile(req, reply, file, st, hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
    }
    // A missing hashed file (an old tab after a new build) is a 404, not the HTML page under a script's name.
    if (/^\/+assets\//.test(req.url))
      return reply.code(404).send({ code: 'NOT_FOUND', message: '请求的地址不存在', requestId: req.id });
    // Read each time: a rebuilt web app is served without a restart.
    const ist = statFile(index);
    if (!ist) return reply.code(404).send({ code: 'NOT_FOUND', message: '请求的地址不存在', requestId: req.id });
    return sendIndex(req, reply, ist);
  };
}
