/** Quick client-side check of an 18-digit citizen ID number (GB 11643); the server has the final word. */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

export type IdCheck = { ok: true; birthDate: string; sex: '1' | '2' } | { ok: false; message: string };

export function checkIdNumber(raw: string): IdCheck {
  const v = raw.trim().toUpperCase();
  if (v.length !== 18) return { ok: false, message: `应为 18 位（现为 ${v.length} 位）` };
  if (!/^\d{17}[\dX]$/.test(v)) return { ok: false, message: '前 17 位应为数字，最后一位为数字或 X' };
  const birth = `${v.slice(6, 10)}-${v.slice(10, 12)}-${v.slice(12, 14)}`;
  const d = new Date(`${birth}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== birth || birth < '1900-01-01')
    return { ok: false, message: `出生日期 ${birth} 无效` };
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(v[i]) * WEIGHTS[i];
  if (CHECK[sum % 11] !== v[17]) return { ok: false, message: '校验位不正确，请核对号码' };
  return { ok: true, birthDate: birth, sex: Number(v[16]) % 2 === 1 ? '1' : '2' };
}
