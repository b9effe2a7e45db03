/** Organization checks shown as warnings (rules.md ORG-2, ORG-4, ORG-5, ORG-6); they never block a write. */
import { POST_LABELS } from '../../../contract/common.ts';

export interface PostRow {
  post: string;
  memberId: string | null;
  personName: string | null;
  startDate: string | null;
  termEnd: string | null;
  vacantSince: string | null;
  secretaryFullDate?: string | null;
  secretaryStanding?: string | null;
}

export interface Warning {
  rule: string;
  level: 'warning' | 'info';
  message: string;
}

const BRANCH_KINDS = new Set(['branch', 'jointBranch', 'temporaryBranch', 'generalBranch']);
const COMMITTEE_POSTS = ['secretary', 'organizationMember', 'propagandaMember', 'disciplineMember'];

function monthsBetween(from: string, to: Date): number {
  const f = new Date(`${from}T00:00:00Z`);
  return (to.getUTCFullYear() - f.getUTCFullYear()) * 12 + (to.getUTCMonth() - f.getUTCMonth()) - (to.getUTCDate() < f.getUTCDate() ? 1 : 0);
}

function daysBetween(from: string, to: Date): number {
  return Math.floor((to.getTime() - new Date(`${from}T00:00:00Z`).getTime()) / 86_400_000);
}

export function orgWarnings(
  org: { kind: string; termEnd: string | null; status: string },
  fullMembers: number,
  posts: PostRow[],
  today: Date,
  settings: { secretaryVacantMonths: number; branchMaxMembers: number; totalMembers: number },
): Warning[] {
  if (org.status !== 'active' || org.kind === 'partyGroup') return [];
  const out: Warning[] = [];
  const held = posts.filter((p) => p.memberId || p.personName);
  const secretary = held.find((p) => p.post === 'secretary');

  // ORG-2: committee size and posts (branch-level organizations).
  if (BRANCH_KINDS.has(org.kind)) {
    if (fullMembers >= 7) {
      if (held.length < 3) out.push({ rule: 'ORG-2', level: 'warning', message: `正式党员 ${fullMembers} 名（≥7），应设支部委员会（3–5 人），现有委员 ${held.length} 人` });
      else if (held.length > 7) out.push({ rule: 'ORG-2', level: 'warning', message: `支部委员会 ${held.length} 人，不应超过 7 人` });
      const missing = COMMITTEE_POSTS.filter((p) => !held.some((h) => h.post === p));
      if (held.length >= 3 && missing.length)
        out.push({ rule: 'ORG-2', level: 'warning', message: `支部委员会缺少：${missing.map((m) => POST_LABELS[m as keyof typeof POST_LABELS]).join('、')}` });
    }
    if (settings.totalMembers > settings.branchMaxMembers && org.kind !== 'generalBranch')
      out.push({ rule: 'ORG-1', level: 'info', message: `党员 ${settings.totalMembers} 名，超过 ${settings.branchMaxMembers} 名，可考虑设立党总支或分设支部` });
  }

  // ORG-4: term expired.
  if (org.termEnd && daysBetween(org.termEnd, today) > 0) {
    out.push({ rule: 'ORG-4', level: 'warning', message: `届期已于 ${org.termEnd} 届满（已超 ${daysBetween(org.termEnd, today)} 天），应按期换届` });
  }

  // ORG-5: vacant posts, and for how long.
  if (!secretary) {
    const since = posts.find((p) => p.post === 'secretary' && p.vacantSince)?.vacantSince;
    const months = since ? monthsBetween(since, today) : null;
    const long = months !== null && months > settings.secretaryVacantMonths;
    out.push({
      rule: 'ORG-5',
      level: 'warning',
      message: since ? `书记空缺 ${months} 个月（自 ${since}）${long ? `，超过 ${settings.secretaryVacantMonths} 个月，属软弱涣散信号` : ''}` : '未配备书记',
    });
  }
  for (const p of posts.filter((x) => x.post !== 'secretary' && !x.memberId && !x.personName && x.vacantSince)) {
    out.push({ rule: 'ORG-5', level: 'warning', message: `${POST_LABELS[p.post as keyof typeof POST_LABELS] ?? p.post}空缺 ${monthsBetween(p.vacantSince as string, today)} 个月（自 ${p.vacantSince}）` });
  }

  // ORG-6: secretary has at least one year of standing (党龄 from 转正).
  if (secretary?.memberId) {
    if (secretary.secretaryStanding === 'probationary') out.push({ rule: 'ORG-6', level: 'warning', message: '书记为预备党员，应具有 1 年以上党龄' });
    else if (secretary.secretaryFullDate && daysBetween(secretary.secretaryFullDate, today) < 365)
      out.push({ rule: 'ORG-6', level: 'warning', message: `书记党龄不足 1 年（${secretary.secretaryFullDate} 转正）` });
  }
  return out;
}
