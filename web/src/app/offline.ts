/**
 * Records kept on this device until the server has them all, files included: a branch secretary in
 * a village on a weak connection must lose nothing typed or photographed. Meetings use it today
 * (pages/meetings/meeting-drafts.ts); check-ins and inspection records will. docs/CODE_STYLE.md
 * "Offline drafts" shows how a page uses it.
 *
 * Each record is one item: its kind, a clientId (made on the device, sent with the record: the server
 * answers a repeated send of the same clientId with the record it already has, so a retry after a lost
 * answer makes no second record), the user who made it, its state and the kind's payload. The payload
 * is small and goes to localStorage, written synchronously on every change; files (photos) go to
 * IndexedDB under the item's clientId. Unlike form drafts (drafts.ts) items are not dropped after a
 * day or at logout: they are records not yet delivered, and they belong to the user who made them.
 *
 * Sending is the kind's sender (OFFLINE_KINDS in offline-kinds.ts): it does the requests and records
 * its progress in the payload (`ctx.update`), so a break anywhere resumes where it stopped. The service
 * keeps one send per item at a time, keeps what could not go (no network, server busy: 'pending',
 * tried again at start, when the browser is back online and on 立即上传) and hands back what the server
 * refused ('editing', with its Chinese reason), and announces each step (offline-kinds.ts OfflineEvent).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from './api.ts';
import { useMe } from './auth.ts';
import {
  LEGACY_MEETING_PREFIX,
  OFFLINE_KINDS,
  OFFLINE_PREFIX,
  type OfflineEvents,
  type OfflineListener,
  offlineEvents,
} from './offline-kinds.ts';

export type { OfflineEvent } from './offline-kinds.ts';

/** 'editing': on its form, or refused by the server (`lastError` says why); 'pending': to be sent, waiting for the network. */
export type OfflineState = 'editing' | 'pending';

export interface OfflineItem<P = unknown> {
  kind: string;
  clientId: string;
  userId: string;
  state: OfflineState;
  /** When it was last written (ms since 1970). */
  savedAt: number;
  /** Why the last send stopped (Chinese). */
  lastError?: string;
  payload: P;
}

/** What a sender gets: the item as it now stands, and the means to record progress. */
export interface SendContext<P> {
  readonly item: OfflineItem<P>;
  /** Writes part of the payload (progress: the server's id, a file sent) before the next step. */
  update(patch: Partial<P>): void;
  /** A file kept with the item (`putBlob`), or undefined when the browser lost it. */
  blob(id: string): Promise<Blob | undefined>;
  /** Drops a file that has been sent. */
  dropBlob(id: string): Promise<void>;
  /** A step for the user to read ('正在上传照片 1/3…'). */
  progress(text: string): void;
}

/** Sends one kind of item. Throws what stops it: an ApiError from the server or the network. */
export interface OfflineSender<P = unknown, R = unknown> {
  send(ctx: SendContext<P>): Promise<R>;
}

/** Text storage (localStorage in the browser; a Map in tests). `set` throws when storage is full. */
export interface TextStore {
  keys(): string[];
  get(key: string): string | null;
  set(key: string, value: string): void;
  remove(key: string): void;
}

/** File storage (IndexedDB in the browser; a Map in tests). */
export interface BlobStore {
  put(key: string, blob: Blob): Promise<void>;
  get(key: string): Promise<Blob | undefined>;
  delete(key: string): Promise<void>;
  /** Deletes every file whose key starts with `prefix`. */
  deletePrefix(prefix: string): Promise<void>;
}

/** Items kept under an older key, moved under the service's when it starts. */
export interface LegacyItems {
  prefix: string;
  kind: string;
  /** The old stored object's payload, or null to leave it. */
  payload(old: Record<string, unknown>): unknown;
}

export interface SyncResult {
  sent: { kind: string; clientId: string; result: unknown }[];
  refused: { kind: string; clientId: string; message: string }[];
  /** Still waiting for the network. */
  waiting: number;
}

export const OFFLINE_MESSAGE = '已保存在本机，网络恢复后自动上传';

/** Whether an error means "try again later" (no network, a timeout, the server down) rather than "fix the record". */
export function isRetryable(e: unknown): boolean {
  if (!(e instanceof ApiError)) return !(e instanceof RefusedError);
  return e.status === 0 || e.status === 408 || e.status === 429 || e.status >= 500;
}

/** A sender's own refusal (not from the server) that the user must fix. */
export class RefusedError extends Error {}

export function newClientId(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // Older browsers: RFC 4122 version 4 from getRandomValues.
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export interface OfflineService {
  /** The item, if this device keeps it. */
  get<P>(kind: string, clientId: string): OfflineItem<P> | null;
  /** This user's items (of one kind, or all), newest first. */
  list<P>(kind: string | null, userId: string): OfflineItem<P>[];
  /**
   * Keeps the form's content on the device (state 'editing' unless `state` says otherwise: a photo
   * added to a record waiting for the network keeps it waiting); false when storage is full or disabled.
   */
  keep<P>(kind: string, payload: P, opts: { clientId: string; userId: string; state?: OfflineState }): boolean;
  /**
   * Keeps the record and sends it now: resolves with its sender's answer once the server has all of
   * it (the item is then gone); rejects with what stopped it — the item stays, 'pending' when it only
   * waits for the network (isRetryable), 'editing' with `lastError` when the server refused it.
   */
  queue<P, R = unknown>(
    kind: string,
    payload: P,
    opts: { clientId: string; userId: string; onProgress?: (text: string) => void },
  ): Promise<R>;
  /** Sends a kept item (one send per item at a time: a second call gets the first's promise). */
  send<R = unknown>(kind: string, clientId: string, onProgress?: (text: string) => void): Promise<R>;
  /** Forgets the item and its files. */
  remove(kind: string, clientId: string): Promise<void>;
  putBlob(clientId: string, id: string, blob: Blob): Promise<void>;
  getBlob(clientId: string, id: string): Promise<Blob | undefined>;
  deleteBlob(clientId: string, id: string): Promise<void>;
  /** Sends every item of this user waiting for the network, one after another (one run at a time). */
  sync(userId: string): Promise<SyncResult>;
  on(listener: OfflineListener): () => void;
}

export function createOfflineService(opts: {
  text: TextStore;
  blobs: BlobStore;
  senders: (kind: string) => Promise<OfflineSender> | OfflineSender;
  events?: OfflineEvents;
  legacy?: LegacyItems[];
  now?: () => number;
}): OfflineService {
  const { text, blobs } = opts;
  const events = opts.events ?? offlineEvents;
  const now = opts.now ?? Date.now;
  const keyOf = (kind: string, clientId: string) => `${OFFLINE_PREFIX}${kind}.${clientId}`;
  const blobKey = (clientId: string, id: string) => `${clientId}/${id}`;
  const sending = new Map<string, Promise<unknown>>();
  let syncing: Promise<SyncResult> | null = null;
  let upgraded = false;

  const safe = <T>(run: () => T, fallback: T): T => {
    try {
      return run();
    } catch {
      return fallback;
    }
  };

  /** Moves items kept under an older key (once). */
  const upgrade = () => {
    if (upgraded) return;
    upgraded = true;
    for (const l of opts.legacy ?? [])
      for (const key of safe(() => text.keys(), [] as string[])) {
        if (!key.startsWith(l.prefix)) continue;
        const old = safe(() => JSON.parse(text.get(key) ?? 'null') as Record<string, unknown> | null, null);
        const clientId = key.slice(l.prefix.length);
        const payload = old ? l.payload(old) : null;
        if (!old || payload === null || typeof old.userId !== 'string') continue;
        const item: OfflineItem = {
          kind: l.kind,
          clientId,
          userId: old.userId,
          state: old.state === 'pending' ? 'pending' : 'editing',
          savedAt: typeof old.savedAt === 'number' ? old.savedAt : now(),
          lastError: typeof old.lastError === 'string' ? old.lastError : undefined,
          payload,
        };
        try {
          text.set(keyOf(l.kind, clientId), JSON.stringify(item));
          text.remove(key);
        } catch {
          /* storage full: left where it was, tried again at the next start */
        }
      }
  };

  const read = <P>(kind: string, clientId: string): OfflineItem<P> | null => {
    upgrade();
    return safe(() => {
      const raw = text.get(keyOf(kind, clientId));
      return raw ? (JSON.parse(raw) as OfflineItem<P>) : null;
    }, null);
  };

  const write = (item: OfflineItem<unknown>): boolean => {
    try {
      text.set(keyOf(item.kind, item.clientId), JSON.stringify({ ...item, savedAt: now() }));
    } catch {
      return false;
    }
    events.emit({ type: 'changed', kind: item.kind, clientId: item.clientId });
    return true;
  };

  const list = <P>(kind: string | null, userId: string): OfflineItem<P>[] => {
    upgrade();
    const out: OfflineItem<P>[] = [];
    const prefix = kind ? `${OFFLINE_PREFIX}${kind}.` : OFFLINE_PREFIX;
    for (const key of safe(() => text.keys(), [] as string[])) {
      if (!key.startsWith(prefix)) continue;
      const item = safe(() => JSON.parse(text.get(key) ?? 'null') as OfflineItem<P> | null, null);
      if (item && item.userId === userId && item.kind && item.clientId) out.push(item);
    }
    return out.sort((a, b) => b.savedAt - a.savedAt);
  };

  const remove = async (kind: string, clientId: string) => {
    safe(() => text.remove(keyOf(kind, clientId)), undefined);
    await blobs.deletePrefix(`${clientId}/`).catch(() => undefined);
    events.emit({ type: 'changed', kind, clientId });
  };

  const doSend = async (kind: string, clientId: string, onProgress?: (text: string) => void): Promise<unknown> => {
    let item = read(kind, clientId);
    if (!item) throw new RefusedError('本机没有这条记录');
    item = { ...item, state: 'pending', lastError: undefined };
    write(item);
    try {
      const sender = await opts.senders(kind);
      const ctx: SendContext<unknown> = {
        get item() {
          return item as OfflineItem;
        },
        update(patch) {
          item = {
            ...(item as OfflineItem),
            payload: { ...((item as OfflineItem).payload as object), ...(patch as object) },
          };
          write(item);
        },
        blob: (id) => blobs.get(blobKey(clientId, id)),
        dropBlob: (id) => blobs.delete(blobKey(clientId, id)).catch(() => undefined),
        progress: (t) => onProgress?.(t),
      };
      const result = await sender.send(ctx);
      await remove(kind, clientId);
      events.emit({ type: 'sent', kind, clientId, result });
      return result;
    } catch (e) {
      const waiting = isRetryable(e);
      const message = waiting ? OFFLINE_MESSAGE : e instanceof Error && e.message ? e.message : '保存失败';
      item = { ...(item as OfflineItem), state: waiting ? 'pending' : 'editing', lastError: message };
      write(item);
      events.emit({ type: 'failed', kind, clientId, message, waiting });
      throw e;
    }
  };

  const send = <R>(kind: string, clientId: string, onProgress?: (text: string) => void): Promise<R> => {
    const running = sending.get(clientId);
    if (running) return running as Promise<R>;
    const p = doSend(kind, clientId, onProgress).finally(() => sending.delete(clientId));
    sending.set(clientId, p);
    return p as Promise<R>;
  };

  const runSync = async (userId: string): Promise<SyncResult> => {
    const result: SyncResult = { sent: [], refused: [], waiting: 0 };
    for (const item of list(null, userId)) {
      if (item.state !== 'pending') continue;
      try {
        result.sent.push({ kind: item.kind, clientId: item.clientId, result: await send(item.kind, item.clientId) });
      } catch (e) {
        if (isRetryable(e)) result.waiting++;
        else
          result.refused.push({
            kind: item.kind,
            clientId: item.clientId,
            message: e instanceof Error ? e.message : '保存失败',
          });
      }
    }
    events.emit({
      type: 'synced',
      sent: result.sent.map(({ kind, clientId }) => ({ kind, clientId })),
      refused: result.refused,
    });
    return result;
  };

  return {
    get: read,
    list,
    keep(kind, payload, { clientId, userId, state = 'editing' }) {
      const old = read(kind, clientId);
      return write({ kind, clientId, userId, state, savedAt: now(), lastError: old?.lastError, payload });
    },
    queue(kind, payload, { clientId, userId, onProgress }) {
      const old = read(kind, clientId);
      // A send already under way carries on with what it has; this one joins it.
      if (!sending.has(clientId))
        write({ kind, clientId, userId, state: 'pending', savedAt: now(), lastError: old?.lastError, payload });
      return send(kind, clientId, onProgress);
    },
    send,
    remove,
    putBlob: (clientId, id, blob) => blobs.put(blobKey(clientId, id), blob),
    getBlob: (clientId, id) => blobs.get(blobKey(clientId, id)),
    deleteBlob: (clientId, id) => blobs.delete(blobKey(clientId, id)),
    sync(userId) {
      if (!syncing) syncing = runSync(userId).finally(() => (syncing = null));
      return syncing;
    },
    on: events.on,
  };
}

// ---- the browser's stores ----

const localText: TextStore = {
  keys() {
    const out: string[] = [];
    for (let i = 0; i < localStorage.length; i++) {
      const k = localStorage.key(i);
      if (k) out.push(k);
    }
    return out;
  },
  get: (k) => localStorage.getItem(k),
  set: (k, v) => localStorage.setItem(k, v),
  remove: (k) => localStorage.removeItem(k),
};

const DB_NAME = 'dangjian-offline';
const STORE = 'photos';
let dbPromise: Promise<IDBDatabase> | null = null;
function openDb(): Promise<IDBDatabase> {
  if (!dbPromise) {
    dbPromise = new Promise((resolve, reject) => {
      if (typeof indexedDB === 'undefined') {
        reject(new Error('本浏览器不支持离线保存照片'));
        return;
      }
      const req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = () => {
        if (!req.result.objectStoreNames.contains(STORE)) req.result.createObjectStore(STORE);
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error ?? new Error('无法打开本机存储'));
    });
    dbPromise.catch(() => {
      dbPromise = null;
    });
  }
  return dbPromise;
}
function idb<T>(mode: IDBTransactionMode, run: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  return openDb().then(
    (db) =>
      new Promise<T>((resolve, reject) => {
        const t = db.transaction(STORE, mode);
        const req = run(t.objectStore(STORE));
        t.oncomplete = () => resolve(req.result);
        t.onerror = () => reject(t.error ?? new Error('本机存储写入失败'));
        t.onabort = () => reject(t.error ?? new Error('本机存储空间不足'));
      }),
  );
}
/** Files in IndexedDB ('dangjian-offline', store 'photos', keys `<clientId>/<id>`: the keys meeting photos always had). */
const indexedBlobs: BlobStore = {
  put: (key, blob) => idb('readwrite', (s) => s.put(blob, key)).then(() => undefined),
  get: (key) => idb<Blob | undefined>('readonly', (s) => s.get(key) as IDBRequest<Blob | undefined>),
  delete: (key) => idb('readwrite', (s) => s.delete(key)).then(() => undefined),
  deletePrefix: (prefix) =>
    idb('readwrite', (s) => s.delete(IDBKeyRange.bound(prefix, `${prefix}\uffff`))).then(() => undefined),
};

/** The app's service. */
export const offline: OfflineService = createOfflineService({
  text: localText,
  blobs: indexedBlobs,
  senders: async (kind) => {
    const k = OFFLINE_KINDS[kind];
    if (!k) throw new RefusedError('本机保存的记录类型无法识别');
    return k.sender();
  },
  // Meeting drafts kept before this service: { clientId, userId, editOf, version, meetingId, state, savedAt, lastError, values, photos }.
  legacy: [
    {
      prefix: LEGACY_MEETING_PREFIX,
      kind: 'meeting',
      payload: (old) =>
        old.values && typeof old.values === 'object'
          ? {
              editOf: old.editOf,
              version: old.version,
              meetingId: old.meetingId,
              values: old.values,
              photos: Array.isArray(old.photos) ? old.photos : [],
            }
          : null,
    },
  ],
});

// ---- hooks ----

/** Follows the service's events while mounted (the listener may change between renders). */
export function useOfflineEvents(listener: OfflineListener): void {
  const ref = useRef(listener);
  ref.current = listener;
  useEffect(() => offline.on((e) => ref.current(e)), []);
}

/**
 * The signed-in user's items of one kind, kept current, and the retry (立即上传). On mounting, items
 * waiting for the network are tried once (the shell also tries at start and when back online).
 */
export function useOfflineItems<P>(
  kind: string,
  /** Whose records, when the session check is unanswered (a light page opened offline: lastUserId). */
  forUser?: string | null,
): { items: OfflineItem<P>[]; syncing: boolean; retry: () => void } {
  const meId = useMe().data?.id;
  const userId = meId ?? forUser ?? undefined;
  const [items, setItems] = useState<OfflineItem<P>[]>(() => (userId ? offline.list<P>(kind, userId) : []));
  const [syncing, setSyncing] = useState(false);
  const retry = useCallback(() => {
    if (!userId || !offline.list(kind, userId).some((i) => i.state === 'pending')) return;
    setSyncing(true);
    void offline.sync(userId).finally(() => setSyncing(false));
  }, [kind, userId]);
  useEffect(() => {
    if (!userId) return;
    setItems(offline.list<P>(kind, userId));
    const off = offline.on((e) => {
      if (e.type === 'changed' && e.kind === kind) setItems(offline.list<P>(kind, userId));
    });
    retry();
    return off;
  }, [kind, userId, retry]);
  return { items, syncing, retry };
}
