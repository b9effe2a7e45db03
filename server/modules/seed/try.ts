/**
 * Manual check of the demo seed: a fresh database, the seed for one or more counties, timing and
 * sanity queries. Not part of the test suite (it needs a PostgreSQL and ~20 s per county).
 *
 *   node --import tsx server/modules/seed/try.ts [countyCode…]            # machine PostgreSQL on 5432
 *   SEED_EMBEDDED=1 node --import tsx server/modules/seed/try.ts 410225   # embedded PostgreSQL
 *
 * The database `seedtest_<pid>` (or the embedded data directory) is removed at the end.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { startEmbedded } from '../../db/embedded.ts';
import { connect, ensureDatabase, runMigrations } from '../../db/index.ts';
import { childPathSql, underPathSql } from '../../platform/access.ts';
import { ephemeralCrypto } from '../../platform/crypto.ts';
import { sealCtx } from '../../platform/sealed.ts';
import { parseIdNumber } from '../../platform/idcard.ts';
import { seedDemoCounty } from './generate.ts';

const codes = process.argv.slice(2).length ? process.argv.slice(2) : ['410225', '330106'];
const adminUrl = process.env.SEED_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function dropDatabase(url: string, name: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await c.end();
}

async function main() {
  let stopEmbedded: (() => Promise<void>) | null = null;
  let dataDir: string | null = null;
  let admin = adminUrl;
  if (process.env.SEED_EMBEDDED) {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'seedtest-'));
    // mkdtemp makes it 0700; run as root, the server runs as the postgres OS user and must get in.
    fs.chmodSync(dataDir, 0o755);
    const h = await startEmbedded(dataDir, (m) => console.log(`[pg] ${m}`));
    admin = h.url;
    stopEmbedded = h.stop;
  }
  const crypto = ephemeralCrypto();
  const dbName = `seedtest_${process.pid}`;
  const url = await ensureDatabase(admin, dbName);
  const database = connect(url, 2);
  let failed = false;
  try {
    await runMigrations(database);
    for (const code of codes) {
      const t0 = performance.now();
      const counts = await database.db.transaction((tx) =>
        seedDemoCounty(tx, crypto, code, (m) =>
          console.log(`  [${((performance.now() - t0) / 1000).toFixed(1).padStart(5)} s] ${m}`),
        ),
      );
      const seconds = (performance.now() - t0) / 1000;
      console.log(`\n== ${code}: ${JSON.stringify(counts)} in ${seconds.toFixed(1)} s`);
      const q = async (title: string, query: ReturnType<typeof sql>) => {
        const r = await database.db.execute(query);
        console.log(`-- ${title}`);
        console.table(r.rows);
        return r.rows as Record<string, unknown>[];
      };
      const c = sql`${code}`;
      await q(
        'orgs by kind',
        sql`select kind, count(*)::int as n from orgs where county_code = ${c} group by kind order by n desc`,
      );
      await q(
        'orgs by field',
        sql`select coalesce(field, '-') as field, count(*)::int as orgs,
        (select count(*)::int from members m join orgs o2 on o2.id = m.org_id where o2.field is not distinct from o.field and m.county_code = ${c}) as members
        from orgs o where county_code = ${c} group by field order by orgs desc`,
      );
      await q(
        'members per member-holding org',
        sql`select o.kind, count(*)::int as orgs, min(n)::int as min, round(avg(n))::int as avg, max(n)::int as max
        from (select org_id, count(*) as n from members where county_code = ${c} group by org_id) x join orgs o on o.county_code = ${c} and o.id = x.org_id group by o.kind`,
      );
      await q(
        'member facts',
        sql`select count(*)::int as members,
        round(100.0 * avg((sex = '2')::int), 1) as female_pct,
        round(100.0 * avg((standing = 'probationary')::int), 1) as probationary_pct,
        round(100.0 * avg(lost_contact::int), 1) as lost_pct,
        round(100.0 * avg((phone_enc is not null)::int), 1) as phone_pct,
        round(100.0 * avg((address_enc is not null)::int), 1) as address_pct,
        round(avg(extract(year from age(birth_date)))::numeric, 1) as avg_age,
        count(distinct id_bidx)::int as distinct_ids
        from members where county_code = ${c}`,
      );
      const bad = await q(
        'violations (all must be 0)',
        sql`select
        (select count(*)::int from members m join orgs o on o.county_code = m.county_code and o.id = m.org_id where m.county_code = ${c} and o.kind in ('committee','workingCommittee')) as member_in_committee,
        (select count(*)::int from members m where m.county_code = ${c} and exists (select 1 from orgs c2 where c2.county_code = m.county_code and c2.parent_id = m.org_id)) as member_in_org_with_children,
        (select count(*)::int from orgs o where o.county_code = ${c} and not ${underPathSql('o', sql`(select path from orgs where county_code = ${c} and parent_id is null)`)}) as path_outside_root,
        (select count(*)::int from orgs o join orgs p on p.county_code = o.county_code and p.id = o.parent_id where o.county_code = ${c} and (o.path <> ${childPathSql('o', 'p')} or o.depth <> p.depth + 1)) as bad_path,
        (select count(*)::int from (select id_bidx from members where county_code = ${c} group by id_bidx having count(*) > 1) d) as duplicate_ids,
        (select count(*)::int from members where county_code = ${c} and join_date < (birth_date + interval '18 years')::date) as join_before_18,
        (select count(*)::int from members where county_code = ${c} and full_date < (join_date + interval '1 year')::date) as full_too_early,
        (select count(*)::int from members where county_code = ${c} and standing = 'probationary' and (full_date is not null or join_date < current_date - 366)) as bad_probationary,
        (select count(*)::int from members m where m.county_code = ${c} and not exists (select 1 from member_org_history h where h.county_code = m.county_code and h.member_id = m.id)) as no_history,
        (select count(*)::int from org_posts p left join members m on m.county_code = p.county_code and m.id = p.member_id where p.county_code = ${c} and p.member_id is not null and (m.id is null or m.standing <> 'full')) as post_not_full_member,
        (select count(*)::int from orgs where county_code = ${c} and (term_start is null or term_end is null or founded_on > term_start)) as bad_terms`,
      );
      if (Object.values(bad[0]).some((v) => Number(v) !== 0)) failed = true;
      await q(
        'terms and posts',
        sql`select
        (select count(*)::int from orgs where county_code = ${c} and term_end < current_date) as overdue_terms,
        (select count(*)::int from org_posts where county_code = ${c} and post = 'secretary' and member_id is null and person_name is null) as vacant_secretaries,
        (select count(*)::int from org_posts where county_code = ${c}) as posts,
        (select count(*)::int from code_lists) as code_list_rows`,
      );
      await q(
        'sample tree',
        sql`select repeat('  ', depth) || name as name, kind, field, (select count(*)::int from members m where m.county_code = o.county_code and m.org_id = o.id) as members
        from orgs o where county_code = ${c} and depth <= 2 order by path limit 25`,
      );
      // Decrypt a few members: the ID number must parse and agree with the stored sex and birth date (MEM-6).
      const sample = await database.db.execute<{
        id: string;
        name: string;
        sex: string;
        birth_date: string;
        id_enc: string;
        address_enc: string | null;
      }>(
        sql`select id, name, sex, birth_date, id_enc, address_enc from members where county_code = ${c} order by name_pinyin limit 200`,
      );
      let mismatches = 0;
      for (const m of sample.rows) {
        const p = parseIdNumber(crypto.decrypt(m.id_enc, sealCtx('members.id', m.id)));
        if (!p.ok || p.info.sex !== m.sex || p.info.birthDate !== m.birth_date) mismatches++;
      }
      console.log(
        `-- decrypted ${sample.rows.length} ID numbers, ${mismatches} mismatches; e.g. ${sample.rows[0].name} ${sample.rows[0].address_enc ? crypto.decrypt(sample.rows[0].address_enc, sealCtx('members.address', sample.rows[0].id)) : ''}`,
      );
      if (mismatches) failed = true;
    }
    // The same county twice is refused; an unknown code is refused.
    for (const code of [codes[0], '123456']) {
      try {
        await database.db.transaction((tx) => seedDemoCounty(tx, crypto, code, () => {}));
        console.log(`!! ${code} was accepted`);
        failed = true;
      } catch (e) {
        console.log(`-- ${code} refused: ${(e as Error).message}`);
      }
    }
  } finally {
    await database.close();
    await dropDatabase(admin, dbName);
    if (stopEmbedded) await stopEmbedded();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  }
  if (failed) {
    console.log('\nFAILED');
    process.exitCode = 1;
  } else console.log('\nOK');
}

await main();
