/** Members: scoped search, entry with rules, transfers with history, audited reveal. */
import { randomUUID } from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import { MEMBER_ORG_KINDS } from '../../../contract/common.ts';
import { DECISION_TAG_LABELS, PARTY_STATUS_DECISION } from '../../../contract/labels.ts';
import type { ImportResult, MemberCreate, MemberListQuery, MemberPatch } from '../../../contract/members.ts';
import { analyzeTables, type Db, executeNamed, type Tx } from '../../db/index.ts';
import { type Actor, type AuditEntry, writeAudit } from '../../platform/audit.ts';
import type { CryptoProvider } from '../../platform/crypto.ts';
import { installationCounty } from '../../platform/installation.ts';
import type { Deps, SessionUser } from '../../platform/deps.ts';
import { AppError, fieldError } from '../../platform/errors.ts';
import { emit } from '../../platform/events.ts';
import { ID_HIDDEN, idQueryKind, maskAddress, maskIdNumber, maskPhone } from '../../platform/idcard.ts';
import { hitMany } from '../../platform/ratelimit.ts';
import { ReadCache, scopedKey } from '../../platform/read-cache.ts';
import { idTailIndex, sealCtx } from '../../platform/sealed.ts';
import { getSetting } from '../../platform/settings.ts';
import { namePinyin } from '../../platform/pinyin.ts';
import {
  escapeLike,
  inCounty,
  inSubtree,
  joinOrg,
  orgInScope,
  orgInScopeSql,
  type ScopedOrg,
} from '../../platform/access.ts';
import { type CodedValue, codeIssues } from '../codes/api.ts';
import { checkMember, fullDateRequired, memberWarnings } from './validate.ts';
import { shanghaiDate } from '../../platform/calendar.ts';

/** The coded fields of a member body (only codes are stored; labels are shown). */
function codedFields(body: Partial<MemberCreate>): CodedValue[] {
  return [
    { field: 'ethnicity', label: '民族', list: 'ethnicity', value: body.ethnicity },
    { field: 'education', label: '学历', list: 'education', value: body.education },
    { field: 'personCategory', label: '人员类别', list: 'personCategory', value: body.personCategory },
    { field: 'joinMethod', label: '入党方式', list: 'joinMethod', value: body.joinMethod },
  ];
}

type U = Pick<SessionUser, 'scopePath' | 'countyCode' | 'id' | 'permissions'> & Partial<Pick<SessionUser, 'roles'>>;

/** Roles that may reveal see the birth date and a first-and-last mask; others see age and nothing of the number (SEC-30). */
export function mayReveal(user: Pick<SessionUser, 'permissions'>): boolean {
  return user.permissions.has('members.reveal');
}

export const MEMBER_COLS = sql`m.id, m.name, m.sex, m.birth_date, m.ethnicity, m.education, m.person_category, m.join_method, m.standing, m.party_status,
  m.join_date, m.join_date_precision, m.full_date, m.post, m.native_place, m.work_start_date, m.id_enc, m.phone_masked, m.address_masked, m.lost_contact,
  m.last_contact_date, m.mobile, m.org_id, o.name as org_name, m.version`;

function age(birth: string, today: Date): number {
  const y = today.getUTCFullYear() - Number(birth.slice(0, 4));
  const md = `${String(today.getUTCMonth() + 1).padStart(2, '0')}-${String(today.getUTCDate()).padStart(2, '0')}`;
  return md < birth.slice(5) ? y - 1 : y;
}

/**
 * The first-and-last mask of a member's ID number, decrypted once per ciphertext and row (SEC-30 stores
 * no mask): a list page decrypted its 20 numbers on every request, a quarter of the server's time per
 * search (bench/README.md). The key is the row's context and the ciphertext, so a ciphertext copied to
 * another row still fails its integrity check there; a new encryption (an edit, a key rotation) is a new
 * key. Only masks are kept, never a number; at most 50,000, then the cache starts again.
 */
const idMasks = new WeakMap<CryptoProvider, Map<string, string>>();
function maskedIdNumber(crypto: CryptoProvider, token: string, memberId: string): string {
  let cache = idMasks.get(crypto);
  if (!cache) {
    cache = new Map();
    idMasks.set(crypto, cache);
  }
  const context = sealCtx('members.id', memberId);
  const key = `${context}\u0000${token}`;
  let mask = cache.get(key);
  if (mask === undefined) {
    mask = maskIdNumber(crypto.decrypt(token, context));
    if (cache.size >= 50_000) cache.clear();
    cache.set(key, mask);
  }
  return mask;
}

/** How a member row is shown to one user: what their role may see of the protected values. */
export interface ViewOpts {
  today: Date;
  reveal: boolean;
  crypto: CryptoProvider;
}

export function viewOpts(deps: Deps, user: Pick<SessionUser, 'permissions'>): ViewOpts {
  return { today: deps.now(), reveal: mayReveal(user), crypto: deps.crypto };
}

export function toView(r: Record<string, unknown>, o: ViewOpts) {
  const today = o.today;
  return {
    id: String(r.id),
    name: String(r.name),
    sex: r.sex as '1' | '2',
    birthDate: o.reveal ? String(r.birth_date) : null,
    age: age(String(r.birth_date), today),
    ethnicity: (r.ethnicity as string) ?? null,
    education: (r.education as string) ?? null,
    personCategory: (r.person_category as string) ?? null,
    joinMethod: (r.join_method as string) ?? null,
    standing: r.standing as 'probationary' | 'full',
    partyStatus: String(r.party_status),
    joinDate: String(r.join_date),
    joinDatePrecision: r.join_date_precision === 'month' ? ('month' as const) : ('day' as const),
    fullDate: (r.full_date as string) ?? null,
    post: (r.post as string) ?? null,
    nativePlace: (r.native_place as string) ?? null,
    workStartDate: (r.work_start_date as string) ?? null,
    idNumberMasked: o.reveal ? maskedIdNumber(o.crypto, String(r.id_enc), String(r.id)) : ID_HIDDEN,
    phoneMasked: (r.phone_masked as string) ?? null,
    phone: undefined as string | null | undefined,
    addressMasked: (r.address_masked as string) ?? null,
    lostContact: Boolean(r.lost_contact),
    lastContactDate: (r.last_contact_date as string) ?? null,
    mobile: Boolean(r.mobile),
    orgId: String(r.org_id),
    orgName: String(r.org_name),
    version: Number(r.version),
  };
}

/** The Beijing date `years` before `today` (29 February falls back to 1 March, as an age counts). */
function isoMinusYears(today: Date, years: number): string {
  const [y, m, d] = shanghaiDate(today).split('-').map(Number);
  return new Date(Date.UTC(y - years, m - 1, d)).toISOString().slice(0, 10);
}

/** A member search without its page: the list's filters, and what an export takes. */
export type MemberFilter = Omit<MemberListQuery, 'page' | 'pageSize'>;

/**
 * Refuse a search before any byte of its export is sent: an organization outside the scope (404), a
 * search by ID number without the reveal permission (403).
 */
export async function checkSearch(tx: Tx, deps: Deps, user: U, q: MemberFilter): Promise<void> {
  await searchParts(tx, deps, user, q, deps.now());
}

/** WHERE conditions for a member search inside the user's scope (alias m = members, o = orgs). */
export async function searchConditions(tx: Tx, deps: Deps, user: U, q: MemberFilter, today: Date): Promise<SQL> {
  const { orgConds, memberConds } = await searchParts(tx, deps, user, q, today);
  return sql.join([...orgConds, ...memberConds], sql` and `);
}

/**
 * A search split by table: conditions on the organization (scope, subtree, field) and on the member
 * (text, standing, age…), so a selective name search can run on members first.
 */
async function searchParts(
  tx: Tx,
  deps: Deps,
  user: U,
  q: Omit<MemberListQuery, 'page' | 'pageSize'>,
  today: Date,
): Promise<{ orgConds: SQL[]; memberConds: SQL[]; text: boolean; prefix?: { lo: string; hi: string; cond: SQL } }> {
  const orgConds: SQL[] = [orgInScopeSql(user)];
  // The member's own county too: a name search runs on members alone first (listMembers).
  const memberConds: SQL[] = [inCounty(user, 'm')];
  if (q.orgId) {
    const org = await orgInScope(tx, user, q.orgId);
    orgConds.push(q.subtree === false ? sql`o.id = ${org.id}` : inSubtree(org));
  }
  const text = q.q?.trim();
  let prefix: { lo: string; hi: string; cond: SQL } | undefined;
  if (text) {
    if (/^[a-zA-Z]+$/.test(text)) {
      // The same prefix as a range of the pattern operators, for listMembers' prepared search.
      const lo = text.toLowerCase();
      const t = `${escapeLike(lo)}%`;
      // One letter: every name whose pinyin starts with it has initials that start with it too, so
      // the initials index alone answers (one index instead of two OR-ed over ~20% of the county).
      const cond =
        text.length === 1
          ? sql`m.name_initials like ${t}`
          : sql`(m.name_initials like ${t} or m.name_pinyin like ${t})`;
      memberConds.push(cond);
      prefix = { lo, hi: lo.slice(0, -1) + String.fromCharCode(lo.charCodeAt(lo.length - 1) + 1), cond };
    } else if (idQueryKind(text)) {
      // ID lookups go through keyed indexes and only for roles that may reveal (SEC-30); the route audits them.
      if (!mayReveal(user))
        throw new AppError('FORBIDDEN', '按身份证号码查找党员，须有查看完整个人信息的权限；请按姓名或拼音查找');
      memberConds.push(
        idQueryKind(text) === 'full'
          ? sql`m.id_bidx = ${deps.crypto.blindIndex('id', text.toUpperCase())}`
          : sql`m.id_tail_bidx = ${idTailIndex(deps.crypto, text)}`,
      );
    } else {
      memberConds.push(sql`m.name like ${`%${escapeLike(text)}%`}`);
    }
  }
  if (q.field) orgConds.push(sql`o.field = ${q.field}`);
  if (q.standing) memberConds.push(sql`m.standing = ${q.standing}`);
  if (q.sex) memberConds.push(sql`m.sex = ${q.sex}`);
  if (q.education) memberConds.push(sql`m.education = ${q.education}`);
  if (q.ethnicity) memberConds.push(sql`m.ethnicity = ${q.ethnicity}`);
  if (q.lostContact) memberConds.push(sql`m.lost_contact = ${q.lostContact === 'true'}`);
  // age ≥ n ⇔ born on or before today − n years; age ≤ n ⇔ born after today − (n+1) years
  if (q.ageMin !== undefined) memberConds.push(sql`m.birth_date <= ${isoMinusYears(today, q.ageMin)}`);
  if (q.ageMax !== undefined) memberConds.push(sql`m.birth_date > ${isoMinusYears(today, q.ageMax + 1)}`);
  if (q.joinYearMin !== undefined) memberConds.push(sql`m.join_date >= ${`${q.joinYearMin}-01-01`}`);
  if (q.joinYearMax !== undefined) memberConds.push(sql`m.join_date <= ${`${q.joinYearMax}-12-31`}`);
  if ('ids' in q && Array.isArray(q.ids) && q.ids.length)
    memberConds.push(sql`m.id = any(${sql.param(q.ids)}::uuid[])`);
  return { orgConds, memberConds, text: !!text, prefix };
}

/**
 * The hits of a pinyin search as two disjoint index ranges: initials and full pinyin each in their
 * own branch, so the covering initials index answers its branch without reading the table. Written as
 * ranges of the pattern operators (`~>=~`, `~<~`, which the text_pattern_ops indexes serve), where
 * `like 'zs%'` needs its value at planning time to use an index. The bounds are sub-selects of the
 * parameters: the index takes them at run time, and a plan made with the values is then estimated
 * exactly as one made without them, so after its first five runs PostgreSQL keeps one generic plan
 * per connection for the prepared statement instead of planning every search (~1–2 ms each, measured
 * with pg_prepared_statements: 0 generic of 8 runs with plain parameters, generic from the sixth run
 * with the sub-selects).
 */
function prefixBranches(prefix: { lo: string; hi: string }, others: SQL[], cols: SQL): SQL {
  const inRange = (col: string) =>
    sql`${sql.raw(`m.${col}`)} ~>=~ (select ${prefix.lo}::text) and ${sql.raw(`m.${col}`)} ~<~ (select ${prefix.hi}::text)`;
  const branch = (col: string, extra: SQL[] = []) =>
    sql`select ${cols} from members m where ${sql.join([...others, inRange(col), ...extra], sql` and `)}`;
  // The pinyin branch leaves out what the initials branch found (both columns are NOT NULL): the two
  // are disjoint, so `union all` needs no de-duplicating hash over every hit.
  return sql`${branch('name_initials')} union all ${branch('name_pinyin', [sql`not (${inRange('name_initials')})`])}`;
}

/** ORDER BY for a list: the chosen column, then pinyin, then id, so pages never overlap. Age ascending is birth date descending. */
function orderBy(q: Pick<MemberListQuery, 'sort' | 'order'>, a: 'm' | 'h'): SQL {
  const dir = sql.raw(q.order === 'desc' ? 'desc' : 'asc');
  const inv = sql.raw(q.order === 'desc' ? 'asc' : 'desc');
  const c = (col: string) => sql.raw(`${a}.${col}`);
  switch (q.sort) {
    case 'joinDate':
      return sql`${c('join_date')} ${dir}, ${c('name_pinyin')}, ${c('id')}`;
    case 'age':
      return sql`${c('birth_date')} ${inv}, ${c('name_pinyin')}, ${c('id')}`;
    case 'org':
      return sql`o.name_pinyin ${dir}, o.id, ${c('name_pinyin')}, ${c('id')}`;
    default:
      return sql`${c('name_pinyin')} ${dir}, ${c('name')} ${dir}, ${c('id')} ${dir}`;
  }
}

export async function listMembers(tx: Tx, deps: Deps, user: U, q: MemberListQuery) {
  const today = deps.now();
  const { orgConds, memberConds, text, prefix } = await searchParts(tx, deps, user, q, today);
  const all = sql.join([...orgConds, ...memberConds], sql` and `);
  const onOrg = sql.join(orgConds, sql` and `);
  const offset = (q.page - 1) * q.pageSize;
  const count = async () =>
    Number(
      (await tx.execute<{ n: number }>(sql`select count(*)::int as n from members m ${joinOrg('m')} where ${all}`))
        .rows[0].n,
    );
  let rows: { rows: Record<string, unknown>[] };
  let total: number;
  if (prefix && orgConds.length === 1 && q.sort !== 'org') {
    // The commonest search (a name's initials or pinyin, no organization filter, issue 6 §4) in one
    // prepared statement: the hits by index (the two ranges, a narrow row each), the total as a count
    // of the hits in scope, the page cut by the sort keys, then the page's full rows.
    // The scope of a hit is checked only when the account does not see the whole county: an account at
    // the county's only root sees every organization of it (an init plan decides once per search).
    const others = memberConds.filter((c) => c !== prefix.cond);
    const cols = sql.raw(
      `m.county_code, m.id, m.name_pinyin, m.name, m.org_id${q.sort === 'joinDate' ? ', m.join_date' : q.sort === 'age' ? ', m.birth_date' : ''}`,
    );
    const inScope = sql`exists (select 1 from orgs o where o.county_code = h.county_code and o.id = h.org_id and ${onOrg})`;
    // No root in the county but the account's own organization: its scope is the root (its own root
    // would otherwise be another), and every organization of the county lies under it.
    const wholeCounty = sql`not exists (select 1 from orgs r where r.county_code = ${user.countyCode} and r.parent_id is null and r.path <> ${user.scopePath})`;
    // The hits are read twice, for the total and for the page: two short index scans cost PostgreSQL
    // about a fifth less than keeping the hits and counting them with a window (pgbench, 0.74 → 0.60 ms).
    const hits = prefixBranches(prefix, others, cols);
    const scoped = sql`(${wholeCounty}) or ${inScope}`;
    rows = await executeNamed<Record<string, unknown>>(
      tx,
      'member_search',
      sql`with page as (select h.county_code, h.id from (${hits}) h where ${scoped} order by ${orderBy(q, 'h')} limit ${q.pageSize} offset ${offset})
        select (select count(*) from (${hits}) h where ${scoped}) as total, ${MEMBER_COLS}
        from page p join members m on m.county_code = p.county_code and m.id = p.id ${joinOrg('m')} order by ${orderBy(q, 'm')}`,
    );
    // A page past the end has no row to carry the total: counted on its own.
    total = rows.rows.length ? Number(rows.rows[0].total) : offset === 0 ? 0 : await count();
  } else {
    // Any other text search is selective too: find the matching members first by index (a narrow row
    // each), then scope, sort and cut the page among those few, and only then read the page's full
    // rows. Left to itself the planner may walk every member in pinyin order to fill one page.
    const page = text
      ? sql`with hits as materialized (select m.county_code, m.id, m.name_pinyin, m.name, m.org_id, m.join_date, m.birth_date from members m where ${sql.join(memberConds, sql` and `)}),
        page as (select h.county_code, h.id, row_number() over (order by ${orderBy(q, 'h')}) as rn from hits h ${joinOrg('h')} where ${onOrg} order by ${orderBy(q, 'h')} limit ${q.pageSize} offset ${offset})
        select ${MEMBER_COLS} from page p join members m on m.county_code = p.county_code and m.id = p.id ${joinOrg('m')} order by p.rn`
      : sql`select ${MEMBER_COLS} from members m ${joinOrg('m')} where ${all} order by ${orderBy(q, 'm')} limit ${q.pageSize} offset ${offset}`;
    const [n, r] = await Promise.all([count(), tx.execute<Record<string, unknown>>(page)]);
    total = n;
    rows = r;
  }
  const o = viewOpts(deps, user);
  const items = rows.rows.map((r) => toView(r, o));
  // A branch secretary calls members: their own branch's phones are in the list, without a reason
  // per person, when the county allows it (setting on by default); the route audits the list view.
  // Only for a page that shows them (phones=true): the log records what was looked at, not what a
  // page fetched (a picker or the meeting form's attendance list asks for none).
  if (
    q.phones === 'true' &&
    user.roles?.includes('branchSecretary') &&
    (await getSetting(tx, user.countyCode, 'members.secretarySeesPhones'))
  ) {
    const enc = await tx.execute<{ id: string; phone_enc: string | null }>(
      sql`select m.id, m.phone_enc from members m ${joinOrg('m')} where ${inCounty(user, 'm')} and m.id = any(${sql.param(items.map((i) => i.id))}::uuid[]) and ${orgInScopeSql(user)}`,
    );
    const phones = new Map(
      enc.rows.map((r) => [
        r.id,
        r.phone_enc ? deps.crypto.decrypt(r.phone_enc, sealCtx('members.phone', r.id)) : null,
      ]),
    );
    for (const i of items) i.phone = phones.get(i.id) ?? null;
  }
  return { items, total, page: q.page, pageSize: q.pageSize };
}

async function memberRow(tx: Tx, user: U, id: string): Promise<Record<string, unknown>> {
  const res = await tx.execute<Record<string, unknown>>(
    sql`select ${MEMBER_COLS}, m.phone_enc, m.address_enc, m.county_code, m.party_probation_from from members m ${joinOrg('m')} where ${inCounty(user, 'm')} and m.id = ${id} and ${orgInScopeSql(user)}`,
  );
  if (!res.rows[0]) throw new AppError('NOT_FOUND');
  return res.rows[0];
}

/** Member rows as the detail's statement read them, per member and reader's scope, for the county's audit head (platform/read-cache.ts). */
const details = new ReadCache<Record<string, unknown>>(5_000);

/**
 * A member's detail. `opts.head`: the reader's audit head (`SessionUser.auditHead`), to use and fill
 * the row cache; only a plain read passes it, never a write answering with the member it just changed.
 * The cache keeps the row as read (ciphertexts, not numbers); what the reader may see is made from it
 * each time, for this reader's roles.
 */
/**
 * The member list as a person sees it, with what it showed recorded (SEC-12): the phone numbers on the
 * page, and a lookup by ID number with what it found. The list itself is `listMembers` (no audit).
 */
export async function searchMembers(db: Db, deps: Deps, user: U, actor: Actor, q: MemberListQuery) {
  const res = await listMembers(db, deps, user, q);
  const entries: AuditEntry[] = [];
  const withPhones = res.items.filter((i) => i.phone !== undefined);
  if (withPhones.length)
    entries.push({
      action: 'member.phones.view',
      objectType: 'member',
      detail: { members: withPhones.length, memberIds: withPhones.map((i) => i.id) },
    });
  const idKind = q.q ? idQueryKind(q.q) : null;
  if (idKind)
    entries.push({
      action: 'member.search.idNumber',
      objectType: 'member',
      detail: { kind: idKind, hits: res.total, memberIds: res.items.map((i) => i.id) },
    });
  if (entries.length) await db.transaction((tx) => writeAudit(tx, deps.crypto, actor, entries));
  return res;
}

export async function getMember(tx: Tx, deps: Deps, user: U, id: string, opts: { head?: string } = {}) {
  const r = await details.through(scopedKey(user, id), opts.head, () => memberDetailRow(tx, user, id));
  const view = toView(r, viewOpts(deps, user));
  const decisions = (r.status_decisions ?? []) as {
    id: string;
    tag: string;
    meetingId: string;
    heldOn: string;
    text: string;
  }[];
  const decision = decisions.find((d) => d.id === r.party_status_decision_id);
  const pick = (d: (typeof decisions)[number] | undefined) =>
    d ? { id: d.id, meetingId: d.meetingId, heldOn: d.heldOn, text: d.text } : null;
  const today = shanghaiDate(deps.now());
  const probation = r.party_probation_from
    ? {
        from: String(r.party_probation_from),
        until: String(r.party_probation_until),
        decidedBy: String(r.party_probation_decided_by ?? ''),
        decidedOn: String(r.party_probation_decided_on ?? ''),
        decision: pick(decisions.find((d) => d.id === r.party_probation_decision_id)),
        current: String(r.party_probation_from) <= today && today < String(r.party_probation_until),
      }
    : null;
  return {
    ...view,
    warnings: memberWarnings(view),
    history: r.history as { orgId: string; orgName: string; fromDate: string; toDate: string | null; reason: string }[],
    partyStatusSince: (r.party_status_since as string | null) ?? null,
    partyStatusDecision: pick(decision),
    partyProbation: probation,
    statusDecisions: decisions,
  };
}

/** Decisions that move a member's 党籍状态 (MEM-7), and the 党纪处分 a 留党察看 rests on: recorded on a 党员大会 about the member. */
const STATUS_DECISION_TAGS = sql`('membershipSuspension', 'membershipRestoration', 'removal', 'discipline')`;

async function memberDetailRow(tx: Tx, user: U, id: string): Promise<Record<string, unknown>> {
  // One statement (a named one: the plan is the same for every member): the row in the user's county
  // and subtree, with its membership history (same county) as JSON. The detail page is the most
  // frequent single read (issue 6 §4, bench:throughput).
  const res = await executeNamed<Record<string, unknown>>(
    tx,
    'member_detail',
    sql`select ${MEMBER_COLS}, m.phone_enc, m.address_enc, m.county_code,
      (select coalesce(json_agg(json_build_object('orgId', h.org_id, 'orgName', h.org_name, 'fromDate', h.from_date, 'toDate', h.to_date, 'reason', h.reason)
         order by h.from_date desc, h.created_at desc), '[]'::json)
       from member_org_history h where h.county_code = m.county_code and h.member_id = m.id) as history,
      m.party_status_since, m.party_status_decision_id,
      m.party_probation_from, m.party_probation_until, m.party_probation_decided_by, m.party_probation_decided_on, m.party_probation_decision_id,
      (select coalesce(json_agg(json_build_object('id', d.id, 'tag', d.tag, 'meetingId', d.meeting_id, 'heldOn', mt.held_on, 'text', d.text) order by mt.held_on desc, d.id), '[]'::json)
       from meeting_decisions d join meetings mt on mt.county_code = d.county_code and mt.id = d.meeting_id
       where d.county_code = m.county_code and d.member_id = m.id and d.tag in ${STATUS_DECISION_TAGS} and mt.kind = 'branchMeeting' and mt.deleted_at is null) as status_decisions
    from members m ${joinOrg('m')} where ${inCounty(user, 'm')} and m.id = ${id} and ${orgInScopeSql(user)}`,
  );
  const r = res.rows[0];
  if (!r) throw new AppError('NOT_FOUND');
  return r;
}

export async function memberOrg(tx: Tx, user: U, orgId: string): Promise<ScopedOrg> {
  let org: ScopedOrg;
  try {
    org = await orgInScope(tx, user, orgId);
  } catch {
    throw fieldError([{ field: 'orgId', message: '所在党组织：找不到该组织，或不在您的管辖范围内' }]);
  }
  if (org.status !== 'active') throw fieldError([{ field: 'orgId', message: '所在党组织：该组织已撤销或合并' }]);
  if (!MEMBER_ORG_KINDS.has(org.kind))
    throw fieldError([{ field: 'orgId', message: '所在党组织：党员应编入党支部或党小组，不能直接编入党委（MEM-2）' }]);
  return org;
}

/** The encrypted (bound to the member's row), indexed and masked columns for the personal fields (SEC-16, SEC-30). */
export function sealedColumns(
  crypto: CryptoProvider,
  memberId: string,
  idNumber: string,
  phone: string | null | undefined,
  address: string | null | undefined,
) {
  return {
    idEnc: crypto.encrypt(idNumber, sealCtx('members.id', memberId)),
    idBidx: crypto.blindIndex('id', idNumber),
    idTailBidx: idTailIndex(crypto, idNumber.slice(-4)),
    phoneEnc: phone ? crypto.encrypt(phone, sealCtx('members.phone', memberId)) : null,
    phoneBidx: phone ? crypto.blindIndex('phone', phone) : null,
    phoneMasked: phone ? maskPhone(phone) : null,
    addressEnc: address ? crypto.encrypt(address, sealCtx('members.address', memberId)) : null,
    addressMasked: address ? maskAddress(address) : null,
  };
}

/** The one answer to "that ID number is already a member": neutral, and pointing to the transfer procedure (SEC-8). */
export const DUPLICATE_ID_MESSAGE =
  '身份证号码：无法以该号码新增党员。如该同志的组织关系在其他党组织，请按组织关系转接程序办理；如有疑问请联系上级组织部门';

/**
 * A refusal because an ID number is already registered tells whether a person is a member: each is
 * audited, counted per account per day, and past the limit the county is alerted and further
 * answers stop (SEC-8). Runs on its own connection so the record survives the refused request.
 * Returns false when the account is over its limit.
 */
export async function recordDuplicateRefusals(
  deps: Deps,
  actor: Actor,
  n: number,
  via: 'form' | 'import',
): Promise<boolean> {
  const db = deps.database.db;
  const limit = await getSetting(
    db,
    actor.countyCode ?? (await installationCounty(db)),
    'security.duplicateRefusalsPerDay',
  );
  const count = await hitMany(db, `dup-id:${actor.userId}`, n, 86_400);
  const over = count > limit;
  await db.transaction((tx) =>
    writeAudit(tx, deps.crypto, actor, [
      {
        action: 'member.duplicateRefused',
        objectType: 'member',
        result: 'denied',
        detail: { via, refusals: n, today: count },
      },
      ...(over && count - n <= limit
        ? [
            {
              action: 'security.alert',
              objectType: 'user',
              objectId: actor.userId,
              result: 'denied' as const,
              detail: { kind: 'membershipProbe', refusals: count, limit },
            },
          ]
        : []),
    ]),
  );
  if (over)
    console.warn(
      `[党建] 安全提醒：账号 ${actor.username} 今日因身份证号码已登记被拒绝 ${count} 次（上限 ${limit}），疑似批量探测党员身份`,
    );
  return !over;
}

async function refuseDuplicate(deps: Deps, actor: Actor): Promise<never> {
  const allowed = await recordDuplicateRefusals(deps, actor, 1, 'form');
  if (!allowed)
    throw new AppError(
      'RATE_LIMITED',
      '今日因身份证号码无法登记被拒绝的次数过多，已暂停并通知县委组织部；如需办理请联系上级组织部门',
    );
  throw new AppError('DUPLICATE_ID_NUMBER', DUPLICATE_ID_MESSAGE, {
    fields: [{ field: 'idNumber', message: DUPLICATE_ID_MESSAGE }],
  });
}

export async function createMember(tx: Tx, deps: Deps, user: U, actor: Actor, body: MemberCreate): Promise<string> {
  const today = shanghaiDate(deps.now());
  const { issues, info, idNumber } = checkMember({ ...body }, today);
  issues.push(...fullDateRequired(body.standing, body.fullDate));
  issues.push(...(await codeIssues(tx, user.countyCode, codedFields(body))));
  if (issues.length) throw fieldError(issues);
  const org = await memberOrg(tx, user, body.orgId);
  if (!info || !idNumber) throw new AppError('VALIDATION');
  const bidx = deps.crypto.blindIndex('id', idNumber);
  const dup = await tx.execute<{ org_id: string }>(
    sql`select org_id from members where county_code = ${org.countyCode} and id_bidx = ${bidx}`,
  );
  if (dup.rows[0]) await refuseDuplicate(deps, actor);
  const newId = randomUUID();
  const sealed = sealedColumns(deps.crypto, newId, idNumber, body.phone, body.address);
  const py = namePinyin(body.name);
  const res = await tx.execute<{ id: string }>(sql`
    insert into members (id, county_code, org_id, name, name_pinyin, name_initials, sex, birth_date, ethnicity, education, person_category, join_method,
      standing, join_date, full_date, post, native_place, work_start_date, id_enc, id_bidx, id_tail_bidx, phone_enc, phone_bidx, phone_masked,
      address_enc, address_masked, lost_contact, last_contact_date, mobile)
    values (${newId}, ${org.countyCode}, ${org.id}, ${body.name}, ${py.full}, ${py.initials}, ${info.sex}, ${info.birthDate}, ${body.ethnicity ?? null},
      ${body.education ?? null}, ${body.personCategory ?? null}, ${body.joinMethod ?? null}, ${body.standing}, ${body.joinDate}, ${body.fullDate ?? null},
      ${body.post ?? null}, ${body.nativePlace ?? null}, ${body.workStartDate ?? null}, ${sealed.idEnc}, ${sealed.idBidx}, ${sealed.idTailBidx},
      ${sealed.phoneEnc}, ${sealed.phoneBidx}, ${sealed.phoneMasked}, ${sealed.addressEnc}, ${sealed.addressMasked}, ${body.lostContact ?? false},
      ${body.lastContactDate ?? null}, ${body.mobile ?? false})
    returning id`);
  const id = res.rows[0].id;
  await tx.execute(sql`insert into member_org_history (county_code, member_id, org_id, org_name, from_date, reason)
    values (${org.countyCode}, ${id}, ${org.id}, ${org.name}, ${today}, '新增党员')`);
  await writeAudit(tx, deps.crypto, actor, [
    { action: 'member.create', objectType: 'member', objectId: id, detail: { orgId: org.id } },
  ]);
  await emit(tx, deps, 'members.changed', {
    countyCode: org.countyCode,
    memberIds: [id],
    orgIds: [org.id],
    change: 'created',
    userId: user.id,
  });
  return id;
}

/** Fields of a member the rules read (their organization, standing and contact); a new phone or address changes no check. */
const RULE_FIELDS: ReadonlySet<string> = new Set([
  'orgId',
  'standing',
  'joinDate',
  'fullDate',
  'lostContact',
  'lastContactDate',
  'mobile',
  'partyStatus',
  'partyProbation',
]);

/** Change a member; `announce: false` when the caller announces the change itself (a batch transfer, once for all). */
export async function patchMember(
  tx: Tx,
  deps: Deps,
  user: U,
  actor: Actor,
  id: string,
  body: MemberPatch,
  opts: { announce?: boolean } = {},
): Promise<void> {
  const cur = await memberRow(tx, user, id);
  const today = shanghaiDate(deps.now());
  const currentId = deps.crypto.decrypt(String(cur.id_enc), sealCtx('members.id', id));
  const merged = {
    name: body.name ?? String(cur.name),
    idNumber: body.idNumber ?? currentId,
    standing: body.standing ?? (cur.standing as 'probationary' | 'full'),
    joinDate: body.joinDate ?? String(cur.join_date),
    // A date typed in the form is a day; one left as it was keeps what the roster gave.
    joinDatePrecision:
      body.joinDate === undefined || body.joinDate === cur.join_date
        ? (cur.join_date_precision as 'day' | 'month')
        : 'day',
    fullDate: body.fullDate === undefined ? ((cur.full_date as string) ?? null) : body.fullDate,
    phone: body.phone,
    workStartDate: body.workStartDate,
    lastContactDate: body.lastContactDate,
  };
  const { issues, info, idNumber } = checkMember(merged, today);
  // Only a change of standing or date must leave the record complete; other edits save (the gap stays a warning).
  if (body.standing !== undefined || body.fullDate !== undefined)
    issues.push(...fullDateRequired(merged.standing, merged.fullDate));
  issues.push(...(await codeIssues(tx, String(cur.county_code), codedFields(body))));
  if (issues.length) throw fieldError(issues);
  const sets: SQL[] = [];
  const changed: string[] = [];
  const set = (col: string, v: unknown, field: string) => {
    sets.push(sql`${sql.raw(col)} = ${v}`);
    changed.push(field);
  };
  if (body.name !== undefined && body.name !== cur.name) {
    const py = namePinyin(body.name);
    set('name', body.name, 'name');
    sets.push(sql`name_pinyin = ${py.full}`, sql`name_initials = ${py.initials}`);
  }
  if (body.idNumber !== undefined && idNumber && info && idNumber !== currentId) {
    const bidx = deps.crypto.blindIndex('id', idNumber);
    const dup = await tx.execute(
      sql`select 1 from members where county_code = ${cur.county_code} and id_bidx = ${bidx} and id <> ${id}`,
    );
    if (dup.rowCount) await refuseDuplicate(deps, actor);
    const s = sealedColumns(deps.crypto, id, idNumber, null, null);
    sets.push(
      sql`id_enc = ${s.idEnc}`,
      sql`id_bidx = ${s.idBidx}`,
      sql`id_tail_bidx = ${s.idTailBidx}`,
      sql`sex = ${info.sex}`,
      sql`birth_date = ${info.birthDate}`,
    );
    changed.push('idNumber');
  }
  if (body.phone !== undefined) {
    const s = sealedColumns(deps.crypto, id, currentId, body.phone, null);
    sets.push(sql`phone_enc = ${s.phoneEnc}`, sql`phone_bidx = ${s.phoneBidx}`, sql`phone_masked = ${s.phoneMasked}`);
    changed.push('phone');
  }
  if (body.address !== undefined) {
    const s = sealedColumns(deps.crypto, id, currentId, null, body.address);
    sets.push(sql`address_enc = ${s.addressEnc}`, sql`address_masked = ${s.addressMasked}`);
    changed.push('address');
  }
  const plain: [keyof MemberPatch, string][] = [
    ['standing', 'standing'],
    ['joinDate', 'join_date'],
    ['fullDate', 'full_date'],
    ['ethnicity', 'ethnicity'],
    ['education', 'education'],
    ['personCategory', 'person_category'],
    ['joinMethod', 'join_method'],
    ['post', 'post'],
    ['nativePlace', 'native_place'],
    ['workStartDate', 'work_start_date'],
    ['lostContact', 'lost_contact'],
    ['lastContactDate', 'last_contact_date'],
    ['mobile', 'mobile'],
  ];
  for (const [k, col] of plain) if (body[k] !== undefined) set(col, body[k] ?? null, k);
  if (body.joinDate !== undefined && body.joinDate !== cur.join_date) sets.push(sql`join_date_precision = 'day'`);
  // 党籍状态 moves only by a recorded 党员大会 decision about this member (MEM-7): 停止党籍, 恢复党籍 or 除名, as the status asks.
  let statusFrom: string | null = null;
  if (
    body.partyStatus !== undefined &&
    (body.partyStatus !== cur.party_status || body.partyStatusDecisionId !== undefined)
  ) {
    const wanted = PARTY_STATUS_DECISION[body.partyStatus];
    const d = body.partyStatusDecisionId
      ? await tx.execute<{
          held_on: string;
        }>(sql`select mt.held_on from meeting_decisions d join meetings mt on mt.county_code = d.county_code and mt.id = d.meeting_id
          where d.county_code = ${cur.county_code} and d.id = ${body.partyStatusDecisionId} and d.member_id = ${id} and d.tag = ${wanted} and mt.kind = 'branchMeeting' and mt.deleted_at is null`)
      : null;
    if (!d?.rows[0])
      throw fieldError([
        {
          field: 'partyStatusDecisionId',
          message: `党籍状态：须选择支部党员大会作出的“${DECISION_TAG_LABELS[wanted]}”决定（先在组织生活中记录该次党员大会及其决定）`,
        },
      ]);
    statusFrom = d.rows[0].held_on;
    set('party_status', body.partyStatus, 'partyStatus');
    sets.push(sql`party_status_since = ${statusFrom}`, sql`party_status_decision_id = ${body.partyStatusDecisionId}`);
  }
  // 留党察看 (党章第四十条): at most two years, decided on or before its first day and not after today; a
  // 党员大会 decision it names is a 党纪处分 about this member. Null takes back a record entered by mistake.
  let probationDates: string[] = [];
  if (body.partyProbation !== undefined) {
    const p = body.partyProbation;
    if (p) {
      const bad: { field: string; message: string }[] = [];
      const twoYears = `${Number(p.from.slice(0, 4)) + 2}${p.from.slice(4)}`;
      if (p.until <= p.from) bad.push({ field: 'partyProbation.until', message: '留党察看：截止日期应晚于开始日期' });
      else if (p.until > twoYears)
        bad.push({ field: 'partyProbation.until', message: '留党察看：期限最长不超过二年（党章第四十条）' });
      if (p.decidedOn > today)
        bad.push({ field: 'partyProbation.decidedOn', message: '留党察看：决定日期不能晚于今天' });
      if (p.decidedOn > p.from)
        bad.push({ field: 'partyProbation.from', message: '留党察看：开始日期不能早于作出决定的日期' });
      if (p.decisionId) {
        const d =
          await tx.execute(sql`select 1 from meeting_decisions d join meetings mt on mt.county_code = d.county_code and mt.id = d.meeting_id
          where d.county_code = ${cur.county_code} and d.id = ${p.decisionId} and d.member_id = ${id} and d.tag = 'discipline' and mt.kind = 'branchMeeting' and mt.deleted_at is null`);
        if (!d.rowCount)
          bad.push({
            field: 'partyProbation.decisionId',
            message: '留党察看：所选决定须是支部党员大会对该党员作出的“党纪处分”决定',
          });
      }
      if (bad.length) throw fieldError(bad);
    }
    sets.push(
      sql`party_probation_from = ${p?.from ?? null}`,
      sql`party_probation_until = ${p?.until ?? null}`,
      sql`party_probation_decided_by = ${p?.decidedBy ?? null}`,
      sql`party_probation_decided_on = ${p?.decidedOn ?? null}`,
      sql`party_probation_decision_id = ${p?.decisionId ?? null}`,
    );
    changed.push('partyProbation');
    // The vote base changes from the earlier of the old and the new first day.
    probationDates = [p?.from, cur.party_probation_from as string | null].filter((d): d is string => !!d);
  }
  let transfer: ScopedOrg | null = null;
  if (body.orgId !== undefined && body.orgId !== cur.org_id) {
    transfer = await memberOrg(tx, user, body.orgId);
    set('org_id', transfer.id, 'orgId');
  }
  if (!sets.length) return;
  const county = String(cur.county_code);
  const res =
    await tx.execute(sql`update members m set ${sql.join(sets, sql`, `)}, version = m.version + 1, updated_at = now()
    where ${inCounty(county, 'm')} and m.id = ${id} ${body.version !== undefined ? sql`and m.version = ${body.version}` : sql``}`);
  if (!res.rowCount) throw new AppError('CONFLICT', '该党员信息已被他人修改，请刷新后重试');
  if (transfer) {
    await tx.execute(
      sql`update member_org_history h set to_date = ${today} where ${inCounty(county, 'h')} and h.member_id = ${id} and h.to_date is null`,
    );
    await tx.execute(sql`insert into member_org_history (county_code, member_id, org_id, org_name, from_date, reason)
      values (${transfer.countyCode}, ${id}, ${transfer.id}, ${transfer.name}, ${today}, ${body.transferReason || '组织关系转接'})`);
  }
  await writeAudit(tx, deps.crypto, actor, [
    {
      action: transfer ? 'member.transfer' : 'member.update',
      objectType: 'member',
      objectId: id,
      detail: { fields: changed, ...(transfer ? { to: transfer.id } : {}) },
    },
  ]);
  if (opts.announce !== false && changed.some((f) => RULE_FIELDS.has(f))) {
    const orgIds = [String(cur.org_id), ...(transfer ? [transfer.id] : [])];
    // A join or full-member date moved reaches back to the earlier of the two dates (LIFE-2 counts full members as they were).
    const dates = [
      ...(['joinDate', 'fullDate'] as const).flatMap((k) =>
        body[k] !== undefined ? [body[k], cur[k === 'joinDate' ? 'join_date' : 'full_date']] : [],
      ),
      statusFrom,
      ...probationDates,
    ].filter((d): d is string => typeof d === 'string' && d.length === 10);
    await emit(tx, deps, 'members.changed', {
      countyCode: county,
      memberIds: [id],
      orgIds,
      change: transfer ? 'transferred' : 'updated',
      dates,
      userId: user.id,
    });
  }
}

/** Full ID number, phone and address: a separate permission, a stated reason, an audit entry (SEC-9). */
export async function revealMember(tx: Tx, deps: Deps, user: U, actor: Actor, id: string, reason: string) {
  const r = await memberRow(tx, user, id);
  await writeAudit(tx, deps.crypto, actor, [
    { action: 'member.reveal', objectType: 'member', objectId: id, detail: { reason } },
  ]);
  return {
    idNumber: deps.crypto.decrypt(String(r.id_enc), sealCtx('members.id', id)),
    phone: r.phone_enc ? deps.crypto.decrypt(String(r.phone_enc), sealCtx('members.phone', id)) : null,
    address: r.address_enc ? deps.crypto.decrypt(String(r.address_enc), sealCtx('members.address', id)) : null,
  };
}

/** Transfer several members at once (a selection in the list): each one as a single transfer would be, in one transaction. */
export async function batchTransfer(
  tx: Tx,
  deps: Deps,
  user: U,
  actor: Actor,
  memberIds: string[],
  orgId: string,
  reason: string,
): Promise<{ moved: number; unchanged: number }> {
  const ids = [...new Set(memberIds)];
  const found = await tx.execute<{ id: string; org_id: string }>(
    sql`select m.id, m.org_id from members m ${joinOrg('m')} where ${inCounty(user, 'm')} and m.id = any(${sql.param(ids)}::uuid[]) and ${orgInScopeSql(user)}`,
  );
  if (found.rows.length !== ids.length)
    throw new AppError(
      'NOT_FOUND',
      `所选的 ${ids.length} 名党员中有 ${ids.length - found.rows.length} 名不存在或不在您的管辖范围内，未转接任何人`,
    );
  let moved = 0;
  for (const r of found.rows) {
    if (r.org_id === orgId) continue;
    await patchMember(tx, deps, user, actor, r.id, { orgId, transferReason: reason }, { announce: false });
    moved++;
  }
  await writeAudit(tx, deps.crypto, actor, [
    {
      action: 'member.transfer.batch',
      objectType: 'org',
      objectId: orgId,
      detail: { moved, unchanged: ids.length - moved, reason },
    },
  ]);
  const movers = found.rows.filter((r) => r.org_id !== orgId);
  if (movers.length) {
    await emit(tx, deps, 'members.changed', {
      countyCode: user.countyCode,
      memberIds: movers.map((r) => r.id),
      orgIds: [orgId, ...movers.map((r) => r.org_id)],
      change: 'transferred',
      userId: user.id,
    });
  }
  return { moved, unchanged: ids.length - moved };
}

/**
 * After an import has committed. A large one changes the table's shape: fresh planner statistics
 * now, not when autovacuum gets to it. Not awaited: the answer does not wait for ANALYZE.
 */
export function afterImport(db: Db, result: ImportResult): void {
  // Through the owner's function: the app role's own ANALYZE was skipped with a warning (issue 21).
  if (result.ok && !result.dryRun && result.created > 1000)
    void analyzeTables(db, ['members', 'member_org_history']).catch(() => {});
}
