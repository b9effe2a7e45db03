/**
 * The database schema (drizzle pg-core). Every business table carries `county_code` (the 6-digit
 * county-level division the row belongs to) and UUID keys, so the Citus step is configuration
 * (engineering.md "Scale path"). Code lists and settings are reference tables.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  char,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const id = () => uuid('id').primaryKey().default(sql`gen_random_uuid()`);
const countyCode = () => char('county_code', { length: 6 }).notNull();
const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

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
    foundedOn: date('founded_on'),
    contactName: text('contact_name'),
    /** Legacy plain contact phone: emptied into contact_phone_enc by the start-up re-seal (platform/sealed.ts); drop in a later migration. */
    contactPhone: text('contact_phone'),
    /** Contact phone (SEC-9, SEC-16): SM4 ciphertext bound to the row, and its mask. */
    contactPhoneEnc: text('contact_phone_enc'),
    contactPhoneMasked: text('contact_phone_masked'),
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
    index('orgs_path_idx').using('btree', sql`${t.path} text_pattern_ops`),
    index('orgs_parent_idx').on(t.parentId, t.sortOrder),
    index('orgs_county_idx').on(t.countyCode),
    index('orgs_name_trgm').using('gin', sql`${t.name} gin_trgm_ops`),
    index('orgs_initials_idx').using('btree', sql`${t.nameInitials} text_pattern_ops`),
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
  (t) => [index('org_posts_org_idx').on(t.orgId), index('org_posts_member_idx').on(t.memberId)],
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
  (t) => [index('org_events_org_idx').on(t.orgId, t.at)],
);

/** Party members (NAT-2). ID number, phone, address: SM4 ciphertext + blind index (SEC-16). */
export const members = pgTable(
  'members',
  {
    id: id(),
    countyCode: countyCode(),
    orgId: uuid('org_id').notNull(),
    name: text('name').notNull(),
    namePinyin: text('name_pinyin').notNull(),
    nameInitials: text('name_initials').notNull(),
    sex: char('sex', { length: 1 }).notNull(),
    birthDate: date('birth_date').notNull(),
    ethnicity: text('ethnicity'),
    education: text('education'),
    personCategory: text('person_category'),
    joinMethod: text('join_method'),
    standing: text('standing').notNull(),
    partyStatus: text('party_status').notNull().default('normal'),
    joinDate: date('join_date').notNull(),
    fullDate: date('full_date'),
    post: text('post'),
    nativePlace: text('native_place'),
    workStartDate: date('work_start_date'),
    idEnc: text('id_enc').notNull(),
    idBidx: text('id_bidx').notNull(),
    /**
     * Keyed blind index of the last four characters (HMAC-SM3), for the tail search of roles that may
     * reveal (SEC-30). No plain tail or stored mask: with the birth date beside them they rebuilt the
     * number. Null only until the start-up re-seal fills rows written before it existed.
     */
    idTailBidx: text('id_tail_bidx'),
    phoneEnc: text('phone_enc'),
    phoneBidx: text('phone_bidx'),
    phoneMasked: text('phone_masked'),
    addressEnc: text('address_enc'),
    addressMasked: text('address_masked'),
    lostContact: boolean('lost_contact').notNull().default(false),
    lastContactDate: date('last_contact_date'),
    mobile: boolean('mobile').notNull().default(false),
    hardship: boolean('hardship').notNull().default(false),
    migrantWorker: boolean('migrant_worker').notNull().default(false),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('members_id_bidx_uq').on(t.countyCode, t.idBidx),
    index('members_org_idx').on(t.orgId, t.namePinyin),
    index('members_pinyin_idx').using('btree', sql`${t.namePinyin} text_pattern_ops`),
    // The initials index is a covering one (INCLUDE id, org_id, name_pinyin, name) made in migration
    // 0006: drizzle-kit cannot express INCLUDE. It lets a one-letter search count without the heap.
    index('members_name_trgm').using('gin', sql`${t.name} gin_trgm_ops`),
    index('members_tail_bidx_idx').on(t.idTailBidx),
    index('members_sort_idx').on(t.namePinyin, t.id),
  ],
);

/** Membership history: which organization a member belonged to, from when to when, and why. */
export const memberOrgHistory = pgTable(
  'member_org_history',
  {
    id: id(),
    countyCode: countyCode(),
    memberId: uuid('member_id').notNull(),
    orgId: uuid('org_id').notNull(),
    orgName: text('org_name').notNull(),
    fromDate: date('from_date').notNull(),
    toDate: date('to_date'),
    reason: text('reason').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('member_org_history_member_idx').on(t.memberId, t.fromDate)],
);

/**
 * What a county's offices told the import wizard once (SEC-8 scope: per county): a header of their
 * rosters is one of our columns or is ignored; a value of theirs stands for a code-list code.
 */
export const importMappings = pgTable(
  'import_mappings',
  {
    countyCode: countyCode(),
    /** 'header' or 'value'. */
    kind: text('kind').notNull(),
    /** For a value, the coded field (ethnicity, education, personCategory); '' for a header. */
    field: text('field').notNull(),
    source: text('source').notNull(),
    target: text('target').notNull(),
    updatedBy: uuid('updated_by'),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.countyCode, t.kind, t.field, t.source] })],
);

/** Accounts. Roles are a text array of role codes; orgId anchors the subtree scope. */
export const users = pgTable(
  'users',
  {
    id: id(),
    countyCode: countyCode(),
    username: text('username').notNull(),
    displayName: text('display_name').notNull(),
    passwordHash: text('password_hash').notNull(),
    passwordHistory: jsonb('password_history').notNull().default([]),
    passwordChangedAt: timestamp('password_changed_at', { withTimezone: true }).notNull().defaultNow(),
    mustChangePassword: boolean('must_change_password').notNull().default(false),
    roles: text('roles').array().notNull(),
    orgId: uuid('org_id').notNull(),
    disabled: boolean('disabled').notNull().default(false),
    failedLogins: integer('failed_logins').notNull().default(0),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
    /** Second factor (SEC-5): TOTP secret, SM4-encrypted; pending until the first code confirms it. */
    totpSecretEnc: text('totp_secret_enc'),
    totpPendingEnc: text('totp_pending_enc'),
    totpEnabled: boolean('totp_enabled').notNull().default(false),
    /** The last 30-second step whose code was accepted: each code works once. */
    totpLastStep: bigint('totp_last_step', { mode: 'number' }),
    createdBy: uuid('created_by'),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('users_username_uq').on(sql`lower(${t.username})`)],
);

/** Server-side sessions (SEC-4): the cookie carries a random id, the table its SM3 digest. */
export const sessions = pgTable(
  'sessions',
  {
    idHash: text('id_hash').primaryKey(),
    userId: uuid('user_id').notNull(),
    createdAt: createdAt(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

/** Fixed-window counters for rate limits shared by every instance (SEC-23). */
export const rateLimits = pgTable('rate_limits', {
  key: text('key').primaryKey(),
  windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
  count: integer('count').notNull(),
});

/** Append-only, hash-chained audit log (SEC-12, SEC-14); triggers refuse UPDATE and DELETE. */
export const auditLog = pgTable(
  'audit_log',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    userId: uuid('user_id'),
    username: text('username'),
    roles: text('roles'),
    orgId: uuid('org_id'),
    countyCode: char('county_code', { length: 6 }),
    ip: text('ip'),
    action: text('action').notNull(),
    objectType: text('object_type'),
    objectId: text('object_id'),
    result: text('result').notNull(),
    requestId: text('request_id'),
    detail: jsonb('detail').notNull().default({}),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [index('audit_at_idx').on(t.at), index('audit_user_idx').on(t.userId, t.at), index('audit_object_idx').on(t.objectType, t.objectId)],
);

/** Code lists (reference data, editable): ethnicity, education, person category, org category… */
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

/** Settings (reference): county-editable numbers and switches. */
export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: updatedAt(),
});

/** Platform facts: the county this installation serves, seed state. */
export const platformMeta = pgTable('platform_meta', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
});


/**
 * level3 dual control (SEC-10): a change touching a privileged account waits here until a second
 * person approves it. The payload never holds a password: the one-time password is made at approval.
 */
export const accountRequests = pgTable(
  'account_requests',
  {
    id: id(),
    countyCode: countyCode(),
    /** 'create' (a new account) or 'update' (roles, organization, password or second-factor reset of an account). */
    kind: text('kind').notNull(),
    targetUserId: uuid('target_user_id'),
    payload: jsonb('payload').notNull().default({}),
    requestedBy: uuid('requested_by').notNull(),
    /** pending, approved or rejected; a pending request past expires_at is expired. */
    status: text('status').notNull().default('pending'),
    decidedBy: uuid('decided_by'),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
  },
  (t) => [index('account_requests_county_idx').on(t.countyCode, t.status, t.createdAt)],
);
