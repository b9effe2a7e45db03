/**
 * The responsibility chain (党建责任制, issue 19): for an organization on a day, who answers for its
 * Party building — 第一责任人 the secretary, 直接责任人 the deputy secretary, 相关责任人 the
 * organization member, 具体责任人 the secretaries of the organizations directly below — each read from
 * the posts as they were that day (org_posts by their start and end), unless the committee named
 * someone else from a day on (responsibility_overrides, kept for every day they were in force).
 */
import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import { RESPONSIBILITY_LEVELS, RESPONSIBILITY_POSTS, type ResponsibilityLevel } from '../../../contract/labels.ts';
import type { overrideBody, responsibilityChain, responsibilityPerson } from '../../../contract/lists.ts';
import type { Tx } from '../../db/index.ts';
import { childOf, requireOrgAccess, type ScopedOrg } from '../../platform/access.ts';
import { type Actor, writeAudit } from '../../platform/audit.ts';
import { addDays } from '../../platform/calendar.ts';
import type { Deps, SessionUser } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { todayOf } from './service.ts';

type Person = z.infer<typeof responsibilityPerson>;

/** Holders of `post` in the organizations `orgIds` on `day` (a post's person or its member's name). */
async function holders(
  tx: Tx,
  county: string,
  orgIds: string[],
  post: string,
  day: string,
): Promise<{ org_id: string; org_name: string; name: string; since: string | null }[]> {
  if (!orgIds.length) return [];
  const r = await tx.execute<{ org_id: string; org_name: string; name: string | null; since: string | null }>(sql`
    select ps.org_id, o.name as org_name, coalesce(ps.person_name, m.name) as name, to_char(ps.start_date, 'YYYY-MM-DD') as since
    from org_posts ps join orgs o on o.county_code = ps.county_code and o.id = ps.org_id
    left join members m on m.county_code = ps.county_code and m.id = ps.member_id
    where ps.county_code = ${county} and ps.org_id = any(${`{${orgIds.join(',')}}`}::uuid[]) and ps.post = ${post}
      and (ps.start_date is null or ps.start_date <= ${day}::date) and (ps.ended_on is null or ps.ended_on > ${day}::date)
    order by o.path, ps.start_date nulls first`);
  return r.rows.filter((x): x is typeof x & { name: string } => !!x.name);
}

/** The chain of `org` on `day`. */
export async function chainOn(
  tx: Tx,
  org: ScopedOrg,
  day: string,
): Promise<{ people: Person[]; vacant: ResponsibilityLevel[] }> {
  const c = org.countyCode;
  const over = await tx.execute<{
    level: ResponsibilityLevel;
    person_name: string | null;
    reason: string;
    from_date: string;
  }>(sql`
    select distinct on (r.level) r.level, r.person_name, r.reason, to_char(r.from_date, 'YYYY-MM-DD') as from_date
    from responsibility_overrides r
    where ${childOf({ countyCode: c, id: org.id }, 'r', 'org_id')} and r.from_date <= ${day}::date and (r.to_date is null or r.to_date >= ${day}::date)
    order by r.level, r.from_date desc, r.set_at desc`);
  const byLevel = new Map(over.rows.map((o) => [o.level, o]));
  const below = await tx.execute<{ id: string }>(sql`select b.id from orgs b
    where ${childOf({ countyCode: c, id: org.id }, 'b', 'parent_id')} and b.kind <> 'partyGroup'
      and b.founded_on <= ${day}::date and (b.dissolved_on is null or b.dissolved_on > ${day}::date)`);
  const people: Person[] = [];
  const vacant: ResponsibilityLevel[] = [];
  for (const level of RESPONSIBILITY_LEVELS) {
    const o = byLevel.get(level);
    if (o?.person_name) {
      people.push({
        level,
        personName: o.person_name,
        post: null,
        orgId: org.id,
        orgName: org.name,
        reason: o.reason,
        since: o.from_date,
      });
      continue;
    }
    const ids = level === 'concrete' ? below.rows.map((b) => b.id) : [org.id];
    const hs = await holders(tx, c, ids, RESPONSIBILITY_POSTS[level], day);
    if (!hs.length) vacant.push(level);
    for (const h of hs)
      people.push({
        level,
        personName: h.name,
        post: RESPONSIBILITY_POSTS[level],
        orgId: h.org_id,
        orgName: h.org_name,
        reason: null,
        since: h.since,
      });
  }
  return { people, vacant };
}

/** The first responsible person (第一责任人) of an organization on a day, or null: for a task's or a problem's "who answers". */
export async function primaryOn(tx: Tx, org: ScopedOrg, day: string): Promise<string | null> {
  const { people } = await chainOn(tx, org, day);
  return people.find((p) => p.level === 'primary')?.personName ?? null;
}

export async function getChain(
  tx: Tx,
  deps: Deps,
  user: SessionUser,
  orgId: string | undefined,
  date: string | undefined,
): Promise<z.infer<typeof responsibilityChain>> {
  const org = await requireOrgAccess(tx, user, orgId ?? user.orgId);
  const day = date ?? todayOf(deps);
  const { people, vacant } = await chainOn(tx, org, day);
  const ov = await tx.execute<{
    id: string;
    level: ResponsibilityLevel;
    person_name: string | null;
    reason: string;
    from_date: string;
    to_date: string | null;
    set_by_name: string | null;
  }>(sql`select r.id, r.level, r.person_name, r.reason, to_char(r.from_date, 'YYYY-MM-DD') as from_date,
      to_char(r.to_date, 'YYYY-MM-DD') as to_date, u.display_name as set_by_name
    from responsibility_overrides r left join users u on u.county_code = r.county_code and u.id = r.set_by
    where ${childOf({ countyCode: org.countyCode, id: org.id }, 'r', 'org_id')} order by r.from_date desc, r.set_at desc`);
  return {
    orgId: org.id,
    orgName: org.name,
    date: day,
    people,
    vacant,
    overrides: ov.rows.map((o) => ({
      id: o.id,
      level: o.level,
      personName: o.person_name,
      reason: o.reason,
      from: o.from_date,
      to: o.to_date,
      setByName: o.set_by_name ?? '',
    })),
  };
}

/**
 * Name the person answerable at a level of the organization's chain from a day on, or go back to the
 * posts (no name). The override in force that day is closed the day before; one starting later is
 * refused (history is not rewritten). The organization itself or any level above it may do it.
 */
export async function setOverride(
  tx: Tx,
  deps: Deps,
  user: SessionUser,
  actor: Actor,
  body: z.infer<typeof overrideBody>,
): Promise<void> {
  const org = await requireOrgAccess(tx, user, body.orgId);
  const later = await tx.execute(sql`select 1 from responsibility_overrides r
    where ${childOf({ countyCode: org.countyCode, id: org.id }, 'r', 'org_id')} and r.level = ${body.level} and r.from_date > ${body.from}::date`);
  if (later.rows.length) throw new AppError('RESPONSIBILITY_LATER_OVERRIDE');
  await tx.execute(sql`update responsibility_overrides r set to_date = ${addDays(body.from, -1)}::date
    where ${childOf({ countyCode: org.countyCode, id: org.id }, 'r', 'org_id')} and r.level = ${body.level} and r.to_date is null`);
  await tx.execute(sql`insert into responsibility_overrides (county_code, org_id, level, person_name, reason, from_date, set_by, set_at)
    values (${org.countyCode}, ${org.id}, ${body.level}, ${body.personName ?? null}, ${body.reason}, ${body.from}, ${user.id}, ${deps.now().toISOString()}::timestamptz)`);
  await writeAudit(tx, deps.crypto, actor, [
    {
      action: 'responsibility.override',
      objectType: 'org',
      objectId: org.id,
      detail: { level: body.level, personName: body.personName ?? null, reason: body.reason, from: body.from },
    },
  ]);
}
