/**
 * 谈心谈话 (LIFE-7): who of an organization's committee talked with whom in a year, and the members
 * no committee member has talked to yet.
 */
import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { talkMatrix } from '../../../contract/meetings.ts';
import type { Tx } from '../../db/index.ts';
import { inCounty, requireOrgAccess } from '../../platform/access.ts';
import type { Deps } from '../../platform/deps.ts';
import { appraisalMembers } from './appraisal.ts';
import { shanghaiDate } from './rules.ts';
import type { U } from './service.ts';

export async function talks(
  tx: Tx,
  deps: Deps,
  user: U,
  orgId: string,
  year: number,
): Promise<z.infer<typeof talkMatrix>> {
  const org = await requireOrgAccess(tx, user, orgId);
  const today = shanghaiDate(deps.now());
  const day = today.startsWith(String(year)) ? today : `${year}-12-31`;
  const committee = await tx.execute<{ member_id: string; name: string; post: string }>(sql`
    select distinct on (p.member_id) p.member_id, m.name, p.post from org_posts p
    join members m on m.county_code = p.county_code and m.id = p.member_id
    where ${inCounty(org.countyCode, 'p')} and p.org_id = ${org.id} and p.member_id is not null
      and (p.ended_on is null or p.ended_on > ${day}) and (p.start_date is null or p.start_date <= ${day})
    order by p.member_id, (p.post = 'secretary') desc, p.post`);
  const pairs = await tx.execute<{ from_id: string; to_id: string; id: string; held_on: string }>(sql`
    select mt.chair_member_id as from_id, mt.counterpart_member_id as to_id, mt.id, to_char(mt.held_on, 'YYYY-MM-DD') as held_on from meetings mt
    where ${inCounty(org.countyCode, 'mt')} and mt.org_id = ${org.id} and mt.kind = 'heartTalk' and mt.deleted_at is null
      and mt.held_on between ${`${year}-01-01`} and ${`${year}-12-31`} and mt.chair_member_id is not null and mt.counterpart_member_id is not null
    order by mt.held_on, mt.id`);
  const committeeIds = new Set(committee.rows.map((c) => c.member_id));
  const talked = new Set<string>();
  for (const p of pairs.rows) {
    // Either direction counts: a talk of a committee member with anyone reaches both.
    if (committeeIds.has(p.from_id)) talked.add(p.to_id);
    if (committeeIds.has(p.to_id)) talked.add(p.from_id);
  }
  const members = await appraisalMembers(tx, org);
  const order = [
    'secretary',
    'deputySecretary',
    'organizationMember',
    'propagandaMember',
    'disciplineMember',
    'member',
  ];
  return {
    orgId: org.id,
    year,
    committee: committee.rows
      .map((c) => ({ memberId: c.member_id, name: c.name, post: c.post }))
      .sort((a, b) => order.indexOf(a.post) - order.indexOf(b.post)),
    talks: pairs.rows.map((p) => ({ fromId: p.from_id, toId: p.to_id, meetingId: p.id, heldOn: p.held_on })),
    membersNotTalkedTo: members.filter((m) => !talked.has(m.id)).map((m) => ({ memberId: m.id, name: m.name })),
  };
}
