/**
 * Every rule the modules declare (manifest `rules`, module.ts RuleDecl) and, for the engine, the
 * statements each module's `checks.ts` gives (default export: rule id → parts), loaded once the way
 * platform/events.ts loads handlers. A module adds a rule without editing this module.
 */
import type { RuleInfo } from '../../../../contract/problems.ts';
import type { ModuleManifest, RuleDecl, RuleInput } from '../../module.ts';
import { MODULES } from '../../registry.ts';
import type { Rule, RuleChecks } from './common.ts';

export type { Rule, RuleChecks, RuleCtx, RulePart } from './common.ts';

/** Rule ids in the order of shared/domain/rules.md: its sections, then the number. */
const SECTION_ORDER = ['LIFE', 'ORG', 'MEM', 'DEV', 'DUES', 'FS', 'WEAK', 'VIL', 'NAT'];
export function compareRuleIds(a: string, b: string): number {
  const [pa, na] = a.split('-');
  const [pb, nb] = b.split('-');
  const sa = SECTION_ORDER.indexOf(pa);
  const sb = SECTION_ORDER.indexOf(pb);
  if (sa !== sb) return (sa < 0 ? 99 : sa) - (sb < 0 ? 99 : sb);
  return Number(na) - Number(nb);
}

export interface DeclaredRule extends RuleDecl {
  id: string;
  /** The module that declares it. */
  module: string;
}

/** Every declared rule, in rules.md order. Plain data: no statements loaded. */
export const DECLARED: readonly DeclaredRule[] = (MODULES as readonly ModuleManifest[])
  .flatMap((m) => Object.entries(m.rules ?? {}).map(([id, d]) => ({ ...d, id, module: m.name })))
  .sort((a, b) => compareRuleIds(a.id, b.id));

export function declaredRule(id: string): DeclaredRule | undefined {
  return DECLARED.find((r) => r.id === id);
}

let loaded: Promise<readonly Rule[]> | null = null;

/**
 * The engine's rules: each declared rule checked by the engine with the parts its module's checks.ts
 * gives. Refuses (at the first run) a declared engine rule without parts and parts of an undeclared rule.
 */
export function loadRules(): Promise<readonly Rule[]> {
  loaded ??= (async () => {
    const out: Rule[] = [];
    for (const m of MODULES as readonly ModuleManifest[]) {
      const engine = Object.entries(m.rules ?? {}).filter(([, d]) => d.checkedBy.includes('engine'));
      if (!engine.length) continue;
      const checks = ((await import(`../../${m.name}/checks.ts`)) as { default?: RuleChecks }).default ?? {};
      for (const id of Object.keys(checks))
        if (!engine.some(([e]) => e === id))
          throw new Error(`模块 ${m.name} 的 checks.ts 实现了规则 ${id}，但其 manifest.ts 没有声明由规则引擎检查`);
      for (const [id, d] of engine) {
        const parts = checks[id];
        if (!parts?.length) throw new Error(`模块 ${m.name} 声明规则 ${id} 由规则引擎检查，但其 checks.ts 没有实现`);
        for (const p of parts) {
          if (p.id !== id) throw new Error(`模块 ${m.name} 的规则 ${id} 中有一条语句写作 ${p.id}`);
          out.push({
            ...p,
            name: d.name,
            text: d.text,
            source: d.article,
            countyRule: d.countyRule ?? null,
            subject: p.subject ?? d.subject,
            reads: d.reads,
          });
        }
      }
    }
    return out.sort((a, b) => compareRuleIds(a.id, b.id));
  })();
  return loaded;
}

/**
 * The rules a change can move: those reading any of the data it touched (the declarations' `reads`);
 * undefined touched: every rule.
 */
export function rulesReading(rules: readonly Rule[], touched: readonly RuleInput[] | undefined): readonly Rule[] {
  if (!touched) return rules;
  return rules.filter((r) => r.reads.some((x) => touched.includes(x)));
}

/** One entry per rule id, for the rules page (`engineOnly`: the rules that raise problems) and problem details. */
export function ruleInfos(engineOnly = false): RuleInfo[] {
  return DECLARED.filter((r) => !engineOnly || r.checkedBy.includes('engine')).map((r) => ({
    id: r.id,
    name: r.name,
    text: r.text,
    source: r.article,
    article: r.article,
    countyRule: r.countyRule ?? null,
    subject: r.subject,
  }));
}

export function ruleById(id: string): RuleInfo | undefined {
  return ruleInfos().find((r) => r.id === id);
}

/** The rule a meeting kind is counted by (compliance and calendar): the organization-level part. */
export async function ruleOfKind(kind: string): Promise<Rule | undefined> {
  return (await loadRules()).find((r) => r.kind === kind && r.subjectType === 'org');
}
