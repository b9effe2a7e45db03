/** 问题清单: the rules engine that works out what each organization and member was required to do and what is missing, the problems it raises and clears, compliance views, and rule settings with effective dates. */
import { declareModule } from '../module.ts';

export default declareModule({
  name: 'problems',
  title: '问题清单',
  permissions: {
    'problems.read': {
      label: '查看问题清单、合规情况和组织生活日历',
      roles: ['countyAdmin', 'orgAdmin', 'branchSecretary', 'leader'],
    },
    'problems.run': { label: '发起全县规则检查', roles: ['countyAdmin'] },
    'problems.settings': { label: '设置规则参数（按生效日期）', roles: ['countyAdmin'] },
  },
  auditActions: {
    'rules.run': '发起规则检查',
    'rules.setting': '修改规则参数',
    'problems.export': '导出问题清单',
  },
  menu: [
    { path: '/todo', label: '待办', icon: 'schedule', perm: 'problems.read', order: 5 },
    { path: '/problems', label: '问题清单', icon: 'alert', perm: 'problems.read', order: 26 },
    { path: '/compliance', label: '合规情况', icon: 'barChart', perm: 'problems.read', order: 27 },
  ],
  pages: [
    { path: 'todo', page: 'problems/DuePage', perm: 'problems.read' },
    { path: 'problems', page: 'problems/ProblemsPage', perm: 'problems.read' },
    { path: 'compliance', page: 'problems/CompliancePage', perm: 'problems.read' },
    { path: 'problems/calendar/:orgId', page: 'problems/CalendarPage', perm: 'problems.read' },
    { path: 'settings/rules', page: 'problems/RuleSettingsPage', perm: 'problems.settings' },
  ],
});
