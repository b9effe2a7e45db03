import { describe, expect, it } from 'vitest';
import { recordWarnings } from './quorum.ts';

describe('quorum warnings', () => {
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
});
