/**
 * A list page's filters, page and page size, kept in the address (so Back, a bookmark and a shared
 * link show the same list). Used with components/ResponsiveList.tsx; see docs/CODE_STYLE.md "A list page".
 */
import { useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useDebounced } from './hooks.ts';

export type ParamPatch = Record<string, string | number | null | undefined>;

export interface ListParams {
  /** The address's parameters, as they are. */
  params: URLSearchParams;
  /** One parameter, or '' when absent. */
  get(key: string): string;
  /** The filter keys that are set, with their values. */
  filters: Record<string, string>;
  /** How many filter keys are set. */
  active: number;
  page: number;
  pageSize: number;
  /**
   * Changes some parameters (null, undefined or '' removes one). Any change goes back to page 1
   * unless `keepPage`; `replace` replaces the history entry (typing, for instance).
   */
  set(patch: ParamPatch, opts?: { replace?: boolean; keepPage?: boolean }): void;
  /** The pager's change: page 1 and the default size leave the address. */
  setPage(page: number, pageSize?: number): void;
  /** Removes every parameter. */
  clear(): void;
}

/**
 * `keys`: the filters this list reads from the address. `pageSizes` (the first is the default):
 * sizes a user may choose; other values in the address fall back to the default.
 */
export function useListParams(
  keys: readonly string[],
  { pageSizes = [20] }: { pageSizes?: readonly number[] } = {},
): ListParams {
  const [params, setParams] = useSearchParams();
  // The page a debounced change belongs to: it must not pull a user who already left back to the list
  // (the old page stays mounted while the next one loads).
  const [home] = useState(() => (typeof window === 'undefined' ? '' : window.location.pathname));
  const defaultSize = pageSizes[0];
  const askedSize = Number(params.get('pageSize'));
  const pageSize = pageSizes.includes(askedSize) ? askedSize : defaultSize;
  const page = Math.max(1, Number(params.get('page') ?? 1) || 1);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the keys are a constant of the page
  const filters = useMemo(() => {
    const f: Record<string, string> = {};
    for (const k of keys) {
      const v = params.get(k);
      if (v) f[k] = v;
    }
    return f;
  }, [params]);
  const set: ListParams['set'] = (patch, opts = {}) => {
    if (window.location.pathname !== home) return;
    setParams(
      (cur) => {
        const next = new URLSearchParams(cur);
        for (const [k, v] of Object.entries(patch)) {
          if (v === null || v === undefined || v === '') next.delete(k);
          else next.set(k, String(v));
        }
        if (!opts.keepPage) next.delete('page');
        return next;
      },
      { replace: opts.replace },
    );
  };
  return {
    params,
    get: (k) => params.get(k) ?? '',
    filters,
    active: Object.keys(filters).length,
    page,
    pageSize,
    set,
    setPage: (p, ps = pageSize) =>
      set({ page: p === 1 ? null : p, pageSize: ps === defaultSize ? null : ps }, { keepPage: true }),
    clear: () => {
      if (window.location.pathname === home) setParams(new URLSearchParams());
    },
  };
}

/**
 * A search box bound to one address parameter: what is typed goes to the address after `ms`
 * (replacing the history entry, so Back skips keystrokes), and the box follows the address on
 * Back and Forward. Returns the box's text and its setter.
 */
export function useSearchText(list: ListParams, key = 'q', ms = 300): [string, (text: string) => void] {
  const inUrl = list.params.get(key) ?? '';
  const [text, setText] = useState(inUrl);
  const debounced = useDebounced(text.trim(), ms);
  // biome-ignore lint/correctness/useExhaustiveDependencies: only the debounced text drives the address
  useEffect(() => {
    if (debounced !== inUrl) list.set({ [key]: debounced }, { replace: true });
  }, [debounced]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the box follows the address only when the address changes
  useEffect(() => {
    if (inUrl !== text.trim()) setText(inUrl);
  }, [inUrl]);
  return [text, setText];
}
