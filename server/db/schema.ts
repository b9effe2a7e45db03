/**
 * The database schema (drizzle pg-core). Every table has a declared Citus role in `table-roles.ts`
 * (docs/SCALE.md). Distributed tables carry `county_code` (the 6-digit county-level division the row
 * belongs to) NOT NULL, first in the primary key and in every unique index, so the Citus step is
 * configuration (engineering.md "Scale path"); ids stay UUIDs. National code lists are a reference
 * table; sessions, the login directory, rate limits and installation facts are local.
 */
import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  smallint,
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

/** A row's UUID; the primary key is (county_code, id): see `countyKey`. */
const id = () => uuid('id').notNull().default(sql`gen_random_uuid()`);
const countyCode = () => char('county_code', { length: 6 }).notNull();
const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();
/** The primary key of a distributed table: the distribution column first (Citus needs it in every unique constraint). */
const countyKey = (t: { countyCode: AnyPgColumn; id: AnyPgColumn }) => primaryKey({ columns: [t.countyCode, t.id] });

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
    countyKey(t),
    index('orgs_path_idx').using('btree', t.countyCode, sql`${t.path} text_pattern_ops`),
    index('orgs_parent_idx').on(t.countyCode, t.parentId, t.sortOrder),
    index('orgs_name_trgm').using('gin', sql`${t.name} gin_trgm_ops`),
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
  (t) => [countyKey(t), index('org_posts_org_idx').on(t.countyCode, t.orgId), index('org_posts_member_idx').on(t.countyCode, t.memberId)],
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
    countyKey(t),
    uniqueIndex('members_id_bidx_uq').on(t.countyCode, t.idBidx),
    index('members_org_idx').on(t.countyCode, t.orgId, t.namePinyin),
    index('members_pinyin_idx').using('btree', t.countyCode, sql`${t.namePinyin} text_pattern_ops`),
    // The initials index is a covering one, (county_code, name_initials) INCLUDE (id, org_id,
    // name_pinyin, name), made in migrations 0006 and 0010: drizzle-kit cannot express INCLUDE. It
    // lets a one-letter search count without the heap.
    index('members_name_trgm').using('gin', sql`${t.name} gin_trgm_ops`),
    index('members_tail_bidx_idx').on(t.countyCode, t.idTailBidx),
    index('members_sort_idx').on(t.countyCode, t.namePinyin, t.id),
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
  (t) => [countyKey(t), index('member_org_history_member_idx').on(t.countyCode, t.memberId, t.fromDate)],
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

/**
 * Accounts. Roles are a text array of role codes; orgId anchors the subtree scope. The login name is
 * unique within the county here and across counties in `usernames`, which every account has a row in.
 */
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
  (t) => [countyKey(t), uniqueIndex('users_username_uq').on(t.countyCode, sql`lower(${t.username})`)],
);

/**
 * The login directory (local): every account's lower-cased login name, globally unique, and where the
 * account lives. Login reads it first (the county is not known yet), then the account in its county.
 */
export const usernames = pgTable('usernames', {
  /** lower(users.username) */
  username: text('username').primaryKey(),
  countyCode: char('county_code', { length: 6 }).notNull(),
  userId: uuid('user_id').notNull(),
});

/** Server-side sessions (SEC-4): the cookie carries a random id, the table its SM3 digest. */
export const sessions = pgTable(
  'sessions',
  {
    idHash: text('id_hash').primaryKey(),
    /** The account's county (a routing hint: the account is read from its county by (county_code, user_id)). */
    countyCode: char('county_code', { length: 6 }).notNull(),
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
  (t) => [countyKey(t), index('account_requests_county_idx').on(t.countyCode, t.status, t.createdAt)],
);
