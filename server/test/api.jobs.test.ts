/**
 * Daily jobs (platform/jobs.ts) and the nightly backup (platform/backup-schedule.ts): a slot runs once
 * however many instances tick; a slot that comes while the previous run goes on is skipped; a run
 * whose process died is marked interrupted; the nightly rules run keeps its 02:00 and its counties;
 * the nightly backup chains incremental archives on the week's full one and its retention never
 * deletes a base that a kept archive needs; the jobs page shows runs, archives and red warnings.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ArchiveInfo, archivesToKeep, backupWarnings, listArchives } from '../platform/backup-schedule.ts';
import { openChain } from '../platform/backup.ts';
import type { Deps } from '../platform/deps.ts';
import { type Job, lastSlot, loadJobs, markInterrupted, runRecorded, schedulerTick } from '../platform/jobs.ts';
import { COUNTY, multipart, ORIGIN, setup, type TestCtx } from './harness.ts';

let t: TestCtx;
let jobs: Job[];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-jobs-'));
const dir = path.join(tmp, 'backups');
const logs: string[] = [];
const log = (m: string) => logs.push(m);

/** The app's deps at a fixed instant, with the backups in the test's directory. */
function at(iso: string, backup: Partial<Deps['config']['backup']> = {}): Deps {
  return {
    ...t.deps,
    now: () => new Date(iso),
    config: { ...t.deps.config, backup: { dir, keepDaily: 7, keepWeekly: 4, fullEveryDays: 7, ...backup } },
  };
}
const only = (...names: string[]) => jobs.filter((j) => names.includes(j.name));
async function runs(job: string) {
  const r = await t.database.db.execute<{
    status: string;
    trigger: string;
    due_at: string | null;
    message: string | null;
    detail: Record<string, unknown>;
  }>(sql`select status, trigger, due_at, message, detail from job_runs where job = ${job} order by started_at, id`);
  return r.rows;
}

beforeAll(async () => {
  t = await setup();
  jobs = await loadJobs();
  // One photo, so the backups hold a file.
  const admin = await t.login('admin');
  const m = await t.req('POST', '/api/meetings', {
    cookie: admin,
    body: { orgId: t.fx.villageA1, kind: 'branchMeeting', startsAt: '2026-04-11T09:00:00+08:00' },
  });
  const sharp = (await import('sharp')).default;
  const photo = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#208040' } })
    .jpeg()
    .toBuffer();
  const mp = multipart(photo, '照片.jpg');
  const up = await t.app.inject({
    method: 'POST',
    url: `/api/meetings/${m.json.id}/evidence`,
    headers: { cookie: admin, origin: ORIGIN, host: 'localhost:80', 'content-type': mp.type },
    payload: mp.body,
  });
  expect(up.statusCode, up.body).toBe(201);
});
afterAll(async () => {
  await t?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('slots', () => {
  it("a daily time in Asia/Shanghai: today's once it has come, else yesterday's", () => {
    expect(lastSlot('03:00', new Date('2026-12-06T19:30:00Z')).toISOString()).toBe('2026-12-06T19:00:00.000Z'); // 03:30 on the 7th
    expect(lastSlot('03:00', new Date('2026-12-06T18:59:00Z')).toISOString()).toBe('2026-12-05T19:00:00.000Z'); // 02:59 on the 7th
    expect(lastSlot('02:00', new Date('2026-12-06T16:00:00Z')).toISOString()).toBe('2026-12-05T18:00:00.000Z'); // 00:00 on the 7th
  });
});

describe('the scheduler', () => {
  it('runs a slot once however many instances tick, and never outside its catch-up window', async () => {
    const deps = at('2026-12-06T19:05:00Z'); // 03:05 on 7 December, Shanghai
    const ticks = await Promise.all([
      schedulerTick(deps, only('backup'), log),
      schedulerTick(deps, only('backup'), log),
      schedulerTick(deps, only('backup'), log),
    ]);
    const started = ticks.flat();
    expect(started).toHaveLength(1);
    const done = await started[0];
    expect(done.status, done.message ?? '').toBe('ok');
    expect(await schedulerTick(deps, only('backup'), log)).toEqual([]);
    const r = await runs('backup');
    expect(r).toHaveLength(1);
    expect(r[0]).toMatchObject({
      status: 'ok',
      trigger: 'schedule',
      message: expect.stringMatching(/^完整备份 dangjian-20261207-030500-full\.tar/),
    });
    expect(r[0].detail).toMatchObject({ kind: 'full', files: 2, file: 'dangjian-20261207-030500-full.tar' });
    expect(fs.readdirSync(dir)).toEqual(['dangjian-20261207-030500-full.tar']);
    // The rules job is due at 02:00 with one hour to catch up: at 03:05 it is not run.
    expect(await schedulerTick(deps, only('problems.nightly'), log)).toEqual([]);
  });

  it('the nightly rules run: 02:00 Shanghai, every served county, once a night', async () => {
    const deps = at('2026-12-06T18:10:00Z'); // 02:10 on 7 December
    const [run] = await schedulerTick(deps, only('problems.nightly'), log);
    expect((await run).status).toBe('ok');
    const rr = await t.database.db.execute<{ county_code: string; kind: string; status: string }>(
      sql`select county_code, kind, status from rule_runs`,
    );
    expect(rr.rows).toEqual([{ county_code: COUNTY, kind: 'nightly', status: 'done' }]);
    expect((await runs('problems.nightly'))[0].detail).toMatchObject({ counties: [{ county: COUNTY }] });
    expect(await schedulerTick(deps, only('problems.nightly'), log)).toEqual([]);
  });

  it('records a slot that comes while the previous run still goes on as skipped, and a run whose process died as interrupted', async () => {
    const db = t.database.db;
    // A run of the 8 December slot still going at 02:30 on the 9th (its heartbeat fresh).
    const now = new Date('2026-12-08T18:30:00Z');
    await db.execute(
      sql`insert into job_runs (job, due_at, trigger, status, started_at, heartbeat_at) values ('problems.nightly', '2026-12-07T18:00:00Z', 'schedule', 'running', ${now.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz)`,
    );
    expect(await schedulerTick(at(now.toISOString()), only('problems.nightly'), log)).toEqual([]);
    const skipped = (await runs('problems.nightly')).filter((x) => x.status === 'skipped');
    expect(skipped).toEqual([
      expect.objectContaining({ message: '上一次运行尚未结束，本次跳过', trigger: 'schedule' }),
    ]);
    expect(new Date(String(skipped[0].due_at)).toISOString()).toBe('2026-12-08T18:00:00.000Z');
    // Five minutes without a heartbeat: its process stopped.
    expect(await markInterrupted(db, new Date(now.getTime() + 4 * 60_000))).toBe(0);
    expect(await markInterrupted(db, new Date(now.getTime() + 6 * 60_000))).toBe(1);
    expect((await runs('problems.nightly')).find((x) => x.status === 'interrupted')?.message).toMatch(/运行中断/);
  });

  it('a job that fails is recorded as failed with its Chinese message; a run by hand (the CLI) gets its own row', async () => {
    const rec = await runRecorded(
      t.deps,
      'backup',
      async () => {
        throw new Error('备份目录不可写');
      },
      { trigger: 'cli', log },
    );
    expect(rec).toMatchObject({ status: 'failed', message: '备份目录不可写' });
    const r = (await runs('backup')).filter((x) => x.trigger === 'cli');
    expect(r).toEqual([expect.objectContaining({ status: 'failed', due_at: null, message: '备份目录不可写' })]);
  });
});

describe('the nightly backup', () => {
  it('chains incremental archives on the full one, a new full after a week, and keeps every base a kept archive needs', async () => {
    // 8 … 13 December: incremental on the full archive of the 7th.
    for (let day = 8; day <= 13; day++) {
      const [run] = await schedulerTick(
        at(`2026-12-${String(day - 1).padStart(2, '0')}T19:05:00Z`, { keepDaily: 3, keepWeekly: 1 }),
        only('backup'),
        log,
      );
      const r = await run;
      expect(r.status, r.message ?? '').toBe('ok');
      expect(r.detail).toMatchObject({
        kind: 'incremental',
        base: 'dangjian-20261207-030500-full.tar',
        files: 0,
        fromBase: 2,
      });
    }
    // Three days kept and the newest of this week; the full archive of the 7th stays while they need it.
    expect(fs.readdirSync(dir).sort()).toEqual([
      'dangjian-20261207-030500-full.tar',
      'dangjian-20261211-030500-incr.tar',
      'dangjian-20261212-030500-incr.tar',
      'dangjian-20261213-030500-incr.tar',
    ]);
    // The 14th, a Monday a week after the full one: a new full archive. The previous week keeps its newest (the 13th) and so its base.
    const [run] = await schedulerTick(at('2026-12-13T19:05:00Z', { keepDaily: 1, keepWeekly: 2 }), only('backup'), log);
    expect((await run).detail).toMatchObject({ kind: 'full', files: 2 });
    expect(fs.readdirSync(dir).sort()).toEqual([
      'dangjian-20261207-030500-full.tar',
      'dangjian-20261213-030500-incr.tar',
      'dangjian-20261214-030500-full.tar',
    ]);
    expect((await listArchives(dir)).map((a) => a.kind)).toEqual(['full', 'incremental', 'full']);
    // The kept incremental archive's chain is complete.
    const chain = await openChain(path.join(dir, 'dangjian-20261213-030500-incr.tar'), (m) => new Error(m));
    expect(chain.map((a) => path.basename(a.file))).toEqual([
      'dangjian-20261213-030500-incr.tar',
      'dangjian-20261207-030500-full.tar',
    ]);
    // With one week kept, the old chain goes.
    const [again] = await schedulerTick(
      at('2026-12-14T19:05:00Z', { keepDaily: 1, keepWeekly: 1 }),
      only('backup'),
      log,
    );
    expect((await again).detail).toMatchObject({ kind: 'incremental', base: 'dangjian-20261214-030500-full.tar' });
    expect(fs.readdirSync(dir).sort()).toEqual([
      'dangjian-20261214-030500-full.tar',
      'dangjian-20261215-030500-incr.tar',
    ]);
  });

  it('retention: the newest of each day and week, and the bases they need, transitively', () => {
    const a = (file: string, at: string, id: string, baseId: string | null = null): ArchiveInfo => ({
      file,
      path: `/b/${file}`,
      id,
      kind: baseId ? 'incremental' : 'full',
      at,
      base: null,
      baseId,
      bytes: 1,
    });
    const list = [
      a('f1', '2026-11-01T19:00:00Z', 'F1'),
      a('i1', '2026-11-02T19:00:00Z', 'I1', 'F1'),
      a('i2', '2026-11-03T19:00:00Z', 'I2', 'I1'), // a chain: I2 → I1 → F1
      a('f2', '2026-11-20T19:00:00Z', 'F2'),
      a('f2b', '2026-11-20T20:00:00Z', 'F2B'), // the same Shanghai day as f2, newer
      a('i3', '2026-11-21T19:00:00Z', 'I3', 'F2'),
    ];
    expect([...archivesToKeep(list, 2, 0)].sort()).toEqual(['/b/f2', '/b/f2b', '/b/i3']);
    expect([...archivesToKeep(list, 1, 3)].sort()).toEqual(['/b/f1', '/b/f2', '/b/i1', '/b/i2', '/b/i3']);
  });
});

describe('the jobs page', () => {
  it('warns in red when the last good backup is older than two days or a disk has less than 10% free', () => {
    const now = new Date('2026-12-10T00:00:00Z');
    const disk = { label: '备份目录', path: '/b', freeBytes: 50, totalBytes: 100 };
    expect(backupWarnings({ lastGoodAt: '2026-12-09T00:00:00Z', now, disks: [disk] })).toEqual([]);
    expect(backupWarnings({ lastGoodAt: null, now, disks: [disk] })[0]).toMatch(/尚无成功的备份/);
    expect(backupWarnings({ lastGoodAt: '2026-12-07T19:00:00Z', now, disks: [disk] })).toEqual([
      '最近一次成功备份在 2026-12-08 03:00，已超过两天：请查看下方的运行记录和失败原因',
    ]);
    expect(backupWarnings({ lastGoodAt: '2026-12-09T00:00:00Z', now, disks: [{ ...disk, freeBytes: 9 }] })[0]).toMatch(
      /^备份目录所在磁盘剩余空间不足 10%/,
    );
  });

  it('GET /api/system/jobs: every job with its last run, the runs, the archives and the warnings', async () => {
    const admin = await t.login('admin');
    const res = await t.req('GET', '/api/system/jobs', { cookie: admin });
    expect(res.status, res.body).toBe(200);
    const names = res.json.jobs.map((j: { name: string }) => j.name);
    expect(names).toEqual(expect.arrayContaining(['backup', 'problems.nightly']));
    const backupJob = res.json.jobs.find((j: { name: string }) => j.name === 'backup');
    // The newest run by its start: the last scheduled one of the test's December.
    expect(backupJob).toMatchObject({
      title: '每日备份（数据库与文件）',
      at: '03:00',
      lastRun: { status: 'ok', trigger: 'schedule', file: 'dangjian-20261215-030500-incr.tar' },
    });
    expect(backupJob.lastRun.bytes).toBeGreaterThan(0);
    expect(res.json.runs).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ job: 'backup', trigger: 'cli', status: 'failed', message: '备份目录不可写' }),
      ]),
    );
    expect(res.json.jobs.find((j: { name: string }) => j.name === 'problems.nightly').title).toBe(
      '夜间规则检查（全部服务县）',
    );
    expect(res.json.backup.disks.map((d: { label: string }) => d.label)).toEqual(['备份目录', '数据目录']);
    // The app's own backup directory is empty, and the scheduled runs above happened "in December 2026":
    // their good runs are not older than two days only if the test runs before then.
    expect(res.json.warnings.every((w: string) => /[\u4e00-\u9fff]/.test(w))).toBe(true);
  });
});
