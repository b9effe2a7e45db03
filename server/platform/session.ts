/** Server-side sessions in the database (SEC-4): random 256-bit id in an HttpOnly cookie, SM3 of it stored. */
import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { executeNamed, type Tx } from '../db/index.ts';
import { inCounty, joinOrg } from './access.ts';
import type { Deps, SessionUser } from './deps.ts';
import { permissionsFor, TOTP_REQUIRED_ROLES } from './permissions.ts';
import { getSetting } from './settings.ts';

export const SESSION_COOKIE = 'dj_sid';

export function newSessionId(): string {
  return crypto.randomBytes(32).toString('base64url');
}

/** A new session of the account `userId` of county `countyCode`; the cookie value. */
export async function createSession(db: Tx, deps: Deps, countyCode: string, userId: string, ip: string, userAgent: string): Promise<string> {
  const sid = newSessionId();
  await db.execute(sql`insert into sessions (id_hash, county_code, user_id, created_at, last_seen_at, ip, user_agent)
    values (${deps.crypto.sm3(sid)}, ${countyCode}, ${userId}, ${deps.now().toISOString()}, ${deps.now().toISOString()}, ${ip}, ${userAgent.slice(0, 300)})`);
  return sid;
}

export async function endSessionsOf(db: Tx, userId: string, exceptHash?: string): Promise<void> {
  if (exceptHash) await db.execute(sql`delete from sessions where user_id = ${userId} and id_hash <> ${exceptHash}`);
  else await db.execute(sql`delete from sessions where user_id = ${userId}`);
}

/**
 * Resolve a cookie to its user, enforcing idle and absolute timeouts; null when absent or expired.
 * Two reads: the session (a local table, found by the cookie's digest) names the account's county,
 * then the account and its organization are read in that county (docs/SCALE.md: no join between a
 * local table and county tables).
 */
export async function loadSession(deps: Deps, sid: string | undefined): Promise<SessionUser | null> {
  if (!sid || sid.length > 100) return null;
  const db = deps.database.db;
  const idHash = deps.crypto.sm3(sid);
  // Every authenticated request runs these two: named statements, so PostgreSQL does not plan them each time.
  const ses = await executeNamed<{ created_at: string; last_seen_at: string; county_code: string; user_id: string }>(
    db,
    'session',
    sql`select created_at, last_seen_at, county_code, user_id from sessions where id_hash = ${idHash}`,
  );
  const s = ses.rows[0];
  if (!s) return null;
  const res = await executeNamed<Record<string, unknown>>(db, 'session_user', sql`
    select u.id, u.username, u.display_name, u.roles, u.org_id, u.must_change_password, u.disabled, u.totp_enabled, u.county_code, o.path, o.name as org_name
    from users u ${joinOrg('u')}
    where ${inCounty(s.county_code, 'u')} and u.id = ${s.user_id}`);
  const row = res.rows[0];
  if (!row || row.disabled) return null;
  const county = String(row.county_code);
  const now = deps.now().getTime();
  const idle = (await getSetting(db, county, 'security.idleMinutes')) * 60_000;
  const absolute = (await getSetting(db, county, 'security.absoluteHours')) * 3_600_000;
  const lastSeen = new Date(s.last_seen_at).getTime();
  const created = new Date(s.created_at).getTime();
  if (now - lastSeen > idle || now - created > absolute) {
    await db.execute(sql`delete from sessions where id_hash = ${idHash}`);
    return null;
  }
  // Touch at most once a minute: fewer writes, idle timeout still accurate to the minute.
  if (now - lastSeen > 60_000) await db.execute(sql`update sessions set last_seen_at = ${new Date(now).toISOString()} where id_hash = ${idHash}`);
  const roles = row.roles as string[];
  const totpEnabled = Boolean(row.totp_enabled);
  const totpRequired = deps.config.profile === 'level3' && roles.some((r) => TOTP_REQUIRED_ROLES.has(r));
  return {
    id: String(row.id),
    username: String(row.username),
    displayName: String(row.display_name),
    roles,
    orgId: String(row.org_id),
    orgName: String(row.org_name),
    scopePath: String(row.path),
    countyCode: county,
    mustChangePassword: Boolean(row.must_change_password),
    totpEnabled,
    totpRequired,
    mustSetupTotp: totpRequired && !totpEnabled,
    permissions: permissionsFor(roles, deps.config.profile),
    sessionHash: idHash,
  };
}
