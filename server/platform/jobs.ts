/**
 * Daily jobs: the nightly backup, the nightly rules run, and what modules declare (`jobs` in a
 * manifest, implemented in the module's `jobs.ts`). A job has a name, a Chinese title, a time of day
 * in Asia/Shanghai and a function.
 *
 * Once per installation: every instance ticks once a minute; a job whose slot (today's or yesterday's
 * `at`, within `catchUpHours` of it) has no run yet is claimed by inserting its `job_runs` row — the
 * unique (job, due_at) index lets one insert win, so with several instances on one database exactly
 * one of them runs it. A slot that comes while the job's previous run is still going is recorded as
 * skipped. A running row's `heartbeat_at` moves every minute; a row whose heartbeat stopped for five
 * minutes (its process died) is marked interrupted. Every run is recorded: when, how long, the result,
 * what it produced (`detail`) and, for a failure, the Chinese message.
 *
 * The scheduler is started by `npm start` only (server/main.ts), never by an app built for a test.
 */
import os from 'node:os';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/index.ts';
import type { JobDecl } from '../modules/module.ts';
import { MODULES } from '../modules/registry.ts';
import { shanghaiDate, shanghaiInstant } from './calendar.ts';
import type { Deps } from './deps.ts';
import { safeErrorMessage } from './logging.ts';

export type { JobDecl };

export interface JobContext {
  deps: Deps;
  log: (msg: string) => void;
  /** The scheduled instant of this run; null for a run started by hand. */
  dueAt: Date | null;
  /** Aborted when the platform stops: a long job ends early (its run is recorded as interrupted). */
  signal: AbortSignal;
}

export interface JobOutcome {
  /** 'ok' unless the job had nothing to do ('skipped'). */
  status?: 'ok' | 'skipped';
  /** What the run produced, recorded and shown on the jobs page. */
  detail?: Record<string, unknown>;
  /** A Chinese summary. */
  message?: string;
}

export type JobFn = (ctx: JobContext) => Promise<JobOutcome | undefined>;

export interface Job extends JobDecl {
  name: string;
  run: JobFn;
}

/** The platform's own jobs; their functions are loaded with them (`loadJobs`). */
const PLATFORM_JOBS: Record<string, JobDecl> = {
  backup: { title: '每日备份（数据库与文件）', at: '03:00', catchUpHours: 12 },
};

const PLATFORM_FUNCTIONS: Record<string, () => Promise<JobFn>> = {
  backup: async () => (await import('./backup-schedule.ts')).nightlyBackup,
};

/** Every declared job (the platform's and the modules'), without its function: what the jobs page lists. */
export const JOB_DECLS: Readonly<Record<string, JobDecl>> = Object.assign(
  {},
  PLATFORM_JOBS,
  ...MODULES.map((m) => ('jobs' in m ? m.jobs : {})),
);

/** Every job with its function: the platform's, then each module's from its `jobs.ts`. */
export async function loadJobs(): Promise<Job[]> {
  const out: Job[] = [];
  for (const [name, d] of Object.entries(PLATFORM_JOBS))
    out.push({ name, ...d, run: await PLATFORM_FUNCTIONS[name]() });
  for (const m of MODULES) {
    const decls = ('jobs' in m ? m.jobs : undefined) as Record<string, JobDecl> | undefined;
    if (!decls || !Object.keys(decls).length) continue;
    const mod = (await import(`../modules/${m.name}/jobs.ts`)) as { default?: Record<string, JobFn> };
    for (const [name, d] of Object.entries(decls)) {
      const run = mod.default?.[name];
      if (typeof run !== 'function')
        throw new Error(`模块 ${m.name} 声明了定时任务 ${name}，但其 jobs.ts 没有同名的实现`);
      out.push({ name, ...d, run });
    }
  }
  return out;
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** The latest instant at or before `now` at which a job due daily at `at` (Asia/Shanghai 'HH:MM') was due. */
export function lastSlot(at: string, now: Date): Date {
  if (!TIME.test(at)) throw new Error(`invalid job time ${at}`);
  const today = shanghaiInstant(shanghaiDate(now), at);
  return today.getTime() <= now.getTime() ? today : new Date(today.getTime() - 86_400_000);
}

/** This process, as recorded on the runs it makes. */
export const INSTANCE = `${os.hostname()}:${process.pid}`;
const TICK_MS = 60_000;
const HEARTBEAT_MS = 60_000;
/** A running row without a heartbeat for this long belongs to a process that stopped. */
export const STALE_MS = 5 * 60_000;

/** Mark runs whose process stopped (no heartbeat for STALE_MS) as interrupted. */
export async function markInterrupted(db: Db, now: Date): Promise<number> {
  const r =
    await db.execute(sql`update job_runs set status = 'interrupted', finished_at = heartbeat_at, message = '运行中断：执行它的进程已停止（平台停止或异常退出）'
    where status = 'running' and heartbeat_at < ${new Date(now.getTime() - STALE_MS).toISOString()}::timestamptz`);
  return r.rowCount ?? 0;
}

/** A new run row; for a scheduled slot, null when another instance (or an earlier tick) has claimed it. */
async function insertRun(
  db: Db,
  job: string,
  dueAt: Date | null,
  trigger: 'schedule' | 'cli',
  now: Date,
  status: 'running' | 'skipped',
  message: string | null = null,
): Promise<string | null> {
  const at = now.toISOString();
  const r = await db.execute<{
    id: string;
  }>(sql`insert into job_runs (job, due_at, trigger, status, started_at, heartbeat_at, finished_at, message, instance)
    values (${job}, ${dueAt ? dueAt.toISOString() : null}::timestamptz, ${trigger}, ${status}, ${at}::timestamptz, ${at}::timestamptz, ${status === 'running' ? null : at}::timestamptz, ${message}, ${INSTANCE})
    on conflict (job, due_at) do nothing returning id`);
  return r.rows[0]?.id ?? null;
}

export interface RunRecord {
  id: string;
  status: 'ok' | 'failed' | 'skipped' | 'interrupted';
  detail: Record<string, unknown>;
  message: string | null;
  ms: number;
}

/**
 * Run `fn` and record it: in the claimed slot's row (`runId`), or in a new row for a run by hand.
 * The row's heartbeat moves while it runs. Never throws for the job's own failure: it is recorded.
 */
export async function runRecorded(
  deps: Deps,
  job: string,
  fn: JobFn,
  opts: {
    runId?: string;
    dueAt?: Date | null;
    trigger: 'schedule' | 'cli';
    log: (m: string) => void;
    signal?: AbortSignal;
  },
): Promise<RunRecord> {
  const db = deps.database.db;
  const t0 = Date.now();
  const id = opts.runId ?? ((await insertRun(db, job, null, opts.trigger, deps.now(), 'running')) as string);
  const beat = setInterval(() => {
    db.execute(
      sql`update job_runs set heartbeat_at = ${deps.now().toISOString()}::timestamptz where id = ${id} and status = 'running'`,
    ).catch(() => {});
  }, HEARTBEAT_MS);
  beat.unref();
  const signal = opts.signal ?? new AbortController().signal;
  let rec: Omit<RunRecord, 'id' | 'ms'>;
  try {
    const out = await fn({ deps, log: opts.log, dueAt: opts.dueAt ?? null, signal });
    rec = { status: out?.status ?? 'ok', detail: out?.detail ?? {}, message: out?.message ?? null };
  } catch (e) {
    rec = signal.aborted
      ? { status: 'interrupted', detail: {}, message: '运行中断：平台正在停止' }
      : { status: 'failed', detail: {}, message: safeErrorMessage(e) };
  } finally {
    clearInterval(beat);
  }
  const ms = Date.now() - t0;
  await db.execute(sql`update job_runs set status = ${rec.status}, finished_at = ${deps.now().toISOString()}::timestamptz, heartbeat_at = ${deps.now().toISOString()}::timestamptz,
    detail = ${JSON.stringify({ ...rec.detail, ms })}::jsonb, message = ${rec.message} where id = ${id}`);
  return { id, ms, ...rec };
}

/**
 * One look at the clock: every job whose slot has come and has no run gets one (this instance
 * claims it), or a skipped record while its previous run is still going. Returns the runs started.
 */
export async function schedulerTick(
  deps: Deps,
  jobs: readonly Job[],
  log: (m: string) => void,
  signal?: AbortSignal,
): Promise<Promise<RunRecord>[]> {
  const db = deps.database.db;
  const now = deps.now();
  await markInterrupted(db, now);
  const started: Promise<RunRecord>[] = [];
  for (const job of jobs) {
    const due = lastSlot(job.at, now);
    if (now.getTime() - due.getTime() > (job.catchUpHours ?? 1) * 3_600_000) continue;
    const claimed = await db.execute(
      sql`select 1 from job_runs where job = ${job.name} and due_at = ${due.toISOString()}::timestamptz`,
    );
    if (claimed.rows.length) continue;
    const busy = await db.execute(sql`select 1 from job_runs where job = ${job.name} and status = 'running'`);
    if (busy.rows.length) {
      if (await insertRun(db, job.name, due, 'schedule', now, 'skipped', '上一次运行尚未结束，本次跳过'))
        log(`定时任务「${job.title}」上一次运行尚未结束，本次跳过`);
      continue;
    }
    const runId = await insertRun(db, job.name, due, 'schedule', now, 'running');
    if (!runId) continue; // another instance claimed it first
    log(`定时任务「${job.title}」开始运行`);
    started.push(
      runRecorded(deps, job.name, job.run, { runId, dueAt: due, trigger: 'schedule', log, signal }).then((r) => {
        log(
          `定时任务「${job.title}」${r.status === 'ok' ? '完成' : r.status === 'skipped' ? '无须运行' : r.status === 'interrupted' ? '中断' : '失败'}（${(r.ms / 1000).toFixed(1)} 秒）${r.message ? `：${r.message}` : ''}`,
        );
        return r;
      }),
    );
  }
  return started;
}

/**
 * Run the scheduler in this process from when the app is ready until it closes: a tick a minute
 * (the first a few seconds after start, so a slot missed while stopped is caught up). On close the
 * running jobs are told to stop and waited for.
 */
export function registerJobs(app: FastifyInstance, deps: Deps, jobs: readonly Job[], log: (m: string) => void): void {
  const stop = new AbortController();
  const running = new Set<Promise<unknown>>();
  let ticking: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;
  const tick = () => {
    if (ticking) return;
    ticking = schedulerTick(deps, jobs, log, stop.signal)
      .then((runs) => {
        for (const r of runs) {
          const p = r.catch((e) => log(`定时任务记录失败：${safeErrorMessage(e)}`)).finally(() => running.delete(p));
          running.add(p);
        }
      })
      .catch((e) => log(`定时任务检查失败：${safeErrorMessage(e)}`))
      .finally(() => {
        ticking = null;
      });
  };
  app.addHook('onReady', async () => {
    timer = setTimeout(function next() {
      tick();
      timer = setTimeout(next, TICK_MS);
      timer.unref();
    }, 5_000);
    timer.unref();
  });
  app.addHook('onClose', async () => {
    if (timer) clearTimeout(timer);
    stop.abort();
    await ticking;
    await Promise.allSettled([...running]);
  });
}

/** The recorded runs, newest first (the jobs page). */
export async function recentRuns(
  db: Db,
  limit = 30,
): Promise<
  {
    id: string;
    job: string;
    trigger: string;
    status: string;
    due_at: string | null;
    started_at: string;
    finished_at: string | null;
    detail: Record<string, unknown>;
    message: string | null;
  }[]
> {
  const r = await db.execute<{
    id: string;
    job: string;
    trigger: string;
    status: string;
    due_at: string | null;
    started_at: string;
    finished_at: string | null;
    detail: Record<string, unknown>;
    message: string | null;
  }>(
    sql`select id, job, trigger, status, due_at, started_at, finished_at, detail, message from job_runs order by started_at desc, id limit ${limit}`,
  );
  return r.rows;
}
