/**
 * 三张清单与督查 (issue 19): the task list decomposed level by level (任务清单, 层层落实) with its
 * owners and evidence, and the supervision's random spot checks (随机抽查). The problem list's
 * rectification, notices, documents from above and the responsibility chain follow in this module.
 */
import { declareModule } from '../module.ts';

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
    'lists.inspect': { label: '随机抽取督查对象，生成和发布督查通报', roles: ['countyAdmin', 'orgAdmin'] },
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
    'inspection.draw': '随机抽取督查对象',
    'notice.create': '生成督查通报草稿',
    'notice.publish': '发布督查通报',
    'notice.sign': '签收督查通报',
    'notice.download': '下载督查通报',
    'directive.create': '下发上级文件',
    'directive.sign': '签收上级文件',
    'directive.report': '报告文件贯彻落实情况',
    'directive.download': '下载上级文件',
    'problem.rectification': '制定问题整改措施',
    'problem.verifyPass': '问题整改验收通过（销号）',
    'problem.verifyFail': '问题整改验收未通过',
  },
  menu: [
    { path: '/tasks', label: '任务清单', icon: 'flag', perm: 'lists.read', order: 28 },
    { path: '/tasks/dashboard', label: '任务督办', icon: 'fund', perm: 'lists.read', order: 29 },
  ],
  pages: [
    { path: 'tasks', page: 'tasks/TasksPage', perm: 'lists.read' },
    { path: 'tasks/new', page: 'tasks/TaskFormPage', perm: 'lists.issue' },
    { path: 'tasks/dashboard', page: 'tasks/TaskDashboardPage', perm: 'lists.read' },
    { path: 'tasks/assignments/:id', page: 'tasks/AssignmentPage', perm: 'lists.read' },
    { path: 'tasks/:id', page: 'tasks/TaskDetailPage', perm: 'lists.read' },
  ],
});
