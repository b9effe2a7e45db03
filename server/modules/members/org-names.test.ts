import { describe, expect, it } from 'vitest';
import { orgMatcher } from './org-names.ts';

const county = '兰考县';
const orgs = [
  {
    id: 'a',
    name: '中共红庙镇程庄村支部委员会',
    county_code: '410225',
    short_name: '程庄村党支部',
    ancestors: ['中共红庙镇委员会', '中共兰考县委员会'],
  },
  {
    id: 'b',
    name: '中共兰考县财政局机关支部委员会',
    county_code: '410225',
    short_name: null,
    ancestors: ['中共兰考县县直机关工作委员会'],
  },
  {
    id: 'c',
    name: '中共红庙镇王庄村支部委员会',
    county_code: '410225',
    short_name: null,
    ancestors: ['中共红庙镇委员会'],
  },
  {
    id: 'd',
    name: '中共谷营镇王庄村支部委员会',
    county_code: '410225',
    short_name: null,
    ancestors: ['中共谷营镇委员会'],
  },
];
const match = orgMatcher(orgs, county);
const idOf = (text: string) => {
  const m = match(text);
  return m && 'org' in m ? m.org.id : m ? m.candidates.map((c) => c.id) : null;
};

describe('orgMatcher', () => {
  it('matches a branch by its full name, short name, distinctive part with or without 党, and without the township', () => {
    for (const text of [
      '中共红庙镇程庄村支部委员会',
      '程庄村党支部',
      '程庄村支部',
      '程庄村',
      '红庙镇程庄村党支部',
      ' 程庄村 党支部 ',
      'a',
    ])
      expect(idOf(text), text).toBe('a');
    expect(idOf('红庙镇程庄村')).toBe('a');
    for (const text of ['财政局机关党支部', '财政局机关支部', '兰考县财政局机关支部委员会'])
      expect(idOf(text), text).toBe('b');
  });

  it('answers the candidates when the text names several, and the one when the township says which', () => {
    expect(idOf('王庄村党支部')).toEqual(['c', 'd']);
    expect(idOf('谷营镇王庄村支部')).toBe('d');
  });

  it('answers null for a name it does not know', () => {
    expect(idOf('李庄村党支部')).toBeNull();
    expect(idOf('')).toBeNull();
  });
});
