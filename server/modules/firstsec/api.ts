/**
 * What the first-secretaries module offers other modules (issue 17 §1: a module's public face): the
 * payload of the event it announces when its records change, so the rules engine re-checks FS-1 and FS-2
 * for the organizations touched in the writer's transaction. Nothing else of this folder is imported from outside it.
 */
import type { RuleInput } from '../../../contract/module.ts';

/** Payload of `firstsec.changed`: the roster, designations, check-ins, leave or periodic reports of these organizations changed on these days. */
export interface FirstsecChange {
  countyCode: string;
  orgIds: string[];
  /** The days the change reaches (a check-in's day, a leave's days, a posting's start): their months are re-checked. */
  dates: string[];
  touched: Extract<RuleInput, 'firstSecretaries' | 'checkins' | 'reports'>[];
  userId?: string | null;
}

declare module '../../platform/events.ts' {
  interface DomainEvents {
    'firstsec.changed': FirstsecChange;
  }
}
