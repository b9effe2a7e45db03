/** 统计分析: counts of members and organizations across a subtree, with an Excel export. */
import { declareModule } from '../module.ts';

export default declareModule({
  name: 'stats',
  title: '统计分析',
  auditActions: { 'stats.export': '导出统计表' },
  menu: [{ path: '/stats', label: '统计分析', icon: 'barChart', perm: 'members.read', order: 30 }],
  pages: [{ path: 'stats', page: 'StatsPage', perm: 'members.read' }],
});
