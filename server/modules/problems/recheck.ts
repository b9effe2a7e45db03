/**
 * The entry other modules call when the data behind the rules changes (a meeting saved or deleted,
 * an appraisal graded): the rules engine re-checks that organization for the periods containing the
 * given dates, in the caller's transaction, so the problem list is true when the write commits.
 */
import type { Tx } from '../../db/index.ts';
import type { Deps } from '../../platform/deps.ts';

export interface LifeChange {
  countyCode: string;
  orgId: string;
  /** Asia/Shanghai dates (YYYY-MM-DD) whose periods (month, quarter, year) are re-checked. */
  dates: string[];
  /** Members whose own checks (MEM-4, LIFE-8) may have changed. */
  memberIds?: string[];
  userId?: string | null;
}

/** Re-check after a change of organizational life. Filled in by the rules engine (issue 8). */
export async function onLifeChanged(_tx: Tx, _deps: Deps, _change: LifeChange): Promise<void> {}
