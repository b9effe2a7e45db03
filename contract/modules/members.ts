/** 党员管理: members, their organization history, Excel import and export (rules NAT-*, MEM-*). */
import { declareModule } from '../module.ts';

export default declareModule({
  name: 'members',
  title: '党员管理',
  permissions: {
    'members.read': { label: '查看党员（脱敏）', roles: ['countyAdmin', 'orgAdmin', 'branchSecretary', 'leader'] },
    'members.write': { label: '新增、修改党员，转接组织关系', roles: ['countyAdmin', 'orgAdmin', 'branchSecretary'] },
    'members.reveal': {
      label: '查看完整个人信息（须说明原因）',
      roles: ['countyAdmin', 'orgAdmin', 'branchSecretary'],
    },
    'members.import': { label: '导入党员名册', roles: ['countyAdmin', 'orgAdmin'] },
    'members.export': { label: '导出党员名册', roles: ['countyAdmin', 'orgAdmin'] },
  },
  auditActions: {
    'member.create': '新增党员',
    'member.update': '修改党员',
    'member.transfer': '组织关系转接',
    'member.transfer.batch': '批量转接',
    'member.reveal': '查看完整信息',
    'member.export': '导出党员名册',
    'member.import': '导入党员名册',
    'member.import.rejected': '下载未导入的名册行',
    'member.search.idNumber': '按身份证号码查找',
    'member.phones.view': '查看本支部党员电话',
    'member.duplicateRefused': '拒绝重复登记',
  },
  // The rules on each member (shared/domain/rules.md MEM-*): the engine's statements in checks.ts.
  rules: {
    'MEM-3': {
      name: '失联党员',
      text: '失去联系超过 6 个月的党员停止党籍；停止党籍后再满 2 年仍无法取得联系的，按自行脱党予以除名。',
      article: '《中国共产党党员教育管理工作条例》2019',
      subject: '标记为失联且有最后联系日期的党员',
      orgKinds: ['branch', 'jointBranch', 'temporaryBranch', 'generalBranch', 'partyGroup'],
      settings: {
        'member.lostContactMonths': {
          label: '失联超过几个月停止党籍',
          unit: '个月',
          kind: 'int',
          default: 6,
          min: 1,
          max: 24,
        },
        'member.lostContactRemoveYears': {
          label: '停止党籍后再满几年按自行脱党除名',
          unit: '年',
          kind: 'int',
          default: 2,
          min: 1,
          max: 5,
        },
      },
      reads: ['members'],
      checkedBy: ['engine'],
    },
    'MEM-4': {
      name: '连续未参加组织生活',
      text: '党员连续 6 个月无正当理由不参加党的组织生活，或不交纳党费，或不做党所分配的工作，按自行脱党处理。',
      article: '《中国共产党章程》第九条；《中国共产党党员教育管理工作条例》2019',
      subject: '在本组织满整个期间且未标记失联的党员',
      orgKinds: ['branch', 'jointBranch', 'temporaryBranch', 'generalBranch', 'partyGroup'],
      settings: {
        'member.noLifeMonths': {
          label: '连续几个月未参加组织生活列入问题清单',
          unit: '个月',
          kind: 'int',
          default: 6,
          min: 1,
          max: 24,
        },
      },
      reads: ['members', 'attendance'],
      checkedBy: ['engine'],
    },
  },
  menu: [{ path: '/members', label: '党员管理', icon: 'team', perm: 'members.read', order: 20 }],
  pages: [
    // data: the list's first page as MembersPage asks for it (page, then pageSize, then phones — the first screen shows them; no filters).
    {
      path: 'members',
      page: 'members/MembersPage',
      perm: 'members.read',
      data: ['/api/members?page=1&pageSize=20&phones=true'],
    },
    { path: 'members/new', page: 'members/MemberFormPage', perm: 'members.write' },
    { path: 'members/import', page: 'members/ImportPage', perm: 'members.import' },
    { path: 'members/print', page: 'members/RosterPrintPage', perm: 'members.read' },
    { path: 'members/:id', page: 'members/MemberDetailPage', perm: 'members.read' },
    { path: 'members/:id/edit', page: 'members/MemberFormPage', perm: 'members.write' },
  ],
});
