/**
 * Rule numbers as county settings with effective dates (rules.md "setting"). The value used for a
 * period is the one in force on the period's first day, so a change applies from the next period on
 * and never rewrites the past; before a county's first row the platform default applies.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../db/index.ts';
import { inCounty } from '../../platform/access.ts';
import { AppError } from '../../platform/errors.ts';
import { ORG_CLASS_LABELS } from '../../../contract/rules.ts';
import { getSetting } from '../../platform/settings.ts';
import type { RuleSettingDecl, RuleSettingsOf } from '../module.ts';
import type { MODULES } from '../registry.ts';
import { DECLARED } from './rules/index.ts';

export type RuleSettingValue = number | string;

export interface RuleSettingInfo extends RuleSettingDecl {
  /** The rule that declares it. */
  rule: string;
}

/** Every rule setting the manifests declare (module.ts RuleDecl `settings`), with the rule it belongs to. */
export const RULE_SETTINGS: Readonly<Record<RuleSettingKey, RuleSettingInfo>> = Object.fromEntries(
  DECLARED.flatMap((r) => Object.entries(r.settings ?? {}).map(([key, d]) => [key, { ...d, rule: r.id }])),
) as Record<RuleSettingKey, RuleSettingInfo>;

export type RuleSettingKey = RuleSettingsOf<typeof MODULES>;
export const RULE_SETTING_KEYS = Object.keys(RULE_SETTINGS) as RuleSettingKey[];

export interface SettingRow {
  effectiveFrom: string;
  value: RuleSettingValue;
  setAt: string;
}

/** A county's rule settings: each key's history (oldest first) over its default. */
export class RuleSettings {
  constructor(
    readonly defaults: Record<RuleSettingKey, RuleSettingValue>,
    readonly history: Partial<Record<RuleSettingKey, SettingRow[]>>,
  ) {}

  /** The value in force on `date` (a period's first day). */
  at(key: RuleSettingKey, date: string): RuleSettingValue {
    let v = this.defaults[key];
    for (const row of this.history[key] ?? []) if (row.effectiveFrom <= date) v = row.value;
    return v;
  }

  num(key: RuleSettingKey, date: string): number {
    return Number(this.at(key, date));
  }

  /** The value in force on the date an SQL expression gives (a period's first day), as text: for a statement over records of many periods. */
  sqlAt(key: RuleSettingKey, date: SQL): SQL {
    const rows = [...(this.history[key] ?? [])].reverse();
    if (!rows.length) return sql`${String(this.defaults[key])}::text`;
    return sql`(case ${sql.join(
      rows.map((r) => sql`when ${date} >= ${r.effectiveFrom}::date then ${String(r.value)}::text`),
      sql` `,
    )} else ${String(this.defaults[key])}::text end)`;
  }
}

/** A share '1/3' as [numerator, denominator]. */
export function parseShare(v: RuleSettingValue): [number, number] | null {
  const m = /^(\d{1,3})\/(\d{1,3})$/.exec(String(v));
  if (!m) return null;
  const a = Number(m[1]);
  const b = Number(m[2]);
  return b > 0 && a > 0 && a <= b ? [a, b] : null;
}

/** Check a value against its declaration; the Chinese reason when it is out of range. */
export function ruleSettingProblem(key: string, value: unknown): string | null {
  const d = (RULE_SETTINGS as Record<string, RuleSettingInfo>)[key];
  if (!d) return `没有名为 ${key} 的规则参数`;
  if (d.kind === 'share')
    return parseShare(value as RuleSettingValue) ? null : `${d.label}应写成分数，如 1/3（不大于 1）`;
  if (d.kind === 'choice')
    return typeof value === 'string' && d.options && value in d.options
      ? null
      : `${d.label}应为以下之一：${Object.values(d.options ?? {}).join('、')}`;
  if (d.kind === 'orgClasses') return orgClassesProblem(d.label, value);
  if (typeof value !== 'number' || !Number.isInteger(value)) return `${d.label}应为整数`;
  if (value < (d.min ?? 0) || value > (d.max ?? Number.MAX_SAFE_INTEGER))
    return `${d.label}应在 ${d.min}–${d.max}${d.unit ?? ''} 之间`;
  return null;
}

/** A list of organization classes written 'committee,workingCommittee' (contract/rules.ts ORG_CLASS_LABELS); empty: none. */
export function parseOrgClasses(v: RuleSettingValue): string[] {
  return String(v)
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
}

function orgClassesProblem(label: string, value: unknown): string | null {
  if (typeof value !== 'string') return `${label}应为组织类别的列表`;
  const unknown = parseOrgClasses(value).filter((c) => !(c in ORG_CLASS_LABELS));
  return unknown.length ? `${label}中有未知的组织类别：${unknown.join('、')}` : null;
}

/** Load a county's rule settings. ORG-5's default is the county's existing 书记空缺 setting. */
export async function loadRuleSettings(tx: Tx, county: string): Promise<RuleSettings> {
  const res = await tx.execute<{ key: string; effective_from: string; value: RuleSettingValue; set_at: string | Date }>(
    sql`select r.key, r.effective_from::text as effective_from, r.value, r.set_at from rule_settings r where ${inCounty(county, 'r')} order by r.key, r.effective_from`,
  );
  const history: Partial<Record<RuleSettingKey, SettingRow[]>> = {};
  for (const r of res.rows) {
    if (!(r.key in RULE_SETTINGS)) continue;
    const k = r.key as RuleSettingKey;
    const rows = history[k] ?? [];
    rows.push({ effectiveFrom: r.effective_from, value: r.value, setAt: new Date(r.set_at).toISOString() });
    history[k] = rows;
  }
  const defaults = Object.fromEntries(RULE_SETTING_KEYS.map((k) => [k, RULE_SETTINGS[k].default])) as Record<
    RuleSettingKey,
    RuleSettingValue
  >;
  defaults['org.secretaryVacantMonthsRule'] = await getSetting(tx, county, 'org.secretaryVacantMonths');
  return new RuleSettings(defaults, history);
}

/** Record a value from a date on (replacing one set for the same date). Validation is the caller's (`ruleSettingProblem`). */
export async function putRuleSetting(
  tx: Tx,
  county: string,
  key: RuleSettingKey,
  value: RuleSettingValue,
  effectiveFrom: string,
  userId: string | null,
): Promise<void> {
  const problem = ruleSettingProblem(key, value);
  if (problem) throw new AppError('RULE_SETTING_INVALID', problem);
  await tx.execute(sql`insert into rule_settings (county_code, key, effective_from, value, set_by) values (${county}, ${key}, ${effectiveFrom}, ${JSON.stringify(value)}::jsonb, ${userId})
    on conflict (county_code, key, effective_from) do update set value = excluded.value, set_by = excluded.set_by, set_at = now()`);
}
