/**
 * The audit log read as sentences (SEC-12): Chinese action names and one sentence per entry, built
 * from the names recorded at the time ("查看了 张三 的完整身份证号码，原因：核对信息"). No zod: the web
 * app and the server's export share it.
 */
import { MODULE_DECLS } from './modules/index.ts';
import { MEETING_KIND_LABELS } from './labels.ts';

/** Actions the platform itself writes; each module names its own in its manifest (`auditActions`). */
export const PLATFORM_AUDIT_ACTIONS: Record<string, string> = {
  'access.denied': '拒绝访问',
  'access.denied.summary': '拒绝未登录的请求（按分钟汇总）',
  'security.alert': '安全提醒',
  'system.seed': '初始化数据',
  'system.backup': '备份',
  'system.restore': '恢复',
  'system.keys.rotate': '轮换密钥',
};

export const AUDIT_ACTION_LABELS: Record<string, string> = Object.assign(
  {},
  PLATFORM_AUDIT_ACTIONS,
  ...MODULE_DECLS.map((m) => ('auditActions' in m ? m.auditActions : {})),
);

const ROLE_TEXT: Record<string, string> = {
  countyAdmin: '县级管理员',
  orgAdmin: '党组织管理员',
  branchSecretary: '支部书记',
  leader: '领导',
  securityAdmin: '安全管理员',
  auditor: '审计员',
  firstSecretary: '第一书记',
};
const DENIAL_TEXT: Record<string, string> = {
  FORBIDDEN: '没有权限',
  NOT_FOUND: '对象不存在或不在管辖范围内',
  CSRF: '请求来源不受信任',
  DATA_INTEGRITY: '数据完整性校验失败',
};
const FAIL_REASON: Record<string, string> = {
  unknown: '用户名不存在',
  password: '密码错误',
  totp: '动态验证码错误',
  disabled: '账号已停用',
  locked: '账号已锁定',
};

export interface AuditSentenceInput {
  action: string;
  result: string;
  objectType: string | null;
  detail: Record<string, unknown>;
}

/** "12月06日 07:05" (Beijing time) of an ISO minute. */
function beijingMinute(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const b = new Date(t + 8 * 3_600_000).toISOString();
  return `${b.slice(5, 7)}月${b.slice(8, 10)}日 ${b.slice(11, 16)}`;
}

/** One Chinese sentence saying what happened, to whom, and why. */
export function auditSentence(e: AuditSentenceInput): string {
  const d = e.detail ?? {};
  const s = (k: string) => (d[k] === undefined || d[k] === null ? '' : String(d[k]));
  const obj = s('objectName');
  const who = obj ? ` ${obj} ` : '';
  const reason = s('reason') ? `，原因：${s('reason')}` : '';
  const n = (k: string) => (typeof d[k] === 'number' ? (d[k] as number).toLocaleString('zh-CN') : s(k));
  switch (e.action) {
    case 'auth.login':
      if (e.result === 'ok') return '登录成功';
      return `登录失败${FAIL_REASON[s('reason')] ? `：${FAIL_REASON[s('reason')]}` : ''}${d.locked ? '，账号已被锁定' : ''}`;
    case 'auth.logout':
      return '退出登录';
    case 'access.denied':
      return `被拒绝访问（${DENIAL_TEXT[s('code')] ?? s('code')}）`;
    case 'access.denied.summary': {
      const routes = Array.isArray(d.routes) ? (d.routes as { route: string; code: string; count: number }[]) : [];
      const parts = routes.map((r) => `${r.route}（${DENIAL_TEXT[r.code] ?? r.code}）${r.count} 次`);
      return `未登录的请求在 ${beijingMinute(s('minute'))} 这一分钟内被拒绝 ${n('total')} 次${parts.length ? `：${parts.join('；')}` : ''}${d.moreRoutes ? ` 等 ${n('moreRoutes')} 个地址` : ''}`;
    }
    case 'member.reveal':
      return `查看了${who || ' 一名党员 '}的完整身份证号码、电话和住址${reason}`;
    case 'org.reveal':
      return `查看了${who || ' 一个党组织 '}的完整联系电话${reason}`;
    case 'member.create':
      return `新增党员${who}${d.via === 'import' ? '（Excel 导入）' : ''}`.trim();
    case 'member.update':
      return `修改了${who || ' 一名党员 '}的信息${d.via === 'import' ? '（Excel 导入）' : ''}`;
    case 'member.transfer':
      return `将${who || ' 一名党员 '}的组织关系转接到其他党组织`;
    case 'member.transfer.batch':
      return `批量转接 ${n('moved')} 名党员到${who || '一个党组织'}${reason}`;
    case 'member.export':
      return `导出党员名册${d.unmasked ? '（含完整个人信息）' : '（脱敏）'}${reason.replace('原因', '用途')}`;
    case 'member.import':
      return e.result === 'ok'
        ? `导入党员名册 ${n('rows')} 行：新增 ${n('created')}，更新 ${n('updated')}，未变 ${n('unchanged')}${d.skipped ? `，跳过有误的 ${n('skipped')} 行` : ''}`
        : `导入党员名册未成功：${n('rows')} 行，${n('errors')} 处错误${d.dryRun ? '（仅校验）' : ''}`;
    case 'member.import.rejected':
      return `下载了导入时未导入的 ${n('rows')} 行（含错误说明）`;
    case 'member.search.idNumber':
      return `按身份证号码${s('kind') === 'tail' ? '后四位' : ''}查找党员，找到 ${n('hits')} 人`;
    case 'member.phones.view':
      return `查看了本支部 ${n('members')} 名党员的联系电话`;
    case 'member.duplicateRefused':
      return `以已登记的身份证号码新增党员被拒绝（今日第 ${n('today')} 次）`;
    case 'security.alert':
      return `安全提醒：今日因身份证号码已登记被拒绝 ${n('refusals')} 次，超过上限 ${n('limit')}，疑似批量探测党员身份`;
    case 'user.password.change':
      return '修改了自己的密码';
    case 'user.create':
      return `新建账号${who || (s('username') ? ` ${s('username')} ` : '')}${Array.isArray(d.roles) ? `，角色：${(d.roles as string[]).map((r) => ROLE_TEXT[r] ?? r).join('、')}` : ''}${d.via === 'bulk' ? '（批量开通）' : ''}`;
    case 'user.bulkCreate':
      return `批量开通 ${n('created')} 个${ROLE_TEXT[s('role')] ?? ''}账号${who ? `（${obj}及下级）` : ''}`;
    case 'user.roles':
      return `调整了${who || ' 一个账号 '}的角色`;
    case 'user.password.reset':
      return `重置了${who || ' 一个账号 '}的密码`;
    case 'user.totp.reset':
      return `重置了${who || ' 一个账号 '}的两步验证`;
    case 'user.disable':
      return `${d.disabled ? '停用' : '启用'}了账号${who}`.trim();
    case 'org.create':
      return `新建党组织${who}`.trim();
    case 'org.update':
      return `修改了${who || ' 一个党组织 '}的信息`;
    case 'org.move':
    case 'org.merge':
    case 'org.dissolve':
      return `${AUDIT_ACTION_LABELS[e.action]}：${obj || '一个党组织'}${reason}`;
    case 'org.post':
      return `${obj || '一个党组织'}：班子${d.vacant ? '职务空缺登记' : '任职'}`;
    case 'meeting.create':
    case 'meeting.update':
    case 'meeting.delete': {
      // Which meeting: the organization as named then, the kind and the day it was held.
      const kind = MEETING_KIND_LABELS[s('kind') as keyof typeof MEETING_KIND_LABELS] ?? '';
      const which = `${[obj, kind].filter(Boolean).join(' ')}${s('heldOn') ? `（${s('heldOn')}）` : ''}`;
      return `${AUDIT_ACTION_LABELS[e.action]}${which ? `：${which}` : ''}`;
    }
    case 'stats.export':
      return `导出了${who || ' 一个党组织 '}的统计表`;
    case 'audit.export':
      return `导出审计日志 ${n('rows')} 条${reason.replace('原因', '用途')}`;
    default:
      return `${AUDIT_ACTION_LABELS[e.action] ?? e.action}${who ? `：${obj}` : ''}${reason}`;
  }
}
