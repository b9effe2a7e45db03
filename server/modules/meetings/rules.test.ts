import { describe, expect, it } from 'vitest';
import { MEETING_KINDS } from '../../../contract/meetings.ts';
import { addMonths, captureWarning, chairWarning, dHash, excellentWarning, exifInstant, hamming, informativeHash, kindFitsOrg, MEETING_KIND_ORG_KINDS, minutesParagraphs, quorum, sanitizeMinutes, shanghaiDate } from './rules.ts';

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

  it('EXIF local time without an offset is Shanghai time', () => {
    expect(exifInstant('2026:03:02 10:00:00')?.toISOString()).toBe('2026-03-02T02:00:00.000Z');
    expect(exifInstant('2026:03:02 10:00:00', '+00:00')?.toISOString()).toBe('2026-03-02T10:00:00.000Z');
    expect(exifInstant('0000:00:00 00:00:00')).toBeNull();
    expect(exifInstant(undefined)).toBeNull();
  });

  it('LIFE-2 quorum: more than half', () => {
    expect(quorum(5, 3).valid).toBe(true);
    const q = quorum(5, 2);
    expect(q.valid).toBe(false);
    expect(q.warning?.message).toContain('应到 5 人、实到 2 人');
    expect(quorum(4, 2).valid).toBe(false);
    expect(quorum(0, 0)).toMatchObject({ valid: false, warning: { code: 'QUORUM_NOT_MET' } });
  });

  it('LIFE-10 chair', () => {
    const leaders = { secretaries: ['s'], groupLeaders: [] };
    expect(chairWarning('branchMeeting', { memberId: 's', name: null, delegation: null }, leaders)).toBeNull();
    expect(chairWarning('branchMeeting', { memberId: 'x', name: null, delegation: null }, leaders)?.code).toBe('CHAIR_NOT_SECRETARY');
    expect(chairWarning('branchMeeting', { memberId: 'x', name: null, delegation: '书记外出，委托副书记主持' }, leaders)).toBeNull();
    expect(chairWarning('groupMeeting', { memberId: 'x', name: null, delegation: null }, leaders)).toBeNull();
    expect(chairWarning('groupMeeting', { memberId: 'x', name: null, delegation: null }, { secretaries: [], groupLeaders: ['g'] })?.code).toBe('CHAIR_NOT_SECRETARY');
    expect(chairWarning('heartTalk', { memberId: 'x', name: null, delegation: null }, leaders)).toBeNull();
  });

  it('SEC-20 minutes keep structure, lose scripts, handlers, links and images', () => {
    const dirty =
      '<p onclick="x()">会议<strong>决定</strong><script>alert(1)</script></p><img src=x onerror=alert(1)><a href="javascript:alert(1)">链接</a><style>p{}</style><table><tr><td style="color:red">甲</td></tr></table><iframe src="//evil"></iframe>';
    const clean = sanitizeMinutes(dirty);
    expect(clean).toBe('<p>会议<strong>决定</strong></p>链接<table><tr><td>甲</td></tr></table>');
    for (const bad of ['script', 'onerror', 'onclick', 'javascript:', '<img', '<a', 'style', 'iframe', 'alert']) expect(clean).not.toContain(bad);
    expect(minutesParagraphs('<p>一、传达&amp;学习</p><ul><li>二</li></ul>')).toEqual(['一、传达&学习', '二']);
  });

  it('dHash and Hamming distance', () => {
    const rising = Uint8Array.from({ length: 72 }, (_, i) => i % 9);
    const falling = Uint8Array.from({ length: 72 }, (_, i) => 9 - (i % 9));
    expect(dHash(rising)).toBe('0000000000000000');
    expect(dHash(falling)).toBe('ffffffffffffffff');
    expect(hamming('0000000000000000', 'ffffffffffffffff')).toBe(64);
    expect(hamming('00000000000000f0', '0000000000000000')).toBe(4);
    expect(informativeHash('0000000000000000')).toBe(false);
    expect(informativeHash('00000000000000f0')).toBe(false);
    expect(informativeHash('5a5a5a5a5a5a5a5a')).toBe(true);
  });

  it('capture drift, excellent share, months', () => {
    expect(captureWarning('2026-03-02', '2026-04-11', 3)?.message).toBe('照片拍摄于 2026-03-02，与会议日期相差 40 天');
    expect(captureWarning('2026-04-09', '2026-04-11', 3)).toBeNull();
    expect(captureWarning(null, '2026-04-11', 3)).toBeNull();
    expect(excellentWarning(1, 3, [1, 3])).toBeNull();
    expect(excellentWarning(2, 3, [1, 3])?.code).toBe('EXCELLENT_OVER_LIMIT');
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2026-12-15', 12)).toBe('2027-12-15');
  });
});
