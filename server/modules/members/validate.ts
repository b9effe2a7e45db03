/** Member entry rules with Chinese messages naming the field (MEM-6, DEV-5, SEC-19). */
import { MEMBER_FIELD_LABELS } from '../../../contract/members.ts';
import type { FieldIssue } from '../../platform/errors.ts';
import { ID_PROBLEM_TEXT, type IdInfo, isPhone, parseIdNumber } from '../../platform/idcard.ts';

function addYears(date: string, years: number): string {
  const y = Number(date.slice(0, 4)) + years;
  const md = date.slice(5);
  // 29 Feb → 28 Feb in a non-leap year
  if (md === '02-29' && !(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0))) return `${y}-02-28`;
  return `${y}-${md}`;
}

function validDate(d: string): boolean {
  const t = new Date(`${d}T00:00:00Z`);
  return !Number.isNaN(t.getTime()) && t.toISOString().slice(0, 10) === d;
}

export interface MemberFacts {
  name: string;
  idNumber: string;
  standing: 'probationary' | 'full';
  joinDate: string;
  /** 'month': only the year and month of joinDate are known (the first of the month is stored). */
  joinDatePrecision?: 'day' | 'month';
  fullDate?: string | null;
  phone?: string | null;
  workStartDate?: string | null;
  lastContactDate?: string | null;
}

/** All problems with one member's facts; `info` holds what the ID number says when it is valid. */
export function checkMember(m: MemberFacts, today: string): { issues: FieldIssue[]; info?: IdInfo; idNumber?: string } {
  const issues: FieldIssue[] = [];
  const add = (field: string, message: string) =>
    issues.push({ field, message: `${MEMBER_FIELD_LABELS[field] ?? field}：${message}` });
  if (!m.name || !/^[\u3400-\u9fff\u00b7·A-Za-z\s]{1,30}$/.test(m.name))
    add('name', '姓名只能包含汉字、字母和间隔号“·”');
  const id = parseIdNumber(m.idNumber ?? '');
  let info: IdInfo | undefined;
  if (!id.ok) add('idNumber', ID_PROBLEM_TEXT[id.problem]);
  else info = id.info;
  for (const f of ['joinDate', 'fullDate', 'workStartDate', 'lastContactDate'] as const) {
    const v = m[f];
    if (v && !validDate(v)) add(f, '不是有效日期，应写作 YYYY-MM-DD（如 2012-07-01）');
    else if (v && v > today) add(f, `不能晚于今天（${today}），请核对后重新填写`);
  }
  if (m.joinDate && validDate(m.joinDate) && info) {
    const eighteen = addYears(info.birthDate, 18);
    // Known to the month only: the join is too early only if the whole month is before the 18th birthday.
    const joined = m.joinDatePrecision === 'month' ? m.joinDate.slice(0, 7) : m.joinDate;
    if (joined < (m.joinDatePrecision === 'month' ? eighteen.slice(0, 7) : eighteen))
      add('joinDate', `应在年满 18 周岁（${eighteen}）之后，身份证显示出生于 ${info.birthDate}`);
  }
  if (m.standing === 'probationary' && m.fullDate) add('fullDate', '预备党员尚未转正，不应填写转正日期');
  if (m.fullDate && m.joinDate && validDate(m.fullDate) && validDate(m.joinDate)) {
    const earliest = addYears(m.joinDate, 1);
    if (m.fullDate < earliest) add('fullDate', `不能早于入党日期满一年（${earliest}）`);
  }
  if (m.phone && !isPhone(m.phone)) add('phone', '不是有效的手机号码或固定电话（固话请带区号）');
  return { issues, info, idNumber: id.ok ? id.value : undefined };
}

/**
 * A full member's record carries the 转正日期 (NAT-2). Required when a member is entered or their
 * standing or date is changed; an existing record without it is only a warning (memberWarnings), so
 * unrelated edits still save.
 */
export function fullDateRequired(standing: string, fullDate: string | null | undefined): FieldIssue[] {
  return standing === 'full' && !fullDate
    ? [{ field: 'fullDate', message: `${MEMBER_FIELD_LABELS.fullDate}：正式党员应填写转正日期` }]
    : [];
}

/** Checks shown on a member's record; they never block a write. */
export function memberWarnings(m: {
  standing: string;
  fullDate: string | null;
}): { rule: string; level: 'warning' | 'info'; message: string }[] {
  const out: { rule: string; level: 'warning' | 'info'; message: string }[] = [];
  if (m.standing === 'full' && !m.fullDate)
    out.push({ rule: 'NAT-2', level: 'warning', message: '正式党员未登记转正日期，请核对档案后补录' });
  return out;
}
