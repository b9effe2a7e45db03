/**
 * Calendar periods in Asia/Shanghai (UTC+08:00 all year: China has no daylight saving time).
 * A period is '2026-11' (month), '2026-Q4' (quarter), '2026' (year), or '' for a standing rule.
 * Dates are 'YYYY-MM-DD' strings, never Date objects. No zod: the web app names periods with it
 * (periodLabel), the rules engine (server/modules/problems) computes with it.
 */
import { addDays, daysBetween, daysInMonth, shanghaiDate } from './calendar.ts';

export type PeriodType = 'month' | 'quarter' | 'year';

export interface Period {
  period: string;
  type: PeriodType;
  start: string;
  end: string;
}

const pad = (n: number) => String(n).padStart(2, '0');
const QUARTER_NAMES = ['一', '二', '三', '四'];

export { addDays, addMonths, daysBetween, daysInMonth, shanghaiDate } from './calendar.ts';

export function monthPeriod(year: number, month: number): Period {
  return {
    period: `${year}-${pad(month)}`,
    type: 'month',
    start: `${year}-${pad(month)}-01`,
    end: `${year}-${pad(month)}-${pad(daysInMonth(year, month))}`,
  };
}

export function quarterPeriod(year: number, quarter: number): Period {
  const last = quarter * 3;
  return {
    period: `${year}-Q${quarter}`,
    type: 'quarter',
    start: `${year}-${pad(last - 2)}-01`,
    end: `${year}-${pad(last)}-${pad(daysInMonth(year, last))}`,
  };
}

export function yearPeriod(year: number): Period {
  return { period: String(year), type: 'year', start: `${year}-01-01`, end: `${year}-12-31` };
}

/** A period from its string; throws on a malformed one. */
export function parsePeriod(p: string): Period {
  let m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(p);
  if (m) return monthPeriod(Number(m[1]), Number(m[2]));
  m = /^(\d{4})-Q([1-4])$/.exec(p);
  if (m) return quarterPeriod(Number(m[1]), Number(m[2]));
  m = /^(\d{4})$/.exec(p);
  if (m) return yearPeriod(Number(m[1]));
  throw new Error(`期间格式不正确：${p}`);
}

/** The month, quarter or year containing `date`. */
export function periodOf(type: PeriodType, date: string): Period {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  if (type === 'month') return monthPeriod(year, month);
  if (type === 'quarter') return quarterPeriod(year, Math.ceil(month / 3));
  return yearPeriod(year);
}

/** The month, the quarter and the year containing `date`. */
export function periodsContaining(date: string): Period[] {
  return (['month', 'quarter', 'year'] as const).map((t) => periodOf(t, date));
}

/** Every period of `type` from the one containing `from` to the one containing `to`, oldest first. */
export function periodsBetween(type: PeriodType, from: string, to: string): Period[] {
  const out: Period[] = [];
  if (from > to) return out;
  let p = periodOf(type, from);
  while (p.start <= to) {
    out.push(p);
    p = periodOf(type, addDays(p.end, 1));
  }
  return out;
}

/** 2026年11月, 2026年第四季度, 2026年; '' (a standing rule) reads 当前. */
export function periodLabel(p: string): string {
  if (p === '') return '当前';
  const x = parsePeriod(p);
  const year = p.slice(0, 4);
  if (x.type === 'month') return `${year}年${Number(p.slice(5, 7))}月`;
  if (x.type === 'quarter') return `${year}年第${QUARTER_NAMES[Number(p.slice(6)) - 1]}季度`;
  return `${year}年`;
}

/** 本月, 本季度, 本年: how a running period is named in a reminder. */
export function currentLabel(type: PeriodType): string {
  return type === 'month' ? '本月' : type === 'quarter' ? '本季度' : '本年';
}

/** Today in Asia/Shanghai by the app's clock (`deps.now()`). */
export function todayOf(deps: { now: () => Date }): string {
  return shanghaiDate(deps.now());
}

/**
 * Where `today` stands in a period: over, running (its days left, today included, and 进行中 wherever
 * it is drawn — the compliance view, the landing page) or not begun. The one reading of "running".
 */
export function periodProgress(
  p: Period | string,
  today: string,
): { state: 'ended' | 'running' | 'future'; daysLeft: number } {
  const x = typeof p === 'string' ? parsePeriod(p) : p;
  if (x.end < today) return { state: 'ended', daysLeft: 0 };
  if (x.start > today) return { state: 'future', daysLeft: daysBetween(today, x.end) + 1 };
  return { state: 'running', daysLeft: daysBetween(today, x.end) + 1 };
}
