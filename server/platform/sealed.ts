/**
 * Every encrypted column in one list (SEC-16, SEC-30), the context each value is bound to, and the
 * re-seal that brings all of them under the current data key: run at start-up (values written before
 * ciphertext was bound to its row, or a plain legacy column) and by `npm run cli -- rotate-keys`.
 * Maintenance over every county: it reads each table in key order and updates by (county_code, id).
 */
import { sql } from 'drizzle-orm';
import type { Database, Tx } from '../db/index.ts';
import { type Actor, writeAudit } from './audit.ts';
import { createCrypto, type CryptoProvider, keyRingFrom } from './crypto.ts';
import { maskPhone } from './idcard.ts';
import { addDataKey, retireDataKeys } from './keys.ts';

/** A sealed column: which table and column, and the field name its context carries. */
export interface SealedColumn {
  table:
    | 'members'
    | 'orgs'
    | 'users'
    | 'showroom_products'
    | 'showroom_inquiries'
    | 'first_secretaries'
    | 'fs_checkins';
  column: string;
  field: string;
}

export const SEALED_COLUMNS: SealedColumn[] = [
  { table: 'members', column: 'id_enc', field: 'members.id' },
  { table: 'members', column: 'phone_enc', field: 'members.phone' },
  { table: 'members', column: 'address_enc', field: 'members.address' },
  { table: 'orgs', column: 'contact_phone_enc', field: 'orgs.contactPhone' },
  // Pending and enabled second-factor secrets share one field: enabling moves the value between columns.
  { table: 'users', column: 'totp_secret_enc', field: 'users.totp' },
  { table: 'users', column: 'totp_pending_enc', field: 'users.totp' },
  // The showroom (issue 20): a private phone published with its owner's consent, and visitors' inquiries.
  { table: 'showroom_products', column: 'private_phone_enc', field: 'showroom.privatePhone' },
  { table: 'showroom_inquiries', column: 'name_enc', field: 'showroom.inquiryName' },
  { table: 'showroom_inquiries', column: 'contact_enc', field: 'showroom.inquiryContact' },
  { table: 'showroom_inquiries', column: 'message_enc', field: 'showroom.inquiryMessage' },
  // First secretaries (issue 20): the ID number, and a check-in's position (a person's whereabouts).
  { table: 'first_secretaries', column: 'id_enc', field: 'firstSecretaries.id' },
  { table: 'fs_checkins', column: 'position_enc', field: 'fsCheckins.position' },
];

/** The context a value of `field` in row `rowId` is bound to. */
export function sealCtx(field: string, rowId: string): string {
  return `${field}:${rowId}`;
}

/** The blind index of an ID number's last four characters (search by tail, roles that may reveal only). */
export function idTailIndex(crypto: CryptoProvider, tail: string): string {
  return crypto.blindIndex('idtail', tail.toUpperCase());
}

export interface ResealReport {
  resealed: number;
  tailsIndexed: number;
  orgPhonesSealed: number;
  versionsInUse: Set<number>;
}

const BATCH = 2000;

async function resealColumn(db: Database['db'], crypto: CryptoProvider, c: SealedColumn): Promise<number> {
  // Most starts find nothing to do: one scan in SQL instead of reading every value.
  const prefix = `k${crypto.keyVersion}:%`;
  const any = await db.execute(
    sql`select 1 from ${sql.raw(c.table)} where ${sql.raw(c.column)} is not null and ${sql.raw(c.column)} not like ${prefix} limit 1`,
  );
  if (!any.rowCount) return 0;
  let n = 0;
  // Every county's rows, in primary-key order (county_code, id); each update is keyed the same way.
  let after: [string, string] = ['', '00000000-0000-0000-0000-000000000000'];
  for (;;) {
    const rows = await db.execute<{ county_code: string; id: string; v: string }>(
      sql`select county_code, id, ${sql.raw(c.column)} as v from ${sql.raw(c.table)}
        where ${sql.raw(c.column)} is not null and (county_code, id) > (${after[0]}, ${after[1]}::uuid) order by county_code, id limit ${BATCH}`,
    );
    if (!rows.rows.length) return n;
    const tail = rows.rows[rows.rows.length - 1];
    after = [tail.county_code, tail.id];
    const stale = rows.rows.filter((r) => !crypto.isCurrent(r.v));
    if (!stale.length) continue;
    const counties: string[] = [];
    const ids: string[] = [];
    const vals: string[] = [];
    for (const r of stale) {
      const ctx = sealCtx(c.field, r.id);
      const plain = r.v.startsWith('v') ? crypto.decryptLegacy(r.v) : crypto.decrypt(r.v, ctx);
      counties.push(r.county_code);
      ids.push(r.id);
      vals.push(crypto.encrypt(plain, ctx));
    }
    // Compare-and-set on the old value: a row changed meanwhile keeps its newer value.
    const olds = stale.map((r) => r.v);
    const res = await db.execute(sql`update ${sql.raw(c.table)} t set ${sql.raw(c.column)} = u.v
      from unnest(${sql.param(counties)}::text[], ${sql.param(ids)}::uuid[], ${sql.param(vals)}::text[], ${sql.param(olds)}::text[]) as u(county_code, id, v, old)
      where t.county_code = u.county_code and t.id = u.id and t.${sql.raw(c.column)} = u.old`);
    n += res.rowCount ?? 0;
  }
}

/** Rows written before the keyed tail index existed get theirs (from the decrypted number). */
async function indexTails(db: Database['db'], crypto: CryptoProvider): Promise<number> {
  let n = 0;
  for (;;) {
    const rows = await db.execute<{ county_code: string; id: string; id_enc: string }>(
      sql`select county_code, id, id_enc from members where id_tail_bidx is null limit ${BATCH}`,
    );
    if (!rows.rows.length) return n;
    const counties = rows.rows.map((r) => r.county_code);
    const ids = rows.rows.map((r) => r.id);
    const tails = rows.rows.map((r) =>
      idTailIndex(crypto, crypto.decrypt(r.id_enc, sealCtx('members.id', r.id)).slice(-4)),
    );
    const res = await db.execute(sql`update members m set id_tail_bidx = u.t
      from unnest(${sql.param(counties)}::text[], ${sql.param(ids)}::uuid[], ${sql.param(tails)}::text[]) as u(county_code, id, t)
      where m.county_code = u.county_code and m.id = u.id`);
    n += res.rowCount ?? 0;
  }
}

/** Organizations' plain legacy contact phones move into the sealed column. */
async function sealOrgPhones(db: Database['db'], crypto: CryptoProvider): Promise<number> {
  const rows = await db.execute<{ county_code: string; id: string; contact_phone: string }>(
    sql`select county_code, id, contact_phone from orgs where contact_phone is not null`,
  );
  for (const r of rows.rows) {
    const phone = r.contact_phone.trim();
    await db.execute(sql`update orgs set contact_phone_enc = ${phone ? crypto.encrypt(phone, sealCtx('orgs.contactPhone', r.id)) : null},
      contact_phone_masked = ${phone ? maskPhone(phone) : null}, contact_phone = null where county_code = ${r.county_code} and id = ${r.id} and contact_phone = ${r.contact_phone}`);
  }
  return rows.rows.length;
}

/** Data key versions still used by any sealed value. */
export async function versionsInUse(db: Tx): Promise<Set<number>> {
  const out = new Set<number>();
  for (const c of SEALED_COLUMNS) {
    const r = await db.execute<{ v: string }>(
      sql`select distinct substring(${sql.raw(c.column)} from '^[kv](\\d+):') as v from ${sql.raw(c.table)} where ${sql.raw(c.column)} is not null`,
    );
    for (const row of r.rows) if (row.v) out.add(Number(row.v));
  }
  return out;
}

/** Bring every sealed value under the current key and bound to its row; fill derived indexes. Idempotent. */
export async function reseal(database: Database, crypto: CryptoProvider): Promise<ResealReport> {
  const db = database.db;
  let resealed = 0;
  for (const c of SEALED_COLUMNS) resealed += await resealColumn(db, crypto, c);
  const tailsIndexed = await indexTails(db, crypto);
  const orgPhonesSealed = await sealOrgPhones(db, crypto);
  return { resealed, tailsIndexed, orgPhonesSealed, versionsInUse: await versionsInUse(db) };
}

/**
 * Key rotation (SEC-16): a new data key becomes current, every sealed value is re-encrypted under it,
 * and data keys nothing uses any more are dropped from the key file. The blind-index and audit keys
 * are designated keys that do not change, so lookups and the audit chain keep working.
 */
export async function rotateDataKey(
  database: Database,
  dataDir: string,
  actor: Actor,
): Promise<{ from: number; to: number; resealed: number; retired: number[]; crypto: CryptoProvider }> {
  const before = await versionsInUse(database.db);
  const file = addDataKey(dataDir);
  const crypto = createCrypto(keyRingFrom(file));
  const report = await reseal(database, crypto);
  const retired = retireDataKeys(dataDir, report.versionsInUse);
  await database.db.transaction((tx) =>
    writeAudit(tx, crypto, actor, [
      {
        action: 'system.keys.rotate',
        detail: { from: [...before], to: file.current, resealed: report.resealed, retired },
      },
    ]),
  );
  return { from: Math.max(0, ...before), to: file.current, resealed: report.resealed, retired, crypto };
}
