/**
 * A county's work reads only its county, by the plans PostgreSQL makes (issue 21). county-check.ts
 * checks the text of a statement; this checks its plan: every statement the app sends on a recorded
 * pool is first planned with `EXPLAIN (FORMAT JSON)` (same text, same parameters, same connection and
 * transaction, so temp tables and their rows are there), and the plan is held to three rules for each
 * county table it reads:
 *
 * - no sequential scan: with `enable_seqscan` off (the recorder turns it off on its connections) the
 *   planner still scans the table whole only when no index led by the county can serve the statement,
 *   and a whole scan reads every county's rows;
 * - every index scan has a condition on `county_code` (an index read in full is every county's rows);
 * - no index scan whose only condition is the county, repeated for every row of another relation (the
 *   inner side of a nested loop, a subplan): that reads the whole county once per row, and is what a
 *   planner that takes a county for empty (statistics from before the county had rows) chooses.
 */
import pg from 'pg';
// @ts-expect-error: node-postgres's own conversion of a parameter to text, not in its typings
import { prepareValue } from 'pg/lib/utils.js';
import { TABLE_ROLES } from '../db/table-roles.ts';

const DISTRIBUTED = new Set(
  Object.entries(TABLE_ROLES)
    .filter(([, d]) => d.role === 'distributed')
    .map(([t]) => t),
);
const MENTIONS = new RegExp(`\\b(${[...DISTRIBUTED].join('|')})\\b`);
const PLANNED = /^\s*(with|select|insert|update|delete)\b/i;
/** Statements of the platform's own bookkeeping that are not a county's work. */
const SKIP = /^\s*select (set_config|current_setting|pg_advisory)/i;

export interface PlanOffence {
  statement: string;
  table: string;
  what: string;
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Alias?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  'Parent Relationship'?: string;
  Plans?: PlanNode[];
}

/** Whether an index condition pins the county and nothing else. */
function countyOnly(cond: string): boolean {
  return (
    /^\(*county_code = [^()]*?\)*$/.test(cond.trim()) || /^\(*county_code = \(?'\d{6}'::bpchar\)?\)*$/.test(cond.trim())
  );
}

/** The offences of one plan (the JSON of EXPLAIN); `perRow: false` leaves out the third rule. */
export function planOffences(statement: string, plan: PlanNode, opts: { perRow?: boolean } = {}): PlanOffence[] {
  const out: PlanOffence[] = [];
  const walk = (n: PlanNode, repeated: boolean, relation: string | undefined) => {
    const table = n['Relation Name'] ?? relation;
    const type = n['Node Type'];
    if (table && DISTRIBUTED.has(table)) {
      const name = `${table}${n.Alias && n.Alias !== table ? ` ${n.Alias}` : ''}`;
      if (type === 'Seq Scan') out.push({ statement, table: name, what: 'sequential scan (every county’s rows)' });
      if (type === 'Index Scan' || type === 'Index Only Scan' || type === 'Bitmap Index Scan') {
        const cond = n['Index Cond'] ?? '';
        if (!/county_code\s*=/.test(cond))
          out.push({
            statement,
            table: name,
            what: `index ${n['Index Name']} without the county (${cond || 'read in full'})`,
          });
        else if (opts.perRow !== false && repeated && countyOnly(cond))
          out.push({
            statement,
            table: name,
            what: `index ${n['Index Name']} on the county alone, once per row of another relation`,
          });
      }
    }
    const children = n.Plans ?? [];
    for (const c of children) {
      const rel = c['Parent Relationship'];
      const again = repeated || (type === 'Nested Loop' && rel === 'Inner') || rel === 'SubPlan';
      // A bitmap index scan belongs to the heap scan above it.
      walk(c, again, type === 'Bitmap Heap Scan' || type === 'BitmapAnd' || type === 'BitmapOr' ? table : undefined);
    }
  };
  walk(plan, false, undefined);
  return out;
}

/**
 * Plan every statement sent on the pool's connections from now on (connections opened later) before it
 * runs, with sequential scans off, and collect the offences into `sink`. `only` narrows the check to
 * statements whose text matches (the rest run unplanned); `perRow` says of which the third rule is checked.
 */
let prepared = 0;

export function recordPlans(
  pool: pg.Pool,
  sink: PlanOffence[],
  opts: { only?: RegExp; enabled?: () => boolean; perRow?: (text: string) => boolean } = {},
): void {
  pool.on('connect', (client: pg.PoolClient) => {
    const query = client.query.bind(client) as (...a: unknown[]) => Promise<unknown>;
    void query('set enable_seqscan = off');
    (client as unknown as { query: (...a: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const q = args[0] as string | { text?: string; values?: unknown[] };
      const text = typeof q === 'string' ? q : String(q?.text ?? '');
      const values = Array.isArray(args[1]) ? (args[1] as unknown[]) : typeof q === 'string' ? undefined : q?.values;
      const check =
        (!opts.enabled || opts.enabled()) &&
        PLANNED.test(text) &&
        !SKIP.test(text) &&
        MENTIONS.test(text) &&
        (!opts.only || opts.only.test(text));
      if (!check || typeof args[args.length - 1] === 'function') return query(...args);
      return (async () => {
        // Prepared and explained as executed: a plan made for these values, or the generic plan where the
        // session asks for one (plan_cache_mode), as the statement itself gets it.
        const name = `plan_check_${++prepared}`;
        await query(`prepare ${name} as ${text}`);
        // EXECUTE inside EXPLAIN takes no bound parameters: the values as literals, written as node-postgres sends them.
        const literal = (v: unknown) => {
          const t = prepareValue(v);
          return t === null ? 'null' : pg.escapeLiteral(typeof t === 'string' ? t : t.toString());
        };
        const given = values?.length ? `(${values.map(literal).join(', ')})` : '';
        const r = (await query(`explain (format json) execute ${name}${given}`)) as {
          rows: { 'QUERY PLAN': { Plan: PlanNode }[] }[];
        };
        await query(`deallocate ${name}`);
        sink.push(
          ...planOffences(text.replace(/\s+/g, ' ').slice(0, 240), r.rows[0]['QUERY PLAN'][0].Plan, {
            perRow: opts.perRow ? opts.perRow(text) : true,
          }),
        );
        return query(...args);
      })();
    };
  });
}

/** The offences grouped for a readable failure: one line per statement and table. */
export function describeOffences(offences: PlanOffence[]): string[] {
  return [...new Set(offences.map((o) => `${o.table}: ${o.what} — ${o.statement}`))];
}
