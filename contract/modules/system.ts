/** 系统运行: the platform's scheduled jobs (the nightly backup, the nightly rules run), their runs and the backups' state. */
import { declareModule } from '../module.ts';

export default declareModule({
  name: 'system',
  title: '系统运行',
  permissions: {
    'system.jobs': { label: '查看定时任务与备份情况', roles: ['countyAdmin', 'securityAdmin'] },
  },
  menu: [{ path: '/system/jobs', label: '备份与定时任务', icon: 'schedule', perm: 'system.jobs', order: 70 }],
  pages: [{ path: 'system/jobs', page: 'system/JobsPage', perm: 'system.jobs' }],
});
