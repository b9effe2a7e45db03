import { describe, expect, it } from 'vitest';
import { shortNames } from './org-short.ts';

describe('short organization names for the compliance view (issue 18 §5)', () => {
  it('keeps what tells townships apart, without the county and the kind', () => {
    expect(
      shortNames([
        '中共兰考县兰阳街道工作委员会',
        '中共兰考县城关镇委员会',
        '中共兰考县城关乡委员会',
        '中共兰考县县直机关工作委员会',
      ]),
    ).toEqual(['兰阳街道', '城关镇', '城关乡', '县直机关']);
  });

  it("drops the name of the organization above, as the county's own bodies carry it", () => {
    expect(
      shortNames(
        [
          '中共兰阳街道工作委员会',
          '中共兰考县县直机关工作委员会',
          '中共兰考县非公有制经济组织和社会组织工作委员会',
          '中共兰考县投资集团有限公司委员会',
        ],
        '中共兰考县委员会',
      ),
    ).toEqual(['兰阳街道', '县直机关', '两新组织', '投资集团有限公司']);
  });

  it('shortens branches under a township and leaves a lone name readable', () => {
    expect(shortNames(['中共兰考县红庙镇程庄村支部委员会', '中共兰考县红庙镇夏武营村总支部委员会'])).toEqual([
      '红庙镇程庄村',
      '红庙镇夏武营村',
    ]);
    expect(shortNames(['中共兰考县委员会'])).toEqual(['兰考县']);
    expect(shortNames(['党委'])).toEqual(['党委']);
  });
});
