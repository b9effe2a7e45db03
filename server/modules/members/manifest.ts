/** 党员管理: members, their organization history, Excel import and export (rules NAT-*, MEM-*). */
import { MEMBER_FIELD_LABELS } from '../../../contract/labels.ts';
import decl from '../../../contract/modules/members.ts';
import { defineModule } from '../module.ts';

/** The declaration (contract/modules/members.ts) and what only the server reads. */
export default defineModule({
  ...decl,
  apiPrefixes: ['/api/members'],
  hasRoutes: true,
  events: {
    'members.changed': '党员新增、转接组织关系、类别或失联状态变化（载荷：members/api.ts MemberChange）',
  },
  fieldLabels: MEMBER_FIELD_LABELS,
  errors: {
    DUPLICATE_ID_NUMBER: [409, '该身份证号码已登记为党员'],
    IMPORT_TOO_MANY_ROWS: [413, '单次最多导入 20,000 行，请拆分文件后分批导入，未写入任何数据'],
    IMPORT_INVALID: [422, '导入文件有错误，未写入任何数据'],
  },
  settings: {
    'members.secretarySeesPhones': { default: true, label: '支部书记可在列表中查看本支部党员电话（每次查看记审计）' },
  },
  tables: {
    members: {
      role: 'distributed',
      reason:
        'the largest table; a member belongs to an organization of one county; the ID blind index is unique within the county',
      parents: ['orgs'],
    },
    member_org_history: {
      role: 'distributed',
      reason: 'membership history: co-located with members',
      parents: ['members', 'orgs'],
    },
    import_mappings: {
      role: 'distributed',
      reason:
        "what a county's offices told the import wizard once (their headers and colloquial values): read and written for the importing user's county only",
      parents: ['users'],
    },
  },
});
