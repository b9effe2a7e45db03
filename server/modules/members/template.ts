import type { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/index.ts';
import { addRow, addSheet, createWorkbook, setCell, setColumns } from '../../platform/xlsx-cells.ts';
import { inCounty, orgInScopeSql, underSql } from '../../platform/access.ts';
import { codeListSql } from '../codes/api.ts';
import type { RejectedRows } from './import.ts';
import {
  type ColKey,
  COLUMNS,
  type U,
  colLetter,
  MAX_IMPORT_ROWS,
  REJECTED_HEADERS,
  TEMPLATE_COLUMNS,
} from './roster.ts';

/** The township (or other top-level unit under the user's scope) each organization belongs to, for the template's organization sheet. */
async function scopeOrgsByUnit(tx: Tx, user: U) {
  const res = await tx.execute<{ name: string; unit: string | null }>(sql`
    select o.name, (select u.name from orgs u where u.county_code = o.county_code
        and u.depth = (select s.depth + 1 from orgs s where ${inCounty(user, 's')} and s.path = ${user.scopePath} limit 1)
        and ${underSql('o', 'u')} limit 1) as unit
    from orgs o where ${orgInScopeSql(user)} and o.status = 'active'
      and o.kind in ('branch','jointBranch','temporaryBranch','generalBranch','partyGroup') order by o.path`);
  return res.rows;
}

/** Columns of the roster that take values from a list: the drop-down and the code list behind it. */
const LIST_COLUMNS: { key: ColKey; list: string | null; values?: string[] }[] = [
  { key: 'standing', list: null, values: ['正式党员', '预备党员'] },
  { key: 'ethnicity', list: 'ethnicity' },
  { key: 'education', list: 'education' },
  { key: 'personCategory', list: 'personCategory' },
];

/**
 * The import template: the roster's columns (required ones marked *), the ID column as text so Excel
 * keeps all 18 digits, drop-downs for coded columns and for the organization, an example row, the
 * instructions, and the organizations in scope by township (names only).
 */
export async function writeTemplate(tx: Tx, user: U, out: Writable): Promise<void> {
  const wb = createWorkbook('template');
  const ws = addSheet(wb, '党员名册', { views: [{ state: 'frozen', ySplit: 1 }] });
  setColumns(
    ws,
    TEMPLATE_COLUMNS.map((c) => ({ header: c.required ? `${c.header}*` : c.header, key: c.key, width: c.width })),
  );
  ws.getRow(1).font = { bold: true };
  for (const c of TEMPLATE_COLUMNS.filter((x) => x.required))
    ws.getRow(1).getCell(c.key).font = { bold: true, color: { argb: 'FFC8161D' } };
  const example: Partial<Record<ColKey, string>> = {
    name: '张三',
    idNumber: '（18 位，末位可为 X）',
    org: '（从下拉列表选择，见“党组织列表”）',
    standing: '正式党员',
    joinDate: '2010-07-01',
    fullDate: '2011-07-01',
    phone: '13800000000',
  };
  addRow(
    ws,
    TEMPLATE_COLUMNS.map((c) => example[c.key]),
  );
  ws.getRow(2).font = { color: { argb: 'FF999999' }, italic: true };
  const MAX_ROW = MAX_IMPORT_ROWS + 1;
  const idCol = ws.getColumn('idNumber');
  idCol.numFmt = '@'; // text: an 18-digit number would lose its last digits
  ws.getColumn('phone').numFmt = '@';

  // Lists for the drop-downs live on a hidden sheet (a validation list written inline is limited to 255 characters).
  const lists = addSheet(wb, '代码表', { state: 'hidden' });
  const codes = await tx.execute<{ list: string; label: string }>(
    sql`select l.list, l.label from ${codeListSql(user.countyCode)} l where l.list in ('ethnicity', 'education', 'personCategory') order by l.list, l.sort, l.code`,
  );
  const orgs = await scopeOrgsByUnit(tx, user);
  LIST_COLUMNS.forEach((lc, i) => {
    const values = lc.values ?? codes.rows.filter((r) => r.list === lc.list).map((r) => r.label);
    const letter = colLetter(i + 1);
    values.forEach((v, j) => {
      setCell(lists.getCell(`${letter}${j + 1}`), v);
    });
    const col = TEMPLATE_COLUMNS.findIndex((c) => c.key === lc.key) + 1;
    const range = `'代码表'!$${letter}$1:$${letter}$${Math.max(1, values.length)}`;
    for (let r = 2; r <= Math.min(MAX_ROW, 2001); r++) {
      ws.getCell(r, col).dataValidation = {
        type: 'list',
        allowBlank: true,
        formulae: [range],
        showErrorMessage: true,
        errorTitle: '不在列表中',
        error: '请从下拉列表中选择',
      };
    }
  });
  // Organizations: a drop-down of every branch in scope (typed names are accepted as well).
  const orgLetter = colLetter(LIST_COLUMNS.length + 1);
  orgs.forEach((o, j) => {
    setCell(lists.getCell(`${orgLetter}${j + 1}`), o.name);
  });
  const orgCol = TEMPLATE_COLUMNS.findIndex((c) => c.key === 'org') + 1;
  for (let r = 2; r <= 2001 && orgs.length; r++) {
    ws.getCell(r, orgCol).dataValidation = {
      type: 'list',
      allowBlank: true,
      formulae: [`'代码表'!$${orgLetter}$1:$${orgLetter}$${orgs.length}`],
      showErrorMessage: false,
    };
  }

  const notes = addSheet(wb, '填写说明');
  for (const line of [
    '1. 第 2 行为示例，导入前请删除或覆盖。标 * 的列必填：姓名、公民身份号码、所在党组织、党员类别、入党日期；正式党员须填转正日期。',
    '2. 公民身份号码一列已设为“文本”格式：请直接粘贴 18 位号码。若号码显示为 4.10225E+17 之类，说明单元格被设成了数字，请先把该列设为文本再粘贴。',
    '3. 党员类别、民族、学历、人员类别、所在党组织可从下拉列表选择；日期格式 YYYY-MM-DD，也可写 1985.06.12 或 1985年6月12日，或使用 Excel 日期；入党日期只知道年月时可写 2012.07 或 2012年7月（按月记录）。',
    '4. 出生日期、性别由身份证号码自动生成，无需填写。',
    '5. 同一身份证号码重复导入会更新该党员信息，不会重复新增；任一行有错误时整个文件都不会写入。',
    '6. 所在党组织可填“党组织列表”中的全称，也可填简称或常用写法（如“程庄村党支部”“程庄村支部”）；一个写法对应多个党组织时，导入时请选择一次，本县以后记住。本平台导出的含完整信息的党员名册可直接修改后导入。',
  ])
    addRow(notes, [line]);
  notes.getColumn(1).width = 110;
  const orgSheet = addSheet(wb, '党组织列表', { views: [{ state: 'frozen', ySplit: 1 }] });
  setColumns(orgSheet, [
    { header: '所属乡镇（街道）或单位', key: 'unit', width: 36 },
    { header: '党组织名称', key: 'name', width: 44 },
  ]);
  orgSheet.getRow(1).font = { bold: true };
  for (const o of orgs) addRow(orgSheet, [o.unit ?? '', o.name]);
  orgSheet.autoFilter = 'A1:B1';
  await wb.xlsx.write(out);
}

/**
 * The rows an import left out, to correct and import again: what is wrong with each first, then the
 * roster's columns as the user wrote them (the ID column as text), and the row of the original file.
 * The import ignores the two added columns.
 */
export async function writeRejected(rejected: RejectedRows, out: Writable): Promise<void> {
  const wb = createWorkbook('rejected');
  const ws = addSheet(wb, '未导入的行', { views: [{ state: 'frozen', ySplit: 1, xSplit: 1 }] });
  setColumns(ws, [
    { header: REJECTED_HEADERS.problems, key: 'problems', width: 48 },
    ...COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.width })),
    { header: REJECTED_HEADERS.row, key: 'row', width: 10 },
  ]);
  ws.getRow(1).font = { bold: true };
  ws.getColumn('problems').alignment = { wrapText: true, vertical: 'top' };
  ws.getColumn('idNumber').numFmt = '@';
  ws.getColumn('phone').numFmt = '@';
  for (const r of rejected.rows)
    addRow(ws, [r.problems.join('\n'), ...COLUMNS.map((c) => r.values[c.key] ?? ''), r.row]);
  ws.getRow(1).getCell('problems').font = { bold: true, color: { argb: 'FFC8161D' } };
  await wb.xlsx.write(out);
}
