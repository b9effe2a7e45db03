/**
 * What the problems module (the rules engine) offers other modules (issue 17 §1): the helpers a
 * module's `checks.ts` builds its rules' statements from, the county's rule settings for a record's
 * warnings, and the engine's findings an organization's card shows, and a problem as the lists module's rectification acts on it. Nothing else of this folder is
 * imported from outside it.
 */
export { addDays, addMonths, currentLabel, type PeriodType, periodLabel } from './periods.ts';
export { loadRuleSettings, parseShare, type RuleSettingKey, type RuleSettings } from './rule-settings.ts';
export {
  BRANCH_KINDS,
  classIn,
  orgClass,
  existedIn,
  fullOn,
  memberOfOn,
  midOf,
  MEMBER_BRANCH,
  orgFilter,
  periodKey,
  periodsSql,
  type RuleChecks,
  type RuleCtx,
  type RulePart,
  range,
  STAGE_COLUMNS,
  STAGE_COLUMNS_DETAIL,
  dayLabel,
  type RecordNote,
  textList,
  uuidArray,
} from './rules/common.ts';
export { standingFindings } from './findings.ts';
export { closeProblem, type ProblemCore, problemCore, raiseProblem } from './service.ts';
