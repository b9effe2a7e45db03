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
  type inspectionPlanCreate,
  type inspectionPlanListQuery,
  type inspectionPlanView,
  type INSPECTION_PLAN_STATES,
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
  if (body.planId) {
    const pl =
      await tx.execute(sql`select 1 from inspection_plans p where p.county_code = ${user.countyCode} and p.id = ${body.planId}
      and p.org_ids ? ${org.id}`);
    if (!pl.rows.length) throw new AppError('INSPECTION_NOT_PLANNED');
  }
  const r = await tx.execute<{
    id: string;
  }>(sql`insert into inspections (county_code, kind, org_id, inspector_org_id, inspectors, checked_on, summary, draw_id, plan_id,
      created_by, created_at)
    values (${org.countyCode}, ${body.kind}, ${org.id}, ${user.orgId}, ${body.inspectors}, ${body.checkedOn}, ${body.summary ?? null},
      ${body.drawId ?? null}, ${body.planId ?? null}, ${user.id}, ${deps.now().toISOString()}::timestamptz)
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
      detail: {
        orgId: org.id,
        kind: body.kind,
        checkedOn: body.checkedOn,
        findings: body.findings.length,
        planId: body.planId ?? null,
      },
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

// ── Inspection plans (督查计划) ──

/**
 * Plan an inspection ahead: what, where (organizations of the user's subtree, not the user's own, or a
 * recorded draw's sample), between which days, by whom. Audited; the inspections recorded under it show
 * its progress.
 */
export async function createPlan(
  tx: Tx,
  deps: Deps,
  user: SessionUser,
  actor: Actor,
  body: z.infer<typeof inspectionPlanCreate>,
): Promise<string> {
  const mine = await requireOrgAccess(tx, user, user.orgId);
  let orgIds = [...new Set(body.orgIds ?? [])];
  if (body.drawId) {
    const d = await tx.execute<{ sample: string[] }>(
      sql`select d.sample from inspection_draws d where d.county_code = ${user.countyCode} and d.id = ${body.drawId}`,
    );
    if (!d.rows[0]) throw new AppError('NOT_FOUND', '未找到所选的随机抽取记录');
    orgIds = [...new Set([...orgIds, ...d.rows[0].sample])];
  }
  const found = await tx.execute<{ id: string }>(sql`select o.id from orgs o
    where ${inSubtree(mine)} and o.id <> ${mine.id} and o.status = 'active'
      and o.id = any(${`{${orgIds.join(',')}}`}::uuid[])`);
  if (found.rows.length !== orgIds.length) throw new AppError('INSPECTION_PLAN_ORGS');
  const r = await tx.execute<{
    id: string;
  }>(sql`insert into inspection_plans (county_code, title, kind, planner_org_id, org_ids,
      draw_id, starts_on, ends_on, inspectors, focus, created_by, created_at)
    values (${user.countyCode}, ${body.title}, ${body.kind}, ${mine.id}, ${JSON.stringify(orgIds)}::jsonb, ${body.drawId ?? null},
      ${body.startsOn}, ${body.endsOn}, ${body.inspectors}, ${body.focus ?? null}, ${user.id}, ${deps.now().toISOString()}::timestamptz)
    returning id`);
  await writeAudit(tx, deps.crypto, actor, [
    {
      action: 'inspection.plan',
      objectType: 'inspectionPlan',
      objectId: r.rows[0].id,
      detail: { kind: body.kind, startsOn: body.startsOn, endsOn: body.endsOn, orgs: orgIds.length },
    },
  ]);
  return r.rows[0].id;
}

type PlanRow = {
  id: string;
  county_code: string;
  title: string;
  kind: (typeof INSPECTION_KINDS)[number];
  planner_org_name: string;
  org_ids: string[];
  starts_on: string;
  ends_on: string;
  inspectors: string;
  focus: string | null;
  draw_seed: string | null;
  created_at: Date;
};

/** Plans made by the user's organization or an organization within its subtree (the reader sees the stops in its scope). */
const P_SELECT = sql`select p.id, p.county_code, p.title, p.kind, o.name as planner_org_name, p.org_ids,
    to_char(p.starts_on, 'YYYY-MM-DD') as starts_on, to_char(p.ends_on, 'YYYY-MM-DD') as ends_on, p.inspectors, p.focus,
    d.seed as draw_seed, p.created_at
  from inspection_plans p ${joinOrg('p', 'o', 'planner_org_id')}
  left join inspection_draws d on d.county_code = p.county_code and d.id = p.draw_id`;

async function planViews(
  tx: Tx,
  deps: Deps,
  user: SessionUser,
  rows: PlanRow[],
): Promise<z.infer<typeof inspectionPlanView>[]> {
  if (!rows.length) return [];
  const today = todayOf(deps);
  const county = rows[0].county_code;
  const ids = [...new Set(rows.flatMap((r) => r.org_ids))];
  const orgs = await tx.execute<{ id: string; name: string }>(sql`select o.id, o.name from orgs o
    where o.county_code = ${county} and o.id = any(${`{${ids.join(',')}}`}::uuid[]) and ${orgInScopeSql(user)}`);
  const names = new Map(orgs.rows.map((o) => [o.id, o.name]));
  const done = await tx.execute<{
    plan_id: string;
    org_id: string;
    id: string;
    checked_on: string;
    findings: number;
  }>(sql`
    select distinct on (i.plan_id, i.org_id) i.plan_id, i.org_id, i.id, to_char(i.checked_on, 'YYYY-MM-DD') as checked_on,
      (select count(*)::int from inspection_findings f where f.county_code = i.county_code and f.inspection_id = i.id) as findings
    from inspections i where i.county_code = ${county} and i.plan_id = any(${`{${rows.map((r) => r.id).join(',')}}`}::uuid[])
    order by i.plan_id, i.org_id, i.checked_on, i.created_at`);
  return rows.map((r) => {
    const stops = r.org_ids
      .filter((id) => names.has(id))
      .map((id) => {
        const i = done.rows.find((x) => x.plan_id === r.id && x.org_id === id);
        return {
          orgId: id,
          orgName: names.get(id) ?? '',
          inspectionId: i?.id ?? null,
          checkedOn: i?.checked_on ?? null,
          findings: Number(i?.findings ?? 0),
        };
      });
    const n = stops.filter((s) => s.inspectionId).length;
    const state: (typeof INSPECTION_PLAN_STATES)[number] =
      stops.length > 0 && n === stops.length
        ? 'done'
        : today < r.starts_on
          ? 'upcoming'
          : today > r.ends_on
            ? 'lapsed'
            : 'underway';
    return {
      id: r.id,
      title: r.title,
      kind: r.kind,
      plannerOrgName: r.planner_org_name,
      startsOn: r.starts_on,
      endsOn: r.ends_on,
      inspectors: r.inspectors,
      focus: r.focus,
      drawSeed: r.draw_seed,
      state,
      stops,
      done: n,
      total: stops.length,
      createdAt: new Date(r.created_at).toISOString(),
    };
  });
}

export async function getPlan(
  tx: Tx,
  deps: Deps,
  user: SessionUser,
  id: string,
): Promise<z.infer<typeof inspectionPlanView>> {
  const r = await tx.execute<PlanRow>(
    sql`${P_SELECT} where ${inCounty(user, 'p')} and p.id = ${id} and ${orgInScopeSql(user)}`,
  );
  if (!r.rows[0]) throw new AppError('NOT_FOUND');
  return (await planViews(tx, deps, user, r.rows))[0];
}

/** Plans made in the user's subtree, the latest first. */
export async function listPlans(
  tx: Tx,
  deps: Deps,
  user: SessionUser,
  q: z.infer<typeof inspectionPlanListQuery>,
): Promise<{ items: z.infer<typeof inspectionPlanView>[]; total: number; page: number; pageSize: number }> {
  const where = sql`${inCounty(user, 'p')} and ${orgInScopeSql(user)}`;
  const total = await tx.execute<{ n: number }>(
    sql`select count(*)::int as n from inspection_plans p ${joinOrg('p', 'o', 'planner_org_id')} where ${where}`,
  );
  const r = await tx.execute<PlanRow>(sql`${P_SELECT} where ${where}
    order by p.starts_on desc, p.created_at desc, p.id limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`);
  return {
    items: await planViews(tx, deps, user, r.rows),
    total: Number(total.rows[0].n),
    page: q.page,
    pageSize: q.pageSize,
  };
}
