/**
 * Tables of the accounts module: accounts and dual-control requests (distributed).
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { id, countyCode, createdAt, updatedAt, countyKey } from '../../db/columns.ts';

/**
 * Accounts. Roles are a text array of role codes; orgId anchors the subtree scope. The login name is
 * unique within the county only: each county's accounts live in its own name space, and a login names
 * its county (issue 15 §8: one county must learn nothing of another's accounts).
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
