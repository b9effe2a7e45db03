/** What the problems pages share: API shapes (from app/types.ts) and period helpers. */
import { useQuery } from '@tanstack/react-query';
import { api } from '../../app/api.ts';
import type {
  CalendarView,
  ComplianceView,
  OrgChildList,
  OrgSummary,
  ProblemDetail,
  ProblemView,
  RuleInfo,
  RuleRunView,
  RuleSettingView,
} from '../../app/types.ts';
import { shanghaiDate } from '../../../../contract/calendar.ts';
import { periodLabel } from '../../../../contract/periods.ts';

export type { CalendarView, ComplianceView, ProblemDetail, ProblemView, RuleInfo, RuleRunView, RuleSettingView };

export function useRules() {
  return useQuery({
    queryKey: ['problems', 'rules'],
    staleTime: 10 * 60_000,
    queryFn: () => api.get<RuleInfo[]>('/api/problems/rules'),
  });
}

/** The county's townships: the direct children of the top organization in scope. */
export function useTownships() {
  return useQuery({
    queryKey: ['orgs', 'townships'],
    staleTime: 5 * 60_000,
    queryFn: async () => {
      const root = await api.get<OrgSummary>('/api/orgs/root');
      if (root.depth > 0) return [];
      return (await api.get<OrgChildList>(`/api/orgs/${root.id}/children`)).items;
    },
  });
}

/** '2026-11' → '2026年11月', '2026-Q4' → '2026年第四季度', '2026' → '2026年' (the server's labels; a malformed one as it is). */
export function periodText(p: string): string {
  try {
    return p ? periodLabel(p) : p;
  } catch {
    return p;
  }
}

export function thisYear(): number {
  return Number(shanghaiDate(new Date()).slice(0, 4));
}
