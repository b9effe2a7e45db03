/**
 * 任务清单与督查 (issue 19): tasks issued down the tree and split level by level, signed for, reported
 * on with evidence, submitted, accepted or returned, reminded and escalated when late; the supervision's
 * reproducible random spot checks.
 */
import decl from '../../../contract/modules/lists.ts';
import { defineModule } from '../module.ts';

/** The declaration (contract/modules/lists.ts) and what only the server reads. */
export default defineModule({
  ...decl,
  // '/api/problems': the rectification and verification of a problem (the problems module keeps the list itself).
  apiPrefixes: [
    '/api/tasks',
    '/api/inspections',
    '/api/problems',
    '/api/notices',
    '/api/directives',
    '/api/responsibility',
  ],
  hasRoutes: true,
  events: {
    'lists.changed': '任务承办、上级文件签收报告或问题整改措施、验收变化（载荷：lists/api.ts ListsChange）',
  },
  demo: { title: '演示县：一年的任务清单（县—乡镇—村逐级分解、办理和验收）', after: ['seed'] },
  fieldLabels: {
    title: '任务名称',
    description: '任务内容',
    source: '任务来源',
    deadline: '完成时限',
    weight: '分值',
    evidenceNeeded: '佐证材料要求',
    targets: '下发对象',
    underOrgId: '下发范围',
    orgKinds: '组织类别',
    fields: '领域',
    orgIds: '下级组织',
    text: '进展情况',
    reason: '退回原因',
    view: '范围',
    q: '关键词',
    overdue: '逾期',
    open: '未办结',
    orgId: '党组织',
    strata: '分层方式',
    size: '抽取数量',
    seed: '随机种子',
    measures: '整改措施',
    responsible: '责任人',
    result: '验收结果',
    comment: '验收意见',
    period: '期间',
    docNumber: '文号',
    level: '责任层级',
    personName: '责任人',
    from: '生效日期',
    date: '日期',
    summary: '内容摘要',
    signDeadline: '签收时限',
    reportDeadline: '落实情况报告时限',
  },
  errors: {
    TASK_NO_TARGETS: [422, '所选范围内没有符合条件的组织，任务未下发'],
    TASK_DEADLINE_PAST: [422, '完成时限不能早于今天'],
    TASK_DEADLINE_AFTER_PARENT: [422, '分解任务的完成时限不能晚于本级任务的完成时限'],
    TASK_NOT_HOLDER: [403, '只有承办该任务的组织才能办理'],
    TASK_NOT_ISSUER: [403, '只有下发该任务的组织才能验收或退回'],
    TASK_WRONG_STATE: [409, '任务当前状态不能进行此操作'],
    TASK_SPLIT_OUTSIDE: [422, '只能分解给本组织的下级组织'],
    TASK_ALREADY_ASSIGNED: [409, '所选组织已承办该任务'],
    TASK_CHILDREN_OPEN: [409, '分解给下级的任务尚未全部完成，验收后才能提交'],
    TASK_EVIDENCE_TOO_MANY: [422, '该任务的佐证材料已达上限'],
    RECTIFICATION_NOT_OWNER: [403, '只有问题所在的组织才能制定整改措施'],
    RECTIFICATION_NOT_ABOVE: [403, '整改验收由上级组织进行，问题所在组织不能自行验收'],
    RECTIFICATION_NOT_OPEN: [409, '该问题不在整改中'],
    RECTIFICATION_STILL_FOUND: [409, '规则检查仍发现该问题，问题消除后才能验收销号'],
    NOTICE_PUBLISHED: [409, '该通报已发布，不能再次发布'],
    NOTICE_SIGNED: [409, '本组织已签收该通报'],
    NOTICE_NOT_NAMED: [403, '本组织不在该通报点名的单位中，无需签收'],
    DIRECTIVE_DEADLINES: [422, '落实情况报告时限不能早于签收时限'],
    DIRECTIVE_NOT_RECIPIENT: [403, '本组织不是该文件的接收单位'],
    DIRECTIVE_SIGNED: [409, '本组织已签收该文件'],
    DIRECTIVE_NOT_SIGNED: [409, '请先签收文件，再报告贯彻落实情况'],
    RESPONSIBILITY_LATER_OVERRIDE: [409, '该层级已有更晚生效的调整，不能改写此前的责任人'],
    DRAW_EMPTY: [422, '所选范围内没有可抽取的组织'],
  },
  settings: {
    'lists.remindDaysBefore': { default: 3, label: '任务截止前几天提醒承办组织', unit: '天' },
    'lists.escalateAfterDays': { default: 3, label: '任务逾期几天后上报下发组织的上级', unit: '天' },
    'lists.maxEvidencePerAssignment': { default: 30, label: '每项任务最多上传佐证材料', unit: '个' },
  },
  tables: {
    tasks: {
      role: 'distributed',
      reason: "a county's tasks: co-located with its organizations",
      parents: ['orgs', 'users'],
    },
    task_assignments: {
      role: 'distributed',
      reason: "each organization's share of a task: co-located with the task and the organization",
      parents: ['tasks', 'orgs', 'users'],
    },
    task_events: {
      role: 'distributed',
      reason: "an assignment's history: co-located with its assignment",
      parents: ['task_assignments', 'users'],
    },
    task_evidence: {
      role: 'distributed',
      reason: "evidence files' records of an assignment (bytes in the file store): co-located with the assignment",
      parents: ['task_assignments', 'task_events', 'orgs', 'users'],
      files: [
        { key: 'blob_key', sm3: 'sm3' },
        { key: 'thumb_key', sm3: 'thumb_sm3' },
      ],
    },
    problem_rectifications: {
      role: 'distributed',
      reason: "a problem's rectification plans: co-located with the problem",
      parents: ['problems', 'orgs', 'users'],
    },
    problem_verifications: {
      role: 'distributed',
      reason: "the level above's verifications of a problem's rectification: co-located with the problem",
      parents: ['problems', 'orgs', 'users'],
    },
    notices: {
      role: 'distributed',
      reason: "a county's supervision notices with what they said as reviewed",
      parents: ['orgs', 'users'],
    },
    notice_signatures: {
      role: 'distributed',
      reason: 'the organizations a notice names and their signatures: co-located with the notice',
      parents: ['notices', 'orgs', 'users'],
    },
    directives: {
      role: 'distributed',
      reason: "documents a county's organizations sent down, with the stored file",
      parents: ['orgs', 'users'],
      files: [{ key: 'file_key', sm3: 'file_sm3' }],
    },
    directive_recipients: {
      role: 'distributed',
      reason: 'each organization a document was sent to, with its signature and report: co-located with the document',
      parents: ['directives', 'orgs', 'users'],
    },
    responsibility_overrides: {
      role: 'distributed',
      reason: "a committee's named responsible persons with the days they were in force",
      parents: ['orgs', 'users'],
    },
    inspection_draws: {
      role: 'distributed',
      reason: "a county's spot-check draws with their seed and population",
      parents: ['orgs', 'users'],
    },
  },
  jobs: {
    'lists.reminders': { title: '任务到期提醒与逾期上报', at: '07:30', catchUpHours: 12 },
  },
});
