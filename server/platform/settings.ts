/** County-editable settings over platform defaults (speech.md "(n)" numbers, security.md "(setting)"): one row per county and key. */
import { sql } from 'drizzle-orm';
import type { Tx } from '../db/index.ts';

export const SETTING_DEFAULTS = {
  'security.passwordMinLength': 8,
  'security.passwordClasses': 3,
  'security.lockoutThreshold': 5,
  'security.lockoutMinutes': 15,
  'security.idleMinutes': 30,
  'security.absoluteHours': 12,
  'security.passwordHistory': 5,
  'security.passwordMaxAgeDays': 90,
  'security.loginPerIpPerMinute': 30,
  'security.exportsPerHour': 20,
  'security.importsPerHour': 30,
  'security.searchesPerMinute': 120,
  /** Searches by ID number (full or last four): each is audited; this caps them per account (SEC-30). */
  'security.idSearchesPerHour': 60,
  /** Refusals because an ID number is already registered, per account per day, before the county is alerted (SEC-8). */
  'security.duplicateRefusalsPerDay': 10,
  /** A branch secretary sees the phone numbers of their own branch's members in the list (one audit entry per list view). */
  'members.secretarySeesPhones': true,
  'org.secretaryVacantMonths': 3,
  'org.branchMaxMembers': 50,
} as const;
export type SettingKey = keyof typeof SETTING_DEFAULTS;
/** A setting's value type (a number for a number setting, not the literal default). */
export type SettingValue<K extends SettingKey> = (typeof SETTING_DEFAULTS)[K] extends number ? number : (typeof SETTING_DEFAULTS)[K] extends boolean ? boolean : (typeof SETTING_DEFAULTS)[K];

const cache = new Map<string, { at: number; value: unknown }>();
const TTL = 10_000;

/**
 * A county's setting: its own value, else the platform default. Cached for 10 s per process and
 * county, so hot paths do not query on every request. Before anyone is known (a login attempt) pass
 * the installation's county (`installationCounty`).
 */
export async function getSetting<K extends SettingKey>(db: Tx, county: string, key: K): Promise<SettingValue<K>> {
  const ck = `${county}\u0000${key}`;
  const c = cache.get(ck);
  if (c && Date.now() - c.at < TTL) return c.value as SettingValue<K>;
  const res = await db.execute<{ value: unknown }>(sql`select value from settings where county_code = ${county} and key = ${key}`);
  const value = (res.rows[0]?.value ?? SETTING_DEFAULTS[key]) as SettingValue<K>;
  cache.set(ck, { at: Date.now(), value });
  return value;
}

/** Set (or, with null, clear back to the platform default) a county's setting; this process sees it at once. */
export async function setSetting<K extends SettingKey>(db: Tx, county: string, key: K, value: SettingValue<K> | null): Promise<void> {
  if (value === null) await db.execute(sql`delete from settings where county_code = ${county} and key = ${key}`);
  else {
    await db.execute(sql`insert into settings (county_code, key, value) values (${county}, ${key}, ${JSON.stringify(value)}::jsonb)
      on conflict (county_code, key) do update set value = excluded.value, updated_at = now()`);
  }
  cache.delete(`${county}\u0000${key}`);
}
