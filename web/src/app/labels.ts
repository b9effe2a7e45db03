/** Chinese labels for codes. Org and member labels come from the shared contract (its zod-free part). */
export {
  CHILD_KINDS,
  FIELD_LABELS,
  FIELDS,
  MEMBER_ORG_KINDS,
  ORG_KIND_LABELS,
  ORG_KINDS,
  POST_LABELS,
  POSTS,
  STANDING_LABELS,
  STANDINGS,
  UNIT_SITUATIONS as UNIT_SITUATION_LABELS,
  MEMBER_FIELD_LABELS,
  ORG_FIELD_LABELS,
  ROLE_CODES,
  ROLE_LABELS,
  defaultChildKind,
  IMPORT_COLUMN_LABELS,
  MEETING_KINDS,
  MEETING_KIND_LABELS,
  ATTENDANCE_LABELS,
  DECISION_TAGS,
  DECISION_TAG_LABELS,
  APPRAISAL_GRADES,
  APPRAISAL_GRADE_LABELS,
  HANDLINGS,
  HANDLING_LABELS,
  PROBLEM_STATUSES,
  PROBLEM_STATUS_LABELS,
  PROBLEM_SOURCE_LABELS,
  PROBLEM_CAUSE_LABELS,
  PARTY_STATUSES,
  PARTY_STATUS_LABELS,
  PARTY_STATUS_DECISION,
} from '../../../contract/labels.ts';
export { ruleInfo, RULES } from '../../../contract/rules.ts';

export const ROLE_COLORS: Record<string, string> = {
  countyAdmin: 'red',
  orgAdmin: 'volcano',
  branchSecretary: 'gold',
  leader: 'blue',
  securityAdmin: 'purple',
  auditor: 'cyan',
};

export const SEX_LABELS: Record<string, string> = { '1': '男', '2': '女' };

export { AUDIT_ACTION_LABELS, auditSentence } from '../../../contract/audit-text.ts';

export const AUDIT_RESULT_LABELS: Record<string, { text: string; color: string }> = {
  ok: { text: '成功', color: 'green' },
  denied: { text: '拒绝', color: 'orange' },
  failed: { text: '失败', color: 'red' },
};

export const ORG_EVENT_LABELS: Record<string, string> = {
  created: '成立',
  renamed: '更名',
  updated: '信息修改',
  moved: '调整隶属',
  merged: '并入其他组织',
  absorbed: '并入本组织',
  dissolved: '撤销',
  postVacated: '职务空缺',
  postFilled: '班子任职',
};
