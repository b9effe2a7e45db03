import { useEffect, useState, useSyncExternalStore } from 'react';

/** Below antd's md breakpoint (768 px). */
const PHONE_QUERY = '(max-width: 767.98px)';
const phoneMedia =
  typeof window !== 'undefined' && typeof window.matchMedia === 'function' ? window.matchMedia(PHONE_QUERY) : null;
const subscribePhone = (onChange: () => void) => {
  phoneMedia?.addEventListener('change', onChange);
  return () => phoneMedia?.removeEventListener('change', onChange);
};
const isPhoneNow = () => phoneMedia?.matches ?? false;

/**
 * Phone width (< 768 px): one media query, read synchronously. antd's Grid.useBreakpoint measured
 * after mounting, so every page using it rendered twice on a phone (first as a desktop), and it
 * subscribed six media queries per component.
 */
export function useIsMobile(): boolean {
  return useSyncExternalStore(subscribePhone, isPhoneNow, () => false);
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
