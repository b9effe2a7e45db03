import { ROLE_CODES, ROLE_LABELS } from '../../contract/labels.ts';
import { type Permission, PLATFORM_PERMISSIONS } from '../../contract/modules/index.ts';
import type { Holders, PermissionDecl } from '../modules/module.ts';
import { MODULES } from '../modules/registry.ts';

/** Roles and permissions (SEC-7, SEC-10). Every route names one of these; startup fails otherwise. */
export const ROLES = ROLE_CODES;
export type Role = (typeof ROLES)[number];
export { ROLE_LABELS };

/** The platform's own permissions and the modules' (contract/modules/index.ts: the web app reads the same type). */
export type { Permission };

/** Every permission with its Chinese name: the platform's two and those the modules declare. */
export const PERMISSION_LABELS: Readonly<Record<Permission, string>> = Object.assign(
  { ...PLATFORM_PERMISSIONS },
  ...MODULES.map((m) =>
    Object.fromEntries(
      Object.entries(('permissions' in m ? m.permissions : {}) as Record<string, PermissionDecl>).map(([k, v]) => [
        k,
        v.label,
      ]),
    ),
  ),
);
export const PERMISSIONS = Object.keys(PERMISSION_LABELS) as Permission[];

const HOLDERS: [Permission, Holders][] = MODULES.flatMap((m) =>
  Object.entries(('permissions' in m ? m.permissions : {}) as Record<string, PermissionDecl>).map(
    ([k, v]) => [k as Permission, v.roles] as [Permission, Holders],
  ),
);

/** What an account with these roles may do in this security profile: read off the module manifests. */
export function permissionsFor(roles: readonly string[], profile: 'default' | 'level3'): Set<Permission> {
  const out = new Set<Permission>(['authenticated']);
  for (const [perm, holders] of HOLDERS) {
    const list: readonly string[] = Array.isArray(holders)
      ? holders
      : (holders as { default: readonly string[]; level3: readonly string[] })[profile];
    if (roles.some((r) => list.includes(r))) out.add(perm);
  }
  return out;
}

/** Three-way separation (三员分立): these groups never share an account. */
export const SEPARATED_GROUPS: Role[][] = [
  ['countyAdmin', 'orgAdmin', 'branchSecretary', 'leader', 'firstSecretary'],
  ['securityAdmin'],
  ['auditor'],
];

export function violatesSeparation(roles: readonly string[]): boolean {
  const groups = SEPARATED_GROUPS.filter((g) => g.some((r) => roles.includes(r)));
  return groups.length > 1;
}

/** Roles that must use a second factor in the level3 profile (SEC-5): the administrators and the auditor. */
export const TOTP_REQUIRED_ROLES: ReadonlySet<string> = new Set([
  'countyAdmin',
  'orgAdmin',
  'securityAdmin',
  'auditor',
]);
