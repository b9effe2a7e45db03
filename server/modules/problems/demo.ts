/**
 * The rules engine's part of the demo county: a first full run once the county's year of meetings and
 * their photos are in, so the problem list and the compliance views are true on first start; later the
 * nightly job and each saved record keep them so. The owner analyzes what the run wrote in bulk.
 */
import type { DemoPart } from '../../platform/demo.ts';
import { runCounty } from './engine.ts';

const part: DemoPart = {
  installed: async ({ county, owner, now }) => {
    const n = await runCounty(owner.db, { now }, county, 'full');
    await owner.pool.query('analyze rule_results, problems, problem_events');
    return { 检查项: n.checked, 问题: n.opened };
  },
};

export default part;
