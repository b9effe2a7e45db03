/**
 * What the meetings module offers other modules (issue 17 §1: a module's public face): the events it
 * announces and the evidence pipeline (the demo seed and the lists module's task evidence use it). Nothing else of this folder is imported
 * from outside it.
 */
export {
  blobsOf,
  EVIDENCE_KINDS,
  EVIDENCE_UNSUPPORTED_MESSAGE,
  type PreparedEvidence,
  prepareEvidence,
  VERIFY_FIRST_BYTES,
} from './evidence.ts';

/** Payload of `meetings.lifeChanged`: a meeting saved, corrected or deleted, or an appraisal graded. */
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

declare module '../../platform/events.ts' {
  interface DomainEvents {
    'meetings.lifeChanged': LifeChange;
  }
}
