/**
 * Who holds what, per role and security profile (SEC-7, SEC-10). Written down once by hand, so that
 * moving permissions into module manifests (or adding a module) cannot silently widen a role.
 */
import { describe, expect, it } from 'vitest';
import { permissionsFor, ROLES } from './permissions.ts';

const EXPECTED: Record<'default' | 'level3', Record<string, string[]>> = {
  default: {
    countyAdmin: [
      'orgs.read',
      'orgs.write',
      'members.read',
      'members.write',
      'members.reveal',
      'members.import',
      'members.export',
      'users.read',
      'users.manage',
      'meetings.read',
      'meetings.write',
      'problems.read',
      'problems.run',
      'problems.settings',
      'lists.read',
      'lists.issue',
      'lists.work',
      'lists.review',
      'lists.inspect',
      'showroom.read',
      'showroom.review',
      'system.jobs',
    ],
    orgAdmin: [
      'orgs.read',
      'orgs.write',
      'members.read',
      'members.write',
      'members.reveal',
      'members.import',
      'members.export',
      'users.read',
      'users.manage',
      'meetings.read',
      'meetings.write',
      'problems.read',
      'lists.read',
      'lists.issue',
      'lists.work',
      'lists.review',
      'lists.inspect',
      'showroom.read',
      'showroom.write',
      'showroom.answer',
    ],
    branchSecretary: [
      'orgs.read',
      'members.read',
      'members.write',
      'members.reveal',
      'meetings.read',
      'meetings.write',
      'problems.read',
      'lists.read',
      'lists.work',
      'lists.review',
      'showroom.read',
      'showroom.write',
      'showroom.answer',
    ],
    leader: ['orgs.read', 'members.read', 'meetings.read', 'problems.read', 'lists.read', 'showroom.read'],
    securityAdmin: ['users.read', 'users.manage', 'system.jobs'],
    auditor: ['audit.read'],
  },
  level3: {
    countyAdmin: [
      'orgs.read',
      'orgs.write',
      'members.read',
      'members.write',
      'members.reveal',
      'members.import',
      'members.export',
      'users.approve',
      'meetings.read',
      'meetings.write',
      'problems.read',
      'problems.run',
      'problems.settings',
      'lists.read',
      'lists.issue',
      'lists.work',
      'lists.review',
      'lists.inspect',
      'showroom.read',
      'showroom.review',
      'system.jobs',
    ],
    orgAdmin: [
      'orgs.read',
      'orgs.write',
      'members.read',
      'members.write',
      'members.reveal',
      'members.import',
      'members.export',
      'meetings.read',
      'meetings.write',
      'problems.read',
      'lists.read',
      'lists.issue',
      'lists.work',
      'lists.review',
      'lists.inspect',
      'showroom.read',
      'showroom.write',
      'showroom.answer',
    ],
    branchSecretary: [
      'orgs.read',
      'members.read',
      'members.write',
      'members.reveal',
      'meetings.read',
      'meetings.write',
      'problems.read',
      'lists.read',
      'lists.work',
      'lists.review',
      'showroom.read',
      'showroom.write',
      'showroom.answer',
    ],
    leader: ['orgs.read', 'members.read', 'meetings.read', 'problems.read', 'lists.read', 'showroom.read'],
    securityAdmin: ['users.read', 'users.manage', 'users.approve', 'system.jobs'],
    auditor: ['audit.read'],
  },
};

describe('permissions by role', () => {
  for (const profile of ['default', 'level3'] as const) {
    for (const role of ROLES) {
      it(`${profile}: ${role}`, () => {
        const got = [...permissionsFor([role], profile)].sort();
        expect(got).toEqual(['authenticated', ...EXPECTED[profile][role]].sort());
      });
    }
  }
  it('an unknown role holds nothing beyond being signed in', () => {
    expect([...permissionsFor(['superuser'], 'default')]).toEqual(['authenticated']);
  });
});
