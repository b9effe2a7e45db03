/**
 * Default code lists (rules.md NAT-2, NAT-3). National standards where one exists (sex GB/T 2261.1,
 * ethnicity GB/T 3304, education GB/T 4658); Party-specific lists are editable defaults.
 */
import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/index.ts';

// GB/T 3304 order: the code is the position in this list, 01..56.
const ETHNIC_GROUPS = [
  '汉族',
  '蒙古族',
  '回族',
  '藏族',
  '维吾尔族',
  '苗族',
  '彝族',
  '壮族',
  '布依族',
  '朝鲜族',
  '满族',
  '侗族',
  '瑶族',
  '白族',
  '土家族',
  '哈尼族',
  '哈萨克族',
  '傣族',
  '黎族',
  '傈僳族',
  '佤族',
  '畲族',
  '高山族',
  '拉祜族',
  '水族',
  '东乡族',
  '纳西族',
  '景颇族',
  '柯尔克孜族',
  '土族',
  '达斡尔族',
  '仫佬族',
  '羌族',
  '布朗族',
  '撒拉族',
  '毛南族',
  '仡佬族',
  '锡伯族',
  '阿昌族',
  '普米族',
  '塔吉克族',
  '怒族',
  '乌孜别克族',
  '俄罗斯族',
  '鄂温克族',
  '德昂族',
  '保安族',
  '裕固族',
  '京族',
  '塔塔尔族',
  '独龙族',
  '鄂伦春族',
  '赫哲族',
  '门巴族',
  '珞巴族',
  '基诺族',
];

type Entry = [code: string, label: string];

export const CODE_LISTS: Record<string, Entry[]> = {
  sex: [
    ['1', '男'],
    ['2', '女'],
  ],
  ethnicity: ETHNIC_GROUPS.map((label, i): Entry => [String(i + 1).padStart(2, '0'), label]),
  // GB/T 4658-2006, the "毕业" codes members' records use.
  education: [
    ['11', '博士研究生'],
    ['14', '硕士研究生'],
    ['21', '大学本科'],
    ['31', '大学专科'],
    ['41', '中等专科'],
    ['44', '职业高中'],
    ['47', '技工学校'],
    ['61', '普通高中'],
    ['71', '初中'],
    ['81', '小学'],
    ['90', '其他'],
  ],
  personCategory: [
    ['1', '在岗职工'],
    ['2', '农牧渔民'],
    ['3', '离退休人员'],
    ['4', '学生'],
    ['5', '个体工商户和自由职业人员'],
    ['6', '失业和无固定职业人员'],
    ['7', '解放军和武警'],
    ['9', '其他'],
  ],
  orgCategory: [
    ['1', '国有企业'],
    ['2', '非公有制企业'],
    ['3', '农村'],
    ['4', '党政机关'],
    ['5', '学校'],
    ['6', '其他事业单位'],
    ['7', '街道社区'],
    ['8', '社会组织'],
    ['9', '其他'],
  ],
  lostContactReason: [
    ['1', '外出务工经商'],
    ['2', '单位改制或破产'],
    ['3', '毕业后去向不明'],
    ['4', '工作单位改变'],
    ['5', '出国(境)'],
    ['6', '居住地改变'],
    ['7', '其他'],
  ],
  joinMethod: [
    ['1', '新发展'],
    ['2', '转入'],
    ['3', '恢复党籍'],
    ['9', '其他'],
  ],
};

/** Insert the default code lists; rows already there (possibly edited by the county) are left alone. */
export async function seedCodeLists(tx: Tx): Promise<number> {
  const rows = Object.entries(CODE_LISTS).flatMap(([list, entries]) =>
    entries.map(([code, label], i) => sql`(${list}, ${code}, ${label}, ${i + 1})`),
  );
  const res = await tx.execute(
    sql`insert into code_lists (list, code, label, sort) values ${sql.join(rows, sql`, `)} on conflict (list, code) do nothing`,
  );
  return res.rowCount ?? 0;
}
