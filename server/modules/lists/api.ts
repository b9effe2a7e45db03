/**
 * What the lists module offers other modules (issue 17 §1: a module's public face): the payload of the
 * event it announces when its records change, so the rules engine re-checks TASK-1, DOC-1 and RECT-1 for
 * the organizations touched in the writer's transaction. Nothing else of this folder is imported from outside it.
 */
import type { RuleInput } from '../../../contract/module.ts';

/** Payload of `lists.changed`: task shares, documents' copies or rectification plans of these organizations changed. */
export interface ListsChange {
  countyCode: string;
  orgIds: string[];
  /** What changed: only the rules reading it are re-checked. */
  touched: Extract<RuleInput, 'tasks' | 'directives' | 'rectifications'>[];
  userId?: string | null;
}

declare module '../../platform/events.ts' {
  interface DomainEvents {
    'lists.changed': ListsChange;
  }
}
