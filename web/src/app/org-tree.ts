/** Lazy organization tree shared by the org page's Tree and the org pickers (TreeSelect). */
import { useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import { api } from './api.ts';
import type { OrgChildList, OrgSummary } from './types.ts';

export const orgKeys = {
  all: ['orgs'] as const,
  root: ['orgs', 'root'] as const,
  children: (id: string) => ['orgs', 'children', id] as const,
  detail: (id: string) => ['orgs', 'detail', id] as const,
  search: (q: string) => ['orgs', 'search', q] as const,
};

export function fetchChildren(id: string): Promise<OrgSummary[]> {
  return api.get<OrgChildList>(`/api/orgs/${id}/children`).then((r) => r.items);
}

export function useOrgRoot(enabled = true) {
  return useQuery({
    queryKey: orgKeys.root,
    queryFn: () => api.get<OrgSummary>('/api/orgs/root'),
    staleTime: 60_000,
    enabled,
  });
}

const dataOnly = (rs: { data?: OrgSummary[] }[]) => rs.map((r) => r.data);

export interface OrgTreeState {
  root: OrgSummary | undefined;
  rootError: unknown;
  rootLoading: boolean;
  /** Children of each org whose children have been loaded. */
  childrenOf: Map<string, OrgSummary[]>;
  /** Loads (and from then on keeps fresh) the children of these orgs. */
  ensureLoaded: (ids: string[]) => Promise<void>;
  /** Every org known so far, by id. */
  byId: Map<string, OrgSummary>;
}

export function useOrgTree(enabled = true): OrgTreeState {
  const qc = useQueryClient();
  const rootQ = useOrgRoot(enabled);
  const [loadedIds, setLoadedIds] = useState<string[]>([]);
  const ids = useMemo(
    () => (rootQ.data ? [rootQ.data.id, ...loadedIds.filter((i) => i !== rootQ.data?.id)] : []),
    [rootQ.data, loadedIds],
  );
  const datas = useQueries({
    queries: ids.map((id) => ({
      queryKey: orgKeys.children(id),
      queryFn: () => fetchChildren(id),
      staleTime: 60_000,
      enabled,
    })),
    combine: dataOnly,
  });
  const childrenOf = useMemo(() => {
    const m = new Map<string, OrgSummary[]>();
    ids.forEach((id, i) => {
      const d = datas[i];
      if (d) m.set(id, d);
    });
    return m;
  }, [ids, datas]);
  const byId = useMemo(() => {
    const m = new Map<string, OrgSummary>();
    if (rootQ.data) m.set(rootQ.data.id, rootQ.data);
    for (const list of childrenOf.values()) for (const o of list) m.set(o.id, o);
    return m;
  }, [rootQ.data, childrenOf]);
  const ensureLoaded = useCallback(
    async (want: string[]) => {
      await Promise.all(
        want.map((id) =>
          qc.fetchQuery({ queryKey: orgKeys.children(id), queryFn: () => fetchChildren(id), staleTime: 60_000 }),
        ),
      );
      setLoadedIds((cur) => {
        const add = want.filter((id) => !cur.includes(id));
        return add.length ? [...cur, ...add] : cur;
      });
    },
    [qc],
  );
  return { root: rootQ.data, rootError: rootQ.error, rootLoading: rootQ.isLoading, childrenOf, ensureLoaded, byId };
}
