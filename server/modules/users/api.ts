/**
 * What the users module offers other modules (issue 17 §1): opening one person's own account (a first
 * secretary's, issue 20) with a one-time password handled as the bulk rollout does it — easy to type
 * on a phone within the county's password rules, returned once and never stored, changed at first login.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/index.ts';
import { hashPassword, typeablePassword } from '../../platform/passwords.ts';
import { namePinyin } from '../../platform/pinyin.ts';
import { getSetting } from '../../platform/settings.ts';
import { insertUsers } from './service.ts';

/** Open an account named after `displayName` (its pinyin, made unique in the county) on `orgId` with `roles`. */
export async function openPersonalAccount(
  tx: Tx,
  p: { countyCode: string; displayName: string; orgId: string; roles: readonly string[]; createdBy: string },
): Promise<{ id: string; username: string; oneTimePassword: string }> {
  let base = namePinyin(p.displayName)
    .full.replace(/[^a-z0-9]/g, '')
    .slice(0, 28);
  if (base.length < 3) base = `${base}dysj`.slice(0, 28);
  const taken = new Set(
    (
      await tx.execute<{ u: string }>(
        sql`select lower(u.username) as u from users u where u.county_code = ${p.countyCode} and lower(u.username) like ${`${base}%`}`,
      )
    ).rows.map((r) => r.u),
  );
  let username = base;
  for (let n = 2; taken.has(username); n++) username = `${base}${n}`;
  const rules = {
    minLength: await getSetting(tx, p.countyCode, 'security.passwordMinLength'),
    classes: await getSetting(tx, p.countyCode, 'security.passwordClasses'),
  };
  const oneTimePassword = typeablePassword(rules);
  const id = randomUUID();
  await insertUsers(
    tx,
    p.countyCode,
    [{ id, username, displayName: p.displayName, hash: await hashPassword(oneTimePassword), orgId: p.orgId }],
    p.roles,
    p.createdBy,
  );
  return { id, username, oneTimePassword };
}
