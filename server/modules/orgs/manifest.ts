/** 组织架构: the organization tree, its leadership posts and history (rules ORG-*). */
import { ORG_FIELD_LABELS } from '../../../contract/labels.ts';
import decl from '../../../contract/modules/orgs.ts';
import { defineModule } from '../module.ts';

/** The declaration (contract/modules/orgs.ts) and what only the server reads. */
export default defineModule({
  ...decl,
  apiPrefixes: ['/api/orgs'],
  hasRoutes: true,
  events: {
    'orgs.changed': '党组织新建、改名、调整隶属、合并、撤销，或班子任职变化（载荷：orgs/api.ts OrgChange）',
  },
  fieldLabels: ORG_FIELD_LABELS,
  settings: {
    'org.secretaryVacantMonths': { default: 3, label: '书记空缺提醒期限', unit: '个月' },
    'org.branchMaxMembers': { default: 50, label: '支部党员人数上限（超过应分设）', unit: '人' },
  },
  tables: {
    orgs: {
      role: 'distributed',
      reason: 'the organization tree of one county; every query stays inside one county (county code + path prefix)',
    },
    org_posts: {
      role: 'distributed',
      reason: 'leadership posts belong to an organization: co-located with orgs, joined on the county',
      parents: ['orgs', 'members'],
    },
    org_events: {
      role: 'distributed',
      reason: "an organization's history: co-located with orgs",
      parents: ['orgs', 'users'],
    },
  },
});
