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

export const AUDIT_ACTION_LABELS: Record<string, string> = {
  'auth.login': '登录',
  'auth.logout': '退出',
  'access.denied': '拒绝访问',
  'member.create': '新增党员',
  'member.update': '修改党员',
  'member.transfer': '组织关系转接',
  'member.reveal': '查看完整信息',
  'member.export': '导出',
  'member.import': '导入',
  'org.create': '新建组织',
  'org.update': '修改组织',
  'org.move': '调整隶属',
  'org.merge': '合并组织',
  'org.dissolve': '撤销组织',
  'org.post': '任免班子',
  'user.create': '新建账号',
  'user.update': '修改账号',
  'user.roles': '调整角色',
  'user.disable': '停用/启用账号',
  'user.password.change': '修改密码',
  'user.password.reset': '重置密码',
  'system.seed': '初始化数据',
  'system.backup': '备份',
  'system.restore': '恢复',
  'auth.totp.setup': '生成两步验证密钥',
  'auth.totp.enable': '开启两步验证',
  'auth.totp.disable': '关闭两步验证',
  'user.totp.reset': '重置两步验证',
  'user.request': '提交账号变更审批',
  'user.request.approve': '批准账号变更',
  'user.request.reject': '驳回账号变更',
};

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





