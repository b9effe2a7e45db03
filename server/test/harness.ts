/** A fresh database cloned from the migrated template, a small county, users of every role, and helpers. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { generate } from 'otplib';
import { inject } from 'vitest';
import { buildApp } from '../app.ts';
import { connect, type Database } from '../db/index.ts';
import { withCredentials } from '../db/roles.ts';
import { ANCHOR_FILE, AuditAnchor } from '../platform/anchor.ts';
import { loadConfig } from '../platform/config.ts';
import { type CryptoProvider, createCrypto, generateKeyFile, keyRingFrom } from '../platform/crypto.ts';
import type { Deps } from '../platform/deps.ts';
import { createFileService } from '../platform/files/file-service.ts';
import { makeIdNumber } from '../platform/idcard.ts';
import { hashPassword } from '../platform/passwords.ts';
import { TOTP_REQUIRED_ROLES } from '../platform/permissions.ts';
import { newTotpSecret } from '../platform/totp.ts';
import { namePinyin, pinyinKey } from '../platform/pinyin.ts';
import { sealedColumns } from '../modules/members/service.ts';
import { sealCtx } from '../platform/sealed.ts';
import { recordStatements } from './county-check.ts';
import { orgInitials } from '../modules/orgs/initials.ts';

export const PASSWORD = 'Test#Pass2026';
export const ORIGIN = 'http://localhost:80';
export const COUNTY = '410225';
/** A second county some tests put beside the first in the same database (`setup({ otherCounty: true })`). */
export const OTHER_COUNTY = '520425';

export interface Fixtures {
  county: string;
  townA: string;
  villageA1: string;
  groupA1: string;
  villageA2: string;
  townB: string;
  villageB1: string;
  organs: string;
  organBranch: string;
  /** member ids by name */
  members: Record<string, string>;
  /** plaintext ID numbers by member name, for assertions */
  ids: Record<string, string>;
  users: Record<string, string>;
}

export interface TestCtx {
  app: FastifyInstance;
  deps: Deps;
  /** The app's connection (the least-privilege role, SEC-32). */
  database: Database;
  /** The owner's URL of this test database: for tests that tamper on purpose. */
  ownerUrl: string;
  /** The app role's URL of another database on the same server. */
  appUrlFor(dbName: string): string;
  /** The keys as `DANGJIAN_KEYS` takes them, for a CLI run against this database. */
  keysJson: string;
  fx: Fixtures;
  /** The text of every statement the app's pool sent (county-check.ts checks each names its county). */
  statements: string[];
  /** Move the clock used by sessions and lockouts. */
  advance(ms: number): void;
  /** Log in; an account enrolled by the harness (`totp: true`) sends a fresh code, moving the clock to an unused step if needed. */
  login(username: string, password?: string): Promise<string>;
  /** A fresh code for an enrolled account (the clock moves to a step the account has not used). */
  totpCode(username: string): Promise<string | undefined>;
  /** Another account, created directly in the database (enrolled like the others when `totp` is set). */
  addUser(username: string, roles: string[], orgId: string): Promise<string>;
  req(
    method: string,
    url: string,
    opts?: { cookie?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; json: any; body: string; headers: Record<string, unknown> }>;
  /** Stop the app and start it again on the same database (e.g. with rotated keys). */
  restart(crypto?: CryptoProvider): Promise<void>;
  close(): Promise<void>;
}

/** A URL for the same server and database as the app's least-privilege role. */
export function asAppRole(url: string): string {
  return withCredentials(url, inject('pgAppRole'), inject('pgAppPassword'));
}

/** A fresh database cloned from the migrated template (code lists seeded, no county yet); its owner's URL. */
export async function createTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const adminUrl = inject('pgAdminUrl');
  const template = inject('pgTemplate');
  const name = `${template}_t_${crypto.randomBytes(5).toString('hex')}`;
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  await c.query(`create database "${name}" template "${template}"`);
  await c.end();
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const c2 = new pg.Client({ connectionString: adminUrl });
      await c2.connect();
      await c2.query(`drop database if exists "${name}" with (force)`);
      await c2.end();
    },
  };
}

let seq = 100;
/** A valid ID number for someone born on `birth` (YYYYMMDD); odd sequence = male. */
export function newId(birth = '19800101', male = true): string {
  seq += 2;
  return makeIdNumber(COUNTY, birth, male ? seq + 1 : seq);
}

async function insertOrg(
  db: Database,
  parent: { id: string; path: string; depth: number } | null,
  name: string,
  kind: string,
  field: string | null,
  county = COUNTY,
) {
  const id = crypto.randomUUID();
  const p = parent ? `${parent.path}${id}/` : `/${id}/`;
  // Founded long before any period a test checks.
  await db.db.execute(sql`insert into orgs (id, county_code, parent_id, path, depth, name, name_pinyin, name_initials, kind, field, term_years, founded_on)
    values (${id}, ${county}, ${parent?.id ?? null}, ${p}, ${parent ? parent.depth + 1 : 0}, ${name}, ${pinyinKey(name).replace(/ /g, '')}, ${orgInitials(name, '兰考县')}, ${kind}, ${field}, 5, '2000-01-01')`);
  return { id, path: p, depth: parent ? parent.depth + 1 : 0 };
}

async function insertMember(
  db: Database,
  deps: Deps,
  org: { id: string },
  name: string,
  idNumber: string,
  opts: { standing?: string; joinDate?: string; phone?: string; county?: string } = {},
) {
  const county = opts.county ?? COUNTY;
  const id = crypto.randomUUID();
  const s = sealedColumns(deps.crypto, id, idNumber, opts.phone ?? '13912345678', '河南省兰考县测试路1号');
  const py = namePinyin(name);
  const birth = `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`;
  const standing = opts.standing ?? 'full';
  const joinDate = opts.joinDate ?? '2010-07-01';
  await db.db.execute(sql`insert into members (id, county_code, org_id, name, name_pinyin, name_initials, sex, birth_date, standing, join_date, full_date,
      id_enc, id_bidx, id_tail_bidx, phone_enc, phone_bidx, phone_masked, address_enc, address_masked)
    values (${id}, ${county}, ${org.id}, ${name}, ${py.full}, ${py.initials}, ${Number(idNumber[16]) % 2 ? '1' : '2'}, ${birth}, ${standing}, ${joinDate},
      ${standing === 'full' ? '2011-07-01' : null}, ${s.idEnc}, ${s.idBidx}, ${s.idTailBidx}, ${s.phoneEnc}, ${s.phoneBidx}, ${s.phoneMasked}, ${s.addressEnc}, ${s.addressMasked})`);
  await db.db.execute(
    sql`insert into member_org_history (county_code, member_id, org_id, org_name, from_date, reason) values (${county}, ${id}, ${org.id}, 'x', ${joinDate}, '入党')`,
  );
  return id;
}

let hashCache: string | null = null;

/**
 * @param opts.profile security profile of the app
 * @param opts.totp enrol a second factor for every account whose role requires one in level3 (SEC-5)
 * @param opts.crypto a provider of the test's own (e.g. keys from a data directory); `keysJson` then does not describe it
 */
export async function setup(
  opts: { profile?: 'default' | 'level3'; totp?: boolean; crypto?: CryptoProvider; otherCounty?: boolean } = {},
): Promise<TestCtx> {
  const { url, drop } = await createTestDatabase();
  // The app runs as the least-privilege role, as in production (SEC-32); tamper tests use ownerUrl.
  const database = connect(asAppRole(url), 5);
  // Every statement the app sends, for the county check (county-check.ts).
  const statements: string[] = [];
  recordStatements(database.pool, statements);
  const keyFile = generateKeyFile();
  const cryptoProvider = opts.crypto ?? createCrypto(keyRingFrom(keyFile));
  let offset = 0;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-data-'));
  const filesDir = path.join(dataDir, 'files');
  fs.mkdirSync(filesDir);
  const config = { ...loadConfig({ DANGJIAN_PUBLIC_URL: ORIGIN }), profile: opts.profile ?? 'default' };
  const deps: Deps = {
    database,
    crypto: cryptoProvider,
    config,
    dbInfo: { mode: inject('pgMode'), version: 'test' },
    filesDir,
    files: createFileService(filesDir, cryptoProvider),
    now: () => new Date(Date.now() + offset),
    anchor: new AuditAnchor(path.join(dataDir, ANCHOR_FILE), cryptoProvider),
  };
  // The installation serves one county, as a first start records it.
  await database.db.execute(
    sql`insert into platform_meta (key, value) values ('county', ${JSON.stringify({ code: COUNTY, demo: false })}::jsonb), ('counties', ${JSON.stringify([COUNTY])}::jsonb)`,
  );
  const county = await insertOrg(database, null, '中共兰考县委员会', 'committee', null);
  const townA = await insertOrg(database, county, '中共甲镇委员会', 'committee', 'rural');
  const villageA1 = await insertOrg(database, townA, '中共甲一村支部委员会', 'branch', 'rural');
  const groupA1 = await insertOrg(database, villageA1, '甲一村第一党小组', 'partyGroup', 'rural');
  const villageA2 = await insertOrg(database, townA, '中共甲二村支部委员会', 'branch', 'rural');
  const townB = await insertOrg(database, county, '中共乙镇委员会', 'committee', 'rural');
  const villageB1 = await insertOrg(database, townB, '中共乙一村支部委员会', 'branch', 'rural');
  const organs = await insertOrg(database, county, '中共兰考县县直机关工作委员会', 'workingCommittee', 'organ');
  const organBranch = await insertOrg(database, organs, '中共兰考县财政局机关支部委员会', 'branch', 'organ');
  const ids: Record<string, string> = {
    张三: newId('19800101', true),
    张珊: newId('19850505', false),
    李四: newId('19700202', true),
    王五: newId('19600303', true),
    赵六: newId('19900404', false),
    钱七: newId('19750505', true),
  };
  const members: Record<string, string> = {
    张三: await insertMember(database, deps, villageA1, '张三', ids.张三),
    张珊: await insertMember(database, deps, groupA1, '张珊', ids.张珊),
    李四: await insertMember(database, deps, villageA2, '李四', ids.李四),
    王五: await insertMember(database, deps, villageB1, '王五', ids.王五),
    赵六: await insertMember(database, deps, organBranch, '赵六', ids.赵六),
    钱七: await insertMember(database, deps, villageA1, '钱七', ids.钱七, {
      standing: 'probationary',
      joinDate: '2026-03-01',
    }),
  };
  hashCache ??= await hashPassword(PASSWORD);
  const users: Record<string, string> = {};
  const totpSecrets: Record<string, string> = {};
  const lastStep: Record<string, number> = {};
  const mk = async (username: string, roles: string[], orgId: string) => {
    const secret = opts.totp && roles.some((r) => TOTP_REQUIRED_ROLES.has(r)) ? newTotpSecret() : null;
    const userId = crypto.randomUUID();
    const r = await database.db.execute<{
      id: string;
    }>(sql`insert into users (id, county_code, username, display_name, password_hash, roles, org_id, totp_enabled, totp_secret_enc)
      values (${userId}, ${COUNTY}, ${username}, ${`测试${username}`}, ${hashCache}, ${sql`array[${sql.join(
        roles.map((x) => sql`${x}`),
        sql`, `,
      )}]::text[]`}, ${orgId},
        ${secret !== null}, ${secret === null ? null : cryptoProvider.encrypt(secret, sealCtx('users.totp', userId))}) returning id`);
    users[username] = r.rows[0].id;
    if (secret) totpSecrets[username] = secret;
    return r.rows[0].id;
  };
  await mk('admin', ['countyAdmin'], county.id);
  await mk('orga', ['orgAdmin'], townA.id);
  await mk('orgb', ['orgAdmin'], townB.id);
  await mk('seca1', ['branchSecretary'], villageA1.id);
  await mk('leader', ['leader'], county.id);
  await mk('secadmin', ['securityAdmin'], county.id);
  await mk('auditor', ['auditor'], county.id);
  if (opts.otherCounty) {
    // Another county in the same database (its rows must never show up, nor be read without its county).
    const root = await insertOrg(database, null, '中共紫云苗族布依族自治县委员会', 'committee', null, OTHER_COUNTY);
    const town = await insertOrg(database, root, '中共松山镇委员会', 'committee', 'rural', OTHER_COUNTY);
    const branch = await insertOrg(database, town, '中共松山村支部委员会', 'branch', 'rural', OTHER_COUNTY);
    await insertMember(database, deps, branch, '紫云党员', makeIdNumber(OTHER_COUNTY, '19810101', 301), {
      county: OTHER_COUNTY,
    });
  }
  const app = await buildApp(deps);
  await app.ready();

  const ctx: TestCtx = {
    app,
    deps,
    database,
    ownerUrl: url,
    statements,
    keysJson: JSON.stringify(keyFile),
    appUrlFor: (dbName) => {
      const u = new URL(url);
      u.pathname = `/${dbName}`;
      return asAppRole(u.toString());
    },
    fx: {
      county: county.id,
      townA: townA.id,
      villageA1: villageA1.id,
      groupA1: groupA1.id,
      villageA2: villageA2.id,
      townB: townB.id,
      villageB1: villageB1.id,
      organs: organs.id,
      organBranch: organBranch.id,
      members,
      ids,
      users,
    },
    advance(ms) {
      offset += ms;
    },
    addUser: (username, roles, orgId) => mk(username, roles, orgId),
    async totpCode(username) {
      const secret = totpSecrets[username];
      if (!secret) return undefined;
      // A code is good once per 30-second step (SEC-5): move the clock past the last step this account used.
      let step = Math.floor(deps.now().getTime() / 30_000);
      if (lastStep[username] !== undefined && step <= lastStep[username]) {
        offset += (lastStep[username] + 1 - step) * 30_000;
        step = lastStep[username] + 1;
      }
      lastStep[username] = step;
      return generate({ secret, epoch: Math.floor(deps.now().getTime() / 1000) });
    },
    async req(method, url, opts = {}) {
      const headers: Record<string, string> = { ...(opts.headers ?? {}) };
      if (opts.cookie) headers.cookie = opts.cookie;
      if (method !== 'GET' && !('origin' in headers)) headers.origin = ORIGIN;
      const res = await ctx.app.inject({
        method: method as 'GET',
        url,
        headers: { host: 'localhost:80', ...headers },
        ...(opts.body !== undefined ? { payload: opts.body as object } : {}),
      });
      let json: unknown = null;
      try {
        json = res.json();
      } catch {
        json = null;
      }
      return { status: res.statusCode, json, body: res.body, headers: res.headers as Record<string, unknown> };
    },
    async login(username, password = PASSWORD) {
      const totpCode = await ctx.totpCode(username);
      const res = await ctx.req('POST', '/api/auth/login', {
        body: { username, password, ...(totpCode ? { totpCode } : {}) },
      });
      if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${res.body}`);
      const set = res.headers['set-cookie'];
      const raw = Array.isArray(set) ? set[0] : String(set);
      return raw.split(';')[0];
    },
    async restart(crypto) {
      await ctx.app.close();
      if (crypto) deps.crypto = crypto;
      ctx.app = await buildApp(deps);
      await ctx.app.ready();
    },
    async close() {
      await ctx.app.close();
      await database.close();
      await drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return ctx;
}

/** A roster workbook: a header row and data rows, as offices type them. */
export async function rosterWorkbook(
  rows: (string | number | Date)[][],
  header = ['姓名', '身份证号', '所在党支部', '党员类别', '入党时间', '转正时间', '手机号'],
): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('名册');
  ws.addRow(header);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A file as the web app uploads it: multipart/form-data with the field `file`. */
export function multipart(file: Buffer, name = 'roster.xlsx'): { body: Buffer; type: string } {
  const boundary = `----dj${crypto.randomBytes(8).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n`,
  );
  return {
    body: Buffer.concat([head, file, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    type: `multipart/form-data; boundary=${boundary}`,
  };
}

/** POST a workbook to the member import as `cookie`; the status and the parsed answer. */
export async function uploadRoster(
  t: TestCtx,
  cookie: string,
  file: Buffer,
  dryRun = true,
): Promise<{ status: number; json: any }> {
  const mp = multipart(file);
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/members/import?dryRun=${dryRun}`,
    headers: { cookie, origin: ORIGIN, host: 'localhost:80', 'content-type': mp.type },
    payload: mp.body,
  });
  let json: any = null;
  try {
    json = res.json();
  } catch {
    json = null;
  }
  return { status: res.statusCode, json };
}
