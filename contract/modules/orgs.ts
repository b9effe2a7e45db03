/** 组织架构: the organization tree, its leadership posts and history (rules ORG-*). */
import { declareModule } from '../module.ts';

export default declareModule({
  name: 'orgs',
  title: '组织架构',
  permissions: {
    'orgs.read': { label: '查看党组织', roles: ['countyAdmin', 'orgAdmin', 'branchSecretary', 'leader'] },
    'orgs.write': { label: '维护党组织（新建、修改、调整隶属、合并、撤销、班子）', roles: ['countyAdmin', 'orgAdmin'] },
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
  // The rules on an organization's setup and leadership (shared/domain/rules.md ORG-*): the engine's statements in checks.ts.
  rules: {
    'ORG-1': {
      name: '支部设置与规模',
      text: '有正式党员 3 人以上的单位单独建立党支部，不足 3 人的建立联合党支部；党支部党员一般不超过 50 人。',
      article: '《中国共产党支部工作条例（试行）》2018',
      subject: '党支部、联合党支部、临时党支部',
      orgKinds: ['branch', 'jointBranch', 'temporaryBranch'],
      reads: ['orgs', 'members'],
      checkedBy: ['card'],
    },
    'ORG-2': {
      name: '支部委员会设置',
      text: '正式党员 7 人以上的党支部设立支部委员会（3 至 5 人，最多不超过 7 人），设书记和组织、宣传、纪检委员；不足 7 人的设书记。',
      article: '《中国共产党支部工作条例（试行）》2018',
      subject: '党支部、联合党支部、临时党支部、党总支（正式党员含其党小组的党员）',
      orgKinds: ['branch', 'jointBranch', 'temporaryBranch', 'generalBranch'],
      reads: ['orgs', 'posts', 'members'],
      checkedBy: ['engine', 'card'],
    },
    'ORG-4': {
      name: '按期换届',
      text: '村、社区党组织和乡镇党委每届 5 年，其他党支部、党总支每届 3 年；届满应按期换届，延期须经批准且不超过 1 年。',
      article: '《中国共产党基层组织选举工作条例》2020',
      subject: '设有届期的党组织（党小组除外）',
      orgKinds: ['committee', 'workingCommittee', 'generalBranch', 'branch', 'jointBranch', 'temporaryBranch'],
      reads: ['orgs'],
      checkedBy: ['engine', 'card'],
    },
    'ORG-5': {
      name: '班子职务空缺',
      text: '班子职务空缺应及时补齐；书记空缺超过 3 个月（县级可设参数）是软弱涣散信号。',
      article: '《中国共产党支部工作条例（试行）》2018；软弱涣散基层党组织整顿标准',
      subject: '党支部、联合党支部、临时党支部、党总支、党委、党工委',
      orgKinds: ['committee', 'workingCommittee', 'generalBranch', 'branch', 'jointBranch', 'temporaryBranch'],
      settings: {
        'org.secretaryVacantMonthsRule': {
          label: '书记空缺超过几个月列入问题清单',
          unit: '个月',
          kind: 'int',
          default: 3,
          min: 1,
          max: 24,
        },
      },
      reads: ['orgs', 'posts'],
      checkedBy: ['engine', 'card'],
    },
    'ORG-6': {
      name: '书记党龄',
      text: '党支部书记一般应具有 1 年以上党龄（党龄自转正之日算起）。',
      article: '《中国共产党支部工作条例（试行）》2018',
      subject: '党组织的现任书记（登记为本县党员的）',
      orgKinds: ['committee', 'workingCommittee', 'generalBranch', 'branch', 'jointBranch', 'temporaryBranch'],
      settings: {
        'org.secretaryStandingYears': {
          label: '书记任职时至少应有党龄',
          unit: '年',
          kind: 'int',
          default: 1,
          min: 0,
          max: 10,
        },
      },
      reads: ['orgs', 'posts', 'members'],
      checkedBy: ['engine', 'card'],
    },
  },
  menu: [{ path: '/orgs', label: '组织架构', icon: 'apartment', perm: 'orgs.read', order: 10 }],
  pages: [
    { path: 'orgs', page: 'orgs/OrgsPage', perm: 'orgs.read' },
    { path: 'orgs/:id', page: 'orgs/OrgsPage', perm: 'orgs.read' },
  ],
});
