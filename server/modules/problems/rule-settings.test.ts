import { describe, expect, it } from 'vitest';
import { parseShare, RULE_SETTING_KEYS, RULE_SETTINGS, RuleSettings, ruleSettingProblem } from './rule-settings.ts';

const defaults = Object.fromEntries(RULE_SETTING_KEYS.map((k) => [k, RULE_SETTINGS[k].default])) as never;

describe('rule settings with effective dates', () => {
  it('uses the default before the first row and the value in force on a period’s first day', () => {
    const s = new RuleSettings(defaults, {
      'life.branchMeetingsPerQuarter': [{ effectiveFrom: '2026-07-01', value: 2, setAt: '' }],
    });
    expect(s.num('life.branchMeetingsPerQuarter', '2026-04-01')).toBe(1);
    expect(s.num('life.branchMeetingsPerQuarter', '2026-07-01')).toBe(2);
    // A change mid-quarter applies from the next quarter: Q3 began before it.
    const mid = new RuleSettings(defaults, {
      'life.branchMeetingsPerQuarter': [{ effectiveFrom: '2026-08-15', value: 2, setAt: '' }],
    });
    expect(mid.num('life.branchMeetingsPerQuarter', '2026-07-01')).toBe(1);
    expect(mid.num('life.branchMeetingsPerQuarter', '2026-10-01')).toBe(2);
  });
  it('refuses values out of range', () => {
    expect(ruleSettingProblem('life.branchMeetingsPerQuarter', 0)).toContain('之间');
    expect(ruleSettingProblem('life.branchMeetingsPerQuarter', 1.5)).toContain('整数');
    expect(ruleSettingProblem('life.branchMeetingsPerQuarter', 3)).toBeNull();
    expect(ruleSettingProblem('nope', 3)).toContain('没有');
    expect(ruleSettingProblem('life.excellentMaxShare', '1/3')).toBeNull();
    expect(ruleSettingProblem('life.excellentMaxShare', '4/3')).not.toBeNull();
    expect(parseShare('1/3')).toEqual([1, 3]);
  });
});
