/**
 * The menu, the pages and the home page of the signed-in app, read from the modules' declarations
 * (contract/modules/): the same source the server's manifests take permissions and labels from.
 */
import type { MenuEntry, ModuleDecl, PageDecl } from '../../../contract/module.ts';
import { MODULE_DECLS } from '../../../contract/modules/index.ts';

const mods = MODULE_DECLS as readonly ModuleDecl[];

/** Menu entries of every module, in menu order. */
export const MENU: readonly MenuEntry[] = mods.flatMap((m) => m.menu ?? []).sort((a, b) => a.order - b.order);

/** Pages of every module (paths below the signed-in shell). */
export const PAGES: readonly PageDecl[] = mods.flatMap((m) => m.pages ?? []);

/** Whether the permissions allow any of `perm` (a missing requirement allows every signed-in user). */
export function allows(permissions: readonly string[], perm: string | readonly string[] | undefined): boolean {
  if (perm === undefined) return true;
  return [perm].flat().some((p) => permissions.includes(p));
}

/** Roles whose scope is one branch: they land on what is due there (待办, issue 18 §3). */
const BRANCH_ROLES: readonly string[] = ['branchSecretary'];
const DUE_PATH = '/todo';

type UserRoles = { permissions: readonly string[]; roles: readonly string[] };

/** Whether every role of the user is scoped to one branch (a secretary). */
export function isBranchOnly(user: Pick<UserRoles, 'roles'> | null | undefined): boolean {
  return !!user && user.roles.length > 0 && user.roles.every((r) => BRANCH_ROLES.includes(r));
}

/** The menu of this user: the entries their permissions open; 待办 only for a branch's own roles (a county's is its problem list). */
export function menuFor(user: UserRoles | null | undefined): MenuEntry[] {
  return MENU.filter((e) => allows(user?.permissions ?? [], e.perm) && (e.path !== DUE_PATH || isBranchOnly(user)));
}

/** The page a user lands on: a branch secretary on 待办, everyone else on the first module in the menu they may open. */
export function homePath(user: UserRoles): string {
  const menu = menuFor(user);
  return (menu.find((e) => e.path === DUE_PATH) ?? menu[0])?.path ?? '/welcome';
}
