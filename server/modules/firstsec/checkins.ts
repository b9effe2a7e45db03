/**
 * Check-ins (考勤打卡, issue 20): made by the first secretary's own account on the phone, measured
 * against the posted organization's office, marked — never refused — when far, without a photo, without
 * a position or with a poor one, or sent late from the phone's offline queue (the day is the day it was
 * made; the server keeps when it arrived). The position is sealed (a person's whereabouts): only the
 * distance and the marks are kept in clear. A resend of the same check-in (`clientId`) answers the first.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { shanghaiDate } from '../../../contract/calendar.ts';
import type { CheckinFlag } from '../../../contract/labels.ts';
import type { checkinFields, checkinListQuery, checkinView } from '../../../contract/firstsec.ts';
import type { Tx } from '../../db/index.ts';
import { inCounty, inSubtree, orgInScopeSql, requireOrgAccess } from '../../platform/access.ts';
import { type Actor, writeAudit } from '../../platform/audit.ts';
import type { Deps, SessionUser } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { sealCtx } from '../../platform/sealed.ts';
import { getSetting } from '../../platform/settings.ts';
import type { PreparedEvidence } from '../meetings/api.ts';
import { announce, ownOnly, ownRow } from './service.ts';

type View = z.infer<typeof checkinView>;

/** A phone's clock may run ahead of the server's by this much before a check-in counts as from the future. */
const CLOCK_SKEW_MS = 5 * 60_000;
/** Arriving later than this after it was made marks a check-in as sent late (offline). */
const LATE_MS = 10 * 60_000;
/** A position less precise than this (metres) is marked. */
const POOR_ACCURACY_M = 500;

/** Metres between two WGS-84 points (haversine). */
export function distanceMeters(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return Math.round(2 * 6_371_008.8 * Math.asin(Math.min(1, Math.sqrt(h))));
}

const C_SELECT = sql`select c.id, c.fs_id, f.name, o.name as org_name, c.made_at, c.received_at, to_char(c.day, 'YYYY-MM-DD') as day,
    c.distance_m, c.accuracy_m, c.flags, c.blob_key is not null as has_photo, c.note, c.check_id
  from fs_checkins c join first_secretaries f on f.county_code = c.county_code and f.id = c.fs_id
  join orgs o on o.county_code = c.county_code and o.id = c.org_id`;

type CRow = {
  id: string;
  fs_id: string;
  name: string;
  org_name: string;
  made_at: Date;
  received_at: Date;
  day: string;
  distance_m: number | null;
  accuracy_m: number | null;
  flags: CheckinFlag[];
  has_photo: boolean;
  note: string | null;
  check_id: string | null;
};

const toView = (r: CRow): View => ({
  id: r.id,
  fsId: r.fs_id,
  name: r.name,
  orgName: r.org_name,
  distanceM: r.distance_m == null ? null : Number(r.distance_m),
  flags: r.flags ?? [],
  madeAt: new Date(r.made_at).toISOString(),
  receivedAt: new Date(r.received_at).toISOString(),
  day: r.day,
  accuracyM: r.accuracy_m == null ? null : Number(r.accuracy_m),
  hasPhoto: !!r.has_photo,
  note: r.note,
  checkId: r.check_id,
});

/** Check-ins matching `cond` (alias c, with f and o joined), newest first. */
async function checkinViews(tx: Tx, cond: SQL, limit: number, offset: number): Promise<View[]> {
  const r = await tx.execute<CRow>(
    sql`${C_SELECT} where ${cond} order by c.made_at desc, c.id limit ${limit} offset ${offset}`,
  );
  return r.rows.map(toView);
}

/** A person's latest check-ins (their own page). */
export async function recentCheckins(tx: Tx, county: string, fsId: string, n: number): Promise<View[]> {
  return checkinViews(tx, sql`c.county_code = ${county} and c.fs_id = ${fsId}`, n, 0);
}

export async function getCheckin(tx: Tx, user: SessionUser, id: string): Promise<View> {
  const r = await checkinViews(
    tx,
    sql`${inCounty(user, 'c')} and c.id = ${id} and ${orgInScopeSql(user)} and ${ownOnly(user)}`,
    1,
    0,
  );
  if (!r[0]) throw new AppError('NOT_FOUND');
  return r[0];
}

/**
 * Record a check-in of the signed-in first secretary. `photo` is the prepared on-the-spot photo, or null
 * (marked noPhoto). Returns the check-in's id and whether it was a resend of one already recorded.
 */
export async function recordCheckin(
  tx: Tx,
  deps: Deps,
  user: SessionUser,
  actor: Actor,
  f: z.infer<typeof checkinFields>,
  photo: PreparedEvidence | null,
): Promise<{ id: string; replayed: boolean }> {
  const me = await ownRow(tx, user, true);
  const county = me.county_code;
  if (f.clientId) {
    const seen = await tx.execute<{ id: string }>(
      sql`select c.id from fs_checkins c where c.county_code = ${county} and c.client_id = ${f.clientId} and c.fs_id = ${me.id}`,
    );
    if (seen.rows[0]) return { id: seen.rows[0].id, replayed: true };
  }
  const now = deps.now();
  const made = f.madeAt ? new Date(f.madeAt) : now;
  if (made.getTime() > now.getTime() + CLOCK_SKEW_MS) throw new AppError('FS_CHECKIN_FUTURE');
  const offlineDays = Number(await getSetting(tx, county, 'firstsec.offlineDays'));
  if (now.getTime() - made.getTime() > offlineDays * 86_400_000)
    throw new AppError('FS_CHECKIN_TOO_OLD', `离线打卡超过 ${offlineDays} 天，不能再补传`);
  const day = shanghaiDate(made);
  const office = await tx.execute<{ lat: number | null; lng: number | null }>(
    sql`select o.lat, o.lng from orgs o where o.county_code = ${county} and o.id = ${me.org_id}`,
  );
  const o = office.rows[0];
  const flags: CheckinFlag[] = [];
  const here = f.lat !== undefined && f.lng !== undefined ? { lat: f.lat, lng: f.lng } : null;
  let distance: number | null = null;
  if (!here) flags.push('noLocation');
  else if (o?.lat == null || o?.lng == null) flags.push('noOfficeLocation');
  else {
    distance = distanceMeters(here, { lat: Number(o.lat), lng: Number(o.lng) });
    if (distance > Number(await getSetting(tx, county, 'firstsec.farMeters'))) flags.push('far');
  }
  if (here && f.accuracy !== undefined && f.accuracy > POOR_ACCURACY_M) flags.push('lowAccuracy');
  if (!photo) flags.push('noPhoto');
  if (now.getTime() - made.getTime() > LATE_MS) flags.push('late');
  // The unannounced check it answers: this person's, still open when the check-in was made.
  if (f.checkId) {
    const check = await tx.execute<{ id: string }>(sql`select s.id from fs_spot_checks s where s.county_code = ${county}
      and s.id = ${f.checkId} and s.fs_id = ${me.id} and s.answered_by is null and s.asked_at <= ${now.toISOString()}::timestamptz
      for update`);
    if (!check.rows[0]) throw new AppError('FS_CHECK_CLOSED');
  }
  const id = crypto.randomUUID();
  await tx.execute(sql`insert into fs_checkins (id, county_code, fs_id, org_id, day, made_at, received_at, position_enc, accuracy_m, distance_m,
      flags, note, client_id, check_id, blob_key, sm3, source_sm3, size, mime, width, height, captured_at, thumb_key, thumb_sm3, created_by)
    values (${id}, ${county}, ${me.id}, ${me.org_id}, ${day}, ${made.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz,
      ${here ? deps.crypto.encrypt(`${here.lat},${here.lng}`, sealCtx('fsCheckins.position', id)) : null},
      ${f.accuracy === undefined ? null : Math.round(f.accuracy)}, ${distance}, ${JSON.stringify(flags)}::jsonb, ${f.note ?? null},
      ${f.clientId ?? null}, ${f.checkId ?? null}, ${photo?.key ?? null}, ${photo?.sm3 ?? null}, ${photo?.sourceSm3 ?? null},
      ${photo?.size ?? null}, ${photo?.mime ?? null}, ${photo?.width ?? null}, ${photo?.height ?? null},
      ${photo?.capturedAt ? photo.capturedAt.toISOString() : null}, ${photo?.thumbKey ?? null}, ${photo?.thumbSm3 ?? null}, ${user.id})`);
  if (f.checkId)
    await tx.execute(sql`update fs_spot_checks set answered_by = ${id}, answered_at = ${made.toISOString()}::timestamptz
      where county_code = ${county} and id = ${f.checkId}`);
  // Where the person was is not written to the audit trail: the distance and the marks are.
  await writeAudit(tx, deps.crypto, actor, [
    {
      action: 'fs.checkin',
      objectType: 'fsCheckin',
      objectId: id,
      detail: { fsId: me.id, orgId: me.org_id, day, distanceM: distance, flags, checkId: f.checkId ?? null },
    },
  ]);
  await announce(tx, deps, county, [me.org_id], [day], ['checkins'], user.id);
  return { id, replayed: false };
}

export async function listCheckins(
  tx: Tx,
  user: SessionUser,
  q: z.infer<typeof checkinListQuery>,
): Promise<{ items: View[]; total: number; page: number; pageSize: number }> {
  const under = await requireOrgAccess(tx, user, q.orgId ?? user.orgId);
  const conds: SQL[] = [inCounty(user, 'c'), inSubtree(under), ownOnly(user)];
  if (q.fsId) conds.push(sql`c.fs_id = ${q.fsId}`);
  if (q.from) conds.push(sql`c.day >= ${q.from}::date`);
  if (q.to) conds.push(sql`c.day <= ${q.to}::date`);
  if (q.flagged === 'true') conds.push(sql`c.flags ?| array['far', 'noPhoto', 'noLocation', 'lowAccuracy', 'late']`);
  const where = sql.join(conds, sql` and `);
  const total = await tx.execute<{ n: number }>(sql`select count(*)::int as n from fs_checkins c
    join first_secretaries f on f.county_code = c.county_code and f.id = c.fs_id
    join orgs o on o.county_code = c.county_code and o.id = c.org_id where ${where}`);
  return {
    items: await checkinViews(tx, where, q.pageSize, (q.page - 1) * q.pageSize),
    total: Number(total.rows[0].n),
    page: q.page,
    pageSize: q.pageSize,
  };
}

export type CheckinPhoto = {
  id: string;
  fs_id: string;
  org_id: string;
  blob_key: string;
  sm3: string;
  size: number;
  mime: string;
  thumb_key: string | null;
  thumb_sm3: string | null;
};

/** A check-in's photo record in the user's scope, or NOT_FOUND. */
export async function checkinPhoto(tx: Tx, user: SessionUser, id: string): Promise<CheckinPhoto> {
  const r =
    await tx.execute<CheckinPhoto>(sql`select c.id, c.fs_id, c.org_id, c.blob_key, c.sm3, c.size, c.mime, c.thumb_key, c.thumb_sm3
    from fs_checkins c join orgs o on o.county_code = c.county_code and o.id = c.org_id
    join first_secretaries f on f.county_code = c.county_code and f.id = c.fs_id
    where ${inCounty(user, 'c')} and c.id = ${id} and c.blob_key is not null and ${orgInScopeSql(user)} and ${ownOnly(user)}`);
  if (!r.rows[0]) throw new AppError('NOT_FOUND', '该打卡没有现场照片，或不在您的管辖范围内');
  return r.rows[0];
}
