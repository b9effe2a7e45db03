import { describe, expect, it } from 'vitest';
import { MEETING_KINDS } from '../../../contract/meetings.ts';
import {
  addMonths,
  captureWarning,
  chairWarning,
  dHash,
  excellentWarning,
  exifInstant,
  hamming,
  informativeHash,
  kindFitsOrg,
  MEETING_KIND_ORG_KINDS,
  minutesParagraphs,
  recordWarnings,
  sanitizeMinutes,
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

  it('EXIF local time without an offset is Shanghai time', () => {
    expect(exifInstant('2026:03:02 10:00:00')?.toISOString()).toBe('2026-03-02T02:00:00.000Z');
    expect(exifInstant('2026:03:02 10:00:00', '+00:00')?.toISOString()).toBe('2026-03-02T10:00:00.000Z');
    expect(exifInstant('0000:00:00 00:00:00')).toBeNull();
    expect(exifInstant(undefined)).toBeNull();
  });

  it('a record’s warnings: a 支委会 without its quorum, deciding what belongs to the 党员大会; a 党员大会 deciding without half of the voters', () => {
    const ok = { size: 4, present: 2, ok: true, note: '' };
    const voters = { base: 10, present: 5, ok: true };
    expect(recordWarnings('committeeMeeting', { committee: ok, voters, decisionTags: [] })).toEqual([]);
    const short = recordWarnings('committeeMeeting', {
      committee: { size: 3, present: 1, ok: false, note: '到会委员1人，不足应到3人的半数' },
      voters,
      decisionTags: [],
    });
    expect(short).toEqual([
      {
        code: 'QUORUM_NOT_MET',
        rule: 'LIFE-2',
        message:
          '到会委员1人，不足应到3人的半数，本次支委会不计入本月（LIFE-2，第十二条：须有半数以上委员到会方可进行）',
      },
    ]);
    expect(
      recordWarnings('committeeMeeting', {
        committee: { size: 0, present: 0, ok: false, note: '' },
        voters,
        decisionTags: [],
      })[0].message,
    ).toContain('未登记支部委员');
    const decided = recordWarnings('committeeMeeting', {
      committee: ok,
      voters,
      decisionTags: ['admission', 'other', 'fullMembership'],
    });
    expect(decided.map((w) => w.code)).toEqual(['DECISION_FOR_BRANCH_MEETING']);
    expect(decided[0].message).toContain('接收预备党员、预备党员转正应由支部党员大会讨论决定');
    expect(
      recordWarnings('branchMeeting', {
        committee: ok,
        voters: { base: 10, present: 4, ok: false },
        decisionTags: ['other'],
      }),
    ).toEqual([]);
    const vote = recordWarnings('branchMeeting', {
      committee: ok,
      voters: { base: 10, present: 4, ok: false },
      decisionTags: ['discipline'],
    });
    expect(vote[0]).toMatchObject({ code: 'BRANCH_QUORUM_NOT_MET', rule: 'LIFE-1' });
    expect(vote[0].message).toContain('到会有表决权的党员 4 人，不足应到 10 人的半数');
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

  it('SEC-20 minutes keep structure, lose scripts, handlers, links and images', () => {
    const dirty =
      '<p onclick="x()">会议<strong>决定</strong><script>alert(1)</script></p><img src=x onerror=alert(1)><a href="javascript:alert(1)">链接</a><style>p{}</style><table><tr><td style="color:red">甲</td></tr></table><iframe src="//evil"></iframe>';
    const clean = sanitizeMinutes(dirty);
    expect(clean).toBe('<p>会议<strong>决定</strong></p>链接<table><tr><td>甲</td></tr></table>');
    for (const bad of ['script', 'onerror', 'onclick', 'javascript:', '<img', '<a', 'style', 'iframe', 'alert'])
      expect(clean).not.toContain(bad);
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
