/** Every rule the engine checks, in the order the problems page lists them. */
import type { RuleInfo } from '../../../../contract/problems.ts';
import type { Rule } from './common.ts';
import { LIFE_4_SECRETARY, LIFE_6, LIFE_7, LIFE_8, LIFE_8_GRADE } from './life.ts';
import { LIFE_1, LIFE_2, LIFE_3, LIFE_4, LIFE_5, LIFE_9 } from './meetings.ts';
import { MEM_3, MEM_4 } from './member.ts';
import { ORG_2, ORG_4, ORG_5, ORG_6 } from './org.ts';

export type { Rule, RuleCtx } from './common.ts';

export const RULES: readonly Rule[] = [LIFE_1, LIFE_2, LIFE_3, LIFE_4, LIFE_4_SECRETARY, LIFE_5, LIFE_6, LIFE_7, LIFE_8, LIFE_8_GRADE, LIFE_9, ORG_2, ORG_4, ORG_5, ORG_6, MEM_3, MEM_4];

/** The rule a meeting kind is counted by (compliance and calendar): the organization-level part. */
export const RULE_OF_KIND: Record<string, Rule> = Object.fromEntries(RULES.filter((r) => r.kind && r.subjectType === 'org').map((r) => [r.kind as string, r]));

/** One entry per rule id, for the rules page and problem details. */
export function ruleInfos(): RuleInfo[] {
  const seen = new Map<string, RuleInfo>();
  for (const r of RULES) {
    const prev = seen.get(r.id);
    if (prev) prev.subject = `${prev.subject}；${r.subject}`;
    else seen.set(r.id, { id: r.id, name: r.name, text: r.text, source: r.source, subject: r.subject });
  }
  return [...seen.values()];
}

export function ruleById(id: string): RuleInfo | undefined {
  return ruleInfos().find((r) => r.id === id);
}
