import { ROLE_CODES, ROLE_LABELS } from '../../contract/users.ts';

/** Roles and permissions (SEC-7, SEC-10). Every route names one of these; startup fails otherwise. */
export const ROLES = ROLE_CODES;
export type Role = (typeof ROLES)[number];
export { ROLE_LABELS };

export const PERMISSIONS = [
  'public',
  'authenticated',
  'orgs.read',
  'orgs.write',
  'members.read',
  'members.write',
  'members.reveal',
  'members.import',
  'members.export',
  'users.read',
  'users.manage',
  /** level3 dual control: approve or refuse another person's request touching a privileged account. */
  'users.approve',
  'audit.read',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const BUSINESS_READ: Permission[] = ['orgs.read', 'members.read'];

export function permissionsFor(roles: readonly string[], profile: 'default' | 'level3'): Set<Permission> {
  const out = new Set<Permission>(['authenticated']);
  for (const r of roles) {
    switch (r) {
      case 'countyAdmin':
        for (const p of [...BUSINESS_READ, 'orgs.write', 'members.write', 'members.reveal', 'members.import', 'members.export'] as Permission[]) out.add(p);
        // Default profile: the county administrator also manages accounts; level3 moves this to the security administrator.
        if (profile === 'default') {
          out.add('users.read');
          out.add('users.manage');
        } else out.add('users.approve'); // the second person for the security administrator's requests (SEC-10)
        break;
      case 'orgAdmin':
        for (const p of [...BUSINESS_READ, 'orgs.write', 'members.write', 'members.reveal', 'members.import', 'members.export'] as Permission[]) out.add(p);
        // Default profile: a township's administrator rolls out and manages the accounts of its own subtree
        // (ordinary roles only, role-policy.ts); level3 keeps account management with the security administrator.
        if (profile === 'default') {
          out.add('users.read');
          out.add('users.manage');
        }
        break;
      case 'branchSecretary':
        for (const p of [...BUSINESS_READ, 'members.write', 'members.reveal'] as Permission[]) out.add(p);
        break;
      case 'leader':
        for (const p of BUSINESS_READ) out.add(p);
        break;
      case 'securityAdmin':
        out.add('users.read');
        out.add('users.manage');
        if (profile === 'level3') out.add('users.approve');
        break;
      case 'auditor':
        out.add('audit.read');
        break;
    }
  }
  return out;
}

/** Three-way separation (三员分立): these groups never share an account. */
export const SEPARATED_GROUPS: Role[][] = [['countyAdmin', 'orgAdmin', 'branchSecretary', 'leader'], ['securityAdmin'], ['auditor']];

export function violatesSeparation(roles: readonly string[]): boolean {
  const groups = SEPARATED_GROUPS.filter((g) => g.some((r) => roles.includes(r)));
  return groups.length > 1;
}

/** Roles that must use a second factor in the level3 profile (SEC-5): the administrators and the auditor. */
export const TOTP_REQUIRED_ROLES: ReadonlySet<string> = new Set(['countyAdmin', 'orgAdmin', 'securityAdmin', 'auditor']);
