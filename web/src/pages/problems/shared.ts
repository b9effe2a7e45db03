/** What the problems pages share: API shapes (types only) and period helpers. */
import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { calendarView, complianceView, problemDetail, ProblemView, ruleInfo, ruleRunView, ruleSettingView } from '../../../../contract/problems.ts';
import { api } from '../../app/api.ts';
import type { OrgSummary } from '../../app/types.ts';
import { shanghaiDate } from '../../../../server/platform/calendar.ts';
import { periodLabel } from '../../../../server/modules/problems/periods.ts';

export type { ProblemView };
export type ProblemDetail = z.infer<typeof problemDetail>;
export type RuleInfo = z.infer<typeof ruleInfo>;
export type ComplianceView = z.infer<typeof complianceView>;
export type CalendarView = z.infer<typeof calendarView>;
export type RuleSettingView = z.infer<typeof ruleSettingView>;
export type RuleRunView = z.infer<typeof ruleRunView>;

export function useRules() {
  return useQuery({
    queryKey: ['problems', 'rules'],
    staleTime: 10 * 60_000,
    queryFn: async () => {
      const r = await api.get<RuleInfo[] | { items: RuleInfo[] }>('/api/problems/rules');
      return Array.isArray(r) ? r : r.items;
    },
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
      return (await api.get<{ items: OrgSummary[] }>(`/api/orgs/${root.id}/children`)).items;
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
