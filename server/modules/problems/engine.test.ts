import { describe, expect, it } from 'vitest';
import { rulesReading } from './engine.ts';
import { RULES } from './rules/index.ts';

const ids = (kinds?: string[]) => rulesReading(kinds).map((r) => r.id).sort();

describe('which rules a change re-checks (rulesReading)', () => {
  it('re-checks every rule when the change does not say what changed', () => {
    expect(ids()).toEqual(RULES.map((r) => r.id).sort());
  });
  it('a committee meeting moves the committee-meeting rule and the six-month attendance rule, never the leadership or lost-contact rules', () => {
    expect(ids(['committeeMeeting'])).toEqual(['LIFE-2', 'MEM-4']);
  });
  it('a talk moves the talk rule and the life-meeting rule that wants talks before it', () => {
    expect(ids(['heartTalk'])).toEqual(['LIFE-6', 'LIFE-7', 'MEM-4']);
  });
  it('appraisal grades move both appraisal rules', () => {
    expect(ids(['appraisal']).filter((id) => id === 'LIFE-8').length).toBe(2);
  });
});
