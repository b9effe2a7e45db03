/** GB 11643 citizen ID number checks (rules.md MEM-6, SEC-19). */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/** The check character a 17-digit body should carry. */
export function checkChar(body17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body17[i]) * WEIGHTS[i];
  return CHECK[sum % 11];
}

export interface IdInfo {
  birthDate: string; // YYYY-MM-DD
  sex: '1' | '2'; // GB/T 2261.1: 1 男, 2 女
  regionCode: string;
}

export type IdProblem = 'format' | 'checksum' | 'birthDate';

/** Parse and validate an 18-character ID number; returns the problem or the facts it encodes. */
export function parseIdNumber(
  raw: string,
): { ok: true; value: string; info: IdInfo } | { ok: false; problem: IdProblem } {
  const value = raw.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(value)) return { ok: false, problem: 'format' };
  const y = Number(value.slice(6, 10));
  const m = Number(value.slice(10, 12));
  const d = Number(value.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (
    y < 1900 ||
    date.getUTCFullYear() !== y ||
    date.getUTCMonth() !== m - 1 ||
    date.getUTCDate() !== d ||
    date.getTime() > Date.now()
  ) {
    return { ok: false, problem: 'birthDate' };
  }
  if (checkChar(value.slice(0, 17)) !== value[17]) return { ok: false, problem: 'checksum' };
  return {
    ok: true,
    value,
    info: {
      birthDate: `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`,
      sex: Number(value[16]) % 2 === 1 ? '1' : '2',
      regionCode: value.slice(0, 6),
    },
  };
}

export const ID_PROBLEM_TEXT: Record<IdProblem, string> = {
  format: '身份证号码应为 18 位，前 17 位为数字，最后一位为数字或 X',
  checksum: '身份证号码校验位不正确，请核对最后一位',
  birthDate: '身份证号码中的出生日期不是有效日期',
};

/** Build a valid ID number from region, birth date (YYYYMMDD) and a 3-digit sequence (odd = male). */
export function makeIdNumber(region: string, birth: string, seq: number): string {
  const body = `${region}${birth}${String(seq).padStart(3, '0')}`;
  return body + checkChar(body);
}

/**
 * Mask for roles that may reveal: the first and last character only (SEC-30). Beside the birth date
 * a longer mask (the old first 4 + last 2) left so few candidates that the number could be rebuilt.
 */
export function maskIdNumber(value: string): string {
  if (value.length < 8) return '*'.repeat(value.length || 4);
  return `${value[0]}${'*'.repeat(value.length - 2)}${value[value.length - 1]}`;
}

/** What roles without the reveal permission see in place of an ID number: nothing of it. */
export const ID_HIDDEN = '*'.repeat(18);

/** The kind of ID-number lookup a search text asks for: the full number, its last four, or none. */
export function idQueryKind(q: string): 'full' | 'tail' | null {
  if (/^\d{17}[\dXx]$/.test(q)) return 'full';
  if (/^\d{3}[\dXx]$/.test(q)) return 'tail';
  return null;
}

export function maskPhone(value: string): string {
  if (value.length < 7) return '****';
  // A landline keeps its area code readable: 0371-****4500.
  const land = /^(0\d{2,3})-?(\d{7,8})$/.exec(value);
  if (land) return `${land[1]}-****${land[2].slice(-4)}`;
  return `${value.slice(0, 3)}****${value.slice(-4)}`;
}

export function maskAddress(value: string): string {
  if (!value) return '';
  return `${[...value].slice(0, 6).join('')}****`;
}

/** Mainland mobile number or fixed line with area code. */
export function isPhone(value: string): boolean {
  return /^1[3-9]\d{9}$/.test(value) || /^0\d{2,3}-?\d{7,8}$/.test(value);
}
