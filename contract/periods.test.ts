import { describe, expect, it } from 'vitest';
import {
  addMonths,
  daysBetween,
  parsePeriod,
  periodLabel,
  periodOf,
  periodProgress,
  periodsBetween,
  periodsContaining,
  shanghaiDate,
} from './periods.ts';

describe('Asia/Shanghai periods', () => {
  it('labels months, quarters and years in Chinese', () => {
    expect(periodLabel('2026-11')).toBe('2026年11月');
    expect(periodLabel('2026-Q4')).toBe('2026年第四季度');
    expect(periodLabel('2026')).toBe('2026年');
    expect(periodLabel('2026-01')).toBe('2026年1月');
  });
  it('gives start and end dates, the last day of a quarter and of the year included', () => {
    expect(parsePeriod('2026-Q1')).toMatchObject({ start: '2026-01-01', end: '2026-03-31' });
    expect(parsePeriod('2026-Q4')).toMatchObject({ start: '2026-10-01', end: '2026-12-31' });
    expect(periodOf('quarter', '2026-03-31').period).toBe('2026-Q1');
    expect(periodOf('quarter', '2026-04-01').period).toBe('2026-Q2');
    expect(periodsContaining('2026-12-31').map((p) => p.period)).toEqual(['2026-12', '2026-Q4', '2026']);
    expect(periodsContaining('2027-01-01').map((p) => p.period)).toEqual(['2027-01', '2027-Q1', '2027']);
  });
  it('knows the leap day', () => {
    expect(parsePeriod('2028-02').end).toBe('2028-02-29');
    expect(parsePeriod('2026-02').end).toBe('2026-02-28');
    expect(periodsContaining('2028-02-29').map((p) => p.period)).toEqual(['2028-02', '2028-Q1', '2028']);
    expect(addMonths('2028-02-29', 12)).toBe('2029-02-28');
  });
  it('takes the Shanghai date of an instant (+08:00, no DST)', () => {
    expect(shanghaiDate(new Date('2026-03-31T16:30:00Z'))).toBe('2026-04-01');
    expect(shanghaiDate(new Date('2026-03-31T15:59:59Z'))).toBe('2026-03-31');
    expect(shanghaiDate(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01-01');
    expect(periodsContaining(shanghaiDate(new Date('2026-03-31T16:30:00Z')))[1].period).toBe('2026-Q2');
  });
  it('lists the periods between two dates', () => {
    expect(periodsBetween('quarter', '2025-11-15', '2026-04-01').map((p) => p.period)).toEqual([
      '2025-Q4',
      '2026-Q1',
      '2026-Q2',
    ]);
    expect(periodsBetween('month', '2026-01-01', '2026-03-01')).toHaveLength(3);
    expect(periodsBetween('year', '2024-01-01', '2026-06-30').map((p) => p.period)).toEqual(['2024', '2025', '2026']);
    expect(daysBetween('2026-12-20', '2026-12-31')).toBe(11);
  });
  it('says whether a period is over, running (with its days left) or not begun', () => {
    expect(periodProgress('2026-12', '2026-12-06')).toEqual({ state: 'running', daysLeft: 26 });
    expect(periodProgress('2026-Q4', '2026-12-31')).toEqual({ state: 'running', daysLeft: 1 });
    expect(periodProgress('2026-11', '2026-12-01')).toEqual({ state: 'ended', daysLeft: 0 });
    expect(periodProgress('2027-01', '2026-12-06').state).toBe('future');
  });
});
