/** The problems module's daily jobs (declared in manifest.ts `jobs`; run by server/platform/jobs.ts). */
import { sql } from 'drizzle-orm';
import { AppError } from '../../platform/errors.ts';
import { servedCounties } from '../../platform/installation.ts';
import type { JobFn } from '../../platform/jobs.ts';
import { safeErrorMessage } from '../../platform/logging.ts';
import { runCounty } from './engine.ts';
import { todayOf } from './periods.ts';

const jobs: Record<string, JobFn> = {
  /**
   * The full run of every served county, once a night: a county already checked tonight (a nightly run
   * started today, Shanghai time) or with a run in progress (RULE_RUN_BUSY) is skipped; a county whose
   * run fails does not stop the others, and the job is recorded as failed naming it.
   */
  'problems.nightly': async ({ deps, log, signal }) => {
    const db = deps.database.db;
    const today = todayOf(deps);
    const counties: Record<string, unknown>[] = [];
    const failed: string[] = [];
    for (const county of await servedCounties(db)) {
      if (signal.aborted) throw new Error('aborted');
      const done = await db.execute(sql`select 1 from rule_runs r where r.county_code = ${county} and r.kind = 'nightly'
        and (r.started_at at time zone 'Asia/Shanghai')::date = ${today}::date`);
      if (done.rows.length) {
        counties.push({ county, skipped: '今日已检查' });
        continue;
      }
      try {
        const n = await runCounty(db, deps, county, 'nightly');
        counties.push({ county, checked: n.checked, opened: n.opened, cleared: n.cleared });
      } catch (e) {
        if (e instanceof AppError && e.code === 'RULE_RUN_BUSY') {
          counties.push({ county, skipped: '检查正在进行' });
          continue;
        }
        log(`规则检查失败（${county}）：${safeErrorMessage(e)}`);
        failed.push(county);
      }
    }
    if (failed.length) throw new Error(`以下县的规则检查失败：${failed.join('、')}（其余已完成，详见服务日志）`);
    return { detail: { counties } };
  },
};

export default jobs;
