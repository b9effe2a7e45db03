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
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildApp } from '../app.ts';
import { ensureCounty } from '../bootstrap.ts';
import { connect, type Database } from '../db/index.ts';
import { recheck, runCounty } from '../modules/problems/engine.ts';
import { inSubtree } from '../platform/access.ts';
import { ANCHOR_FILE, AuditAnchor } from '../platform/anchor.ts';
import { verifyAudit } from '../platform/audit.ts';
import { type Config, loadConfig } from '../platform/config.ts';
import { type CryptoProvider, createCrypto, generateKeyFile, keyRingFrom } from '../platform/crypto.ts';
import type { Deps } from '../platform/deps.ts';
import { createFileService } from '../platform/files/file-service.ts';
import { makeIdNumber } from '../platform/idcard.ts';
import { hashPassword } from '../platform/passwords.ts';
import { setReadCaches } from '../platform/read-cache.ts';
import { asAppRole, createTestDatabase, multipart, ORIGIN, PASSWORD, rosterWorkbook } from './harness.ts';
import { describeOffences, type PlanOffence, recordPlans } from './plan-check.ts';

const FIRST = '410225'; // 兰考县
const LATER = '410222'; // 通许县

let owner: Database;
let app: Database;
let drop: () => Promise<void>;
let dataDir: string;
let config: Config;
let cryptoProvider: CryptoProvider;
const offences: PlanOffence[] = [];
let checking = false;

beforeAll(async () => {
  const db = await createTestDatabase();
  drop = db.drop;
  owner = connect(db.url, 3);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-plans-'));
  config = loadConfig({
    DANGJIAN_PUBLIC_URL: ORIGIN,
    DANGJIAN_DATA_DIR: dataDir,
    DANGJIAN_COUNTIES: `${FIRST},${LATER}`,
    DANGJIAN_DEMO_TOWNSHIPS: '1',
    DANGJIAN_ADMIN_PASSWORD: PASSWORD,
  });
  cryptoProvider = createCrypto(keyRingFrom(generateKeyFile()));
  await ensureCounty(owner, cryptoProvider, config, () => {});
  // The later county as before its first run, with the statistics of then: the engine's tables hold only the first county's rows.
  for (const t of ['problem_events', 'problems', 'rule_results', 'rule_runs'])
    await owner.db.execute(sql`delete from ${sql.identifier(t)} where county_code = ${LATER}`);
  await owner.pool.query('analyze problems, problem_events, rule_results, rule_runs');
  app = connect(asAppRole(db.url), 3);
  // Every statement of the run; the rules' own (into rule_stage, their modules') to the first two rules:
  // a county's organizations and members are read a few at a time by design there (an organization's
  // meetings, a meeting's voters), and each statement is planned from fresh statistics of those tables.
  recordPlans(app.pool, offences, {
    enabled: () => checking,
    perRow: (text) => !/^\s*insert into rule_stage/.test(text),
  });
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
    const branch = (
      await owner.db.execute<{ id: string }>(
        sql`select id from orgs where county_code = ${LATER} and kind = 'branch' order by member_count desc limit 1`,
      )
    ).rows[0].id;
    const deps = { now: () => new Date() } as Deps;
    checking = true;
    await app.db.transaction(async (tx) => {
      await recheck(tx, deps, { countyCode: LATER, orgId: branch, dates: [new Date().toISOString().slice(0, 10)] });
    });
    checking = false;
    expect(describeOffences(offences)).toEqual([]);
  });
});

describe('the subtree of a county’s root among other counties', () => {
  it('is estimated as the county’s organizations, not their share of the county’s share', async () => {
    const root = (
      await owner.db.execute<{
        path: string;
        n: number;
      }>(sql`select r.path, (select count(*)::int from orgs o where o.county_code = r.county_code) as n
      from orgs r where r.county_code = ${LATER} and r.parent_id is null`)
    ).rows[0];
    const rows = async (where: ReturnType<typeof sql>) =>
      (
        await app.db.execute<{ 'QUERY PLAN': { Plan: { 'Plan Rows': number } }[] }>(
          sql`explain (format json) select o.id from orgs o where ${where}`,
        )
      ).rows[0]['QUERY PLAN'][0].Plan['Plan Rows'];
    const county = await rows(sql`o.county_code = ${LATER}`);
    expect(county).toBeGreaterThan(root.n * 0.9);
    // Two counties: the root's path prefix is about half the table and the county half again; taken as
    // independent they made half the county (a tenth among ten, a hundredth among a hundred).
    expect(await rows(inSubtree({ countyCode: LATER, path: root.path }))).toBeGreaterThan((county * 2) / 3);
  });
});

describe('a county’s heavy paths among other counties', () => {
  let web: FastifyInstance;
  let cookie: string;
  let deps: Deps;
  const ids = { root: '', township: '', branch: '', branchName: '' };

  beforeAll(async () => {
    deps = {
      database: app,
      crypto: cryptoProvider,
      config,
      dbInfo: { mode: inject('pgMode'), version: 'test' },
      filesDir: path.join(dataDir, 'files'),
      files: createFileService(path.join(dataDir, 'files'), cryptoProvider),
      now: () => new Date(),
      anchor: new AuditAnchor(path.join(dataDir, ANCHOR_FILE), cryptoProvider),
    };
    fs.mkdirSync(deps.filesDir, { recursive: true });
    const one = async (q: ReturnType<typeof sql>) => (await owner.db.execute<{ id: string; name: string }>(q)).rows[0];
    ids.root = (await one(sql`select id, name from orgs where county_code = ${LATER} and parent_id is null`)).id;
    ids.township = (
      await one(
        sql`select id, name from orgs where county_code = ${LATER} and depth = 1 and kind = 'committee' order by member_count desc limit 1`,
      )
    ).id;
    const branch = await one(
      sql`select id, name from orgs where county_code = ${LATER} and kind = 'branch' order by member_count desc limit 1`,
    );
    ids.branch = branch.id;
    ids.branchName = branch.name;
    await owner.db.execute(sql`insert into users (id, county_code, username, display_name, password_hash, roles, org_id)
      values (gen_random_uuid(), ${LATER}, 'plans', '测试', ${await hashPassword(PASSWORD)}, array['countyAdmin']::text[], ${ids.root})`);
    web = await buildApp(deps);
    await web.ready();
    const login = await web.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { origin: ORIGIN, host: 'localhost:80' },
      payload: { username: 'plans', password: PASSWORD, county: LATER },
    });
    expect(login.statusCode).toBe(200);
    cookie = String(login.headers['set-cookie']).split(';')[0];
    // What the database does for a card, not what a cache kept.
    setReadCaches(false);
  });

  afterAll(async () => {
    setReadCaches(true);
    await web?.close();
  });

  async function checked(
    method: 'GET' | 'POST',
    url: string,
    body?: { payload: Buffer; type: string },
  ): Promise<string[]> {
    offences.length = 0;
    checking = true;
    const headers: Record<string, string> = { host: 'localhost:80', cookie };
    if (method === 'POST') headers.origin = ORIGIN;
    if (body) headers['content-type'] = body.type;
    const res = await web.inject({ method, url, headers, ...(body ? { payload: body.payload } : {}) });
    checking = false;
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    return describeOffences(offences);
  }

  it('the compliance view, the calendar and the problem list and export', async () => {
    const year = new Date().getFullYear();
    expect(await checked('GET', `/api/compliance?orgId=${ids.root}&kind=committeeMeeting&year=${year}`)).toEqual([]);
    expect(
      await checked('GET', `/api/compliance/missing?orgId=${ids.township}&kind=committeeMeeting&period=${year}-01`),
    ).toEqual([]);
    expect(await checked('GET', `/api/compliance/calendar/${ids.branch}?year=${year}`)).toEqual([]);
    expect(await checked('GET', '/api/problems?page=1&pageSize=20')).toEqual([]);
    expect(await checked('GET', `/api/problems?townshipId=${ids.township}&status=upcoming&page=1&pageSize=20`)).toEqual(
      [],
    );
    expect(await checked('GET', '/api/problems/export')).toEqual([]);
  });

  it('the member search, the organization card and the statistics', async () => {
    expect(await checked('GET', '/api/members?q=zs&pageSize=20')).toEqual([]);
    expect(await checked('GET', `/api/members?q=${encodeURIComponent('张')}&pageSize=20`)).toEqual([]);
    const name = (
      await owner.db.execute<{ name: string }>(
        sql`select name from members where county_code = ${LATER} and char_length(name) = 3 group by 1 order by count(*) desc, 1 limit 1`,
      )
    ).rows[0].name;
    expect(await checked('GET', `/api/members?q=${encodeURIComponent(name)}&pageSize=20`)).toEqual([]);
    expect(await checked('GET', `/api/orgs?q=${encodeURIComponent('村党支部')}&pageSize=20`)).toEqual([]);
    expect(await checked('GET', `/api/members?orgId=${ids.township}&subtree=true&pageSize=20`)).toEqual([]);
    expect(await checked('GET', `/api/orgs/${ids.township}`)).toEqual([]);
    expect(await checked('GET', `/api/orgs/${ids.root}/children?warnings=true`)).toEqual([]);
    expect(await checked('GET', `/api/stats?orgId=${ids.root}`)).toEqual([]);
  });

  it('the import of a roster and its export', async () => {
    const rows = Array.from({ length: 40 }, (_, i) => [
      `测试${String.fromCharCode(0x4e00 + i)}`,
      makeIdNumber(LATER, '19800101', 300 + 2 * i),
      ids.branchName,
      '正式党员',
      '2010-07-01',
      '2011-07-01',
      '13900000000',
    ]);
    const file = multipart(await rosterWorkbook(rows));
    expect(await checked('POST', '/api/members/import?dryRun=true', { payload: file.body, type: file.type })).toEqual(
      [],
    );
    expect(await checked('POST', '/api/members/import?dryRun=false', { payload: file.body, type: file.type })).toEqual(
      [],
    );
    expect(await checked('GET', '/api/members/export?reason=test')).toEqual([]);
  });

  it('the verification of the county’s audit chain', async () => {
    offences.length = 0;
    checking = true;
    const v = await verifyAudit(app.db, cryptoProvider, undefined, LATER);
    checking = false;
    expect(v.ok).toBe(true);
    expect(describeOffences(offences)).toEqual([]);
  });
});
