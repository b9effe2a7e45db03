import { describe, expect, it } from 'vitest';
import { makeIdNumber } from '../../platform/idcard.ts';
import { checkMember } from './validate.ts';

const today = '2026-11-27';
const id = makeIdNumber('410225', '20000229', 11);

describe('member entry rules', () => {
  it('join date on the 18th birthday is allowed; a day earlier is not (leap-day birthday)', () => {
    expect(
      checkMember({ name: '王小', idNumber: id, standing: 'probationary', joinDate: '2018-02-28' }, today).issues,
    ).toEqual([]);
    const early = checkMember(
      { name: '王小', idNumber: id, standing: 'probationary', joinDate: '2018-02-27' },
      today,
    ).issues;
    expect(early.map((i) => i.field)).toEqual(['joinDate']);
    expect(early[0].message).toBe('入党日期：应在年满 18 周岁（2018-02-28）之后，身份证显示出生于 2000-02-29');
  });

  it('full-member date at least a year after joining; none for probationary members; no future dates', () => {
    const full = (fullDate: string) =>
      checkMember({ name: '王小', idNumber: id, standing: 'full', joinDate: '2019-03-01', fullDate }, today).issues;
    expect(full('2020-03-01')).toEqual([]);
    expect(full('2020-02-29')[0].message).toMatch(/转正日期：不能早于入党日期满一年/);
    expect(
      checkMember(
        { name: '王小', idNumber: id, standing: 'probationary', joinDate: '2026-03-01', fullDate: '2027-03-01' },
        today,
      ).issues.map((i) => i.field),
    ).toEqual(['fullDate', 'fullDate']);
    expect(
      checkMember({ name: '王小', idNumber: id, standing: 'probationary', joinDate: '2027-01-01' }, today).issues[0]
        .message,
    ).toBe(`入党日期：不能晚于今天（${today}），请核对后重新填写`);
  });

  it('names the field of every problem in Chinese', () => {
    const r = checkMember(
      { name: 'x1', idNumber: '123', standing: 'full', joinDate: '2020-13-01', phone: '555' },
      today,
    );
    expect(r.issues.map((i) => i.field).sort()).toEqual(['idNumber', 'joinDate', 'name', 'phone']);
    for (const i of r.issues) expect(i.message).toMatch(/^[\u4e00-\u9fa5]+：/);
  });
});
