/**
 * The entry other modules call when the data behind the rules changes (a meeting saved or deleted,
 * an appraisal graded): the rules engine re-checks that organization for the periods containing the
 * given dates, in the caller's transaction, so the problem list is true when the write commits.
 */
import type { Tx } from '../../db/index.ts';
import type { Deps } from '../../platform/deps.ts';
import { recheck } from './engine.ts';

export interface LifeChange {
  countyCode: string;
  orgId: string;
  /** Asia/Shanghai dates (YYYY-MM-DD) whose periods (month, quarter, year) are re-checked. */
  dates: string[];
  /** Members whose own checks (MEM-4, LIFE-8) may have changed. */
  memberIds?: string[];
  userId?: string | null;
  /** The kinds of record that changed (meeting kinds; 'appraisal' for grades): only the rules reading them are re-checked. Absent: every rule. */
  kinds?: readonly string[];
}

/** Re-check after a change of organizational life: that organization (and its members) for the periods containing the dates. */
export async function onLifeChanged(tx: Tx, deps: Deps, change: LifeChange): Promise<void> {
  await recheck(tx, deps, change);
}
