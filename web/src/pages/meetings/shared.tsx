/** What the meeting pages share: API shapes (from app/types.ts), the roster of an organization, time helpers. */
import { useQuery } from '@tanstack/react-query';
import { Tag } from 'antd';
import { api } from '../../app/api.ts';
import { MEETING_KIND_LABELS } from '../../app/labels.ts';
import type {
  AppraisalView,
  EvidenceView,
  MeetingSummary,
  MeetingView,
  MemberView,
  OrgDetail,
  Page,
  TalkMatrix,
} from '../../app/types.ts';
import { shanghaiMinute } from '../../../../contract/calendar.ts';

export type { AppraisalView, EvidenceView, MeetingSummary, MeetingView, TalkMatrix };

/** The kinds a branch holds most: one tap each; the rest sit under 其他. */
export const COMMON_KINDS = ['branchMeeting', 'committeeMeeting', 'groupMeeting', 'partyLecture', 'themedDay'] as const;
export const OTHER_KINDS = ['lifeMeeting', 'appraisal', 'heartTalk', 'specialMeeting', 'jointMeeting'] as const;

export function kindLabel(kind: string): string {
  return (MEETING_KIND_LABELS as Record<string, string>)[kind] ?? '其他会议';
}

/** Beijing wall-clock 'YYYY-MM-DDTHH:mm' of an ISO timestamp (the county works in Beijing time whatever the device says). */
export function beijingWall(iso: string): string {
  if (Number.isNaN(Date.parse(iso))) return iso.slice(0, 16);
  return shanghaiMinute(iso).replace(' ', 'T');
}
export function beijingNow(): string {
  return beijingWall(new Date().toISOString());
}
/** '2026-03-05T14:30' → '2026-03-05 14:30'. */
export function wallText(wall: string): string {
  return wall.replace('T', ' ');
}

export interface RosterMember {
  id: string;
  name: string;
}

/** An organization's members (its subtree: a branch's Party groups included), all pages of them. */
export function useRoster(orgId: string | undefined) {
  return useQuery({
    queryKey: ['meetings', 'roster', orgId],
    enabled: !!orgId,
    staleTime: 5 * 60_000,
    queryFn: async ({ signal }) => {
      const out: MemberView[] = [];
      for (let page = 1; page <= 20; page++) {
        const p = await api.get<Page<MemberView>>(
          '/api/members',
          { orgId, subtree: 'true', pageSize: 200, page, sort: 'name' },
          signal,
        );
        out.push(...p.items);
        if (out.length >= p.total || p.items.length === 0) break;
      }
      return out;
    },
  });
}

export function useOrg(orgId: string | undefined) {
  return useQuery({
    queryKey: ['orgs', 'detail', orgId],
    enabled: !!orgId,
    staleTime: 60_000,
    queryFn: () => api.get<OrgDetail>(`/api/orgs/${orgId}`),
  });
}

/** The committee (posts held by members) and the secretary of an organization. */
export function committeeOf(org: OrgDetail | undefined): {
  ids: Set<string>;
  secretaryId?: string;
  secretaryName?: string;
} {
  const ids = new Set<string>();
  let secretaryId: string | undefined;
  let secretaryName: string | undefined;
  for (const p of org?.leadership ?? []) {
    if (!p.memberId || p.vacantSince) continue;
    ids.add(p.memberId);
    if (p.post === 'secretary') {
      secretaryId = p.memberId;
      secretaryName = p.personName ?? undefined;
    }
  }
  return { ids, secretaryId, secretaryName };
}

export function ValidTag({ valid, warnings }: { valid: boolean; warnings: number }) {
  if (!valid) return <Tag color="red">会议无效</Tag>;
  if (warnings > 0) return <Tag color="red">{warnings} 项提示</Tag>;
  return null;
}

/** Years a page offers: this one and the five before. */
export function recentYears(): number[] {
  const y = Number(beijingNow().slice(0, 4));
  return [y, y - 1, y - 2, y - 3, y - 4, y - 5];
}
