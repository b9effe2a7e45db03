/**
 * Role assignment policy (SEC-10): which roles may sit on which organization, who may grant them,
 * and which changes need a second person in the level3 profile. One pure module used by
 * `POST /api/users`, `PATCH /api/users/:id`, the approval of a pending request and the CLI.
 */
import { violatesSeparation } from './permissions.ts';

/** Kinds of organization a branch secretary account belongs to. */
export const BRANCH_KINDS: ReadonlySet<string> = new Set(['branch', 'jointBranch', 'temporaryBranch', 'generalBranch']);

/** Roles whose holders can read everything or control accounts or the audit trail: changes to them need dual control in level3. */
export const PRIVILEGED_ROLES: ReadonlySet<string> = new Set(['countyAdmin', 'securityAdmin', 'auditor']);

/** Who grants: a signed-in user (by id and roles) or the server operator at the console. */
export type Granter = { userId: string; roles: readonly string[] } | 'cli';

export interface RoleAssignment {
  granter: Granter;
  /** The account that receives the roles; null when it is being created. */
  targetId: string | null;
  /** The full role set the account will hold. */
  roles: readonly string[];
  /** Where the account sits (after a move, the new organization). */
  org: { depth: number; kind: string };
}

/** Everything wrong with giving `roles` to an account on `org`, in Chinese; empty when allowed. */
export function roleAssignmentProblems(a: RoleAssignment): string[] {
  const problems: string[] = [];
  const has = (r: string) => a.roles.includes(r);
  if (a.granter !== 'cli' && a.targetId !== null && a.granter.userId === a.targetId) problems.push('不能给自己授予或调整角色');
  // Only the county's account managers hand out privileged roles; an organization administrator grants ordinary ones in its subtree.
  if (a.granter !== 'cli' && !a.granter.roles.some((r) => r === 'countyAdmin' || r === 'securityAdmin') && isPrivileged(a.roles)) {
    problems.push('只有县级管理员或安全管理员可以设置县级管理员、安全管理员、审计员账号');
  }
  if (violatesSeparation(a.roles)) problems.push('系统管理、安全管理、审计三类角色不能由同一账号兼任（三员分立）');
  if (has('countyAdmin') && a.org.depth !== 0) problems.push('县级管理员只能设在县委');
  if (has('securityAdmin') && a.org.depth !== 0) problems.push('安全管理员只能设在县委');
  if (has('auditor') && a.org.depth !== 0) problems.push('审计员只能设在县委');
  if (has('branchSecretary') && !BRANCH_KINDS.has(a.org.kind)) problems.push('支部书记账号应设在党支部');
  if (has('orgAdmin') && a.org.kind === 'partyGroup') problems.push('党小组不设党组织管理员');
  return problems;
}

export function isPrivileged(roles: readonly string[]): boolean {
  return roles.some((r) => PRIVILEGED_ROLES.has(r));
}

/**
 * level3 dual control: creating a privileged account, changing the roles of an account that holds
 * or will hold a privileged role, or resetting its password or second factor, waits for a second
 * person's approval. The operator at the console is that person's fallback and acts directly.
 */
export function needsDualControl(p: {
  profile: 'default' | 'level3';
  granter: Granter;
  rolesBefore: readonly string[] | null;
  rolesAfter: readonly string[];
  change: 'create' | 'roles' | 'credentials' | 'other';
}): boolean {
  if (p.profile !== 'level3' || p.granter === 'cli' || p.change === 'other') return false;
  return isPrivileged(p.rolesAfter) || (p.rolesBefore !== null && isPrivileged(p.rolesBefore));
}
