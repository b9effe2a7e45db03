/** 组织生活: 三会一课 and the other meetings, attendance, decisions, appraisal and talks, with photo evidence (rules LIFE-1…LIFE-10, SEC-17, SEC-21). */
import { declareModule } from '../module.ts';

export default declareModule({
  name: 'meetings',
  title: '组织生活',
  permissions: {
    'meetings.read': {
      label: '查看组织生活记录与影像资料',
      roles: ['countyAdmin', 'orgAdmin', 'branchSecretary', 'leader'],
    },
    'meetings.write': {
      label: '记录组织生活（会议、考勤、决议、影像资料、民主评议）',
      roles: ['countyAdmin', 'orgAdmin', 'branchSecretary'],
    },
  },
  auditActions: {
    'meeting.create': '记录组织生活',
    'meeting.update': '修改组织生活记录',
    'meeting.delete': '删除组织生活记录',
    'evidence.upload': '上传影像资料',
    'evidence.delete': '删除影像资料',
    'evidence.download': '下载影像资料',
    'appraisal.grade': '登记民主评议等次',
    'appraisal.handling': '登记不合格党员处置',
    'meeting.ledger.export': '导出三会一课台账',
  },
  // The rules of organizational life (shared/domain/rules.md LIFE-*): the engine's statements in checks.ts, a record's warnings in rules.ts.
  rules: {
    'LIFE-1': {
      name: '支部党员大会',
      text: '党支部党员大会是党支部的议事决策机构，由全体党员参加，一般每季度召开1次。……表决必须有半数以上有表决权的党员到会方可进行，赞成人数超过应到会有表决权的党员的半数为通过。',
      article: '《中国共产党支部工作条例（试行）》第十一条',
      subject:
        '党支部、联合党支部、临时党支部（所在党总支召开的党员大会同样计入）；作出接收预备党员、转正、延长预备期、表彰、处置、处分等决定的支部党员大会',
      orgKinds: ['branch', 'jointBranch', 'temporaryBranch'],
      settings: {
        'life.branchMeetingsPerQuarter': {
          label: '支部党员大会每季度至少召开次数',
          unit: '次',
          kind: 'int',
          default: 1,
          min: 1,
          max: 6,
        },
        'life.branchMeetingQuorum': {
          label: '支部党员大会表决的到会人数',
          kind: 'choice',
          default: 'atLeastHalf',
          options: { atLeastHalf: '半数以上（含半数）有表决权的党员到会', moreThanHalf: '超过半数有表决权的党员到会' },
          description:
            '《中国共产党支部工作条例（试行）》第十一条：“表决必须有半数以上有表决权的党员到会方可进行，赞成人数超过应到会有表决权的党员的半数为通过。”同一句中“半数以上”与“超过……半数”并列，按党内法规用语“以上”含本数，默认为半数以上（含半数）。预备党员和受留党察看处分、停止党籍的党员不计入有表决权的党员。',
        },
      },
      reads: ['orgs', 'members', 'meeting:branchMeeting'],
      checkedBy: ['engine', 'record'],
    },
    'LIFE-2': {
      name: '支委会',
      text: '党支部委员会是党支部日常工作的领导机构，对党员大会负责，一般每月召开1次，根据需要可以随时召开……党支部委员会会议须有半数以上委员到会方可进行。',
      article: '《中国共产党支部工作条例（试行）》第十二条',
      subject:
        '设有支部委员会的党支部、联合党支部、临时党支部和党总支（正式党员 7 人以上且委员 3 人以上）；只计到会委员达到半数的会议，委员按会议当天在任的职务（含只登记姓名的）计算',
      orgKinds: ['branch', 'jointBranch', 'temporaryBranch', 'generalBranch'],
      settings: {
        'life.committeeMeetingsPerMonth': {
          label: '支委会每月至少召开次数',
          unit: '次',
          kind: 'int',
          default: 1,
          min: 1,
          max: 4,
        },
        'life.committeeQuorum': {
          label: '支委会有效的到会委员人数',
          kind: 'choice',
          default: 'atLeastHalf',
          options: { atLeastHalf: '半数以上（含半数）委员到会', moreThanHalf: '超过半数委员到会' },
          description:
            '《中国共产党支部工作条例（试行）》第十二条：“党支部委员会会议须有半数以上委员到会方可进行。”按党内法规用语“以上”含本数（第十一条把“半数以上”与“超过……半数”分开写），默认 4 名委员到会 2 名即可进行。',
        },
      },
      reads: ['orgs', 'posts', 'members', 'meeting:committeeMeeting'],
      checkedBy: ['engine', 'record'],
    },
    'LIFE-3': {
      name: '党小组会',
      text: '党支部应当组织党员按期参加党员大会、党小组会和上党课，定期召开党支部委员会会议。',
      article: '《中国共产党支部工作条例（试行）》第十五条',
      countyRule: '党小组会每月召开 1 次，为本县的要求（县级参数）；条例只要求按期召开。',
      subject: '党小组',
      orgKinds: ['partyGroup'],
      settings: {
        'life.groupMeetingsPerMonth': {
          label: '党小组会每月至少召开次数',
          unit: '次',
          kind: 'int',
          default: 1,
          min: 1,
          max: 4,
        },
      },
      reads: ['orgs', 'meeting:groupMeeting'],
      checkedBy: ['engine'],
    },
    'LIFE-4': {
      name: '党课',
      text: '党员领导干部应当定期为基层党员讲党课，党委（党组）书记每年至少讲1次党课。',
      article: '《中国共产党支部工作条例（试行）》第十五条',
      countyRule:
        '党支部每季度上 1 次党课是本县的要求（县级参数），条例未规定党支部上党课的次数；书记讲党课适用于哪些组织的书记，也是县级参数。',
      subject:
        '党支部、联合党支部、临时党支部的党课（所在党总支的党课同样计入）；县级参数所列类别党组织的现任书记（在任何组织讲授的党课均计入；书记空缺时不检查，由 ORG-5 提示）',
      orgKinds: ['branch', 'jointBranch', 'temporaryBranch', 'committee', 'workingCommittee', 'generalBranch'],
      settings: {
        'life.branchLecturesPerQuarter': {
          label: '支部党课每季度至少次数（本县要求）',
          unit: '次',
          kind: 'int',
          default: 1,
          min: 1,
          max: 6,
        },
        'life.secretaryLecturesPerYear': {
          label: '书记每年至少讲党课次数',
          unit: '次',
          kind: 'int',
          default: 1,
          min: 1,
          max: 12,
        },
        'life.secretaryLectureOrgClasses': {
          label: '书记每年讲党课适用的组织类别',
          kind: 'orgClasses',
          default: 'committee,workingCommittee',
          description:
            '第十五条要求“党委（党组）书记每年至少讲1次党课”。默认检查县、乡镇和单位党委及党工委的书记；党总支和村、社区党委的书记不在条文之列，默认不检查，县里可以加上。',
        },
      },
      reads: ['orgs', 'posts', 'meeting:partyLecture'],
      checkedBy: ['engine'],
    },
    'LIFE-5': {
      name: '主题党日',
      text: '党支部应当每月相对固定1天开展主题党日，组织党员集中学习、过组织生活、进行民主议事和志愿服务等。',
      article: '《中国共产党支部工作条例（试行）》第五章“组织生活”（条号待核，暂注章名）',
      subject:
        '党支部、联合党支部、临时党支部（所在党总支的主题党日同样计入）；登记了固定日期的，记录在其他日子召开时提示',
      orgKinds: ['branch', 'jointBranch', 'temporaryBranch'],
      settings: {
        'life.themedDaysPerMonth': {
          label: '主题党日每月至少次数',
          unit: '次',
          kind: 'int',
          default: 1,
          min: 1,
          max: 4,
        },
      },
      reads: ['orgs', 'meeting:themedDay'],
      checkedBy: ['engine', 'record'],
    },
    'LIFE-6': {
      name: '组织生活会',
      text: '党支部每年至少召开1次组织生活会，一般安排在第四季度……会前认真学习，谈心谈话，听取意见；会上查摆问题，开展批评和自我批评，明确整改方向；会后制定整改措施，逐一整改落实。',
      article: '《中国共产党支部工作条例（试行）》第五章“组织生活”（条号待核，暂注章名）',
      subject: '党支部、联合党支部、临时党支部',
      orgKinds: ['branch', 'jointBranch', 'temporaryBranch'],
      settings: {
        'life.lifeMeetingsPerYear': {
          label: '组织生活会每年至少召开次数',
          unit: '次',
          kind: 'int',
          default: 1,
          min: 1,
          max: 4,
        },
        'life.lifeMeetingRemindFromMonth': {
          label: '组织生活会从几月起提醒',
          unit: '月',
          kind: 'int',
          default: 10,
          min: 1,
          max: 12,
        },
      },
      reads: ['orgs', 'meeting:lifeMeeting', 'meeting:heartTalk'],
      checkedBy: ['engine'],
    },
    'LIFE-7': {
      name: '谈心谈话',
      text: '党支部委员之间、党支部委员和党员之间、党员和党员之间，每年谈心谈话一般不少于1次。',
      article: '《中国共产党支部工作条例（试行）》第五章“组织生活”（条号待核，暂注章名）',
      subject:
        '党支部、联合党支部、临时党支部（委员、党员按当年最后一天——当年按今天——在任的委员和所属党员计，党小组按当时所属的支部计；流动党员、失联党员、停止党籍的党员不计）',
      orgKinds: ['branch', 'jointBranch', 'temporaryBranch'],
      settings: {
        'life.talksPerYear': {
          label: '谈心谈话每年至少次数（每对）',
          unit: '次',
          kind: 'int',
          default: 1,
          min: 1,
          max: 12,
        },
      },
      reads: ['orgs', 'posts', 'members', 'meeting:heartTalk'],
      checkedBy: ['engine'],
    },
    'LIFE-8': {
      name: '民主评议党员',
      text: '党支部一般每年开展1次民主评议党员，组织党员对照合格党员标准、对照入党誓词，联系个人实际进行党性分析。',
      article: '《中国共产党支部工作条例（试行）》第五章“组织生活”（条号待核，暂注章名）；《不合格党员组织处置办法》',
      countyRule: '评为优秀的一般不超过参评党员的 1/3、不合格党员限期改正的期限，为县级参数。',
      subject: '党支部、联合党支部、临时党支部；每名评为不合格的党员',
      orgKinds: ['branch', 'jointBranch', 'temporaryBranch'],
      settings: {
        'life.appraisalsPerYear': {
          label: '民主评议党员每年次数',
          unit: '次',
          kind: 'int',
          default: 1,
          min: 1,
          max: 2,
        },
        'life.excellentMaxShare': { label: '民主评议优秀党员占参评人数上限', kind: 'share', default: '1/3' },
        'life.correctionMonths': {
          label: '不合格党员限期改正期限',
          unit: '个月',
          kind: 'int',
          default: 12,
          min: 1,
          max: 24,
        },
      },
      reads: ['orgs', 'members', 'grades', 'meeting:appraisal'],
      checkedBy: ['engine', 'record'],
    },
    'LIFE-9': {
      name: '基层党建专题会议',
      text: '党委（党工委）每年至少召开 2 次基层党建专题会议，研究解决 2 至 3 个重大问题，会议须有照片或视频留痕。',
      article: '县委组织部基层党建工作要点（本县要求）',
      countyRule: '次数、须有照片或视频，以及适用于哪些组织，为县级参数；没有照片或视频的会议不计入。',
      subject:
        '县级参数所列类别的党组织（默认：县、乡镇和单位党委，党工委；不含村、社区党委和党总支）；只计有照片或视频的会议',
      orgKinds: ['committee', 'workingCommittee', 'generalBranch'],
      settings: {
        'life.specialMeetingsPerYear': {
          label: '基层党建专题会议每年至少次数',
          unit: '次',
          kind: 'int',
          default: 2,
          min: 1,
          max: 12,
        },
        'life.specialMeetingOrgClasses': {
          label: '基层党建专题会议适用的组织类别',
          kind: 'orgClasses',
          default: 'committee,workingCommittee',
          description:
            '本县基层党建工作要点要求党委（党工委）每年召开基层党建专题会议并影像留痕。默认适用于县、乡镇和单位党委及党工委，不含党总支和村、社区党委。',
        },
      },
      reads: ['orgs', 'meeting:specialMeeting'],
      checkedBy: ['engine'],
    },
    'LIFE-10': {
      name: '会议主持',
      text: '会议由书记召集并主持；书记不能参加的，可以委托副书记或者委员主持；党小组会由党小组组长主持。',
      article: '《中国共产党支部工作条例（试行）》第四章“工作机制”（条号待核，暂注章名）',
      subject: '各类组织生活记录（党小组会由党小组组长主持）',
      orgKinds: [
        'committee',
        'workingCommittee',
        'generalBranch',
        'branch',
        'jointBranch',
        'temporaryBranch',
        'partyGroup',
      ],
      reads: ['posts'],
      checkedBy: ['record'],
    },
  },
  menu: [{ path: '/meetings', label: '组织生活', icon: 'calendar', perm: 'meetings.read', order: 25 }],
  pages: [
    { path: 'meetings', page: 'meetings/MeetingsPage', perm: 'meetings.read' },
    { path: 'meetings/new', page: 'meetings/MeetingRecordPage', perm: 'meetings.write' },
    { path: 'meetings/appraisal', page: 'meetings/AppraisalPage', perm: 'meetings.read' },
    { path: 'meetings/talks', page: 'meetings/AppraisalPage', perm: 'meetings.read' },
    { path: 'meetings/:id', page: 'meetings/MeetingDetailPage', perm: 'meetings.read' },
    { path: 'meetings/:id/edit', page: 'meetings/MeetingRecordPage', perm: 'meetings.write' },
  ],
});
