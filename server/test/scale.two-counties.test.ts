/**
 * Several counties in one database (issue 6 §3, docs/SCALE.md): two demo counties, 410225 兰考 and
 * 520425 紫云, seeded through the start-up path into one database. Each county's accounts see only
 * their county; settings and code lists are per county; each county's audit chain verifies on its own,
 * a tamper in one is reported for that one only, and the counties never wait on each other's chain
 * lock. Every statement the app sends while serving both must name the county of each county table
 * it reads.
 */
import { createFileService } from '../platform/files/file-service.ts';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildApp } from '../app.ts';
import { ensureAdmin, ensureCounty } from '../bootstrap.ts';
import { connect, type Database } from '../db/index.ts';
import { ANCHOR_FILE, AuditAnchor } from '../platform/anchor.ts';
import { verifyAudit, writeAudit } from '../platform/audit.ts';
import { loadConfig } from '../platform/config.ts';
import { createCrypto, generateKeyFile, keyRingFrom } from '../platform/crypto.ts';
import type { Deps } from '../platform/deps.ts';
import { makeIdNumber } from '../platform/idcard.ts';
import { hashPassword } from '../platform/passwords.ts';
import { getSetting, setSetting } from '../platform/settings.ts';
import { countyOffenders, recordStatements, unnamedCounty } from './county-check.ts';
import { asAppRole, createTestDatabase, multipart, ORIGIN, PASSWORD, rosterWorkbook } from './harness.ts';

const LK = '410225'; // 兰考县
const ZY = '520425'; // 紫云苗族布依族自治县
const COUNTIES = [LK, ZY] as const;
type County = (typeof COUNTIES)[number];
const other = (c: County): County => (c === LK ? ZY : LK);

let owner: Database;
let app: Database;
let web: FastifyInstance;
let deps: Deps;
let drop: () => Promise<void>;
let ownerUrl: string;
let dataDir: string;
/** Every statement the app's pool sent. */
const statements: string[] = [];

/** Facts of each county, read by the owner (not through the app). */
const fx = {} as Record<
  County,
  {
    root: string;
    township: string;
    branch: string;
    townBranch: string;
    member: string;
    orgs: Set<string>;
    members: number;
    memberIds: Set<string>;
  }
>;
const cookies = {} as Record<string, string>;

async function req(method: string, url: string, opts: { cookie?: string; body?: unknown } = {}) {
  const headers: Record<string, string> = { host: 'localhost:80' };
  if (opts.cookie) headers.cookie = opts.cookie;
  if (method !== 'GET') headers.origin = ORIGIN;
  const res = await web.inject({
    method: method as 'GET',
    url,
    headers,
    ...(opts.body !== undefined ? { payload: opts.body as object } : {}),
  });
  let json: any = null;
  try {
    json = res.json();
  } catch {
    json = null;
  }
  return { status: res.statusCode, json, body: res.body, headers: res.headers as Record<string, unknown> };
}

/** Log in to an account of `county` (each county's login names are its own; without it, the installation's own county). */
async function login(username: string, password = PASSWORD, county?: County): Promise<string> {
  const res = await req('POST', '/api/auth/login', { body: { username, password, ...(county ? { county } : {}) } });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${res.body}`);
  return String(res.headers['set-cookie']).split(';')[0];
}

async function mkUser(county: County, username: string, roles: string[], orgId: string): Promise<string> {
  const id = crypto.randomUUID();
  await owner.db.execute(sql`insert into users (id, county_code, username, display_name, password_hash, roles, org_id)
    values (${id}, ${county}, ${username}, ${`测试${username}`}, ${await hashPassword(PASSWORD)}, ${sql`array[${sql.join(
      roles.map((r) => sql`${r}`),
      sql`, `,
    )}]::text[]`}, ${orgId})`);
  return id;
}

/** The PostgreSQL error code of an error, through drizzle's wrapping. */
function pgCode(e: unknown): string | undefined {
  for (let x = e as { code?: string; cause?: unknown } | undefined, i = 0; x && i < 4; x = x.cause as typeof x, i++)
    if (x.code) return x.code;
  return undefined;
}

let idSeq = 500;
/** A valid ID number of someone born in `county`, a new one each call. */
function idNumber(county: County, birth = '19850315'): string {
  idSeq += 2;
  return makeIdNumber(county, birth, idSeq);
}

beforeAll(async () => {
  const db = await createTestDatabase();
  drop = db.drop;
  ownerUrl = db.url;
  owner = connect(db.url, 3);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-two-'));
  const config = loadConfig({
    DANGJIAN_PUBLIC_URL: ORIGIN,
    DANGJIAN_DATA_DIR: dataDir,
    DANGJIAN_COUNTIES: COUNTIES.join(','),
    DANGJIAN_DEMO_TOWNSHIPS: '1',
    DANGJIAN_ADMIN_PASSWORD: PASSWORD,
  });
  const cryptoProvider = createCrypto(keyRingFrom(generateKeyFile()));
  // The start-up path: both counties get their root and demo data, as `npm start` would do.
  const { roots } = await ensureCounty(owner, cryptoProvider, config, () => {});
  app = connect(asAppRole(db.url), 5);
  recordStatements(app.pool, statements);
  await ensureAdmin(app, cryptoProvider, config, roots[LK]);
  for (const c of COUNTIES) {
    const orgs = await owner.db.execute<{
      id: string;
      depth: number;
      kind: string;
      member_count: number;
      path: string;
    }>(
      sql`select id, depth, kind, member_count, path from orgs where county_code = ${c} and status = 'active' order by path`,
    );
    const branches = orgs.rows.filter((o) => o.kind === 'branch' && o.member_count > 0);
    const township = orgs.rows.find(
      (o) => o.depth === 1 && o.kind === 'committee' && branches.some((b) => b.path.startsWith(o.path)),
    );
    if (!township) throw new Error(`no township with branches in ${c}`);
    const members = await owner.db.execute<{ id: string }>(sql`select id from members where county_code = ${c}`);
    fx[c] = {
      root: roots[c],
      township: township.id,
      branch: branches[0].id,
      townBranch: String(branches.find((b) => b.path.startsWith(township.path))?.id),
      member: (
        await owner.db.execute<{ id: string }>(
          sql`select id from members where county_code = ${c} and org_id = ${branches[0].id} limit 1`,
        )
      ).rows[0].id,
      orgs: new Set(orgs.rows.map((o) => o.id)),
      members: members.rows.length,
      memberIds: new Set(members.rows.map((m) => m.id)),
    };
    await mkUser(c, `cadmin_${c}`, ['countyAdmin'], roots[c]);
    await mkUser(c, `auditor_${c}`, ['auditor'], roots[c]);
    await mkUser(c, `orgadmin_${c}`, ['orgAdmin'], fx[c].township);
  }
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
  web = await buildApp(deps);
  await web.ready();
  for (const c of COUNTIES)
    for (const u of ['cadmin', 'auditor', 'orgadmin']) cookies[`${u}_${c}`] = await login(`${u}_${c}`, PASSWORD, c);
}, 300_000);

afterAll(async () => {
  await web?.close();
  await app?.close();
  await owner?.close();
  await drop?.();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('start-up serves both counties from one database', () => {
  it('records both, seeds both (no single root assumed), and gives each its county administrator', async () => {
    const meta = await owner.db.execute<{ key: string; value: unknown }>(
      sql`select key, value from platform_meta order by key`,
    );
    expect(Object.fromEntries(meta.rows.map((r) => [r.key, r.value]))).toMatchObject({
      county: { code: LK },
      counties: [LK, ZY],
    });
    const roots = await owner.db.execute<{ county_code: string; n: number }>(
      sql`select county_code, count(*)::int as n from orgs where parent_id is null group by 1 order by 1`,
    );
    expect(roots.rows).toEqual([
      { county_code: LK, n: 1 },
      { county_code: ZY, n: 1 },
    ]);
    for (const c of COUNTIES) expect(fx[c].members).toBeGreaterThan(500);
    const admins = await owner.db.execute<{ username: string; county_code: string; dir: string }>(sql`
      select u.username, u.county_code from users u where u.username in ('admin', 'admin-520425') order by 1`);
    expect(admins.rows).toEqual([
      { username: 'admin', county_code: LK },
      { username: 'admin-520425', county_code: ZY },
    ]);
    const seeds = await owner.db.execute<{ county_code: string }>(
      sql`select county_code from audit_log where action = 'system.seed' order by county_code`,
    );
    expect(seeds.rows.map((r) => r.county_code)).toEqual([LK, ZY]);
  });
});

describe.each(COUNTIES)('the accounts of %s see only their county', (c) => {
  const o = () => other(c);

  it('organizations: list, root, detail and children', async () => {
    const cookie = cookies[`cadmin_${c}`];
    const list = await req('GET', '/api/orgs?pageSize=200', { cookie });
    expect(list.status).toBe(200);
    expect(list.json.total).toBe(fx[c].orgs.size);
    for (const i of list.json.items) expect(fx[c].orgs.has(i.id)).toBe(true);
    expect((await req('GET', '/api/orgs/root', { cookie })).json.id).toBe(fx[c].root);
    expect((await req('GET', `/api/orgs/${fx[c].township}`, { cookie })).status).toBe(200);
    expect((await req('GET', `/api/orgs/${fx[c].root}/children?warnings=true`, { cookie })).status).toBe(200);
    for (const id of [fx[o()].root, fx[o()].township, fx[o()].branch]) {
      expect((await req('GET', `/api/orgs/${id}`, { cookie })).status).toBe(404);
      expect((await req('GET', `/api/orgs/${id}/children`, { cookie })).status).toBe(404);
      expect((await req('PATCH', `/api/orgs/${id}`, { cookie, body: { contactName: '越界' } })).status).toBe(404);
    }
  });

  it('members: list, search, detail, reveal, change and transfer', async () => {
    const cookie = cookies[`cadmin_${c}`];
    const all = await req('GET', '/api/members?pageSize=200', { cookie });
    expect(all.json.total).toBe(fx[c].members);
    for (const i of all.json.items) expect(fx[c].memberIds.has(i.id)).toBe(true);
    // The same surname in both counties: each finds its own.
    const wang = await owner.db.execute<{ county_code: string; n: number }>(
      sql`select county_code, count(*)::int as n from members where name like '%王%' group by 1`,
    );
    const mine = wang.rows.find((r) => r.county_code === c)?.n ?? 0;
    expect(mine).toBeGreaterThan(0);
    expect(wang.rows.find((r) => r.county_code === o())?.n ?? 0).toBeGreaterThan(0);
    const found = await req('GET', `/api/members?q=${encodeURIComponent('王')}&pageSize=200`, { cookie });
    expect(found.json.total).toBe(mine);
    const initials = await req('GET', '/api/members?q=w&pageSize=50', { cookie });
    for (const i of initials.json.items) expect(fx[c].memberIds.has(i.id)).toBe(true);
    expect((await req('GET', `/api/members/${fx[c].member}`, { cookie })).status).toBe(200);
    const theirs = fx[o()].member;
    expect((await req('GET', `/api/members/${theirs}`, { cookie })).status).toBe(404);
    expect((await req('PATCH', `/api/members/${theirs}`, { cookie, body: { post: '越界' } })).status).toBe(404);
    expect((await req('POST', `/api/members/${theirs}/reveal`, { cookie, body: { reason: '核对信息' } })).status).toBe(
      404,
    );
    expect(
      (
        await req('POST', '/api/members/transfer', {
          cookie,
          body: { memberIds: [theirs], orgId: fx[c].branch, reason: '越界转接' },
        })
      ).status,
    ).toBe(404);
    // Into another county's organization: refused as not found.
    const into = await req('PATCH', `/api/members/${fx[c].member}`, { cookie, body: { orgId: fx[o()].branch } });
    expect(into.status).toBe(400);
    expect(into.json.message).toMatch(/找不到该组织/);
    expect(
      (await req('POST', `/api/members/${fx[c].member}/reveal`, { cookie, body: { reason: '核对信息' } })).status,
    ).toBe(200);
  });

  it('statistics: the county’s members, nothing of the other', async () => {
    const cookie = cookies[`cadmin_${c}`];
    const stats = await req('GET', '/api/stats', { cookie });
    expect(stats.status).toBe(200);
    expect(stats.json.orgId).toBe(fx[c].root);
    expect(stats.json.total).toBe(fx[c].members);
    expect((await req('GET', `/api/stats?orgId=${fx[o()].root}`, { cookie })).status).toBe(404);
    expect((await req('GET', '/api/stats/export?table=age', { cookie })).status).toBe(200);
  });

  it('accounts: list and detail', async () => {
    const cookie = cookies[`cadmin_${c}`];
    const mine = await owner.db.execute<{ id: string }>(sql`select id from users where county_code = ${c}`);
    const list = await req('GET', '/api/users?pageSize=200', { cookie });
    expect(list.json.total).toBe(mine.rows.length);
    expect(new Set(list.json.items.map((u: { id: string }) => u.id))).toEqual(new Set(mine.rows.map((r) => r.id)));
    const theirs = await owner.db.execute<{ id: string }>(sql`select id from users where county_code = ${o()} limit 1`);
    expect((await req('GET', `/api/users/${theirs.rows[0].id}`, { cookie })).status).toBe(404);
    expect((await req('PATCH', `/api/users/${theirs.rows[0].id}`, { cookie, body: { disabled: true } })).status).toBe(
      404,
    );
  });

  it('the audit log: the auditor reads entries of their county only', async () => {
    const cookie = cookies[`auditor_${c}`];
    const res = await req('GET', '/api/audit?pageSize=200', { cookie });
    expect(res.status).toBe(200);
    const mine = await owner.db.execute<{ n: number }>(
      sql`select count(*)::int as n from audit_log where county_code = ${c}`,
    );
    expect(res.json.total).toBe(mine.rows[0].n);
    const seqs = res.json.items.map((i: { seq: number }) => i.seq);
    const counties = await owner.db.execute<{ county_code: string }>(
      sql`select distinct county_code from audit_log where seq = any(${sql.param(seqs)}::bigint[])`,
    );
    expect(counties.rows.map((r) => r.county_code)).toEqual([c]);
    expect((await req('GET', `/api/audit?orgId=${fx[o()].root}`, { cookie })).json.total).toBe(0);
    expect((await req('GET', '/api/audit/export?reason=核查本县记录', { cookie })).status).toBe(200);
  });
});

describe('writes stay in their county', () => {
  it('an organization, a member, a transfer, posts, an account, a rollout preview: all of 紫云', async () => {
    const cookie = cookies[`orgadmin_${ZY}`];
    const made = await req('POST', '/api/orgs', {
      cookie,
      body: { parentId: fx[ZY].township, name: '中共紫云测试村支部委员会', kind: 'branch', field: 'rural' },
    });
    expect(made.status, made.body).toBe(201);
    const member = await req('POST', '/api/members', {
      cookie,
      body: {
        name: '测试人',
        idNumber: idNumber(ZY),
        orgId: made.json.id,
        standing: 'full',
        joinDate: '2010-07-01',
        fullDate: '2011-07-01',
      },
    });
    expect(member.status, member.body).toBe(201);
    expect(
      (
        await req('PATCH', `/api/members/${member.json.id}`, {
          cookie,
          body: { orgId: fx[ZY].townBranch, transferReason: '工作调动' },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await req('POST', `/api/orgs/${made.json.id}/posts`, {
          cookie,
          body: { post: 'secretary', personName: '测试书记' },
        })
      ).status,
    ).toBe(200);
    expect(
      (await req('POST', `/api/orgs/${made.json.id}/dissolve`, { cookie, body: { reason: '测试撤销' } })).status,
    ).toBe(200);
    const admin = cookies[`cadmin_${ZY}`];
    const user = await req('POST', '/api/users', {
      cookie: admin,
      body: {
        username: 'zy_secretary',
        displayName: '紫云书记',
        password: 'Qz#8mountain-path',
        roles: ['branchSecretary'],
        orgId: fx[ZY].branch,
      },
    });
    expect(user.status, user.body).toBe(201);
    const preview = await req('POST', '/api/users/bulk', {
      cookie: admin,
      body: { orgId: fx[ZY].township, role: 'branchSecretary', dryRun: true },
    });
    expect(preview.status, preview.body).toBe(200);
    const rows = await owner.db.execute<{ t: string; n: number }>(sql`
      select 'org' as t, count(*)::int as n from orgs where id = ${made.json.id} and county_code = ${ZY}
      union all select 'member', count(*)::int from members where id = ${member.json.id} and county_code = ${ZY}
      union all select 'history', count(*)::int from member_org_history where member_id = ${member.json.id} and county_code = ${ZY}
      union all select 'events', count(*)::int from org_events where org_id = ${made.json.id} and county_code = ${ZY}
      union all select 'posts', count(*)::int from org_posts where org_id = ${made.json.id} and county_code = ${ZY}
      union all select 'user', count(*)::int from users u where u.username = 'zy_secretary' and u.county_code = ${ZY}
      union all select 'elsewhere', count(*)::int from audit_log where county_code <> ${ZY} and object_id in (${made.json.id}, ${member.json.id})`);
    expect(Object.fromEntries(rows.rows.map((r) => [r.t, r.n]))).toEqual({
      org: 1,
      member: 1,
      history: 2,
      events: 3,
      posts: 1,
      user: 1,
      elsewhere: 0,
    });
    // Each county's login names are its own (issue 15 §8): 兰考 learns nothing of 紫云's accounts, and can take the same name.
    const lk = await req('POST', '/api/users', {
      cookie: cookies[`cadmin_${LK}`],
      body: {
        username: 'ZY_Secretary',
        displayName: '兰考书记',
        password: 'Qz#8valley-road',
        roles: ['branchSecretary'],
        orgId: fx[LK].branch,
      },
    });
    expect(lk.status, lk.body).toBe(201);
    const again = await req('POST', '/api/users', {
      cookie: cookies[`cadmin_${LK}`],
      body: {
        username: 'zy_secretary',
        displayName: '兰考书记',
        password: 'Qz#8valley-road',
        roles: ['branchSecretary'],
        orgId: fx[LK].branch,
      },
    });
    expect(again.json.code).toBe('DUPLICATE_USERNAME');
    // The same name logs in to each county's own account, as the login names the county.
    const zyCookie = await login('zy_secretary', 'Qz#8mountain-path', ZY);
    const lkCookie = await login('zy_secretary', 'Qz#8valley-road', LK);
    expect((await req('GET', '/api/auth/me', { cookie: zyCookie })).json.orgId).toBe(fx[ZY].branch);
    expect((await req('GET', '/api/auth/me', { cookie: lkCookie })).json.orgId).toBe(fx[LK].branch);
    // A password of one county's account does not open the other's; without a county, the installation's own.
    const wrong = await req('POST', '/api/auth/login', {
      body: { username: 'zy_secretary', password: 'Qz#8mountain-path', county: LK },
    });
    expect(wrong.json.code).toBe('BAD_CREDENTIALS');
    expect((await login('zy_secretary', 'Qz#8valley-road')).length).toBeGreaterThan(10);
    const counties = await req('GET', '/api/auth/counties');
    expect(counties.json.map((c: { code: string }) => c.code)).toEqual([LK, ZY]);
    expect(counties.json[0].name).toBe('兰考县');
  });
});

describe('the rest of the routes, in 紫云 (for the statement check below)', () => {
  it('merge, move, reveal, export, template, import, rollout, account change, password change, logout', async () => {
    const cookie = cookies[`cadmin_${ZY}`];
    const org = async (name: string) => {
      const r = await req('POST', '/api/orgs', {
        cookie,
        body: { parentId: fx[ZY].township, name, kind: 'branch', field: 'rural', contactPhone: '13800001111' },
      });
      expect(r.status, r.body).toBe(201);
      return String(r.json.id);
    };
    const x = await org('中共紫云甲村支部委员会');
    const y = await org('中共紫云乙村支部委员会');
    expect(
      (
        await req('POST', '/api/members', {
          cookie,
          body: {
            name: '合并人',
            idNumber: idNumber(ZY),
            orgId: y,
            standing: 'full',
            joinDate: '2012-07-01',
            fullDate: '2013-07-01',
          },
        })
      ).status,
    ).toBe(201);
    const merged = await req('POST', `/api/orgs/${y}/merge`, { cookie, body: { intoId: x, reason: '村庄合并' } });
    expect(merged.json, merged.body).toMatchObject({ ok: true, membersMoved: 1 });
    expect(
      (await req('POST', `/api/orgs/${x}/move`, { cookie, body: { newParentId: fx[ZY].root, reason: '调整隶属' } }))
        .status,
    ).toBe(200);
    expect(
      (await req('POST', `/api/orgs/${x}/reveal`, { cookie, body: { reason: '联系支部' } })).json.contactPhone,
    ).toBe('13800001111');
    expect((await req('GET', `/api/orgs?q=${encodeURIComponent('紫云甲村')}`, { cookie })).json.total).toBe(1);
    expect(
      (await req('GET', `/api/members/export?reason=${encodeURIComponent('核对名册')}&orgId=${x}`, { cookie })).status,
    ).toBe(200);
    expect((await req('GET', '/api/members/import/template', { cookie })).status).toBe(200);
    const file = await rosterWorkbook([
      [
        '导入人',
        idNumber(ZY, '19790101'),
        '中共紫云甲村支部委员会',
        '正式党员',
        '2005-07-01',
        '2006-07-01',
        '13900001111',
      ],
    ]);
    const mp = multipart(file);
    const imported = await web.inject({
      method: 'POST',
      url: '/api/members/import?dryRun=false',
      headers: { cookie, origin: ORIGIN, host: 'localhost:80', 'content-type': mp.type },
      payload: mp.body,
    });
    expect(imported.json(), imported.body).toMatchObject({ ok: true, created: 1 });
    const bulk = await req('POST', '/api/users/bulk', { cookie, body: { orgId: x, role: 'branchSecretary' } });
    expect(bulk.status, bulk.body).toBe(200);
    expect(bulk.json.accounts).toHaveLength(1);
    const made = await owner.db.execute<{ id: string; county_code: string }>(
      sql`select u.id, u.county_code from users u where u.org_id = ${x}`,
    );
    expect(made.rows).toEqual([{ id: made.rows[0].id, county_code: ZY }]);
    expect(
      (await req('PATCH', `/api/users/${made.rows[0].id}`, { cookie, body: { displayName: '改名书记' } })).status,
    ).toBe(200);
    const first = await login(bulk.json.accounts[0].username, bulk.json.accounts[0].password, ZY);
    expect((await req('GET', '/api/auth/me', { cookie: first })).json.mustChangePassword).toBe(true);
    const changed = await req('POST', '/api/auth/password', {
      cookie: first,
      body: { oldPassword: bulk.json.accounts[0].password, newPassword: 'Qz#8river-stone' },
    });
    expect(changed.status, changed.body).toBe(200);
    expect((await req('POST', '/api/auth/logout', { cookie: first })).status).toBe(200);
    expect((await req('GET', '/api/auth/me', { cookie: first })).status).toBe(401);
  });
});

describe('settings and code lists are per county', () => {
  it('a setting changed for one county leaves the other at the platform default', async () => {
    await setSetting(owner.db, ZY, 'security.searchesPerMinute', 1);
    expect(await getSetting(owner.db, ZY, 'security.searchesPerMinute')).toBe(1);
    expect(await getSetting(owner.db, LK, 'security.searchesPerMinute')).toBe(120);
    // Accounts that have not searched yet this minute.
    const zy = cookies[`orgadmin_${ZY}`];
    expect((await req('GET', '/api/members?q=zh', { cookie: zy })).status).toBe(200);
    expect((await req('GET', '/api/members?q=li', { cookie: zy })).json.code).toBe('RATE_LIMITED');
    for (const q of ['zh', 'li', 'wa'])
      expect((await req('GET', `/api/members?q=${q}`, { cookie: cookies[`orgadmin_${LK}`] })).status).toBe(200);
    await setSetting(owner.db, ZY, 'security.searchesPerMinute', null);
    expect(await getSetting(owner.db, ZY, 'security.searchesPerMinute')).toBe(120);
  });

  it('a county’s own code-list entry is that county’s: offered, accepted and labelled there only', async () => {
    await owner.db.execute(
      sql`insert into county_code_lists (county_code, list, code, label, sort) values (${ZY}, 'personCategory', '8', '驻村工作队员', 8), (${ZY}, 'ethnicity', '06', '苗族（本县）', 6)`,
    );
    const zy = (await req('GET', '/api/code-lists', { cookie: cookies[`cadmin_${ZY}`] })).json.lists;
    const lk = (await req('GET', '/api/code-lists', { cookie: cookies[`cadmin_${LK}`] })).json.lists;
    expect(zy.personCategory).toContainEqual({ code: '8', label: '驻村工作队员' });
    expect(lk.personCategory.map((e: { code: string }) => e.code)).not.toContain('8');
    expect(zy.ethnicity.filter((e: { code: string }) => e.code === '06')).toEqual([
      { code: '06', label: '苗族（本县）' },
    ]);
    expect(lk.ethnicity.filter((e: { code: string }) => e.code === '06')).toEqual([{ code: '06', label: '苗族' }]);
    const body = (c: County) => ({
      name: '代码测试',
      idNumber: idNumber(c),
      orgId: fx[c].branch,
      standing: 'full',
      joinDate: '2010-07-01',
      fullDate: '2011-07-01',
      personCategory: '8',
    });
    expect((await req('POST', '/api/members', { cookie: cookies[`cadmin_${ZY}`], body: body(ZY) })).status).toBe(201);
    const refused = await req('POST', '/api/members', { cookie: cookies[`cadmin_${LK}`], body: body(LK) });
    expect(refused.status).toBe(400);
    expect(refused.json.message).toMatch(/人员类别/);
  });
});

describe('one audit chain per county', () => {
  it('each chain verifies on its own, with the anchor', async () => {
    await deps.anchor?.flush(app.db);
    const v = await verifyAudit(owner.db, deps.crypto, deps.anchor);
    expect(v.problems).toEqual([]);
    expect(v.counties.map((c) => c.county)).toEqual([LK, ZY]);
    for (const c of v.counties) {
      expect(c.ok).toBe(true);
      expect(c.checked).toBeGreaterThan(5);
      expect(c.anchored?.seq).toBeGreaterThan(0);
    }
    // Links run within a county: an entry's prev_hash is the hash of its county's previous entry.
    const links = await owner.db.execute<{ bad: number }>(sql`
      select count(*)::int as bad from (
        select county_code, prev_hash, lag(hash) over (partition by county_code order by seq) as before from audit_log) x
      where before is not null and prev_hash <> before`);
    expect(links.rows[0].bad).toBe(0);
  });

  it('a tamper in one county’s chain is reported for that county only', async () => {
    const target = await owner.db.execute<{ seq: number }>(
      sql`select seq from audit_log where county_code = ${ZY} order by seq limit 1 offset 3`,
    );
    const seq = Number(target.rows[0].seq);
    const c = new pg.Client({ connectionString: ownerUrl });
    await c.connect();
    try {
      // As the database superuser would: triggers skipped, one entry's detail rewritten.
      await c.query('set session_replication_role = replica');
      await c.query(`update audit_log set detail = '{"forged":true}'::jsonb where county_code = $1 and seq = $2`, [
        ZY,
        seq,
      ]);
    } finally {
      await c.end();
    }
    const v = await verifyAudit(owner.db, deps.crypto, deps.anchor);
    expect(v.ok).toBe(false);
    const byCounty = Object.fromEntries(v.counties.map((x) => [x.county, x]));
    expect(byCounty[LK].ok).toBe(true);
    expect(byCounty[LK].problems).toEqual([]);
    expect(byCounty[ZY].ok).toBe(false);
    expect(byCounty[ZY].problems).toEqual([{ seq, county: ZY, problem: '内容与哈希不符：记录被改动' }]);
    expect(v.problems.every((p) => p.county === ZY)).toBe(true);
    expect((await verifyAudit(owner.db, deps.crypto, undefined, LK)).ok).toBe(true);
  });

  it('counties never wait on each other’s chain lock; the same county does', async () => {
    const actor = (county: County) => ({
      userId: null,
      username: 'lock-test',
      roles: [],
      orgId: null,
      countyCode: county,
      ip: null,
      requestId: null,
    });
    let release = () => {};
    const hold = new Promise<void>((r) => {
      release = r;
    });
    // 兰考 writes an entry and keeps its transaction (and its chain lock) open.
    const holding = owner.db.transaction(async (tx) => {
      await writeAudit(tx, deps.crypto, actor(LK), [{ action: 'system.lockTest' }]);
      await hold;
    });
    try {
      await expect
        .poll(
          async () =>
            (
              await app.db.execute(
                sql`select 1 from pg_locks where locktype = 'advisory' and classid = 7302001 and objid = ${Number(LK)} and granted`,
              )
            ).rowCount,
          { timeout: 5000 },
        )
        .toBe(1);
      // 紫云 appends meanwhile, without waiting.
      const t0 = Date.now();
      await app.db.transaction(async (tx) => {
        await tx.execute(sql`set local lock_timeout = '3s'`);
        await writeAudit(tx, deps.crypto, actor(ZY), [{ action: 'system.lockTest' }]);
      });
      expect(Date.now() - t0).toBeLessThan(2000);
      // 兰考 itself waits for its own lock.
      await expect(
        app.db.transaction(async (tx) => {
          await tx.execute(sql`set local lock_timeout = '300ms'`);
          await writeAudit(tx, deps.crypto, actor(LK), [{ action: 'system.lockTest' }]);
        }),
      ).rejects.toSatisfy((e) => pgCode(e) === '55P03');
    } finally {
      release();
      await holding;
    }
  });
});

describe('every statement the app sent names the county of each county table it reads', () => {
  const unnamed = unnamedCounty;

  it('checks the checker: a forgotten county is caught, a named one is not', () => {
    expect(unnamed('select m.name from members m join orgs o on o.id = m.org_id where o.county_code = $1')).toEqual([
      'from members m',
    ]);
    expect(unnamed('select * from orgs o where o.id = $1')).toEqual(['from orgs o']);
    expect(unnamed('select * from orgs o where o.county_code = $1 and o.id = $2')).toEqual([]);
    expect(unnamed('update users set disabled = true where id = $1')).toEqual(['update users']);
    expect(unnamed('insert into members (id, county_code) values ($1, $2)')).toEqual([]);
  });

  it('over everything the tests above did, as the app', () => {
    const { offending, checked } = countyOffenders(statements);
    expect(checked).toBeGreaterThan(60);
    expect(offending).toEqual([]);
  });
});
