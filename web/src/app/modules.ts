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

/** The first module in the menu this user may open. */
export function homePath(permissions: readonly string[]): string {
  return MENU.find((e) => allows(permissions, e.perm))?.path ?? '/welcome';
}
