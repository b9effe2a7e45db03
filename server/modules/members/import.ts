/**
 * Roster import: the upload through the zip guard, the first sheet streamed and parsed before any
 * transaction opens, then all-or-nothing with a per-row error report (idempotent on the ID number).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import type { ImportResult } from '../../../contract/members.ts';
import { insertColumns } from '../../db/bulk.ts';
import type { Db, Tx } from '../../db/index.ts';
import { type Actor, type AuditEntry, writeAudit } from '../../platform/audit.ts';
import { emit } from '../../platform/events.ts';
import type { Deps } from '../../platform/deps.ts';
import { CONTROL_CHARS_IN_TEXT_G } from '../../platform/control-chars.ts';
import { AppError } from '../../platform/errors.ts';
import { namePinyin } from '../../platform/pinyin.ts';
import { guardZip, type ZipEntry, type ZipLimits } from '../../platform/zip-guard.ts';
import { WORKBOOK_KINDS, withoutNeutraliser, workbookKindOf } from '../../platform/xlsx-cells.ts';
import { inCounty, joinOrg, orgInScopeSql } from '../../platform/access.ts';
import { sealCtx } from '../../platform/sealed.ts';
import { maskAddress, maskPhone } from '../../platform/idcard.ts';
import { STANDING_LABELS } from '../../../contract/common.ts';
import type { StoredFile } from '../../platform/files/file-service.ts';
import { afterImport, DUPLICATE_ID_MESSAGE, recordDuplicateRefusals, sealedColumns } from './service.ts';
import { checkMember } from './validate.ts';
import {
  CODED_FIELDS,
  type CodedField,
  codeMaps,
  type ColKey,
  COLUMNS,
  headerKey,
  IGNORED_HEADERS,
  type ImportMapping,
  loadMappings,
  MAPPED_FIELDS,
  scopeOrgs,
  type U,
  colLetter,
  MAX_IMPORT_ROWS,
} from './roster.ts';
import { orgMatcher } from './org-names.ts';
import { countyNameFor } from '../orgs/api.ts';
import { shanghaiDate } from '../../platform/calendar.ts';

const MEMBER_INSERT_COLUMNS: [string, string][] = [
  ['id', 'uuid'],
  ['county_code', 'text'],
  ['org_id', 'uuid'],
  ['name', 'text'],
  ['name_pinyin', 'text'],
  ['name_initials', 'text'],
  ['sex', 'text'],
  ['birth_date', 'date'],
  ['ethnicity', 'text'],
  ['education', 'text'],
  ['person_category', 'text'],
  ['join_method', 'text'],
  ['standing', 'text'],
  ['join_date', 'date'],
  ['join_date_precision', 'text'],
  ['full_date', 'date'],
  ['post', 'text'],
  ['native_place', 'text'],
  ['work_start_date', 'date'],
  ['id_enc', 'text'],
  ['id_bidx', 'text'],
  ['id_tail_bidx', 'text'],
  ['phone_enc', 'text'],
  ['phone_bidx', 'text'],
  ['phone_masked', 'text'],
  ['address_enc', 'text'],
  ['address_masked', 'text'],
  ['lost_contact', 'bool'],
];

/** Remember what the user mapped in this import for the whole county (after a successful import). */
async function saveMappings(tx: Tx, countyCode: string, userId: string, sent: ImportMapping): Promise<number> {
  const rows: [string, string, string, string][] = [
    ...Object.entries(sent.headers ?? {}).map(
      ([source, target]) => ['header', '', headerKey(source), target] as [string, string, string, string],
    ),
    ...MAPPED_FIELDS.flatMap((f) =>
      Object.entries(sent.values?.[f] ?? {}).map(
        ([source, target]) => ['value', f, source.replace(/\s+/g, ''), target] as [string, string, string, string],
      ),
    ),
  ];
  for (const [kind, field, source, target] of rows) {
    await tx.execute(sql`insert into import_mappings (county_code, kind, field, source, target, updated_by) values (${countyCode}, ${kind}, ${field}, ${source}, ${target}, ${userId})
      on conflict (county_code, kind, field, source) do update set target = excluded.target, updated_by = excluded.updated_by, updated_at = now()`);
  }
  return rows.length;
}

export function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v) return plainText(v.richText.map((t) => t.text).join(''));
    if ('text' in v) return plainText(String(v.text));
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
  }
  return plainText(String(v));
}

/** A number format that shows a year and month but no day (yyyy"年"mm"月", yyyy-mm). */
function isMonthFormat(numFmt: string | undefined): boolean {
  if (!numFmt) return false;
  const f = numFmt.replace(/"[^"]*"|\\./g, '').toLowerCase();
  return f.includes('y') && f.includes('m') && !f.includes('d') && !f.includes('h');
}

function plainText(raw: string): string {
  // Undo the export's neutralising apostrophe (platform/xlsx-cells.ts), so an exported value re-imports as it was.
  return withoutNeutraliser(raw.replace(CONTROL_CHARS_IN_TEXT_G, '').trim());
}

/** The ways a roster may write a date (every date error lists them). */
export const DATE_FORMS = '2012-07-01、2012/7/1、2012.07.01、2012年7月1日、20120701，或 Excel 日期';
/** The ways a roster may write a year and month, where the month is enough (入党时间, 出生年月). */
export const MONTH_FORMS = '2012.07、2012-07、2012/7、2012年7月、201207';

/** A date as a roster writes it: the day, or the first of the month at month precision; null when it is no date. */
export function parseRosterDate(raw: string): { date: string; precision: 'day' | 'month' } | null {
  const s = raw.replace(/\s+/g, '');
  const day = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(s) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  const month = day ? null : (/^(\d{4})[-/.年](\d{1,2})月?$/.exec(s) ?? /^(\d{4})(\d{2})$/.exec(s));
  const m = day ?? month;
  if (!m) return null;
  const date = `${m[1]}-${m[2].padStart(2, '0')}-${(day ? m[3] : '1').padStart(2, '0')}`;
  const t = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(t.getTime()) || t.toISOString().slice(0, 10) !== date) return null;
  return { date, precision: day ? 'day' : 'month' };
}

/** A date as the confirm step shows it: 2012-07-01, or 2012年07月 when only the month is known. */
function dateShown(date: unknown, precision: unknown): string {
  if (date === null || date === undefined || date === '') return '';
  const d = String(date);
  return precision === 'month' ? `${d.slice(0, 4)}年${d.slice(5, 7)}月` : d;
}

interface ParsedRow {
  row: number;
  values: Record<ColKey, string>;
  /** The ID cell held a number: Excel keeps 15 significant digits, so the last ones are already lost. */
  idWasNumber?: boolean;
  /** Date columns whose cell held a number such as 2012.1: typed as 2012.1 or as 2012.10, Excel keeps the same number. */
  ambiguousMonths?: ColKey[];
}

const DATE_KEYS: ReadonlySet<ColKey> = new Set<ColKey>(['joinDate', 'fullDate', 'workStartDate', 'birthDate']);

/**
 * A year and month typed into a number cell (2012.07 becomes the number 2012.07, shown by a General
 * format as 2012.07; 2012.10 becomes 2012.1). With a fixed number of decimals in the cell's format the
 * typed text is recovered; a one-decimal 2012.1 under a General format is either January or October.
 */
function numberDateText(raw: number, numFmt: string | undefined): { text: string; ambiguous: boolean } {
  const decimals = /^0\.(0+)$/.exec((numFmt ?? '').trim())?.[1].length;
  if (decimals) return { text: raw.toFixed(decimals), ambiguous: false };
  const text = String(raw);
  return { text, ambiguous: /^\d{4}\.1$/.test(text) };
}

/** How many header cells a row must name before it is taken as the header (title and date lines above it are skipped). */
const HEADER_MIN_MATCHES = 3;
/** Rows searched for the header. */
const HEADER_SEARCH_ROWS = 10;

/** A parsed roster: rows to check, or errors about the file's shape (missing columns). */
export interface ParsedWorkbook {
  rows: ParsedRow[];
  errors: ImportResult['errors'];
  /** Header cells that are none of our columns, not mapped and not known to be ignorable (the wizard asks about them). */
  unknownHeaders: { header: string; column: string }[];
  /** The roster's columns the file has (a column it lacks leaves that fact of an existing member as it is, where that matters: 失联). */
  columns?: ColKey[];
}

/** Rows of any kind (blank ones too) read before giving up: a sheet of empty rows costs time, not data. */
const MAX_SHEET_ROWS = 200_000;

const SHEET_PART = /^xl\/worksheets\/sheet(\d+)\.xml$/;
const KiB = 1024;
const MiB = 1024 * KiB;
/**
 * Limits for an uploaded workbook (SEC-31), from measurement: a 20,000-row, 14-column roster in the
 * template layout inflates to a 10.5 MB sheet and a 3.9 MB sharedStrings.xml with ~0.3 million
 * elements (1.3 MB file, ratio ~11:1); the same rows in our export layout (inline strings,
 * 15 columns) are a 16.7 MB sheet (1.7 MB file, ratio ~10:1). The limits leave 6–10× headroom for
 * long addresses and styled cells.
 *
 * The sheet is streamed, but sharedStrings and styles are held in memory whole, and size alone does
 * not bound that: measured, 40 MB of one-letter rich-text runs (a 2 MB file) took 286 MB and 40 MB
 * of short strings 118 MB. So those parts also get an element cap, and every text run (a cell is
 * held whole: one 90 MB cell took 115 MB and 22 s) and every row is capped. An Excel cell holds at
 * most 32,767 characters (under 100 KB of UTF-8); a roster row is a few KB.
 */
export const XLSX_LIMITS: ZipLimits = {
  maxEntries: 500,
  maxEntryBytes: 100 * MiB,
  perEntryBytes: {
    'xl/sharedStrings.xml': 40 * MiB,
    'xl/styles.xml': 8 * MiB,
    'xl/workbook.xml': 4 * MiB,
    'xl/_rels/workbook.xml.rels': 1 * MiB,
  },
  maxTotalBytes: 200 * MiB,
  maxRatio: 200,
  ratioFloorBytes: 1 * MiB,
  xmlScan: (name) => {
    if (name === 'xl/sharedStrings.xml') return { maxTags: 2_000_000, maxRunBytes: 256 * KiB };
    if (name === 'xl/styles.xml') return { maxTags: 400_000, maxRunBytes: 256 * KiB };
    if (SHEET_PART.test(name)) return { maxRunBytes: 256 * KiB, maxRowBytes: 1 * MiB };
    return undefined;
  },
};

/** The parts exceljs's streaming reader uses, in an order that lets it stream the sheets (no temp files). */
const XLSX_PARTS = ['xl/_rels/workbook.xml.rels', 'xl/workbook.xml', 'xl/styles.xml', 'xl/sharedStrings.xml'];
const EMPTY_SST = Buffer.from(
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"/>',
);

/** The document properties part: the platform names there what kind of workbook it wrote. */
const CORE_PART = 'docProps/core.xml';

function selectParts(entries: ZipEntry[]): { keep: ZipEntry[]; extra: { name: string; content: Buffer }[] } {
  const byName = new Map(entries.map((e) => [e.name, e]));
  // A statistics table, a ledger, a problem list… written by the platform is no roster: say so, rather than
  // list the roster's columns it lacks or ask what its headers mean.
  const core = byName.get(CORE_PART)?.content;
  const kind = core ? workbookKindOf(core.toString('utf8')) : undefined;
  if (kind && !WORKBOOK_KINDS[kind].importable) {
    throw new AppError(
      'UNSUPPORTED_FILE',
      `这是本平台导出的${WORKBOOK_KINDS[kind].label}，不是党员名册，不能导入。请上传党员名册：可下载导入模板填写，或使用含完整信息的党员名册导出文件`,
    );
  }
  // Without these the reader would spool every sheet to a temp file; no real .xlsx lacks them.
  if (!byName.has('xl/workbook.xml') || !byName.has('xl/_rels/workbook.xml.rels')) {
    throw new AppError(
      'UNSUPPORTED_FILE',
      '文件不是有效的 .xlsx 文件（缺少工作簿信息），请用 Excel 或 WPS 另存为 .xlsx 后重试',
    );
  }
  const keep = XLSX_PARTS.flatMap((n) => byName.get(n) ?? []);
  const sheets = entries
    .filter((e) => SHEET_PART.test(e.name))
    .sort((a, b) => Number(SHEET_PART.exec(a.name)?.[1]) - Number(SHEET_PART.exec(b.name)?.[1]));
  // Without a shared-strings part (inline strings, as in our exports) the reader would copy each sheet to a temp file first.
  const extra = byName.has('xl/sharedStrings.xml') ? [] : [{ name: 'xl/sharedStrings.xml', content: EMPTY_SST }];
  return { keep: [...keep, ...sheets], extra };
}

/**
 * Read the first worksheet of an uploaded workbook. The archive is checked by the zip guard first
 * (declared and actual inflated sizes); the sheet is then streamed and reading stops past
 * 20,000 data rows, so memory is bounded by the shared strings and not by the sheet (SEC-31).
 * Call it before opening a transaction.
 */
export async function parseWorkbook(file: string, headers: ImportMapping['headers'] = {}): Promise<ParsedWorkbook> {
  const safe = `${file}.checked.xlsx`;
  // XML parts as ASCII: exceljs's reader would otherwise cut Chinese characters at its chunk boundaries.
  await guardZip(file, safe, XLSX_LIMITS, selectParts, {
    asciiXml: (name) => name.endsWith('.xml'),
    // The document properties are a few hundred bytes; an unusually large part is simply not read.
    read: (e) => e.name === CORE_PART && e.size <= 64 * KiB,
  });
  const input = fs.createReadStream(safe);
  try {
    return await readFirstSheet(input, headers);
  } catch (e) {
    if (e instanceof AppError) throw e;
    // What the parser said goes to the log (platform/http.ts), not to the user.
    const refused = new AppError('UNSUPPORTED_FILE', '无法读取该文件，请上传 .xlsx 格式的 Excel 文件（可先下载模板）');
    refused.cause = e;
    throw refused;
  } finally {
    input.destroy();
    fs.rmSync(safe, { force: true });
  }
}

type SheetReader = AsyncIterable<ExcelJS.Row> & { name?: string };
type BookReader = AsyncIterable<SheetReader> & { model?: { sheets?: { name?: string }[] } };

async function readFirstSheet(input: fs.ReadStream, headers: ImportMapping['headers'] = {}): Promise<ParsedWorkbook> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  }) as unknown as BookReader;
  for await (const ws of reader) {
    // The first sheet in the workbook's tab order (the template's notes and organization list come after it).
    // A sheet exceljs could not name (an unusual relationship path) is taken rather than skipped.
    const names = (reader.model?.sheets ?? []).map((x) => x.name);
    if (names.length && ws.name !== names[0] && names.includes(ws.name)) continue;
    return await readRoster(ws, headers);
  }
  // Not IMPORT_INVALID: a 422 from this route is read by the web app as a row report.
  throw new AppError('UNSUPPORTED_FILE', '文件中没有工作表，请使用导入模板（.xlsx）');
}

async function readRoster(ws: SheetReader, headers: ImportMapping['headers'] = {}): Promise<ParsedWorkbook> {
  const map = new Map<number, ColKey>();
  const errors: ImportResult['errors'] = [];
  const rows: ParsedRow[] = [];
  let headerSeen = false;
  let seen = 0;
  const checkHeader = (at = 1) => {
    headerSeen = true;
    for (const c of COLUMNS.filter((x) => x.required && x.key !== 'standing')) {
      if (![...map.values()].includes(c.key))
        errors.push({ row: at, column: c.header, message: `缺少必填列“${c.header}”` });
    }
  };
  let last = 0;
  let headerRow = 0;
  // The row that named the most columns, in case none names enough (its missing columns are then reported).
  let best: { n: number; found: Map<number, ColKey>; unknown: { header: string; column: string }[] } | null = null;
  let unknownHeaders: { header: string; column: string }[] = [];
  const takeHeader = (n: number, found: Map<number, ColKey>, unknown: { header: string; column: string }[]) => {
    for (const [k, v] of found) map.set(k, v);
    headerRow = n;
    unknownHeaders = unknown;
    checkHeader(headerRow);
  };
  for await (const r of ws) {
    if (++seen > MAX_SHEET_ROWS) throw new AppError('IMPORT_TOO_MANY_ROWS');
    // The row attribute is optional in the file format: without it, a row follows the one before.
    const n = Number.isInteger(r.number) && r.number > last ? r.number : last + 1;
    last = n;
    if (!headerSeen) {
      // Real rosters carry a title ("××党支部党员花名册", often merged) and a date line above the header.
      const found = new Map<number, ColKey>();
      const unknown: { header: string; column: string }[] = [];
      r.eachCell((cell, col) => {
        const t = headerKey(cellText(cell.value));
        if (!t) return;
        const mapped = headers[t];
        const key =
          COLUMNS.find((x) => (x.aliases as readonly string[]).includes(t))?.key ??
          (mapped && mapped !== 'ignore' ? mapped : undefined);
        if (key && ![...found.values()].includes(key)) found.set(col, key);
        else if (!key && mapped !== 'ignore' && !IGNORED_HEADERS.has(t) && t.length <= 30)
          unknown.push({ header: t, column: colLetter(col) });
      });
      if (!best || found.size > best.found.size) best = { n, found, unknown };
      if (found.size >= HEADER_MIN_MATCHES || n >= HEADER_SEARCH_ROWS) {
        takeHeader(best.n, best.found, best.unknown);
        if (errors.length) return { rows, errors, unknownHeaders };
      }
      continue;
    }
    const values = Object.fromEntries(COLUMNS.map((c) => [c.key, ''])) as Record<ColKey, string>;
    let any = false;
    let idWasNumber = false;
    const ambiguousMonths: ColKey[] = [];
    for (const [col, key] of map) {
      const cell = r.getCell(col);
      const raw = cell.value;
      let t: string;
      if (DATE_KEYS.has(key) && typeof raw === 'number') {
        const d = numberDateText(raw, cell.numFmt);
        t = d.text;
        if (d.ambiguous) ambiguousMonths.push(key);
      } else {
        // A date cell formatted without the day (the export's 2012年07月) is a month.
        t = raw instanceof Date && isMonthFormat(cell.numFmt) ? cellText(raw).slice(0, 7) : cellText(raw);
      }
      if (t) any = true;
      values[key] = t;
      if (key === 'idNumber' && typeof raw === 'number') idWasNumber = true;
    }
    // The template's grey example row is skipped.
    if (any && !(values.name === '张三' && values.idNumber.startsWith('（'))) {
      rows.push({
        row: n,
        values,
        ...(idWasNumber ? { idWasNumber } : {}),
        ...(ambiguousMonths.length ? { ambiguousMonths } : {}),
      });
      if (rows.length > MAX_IMPORT_ROWS) throw new AppError('IMPORT_TOO_MANY_ROWS');
    }
  }
  if (!headerSeen) {
    if (best) takeHeader(best.n, best.found, best.unknown);
    else checkHeader();
  }
  return { rows, errors, unknownHeaders, columns: [...map.values()] };
}

/** The usual ways offices write coded values (GB/T 4658 category words, short ethnic names, everyday job words). */
const COLLOQUIAL: Record<'education' | 'personCategory', Record<string, string>> = {
  education: {
    博士: '11',
    研究生: '14',
    硕士: '14',
    本科: '21',
    大学: '21',
    大本: '21',
    大专: '31',
    专科: '31',
    中专: '41',
    职高: '44',
    技校: '47',
    中技: '47',
    高中: '61',
    初中: '71',
    小学: '81',
    文盲: '90',
    半文盲: '90',
  },
  personCategory: {
    农民: '2',
    农牧民: '2',
    渔民: '2',
    牧民: '2',
    村民: '2',
    农民工: '2',
    工人: '1',
    职工: '1',
    在职: '1',
    干部: '1',
    退休: '3',
    离休: '3',
    离退休: '3',
    学生: '4',
    个体: '5',
    个体户: '5',
    自由职业: '5',
    无业: '6',
    失业: '6',
    军人: '7',
  },
};

/** A code for what a roster cell says: the code itself, its label, a colloquial form, or an ethnic group without 族. */
function codeOf(
  codes: Awaited<ReturnType<typeof codeMaps>>,
  list: CodedField,
  raw: string,
  mapped: Record<string, string> = {},
): string | null {
  const v = raw.replace(/\s+/g, '');
  if (codes.byCode[list].has(v)) return v;
  if (mapped[v] && codes.byCode[list].has(mapped[v])) return mapped[v];
  const byLabel = codes.byLabel[list].get(v);
  if (byLabel) return byLabel;
  if (list === 'ethnicity') return codes.byLabel.ethnicity.get(`${v}族`) ?? null;
  const colloquial = COLLOQUIAL[list][v.replace(/(毕业|文化|学历|程度)$/, '')];
  return colloquial && codes.byCode[list].has(colloquial) ? colloquial : null;
}

/**
 * The longest probation, with its longest extension (党章第七条: one year, extended by at most one
 * year): a member who joined longer ago than this is no longer probationary.
 */
const LONGEST_PROBATION_YEARS = 2;

/** How a roster writes 失联: yes, or no (blank); anything else is asked about. */
const LOST_CONTACT_WORDS: Record<string, boolean> = {
  是: true,
  失联: true,
  '√': true,
  Y: true,
  y: true,
  true: true,
  '1': true,
  否: false,
  '': false,
  N: false,
  n: false,
  false: false,
  '0': false,
};

/** Members whose changes a check lists field by field (the counts cover the rest). */
const MAX_CHANGES_LISTED = 1000;

/**
 * What an import changes on an existing member, field by field, as the confirm step shows it: names
 * and labels rather than codes, and personal data (phone, address) masked (SEC-9).
 */
function changedFields(
  deps: Deps,
  codes: Awaited<ReturnType<typeof codeMaps>>,
  ex: Record<string, unknown>,
  p: { org: { id: string; name: string }; fields: Record<string, string | null>; lostContact: boolean | null },
): { column: string; from: string; to: string }[] {
  const f = p.fields;
  const out: { column: string; from: string; to: string }[] = [];
  const header = (k: ColKey) => COLUMNS.find((c) => c.key === k)?.header ?? k;
  const text = (v: unknown) => (v === null || v === undefined ? '' : String(v));
  const add = (k: ColKey, from: unknown, to: unknown, show: (v: string) => string = (v) => v) => {
    if (text(from) !== text(to))
      out.push({
        column: header(k),
        from: text(from) ? show(text(from)) : '（空）',
        to: text(to) ? show(text(to)) : '（空）',
      });
  };
  const open = (col: string, field: string) =>
    ex[col] ? deps.crypto.decrypt(String(ex[col]), sealCtx(field, String(ex.id))) : null;
  if (ex.org_id !== p.org.id) out.push({ column: header('org'), from: text(ex.org_name), to: p.org.name });
  add('name', ex.name, f.name);
  add('standing', ex.standing, f.standing, (v) => STANDING_LABELS[v as keyof typeof STANDING_LABELS] ?? v);
  add('joinDate', dateShown(ex.join_date, ex.join_date_precision), dateShown(f.join_date, f.join_date_precision));
  add('fullDate', ex.full_date, f.full_date);
  add('phone', open('phone_enc', 'members.phone'), f.phone, maskPhone);
  add('address', open('address_enc', 'members.address'), f.address, maskAddress);
  for (const [k, col] of [
    ['ethnicity', 'ethnicity'],
    ['education', 'education'],
    ['personCategory', 'person_category'],
  ] as const) {
    add(k, ex[col], f[col], (v) => codes.byCode[k].get(v) ?? v);
  }
  add('post', ex.post, f.post);
  add('nativePlace', ex.native_place, f.native_place);
  add('workStartDate', ex.work_start_date, f.work_start_date);
  if (p.lostContact !== null && Boolean(ex.lost_contact) !== p.lostContact)
    out.push({ column: header('lostContact'), from: ex.lost_contact ? '是' : '否', to: p.lostContact ? '是' : '否' });
  return out;
}

/**
 * 党员类别 from the dates when a roster has no such column: a 转正 date, or a join date further back
 * than the longest probation, means a full member (the missing 转正日期 is then a warning); a join
 * within it without one, a probationary member. Null when the join date is not a date.
 */
export function deriveStanding(
  joinDate: string,
  fullDate: string | null,
  today: string,
): 'full' | 'probationary' | null {
  if (fullDate) return 'full';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(joinDate)) return null;
  const longestProbationAgo = `${Number(today.slice(0, 4)) - LONGEST_PROBATION_YEARS}${today.slice(4)}`;
  return joinDate > longestProbationAgo ? 'probationary' : 'full';
}

/** How an upload is taken: only checked (dryRun), and whether the rows with errors are left out while the others import. */
export interface ImportOptions {
  dryRun: boolean;
  skipInvalid?: boolean;
  /** What the user mapped in the wizard for this file. */
  sent?: ImportMapping;
}

/** Parse an upload from a checked copy (SEC-31) with the county's remembered answers and this file's; the upload is deleted once read. */
async function parseUpload(
  db: Db,
  deps: Deps,
  user: U,
  upload: StoredFile,
  sent: ImportMapping,
): Promise<{ parsed: ParsedWorkbook; mapping: ImportMapping }> {
  try {
    // The county's remembered header answers and this file's, before the sheet is read.
    const mapping = await loadMappings(db, user.countyCode, sent);
    const parsed = await deps.files.withLocalCopy(upload.key, upload.sm3, (file) =>
      parseWorkbook(file, mapping.headers),
    );
    return { parsed, mapping };
  } finally {
    await deps.files.delete(upload.key);
  }
}

/**
 * An uploaded roster, received by the file service (kind checked by its bytes, size limited, SM3
 * recorded): parsed from a checked copy before any transaction opens (SEC-31), deleted once parsed,
 * then imported in one transaction; a refused import is audited, a large one refreshes statistics.
 */
export async function importRoster(
  db: Db,
  deps: Deps,
  user: U,
  actor: Actor,
  upload: StoredFile,
  opts: ImportOptions,
): Promise<ImportResult> {
  const sent = opts.sent ?? {};
  const { parsed, mapping } = await parseUpload(db, deps, user, upload, sent);
  const result = await db.transaction(async (tx) => {
    const res = await importMembers(tx, deps, user, actor, parsed, opts.dryRun, sent, mapping, opts.skipInvalid);
    if (!res.ok) {
      await writeAudit(tx, deps.crypto, actor, [
        {
          action: 'member.import',
          objectType: 'import',
          result: 'failed',
          detail: { rows: res.rows, errors: res.errors.length, dryRun: opts.dryRun },
        },
      ]);
    }
    return res;
  });
  afterImport(db, result);
  return result;
}

/** The rows of an upload that an import leaves out, each with what is wrong with it (for a file to correct and import again). */
export interface RejectedRows {
  rows: { row: number; values: Record<ColKey, string>; problems: string[] }[];
}

/**
 * The rows of an upload with errors, as a check finds them (nothing is written; file-level errors,
 * such as a missing column, are refused with IMPORT_INVALID since no row could be imported then).
 */
export async function rejectedRows(
  db: Db,
  deps: Deps,
  user: U,
  actor: Actor,
  upload: StoredFile,
  sent: ImportMapping = {},
): Promise<RejectedRows> {
  const { parsed, mapping } = await parseUpload(db, deps, user, upload, sent);
  const values = new Map(parsed.rows.map((r) => [r.row, { ...r.values }]));
  const res = await db.transaction((tx) => importMembers(tx, deps, user, actor, parsed, true, sent, mapping));
  const rowErrors = res.errors.filter((e) => values.has(e.row));
  if (rowErrors.length < res.errors.length)
    throw new AppError('IMPORT_INVALID', res.errors.find((e) => !values.has(e.row))?.message);
  const problems = new Map<number, string[]>();
  for (const e of rowErrors)
    problems.set(e.row, [...(problems.get(e.row) ?? []), `${e.column ? `${e.column}：` : ''}${e.message}`]);
  return {
    rows: [...problems]
      .sort((a, b) => a[0] - b[0])
      .map(([row, p]) => ({ row, values: values.get(row) as Record<ColKey, string>, problems: p })),
  };
}

/**
 * Validate everything first; write only when every row is right (or, with `skipInvalid`, the rows
 * without an error, the others answered as `skipped`), in one transaction. `sent` is what
 * the user mapped for this file (remembered after a successful import); `loaded` the county's
 * answers merged with it, when the caller already read them (else they are read here).
 */
export async function importMembers(
  tx: Tx,
  deps: Deps,
  user: U,
  actor: Actor,
  parsed: ParsedWorkbook,
  dryRun: boolean,
  sent: ImportMapping = {},
  loaded?: ImportMapping,
  skipInvalid = false,
): Promise<ImportResult> {
  const { rows, errors } = parsed;
  const warnings: NonNullable<ImportResult['warnings']> = [];
  const result: ImportResult = {
    ok: false,
    dryRun,
    rows: rows.length,
    created: 0,
    updated: 0,
    unchanged: 0,
    errors,
    warnings,
    unknownHeaders: parsed.unknownHeaders,
    unknownValues: [],
  };
  const mapping = loaded ?? (await loadMappings(tx, user.countyCode, sent));
  const codes = await codeMaps(tx, user.countyCode);
  // A mapping to a code that is not in the list is refused before anything else is looked at.
  for (const f of CODED_FIELDS) {
    for (const [source, target] of Object.entries(sent.values?.[f] ?? {})) {
      if (!codes.byCode[f].has(target))
        errors.push({
          row: 0,
          column: COLUMNS.find((c) => c.key === f)?.header ?? f,
          message: `“${source}”对照的代码“${target}”不在代码表中`,
        });
    }
  }
  if (errors.length) return result;
  if (!rows.length) {
    errors.push({ row: 2, column: '', message: '文件中没有党员数据' });
    return result;
  }
  const today = shanghaiDate(deps.now());
  const header = (k: ColKey) => COLUMNS.find((c) => c.key === k)?.header ?? k;
  const orgs = await scopeOrgs(tx, user);
  const orgById = new Map(orgs.map((o) => [o.id, o]));
  const matchOrg = orgMatcher(orgs, await countyNameFor(tx, user.countyCode));
  const orgAnswers = mapping.values?.org ?? {};
  // The org a cell names: the wizard's answer for a name that fits several (this file's or remembered), else the match.
  const orgOf = (text: string) => {
    const answered = orgAnswers[text.replace(/\s+/g, '')];
    if (answered && orgById.has(answered)) return { org: orgById.get(answered) as (typeof orgs)[number] };
    return matchOrg(text);
  };
  // An answer naming an organization outside the scope (or not one that holds members) is refused like a code not in the list.
  for (const [source, target] of Object.entries(sent.values?.org ?? {})) {
    if (!orgById.has(target))
      errors.push({
        row: 0,
        column: header('org'),
        message: `“${source}”对照的党组织不在您的管辖范围内，或不能直接管理党员`,
      });
  }
  if (errors.length) return result;
  const unknownValues = new Map<string, NonNullable<ImportResult['unknownValues']>[number]>();
  const seen = new Map<string, number>();
  const prepared: {
    row: number;
    org: { id: string; name: string; county_code: string };
    fields: Record<string, string | null>;
    /** 失联 as the file says, or null when it has no such column (an existing member keeps theirs). */
    lostContact: boolean | null;
    idNumber: string;
    info: { sex: string; birthDate: string };
  }[] = [];
  const hasLostContact = parsed.columns?.includes('lostContact') ?? false;

  for (const { row, values: v, idWasNumber, ambiguousMonths } of rows) {
    const err = (k: ColKey | string, message: string) => errors.push({ row, column: header(k as ColKey), message });
    const warn = (k: ColKey, message: string) => warnings.push({ row, column: header(k), message });
    for (const c of COLUMNS) if (c.required && c.key !== 'standing' && !v[c.key]) err(c.key, '必填');
    // Full-width digits, spaces inside and a lower-case x are how numbers arrive from other documents.
    v.idNumber = v.idNumber
      .replace(/[０-９Ｘｘ]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
      .replace(/\s+/g, '')
      .toUpperCase();
    if (idWasNumber) {
      err(
        'idNumber',
        '这一格是数字格式：Excel 只保留 15 位有效数字，身份证号码的末几位已经丢失（常显示为 4.10225E+17）。请把这一列设为“文本”格式后重新粘贴号码',
      );
      continue;
    }
    if (v.idNumber.includes('*')) {
      err('idNumber', '号码已脱敏（带 *），不能用于导入：请使用含完整信息的导出文件或导入模板');
      continue;
    }
    // Dates as offices write them; 入党时间 and 出生年月 may give only the month.
    const dateOf = (k: 'joinDate' | 'fullDate' | 'workStartDate' | 'birthDate', monthOk: boolean) => {
      if (!v[k]) return null;
      if (ambiguousMonths?.includes(k)) {
        err(
          k,
          `这一格是数字格式，Excel 把“${v[k]}0”和“${v[k]}”存成同一个数 ${v[k]}，分不清是1月还是10月。请把这一列设为“文本”格式后重新填写，或写作 ${v[k].slice(0, 4)}-10 / ${v[k].slice(0, 4)}-01`,
        );
        return null;
      }
      const d = parseRosterDate(v[k]);
      if (d && (monthOk || d.precision === 'day')) return d;
      err(
        k,
        d
          ? `“${v[k]}”只有年月，${header(k)}需写到日，可写作：${DATE_FORMS}`
          : `“${v[k]}”不是有效日期，可写作：${DATE_FORMS}${monthOk ? `；只知道年月时可写：${MONTH_FORMS}` : ''}`,
      );
      return null;
    };
    const join = dateOf('joinDate', true);
    const full = dateOf('fullDate', false);
    const workStart = dateOf('workStartDate', false);
    const birth = dateOf('birthDate', true);
    let standing: 'full' | 'probationary' | null =
      v.standing === '正式党员' || v.standing === '正式'
        ? 'full'
        : v.standing === '预备党员' || v.standing === '预备'
          ? 'probationary'
          : null;
    if (v.standing && !standing) err('standing', `应为“正式党员”或“预备党员”，而不是“${v.standing}”`);
    if (!v.standing) {
      // No 党员类别 (many rosters have none): a 转正 date, or a join further back than the longest
      // probation, means a full member; a join within it without a 转正 date, a probationary one.
      standing = deriveStanding(join?.date ?? '', full?.date ?? null, today);
    }
    const lostContact = hasLostContact ? LOST_CONTACT_WORDS[v.lostContact.replace(/\s+/g, '')] : null;
    if (lostContact === undefined) err('lostContact', `应填“是”或留空，而不是“${v.lostContact}”`);
    if (standing === 'full' && !v.fullDate && v.joinDate)
      warn('fullDate', '正式党员未填转正日期：已按正式党员导入，请核对档案后补录');
    const found = v.org ? orgOf(v.org) : null;
    const org = found && 'org' in found ? found.org : undefined;
    if (v.org && !found)
      err(
        'org',
        `找不到党组织“${v.org}”，或不在您的管辖范围内：可填全称、简称（如“程庄村党支部”），见模板“党组织列表”`,
      );
    if (found && 'candidates' in found) {
      err(
        'org',
        `“${v.org}”可能是 ${found.candidates.length} 个党组织（${found.candidates
          .map((c) => c.name)
          .slice(0, 5)
          .join('、')}），请在导入向导中选择一次（整个文件适用，本县以后记住），或改填全称`,
      );
      const value = v.org.replace(/\s+/g, '');
      const u = unknownValues.get(`org\u0000${value}`) ?? {
        field: 'org' as const,
        header: header('org'),
        value,
        count: 0,
        rows: [] as number[],
        allowed: found.candidates.map((c) => ({ code: c.id, label: c.unit ? `${c.name}（${c.unit}）` : c.name })),
      };
      u.count++;
      if (u.rows.length < 10) u.rows.push(row);
      unknownValues.set(`org\u0000${value}`, u);
    }
    const coded: Record<string, string | null> = {};
    for (const k of ['ethnicity', 'education', 'personCategory'] as const) {
      if (!v[k]) coded[k] = null;
      else {
        const code = codeOf(codes, k, v[k], mapping.values?.[k]);
        if (code) coded[k] = code;
        else {
          err(
            k,
            `“${v[k]}”不是规范的${header(k)}，可在导入向导中对照一次（整个文件适用），或改填：${[...codes.byLabel[k].keys()].slice(0, 60).join('、')}${codes.byLabel[k].size > 60 ? ' 等' : ''}`,
          );
          const value = v[k].replace(/\s+/g, '');
          const u = unknownValues.get(`${k}\u0000${value}`) ?? {
            field: k,
            header: header(k),
            value,
            count: 0,
            rows: [] as number[],
            allowed: [...codes.byCode[k]].map(([code, label]) => ({ code, label })),
          };
          u.count++;
          if (u.rows.length < 10) u.rows.push(row);
          unknownValues.set(`${k}\u0000${value}`, u);
        }
      }
    }
    const facts = {
      name: v.name,
      idNumber: v.idNumber,
      standing: (standing ?? 'full') as 'full' | 'probationary',
      // A date already reported above is left out here, so it is reported once.
      joinDate: join?.date ?? '',
      joinDatePrecision: join?.precision ?? 'day',
      fullDate: full?.date ?? null,
      phone: v.phone || null,
      workStartDate: workStart?.date ?? null,
    };
    const check = checkMember(facts, today);
    // The ID number gives the birth date; a roster's 出生年月 that says otherwise is pointed out.
    if (
      birth &&
      check.info &&
      !check.info.birthDate.startsWith(birth.precision === 'month' ? birth.date.slice(0, 7) : birth.date)
    ) {
      warn('birthDate', `“${v.birthDate}”与身份证号码的出生日期（${check.info.birthDate}）不一致，已按身份证号码登记`);
    }
    for (const i of check.issues) {
      const field = i.field === 'orgId' ? 'org' : i.field;
      errors.push({ row, column: header(field as ColKey), message: i.message.replace(/^[^：]+：/, '') });
    }
    if (check.idNumber) {
      const first = seen.get(check.idNumber);
      if (first) err('idNumber', `与第 ${first} 行的身份证号码重复`);
      else seen.set(check.idNumber, row);
    }
    if (org && check.info && check.idNumber && standing) {
      prepared.push({
        row,
        org,
        lostContact: lostContact ?? null,
        idNumber: check.idNumber,
        info: check.info,
        fields: {
          name: v.name,
          standing,
          join_date: facts.joinDate,
          join_date_precision: facts.joinDatePrecision,
          full_date: facts.fullDate,
          phone: facts.phone,
          address: v.address || null,
          ethnicity: coded.ethnicity,
          education: coded.education,
          person_category: coded.personCategory,
          post: v.post || null,
          native_place: v.nativePlace || null,
          work_start_date: facts.workStartDate,
        },
      });
    }
  }
  result.unknownValues = [...unknownValues.values()];
  // From here on every error names a row: the rows without one are looked up (so a check reports
  // everything at once), and with skipInvalid they import while the others are left out.
  const withErrors = new Set(errors.map((e) => e.row));
  const valid = prepared.filter((p) => !withErrors.has(p.row));

  // Existing members of the county with these ID numbers: inside scope they are updated, outside they are an error.
  const bidx = valid.map((p) => deps.crypto.blindIndex('id', p.idNumber));
  const existing = new Map<string, Record<string, unknown>>();
  for (let i = 0; i < bidx.length; i += 5000) {
    const chunk = bidx.slice(i, i + 5000);
    const res = await tx.execute<Record<string, unknown>>(sql`
      select m.id, m.id_bidx, m.org_id, o.name as org_name, m.name, m.standing, m.join_date, m.join_date_precision, m.full_date, m.phone_enc, m.address_enc, m.ethnicity, m.education,
        m.person_category, m.post, m.native_place, m.work_start_date, m.lost_contact, (${orgInScopeSql(user)}) as in_scope
      from members m ${joinOrg('m')} where ${inCounty(user, 'm')} and m.id_bidx = any(${sql`array[${sql.join(
        chunk.map((b) => sql`${b}`),
        sql`, `,
      )}]::text[]`})`);
    for (const r of res.rows) existing.set(String(r.id_bidx), r);
  }
  const existingById = new Map([...existing.values()].map((r) => [String(r.id), r]));
  const inserts: unknown[][] = [];
  const audits: AuditEntry[] = [];
  const updates: { id: string; p: (typeof prepared)[number]; moved: boolean; fromOrgId: string }[] = [];
  const changes: NonNullable<ImportResult['changes']> = [];
  result.changes = changes;
  const outside: number[] = [];
  valid.forEach((p, i) => {
    const ex = existing.get(bidx[i]);
    if (ex && !ex.in_scope) {
      outside.push(p.row);
      return;
    }
    if (ex) {
      const fields = changedFields(deps, codes, ex, p);
      if (!fields.length) result.unchanged++;
      else {
        updates.push({ id: String(ex.id), p, moved: ex.org_id !== p.org.id, fromOrgId: String(ex.org_id) });
        if (changes.length < MAX_CHANGES_LISTED) changes.push({ row: p.row, name: String(p.fields.name), fields });
      }
      return;
    }
    const newId = crypto.randomUUID();
    const s = sealedColumns(deps.crypto, newId, p.idNumber, p.fields.phone, p.fields.address);
    const py = namePinyin(String(p.fields.name));
    const f = p.fields;
    inserts.push([
      newId,
      p.org.county_code,
      p.org.id,
      f.name,
      py.full,
      py.initials,
      p.info.sex,
      p.info.birthDate,
      f.ethnicity,
      f.education,
      f.person_category,
      '1',
      f.standing,
      f.join_date,
      f.join_date_precision,
      f.full_date,
      f.post,
      f.native_place,
      f.work_start_date,
      s.idEnc,
      s.idBidx,
      s.idTailBidx,
      s.phoneEnc,
      s.phoneBidx,
      s.phoneMasked,
      s.addressEnc,
      s.addressMasked,
      p.lostContact ?? false,
    ]);
  });
  // Numbers registered outside the user's scope: the same neutral answer as the form, each refusal
  // audited and counted, and past the daily limit no per-row answers at all (SEC-8).
  if (outside.length) {
    const allowed = await recordDuplicateRefusals(deps, actor, outside.length, 'import');
    if (!allowed) {
      errors.push({
        row: 0,
        column: header('idNumber'),
        message: '今日因身份证号码无法登记被拒绝的次数过多，已暂停并通知县委组织部；如需办理请联系上级组织部门',
      });
      return result;
    }
    for (const row of outside)
      errors.push({ row, column: header('idNumber'), message: DUPLICATE_ID_MESSAGE.replace(/^身份证号码：/, '') });
  }
  const skippedRows = new Set(errors.map((e) => e.row));
  result.validRows = valid.length - outside.length;
  if (errors.length) {
    // All or nothing unless the user chose to leave the rows with errors out (and some are left to import).
    if (!skipInvalid || !result.validRows) return result;
    result.skipped = errors.splice(0);
    result.warnings = warnings.filter((w) => !skippedRows.has(w.row));
  }
  result.created = inserts.length;
  result.updated = updates.length;
  result.ok = true;
  if (dryRun) return result;

  await insertColumns(tx, 'members', MEMBER_INSERT_COLUMNS, inserts);
  const histories = inserts.map((r) => [r[1], r[0], r[2], orgById.get(String(r[2]))?.name ?? '', today, 'Excel 导入']);
  await insertColumns(
    tx,
    'member_org_history',
    [
      ['county_code', 'text'],
      ['member_id', 'uuid'],
      ['org_id', 'uuid'],
      ['org_name', 'text'],
      ['from_date', 'date'],
      ['reason', 'text'],
    ],
    histories,
  );
  for (const r of inserts)
    audits.push({
      action: 'member.create',
      objectType: 'member',
      objectId: String(r[0]),
      detail: { orgId: r[2], via: 'import' },
    });
  for (const u of updates) {
    const f = u.p.fields;
    const s = sealedColumns(deps.crypto, u.id, u.p.idNumber, f.phone, f.address);
    const py = namePinyin(String(f.name));
    await tx.execute(sql`update members m set org_id = ${u.p.org.id}, name = ${f.name}, name_pinyin = ${py.full}, name_initials = ${py.initials}, standing = ${f.standing},
      join_date = ${f.join_date}, join_date_precision = ${f.join_date_precision}, full_date = ${f.full_date}, phone_enc = ${s.phoneEnc}, phone_bidx = ${s.phoneBidx}, phone_masked = ${s.phoneMasked},
      address_enc = ${s.addressEnc}, address_masked = ${s.addressMasked}, ethnicity = ${f.ethnicity}, education = ${f.education}, person_category = ${f.person_category},
      post = ${f.post}, native_place = ${f.native_place}, work_start_date = ${f.work_start_date}, lost_contact = coalesce(${u.p.lostContact}::boolean, m.lost_contact), version = m.version + 1, updated_at = now() where ${inCounty(user, 'm')} and m.id = ${u.id}`);
    if (u.moved) {
      await tx.execute(
        sql`update member_org_history h set to_date = ${today} where ${inCounty(user, 'h')} and h.member_id = ${u.id} and h.to_date is null`,
      );
      await tx.execute(
        sql`insert into member_org_history (county_code, member_id, org_id, org_name, from_date, reason) values (${u.p.org.county_code}, ${u.id}, ${u.p.org.id}, ${u.p.org.name}, ${today}, 'Excel 导入（组织关系变更）')`,
      );
    }
    audits.push({ action: 'member.update', objectType: 'member', objectId: u.id, detail: { via: 'import' } });
  }
  const remembered = await saveMappings(tx, user.countyCode, user.id, sent);
  audits.push({
    action: 'member.import',
    objectType: 'import',
    detail: {
      rows: rows.length,
      created: result.created,
      updated: result.updated,
      unchanged: result.unchanged,
      ...(result.skipped ? { skipped: skippedRows.size } : {}),
      ...(remembered ? { mappings: remembered } : {}),
    },
  });
  await writeAudit(tx, deps.crypto, actor, audits);
  // One re-check of every organization the import touched (set-based: one evaluation however many).
  const touched = [...inserts.map((r) => String(r[2])), ...updates.flatMap((u) => [u.p.org.id, u.fromOrgId])];
  if (touched.length) {
    const memberIds = [...inserts.map((r) => String(r[0])), ...updates.map((u) => u.id)];
    // A join or full-member date an update moves reaches back to the earlier of the old and the new
    // (LIFE-2 and the 党员大会's vote base count full members as they were); a created member's
    // membership begins today, so only today's periods change for them.
    const dates = [
      ...new Set(
        updates.flatMap((u) => {
          const ex = existingById.get(u.id);
          return [
            ...(ex && ex.join_date !== u.p.fields.join_date ? [ex.join_date, u.p.fields.join_date] : []),
            ...(ex && (ex.full_date ?? null) !== (u.p.fields.full_date ?? null)
              ? [ex.full_date, u.p.fields.full_date]
              : []),
          ];
        }),
      ),
    ].filter((d): d is string => typeof d === 'string' && d.length === 10);
    await emit(tx, deps, 'members.changed', {
      countyCode: user.countyCode,
      memberIds,
      orgIds: [...new Set(touched)],
      change: 'imported',
      dates,
      userId: user.id,
    });
  }
  return result;
}
