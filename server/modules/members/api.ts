/**
 * What the members module offers other modules (issue 17 §1: a module's public face): the events it
 * announces and the sealed columns the demo seed writes. Nothing else of this folder is imported from outside it.
 */
export { sealedColumns } from './service.ts';

/** Payload of `members.changed`: members created, moved to another organization, or whose category or contact state changed. */
export interface MemberChange {
  countyCode: string;
  memberIds: string[];
  /** Their organizations before and after the change. */
  orgIds: string[];
  change: 'created' | 'transferred' | 'updated' | 'imported';
  /** Asia/Shanghai dates the change reaches (a join or full-member date moved, a membership status from its decision): every period from the earliest is re-checked. */
  dates?: string[];
  userId?: string | null;
}

declare module '../../platform/events.ts' {
  interface DomainEvents {
    'members.changed': MemberChange;
  }
}
