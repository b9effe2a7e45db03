/**
 * Bulk insert by column arrays: `insert … select * from unnest($1::t1[], $2::t2[], …)`. One bind
 * parameter per column whatever the row count, so 10,000 rows cost one statement and no SQL building.
 */
import { sql } from 'drizzle-orm';
import type { Tx } from './index.ts';

export async function insertColumns(
  tx: Tx,
  table: string,
  columns: [name: string, pgType: string][],
  rows: unknown[][],
  chunk = 5000,
): Promise<void> {
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk);
    const arrays = columns.map((_, c) => part.map((r) => r[c] ?? null));
    const names = sql.raw(columns.map(([n]) => `"${n}"`).join(', '));
    const unnest = sql.join(
      columns.map(([, type], c) => sql`${sql.param(arrays[c])}::${sql.raw(type)}[]`),
      sql`, `,
    );
    // Rows go in array order (serial columns such as the audit sequence follow it).
    const alias = sql.raw(columns.map((_, c) => `c${c}`).join(', '));
    await tx.execute(
      sql`insert into ${sql.raw(`"${table}"`)} (${names}) select ${alias} from unnest(${unnest}) with ordinality as u(${alias}, ord) order by ord`,
    );
  }
}
