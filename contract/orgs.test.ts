import { describe, expect, it } from 'vitest';
import { defaultChildKind } from './orgs.ts';

describe('新建下级组织 default kind', () => {
  it('proposes 党支部 under a township committee, a working committee and a general branch', () => {
    expect(defaultChildKind({ kind: 'committee', depth: 1 })).toBe('branch');
    expect(defaultChildKind({ kind: 'workingCommittee', depth: 1 })).toBe('branch');
    expect(defaultChildKind({ kind: 'generalBranch', depth: 2 })).toBe('branch');
  });
  it('proposes 党委 under the county committee, 党小组 under a branch, nothing under a group', () => {
    expect(defaultChildKind({ kind: 'committee', depth: 0 })).toBe('committee');
    expect(defaultChildKind({ kind: 'branch', depth: 2 })).toBe('partyGroup');
    expect(defaultChildKind({ kind: 'partyGroup', depth: 3 })).toBeUndefined();
  });
});
