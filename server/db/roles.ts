/**
 * Least privilege in the database (SEC-32). Migrations run as the owner of the schema; the platform's
 * pool connects as a login role that owns nothing: it cannot disable triggers, set
 * `session_replication_role`, alter or truncate a table, and on `audit_log` it may only SELECT and
 * INSERT. Roles are cluster-wide, so creation tolerates another process creating the same role.
 */
import type pg from 'pg';
import type { Database } from './index.ts';

/** The role the platform creates when the owner may create roles. */
export const APP_ROLE = 'dangjian_app';

type Runner = Pick<pg.Pool, 'query'> | Pick<pg.Client, 'query'>;

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;

async function retrying<T>(fn: () => Promise<T>): Promise<T> {
  // Two processes altering the same role at once: "tuple concurrently updated" (XX000); try again.
  for (let i = 0; ; i++) {
    try {
      return await fn();
    } catch (e) {
      if (i >= 4 || !/concurrently/.test(String((e as Error).message))) throw e;
      await new Promise((r) => setTimeout(r, 50 * (i + 1)));
    }
  }
}

/** Whether the current (owner) connection may create roles. */
export async function canCreateRoles(db: Runner): Promise<boolean> {
  const r = await db.query('select rolsuper or rolcreaterole as ok from pg_roles where rolname = current_user');
  return Boolean(r.rows[0]?.ok);
}

/** Create the app's login role if it is missing, and (re)set its attributes and password. */
export async function ensureAppRole(db: Runner, role: string, password: string): Promise<void> {
  const attrs = 'LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOREPLICATION NOINHERIT';
  await retrying(() =>
    db.query(`DO $$ BEGIN
      CREATE ROLE ${ident(role)} ${attrs};
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END $$`),
  );
  await retrying(() => db.query(`ALTER ROLE ${ident(role)} WITH ${attrs} PASSWORD ${literal(password)}`));
}

/**
 * The app role's privileges in this database, set after every migration run: data rights on every
 * table, audit_log append-only, sequences for defaults; nothing owned, no TRIGGER, REFERENCES or
 * TRUNCATE. Run as the owner of the tables.
 */
export async function grantAppPrivileges(db: Database | Runner, role: string): Promise<void> {
  const run: Runner = 'pool' in db ? db.pool : db;
  const r = ident(role);
  // Two instances starting together may grant at once ("tuple concurrently updated"): retried.
  await retrying(() =>
    run.query(`
    GRANT USAGE ON SCHEMA public TO ${r};
    REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${r};
    GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${r};
    REVOKE UPDATE, DELETE ON audit_log FROM ${r};
    REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM ${r};
    GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${r};
    DO $$ BEGIN
      IF EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'drizzle') THEN
        GRANT USAGE ON SCHEMA drizzle TO ${r};
        GRANT SELECT ON ALL TABLES IN SCHEMA drizzle TO ${r};
      END IF;
    END $$;`),
  );
  await ensureAnalyzeFunction(run);
  await retrying(() => run.query(`GRANT EXECUTE ON FUNCTION ${ANALYZE_FUNCTION}(text[]) TO ${r}`));
}

/**
 * The app role may not ANALYZE (only a table's owner may), and autovacuum analyzes a table only after
 * a tenth of it changed — with many counties in one database, a county's whole import or first rules
 * run may never get there, and its plans are then made for a county that has no rows (issue 21). This
 * function, the owner's, analyzes the tables of the public schema it is given (all of them for null)
 * for whoever may execute it: the app role after a bulk step of its own (`analyzeTables` in db/index.ts).
 */
export const ANALYZE_FUNCTION = 'dangjian_analyze';

/** Create (or replace) the analyze function; run as the owner of the tables. */
export async function ensureAnalyzeFunction(db: Database | Runner): Promise<void> {
  const run: Runner = 'pool' in db ? db.pool : db;
  await retrying(() =>
    run.query(`
    CREATE OR REPLACE FUNCTION ${ANALYZE_FUNCTION}(tables text[]) RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $f$
    DECLARE t text;
    BEGIN
      IF tables IS NULL THEN
        ANALYZE;
        RETURN;
      END IF;
      FOREACH t IN ARRAY tables LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = 'public' AND tablename = t) THEN
          RAISE EXCEPTION 'no table %', t;
        END IF;
        EXECUTE format('ANALYZE public.%I', t);
      END LOOP;
    END $f$;
    REVOKE ALL ON FUNCTION ${ANALYZE_FUNCTION}(text[]) FROM PUBLIC;`),
  );
}

/** `url` with another user and password. */
export function withCredentials(url: string, user: string, password: string | null): string {
  const u = new URL(url);
  u.username = encodeURIComponent(user);
  u.password = password === null ? '' : encodeURIComponent(password);
  return u.toString();
}

/** The user name in a connection URL (or PGUSER, or the OS user, as libpq would pick). */
export function userOf(url: string): string {
  const u = new URL(url);
  return decodeURIComponent(u.username) || process.env.PGUSER || process.env.USER || 'postgres';
}
