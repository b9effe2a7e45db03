import { describe, expect, it } from 'vitest';
import { recordLink, recordPrefill } from './record-prefill.ts';

const NOW = '2026-12-06T11:40';
const ORG = '0b6f3c1e-2a4d-4e8f-9a1b-3c5d7e9f1a2b';

describe('a new meeting record filled in from its address', () => {
  it('takes the organization, the kind and a past day of the period', () => {
    const p = recordPrefill(new URLSearchParams(recordLink(ORG, 'partyLecture', '2026-11-30').split('?')[1]), NOW);
    expect(p).toEqual({ orgId: ORG, kind: 'partyLecture', startsAt: '2026-11-30T11:40' });
  });

  it('never fills in a time after now: today and future days are now', () => {
    expect(recordPrefill(new URLSearchParams('kind=themedDay&date=2026-12-06'), NOW).startsAt).toBe(NOW);
    expect(recordPrefill(new URLSearchParams('kind=themedDay&date=2027-03-01'), NOW).startsAt).toBe(NOW);
    expect(recordPrefill(new URLSearchParams('date=2026-11-02'), '2026-12-06T22:10').startsAt).toBe('2026-11-02T20:00');
  });

  it('ignores what is not a kind, a date or an organization id', () => {
    expect(recordPrefill(new URLSearchParams('kind=party&date=yesterday&orgId=1%20or%201'), NOW)).toEqual({
      startsAt: NOW,
    });
  });
});
