/** End-to-end support: the real platform (`server/main.ts`) on a fresh embedded database, and Debian's Chromium. */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';

export const ADMIN_PASSWORD = 'E2e#Admin2026';
const root = path.resolve(import.meta.dirname, '..');

export function browserPath(): string | null {
  const p = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  return fs.existsSync(p) ? p : null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

export interface Platform {
  url: string;
  dataDir: string;
  log: () => string;
  /** kill -9 the platform process (its PostgreSQL keeps running) and start it again on the same data. */
  crashAndRestart(): Promise<Platform>;
  stop(): Promise<void>;
}

/**
 * Start `npm start`'s entry point and wait until it listens: on a new data directory (made reachable
 * for the database's OS user here), or on `existingDir` exactly as it is.
 */
export async function startPlatform(
  env: Record<string, string> = {},
  existingDir?: string,
  fixedPort?: number,
): Promise<Platform> {
  const dataDir = existingDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'dj-e2e-'));
  if (!existingDir) fs.chmodSync(dataDir, 0o755);
  const port = fixedPort ?? (await freePort());
  let out = '';
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      DANGJIAN_DATA_DIR: dataDir,
      PORT: String(port),
      DANGJIAN_ADMIN_PASSWORD: ADMIN_PASSWORD,
      DANGJIAN_SKIP_WEB_BUILD: '1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  const url = `http://127.0.0.1:${port}`;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`platform did not start in time:\n${out}`)), 240_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`platform exited with ${code}:\n${out}`));
    });
    const poll = setInterval(() => {
      if (out.includes('平台已启动')) {
        clearInterval(poll);
        clearTimeout(timer);
        resolve();
      }
    }, 200);
  });
  let restarted: Platform | null = null;
  return {
    url,
    dataDir,
    log: () => restarted?.log() ?? out,
    async crashAndRestart() {
      if (restarted) return restarted.crashAndRestart();
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      restarted = await startPlatform(env, dataDir, port);
      return restarted;
    },
    async stop() {
      if (restarted) await restarted.stop();
      else if (child.exitCode === null) {
        child.kill('SIGINT');
        await new Promise((r) => child.once('exit', r));
      }
      if (!existingDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  const executablePath = browserPath();
  if (!executablePath) throw new Error('Chromium not found: install Debian chromium or set CHROMIUM_PATH');
  return chromium.launch({
    executablePath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}

/** A small API client for arranging facts (session cookie + Origin, as scripts do). */
export class Api {
  private cookie = '';
  constructor(private readonly base: string) {}
  async login(username: string, password: string) {
    const res = await fetch(`${this.base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: this.base },
      body: JSON.stringify({ username, password }),
    });
    if (!res.ok) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
    this.cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
    return res.json();
  }
  async call(method: string, url: string, body?: unknown): Promise<any> {
    const res = await fetch(`${this.base}${url}`, {
      method,
      headers: {
        cookie: this.cookie,
        ...(method === 'GET' ? {} : { origin: this.base, 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${text}`);
    return JSON.parse(text);
  }
}

export async function shot(page: Page, name: string): Promise<void> {
  const dir = process.env.E2E_SCREENSHOTS;
  if (dir) {
    fs.mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
  }
}

/** Signs in through the login page of the platform at `baseUrl` and waits to leave it. */
export async function login(page: Page, baseUrl: string, username: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 15_000 });
}
