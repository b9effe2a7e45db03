/**
 * An existing installation upgrades in place to county keys (migration 0010, docs/SCALE.md): a
 * database migrated to 0009 holds data and an audit log as the previous version wrote them (one
 * global chain, system entries without a county, a head anchored in the data directory, a signed-in
 * session, a changed setting); after migrating to head the old chain and anchor still verify, the
 * session and the setting still work, and new entries chain per county after the old ones.
 */
import { createFileService } from '../platform/files/file-service.ts';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildApp } from '../app.ts';
import { connect, type Database, runMigrations } from '../db/index.ts';
import { APP_ROLE, grantAppPrivileges } from '../db/roles.ts';
import { tableRoleProblems } from '../db/table-roles.ts';
import { sealedColumns } from '../modules/members/service.ts';
import { orgInitials } from '../modules/orgs/initials.ts';
import { seedCodeLists } from '../modules/seed/codelists.ts';
import { ANCHOR_FILE, AuditAnchor } from '../platform/anchor.ts';
import { type AuditRowForHash, canonical, GENESIS, rowHash, verifyAudit } from '../platform/audit.ts';
import { loadConfig } from '../platform/config.ts';
import { createCrypto, generateKeyFile, keyRingFrom } from '../platform/crypto.ts';
import type { Deps } from '../platform/deps.ts';
import { makeIdNumber } from '../platform/idcard.ts';
import { hashPassword } from '../platform/passwords.ts';
import { namePinyin, pinyinKey } from '../platform/pinyin.ts';
import { getSetting } from '../platform/settings.ts';
import { asAppRole, ORIGIN, PASSWORD } from './harness.ts';

const COUNTY = '410225';
const MIGRATIONS = path.resolve(import.meta.dirname, '../db/migrations');
const cryptoProvider = createCrypto(keyRingFrom(generateKeyFile()));

/** A copy of the migrations folder that ends at `tag`. */
function migrationsUpTo(tag: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-migr-'));
  const journal = JSON.parse(fs.readFileSync(path.join(MIGRATIONS, 'meta', '_journal.json'), 'utf8')) as {
    entries: { tag: string }[];
  };
  const upTo = journal.entries.findIndex((e) => e.tag === tag);
  if (upTo < 0) throw new Error(`no migration ${tag}`);
  journal.entries = journal.entries.slice(0, upTo + 1);
  fs.mkdirSync(path.join(dir, 'meta'));
  fs.writeFileSync(path.join(dir, 'meta', '_journal.json'), JSON.stringify(journal));
  for (const e of journal.entries)
    fs.copyFileSync(path.join(MIGRATIONS, `${e.tag}.sql`), path.join(dir, `${e.tag}.sql`));
  return dir;
}

let name: string;
let owner: Database;
let ownerUrl: string;
let dataDir: string;
let oldFolder: string;
const fx = {
  root: '',
  township: '',
  branch: '',
  admin: '',
  sid: '',
  legacy: [] as { seq: number; hash: string; county: string | null }[],
};

/** Append entries the way the previous version did: one global chain, the actor's county or none. */
async function legacyAppend(
  rows: { county: string | null; action: string; userId?: string; username?: string; orgId?: string }[],
) {
  const last = await owner.pool.query('select hash from audit_log order by seq desc limit 1');
  let prev: string = last.rows[0]?.hash ?? GENESIS;
  for (const r of rows) {
    const entry: AuditRowForHash = {
      at: new Date().toISOString(),
      userId: r.userId ?? null,
      username: r.username ?? 'system',
      roles: null,
      orgId: r.orgId ?? null,
      countyCode: r.county,
      ip: null,
      action: r.action,
      objectType: null,
      objectId: null,
      result: 'ok',
      requestId: null,
      detail: {},
      prevHash: prev,
    };
    const hash = rowHash(cryptoProvider, entry);
    const ins = await owner.pool.query(
      `insert into audit_log (at, user_id, username, roles, org_id, county_code, ip, action, object_type, object_id, result, request_id, detail, prev_hash, hash)
       values ($1, $2, $3, null, $4, $5, null, $6, null, null, 'ok', null, '{}'::jsonb, $7, $8) returning seq`,
      [entry.at, entry.userId, entry.username, entry.orgId, entry.countyCode, entry.action, prev, hash],
    );
    fx.legacy.push({ seq: Number(ins.rows[0].seq), hash, county: r.county });
    prev = hash;
  }
}

beforeAll(async () => {
  const adminUrl = inject('pgAdminUrl');
  name = `${inject('pgTemplate')}_t_upgrade${crypto.randomBytes(3).toString('hex')}`;
  const a = new pg.Client({ connectionString: adminUrl });
  await a.connect();
  await a.query(`create database "${name}"`);
  await a.end();
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  ownerUrl = u.toString();
  owner = connect(ownerUrl, 3);
  await owner.pool.query('create extension if not exists pg_trgm');
  oldFolder = migrationsUpTo('0009_org_name_initials');
  await migrate(owner.db, { migrationsFolder: oldFolder });
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-upgrade-'));

  // The previous version's first start: the county, code lists, a small tree, a member, accounts.
  await owner.db.execute(
    sql`insert into platform_meta (key, value) values ('county', ${JSON.stringify({ code: COUNTY, demo: false })}::jsonb)`,
  );
  await owner.db.transaction((tx) => seedCodeLists(tx));
  const org = async (parent: { id: string; path: string; depth: number } | null, orgName: string, kind: string) => {
    const id = crypto.randomUUID();
    const p = parent ? `${parent.path}${id}/` : `/${id}/`;
    await owner.db.execute(sql`insert into orgs (id, county_code, parent_id, path, depth, name, name_pinyin, name_initials, kind, field)
      values (${id}, ${COUNTY}, ${parent?.id ?? null}, ${p}, ${parent ? parent.depth + 1 : 0}, ${orgName}, ${pinyinKey(orgName).replace(/ /g, '')}, ${orgInitials(orgName, '兰考县')}, ${kind}, 'rural')`);
    return { id, path: p, depth: parent ? parent.depth + 1 : 0 };
  };
  const root = await org(null, '中共兰考县委员会', 'committee');
  const town = await org(root, '中共甲镇委员会', 'committee');
  const branch = await org(town, '中共甲一村支部委员会', 'branch');
  Object.assign(fx, { root: root.id, township: town.id, branch: branch.id });
  const memberId = crypto.randomUUID();
  const idNo = makeIdNumber(COUNTY, '19800101', 123);
  const s = sealedColumns(cryptoProvider, memberId, idNo, '13912345678', '河南省兰考县测试路1号');
  const py = namePinyin('老党员');
  await owner.db.execute(sql`insert into members (id, county_code, org_id, name, name_pinyin, name_initials, sex, birth_date, standing, join_date, full_date,
      id_enc, id_bidx, id_tail_bidx, phone_enc, phone_bidx, phone_masked, address_enc, address_masked)
    values (${memberId}, ${COUNTY}, ${branch.id}, '老党员', ${py.full}, ${py.initials}, '1', '1980-01-01', 'full', '2005-07-01', '2006-07-01',
      ${s.idEnc}, ${s.idBidx}, ${s.idTailBidx}, ${s.phoneEnc}, ${s.phoneBidx}, ${s.phoneMasked}, ${s.addressEnc}, ${s.addressMasked})`);
  const hash = await hashPassword(PASSWORD);
  const users = await owner.db.execute<{
    id: string;
    username: string;
  }>(sql`insert into users (county_code, username, display_name, password_hash, roles, org_id)
    values (${COUNTY}, 'admin', '系统管理员', ${hash}, array['countyAdmin']::text[], ${root.id}), (${COUNTY}, 'OrgA', '甲镇管理员', ${hash}, array['orgAdmin']::text[], ${town.id})
    returning id, username`);
  fx.admin = String(users.rows.find((r) => r.username === 'admin')?.id);
  // A changed setting, and the admin signed in.
  await owner.db.execute(sql`insert into settings (key, value) values ('security.searchesPerMinute', '7'::jsonb)`);
  fx.sid = crypto.randomBytes(32).toString('base64url');
  await owner.db.execute(
    sql`insert into sessions (id_hash, user_id, ip, user_agent) values (${cryptoProvider.sm3(fx.sid)}, ${fx.admin}, '127.0.0.1', 'test')`,
  );
  // The audit log as the previous version wrote it: system entries had no county.
  await legacyAppend([
    { county: null, action: 'system.seed' },
    { county: null, action: 'user.create' },
    { county: COUNTY, action: 'auth.login', userId: fx.admin, username: 'admin', orgId: root.id },
    { county: null, action: 'auth.login', username: 'nobody' },
    { county: COUNTY, action: 'org.update', userId: fx.admin, username: 'admin', orgId: root.id },
  ]);
  // …and its head anchored in the data directory by the previous version (same file format).
  const head = fx.legacy[fx.legacy.length - 1];
  const chains = { [COUNTY]: { seq: head.seq, hash: head.hash, at: new Date().toISOString() } };
  fs.writeFileSync(
    path.join(dataDir, ANCHOR_FILE),
    JSON.stringify({ version: 1, chains, mac: cryptoProvider.auditMac(`audit-head:v1:${canonical(chains)}`) }),
    { mode: 0o600 },
  );

  // The new version starts: migrations to head.
  await runMigrations(owner);
}, 120_000);

afterAll(async () => {
  await owner?.close();
  const a = new pg.Client({ connectionString: inject('pgAdminUrl') });
  await a.connect();
  await a.query(`drop database if exists "${name}" with (force)`);
  await a.end();
  for (const d of [dataDir, oldFolder]) if (d) fs.rmSync(d, { recursive: true, force: true });
});

describe('migrating a 0009 database with data to head', () => {
  it('keeps every table in its declared role', async () => {
    expect(await tableRoleProblems(owner.pool)).toEqual([]);
  });

  it('gives every old audit entry a county without changing what was hashed, and marks the old chain', async () => {
    const rows = await owner.db.execute<{ seq: number; county_code: string; chain_rule: number; hash: string }>(
      sql`select seq, county_code, chain_rule, hash from audit_log order by seq`,
    );
    expect(
      rows.rows.map((r) => ({ seq: Number(r.seq), county: r.county_code, rule: r.chain_rule, hash: r.hash })),
    ).toEqual(fx.legacy.map((l) => ({ seq: l.seq, county: COUNTY, rule: l.county === null ? 0 : 1, hash: l.hash })));
  });

  it('verifies the old global chain and the head the previous version anchored', async () => {
    const anchor = new AuditAnchor(path.join(dataDir, ANCHOR_FILE), cryptoProvider);
    const v = await verifyAudit(owner.db, cryptoProvider, anchor);
    expect(v.problems).toEqual([]);
    expect(v.counties).toEqual([
      {
        county: COUNTY,
        ok: true,
        checked: 5,
        problems: [],
        anchored: expect.objectContaining({ seq: fx.legacy[4].seq }),
      },
    ]);
  });

  it('moves settings, accounts and sessions into the county', async () => {
    expect(await getSetting(owner.db, COUNTY, 'security.searchesPerMinute')).toBe(7);
    const dir = await owner.db.execute<{ username: string; county_code: string }>(
      sql`select lower(username) as username, county_code from users order by 1`,
    );
    expect(dir.rows).toEqual([
      { username: 'admin', county_code: COUNTY },
      { username: 'orga', county_code: COUNTY },
    ]);
    const ses = await owner.db.execute<{ county_code: string }>(sql`select county_code from sessions`);
    expect(ses.rows).toEqual([{ county_code: COUNTY }]);
    const idx = await owner.db.execute<{ indexdef: string }>(
      sql`select indexdef from pg_indexes where indexname = 'members_initials_cov'`,
    );
    expect(idx.rows[0].indexdef).toMatch(
      /\(county_code, name_initials text_pattern_ops\) INCLUDE \(id, org_id, name_pinyin, name\)/,
    );
  });
});

describe('the upgraded installation runs', () => {
  let app: Database;
  let deps: Deps;
  let web: Awaited<ReturnType<typeof buildApp>>;
  const call = async (method: string, url: string, cookie?: string, body?: unknown) => {
    const res = await web.inject({
      method: method as 'GET',
      url,
      headers: { host: 'localhost:80', ...(cookie ? { cookie } : {}), ...(method === 'GET' ? {} : { origin: ORIGIN }) },
      ...(body !== undefined ? { payload: body as object } : {}),
    });
    return { status: res.statusCode, json: res.body ? res.json() : null, headers: res.headers };
  };

  beforeAll(async () => {
    await grantAppPrivileges(owner, APP_ROLE);
    app = connect(asAppRole(ownerUrl), 3);
    deps = {
      database: app,
      crypto: cryptoProvider,
      config: loadConfig({ DANGJIAN_PUBLIC_URL: ORIGIN, DANGJIAN_DATA_DIR: dataDir }),
      dbInfo: { mode: inject('pgMode'), version: 'test' },
      filesDir: path.join(dataDir, 'files'),
      files: createFileService(path.join(dataDir, 'files'), cryptoProvider),
      now: () => new Date(),
      anchor: new AuditAnchor(path.join(dataDir, ANCHOR_FILE), cryptoProvider),
    };
    web = await buildApp(deps);
    await web.ready();
  });
  afterAll(async () => {
    await web?.close();
    await app?.close();
  });

  it('the session signed in before the upgrade still works; logins and writes work', async () => {
    const me = await call('GET', '/api/auth/me', `dj_sid=${fx.sid}`);
    expect(me.status).toBe(200);
    expect(me.json.username).toBe('admin');
    const login = await call('POST', '/api/auth/login', undefined, { username: 'orga', password: PASSWORD });
    expect(login.status).toBe(200);
    const cookie = `dj_sid=${fx.sid}`;
    expect((await call('PATCH', `/api/orgs/${fx.branch}`, cookie, { contactName: '升级之后' })).status).toBe(200);
    const made = await call('POST', '/api/members', cookie, {
      name: '新党员',
      idNumber: makeIdNumber(COUNTY, '19900101', 201),
      orgId: fx.branch,
      standing: 'full',
      joinDate: '2015-07-01',
      fullDate: '2016-07-01',
    });
    expect(made.status).toBe(201);
    // The member-count trigger, rewritten to join on the county, still counts.
    const n = await owner.db.execute<{ member_count: number }>(
      sql`select member_count from orgs where county_code = ${COUNTY} and id = ${fx.branch}`,
    );
    expect(n.rows[0].member_count).toBe(2);
  });

  it('new entries chain per county after the old ones, and the anchor moves forward from the old head', async () => {
    await deps.anchor?.flush(app.db);
    const first = await owner.db.execute<{ prev_hash: string; chain_rule: number }>(
      sql`select prev_hash, chain_rule from audit_log where chain_rule = 2 order by seq limit 1`,
    );
    expect(first.rows[0].prev_hash).toBe(fx.legacy[4].hash);
    const v = await verifyAudit(owner.db, cryptoProvider, deps.anchor);
    expect(v.problems).toEqual([]);
    expect(v.counties[0].checked).toBeGreaterThan(7);
    const top = await owner.db.execute<{ seq: number }>(sql`select max(seq) as seq from audit_log`);
    expect(v.counties[0].anchored?.seq).toBe(Number(top.rows[0].seq));
  });

  it('a forged old entry, and an old county-less entry moved to another county, are still found', async () => {
    const c = new pg.Client({ connectionString: ownerUrl });
    await c.connect();
    try {
      await c.query('set session_replication_role = replica');
      await c.query(`update audit_log set detail = '{"forged":true}'::jsonb where seq = $1`, [fx.legacy[2].seq]);
      await c.query(`update audit_log set county_code = '520425' where seq = $1`, [fx.legacy[3].seq]);
    } finally {
      await c.end();
    }
    const v = await verifyAudit(owner.db, cryptoProvider);
    expect(v.ok).toBe(false);
    expect(v.problems).toEqual([
      { seq: fx.legacy[2].seq, county: COUNTY, problem: '内容与哈希不符：记录被改动' },
      {
        seq: fx.legacy[3].seq,
        county: '520425',
        problem: `迁移前未记县代码的记录应属本安装（${COUNTY}），现为 520425：记录被改动`,
      },
    ]);
  });
});
