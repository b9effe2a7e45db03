/**
 * The rules engine's part of the demo county: a first full run once the county's year of meetings and
 * their photos are in, so the problem list and the compliance views are true on first start; later the
 * nightly job and each saved record keep them so. The owner analyzes what the run wrote in bulk.
 */
import { sql } from 'drizzle-orm';
import type { DemoPart } from '../../platform/demo.ts';
import { runCounty } from './engine.ts';

const part: DemoPart = {
  installed: async ({ county, owner, now }) => {
    // Only a start that owns the county's demo work comes here: a first run still 'running' is one an
    // interrupted start left (it would refuse this one as RULE_RUN_BUSY for two hours).
    await owner.db.execute(
      sql`update rule_runs set status = 'failed', finished_at = now(), error = '启动中断，重新检查' where county_code = ${county} and status = 'running'`,
    );
    const n = await runCounty(owner.db, { now }, county, 'full');
    await owner.pool.query('analyze rule_results, problems, problem_events');
    return { 检查项: n.checked, 问题: n.opened };
  },
};

export default part;
