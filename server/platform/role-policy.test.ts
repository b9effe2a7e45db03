import { describe, expect, it } from 'vitest';
import { accountChangeProblems, dualControlChange, needsDualControl, roleAssignmentProblems } from './role-policy.ts';

const county = { depth: 0, kind: 'committee' };
const town = { depth: 1, kind: 'committee' };
const branch = { depth: 2, kind: 'branch' };
const group = { depth: 3, kind: 'partyGroup' };
const sec = { userId: 's', roles: ['securityAdmin'] };

describe('roleAssignmentProblems (SEC-10)', () => {
  it('allows ordinary placements', () => {
    expect(roleAssignmentProblems({ granter: sec, targetId: null, roles: ['countyAdmin'], org: county })).toEqual([]);
    expect(roleAssignmentProblems({ granter: sec, targetId: 'u', roles: ['orgAdmin'], org: town })).toEqual([]);
    expect(
      roleAssignmentProblems({ granter: sec, targetId: 'u', roles: ['branchSecretary', 'leader'], org: branch }),
    ).toEqual([]);
    expect(roleAssignmentProblems({ granter: sec, targetId: 'u', roles: ['leader'], org: group })).toEqual([]);
    expect(roleAssignmentProblems({ granter: 'cli', targetId: null, roles: ['auditor'], org: county })).toEqual([]);
  });

  it('keeps county roles on the county committee, for every granter including the CLI', () => {
    for (const granter of [sec, 'cli'] as const)
      for (const role of ['countyAdmin', 'securityAdmin', 'auditor']) {
        const p = roleAssignmentProblems({ granter, targetId: null, roles: [role], org: town });
        expect(p, role).toHaveLength(1);
        expect(p[0]).toMatch(/只能设在县委/);
      }
  });

  it('puts branch secretaries on branches and no organization administrator on a Party group', () => {
    expect(roleAssignmentProblems({ granter: sec, targetId: null, roles: ['branchSecretary'], org: town })[0]).toMatch(
      /党支部/,
    );
    expect(roleAssignmentProblems({ granter: 'cli', targetId: null, roles: ['orgAdmin'], org: group })[0]).toMatch(
      /党小组/,
    );
    expect(
      roleAssignmentProblems({
        granter: sec,
        targetId: null,
        roles: ['branchSecretary'],
        org: { depth: 2, kind: 'generalBranch' },
      }),
    ).toEqual([]);
  });

  it('keeps three-way separation and refuses self-grants', () => {
    expect(
      roleAssignmentProblems({ granter: 'cli', targetId: null, roles: ['countyAdmin', 'auditor'], org: county })[0],
    ).toMatch(/三员分立/);
    expect(roleAssignmentProblems({ granter: sec, targetId: 's', roles: ['securityAdmin'], org: county })[0]).toMatch(
      /自己/,
    );
  });
});

describe('needsDualControl (SEC-10, level3)', () => {
  it('asks for a second person when a privileged account is created, granted, taken away or reset', () => {
    const base = { profile: 'level3' as const, granter: sec };
    expect(needsDualControl({ ...base, rolesBefore: null, rolesAfter: ['countyAdmin'], change: 'create' })).toBe(true);
    expect(needsDualControl({ ...base, rolesBefore: ['leader'], rolesAfter: ['countyAdmin'], change: 'roles' })).toBe(
      true,
    );
    expect(
      needsDualControl({ ...base, rolesBefore: ['auditor'], rolesAfter: ['auditor'], change: 'credentials' }),
    ).toBe(true);
    expect(needsDualControl({ ...base, rolesBefore: ['countyAdmin'], rolesAfter: ['leader'], change: 'roles' })).toBe(
      true,
    );
    expect(needsDualControl({ ...base, rolesBefore: ['leader'], rolesAfter: ['orgAdmin'], change: 'roles' })).toBe(
      false,
    );
    expect(
      needsDualControl({ ...base, rolesBefore: ['countyAdmin'], rolesAfter: ['countyAdmin'], change: 'other' }),
    ).toBe(false);
  });
  it('not in the default profile, and not for the operator at the console', () => {
    expect(
      needsDualControl({
        profile: 'default',
        granter: sec,
        rolesBefore: null,
        rolesAfter: ['countyAdmin'],
        change: 'create',
      }),
    ).toBe(false);
    expect(
      needsDualControl({
        profile: 'level3',
        granter: 'cli',
        rolesBefore: null,
        rolesAfter: ['countyAdmin'],
        change: 'create',
      }),
    ).toBe(false);
  });
});

describe('accountChangeProblems (SEC-34)', () => {
  const orgAdmin = { userId: 'o', roles: ['orgAdmin'] };
  const admin = { userId: 'a', roles: ['countyAdmin'] };
  const every = ['password', 'secondFactor', 'disabled', 'unlock', 'profile', 'roles', 'org'] as const;
  it('lets only the county’s account managers touch a privileged account, whatever the change', () => {
    for (const role of ['countyAdmin', 'securityAdmin', 'auditor'])
      for (const change of every) {
        expect(
          accountChangeProblems({ granter: orgAdmin, targetId: 'x', targetRoles: [role], changes: [change] }),
          `${role} ${change}`,
        ).toHaveLength(1);
        expect(
          accountChangeProblems({ granter: admin, targetId: 'x', targetRoles: [role], changes: [change] }),
        ).toEqual([]);
        expect(accountChangeProblems({ granter: sec, targetId: 'x', targetRoles: [role], changes: [change] })).toEqual(
          [],
        );
        expect(
          accountChangeProblems({ granter: 'cli', targetId: 'x', targetRoles: [role], changes: [change] }),
        ).toEqual([]);
      }
    expect(
      accountChangeProblems({ granter: orgAdmin, targetId: 'x', targetRoles: ['branchSecretary'], changes: every }),
    ).toEqual([]);
  });
  it('refuses changes to one’s own account except the name', () => {
    expect(
      accountChangeProblems({ granter: admin, targetId: 'a', targetRoles: ['countyAdmin'], changes: ['unlock'] })[0],
    ).toMatch(/自己/);
    expect(
      accountChangeProblems({ granter: admin, targetId: 'a', targetRoles: ['countyAdmin'], changes: ['profile'] }),
    ).toEqual([]);
  });
  it('asks for a second person for every state change but the name', () => {
    expect(dualControlChange(['disabled'])).toBe('credentials');
    expect(dualControlChange(['unlock'])).toBe('credentials');
    expect(dualControlChange(['profile'])).toBe('other');
    expect(dualControlChange(['roles', 'password'])).toBe('roles');
  });
});
