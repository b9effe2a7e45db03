/** Password hashing (argon2id, SEC-6) and the password rules (SEC-2). */
import crypto from 'node:crypto';
import fs from 'node:fs';
import zlib from 'node:zlib';
import { hash, verify } from '@node-rs/argon2';
import { sql } from 'drizzle-orm';
import type { Tx } from '../db/index.ts';
import { fieldError } from './errors.ts';
import { pinyinKey } from './pinyin.ts';
import { getSetting } from './settings.ts';

/**
 * Common passwords, lower-case, one a line: zxcvbn's list (MIT) plus Chinese patterns, built by
 * scripts/build-password-list.ts. Loaded once; a missing file stops start-up rather than weakening the rule.
 */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set(
  zlib
    .gunzipSync(fs.readFileSync(new URL('./common-passwords.txt.gz', import.meta.url)))
    .toString('utf8')
    .split('\n')
    .filter(Boolean),
);

export async function hashPassword(pw: string): Promise<string> {
  return hash(pw, { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 });
}

export async function verifyPassword(stored: string, pw: string): Promise<boolean> {
  try {
    return await verify(stored, pw);
  } catch {
    return false;
  }
}

/** A hash to verify against when the user does not exist, so both answers take alike time (SEC-3). */
export const DUMMY_HASH = await hashPassword('dummy-password-for-timing');

/** A random one-time password: 16 characters from an unambiguous alphabet with every class present. */
export function randomPassword(): string {
  const sets = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnpqrstuvwxyz', '23456789', '!@#%*-_+'];
  const all = sets.join('');
  const chars = sets.map((s) => s[crypto.randomInt(s.length)]);
  while (chars.length < 16) chars.push(all[crypto.randomInt(all.length)]);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = crypto.randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join('');
}

/** Lower-case letters and digits that cannot be taken for one another (no i l o, no 0 1). */
const TYPEABLE_LETTERS = 'abcdefghjkmnpqrstuvwxyz';
const TYPEABLE_DIGITS = '23456789';
const TYPEABLE_UPPER = 'ABCDEFGHJKMNPQRSTUVWXYZ';

/**
 * A one-time password an older secretary can type on a phone: groups of four lower-case letters and
 * digits without look-alikes, joined by hyphens (k7mp-3wqa-x9rt), as long as the county's rules ask
 * (at least 14 characters, ~59 bits): the hyphen is the third class; a county asking for four classes
 * gets one capital letter at the start. Never a common password.
 */
export function typeablePassword(rules: { minLength: number; classes: number }): string {
  const groups = Math.max(3, Math.ceil((rules.minLength + 1) / 5));
  for (;;) {
    const chars = Array.from({ length: groups * 4 }, () => {
      const pool = crypto.randomInt(3) === 0 ? TYPEABLE_DIGITS : TYPEABLE_LETTERS;
      return pool[crypto.randomInt(pool.length)];
    });
    if (rules.classes >= 4) chars[0] = TYPEABLE_UPPER[crypto.randomInt(TYPEABLE_UPPER.length)];
    const pw = Array.from({ length: groups }, (_, g) => chars.slice(g * 4, g * 4 + 4).join('')).join('-');
    if (/\d/.test(pw) && /[a-z]/.test(pw) && !isCommonPassword(pw)) return pw;
  }
}

const LEET: Record<string, string> = {
  '@': 'a',
  '4': 'a',
  '0': 'o',
  '1': 'i',
  '!': 'i',
  '3': 'e',
  $: 's',
  '5': 's',
  '7': 't',
};

/**
 * The forms of a password to look up in the list: as typed (lower-case), without leading or
 * trailing symbols, and its stem without trailing digits and symbols (Qwerty@123456 → qwerty),
 * each also with look-alike digits read as letters (P@ssw0rd → password).
 */
export function passwordForms(pw: string): string[] {
  const lower = pw.toLowerCase();
  const out = new Set<string>([lower]);
  const trimmed = lower.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
  const stem = lower.replace(/[^\p{L}]+$/u, '').replace(/^[^\p{L}\p{N}]+/u, '');
  const bare = stem.replace(/^[^\p{L}]+/u, '');
  for (const f of [trimmed, stem, bare]) if (f.length >= 4) out.add(f);
  for (const f of [...out]) {
    const leet = f.replace(/[@40!13$57]/g, (c) => LEET[c]);
    if (leet !== f) out.add(leet);
    const leetStem = leet.replace(/[^\p{L}]+$/u, '');
    if (leetStem.length >= 4) out.add(leetStem);
  }
  return [...out];
}

export function isCommonPassword(pw: string): boolean {
  return passwordForms(pw).some((f) => COMMON_PASSWORDS.has(f));
}

/** The county's name in characters and pinyin ('兰考', 'lankao'), from the root organization's name. */
export function countyNameForms(rootName: string): string[] {
  const full = rootName.replace(/^中共/, '').replace(/委员会$/, '');
  if (!full) return [];
  const base = full.replace(/(自治县|自治旗|县|市|区|旗)$/, '') || full;
  const name = base.length >= 2 ? base : full;
  const py = pinyinKey(name).replace(/[^a-z]/g, '');
  const forms = [name];
  // A one-syllable pinyin would refuse too many random passwords: use the whole name then (沛县 → peixian).
  forms.push(py.length >= 5 ? py : pinyinKey(full).replace(/[^a-z]/g, ''));
  return forms.filter((f) => f.length >= 2);
}

const countyCache = new Map<string, { at: number; forms: string[] }>();
/** The forms of county `county`'s name (from its root organization), cached a minute per county. */
async function countyForms(db: Tx, county: string): Promise<string[]> {
  const c = countyCache.get(county);
  if (c && Date.now() - c.at < 60_000) return c.forms;
  const r = await db.execute<{ name: string }>(
    sql`select o.name from orgs o where o.county_code = ${county} and o.parent_id is null order by o.depth, o.created_at limit 1`,
  );
  const forms = r.rows[0] ? countyNameForms(r.rows[0].name) : [];
  countyCache.set(county, { at: Date.now(), forms });
  return forms;
}

/** The password rules of the account's county (its settings, its name); throws a field error (on `field`) listing what is wrong. */
export async function checkPasswordRules(
  db: Tx,
  pw: string,
  who: { county: string; username?: string; field?: string },
): Promise<void> {
  const { county, username, field = 'password' } = who;
  const min = await getSetting(db, county, 'security.passwordMinLength');
  const classesNeeded = await getSetting(db, county, 'security.passwordClasses');
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z\d]/].filter((r) => r.test(pw)).length;
  const problems: string[] = [];
  const lower = pw.toLowerCase();
  if (pw.length < min) problems.push(`密码至少 ${min} 位`);
  if (pw.length > 128) problems.push('密码不能超过 128 位');
  if (classes < classesNeeded) problems.push(`密码需包含大写字母、小写字母、数字、符号中的至少 ${classesNeeded} 类`);
  if (isCommonPassword(pw)) problems.push('密码过于常见（常见密码加上大写、符号或年份也不行），请换一个');
  if (username && lower.includes(username.toLowerCase())) problems.push('密码不能包含用户名');
  if ((await countyForms(db, county)).some((f) => lower.includes(f)))
    problems.push('密码不能包含本县县名（汉字或拼音）');
  if (problems.length)
    throw fieldError([{ field, message: `${field === 'newPassword' ? '新密码' : '密码'}：${problems.join('；')}` }]);
}
