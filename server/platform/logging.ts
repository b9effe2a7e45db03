/**
 * Log redaction for errors (SEC-13). drizzle's DrizzleQueryError carries the query parameters in
 * `params` and appends them to its message ("params: 张三,1980-01-01,…"); a PostgreSQL error's
 * `detail` repeats the failing row or key, and its message can quote a value. The serializer keeps
 * what a maintainer needs — type, SQLSTATE code, constraint, table, column, the SQL text with its
 * placeholders, the stack frames — and drops every value.
 */

const MAX_DEPTH = 4;
/** Fields of a pg DatabaseError that name things, never values. */
const PG_NAMES = ['code', 'severity', 'constraint', 'table', 'column', 'schema', 'dataType', 'routine'] as const;

function isDatabaseError(e: Record<string, unknown>): boolean {
  return typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) && ('severity' in e || 'routine' in e);
}

/** A message without query parameters or quoted values. */
export function redactMessage(message: string, database = false): string {
  // drizzle: "Failed query: <sql>\nparams: <values>" — the values run to the end of the message.
  let m = message.replace(/\nparams: [\s\S]*$/, '\nparams: [已隐去]');
  // PostgreSQL quotes values and names alike ("invalid input syntax for type date: \"…\""); names are kept in their own fields.
  if (database) m = m.replace(/"(?:[^"\\]|\\.)*"/g, '"…"');
  return m;
}

function frames(stack: unknown): string {
  if (typeof stack !== 'string') return '';
  return stack
    .split('\n')
    .filter((l) => /^\s+at /.test(l))
    .join('\n');
}

export interface SerializedError {
  [key: string]: unknown;
  type: string;
  message: string;
  stack: string;
}

/** pino serializer for `err`: an allow-listed shape of any error and its causes. */
export function serializeError(err: unknown, depth = 0): SerializedError {
  if (!err || typeof err !== 'object') return { type: typeof err, message: String(err), stack: '' };
  const e = err as Record<string, unknown> & { name?: string; message?: unknown; stack?: unknown; cause?: unknown };
  const database = isDatabaseError(e);
  const type = (e.constructor as { name?: string } | undefined)?.name ?? e.name ?? 'Error';
  const message = redactMessage(String(e.message ?? ''), database);
  const out: SerializedError = { type, message, stack: `${type}: ${message}\n${frames(e.stack)}` };
  if (typeof e.code === 'string' || typeof e.code === 'number') out.code = e.code;
  if (typeof e.statusCode === 'number') out.statusCode = e.statusCode;
  if (database) for (const k of PG_NAMES) if (typeof e[k] === 'string') out[k] = e[k];
  // The SQL text has placeholders ($1…) for every value; `params` is left behind on purpose.
  if (typeof e.query === 'string') out.query = e.query.slice(0, 2000);
  if (e.cause && depth < MAX_DEPTH) out.cause = serializeError(e.cause, depth + 1);
  return out;
}

/** An error's message fit for the terminal or a log file (startup and CLI failures). */
export function safeErrorMessage(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const e = err as Error & { cause?: unknown };
  const database = isDatabaseError(e as unknown as Record<string, unknown>);
  const m = redactMessage(e.message, database);
  // A failed query's own message is the SQL; the reason is in the driver error it wraps.
  if (/^Failed query:/.test(e.message) && e.cause instanceof Error)
    return `数据库操作失败：${redactMessage(e.cause.message, true)}`;
  return m;
}

/** What the request log may name of a URL: the route's pattern, or for an unmatched path the path without its query and long digit runs. */
export function loggableUrl(req: { url: string; routeOptions?: { url?: string } }): string {
  const pattern = req.routeOptions?.url;
  if (pattern) return pattern;
  const path = req.url.split('?')[0].split('#')[0];
  // An unmatched path may still carry a value (an ID number, a phone): runs of digits are not kept.
  return path.slice(0, 200).replace(/[0-9Xx]{6,}/g, '…');
}

/** pino serializer for `req`: method, route pattern, request id and client address; no query, no headers (SEC-13). */
export function serializeRequest(req: {
  method: string;
  url: string;
  id?: string;
  ip?: string;
  routeOptions?: { url?: string };
}): Record<string, unknown> {
  return { method: req.method, url: loggableUrl(req), remoteAddress: req.ip };
}
