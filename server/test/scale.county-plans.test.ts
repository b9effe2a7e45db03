/**
 * A county's work among other counties reads only its own rows (issue 21): the plan of every statement
 * a county's rules run sends is held to plan-check.ts's rules, in the case that once made a county's
 * first run among others take minutes — the statistics of the engine's tables were gathered before the
 * county had any rows there (the owner analyzed after the first county's run; the app role cannot).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCounty } from '../bootstrap.ts';
import { connect, type Database } from '../db/index.ts';
import { recheck, runCounty } from '../modules/problems/engine.ts';
import { loadConfig } from '../platform/config.ts';
import { createCrypto, generateKeyFile, keyRingFrom } from '../platform/crypto.ts';
import type { Deps } from '../platform/deps.ts';
import { asAppRole, createTestDatabase, ORIGIN, PASSWORD } from './harness.ts';
import { describeOffences, type PlanOffence, recordPlans } from './plan-check.ts';

const FIRST = '410225'; // 兰考县
const LATER = '410222'; // 通许县

let owner: Database;
let app: Database;
let drop: () => Promise<void>;
let dataDir: string;
const offences: PlanOffence[] = [];
let checking = false;

beforeAll(async () => {
  const db = await createTestDatabase();
  drop = db.drop;
  owner = connect(db.url, 3);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-plans-'));
  const config = loadConfig({ DANGJIAN_PUBLIC_URL: ORIGIN, DANGJIAN_DATA_DIR: dataDir, DANGJIAN_COUNTIES: `${FIRST},${LATER}`, DANGJIAN_DEMO_TOWNSHIPS: '1', DANGJIAN_ADMIN_PASSWORD: PASSWORD });
  await ensureCounty(owner, createCrypto(keyRingFrom(generateKeyFile())), config, () => {});
  // The later county as before its first run, with the statistics of then: the engine's tables hold only the first county's rows.
  for (const t of ['problem_events', 'problems', 'rule_results', 'rule_runs']) await owner.db.execute(sql`delete from ${sql.identifier(t)} where county_code = ${LATER}`);
  await owner.pool.query('analyze problems, problem_events, rule_results, rule_runs');
  app = connect(asAppRole(db.url), 3);
  // The engine's own statements (the rules' statements into rule_stage are their modules').
  recordPlans(app.pool, offences, { enabled: () => checking, only: /^(?!\s*insert into rule_stage)/ });
}, 300_000);

afterAll(async () => {
  await app?.close();
  await owner?.close();
  await drop?.();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('a county’s rules among other counties', () => {
  it('its first full run reads only its own rows, each by an index led by the county', async () => {
    checking = true;
    const n = await runCounty(app.db, { now: () => new Date() }, LATER, 'full');
    checking = false;
    expect(n.opened).toBeGreaterThan(0);
    expect(describeOffences(offences)).toEqual([]);
  }, 600_000);

  it('a re-check after a saved meeting does too', async () => {
    offences.length = 0;
    const branch = (await owner.db.execute<{ id: string }>(sql`select id from orgs where county_code = ${LATER} and kind = 'branch' order by member_count desc limit 1`)).rows[0].id;
    const deps = { now: () => new Date() } as Deps;
    checking = true;
    await app.db.transaction(async (tx) => {
      await recheck(tx, deps, { countyCode: LATER, orgId: branch, dates: [new Date().toISOString().slice(0, 10)] });
    });
    checking = false;
    expect(describeOffences(offences)).toEqual([]);
  });
});
