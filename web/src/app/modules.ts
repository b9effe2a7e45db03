/**
 * The menu, the pages and the home page of the signed-in app, read from the module manifests
 * (server/modules/registry.ts): the same source the server takes permissions and labels from.
 */
import type { MenuEntry, ModuleManifest, PageDecl } from '../../../server/modules/module.ts';
import { MODULES } from '../../../server/modules/registry.ts';

const mods = MODULES as readonly ModuleManifest[];

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
