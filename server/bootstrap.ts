/** First-start work shared by `npm start` and the CLI: database, migrations, keys, counties (roots, seed), admins. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { runningEmbedded, startEmbedded } from './db/embedded.ts';
import { connect, type Database, ensureDatabase, runMigrations, type Tx } from './db/index.ts';
import {
  APP_ROLE,
  canCreateRoles,
  ensureAnalyzeFunction,
  ensureAppRole,
  grantAppPrivileges,
  userOf as dbUserOf,
  withCredentials,
} from './db/roles.ts';
import { ANCHOR_FILE, AuditAnchor, databaseStopping } from './platform/anchor.ts';
import { writeAudit } from './platform/audit.ts';
import type { Config } from './platform/config.ts';
import type { CryptoProvider } from './platform/crypto.ts';
import { finishDemoParts, installedPartNames, seedDemoParts } from './platform/demo.ts';
import type { Deps } from './platform/deps.ts';
import { createFileService } from './platform/files/file-service.ts';
import { installationCounty, servedCounties } from './platform/installation.ts';
import { loadOrCreateKeys } from './platform/keys.ts';
import { safeErrorMessage } from './platform/logging.ts';
import { hashPassword, randomPassword } from './platform/passwords.ts';
import { pinyinKey } from './platform/pinyin.ts';
import { reseal } from './platform/sealed.ts';
import { fillOrgInitials, orgInitials } from './modules/orgs/initials.ts';
import { areaName, parseExtract, readExtract } from './modules/seed/divisions.ts';

export type Log = (msg: string) => void;

/** The schema owner's connection (migrations, seeding, restore) and the server behind it. */
export async function openDatabase(
  config: Config,
  log: Log,
): Promise<{
  owner: Database;
  ownerUrl: string;
  appPassword: string | null;
  dbInfo: Deps['dbInfo'];
  stop: () => Promise<void>;
}> {
  if (config.databaseUrl) {
    log('连接外部 PostgreSQL（DATABASE_URL）…');
    const owner = connect(config.databaseUrl, Math.max(3, config.seedWorkers + 2));
    const v = await owner.pool.query('show server_version');
    const major = Number(String(v.rows[0].server_version).split('.')[0]);
    if (major < 15) throw new Error(`需要 PostgreSQL 15 或更高版本，当前为 ${v.rows[0].server_version}`);
    return {
      owner,
      ownerUrl: config.databaseUrl,
      appPassword: null,
      dbInfo: { mode: 'external', version: String(v.rows[0].server_version) },
      stop: async () => {},
    };
  }
  log(`启动内置 PostgreSQL（数据目录 ${path.join(config.dataDir, 'pg')}）…`);
  const pg = await startEmbedded(config.dataDir, log);
  const url = await ensureDatabase(pg.url, 'dangjian');
  // A connection for each county seeded at once and for the work beside them.
  return {
    owner: connect(url, Math.max(3, config.seedWorkers + 2)),
    ownerUrl: url,
    appPassword: pg.appPassword,
    dbInfo: { mode: 'embedded', version: pg.version },
    stop: () => pg.stop(),
  };
}

/**
 * The app's connection (SEC-32): a role that owns nothing and cannot disable triggers. Embedded: the
 * platform's `dangjian_app` with the password kept in the data directory. DATABASE_URL:
 * DANGJIAN_APP_DATABASE_URL when the operator gives one; otherwise `dangjian_app` created by the
 * platform when the owner may create roles (password in `<data>/db-app.json`); otherwise the owner,
 * said loudly. Privileges are granted after every migration run.
 */
async function appDatabaseUrl(
  owner: Database,
  ownerUrl: string,
  config: Config,
  embeddedPassword: string | null,
  log: Log,
): Promise<string> {
  if (embeddedPassword !== null) {
    await ensureAppRole(owner.pool, APP_ROLE, embeddedPassword);
    await grantAppPrivileges(owner, APP_ROLE);
    return withCredentials(ownerUrl, APP_ROLE, embeddedPassword);
  }
  if (config.appDatabaseUrl) {
    const user = dbUserOf(config.appDatabaseUrl);
    if (user === dbUserOf(ownerUrl)) {
      log(
        `警告：DANGJIAN_APP_DATABASE_URL 与 DATABASE_URL 是同一数据库账号 ${user}，平台将以表的所有者身份运行（可关闭审计触发器）。`,
      );
      return config.appDatabaseUrl;
    }
    const exists = await owner.pool.query('select 1 from pg_roles where rolname = $1', [user]);
    if (!exists.rowCount)
      throw new Error(
        `DANGJIAN_APP_DATABASE_URL 中的数据库账号 ${user} 不存在：请先创建（LOGIN，无超级用户等权限），平台会在迁移后为它授权`,
      );
    await grantAppPrivileges(owner, user);
    log(`平台以最小权限数据库账号 ${user} 连接（DANGJIAN_APP_DATABASE_URL）。`);
    return config.appDatabaseUrl;
  }
  if (await canCreateRoles(owner.pool)) {
    const file = path.join(config.dataDir, 'db-app.json');
    let password: string;
    if (fs.existsSync(file)) password = (JSON.parse(fs.readFileSync(file, 'utf8')) as { password: string }).password;
    else {
      password = crypto.randomBytes(24).toString('base64url');
      fs.mkdirSync(config.dataDir, { recursive: true });
      fs.writeFileSync(file, JSON.stringify({ role: APP_ROLE, password }), { mode: 0o600 });
    }
    await ensureAppRole(owner.pool, APP_ROLE, password);
    await grantAppPrivileges(owner, APP_ROLE);
    log(
      `平台以最小权限数据库账号 ${APP_ROLE} 连接（由平台创建，密码保存在 ${file}；多实例部署请改用 DANGJIAN_APP_DATABASE_URL）。`,
    );
    return withCredentials(ownerUrl, APP_ROLE, password);
  }
  log(
    `警告：DATABASE_URL 的账号 ${dbUserOf(ownerUrl)} 无权创建角色，平台以表的所有者身份连接（可关闭审计触发器）。请创建最小权限账号并设置 DANGJIAN_APP_DATABASE_URL（见 README）。`,
  );
  return ownerUrl;
}

/**
 * Deps with the app's least-privilege connection, plus the owner's connection for first-start work
 * (seeding, restore); close it with `closeOwner` when done. `stop` closes everything.
 */
export async function makeDeps(
  config: Config,
  log: Log,
): Promise<{ deps: Deps; owner: Database; closeOwner: () => Promise<void>; stop: () => Promise<void> }> {
  const { owner, ownerUrl, appPassword, dbInfo, stop: stopServer } = await openDatabase(config, log);
  let ownerOpen = true;
  const closeOwner = async () => {
    if (!ownerOpen) return;
    ownerOpen = false;
    await owner.close();
  };
  try {
    log('执行数据库迁移…');
    await runMigrations(owner);
    // Also where the app connects as the owner (no role of its own): the platform asks for statistics through it.
    await ensureAnalyzeFunction(owner);
    const database = connect(await appDatabaseUrl(owner, ownerUrl, config, appPassword, log));
    const cryptoProvider = loadOrCreateKeys(config.dataDir);
    // Values written before ciphertext was bound to its row (or under an older key) are sealed anew.
    const sealed = await reseal(database, cryptoProvider);
    if (sealed.resealed || sealed.tailsIndexed || sealed.orgPhonesSealed) {
      log(
        `个人信息加密升级：重新加密 ${sealed.resealed} 项，补建身份证后四位索引 ${sealed.tailsIndexed} 条，组织联系电话加密 ${sealed.orgPhonesSealed} 个`,
      );
    }
    // Organization search initials for rows written before the column existed.
    const filled = await database.db.transaction((tx) => fillOrgInitials(tx));
    if (filled) log(`补建组织名称拼音首字母 ${filled} 个`);
    const filesDir = path.join(config.dataDir, 'files');
    fs.mkdirSync(filesDir, { recursive: true });
    const anchor = new AuditAnchor(path.join(config.dataDir, ANCHOR_FILE), cryptoProvider, log);
    const stop = async () => {
      // The last audit entries of this process (a CLI command's, the shutdown's) are anchored too.
      // Best effort: on SIGTERM the embedded server may already be stopping (the one-second timer has anchored by then).
      await anchor.flush(database.db).catch((e) => {
        if (!databaseStopping(e)) log(`停止时未能更新审计日志锚定：${safeErrorMessage(e)}`);
      });
      await database.close();
      await closeOwner();
      await stopServer();
    };
    return {
      deps: {
        database,
        crypto: cryptoProvider,
        config,
        dbInfo,
        filesDir,
        files: createFileService(filesDir, cryptoProvider),
        now: () => new Date(),
        anchor,
      },
      owner,
      closeOwner,
      stop,
    };
  } catch (e) {
    await closeOwner().catch(() => {});
    await stopServer().catch(() => {});
    throw e;
  }
}

/**
 * Deps on the database of the platform running on this data directory (`npm start` with the embedded
 * server), without its lock and without any start-up work (no migrations, no re-seal): what an online
 * backup from the CLI needs. It connects as the app's least-privilege role with the password kept in
 * the data directory and reads the files from the data directory's store. Null when no embedded server
 * is running there.
 */
export async function attachDeps(config: Config, log: Log): Promise<{ deps: Deps; stop: () => Promise<void> } | null> {
  const running = runningEmbedded(config.dataDir);
  if (!running) return null;
  log(`平台正在运行：连接其内置数据库（127.0.0.1:${running.port}），不停止平台`);
  const url = withCredentials(`postgres://127.0.0.1:${running.port}/dangjian`, APP_ROLE, running.appPassword);
  const database = connect(url, 3);
  try {
    const v = await database.pool.query('show server_version');
    const cryptoProvider = loadOrCreateKeys(config.dataDir);
    const filesDir = path.join(config.dataDir, 'files');
    const anchor = new AuditAnchor(path.join(config.dataDir, ANCHOR_FILE), cryptoProvider, log);
    const deps: Deps = {
      database,
      crypto: cryptoProvider,
      config,
      dbInfo: { mode: 'embedded', version: String(v.rows[0].server_version) },
      filesDir,
      files: createFileService(filesDir, cryptoProvider),
      now: () => new Date(),
      anchor,
    };
    return {
      deps,
      stop: async () => {
        await anchor.flush(database.db).catch(() => {});
        await database.close();
      },
    };
  } catch (e) {
    await database.close().catch(() => {});
    throw e;
  }
}

const SYSTEM_ACTOR = {
  userId: null,
  username: 'system',
  roles: [],
  orgId: null,
  countyCode: null,
  ip: null,
  requestId: null,
};

/** The county's name from the national division data. */
export async function countyName(code: string): Promise<string> {
  const name = areaName(code);
  if (!name) throw new Error(`未找到县级行政区划代码 ${code}`);
  return name;
}

/** A county's root organization (its county committee), if it has one. */
async function countyRoot(tx: Tx, county: string): Promise<string | null> {
  const r = await tx.execute<{ id: string }>(
    sql`select o.id from orgs o where o.county_code = ${county} and o.parent_id is null order by o.created_at limit 1`,
  );
  return r.rows[0]?.id ?? null;
}

/**
 * The counties this installation serves: the installation's own (platform_meta 'county', set at the
 * first start from the configuration and kept), those it already serves (platform_meta 'counties')
 * and those the configuration adds (DANGJIAN_COUNTIES). Recorded, so later starts and the CLI know them.
 */
async function settleCounties(database: Database, config: Config): Promise<{ own: string; all: string[] }> {
  return database.db.transaction(async (tx) => {
    const first = { code: config.demoCounty, demo: config.demo };
    await tx.execute(
      sql`insert into platform_meta (key, value) values ('county', ${JSON.stringify(first)}::jsonb) on conflict (key) do nothing`,
    );
    const own = await installationCounty(tx);
    const all = [...new Set([own, ...(await servedCounties(tx)), ...config.counties])];
    await tx.execute(
      sql`insert into platform_meta (key, value) values ('counties', ${JSON.stringify(all)}::jsonb) on conflict (key) do update set value = excluded.value`,
    );
    return { own, all };
  });
}

/** What a start-up did for each county (milliseconds): its seeding, if it was seeded now, and each demo part it finished. */
export interface CountyStartup {
  seededMs?: number;
  parts: Record<string, number>;
}

/** Run `work` on each item, at most `limit` at once; the first failure is thrown once all started ones have ended. */
async function eachLimit<T>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failed: unknown = null;
  const lane = async () => {
    while (next < items.length && failed === null) {
      const i = next++;
      await work(items[i], i).catch((e) => {
        failed ??= e;
      });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  if (failed !== null) throw failed;
}

const DEMO_KEY = 'demo:';

/**
 * Every served county has its root organization (and, the first time, the demo county's data);
 * idempotent across starts. Nothing assumes one root: each county is looked up by its code.
 * `rootId` is the installation's own county's root.
 *
 * Several demo counties (issue 21) are seeded `config.seedWorkers` at a time (default: the machine's
 * cores), each in its own transaction, so an interrupted start leaves each county whole or absent;
 * then the tables are analyzed once, and the modules' work after seeding (photos, the first rules run)
 * runs as many at a time. What a county still owes of that work is kept in platform_meta
 * (`demo:<county>`, written with its rows, each part struck off as it ends), so a start after an
 * interruption resumes where it stopped, and nothing is made twice. Each line of the log names its
 * county and place ([3/9] 杞县（410221）：…); the last sums up. Time linear in the counties.
 */
export async function ensureCounty(
  database: Database,
  cryptoProvider: CryptoProvider,
  config: Config,
  log: Log,
  /** The platform's services on `database` (the owner's connection): demo parts that store files need them; without, they are skipped. */
  deps?: Deps,
): Promise<{
  rootId: string;
  seeded: boolean;
  roots: Record<string, string>;
  counties: Record<string, CountyStartup>;
  ms: number;
}> {
  const t0 = Date.now();
  const { own, all } = await settleCounties(database, config);
  // The national code lists first, on their own: every county's seeding reads them, and two seeding
  // transactions inserting the same rows would wait for each other to end.
  const { seedCodeLists } = await import('./modules/seed/codelists.ts');
  await database.db.transaction((tx) => seedCodeLists(tx));
  const names = countyNames(all);
  const said = (county: string) => `[${all.indexOf(county) + 1}/${all.length}] ${names[county]}（${county}）`;
  const logFor =
    (county: string): Log =>
    (msg) =>
      log(all.length > 1 ? `${said(county)}：${msg}` : msg);
  const roots: Record<string, string> = {};
  const counties: Record<string, CountyStartup> = Object.fromEntries(all.map((c) => [c, { parts: {} }]));
  const owed = config.demo ? await installedPartNames() : [];
  await eachLimit(all, config.seedWorkers, async (county) => {
    const started = Date.now();
    const r = await seedCountyOnce(database, cryptoProvider, config, county, logFor(county), owed);
    roots[county] = r.rootId;
    if (r.seeded) counties[county].seededMs = Date.now() - started;
  });
  const seededNow = all.filter((c) => counties[c].seededMs !== undefined);
  // Set the visibility map and statistics right away (outside the transaction: VACUUM cannot run in
  // one), so index-only searches work from the first request instead of after autovacuum. Once for
  // all the counties seeded now: a whole-database VACUUM per county would make the start quadratic.
  if (seededNow.length) {
    const tv = Date.now();
    await database.pool.query('vacuum analyze');
    if (all.length > 1)
      log(`已更新统计信息（${seededNow.length} 个县的数据，${((Date.now() - tv) / 1000).toFixed(1)} 秒）`);
  }
  // The modules' work after a demo county's rows are in (after the statistics above: the rules' plans
  // depend on them): its photos through the upload pipeline, then its first rules run (platform/demo.ts).
  const pending = await owedDemoParts(database, all);
  await eachLimit(Object.keys(pending), config.seedWorkers, async (county) => {
    counties[county].parts = await finishDemoParts(
      { county, owner: database, deps, log: logFor(county), now: () => new Date() },
      { pending: pending[county], onDone: (name) => strikeOff(database, county, name) },
    );
  });
  const ms = Date.now() - t0;
  if (all.length > 1 && (seededNow.length || Object.keys(pending).length)) {
    log(
      `${all.length} 个县已就绪：本次生成演示数据 ${seededNow.length} 个县，完成首次检查等 ${Object.keys(pending).length} 个县，用时 ${(ms / 1000).toFixed(1)} 秒`,
    );
  }
  return { rootId: roots[own], seeded: seededNow.length > 0, roots, counties, ms };
}

/** The Chinese names of the counties (one pass over the division data: a pass takes some 140 ms). */
function countyNames(codes: readonly string[]): Record<string, string> {
  const areas = new Map(parseExtract(readExtract(), null).areas.map((a) => [a.code, a.name]));
  return Object.fromEntries(codes.map((c) => [c, areas.get(c) ?? c]));
}

/** Each county's demo parts still to do (platform_meta `demo:<county>`), for the served counties. */
async function owedDemoParts(database: Database, counties: readonly string[]): Promise<Record<string, string[]>> {
  const r = await database.db.execute<{ key: string; value: { pending?: string[] } }>(
    sql`select key, value from platform_meta where key like ${`${DEMO_KEY}%`} order by key`,
  );
  const out: Record<string, string[]> = {};
  for (const row of r.rows) {
    const county = row.key.slice(DEMO_KEY.length);
    if (counties.includes(county) && row.value.pending?.length) out[county] = row.value.pending;
  }
  return Object.fromEntries(counties.filter((c) => out[c]).map((c) => [c, out[c]]));
}

/** A county's demo part is done: struck off its list, the list gone when empty. */
async function strikeOff(database: Database, county: string, part: string): Promise<void> {
  const key = `${DEMO_KEY}${county}`;
  await database.db.transaction(async (tx) => {
    await tx.execute(
      sql`update platform_meta set value = jsonb_set(value, '{pending}', (value->'pending') - ${part}::text) where key = ${key}`,
    );
    await tx.execute(sql`delete from platform_meta where key = ${key} and jsonb_array_length(value->'pending') = 0`);
  });
}

async function seedCountyOnce(
  database: Database,
  cryptoProvider: CryptoProvider,
  config: Config,
  county: string,
  log: Log,
  owed: readonly string[],
): Promise<{ rootId: string; seeded: boolean }> {
  return database.db.transaction(async (tx) => {
    const existing = await countyRoot(tx, county);
    if (existing) return { rootId: existing, seeded: false };
    if (config.demo) {
      log(`生成演示县数据：${await countyName(county)}（${county}）…`);
      const t0 = Date.now();
      // Every module's part of the demo county, in the order their manifests give (platform/demo.ts).
      const counts = await seedDemoParts(tx, {
        county,
        crypto: cryptoProvider,
        log,
        now: new Date(),
        townships: config.demoTownships,
      });
      const n = (k: string) => (counts[k] ?? 0).toLocaleString();
      log(
        `演示数据已生成：党组织 ${n('orgs')} 个，党员 ${n('members')} 名，班子职务 ${n('posts')} 个，组织生活记录 ${n('meetings')} 条（${((Date.now() - t0) / 1000).toFixed(1)} 秒）`,
      );
      await writeAudit(tx, cryptoProvider, { ...SYSTEM_ACTOR, countyCode: county }, [
        { action: 'system.seed', detail: { county, ...counts } },
      ]);
      // What the county still owes after this transaction (photos, its first rules run), committed with its rows.
      if (owed.length)
        await tx.execute(
          sql`insert into platform_meta (key, value) values (${`${DEMO_KEY}${county}`}, ${JSON.stringify({ pending: owed })}::jsonb)`,
        );
    } else {
      const name = `中共${await countyName(county)}委员会`;
      const id = crypto.randomUUID();
      await tx.execute(sql`insert into orgs (id, county_code, parent_id, path, depth, name, name_pinyin, name_initials, kind, division_code)
        values (${id}, ${county}, null, ${`/${id}/`}, 0, ${name}, ${pinyinKey(name).replace(/ /g, '')}, ${orgInitials(name)}, 'committee', ${county})`);
      log(`已创建县委组织：${name}（不含演示数据）`);
    }
    const root = await countyRoot(tx, county);
    if (!root) throw new Error(`县 ${county} 的县委组织未能创建`);
    return { rootId: root, seeded: true };
  });
}

/**
 * Accounts on first start (SEC-1): `admin` with the operator's password or a random one that must be
 * changed. The level3 profile moves account management to a security administrator and adds an
 * auditor (三员分立), each with a one-time password printed once. Every other county the installation
 * serves gets the same accounts named `admin-<code>` (`secadmin-<code>`, `auditor-<code>`), with
 * one-time passwords, in `extra`.
 */
export async function ensureAdmin(
  database: Database,
  cryptoProvider: CryptoProvider,
  config: Config,
  rootId: string,
): Promise<{ created: boolean; password?: string; chosen: boolean; extra: { username: string; password: string }[] }> {
  return database.db.transaction(async (tx) => {
    const own = await installationCounty(tx);
    const extra: { username: string; password: string }[] = [];
    let created = false;
    const chosen = !!config.adminPassword;
    let adminPassword: string | undefined;
    for (const county of await servedCounties(tx)) {
      const suffix = county === own ? '' : `-${county}`;
      const root = county === own ? rootId : await countyRoot(tx, county);
      if (!root) continue;
      const taken = await tx.execute(
        sql`select 1 from users u where u.county_code = ${county} and lower(u.username) = ${`admin${suffix}`}`,
      );
      if (taken.rowCount) continue;
      const make = async (username: string, displayName: string, role: string, pw: string, mustChange: boolean) => {
        const id = crypto.randomUUID();
        await tx.execute(sql`insert into users (id, county_code, username, display_name, password_hash, roles, org_id, must_change_password)
          values (${id}, ${county}, ${username}, ${displayName}, ${await hashPassword(pw)}, array[${role}]::text[], ${root}, ${mustChange})`);
        await writeAudit(tx, cryptoProvider, { ...SYSTEM_ACTOR, countyCode: county }, [
          {
            action: 'user.create',
            objectType: 'user',
            objectId: id,
            detail: { username, roles: [role], passwordChosenByOperator: !mustChange },
          },
        ]);
      };
      if (county === own) {
        adminPassword = config.adminPassword ?? randomPassword();
        await make('admin', '系统管理员', 'countyAdmin', adminPassword, !chosen);
        created = true;
      } else {
        const pw = randomPassword();
        await make(`admin${suffix}`, '系统管理员', 'countyAdmin', pw, true);
        extra.push({ username: `admin${suffix}`, password: pw });
      }
      if (config.profile === 'level3') {
        for (const [username, name, role] of [
          ['secadmin', '安全管理员', 'securityAdmin'],
          ['auditor', '审计管理员', 'auditor'],
        ] as const) {
          const pw = randomPassword();
          await make(`${username}${suffix}`, name, role, pw, true);
          extra.push({ username: `${username}${suffix}`, password: pw });
        }
      }
    }
    return { created, password: created && !chosen ? adminPassword : undefined, chosen: created && chosen, extra };
  });
}

export { randomPassword } from './platform/passwords.ts';
