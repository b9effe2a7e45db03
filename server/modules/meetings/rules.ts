/**
 * Pure rules of organizational life: which organizations hold which meetings, the chair (LIFE-10) and
 * the excellent share (LIFE-8); no database, no files. A record's quorum warnings are in quorum.ts,
 * the minutes' sanitising in minutes.ts, the pictures' hashing and EXIF time in image-hash.ts.
 */
import type { ORG_KINDS } from '../../../contract/labels.ts';
import type { MeetingKind } from '../../../contract/meetings.ts';

type OrgKind = (typeof ORG_KINDS)[number];
export interface Warning {
  code: string;
  message: string;
  /** The rule behind it (its declaration names it), when it comes from one. */
  rule?: string;
}

const BRANCHES: readonly OrgKind[] = ['branch', 'jointBranch', 'temporaryBranch', 'generalBranch'];
const COMMITTEES: readonly OrgKind[] = ['committee', 'workingCommittee', 'generalBranch'];
const ALL_BUT_GROUPS: readonly OrgKind[] = [
  'committee',
  'workingCommittee',
  'generalBranch',
  'branch',
  'jointBranch',
  'temporaryBranch',
];

/**
 * Which organizations hold which meetings (MEETING_KIND_NOT_FOR_ORG otherwise). The brief fixed
 * groupMeeting, specialMeeting and the branch kinds; partyLecture (LIFE-4: committee secretaries and
 * branches both give lectures), heartTalk (LIFE-7: committee members of any organization) and
 * jointMeeting (联席会议, convened by a committee or a branch) go to every organization but a Party group.
 */
export const MEETING_KIND_ORG_KINDS: Readonly<Record<MeetingKind, readonly OrgKind[]>> = {
  branchMeeting: BRANCHES,
  committeeMeeting: [...BRANCHES, 'committee'],
  groupMeeting: ['partyGroup'],
  partyLecture: ALL_BUT_GROUPS,
  themedDay: BRANCHES,
  lifeMeeting: BRANCHES,
  appraisal: BRANCHES,
  heartTalk: ALL_BUT_GROUPS,
  specialMeeting: COMMITTEES,
  jointMeeting: ALL_BUT_GROUPS,
};

export function kindFitsOrg(kind: MeetingKind, orgKind: string): boolean {
  return (MEETING_KIND_ORG_KINDS[kind] as readonly string[]).includes(orgKind);
}

/** Organizations whose meetings may list members of the whole subtree (a committee's members sit in its branches). */
export const SUBTREE_MEMBER_ORG_KINDS: ReadonlySet<string> = new Set(COMMITTEES);

export { addMonths, shanghaiDate } from '../../platform/calendar.ts';

/** Kinds whose chair should be the organization's secretary (LIFE-10); a 党小组会 is chaired by the group leader. */
const SECRETARY_CHAIRS: ReadonlySet<MeetingKind> = new Set([
  'branchMeeting',
  'committeeMeeting',
  'themedDay',
  'lifeMeeting',
  'appraisal',
  'specialMeeting',
  'jointMeeting',
]);

/**
 * LIFE-10: the chair is the secretary, or someone with a recorded delegation; a group meeting's chair
 * is the group leader (no warning when the group has no leader recorded, nor when no chair is given).
 */
export function chairWarning(
  kind: MeetingKind,
  chair: { memberId: string | null; name: string | null; delegation: string | null },
  leaders: { secretaries: readonly string[]; groupLeaders: readonly string[] },
): Warning | null {
  if (chair.delegation?.trim()) return null;
  if (!chair.memberId && !chair.name?.trim()) return null;
  if (kind === 'groupMeeting') {
    if (!leaders.groupLeaders.length || (chair.memberId && leaders.groupLeaders.includes(chair.memberId))) return null;
    return {
      code: 'CHAIR_NOT_SECRETARY',
      message: '党小组会应由党小组组长主持；如由他人主持，请填写受委托主持说明（LIFE-10）',
    };
  }
  if (!SECRETARY_CHAIRS.has(kind)) return null;
  if (chair.memberId && leaders.secretaries.includes(chair.memberId)) return null;
  return { code: 'CHAIR_NOT_SECRETARY', message: '主持人不是本组织书记，且未填写受委托主持说明（LIFE-10）' };
}

/** The year's excellent share against the county's limit [numerator, denominator] (LIFE-8, the same test as the engine's: excellent × den ≤ graded × num). */
export function excellentWarning(
  excellent: number,
  total: number,
  [num, den]: readonly [number, number],
): Warning | null {
  if (!total || excellent * den <= total * num) return null;
  const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;
  return {
    code: 'EXCELLENT_OVER_LIMIT',
    message: `评为优秀 ${excellent} 人，占 ${pct(excellent / total)}，超过参评人数的 ${num}/${den}（LIFE-8）`,
  };
}
