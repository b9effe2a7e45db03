import { describe, expect, it } from 'vitest';
import { cardNotes, type PostRow } from './checks.ts';

const post = (p: string, extra: Partial<PostRow> = {}): PostRow => ({
  post: p,
  memberId: 'm',
  personName: '某',
  vacantSince: null,
  ...extra,
});
const branch = { kind: 'branch', status: 'active' };

describe('the card’s own notes (never problems; ORG-2/4/5/6 are the engine’s findings)', () => {
  it('ORG-1: a branch above the size a branch normally has', () => {
    expect(cardNotes(branch, [], '2026-11-27', { branchMaxMembers: 50, totalMembers: 51 })).toEqual([
      { rule: 'ORG-1', level: 'info', message: '党员 51 名，超过 50 名，可考虑设立党总支或分设支部' },
    ]);
    expect(cardNotes(branch, [], '2026-11-27', { branchMaxMembers: 50, totalMembers: 50 })).toEqual([]);
  });

  it('ORG-5: a post other than the secretary’s left vacant, for how long (the secretary’s vacancy is the engine’s)', () => {
    const posts = [
      post('organizationMember', { memberId: null, personName: null, vacantSince: '2026-06-15' }),
      post('secretary', { memberId: null, personName: null, vacantSince: '2026-06-15' }),
    ];
    expect(cardNotes(branch, posts, '2026-11-27', { branchMaxMembers: 50, totalMembers: 3 })).toEqual([
      { rule: 'ORG-5', level: 'info', message: '组织委员空缺 5 个月（自 2026-06-15）' },
    ]);
  });

  it('nothing for a dissolved organization or a Party group', () => {
    expect(
      cardNotes({ kind: 'branch', status: 'dissolved' }, [], '2026-11-27', { branchMaxMembers: 1, totalMembers: 9 }),
    ).toEqual([]);
    expect(
      cardNotes({ kind: 'partyGroup', status: 'active' }, [], '2026-11-27', { branchMaxMembers: 1, totalMembers: 9 }),
    ).toEqual([]);
  });
});
