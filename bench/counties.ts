/**
 * `npm run bench:counties` (issue 21): one county's work alone and among N counties in one database,
 * measured in the same run, as ratios. Two installations are started through the start-up path of
 * `npm start` (`makeDeps`, `ensureCounty`: seeding, statistics, the first rules runs), each in its own
 * data directory under bench/.counties with its own embedded PostgreSQL:
 *
 * - alone: only the measured county (BENCH_COUNTY, default 410225 兰考县) in a fresh database;
 * - among N: the measured county and N − 1 others (BENCH_COUNTIES: a number, default 10, or a list of
 *   codes; the others are the nine counties of 开封 and 郑州 of the issue, then the other counties of
 *   河南 in code order), the measured county seeded last.
 *
 * Then the measured county's cases run on both, alternating (the order flips every round, so load on
 * the shared machine falls on both alike): its full rules run, an incremental re-check of a branch, the
 * compliance view, the problem list, the statistics, a member search by initials and by a full name,
 * an organization card (read caches off: what the database does) and its audit chain's verification.
 * Reported: medians, the ratio among N ÷ alone (aim ≤ 1.5), the start-up of the N-county installation
 * (seeding, statistics, first runs, per county) and the database size per county. Written between the
 * `counties` markers in bench/README.md unless BENCH_WRITE=0.
 *
 * BENCH_TOWNSHIPS=n seeds only the first n townships of each county (quick tries; README untouched).
 * BENCH_KEEP=1 keeps the data directories (deleted at the end otherwise).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../server/app.ts';
import { ensureCounty, makeDeps } from '../server/bootstrap.ts';
import type { Database } from '../server/db/index.ts';
import { acquireDataDirLock } from '../server/db/lock.ts';
import { recheck, runCounty } from '../server/modules/problems/engine.ts';
import { parseExtract, readExtract } from '../server/modules/seed/divisions.ts';
import { verifyAudit, writeAudit } from '../server/platform/audit.ts';
import { shanghaiDate } from '../server/platform/calendar.ts';
import { loadConfig } from '../server/platform/config.ts';
import type { Deps } from '../server/platform/deps.ts';
import { hashPassword } from '../server/platform/passwords.ts';
import { setReadCaches } from '../server/platform/read-cache.ts';
import { BENCH_DIR, ORIGIN, PASSWORD, writeReadmeSection } from './setup.ts';

const ROOT = path.join(BENCH_DIR, '.counties');
const HOST = 'localhost:80';
const MEASURED = process.env.BENCH_COUNTY ?? '410225';
/** The issue's nine counties of 开封 and 郑州. */
const ISSUE_NINE = ['410202', '410203', '410204', '410205', '410212', '410221', '410222', '410223', '410181'];
const TOWNSHIPS = process.env.BENCH_TOWNSHIPS;
const N_FULL = Number(process.env.BENCH_N_FULL ?? 3);
const N_SMALL = Number(process.env.BENCH_N_SMALL ?? 30);
const AUDIT_ENTRIES = Number(process.env.BENCH_AUDIT ?? 5000);
/** BENCH_CASES=0: only the start-ups (with BENCH_ALONE=each, the per-county table). */
const CASES = process.env.BENCH_CASES !== '0';
const log = (msg: string) => console.log(`[bench:counties] ${msg}`);

/** The counties of the N-county installation, the measured one last. */
function countiesAmong(): string[] {
  const given = process.env.BENCH_COUNTIES ?? '10';
  if (given.includes(',')) {
    const list = given.split(',').map((c) => c.trim());
    return [...list.filter((c) => c !== MEASURED), MEASURED];
  }
  const n = Number(given);
  if (!Number.isInteger(n) || n < 2)
    throw new Error('BENCH_COUNTIES: a number ≥ 2 or a comma-separated list of county codes');
  // County-level units of 河南 with townships in the division data (a city's 市辖区 has none).
  const extract = parseExtract(readExtract(), null);
  const henan = extract.areas.filter((a) => a.provinceCode === '41' && !a.code.endsWith('01')).map((a) => a.code);
  const others = [...ISSUE_NINE, ...henan.filter((c) => !ISSUE_NINE.includes(c))].filter((c) => c !== MEASURED);
  if (others.length < n - 1) throw new Error(`only ${others.length + 1} counties available`);
  return [...others.slice(0, n - 1), MEASURED];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);
const gb = (bytes: number) => (bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : `${(bytes / 1e6).toFixed(0)} MB`);

interface Installation {
  name: string;
  counties: string[];
  deps: Deps;
  owner: Database;
  app: FastifyInstance;
  cookie: string;
  root: string;
  township: string;
  branch: string;
  fullName: string;
  startupMs: number;
  /** Each county's first rules run (ms), from its rule_runs row. */
  firstRuns: Record<string, number>;
  /** Each county's seeding (ms). */
  seeds: Record<string, number>;
  stop: () => Promise<void>;
}

/** How many counties the start-up seeds and checks at once here (DANGJIAN_SEED_WORKERS, default the cores). */
function seedWorkers(): number {
  return Number(process.env.DANGJIAN_SEED_WORKERS ?? os.availableParallelism());
}

async function open(name: string, counties: string[], opts: { cases?: boolean } = {}): Promise<Installation> {
  const dir = path.join(ROOT, name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  const release = acquireDataDirLock(dir);
  const env: Record<string, string> = {
    DANGJIAN_DATA_DIR: dir,
    DANGJIAN_COUNTIES: counties.join(','),
    DANGJIAN_PUBLIC_URL: ORIGIN,
    DANGJIAN_ADMIN_PASSWORD: PASSWORD,
  };
  if (TOWNSHIPS) env.DANGJIAN_DEMO_TOWNSHIPS = TOWNSHIPS;
  const config = loadConfig(env);
  const say = (msg: string) => log(`${name}: ${msg}`);
  const { deps, owner, stop } = await makeDeps(config, say);
  const started = await ensureCounty(owner, deps.crypto, config, say, { ...deps, database: owner });
  const startupMs = started.ms;
  const seeds = Object.fromEntries(Object.entries(started.counties).map(([k, v]) => [k, v.seededMs ?? 0]));
  const c = MEASURED;
  const { db } = deps.database;
  const runs = await owner.db.execute<{
    county_code: string;
    ms: number;
  }>(sql`select distinct on (county_code) county_code, extract(epoch from finished_at - started_at) * 1000 as ms
    from rule_runs where status = 'done' order by county_code, started_at`);
  const firstRuns = Object.fromEntries(runs.rows.map((r) => [r.county_code, Number(r.ms)]));
  const close = async () => {
    await stop().catch(() => {});
    release();
    if (process.env.BENCH_KEEP !== '1') fs.rmSync(dir, { recursive: true, force: true });
  };
  // Only its start-up: nothing else is measured there.
  if (opts.cases === false)
    return { ...({} as Installation), name, counties, deps, owner, startupMs, firstRuns, seeds, stop: close };
  const root = (
    await db.execute<{ id: string; path: string }>(
      sql`select id, path from orgs where county_code = ${c} and parent_id is null`,
    )
  ).rows[0];
  const township = (
    await db.execute<{ id: string }>(
      sql`select id from orgs where county_code = ${c} and depth = 1 and kind = 'committee' order by member_count desc, id limit 1`,
    )
  ).rows[0].id;
  const branch = (
    await db.execute<{ id: string }>(sql`select o.id from orgs o where o.county_code = ${c} and o.kind = 'branch'
      and exists (select 1 from meetings m where m.county_code = o.county_code and m.org_id = o.id and m.kind = 'committeeMeeting') order by o.member_count desc, o.id limit 1`)
  ).rows[0].id;
  // The commonest full name of three characters (a name search the trigram index answers).
  const fullName = (
    await db.execute<{ name: string }>(
      sql`select name from members where county_code = ${c} and char_length(name) = 3 group by name order by count(*) desc, name limit 1`,
    )
  ).rows[0].name;
  // An account of the county's own (the start-up's administrators have one-time passwords).
  await owner.db.execute(sql`insert into users (id, county_code, username, display_name, password_hash, roles, org_id)
    values (${crypto.randomUUID()}, ${c}, 'bench', '测试', ${await hashPassword(PASSWORD)}, array['countyAdmin']::text[], ${root.id})`);
  for (const key of ['security.searchesPerMinute', 'security.exportsPerHour', 'security.importsPerHour']) {
    await owner.db.execute(
      sql`insert into settings (county_code, key, value) values (${c}, ${key}, '1000000'::jsonb) on conflict (county_code, key) do update set value = excluded.value`,
    );
  }
  // A year of a county's audited work, for the chain's verification (the start-up writes a few entries).
  for (const county of counties) {
    const entries = Array.from({ length: AUDIT_ENTRIES }, (_, i) => ({
      action: 'member.update',
      objectType: 'member',
      objectId: crypto.randomUUID(),
      detail: { bench: i },
    }));
    await owner.db.transaction((tx) =>
      writeAudit(
        tx,
        deps.crypto,
        { userId: null, username: 'bench', roles: [], orgId: null, countyCode: county, ip: null, requestId: null },
        entries,
      ),
    );
  }
  const app = await buildApp(deps, { logger: false });
  const login = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    headers: { origin: ORIGIN, host: HOST },
    payload: { username: 'bench', password: PASSWORD, county: c },
  });
  if (login.statusCode !== 200) throw new Error(`${name}: login failed: ${login.statusCode} ${login.body}`);
  const set = login.headers['set-cookie'];
  const cookie = (Array.isArray(set) ? set[0] : String(set)).split(';')[0];
  return {
    name,
    counties,
    deps,
    owner,
    app,
    cookie,
    root: root.id,
    township,
    branch,
    fullName,
    startupMs,
    firstRuns,
    seeds,
    stop: async () => {
      await app.close().catch(() => {});
      await close();
    },
  };
}

async function get(inst: Installation, url: string): Promise<void> {
  const r = await inst.app.inject({ method: 'GET', url, headers: { host: HOST, cookie: inst.cookie } });
  if (r.statusCode !== 200) throw new Error(`${inst.name} ${url}: ${r.statusCode} ${r.body.slice(0, 300)}`);
}

interface Row {
  name: string;
  alone: number;
  among: number;
  runs: number;
}

/** One case on both installations, alternating which goes first; medians after one warm-up each. */
async function pair(
  name: string,
  n: number,
  a: Installation,
  b: Installation,
  run: (inst: Installation) => Promise<unknown>,
): Promise<Row> {
  await run(a);
  await run(b);
  const xs: number[] = [];
  const ys: number[] = [];
  const timed = async (inst: Installation, into: number[]) => {
    const t = performance.now();
    await run(inst);
    into.push(performance.now() - t);
  };
  for (let i = 0; i < n; i++) {
    if (i % 2) {
      await timed(b, ys);
      await timed(a, xs);
    } else {
      await timed(a, xs);
      await timed(b, ys);
    }
  }
  const row = { name, alone: median(xs), among: median(ys), runs: n };
  log(
    `${name}: alone ${fmt(row.alone)}, among ${b.counties.length} ${fmt(row.among)}, ×${(row.among / row.alone).toFixed(2)}`,
  );
  return row;
}

async function main() {
  const among = countiesAmong();
  fs.mkdirSync(ROOT, { recursive: true, mode: 0o755 });
  setReadCaches(false);
  const t0 = Date.now();
  const loadStart = os.loadavg()[0];
  log(
    `alone: ${MEASURED}; among ${among.length}: ${among.join(',')}${TOWNSHIPS ? ` (first ${TOWNSHIPS} townships of each)` : ''}`,
  );
  const alone = await open('alone', [MEASURED], { cases: CASES });
  let many: Installation | null = null;
  try {
    many = await open(`among-${among.length}`, among, { cases: CASES });
    const m = many;
    const today = shanghaiDate(new Date());
    const year = Number(today.slice(0, 4));
    const rollback = new Error('rollback');
    const n = among.length;
    let table = `Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC — ${os.cpus().length} cores; load average (1 min) ${loadStart.toFixed(1)} at start, ${os.loadavg()[0].toFixed(1)} at end. Start-up of the ${n}-county installation (${among.join(', ')}), ${seedWorkers()} counties at a time: ${fmt(m.startupMs)}.\n`;
    let fanout = '';
    if (CASES) {
      const rows: Row[] = [];
      rows.push(
        await pair('full rules run of the county', N_FULL, alone, m, (i) =>
          runCounty(i.deps.database.db, i.deps, MEASURED, 'full'),
        ),
      );
      rows.push(
        await pair('incremental re-check of one branch (a saved meeting)', N_SMALL, alone, m, (i) =>
          i.deps.database.db
            .transaction(async (tx) => {
              await recheck(tx, i.deps, {
                countyCode: MEASURED,
                orgId: i.branch,
                dates: [today],
                touched: ['meeting:committeeMeeting', 'attendance'],
              });
              throw rollback;
            })
            .catch((e) => {
              if (e !== rollback) throw e;
            }),
        ),
      );
      rows.push(
        await pair('compliance view, county × 12 months (支委会)', N_SMALL, alone, m, (i) =>
          get(i, `/api/compliance?orgId=${i.root}&kind=committeeMeeting&year=${year}`),
        ),
      );
      rows.push(
        await pair('problem list, whole county, first page', N_SMALL, alone, m, (i) =>
          get(i, '/api/problems?page=1&pageSize=20'),
        ),
      );
      rows.push(await pair('statistics, whole county', N_SMALL, alone, m, (i) => get(i, `/api/stats?orgId=${i.root}`)));
      rows.push(
        await pair('member search by initials (q=zs)', N_SMALL, alone, m, (i) =>
          get(i, '/api/members?q=zs&pageSize=20'),
        ),
      );
      rows.push(
        await pair(`member search by full name (q=${alone.fullName})`, N_SMALL, alone, m, (i) =>
          get(i, `/api/members?q=${encodeURIComponent(alone.fullName)}&pageSize=20`),
        ),
      );
      rows.push(
        await pair('organization card, largest township (read cache off)', N_SMALL, alone, m, (i) =>
          get(i, `/api/orgs/${i.township}`),
        ),
      );
      rows.push(
        await pair('audit chain of the county, verified', 5, alone, m, (i) =>
          verifyAudit(i.deps.database.db, i.deps.crypto, undefined, MEASURED),
        ),
      );

      const facts = async (inst: Installation) =>
        (
          await inst.owner.db.execute<{
            orgs: number;
            members: number;
            meetings: number;
            attendance: number;
            bytes: string;
          }>(sql`select
            (select count(*)::int from orgs) as orgs, (select count(*)::int from members) as members, (select count(*)::int from meetings) as meetings,
            (select count(*)::int from meeting_attendance) as attendance, pg_database_size(current_database())::text as bytes`)
        ).rows[0];
      const fa = await facts(alone);
      const fm = await facts(m);
      const runsAmong = among.map((c) => m.firstRuns[c] ?? 0);
      const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
      const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
      table = [
        `Run ${when} UTC — ${cpu}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM; load average (1 min) ${loadStart.toFixed(1)} at start, ${os.loadavg()[0].toFixed(1)} at end; ${((Date.now() - t0) / 60000).toFixed(0)} minutes in all.`,
        `Measured county ${MEASURED}${TOWNSHIPS ? ` (first ${TOWNSHIPS} townships of each county)` : ''}: alone ${fa.orgs.toLocaleString('en-US')} organizations, ${fa.members.toLocaleString('en-US')} members, ${fa.meetings.toLocaleString('en-US')} meetings; among ${n} counties (${among.join(', ')}): ${fm.orgs.toLocaleString('en-US')} organizations, ${fm.members.toLocaleString('en-US')} members, ${fm.meetings.toLocaleString('en-US')} meetings, ${fm.attendance.toLocaleString('en-US')} attendance rows. Medians; ratio = among ${n} ÷ alone.`,
        '',
        `| case | alone | among ${n} | ratio | aim | met |`,
        '|---|---:|---:|---:|---:|:---:|',
        ...rows.map(
          (r) =>
            `| ${r.name} (${r.runs} runs) | ${fmt(r.alone)} | ${fmt(r.among)} | ×${(r.among / r.alone).toFixed(2)} | ≤ ×1.5 | ${r.among / r.alone <= 1.5 ? 'yes' : 'no'} |`,
        ),
        `| first rules run of the county, at start-up | ${fmt(alone.firstRuns[MEASURED] ?? 0)} | ${fmt(m.firstRuns[MEASURED] ?? 0)} | ×${((m.firstRuns[MEASURED] ?? 0) / (alone.firstRuns[MEASURED] ?? 1)).toFixed(2)} | ≤ ×1.5 | ${(m.firstRuns[MEASURED] ?? 0) / (alone.firstRuns[MEASURED] ?? 1) <= 1.5 ? 'yes' : 'no'} |`,
        '',
        `Start-up of the ${n}-county installation (a fresh data directory, through \`ensureCounty\` as \`npm start\` runs it): ${fmt(m.startupMs)} (alone: ${fmt(alone.startupMs)}); first rules runs ${fmt(Math.min(...runsAmong))}–${fmt(Math.max(...runsAmong))} per county, ${fmt(runsAmong.reduce((x, y) => x + y, 0))} in all. Database ${gb(Number(fm.bytes))}, ${gb(Number(fm.bytes) / n)} per county (alone: ${gb(Number(fa.bytes))}).`,
        '',
      ].join('\n');
      // The tree above the county (docs/SCALE.md): what a city's or province's read would cost on one
      // PostgreSQL, each statement led by `county_code = any(…)`, for the measured county and for all N.
      const monthsOf = Array.from({ length: 12 }, (_, k) => `${year}-${String(k + 1).padStart(2, '0')}`);
      const fanouts: { name: string; run: (cs: string[]) => Promise<unknown> }[] = [
        {
          name: 'compliance (支委会, 12 months) per county and month',
          run: (cs) =>
            m.deps.database.db.execute(sql`select r.county_code, r.period, count(*) filter (where s.status = 'active')::int as required,
              count(*) filter (where s.status = 'active' and r.ok)::int as met
              from rule_results r join orgs s on s.county_code = r.county_code and s.id = r.org_id
              where r.county_code = any(${sql.param(cs)}::bpchar[]) and r.rule_id = 'LIFE-2' and r.subject_type = 'org' and r.period in (${sql.join(
                monthsOf.map((x) => sql`${x}`),
                sql`, `,
              )})
              group by grouping sets ((r.county_code, r.period), (r.period))`),
        },
        {
          name: 'open problems per county and rule',
          run: (cs) =>
            m.deps.database.db.execute(
              sql`select county_code, rule_id, count(*)::int from problems where county_code = any(${sql.param(cs)}::bpchar[]) and status = 'open' group by 1, 2`,
            ),
        },
        {
          name: 'members per county, standing and sex (statistics)',
          run: (cs) =>
            m.deps.database.db.execute(
              sql`select county_code, standing, sex, count(*)::int from members where county_code = any(${sql.param(cs)}::bpchar[]) group by 1, 2, 3`,
            ),
        },
      ];
      const fanRows: string[] = [];
      for (const f of fanouts) {
        const one: number[] = [];
        const all: number[] = [];
        await f.run(among);
        for (let i = 0; i < 5; i++) {
          let t = performance.now();
          await f.run([MEASURED]);
          one.push(performance.now() - t);
          t = performance.now();
          await f.run(among);
          all.push(performance.now() - t);
        }
        fanRows.push(`| ${f.name} | ${fmt(median(one))} | ${fmt(median(all))} | ${fmt(median(all) / n)} |`);
        log(fanRows.at(-1) ?? '');
      }
      fanout = [
        `Reads above the county (docs/SCALE.md "The tree above the county"), one statement over the measured county and over all ${n} (\`county_code = any(…)\`, the app's role, medians of 5):`,
        '',
        `| statement | one county | all ${n} | per county |`,
        '|---|---:|---:|---:|',
        ...fanRows,
        '',
      ].join('\n');
    }
    let perCounty = '';
    if (process.env.BENCH_ALONE === 'each') {
      // Every other county started alone too (one after another, each in a fresh data directory): its
      // first rules run at start-up alone and among the N.
      const members = await m.owner.db.execute<{ county_code: string; n: number }>(
        sql`select county_code, count(*)::int as n from members group by 1`,
      );
      const count = Object.fromEntries(members.rows.map((r) => [r.county_code, r.n]));
      const lines: string[] = [];
      for (const c of among) {
        let firstAlone = alone.firstRuns[c];
        let seedAlone = alone.seeds[c];
        if (c !== MEASURED) {
          const one = await open(`alone-${c}`, [c], { cases: false });
          firstAlone = one.firstRuns[c];
          seedAlone = one.seeds[c];
          await one.stop();
        }
        const ratio = (m.firstRuns[c] ?? 0) / firstAlone;
        lines.push(
          `| ${c} | ${(count[c] ?? 0).toLocaleString('en-US')} | ${fmt(seedAlone)} | ${fmt(m.seeds[c] ?? 0)} | ${fmt(firstAlone)} | ${fmt(m.firstRuns[c] ?? 0)} | ×${ratio.toFixed(2)} | ${ratio <= 1.5 ? 'yes' : 'no'} |`,
        );
        log(lines.at(-1) ?? '');
      }
      perCounty = [
        `Each county's start-up alone (a fresh data directory of its own) and among the ${n} (the installation above, ${seedWorkers()} counties at a time):`,
        '',
        `| county | members | seeding alone | seeding among ${n} | first rules run alone | among ${n} | ratio | ≤ ×1.5 |`,
        '|---|---:|---:|---:|---:|---:|---:|:---:|',
        ...lines,
        '',
      ].join('\n');
    }
    console.log(table + fanout + perCounty);
    // The cases and the start-up per county are committed from separate runs (the latter with one county at a time).
    if (process.env.BENCH_WRITE !== '0' && !TOWNSHIPS)
      writeReadmeSection(
        CASES ? 'counties' : 'counties-start',
        CASES ? [table, fanout, perCounty].join('\n') : [table, perCounty].join('\n'),
      );
  } finally {
    await many?.stop().catch((e) => console.error(e));
    await alone.stop().catch((e) => console.error(e));
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
