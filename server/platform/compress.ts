/**
 * API answers compressed for the phones on weak connections (issue 7 §7): a JSON answer of 1 kB or
 * more is sent as brotli (quality 4) or gzip when the request accepts it. The member list's first
 * page is 12.4 kB as JSON and ~2.5 kB compressed; on slow 4G every 10 kB is ~55 ms.
 *
 * BREACH (guessing a secret from compressed sizes) needs the attacker's text and the secret in one
 * answer *to the victim's session*: the session cookie is SameSite=Strict, so no other site's page can
 * make the browser send such a request, and the platform never puts tokens in answers.
 * Streams (exports, evidence) and answers that already carry an encoding are left alone.
 */
import zlib from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { negotiateEncoding } from './webapp.ts';

const MIN_BYTES = 1024;

export function compressJson(req: FastifyRequest, reply: FastifyReply, payload: unknown): unknown {
  if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
  if (payload.length < MIN_BYTES || reply.getHeader('content-encoding')) return payload;
  const type = String(reply.getHeader('content-type') ?? '');
  if (!type.startsWith('application/json')) return payload;
  reply.header('vary', 'Accept-Encoding');
  const enc = negotiateEncoding(req.headers['accept-encoding']);
  if (enc === 'identity') return payload;
  const body =
    enc === 'br'
      ? zlib.brotliCompressSync(payload, {
          params: {
            [zlib.constants.BROTLI_PARAM_QUALITY]: 4,
            [zlib.constants.BROTLI_PARAM_SIZE_HINT]: Buffer.byteLength(payload),
          },
        })
      : zlib.gzipSync(payload, { level: 5 });
  reply.header('content-encoding', enc);
  reply.removeHeader('content-length');
  return body;
}
