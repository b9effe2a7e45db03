/**
 * Code lists for 民族 (GB 3304) and 学历 (GB/T 4658). The API stores and returns codes but has no
 * endpoint that lists them yet, so the web app carries the defaults of server/modules/seed/codelists.ts;
 * unknown codes show as they are.
 */
import { ETHNICITIES } from './labels.ts';

export const ETHNICITY_OPTIONS: { value: string; label: string }[] = [
  ...ETHNICITIES.map((label, i) => ({ value: String(i + 1).padStart(2, '0'), label })),
  { value: '97', label: '其他' },
  { value: '98', label: '外国血统中国籍人士' },
];

export const EDUCATION_OPTIONS: { value: string; label: string }[] = [
  { value: '11', label: '博士研究生' },
  { value: '14', label: '硕士研究生' },
  { value: '21', label: '大学本科' },
  { value: '31', label: '大学专科' },
  { value: '41', label: '中等专科' },
  { value: '44', label: '职业高中' },
  { value: '47', label: '技工学校' },
  { value: '61', label: '普通高中' },
  { value: '71', label: '初中' },
  { value: '81', label: '小学' },
  { value: '90', label: '其他' },
];

export const PERSON_CATEGORY_OPTIONS: { value: string; label: string }[] = [
  { value: '1', label: '在岗职工' },
  { value: '2', label: '农牧渔民' },
  { value: '3', label: '离退休人员' },
  { value: '4', label: '学生' },
  { value: '5', label: '个体工商户和自由职业人员' },
  { value: '6', label: '失业和无固定职业人员' },
  { value: '7', label: '解放军和武警' },
  { value: '9', label: '其他' },
];

export const JOIN_METHOD_LABELS: Record<string, string> = { '1': '新发展', '2': '转入', '3': '恢复党籍', '9': '其他' };

const personCategoryByCode = new Map(PERSON_CATEGORY_OPTIONS.map((o) => [o.value, o.label]));
export function personCategoryLabel(code: string | null | undefined): string | null {
  if (!code) return null;
  return personCategoryByCode.get(code) ?? code;
}
export function joinMethodLabel(code: string | null | undefined): string | null {
  if (!code) return null;
  return JOIN_METHOD_LABELS[code] ?? code;
}

const ethnicityByCode = new Map(ETHNICITY_OPTIONS.map((o) => [o.value, o.label]));
const educationByCode = new Map(EDUCATION_OPTIONS.map((o) => [o.value, o.label]));

export function ethnicityLabel(code: string | null | undefined): string | null {
  if (!code) return null;
  return ethnicityByCode.get(code) ?? code;
}
export function educationLabel(code: string | null | undefined): string | null {
  if (!code) return null;
  return educationByCode.get(code) ?? code;
}
