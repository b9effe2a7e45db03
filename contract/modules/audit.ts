/** 审计日志: the append-only, hash-chained log read as sentences, filtered and exported (SEC-12, SEC-14). */
import { declareModule } from '../module.ts';

export default declareModule({
  name: 'audit',
  title: '审计日志',
  permissions: {
    'audit.read': { label: '查看、导出审计日志', roles: ['auditor'] },
  },
  auditActions: { 'audit.export': '导出审计日志' },
  menu: [{ path: '/audit', label: '审计日志', icon: 'audit', perm: 'audit.read', order: 50 }],
  pages: [{ path: 'audit', page: 'AuditPage', perm: 'audit.read' }],
});
