/**
 * A record is of a meeting that was held, on its subject (issue 18 §3): the form's own check of what the
 * server refuses (MEETING_NOT_YET_HELD, MEETING_TOPIC_REQUIRED), so the message stands beside the field
 * before anything is sent. The margin and the kinds are the contract's, as the server reads them.
 */
import { shanghaiMinute } from '../../../../../contract/calendar.ts';
import {
  MEETING_KIND_LABELS,
  MEETING_KINDS_NEEDING_TOPIC,
  MEETING_START_MARGIN_MINUTES,
  type MeetingKind,
} from '../../../../../contract/labels.ts';

export type FieldErrors = { startsAt?: string; topic?: string };

/** The latest start the server accepts (MEETING_START_MARGIN_MINUTES after now), as Beijing wall time 'YYYY-MM-DDTHH:mm'. */
export function latestStart(now = Date.now()): string {
  return shanghaiMinute(new Date(now + MEETING_START_MARGIN_MINUTES * 60_000)).replace(' ', 'T');
}

/** `v.startsAt` is Beijing wall time 'YYYY-MM-DDTHH:mm' (the form's value). */
export function heldIssues(v: { kind?: string; startsAt?: string; topic?: string }, now: number): FieldErrors {
  const out: FieldErrors = {};
  if (v.startsAt && v.startsAt.slice(0, 16) > latestStart(now))
    out.startsAt = `会议时间晚于现在：只能记录已经召开的会议（最晚为当前时间后 ${MEETING_START_MARGIN_MINUTES} 分钟）`;
  const kind = v.kind as MeetingKind | undefined;
  if (kind && MEETING_KINDS_NEEDING_TOPIC.has(kind) && !v.topic?.trim())
    out.topic = `请填写主题：${MEETING_KIND_LABELS[kind]}须写明主题`;
  return out;
}
