import { describe, expect, it } from 'vitest';
import { countyNameOf, distinctiveName, orgInitials } from './initials.ts';

describe('organization name initials', () => {
  it('keeps only the distinctive part: no 中共, county name or kind suffix', () => {
    expect(distinctiveName('中共甲一村支部委员会', '兰考县')).toBe('甲一村');
    expect(distinctiveName('中共甲镇委员会', '兰考县')).toBe('甲镇');
    expect(distinctiveName('中共兰考县财政局机关支部委员会', '兰考县')).toBe('财政局机关');
    expect(distinctiveName('中共兰考县县直机关工作委员会', '兰考县')).toBe('县直机关');
    expect(distinctiveName('中共固阳镇东村党总支', '兰考县')).toBe('固阳镇东村');
    expect(distinctiveName('甲一村第一党小组')).toBe('甲一村第一');
    // The county committee itself keeps its name.
    expect(distinctiveName('中共兰考县委员会', '兰考县')).toBe('兰考县');
  });

  it('gives the initials people type', () => {
    expect(orgInitials('中共甲一村支部委员会', '兰考县')).toBe('jyc');
    expect(orgInitials('中共固阳镇委员会', '兰考县')).toBe('gyz');
    expect(orgInitials('中共兰考县委员会', '兰考县')).toBe('lkx');
  });

  it('reads the county name from the root committee', () => {
    expect(countyNameOf('中共兰考县委员会')).toBe('兰考县');
    expect(countyNameOf(null)).toBeNull();
  });
});

describe('initials of the parts of a name', () => {
  it('adds the initials of what follows each part: the village, the enterprise, the unit', () => {
    expect(orgInitials('中共红庙镇程庄村支部委员会', '兰考县')).toBe('hmzczc czc');
    expect(orgInitials('中共红庙镇恒大家具有限公司支部委员会', '兰考县')).toBe('hmzhdjjyxgs hdjjyxgs');
    expect(orgInitials('中共兰考县财政局机关支部委员会', '兰考县')).toBe('czjjg jg');
    expect(orgInitials('中共甲一村支部委员会', '兰考县')).toBe('jyc');
  });
});
