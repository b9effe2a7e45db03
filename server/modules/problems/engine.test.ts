import { describe, expect, it } from 'vitest';
import type { ModuleManifest } from '../module.ts';
import { MODULES } from '../registry.ts';
import { DECLARED, loadRules, rulesReading } from './rules/index.ts';
import type { RuleInput } from '../module.ts';

/** The rule ids a change touching `touched` re-checks, derived from the declarations' `reads` (no hand-kept list). */
async function ids(touched?: RuleInput[]) {
  return [...new Set(rulesReading(await loadRules(), touched).map((r) => r.id))].sort();
}

describe('which rules a change re-checks: derived from each rule’s declaration', () => {
  it('re-checks every rule when the change does not say what changed', async () => {
    // The loaded statements (checks.ts) against the declarations (contract/modules/), not a list against itself.
    expect(await ids()).toEqual(
      DECLARED.filter((r) => r.checkedBy.includes('engine'))
        .map((r) => r.id)
        .sort(),
    );
    expect(await ids()).toEqual(
      expect.arrayContaining(['LIFE-1', 'LIFE-2', 'LIFE-8', 'MEM-3', 'MEM-4', 'ORG-2', 'ORG-4']),
    );
  });
  it('a committee meeting (with its attendance) moves the committee-meeting rule and the attendance rule, never the leadership or lost-contact rules', async () => {
    expect(await ids(['meeting:committeeMeeting', 'attendance'])).toEqual(['LIFE-2', 'MEM-4']);
  });
  it('a talk moves the talk rule and the life-meeting rule that wants talks before it', async () => {
    expect(await ids(['meeting:heartTalk'])).toEqual(['LIFE-6', 'LIFE-7']);
  });
  it('appraisal grades move both parts of the appraisal rule', async () => {
    expect(rulesReading(await loadRules(), ['grades']).filter((r) => r.id === 'LIFE-8').length).toBe(2);
  });
  it('a change of posts moves exactly the rules whose declarations read posts', async () => {
    // Written out, not derived again from the declarations the engine derives it from: a rule that
    // stops (or starts) reading posts changes this list on purpose.
    expect(await ids(['posts'])).toEqual(['LIFE-2', 'LIFE-4', 'LIFE-7', 'ORG-2', 'ORG-5', 'ORG-6']);
    // And the derivation follows the declarations: every engine rule declaring posts, none other.
    const declared = (MODULES as readonly ModuleManifest[])
      .flatMap((m) => Object.entries(m.rules ?? {}))
      .filter(([, d]) => d.checkedBy.includes('engine') && d.reads.includes('posts'))
      .map(([id]) => id)
      .sort();
    expect(await ids(['posts'])).toEqual(declared);
  });
});
