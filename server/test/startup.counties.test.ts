/**
 * The start-up of a several-county installation (issue 21): demo counties seeded and checked a few at
 * a time, each line of progress naming its county, and a start interrupted in the middle resumed by the
 * next one without making anything twice.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureCounty } from '../bootstrap.ts';
import { connect, type Database } from '../db/index.ts';
import { ANCHOR_FILE, AuditAnchor } from '../platform/anchor.ts';
import { loadConfig } from '../platform/config.ts';
import { createCrypto, generateKeyFile, keyRingFrom } from '../platform/crypto.ts';
import type { Deps } from '../platform/deps.ts';
import { createFileService } from '../platform/files/file-service.ts';
import { createTestDatabase, ORIGIN, PASSWORD } from './harness.ts';

const COUNTIES = ['410225', '410222', '410223'] as const; // 兰考县, 通许县, 尉氏县
const [LK, TX, WS] = COUNTIES;

let owner: Database;
let drop: () => Promise<void>;
let dataDir: string;
let deps: Deps;
const config = () =>
  loadConfig({
    DANGJIAN_PUBLIC_URL: ORIGIN,
    DANGJIAN_DATA_DIR: dataDir,
    DANGJIAN_COUNTIES: COUNTIES.join(','),
    DANGJIAN_DEMO_TOWNSHIPS: '1',
    DANGJIAN_ADMIN_PASSWORD: PASSWORD,
    DANGJIAN_SEED_WORKERS: '2',
  });
const crypto = createCrypto(keyRingFrom(generateKeyFile()));

async function facts() {
  const r = await owner.db.execute<{
    county_code: string;
    roots: number;
    seeds: number;
    members: number;
    evidence: number;
    done: number;
    running: number;
  }>(sql`
    select c.county_code,
      (select count(*)::int from orgs o where o.county_code = c.county_code and o.parent_id is null) as roots,
      (select count(*)::int from audit_log a where a.county_code = c.county_code and a.action = 'system.seed') as seeds,
      (select count(*)::int from members m where m.county_code = c.county_code) as members,
      (select count(*)::int from evidence e where e.county_code = c.county_code) as evidence,
      (select count(*)::int from rule_runs r where r.county_code = c.county_code and r.status = 'done') as done,
      (select count(*)::int from rule_runs r where r.county_code = c.county_code and r.status = 'running') as running
    from unnest(${`{${COUNTIES.join(',')}}`}::text[]) as c(county_code) order by 1`);
  return Object.fromEntries(r.rows.map((x) => [x.county_code, x]));
}

beforeAll(async () => {
  const db = await createTestDatabase();
  drop = db.drop;
  owner = connect(db.url, 4);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-startup-'));
  const filesDir = path.join(dataDir, 'files');
  fs.mkdirSync(filesDir, { recursive: true });
  // The owner's services, as main.ts passes them: the photos go through the file store.
  deps = {
    database: owner,
    crypto,
    config: config(),
    dbInfo: { mode: inject('pgMode'), version: 'test' },
    filesDir,
    files: createFileService(filesDir, crypto),
    now: () => new Date(),
    anchor: new AuditAnchor(path.join(dataDir, ANCHOR_FILE), crypto),
  };
}, 60_000);

afterAll(async () => {
  await owner?.close();
  await drop?.();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('start-up of three demo counties', () => {
  /** The modules whose demo parts run after a county's transaction has committed, in their order. */
  const INSTALLED = ['firstsec', 'lists', 'meetings', 'showroom', 'problems'];

  it('an interrupted start leaves each county whole or absent, and the next resumes it without doubles', async () => {
    // The first start stops while 尉氏县 is being written (as a killed process would: its transaction never commits).
    const first: string[] = [];
    const stopping = (msg: string) => {
      first.push(msg);
      if (msg.includes('尉氏县') && msg.includes('写入党员')) throw new Error('interrupted');
    };
    await expect(ensureCounty(owner, crypto, config(), stopping, deps)).rejects.toThrow('interrupted');
    const after = await facts();
    expect(after[WS]).toMatchObject({ roots: 0, seeds: 0, members: 0 });
    for (const c of [LK, TX]) expect(after[c]).toMatchObject({ roots: 1, seeds: 1, evidence: 0, done: 0 });
    expect(after[LK].members).toBeGreaterThan(500);
    // Two counties were written at once: 通许县 began before 兰考县 was done.
    const at = (needle: string) => first.findIndex((m) => m.includes(needle));
    expect(at('通许县（410222）：生成演示县数据')).toBeLessThan(at('兰考县（410225）：演示数据已生成'));
    // Every line of a county names it and its place among the three.
    expect(
      first.filter((m) => m.includes('兰考县（410225）')).every((m) => m.startsWith('[1/3] 兰考县（410225）：')),
    ).toBe(true);
    const owed = await owner.db.execute<{ key: string; value: { pending: string[] } }>(
      sql`select key, value from platform_meta where key like 'demo:%' order by key`,
    );
    expect(owed.rows).toEqual([
      { key: `demo:${TX}`, value: { pending: INSTALLED } },
      { key: `demo:${LK}`, value: { pending: INSTALLED } },
    ]);
    // 兰考县's first rules run had begun when the process stopped: its row still says running.
    await owner.db.execute(
      sql`insert into rule_runs (county_code, kind, status, started_at) values (${LK}, 'full', 'running', now())`,
    );

    const second: string[] = [];
    const { counties, seeded } = await ensureCounty(owner, crypto, config(), (m) => second.push(m), deps);
    expect(seeded).toBe(true);
    expect(Object.keys(counties[WS].parts)).toEqual(INSTALLED);
    expect(counties[WS].seededMs).toBeGreaterThan(0);
    expect(counties[LK].seededMs).toBeUndefined();
    const done = await facts();
    for (const c of COUNTIES) expect(done[c]).toMatchObject({ roots: 1, seeds: 1, done: 1, running: 0 });
    for (const c of COUNTIES) expect(done[c].evidence).toBeGreaterThan(0);
    // 兰考县 and 通许县 were not written again.
    expect(done[LK].members).toBe(after[LK].members);
    expect(done[TX].members).toBe(after[TX].members);
    expect((await owner.db.execute(sql`select 1 from platform_meta where key like 'demo:%'`)).rows).toEqual([]);
    expect(second.at(-1)).toMatch(/^3 个县已就绪：本次生成演示数据 1 个县，完成首次检查等 3 个县/);

    // A third start has nothing left to do.
    const third = await ensureCounty(owner, crypto, config(), () => {}, deps);
    expect(third.seeded).toBe(false);
    for (const c of COUNTIES) expect(third.counties[c]).toEqual({ parts: {} });
    const last = await facts();
    for (const c of COUNTIES) expect(last[c]).toEqual(done[c]);
  }, 600_000);
});
