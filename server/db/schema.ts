/**
 * The platform's own tables (drizzle pg-core). Each module keeps its tables in its own
 * `server/modules/<name>/schema.ts`; drizzle-kit reads them all (drizzle.config.ts). Every table has a
 * declared Citus role in `table-roles.ts` (docs/SCALE.md). Distributed tables carry `county_code`
 * NOT NULL, first in the primary key and in every unique index, so the Citus step is configuration
 * (engineering.md "Scale path"); ids stay UUIDs. Rate limits and installation facts are local.
 */
import { sql } from 'drizzle-orm';
import {
  bigserial,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { countyCode, createdAt, updatedAt } from './columns.ts';

/**
 * Server-side sessions (SEC-4): the cookie carries the account's county and a random id, the table the
 * id's SM3 digest. Distributed by county like the account it belongs to, so a request reads its
 * session, account and organization in one statement on one shard (docs/SCALE.md).
 */
export const sessions = pgTable(
  'sessions',
  {
    countyCode: countyCode(),
    idHash: text('id_hash').notNull(),
    userId: uuid('user_id').notNull(),
    createdAt: createdAt(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [primaryKey({ columns: [t.countyCode, t.idHash] }), index('sessions_user_idx').on(t.countyCode, t.userId)],
);

/** Fixed-window counters for rate limits shared by every instance (SEC-23). Unlogged (migration 0014): no WAL, emptied after a crash. */
export const rateLimits = pgTable('rate_limits', {
  key: text('key').primaryKey(),
  windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
  count: integer('count').notNull(),
});

/**
 * Append-only, hash-chained audit log (SEC-12, SEC-14); triggers refuse UPDATE and DELETE. One chain
 * per county: `prev_hash` is the hash of the county's previous entry (`chain_rule` 2). Entries written
 * before migration 0010 form the one global chain they were written in (rule 1; rule 0 for those
 * written without a county, whose county_code 0010 filled in and whose hash covers none).
 */
export const auditLog = pgTable(
  'audit_log',
  {
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    userId: uuid('user_id'),
    username: text('username'),
    roles: text('roles'),
    orgId: uuid('org_id'),
    /** The county whose chain holds the entry: the actor's, or the installation's for system entries. */
    countyCode: countyCode(),
    ip: text('ip'),
    action: text('action').notNull(),
    objectType: text('object_type'),
    objectId: text('object_id'),
    result: text('result').notNull(),
    requestId: text('request_id'),
    detail: jsonb('detail').notNull().default({}),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
    /** How the entry is chained and hashed: 2 per-county chain; 1 pre-0010 global chain; 0 the same, written without a county. */
    chainRule: smallint('chain_rule').notNull().default(2),
  },
  (t) => [
    primaryKey({ columns: [t.countyCode, t.seq] }),
    index('audit_at_idx').on(t.countyCode, t.at),
    index('audit_user_idx').on(t.countyCode, t.userId, t.at),
    index('audit_object_idx').on(t.countyCode, t.objectType, t.objectId),
    // The pre-0010 global chain is verified in sequence order across counties: its entries only.
    index('audit_legacy_idx').on(t.seq).where(sql`${t.chainRule} < 2`),
  ],
);

/** Settings of a county: county-editable numbers and switches over the platform defaults (SETTING_DEFAULTS). */
export const settings = pgTable(
  'settings',
  {
    countyCode: countyCode(),
    key: text('key').notNull(),
    value: jsonb('value').notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.countyCode, t.key] })],
);

/** Installation facts: its own division code (`county`), the counties it serves (`counties`), seed state. */
export const platformMeta = pgTable('platform_meta', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
});

/**
 * Each run of a scheduled job (platform/jobs.ts) and each backup made from the CLI: when, how long,
 * the result and what it produced. A scheduled run's row is inserted for its slot (`due_at`) before
 * it starts, and the unique index lets one instance only claim a slot: a job runs once per
 * installation however many instances share the database. A running row's `heartbeat_at` moves every
 * minute; one left behind by a stopped process is taken as interrupted. Installation-wide, not a
 * county's: local, and not backed up (a restored installation starts its own history).
 */
export const jobRuns = pgTable(
  'job_runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    job: text('job').notNull(),
    /** The scheduled instant this run is for; null for a run started by hand (the CLI). */
    dueAt: timestamp('due_at', { withTimezone: true }),
    /** schedule | cli */
    trigger: text('trigger').notNull(),
    /** running | ok | failed | skipped | interrupted */
    status: text('status').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    heartbeatAt: timestamp('heartbeat_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    /** What the run produced (a backup: file, size, files), shown on the jobs page. */
    detail: jsonb('detail').notNull().default({}),
    /** Why it failed or was skipped, in Chinese. */
    message: text('message'),
    /** host:pid of the process that ran it. */
    instance: text('instance'),
  },
  (t) => [uniqueIndex('job_runs_slot_uq').on(t.job, t.dueAt), index('job_runs_job_idx').on(t.job, t.startedAt)],
);
