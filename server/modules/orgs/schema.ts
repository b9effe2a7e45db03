/**
 * Tables of the organizations module (distributed by county_code: server/db/table-roles.ts, docs/SCALE.md).
 */
import { sql } from 'drizzle-orm';
import {
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  smallint,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { id, countyCode, createdAt, updatedAt, countyKey } from '../../db/columns.ts';

/** Party organizations (党组织): the tree. `path` is '/id/id/…/' from the root, for subtree scope. */
export const orgs = pgTable(
  'orgs',
  {
    id: id(),
    countyCode: countyCode(),
    parentId: uuid('parent_id'),
    path: text('path').notNull(),
    depth: integer('depth').notNull(),
    name: text('name').notNull(),
    shortName: text('short_name'),
    namePinyin: text('name_pinyin').notNull().default(''),
    /** Pinyin initials of the distinctive part of the name (no 中共, county name or kind suffix): "jyc" finds 中共甲一村支部委员会. Null until computed (start-up fills it). */
    nameInitials: text('name_initials'),
    kind: text('kind').notNull(),
    field: text('field'),
    category: text('category'),
    divisionCode: text('division_code'),
    unitSituation: text('unit_situation'),
    unitName: text('unit_name'),
    /**
     * 成立日期: the rules hold an organization to a period only if it existed for at least half of it. Required;
     * an organization created without one was founded the day it was created (Asia/Shanghai), and older rows
     * without one took the day they were created (migration 0017).
     */
    foundedOn: date('founded_on').notNull().default(sql`((now() at time zone 'Asia/Shanghai')::date)`),
    contactName: text('contact_name'),
    /** Legacy plain contact phone: emptied into contact_phone_enc by the start-up re-seal (platform/sealed.ts); drop in a later migration. */
    contactPhone: text('contact_phone'),
    /** Contact phone (SEC-9, SEC-16): SM4 ciphertext bound to the row, and its mask. */
    contactPhoneEnc: text('contact_phone_enc'),
    contactPhoneMasked: text('contact_phone_masked'),
    /** The day of the month the organization holds its 主题党日 on (LIFE-5, 1–31), where it has fixed one. */
    themedDay: smallint('themed_day'),
    /** The office's position (WGS-84), where the organization has marked it: first secretaries' check-ins are measured against it (issue 20). */
    lat: doublePrecision('lat'),
    lng: doublePrecision('lng'),
    termStart: date('term_start'),
    termEnd: date('term_end'),
    termYears: integer('term_years'),
    status: text('status').notNull().default('active'),
    mergedInto: uuid('merged_into'),
    dissolvedOn: date('dissolved_on'),
    sortOrder: integer('sort_order').notNull().default(0),
    /** Members placed directly in this organization; kept by statement triggers on members (migration 0003). */
    memberCount: integer('member_count').notNull().default(0),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    countyKey(t),
    index('orgs_path_idx').using('btree', t.countyCode, sql`${t.path} text_pattern_ops`),
    index('orgs_parent_idx').on(t.countyCode, t.parentId, t.sortOrder),
    // Led by the county (btree_gin, migration 0022), as every index of a county table.
    index('orgs_name_trgm').using('gin', t.countyCode, sql`${t.name} gin_trgm_ops`),
    index('orgs_initials_idx').using('btree', t.countyCode, sql`${t.nameInitials} text_pattern_ops`),
  ],
);

/** Leadership posts (班子): one row per post holder and term (ORG-2, ORG-4, ORG-5, ORG-6). */
export const orgPosts = pgTable(
  'org_posts',
  {
    id: id(),
    countyCode: countyCode(),
    orgId: uuid('org_id').notNull(),
    post: text('post').notNull(),
    memberId: uuid('member_id'),
    personName: text('person_name'),
    startDate: date('start_date'),
    termEnd: date('term_end'),
    endedOn: date('ended_on'),
    vacantSince: date('vacant_since'),
    createdAt: createdAt(),
  },
  (t) => [
    countyKey(t),
    index('org_posts_org_idx').on(t.countyCode, t.orgId),
    index('org_posts_member_idx').on(t.countyCode, t.memberId),
  ],
);

/** Organization history: created, renamed, moved, merged, dissolved (who was where, when). */
export const orgEvents = pgTable(
  'org_events',
  {
    id: id(),
    countyCode: countyCode(),
    orgId: uuid('org_id').notNull(),
    kind: text('kind').notNull(),
    detail: jsonb('detail').notNull().default({}),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    userId: uuid('user_id'),
  },
  (t) => [countyKey(t), index('org_events_org_idx').on(t.countyCode, t.orgId, t.at)],
);
