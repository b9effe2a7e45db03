/**
 * 第一书记 (issue 20): the roster of people posted to villages and organizations, their own accounts,
 * check-ins from the phone measured against the posted office, leave approved by the township and the
 * dispatching unit, unannounced checks, the days in the village each month, and the rules FS-1 and FS-2.
 */
import decl from '../../../contract/modules/firstsec.ts';
import { defineModule } from '../module.ts';

/** The declaration (contract/modules/firstsec.ts) and what only the server reads. */
export default defineModule({
  ...decl,
  apiPrefixes: ['/api/first-secretaries', '/api/checkins'],
  hasRoutes: true,
  events: {
    'firstsec.changed': '第一书记名册、重点村标注、考勤打卡或请假变化（载荷：firstsec/api.ts FirstsecChange）',
  },
  demo: { title: '演示县：第一书记名册和近三个月的考勤打卡', after: ['seed'] },
  fieldLabels: {
    name: '姓名',
    idNumber: '身份证号码',
    memberId: '党员',
    role: '类别',
    dispatchUnit: '派出单位',
    dispatchOrgId: '派出单位党组织',
    liaison: '派出单位联络人',
    orgId: '驻村（驻点）组织',
    startDate: '任职日期',
    endDate: '任期届满日期',
    areas: '工作领域',
    status: '状态',
    endedOn: '离任日期',
    endReason: '离任原因',
    version: '版本',
    lat: '纬度',
    lng: '经度',
    accuracy: '定位精度',
    madeAt: '打卡时间',
    clientId: '本机编号',
    checkId: '抽查',
    note: '备注',
    fromDate: '开始日期',
    toDate: '结束日期',
    reason: '请假事由',
    approve: '审批意见',
    comment: '说明',
    side: '审批方',
    minutes: '限时',
    designations: '重点村标注',
    kind: '类别',
    month: '月份',
    q: '关键词',
    fsId: '第一书记',
    from: '开始日期',
    to: '结束日期',
    flagged: '有标记',
    doneOn: '完成日期',
    title: '标题',
    body: '内容',
    year: '年份',
    period: '汇报期间',
    text: '批阅意见',
  },
  errors: {
    FS_ID_REQUIRED: [422, '请填写身份证号码，或选择已在册的党员'],
    FS_ALREADY_SERVING: [409, '此人已在该组织任职，未离任前不能重复登记'],
    FS_DATES: [422, '任期届满日期应晚于任职日期'],
    FS_ACCOUNT_EXISTS: [409, '此人已开通账号'],
    FS_NOT_SERVING: [409, '此人已离任，不能开通账号或打卡'],
    FS_NOT_POSTED: [403, '您的账号未登记为在岗的第一书记（驻村干部），不能打卡或请假'],
    FS_CHECKIN_FUTURE: [422, '打卡时间晚于当前时间，请检查手机时间'],
    FS_CHECKIN_TOO_OLD: [422, '离线打卡超过可补传的天数，不能再补传'],
    FS_CHECK_CLOSED: [409, '该次抽查已结束或已回应'],
    FS_LEAVE_DATES: [422, '请假结束日期不能早于开始日期'],
    FS_LEAVE_OVERLAP: [409, '与已提交的请假时间重叠'],
    FS_LEAVE_DECIDED: [409, '该请假已审批或已撤回'],
    FS_LEAVE_NOT_YOURS: [403, '只能审批本组织管辖范围内或本单位派出人员的请假'],
    FS_NOT_VILLAGE: [422, '只能标注村（社区）一级的党组织'],
    FS_REPORT_EXISTS: [409, '本期汇报已经提交过，可打开原汇报修改'],
    FS_REPORT_COMMENTED: [409, '该汇报已有批阅意见，不能再修改'],
    FS_REPORT_NOT_YOURS: [403, '只有所驻组织的乡镇（街道）党委、派出单位或县委组织部可以批阅汇报'],
    FS_REPORT_PERIOD: [422, '汇报期间与类别不符：月度如 2026-11，季度如 2026-Q4，年度如 2026'],
    FS_REPORT_NOT_BEGUN: [422, '该期尚未开始，不能提交汇报'],
    FS_REPORT_TOO_SHORT: [422, '汇报内容过短，请至少写 10 个字'],
    FS_REPORT_FUTURE: [422, '填写时间晚于当前时间，请检查手机时间'],
    FS_REPORT_TOO_OLD: [422, '离线保存的汇报超过可补传的天数，请重新填写提交'],
    FS_FIVE_NOT_TWO_NEW: [422, '“五个一”只适用于两新组织的第一书记和党建指导员'],
    FS_FIVE_FUTURE: [422, '完成日期不能晚于今天'],
    FS_FIVE_OUTSIDE_TERM: [422, '完成日期不在此人的任期内'],
    FS_FIVE_NOT_YOURS: [403, '只能由此人联系组织的上级党（工）委或县委组织部确认'],
    FS_FIVE_CONFIRMED: [409, '该记录已确认，不能再确认或删除'],
  },
  settings: {
    'firstsec.farMeters': { default: 2000, label: '打卡位置距驻村地点超过多少米时标记“较远”', unit: '米' },
    'firstsec.offlineDays': { default: 7, label: '离线打卡最多可在几天内补传', unit: '天' },
    'firstsec.gapAlertDays': { default: 5, label: '连续几个工作日未打卡（不含请假）提示空岗、脱岗', unit: '天' },
    'firstsec.reportRemindDays': {
      default: 3,
      label: '定期汇报到期前几天开始在平台内提醒本人（平台没有短信、微信通道，只在本人页面提醒）',
      unit: '天',
    },
    'firstsec.spotCheckMinutes': { default: 60, label: '不打招呼抽查要求在多少分钟内拍照回应', unit: '分钟' },
    'firstsec.randomChecksPerMonth': {
      default: 1,
      label: '平台每月对每名驻村干部随机发起不打招呼抽查的次数（0 为不发起）',
      unit: '次',
    },
  },
  tables: {
    first_secretaries: {
      role: 'distributed',
      reason:
        "a county's first secretaries and village work teams: co-located with the organizations they are posted to",
      parents: ['orgs', 'members', 'users'],
    },
    fs_checkins: {
      role: 'distributed',
      reason:
        "a person's check-ins with the on-the-spot photo's record (bytes in the file store): co-located with the roster",
      parents: ['first_secretaries', 'orgs', 'fs_spot_checks', 'users'],
      files: [
        { key: 'blob_key', sm3: 'sm3' },
        { key: 'thumb_key', sm3: 'thumb_sm3' },
      ],
    },
    fs_leaves: {
      role: 'distributed',
      reason: "a person's leave requests and the two approvals: co-located with the roster",
      parents: ['first_secretaries', 'users'],
    },
    fs_spot_checks: {
      role: 'distributed',
      reason: 'unannounced checks of a person and the check-in that answered: co-located with the roster',
      parents: ['first_secretaries', 'users'],
    },
    fs_reports: {
      role: 'distributed',
      reason: "a person's periodic reports (定期汇报): co-located with the roster",
      parents: ['first_secretaries', 'orgs', 'users'],
    },
    fs_report_comments: {
      role: 'distributed',
      reason: "the township's, the dispatching unit's and the county's comments on a report: co-located with it",
      parents: ['fs_reports', 'users'],
    },
    fs_reminders: {
      role: 'distributed',
      reason: 'reminders the daily job wrote for reports coming due or overdue: co-located with the roster',
      parents: ['first_secretaries'],
    },
    fs_trainings: {
      role: 'distributed',
      reason:
        'training and exchange sessions a county or township holds for the people posted: co-located with its organizations',
      parents: ['orgs', 'users'],
    },
    fs_training_attendance: {
      role: 'distributed',
      reason: 'who was called to a session and whether they came: co-located with the session',
      parents: ['fs_trainings', 'first_secretaries'],
    },
    fs_systems: {
      role: 'distributed',
      reason: "the county's own management systems for first secretaries (七项管理制度)",
      parents: ['users'],
    },
    fs_five_items: {
      role: 'distributed',
      reason:
        'the "五个一" recorded by hand (a practice, a problem solved, a paper) with the confirmation: co-located with the roster',
      parents: ['first_secretaries', 'users'],
    },
    fs_score_items: {
      role: 'distributed',
      reason:
        "the township's and the dispatching unit's manual items of a person's yearly score: co-located with the roster",
      parents: ['first_secretaries', 'users'],
    },
    org_designations: {
      role: 'distributed',
      reason: 'the villages a county marks for a first secretary (FS-1): co-located with its organizations',
      parents: ['orgs', 'users'],
    },
  },
  jobs: {
    'firstsec.spotChecks': { title: '第一书记不打招呼随机抽查', at: '07:10', catchUpHours: 10 },
    'firstsec.reportReminders': {
      title: '第一书记定期汇报到期和逾期提醒（仅平台内提醒，无短信、微信）',
      at: '08:00',
      catchUpHours: 12,
    },
  },
});
