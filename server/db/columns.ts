/**
 * Column helpers shared by every module's schema.ts: the row id, the distribution column, timestamps,
 * and the primary key of a distributed table (county first, docs/SCALE.md).
 */
import { sql } from 'drizzle-orm';
import { type AnyPgColumn, char, primaryKey, timestamp, uuid } from 'drizzle-orm/pg-core';

/** A row's UUID; the primary key is (county_code, id): see `countyKey`. */
export const id = () => uuid('id').notNull().default(sql`gen_random_uuid()`);
export const countyCode = () => char('county_code', { length: 6 }).notNull();
export const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
export const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();
/** The primary key of a distributed table: the distribution column first (Citus needs it in every unique constraint). */
export const countyKey = (t: { countyCode: AnyPgColumn; id: AnyPgColumn }) =>
  primaryKey({ columns: [t.countyCode, t.id] });
