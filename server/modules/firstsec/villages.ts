/**
 * The villages marked for a first secretary (重点村, FS-1; issue 20), county-wide or under a township:
 * every village in the reader's scope with a mark in force on the day (today by default), its township,
 * the marks with their days, who serves there (first secretaries and work-team members posted and serving
 * that day) and whether FS-1 is met — by the rule's own reading (checks.ts FS_1): a serving first
 * secretary, or for a village marked only 乡村振兴任务重的村 a first secretary or a work-team member.
 * The same list as an .xlsx with Chinese headers.
 */
import type { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import { shanghaiMinute } from '../../../contract/calendar.ts';
import type { markedVillagesQuery, markedVillagesView } from '../../../contract/firstsec-trainings.ts';
import { FS_ROLE_LABELS, ORG_DESIGNATION_LABELS, type OrgDesignation } from '../../../contract/labels.ts';
import type { Tx } from '../../db/index.ts';
import { ancestorIdSql, inSubtree, requireOrgAccess, type ScopedOrg } from '../../platform/access.ts';
import type { Deps, SessionUser } from '../../platform/deps.ts';
import { addRow, addSheet, createWorkbook, LANDSCAPE_PRINT, setColumns } from '../../platform/xlsx-cells.ts';
import { todayOf } from './service.ts';

type View = z.infer<typeof markedVillagesView>;
type Query = z.infer<typeof markedVillagesQuery>;

/** The organization whose villages are listed (the reader's own by default): 404 outside the scope. */
export async function villagesTarget(tx: Tx, user: SessionUser, q: Query): Promise<ScopedOrg> {
  return requireOrgAccess(tx, user, q.orgId ?? user.orgId);
}

export async function markedVillages(tx: Tx, deps: Deps, user: SessionUser, q: Query): Promise<View> {
  const under = await villagesTarget(tx, user, q);
  const on = q.on ?? todayOf(deps);
  const c = under.countyCode;
  const r = await tx.execute<{
    org_id: string;
    org_name: string;
    township_id: string | null;
    township_name: string | null;
    marks: { kind: OrgDesignation; fromDate: string; toDate: string | null }[];
    people: { id: string; name: string; role: 'firstSecretary' | 'workTeam'; startDate: string }[] | null;
    needs_secretary: boolean;
  }>(sql`
    with g as materialized (select g.org_id, g.kind, g.from_date, g.to_date from org_designations g
      join orgs o on o.county_code = g.county_code and o.id = g.org_id
      where g.county_code = ${c} and ${inSubtree(under, 'o')} and o.status = 'active'
        and g.from_date <= ${on}::date and (g.to_date is null or g.to_date >= ${on}::date)),
    v as (select g.org_id from g group by g.org_id
      ${q.kind ? sql`having bool_or(g.kind = ${q.kind})` : sql``})
    select o.id as org_id, o.name as org_name, tw.id as township_id, tw.name as township_name,
      (select jsonb_agg(jsonb_build_object('kind', g.kind, 'fromDate', to_char(g.from_date, 'YYYY-MM-DD'),
          'toDate', to_char(g.to_date, 'YYYY-MM-DD')) order by g.kind, g.from_date) from g where g.org_id = o.id) as marks,
      (select bool_or(g.kind <> 'revitalization') from g where g.org_id = o.id) as needs_secretary,
      (select jsonb_agg(jsonb_build_object('id', f.id, 'name', f.name, 'role', f.role,
          'startDate', to_char(f.start_date, 'YYYY-MM-DD')) order by f.role, f.start_date, f.name)
        from first_secretaries f where f.county_code = o.county_code and f.org_id = o.id
          and f.role in ('firstSecretary', 'workTeam') and f.start_date <= ${on}::date
          and coalesce(f.ended_on > ${on}::date, f.status = 'serving')) as people
    from v join orgs o on o.county_code = ${c} and o.id = v.org_id
    left join orgs tw on tw.county_code = o.county_code and tw.id = ${ancestorIdSql('o', 1)} and tw.id <> o.id
    order by tw.sort_order nulls first, tw.name_pinyin, o.sort_order, o.name_pinyin, o.id`);
  const items = r.rows.map((x) => {
    const people = x.people ?? [];
    const hasSecretary = people.some((p) => p.role === 'firstSecretary');
    const met = x.needs_secretary ? hasSecretary : hasSecretary || people.some((p) => p.role === 'workTeam');
    return {
      orgId: x.org_id,
      orgName: x.org_name,
      townshipId: x.township_id,
      townshipName: x.township_name,
      marks: x.marks,
      people,
      met,
      needs: x.needs_secretary ? ('firstSecretary' as const) : ('firstSecretaryOrTeam' as const),
    };
  });
  return { on, items, total: items.length, met: items.filter((i) => i.met).length };
}

const HEADERS = [
  '乡镇（街道）',
  '村（社区）',
  '重点村标注',
  '标注起始日期',
  '第一书记',
  '驻村工作队员',
  '选派要求',
  '是否符合',
];

/** The list as an .xlsx: a title row (the day and time of export), the Chinese headers, one row per village. */
export async function writeVillagesExport(
  tx: Tx,
  deps: Deps,
  user: SessionUser,
  q: Query,
  title: string,
  out: Writable,
): Promise<number> {
  const v = await markedVillages(tx, deps, user, q);
  const wb = createWorkbook('fsVillages');
  const ws = addSheet(wb, '重点村选派情况', {
    pageSetup: LANDSCAPE_PRINT,
    views: [{ state: 'frozen', ySplit: 2 }],
  });
  setColumns(
    ws,
    [20, 26, 30, 16, 16, 22, 24, 10].map((width) => ({ width })),
  );
  addRow(ws, [`${title}（${v.on}；导出时间：${shanghaiMinute(deps.now())}）`]);
  addRow(ws, HEADERS);
  for (const i of v.items) {
    const names = (role: 'firstSecretary' | 'workTeam') =>
      i.people
        .filter((p) => p.role === role)
        .map((p) => p.name)
        .join('、');
    addRow(ws, [
      i.townshipName ?? '',
      i.orgName,
      i.marks.map((m) => ORG_DESIGNATION_LABELS[m.kind]).join('、'),
      i.marks.map((m) => m.fromDate).join('、'),
      names('firstSecretary'),
      names('workTeam'),
      i.needs === 'firstSecretary'
        ? `须有在岗的${FS_ROLE_LABELS.firstSecretary}`
        : `须有${FS_ROLE_LABELS.firstSecretary}或${FS_ROLE_LABELS.workTeam}`,
      i.met ? '符合' : '不符合',
    ]);
  }
  await wb.xlsx.write(out);
  out.end();
  return v.items.length;
}
