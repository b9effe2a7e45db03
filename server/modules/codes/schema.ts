/**
 * Tables of the code-lists module: the national lists (reference) and a county's own entries (distributed).
 */
import { integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { countyCode } from '../../db/columns.ts';

/** National and platform code lists (reference): ethnicity, education, person category, org category… */
export const codeLists = pgTable(
  'code_lists',
  {
    list: text('list').notNull(),
    code: text('code').notNull(),
    label: text('label').notNull(),
    sort: integer('sort').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.list, t.code] })],
);

/** A county's own code-list entries: added codes, or a national code relabelled for the county. */
export const countyCodeLists = pgTable(
  'county_code_lists',
  {
    countyCode: countyCode(),
    list: text('list').notNull(),
    code: text('code').notNull(),
    label: text('label').notNull(),
    sort: integer('sort').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.countyCode, t.list, t.code] })],
);
