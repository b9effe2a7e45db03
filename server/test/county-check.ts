/**
 * The county by construction, checked (issue 17 §2): every statement the app sends names the county
 * of each distributed table it reads or writes. A statement that forgets it would read or change
 * another county's rows in a shared database. The harness records every statement of the app's pool
 * (`TestCtx.statements`); the authorization matrix and the two-county test run this check over them.
 */
import type pg from 'pg';
import { TABLE_ROLES } from '../db/table-roles.ts';

const DISTRIBUTED = Object.entries(TABLE_ROLES)
  .filter(([, d]) => d.role === 'distributed')
  .map(([t]) => t);
const KEYWORDS = new Set([
  'where',
  'set',
  'on',
  'join',
  'left',
  'right',
  'inner',
  'cross',
  'order',
  'group',
  'limit',
  'values',
  'select',
  'union',
  'as',
  'using',
  'returning',
  'for',
  'with',
  'and',
  'or',
]);
const TABLE_REF = new RegExp(
  `\\b(from|join|update|into) "?(${DISTRIBUTED.join('|')})"?(?:\\s+(?:as\\s+)?([a-z_][a-z0-9_]*))?`,
  'gi',
);
const MENTIONS = new RegExp(`\\b(${DISTRIBUTED.join('|')})\\b`);

/** The references to county tables in one statement that do not name their county. */
export function unnamedCounty(text: string): string[] {
  const s = text.replace(/\s+/g, ' ');
  const out: string[] = [];
  for (const m of s.matchAll(TABLE_REF)) {
    const alias = m[3] && !KEYWORDS.has(m[3].toLowerCase()) ? m[3] : null;
    const named = alias ? new RegExp(`\\b${alias}\\.county_code\\b`).test(s) : /\bcounty_code\b/.test(s);
    if (!named) out.push(`${m[1]} ${m[2]}${alias ? ` ${alias}` : ''}`);
  }
  return out;
}

/** Of `statements`, those that leave out a county (text → the references), and how many statements touched a county table. */
export function countyOffenders(statements: Iterable<string>): { offending: [string, string[]][]; checked: number } {
  const offending: [string, string[]][] = [];
  let checked = 0;
  for (const text of new Set(statements)) {
    if (MENTIONS.test(text)) checked++;
    const bad = unnamedCounty(text);
    if (bad.length) offending.push([text.replace(/\s+/g, ' ').slice(0, 300), bad]);
  }
  return { offending, checked };
}

/** Record the text of every statement sent on the pool's connections into `sink`. */
export function recordStatements(pool: pg.Pool, sink: string[]): void {
  pool.on('connect', (client: pg.PoolClient) => {
    const query = client.query.bind(client) as (...a: unknown[]) => unknown;
    (client as unknown as { query: (...a: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const q = args[0] as string | { text?: string };
      sink.push(typeof q === 'string' ? q : String(q?.text ?? ''));
      return query(...args);
    };
  });
}
