/** The jobs page: each declared job with its last run, the newest runs, and the backups' state. */
import type { JobRunView, JobsOverview } from '../../../contract/system.ts';
import { backupStatus } from '../../platform/backup-schedule.ts';
import type { Deps } from '../../platform/deps.ts';
import { JOB_DECLS, recentRuns } from '../../platform/jobs.ts';

const iso = (v: string | Date | null) => (v === null ? null : new Date(v).toISOString());

type Row = Awaited<ReturnType<typeof recentRuns>>[number];

function toView(r: Row): JobRunView {
  const d = r.detail as { ms?: number; bytes?: number; file?: string };
  const started = iso(r.started_at) as string;
  const finished = iso(r.finished_at);
  return {
    id: r.id,
    job: r.job,
    title: JOB_DECLS[r.job]?.title ?? r.job,
    trigger: r.trigger === 'cli' ? 'cli' : 'schedule',
    status: r.status as JobRunView['status'],
    dueAt: iso(r.due_at),
    startedAt: started,
    finishedAt: finished,
    durationMs: typeof d.ms === 'number' ? d.ms : finished ? Date.parse(finished) - Date.parse(started) : null,
    file: typeof d.file === 'string' ? d.file : null,
    bytes: typeof d.bytes === 'number' ? d.bytes : null,
    message: r.message,
  };
}

/** Installation-wide (jobs and backups are not a county's): the same for every holder of system.jobs. */
export async function jobsOverview(deps: Deps): Promise<JobsOverview> {
  const db = deps.database.db;
  const runs = (await recentRuns(db, 200)).map(toView);
  const backup = await backupStatus(deps);
  return {
    jobs: Object.entries(JOB_DECLS).map(([name, d]) => ({
      name,
      title: d.title,
      at: d.at,
      lastRun: runs.find((r) => r.job === name) ?? null,
      lastOkAt: runs.find((r) => r.job === name && r.status === 'ok')?.finishedAt ?? null,
    })),
    runs: runs.slice(0, 30),
    backup: {
      dir: backup.dir,
      lastGood: backup.lastGood,
      archives: backup.archives.map((a) => ({ file: a.file, kind: a.kind, at: a.at, bytes: a.bytes, base: a.base })),
      disks: backup.disks,
      keepDaily: deps.config.backup.keepDaily,
      keepWeekly: deps.config.backup.keepWeekly,
    },
    warnings: backup.warnings,
  };
}
