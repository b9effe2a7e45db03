/**
 * What a link may fill in on a new meeting record (`/meetings/new?orgId=&kind=&date=`): the landing
 * page's 去记录 opens the form with the kind and a day of the period that is due. Nothing after now:
 * a record is of a meeting that was held, so a date in the future falls back to now.
 */
import { MEETING_KINDS, type MeetingKind } from '../../../../contract/labels.ts';

export interface RecordPrefill {
  orgId?: string;
  kind?: MeetingKind;
  /** Wall time in Beijing, 'YYYY-MM-DDTHH:MM'. */
  startsAt: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `now` is Beijing wall time ('YYYY-MM-DDTHH:MM'); a past `date` keeps now's time of day, capped at 20:00. */
export function recordPrefill(search: URLSearchParams, now: string): RecordPrefill {
  const out: RecordPrefill = { startsAt: now };
  const orgId = search.get('orgId');
  if (orgId && UUID.test(orgId)) out.orgId = orgId;
  const kind = search.get('kind');
  if (kind && (MEETING_KINDS as readonly string[]).includes(kind)) out.kind = kind as MeetingKind;
  const date = search.get('date');
  const today = now.slice(0, 10);
  if (date && /^\d{4}-\d{2}-\d{2}$/.test(date) && !Number.isNaN(Date.parse(date)) && date < today) {
    const time = now.slice(11, 16);
    out.startsAt = `${date}T${time > '20:00' ? '20:00' : time}`;
  }
  return out;
}

/** The form's address for a record of `kind` held on `date` (today when the period is running). */
export function recordLink(orgId: string, kind: string, date?: string): string {
  const q = new URLSearchParams({ orgId, kind });
  if (date) q.set('date', date);
  return `/meetings/new?${q.toString()}`;
}
