import dayjs, { type Dayjs } from 'dayjs';

export function toIso(d: Dayjs | null | undefined): string | null {
  return d?.isValid() ? d.format('YYYY-MM-DD') : null;
}
export function fromIso(s: string | null | undefined): Dayjs | undefined {
  if (!s) return undefined;
  const d = dayjs(s);
  return d.isValid() ? d : undefined;
}
/** '2021-07-01' → '2021-07-01'; empty → '—'. */
export function dateText(s: string | null | undefined): string {
  return s ? s.slice(0, 10) : '—';
}
export function dateTimeText(s: string | null | undefined): string {
  if (!s) return '—';
  const d = dayjs(s);
  return d.isValid() ? d.format('YYYY-MM-DD HH:mm') : s;
}
export function orDash(v: string | number | null | undefined): string {
  return v === null || v === undefined || v === '' ? '—' : String(v);
}
/** Empty strings become null, so clearing a field clears it on the server. */
export function blankToNull<T extends Record<string, unknown>>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o))
    out[k] = typeof v === 'string' && v.trim() === '' ? null : typeof v === 'string' ? v.trim() : v;
  return out as T;
}
export function bytesText(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * A count with thousands separators (31,206), as zh-CN writes it. Not `toLocaleString('zh-CN')`: its
 * first call loads the locale's ICU data, ~150 ms on a slow phone's first screen.
 */
export function thousands(n: number): string {
  const [int, frac] = String(n).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac ? `${grouped}.${frac}` : grouped;
}
