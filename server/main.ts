/** `npm start`: data directory, database (embedded or DATABASE_URL), migrations, demo county, admin, web app, listen. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { buildApp, WEB_DIST } from './app.ts';
import { ensureAdmin, ensureCounty, makeDeps } from './bootstrap.ts';
import { acquireDataDirLock } from './db/lock.ts';
import { loadConfig } from './platform/config.ts';
import { loadJobs, registerJobs } from './platform/jobs.ts';
import { safeErrorMessage } from './platform/logging.ts';
import { deliverOneTimePasswords } from './platform/onetime.ts';

const log = (msg: string) => console.log(`[党建] ${msg}`);

function newestMtime(dir: string): number {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return t;
}

/** Build the web app when it is missing or older than its sources, so `npm install && npm start` is enough. */
function ensureWebBuilt() {
  const root = path.resolve(WEB_DIST, '..');
  const index = path.join(WEB_DIST, 'index.html');
  if (!fs.existsSync(path.join(root, 'index.html'))) return; // no web sources in this checkout
  // Rebuilt when older than its sources or build config, or built before assets were precompressed.
  const sources = Math.max(
    newestMtime(path.join(root, 'src')),
    ...['vite.config.ts', 'precompress.ts', 'index.html'].map((f) =>
      fs.existsSync(path.join(root, f)) ? fs.statSync(path.join(root, f)).mtimeMs : 0,
    ),
  );
  const assets = path.join(WEB_DIST, 'assets');
  const precompressed = fs.existsSync(assets) && fs.readdirSync(assets).some((f) => f.endsWith('.br'));
  if (fs.existsSync(index) && precompressed && fs.statSync(index).mtimeMs >= sources) return;
  log('构建网页端（首次约需 30 秒）…');
  const r = spawnSync(
    process.execPath,
    [
      path.resolve(root, '..', 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      '--config',
      path.join(root, 'vite.config.ts'),
      '--logLevel',
      'warn',
    ],
    { stdio: 'inherit' },
  );
  if (r.status !== 0) throw new Error('网页端构建失败');
}

function deliverAdminPasswords(admin: Awaited<ReturnType<typeof ensureAdmin>>, dataDir: string): void {
  // One-time passwords go to the terminal only; with stdout redirected (server.log) to a 0600 file instead.
  const otp = { dataDir, what: '初始密码', print: log };
  if (admin.created && admin.password) {
    log('──────────────────────────────────────────────');
    log('已创建管理员账号，初始密码只显示这一次，请妥善保存：');
    deliverOneTimePasswords([{ username: 'admin', password: admin.password }, ...admin.extra], otp);
    log('首次登录后须修改密码。');
    log('──────────────────────────────────────────────');
  } else if (admin.created) {
    log('已创建管理员账号 admin，密码为 DANGJIAN_ADMIN_PASSWORD 所设。');
    if (admin.extra.length) {
      log('另建以下账号，初始密码只显示这一次，首次登录后须修改：');
      deliverOneTimePasswords(admin.extra, otp);
    }
  } else {
    log('请用已有账号登录（忘记管理员密码可运行：npm run cli -- reset-password admin）。');
    if (admin.extra.length) {
      // A county added to this installation (DANGJIAN_COUNTIES) gets its administrator now.
      log('新增服务县的管理员账号，初始密码只显示这一次，首次登录后须修改：');
      deliverOneTimePasswords(admin.extra, otp);
    }
  }
}

async function main() {
  const config = loadConfig();
  log(`数据目录：${config.dataDir}`);
  acquireDataDirLock(config.dataDir);
  if (process.env.DANGJIAN_SKIP_WEB_BUILD !== '1') ensureWebBuilt();
  const { deps, owner, closeOwner, stop } = await makeDeps(config, log);
  // Seeding runs as the schema owner (VACUUM needs it); the app itself only as the least-privilege role.
  // The demo county's parts that store files (its photos) get the file store, on the owner's connection.
  const { rootId } = await ensureCounty(owner, deps.crypto, config, log, { ...deps, database: owner });
  await closeOwner();
  const admin = await ensureAdmin(deps.database, deps.crypto, config, rootId);
  // The accounts are committed: their one-time passwords go out now, before anything that can still fail
  // (the web app, the port), so a failed first start never leaves accounts nobody can log in to (issue 15 §8).
  deliverAdminPasswords(admin, config.dataDir);
  const app = await buildApp(deps, { logger: process.env.DANGJIAN_LOG === '1' });
  // Daily jobs (the nightly backup, the nightly rules run): once per installation, by whichever instance claims each slot.
  registerJobs(app, deps, await loadJobs(), log);
  let stopping = false;
  const shutdown = async (sig: string) => {
    if (stopping) return;
    stopping = true;
    log(`收到 ${sig}，正在停止…`);
    await app.close().catch(() => {});
    await stop().catch(() => {});
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (e) {
    await app.close().catch(() => {});
    await stop().catch(() => {});
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE')
      throw new Error(
        `端口 ${config.port} 已被其他程序占用：请停止该程序，或用 PORT=其他端口 npm start（已创建的账号和初始密码见上文）`,
      );
    throw e;
  }
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`;
  log(
    `数据库：${deps.dbInfo.mode === 'embedded' ? '内置 PostgreSQL（单节点）' : '外部 PostgreSQL'} ${deps.dbInfo.version}`,
  );
  log(`每日 03:00 自动备份（数据库与文件）到 ${deps.config.backup.dir}（DANGJIAN_BACKUP_DIR）`);
  log(`平台已启动：${url}`);
  if (admin.password || admin.extra.length) log('初始密码见上文（只显示这一次）。');
}

main().catch((e) => {
  console.error(`[党建] 启动失败：${safeErrorMessage(e)}`);
  process.exit(1);
});
