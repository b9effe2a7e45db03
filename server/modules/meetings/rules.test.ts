import { describe, expect, it } from 'vitest';
import { MEETING_KINDS } from '../../../contract/meetings.ts';
import {
  addMonths,
  chairWarning,
  excellentWarning,
  kindFitsOrg,
  MEETING_KIND_ORG_KINDS,
  shanghaiDate,
} from './rules.ts';

describe('meeting rules', () => {
  it('every kind has its organizations; groups hold only group meetings', () => {
    for (const k of MEETING_KINDS) expect(MEETING_KIND_ORG_KINDS[k].length).toBeGreaterThan(0);
    expect(kindFitsOrg('groupMeeting', 'partyGroup')).toBe(true);
    expect(kindFitsOrg('groupMeeting', 'branch')).toBe(false);
    expect(kindFitsOrg('branchMeeting', 'partyGroup')).toBe(false);
    expect(kindFitsOrg('specialMeeting', 'branch')).toBe(false);
    expect(kindFitsOrg('specialMeeting', 'committee')).toBe(true);
    expect(kindFitsOrg('committeeMeeting', 'committee')).toBe(true);
    expect(kindFitsOrg('themedDay', 'committee')).toBe(false);
  });

  it('held_on is the Shanghai date (UTC+8, no DST)', () => {
    expect(shanghaiDate('2026-03-31T16:30:00Z')).toBe('2026-04-01');
    expect(shanghaiDate('2026-04-01T00:10:00+08:00')).toBe('2026-04-01');
    expect(shanghaiDate('2026-07-15T23:59:00+08:00')).toBe('2026-07-15');
  });

  it('LIFE-10 chair', () => {
    const leaders = { secretaries: ['s'], groupLeaders: [] };
    expect(chairWarning('branchMeeting', { memberId: 's', name: null, delegation: null }, leaders)).toBeNull();
    expect(chairWarning('branchMeeting', { memberId: 'x', name: null, delegation: null }, leaders)?.code).toBe(
      'CHAIR_NOT_SECRETARY',
    );
    expect(
      chairWarning('branchMeeting', { memberId: 'x', name: null, delegation: '书记外出，委托副书记主持' }, leaders),
    ).toBeNull();
    expect(chairWarning('groupMeeting', { memberId: 'x', name: null, delegation: null }, leaders)).toBeNull();
    expect(
      chairWarning(
        'groupMeeting',
        { memberId: 'x', name: null, delegation: null },
        { secretaries: [], groupLeaders: ['g'] },
      )?.code,
    ).toBe('CHAIR_NOT_SECRETARY');
    expect(chairWarning('heartTalk', { memberId: 'x', name: null, delegation: null }, leaders)).toBeNull();
  });

  it('excellent share, months', () => {
    expect(excellentWarning(1, 3, [1, 3])).toBeNull();
    expect(excellentWarning(2, 3, [1, 3])?.code).toBe('EXCELLENT_OVER_LIMIT');
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2026-12-15', 12)).toBe('2027-12-15');
  });
});
