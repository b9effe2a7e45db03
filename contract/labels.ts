/**
 * Codes and their Chinese labels, without zod: the web app imports these at run time, and anything
 * with runtime zod in it would pull zod (~50 kB compressed) into every page. The schema modules
 * re-export them, so `contract/common.ts` etc. still offer the same names.
 */

export const ORG_KINDS = [
  'committee',
  'workingCommittee',
  'generalBranch',
  'branch',
  'jointBranch',
  'temporaryBranch',
  'partyGroup',
] as const;
export const ORG_KIND_LABELS: Record<(typeof ORG_KINDS)[number], string> = {
  committee: '党委',
  workingCommittee: '党工委',
  generalBranch: '党总支',
  branch: '党支部',
  jointBranch: '联合党支部',
  temporaryBranch: '临时党支部',
  partyGroup: '党小组',
};
export const FIELDS = [
  'rural',
  'community',
  'organ',
  'institution',
  'nonPublicEnterprise',
  'socialOrganization',
  'soe',
  'school',
] as const;
export const FIELD_LABELS: Record<(typeof FIELDS)[number], string> = {
  rural: '农村',
  community: '社区',
  organ: '机关',
  institution: '事业单位',
  nonPublicEnterprise: '非公企业',
  socialOrganization: '社会组织',
  soe: '国有企业',
  school: '学校',
};
export const POSTS = [
  'secretary',
  'deputySecretary',
  'organizationMember',
  'propagandaMember',
  'disciplineMember',
  'member',
] as const;
export const POST_LABELS: Record<(typeof POSTS)[number], string> = {
  secretary: '书记',
  deputySecretary: '副书记',
  organizationMember: '组织委员',
  propagandaMember: '宣传委员',
  disciplineMember: '纪检委员',
  member: '委员',
};
export const STANDINGS = ['probationary', 'full'] as const;
export const STANDING_LABELS = { probationary: '预备党员', full: '正式党员' } as const;
export const UNIT_SITUATIONS: Record<string, string> = {
  sameAsParent: '与上级党组织所在单位相同',
  legalPerson: '法人单位',
  joint: '联合党支部（多个单位）',
};

/** Which kinds of organization may be set up under which. */
export const CHILD_KINDS: Record<string, string[]> = {
  committee: ['committee', 'workingCommittee', 'generalBranch', 'branch', 'jointBranch', 'temporaryBranch'],
  workingCommittee: ['committee', 'generalBranch', 'branch', 'jointBranch', 'temporaryBranch'],
  generalBranch: ['branch', 'jointBranch', 'temporaryBranch'],
  branch: ['partyGroup'],
  jointBranch: ['partyGroup'],
  temporaryBranch: ['partyGroup'],
  partyGroup: [],
};

/** Kinds of organization a member can be placed in (MEM-2: a branch or a Party group). */
export const MEMBER_ORG_KINDS: Set<string> = new Set([
  'branch',
  'jointBranch',
  'temporaryBranch',
  'generalBranch',
  'partyGroup',
]);

/** Chinese names of the member fields, for messages and forms. */
export const MEMBER_FIELD_LABELS: Record<string, string> = {
  name: '姓名',
  idNumber: '身份证号码',
  orgId: '所在党组织',
  standing: '党员类别',
  joinDate: '入党日期',
  fullDate: '转正日期',
  phone: '联系电话',
  address: '家庭住址',
  ethnicity: '民族',
  education: '学历',
  personCategory: '人员类别',
  joinMethod: '入党方式',
  post: '职务',
  nativePlace: '籍贯',
  workStartDate: '参加工作日期',
  lostContact: '失联党员',
  lastContactDate: '最后联系日期',
  mobile: '流动党员',
};

/** Chinese names of the organization fields, for messages, forms and the history. */
export const ORG_FIELD_LABELS: Record<string, string> = {
  name: '名称',
  shortName: '简称',
  kind: '组织类型',
  field: '领域',
  category: '组织类别',
  divisionCode: '行政区划代码',
  unitSituation: '单位情况',
  unitName: '单位名称',
  foundedOn: '成立日期',
  contactName: '联系人',
  contactPhone: '联系电话',
  termStart: '本届开始',
  termEnd: '届满日期',
  termYears: '每届年限',
  newParentId: '新的上级组织',
  intoId: '并入组织',
  reason: '原因',
  post: '职务',
  memberId: '任职党员',
  personName: '姓名',
  startDate: '任职日期',
};

export const ROLE_CODES = [
  'countyAdmin',
  'orgAdmin',
  'branchSecretary',
  'leader',
  'securityAdmin',
  'auditor',
  'firstSecretary',
] as const;
export const ROLE_LABELS: Record<string, string> = {
  countyAdmin: '县级管理员',
  orgAdmin: '党组织管理员',
  branchSecretary: '支部书记',
  leader: '领导（只读）',
  securityAdmin: '安全管理员',
  auditor: '审计员',
  firstSecretary: '第一书记（驻村干部）',
};

/**
 * The kind 新建下级组织 proposes. Under the county committee the usual new unit is a committee (a
 * township's); below that, a township committee, a working committee or a general branch mostly
 * sets up branches (党支部), and a branch sets up Party groups. Always one of CHILD_KINDS[parent].
 */
export function defaultChildKind(parent: { kind: string; depth: number }): string | undefined {
  const allowed = CHILD_KINDS[parent.kind] ?? [];
  if (parent.depth === 0) return allowed[0];
  return allowed.includes('branch') ? 'branch' : allowed[0];
}

/** Columns of the member roster (import and export) with their Chinese headers: the choices when the import wizard asks what an unknown header is. */
export const IMPORT_COLUMN_LABELS = {
  name: '姓名',
  idNumber: '公民身份号码',
  org: '所在党组织',
  standing: '党员类别',
  joinDate: '入党日期',
  fullDate: '转正日期',
  phone: '联系电话',
  address: '家庭住址',
  ethnicity: '民族',
  education: '学历',
  personCategory: '人员类别',
  post: '职务',
  nativePlace: '籍贯',
  workStartDate: '参加工作日期',
  lostContact: '失联',
  birthDate: '出生日期',
} as const;

/** Organizational life (contract/meetings.ts re-exports these). Meeting kinds: glossary code names. */
export const MEETING_KINDS = [
  'branchMeeting',
  'committeeMeeting',
  'groupMeeting',
  'partyLecture',
  'themedDay',
  'lifeMeeting',
  'appraisal',
  'heartTalk',
  'specialMeeting',
  'jointMeeting',
] as const;
export type MeetingKind = (typeof MEETING_KINDS)[number];
export const MEETING_KIND_LABELS: Record<MeetingKind, string> = {
  branchMeeting: '支部党员大会',
  committeeMeeting: '支委会',
  groupMeeting: '党小组会',
  partyLecture: '党课',
  themedDay: '主题党日',
  lifeMeeting: '组织生活会',
  appraisal: '民主评议党员',
  heartTalk: '谈心谈话',
  specialMeeting: '党建专题会议',
  jointMeeting: '联席会议',
};

/**
 * Kinds whose record needs a topic (issue 18 §3): a 党课 is given on a subject, a 主题党日 has its theme,
 * a 专题会议 its one matter. The server refuses a blank one (MEETING_TOPIC_REQUIRED), the form says so
 * beside the field.
 */
export const MEETING_KINDS_NEEDING_TOPIC: ReadonlySet<MeetingKind> = new Set([
  'partyLecture',
  'themedDay',
  'specialMeeting',
]);

/**
 * A record is of a meeting that was held (issue 18 §3): a start later than this many minutes after now
 * is refused (MEETING_NOT_YET_HELD) by the server and the form. The margin allows for a phone's clock
 * a little ahead and a meeting recorded as it begins.
 */
export const MEETING_START_MARGIN_MINUTES = 15;

export const ATTENDANCE_STATUSES = ['present', 'leave', 'absent'] as const;
export const ATTENDANCE_LABELS: Record<(typeof ATTENDANCE_STATUSES)[number], string> = {
  present: '出席',
  leave: '请假',
  absent: '缺席',
};

/** What a decision decides (LIFE-1: decisions about members link to a 党员大会). */
export const DECISION_TAGS = [
  'admission',
  'fullMembership',
  'probationExtension',
  'probationCancel',
  'commendation',
  'disposal',
  'discipline',
  'membershipSuspension',
  'membershipRestoration',
  'removal',
  'other',
] as const;
export const DECISION_TAG_LABELS: Record<(typeof DECISION_TAGS)[number], string> = {
  admission: '接收预备党员',
  fullMembership: '预备党员转正',
  probationExtension: '延长预备期',
  probationCancel: '取消预备党员资格',
  commendation: '表彰',
  disposal: '不合格党员处置',
  discipline: '党纪处分',
  membershipSuspension: '停止党籍',
  membershipRestoration: '恢复党籍',
  removal: '除名',
  other: '其他',
};

export const APPRAISAL_GRADES = ['excellent', 'qualified', 'basicallyQualified', 'unqualified'] as const;
export const APPRAISAL_GRADE_LABELS: Record<(typeof APPRAISAL_GRADES)[number], string> = {
  excellent: '优秀',
  qualified: '合格',
  basicallyQualified: '基本合格',
  unqualified: '不合格',
};
export const HANDLINGS = ['correct', 'persuade', 'remove'] as const;
export const HANDLING_LABELS: Record<(typeof HANDLINGS)[number], string> = {
  correct: '限期改正',
  persuade: '劝退',
  remove: '除名',
};

/** Problem states (contract/problems.ts re-exports these). */
/** 党籍状态 (MEM-7): it moves only by a recorded 党员大会 decision (停止党籍, 恢复党籍, 除名). */
export const PARTY_STATUSES = ['normal', 'suspended', 'removed'] as const;
export const PARTY_STATUS_LABELS: Record<(typeof PARTY_STATUSES)[number], string> = {
  normal: '正常',
  suspended: '停止党籍',
  removed: '除名',
};
/** The decision that moves a member to each status. */
export const PARTY_STATUS_DECISION: Record<(typeof PARTY_STATUSES)[number], (typeof DECISION_TAGS)[number]> = {
  normal: 'membershipRestoration',
  suspended: 'membershipSuspension',
  removed: 'removal',
};

/** A problem's status; a dissolved or merged organization's problems close as such (never 已消除: nobody fixed them). */
export const PROBLEM_STATUSES = ['upcoming', 'open', 'cleared', 'orgDissolved', 'orgMerged'] as const;
export const PROBLEM_STATUS_LABELS: Record<(typeof PROBLEM_STATUSES)[number], string> = {
  upcoming: '即将到期',
  open: '未整改',
  cleared: '已消除',
  orgDissolved: '组织已撤销',
  orgMerged: '组织已合并',
};

/** Where a problem came from (problems.source). */
export const PROBLEM_SOURCE_LABELS: Record<string, string> = {
  rule: '规则检查',
  inspection: '督查发现',
  manual: '人工登记',
  feedback: '上级反馈',
  public: '群众反映',
};

/**
 * Problems a level above registers from outside the platform's own checks (问题清单的其他来源): what a
 * higher level fed back and what the public reported; each is filed under its category (problems.rule_id).
 */
export const REPORTED_SOURCES = ['feedback', 'public'] as const;
export const REPORTED_SOURCE_CATEGORY: Record<(typeof REPORTED_SOURCES)[number], string> = {
  feedback: 'FEED-1',
  public: 'PUB-1',
};
/** What changed a problem's status (problem_events.cause). */
export const PROBLEM_CAUSE_LABELS: Record<string, string> = {
  incremental: '记录变更后复查',
  full: '全县检查',
  nightly: '每日自动检查',
  manual: '人工登记',
  inspection: '督查发现',
  feedback: '上级反馈',
  public: '群众反映',
  verification: '上级验收',
};

/** A task assignment's states (issue 19, a contract: `status` of `/api/tasks/assignments/:id`). */
export const TASK_STATUSES = ['issued', 'signed', 'inProgress', 'submitted', 'returned', 'done'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
export const TASK_STATUS_LABELS: Record<TaskStatus, string> = {
  issued: '待签收',
  signed: '已签收',
  inProgress: '办理中',
  submitted: '已提交待验收',
  returned: '已退回',
  done: '已完成',
};
/** The states in which an assignment still owes something to its issuer (a deadline past in one of them is 逾期). */
export const TASK_OPEN_STATUSES: ReadonlySet<TaskStatus> = new Set(['issued', 'signed', 'inProgress', 'returned']);

/** What happened to an assignment, as its history shows it. */
export const TASK_EVENT_LABELS: Record<string, string> = {
  issued: '下发',
  sign: '签收',
  split: '分解下发',
  report: '汇报进展',
  submit: '提交完成情况',
  accept: '验收通过',
  return: '退回',
  remindDue: '临近截止提醒',
  remindOverdue: '逾期提醒',
  escalated: '逾期上报上级',
};

/** How a spot check's population is divided before the draw (随机抽查, 分层抽样). */
export const DRAW_STRATA = ['township', 'field'] as const;
export const DRAW_STRATA_LABELS: Record<(typeof DRAW_STRATA)[number], string> = {
  township: '按乡镇分层',
  field: '按领域分层',
};

/**
 * Where a problem's rectification stands (整改销号, issue 19): none (no plan yet), planned (a plan; the
 * rule still fires or nobody has verified), failed (the level above found it not done), awaiting (the
 * rule has cleared; the level above has not verified), closed (销号: cleared, and verified since it last
 * opened), ended (the organization was dissolved or merged).
 */
export const RECTIFICATION_STATES = ['none', 'planned', 'failed', 'awaiting', 'closed', 'ended'] as const;
export const RECTIFICATION_STATE_LABELS: Record<(typeof RECTIFICATION_STATES)[number], string> = {
  none: '待制定整改措施',
  planned: '整改中',
  failed: '验收未通过',
  awaiting: '待上级验收',
  closed: '已销号',
  ended: '组织已撤销或合并',
};

/** A supervision notice's states (督查通报, issue 19). */
export const NOTICE_STATUSES = ['draft', 'published'] as const;
export const NOTICE_STATUS_LABELS: Record<(typeof NOTICE_STATUSES)[number], string> = {
  draft: '草稿（待审核发布）',
  published: '已发布',
};

/**
 * The responsibility chain of a Party committee (党建责任制, issue 19): who answers for its Party
 * building at each level, derived from its posts — 书记 primary, 副书记 direct, 组织委员 related, the
 * secretaries of the organizations directly below concrete — unless the committee overrode it.
 */
export const RESPONSIBILITY_LEVELS = ['primary', 'direct', 'related', 'concrete'] as const;
export type ResponsibilityLevel = (typeof RESPONSIBILITY_LEVELS)[number];
export const RESPONSIBILITY_LEVEL_LABELS: Record<ResponsibilityLevel, string> = {
  primary: '第一责任人',
  direct: '直接责任人',
  related: '相关责任人',
  concrete: '具体责任人',
};
/** The post each level is read from (concrete: the secretaries of the organizations directly below). */
export const RESPONSIBILITY_POSTS: Record<ResponsibilityLevel, (typeof POSTS)[number]> = {
  primary: 'secretary',
  direct: 'deputySecretary',
  related: 'organizationMember',
  concrete: 'secretary',
};

/** An inspection's kind (调研、日常检查、随机抽查, speech.md §2); a finding's problem carries INSP-n as its category. */
export const INSPECTION_KINDS = ['research', 'routine', 'spot'] as const;
export const INSPECTION_KIND_LABELS: Record<(typeof INSPECTION_KINDS)[number], string> = {
  research: '调研',
  routine: '日常检查',
  spot: '随机抽查',
};
/** Where an inspection plan stands: by its days and the inspections recorded against it. */
export const INSPECTION_PLAN_STATES = ['upcoming', 'underway', 'done', 'lapsed'] as const;
export const INSPECTION_PLAN_STATE_LABELS: Record<(typeof INSPECTION_PLAN_STATES)[number], string> = {
  upcoming: '未开始',
  underway: '进行中',
  done: '已完成',
  lapsed: '逾期未完成',
};
/** The problem category of a finding of each kind (problems.rule_id for source inspection). */
export const INSPECTION_CATEGORY: Record<(typeof INSPECTION_KINDS)[number], string> = {
  research: 'INSP-1',
  routine: 'INSP-2',
  spot: 'INSP-3',
};

/**
 * The duties of each level of the responsibility chain (责任清单), as the county's template words them;
 * a person's list shows those of every level they hold. Fields add their own below.
 */
export const RESPONSIBILITY_DUTIES: Record<ResponsibilityLevel, readonly string[]> = {
  primary: [
    '履行抓基层党建第一责任人职责，每年至少专题研究党建工作 2 次',
    '牵头确定年度 2—3 个基层党建重点问题并推动解决',
    '抓好班子自身建设，带头落实“三会一课”和双重组织生活',
    '年底向上级党组织述职，接受评议',
  ],
  direct: ['协助书记抓党建工作，对分管领域党建任务负直接责任', '督促检查党建任务落实和问题整改'],
  related: ['具体负责组织工作，落实发展党员、党员教育管理和组织生活制度', '建立党建任务清单和问题整改台账'],
  concrete: [
    '落实上级部署的党建任务，按时签收、办理、报告',
    '按规定开展“三会一课”、主题党日等组织生活，记录完整、留存影像',
    '对本组织问题清单逐项制定整改措施，按时整改销号',
  ],
};
/** Duties added for organizations of a field (领域), on top of the level's. */
export const RESPONSIBILITY_FIELD_DUTIES: Partial<Record<(typeof FIELDS)[number], readonly string[]>> = {
  rural: ['落实“四议两公开”，规范村级重大事项决策', '抓好村级后备力量培养和软弱涣散村整顿'],
  community: ['推动党建引领社区治理，联系服务辖区党员群众'],
};

/** What a village offers in the showroom (第一书记推荐展厅, issue 20): the kinds visitors filter by. */
export const PRODUCT_KINDS = ['farm', 'craft', 'tourism', 'cooperation', 'other'] as const;
export type ProductKind = (typeof PRODUCT_KINDS)[number];
export const PRODUCT_KIND_LABELS: Record<ProductKind, string> = {
  farm: '农产品',
  craft: '手工艺品',
  tourism: '乡村旅游',
  cooperation: '合作项目',
  other: '其他',
};
/** A showroom entry's way: draft → submitted (待审核) → published | returned; a published one can be withdrawn (下架). */
export const PRODUCT_STATUSES = ['draft', 'submitted', 'published', 'returned', 'withdrawn'] as const;
export type ProductStatus = (typeof PRODUCT_STATUSES)[number];
export const PRODUCT_STATUS_LABELS: Record<ProductStatus, string> = {
  draft: '草稿',
  submitted: '待审核',
  published: '已发布',
  returned: '已退回',
  withdrawn: '已下架',
};
/** Whose office line an entry shows (never a private phone: that one needs its owner's consent). */
export const PRODUCT_CONTACT_KINDS = ['village', 'firstSecretary'] as const;
export const PRODUCT_CONTACT_KIND_LABELS: Record<(typeof PRODUCT_CONTACT_KINDS)[number], string> = {
  village: '村委会办公电话',
  firstSecretary: '第一书记办公电话',
};
export const INQUIRY_STATUSES = ['open', 'answered'] as const;
export const INQUIRY_STATUS_LABELS: Record<(typeof INQUIRY_STATUSES)[number], string> = {
  open: '待答复',
  answered: '已答复',
};

// ── First secretaries and village work teams (第一书记, issue 20) ──

/** Who is posted (a contract: `role` of /api/first-secretaries). */
export const FS_ROLES = ['firstSecretary', 'workTeam', 'instructor'] as const;
export type FsRole = (typeof FS_ROLES)[number];
/** Who owes days in the village (FS-2): first secretaries and work-team members; instructors keep the 五个一 (FS-3) instead. */
export const FS_DAYS_ROLES: readonly FsRole[] = ['firstSecretary', 'workTeam'];
export const FS_ROLE_LABELS: Record<FsRole, string> = {
  firstSecretary: '第一书记',
  workTeam: '驻村工作队员',
  instructor: '党建指导员',
};
export const FS_STATUSES = ['serving', 'ended', 'recalled'] as const;
export type FsStatus = (typeof FS_STATUSES)[number];
export const FS_STATUS_LABELS: Record<FsStatus, string> = {
  serving: '在岗',
  ended: '任期结束',
  recalled: '召回调整',
};
/**
 * Where a first secretary acts, as the city secretary named them (speech.md §3): the plan says 8 areas
 * and lists these 9; all are kept as tags, none merged on our own reading.
 */
export const FS_AREAS = [
  'organization',
  'landTransfer',
  'cropStructure',
  'industry',
  'povertyRelief',
  'prosperity',
  'environment',
  'customs',
  'stability',
] as const;
export type FsArea = (typeof FS_AREAS)[number];
export const FS_AREA_LABELS: Record<FsArea, string> = {
  organization: '组织建设',
  landTransfer: '土地流转',
  cropStructure: '种植结构调整',
  industry: '农业产业项目',
  povertyRelief: '脱贫攻坚',
  prosperity: '带领群众致富',
  environment: '农村环境',
  customs: '村风民俗',
  stability: '农村稳定',
};
/** What a check-in is marked with (a contract: `flags` of POST /api/checkins); marked, never refused. */
export const CHECKIN_FLAGS = ['far', 'noPhoto', 'noLocation', 'lowAccuracy', 'late', 'noOfficeLocation'] as const;
export type CheckinFlag = (typeof CHECKIN_FLAGS)[number];
export const CHECKIN_FLAG_LABELS: Record<CheckinFlag, string> = {
  far: '距驻村地点较远',
  noPhoto: '未拍现场照片',
  noLocation: '未取得定位',
  lowAccuracy: '定位精度低',
  late: '离线打卡，事后补传',
  noOfficeLocation: '驻村地点未标注位置',
};
export const LEAVE_STATUSES = ['pending', 'approved', 'rejected', 'cancelled'] as const;
export type LeaveStatus = (typeof LEAVE_STATUSES)[number];
export const LEAVE_STATUS_LABELS: Record<LeaveStatus, string> = {
  pending: '待审批',
  approved: '已批准',
  rejected: '未批准',
  cancelled: '已撤回',
};
/** Villages the county marks for a first secretary (FS-1): each a designation with its days. */
export const ORG_DESIGNATIONS = ['weak', 'povertyExit', 'relocation', 'revitalization'] as const;
export type OrgDesignation = (typeof ORG_DESIGNATIONS)[number];
export const ORG_DESIGNATION_LABELS: Record<OrgDesignation, string> = {
  weak: '软弱涣散村',
  povertyExit: '脱贫村',
  relocation: '易地扶贫搬迁安置村（社区）',
  revitalization: '乡村振兴任务重的村',
};

/** Sessions the county or a township holds for the people posted (speech.md §3: regular training; 座谈交流). */
export const FS_TRAINING_KINDS = ['training', 'exchange'] as const;
export type FsTrainingKind = (typeof FS_TRAINING_KINDS)[number];
export const FS_TRAINING_KIND_LABELS: Record<FsTrainingKind, string> = {
  training: '培训',
  exchange: '座谈交流',
};
/** Whether a person called to a session came (fs_training_attendance.status once recorded). */
export const FS_ATTENDANCE = ['present', 'leave', 'absent'] as const;
export type FsAttendance = (typeof FS_ATTENDANCE)[number];
export const FS_ATTENDANCE_LABELS: Record<FsAttendance, string> = {
  present: '出席',
  leave: '请假',
  absent: '缺席',
};
/**
 * The county's management systems for first secretaries when it has recorded none (speech.md §3: "7
 * systems (guidance, capability building, key-work push, …)", then the measures it lists: attendance,
 * periodic reporting, supervision notices, regular training). Shown as defaults with no text of their own.
 */
export const FS_DEFAULT_SYSTEMS = [
  '指导帮带制度',
  '能力提升制度',
  '重点工作推进制度',
  '考勤管理制度',
  '定期汇报制度',
  '督查通报制度',
  '定期培训制度',
] as const;

/** The fields whose organizations are 两新组织 (非公企业、社会组织): where a first secretary keeps the "五个一" (FS-3). */
export const TWO_NEW_FIELDS = ['nonPublicEnterprise', 'socialOrganization'] as const;
/**
 * The "五个一" of two-new first secretaries and instructors (speech.md §3; FS-3), each part as the tracker
 * and the rule name it: half: a working day every half month at the linked organization (from check-ins);
 * quarter: a themed Party day each quarter (from the life module); the three yearly ones recorded by hand.
 */
export const FS_FIVE_PARTS = ['half', 'quarter', 'practice', 'deed', 'paper'] as const;
export type FsFivePart = (typeof FS_FIVE_PARTS)[number];
export const FS_FIVE_PART_LABELS: Record<FsFivePart, string> = {
  half: '每半月到联系的组织工作 1 天',
  quarter: '每季度 1 次主题党日',
  practice: '每年总结推广 1 项经验做法',
  deed: '为组织解决 1 个实际问题（办 1 件好事）',
  paper: '年终撰写 1 篇心得体会文章',
};
/** The yearly parts recorded by hand (fs_five_items.kind). */
export const FS_FIVE_KINDS = ['practice', 'deed', 'paper'] as const;
export type FsFiveKind = (typeof FS_FIVE_KINDS)[number];
/** A part's state on the tracker: done, due (running), missed (ended without), excused (on leave throughout), not judged. */
export const FS_FIVE_STATES = ['done', 'due', 'missed', 'excused', 'notJudged'] as const;
export type FsFiveState = (typeof FS_FIVE_STATES)[number];
export const FS_FIVE_STATE_LABELS: Record<FsFiveState, string> = {
  done: '已完成',
  due: '待完成',
  missed: '未完成',
  excused: '请假免计',
  notJudged: '不作要求',
};

/** Periodic reports of first secretaries (定期汇报, FS-4): the kinds the county's schedule names. */
export const FS_REPORT_KINDS = ['monthly', 'quarterly', 'yearly'] as const;
export type FsReportKind = (typeof FS_REPORT_KINDS)[number];
export const FS_REPORT_KIND_LABELS: Record<FsReportKind, string> = {
  monthly: '月度工作日志',
  quarterly: '季度工作报告',
  yearly: '年度工作总结',
};
/** How a report is named after its period's label: 2026年11月工作日志, 2026年第四季度工作报告, 2026年工作总结. */
export const FS_REPORT_WORDS: Record<FsReportKind, string> = {
  monthly: '工作日志',
  quarterly: '工作报告',
  yearly: '工作总结',
};
/** A report's period by kind: '2026-11' (month), '2026-Q4' (quarter), '2026' (year). */
export const FS_REPORT_PERIOD_FORMATS: Record<FsReportKind, RegExp> = {
  monthly: /^\d{4}-(0[1-9]|1[0-2])$/,
  quarterly: /^\d{4}-Q[1-4]$/,
  yearly: /^\d{4}$/,
};
const QUARTER_WORDS = ['一', '二', '三', '四'];
/** 2026年11月, 2026年第四季度, 2026年 (the period as a report names it); the text unchanged when malformed. */
export function fsReportPeriodLabel(period: string): string {
  if (FS_REPORT_PERIOD_FORMATS.monthly.test(period)) return `${period.slice(0, 4)}年${Number(period.slice(5, 7))}月`;
  if (FS_REPORT_PERIOD_FORMATS.quarterly.test(period))
    return `${period.slice(0, 4)}年第${QUARTER_WORDS[Number(period.slice(6)) - 1]}季度`;
  if (FS_REPORT_PERIOD_FORMATS.yearly.test(period)) return `${period}年`;
  return period;
}
/** The fewest characters (blanks aside) a report's text may have: a line of what was done. */
export const FS_REPORT_MIN_CHARS = 10;
/** Where a person's report of a period stands (GET /api/first-secretaries/reports/status). */
export const FS_REPORT_STATES = ['filed', 'late', 'notDue', 'overdue', 'notRequired'] as const;
export type FsReportState = (typeof FS_REPORT_STATES)[number];
export const FS_REPORT_STATE_LABELS: Record<FsReportState, string> = {
  filed: '已提交',
  late: '逾期提交',
  notDue: '未到期',
  overdue: '逾期未交',
  notRequired: '不要求',
};
/** Who commented on a report (fs_report_comments.side). */
export const FS_REPORT_SIDES = ['town', 'unit', 'county'] as const;
export type FsReportSide = (typeof FS_REPORT_SIDES)[number];
export const FS_REPORT_SIDE_LABELS: Record<FsReportSide, string> = {
  town: '乡镇（街道）党委',
  unit: '派出单位',
  county: '县委组织部',
};

/**
 * The parts of a first secretary's yearly score (issue 20), each weighted by a county setting
 * (firstsec.score.<part>): what the rules found (FS-2, FS-4, FS-3), the posted organization's tasks and
 * problems, and the township's and the dispatching unit's own marks.
 */
export const FS_SCORE_PARTS = ['attendance', 'reports', 'fiveOnes', 'tasks', 'problems', 'town', 'unit'] as const;
export type FsScorePart = (typeof FS_SCORE_PARTS)[number];
export const FS_SCORE_PART_LABELS: Record<FsScorePart, string> = {
  attendance: '在村考勤',
  reports: '定期汇报',
  fiveOnes: '“五个一”',
  tasks: '任务完成',
  problems: '问题整改',
  town: '乡镇（街道）评价',
  unit: '派出单位评价',
};
