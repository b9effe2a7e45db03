/**
 * Meeting records kept on this device until the server has them all, photos included: a branch
 * secretary in a village on a weak connection must lose nothing typed or photographed.
 *
 * The text of a record is small and goes to localStorage (written synchronously on every change);
 * photo blobs go to IndexedDB. Both are keyed by the record's clientId (crypto.randomUUID, made at
 * the first keystroke), which is also sent with the record: the server answers a repeated send of
 * the same clientId with the record it already has, so a retry after a lost answer makes no second
 * record. Unlike form drafts (drafts.ts) these are not dropped after a day or at logout: they are
 * records not yet delivered, and they belong to the user who made them.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, api, upload } from './api.ts';

const PREFIX = 'dangjian.meeting.';
const DB_NAME = 'dangjian-offline';
const STORE = 'photos';

export interface AttendanceMark {
  status: 'present' | 'leave' | 'absent';
  reason?: string;
}
export interface DecisionDraft {
  key: string;
  tag: string;
  memberId?: string;
  text: string;
}
export interface PhotoRef {
  id: string;
  name: string;
  type: string;
  size: number;
  /** Sent to the server already (its blob is gone from this device). */
  uploaded?: boolean;
  /** The server refused it (kind or size): kept so the user can see why, never sent again. */
  refused?: string;
}
export interface MeetingValues {
  orgId?: string;
  orgName?: string;
  kind?: string;
  /** Beijing wall-clock time 'YYYY-MM-DDTHH:mm'. */
  startsAt?: string;
  place?: string;
  chairMemberId?: string;
  chairName?: string;
  lecturerMemberId?: string;
  topic?: string;
  minutes?: string;
  attendance?: Record<string, AttendanceMark>;
  decisions?: DecisionDraft[];
}
export interface MeetingDraft {
  clientId: string;
  userId: string;
  /** Editing this existing record (PATCH with `version`) instead of creating one. */
  editOf?: string;
  version?: number;
  /** The server's id once the record itself has been received (photos may still be pending). */
  meetingId?: string;
  /** 'editing': still on the form; 'pending': 保存 was pressed, waiting for the network. */
  state: 'editing' | 'pending';
  savedAt: number;
  lastError?: string;
  values: MeetingValues;
  photos: PhotoRef[];
}

export function newClientId(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // Older browsers: RFC 4122 version 4 from getRandomValues.
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// ---- text: localStorage ----

export function loadMeetingDraft(clientId: string): MeetingDraft | null {
  try {
    const raw = localStorage.getItem(PREFIX + clientId);
    return raw ? (JSON.parse(raw) as MeetingDraft) : null;
  } catch {
    return null;
  }
}

/** Writes the draft; false when storage is full or disabled (the page then warns). */
export function saveMeetingDraft(d: MeetingDraft): boolean {
  try {
    localStorage.setItem(PREFIX + d.clientId, JSON.stringify({ ...d, savedAt: Date.now() }));
    notify();
    return true;
  } catch {
    return false;
  }
}

/** This user's drafts, newest first. */
export function listMeetingDrafts(userId: string): MeetingDraft[] {
  const out: MeetingDraft[] = [];
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const k = localStorage.key(i);
      if (!k?.startsWith(PREFIX)) continue;
      const d = loadMeetingDraft(k.slice(PREFIX.length));
      if (d && d.userId === userId) out.push(d);
    }
  } catch {
    /* storage disabled: nothing kept */
  }
  return out.sort((a, b) => b.savedAt - a.savedAt);
}

/** The draft that edits record `meetingId`, if one was left unfinished. */
export function findEditDraft(userId: string, meetingId: string): MeetingDraft | null {
  return listMeetingDrafts(userId).find((d) => d.editOf === meetingId) ?? null;
}

export async function removeMeetingDraft(clientId: string): Promise<void> {
  const d = loadMeetingDraft(clientId);
  try {
    localStorage.removeItem(PREFIX + clientId);
  } catch {
    /* ignore */
  }
  for (const p of d?.photos ?? []) await deletePhoto(clientId, p.id).catch(() => undefined);
  notify();
}

// ---- change notifications (the list of pending drafts follows them) ----

const listeners = new Set<() => void>();
function notify() {
  for (const l of listeners) l();
}
export function onDraftsChanged(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

// ---- photo blobs: IndexedDB ----

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

function tx<T>(mode: IDBTransactionMode, run: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
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

const photoKey = (clientId: string, photoId: string) => `${clientId}/${photoId}`;

export function putPhoto(clientId: string, photoId: string, blob: Blob): Promise<void> {
  return tx('readwrite', (s) => s.put(blob, photoKey(clientId, photoId))).then(() => undefined);
}
export function getPhoto(clientId: string, photoId: string): Promise<Blob | undefined> {
  return tx<Blob | undefined>('readonly', (s) => s.get(photoKey(clientId, photoId)) as IDBRequest<Blob | undefined>);
}
export function deletePhoto(clientId: string, photoId: string): Promise<void> {
  return tx('readwrite', (s) => s.delete(photoKey(clientId, photoId))).then(() => undefined);
}

// ---- sending ----

/** Plain text minutes → HTML paragraphs, escaped (the server also sanitizes). */
export function minutesToHtml(text: string): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => `<p>${esc(l)}</p>`)
    .join('');
}

/** HTML minutes from the server → plain text, one paragraph a line. */
export function htmlToMinutes(html: string | null): string {
  if (!html) return '';
  const doc = new DOMParser().parseFromString(html.replace(/<\/(p|div|li|h\d)>/gi, '\n').replace(/<br\s*\/?>/gi, '\n'), 'text/html');
  return (doc.body.textContent ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join('\n');
}

/** The request body of a draft (create, or the patch of an edit). */
export function draftBody(d: MeetingDraft): Record<string, unknown> {
  const v = d.values;
  const t = (s: string | undefined) => (s?.trim() ? s.trim() : undefined);
  const body: Record<string, unknown> = {
    kind: v.kind,
    startsAt: v.startsAt ? `${v.startsAt.slice(0, 16)}:00+08:00` : undefined,
    place: t(v.place),
    chairMemberId: v.chairMemberId || undefined,
    chairName: v.chairMemberId ? undefined : t(v.chairName),
    lecturerMemberId: v.kind === 'partyLecture' ? v.lecturerMemberId || undefined : undefined,
    topic: t(v.topic),
    minutesHtml: v.minutes?.trim() ? minutesToHtml(v.minutes) : undefined,
    attendance: Object.entries(v.attendance ?? {}).map(([memberId, a]) => ({ memberId, status: a.status, reason: a.status === 'leave' ? t(a.reason) : undefined })),
    decisions: (v.decisions ?? []).filter((x) => x.text.trim()).map((x) => ({ tag: x.tag, memberId: x.memberId || undefined, text: x.text.trim() })),
  };
  if (d.editOf) body.version = d.version;
  else {
    body.orgId = v.orgId;
    body.clientId = d.clientId;
  }
  for (const k of Object.keys(body)) if (body[k] === undefined) delete body[k];
  return body;
}

export interface SendResult {
  meetingId: string;
  /** Photos the server refused, with its reason. */
  refused: { name: string; message: string }[];
}

export const OFFLINE_MESSAGE = '已保存在本机，网络恢复后自动上传';

/** Whether an error means "try again later" (no network, a timeout, the server down) rather than "fix the record". */
export function isRetryable(e: unknown): boolean {
  if (!(e instanceof ApiError)) return true;
  return e.status === 0 || e.status === 408 || e.status === 429 || e.status >= 500;
}

const sending = new Map<string, Promise<SendResult>>();

/**
 * Sends a draft: the record (POST with clientId, or PATCH of an edit), then each photo not yet sent.
 * Progress is written to the draft after each step, so a break anywhere resumes where it stopped.
 * When everything is on the server the draft and its blobs are removed. Throws the first error
 * that stops it (the draft is kept; `state` says whether it waits for the network).
 */
export function sendMeetingDraft(clientId: string, onProgress?: (text: string) => void): Promise<SendResult> {
  const running = sending.get(clientId);
  if (running) return running;
  const p = doSend(clientId, onProgress).finally(() => sending.delete(clientId));
  sending.set(clientId, p);
  return p;
}

async function doSend(clientId: string, onProgress?: (text: string) => void): Promise<SendResult> {
  let d = loadMeetingDraft(clientId);
  if (!d) throw new Error('本机没有这条记录');
  const save = (patch: Partial<MeetingDraft>) => {
    d = { ...(d as MeetingDraft), ...patch };
    saveMeetingDraft(d);
  };
  save({ state: 'pending', lastError: undefined });
  try {
    if (!d.meetingId) {
      onProgress?.('正在上传会议记录…');
      const body = draftBody(d);
      const rec = d.editOf ? await api.patch<{ id: string; version: number }>(`/api/meetings/${d.editOf}`, body) : await api.post<{ id: string }>('/api/meetings', body);
      save({ meetingId: rec.id });
    }
    const meetingId = d.meetingId as string;
    const refused: SendResult['refused'] = [];
    const todo = d.photos.filter((p) => !p.uploaded && !p.refused);
    let n = 0;
    for (const ph of todo) {
      n++;
      const blob = await getPhoto(clientId, ph.id).catch(() => undefined);
      if (!blob) {
        // The blob is gone (storage cleared by the browser): nothing left to send.
        save({ photos: d.photos.map((x) => (x.id === ph.id ? { ...x, refused: '本机已找不到这张照片，请重新拍摄' } : x)) });
        refused.push({ name: ph.name, message: '本机已找不到这张照片，请重新拍摄' });
        continue;
      }
      const file = new File([blob], ph.name, { type: ph.type || blob.type });
      try {
        await upload(`/api/meetings/${meetingId}/evidence`, {}, file, (pct) => onProgress?.(`正在上传照片 ${n}/${todo.length}（${pct}%）…`)).promise;
        save({ photos: d.photos.map((x) => (x.id === ph.id ? { ...x, uploaded: true } : x)) });
        await deletePhoto(clientId, ph.id).catch(() => undefined);
      } catch (e) {
        if (isRetryable(e)) throw e;
        const message = e instanceof Error ? e.message : '上传失败';
        save({ photos: d.photos.map((x) => (x.id === ph.id ? { ...x, refused: message } : x)) });
        refused.push({ name: ph.name, message });
      }
    }
    await removeMeetingDraft(clientId);
    return { meetingId, refused };
  } catch (e) {
    const retry = isRetryable(e);
    save({ state: retry ? 'pending' : 'editing', lastError: retry ? OFFLINE_MESSAGE : e instanceof Error ? e.message : '保存失败' });
    throw e;
  }
}

/** Sends every draft of this user waiting for the network; returns how many went through. */
export async function syncPendingDrafts(userId: string): Promise<number> {
  let ok = 0;
  for (const d of listMeetingDrafts(userId)) {
    if (d.state !== 'pending') continue;
    try {
      await sendMeetingDraft(d.clientId);
      ok++;
    } catch {
      /* kept; the next `online` event or visit tries again */
    }
  }
  return ok;
}

/**
 * This user's drafts, kept current, and the retry: on opening the page and whenever the browser
 * says it is back online, every draft waiting for the network is sent.
 */
export function useMeetingDrafts(userId: string | undefined, onSent?: (n: number) => void): { drafts: MeetingDraft[]; syncing: boolean; retry: () => void } {
  const [drafts, setDrafts] = useState<MeetingDraft[]>(() => (userId ? listMeetingDrafts(userId) : []));
  const [syncing, setSyncing] = useState(false);
  const sentRef = useRef(onSent);
  sentRef.current = onSent;
  const retry = useCallback(() => {
    if (!userId || !listMeetingDrafts(userId).some((d) => d.state === 'pending')) return;
    setSyncing(true);
    void syncPendingDrafts(userId)
      .then((n) => {
        if (n) sentRef.current?.(n);
      })
      .finally(() => setSyncing(false));
  }, [userId]);
  useEffect(() => {
    if (!userId) return;
    setDrafts(listMeetingDrafts(userId));
    const off = onDraftsChanged(() => setDrafts(listMeetingDrafts(userId)));
    retry();
    window.addEventListener('online', retry);
    return () => {
      off();
      window.removeEventListener('online', retry);
    };
  }, [userId, retry]);
  return { drafts, syncing, retry };
}
