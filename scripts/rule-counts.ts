/**
 * The demo county's problem counts, for a change to the rules to be judged by (issue 16's closing
 * note): a fresh database, the full demo county seeded as `npm start` seeds it, one full rules run
 * at a fixed Asia/Shanghai time, then the open and upcoming problems per rule, and how many of the
 * problems of a meeting rule sit on a period where such a meeting was recorded.
 *
 *   node --import tsx scripts/rule-counts.ts [countyCode] [YYYY-MM-DDTHH:MM]   # machine PostgreSQL on 5432
 *
 * The database `rulecounts_<pid>` is removed at the end. Not part of the test suite (about a minute).
 */
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { analyzeTables, connect, ensureDatabase, runMigrations } from '../server/db/index.ts';
import { ensureAnalyzeFunction } from '../server/db/roles.ts';
import { seedCodeLists } from '../server/modules/seed/codelists.ts';
import { seedDemoCounty } from '../server/modules/seed/generate.ts';
import { runCounty } from '../server/modules/problems/engine.ts';
import { ephemeralCrypto } from '../server/platform/crypto.ts';

const county = process.argv[2] ?? '410225';
const at = new Date(`${process.argv[3] ?? '2026-12-06T10:00'}:00+08:00`);
const adminUrl = process.env.SEED_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function main() {
  const name = `rulecounts_${process.pid}`;
  const url = await ensureDatabase(adminUrl, name);
  const database = connect(url, 2);
  try {
    await runMigrations(database);
    const crypto = ephemeralCrypto();
    await database.db.transaction(async (tx) => {
      await seedCodeLists(tx);
      await seedDemoCounty(tx, crypto, county, () => {}, at);
    });
    // As the start-up does: the owner's analyze function (the engine calls it after a run that opens
    // hundreds of problems), and statistics of the seeded county before its first run.
    await ensureAnalyzeFunction(database);
    await analyzeTables(database.db, null);
    const t0 = performance.now();
    const n = await runCounty(database.db, { now: () => at }, county, 'full');
    console.log(
      `full run at ${at.toISOString()}: ${n.checked} results, ${n.opened} opened, ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    const r =
      await database.db.execute(sql`select p.rule_id, p.subject_type, count(*) filter (where p.status = 'open')::int as open,
        count(*) filter (where p.status = 'upcoming')::int as upcoming, count(*) filter (where p.status not in ('open', 'upcoming', 'cleared'))::int as closed_other
      from problems p where p.county_code = ${county} group by 1, 2 order by 1, 2`);
    console.table(r.rows);
    // Problems of a counted meeting rule on a period in which a meeting of that kind of the organization was recorded (held, but not counted).
    const recorded =
      await database.db.execute(sql`select p.rule_id, count(*)::int as problems_with_a_recorded_meeting from problems p
      join rule_results r on r.county_code = p.county_code and r.rule_id = p.rule_id and r.subject_type = p.subject_type and r.subject_id = p.subject_id and r.period = p.period
      where p.county_code = ${county} and p.status in ('open', 'upcoming') and p.subject_type = 'org'
        and exists (select 1 from meetings m where m.county_code = p.county_code and m.org_id = p.subject_id and m.deleted_at is null
          and m.kind = case p.rule_id when 'LIFE-1' then 'branchMeeting' when 'LIFE-2' then 'committeeMeeting' when 'LIFE-3' then 'groupMeeting' when 'LIFE-4' then 'partyLecture'
            when 'LIFE-5' then 'themedDay' when 'LIFE-9' then 'specialMeeting' end
          and m.held_on between r.period_start and r.period_end)
      group by 1 order by 1`);
    console.table(recorded.rows);
    const secretaries =
      await database.db.execute(sql`select o.kind, o.field, count(*)::int as open_secretary_lectures from problems p join orgs o on o.county_code = p.county_code and o.id = p.subject_id
      where p.county_code = ${county} and p.rule_id = 'LIFE-4' and p.subject_type = 'secretary' and p.status = 'open' group by 1, 2 order by 1, 2`);
    console.table(secretaries.rows);
  } finally {
    await database.close();
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await c.end();
  }
}

await main();
