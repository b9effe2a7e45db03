import { sql } from 'drizzle-orm';
import { IMPORT_COLUMN_LABELS } from '../../../contract/labels.ts';
import type { Tx } from '../../db/index.ts';
import type { SessionUser } from '../../platform/deps.ts';
import { inCounty, orgInScopeSql, pathIds } from '../../platform/access.ts';
import type { MatchOrg } from './org-names.ts';
import { codeListSql } from '../codes/api.ts';

export type U = Pick<SessionUser, 'scopePath' | 'countyCode' | 'id' | 'username' | 'displayName' | 'permissions'>;

/** Columns of the roster: the header we write and the variants offices already use (NAT-4). */
export const COLUMNS = [
  { key: 'name', header: IMPORT_COLUMN_LABELS.name, aliases: ['姓名', '党员姓名'], required: true, width: 10 },
  {
    key: 'idNumber',
    header: IMPORT_COLUMN_LABELS.idNumber,
    aliases: ['公民身份号码', '身份证号码', '身份证号', '身份证'],
    required: true,
    width: 22,
  },
  {
    key: 'org',
    header: IMPORT_COLUMN_LABELS.org,
    aliases: ['所在党组织', '所在党支部', '党组织', '党支部', '所在支部', '党组织名称'],
    required: true,
    width: 30,
  },
  // Required, but a roster without the column still imports: it is derived from the dates (below).
  {
    key: 'standing',
    header: IMPORT_COLUMN_LABELS.standing,
    aliases: ['党员类别', '党员类型', '类别', '党员身份'],
    required: true,
    width: 10,
  },
  {
    key: 'joinDate',
    header: IMPORT_COLUMN_LABELS.joinDate,
    aliases: ['入党日期', '入党时间'],
    required: true,
    width: 12,
  },
  {
    key: 'fullDate',
    header: IMPORT_COLUMN_LABELS.fullDate,
    aliases: ['转正日期', '转正时间'],
    required: false,
    width: 12,
  },
  {
    key: 'phone',
    header: IMPORT_COLUMN_LABELS.phone,
    aliases: ['联系电话', '手机号码', '手机号', '电话', '手机'],
    required: false,
    width: 14,
  },
  {
    key: 'address',
    header: IMPORT_COLUMN_LABELS.address,
    aliases: ['家庭住址', '住址', '现居住地', '家庭地址'],
    required: false,
    width: 30,
  },
  { key: 'ethnicity', header: IMPORT_COLUMN_LABELS.ethnicity, aliases: ['民族'], required: false, width: 8 },
  {
    key: 'education',
    header: IMPORT_COLUMN_LABELS.education,
    aliases: ['学历', '文化程度', '最高学历'],
    required: false,
    width: 10,
  },
  {
    key: 'personCategory',
    header: IMPORT_COLUMN_LABELS.personCategory,
    aliases: ['人员类别', '人员分类'],
    required: false,
    width: 10,
  },
  {
    key: 'post',
    header: IMPORT_COLUMN_LABELS.post,
    aliases: ['职务', '党内职务', '工作岗位'],
    required: false,
    width: 12,
  },
  { key: 'nativePlace', header: IMPORT_COLUMN_LABELS.nativePlace, aliases: ['籍贯'], required: false, width: 12 },
  {
    key: 'workStartDate',
    header: IMPORT_COLUMN_LABELS.workStartDate,
    aliases: ['参加工作日期', '参加工作时间'],
    required: false,
    width: 12,
  },
  // Written by the export (是 or blank); a roster with the column sets it, one without leaves it as it is. Not in the template.
  {
    key: 'lostContact',
    header: IMPORT_COLUMN_LABELS.lostContact,
    aliases: ['失联', '是否失联', '失联党员'],
    required: false,
    width: 6,
  },
  // The ID number gives the birth date: a roster's 出生年月 (often only the month) is checked against it, not stored.
  {
    key: 'birthDate',
    header: IMPORT_COLUMN_LABELS.birthDate,
    aliases: ['出生日期', '出生年月', '出生时间'],
    required: false,
    width: 12,
  },
] as const;
/** The template's columns: the roster's, without what only the export writes or the ID number gives. */
export const TEMPLATE_COLUMNS = COLUMNS.filter((c) => c.key !== 'lostContact' && c.key !== 'birthDate');
export type ColKey = (typeof COLUMNS)[number]['key'];
export type CodedField = 'ethnicity' | 'education' | 'personCategory';
export const CODED_FIELDS: readonly CodedField[] = ['ethnicity', 'education', 'personCategory'];

/**
 * What a user told the wizard about their file, once for the whole file (and remembered for the
 * county): a header we do not know is one of our columns or is ignored; a value not in a code list
 * stands for a code.
 */
export interface ImportMapping {
  headers?: Record<string, ColKey | 'ignore'>;
  /** Per coded field, a value → its code; for `org`, a name that fits several organizations → the one meant (its id). */
  values?: Partial<Record<MappedField, Record<string, string>>>;
}

/** The fields whose values the wizard maps: the coded ones, and the organization when a name fits several. */
export type MappedField = CodedField | 'org';
export const MAPPED_FIELDS: readonly MappedField[] = [...CODED_FIELDS, 'org'];

/** The columns the file of rows left out by an import adds to the roster's (template.ts writeRejected). */
export const REJECTED_HEADERS = { problems: '未导入的原因', row: '原文件行号' } as const;

/** Headers rosters carry that the platform derives or does not keep: never asked about. */
export const IGNORED_HEADERS = new Set([
  '序号',
  '编号',
  '性别',
  '年龄',
  '备注',
  '说明',
  '签名',
  '本人签名',
  '照片',
  ...Object.values(REJECTED_HEADERS),
]);

/** Header text as matched: no *, spaces or line breaks. */
export function headerKey(v: string): string {
  return v.replace(/[*＊\s]/g, '');
}

/** The county's remembered answers (import_mappings), merged under the ones sent with this import. */
export async function loadMappings(tx: Tx, countyCode: string, sent: ImportMapping = {}): Promise<ImportMapping> {
  const res = await tx.execute<{ kind: string; field: string; source: string; target: string }>(
    sql`select kind, field, source, target from import_mappings where county_code = ${countyCode}`,
  );
  const headers: NonNullable<ImportMapping['headers']> = {};
  const values: Record<MappedField, Record<string, string>> = {
    ethnicity: {},
    education: {},
    personCategory: {},
    org: {},
  };
  for (const r of res.rows) {
    if (r.kind === 'header') headers[r.source] = r.target as ColKey | 'ignore';
    else if ((MAPPED_FIELDS as readonly string[]).includes(r.field))
      values[r.field as MappedField][r.source] = r.target;
  }
  for (const [k, v] of Object.entries(sent.headers ?? {})) headers[headerKey(k)] = v;
  for (const f of MAPPED_FIELDS)
    for (const [k, v] of Object.entries(sent.values?.[f] ?? {})) values[f][k.replace(/\s+/g, '')] = v;
  return { headers, values };
}

export async function codeMaps(tx: Tx, county: string) {
  const res = await tx.execute<{ list: string; code: string; label: string }>(
    sql`select l.list, l.code, l.label from ${codeListSql(county)} l where l.list in ('ethnicity','education','personCategory')`,
  );
  const byLabel: Record<string, Map<string, string>> = {
    ethnicity: new Map(),
    education: new Map(),
    personCategory: new Map(),
  };
  const byCode: Record<string, Map<string, string>> = {
    ethnicity: new Map(),
    education: new Map(),
    personCategory: new Map(),
  };
  for (const r of res.rows) {
    byLabel[r.list].set(r.label, r.code);
    byCode[r.list].set(r.code, r.label);
  }
  return { byLabel, byCode };
}

/** An organization in scope that can hold members, with what the import matches it by (org-names.ts). */
export interface ImportOrg extends MatchOrg {
  path: string;
}

/**
 * Orgs in scope that can hold members, each with the names of the organizations above it (to match
 * "程庄村支部" without its township) and the unit that tells two alike apart in the wizard.
 */
export async function scopeOrgs(tx: Tx, user: U): Promise<ImportOrg[]> {
  const res = await tx.execute<{
    id: string;
    name: string;
    short_name: string | null;
    county_code: string;
    path: string;
  }>(sql`
    select o.id, o.name, o.short_name, o.county_code, o.path from orgs o where ${orgInScopeSql(user)} and o.status = 'active'
      and o.kind in ('branch','jointBranch','temporaryBranch','generalBranch','partyGroup') order by o.path`);
  // The names of every organization in scope and above it (the few above the scope's root included).
  const above = pathIds(user.scopePath);
  const names = await tx.execute<{ id: string; name: string; short_name: string | null }>(sql`
    select o.id, o.name, o.short_name from orgs o where ${inCounty(user, 'o')} and (${orgInScopeSql(user)} or o.id = any(${sql.param(above)}::uuid[]))`);
  const nameOf = new Map(names.rows.map((n) => [n.id, n]));
  return res.rows.map((o) => {
    const ancestors = pathIds(o.path)
      .slice(0, -1)
      .flatMap((id) => (nameOf.has(id) ? [nameOf.get(id) as { name: string; short_name: string | null }] : []));
    // Below the county's root: the township (or working committee) the organization belongs to.
    const unit = ancestors[1] ?? ancestors.at(-1);
    return { ...o, ancestors: ancestors.map((a) => a.name), unit: unit ? (unit.short_name ?? unit.name) : null };
  });
}

/** Column letter of a 1-based column number (A…Z, AA…). */
export function colLetter(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

/** Rows an import reads at most (the template says so). */
export const MAX_IMPORT_ROWS = 20_000;
