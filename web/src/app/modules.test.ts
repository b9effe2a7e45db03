import { describe, expect, it } from 'vitest';
import { homePath, menuFor } from './modules.ts';

const SECRETARY = ['orgs.read', 'members.read', 'meetings.read', 'meetings.write', 'problems.read'];

describe('where each role lands (issue 18 §3)', () => {
  it('lands a branch secretary on what is due, first in the menu', () => {
    const user = { roles: ['branchSecretary'], permissions: SECRETARY };
    expect(homePath(user)).toBe('/todo');
    expect(menuFor(user)[0]?.label).toBe('待办');
  });

  it('keeps everyone else where they landed, without 待办 in their menu', () => {
    for (const roles of [['countyAdmin'], ['leader'], ['orgAdmin'], ['branchSecretary', 'orgAdmin']]) {
      const user = { roles, permissions: [...SECRETARY, 'users.read'] };
      expect(homePath(user)).toBe('/orgs');
      expect(menuFor(user).map((e) => e.path)).not.toContain('/todo');
    }
    expect(homePath({ roles: ['auditor'], permissions: ['audit.read'] })).toBe('/audit');
  });
});
