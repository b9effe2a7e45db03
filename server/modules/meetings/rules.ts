/**
 * Pure rules of organizational life (rules.md LIFE-2, LIFE-10, SEC-20) and of the evidence checks:
 * no database, no files. The service (service.ts, evidence.ts) gathers the facts and calls these.
 */
import sanitizeHtml from 'sanitize-html';
import type { ORG_KINDS } from '../../../contract/labels.ts';
import type { MeetingKind } from '../../../contract/meetings.ts';
import { daysBetween } from '../../platform/calendar.ts';

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

/**
 * An EXIF local time ("2026:03:02 10:00:00", optional offset "+08:00") as an instant: without an
 * offset it is read as Asia/Shanghai local time (the phones that take these photos are set to it).
 */
export function exifInstant(local: unknown, offset?: unknown): Date | null {
  if (typeof local !== 'string') return null;
  const m = /^(\d{4})[:-](\d{2})[:-](\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(local.trim());
  if (!m) return null;
  const off = typeof offset === 'string' && /^[+-]\d{2}:\d{2}$/.test(offset.trim()) ? offset.trim() : '+08:00';
  const ms = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${off}`);
  if (!Number.isFinite(ms) || Number(m[1]) < 1990) return null;
  return new Date(ms);
}

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

/** SEC-20: the minutes keep text structure only; no attribute, link, image, script or style survives. */
const MINUTES_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'br',
    'strong',
    'em',
    'u',
    'ol',
    'ul',
    'li',
    'h3',
    'h4',
    'blockquote',
    'table',
    'thead',
    'tbody',
    'tfoot',
    'tr',
    'th',
    'td',
    'caption',
  ],
  allowedAttributes: {},
  allowedSchemes: [],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  nonTextTags: [
    'script',
    'style',
    'textarea',
    'option',
    'noscript',
    'iframe',
    'object',
    'embed',
    'svg',
    'math',
    'template',
    'title',
    'head',
  ],
};

export function sanitizeMinutes(html: string): string {
  return sanitizeHtml(html, MINUTES_OPTIONS).trim();
}

/** The minutes as plain paragraphs (for the Word ledger). */
export function minutesParagraphs(html: string | null): string[] {
  if (!html) return [];
  const text = sanitizeHtml(html.replace(/<\/(p|li|h3|h4|tr|blockquote)>|<br\s*\/?>/gi, '\n'), {
    allowedTags: [],
    allowedAttributes: {},
    nonTextTags: MINUTES_OPTIONS.nonTextTags,
  });
  return text
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** dHash of a 9×8 greyscale picture (72 bytes, row by row): 64 bits as 16 hex digits. */
export function dHash(pixels: Uint8Array, width = 9, height = 8): string {
  if (pixels.length < width * height) throw new Error('dHash needs 9x8 greyscale pixels');
  let bits = 0n;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width - 1; x++) {
      bits = (bits << 1n) | (pixels[y * width + x] > pixels[y * width + x + 1] ? 1n : 0n);
    }
  }
  return bits.toString(16).padStart(16, '0');
}

/** Differing bits of two 64-bit hashes given as 16 hex digits. */
export function hamming(a: string, b: string): number {
  let x = BigInt(`0x${a}`) ^ BigInt(`0x${b}`);
  let n = 0;
  while (x) {
    n += Number(x & 1n);
    x >>= 1n;
  }
  return n;
}

/**
 * A flat or smooth picture (a wall, the sky, a blank page) has a dHash of nearly all zeros or ones,
 * and any two of them look "similar": such hashes are not compared (fewer than 8 differing bits
 * from uniform).
 */
export function informativeHash(h: string): boolean {
  const ones = hamming(h, '0000000000000000');
  return ones >= 8 && ones <= 56;
}

/** Pictures this close (bits of 64) are taken for the same picture re-encoded, cropped a little or resized. */
export const SIMILAR_PICTURE_MAX_DISTANCE = 6;

export function captureWarning(capturedOn: string | null, heldOn: string, driftDays: number): Warning | null {
  if (!capturedOn) return null;
  const d = Math.abs(daysBetween(capturedOn, heldOn));
  if (d <= driftDays) return null;
  return { code: 'CAPTURE_TIME_FAR', message: `照片拍摄于 ${capturedOn}，与会议日期相差 ${d} 天` };
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
