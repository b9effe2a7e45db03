import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkChar, isPhone, makeIdNumber, maskIdNumber, maskPhone, parseIdNumber } from './idcard.ts';

describe('GB 11643 ID numbers (MEM-6)', () => {
  it('accepts a known valid number and reads birth date and sex from it', () => {
    // The standard's own example: 11010519491231002X (female, born 1949-12-31).
    const r = parseIdNumber('11010519491231002x');
    expect(r).toEqual({
      ok: true,
      value: '11010519491231002X',
      info: { birthDate: '1949-12-31', sex: '2', regionCode: '110105' },
    });
  });

  it('rejects a wrong check digit, an impossible date, and the wrong length', () => {
    expect(parseIdNumber('110105194912310021')).toEqual({ ok: false, problem: 'checksum' });
    expect(parseIdNumber(`${'11010519490231002'}${checkChar('11010519490231002')}`)).toEqual({
      ok: false,
      problem: 'birthDate',
    });
    expect(parseIdNumber('1101051949123100')).toEqual({ ok: false, problem: 'format' });
  });

  it('every number it makes passes, and changing any one digit makes it fail', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1920-01-01'), max: new Date('2005-12-31'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 999 }),
        fc.integer({ min: 0, max: 16 }),
        (d, seq, pos) => {
          const birth = d.toISOString().slice(0, 10).replace(/-/g, '');
          const id = makeIdNumber('410225', birth, seq);
          const ok = parseIdNumber(id);
          expect(ok.ok).toBe(true);
          if (ok.ok) expect(ok.info.sex).toBe(seq % 2 === 1 ? '1' : '2');
          const digit = (Number(id[pos]) + 1) % 10;
          const changed = id.slice(0, pos) + digit + id.slice(pos + 1);
          expect(parseIdNumber(changed).ok).toBe(false);
        },
      ),
    );
  });

  it('masks never carry a whole ID number, and a mask never parses as one', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999 }), (seq) => {
        const id = makeIdNumber('410225', '19800101', seq);
        const m = maskIdNumber(id);
        expect(m).not.toContain(id.slice(6, 14));
        expect(parseIdNumber(m).ok).toBe(false);
      }),
    );
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('0371-65594500')).toBe('0371-****4500');
    expect(maskPhone('010-12345678')).toBe('010-****5678');
  });

  it('knows a phone number when it sees one', () => {
    expect(isPhone('13812345678')).toBe(true);
    expect(isPhone('0371-12345678')).toBe(true);
    expect(isPhone('12812345678')).toBe(false);
    expect(isPhone('1381234567')).toBe(false);
  });
});
