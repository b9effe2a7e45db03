/** Server-side sessions in the database (SEC-4): random 256-bit id in an HttpOnly cookie, SM3 of it stored. */
import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { executeNamed, type Tx } from '../db/index.ts';
import { inCounty, joinOrg, sameCounty } from './access.ts';
import type { Deps, SessionUser } from './deps.ts';
import { permissionsFor, TOTP_REQUIRED_ROLES } from './permissions.ts';
import { getSetting } from './settings.ts';

export const SESSION_COOKIE = 'dj_sid';

export function newSessionId(): string {
  return crypto.randomBytes(32).toString('base64url');
}

/**
 * The cookie of a session: the account's county, a dot, the random id (`410225.<43 characters>`).
 * The county code is no secret (every account of the county shares it); it lets the request find its
 * session, account and organization in one statement on the county's shard. Only the id's SM3 digest is stored.
 */
const COOKIE_FORM = /^(?:(\d{6})\.)?([A-Za-z0-9_-]{20,100})$/;

/** A new session of the account `userId` of county `countyCode`; the cookie value. */
export async function createSession(
  db: Tx,
  deps: Deps,
  countyCode: string,
  userId: string,
  ip: string,
  userAgent: string,
): Promise<string> {
  const sid = newSessionId();
  await db.execute(sql`insert into sessions (county_code, id_hash, user_id, created_at, last_seen_at, ip, user_agent)
    values (${countyCode}, ${deps.crypto.sm3(sid)}, ${userId}, ${deps.now().toISOString()}, ${deps.now().toISOString()}, ${ip}, ${userAgent.slice(0, 300)})`);
  return `${countyCode}.${sid}`;
}

/** End one session (logout, or found expired). */
export async function endSession(db: Tx, countyCode: string, idHash: string): Promise<void> {
  await db.execute(sql`delete from sessions where county_code = ${countyCode} and id_hash = ${idHash}`);
}

/** End every session of an account (password changed or reset, disabled, roles or organization changed, locked), except `exceptHash`. */
export async function endSessionsOf(db: Tx, countyCode: string, userId: string, exceptHash?: string): Promise<void> {
  if (exceptHash)
    await db.execute(
      sql`delete from sessions where county_code = ${countyCode} and user_id = ${userId} and id_hash <> ${exceptHash}`,
    );
  else await db.execute(sql`delete from sessions where county_code = ${countyCode} and user_id = ${userId}`);
}

/**
 * Resolve a cookie to its user, enforcing idle and absolute timeouts; null when absent or expired.
 * One named statement on the cookie's county: the session by its digest, its account, the
 * account's organization and the county's audit head (all distributed by county and co-located,
 * docs/SCALE.md). Every authenticated request runs it, so PostgreSQL parses it once per connection
 * and keeps its plan. A cookie without a county (issued before sessions carried one) costs one more
 * read to find it.
 */
export async function loadSession(deps: Deps, cookie: string | undefined): Promise<SessionUser | null> {
  const form = cookie ? COOKIE_FORM.exec(cookie) : null;
  if (!form) return null;
  const db = deps.database.db;
  const idHash = deps.crypto.sm3(form[2]);
  let county = form[1];
  if (county === undefined) {
    const found = await executeNamed<{ county_code: string }>(
      db,
      'session_county',
      sql`select county_code from sessions where id_hash = ${idHash}`,
    );
    if (!found.rows[0]) return null;
    county = found.rows[0].county_code;
  }
  const res = await executeNamed<Record<string, unknown>>(
    db,
    'session',
    sql`
    select s.created_at, s.last_seen_at, u.id, u.username, u.display_name, u.roles, u.org_id, u.must_change_password, u.disabled, u.totp_enabled, o.path, o.name as org_name,
      (select a.seq::text || ':' || a.hash from audit_log a where a.county_code = s.county_code order by a.seq desc limit 1) as audit_head
    from sessions s join users u on ${sameCounty('u', 's')} and u.id = s.user_id ${joinOrg('u')}
    where ${inCounty(county, 's')} and s.id_hash = ${idHash}`,
  );
  const row = res.rows[0];
  if (!row || row.disabled) return null;
  const now = deps.now().getTime();
  const idle = (await getSetting(db, county, 'security.idleMinutes')) * 60_000;
  const absolute = (await getSetting(db, county, 'security.absoluteHours')) * 3_600_000;
  const lastSeen = new Date(String(row.last_seen_at)).getTime();
  const created = new Date(String(row.created_at)).getTime();
  if (now - lastSeen > idle || now - created > absolute) {
    await endSession(db, county, idHash);
    return null;
  }
  // Touch at most once a minute: fewer writes, idle timeout still accurate to the minute.
  if (now - lastSeen > 60_000)
    await db.execute(
      sql`update sessions set last_seen_at = ${new Date(now).toISOString()} where county_code = ${county} and id_hash = ${idHash}`,
    );
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
    auditHead: String(row.audit_head ?? ''),
  };
}
