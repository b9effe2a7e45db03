/**
 * The API client: same-origin fetch with the session cookie, JSON in and out, and one error type
 * (ApiError) that carries the server's code, Chinese message, field issues and request id.
 */
import { refuseDownloadInWeChat, WECHAT_DOWNLOAD_CODE, WECHAT_DOWNLOAD_MESSAGE } from './wechat.ts';

export interface FieldIssue {
  field: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: FieldIssue[];
  readonly requestId?: string;
  readonly body: unknown;
  constructor(
    status: number,
    code: string,
    message: string,
    fields: FieldIssue[] = [],
    requestId?: string,
    body?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields;
    this.requestId = requestId;
    this.body = body;
  }
}

type Handler = (err: ApiError) => void;
let onUnauthenticated: Handler = () => {
  const next = window.location.pathname + window.location.search;
  if (!window.location.pathname.startsWith('/login')) window.location.assign(`/login?next=${encodeURIComponent(next)}`);
};
let onPasswordChangeRequired: Handler = () => {
  if (window.location.pathname !== '/password') window.location.assign('/password');
};
let onTotpSetupRequired: Handler = () => {
  if (window.location.pathname !== '/security') window.location.assign('/security');
};

/** The app installs router-aware handlers once it has mounted. */
export function setAuthHandlers(h: {
  unauthenticated: Handler;
  passwordChangeRequired: Handler;
  totpSetupRequired: Handler;
}): void {
  onUnauthenticated = h.unauthenticated;
  onPasswordChangeRequired = h.passwordChangeRequired;
  onTotpSetupRequired = h.totpSetupRequired;
}

const NETWORK_MESSAGE = '网络连接异常，请检查网络后重试（已填写的内容不会丢失）';

/** Turns a non-2xx response body into an ApiError (also used by the XHR upload). */
export function errorFrom(status: number, body: unknown, headerRequestId?: string | null): ApiError {
  const b = (body && typeof body === 'object' ? body : {}) as {
    code?: string;
    message?: string;
    requestId?: string;
    details?: { fields?: FieldIssue[] };
  };
  const fields = Array.isArray(b.details?.fields)
    ? b.details.fields.filter((f) => f && typeof f.field === 'string')
    : [];
  const fallback =
    status === 401
      ? '请先登录'
      : status === 403
        ? '没有权限执行此操作'
        : status === 404
          ? '对象不存在或不在您的管辖范围内'
          : status === 429
            ? '操作过于频繁，请稍后再试'
            : status >= 500
              ? '服务暂时不可用，请稍后再试'
              : '请求失败';
  return new ApiError(
    status,
    b.code ?? `HTTP_${status}`,
    b.message ?? fallback,
    fields,
    b.requestId ?? headerRequestId ?? undefined,
    body,
  );
}

/** Handles the session-wide answers (401, forced password change, forced two-step setup); returns the error for the caller to throw. */
export function routeAuthError(err: ApiError, path: string): ApiError {
  if (err.status === 401 && !path.startsWith('/api/auth/')) onUnauthenticated(err);
  if (err.code === 'PASSWORD_CHANGE_REQUIRED') onPasswordChangeRequired(err);
  if (err.code === 'TOTP_SETUP_REQUIRED') onTotpSetupRequired(err);
  return err;
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export function qs(params: Query): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    u.set(k, String(v));
  }
  const s = u.toString();
  return s ? `?${s}` : '';
}

/**
 * The first reads of the page being opened, started by main.tsx before React runs: the ones the server
 * named in the HTML as fetch preloads (server/platform/preload.ts), whose answers the browser is
 * already downloading beside the scripts. A page takes its answer once, synchronously, as its query's
 * initial data (see MembersPage), so its first render shows the rows instead of a skeleton.
 */
const early = new Map<string, { at: number; data?: unknown }>();

export function fetchEarly(url: string): Promise<void> {
  const entry: { at: number; data?: unknown } = { at: Date.now() };
  early.set(url, entry);
  return fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' })
    .then((r) => (r.ok ? r.json() : undefined))
    .then(
      (data) => {
        if (data === undefined) early.delete(url);
        else {
          entry.data = data;
          entry.at = Date.now();
        }
      },
      () => {
        early.delete(url);
      },
    );
}

/** The early answer for `path` with `query`, if it has arrived in the last 30 seconds; given out once. */
export function takeEarly<T>(path: string, query: Query): { url: string; data: T; at: number } | undefined {
  const url = urlOf(path, query);
  const e = early.get(url);
  if (!e || e.data === undefined) return undefined;
  early.delete(url);
  return Date.now() - e.at < 30_000 ? { url, data: e.data as T, at: e.at } : undefined;
}

/** The URL `api.get(path, query)` requests (to compare with an early answer's). */
export function urlOf(path: string, query: Query): string {
  return path + qs(query);
}

interface Options {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
}

export async function request<T>(path: string, opts: Options = {}): Promise<T> {
  const method = opts.method ?? 'GET';
  const url = path + (opts.query ? qs(opts.query) : '');
  const headers: Record<string, string> = { accept: 'application/json' };
  let body: string | undefined;
  if (opts.body !== undefined && method !== 'GET') {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  let res: Response;
  try {
    res = await fetch(url, { method, headers, body, credentials: 'same-origin', signal: opts.signal });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'NETWORK', NETWORK_MESSAGE);
  }
  const text = await res.text().catch(() => '');
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!res.ok) throw routeAuthError(errorFrom(res.status, data, res.headers.get('x-request-id')), path);
  return data as T;
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => request<T>(path, { query, signal }),
  post: <T>(path: string, body?: unknown) => request<T>(path, { method: 'POST', body: body ?? {} }),
  patch: <T>(path: string, body: unknown) => request<T>(path, { method: 'PATCH', body }),
  put: <T>(path: string, body: unknown) => request<T>(path, { method: 'PUT', body }),
  del: <T>(path: string) => request<T>(path, { method: 'DELETE' }),
};

/** The filename from a Content-Disposition header (prefers filename*=UTF-8''…). */
function filenameOf(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (star) {
    try {
      return decodeURIComponent(star[1]);
    } catch {
      /* fall through */
    }
  }
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  return plain ? plain[1] : fallback;
}

/**
 * Downloads a file from a GET endpoint. Fetching it first (instead of navigating) lets a refusal —
 * too many exports, no permission, an expired session — show its Chinese message instead of a
 * downloaded error page.
 */
export async function download(
  path: string,
  query: Query,
  fallbackName: string,
  onProgress?: (loaded: number) => void,
): Promise<string> {
  if (refuseDownloadInWeChat()) throw new ApiError(0, WECHAT_DOWNLOAD_CODE, WECHAT_DOWNLOAD_MESSAGE);
  let res: Response;
  try {
    res = await fetch(path + qs(query), { credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'NETWORK', NETWORK_MESSAGE);
  }
  if (!res.ok) {
    const data = await res.json().catch(() => null);
    throw routeAuthError(errorFrom(res.status, data, res.headers.get('x-request-id')), path);
  }
  return saveResponse(res, fallbackName, onProgress);
}

/**
 * Sends a file (multipart, with text fields before it) to a POST endpoint that answers with a file,
 * and saves that file: a refusal shows its Chinese message, as with `download`.
 */
export async function uploadForDownload(
  path: string,
  query: Query,
  file: File,
  fields: Record<string, string>,
  fallbackName: string,
): Promise<string> {
  if (refuseDownloadInWeChat()) throw new ApiError(0, WECHAT_DOWNLOAD_CODE, WECHAT_DOWNLOAD_MESSAGE);
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', file, file.name);
  let res: Response;
  try {
    res = await fetch(path + qs(query), { method: 'POST', body: form, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'NETWORK', NETWORK_MESSAGE);
  }
  if (!res.ok) {
    const data = await res.json().catch(() => null);
    throw routeAuthError(errorFrom(res.status, data, res.headers.get('x-request-id')), path);
  }
  return saveResponse(res, fallbackName);
}

/** Saves a file answer under the name the server gave it. */
async function saveResponse(
  res: Response,
  fallbackName: string,
  onProgress?: (loaded: number) => void,
): Promise<string> {
  let blob: Blob;
  if (res.body && onProgress) {
    const reader = res.body.getReader();
    const chunks: BlobPart[] = [];
    let loaded = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value as BlobPart);
      loaded += value.byteLength;
      onProgress(loaded);
    }
    blob = new Blob(chunks, { type: res.headers.get('content-type') ?? 'application/octet-stream' });
  } else {
    blob = await res.blob();
  }
  const name = filenameOf(res.headers.get('content-disposition'), fallbackName);
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
  return name;
}

export interface UploadResult<T> {
  status: number;
  body: T;
}

/**
 * Multipart upload with progress (XMLHttpRequest, because fetch has no upload progress).
 * Resolves for 2xx and for `acceptStatuses` (e.g. 422 with a row-error list); rejects with ApiError otherwise.
 */
export function upload<T>(
  path: string,
  query: Query,
  file: File,
  onProgress: (percent: number) => void,
  acceptStatuses: number[] = [],
  /** Text fields sent before the file (the server reads them with the file). */
  fields: Record<string, string> = {},
): { promise: Promise<UploadResult<T>>; abort: () => void } {
  const xhr = new XMLHttpRequest();
  const promise = new Promise<UploadResult<T>>((resolve, reject) => {
    xhr.open('POST', path + qs(query));
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(Math.round((e.loaded / e.total) * 100));
    };
    xhr.upload.onload = () => onProgress(100);
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', '上传中断：网络连接异常，请检查网络后重新选择文件上传'));
    xhr.onabort = () => reject(new ApiError(0, 'ABORTED', '已取消上传'));
    xhr.ontimeout = () => reject(new ApiError(0, 'TIMEOUT', '上传超时，请检查网络后重试'));
    xhr.onload = () => {
      let data: unknown = null;
      try {
        data = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        data = null;
      }
      if ((xhr.status >= 200 && xhr.status < 300) || acceptStatuses.includes(xhr.status))
        resolve({ status: xhr.status, body: data as T });
      else reject(routeAuthError(errorFrom(xhr.status, data, xhr.getResponseHeader('x-request-id')), path));
    };
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    form.append('file', file, file.name);
    xhr.send(form);
  });
  return { promise, abort: () => xhr.abort() };
}
