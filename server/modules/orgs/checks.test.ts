import { describe, expect, it } from 'vitest';
import { orgWarnings, type PostRow } from './checks.ts';

const today = new Date('2026-11-27T00:00:00Z');
const settings = { secretaryVacantMonths: 3, branchMaxMembers: 50, totalMembers: 20 };
const post = (p: string, extra: Partial<PostRow> = {}): PostRow => ({ post: p, memberId: 'm', personName: '某', startDate: '2022-01-01', termEnd: null, vacantSince: null, ...extra });

describe('organization warnings', () => {
  it('ORG-2: ≥7 full members need a committee of 3–5 with the four posts', () => {
    const w = orgWarnings({ kind: 'branch', termEnd: null, status: 'active' }, 9, [post('secretary')], today, settings);
    expect(w.map((x) => x.rule)).toEqual(['ORG-2']);
    const full = [post('secretary'), post('organizationMember'), post('propagandaMember'), post('disciplineMember')];
    expect(orgWarnings({ kind: 'branch', termEnd: null, status: 'active' }, 9, full, today, settings)).toEqual([]);
    expect(orgWarnings({ kind: 'branch', termEnd: null, status: 'active' }, 5, [post('secretary')], today, settings)).toEqual([]);
  });

  it('ORG-4 and ORG-5: expired term; secretary vacant for months, a weak-organization signal past the setting', () => {
    const w = orgWarnings({ kind: 'branch', termEnd: '2026-01-01', status: 'active' }, 4, [post('secretary', { memberId: null, personName: null, vacantSince: '2026-06-15' })], today, settings);
    expect(w.map((x) => x.rule)).toEqual(['ORG-4', 'ORG-5']);
    expect(w[1].message).toBe('书记空缺 5 个月（自 2026-06-15），超过 3 个月，属软弱涣散信号');
  });

  it('ORG-6: a secretary with under a year of standing', () => {
    const w = orgWarnings({ kind: 'branch', termEnd: null, status: 'active' }, 4, [post('secretary', { secretaryFullDate: '2026-05-01', secretaryStanding: 'full' })], today, settings);
    expect(w.map((x) => x.rule)).toEqual(['ORG-6']);
  });
});
