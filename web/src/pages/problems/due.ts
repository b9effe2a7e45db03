/**
 * 待办, a branch secretary's landing page: what the rules want of the organization in the running
 * month, quarter and year (from its calendar), and the problems still open, newest period first.
 * Pure: the page passes today's date in Beijing.
 */
import {
  currentLabel,
  type Period,
  parsePeriod,
  periodProgress,
  periodsContaining,
} from '../../../../contract/periods.ts';
import type { CalendarView, ProblemView } from '../../app/types.ts';

type Cell = CalendarView['cells'][number];

export interface DueItem {
  rule: string;
  ruleName: string;
  kind: Cell['kind'];
  required: number;
  held: number;
  ok: boolean;
}

export interface DueGroup {
  /** 本月, 本季度, 本年 */
  title: string;
  period: Period;
  /** Days left in the period, today included. */
  daysLeft: number;
  /** Not yet done first, then done; by rule name. */
  items: DueItem[];
}

/** The running month, quarter and year of the calendar, each with what it requires; periods without any left out. */
export function dueGroups(cal: CalendarView | undefined, today: string): DueGroup[] {
  if (!cal) return [];
  return periodsContaining(today)
    .map((period) => ({
      title: currentLabel(period.type),
      period,
      daysLeft: periodProgress(period, today).daysLeft,
      items: cal.cells
        .filter((c) => c.period === period.period && c.required > 0)
        .map((c) => ({
          rule: c.rule,
          ruleName: c.ruleName,
          kind: c.kind,
          required: c.required,
          held: c.held,
          ok: c.ok,
        }))
        .sort((a, b) => Number(a.ok) - Number(b.ok) || a.ruleName.localeCompare(b.ruleName, 'zh-CN')),
    }))
    .filter((g) => g.items.length > 0);
}

/** The meeting kind each rule counts, as the calendar says (a problem names only its rule). */
export function kindsByRule(cal: CalendarView | undefined): Map<string, NonNullable<Cell['kind']>> {
  const out = new Map<string, NonNullable<Cell['kind']>>();
  for (const c of cal?.cells ?? []) if (c.kind) out.set(c.rule, c.kind);
  return out;
}

function endOf(p: string): string {
  try {
    return p ? parsePeriod(p).end : '';
  } catch {
    return '';
  }
}

/** Problems by period, newest first: a later end first, a month before its quarter and year. */
export function byPeriodNewestFirst(list: readonly ProblemView[]): ProblemView[] {
  const span = (p: string) => (p.length === 7 && !p.includes('Q') ? 0 : p.includes('Q') ? 1 : 2);
  return [...list].sort(
    (a, b) =>
      endOf(b.period).localeCompare(endOf(a.period)) ||
      span(a.period) - span(b.period) ||
      a.ruleName.localeCompare(b.ruleName, 'zh-CN'),
  );
}

/** The day a record for a past period is put on (its last day); none for a running one (the form takes now). */
export function recordDay(period: string, today: string): string | undefined {
  const end = endOf(period);
  return end && end < today ? end : undefined;
}
