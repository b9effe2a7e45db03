/**
 * Tables of the members module (distributed by county_code: server/db/table-roles.ts, docs/SCALE.md).
 */
import { sql } from 'drizzle-orm';
import { boolean, char, date, index, integer, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { id, countyCode, createdAt, updatedAt, countyKey } from '../../db/columns.ts';

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
    /** 党籍状态 (MEM-7): normal | suspended (停止党籍) | removed (除名); it moves only by a recorded 党员大会 decision. */
    partyStatus: text('party_status').notNull().default('normal'),
    /** The day the status took effect (the 党员大会 that decided it) and that decision (meeting_decisions.id); null while normal from the start. */
    partyStatusSince: date('party_status_since'),
    partyStatusDecisionId: uuid('party_status_decision_id'),
    /**
     * 留党察看 (党章第四十条): from and until when (at most two years), and the decision that imposed it —
     * who decided (the 党员大会 and the committee that approved it, or a 纪委) and on what day, with the
     * 党员大会's recorded 党纪处分 decision when there is one (meeting_decisions.id). During it the member
     * has no vote (表决权、选举权和被选举权): left out of the 党员大会's vote base on the meeting's date.
     * Null when never under it; a new one replaces the last (the audit log keeps the earlier).
     */
    partyProbationFrom: date('party_probation_from'),
    partyProbationUntil: date('party_probation_until'),
    partyProbationDecidedBy: text('party_probation_decided_by'),
    partyProbationDecidedOn: date('party_probation_decided_on'),
    partyProbationDecisionId: uuid('party_probation_decision_id'),
    joinDate: date('join_date').notNull(),
    /**
     * How much of join_date is known: 'day', or 'month' when a roster gave only the year and month
     * (2012.07): join_date is then the first of that month, shown as 2012年07月.
     */
    joinDatePrecision: text('join_date_precision').notNull().default('day'),
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
    // Led by the county (btree_gin, migration 0022): a name's trigrams alone matched every county's namesakes (issue 21).
    index('members_name_trgm').using('gin', t.countyCode, sql`${t.name} gin_trgm_ops`),
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
  // By organization too: who belonged to an organization on a date (the voters of a 党员大会, LIFE-1; the full members of a month, LIFE-2).
  (t) => [
    countyKey(t),
    index('member_org_history_member_idx').on(t.countyCode, t.memberId, t.fromDate),
    index('member_org_history_org_idx').on(t.countyCode, t.orgId, t.fromDate),
  ],
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
