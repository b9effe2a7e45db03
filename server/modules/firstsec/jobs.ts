/** The first-secretaries module's daily job (declared in manifest.ts `jobs`; run by server/platform/jobs.ts). */
import { servedCounties } from '../../platform/installation.ts';
import type { JobFn } from '../../platform/jobs.ts';
import { writeReminders } from './reports.ts';
import { todayOf } from './service.ts';
import { drawSpotChecks } from './spot.ts';

const jobs: Record<string, JobFn> = {
  /** Every served county, one transaction each: today's unannounced checks drawn (once a day; a repeat adds nothing). */
  'firstsec.spotChecks': async ({ deps, signal }) => {
    const db = deps.database.db;
    const day = todayOf(deps);
    const counties: Record<string, unknown>[] = [];
    for (const county of await servedCounties(db)) {
      if (signal.aborted) throw new Error('aborted');
      const drawn = await db.transaction((tx) => drawSpotChecks(tx, county, day));
      counties.push({ county, day, drawn });
    }
    return { detail: { counties } };
  },
  /** Every served county, one transaction each: in-app reminders of reports due soon or overdue (no SMS or WeChat channel); a repeat adds nothing. */
  'firstsec.reportReminders': async ({ deps, signal }) => {
    const db = deps.database.db;
    const day = todayOf(deps);
    const counties: Record<string, unknown>[] = [];
    for (const county of await servedCounties(db)) {
      if (signal.aborted) throw new Error('aborted');
      const written = await db.transaction((tx) => writeReminders(tx, county, day));
      counties.push({ county, day, written });
    }
    return { detail: { counties } };
  },
};

export default jobs;
