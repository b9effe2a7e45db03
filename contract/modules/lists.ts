/**
 * 三张清单与督查 (issue 19): the task list decomposed level by level (任务清单, 层层落实) with its
 * owners and evidence, and the supervision's random spot checks (随机抽查). The problem list's
 * rectification, notices, documents from above and the responsibility chain follow in this module.
 */
import { declareModule } from '../module.ts';

/** Organizations that hold tasks, receive documents and answer for problems: every kind (the lists' rules apply to each). */
const HOLDERS = [
  'committee',
  'workingCommittee',
  'generalBranch',
  'branch',
  'jointBranch',
  'temporaryBranch',
  'partyGroup',
] as const;

export default declareModule({
  name: 'lists',
  title: '任务清单与督查',
  permissions: {
    'lists.read': {
      label: '查看任务清单、任务台账和督查抽查',
      roles: ['countyAdmin', 'orgAdmin', 'branchSecretary', 'leader'],
    },
    'lists.issue': { label: '向下级组织下发任务', roles: ['countyAdmin', 'orgAdmin'] },
    'lists.work': {
      label: '签收、分解、汇报和提交本组织的任务',
      roles: ['countyAdmin', 'orgAdmin', 'branchSecretary'],
    },
    'lists.review': {
      label: '验收或退回下级提交的任务',
      roles: ['countyAdmin', 'orgAdmin', 'branchSecretary'],
    },
    'lists.inspect': {
      label: '随机抽取督查对象、登记检查发现的问题，生成和发布督查通报',
      roles: ['countyAdmin', 'orgAdmin'],
    },
  },
  auditActions: {
    'task.create': '下发任务',
    'task.split': '分解任务',
    'task.sign': '签收任务',
    'task.report': '汇报任务进展',
    'task.submit': '提交任务完成情况',
    'task.accept': '验收任务',
    'task.return': '退回任务',
    'task.evidence': '上传任务佐证材料',
    'task.evidenceDownload': '下载任务佐证材料',
    'task.remind': '任务到期提醒',
    'task.escalate': '任务逾期上报上级',
    'task.boardExport': '导出任务督办表',
    'inspection.draw': '随机抽取督查对象',
    'inspection.record': '登记督查检查及发现的问题',
    'notice.create': '生成督查通报草稿',
    'notice.publish': '发布督查通报',
    'notice.sign': '签收督查通报',
    'notice.download': '下载督查通报',
    'directive.create': '下发上级文件',
    'directive.sign': '签收上级文件',
    'directive.report': '报告文件贯彻落实情况',
    'directive.download': '下载上级文件',
    'responsibility.override': '调整党建责任人',
    'target.create': '设定年度目标责任书',
    'problem.major': '确定年度重点问题',
    'target.report': '报告目标完成情况',
    'target.score': '年底兑标打分',
    'problem.rectification': '制定问题整改措施',
    'problem.verifyPass': '问题整改验收通过（销号）',
    'problem.verifyFail': '问题整改验收未通过',
    'problem.progress': '汇报问题整改进展',
    'problem.evidence': '上传问题整改佐证材料',
    'problem.evidenceDownload': '下载问题整改佐证材料',
    'problem.report': '登记上级反馈或群众反映的问题',
    'inspection.plan': '制定督查检查计划',
  },
  menu: [
    { path: '/tasks', label: '任务清单', icon: 'flag', perm: 'lists.read', order: 28 },
    { path: '/tasks/dashboard', label: '任务督办', icon: 'fund', perm: 'lists.read', order: 29 },
    // Beside the tasks: after 任务督办 (29), before 统计分析 (30).
    { path: '/notices', label: '督查通报', icon: 'notification', perm: 'lists.read', order: 29.1 },
    { path: '/directives', label: '上级文件', icon: 'fileText', perm: 'lists.read', order: 29.2 },
    // 随机抽查 before 督查检查: the menu marks the first entry whose path starts the address.
    { path: '/inspections/draw', label: '随机抽查', icon: 'aim', perm: 'lists.inspect', order: 29.3 },
    { path: '/inspections/plans', label: '检查计划', icon: 'schedule', perm: 'lists.inspect', order: 29.35 },
    { path: '/inspections', label: '督查检查', icon: 'solution', perm: 'lists.read', order: 29.4 },
    { path: '/responsibility', label: '责任链条', icon: 'contacts', perm: 'lists.read', order: 29.5 },
    { path: '/targets', label: '目标责任书', icon: 'trophy', perm: 'lists.read', order: 29.6 },
  ],
  // The county's own rules on its lists (speech.md §2: a ledger with a named owner, checked and supervised
  // level by level). No Party regulation prescribes them article by article: each names the county's plan.
  rules: {
    'TASK-1': {
      name: '任务逾期未完成',
      text: '上级部署的党建任务逐级分解、明确责任人、限时办结，形成任务清单“明白账”；逾期未完成的逐级督办。',
      article: '本县抓基层党建工作方案（县委组织部；县级自定规则，非党内法规条文）',
      countyRule:
        '承办的任务超过完成时限仍未提交或未经验收的，列入该组织的问题清单；按时完成或经下发组织验收后自动消除。',
      subject: '承办任务的各级党组织',
      orgKinds: HOLDERS,
      reads: ['tasks'],
      checkedBy: ['engine'],
    },
    'DOC-1': {
      name: '上级文件未按时签收或报告',
      text: '上级党组织下发的文件须按时签收，并在规定时限内报告贯彻落实情况。',
      article: '本县抓基层党建工作方案（县委组织部；县级自定规则，非党内法规条文）',
      countyRule:
        '超过签收时限未签收、或超过报告时限未报告落实情况的文件，列入接收组织的问题清单；签收并报告后自动消除。',
      subject: '上级文件的接收组织',
      orgKinds: HOLDERS,
      reads: ['directives'],
      checkedBy: ['engine'],
    },
    'RECT-1': {
      name: '整改超过时限未销号',
      text: '问题清单中的问题制定整改措施、明确整改时限，整改到位并经上级验收后销号。',
      article: '本县抓基层党建工作方案（县委组织部；县级自定规则，非党内法规条文）',
      countyRule:
        '整改措施的时限已过、问题仍未销号（规则仍发现该问题，或尚未经上级验收通过）的，列入该组织的问题清单；销号或更新整改时限后自动消除。',
      subject: '有问题在整改中的各级党组织',
      orgKinds: HOLDERS,
      reads: ['rectifications'],
      checkedBy: ['engine'],
    },
  },
  pages: [
    { path: 'tasks', page: 'tasks/TasksPage', perm: 'lists.read' },
    { path: 'tasks/new', page: 'tasks/TaskFormPage', perm: 'lists.issue' },
    { path: 'tasks/dashboard', page: 'tasks/TaskDashboardPage', perm: 'lists.read' },
    { path: 'tasks/assignments/:id', page: 'tasks/AssignmentPage', perm: 'lists.read' },
    { path: 'tasks/:id', page: 'tasks/TaskDetailPage', perm: 'lists.read' },
    { path: 'notices', page: 'tasks/NoticesPage', perm: 'lists.read' },
    { path: 'notices/:id', page: 'tasks/NoticePage', perm: 'lists.read' },
    { path: 'directives', page: 'tasks/DirectivesPage', perm: 'lists.read' },
    { path: 'directives/new', page: 'tasks/DirectiveFormPage', perm: 'lists.issue' },
    { path: 'directives/:id', page: 'tasks/DirectivePage', perm: 'lists.read' },
    { path: 'problems/:id/rectification', page: 'tasks/RectificationPage', perm: 'lists.read' },
    { path: 'inspections', page: 'tasks/InspectionsPage', perm: 'lists.read' },
    { path: 'inspections/new', page: 'tasks/InspectionFormPage', perm: 'lists.inspect' },
    { path: 'inspections/draw', page: 'tasks/DrawPage', perm: 'lists.inspect' },
    { path: 'inspections/plans', page: 'tasks/InspectionPlansPage', perm: 'lists.read' },
    { path: 'responsibility', page: 'tasks/ResponsibilityPage', perm: 'lists.read' },
    { path: 'targets', page: 'tasks/TargetsPage', perm: 'lists.read' },
    { path: 'targets/:id', page: 'tasks/TargetSheetPage', perm: 'lists.read' },
  ],
});
