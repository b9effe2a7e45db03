import { describe, expect, it } from 'vitest';
import { COMMON_PASSWORDS, countyNameForms, isCommonPassword, passwordForms, randomPassword } from './passwords.ts';

describe('common-password list (SEC-2)', () => {
  it('is a real list with Chinese patterns', () => {
    expect(COMMON_PASSWORDS.size).toBeGreaterThanOrEqual(10_000);
    for (const p of [
      'password',
      'qwerty',
      '1qaz2wsx',
      'qazwsx',
      'zxcvbnm',
      '147258369',
      'woaini',
      'dangjian',
      'zhongguo',
      'admin',
      'zhangwei',
      'zhangwei1990',
      'lankao',
      'lankao2024',
      'kaifeng',
    ])
      expect(COMMON_PASSWORDS.has(p), p).toBe(true);
  });

  it('sees through capitals, symbols, trailing years and look-alike digits', () => {
    expect(passwordForms('Qwerty@123456')).toContain('qwerty');
    for (const p of [
      'Qwerty@123456',
      'Lankao@2024',
      'P@ssw0rd!',
      'Zhangwei1990!',
      '!Woaini520',
      '1qaz@WSX',
      'Admin#8888',
    ])
      expect(isCommonPassword(p), p).toBe(true);
    for (const p of ['Test#Pass2026', 'Jia#Zhen2026x', 'Another#Pass99', 'Hu7$kLm2-Qz'])
      expect(isCommonPassword(p), p).toBe(false);
  });

  it('keeps generated one-time passwords valid', () => {
    for (let i = 0; i < 2000; i++) {
      const p = randomPassword();
      expect(isCommonPassword(p), p).toBe(false);
    }
  });

  it('reads the county name from the county committee', () => {
    expect(countyNameForms('中共兰考县委员会')).toEqual(['兰考', 'lankao']);
    expect(countyNameForms('中共沛县委员会')).toEqual(['沛县', 'peixian']);
  });
});
