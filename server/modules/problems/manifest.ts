/** 问题清单: the rules engine that works out what each organization and member was required to do and what is missing, the problems it raises and clears, compliance views, and rule settings with effective dates. */
import decl from '../../../contract/modules/problems.ts';
import { defineModule } from '../module.ts';

/** The declaration (contract/modules/problems.ts) and what only the server reads. */
export default defineModule({
  ...decl,
  apiPrefixes: ['/api/problems', '/api/compliance', '/api/settings/rules'],
  hasRoutes: true,
  demo: { title: '演示县：首次全县规则检查', after: ['meetings'] },
  // The engine re-checks the organization a change touches, in the writer's transaction (events.ts).
  subscribes: ['meetings.lifeChanged', 'orgs.changed', 'members.changed', 'lists.changed', 'firstsec.changed'],
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
