/**
 * What the shell needs of the offline service (app/offline.ts) before loading it: the kinds of record
 * a page may keep on the device until the server has them, whether any waits for the network, and the
 * service's events. Small on purpose: it sits in the phone's first chunk, the service does not.
 *
 * A new kind is registered here: its Chinese name (for the shell's messages) and where its sender is
 * (a module exporting an `OfflineSender`, loaded when something of that kind is sent).
 */
import { useEffect } from 'react';
import { MEETING_KIND_LABELS } from '../../../contract/labels.ts';
import type { OfflineSender } from './offline.ts';

export const OFFLINE_KINDS: Record<
  string,
  { label: string; sender: () => Promise<OfflineSender>; describe?: (payload: unknown) => string }
> = {
  meeting: {
    label: '组织生活记录',
    describe: (payload) => {
      const v = (payload as { values?: { kind?: string; startsAt?: string; topic?: string } } | null)?.values ?? {};
      return [
        v.kind ? (MEETING_KIND_LABELS as Record<string, string>)[v.kind] : '',
        v.startsAt?.replace('T', ' '),
        v.topic,
      ]
        .filter(Boolean)
        .join(' · ');
    },
    sender: () => import('../pages/meetings/meeting-drafts.ts').then((m) => m.meetingSender as OfflineSender),
  },
  checkin: {
    label: '考勤打卡',
    describe: (payload) => {
      const at = (payload as { madeAt?: string } | null)?.madeAt;
      return at
        ? `${new Date(at).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false })} 的打卡`
        : '考勤打卡';
    },
    sender: () => import('../pages/firstsec/checkin-drafts.ts').then((m) => m.checkinSender as OfflineSender),
  },
  fsReport: {
    label: '工作日志（定期汇报）',
    describe: (payload) => {
      const p = (payload as { kind?: string; period?: string } | null) ?? {};
      return [p.period, p.kind === 'quarterly' ? '季度工作报告' : p.kind === 'yearly' ? '年度工作总结' : '工作日志']
        .filter(Boolean)
        .join(' ');
    },
    sender: () => import('../pages/firstsec/report-drafts.ts').then((m) => m.reportSender as OfflineSender),
  },
};

/** localStorage keys: `dangjian.offline.<kind>.<clientId>`. */
export const OFFLINE_PREFIX = 'dangjian.offline.';
/** Where meeting drafts were kept before the service (moved under OFFLINE_PREFIX when it loads). */
export const LEGACY_MEETING_PREFIX = 'dangjian.meeting.';

/** Whether this browser holds a record waiting for the network (read without loading the service). */
export function hasPendingOffline(): boolean {
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i) ?? '';
      if (
        (key.startsWith(OFFLINE_PREFIX) || key.startsWith(LEGACY_MEETING_PREFIX)) &&
        localStorage.getItem(key)?.includes('"state":"pending"')
      )
        return true;
    }
  } catch {
    /* storage disabled */
  }
  return false;
}

/** What the service announces. Messages are Chinese, for the user. */
export type OfflineEvent =
  /** A record was kept, changed or removed (lists follow it). */
  | { type: 'changed'; kind: string; clientId: string }
  /** The server has all of a record; `result` is what its sender answered. */
  | { type: 'sent'; kind: string; clientId: string; result: unknown }
  /** A send stopped: `waiting` (no network, the server busy) keeps it for the next try; otherwise the server refused it and it is back with the user, `message` saying why. */
  | { type: 'failed'; kind: string; clientId: string; message: string; waiting: boolean }
  /** A run over every waiting record (at start, back online, 立即上传) ended. */
  | {
      type: 'synced';
      sent: { kind: string; clientId: string }[];
      refused: { kind: string; clientId: string; message: string }[];
    };

export type OfflineListener = (e: OfflineEvent) => void;

export interface OfflineEvents {
  on(listener: OfflineListener): () => void;
  emit(e: OfflineEvent): void;
}

export function createOfflineEvents(): OfflineEvents {
  const listeners = new Set<OfflineListener>();
  return {
    on(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    emit(e) {
      for (const l of [...listeners]) {
        try {
          l(e);
        } catch (err) {
          console.error(err);
        }
      }
    },
  };
}

/** The events of the app's service (app/offline.ts `offline`). */
export const offlineEvents = createOfflineEvents();

/** '已上传本机保存的 2 条组织生活记录' for a run's sent records, by kind. */
export function sentText(sent: { kind: string }[]): string {
  const byKind = new Map<string, number>();
  for (const s of sent) byKind.set(s.kind, (byKind.get(s.kind) ?? 0) + 1);
  return `已上传本机保存的 ${[...byKind].map(([k, n]) => `${n} 条${OFFLINE_KINDS[k]?.label ?? '记录'}`).join('、')}`;
}

/** What a run over the waiting records tells the user: what went, and each refusal (to open and fix). */
export function syncedTexts(e: Extract<OfflineEvent, { type: 'synced' }>): { ok: string | null; refused: string[] } {
  return {
    ok: e.sent.length ? sentText(e.sent) : null,
    refused: e.refused.map(
      (r) => `本机保存的${OFFLINE_KINDS[r.kind]?.label ?? '记录'}未被接收：${r.message}。请打开修改后重新保存`,
    ),
  };
}

/**
 * Records kept on this device while offline (app/offline.ts) go up from any page of the signed-in user,
 * once at start and whenever the browser is back online; the service loads only when something waits.
 * `onSynced` hears every run, whoever started it (this, a page, 立即上传). Used by the shell and by the
 * light pages' frame.
 */
export function useAutoSync(
  userId: string | undefined,
  onSynced: (e: Extract<OfflineEvent, { type: 'synced' }>) => void,
): void {
  useEffect(() => {
    if (!userId) return;
    const sync = () => {
      if (hasPendingOffline()) void import('./offline.ts').then((m) => m.offline.sync(userId));
    };
    const off = offlineEvents.on((e) => {
      if (e.type === 'synced') onSynced(e);
    });
    sync();
    window.addEventListener('online', sync);
    return () => {
      off();
      window.removeEventListener('online', sync);
    };
  }, [userId, onSynced]);
}
