/**
 * Administration commands: `npm run cli -- <command>`.
 *   seed                         create the county (and demo data unless DANGJIAN_DEMO=0) if the database is empty
 *   create-user <username> <role> [orgId]   create an account; prints a one-time password
 *   reset-password <username> [county]  new one-time password; the user must change it
 *   verify-audit                 check the audit hash chain; exit 1 when a record was altered or removed
 *   backup [file] [--base <archive>]   online backup: every table (one snapshot) and every stored file its rows refer to,
 *                                into one tar archive; incremental on a base archive in the same directory. Runs beside
 *                                a running `npm start` (it connects to its embedded database without taking the lock)
 *   restore <file>               restore an archive (and its base chain) into an empty database and a new file store,
 *                                verify counts and digests of every table and every file
 *   rotate-keys                  new data key; re-encrypt every sealed value under it; retire unused keys
 */
import { sql } from 'drizzle-orm';
import { attachDeps, ensureAdmin, ensureCounty, makeDeps, randomPassword } from './bootstrap.ts';
import path from 'node:path';
import { acquireDataDirLock, lockHolder } from './db/lock.ts';
import { writeAudit } from './platform/audit.ts';
import { verifyAudit } from './platform/audit.ts';
import { loadConfig } from './platform/config.ts';
import { safeErrorMessage } from './platform/logging.ts';
import { deliverOneTimePasswords } from './platform/onetime.ts';
import { hashPassword } from './platform/passwords.ts';
import { CLI_ACTOR, operatorCreateUser } from './modules/users/service.ts';
import { ROLES } from './platform/permissions.ts';
import { type BackupResult, backup, restore } from './platform/backup.ts';
import { shanghaiFileStamp } from './platform/calendar.ts';
import type { Deps } from './platform/deps.ts';
import { runRecorded } from './platform/jobs.ts';
import { rotateDataKey } from './platform/sealed.ts';
import { endSessionsOf } from './platform/session.ts';
import { installationCounty } from './platform/installation.ts';

const log = (m: string) => console.log(`[党建] ${m}`);

async function main() {
  const [cmd, ...args] = process.argv.slice(2);
  if (!cmd || cmd === 'help' || cmd === '--help') {
    console.log(
      '用法：npm run cli -- <seed|create-user|reset-password|verify-audit|backup|restore|rotate-keys> [参数]',
    );
    return 0;
  }
  const config = loadConfig();
  // An online backup beside a running `npm start`: its embedded database, without the data directory's lock.
  if (cmd === 'backup' && !config.databaseUrl && lockHolder(config.dataDir)) {
    const attached = await attachDeps(config, log);
    if (!attached) {
      console.error(
        `[党建] 数据目录 ${config.dataDir} 正被平台进程（pid ${lockHolder(config.dataDir)}）使用，但其内置数据库尚未就绪：请等平台启动完成后再备份`,
      );
      return 1;
    }
    try {
      return await runBackup(attached.deps, args);
    } finally {
      await attached.stop();
    }
  }
  // With the embedded database the CLI owns the data directory for every other command; stop `npm start` first.
  if (!config.databaseUrl) acquireDataDirLock(config.dataDir);
  const { deps, owner, stop } = await makeDeps(config, log);
  const db = deps.database.db;
  // One-time passwords: printed to a terminal only, otherwise filed in the data directory (0600).
  const otp = { dataDir: config.dataDir, what: '初始密码', print: log };
  try {
    switch (cmd) {
      case 'seed': {
        const { rootId, seeded } = await ensureCounty(owner, deps.crypto, config, log, { ...deps, database: owner });
        const admin = await ensureAdmin(deps.database, deps.crypto, config, rootId);
        log(seeded ? '初始化完成。' : '数据库已有数据，未重复生成。');
        if (admin.password || admin.extra.length) log('初始密码（只显示一次，首次登录须修改）：');
        deliverOneTimePasswords(
          [...(admin.password ? [{ username: 'admin', password: admin.password }] : []), ...admin.extra],
          otp,
        );
        return 0;
      }
      case 'create-user': {
        const [username, role, orgArg] = args;
        if (!username || !role || !(ROLES as readonly string[]).includes(role)) {
          console.error(`用法：create-user <用户名> <角色> [组织编号]；角色：${ROLES.join(', ')}`);
          return 2;
        }
        // The operator may grant every role, but placement and three-way separation still apply (SEC-10).
        const made = await operatorCreateUser(deps, username, role, orgArg ?? null);
        if (!made.password) {
          for (const p of made.problems) console.error(`无法创建账号：${p}`);
          return 2;
        }
        log(`已创建账号 ${username}（${role}），首次登录须修改初始密码：`);
        deliverOneTimePasswords([{ username, password: made.password }], otp);
        return 0;
      }
      case 'reset-password': {
        const [username, countyArg] = args;
        const pw = randomPassword();
        const hash = await hashPassword(pw);
        const n = await db.transaction(async (tx) => {
          // Each county's login names are its own: the account of the county named, by default the installation's own.
          const county = countyArg ?? (await installationCounty(tx));
          const dir = await tx.execute<{ county_code: string; user_id: string }>(
            sql`select u.county_code, u.id as user_id from users u where u.county_code = ${county} and lower(u.username) = lower(${username ?? ''})`,
          );
          const who = dir.rows[0];
          if (!who) return 0;
          const r = await tx.execute<{
            id: string;
          }>(sql`update users set password_hash = ${hash}, must_change_password = true, failed_logins = 0, locked_until = null
            where county_code = ${who.county_code} and id = ${who.user_id} returning id`);
          if (r.rows[0]) {
            await endSessionsOf(tx, who.county_code, r.rows[0].id);
            await writeAudit(tx, deps.crypto, { ...CLI_ACTOR, countyCode: who.county_code }, [
              { action: 'user.password.reset', objectType: 'user', objectId: r.rows[0].id, detail: { via: 'cli' } },
            ]);
          }
          return r.rowCount ?? 0;
        });
        if (!n) {
          console.error(
            `找不到账号 ${username}${countyArg ? `（县代码 ${countyArg}）` : ''}；其他服务县的账号请写：reset-password <用户名> <县代码>`,
          );
          return 1;
        }
        log(`已重置账号 ${username} 的密码，登录后须修改：`);
        deliverOneTimePasswords([{ username, password: pw }], otp);
        return 0;
      }
      case 'verify-audit': {
        // The chain and its head anchored outside the database (a deleted tail is only found that way).
        // Each county's chain on its own: a problem in one county's chain is reported for that county.
        const v = await verifyAudit(db, deps.crypto, deps.anchor);
        for (const c of v.counties) {
          if (c.ok)
            log(
              `审计日志（${c.county}）完整：共 ${c.checked} 条，哈希链校验通过，与锚定的最新记录（序号 ${c.anchored?.seq ?? '—'}）一致。`,
            );
          else {
            console.error(`审计日志校验失败（${c.county}）：共 ${c.checked} 条，发现 ${c.problems.length} 处问题：`);
            for (const p of c.problems.slice(0, 50)) console.error(`  序号 ${p.seq}：${p.problem}`);
          }
        }
        const fileProblems = v.problems.filter((p) => p.county === null);
        for (const p of fileProblems) console.error(`审计日志校验失败：${p.problem}`);
        if (!v.counties.length && !fileProblems.length) log('审计日志为空。');
        return v.ok ? 0 : 1;
      }
      case 'backup':
        return await runBackup(deps, args);
      case 'restore': {
        if (!args[0]) {
          console.error('用法：restore <备份文件>');
          return 2;
        }
        // Restore loads every table, audit_log included, and resets its sequence: the owner's work.
        const rec = await restore({ ...deps, database: owner }, args[0], log);
        log(
          `恢复完成：${rec.tables} 张表 ${rec.rows.toLocaleString()} 行，文件 ${rec.files.toLocaleString()} 个（${mb(rec.fileBytes)}），行数与摘要均一致${rec.archives.length > 1 ? `（备份链 ${rec.archives.length} 个备份）` : ''}，用时 ${(rec.ms / 1000).toFixed(1)} 秒`,
        );
        return 0;
      }
      case 'rotate-keys': {
        const r = await rotateDataKey(deps.database, config.dataDir, CLI_ACTOR);
        log(
          `密钥轮换完成：数据密钥由第 ${r.from} 版换为第 ${r.to} 版，重新加密 ${r.resealed.toLocaleString()} 项${r.retired.length ? `，已停用第 ${r.retired.join('、')} 版` : ''}。检索索引与审计密钥不变。`,
        );
        log('请备份新的 keys.json（与数据库备份分开保存）。');
        return 0;
      }
      default:
        console.error(`未知命令：${cmd}`);
        return 2;
    }
  } finally {
    await stop();
  }
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/**
 * `backup [file] [--base <archive>]`: the archive, recorded as a run of the job `backup` (the jobs
 * page counts it as a good backup). Ctrl-C stops it and leaves no partial archive.
 */
async function runBackup(deps: Deps, args: string[]): Promise<number> {
  const at = args.indexOf('--base');
  const base = at >= 0 ? args[at + 1] : undefined;
  if (at >= 0 && !base) {
    console.error('用法：backup [备份文件] [--base <基础备份>]');
    return 2;
  }
  const named = at >= 0 ? args.filter((_, i) => i !== at && i !== at + 1) : args;
  const file = path.resolve(named[0] ?? `dangjian-backup-${shanghaiFileStamp(new Date())}.tar`);
  const stop = new AbortController();
  const onInterrupt = () => stop.abort();
  process.once('SIGINT', onInterrupt);
  let done: BackupResult | null = null;
  try {
    const run = await runRecorded(
      deps,
      'backup',
      async ({ signal }) => {
        const r = await backup(deps, file, log, { base, signal });
        done = r;
        return {
          detail: {
            file,
            kind: r.kind,
            base: r.base,
            bytes: r.bytes,
            tables: r.tables,
            rows: r.rows,
            files: r.files,
            fileBytes: r.fileBytes,
            referenced: r.referenced,
            fromBase: r.fromBase,
          },
          message: `命令行${r.kind === 'full' ? '完整' : '增量'}备份 ${file}`,
        };
      },
      { trigger: 'cli', log, signal: stop.signal },
    );
    const r = done as BackupResult | null;
    if (run.status !== 'ok' || !r) {
      console.error(`[党建] 备份失败：${run.message ?? '未知原因'}`);
      return 1;
    }
    log(
      `备份完成：${file}，${r.kind === 'full' ? '完整备份' : `增量备份（基础备份 ${r.base}）`}，${r.tables} 张表 ${r.rows.toLocaleString()} 行，文件 ${r.files.toLocaleString()} 个（${mb(r.fileBytes)}${r.fromBase ? `，另有 ${r.fromBase} 个在基础备份中` : ''}），共 ${mb(r.bytes)}，用时 ${(r.ms / 1000).toFixed(1)} 秒`,
    );
    log('备份不含密钥：请另外保存数据目录中的 keys.json（恢复时复制到新数据目录）。');
    return 0;
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`[党建] 失败：${safeErrorMessage(e)}`);
    process.exit(1);
  },
);
