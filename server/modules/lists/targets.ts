/**
 * Year-end target settlement (年底兑标, issue 19; speech.md §2): at the start of a year a township sets
 * a target sheet for each organization below it — its secretary's targets with their weights —, the
 * organization reports how each was met, and from 1 December the township scores each target against
 * what was reported; a sheet with every target scored is settled and its total feeds the secretaries'
 * report-and-review assessment later.
 */
import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { targetCreate, targetListQuery, targetSheet } from '../../../contract/lists.ts';
import type { Tx } from '../../db/index.ts';
import { childOf, inCounty, inSubtree, joinOrg, orgInScopeSql, requireOrgAccess } from '../../platform/access.ts';
import { type Actor, writeAudit } from '../../platform/audit.ts';
import type { Deps, SessionUser } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { primaryOn } from './responsibility.ts';
import { todayOf } from './service.ts';

type Sheet = z.infer<typeof targetSheet>;
const iso = (v: Date | string | null) => (v == null ? null : (v instanceof Date ? v : new Date(v)).toISOString());

/** Scoring opens on 1 December of the sheet's year. */
export function scoringOpens(year: number): string {
  return `${year}-12-01`;
}

export async function createTargets(
  tx: Tx,
  deps: Deps,
  user: SessionUser,
  actor: Actor,
  body: z.infer<typeof targetCreate>,
): Promise<string> {
  const org = await requireOrgAccess(tx, user, body.orgId);
  if (org.id === user.orgId) throw new AppError('TARGET_OWN_ORG');
  const exists =
    await tx.execute(sql`select 1 from target_sheets s where ${childOf({ countyCode: org.countyCode, id: org.id }, 's', 'org_id')}
    and s.year = ${body.year}`);
  if (exists.rows.length) throw new AppError('TARGET_EXISTS', `${org.name}${body.year}年的目标责任书已设定`);
  const r = await tx.execute<{
    id: string;
  }>(sql`insert into target_sheets (county_code, org_id, issuer_org_id, year, created_by, created_at)
    values (${org.countyCode}, ${org.id}, ${user.orgId}, ${body.year}, ${user.id}, ${deps.now().toISOString()}::timestamptz) returning id`);
  const id = r.rows[0].id;
  await tx.execute(sql`insert into target_items (county_code, sheet_id, position, text, weight)
    select ${org.countyCode}, ${id}, x.position, x.text, x.weight
    from jsonb_to_recordset(${JSON.stringify(body.items.map((it, position) => ({ ...it, position })))}::jsonb)
      as x(position int, text text, weight int)`);
  await writeAudit(tx, deps.crypto, actor, [
    {
      action: 'target.create',
      objectType: 'targetSheet',
      objectId: id,
      detail: {
        orgId: org.id,
        year: body.year,
        items: body.items.length,
        weight: body.items.reduce((s, i) => s + i.weight, 0),
      },
    },
  ]);
  return id;
}

type SheetRow = {
  id: string;
  county_code: string;
  org_id: string;
  org_name: string;
  issuer_org_id: string;
  issuer_org_name: string;
  year: number;
};

async function sheetRow(tx: Tx, user: SessionUser, id: string, lock = false): Promise<SheetRow> {
  const r =
    await tx.execute<SheetRow>(sql`select s.id, s.county_code, s.org_id, o.name as org_name, s.issuer_org_id, io.name as issuer_org_name, s.year
    from target_sheets s ${joinOrg('s')} ${joinOrg('s', 'io', 'issuer_org_id')}
    where ${inCounty(user, 's')} and s.id = ${id} and ${orgInScopeSql(user)} ${lock ? sql`for update of s` : sql``}`);
  if (!r.rows[0]) throw new AppError('NOT_FOUND');
  return r.rows[0];
}

async function toSheet(tx: Tx, deps: Deps, user: SessionUser, s: SheetRow): Promise<Sheet> {
  const items = await tx.execute<{
    id: string;
    text: string;
    weight: number;
    report: string | null;
    reported_at: Date | null;
    score: string | null;
    comment: string | null;
    scored_by_name: string | null;
    scored_at: Date | null;
  }>(sql`select i.id, i.text, i.weight, i.report, i.reported_at, i.score, i.comment, u.display_name as scored_by_name, i.scored_at
    from target_items i left join users u on u.county_code = i.county_code and u.id = i.scored_by
    where ${childOf({ countyCode: s.county_code, id: s.id }, 'i', 'sheet_id')} order by i.position`);
  const list = items.rows.map((i) => ({
    id: i.id,
    text: i.text,
    weight: Number(i.weight),
    report: i.report,
    reportedAt: iso(i.reported_at),
    score: i.score == null ? null : Number(i.score),
    comment: i.comment,
    scoredByName: i.scored_by_name,
    scoredAt: iso(i.scored_at),
  }));
  const org = await requireOrgAccess(tx, user, s.org_id);
  const open = todayOf(deps) >= scoringOpens(s.year);
  return {
    id: s.id,
    orgId: s.org_id,
    orgName: s.org_name,
    // The 第一责任人 answering for the sheet: today's for the running year, the year's last day's for a past one.
    secretary: await primaryOn(tx, org, [todayOf(deps), `${s.year}-12-31`].sort()[0]),
    issuerOrgId: s.issuer_org_id,
    issuerOrgName: s.issuer_org_name,
    year: Number(s.year),
    items: list,
    weight: list.reduce((a, i) => a + i.weight, 0),
    score: list.reduce((a, i) => a + (i.score ?? 0), 0),
    settled: list.length > 0 && list.every((i) => i.score != null),
    can: {
      report: user.orgId === s.org_id && user.permissions.has('lists.work'),
      score: user.orgId === s.issuer_org_id && user.permissions.has('lists.review') && open,
    },
  };
}

export async function getTargets(tx: Tx, deps: Deps, user: SessionUser, id: string): Promise<Sheet> {
  return toSheet(tx, deps, user, await sheetRow(tx, user, id));
}

export async function listTargets(
  tx: Tx,
  deps: Deps,
  user: SessionUser,
  q: z.infer<typeof targetListQuery>,
): Promise<Sheet[]> {
  const under = await requireOrgAccess(tx, user, q.orgId ?? user.orgId);
  const year = q.year ?? Number(todayOf(deps).slice(0, 4));
  const r =
    await tx.execute<SheetRow>(sql`select s.id, s.county_code, s.org_id, o.name as org_name, s.issuer_org_id, io.name as issuer_org_name, s.year
    from target_sheets s ${joinOrg('s')} ${joinOrg('s', 'io', 'issuer_org_id')}
    where ${inSubtree(under)} and s.year = ${year} order by o.path limit 500`);
  const out: Sheet[] = [];
  for (const s of r.rows) out.push(await toSheet(tx, deps, user, s));
  return out;
}

async function item(tx: Tx, s: SheetRow, itemId: string) {
  const r = await tx.execute<{ id: string; weight: number }>(sql`select i.id, i.weight from target_items i
    where ${childOf({ countyCode: s.county_code, id: s.id }, 'i', 'sheet_id')} and i.id = ${itemId} for update of i`);
  if (!r.rows[0]) throw new AppError('NOT_FOUND');
  return r.rows[0];
}

export async function reportTarget(
  tx: Tx,
  deps: Deps,
  user: SessionUser,
  actor: Actor,
  id: string,
  itemId: string,
  text: string,
): Promise<void> {
  const s = await sheetRow(tx, user, id, true);
  if (s.org_id !== user.orgId) throw new AppError('TARGET_NOT_HOLDER');
  const i = await item(tx, s, itemId);
  await tx.execute(sql`update target_items set report = ${text}, reported_at = ${deps.now().toISOString()}::timestamptz, reported_by = ${user.id}
    where county_code = ${s.county_code} and id = ${i.id}`);
  await writeAudit(tx, deps.crypto, actor, [
    { action: 'target.report', objectType: 'targetSheet', objectId: s.id, detail: { itemId: i.id, orgId: s.org_id } },
  ]);
}

export async function scoreTarget(
  tx: Tx,
  deps: Deps,
  user: SessionUser,
  actor: Actor,
  id: string,
  itemId: string,
  body: { score: number; comment?: string },
): Promise<void> {
  const s = await sheetRow(tx, user, id, true);
  if (s.issuer_org_id !== user.orgId) throw new AppError('TARGET_NOT_ISSUER');
  const opens = scoringOpens(Number(s.year));
  if (todayOf(deps) < opens) throw new AppError('TARGET_NOT_YET', `年底兑标自 ${opens} 起进行`);
  const i = await item(tx, s, itemId);
  if (body.score > Number(i.weight))
    throw new AppError('TARGET_SCORE_OVER', `得分 ${body.score} 超过该项分值 ${i.weight}`);
  await tx.execute(sql`update target_items set score = ${body.score}, comment = ${body.comment ?? null}, scored_by = ${user.id},
      scored_at = ${deps.now().toISOString()}::timestamptz
    where county_code = ${s.county_code} and id = ${i.id}`);
  await writeAudit(tx, deps.crypto, actor, [
    {
      action: 'target.score',
      objectType: 'targetSheet',
      objectId: s.id,
      detail: { itemId: i.id, orgId: s.org_id, score: body.score, weight: Number(i.weight) },
    },
  ]);
}
