/**
 * The responsibility chain (党建责任制, issue 19): for an organization on a day, who answers for its
 * Party building — 第一责任人 the secretary, 直接责任人 the deputy secretary, 相关责任人 the
 * organization member, 具体责任人 the secretaries of the organizations directly below — each read from
 * the posts as they were that day (org_posts by their start and end), unless the committee named
 * someone else from a day on (responsibility_overrides, kept for every day they were in force).
 */
import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import {
  RESPONSIBILITY_DUTIES,
  RESPONSIBILITY_FIELD_DUTIES,
  RESPONSIBILITY_LEVELS,
  RESPONSIBILITY_POSTS,
  type ResponsibilityLevel,
} from '../../../contract/labels.ts';
import type {
  answerLevel,
  overrideBody,
  personList as personListView,
  responsibilityChain,
  responsibilityPerson,
} from '../../../contract/lists.ts';
import type { Tx } from '../../db/index.ts';
import { childOf, inSubtree, pathIds, requireOrgAccess, type ScopedOrg } from '../../platform/access.ts';
import { type Actor, writeAudit } from '../../platform/audit.ts';
import { addDays } from '../../platform/calendar.ts';
import type { Deps, SessionUser } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { taskLedgerOf, todayOf } from './service.ts';

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
  const over = await tx.execute<{ person_name: string | null }>(sql`select r.person_name from responsibility_overrides r
    where ${childOf({ countyCode: org.countyCode, id: org.id }, 'r', 'org_id')} and r.level = 'primary'
      and r.from_date <= ${day}::date and (r.to_date is null or r.to_date >= ${day}::date)
    order by r.from_date desc, r.set_at desc limit 1`);
  if (over.rows[0]?.person_name) return over.rows[0].person_name;
  const hs = await holders(tx, org.countyCode, [org.id], RESPONSIBILITY_POSTS.primary, day);
  return hs[0]?.name ?? null;
}

/**
 * Who answers at each level (层层落实): the 第一责任人 of `org` and of each organization above it up
 * to the reader's own (never above the reader's scope), today and on `atStart` (when the task was issued,
 * the problem opened). Nearest first.
 */
export async function answerableUp(
  tx: Tx,
  user: SessionUser,
  org: ScopedOrg,
  today: string,
  atStart: string | null,
): Promise<z.infer<typeof answerLevel>[]> {
  const ids = pathIds(org.path);
  const from = ids.indexOf(user.orgId);
  const chain = (from < 0 ? [org.id] : ids.slice(from)).reverse();
  const out: z.infer<typeof answerLevel>[] = [];
  for (const id of chain) {
    const o = id === org.id ? org : await requireOrgAccess(tx, user, id);
    out.push({
      orgId: o.id,
      orgName: o.name,
      now: await primaryOn(tx, o, today),
      atStart: atStart ? await primaryOn(tx, o, atStart) : null,
    });
  }
  return out;
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
 * posts (no name). The override in force that day is closed the day before; one starting that day or
 * later is refused (history is not rewritten). The organization itself or any level above it may do it.
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
    where ${childOf({ countyCode: org.countyCode, id: org.id }, 'r', 'org_id')} and r.level = ${body.level} and r.from_date >= ${body.from}::date`);
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

/**
 * One person's responsibility list (责任清单): where they answer today in the reader's scope (the posts
 * and overrides of the chain, matched by name), the duties of those levels and fields from the county's
 * template, and the open task shares, open problems and this year's target sheets of the organizations
 * where they are 第一责任人 or 具体责任人.
 */
export async function personList(
  tx: Tx,
  deps: Deps,
  user: SessionUser,
  name: string,
  orgId: string | undefined,
): Promise<z.infer<typeof personListView>> {
  const under = await requireOrgAccess(tx, user, orgId ?? user.orgId);
  const today = todayOf(deps);
  const c = under.countyCode;
  // Organizations where the name holds a post today, or is named by an override in force.
  const r = await tx.execute<{ id: string }>(sql`select distinct o.id from orgs o
    where ${inSubtree(under)} and o.status = 'active' and (
      exists (select 1 from org_posts ps left join members m on m.county_code = ps.county_code and m.id = ps.member_id
        where ps.county_code = o.county_code and ps.org_id = o.id and coalesce(ps.person_name, m.name) = ${name}
          and (ps.start_date is null or ps.start_date <= ${today}::date) and (ps.ended_on is null or ps.ended_on > ${today}::date))
      or exists (select 1 from responsibility_overrides ro where ro.county_code = o.county_code and ro.org_id = o.id
        and ro.person_name = ${name} and ro.from_date <= ${today}::date and (ro.to_date is null or ro.to_date >= ${today}::date))
      or exists (select 1 from orgs ch join org_posts ps on ps.county_code = ch.county_code and ps.org_id = ch.id
        left join members m on m.county_code = ps.county_code and m.id = ps.member_id
        where ch.county_code = o.county_code and ch.parent_id = o.id and ps.post = 'secretary' and coalesce(ps.person_name, m.name) = ${name}
          and (ps.ended_on is null or ps.ended_on > ${today}::date)))
    limit 50`);
  const roles: z.infer<typeof personListView>['roles'] = [];
  const duties = new Set<string>();
  const answering = new Set<string>();
  for (const row of r.rows) {
    const org = await requireOrgAccess(tx, user, row.id);
    const { people } = await chainOn(tx, org, today);
    for (const p of people.filter((x) => x.personName === name)) {
      roles.push({ orgId: p.orgId, orgName: p.orgName, level: p.level, post: p.post });
      for (const d of RESPONSIBILITY_DUTIES[p.level]) duties.add(d);
      const field = org.field as keyof typeof RESPONSIBILITY_FIELD_DUTIES | null;
      for (const d of (field && RESPONSIBILITY_FIELD_DUTIES[field]) || []) duties.add(d);
      if (p.level === 'primary' || p.level === 'concrete') answering.add(p.orgId);
    }
  }
  roles.sort(
    (a, b) =>
      RESPONSIBILITY_LEVELS.indexOf(a.level) - RESPONSIBILITY_LEVELS.indexOf(b.level) ||
      a.orgName.localeCompare(b.orgName, 'zh'),
  );
  const ids = [...answering];
  const list = `{${ids.join(',')}}`;
  const tasks = ids.length ? await taskLedgerOf(tx, deps, c, ids) : [];
  const problems = ids.length
    ? await tx.execute<{
        id: string;
        org_name: string;
        message: string;
        raised_at: Date | null;
      }>(sql`select p.id, o.name as org_name, p.message, p.raised_at
        from problems p join orgs o on o.county_code = p.county_code and o.id = p.org_id
        where p.county_code = ${c} and p.org_id = any(${list}::uuid[]) and p.status = 'open' order by p.raised_at desc nulls last limit 200`)
    : { rows: [] };
  const year = Number(today.slice(0, 4));
  const targets = ids.length
    ? await tx.execute<{
        id: string;
        org_name: string;
        weight: number;
        score: string | null;
      }>(sql`select s.id, o.name as org_name,
          (select coalesce(sum(i.weight), 0)::int from target_items i where i.county_code = s.county_code and i.sheet_id = s.id) as weight,
          (select coalesce(sum(i.score), 0) from target_items i where i.county_code = s.county_code and i.sheet_id = s.id) as score
        from target_sheets s join orgs o on o.county_code = s.county_code and o.id = s.org_id
        where s.county_code = ${c} and s.org_id = any(${list}::uuid[]) and s.year = ${year} order by o.path`)
    : { rows: [] };
  return {
    name,
    roles,
    duties: [...duties],
    tasks,
    problems: problems.rows.map((p) => ({
      id: p.id,
      orgName: p.org_name,
      message: p.message,
      raisedAt: p.raised_at ? new Date(p.raised_at).toISOString() : null,
    })),
    targets: targets.rows.map((x) => ({
      id: x.id,
      orgName: x.org_name,
      year,
      weight: Number(x.weight),
      score: Number(x.score ?? 0),
    })),
  };
}
