/** 组织架构: the organization tree, its leadership posts and history (rules ORG-*). */
import { ORG_FIELD_LABELS } from '../../../contract/labels.ts';
import { defineModule } from '../module.ts';

export default defineModule({
  name: 'orgs',
  title: '组织架构',
  apiPrefixes: ['/api/orgs'],
  hasRoutes: true,
  events: {
    'orgs.changed': '党组织新建、改名、调整隶属、合并、撤销，或班子任职变化（载荷：orgs/api.ts OrgChange）',
  },
  permissions: {
    'orgs.read': { label: '查看党组织', roles: ['countyAdmin', 'orgAdmin', 'branchSecretary', 'leader'] },
    'orgs.write': { label: '维护党组织（新建、修改、调整隶属、合并、撤销、班子）', roles: ['countyAdmin', 'orgAdmin'] },
  },
  fieldLabels: ORG_FIELD_LABELS,
  settings: {
    'org.secretaryVacantMonths': { default: 3, label: '书记空缺提醒期限', unit: '个月' },
    'org.branchMaxMembers': { default: 50, label: '支部党员人数上限（超过应分设）', unit: '人' },
  },
  auditActions: {
    'org.create': '新建组织',
    'org.update': '修改组织',
    'org.move': '调整隶属',
    'org.merge': '合并组织',
    'org.dissolve': '撤销组织',
    'org.post': '任免班子',
    'org.reveal': '查看组织联系电话',
  },
  menu: [{ path: '/orgs', label: '组织架构', icon: 'apartment', perm: 'orgs.read', order: 10 }],
  pages: [
    { path: 'orgs', page: 'orgs/OrgsPage', perm: 'orgs.read' },
    { path: 'orgs/:id', page: 'orgs/OrgsPage', perm: 'orgs.read' },
  ],
  tables: {
    orgs: { role: 'distributed', reason: 'the organization tree of one county; every query stays inside one county (county code + path prefix)' },
    org_posts: { role: 'distributed', reason: 'leadership posts belong to an organization: co-located with orgs, joined on the county', parents: ['orgs', 'members'] },
    org_events: { role: 'distributed', reason: 'an organization\'s history: co-located with orgs', parents: ['orgs', 'users'] },
  },
});
