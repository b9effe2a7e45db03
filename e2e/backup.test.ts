/**
 * The backup drill as an operator runs it (SEC-27, SEC-36): `npm run cli -- backup` while `npm start`
 * runs on the embedded database (the CLI connects to the running server without its lock), then
 * `npm run cli -- restore` into a new data directory with keys.json copied, and the platform started
 * there serves the same photo, byte for byte.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, Api, type Platform, startPlatform } from './support.ts';

const root = path.resolve(import.meta.dirname, '..');
const made: string[] = [];
const platforms: Platform[] = [];

function cli(dataDir: string, ...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, DANGJIAN_DATA_DIR: dataDir, DANGJIAN_DEMO: '0' },
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

async function download(p: Platform, id: string, cookie: string): Promise<Buffer> {
  const res = await fetch(`${p.url}/api/evidence/${id}`, { headers: { cookie } });
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

async function login(p: Platform): Promise<string> {
  const res = await fetch(`${p.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: p.url },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
  });
  expect(res.status).toBe(200);
  return (res.headers.get('set-cookie') ?? '').split(';')[0];
}

describe('backup while the platform runs, restore into a new data directory', () => {
  afterAll(async () => {
    for (const p of platforms) await p.stop().catch(() => {});
    for (const d of made) fs.rmSync(d, { recursive: true, force: true });
  });

  it('backs up online with the files, restores them, and the restored platform serves the same photo', async () => {
    const p = await startPlatform({ DANGJIAN_DEMO: '0' });
    platforms.push(p);
    const api = new Api(p.url);
    await api.login('admin', ADMIN_PASSWORD);
    const county = await api.call('GET', '/api/orgs/root');
    const meeting = await api.call('POST', '/api/meetings', {
      orgId: county.id,
      kind: 'committeeMeeting',
      startsAt: '2026-04-11T09:00:00+08:00',
    });
    const cookie = await login(p);
    const photo = await sharp({ create: { width: 120, height: 90, channels: 3, background: '#c03020' } })
      .jpeg()
      .toBuffer();
    const form = new FormData();
    form.append('file', new Blob([photo], { type: 'image/jpeg' }), '会场.jpg');
    const up = await fetch(`${p.url}/api/meetings/${meeting.id}/evidence`, {
      method: 'POST',
      headers: { cookie, origin: p.url },
      body: form,
    });
    expect(up.status, await up.clone().text()).toBe(201);
    const evidenceId = (await up.json()).id as string;
    const served = await download(p, evidenceId, cookie);

    // The CLI beside the running platform: no "data directory in use", no lock taken.
    const backups = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-e2e-backups-'));
    made.push(backups);
    const archive = path.join(backups, 'online.tar');
    const b = cli(p.dataDir, 'backup', archive);
    expect(b.status, b.out).toBe(0);
    expect(b.out).toContain('平台正在运行：连接其内置数据库');
    expect(b.out).toMatch(/备份完成：.*文件 2 个/);
    expect(fs.readdirSync(backups)).toEqual(['online.tar']);
    expect((await fetch(`${p.url}/api/health`)).status).toBe(200);
    // The platform records the CLI's backup as a good one.
    // Other daily jobs catching up at start-up (the task reminders) may have run since: the newest backup run is the CLI's.
    const jobs = await api.call('GET', '/api/system/jobs');
    expect(jobs.runs.find((r: { job: string }) => r.job === 'backup')).toMatchObject({
      job: 'backup',
      trigger: 'cli',
      status: 'ok',
    });
    expect(jobs.warnings.some((w: string) => w.includes('尚无成功的备份'))).toBe(false);
    // Restore needs the platform stopped on its own directory, and refuses an occupied one.
    const busy = cli(p.dataDir, 'restore', archive);
    expect(busy.status).toBe(1);
    expect(busy.out).toMatch(/已被另一个平台进程/);

    // A new data directory with the keys copied: restore, then start the platform there.
    const target = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-e2e-restored-'));
    fs.chmodSync(target, 0o755);
    made.push(target);
    fs.copyFileSync(path.join(p.dataDir, 'keys.json'), path.join(target, 'keys.json'));
    const r = cli(target, 'restore', archive);
    expect(r.status, r.out).toBe(0);
    expect(r.out).toMatch(/恢复完成：.*文件 2 个/);
    const q = await startPlatform({ DANGJIAN_DEMO: '0' }, target);
    platforms.push(q);
    expect((await download(q, evidenceId, await login(q))).equals(served)).toBe(true);
  });
});
