/**
 * Pinyin initials for organization search. Nearly every name starts with 中共 and the county's name
 * and ends in a kind suffix (支部委员会…), so initials of the whole name all look alike ("zglkx…wyh"):
 * only the distinctive part in between is what people type ("jyc" for 中共甲一村支部委员会).
 */
import { type SQL, sql } from 'drizzle-orm';
import { escapeLike } from '../../platform/access.ts';
import type { Tx } from '../../db/index.ts';
import { namePinyin } from '../../platform/pinyin.ts';
import { withoutKindSuffix, withoutParty } from '../../../contract/org-names.ts';

/** The distinctive part of an organization's name: without a leading 中共, the county's name and the kind suffix. */
export function distinctiveName(name: string, countyName?: string | null): string {
  let s = withoutKindSuffix(withoutParty(name.trim()));
  if (countyName && s.startsWith(countyName) && s.length > countyName.length) s = s.slice(countyName.length);
  return s;
}

/**
 * Where one part of a name people say ends: a township, a village or community, a unit or an
 * enterprise (红庙镇|程庄村, 财政局|机关, 红庙镇|恒大家具有限公司).
 */
const PART_END =
  /(?:街道办事处|办事处|街道|镇|乡|社区|居委会|村委会|村|管委会|管理区|农场|林场|有限责任公司|有限公司|股份公司|集团|公司|厂|局|委|办|院|校|中心|所|站|队|会)/g;

/** The parts of a distinctive name: 红庙镇程庄村 → 红庙镇, 程庄村. */
export function nameParts(distinctive: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (const m of distinctive.matchAll(PART_END)) {
    const end = (m.index ?? 0) + m[0].length;
    if (end > start && end < distinctive.length) {
      parts.push(distinctive.slice(start, end));
      start = end;
    }
  }
  parts.push(distinctive.slice(start));
  return parts.filter(Boolean);
}

/**
 * Pinyin initials for the search: of the distinctive part ("hmzczc"), then of what follows each part
 * of it ("czc": the village alone), space-separated. A search matches the start of any of them.
 */
export function orgInitials(name: string, countyName?: string | null): string {
  const parts = nameParts(distinctiveName(name, countyName));
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const initials = namePinyin(parts.slice(i).join('')).initials;
    if (initials && !out.includes(initials)) out.push(initials);
  }
  return out.join(' ');
}

/** The condition that initials typed (lower-case letters) match the start of any part of an organization's name. */
export function initialsMatchSql(column: SQL, typed: string): SQL {
  return sql`(${column} like ${`${escapeLike(typed)}%`} or ${column} like ${`% ${escapeLike(typed)}%`})`;
}

/** The county's name from its root committee's name: 中共兰考县委员会 → 兰考县. */
export function countyNameOf(rootName: string | null | undefined): string | null {
  if (!rootName) return null;
  const s = distinctiveName(rootName);
  return s && s !== rootName ? s : null;
}

/** The county name of `countyCode`, read from its root organization. */
export async function countyNameFor(tx: Tx, countyCode: string): Promise<string | null> {
  const r = await tx.execute<{ name: string }>(
    sql`select name from orgs where county_code = ${countyCode} and parent_id is null order by depth, created_at limit 1`,
  );
  return countyNameOf(r.rows[0]?.name);
}

/** Fills name_initials where it is missing (rows from before migration 0008, or written by a path that does not compute it). */
export async function fillOrgInitials(tx: Tx): Promise<number> {
  const rows = await tx.execute<{ id: string; name: string; county_code: string }>(
    sql`select id, name, county_code from orgs where name_initials is null`,
  );
  if (!rows.rows.length) return 0;
  const counties = new Map<string, string | null>();
  const codes: string[] = [];
  const ids: string[] = [];
  const values: string[] = [];
  for (const r of rows.rows) {
    if (!counties.has(r.county_code)) counties.set(r.county_code, await countyNameFor(tx, r.county_code));
    codes.push(r.county_code);
    ids.push(r.id);
    values.push(orgInitials(r.name, counties.get(r.county_code)));
  }
  await tx.execute(sql`update orgs o set name_initials = v.initials
    from unnest(${sql.param(codes)}::text[], ${sql.param(ids)}::uuid[], ${sql.param(values)}::text[]) as v(county_code, id, initials)
    where o.county_code = v.county_code and o.id = v.id`);
  return ids.length;
}
