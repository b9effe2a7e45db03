/** 系统运行: the scheduled jobs, their last runs and the backups (GET /api/system/jobs). */
import { z } from 'zod';
import './common.ts';

/** One recorded run of a job (or a backup made from the CLI). */
export const jobRunView = z.object({
  id: z.string(),
  job: z.string(),
  title: z.string(),
  /** schedule: by the daily timer; cli: `npm run cli -- backup`. */
  trigger: z.enum(['schedule', 'cli']),
  /** running | ok | failed | skipped | interrupted */
  status: z.enum(['running', 'ok', 'failed', 'skipped', 'interrupted']),
  dueAt: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  durationMs: z.number().nullable(),
  /** A backup's archive and its size. */
  file: z.string().nullable(),
  bytes: z.number().nullable(),
  /** Chinese: what it did, or why it failed or was skipped. */
  message: z.string().nullable(),
});

export const jobsOverview = z.object({
  jobs: z.array(
    z.object({
      name: z.string(),
      title: z.string(),
      /** Time of day, Asia/Shanghai. */
      at: z.string(),
      lastRun: jobRunView.nullable(),
      lastOkAt: z.string().nullable(),
    }),
  ),
  /** The newest runs of every job. */
  runs: z.array(jobRunView),
  backup: z.object({
    dir: z.string(),
    lastGood: z
      .object({ at: z.string(), trigger: z.string(), bytes: z.number().nullable(), file: z.string().nullable() })
      .nullable(),
    archives: z.array(
      z.object({
        file: z.string(),
        kind: z.enum(['full', 'incremental']),
        at: z.string(),
        bytes: z.number(),
        base: z.string().nullable(),
      }),
    ),
    disks: z.array(z.object({ label: z.string(), path: z.string(), freeBytes: z.number(), totalBytes: z.number() })),
    keepDaily: z.number(),
    keepWeekly: z.number(),
  }),
  /** Red warnings: the last good backup is older than two days, a disk has less than 10% free. */
  warnings: z.array(z.string()),
});

export type JobRunView = z.infer<typeof jobRunView>;
export type JobsOverview = z.infer<typeof jobsOverview>;
