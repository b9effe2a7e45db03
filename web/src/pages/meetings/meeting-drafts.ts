/**
 * A meeting record kept on the device (app/offline.ts, kind 'meeting') until the server has it all,
 * photos included: what the record form keeps, and how it is sent — the record (POST with the draft's
 * clientId, or the PATCH of an edit), then each photo not yet sent, each step recorded so a break
 * resumes where it stopped.
 */
import type { z } from 'zod';
import type { DECISION_TAGS, MeetingKind, meetingCreate, meetingPatch } from '../../../../contract/meetings.ts';
import { api, upload } from '../../app/api.ts';
import { isRetryable, type OfflineItem, type OfflineSender } from '../../app/offline.ts';
import type { EvidenceView, MeetingView } from './shared.tsx';

export const MEETING_KIND = 'meeting';

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
  /** Sent to the server already (its file is gone from this device). */
  uploaded?: boolean;
  /** The server refused it (kind or size): kept so the user can see why, never sent again. */
  refused?: string;
  /**
   * The original's EXIF capture time (ISO), read before the photo was shrunk on the phone (the small
   * copy has no EXIF): sent beside the file as the `capturedAt` field for the anti-fake checks.
   */
  capturedAt?: string;
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
/** What the service keeps of a meeting record. */
export interface MeetingPayload {
  /** Editing this existing record (PATCH with `version`) instead of creating one. */
  editOf?: string;
  version?: number;
  /** The server's id once the record itself has been received (photos may still be pending). */
  meetingId?: string;
  values: MeetingValues;
  /** Photos: their files are kept with the item under the photo's id (offline.putBlob). */
  photos: PhotoRef[];
}
export type MeetingDraft = OfflineItem<MeetingPayload>;

export interface SendResult {
  meetingId: string;
  /** Photos the server refused, with its reason. */
  refused: { name: string; message: string }[];
}

/** Plain text minutes → HTML paragraphs, escaped (the server also sanitizes). */
export function minutesToHtml(text: string): string {
  const esc = (s: string) =>
    s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
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
  const doc = new DOMParser().parseFromString(
    html.replace(/<\/(p|div|li|h\d)>/gi, '\n').replace(/<br\s*\/?>/gi, '\n'),
    'text/html',
  );
  return (doc.body.textContent ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join('\n');
}

type CreateBody = z.input<typeof meetingCreate>;
type PatchBody = z.input<typeof meetingPatch>;

/**
 * The request body of a draft: the create body (with the draft's clientId) or the patch of an edit.
 * A field the form left empty is left out; what the server refuses comes back with its Chinese reason.
 */
export function draftBody(clientId: string, d: MeetingPayload): CreateBody | PatchBody {
  const v = d.values;
  const t = (s: string | undefined) => (s?.trim() ? s.trim() : undefined);
  const fields = {
    kind: v.kind as MeetingKind | undefined,
    startsAt: v.startsAt ? `${v.startsAt.slice(0, 16)}:00+08:00` : undefined,
    place: t(v.place),
    chairMemberId: v.chairMemberId || undefined,
    chairName: v.chairMemberId ? undefined : t(v.chairName),
    lecturerMemberId: v.kind === 'partyLecture' ? v.lecturerMemberId || undefined : undefined,
    topic: t(v.topic),
    minutesHtml: v.minutes?.trim() ? minutesToHtml(v.minutes) : undefined,
    attendance: Object.entries(v.attendance ?? {}).map(([memberId, a]) => ({
      memberId,
      status: a.status,
      reason: a.status === 'leave' ? t(a.reason) : undefined,
    })),
    decisions: (v.decisions ?? [])
      .filter((x) => x.text.trim())
      .map((x) => ({
        tag: x.tag as (typeof DECISION_TAGS)[number],
        memberId: x.memberId || undefined,
        text: x.text.trim(),
      })),
  } satisfies Partial<PatchBody>;
  const body: Partial<CreateBody> & Partial<PatchBody> = d.editOf
    ? { ...fields, version: d.version }
    : { ...fields, orgId: v.orgId, clientId };
  for (const k of Object.keys(body) as (keyof typeof body)[]) if (body[k] === undefined) delete body[k];
  // Required fields (organization, kind, time) are checked by the form before it sends; the server checks them again.
  return body as CreateBody | PatchBody;
}

/**
 * The `capturedAt` field of a photo's upload: its EXIF time when it had one. A time the server would
 * refuse (later than now: the phone's clock was wrong when it took it) is left out rather than lose the
 * photo; the file then carries no time, as a screenshot does.
 */
export function captureField(capturedAt: string | undefined, now = Date.now()): Record<string, string> {
  if (!capturedAt) return {};
  const ms = Date.parse(capturedAt);
  return Number.isFinite(ms) && ms <= now + 5 * 60_000 ? { capturedAt } : {};
}

const LOST_PHOTO = '本机已找不到这张照片，请重新拍摄';

export const meetingSender: OfflineSender<MeetingPayload, SendResult> = {
  async send(ctx) {
    if (!ctx.item.payload.meetingId) {
      ctx.progress('正在上传会议记录…');
      const d = ctx.item.payload;
      const body = draftBody(ctx.item.clientId, d);
      const rec = d.editOf
        ? await api.patch<MeetingView>(`/api/meetings/${d.editOf}`, body)
        : await api.post<MeetingView>('/api/meetings', body);
      ctx.update({ meetingId: rec.id });
    }
    const meetingId = ctx.item.payload.meetingId as string;
    const refused: SendResult['refused'] = [];
    const mark = (id: string, patch: Partial<PhotoRef>) =>
      ctx.update({ photos: ctx.item.payload.photos.map((x) => (x.id === id ? { ...x, ...patch } : x)) });
    const todo = ctx.item.payload.photos.filter((p) => !p.uploaded && !p.refused);
    let n = 0;
    for (const ph of todo) {
      n++;
      const blob = await ctx.blob(ph.id).catch(() => undefined);
      if (!blob) {
        // The file is gone (storage cleared by the browser): nothing left to send.
        mark(ph.id, { refused: LOST_PHOTO });
        refused.push({ name: ph.name, message: LOST_PHOTO });
        continue;
      }
      const file = new File([blob], ph.name, { type: ph.type || blob.type });
      try {
        await upload<EvidenceView>(
          `/api/meetings/${meetingId}/evidence`,
          {},
          file,
          (pct) => ctx.progress(`正在上传照片 ${n}/${todo.length}（${pct}%）…`),
          [],
          captureField(ph.capturedAt),
        ).promise;
        mark(ph.id, { uploaded: true });
        await ctx.dropBlob(ph.id);
      } catch (e) {
        if (isRetryable(e)) throw e;
        const message = e instanceof Error ? e.message : '上传失败';
        mark(ph.id, { refused: message });
        refused.push({ name: ph.name, message });
      }
    }
    return { meetingId, refused };
  },
};
