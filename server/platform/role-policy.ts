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
  if (a.granter !== 'cli' && a.targetId !== null && a.granter.userId === a.targetId)
    problems.push('不能给自己授予或调整角色');
  // Only the county's account managers hand out privileged roles; an organization administrator grants ordinary ones in its subtree.
  if (
    a.granter !== 'cli' &&
    !a.granter.roles.some((r) => r === 'countyAdmin' || r === 'securityAdmin') &&
    isPrivileged(a.roles)
  ) {
    problems.push('只有县级管理员或安全管理员可以设置县级管理员、安全管理员、审计员账号');
  }
  if (violatesSeparation(a.roles)) problems.push('系统管理、安全管理、审计三类角色不能由同一账号兼任（三员分立）');
  if (has('countyAdmin') && a.org.depth !== 0) problems.push('县级管理员只能设在县委');
  if (has('securityAdmin') && a.org.depth !== 0) problems.push('安全管理员只能设在县委');
  if (has('auditor') && a.org.depth !== 0) problems.push('审计员只能设在县委');
  if (has('branchSecretary') && !BRANCH_KINDS.has(a.org.kind)) problems.push('支部书记账号应设在党支部');
  if (has('orgAdmin') && a.org.kind === 'partyGroup') problems.push('党小组不设党组织管理员');
  if (has('firstSecretary') && a.org.kind === 'partyGroup')
    problems.push('第一书记账号应设在所驻的村（社区）或组织，不设在党小组');
  if (has('firstSecretary') && a.roles.length > 1) problems.push('第一书记账号只用于本人驻村工作，不与其他角色兼用');
  return problems;
}

/** What a change does to an existing account (SEC-34): each is checked by `accountChangeProblems`. */
export type AccountChange = 'roles' | 'org' | 'profile' | 'password' | 'secondFactor' | 'disabled' | 'unlock';

/** Chinese names of the changes, for the refusal's message. */
const CHANGE_NAMES: Record<AccountChange, string> = {
  roles: '调整角色',
  org: '调整所属组织',
  profile: '修改姓名',
  password: '重置密码',
  secondFactor: '重置两步验证',
  disabled: '停用或启用',
  unlock: '解除锁定',
};

/** The county's account managers: the only granters who may touch a privileged account. */
function managesPrivileged(granter: Granter): boolean {
  return granter === 'cli' || granter.roles.some((r) => r === 'countyAdmin' || r === 'securityAdmin');
}

/**
 * Everything wrong with `granter` making `changes` to an existing account that holds `targetRoles`,
 * in Chinese; empty when allowed (SEC-34). Every change to an account's credentials or state goes
 * through here, not only a new role set: a county administrator, security administrator or auditor
 * account is changed only by a county administrator or security administrator (or the operator at
 * the console), whatever the change. Placement of a new role set is `roleAssignmentProblems`'s.
 */
export function accountChangeProblems(a: {
  granter: Granter;
  targetId: string;
  targetRoles: readonly string[];
  changes: readonly AccountChange[];
}): string[] {
  if (!a.changes.length) return [];
  const problems: string[] = [];
  if (a.granter !== 'cli' && a.granter.userId === a.targetId && a.changes.some((c) => c !== 'profile'))
    problems.push('不能修改自己的角色、所属组织、密码、两步验证或停用自己的账号');
  if (isPrivileged(a.targetRoles) && !managesPrivileged(a.granter)) {
    problems.push(
      `只有县级管理员或安全管理员可以对县级管理员、安全管理员、审计员账号${a.changes.map((c) => CHANGE_NAMES[c]).join('、')}`,
    );
  }
  return problems;
}

/** Changes that need a second person in level3 when the account is or becomes privileged (all but the name). */
export function dualControlChange(changes: readonly AccountChange[]): 'roles' | 'credentials' | 'other' {
  if (changes.includes('roles') || changes.includes('org')) return 'roles';
  if (changes.some((c) => c !== 'profile')) return 'credentials';
  return 'other';
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
