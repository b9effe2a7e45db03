/**
 * The nightly backup (job `backup`, platform/jobs.ts, 03:00 Asia/Shanghai) and what the jobs page
 * says about backups.
 *
 * Each night one archive goes to the backup directory (DANGJIAN_BACKUP_DIR, default `<data>/backups`)
 * as `dangjian-YYYYMMDD-HHMMSS-full.tar` or `-incr.tar` (Shanghai time): a full archive when the
 * newest full one is DANGJIAN_BACKUP_FULL_DAYS (7) days old or unusable, otherwise an incremental one
 * on that full archive (its files are not copied again; the database part is always whole). Then the
 * retention: the newest archive of each of the last DANGJIAN_BACKUP_KEEP_DAILY (7) days and of each of
 * the last DANGJIAN_BACKUP_KEEP_WEEKLY (4) weeks is kept, with every base a kept archive needs; other
 * archives of this naming are deleted (nothing else in the directory is touched).
 *
 * The county administrator is warned on the jobs page when the last good backup (nightly or from the
 * CLI) is older than two days, or when the disk of the backup directory or of the data directory has
 * less than 10% free.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { type ArchiveHeader, backup, openChain } from './backup.ts';
import { daysBetween, shanghaiDate, shanghaiFileStamp, shanghaiMinute, weekStart } from './calendar.ts';
import type { Deps } from './deps.ts';
import { LocalDirStore } from './files/local-dir-store.ts';
import type { JobFn } from './jobs.ts';
import { safeErrorMessage } from './logging.ts';
import { readFirstEntry } from './tar.ts';

/** Archives the nightly job writes (and may delete). */
export const ARCHIVE_NAME = /^dangjian-\d{8}-\d{6}-(full|incr)\.tar$/;
/** The last good backup may be this old before the administrator is warned. */
export const STALE_BACKUP_MS = 2 * 24 * 3_600_000;
/** Less free space than this share of a disk is a warning. */
export const LOW_DISK_SHARE = 0.1;

export interface ArchiveInfo {
  /** File name, and full path. */
  file: string;
  path: string;
  id: string;
  kind: 'full' | 'incremental';
  at: string;
  /** The base's file name and id, for an incremental archive. */
  base: string | null;
  baseId: string | null;
  bytes: number;
}

/** The nightly archives in `dir`, newest first (read from each one's header; an unreadable one is left out). */
export async function listArchives(dir: string): Promise<ArchiveInfo[]> {
  if (!fs.existsSync(dir)) return [];
  const out: ArchiveInfo[] = [];
  for (const file of fs.readdirSync(dir)) {
    if (!ARCHIVE_NAME.test(file)) continue;
    const p = path.join(dir, file);
    try {
      const first = await readFirstEntry(p);
      if (first?.entry.name !== 'backup.json') continue;
      const h = JSON.parse(first.text) as ArchiveHeader;
      out.push({
        file,
        path: p,
        id: h.id,
        kind: h.kind,
        at: h.at,
        base: h.base?.file ?? null,
        baseId: h.base?.id ?? null,
        bytes: fs.statSync(p).size,
      });
    } catch {
      // removed meanwhile, or not an archive
    }
  }
  return out.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
}

/**
 * The archives retention keeps: the newest of each of the last `keepDaily` days and of each of the
 * last `keepWeekly` weeks (Monday to Sunday, Shanghai time), and every base a kept archive needs.
 */
export function archivesToKeep(archives: readonly ArchiveInfo[], keepDaily: number, keepWeekly: number): Set<string> {
  const newest = [...archives].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  const keep = new Set<string>();
  const days = new Set<string>();
  const weeks = new Set<string>();
  for (const a of newest) {
    const day = shanghaiDate(a.at);
    const week = weekStart(day);
    if (!days.has(day) && days.size < keepDaily) {
      days.add(day);
      keep.add(a.path);
    }
    if (!weeks.has(week) && weeks.size < keepWeekly) {
      weeks.add(week);
      keep.add(a.path);
    }
  }
  const byId = new Map(archives.map((a) => [a.id, a]));
  for (const p of [...keep]) {
    const seen = new Set<string>();
    for (let a = archives.find((x) => x.path === p); a?.baseId && !seen.has(a.id); a = byId.get(a.baseId)) {
      seen.add(a.id);
      const base = byId.get(a.baseId);
      if (base) keep.add(base.path);
    }
  }
  return keep;
}

/** Free and total bytes of the disk holding `dir` (or its nearest existing parent). */
export async function diskSpace(dir: string): Promise<{ freeBytes: number; totalBytes: number }> {
  let p = path.resolve(dir);
  while (!fs.existsSync(p) && path.dirname(p) !== p) p = path.dirname(p);
  const s = await fsp.statfs(p);
  return { freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize };
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const gb = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(1)} GB`;

/** The nightly job: one archive (full or incremental), then the retention. */
export const nightlyBackup: JobFn = async ({ deps, log, signal }) => {
  const cfg = deps.config.backup;
  fs.mkdirSync(cfg.dir, { recursive: true, mode: 0o700 });
  // Partial archives of a run that was killed (a running backup removes its own on failure).
  for (const f of fs.readdirSync(cfg.dir)) {
    if (!f.endsWith('.tar.part') || !ARCHIVE_NAME.test(f.slice(0, -5))) continue;
    const p = path.join(cfg.dir, f);
    if (Date.now() - fs.statSync(p).mtimeMs > 24 * 3_600_000) fs.rmSync(p, { force: true });
  }
  const now = deps.now();
  const archives = await listArchives(cfg.dir);
  let base = archives.find((a) => a.kind === 'full');
  if (base && daysBetween(shanghaiDate(base.at), shanghaiDate(now)) >= cfg.fullEveryDays) base = undefined;
  if (base) {
    try {
      await openChain(base.path, (m) => new Error(m));
    } catch (e) {
      log(`基础备份 ${base.file} 不可用（${safeErrorMessage(e)}），改做完整备份`);
      base = undefined;
    }
  }
  const file = path.join(cfg.dir, `dangjian-${shanghaiFileStamp(now)}-${base ? 'incr' : 'full'}.tar`);
  const rec = await backup(deps, file, log, { base: base?.path, signal, by: 'system' });

  const keep = archivesToKeep(await listArchives(cfg.dir), cfg.keepDaily, cfg.keepWeekly);
  const removed: string[] = [];
  for (const a of await listArchives(cfg.dir)) {
    if (keep.has(a.path) || a.path === file) continue;
    fs.rmSync(a.path, { force: true });
    removed.push(a.file);
  }
  if (removed.length) log(`按保留策略删除旧备份：${removed.join('、')}`);
  // Retired files whose grace has passed: no backup can still need them.
  if (deps.files.blobs instanceof LocalDirStore) deps.files.blobs.sweepRetired();
  const disk = await diskSpace(cfg.dir);
  return {
    detail: {
      file: path.basename(file),
      kind: rec.kind,
      base: rec.base,
      bytes: rec.bytes,
      tables: rec.tables,
      rows: rec.rows,
      files: rec.files,
      fileBytes: rec.fileBytes,
      referenced: rec.referenced,
      fromBase: rec.fromBase,
      removed,
      ...disk,
    },
    message: `${rec.kind === 'full' ? '完整' : '增量'}备份 ${path.basename(file)}，${mb(rec.bytes)}${removed.length ? `；按保留策略删除 ${removed.length} 个旧备份` : ''}`,
  };
};

export interface DiskInfo {
  label: string;
  path: string;
  freeBytes: number;
  totalBytes: number;
}

/** The warnings the jobs page shows in red (Chinese), from the last good backup and the disks. */
export function backupWarnings(input: { lastGoodAt: string | null; now: Date; disks: readonly DiskInfo[] }): string[] {
  const out: string[] = [];
  if (!input.lastGoodAt)
    out.push('尚无成功的备份：请确认平台在运行（每日 03:00 自动备份），或运行 npm run cli -- backup');
  else if (input.now.getTime() - Date.parse(input.lastGoodAt) > STALE_BACKUP_MS)
    out.push(`最近一次成功备份在 ${shanghaiMinute(input.lastGoodAt)}，已超过两天：请查看下方的运行记录和失败原因`);
  for (const d of input.disks) {
    if (d.totalBytes > 0 && d.freeBytes / d.totalBytes < LOW_DISK_SHARE)
      out.push(
        `${d.label}所在磁盘剩余空间不足 10%（剩余 ${gb(d.freeBytes)}，共 ${gb(d.totalBytes)}）：请清理或扩容，否则备份和上传将失败`,
      );
  }
  return out;
}

/** Backups as the jobs page shows them: the directory, its archives, the last good backup, the disks and the warnings. */
export async function backupStatus(deps: Deps): Promise<{
  dir: string;
  archives: ArchiveInfo[];
  lastGood: { at: string; trigger: string; bytes: number | null; file: string | null } | null;
  disks: DiskInfo[];
  warnings: string[];
}> {
  const cfg = deps.config.backup;
  const r = await deps.database.db.execute<{
    finished_at: string;
    trigger: string;
    detail: { bytes?: number; file?: string };
  }>(
    sql`select finished_at, trigger, detail from job_runs where job = 'backup' and status = 'ok' order by finished_at desc limit 1`,
  );
  const last = r.rows[0];
  const lastGood = last
    ? {
        at: new Date(last.finished_at).toISOString(),
        trigger: last.trigger,
        bytes: last.detail.bytes ?? null,
        file: last.detail.file ?? null,
      }
    : null;
  const disks: DiskInfo[] = [
    { label: '备份目录', path: cfg.dir, ...(await diskSpace(cfg.dir)) },
    { label: '数据目录', path: deps.config.dataDir, ...(await diskSpace(deps.config.dataDir)) },
  ];
  return {
    dir: cfg.dir,
    archives: await listArchives(cfg.dir),
    lastGood,
    disks,
    warnings: backupWarnings({ lastGoodAt: lastGood?.at ?? null, now: deps.now(), disks }),
  };
}
