/** A member's join date as shown (no imports: the members list's first screen uses it). */

/** 2012-07-01, or 2012年07月 when a roster gave only the year and month. */
export function joinDateText(m: { joinDate: string; joinDatePrecision?: 'day' | 'month' }): string {
  return m.joinDatePrecision === 'month'
    ? `${m.joinDate.slice(0, 4)}年${m.joinDate.slice(5, 7)}月`
    : m.joinDate.slice(0, 10);
}
