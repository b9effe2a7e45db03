/** Member statistics for an organization's subtree (党内统计 tables), counts only, inside the user's scope. */
import { sql } from 'drizzle-orm';
import { FIELD_LABELS, STANDING_LABELS } from '../../../contract/common.ts';
import { STATS_TABLE_TITLES, type StatsResult, type StatsTable } from '../../../contract/stats.ts';
import type { Tx } from '../../db/index.ts';
import type { SessionUser } from '../../platform/deps.ts';
import { inCounty, inSubtree, joinOrg, orgInScope } from '../../platform/access.ts';
import { addRow, addSheet, createWorkbook, setCell, setColumns } from '../../platform/xlsx-cells.ts';
import { codeListSql } from '../codes/api.ts';

type U = Pick<SessionUser, 'scopePath' | 'countyCode' | 'orgId'>;

/** Age bands as the internal statistics report counts them. */
export const AGE_BANDS: [key: string, label: string, min: number, max: number][] = [
  ['0-25', '25 岁及以下', 0, 25],
  ['26-30', '26–30 岁', 26, 30],
  ['31-35', '31–35 岁', 31, 35],
  ['36-40', '36–40 岁', 36, 40],
  ['41-45', '41–45 岁', 41, 45],
  ['46-50', '46–50 岁', 46, 50],
  ['51-55', '51–55 岁', 51, 55],
  ['56-60', '56–60 岁', 56, 60],
  ['61-70', '61–70 岁', 61, 70],
  ['71-80', '71–80 岁', 71, 80],
  ['81-', '81 岁及以上', 81, 200],
];

/** Periods of joining the Party as the report divides them (inclusive start dates). */
export const JOIN_PERIODS: [key: string, label: string, from: string][] = [
  ['pre1949', '1949 年 10 月以前', '0001-01-01'],
  ['1949', '1949 年 10 月至 1966 年 4 月', '1949-10-01'],
  ['1966', '1966 年 5 月至 1976 年 10 月', '1966-05-01'],
  ['1976', '1976 年 11 月至 1978 年 12 月', '1976-11-01'],
  ['1979', '1979 年 1 月至 2002 年 10 月', '1979-01-01'],
  ['2002', '2002 年 11 月至 2012 年 10 月', '2002-11-01'],
  ['2012', '2012 年 11 月以后', '2012-11-01'],
];

function yearsBefore(today: string, years: number): string {
  const y = Number(today.slice(0, 4)) - years;
  const md = today.slice(5);
  return md === '02-29' && !(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)) ? `${y}-02-28` : `${y}-${md}`;
}

export async function memberStats(tx: Tx, user: U, orgId: string | undefined, today: string): Promise<StatsResult> {
  const org = await orgInScope(tx, user, orgId ?? user.orgId);
  const sub = sql`${inCounty(org.countyCode, 'm')} and ${inSubtree(org)}`;
  // age ≥ n ⇔ born on or before today − n years: each band is a birth-date range, so the index on the member table serves it.
  const ageCase = sql.join(
    AGE_BANDS.map(
      ([key, , min, max]) =>
        sql`when m.birth_date <= ${yearsBefore(today, min)}::date and m.birth_date > ${yearsBefore(today, max + 1)}::date then ${key}`,
    ),
    sql` `,
  );
  const joinCase = sql.join(
    [...JOIN_PERIODS].reverse().map(([key, , from]) => sql`when m.join_date >= ${from}::date then ${key}`),
    sql` `,
  );
  const res = await tx.execute<{
    standing: string;
    sex: string;
    age: string;
    education: string | null;
    ethnicity: string | null;
    field: string | null;
    join_period: string;
    n: number;
  }>(sql`
    select m.standing, m.sex, (case ${ageCase} else '81-' end) as age, m.education, m.ethnicity, o.field,
      (case ${joinCase} else 'pre1949' end) as join_period, count(*)::int as n
    from members m ${joinOrg('m')}
    where ${sub}
    group by 1, 2, 3, 4, 5, 6, 7`);
  const codes = await tx.execute<{ list: string; code: string; label: string; sort: number }>(
    sql`select l.list, l.code, l.label, l.sort from ${codeListSql(org.countyCode)} l where l.list in ('education', 'ethnicity') order by l.list, l.sort`,
  );
  const label = (list: string, code: string) =>
    codes.rows.find((c) => c.list === list && c.code === code)?.label ?? code;
  let total = 0;
  const sums: Record<StatsTable, Map<string, number>> = {
    standing: new Map(),
    sex: new Map(),
    age: new Map(),
    education: new Map(),
    ethnicity: new Map(),
    field: new Map(),
    joinPeriod: new Map(),
  };
  const add = (t: StatsTable, k: string, n: number) => sums[t].set(k, (sums[t].get(k) ?? 0) + n);
  for (const r of res.rows) {
    total += r.n;
    add('standing', r.standing, r.n);
    add('sex', r.sex, r.n);
    add('age', r.age, r.n);
    add('education', r.education ?? '', r.n);
    add('ethnicity', r.ethnicity ?? '', r.n);
    add('field', r.field ?? '', r.n);
    add('joinPeriod', r.join_period, r.n);
  }
  const rows = (t: StatsTable, order: [string, string][]) => {
    const known = order.map(([key, lbl]) => ({ key, label: lbl, count: sums[t].get(key) ?? 0 }));
    const rest = [...sums[t]]
      .filter(([k]) => !order.some(([key]) => key === k))
      .map(([k, n]) => ({ key: k || 'unknown', label: '未填写', count: n }));
    return [...known, ...rest].map((r) => ({ ...r, share: total ? r.count / total : 0 }));
  };
  const educationOrder = codes.rows
    .filter((c) => c.list === 'education')
    .map((c): [string, string] => [c.code, c.label]);
  // Ethnicity: 汉族 first, then the minorities present, largest first (56 rows of zeros help nobody).
  const ethnicityOrder = [...sums.ethnicity]
    .filter(([k]) => k)
    .sort((a, b) => (a[0] === '01' ? -1 : b[0] === '01' ? 1 : b[1] - a[1]))
    .map(([k]): [string, string] => [k, label('ethnicity', k)]);
  const tables: StatsResult['tables'] = [
    {
      table: 'standing',
      title: STATS_TABLE_TITLES.standing,
      rows: rows('standing', [
        ['full', STANDING_LABELS.full],
        ['probationary', STANDING_LABELS.probationary],
      ]),
    },
    {
      table: 'sex',
      title: STATS_TABLE_TITLES.sex,
      rows: rows('sex', [
        ['1', '男'],
        ['2', '女'],
      ]),
    },
    {
      table: 'age',
      title: STATS_TABLE_TITLES.age,
      rows: rows(
        'age',
        AGE_BANDS.map(([k, l]) => [k, l]),
      ),
    },
    { table: 'education', title: STATS_TABLE_TITLES.education, rows: rows('education', educationOrder) },
    { table: 'ethnicity', title: STATS_TABLE_TITLES.ethnicity, rows: rows('ethnicity', ethnicityOrder) },
    {
      table: 'field',
      title: STATS_TABLE_TITLES.field,
      rows: rows('field', Object.entries(FIELD_LABELS)).filter((r) => r.count > 0),
    },
    {
      table: 'joinPeriod',
      title: STATS_TABLE_TITLES.joinPeriod,
      rows: rows(
        'joinPeriod',
        JOIN_PERIODS.map(([k, l]) => [k, l]),
      ),
    },
  ];
  return { orgId: org.id, orgName: org.name, asOf: today, total, tables };
}

/** The tables as an .xlsx: one sheet per table, a title row naming the organization and the date, a total row. */
export async function writeStatsWorkbook(
  result: StatsResult,
  only: StatsTable | undefined,
  out: NodeJS.WritableStream,
): Promise<void> {
  const wb = createWorkbook('stats');
  for (const t of result.tables.filter((x) => !only || x.table === only)) {
    const ws = addSheet(wb, t.title, {
      pageSetup: { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
    });
    setColumns(ws, [{ width: 30 }, { width: 12 }, { width: 12 }]);
    ws.mergeCells('A1:C1');
    // The title begins with the organization's name, which its users chose (issue 15 item 7).
    setCell(ws.getCell('A1'), `${result.orgName}党员统计（${t.title}，截至 ${result.asOf}）`);
    ws.getCell('A1').font = { bold: true, size: 13 };
    addRow(ws, ['项目', '人数', '占比']).font = { bold: true };
    for (const r of t.rows) addRow(ws, [r.label, r.count, r.share]).getCell(3).numFmt = '0.0%';
    const total = addRow(ws, ['合计', result.total, result.total ? 1 : 0]);
    total.font = { bold: true };
    total.getCell(3).numFmt = '0.0%';
    ws.views = [{ state: 'frozen', ySplit: 2 }];
  }
  await wb.xlsx.write(out as import('node:stream').Writable);
}
