/**
 * `npm run bench:tasks`: the task list's views over three years of the demo county's tasks (issue 19
 * "Performance"), each through the whole Fastify pipeline against a baseline run in the same process:
 *
 * - the county's dashboard (`GET /api/tasks/dashboard`: every share of the county by status, per
 *   township over its subtree, the escalations), against one scan counting the county's shares by status;
 * - a township's dashboard, against counting its subtree's shares by status;
 * - a village's ledger (`GET /api/tasks/ledger?orgId=`: what the organization owes), against reading
 *   that organization's shares by its index;
 * - the task list's first page (`GET /api/tasks`, with each task's roll-up over the county), against
 *   reading the first page of tasks;
 * - one task with every share (`GET /api/tasks/:id`), against reading its shares.
 *
 * Data: the bench database (bench/setup.ts) with the demo's year of tasks (lists/demo.ts) plus two
 * earlier years from the same generator, written once and reused. Results: printed and written between
 * the `tasks` markers in bench/README.md.
 */
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../server/app.ts';
import { seedTaskYear } from '../server/modules/lists/demo.ts';
import { openBenchDatabase, ORIGIN, PASSWORD, writeReadmeSection } from './setup.ts';

const HOST = 'localhost:80';
const N = Number(process.env.BENCH_N_SMALL ?? 50);
const TARGET_MS = 300;
const log = (msg: string) => console.log(`[bench:tasks] ${msg}`);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

interface Row {
  name: string;
  platform: number;
  baseline: number;
  runs: number;
}

/** Alternate platform and baseline runs so load on the machine falls on both alike. */
async function pair(name: string, platform: () => Promise<unknown>, baseline: () => Promise<unknown>): Promise<Row> {
  await platform();
  await baseline();
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < N; i++) {
    if (i % 2) {
      b.push(await timed(baseline));
      a.push(await timed(platform));
    } else {
      a.push(await timed(platform));
      b.push(await timed(baseline));
    }
  }
  const row = { name, platform: median(a), baseline: median(b), runs: N };
  log(`${name}: ${fmt(row.platform)} (baseline ${fmt(row.baseline)}, ×${(row.platform / row.baseline).toFixed(1)})`);
  return row;
}

async function main() {
  const bench = await openBenchDatabase(log);
  const { deps, config } = bench;
  const { db } = deps.database;
  const county = config.demoCounty;
  let app: FastifyInstance | null = null;
  try {
    // The demo's year (a bench database made before the lists module has none), then two earlier years, once.
    const years = await db.execute<{ y: string }>(
      sql`select distinct to_char(created_at at time zone 'Asia/Shanghai', 'YYYY') as y from tasks where county_code = ${county}`,
    );
    const have = new Set(years.rows.map((r) => r.y));
    const now = deps.now();
    for (let back = 0; back < 3; back++) {
      const y = now.getUTCFullYear() - back;
      if (have.has(String(y))) continue;
      log(`writing the tasks of ${y} (once)…`);
      const at = back === 0 ? now : new Date(Date.parse(`${y}-12-28T12:00:00+08:00`));
      const n = await db.transaction((tx) => seedTaskYear(tx, county, at, back ? `:${y}` : ''));
      log(`  ${JSON.stringify(n)}`);
    }
    await bench.owner.pool.query('analyze tasks, task_assignments, task_events');
    const sizes = (
      await db.execute<{ tasks: number; shares: number; events: number }>(sql`select
        (select count(*)::int from tasks where county_code = ${county}) as tasks,
        (select count(*)::int from task_assignments where county_code = ${county}) as shares,
        (select count(*)::int from task_events where county_code = ${county}) as events`)
    ).rows[0];
    log(`data: ${sizes.tasks} tasks, ${sizes.shares} shares, ${sizes.events} history rows`);

    app = await buildApp(deps, { logger: false });
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { origin: ORIGIN, host: HOST },
      payload: { username: 'admin', password: PASSWORD },
    });
    if (login.statusCode !== 200) throw new Error(`login failed: ${login.statusCode} ${login.body}`);
    const set = login.headers['set-cookie'];
    const cookie = (Array.isArray(set) ? set[0] : String(set)).split(';')[0];
    const a = app;
    const get = async (url: string) => {
      const r = await a.inject({ method: 'GET', url, headers: { host: HOST, cookie } });
      if (r.statusCode !== 200) throw new Error(`${url}: ${r.statusCode} ${r.body.slice(0, 300)}`);
    };

    // The township with the most shares, its busiest village, the task with the most shares.
    const town = (
      await db.execute<{ id: string; path: string }>(sql`select o.id, o.path from orgs o
        where o.county_code = ${county} and o.parent_id = ${bench.rootId}
        order by (select count(*) from task_assignments a join orgs ao on ao.county_code = a.county_code and ao.id = a.org_id
          where a.county_code = o.county_code and ao.path like o.path || '%') desc limit 1`)
    ).rows[0];
    const village = (
      await db.execute<{
        id: string;
      }>(sql`select a.org_id as id from task_assignments a join orgs o on o.county_code = a.county_code and o.id = a.org_id
        where a.county_code = ${county} and o.parent_id = ${town.id} group by a.org_id order by count(*) desc limit 1`)
    ).rows[0];
    const task = (
      await db.execute<{
        id: string;
      }>(sql`select a.task_id as id from task_assignments a where a.county_code = ${county}
        group by a.task_id order by count(*) desc limit 1`)
    ).rows[0];

    const rows: Row[] = [];
    rows.push(
      await pair(
        "the county's dashboard",
        () => get('/api/tasks/dashboard'),
        () =>
          db.execute(sql`select status, count(*) from task_assignments where county_code = ${county} group by status`),
      ),
    );
    rows.push(
      await pair(
        "a township's dashboard (its busiest)",
        () => get(`/api/tasks/dashboard?orgId=${town.id}`),
        () =>
          db.execute(sql`select a.status, count(*) from task_assignments a join orgs o on o.county_code = a.county_code and o.id = a.org_id
            where a.county_code = ${county} and o.path like ${`${town.path}%`} group by a.status`),
      ),
    );
    rows.push(
      await pair(
        "a village's ledger (all it holds)",
        () => get(`/api/tasks/ledger?orgId=${village.id}`),
        () =>
          db.execute(
            sql`select id, task_id, status, deadline from task_assignments where county_code = ${county} and org_id = ${village.id}`,
          ),
      ),
    );
    rows.push(
      await pair(
        'the task list, first page with roll-ups',
        () => get('/api/tasks'),
        () =>
          db.execute(
            sql`select id, title, deadline from tasks where county_code = ${county} order by created_at desc, id limit 20`,
          ),
      ),
    );
    rows.push(
      await pair(
        'one task with every share',
        () => get(`/api/tasks/${task.id}`),
        () =>
          db.execute(
            sql`select id, org_id, status, deadline from task_assignments where county_code = ${county} and task_id = ${task.id}`,
          ),
      ),
    );

    const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
    const table = [
      `Run ${when} UTC on this machine (2 cores): ${sizes.tasks} tasks, ${sizes.shares.toLocaleString('en-US')} shares, ${sizes.events.toLocaleString('en-US')} history rows. Medians of ${N}.`,
      '',
      '| case | platform | baseline | ratio | aim | met |',
      '|---|---|---|---|---|---|',
      ...rows.map(
        (r) =>
          `| ${r.name} | ${fmt(r.platform)} | ${fmt(r.baseline)} | ×${(r.platform / r.baseline).toFixed(1)} | < ${fmt(TARGET_MS)} | ${r.platform < TARGET_MS ? 'yes' : 'no'} |`,
      ),
      '',
    ].join('\n');
    writeReadmeSection('tasks', table);
    console.log(table);
  } finally {
    await app?.close().catch(() => {});
    await bench.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
