/** The lists module's daily job (declared in manifest.ts `jobs`; run by server/platform/jobs.ts). */
import { servedCounties } from '../../platform/installation.ts';
import type { JobFn } from '../../platform/jobs.ts';
import { getSetting } from '../../platform/settings.ts';
import { remindCounty } from './service.ts';

const jobs: Record<string, JobFn> = {
  /**
   * Every served county, one transaction each: tasks due within the county's reminder days are
   * reminded, overdue ones reminded once, and those overdue longer than the escalation days reported
   * to the organization above their issuer. Each reminder is made once, so a run repeated on the same
   * day (a catch-up after a restart) adds nothing.
   */
  'lists.reminders': async ({ deps, signal }) => {
    const db = deps.database.db;
    const counties: Record<string, unknown>[] = [];
    for (const county of await servedCounties(db)) {
      if (signal.aborted) throw new Error('aborted');
      const before = Number(await getSetting(db, county, 'lists.remindDaysBefore'));
      const after = Number(await getSetting(db, county, 'lists.escalateAfterDays'));
      const n = await db.transaction((tx) => remindCounty(tx, deps, county, before, after));
      counties.push({ county, ...n });
    }
    return { detail: { counties } };
  },
};

export default jobs;
