/**
 * Supervision's random spot checks (随机抽查, issue 19): the population is read from the organization
 * tree as it is today, drawn by draw.ts, and recorded with its seed, population and sample so anyone can
 * redo the draw; audited.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import {
  DRAW_DEFAULT_KINDS,
  type drawBody,
  type drawResult,
  type INSPECTION_KINDS,
  type inspectionCreate,
  type inspectionListQuery,
  type inspectionView,
} from '../../../contract/lists.ts';
import { FIELD_LABELS, INSPECTION_CATEGORY, INSPECTION_KIND_LABELS } from '../../../contract/labels.ts';
import type { Tx } from '../../db/index.ts';
import { ancestorIdSql, inCounty, inSubtree, joinOrg, orgInScopeSql, requireOrgAccess } from '../../platform/access.ts';
import { type Actor, writeAudit } from '../../platform/audit.ts';
import type { Deps, SessionUser } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { raiseProblem } from '../problems/api.ts';
import { type DrawUnit, draw, newSeed } from './draw.ts';
import { todayOf } from './service.ts';

export async function drawInspection(
  tx: Tx,
  deps: Deps,
  user: SessionUser,
  actor: Actor,
  body: z.infer<typeof drawBody>,
): Promise<z.infer<typeof drawResult>> {
  const under = await requireOrgAccess(tx, user, body.underOrgId);
  const kinds = body.orgKinds ?? [...DRAW_DEFAULT_KINDS];
  // The township of an organization: its ancestor one level below the county's root (itself at that level).
  const township = ancestorIdSql('o', 1);
  const rows = await tx.execute<{
    id: string;
    name: string;
    field: string | null;
    town_id: string | null;
    town_name: string | null;
  }>(
    sql`select o.id, o.name, o.field, ${township} as town_id, t.name as town_name
      from orgs o left join orgs t on t.county_code = o.county_code and t.id = ${township}
      where ${inSubtree(under)} and o.id <> ${under.id} and o.status = 'active' and o.kind in (${sql.join(
        kinds.map((k) => sql`${k}`),
        sql`, `,
      )})`,
  );
  if (!rows.rows.length) throw new AppError('DRAW_EMPTY');
  const units: DrawUnit[] = rows.rows.map((r) =>
    body.strata === 'township'
      ? { id: r.id, stratum: r.town_id ?? r.id, stratumLabel: r.town_name ?? r.name }
      : {
          id: r.id,
          stratum: r.field ?? 'none',
          stratumLabel: r.field ? ((FIELD_LABELS as Record<string, string>)[r.field] ?? r.field) : '未标注领域',
        },
  );
  const seed = body.seed ?? newSeed();
  const out = draw(units, body.size, seed);
  const names = new Map(rows.rows.map((r) => [r.id, r.name]));
  const saved = await tx.execute<{
    id: string;
  }>(sql`insert into inspection_draws (county_code, under_org_id, strata, size, seed, org_kinds, population, sample, drawn_by)
    values (${user.countyCode}, ${under.id}, ${body.strata}, ${body.size}, ${seed}, ${JSON.stringify(kinds)}::jsonb,
      ${JSON.stringify(out.order)}::jsonb, ${JSON.stringify(out.sample)}::jsonb, ${user.id})
    returning id`);
  await writeAudit(tx, deps.crypto, actor, [
    {
      action: 'inspection.draw',
      objectType: 'inspectionDraw',
      objectId: saved.rows[0].id,
      detail: {
        underOrgId: under.id,
        strata: body.strata,
        size: body.size,
        seed,
        population: out.order.length,
        sample: out.sample,
      },
    },
  ]);
  return {
    id: saved.rows[0].id,
    seed,
    population: out.order,
    sample: out.sample,
    strata: out.strata,
    sampleNames: out.sample.map((id) => names.get(id) ?? ''),
  };
}

// ── Inspection records ──

/**
 * Record an inspection of one organization in the user's scope (not the user's own: an inspection is
 * made by a level above) and turn each finding into an open problem of that organization (source
 * inspection, category INSP-n by kind): its list, its rectification and verification follow as for any
 * problem, and only the level above's verification closes it.
 */
export async function recordInspection(
  tx: Tx,
  deps: Deps,
  user: SessionUser,
  actor: Actor,
  body: z.infer<typeof inspectionCreate>,
): Promise<string> {
  const org = await requireOrgAccess(tx, user, body.orgId);
  if (org.id === user.orgId) throw new AppError('INSPECTION_OWN_ORG');
  const today = todayOf(deps);
  if (body.checkedOn > today)
    throw new AppError('INSPECTION_FUTURE', `检查日期 ${body.checkedOn} 晚于今天（${today}）`);
  if (body.drawId) {
    const d =
      await tx.execute(sql`select 1 from inspection_draws d where d.county_code = ${user.countyCode} and d.id = ${body.drawId}
      and d.sample ? ${org.id}`);
    if (!d.rows.length) throw new AppError('INSPECTION_NOT_DRAWN');
  }
  const r = await tx.execute<{
    id: string;
  }>(sql`insert into inspections (county_code, kind, org_id, inspector_org_id, inspectors, checked_on, summary, draw_id, created_by, created_at)
    values (${org.countyCode}, ${body.kind}, ${org.id}, ${user.orgId}, ${body.inspectors}, ${body.checkedOn}, ${body.summary ?? null},
      ${body.drawId ?? null}, ${user.id}, ${deps.now().toISOString()}::timestamptz)
    returning id`);
  const id = r.rows[0].id;
  const label = INSPECTION_KIND_LABELS[body.kind];
  for (const [position, f] of body.findings.entries()) {
    const findingId = randomUUID();
    const problemId = await raiseProblem(
      tx,
      deps,
      {
        countyCode: org.countyCode,
        source: 'inspection',
        category: INSPECTION_CATEGORY[body.kind],
        subjectType: 'finding',
        subjectId: findingId,
        orgId: org.id,
        message: `${body.checkedOn}${label}发现：${f.text}`,
        clearedBy: f.clearedBy ?? '整改到位并经上级验收',
        detail: { inspectionId: id, inspectors: body.inspectors },
      },
      user.id,
    );
    await tx.execute(sql`insert into inspection_findings (id, county_code, inspection_id, position, org_id, text, problem_id)
      values (${findingId}, ${org.countyCode}, ${id}, ${position}, ${org.id}, ${f.text}, ${problemId})`);
  }
  await writeAudit(tx, deps.crypto, actor, [
    {
      action: 'inspection.record',
      objectType: 'inspection',
      objectId: id,
      detail: { orgId: org.id, kind: body.kind, checkedOn: body.checkedOn, findings: body.findings.length },
    },
  ]);
  return id;
}

type InspectionRow = {
  id: string;
  county_code: string;
  kind: (typeof INSPECTION_KINDS)[number];
  org_id: string;
  org_name: string;
  inspector_org_name: string;
  checked_on: string;
  inspectors: string;
  summary: string | null;
  draw_seed: string | null;
  created_at: Date;
};

const I_SELECT = sql`select i.id, i.county_code, i.kind, i.org_id, o.name as org_name, io.name as inspector_org_name,
    to_char(i.checked_on, 'YYYY-MM-DD') as checked_on, i.inspectors, i.summary, d.seed as draw_seed, i.created_at
  from inspections i ${joinOrg('i')} ${joinOrg('i', 'io', 'inspector_org_id')}
  left join inspection_draws d on d.county_code = i.county_code and d.id = i.draw_id`;

async function withFindings(tx: Tx, rows: InspectionRow[]): Promise<z.infer<typeof inspectionView>[]> {
  if (!rows.length) return [];
  const f = await tx.execute<{
    id: string;
    inspection_id: string;
    text: string;
    problem_id: string;
    status: string;
  }>(sql`
    select f.id, f.inspection_id, f.text, f.problem_id, p.status from inspection_findings f
    join problems p on p.county_code = f.county_code and p.id = f.problem_id
    where f.county_code = ${rows[0].county_code} and f.inspection_id = any(${`{${rows.map((r) => r.id).join(',')}}`}::uuid[])
    order by f.position`);
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    orgId: r.org_id,
    orgName: r.org_name,
    inspectorOrgName: r.inspector_org_name,
    checkedOn: r.checked_on,
    inspectors: r.inspectors,
    summary: r.summary,
    drawSeed: r.draw_seed,
    createdAt: new Date(r.created_at).toISOString(),
    findings: f.rows
      .filter((x) => x.inspection_id === r.id)
      .map((x) => ({ id: x.id, text: x.text, problemId: x.problem_id, problemStatus: x.status })),
  }));
}

export async function getInspection(tx: Tx, user: SessionUser, id: string): Promise<z.infer<typeof inspectionView>> {
  const r = await tx.execute<InspectionRow>(
    sql`${I_SELECT} where ${inCounty(user, 'i')} and i.id = ${id} and ${orgInScopeSql(user)}`,
  );
  if (!r.rows[0]) throw new AppError('NOT_FOUND');
  return (await withFindings(tx, r.rows))[0];
}

export async function listInspections(
  tx: Tx,
  user: SessionUser,
  q: z.infer<typeof inspectionListQuery>,
): Promise<{ items: z.infer<typeof inspectionView>[]; total: number; page: number; pageSize: number }> {
  const under = await requireOrgAccess(tx, user, q.orgId ?? user.orgId);
  const where = sql`${inSubtree(under)}`;
  const total = await tx.execute<{ n: number }>(
    sql`select count(*)::int as n from inspections i ${joinOrg('i')} where ${where}`,
  );
  const r = await tx.execute<InspectionRow>(sql`${I_SELECT} where ${where}
    order by i.checked_on desc, i.created_at desc, i.id limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`);
  return { items: await withFindings(tx, r.rows), total: Number(total.rows[0].n), page: q.page, pageSize: q.pageSize };
}
