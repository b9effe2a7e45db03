/** 组织生活: 三会一课 and the other meetings, attendance, decisions, appraisal and talks, with photo evidence (rules LIFE-1…LIFE-10, SEC-17, SEC-21). */
import decl from '../../../contract/modules/meetings.ts';
import { defineModule } from '../module.ts';

/** The declaration (contract/modules/meetings.ts) and what only the server reads. */
export default defineModule({
  ...decl,
  apiPrefixes: ['/api/meetings', '/api/evidence', '/api/appraisals'],
  hasRoutes: true,
  demo: { title: '演示县：会议照片（含几处应被发现的问题照片）', after: ['seed'] },
  events: {
    'meetings.lifeChanged': '组织生活记录保存、修改、删除，或民主评议等次变化（载荷：meetings/api.ts LifeChange）',
  },
  fieldLabels: {
    orgId: '党组织',
    kind: '会议类型',
    startsAt: '开始时间',
    endsAt: '结束时间',
    place: '地点',
    chairMemberId: '主持人',
    chairName: '主持人姓名',
    chairDelegation: '受委托主持说明',
    recorderMemberId: '记录人',
    recorderName: '记录人姓名',
    lecturerMemberId: '授课人',
    lecturerName: '授课人姓名',
    topic: '主题',
    agenda: '议程',
    minutesHtml: '会议记录',
    counterpartMemberId: '谈话对象',
    rectification: '整改情况',
    guests: '列席人员',
    attendance: '考勤',
    memberId: '党员',
    status: '状态',
    reason: '原因',
    decisions: '决议',
    tag: '决议事项',
    text: '内容',
    year: '年度',
    grade: '评议等次',
    handling: '处置方式',
    handlingEndsOn: '限期改正截止日期',
    version: '版本',
  },
  errors: {
    MEETING_MEMBER_OUTSIDE: [422, '考勤或决议中的党员不属于该组织，请刷新党员名单后重试'],
    /** A chair, recorder or lecturer chosen by id from beyond the writer's subtree: written by name instead (SEC-4). */
    MEETING_PERSON_OUTSIDE: [422, '主持人、记录人或主讲人不是您管理范围内的党员，请直接填写姓名'],
    MEETING_KIND_NOT_FOR_ORG: [422, '该组织不召开这类会议，请检查组织和会议类型'],
    /** A start more than MEETING_START_MARGIN_MINUTES after now: a record is of a meeting that was held (issue 18 §3). */
    MEETING_NOT_YET_HELD: [422, '会议时间晚于当前时间：只能记录已经召开的会议，请在会议召开后再记录'],
    /** A 党课, 主题党日 or 专题会议 without a topic (MEETING_KINDS_NEEDING_TOPIC). */
    MEETING_TOPIC_REQUIRED: [422, '请填写会议主题：党课、主题党日和专题会议须写明主题'],
    EVIDENCE_TOO_MANY: [422, '每条记录最多上传 30 个影像资料'],
    /** A picture whose header promises more pixels than may be decoded (a decompression bomb, or a photo far beyond a phone's): refused before decoding. */
    /** The capture time a phone sends with a photo it shrank (its EXIF is gone from the file): not a time, or later than now. */
    EVIDENCE_CAPTURE_TIME_INVALID: [
      400,
      '照片拍摄时间无效（不是有效时间或晚于当前时间），未保存，请检查手机的日期和时间后重新上传',
    ],
    EVIDENCE_IMAGE_TOO_LARGE: [
      422,
      '照片像素过大（长×宽超出上限），未保存。请在手机上缩小后重新上传，或在相机设置中选用较低的分辨率',
    ],
  },
  settings: {
    'meetings.maxEvidencePerRecord': { default: 30, label: '每条记录影像资料数量上限', unit: '个' },
    'meetings.captureDriftDays': { default: 3, label: '照片拍摄时间与会议日期相差超过即提示', unit: '天' },
  },
  tables: {
    meetings: {
      role: 'distributed',
      reason: "an organization's meetings: co-located with orgs, read by organization and period",
      parents: ['orgs', 'members', 'users'],
    },
    meeting_attendance: {
      role: 'distributed',
      reason:
        'millions of rows at province scale: co-located with meetings and members, read per meeting and per member',
      parents: ['meetings', 'members'],
    },
    meeting_decisions: {
      role: 'distributed',
      reason: 'what a meeting decided: co-located with meetings',
      parents: ['meetings', 'members'],
    },
    evidence: {
      role: 'distributed',
      reason:
        "evidence files' records (bytes in the file store): co-located with their records; reuse checks stay within the county",
      parents: ['meetings', 'orgs', 'users'],
      files: [
        { key: 'blob_key', sm3: 'sm3' },
        { key: 'thumb_key', sm3: 'thumb_sm3' },
      ],
    },
    appraisal_grades: {
      role: 'distributed',
      reason: 'democratic appraisal grades per member and year: co-located with members',
      parents: ['orgs', 'members', 'meetings', 'users'],
    },
  },
});
