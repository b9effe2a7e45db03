import { describe, expect, it } from 'vitest';
import type { CalendarView, ProblemView } from '../../app/types.ts';
import { byPeriodNewestFirst, dueGroups, kindsByRule, recordDay } from './due.ts';

const cell = (
  rule: string,
  ruleName: string,
  kind: CalendarView['cells'][number]['kind'],
  period: string,
  held: number,
  required = 1,
) => ({
  rule,
  ruleName,
  kind,
  period,
  periodStart: '',
  periodEnd: '',
  required,
  held,
  ok: held >= required,
  ended: false,
  meetingIds: [],
});

const CAL: CalendarView = {
  orgId: 'o',
  orgName: '程庄村党支部',
  year: 2026,
  cells: [
    cell('LIFE-5', '主题党日', 'themedDay', '2026-11', 1),
    cell('LIFE-5', '主题党日', 'themedDay', '2026-12', 0),
    cell('LIFE-2', '支委会', 'committeeMeeting', '2026-12', 1),
    cell('LIFE-1', '支部党员大会', 'branchMeeting', '2026-Q4', 0),
    cell('LIFE-6', '组织生活会', 'lifeMeeting', '2026', 0),
  ],
};

const problem = (period: string, ruleName: string): ProblemView =>
  ({ id: `${period}:${ruleName}`, period, ruleName, rule: 'LIFE-5' }) as ProblemView;

describe("the secretary's landing page (issue 18 §3)", () => {
  it("lists this month's, this quarter's and this year's requirements, what is not done yet first", () => {
    const groups = dueGroups(CAL, '2026-12-06');
    expect(groups.map((g) => [g.title, g.daysLeft])).toEqual([
      ['本月', 26],
      ['本季度', 26],
      ['本年', 26],
    ]);
    expect(groups[0].items.map((i) => [i.ruleName, i.ok])).toEqual([
      ['主题党日', false],
      ['支委会', true],
    ]);
    expect(groups[1].items[0]).toMatchObject({ kind: 'branchMeeting', held: 0, required: 1 });
    // November has ended: not due any more (an open problem if missed).
    expect(
      dueGroups(CAL, '2026-12-06')
        .flatMap((g) => g.items)
        .some((i) => i.held === 1 && i.ruleName === '主题党日'),
    ).toBe(false);
  });

  it('orders problems by period, newest first, a month before its quarter', () => {
    const list = [problem('2026-09', 'a'), problem('2026-Q3', 'b'), problem('2026-11', 'c'), problem('2025', 'd')];
    expect(byPeriodNewestFirst(list).map((p) => p.period)).toEqual(['2026-11', '2026-09', '2026-Q3', '2025']);
  });

  it('records a past period on its last day and a running one now, with the kind its rule counts', () => {
    expect(recordDay('2026-11', '2026-12-06')).toBe('2026-11-30');
    expect(recordDay('2026-Q3', '2026-12-06')).toBe('2026-09-30');
    expect(recordDay('2026-12', '2026-12-06')).toBeUndefined();
    expect(kindsByRule(CAL).get('LIFE-1')).toBe('branchMeeting');
  });
});
