/**
 * A record's quorum warnings (rules.md LIFE-1, LIFE-2, LIFE-5): pure, from the facts the service works
 * out as the engine does (service.ts recordFacts).
 */
import type { MeetingKind } from '../../../contract/meetings.ts';
import type { Warning } from './rules.ts';

/** Decisions that belong to the 党员大会 (第十一条), with their Chinese names. */
const BRANCH_MEETING_DECISIONS: ReadonlySet<string> = new Set([
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
]);
const DECISION_NAMES: Record<string, string> = {
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
};

export interface RecordFacts {
  /** LIFE-2: the committee on the meeting's date (posts held that day, by member or by name) and how many were present; `ok` by the county's reading; `note` what a shortfall shows. */
  committee: { size: number; present: number; ok: boolean; note: string };
  /** LIFE-1: the members with a vote on the meeting's date and how many were present; `ok` by the county's reading of 第十一条. */
  voters: { base: number; present: number; ok: boolean };
  decisionTags: readonly string[];
  /** LIFE-5: the organization's fixed day of its 主题党日 (where set), the day this one was held, the days of that month. */
  themedDay?: { fixed: number; held: number; monthDays: number } | null;
}

/**
 * A record's warnings from the rules (the facts worked out as the engine works them out, service.ts
 * recordFacts): a 支委会 without its quorum (LIFE-2, 第十二条), a 支委会 deciding what belongs to the
 * 党员大会, a 党员大会 deciding without half of the members with a vote (LIFE-1, 第十一条).
 */
export function recordWarnings(kind: MeetingKind, f: RecordFacts): Warning[] {
  const out: Warning[] = [];
  const tags = f.decisionTags.filter((t) => BRANCH_MEETING_DECISIONS.has(t));
  const what = tags.map((t) => DECISION_NAMES[t]).join('、');
  if (kind === 'committeeMeeting') {
    if (!f.committee.ok)
      out.push({
        code: 'QUORUM_NOT_MET',
        rule: 'LIFE-2',
        message:
          f.committee.size === 0
            ? '会议当天未登记支部委员（含只登记姓名的委员），无法确认到会委员是否达到半数，不计入本月支委会；请先在组织信息中登记班子成员及任职日期（LIFE-2，第十二条）'
            : `${f.committee.note}，本次支委会不计入本月（LIFE-2，第十二条：须有半数以上委员到会方可进行）`,
      });
    if (tags.length)
      out.push({
        code: 'DECISION_FOR_BRANCH_MEETING',
        rule: 'LIFE-1',
        message: `${what}应由支部党员大会讨论决定，支委会只能研究提出意见；请在支部党员大会上表决并记录（LIFE-1，第十一条）`,
      });
  }
  // LIFE-5: a themed day away from the organization's fixed day (the 31st is the last day of a shorter month). A warning, never a problem.
  const t = f.themedDay;
  if (kind === 'themedDay' && t && t.held !== Math.min(t.fixed, t.monthDays))
    out.push({
      code: 'THEMED_DAY_NOT_FIXED_DAY',
      rule: 'LIFE-5',
      message: `本组织主题党日固定在每月 ${t.fixed} 日，本次在 ${t.held} 日开展；如有调整，请在会议记录中写明原因（LIFE-5：每月相对固定1天）`,
    });
  if (kind === 'branchMeeting' && tags.length && f.voters.base > 0 && !f.voters.ok)
    out.push({
      code: 'BRANCH_QUORUM_NOT_MET',
      rule: 'LIFE-1',
      message: `本次会议作出${what}的决定，到会有表决权的党员 ${f.voters.present} 人，不足应到 ${f.voters.base} 人的半数，不能进行表决（LIFE-1，第十一条；预备党员和受留党察看处分、停止党籍的党员没有表决权）`,
    });
  return out;
}
