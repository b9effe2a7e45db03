/**
 * 民主评议 (LIFE-8): a year's grades of an organization's members and the handling of the unqualified.
 * SQL taking the caller's executor; the organization is loaded through the scope helpers (404 outside).
 */
import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { appraisalPut, appraisalView } from '../../../contract/meetings.ts';
import type { Tx } from '../../db/index.ts';
import { inCounty, joinOrg, requireOrgAccess, type ScopedOrg } from '../../platform/access.ts';
import { type Actor, writeAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, type FieldIssue, fieldError } from '../../platform/errors.ts';
import { emit } from '../../platform/events.ts';
import { loadRuleSettings, parseShare } from '../problems/api.ts';
import { addMonths, excellentWarning, shanghaiDate, type Warning } from './rules.ts';
import type { U } from './service.ts';

/** The members appraised by an organization: its own and its Party groups'. */
export async function appraisalMembers(tx: Tx, org: ScopedOrg): Promise<{ id: string; name: string }[]> {
  const r = await tx.execute<{ id: string; name: string }>(sql`
    select m.id, m.name from members m ${joinOrg('m', 'mo')}
    where ${inCounty(org.countyCode, 'm')} and (mo.id = ${org.id} or (mo.parent_id = ${org.id} and mo.kind = 'partyGroup'))
    order by m.name_pinyin, m.id`);
  return r.rows;
}

type AppraisalView = z.infer<typeof appraisalView>;

export async function getAppraisal(tx: Tx, user: U, orgId: string, year: number): Promise<AppraisalView> {
  const org = await requireOrgAccess(tx, user, orgId);
  const members = await appraisalMembers(tx, org);
  const grades = await tx.execute<Record<string, unknown>>(sql`
    select g.member_id, g.grade, g.handling, g.handling_note, to_char(g.handling_ends_on, 'YYYY-MM-DD') as handling_ends_on, to_char(g.reviewed_on, 'YYYY-MM-DD') as reviewed_on
    from appraisal_grades g where ${inCounty(org.countyCode, 'g')} and g.year = ${year} and g.member_id = any(${sql.param(members.map((m) => m.id))}::uuid[])`);
  const byMember = new Map(grades.rows.map((g) => [String(g.member_id), g]));
  // LIFE-8's share as the engine reads it: the county's rule setting in force on the year's first day.
  const share = parseShare(
    (await loadRuleSettings(tx, user.countyCode)).at('life.excellentMaxShare', `${year}-01-01`),
  ) ?? [1, 3];
  const rows = members.map((m) => {
    const g = byMember.get(m.id);
    return {
      memberId: m.id,
      name: m.name,
      grade: (g?.grade ?? null) as AppraisalView['members'][number]['grade'],
      handling: (g?.handling ?? null) as AppraisalView['members'][number]['handling'],
      handlingNote: (g?.handling_note as string | null) ?? null,
      handlingEndsOn: (g?.handling_ends_on as string | null) ?? null,
      reviewedOn: (g?.reviewed_on as string | null) ?? null,
    };
  });
  const excellent = rows.filter((r) => r.grade === 'excellent').length;
  const w = excellentWarning(excellent, rows.length, share);
  const warnings: Warning[] = w ? [w] : [];
  const unhandled = rows.filter((r) => r.grade === 'unqualified' && !r.handling).length;
  if (unhandled)
    warnings.push({
      code: 'UNQUALIFIED_WITHOUT_HANDLING',
      message: `${unhandled} 名不合格党员尚未登记处置方式（LIFE-8）`,
    });
  return {
    orgId: org.id,
    year,
    members: rows,
    excellentShare: rows.length ? excellent / rows.length : 0,
    excellentLimit: share[0] / share[1],
    warnings,
  };
}

export async function putAppraisal(
  tx: Tx,
  deps: Deps,
  user: U,
  actor: Actor,
  orgId: string,
  year: number,
  body: z.infer<typeof appraisalPut>,
): Promise<void> {
  const org = await requireOrgAccess(tx, user, orgId);
  const issues: FieldIssue[] = [];
  const seen = new Set<string>();
  body.grades.forEach((g, i) => {
    if (seen.has(g.memberId)) issues.push({ field: `grades.${i}.memberId`, message: '评议等次：同一党员出现了两次' });
    seen.add(g.memberId);
    if (g.grade === 'unqualified' && !g.handling)
      issues.push({
        field: `grades.${i}.handling`,
        message: '处置方式：评为不合格的党员须登记处置方式（限期改正、劝退或除名，LIFE-8）',
      });
  });
  if (issues.length) throw fieldError(issues);
  const allowed = new Set((await appraisalMembers(tx, org)).map((m) => m.id));
  if (body.grades.some((g) => !allowed.has(g.memberId))) throw new AppError('MEETING_MEMBER_OUTSIDE');
  let from = `${year}-12-31`;
  if (body.meetingId) {
    const m = await tx.execute<{ held_on: string }>(sql`
      select to_char(held_on, 'YYYY-MM-DD') as held_on from meetings where county_code = ${org.countyCode} and id = ${body.meetingId} and org_id = ${org.id} and deleted_at is null`);
    if (!m.rows[0]) throw fieldError([{ field: 'meetingId', message: '评议会议：找不到该组织的这次会议' }]);
    from = m.rows[0].held_on;
  } else {
    const today = shanghaiDate(deps.now());
    if (today.startsWith(String(year))) from = today;
  }
  const months = (await loadRuleSettings(tx, user.countyCode)).num('life.correctionMonths', from);
  const rows = body.grades.map((g) => {
    const unqualified = g.grade === 'unqualified';
    const handling = unqualified ? (g.handling ?? null) : null;
    return {
      memberId: g.memberId,
      grade: g.grade,
      handling,
      note: unqualified ? (g.handlingNote ?? null) : null,
      endsOn: handling === 'correct' ? (g.handlingEndsOn ?? addMonths(from, months)) : null,
    };
  });
  await tx.execute(sql`
    insert into appraisal_grades (county_code, org_id, member_id, year, grade, meeting_id, handling, handling_note, handling_ends_on, updated_by)
    select ${org.countyCode}, ${org.id}, x.member_id, ${year}, x.grade, ${body.meetingId ?? null}::uuid, x.handling, x.note, x.ends_on, ${user.id}
    from unnest(${sql.param(rows.map((r) => r.memberId))}::uuid[], ${sql.param(rows.map((r) => r.grade))}::text[], ${sql.param(rows.map((r) => r.handling))}::text[],
      ${sql.param(rows.map((r) => r.note))}::text[], ${sql.param(rows.map((r) => r.endsOn))}::date[]) as x(member_id, grade, handling, note, ends_on)
    on conflict (county_code, member_id, year) do update set org_id = excluded.org_id, grade = excluded.grade, meeting_id = coalesce(excluded.meeting_id, appraisal_grades.meeting_id),
      handling = excluded.handling, handling_note = excluded.handling_note, handling_ends_on = excluded.handling_ends_on,
      reviewed_on = case when excluded.handling is distinct from appraisal_grades.handling then null else appraisal_grades.reviewed_on end,
      updated_by = excluded.updated_by, updated_at = now()`);
  const counts: Record<string, number> = {};
  for (const r of rows) counts[r.grade] = (counts[r.grade] ?? 0) + 1;
  // Ids only: the names are the members module's to show (the detail holds no personal data).
  await writeAudit(tx, deps.crypto, actor, [
    {
      action: 'appraisal.grade',
      objectType: 'org',
      objectId: org.id,
      detail: { year, meetingId: body.meetingId, counts, memberIds: rows.map((r) => r.memberId) },
    },
    ...rows
      .filter((r) => r.handling)
      .map((r) => ({
        action: 'appraisal.handling',
        objectType: 'org',
        objectId: org.id,
        detail: { year, memberId: r.memberId, handling: r.handling, handlingEndsOn: r.endsOn },
      })),
  ]);
  await emit(tx, deps, 'meetings.lifeChanged', {
    countyCode: org.countyCode,
    orgId: org.id,
    dates: [from],
    memberIds: rows.map((r) => r.memberId),
    userId: user.id,
    kinds: ['appraisal'],
  });
}
