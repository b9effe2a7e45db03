/**
 * What the organizations module offers other modules (issue 17 §1: a module's public face): the
 * events it announces, organization names for pickers, and the county-name and initials helpers the
 * demo seed and the login page's county list use. Nothing else of this folder is imported from outside it.
 */
export { countyNameFor, countyNameOf, distinctiveName, orgInitials } from './initials.ts';
export { orgNames } from './service.ts';

/** Payload of `orgs.changed`: an organization founded, renamed, moved, merged or dissolved, or a change of its posts. */
export interface OrgChange {
  countyCode: string;
  /** The organizations whose standing changed (a merge names both). */
  orgIds: string[];
  change: 'founded' | 'updated' | 'moved' | 'merged' | 'dissolved' | 'posts';
  /** Asia/Shanghai dates whose periods the change reaches (a post's start, a dissolution date); today is always re-checked. */
  dates: string[];
  userId?: string | null;
}

declare module '../../platform/events.ts' {
  interface DomainEvents {
    'orgs.changed': OrgChange;
  }
}
