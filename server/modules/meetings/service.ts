/**
 * Organizational life: meetings with attendance and decisions (LIFE-1…LIFE-10). SQL taking the
 * caller's executor; every statement carries the county; what the user targets is loaded through the
 * scope helpers (404 outside). Democratic appraisal (LIFE-8) is in appraisal.ts, the heart-talk matrix
 * (LIFE-7) in talks.ts, evidence files in evidence.ts, the yearly ledger in ledger.ts.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type {
  MeetingCreate,
  MeetingKind,
  MeetingPatch,
  meetingListQuery,
  MeetingView,
} from '../../../contract/meetings.ts';
import {
  MEETING_KIND_LABELS,
  MEETING_KINDS_NEEDING_TOPIC,
  MEETING_START_MARGIN_MINUTES,
} from '../../../contract/labels.ts';
import type { Tx } from '../../db/index.ts';
import {
  childOf,
  inCounty,
  inSubtree,
  joinOrg,
  orgInScopeSql,
  requireOrgAccess,
  type ScopedOrg,
} from '../../platform/access.ts';
import { type Actor, writeAudit } from '../../platform/audit.ts';
import type { Deps, SessionUser } from '../../platform/deps.ts';
import { AppError, type FieldIssue, fieldError } from '../../platform/errors.ts';
import { getSetting } from '../../platform/settings.ts';
import { emit } from '../../platform/events.ts';
import { loadRuleSettings } from '../problems/api.ts';
import { evidenceOfMeeting } from './evidence.ts';
import {
  COMMITTEE_ON_THE_DAY,
  committeeQuorate,
  committeeShortfall,
  VOTERS_ON_THE_DAY,
  votersQuorate,
} from './checks.ts';
import { sanitizeMinutes } from './minutes.ts';
import { recordWarnings } from './quorum.ts';
import { chairWarning, kindFitsOrg, SUBTREE_MEMBER_ORG_KINDS, shanghaiDate, type Warning } from './rules.ts';

export type U = Pick<SessionUser, 'id' | 'scopePath' | 'countyCode'>;

/** Members who may appear in an organization's records: its own and its Party groups'; a committee's whole subtree. */
function memberOfOrgSql(org: ScopedOrg, a = 'mo'): SQL {
  const al = sql.raw(a);
  if (SUBTREE_MEMBER_ORG_KINDS.has(org.kind)) return inSubtree(org, a);
  return sql`(${al}.id = ${org.id} or (${al}.parent_id = ${org.id} and ${al}.kind = 'partyGroup'))`;
}

/** The members of the list that belong to the organization (see memberOfOrgSql). */
async function membersInOrg(tx: Tx, org: ScopedOrg, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const r = await tx.execute<{ id: string }>(sql`
    select m.id from members m ${joinOrg('m', 'mo')}
    where ${inCounty(org.countyCode, 'm')} and m.id = any(${sql.param(ids)}::uuid[]) and ${memberOfOrgSql(org)}`);
  return new Set(r.rows.map((x) => x.id));
}

/** Of `ids`, the members the writer may read: their organization is in the writer's subtree (SEC-4, SEC-8). */
async function membersInScope(tx: Tx, user: U, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const r = await tx.execute<{ id: string }>(
    sql`select m.id from members m ${joinOrg('m', 'o')} where ${inCounty(user, 'm')} and m.id = any(${sql.param(ids)}::uuid[]) and ${orgInScopeSql(user)}`,
  );
  return new Set(r.rows.map((x) => x.id));
}

/** Shown instead of the name of a member on a record who has since left the reader's subtree (SEC-4). */
const OUTSIDE_NAME = '（已转出本管辖范围的党员）';

/** The record's people fields chosen by member id, with their Chinese names. */
const PEOPLE_FIELDS = { chairMemberId: '主持人', recorderMemberId: '记录人', lecturerMemberId: '主讲人' } as const;

type Body = Omit<MeetingCreate, 'orgId' | 'clientId'>;

interface Checked {
  heldOn: string;
  minutesHtml: string | null;
}

/** Everything a write checks before it writes: kind for the organization, members, times (what the rules find is worked out after it writes, recordFacts). */
async function checkBody(
  tx: Tx,
  user: U,
  org: ScopedOrg,
  b: Body,
  now: Date,
  recorded: ReadonlySet<string> = new Set(),
): Promise<Checked> {
  if (!kindFitsOrg(b.kind, org.kind)) throw new AppError('MEETING_KIND_NOT_FOR_ORG');
  const held = heldWarning(b, now);
  if (held) throw new AppError(held.code, held.message, { fields: [{ field: held.field, message: held.message }] });
  const issues: FieldIssue[] = [];
  if (b.endsAt && Date.parse(b.endsAt) < Date.parse(b.startsAt))
    issues.push({ field: 'endsAt', message: '结束时间：不能早于开始时间' });
  const seen = new Set<string>();
  for (const [i, a] of b.attendance.entries()) {
    if (seen.has(a.memberId)) issues.push({ field: `attendance.${i}.memberId`, message: '考勤：同一党员出现了两次' });
    seen.add(a.memberId);
  }
  if (b.kind === 'heartTalk' && b.counterpartMemberId && b.counterpartMemberId === b.chairMemberId)
    issues.push({ field: 'counterpartMemberId', message: '谈话对象：不能与谈话人相同' });
  if (issues.length) throw fieldError(issues);
  // People already on the record stay acceptable after they transfer elsewhere (an old record can still be corrected).
  const inOrg = [
    ...b.attendance.map((a) => a.memberId),
    ...(b.decisions ?? []).flatMap((d) => (d.memberId ? [d.memberId] : [])),
    ...(b.counterpartMemberId ? [b.counterpartMemberId] : []),
  ].filter((id) => !recorded.has(id));
  const found = await membersInOrg(tx, org, [...new Set(inOrg)]);
  if (inOrg.some((id) => !found.has(id))) throw new AppError('MEETING_MEMBER_OUTSIDE');
  // Chair, recorder and lecturer may come from elsewhere in the writer's subtree (a township leader lecturing a branch). Someone
  // beyond it is written by name: an id the writer cannot read would hand its name back in the answer (SEC-4).
  const people = (Object.keys(PEOPLE_FIELDS) as (keyof typeof PEOPLE_FIELDS)[]).filter(
    (f) => b[f] && !recorded.has(String(b[f])),
  );
  const known = await membersInScope(tx, user, [...new Set(people.map((f) => String(b[f])))]);
  const outside = people.filter((f) => !known.has(String(b[f])));
  if (outside.length) {
    const fields = outside.map((f) => ({
      field: f,
      message: `${PEOPLE_FIELDS[f]}：不是您管理范围内的党员，请直接填写姓名`,
    }));
    throw new AppError('MEETING_PERSON_OUTSIDE', undefined, { fields });
  }
  const heldOn = shanghaiDate(b.startsAt);
  return { heldOn, minutesHtml: b.minutesHtml ? sanitizeMinutes(b.minutesHtml) : null };
}

/**
 * A record is of a meeting that was held, on its subject (issue 18 §3): a start more than
 * MEETING_START_MARGIN_MINUTES after now, or a kind that needs a topic without one, is refused with its
 * own code and the field it concerns (the form shows the message beside it). An edit is checked as the
 * record will stand, so an older record of such a kind without a topic is completed when it is edited.
 */
function heldWarning(
  b: Pick<Body, 'kind' | 'startsAt' | 'topic'>,
  now: Date,
): { code: 'MEETING_NOT_YET_HELD' | 'MEETING_TOPIC_REQUIRED'; field: string; message: string } | null {
  if (Date.parse(b.startsAt) > now.getTime() + MEETING_START_MARGIN_MINUTES * 60_000)
    return {
      code: 'MEETING_NOT_YET_HELD',
      field: 'startsAt',
      message: `会议时间：晚于当前时间 ${MEETING_START_MARGIN_MINUTES} 分钟以上，只能记录已经召开的会议`,
    };
  if (MEETING_KINDS_NEEDING_TOPIC.has(b.kind) && !b.topic?.trim())
    return {
      code: 'MEETING_TOPIC_REQUIRED',
      field: 'topic',
      message: `主题：${MEETING_KIND_LABELS[b.kind]}须填写主题`,
    };
  return null;
}

/**
 * What the rules find on a record, worked out as the engine works it out (checks.ts): the committee on
 * the meeting's date and how many of it were present (LIFE-2), the members with a vote and how many of
 * them were present (LIFE-1), the decisions it records, under the county's readings in force then.
 */
async function recordFacts(tx: Tx, county: string, id: string) {
  const settings = await loadRuleSettings(tx, county);
  const r = await tx.execute<{
    size: number;
    present: number;
    committee_ok: boolean;
    committee_note: string;
    base: number;
    voters_present: number;
    voters_ok: boolean;
    tags: string[] | null;
    themed_day: number | null;
    day: number;
    month_days: number;
  }>(sql`
    select q.size, q.present, mo.themed_day, extract(day from mt.held_on)::int as day, extract(day from (date_trunc('month', mt.held_on) + interval '1 month - 1 day'))::int as month_days, ${committeeQuorate(settings)} as committee_ok, ${committeeShortfall(settings)} as committee_note, v.base, v.present as voters_present, ${votersQuorate(settings)} as voters_ok,
      (select array_agg(distinct d.tag) from meeting_decisions d where ${childOf('mt', 'd', 'meeting_id')}) as tags
    from meetings mt join orgs mo on mo.county_code = mt.county_code and mo.id = mt.org_id ${COMMITTEE_ON_THE_DAY} ${VOTERS_ON_THE_DAY}
    where mt.county_code = ${county} and mt.id = ${id}`);
  return r.rows[0];
}

/** Keep on the record what its committee was when it was saved (committee_size, committee_present, valid: the list's flag); the engine works it out again at every check. */
async function recordCommittee(tx: Tx, county: string, id: string): Promise<boolean> {
  const f = await recordFacts(tx, county, id);
  await tx.execute(sql`update meetings set committee_size = case when kind = 'committeeMeeting' then ${f.size}::smallint end,
    committee_present = case when kind = 'committeeMeeting' then ${f.present}::smallint end, valid = (kind <> 'committeeMeeting' or ${f.committee_ok}::boolean)
    where county_code = ${county} and id = ${id}`);
  return f.committee_ok;
}

async function writeChildren(
  tx: Tx,
  county: string,
  meetingId: string,
  heldOn: string,
  b: Pick<Body, 'attendance' | 'decisions'>,
  replace: { attendance: boolean; decisions: boolean },
) {
  const meeting = { countyCode: county, id: meetingId };
  if (replace.attendance) {
    await tx.execute(sql`delete from meeting_attendance a where ${childOf(meeting, 'a', 'meeting_id')}`);
    if (b.attendance.length) {
      await tx.execute(sql`insert into meeting_attendance (county_code, meeting_id, member_id, status, reason, held_on)
        select ${county}, ${meetingId}, x.member_id, x.status, x.reason, ${heldOn}::date
        from unnest(${sql.param(b.attendance.map((a) => a.memberId))}::uuid[], ${sql.param(b.attendance.map((a) => a.status))}::text[], ${sql.param(b.attendance.map((a) => a.reason ?? null))}::text[]) as x(member_id, status, reason)`);
    }
  } else {
    await tx.execute(
      sql`update meeting_attendance a set held_on = ${heldOn} where ${childOf(meeting, 'a', 'meeting_id')} and a.held_on <> ${heldOn}`,
    );
  }
  if (replace.decisions) {
    await tx.execute(sql`delete from meeting_decisions d where ${childOf(meeting, 'd', 'meeting_id')}`);
    const ds = b.decisions ?? [];
    if (ds.length) {
      await tx.execute(sql`insert into meeting_decisions (county_code, meeting_id, tag, member_id, text, sort_order)
        select ${county}, ${meetingId}, x.tag, x.member_id, x.text, x.ord::smallint
        from unnest(${sql.param(ds.map((d) => d.tag))}::text[], ${sql.param(ds.map((d) => d.memberId ?? null))}::uuid[], ${sql.param(ds.map((d) => d.text))}::text[]) with ordinality as x(tag, member_id, text, ord)`);
    }
  }
}

function memberIdsOf(b: Pick<Body, 'attendance' | 'decisions'>): string[] {
  return [
    ...new Set([
      ...b.attendance.map((a) => a.memberId),
      ...(b.decisions ?? []).flatMap((d) => (d.memberId ? [d.memberId] : [])),
    ]),
  ];
}

/**
 * Record a meeting. A repeated `clientId` (a phone sending its offline draft again) returns the record
 * made the first time, `created: false`, and writes nothing.
 */
export async function createMeeting(
  tx: Tx,
  deps: Deps,
  user: U,
  actor: Actor,
  body: MeetingCreate,
): Promise<{ id: string; created: boolean }> {
  if (body.clientId) {
    const prior = await existingByClientId(tx, user, body.clientId);
    if (prior) return { id: prior, created: false };
  }
  const org = await requireOrgAccess(tx, user, body.orgId);
  const c = await checkBody(tx, user, org, body, deps.now());
  const ins = await tx.execute<{ id: string }>(sql`
    insert into meetings (county_code, org_id, kind, starts_at, ends_at, held_on, place, chair_member_id, chair_name, chair_delegation, recorder_member_id, recorder_name,
      lecturer_member_id, lecturer_name, topic, agenda, minutes_html, counterpart_member_id, rectification, guests, client_id, created_by)
    values (${org.countyCode}, ${org.id}, ${body.kind}, ${body.startsAt}, ${body.endsAt ?? null}, ${c.heldOn}, ${body.place ?? null}, ${body.chairMemberId ?? null}, ${body.chairName ?? null},
      ${body.chairDelegation || null}, ${body.recorderMemberId ?? null}, ${body.recorderName ?? null}, ${body.lecturerMemberId ?? null}, ${body.lecturerName ?? null}, ${body.topic ?? null},
      ${body.agenda ?? null}, ${c.minutesHtml}, ${body.counterpartMemberId ?? null}, ${body.rectification ?? null}, ${JSON.stringify(body.guests ?? [])}::jsonb,
      ${body.clientId ?? null}, ${user.id})
    on conflict (county_code, client_id) do nothing
    returning id`);
  const id = ins.rows[0]?.id;
  if (!id) {
    // The same draft arrived twice at once: the other request made it.
    const prior = body.clientId ? await existingByClientId(tx, user, body.clientId) : null;
    if (!prior) throw new AppError('CONFLICT');
    return { id: prior, created: false };
  }
  await writeChildren(tx, org.countyCode, id, c.heldOn, body, { attendance: true, decisions: true });
  const valid = body.kind !== 'committeeMeeting' || (await recordCommittee(tx, org.countyCode, id));
  await writeAudit(tx, deps.crypto, actor, [
    {
      action: 'meeting.create',
      objectType: 'meeting',
      objectId: id,
      detail: {
        orgId: org.id,
        objectName: org.name,
        kind: body.kind,
        heldOn: c.heldOn,
        attendance: body.attendance.length,
        valid,
      },
    },
  ]);
  await emit(tx, deps, 'meetings.lifeChanged', {
    countyCode: org.countyCode,
    orgId: org.id,
    dates: [c.heldOn],
    memberIds: memberIdsOf(body),
    userId: user.id,
    kinds: [body.kind],
  });
  return { id, created: true };
}

/** The record a draft made before, if the user may see it (a clash with an unseen record is a 404). */
async function existingByClientId(tx: Tx, user: U, clientId: string): Promise<string | null> {
  const r = await tx.execute<{ id: string; in_scope: boolean }>(sql`
    select mt.id, ${orgInScopeSql(user)} as in_scope from meetings mt ${joinOrg('mt')}
    where ${inCounty(user, 'mt')} and mt.client_id = ${clientId}`);
  const row = r.rows[0];
  if (!row) return null;
  if (!row.in_scope) throw new AppError('NOT_FOUND');
  return row.id;
}

interface MeetingRow {
  id: string;
  org_id: string;
  kind: MeetingKind;
  held_on: string;
  version: number;
  county_code: string;
  [k: string]: unknown;
}

/** A live meeting in the user's scope, optionally locked for an update; NOT_FOUND otherwise. */
export async function meetingRow(tx: Tx, user: U, id: string, lock = false): Promise<MeetingRow> {
  const r = await tx.execute<MeetingRow>(sql`
    select mt.*, to_char(mt.held_on, 'YYYY-MM-DD') as held_on, o.name as org_name, o.kind as org_kind from meetings mt ${joinOrg('mt')}
    where ${inCounty(user, 'mt')} and mt.id = ${id} and mt.deleted_at is null and ${orgInScopeSql(user)}
    ${lock ? sql`for update of mt` : sql``}`);
  if (!r.rows[0]) throw new AppError('NOT_FOUND');
  return r.rows[0];
}

const iso = (v: unknown): string | null =>
  v == null ? null : v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString();

export async function patchMeeting(
  tx: Tx,
  deps: Deps,
  user: U,
  actor: Actor,
  id: string,
  body: MeetingPatch,
): Promise<void> {
  const cur = await meetingRow(tx, user, id, true);
  if (Number(cur.version) !== body.version) throw new AppError('CONFLICT', '该记录已被他人修改，请刷新后重试');
  const org = await requireOrgAccess(tx, user, cur.org_id);
  const att = await tx.execute<{ member_id: string; status: 'present' | 'leave' | 'absent'; reason: string | null }>(
    sql`select a.member_id, a.status, a.reason from meeting_attendance a where ${childOf({ countyCode: cur.county_code, id }, 'a', 'meeting_id')}`,
  );
  const oldMembers = att.rows.map((a) => a.member_id);
  const keep = <K extends keyof Body & keyof MeetingPatch>(k: K, col: string): Body[K] =>
    body[k] !== undefined ? (body[k] as Body[K]) : ((cur[col] ?? undefined) as Body[K]);
  const merged: Body = {
    kind: body.kind ?? cur.kind,
    startsAt: body.startsAt ?? (iso(cur.starts_at) as string),
    endsAt: body.endsAt !== undefined ? body.endsAt : (iso(cur.ends_at) ?? undefined),
    place: keep('place', 'place'),
    chairMemberId: keep('chairMemberId', 'chair_member_id'),
    chairName: keep('chairName', 'chair_name'),
    chairDelegation: keep('chairDelegation', 'chair_delegation'),
    recorderMemberId: keep('recorderMemberId', 'recorder_member_id'),
    recorderName: keep('recorderName', 'recorder_name'),
    lecturerMemberId: keep('lecturerMemberId', 'lecturer_member_id'),
    lecturerName: keep('lecturerName', 'lecturer_name'),
    topic: keep('topic', 'topic'),
    agenda: keep('agenda', 'agenda'),
    // Stored minutes are already clean; sanitizing them again changes nothing.
    minutesHtml: keep('minutesHtml', 'minutes_html'),
    counterpartMemberId: keep('counterpartMemberId', 'counterpart_member_id'),
    rectification: keep('rectification', 'rectification'),
    guests: body.guests ?? (cur.guests as Body['guests']),
    attendance:
      body.attendance ??
      att.rows.map((a) => ({ memberId: a.member_id, status: a.status, ...(a.reason ? { reason: a.reason } : {}) })),
    decisions: body.decisions,
  };
  const decidedBefore = await tx.execute<{ member_id: string }>(
    sql`select d.member_id from meeting_decisions d where ${childOf({ countyCode: cur.county_code, id }, 'd', 'meeting_id')} and d.member_id is not null`,
  );
  const recorded = new Set<string>(
    [
      ...oldMembers,
      ...decidedBefore.rows.map((d) => d.member_id),
      cur.chair_member_id,
      cur.recorder_member_id,
      cur.lecturer_member_id,
      cur.counterpart_member_id,
    ].filter((x): x is string => typeof x === 'string'),
  );
  const c = await checkBody(tx, user, org, { ...merged, decisions: body.decisions ?? [] }, deps.now(), recorded);
  const res = await tx.execute(sql`
    update meetings set kind = ${merged.kind}, starts_at = ${merged.startsAt}, ends_at = ${merged.endsAt ?? null}, held_on = ${c.heldOn}, place = ${merged.place ?? null},
      chair_member_id = ${merged.chairMemberId ?? null}, chair_name = ${merged.chairName ?? null}, chair_delegation = ${merged.chairDelegation || null},
      recorder_member_id = ${merged.recorderMemberId ?? null}, recorder_name = ${merged.recorderName ?? null}, lecturer_member_id = ${merged.lecturerMemberId ?? null},
      lecturer_name = ${merged.lecturerName ?? null}, topic = ${merged.topic ?? null}, agenda = ${merged.agenda ?? null}, minutes_html = ${c.minutesHtml},
      counterpart_member_id = ${merged.counterpartMemberId ?? null}, rectification = ${merged.rectification ?? null}, guests = ${JSON.stringify(merged.guests ?? [])}::jsonb,
      version = version + 1, updated_at = now()
    where county_code = ${cur.county_code} and id = ${id} and version = ${body.version} and deleted_at is null`);
  if (!res.rowCount) throw new AppError('CONFLICT', '该记录已被他人修改，请刷新后重试');
  await writeChildren(
    tx,
    cur.county_code,
    id,
    c.heldOn,
    { attendance: merged.attendance, decisions: body.decisions },
    { attendance: body.attendance !== undefined, decisions: body.decisions !== undefined },
  );
  const valid = await recordCommittee(tx, cur.county_code, id).then((ok) => merged.kind !== 'committeeMeeting' || ok);
  const changed = Object.keys(body).filter((k) => k !== 'version');
  await writeAudit(tx, deps.crypto, actor, [
    {
      action: 'meeting.update',
      objectType: 'meeting',
      objectId: id,
      detail: { orgId: org.id, objectName: org.name, kind: merged.kind, heldOn: c.heldOn, changed, valid },
    },
  ]);
  const decided = await tx.execute<{ member_id: string }>(
    sql`select d.member_id from meeting_decisions d where ${childOf({ countyCode: cur.county_code, id }, 'd', 'meeting_id')} and d.member_id is not null`,
  );
  await emit(tx, deps, 'meetings.lifeChanged', {
    countyCode: org.countyCode,
    orgId: org.id,
    dates: [...new Set([cur.held_on, c.heldOn])],
    memberIds: [
      ...new Set([...oldMembers, ...merged.attendance.map((a) => a.memberId), ...decided.rows.map((d) => d.member_id)]),
    ],
    userId: user.id,
    kinds: [...new Set([cur.kind, merged.kind])],
  });
}

/** Soft delete: the row, its attendance, decisions and evidence stay (audit, restore); every read filters `deleted_at is null`. */
export async function deleteMeeting(tx: Tx, deps: Deps, user: U, actor: Actor, id: string): Promise<void> {
  const cur = await meetingRow(tx, user, id, true);
  await tx.execute(
    sql`update meetings set deleted_at = now(), deleted_by = ${user.id}, version = version + 1, updated_at = now() where county_code = ${cur.county_code} and id = ${id}`,
  );
  const people = await tx.execute<{ member_id: string }>(sql`
    select a.member_id from meeting_attendance a where ${childOf({ countyCode: cur.county_code, id }, 'a', 'meeting_id')}
    union select d.member_id from meeting_decisions d where ${childOf({ countyCode: cur.county_code, id }, 'd', 'meeting_id')} and d.member_id is not null`);
  await writeAudit(tx, deps.crypto, actor, [
    {
      action: 'meeting.delete',
      objectType: 'meeting',
      objectId: id,
      detail: { orgId: cur.org_id, objectName: cur.org_name, kind: cur.kind, heldOn: cur.held_on },
    },
  ]);
  await emit(tx, deps, 'meetings.lifeChanged', {
    countyCode: cur.county_code,
    orgId: cur.org_id,
    dates: [cur.held_on],
    memberIds: people.rows.map((p) => p.member_id),
    userId: user.id,
    kinds: [cur.kind],
  });
}

/** LIFE-10's facts: the secretaries of the organization and the leaders of a Party group on the day. */
async function leadersOn(
  tx: Tx,
  county: string,
  orgId: string,
  day: string,
): Promise<{ secretaries: string[]; groupLeaders: string[] }> {
  const r = await tx.execute<{ member_id: string; post: string }>(sql`
    select p.member_id, p.post from org_posts p
    where ${inCounty(county, 'p')} and p.org_id = ${orgId} and p.member_id is not null
      and (p.ended_on is null or p.ended_on > ${day}) and (p.start_date is null or p.start_date <= ${day})`);
  return {
    secretaries: r.rows.filter((x) => x.post === 'secretary').map((x) => x.member_id),
    groupLeaders: r.rows.map((x) => x.member_id),
  };
}

export async function getMeeting(tx: Tx, deps: Deps, user: U, id: string): Promise<MeetingView> {
  const m = await meetingRow(tx, user, id);
  const county = m.county_code;
  const [att, dec, names] = await Promise.all([
    tx.execute<{ member_id: string; name: string; status: 'present' | 'leave' | 'absent'; reason: string | null }>(sql`
      select a.member_id, case when ${orgInScopeSql(user, 'mo')} then mb.name else ${OUTSIDE_NAME} end as name, a.status, a.reason from meeting_attendance a
      join members mb on mb.county_code = a.county_code and mb.id = a.member_id
      ${joinOrg('mb', 'mo')}
      where ${childOf({ countyCode: county, id }, 'a', 'meeting_id')} order by mb.name_pinyin, mb.id`),
    tx.execute<{ id: string; tag: string; member_id: string | null; member_name: string | null; text: string }>(sql`
      select d.id, d.tag, d.member_id, case when mb.id is null then null when ${orgInScopeSql(user, 'mo')} then mb.name else ${OUTSIDE_NAME} end as member_name, d.text
      from meeting_decisions d
      left join members mb on mb.county_code = d.county_code and mb.id = d.member_id
      ${joinOrg('mb', 'mo', 'org_id', 'left join')}
      where ${childOf({ countyCode: county, id }, 'd', 'meeting_id')} order by d.sort_order, d.id`),
    // The people named by id (chair, recorder, lecturer, the other side of a talk): their names, for a record that gave only the id,
    // and only of members the reader may read (SEC-4): someone who has since left the reader's subtree is not named.
    tx.execute<{
      id: string;
      name: string;
    }>(sql`select mb.id, mb.name from members mb ${joinOrg('mb', 'mo')} where ${inCounty(county, 'mb')} and ${orgInScopeSql(user, 'mo')} and mb.id in (
      ${(m.chair_member_id as string | null) ?? null}::uuid, ${(m.recorder_member_id as string | null) ?? null}::uuid,
      ${(m.lecturer_member_id as string | null) ?? null}::uuid, ${(m.counterpart_member_id as string | null) ?? null}::uuid)`),
  ]);
  const nameOf = (memberId: unknown, given: unknown): string | null =>
    (given as string | null) ?? names.rows.find((r) => r.id === memberId)?.name ?? null;
  const ev = await evidenceOfMeeting(tx, deps, user, { id, orgId: m.org_id, heldOn: m.held_on, countyCode: county });
  const facts = await recordFacts(tx, county, id);
  const warnings: Warning[] = recordWarnings(m.kind, {
    committee: {
      size: Number(facts.size),
      present: Number(facts.present),
      ok: Boolean(facts.committee_ok),
      note: String(facts.committee_note),
    },
    voters: { base: Number(facts.base), present: Number(facts.voters_present), ok: Boolean(facts.voters_ok) },
    decisionTags: facts.tags ?? [],
    themedDay:
      facts.themed_day == null
        ? null
        : { fixed: Number(facts.themed_day), held: Number(facts.day), monthDays: Number(facts.month_days) },
  });
  const chair = chairWarning(
    m.kind,
    {
      memberId: (m.chair_member_id as string | null) ?? null,
      name: (m.chair_name as string | null) ?? null,
      delegation: (m.chair_delegation as string | null) ?? null,
    },
    await leadersOn(tx, county, m.org_id, m.held_on),
  );
  if (chair) warnings.push(chair);
  const evWarnings = ev.reduce((n, e) => n + e.warnings.length, 0);
  if (evWarnings) {
    const codes = [...new Set(ev.flatMap((e) => e.warnings.map((w) => w.code)))];
    const what = codes.map((c) => EVIDENCE_WARNING_NAMES[c] ?? c).join('、');
    warnings.push({ code: 'EVIDENCE_WARNINGS', message: `影像资料有 ${evWarnings} 条提示（${what}），请核实` });
  }
  return {
    id: m.id,
    orgId: m.org_id,
    orgName: String(m.org_name),
    kind: m.kind,
    startsAt: iso(m.starts_at) as string,
    endsAt: iso(m.ends_at),
    heldOn: m.held_on,
    place: (m.place as string | null) ?? null,
    chairMemberId: (m.chair_member_id as string | null) ?? null,
    chairName: nameOf(m.chair_member_id, m.chair_name),
    chairDelegation: (m.chair_delegation as string | null) ?? null,
    recorderMemberId: (m.recorder_member_id as string | null) ?? null,
    recorderName: nameOf(m.recorder_member_id, m.recorder_name),
    lecturerMemberId: (m.lecturer_member_id as string | null) ?? null,
    lecturerName: nameOf(m.lecturer_member_id, m.lecturer_name),
    topic: (m.topic as string | null) ?? null,
    agenda: (m.agenda as string | null) ?? null,
    minutesHtml: (m.minutes_html as string | null) ?? null,
    counterpartMemberId: (m.counterpart_member_id as string | null) ?? null,
    counterpartName: nameOf(m.counterpart_member_id, null),
    rectification: (m.rectification as string | null) ?? null,
    guests: (m.guests as { name: string; unit?: string }[]) ?? [],
    attendance: att.rows.map((a) => ({ memberId: a.member_id, name: a.name, status: a.status, reason: a.reason })),
    decisions: dec.rows.map((d) => ({
      id: d.id,
      tag: d.tag as MeetingView['decisions'][number]['tag'],
      memberId: d.member_id,
      memberName: d.member_name,
      text: d.text,
    })),
    committeeSize: m.kind === 'committeeMeeting' ? Number(facts.size) : null,
    committeePresent: m.kind === 'committeeMeeting' ? Number(facts.present) : null,
    valid: m.kind !== 'committeeMeeting' || Boolean(facts.committee_ok),
    evidence: ev,
    warnings,
    version: Number(m.version),
    createdAt: iso(m.created_at) as string,
    updatedAt: iso(m.updated_at) as string,
  };
}

const EVIDENCE_WARNING_NAMES: Record<string, string> = {
  CAPTURE_TIME_FAR: '拍摄时间与会议日期不符',
  SAME_FILE_ELSEWHERE: '同一文件用于其他记录',
  SIMILAR_PICTURE_ELSEWHERE: '相似照片用于其他记录',
};

type ListQuery = z.infer<typeof meetingListQuery>;

/**
 * The meetings in the user's subtree, newest first. `warningCount` counts what the row and two indexed
 * lookups tell (quorum on the day, capture time, the same file elsewhere); the detail adds the chair, decisions and similar pictures.
 */
export async function listMeetings(tx: Tx, user: U, q: ListQuery) {
  const conds: SQL[] = [inCounty(user, 'mt'), sql`mt.deleted_at is null`, orgInScopeSql(user)];
  if (q.orgId) {
    const org = await requireOrgAccess(tx, user, q.orgId);
    conds.push(q.subtree === 'false' ? sql`mt.org_id = ${org.id}` : inSubtree(org));
  }
  if (q.kind) conds.push(sql`mt.kind = ${q.kind}`);
  if (q.from) conds.push(sql`mt.held_on >= ${q.from}`);
  if (q.to) conds.push(sql`mt.held_on <= ${q.to}`);
  const where = sql.join(conds, sql` and `);
  const drift = await getSetting(tx, user.countyCode, 'meetings.captureDriftDays');
  // A committee meeting's validity as the engine works it out now (the committee on its date, the county's reading), not as saved.
  const settings = await loadRuleSettings(tx, user.countyCode);
  const [total, rows] = await Promise.all([
    tx.execute<{ n: number }>(sql`select count(*)::int as n from meetings mt ${joinOrg('mt')} where ${where}`),
    tx.execute<Record<string, unknown>>(sql`
      select mt.id, mt.org_id, o.name as org_name, mt.kind, mt.starts_at, to_char(mt.held_on, 'YYYY-MM-DD') as held_on, mt.topic,
        (mt.kind <> 'committeeMeeting' or ${committeeQuorate(settings)}) as valid,
        (select count(*)::int from meeting_attendance a where ${childOf('mt', 'a', 'meeting_id')} and a.status = 'present') as present,
        (select count(*)::int from meeting_attendance a where ${childOf('mt', 'a', 'meeting_id')}) as expected,
        (select count(*)::int from evidence e where ${childOf('mt', 'e', 'owner_id')} and e.owner_type = 'meeting' and e.deleted_at is null) as evidence_count,
        (select count(*)::int from evidence e where ${childOf('mt', 'e', 'owner_id')} and e.owner_type = 'meeting' and e.deleted_at is null
           and (abs((e.captured_at at time zone 'Asia/Shanghai')::date - mt.held_on) > ${drift}
             or exists (select 1 from evidence e2 join meetings m2 on m2.county_code = e2.county_code and m2.id = e2.owner_id
                        where e2.county_code = e.county_code and e2.source_sm3 in (e.source_sm3, e.sm3) and e2.id <> e.id and e2.deleted_at is null
                          and e2.owner_type = 'meeting' and m2.deleted_at is null and (m2.org_id <> mt.org_id or m2.held_on <> mt.held_on)))) as evidence_warnings
      from meetings mt ${joinOrg('mt')} ${COMMITTEE_ON_THE_DAY} where ${where}
      order by mt.starts_at desc, mt.id desc limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`),
  ]);
  return {
    items: rows.rows.map((r) => ({
      id: String(r.id),
      orgId: String(r.org_id),
      orgName: String(r.org_name),
      kind: r.kind as MeetingKind,
      startsAt: iso(r.starts_at) as string,
      heldOn: String(r.held_on),
      topic: (r.topic as string | null) ?? null,
      present: Number(r.present),
      expected: Number(r.expected),
      evidenceCount: Number(r.evidence_count),
      valid: Boolean(r.valid),
      warningCount: (r.valid ? 0 : 1) + Number(r.evidence_warnings),
    })),
    total: Number(total.rows[0].n),
    page: q.page,
    pageSize: q.pageSize,
  };
}
