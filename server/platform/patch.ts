/**
 * The SET list of a PATCH: each field of the body that was given (not `undefined`) as `column = value`,
 * and the names of the fields it changes (for the audit entry). Columns are this code's own constants
 * (never from the request); the values are parameters.
 */
import { type SQL, sql } from 'drizzle-orm';

export function patchSets<B extends object>(
  body: B,
  columns: { readonly [K in keyof B]?: string },
): { sets: SQL[]; changed: string[] } {
  const sets: SQL[] = [];
  const changed: string[] = [];
  for (const [field, column] of Object.entries(columns) as [keyof B & string, string][]) {
    const v = body[field];
    if (v === undefined) continue;
    sets.push(sql`${sql.raw(column)} = ${v}`);
    changed.push(field);
  }
  return { sets, changed };
}
