import { describe, expect, it } from 'vitest';
import { isCommonPassword, typeablePassword } from '../../platform/passwords.ts';
import { chineseNumber, ordinalSortKey, treeOrder } from './bulk.ts';

describe('branch order', () => {
  it('reads Chinese ordinals as numbers', () => {
    expect(['一', '二', '九', '十', '十一', '十二', '二十', '二十三', '九十九'].map(chineseNumber)).toEqual([
      1, 2, 9, 10, 11, 12, 20, 23, 99,
    ]);
    expect(chineseNumber('百')).toBeNull();
    expect(ordinalSortKey('王庄村第十二党支部')).toBe('王庄村第0012党支部');
  });

  it('lists a 总支 then its branches 第一, 第二, 第三, 第十 however they were made', () => {
    const rows = [
      { id: 't', parent_id: null, name: '中共乙镇委员会', sort_order: 0 },
      { id: 'g', parent_id: 't', name: '中共乙镇王庄村总支部委员会', sort_order: 0 },
      { id: '10', parent_id: 'g', name: '中共乙镇王庄村第十支部委员会', sort_order: 0 },
      { id: '3', parent_id: 'g', name: '中共乙镇王庄村第三支部委员会', sort_order: 0 },
      { id: '1', parent_id: 'g', name: '中共乙镇王庄村第一支部委员会', sort_order: 0 },
      { id: '2', parent_id: 'g', name: '中共乙镇王庄村第二支部委员会', sort_order: 0 },
    ];
    expect(treeOrder(rows).map((r) => r.id)).toEqual(['t', 'g', '1', '2', '3', '10']);
  });
});

describe('one-time passwords for the sheet', () => {
  it('meet the county rules (length, classes) and are never common', () => {
    for (const rules of [
      { minLength: 8, classes: 3 },
      { minLength: 12, classes: 4 },
      { minLength: 16, classes: 3 },
    ]) {
      for (let i = 0; i < 200; i++) {
        const pw = typeablePassword(rules);
        expect(pw.length).toBeGreaterThanOrEqual(Math.max(rules.minLength, 14));
        const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z\d]/].filter((r) => r.test(pw)).length;
        expect(classes).toBeGreaterThanOrEqual(rules.classes);
        expect(pw).not.toMatch(/[01ilo]/);
        expect(isCommonPassword(pw)).toBe(false);
      }
    }
  });
});
