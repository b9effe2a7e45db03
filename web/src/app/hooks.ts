import { Grid } from 'antd';
import { useEffect, useState } from 'react';

/** Phone width (≤ 768px): below antd's md breakpoint. */
export function useIsMobile(): boolean {
  const screens = Grid.useBreakpoint();
  // Before the first measurement every breakpoint is undefined; fall back to the window width.
  if (screens.md === undefined) return typeof window !== 'undefined' && window.innerWidth < 768;
  return !screens.md;
}

export function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

export { useDocumentTitle } from './title.ts';

/**
 * False until the browser is first idle after mount (at the latest `timeoutMs`): what only the second
 * look needs (a picker's tree, the user menu) loads then, not in the way of the first screen on a
 * slow phone.
 */
export function useIdle(timeoutMs = 2000): boolean {
  const [idle, setIdle] = useState(false);
  useEffect(() => {
    if (typeof window.requestIdleCallback === 'function') {
      const id = window.requestIdleCallback(() => setIdle(true), { timeout: timeoutMs });
      return () => window.cancelIdleCallback(id);
    }
    const t = setTimeout(() => setIdle(true), Math.min(timeoutMs, 300));
    return () => clearTimeout(t);
  }, [timeoutMs]);
  return idle;
}
