/** Code lists: reading them for forms, and checking that a coded field holds one of its codes (SEC-19). */
import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/index.ts';
import type { FieldIssue } from '../../platform/errors.ts';

export async function codeLists(tx: Tx): Promise<Record<string, { code: string; label: string }[]>> {
  const res = await tx.execute<{ list: string; code: string; label: string }>(sql`select list, code, label from code_lists order by list, sort, code`);
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

/** Field issues for values that are not codes of their list (a label, a typo, or text meant for a spreadsheet). */
export async function codeIssues(tx: Tx, values: CodedValue[]): Promise<FieldIssue[]> {
  const given = values.filter((v) => v.value !== null && v.value !== undefined && v.value !== '');
  if (!given.length) return [];
  const res = await tx.execute<{ list: string; code: string }>(
    sql`select list, code from code_lists where (list, code) in (${sql.join(given.map((v) => sql`(${v.list}, ${v.value})`), sql`, `)})`,
  );
  const ok = new Set(res.rows.map((r) => `${r.list}\u0000${r.code}`));
  return given.filter((v) => !ok.has(`${v.list}\u0000${v.value}`)).map((v) => ({ field: v.field, message: `${v.label}：不是代码表中的值，请从列表中选择` }));
}
