/**
 * `npm start` as root with private directories (engineering.md "Pitfalls"): the embedded database
 * runs as the `postgres` OS user, which must pass through the data directory and every directory
 * above it. Two cases as people meet them: a clone under a 0700 home (like /root) using its default
 * `./data`, and `DANGJIAN_DATA_DIR=$(mktemp -d)` (0700 itself) with a private TMPDIR as well. The
 * platform must start, answer, and say which directories it opened (o+x only).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, Api, type Platform, startPlatform } from './support.ts';

const isRoot = process.getuid?.() === 0;
if (!isRoot)
  console.warn(
    '私有目录启动测试已跳过：只有以 root 运行时内置数据库才改用 postgres 系统用户，这一问题只在 root 下出现',
  );

const OPENED = '已为其开放以下目录的通行权限';
const mode = (p: string) => fs.statSync(p).mode & 0o777;
const made: string[] = [];

function privateDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix)); // 0700, as mktemp -d makes it
  made.push(dir);
  expect(mode(dir)).toBe(0o700);
  return dir;
}

/** The platform answers as it should: 401 with the Chinese code for nobody, the admin can log in. */
async function answers(p: Platform) {
  const me = await fetch(`${p.url}/api/auth/me`);
  expect(me.status).toBe(401);
  expect(await me.json()).toMatchObject({ code: 'UNAUTHENTICATED', message: '请先登录' });
  const api = new Api(p.url);
  const who = await api.login('admin', ADMIN_PASSWORD);
  expect(who.username).toBe('admin');
}

/** The sentence listing the directories the platform opened. */
function openedDirs(log: string): string[] {
  const line = log.split('\n').find((l) => l.includes(OPENED));
  return line
    ? line
        .slice(line.indexOf('：', line.indexOf(OPENED)) + 1)
        .trim()
        .split('、')
    : [];
}

describe.skipIf(!isRoot)('npm start as root with private directories', () => {
  afterAll(() => {
    for (const d of made) fs.rmSync(d, { recursive: true, force: true });
  });

  it('starts from a clone under a 0700 home, opening only the home for passage', async () => {
    const home = privateDir('dj-home-');
    const dataDir = path.join(home, 'src', 'dangjian', 'data');
    fs.mkdirSync(path.dirname(dataDir), { recursive: true });
    const p = await startPlatform({ DANGJIAN_DEMO: '0' }, dataDir);
    try {
      await answers(p);
      expect(openedDirs(p.log())).toEqual([home]);
      // Passage only: the home can be entered but not listed, its files keep their modes.
      expect(mode(home)).toBe(0o701);
      expect(mode(path.join(dataDir, 'keys.json'))).toBe(0o600);
      expect(mode(path.join(dataDir, 'pg-secret.json'))).toBe(0o600);
    } finally {
      await p.stop();
    }
  });

  it('starts on a mktemp -d data directory (0700) with a private TMPDIR, and says what it changed', async () => {
    const dataDir = privateDir('dj-mktemp-');
    const tmp = privateDir('dj-tmpdir-');
    const p = await startPlatform({ DANGJIAN_DEMO: '0', TMPDIR: tmp }, dataDir);
    try {
      await answers(p);
      expect(p.log()).toContain(`数据目录：${dataDir}`);
      expect(openedDirs(p.log())).toEqual([dataDir]);
      expect(mode(dataDir)).toBe(0o701);
      // initdb's password file never went to TMPDIR, which stays private; nothing is left of it.
      expect(mode(tmp)).toBe(0o700);
      expect(fs.readdirSync(tmp).filter((f) => f.startsWith('pg-password'))).toEqual([]);
      expect(fs.existsSync(path.join(dataDir, 'initdb-tmp'))).toBe(false);
      expect(mode(path.join(dataDir, 'keys.json'))).toBe(0o600);
    } finally {
      await p.stop();
    }
    // A second start on the same directory changes nothing more and says nothing about it.
    const again = await startPlatform({ DANGJIAN_DEMO: '0', TMPDIR: tmp }, dataDir);
    try {
      await answers(again);
      expect(again.log()).not.toContain(OPENED);
    } finally {
      await again.stop();
    }
  });
});
