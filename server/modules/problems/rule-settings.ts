/**
 * Rule numbers as county settings with effective dates (rules.md "setting"). The value used for a
 * period is the one in force on the period's first day, so a change applies from the next period on
 * and never rewrites the past; before a county's first row the platform default applies.
 */
import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/index.ts';
import { inCounty } from '../../platform/access.ts';
import { AppError } from '../../platform/errors.ts';
import { getSetting } from '../../platform/settings.ts';

export type RuleSettingValue = number | string;

export interface RuleSettingDecl {
  rule: string;
  label: string;
  unit: string | null;
  default: RuleSettingValue;
  /** Allowed range for numbers; for a share ('1/3') the fraction must lie in (0, 1]. */
  min?: number;
  max?: number;
  kind: 'int' | 'share';
}

export const RULE_SETTINGS = {
  'life.branchMeetingsPerQuarter': { rule: 'LIFE-1', label: '支部党员大会每季度至少召开次数', unit: '次', default: 1, min: 1, max: 6, kind: 'int' },
  'life.committeeMeetingsPerMonth': { rule: 'LIFE-2', label: '支委会每月至少召开次数', unit: '次', default: 1, min: 1, max: 4, kind: 'int' },
  'life.groupMeetingsPerMonth': { rule: 'LIFE-3', label: '党小组会每月至少召开次数', unit: '次', default: 1, min: 1, max: 4, kind: 'int' },
  'life.branchLecturesPerQuarter': { rule: 'LIFE-4', label: '支部党课每季度至少次数', unit: '次', default: 1, min: 1, max: 6, kind: 'int' },
  'life.secretaryLecturesPerYear': { rule: 'LIFE-4', label: '党委（党工委、总支）书记每年至少讲党课次数', unit: '次', default: 1, min: 1, max: 12, kind: 'int' },
  'life.themedDaysPerMonth': { rule: 'LIFE-5', label: '主题党日每月至少次数', unit: '次', default: 1, min: 1, max: 4, kind: 'int' },
  'life.lifeMeetingsPerYear': { rule: 'LIFE-6', label: '组织生活会每年至少召开次数', unit: '次', default: 1, min: 1, max: 4, kind: 'int' },
  'life.lifeMeetingRemindFromMonth': { rule: 'LIFE-6', label: '组织生活会从几月起提醒', unit: '月', default: 10, min: 1, max: 12, kind: 'int' },
  'life.talksPerYear': { rule: 'LIFE-7', label: '谈心谈话每年至少次数（每对）', unit: '次', default: 1, min: 1, max: 12, kind: 'int' },
  'life.appraisalsPerYear': { rule: 'LIFE-8', label: '民主评议党员每年次数', unit: '次', default: 1, min: 1, max: 2, kind: 'int' },
  'life.excellentMaxShare': { rule: 'LIFE-8', label: '民主评议优秀党员占参评人数上限', unit: null, default: '1/3', kind: 'share' },
  'life.correctionMonths': { rule: 'LIFE-8', label: '不合格党员限期改正期限', unit: '个月', default: 12, min: 1, max: 24, kind: 'int' },
  'life.specialMeetingsPerYear': { rule: 'LIFE-9', label: '党委每年基层党建专题会议至少次数', unit: '次', default: 2, min: 1, max: 12, kind: 'int' },
  'org.secretaryVacantMonthsRule': { rule: 'ORG-5', label: '书记空缺超过几个月列入问题清单', unit: '个月', default: 3, min: 1, max: 24, kind: 'int' },
  'org.secretaryStandingYears': { rule: 'ORG-6', label: '书记任职时至少应有党龄', unit: '年', default: 1, min: 0, max: 10, kind: 'int' },
  'member.lostContactMonths': { rule: 'MEM-3', label: '失联超过几个月停止党籍', unit: '个月', default: 6, min: 1, max: 24, kind: 'int' },
  'member.lostContactRemoveYears': { rule: 'MEM-3', label: '停止党籍后再满几年按自行脱党除名', unit: '年', default: 2, min: 1, max: 5, kind: 'int' },
  'member.noLifeMonths': { rule: 'MEM-4', label: '连续几个月未参加组织生活列入问题清单', unit: '个月', default: 6, min: 1, max: 24, kind: 'int' },
} as const satisfies Record<string, RuleSettingDecl>;

export type RuleSettingKey = keyof typeof RULE_SETTINGS;
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
  const d = (RULE_SETTINGS as Record<string, RuleSettingDecl>)[key];
  if (!d) return `没有名为 ${key} 的规则参数`;
  if (d.kind === 'share') return parseShare(value as RuleSettingValue) ? null : `${d.label}应写成分数，如 1/3（不大于 1）`;
  if (typeof value !== 'number' || !Number.isInteger(value)) return `${d.label}应为整数`;
  if (value < (d.min ?? 0) || value > (d.max ?? Number.MAX_SAFE_INTEGER)) return `${d.label}应在 ${d.min}–${d.max}${d.unit ?? ''} 之间`;
  return null;
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
  const defaults = Object.fromEntries(RULE_SETTING_KEYS.map((k) => [k, RULE_SETTINGS[k].default])) as Record<RuleSettingKey, RuleSettingValue>;
  defaults['org.secretaryVacantMonthsRule'] = await getSetting(tx, county, 'org.secretaryVacantMonths');
  return new RuleSettings(defaults, history);
}

/** Record a value from a date on (replacing one set for the same date). Validation is the caller's (`ruleSettingProblem`). */
export async function putRuleSetting(tx: Tx, county: string, key: RuleSettingKey, value: RuleSettingValue, effectiveFrom: string, userId: string | null): Promise<void> {
  const problem = ruleSettingProblem(key, value);
  if (problem) throw new AppError('RULE_SETTING_INVALID', problem);
  await tx.execute(sql`insert into rule_settings (county_code, key, effective_from, value, set_by) values (${county}, ${key}, ${effectiveFrom}, ${JSON.stringify(value)}::jsonb, ${userId})
    on conflict (county_code, key, effective_from) do update set value = excluded.value, set_by = excluded.set_by, set_at = now()`);
}
