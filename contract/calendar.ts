/**
 * Calendar dates in Asia/Shanghai (UTC+08:00 all year: China has no daylight saving time), as
 * 'YYYY-MM-DD' strings. One place for the date arithmetic the modules share: the day a meeting was
 * held, the rules' periods, the end of a correction period.
 */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

const pad = (n: number) => String(n).padStart(2, '0');

/** The Asia/Shanghai calendar date of an instant (a Date or an ISO timestamp with its offset). */
export function shanghaiDate(instant: string | Date): string {
  const ms = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  if (!Number.isFinite(ms)) throw new Error(`invalid instant ${String(instant)}`);
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** Days in a month (1-based). */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** `date` plus `days` (may be negative). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** `date` plus `months`, the day clamped to the month's end (2026-01-31 + 1 → 2026-02-28). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = (total % 12) + 1;
  return `${ny}-${pad(nm)}-${pad(Math.min(d, daysInMonth(ny, nm)))}`;
}

/** Whole days from `a` to `b` (b − a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** 'YYYY-MM-DD HH:MM' in Asia/Shanghai: the time as offices write it on an export or a photo. */
export function shanghaiMinute(instant: string | Date): string {
  const ms = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** The hour (0–23) of an instant in Asia/Shanghai. */
export function shanghaiHour(instant: Date): number {
  return new Date(instant.getTime() + SHANGHAI_OFFSET_MS).getUTCHours();
}

/** The instant of a time of day ('HH:MM') on a calendar date in Asia/Shanghai. */
export function shanghaiInstant(date: string, time: string): Date {
  const [h, m] = time.split(':').map(Number);
  return new Date(Date.parse(`${date}T00:00:00Z`) + (h * 60 + m) * 60_000 - SHANGHAI_OFFSET_MS);
}

/** 'YYYYMMDD-HHMMSS' in Asia/Shanghai: a timestamp for a file name. */
export function shanghaiFileStamp(instant: Date): string {
  return new Date(instant.getTime() + SHANGHAI_OFFSET_MS)
    .toISOString()
    .slice(0, 19)
    .replace(/-/g, '')
    .replace(':', '')
    .replace(':', '')
    .replace('T', '-');
}

/** The Monday of the week (Monday to Sunday) that holds `date`. */
export function weekStart(date: string): string {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(date, -((day + 6) % 7));
}

/**
 * The national holiday arrangement (放假调休) of each year the platform knows, as the State Council's
 * General Office publishes it: holidays that fall on a weekday, and weekend days that are worked (上班).
 * 2026: 《国务院办公厅关于2026年部分节假日安排的通知》（2025年11月4日）. A year not listed is counted
 * Monday to Friday, and whatever counts working days says so.
 */
export const WORK_CALENDAR: Readonly<Record<number, { holidays: readonly string[]; workdays: readonly string[] }>> = {
  2026: {
    holidays: [
      '2026-01-01',
      '2026-01-02',
      '2026-02-16',
      '2026-02-17',
      '2026-02-18',
      '2026-02-19',
      '2026-02-20',
      '2026-02-23',
      '2026-04-06',
      '2026-05-01',
      '2026-05-04',
      '2026-05-05',
      '2026-06-19',
      '2026-09-25',
      '2026-10-01',
      '2026-10-02',
      '2026-10-05',
      '2026-10-06',
      '2026-10-07',
    ],
    workdays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
  },
};

/** Whether the year's holiday arrangement is known (WORK_CALENDAR). */
export function calendarKnown(year: number): boolean {
  return year in WORK_CALENDAR;
}

/** Whether a day is a working day: Monday to Friday unless a holiday, or a weekend day worked (调休上班). */
export function isWorkingDay(date: string): boolean {
  const cal = WORK_CALENDAR[Number(date.slice(0, 4))];
  if (cal?.workdays.includes(date)) return true;
  if (cal?.holidays.includes(date)) return false;
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
  return dow !== 0 && dow !== 6;
}
