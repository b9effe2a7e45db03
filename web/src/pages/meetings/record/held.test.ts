import { describe, expect, it } from 'vitest';
import { heldIssues, latestStart } from './held.ts';

describe('the form refuses a meeting not yet held and a blank topic (issue 18 §3)', () => {
  // 2026-12-06 07:37 in Beijing.
  const now = Date.parse('2026-12-06T07:37:00+08:00');

  it('a start more than 15 minutes after now', () => {
    expect(latestStart(now)).toBe('2026-12-06T07:52');
    expect(heldIssues({ kind: 'committeeMeeting', startsAt: '2026-12-06T07:50' }, now)).toEqual({});
    expect(heldIssues({ kind: 'committeeMeeting', startsAt: '2026-12-06T20:00' }, now).startsAt).toBe(
      '会议时间晚于现在：只能记录已经召开的会议（最晚为当前时间后 15 分钟）',
    );
    expect(heldIssues({ kind: 'committeeMeeting', startsAt: '2027-03-01T09:00' }, now).startsAt).toBeDefined();
    expect(heldIssues({ kind: 'committeeMeeting', startsAt: '2026-11-30T09:00' }, now)).toEqual({});
  });

  it('党课, 主题党日 and 专题会议 need a topic; a 支委会 does not', () => {
    for (const kind of ['partyLecture', 'themedDay', 'specialMeeting'])
      for (const topic of [undefined, '  '])
        expect(heldIssues({ kind, startsAt: '2026-12-01T09:00', topic }, now).topic).toMatch(
          /^请填写主题：.+须写明主题$/,
        );
    expect(heldIssues({ kind: 'partyLecture', startsAt: '2026-12-01T09:00', topic: '党史' }, now)).toEqual({});
    expect(heldIssues({ kind: 'committeeMeeting', startsAt: '2026-12-01T09:00' }, now)).toEqual({});
  });
});
