/**
 * Whether a month of days in the village is short, said once for the roster, a person's page and the
 * phone's check-in page (a light module: the check-in page must not load the roster's components).
 */
import { addDays, daysInMonth, isWorkingDay, shanghaiDate } from '../../../../contract/calendar.ts';
import type { FsMonth } from '../../app/types.ts';

/** Working days from `from` to the month's end (inclusive). */
function workingDaysLeft(month: string, from: string): number {
  const last = `${month}-${String(daysInMonth(Number(month.slice(0, 4)), Number(month.slice(5, 7)))).padStart(2, '0')}`;
  let n = 0;
  for (let d = from; d <= last; d = addDays(d, 1)) if (isWorkingDay(d)) n++;
  return n;
}

/**
 * Short of the days asked: the month is over with fewer days in the village than required, or the working
 * days left in it (today included) cannot make up the difference. A month to come is never short, nor one
 * FS-2 does not judge (the account was opened during it, or not at all).
 */
export function isShort(a: FsMonth, today = shanghaiDate(new Date())): boolean {
  if (!a.judged || a.daysIn >= a.required) return false;
  const now = today.slice(0, 7);
  if (a.month < now) return true;
  if (a.month > now) return false;
  return a.daysIn + workingDaysLeft(a.month, today) < a.required;
}
