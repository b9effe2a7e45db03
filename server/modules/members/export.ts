import type { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { STANDING_LABELS } from '../../../contract/common.ts';
import type { Tx } from '../../db/index.ts';
import type { Deps } from '../../platform/deps.ts';
import { addRow, addSheet, createStreamingWorkbook, setColumns } from '../../platform/xlsx-cells.ts';
import { joinOrg } from '../../platform/access.ts';
import { sealCtx } from '../../platform/sealed.ts';
import { MEMBER_COLS, type MemberFilter, searchConditions, toView, viewOpts } from './service.ts';
import { shanghaiMinute } from '../../platform/calendar.ts';
import { codeMaps, type ColKey, COLUMNS, type U, colLetter } from './roster.ts';

const SEX = { '1': '男', '2': '女' } as const;

/** A calendar date (YYYY-MM-DD) as an Excel date: midnight UTC is the day itself in Excel's serial numbers. */
function excelDate(d: string | null | undefined): Date | null {
  return d ? new Date(`${d}T00:00:00Z`) : null;
}

/**
 * Stream an export of a search to `out`; unmasked only with the reveal permission (checked by the
 * caller). The search is the list's filter (checked first with `checkSearch`); its scoped SQL is built here.
 */
export async function writeExport(
  tx: Tx,
  deps: Deps,
  user: U,
  q: MemberFilter,
  opts: { unmasked: boolean; reason: string },
  out: Writable,
): Promise<number> {
  const where = await searchConditions(tx, deps, user, q, deps.now());
  const codes = await codeMaps(tx, user.countyCode);
  // Styles only for the date cells' format: Excel shows a date without a format as a serial number.
  const wb = createStreamingWorkbook('roster', out, { useStyles: true });
  const stamp = shanghaiMinute(deps.now());
  const mark = `导出人：${user.displayName}（${user.username}） 导出时间：${stamp} 用途：${opts.reason} ${opts.unmasked ? '含完整个人信息，严禁外传' : '个人信息已脱敏'}`;
  // In header and footer text `&` starts a code (&K colour, &P page, &"font"…): a reason or name must not inject one.
  const hfMark = mark.replace(/&/g, '&&');
  const ws = addSheet(wb, '党员名册', {
    headerFooter: { oddHeader: `&C${hfMark}`, oddFooter: `&C${hfMark} 第 &P 页，共 &N 页` },
    pageSetup: {
      paperSize: 9,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: '1:1',
    },
    views: [{ state: 'frozen', ySplit: 1 }],
  });
  // 序号, the roster's columns in its order (so a full export imports back unchanged), then facts the import derives.
  const extra = ['性别', '年龄'];
  setColumns(ws, [
    { header: '序号', width: 6 },
    ...COLUMNS.map((c) => ({ header: c.header, width: c.width + 2 })),
    ...extra.map((h) => ({ header: h, width: 10 })),
  ]);
  const width = 1 + COLUMNS.length + extra.length;
  ws.autoFilter = `A1:${colLetter(width)}1`;
  // Dates as Excel dates (sortable and filterable in Excel), ages as numbers.
  const columnOf = (k: ColKey) => COLUMNS.findIndex((c) => c.key === k) + 2;
  const dateColumns = (['fullDate', 'workStartDate', 'birthDate'] as const).map(columnOf);
  const joinColumn = columnOf('joinDate');
  const o = viewOpts(deps, user);
  let after: [string, string, string] | null = null;
  let n = 0;
  for (;;) {
    const page: { rows: Record<string, unknown>[] } = await tx.execute<Record<string, unknown>>(sql`
      select ${MEMBER_COLS}, m.name_pinyin${opts.unmasked ? sql`, m.phone_enc, m.address_enc` : sql``}
      from members m ${joinOrg('m')} where ${where}
      ${after ? sql`and (m.name_pinyin, m.name, m.id) > (${after[0]}, ${after[1]}, ${after[2]}::uuid)` : sql``}
      order by m.name_pinyin, m.name, m.id limit 5000`);
    if (!page.rows.length) break;
    for (const r of page.rows) {
      const v = toView(r, o);
      const open = (col: string, field: string) =>
        r[col] ? deps.crypto.decrypt(String(r[col]), sealCtx(field, v.id)) : '';
      const label = (list: 'ethnicity' | 'education' | 'personCategory', code: string | null) =>
        code ? (codes.byCode[list].get(code) ?? code) : '';
      const row = addRow(ws, [
        n + 1,
        v.name,
        opts.unmasked ? open('id_enc', 'members.id') : v.idNumberMasked,
        v.orgName,
        STANDING_LABELS[v.standing],
        excelDate(v.joinDate),
        excelDate(v.fullDate),
        opts.unmasked ? open('phone_enc', 'members.phone') : (v.phoneMasked ?? ''),
        opts.unmasked ? open('address_enc', 'members.address') : (v.addressMasked ?? ''),
        label('ethnicity', v.ethnicity),
        label('education', v.education),
        label('personCategory', v.personCategory),
        v.post ?? '',
        v.nativePlace ?? '',
        excelDate(v.workStartDate),
        v.lostContact ? '是' : '',
        excelDate(v.birthDate),
        SEX[v.sex],
        v.age,
      ]);
      for (const c of dateColumns) row.getCell(c).numFmt = 'yyyy-mm-dd';
      // A join date known to the month only is shown as such (and imports back as a month).
      row.getCell(joinColumn).numFmt = v.joinDatePrecision === 'month' ? 'yyyy"年"mm"月"' : 'yyyy-mm-dd';
      row.commit();
      n++;
    }
    const last = page.rows[page.rows.length - 1];
    after = [String(last.name_pinyin), String(last.name), String(last.id)];
  }
  ws.commit();
  // The watermark sentence on a sheet of its own (and in every page's header and footer), never in the data rows.
  const about = addSheet(wb, '导出说明');
  setColumns(about, [{ width: 110 }]);
  for (const line of [
    mark,
    `共 ${n} 名党员。`,
    opts.unmasked
      ? '本文件含完整个人信息：可修改后通过“导入”更新党员信息。'
      : '本文件中的身份证号码、电话、住址已脱敏，不能用于导入更新。',
  ])
    addRow(about, [line]).commit();
  about.commit();
  await wb.commit();
  return n;
}
