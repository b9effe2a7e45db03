/** API shapes, taken from the shared contract (types only; nothing of zod reaches the bundle from here). */
import type { z } from 'zod';
import type { importResult, memberDetail, MemberView } from '../../../contract/members.ts';
import type { OrgChild, OrgDetail, OrgSummary } from '../../../contract/orgs.ts';
import type { accountRequestView, auditView, me, pendingRequest, userView } from '../../../contract/users.ts';

export type { MemberView, OrgChild, OrgDetail, OrgSummary };
export type MemberDetail = z.infer<typeof memberDetail>;
export type ImportResult = z.infer<typeof importResult>;
export type Me = z.infer<typeof me>;
export type UserView = z.infer<typeof userView>;
export type AuditView = z.infer<typeof auditView>;
export type AccountRequest = z.infer<typeof accountRequestView>;
export type PendingRequest = z.infer<typeof pendingRequest>;
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}
