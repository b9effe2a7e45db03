/**
 * One way a file leaves the platform (issue 17 §3; SEC-14, SEC-12, SEC-28): every export and download
 * route sends its file through `sendDownload`, which spends the account's budgets first, then prepares
 * what is sent, records the audit entry before the first byte, sets the headers (type, a Chinese file
 * name with an ASCII fallback, nosniff, no-store) and streams the body — a failure while streaming is
 * logged and ends the response, never silently truncates it.
 */
import { PassThrough, type Readable, type Writable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type AuditEntry, writeAudit } from './audit.ts';
import { actorOf, userOf } from './http.ts';
import { type DataUse, spend } from './ratelimit.ts';

export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** `Content-Disposition` with the real (Chinese) name as RFC 5987 `filename*` and an ASCII fallback for old clients. */
export function contentDisposition(
  name: string,
  fallback: string,
  kind: 'attachment' | 'inline' = 'attachment',
): string {
  const ascii = fallback.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export interface Download<P> {
  /** Budgets spent before anything else (ratelimit.ts DATA_USES); none for a blank template. */
  spend?: readonly DataUse[];
  /** Load what the file is made of, after the budgets (a refusal here sends nothing and records nothing). */
  prepare: () => Promise<P>;
  /** The audit entry written before the first byte (none for a blank template or a thumbnail). */
  audit?: (p: P) => AuditEntry | null;
  /** The file as the user sees it. */
  file: (p: P) => { name: string; fallback: string; type: string; inline?: boolean };
  /** The bytes: a buffer, a stream, or a writer that streams into the stream it is given. */
  body: (p: P) => Buffer | Readable | ((out: Writable) => Promise<unknown>);
}

/** Send a file as described: budgets, preparation, audit, headers, body (see the module comment). */
export async function sendDownload<P>(req: FastifyRequest, reply: FastifyReply, d: Download<P>): Promise<FastifyReply> {
  const { db } = req.server.deps.database;
  if (d.spend?.length) await spend(db, userOf(req), ...d.spend);
  const prepared = await d.prepare();
  const entry = d.audit?.(prepared);
  if (entry) await db.transaction((tx) => writeAudit(tx, req.server.deps.crypto, actorOf(req), [entry]));
  const f = d.file(prepared);
  reply
    .header('content-type', f.type)
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'no-store')
    .header('content-disposition', contentDisposition(f.name, f.fallback, f.inline ? 'inline' : 'attachment'));
  const body = d.body(prepared);
  if (typeof body !== 'function') return reply.send(body);
  const out = new PassThrough();
  void body(out).catch((e) => {
    req.log.error({ err: e }, 'download failed while streaming');
    out.destroy(e);
  });
  return reply.send(out);
}
