/** The first-secretaries module's daily job (declared in manifest.ts `jobs`; run by server/platform/jobs.ts). */
import { servedCounties } from '../../platform/installation.ts';
import type { JobFn } from '../../platform/jobs.ts';
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
};

export default jobs;
