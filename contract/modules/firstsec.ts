/**
 * 第一书记 (issue 20): the roster of first secretaries, village work-team members and two-new
 * Party-building instructors, their accounts, check-ins on the phone, leave with two approvals, the days
 * in the village each month, unannounced checks, and the rules the county checks them by (FS-1, FS-2).
 */
import { declareModule } from '../module.ts';

export default declareModule({
  name: 'firstsec',
  title: '第一书记',
  permissions: {
    'firstsec.roster': {
      label: '查看第一书记（驻村干部）名册、考勤和请假',
      roles: ['countyAdmin', 'orgAdmin', 'leader'],
    },
    'firstsec.read': {
      label: '查看第一书记的考勤、请假和抽查记录（第一书记本人只看自己的）',
      roles: ['countyAdmin', 'orgAdmin', 'leader', 'firstSecretary'],
    },
    'firstsec.manage': {
      label: '管理第一书记名册、开通其账号、标注重点村',
      roles: ['countyAdmin', 'orgAdmin'],
    },
    'firstsec.approve': {
      label: '审批第一书记请假、发起不打招呼抽查',
      roles: ['countyAdmin', 'orgAdmin'],
    },
    'firstsec.self': {
      label: '本人考勤打卡、请假',
      roles: ['firstSecretary'],
    },
  },
  auditActions: {
    'fs.create': '登记第一书记（驻村干部）',
    'fs.update': '修改第一书记信息',
    'fs.account': '开通第一书记账号',
    'fs.checkin': '第一书记考勤打卡',
    'fs.photoDownload': '查看考勤现场照片',
    'fs.leave': '第一书记申请请假',
    'fs.leaveDecide': '审批第一书记请假',
    'fs.leaveCancel': '撤回请假申请',
    'fs.spotCheck': '发起不打招呼抽查',
    'fs.designations': '标注重点村（软弱涣散村等）',
    'fs.fiveItem': '记录“五个一”事项',
    'fs.fiveConfirm': '确认“五个一”事项',
    'fs.fiveRemove': '删除“五个一”事项',
    'fs.score': '给出第一书记年度评价分',
    'fs.scoresExport': '导出第一书记年度考核得分表',
    'fs.report': '第一书记提交定期汇报',
    'fs.reportEdit': '修改定期汇报',
    'fs.reportComment': '批阅第一书记定期汇报',
    'fs.reminderRead': '阅读汇报提醒',
    'fs.training': '组织第一书记培训、座谈交流',
    'fs.trainingEdit': '修改培训、座谈交流',
    'fs.trainingAttendance': '记录培训、座谈交流出勤',
    'fs.systems': '修改第一书记管理制度',
    'fs.villagesExport': '导出重点村选派第一书记情况',
  },
  menu: [
    { path: '/checkin', label: '考勤打卡', icon: 'aim', perm: 'firstsec.self', order: 1 },
    { path: '/first-secretaries/report', label: '工作日志', icon: 'fileText', perm: 'firstsec.self', order: 1.1 },
    { path: '/first-secretaries', label: '第一书记', icon: 'userSwitch', perm: 'firstsec.roster', order: 29.8 },
    { path: '/first-secretaries/trainings', label: '培训交流', icon: 'schedule', perm: 'firstsec.read', order: 29.81 },
    { path: '/first-secretaries/villages', label: '重点村', icon: 'flag', perm: 'firstsec.roster', order: 29.82 },
    { path: '/first-secretaries/systems', label: '管理制度', icon: 'solution', perm: 'firstsec.read', order: 29.83 },
  ],
  pages: [
    { path: 'first-secretaries', page: 'firstsec/RosterPage', perm: 'firstsec.roster' },
    { path: 'first-secretaries/new', page: 'firstsec/FsFormPage', perm: 'firstsec.manage' },
    { path: 'first-secretaries/scores', page: 'firstsec/ScoresPage', perm: 'firstsec.roster' },
    { path: 'first-secretaries/report', page: 'firstsec/ReportPage', perm: 'firstsec.self' },
    { path: 'first-secretaries/reports', page: 'firstsec/ReportStatusPage', perm: 'firstsec.roster' },
    { path: 'first-secretaries/trainings', page: 'firstsec/TrainingsPage', perm: 'firstsec.read' },
    { path: 'first-secretaries/trainings/:id', page: 'firstsec/TrainingPage', perm: 'firstsec.read' },
    { path: 'first-secretaries/villages', page: 'firstsec/VillagesPage', perm: 'firstsec.roster' },
    { path: 'first-secretaries/systems', page: 'firstsec/SystemsPage', perm: 'firstsec.read' },
    { path: 'first-secretaries/:id', page: 'firstsec/FsDetailPage', perm: 'firstsec.read' },
    // data: the person's own page, read first (the check-in button waits for it); light: no shell, no antd.
    {
      path: 'checkin',
      page: 'firstsec/CheckinPage',
      perm: 'firstsec.self',
      data: ['/api/first-secretaries/me'],
      frame: 'light',
    },
  ],
  rules: {
    'FS-1': {
      name: '重点村选派第一书记',
      text: '对脱贫村、易地扶贫搬迁安置村（社区），继续选派第一书记和工作队……各地要选择一批乡村振兴任务重的村，选派第一书记或工作队……对党组织软弱涣散村，按照常态化、长效化整顿建设要求，继续全覆盖选派第一书记。',
      article: '《关于向重点乡村持续选派驻村第一书记和工作队的意见》（中共中央办公厅，2021年）选派范围',
      countyRule:
        '县委组织部标注的软弱涣散村、脱贫村、易地扶贫搬迁安置村（社区）在标注期间须有在岗的第一书记；乡村振兴任务重的村须有在岗的第一书记或驻村工作队员。',
      subject: '县委组织部标注的重点村（社区）',
      orgKinds: ['committee', 'generalBranch', 'branch', 'jointBranch'],
      reads: ['orgs', 'firstSecretaries'],
      checkedBy: ['engine'],
    },
    'FS-3': {
      name: '“五个一”',
      text: '两新组织第一书记、党建指导员落实“五个一”：每半月至少到联系的组织工作1天，每季度参加1次主题党日活动，每年至少总结推广1项经验做法，为组织解决1个实际问题（办1件好事），年终撰写1篇心得体会文章。',
      article: '本县抓基层党建工作方案（县委组织部；两新组织“红色引领”，县级自定规则，非党内法规条文）',
      countyRule:
        '每半月（1日至15日、16日至月底）在联系的组织至少有 1 天打卡（距离较远的不计；该半月工作日均经批准请假的免计）；联系的组织每季度有主题党日记录；经验做法、解决的实际问题、心得体会文章每年各记录 1 项，年底前完成。自本人账号开通后的半月起检查打卡；任期不满一季度的季度、当年任职不满半年的年度不作要求。',
      subject: '两新组织（非公企业、社会组织）的第一书记和党建指导员',
      orgKinds: ['committee', 'generalBranch', 'branch', 'jointBranch'],
      reads: ['firstSecretaries', 'checkins', 'meeting:themedDay'],
      checkedBy: ['engine'],
    },
    'FS-2': {
      name: '第一书记驻村时间',
      text: '第一书记任期一般为1至3年，不占村“两委”班子职数，不参加换届选举。',
      article:
        '《关于做好选派机关优秀干部到村任第一书记工作的通知》（中共中央组织部、中央农村工作领导小组办公室、国务院扶贫开发领导小组办公室，2015年）第四条',
      countyRule:
        '第一书记和驻村工作队员每月在村天数不少于当月工作日（扣除经批准的请假）的 2/3，或按县里设定不少于每月规定天数；以当月在驻村地点附近的考勤打卡计，每天至多计 1 天。自开通本人账号的次月起按月检查（当月 1 日开通的自当月起）。',
      subject: '在岗的第一书记、驻村工作队员',
      orgKinds: ['committee', 'generalBranch', 'branch', 'jointBranch', 'temporaryBranch'],
      settings: {
        'fs.daysRule': {
          label: '每月在村天数的计算方式',
          kind: 'choice',
          default: 'share',
          options: { share: '不少于工作日的一定比例', days: '不少于每月固定天数' },
          description:
            '本县抓基层党建工作方案（第一书记考勤）：驻村时间不少于工作日的 2/3，或每月不少于 20 天，由县里选定。',
        },
        'fs.shareOfWorkingDays': {
          label: '在村天数占工作日的比例',
          kind: 'share',
          default: '2/3',
          description: '按比例计算时使用；工作日按国务院办公厅公布的放假调休安排，扣除经批准的请假。',
        },
        'fs.daysPerMonth': {
          label: '每月在村天数',
          kind: 'int',
          unit: '天',
          default: 20,
          min: 1,
          max: 31,
          description: '按固定天数计算时使用；当月在岗不满整月的按在岗工作日折算，且不超过在岗工作日数。',
        },
      },
      reads: ['firstSecretaries', 'checkins'],
      checkedBy: ['engine'],
    },
    'FS-4': {
      name: '定期汇报',
      text: '对第一书记实行考勤、定期汇报、督查通报等制度，加强日常管理。',
      article: '本县抓基层党建工作方案（县委组织部；县级自定规则，非党内法规条文）',
      countyRule:
        '在岗的第一书记、驻村工作队员和党建指导员按县里设定的时间提交汇报：月度工作日志于次月 5 日前、季度工作报告于季度结束后次月 10 日前、年度工作总结于次年 1 月 20 日前提交（日期由县里设定，设为 0 的不要求）；每份汇报标注所涉工作领域，由乡镇（街道）党委和派出单位批阅。自本人账号开通后的次月起的各期检查（当月 1 日开通的自当月起），任期内各期均须提交；逾期提交的记为逾期，不再列为问题。',
      subject: '在岗且已开通账号的第一书记、驻村工作队员、党建指导员',
      orgKinds: ['committee', 'generalBranch', 'branch', 'jointBranch', 'temporaryBranch'],
      settings: {
        'fs.monthlyReportDay': {
          label: '月度工作日志的提交期限（次月几日前）',
          kind: 'int',
          unit: '日',
          default: 5,
          min: 0,
          max: 28,
          description:
            '本县抓基层党建工作方案（第一书记定期汇报）：每月工作日志于次月该日前提交；设为 0 表示不要求月度工作日志。',
        },
        'fs.quarterlyReportDay': {
          label: '季度工作报告的提交期限（季度结束后次月几日前）',
          kind: 'int',
          unit: '日',
          default: 10,
          min: 0,
          max: 28,
          description:
            '本县抓基层党建工作方案（第一书记定期汇报）：季度工作报告于季度结束后次月该日前提交；设为 0 表示不要求。',
        },
        'fs.yearlyReportDay': {
          label: '年度工作总结的提交期限（次年 1 月几日前）',
          kind: 'int',
          unit: '日',
          default: 20,
          min: 0,
          max: 31,
          description:
            '本县抓基层党建工作方案（第一书记定期汇报）：年度工作总结于次年 1 月该日前提交；设为 0 表示不要求。',
        },
      },
      reads: ['firstSecretaries', 'reports'],
      checkedBy: ['engine'],
    },
  },
});
