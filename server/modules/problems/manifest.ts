/** 问题清单: the rules engine that works out what each organization and member was required to do and what is missing, the problems it raises and clears, compliance views, and rule settings with effective dates. */
import { defineModule } from '../module.ts';

export default defineModule({
  name: 'problems',
  title: '问题清单',
  apiPrefixes: ['/api/problems', '/api/compliance', '/api/settings/rules'],
  hasRoutes: true,
  demo: { title: '演示县：首次全县规则检查', after: ['meetings'] },
  // The engine re-checks the organization a change touches, in the writer's transaction (events.ts).
  subscribes: ['meetings.lifeChanged', 'orgs.changed', 'members.changed'],
  permissions: {
    'problems.read': {
      label: '查看问题清单、合规情况和组织生活日历',
      roles: ['countyAdmin', 'orgAdmin', 'branchSecretary', 'leader'],
    },
    'problems.run': { label: '发起全县规则检查', roles: ['countyAdmin'] },
    'problems.settings': { label: '设置规则参数（按生效日期）', roles: ['countyAdmin'] },
  },
  fieldLabels: {
    orgId: '党组织',
    rule: '规则',
    period: '期间',
    status: '状态',
    field: '领域',
    townshipId: '乡镇',
    key: '参数',
    value: '数值',
    effectiveFrom: '生效日期',
    kind: '会议类型',
    year: '年度',
  },
  errors: {
    RULE_RUN_BUSY: [409, '本县的规则检查正在进行，请稍后查看结果'],
    RULE_SETTING_INVALID: [422, '规则参数不在允许范围内'],
  },
  auditActions: {
    'rules.run': '发起规则检查',
    'rules.setting': '修改规则参数',
    'problems.export': '导出问题清单',
  },
  menu: [
    { path: '/problems', label: '问题清单', icon: 'alert', perm: 'problems.read', order: 26 },
    { path: '/compliance', label: '合规情况', icon: 'barChart', perm: 'problems.read', order: 27 },
  ],
  pages: [
    { path: 'problems', page: 'problems/ProblemsPage', perm: 'problems.read' },
    { path: 'compliance', page: 'problems/CompliancePage', perm: 'problems.read' },
    { path: 'problems/calendar/:orgId', page: 'problems/CalendarPage', perm: 'problems.read' },
    { path: 'settings/rules', page: 'problems/RuleSettingsPage', perm: 'problems.settings' },
  ],
  tables: {
    rule_results: {
      role: 'distributed',
      reason:
        "the engine's result per rule, subject and period: co-located with orgs, aggregated per county for compliance",
      parents: ['orgs'],
    },
    problems: { role: 'distributed', reason: 'the problem list of a county: co-located with orgs', parents: ['orgs'] },
    problem_events: {
      role: 'distributed',
      reason: "a problem's history: co-located with problems",
      parents: ['problems', 'users'],
    },
    rule_settings: {
      role: 'distributed',
      reason: "a county's rule numbers with their effective dates",
      parents: ['users'],
    },
    rule_runs: { role: 'distributed', reason: "a county's full rule runs", parents: ['users'] },
  },
  jobs: {
    'problems.nightly': { title: '夜间规则检查（全部服务县）', at: '02:00' },
  },
});
