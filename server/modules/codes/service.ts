/**
 * Code lists: the national ones (reference table `code_lists`) with a county's own entries over them
 * (`county_code_lists`: added codes, or a national code relabelled); reading them for forms, and
 * checking that a coded field holds one of its codes (SEC-19).
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../db/index.ts';
import type { FieldIssue } from '../../platform/errors.ts';

/**
 * The code lists as county `county` sees them, as a subquery with columns (list, code, label, sort):
 * its own entries, and the national ones it has not relabelled.
 */
export function codeListSql(county: string): SQL {
  return sql`(select c.list, c.code, c.label, c.sort from county_code_lists c where c.county_code = ${county}
    union all select n.list, n.code, n.label, n.sort from code_lists n
      where not exists (select 1 from county_code_lists c where c.county_code = ${county} and c.list = n.list and c.code = n.code))`;
}

export async function codeLists(tx: Tx, county: string): Promise<Record<string, { code: string; label: string }[]>> {
  const res = await tx.execute<{ list: string; code: string; label: string }>(
    sql`select l.list, l.code, l.label from ${codeListSql(county)} l order by l.list, l.sort, l.code`,
  );
  const lists: Record<string, { code: string; label: string }[]> = {};
  for (const row of res.rows) {
    lists[row.list] = lists[row.list] ?? [];
    lists[row.list].push({ code: row.code, label: row.label });
  }
  return lists;
}

/** A coded field of a request: its name, Chinese label, the list it draws from and the value sent. */
export interface CodedValue {
  field: string;
  label: string;
  list: string;
  value: string | null | undefined;
}

/** Field issues for values that are not codes of their list in county `county` (a label, a typo, or text meant for a spreadsheet). */
export async function codeIssues(tx: Tx, county: string, values: CodedValue[]): Promise<FieldIssue[]> {
  const given = values.filter((v) => v.value !== null && v.value !== undefined && v.value !== '');
  if (!given.length) return [];
  const res = await tx.execute<{ list: string; code: string }>(
    sql`select l.list, l.code from ${codeListSql(county)} l where (l.list, l.code) in (${sql.join(
      given.map((v) => sql`(${v.list}, ${v.value})`),
      sql`, `,
    )})`,
  );
  const ok = new Set(res.rows.map((r) => `${r.list}\u0000${r.code}`));
  return given
    .filter((v) => !ok.has(`${v.list}\u0000${v.value}`))
    .map((v) => ({ field: v.field, message: `${v.label}：不是代码表中的值，请从列表中选择` }));
}
