/**
 * Supervision's random spot checks (随机抽查, issue 19): the population is read from the organization
 * tree as it is today, drawn by draw.ts, and recorded with its seed, population and sample so anyone can
 * redo the draw; audited.
 */
import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import { DRAW_DEFAULT_KINDS, type drawBody, type drawResult } from '../../../contract/lists.ts';
import { FIELD_LABELS } from '../../../contract/labels.ts';
import type { Tx } from '../../db/index.ts';
import { ancestorIdSql, inSubtree, requireOrgAccess } from '../../platform/access.ts';
import { type Actor, writeAudit } from '../../platform/audit.ts';
import type { Deps, SessionUser } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { type DrawUnit, draw, newSeed } from './draw.ts';

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
