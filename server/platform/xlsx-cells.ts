/**
 * The one way the platform writes spreadsheets (SEC-20, issue 15 item 7). Every workbook is made
 * here (`createWorkbook`, `createStreamingWorkbook`), every sheet is added here (`addSheet`: a name
 * Excel accepts), and every cell, title and header goes through `cellValue`: text a spreadsheet
 * would evaluate once a user edits the cell (a leading = + - @, tab or CR: OWASP's CSV/formula
 * injection) gets a leading apostrophe; numbers, booleans and dates stay what they are. The member
 * import removes that apostrophe again (`withoutNeutraliser`), so an exported name imports back as it was.
 *
 * Each workbook also says what it is in its document properties (subject and a `dangjian:<kind>`
 * keyword), so the import can tell a statistics table from a roster (`workbookKindOf`).
 * `server/platform/xlsx-cells.test.ts` fails when a module writes cells around these functions.
 */
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { CONTROL_CHARS_IN_TEXT_G } from './control-chars.ts';

/** Text Excel or WPS would evaluate once a user edits the cell. */
export const FORMULA_START = /^[=+\-@\t\r]/;

/** A text cell as written: a leading `'` keeps a would-be formula plain text. */
export function safeCellText(s: string): string {
  return FORMULA_START.test(s) ? `'${s}` : s;
}

/** The text before `safeCellText` (for the import: an exported value re-imports as it was). */
export function withoutNeutraliser(s: string): string {
  return s.startsWith("'") && FORMULA_START.test(s.slice(1)) ? s.slice(1) : s;
}

/** What a writer may put in a cell: text (neutralised), a number, a boolean, a real date, or nothing. */
export type CellInput = string | number | boolean | Date | null | undefined;

/** A cell's value as written. */
export function cellValue(v: CellInput): ExcelJS.CellValue {
  if (typeof v === 'string') return safeCellText(v);
  return v ?? null;
}

/** Append a row of cells (ordered from column A); the caller commits it on a streaming sheet. */
export function addRow(ws: ExcelJS.Worksheet, cells: readonly CellInput[]): ExcelJS.Row {
  return ws.addRow(cells.map(cellValue));
}

/** Set one cell (a title, a list entry). */
export function setCell(cell: ExcelJS.Cell, v: CellInput): void {
  cell.value = cellValue(v);
}

export interface ColumnSpec {
  /** The header in row 1 (omit for a sheet whose first row is a title). */
  header?: string;
  key?: string;
  width?: number;
}

/** Column widths and keys, and the headers of row 1 when given. */
export function setColumns(ws: ExcelJS.Worksheet, columns: readonly ColumnSpec[]): void {
  ws.columns = columns.map((c) => ({ ...c, ...(c.header === undefined ? {} : { header: safeCellText(c.header) }) }));
}

/** Characters Excel refuses in a sheet name, each replaced by its full-width form. */
const SHEET_NAME_FORBIDDEN: Record<string, string> = {
  '[': '［',
  ']': '］',
  ':': '：',
  '*': '＊',
  '?': '？',
  '/': '／',
  '\\': '＼',
};
const FULL_WIDTH_FORMULA: Record<string, string> = { '=': '＝', '+': '＋', '-': '－', '@': '＠' };
/** Excel's limit, in UTF-16 code units. */
const SHEET_NAME_MAX = 31;

/**
 * A sheet name Excel accepts and that does not read as a formula: no []:*?/\ (full-width forms
 * instead), no control characters, no apostrophe at either end, no leading = + - @ (full-width),
 * at most 31 characters (never half a surrogate pair), not empty, and not one of `taken` (Excel
 * compares names without case): a repeated name gets (2), (3)…
 */
export function safeSheetName(name: string, taken: Iterable<string> = []): string {
  let s = name
    .replace(CONTROL_CHARS_IN_TEXT_G, '')
    .replace(/[\t\r\n]/g, ' ')
    .replace(/[[\]:*?/\\]/g, (c) => SHEET_NAME_FORBIDDEN[c])
    .trim()
    .replace(/^'+|'+$/g, '')
    .replace(/^[=+\-@]+/, (m) => [...m].map((c) => FULL_WIDTH_FORMULA[c]).join(''));
  if (!s) s = '工作表';
  const used = new Set([...taken].map((t) => t.toLowerCase()));
  for (let n = 1; ; n++) {
    const suffix = n === 1 ? '' : `(${n})`;
    const candidate = cut(s, SHEET_NAME_MAX - suffix.length) + suffix;
    if (!used.has(candidate.toLowerCase())) return candidate;
  }
}

/** At most `max` UTF-16 code units, never ending in half a surrogate pair, no apostrophe at the end. */
function cut(s: string, max: number): string {
  let out = '';
  for (const ch of s) {
    if (out.length + ch.length > max) break;
    out += ch;
  }
  return out.replace(/'+$/, '') || '工作表'.slice(0, max);
}

/** Sheet names given out per workbook (exceljs's streaming writer keeps no list of its own). */
const sheetNames = new WeakMap<ExcelJS.Workbook, string[]>();

/** Add a sheet under a name Excel accepts (see `safeSheetName`). */
export function addSheet(
  wb: ExcelJS.Workbook,
  name: string,
  options?: Partial<ExcelJS.AddWorksheetOptions>,
): ExcelJS.Worksheet {
  const taken = sheetNames.get(wb) ?? [];
  const safe = safeSheetName(name, taken);
  sheetNames.set(wb, [...taken, safe]);
  return wb.addWorksheet(safe, options);
}

/** How the platform's wide lists print: A4 landscape, every column on the page's width, as many pages down as needed. */
export const LANDSCAPE_PRINT: Partial<ExcelJS.PageSetup> = {
  paperSize: 9,
  orientation: 'landscape',
  fitToPage: true,
  fitToWidth: 1,
  fitToHeight: 0,
};

/** What the platform writes, as named in a workbook's properties; `importable` as a member roster. */
export const WORKBOOK_KINDS = {
  roster: { label: '党员名册', importable: true },
  template: { label: '党员名册导入模板', importable: true },
  rejected: { label: '未导入的党员名册行', importable: true },
  stats: { label: '党员统计表', importable: false },
  ledger: { label: '三会一课台账', importable: false },
  problems: { label: '问题清单', importable: false },
  accounts: { label: '账号开通单', importable: false },
  audit: { label: '审计日志', importable: false },
  taskBoard: { label: '任务督办表', importable: false },
  fsVillages: { label: '重点村选派第一书记情况', importable: false },
  fsScores: { label: '第一书记年度考核得分', importable: false },
} as const;
export type WorkbookKind = keyof typeof WORKBOOK_KINDS;

const KEYWORD = 'dangjian:';

function describe(wb: ExcelJS.Workbook, kind: WorkbookKind): void {
  wb.creator = '党建平台';
  wb.lastModifiedBy = '党建平台';
  wb.subject = WORKBOOK_KINDS[kind].label;
  wb.keywords = `${KEYWORD}${kind}`;
}

/** A workbook held in memory until written (small sheets: statistics, the template, accounts). */
export function createWorkbook(kind: WorkbookKind): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  describe(wb, kind);
  return wb;
}

/** A workbook streamed to `stream` row by row (exports of any size). */
export function createStreamingWorkbook(
  kind: WorkbookKind,
  stream: Writable,
  options: { useStyles?: boolean; useSharedStrings?: boolean } = {},
): ExcelJS.stream.xlsx.WorkbookWriter {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream,
    useStyles: options.useStyles ?? false,
    useSharedStrings: options.useSharedStrings ?? false,
  });
  describe(wb, kind);
  return wb;
}

/** The kind named by a workbook's core properties (`docProps/core.xml`), when the platform wrote it. */
export function workbookKindOf(coreXml: string): WorkbookKind | undefined {
  const keywords = /<(?:[\w.-]+:)?keywords\b[^>]*>([^<]*)</.exec(coreXml)?.[1] ?? '';
  const at = keywords.indexOf(KEYWORD);
  if (at < 0) return undefined;
  const kind = /^\w+/.exec(keywords.slice(at + KEYWORD.length))?.[0];
  return kind && Object.hasOwn(WORKBOOK_KINDS, kind) ? (kind as WorkbookKind) : undefined;
}
