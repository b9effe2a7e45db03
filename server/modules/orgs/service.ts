/** Organization tree: reads within scope, create/edit, move, merge, dissolve, leadership posts, history kept. */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import { CHILD_KINDS } from '../../../contract/common.ts';
import type { orgCreate, orgListQuery, orgPatch, postWrite } from '../../../contract/orgs.ts';
import { executeNamed, type Tx } from '../../db/index.ts';
import type { Actor } from '../../platform/audit.ts';
import { writeAudit } from '../../platform/audit.ts';
import type { Deps, SessionUser } from '../../platform/deps.ts';
import { AppError, fieldError } from '../../platform/errors.ts';
import { emit } from '../../platform/events.ts';
import { pinyinKey } from '../../platform/pinyin.ts';
import { isPhone, maskPhone } from '../../platform/idcard.ts';
import { sealCtx } from '../../platform/sealed.ts';
import {
  ancestorOfSql,
  childPath,
  commonPath,
  escapeLike,
  inCounty,
  inSubtree,
  isWithin,
  joinOrg,
  orgInScope,
  orgInScopeSql,
  type Place,
  type Scope,
  underIndexedSql,
  underSql,
} from '../../platform/access.ts';
import { ReadCache, scopedKey } from '../../platform/read-cache.ts';
import { getSetting } from '../../platform/settings.ts';
import { codeIssues } from '../codes/api.ts';
import { loadRuleSettings, standingFindings } from '../problems/api.ts';
import { cardNotes, type PostRow, type Warning } from './checks.ts';
import { shanghaiDate } from '../../platform/calendar.ts';
import { countyNameFor, initialsMatchSql, orgInitials } from './initials.ts';
import type { OrgChange } from './api.ts';

/** A parameterized text[] literal. */
function textArray(values: string[]) {
  return sql`array[${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )}]::text[]`;
}

type U = Scope & Pick<SessionUser, 'id'>;

const SUMMARY_COLS = sql`o.id, o.parent_id, (select pa.name from orgs pa where pa.county_code = o.county_code and pa.id = o.parent_id) as parent_name, o.name, o.short_name, o.kind, o.field, o.division_code, o.status, o.depth, o.path,
  exists(select 1 from orgs c where c.county_code = o.county_code and c.parent_id = o.id and c.status = 'active') as has_children`;

function summary(r: Record<string, unknown>, memberCount: number) {
  return {
    id: String(r.id),
    parentId: (r.parent_id as string) ?? null,
    parentName: (r.parent_name as string) ?? null,
    name: String(r.name),
    shortName: (r.short_name as string) ?? null,
    kind: r.kind as never,
    field: (r.field as never) ?? null,
    divisionCode: (r.division_code as string) ?? null,
    status: String(r.status),
    depth: Number(r.depth),
    hasChildren: Boolean(r.has_children),
    memberCount,
  };
}

/**
 * Member counts over the subtrees of the given organizations: the direct counts kept on each
 * organization (orgs.member_count, maintained by triggers) summed by path under their common top.
 */
async function subtreeCounts(tx: Tx, county: string, paths: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>(paths.map((p) => [p, 0]));
  if (!paths.length) return out;
  const common = commonPath(paths);
  const res = await tx.execute<{ path: string; n: number }>(
    sql`select o.path, o.member_count as n from orgs o where ${inSubtree({ countyCode: county, path: common })} and o.member_count > 0`,
  );
  for (const r of res.rows) for (const p of paths) if (isWithin(r.path, p)) out.set(p, (out.get(p) ?? 0) + r.n);
  return out;
}

/** The active organizations in the user's county and subtree that a list query asks for (by parent, name, pinyin or initials, field, kind). */
function orgFilter(user: U, q: Pick<z.infer<typeof orgListQuery>, 'parentId' | 'q' | 'field' | 'kind'>) {
  const conds = [orgInScopeSql(user), sql`o.status = 'active'`];
  if (q.parentId) conds.push(sql`o.parent_id = ${q.parentId}`);
  if (q.q) {
    const text = q.q.toLowerCase();
    // Letters also match the initials of the distinctive part of the name ("jyc" → 中共甲一村支部委员会), as member search does,
    // and of any part of it people say on its own ("czc" → 中共红庙镇程庄村支部委员会).
    const initials = /^[a-z]+$/.test(text) ? sql` or ${initialsMatchSql(sql`o.name_initials`, text)}` : sql``;
    conds.push(
      sql`(o.name like ${`%${escapeLike(q.q)}%`} or o.short_name like ${`%${escapeLike(q.q)}%`} or o.name_pinyin like ${`%${escapeLike(text)}%`}${initials})`,
    ); // names start with 中共: match pinyin anywhere
  }
  if (q.field) conds.push(sql`o.field = ${q.field}`);
  if (q.kind) conds.push(sql`o.kind = ${q.kind}`);
  return sql.join(conds, sql` and `);
}

export async function listOrgs(tx: Tx, user: U, q: z.infer<typeof orgListQuery>) {
  const where = orgFilter(user, q);
  const total = await tx.execute<{ n: number }>(sql`select count(*)::int as n from orgs o where ${where}`);
  const rows = await tx.execute<Record<string, unknown>>(
    sql`select ${SUMMARY_COLS} from orgs o where ${where} order by o.depth, o.sort_order, o.name_pinyin limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`,
  );
  const counts = await subtreeCounts(
    tx,
    user.countyCode,
    rows.rows.map((r) => String(r.path)),
  );
  return {
    items: rows.rows.map((r) => summary(r, counts.get(String(r.path)) ?? 0)),
    total: Number(total.rows[0].n),
    page: q.page,
    pageSize: q.pageSize,
  };
}

/** Names only (with the parent's, to tell same-named ones apart) of the organizations a text finds: for pickers that need nothing else, e.g. an auditor's filter. */
export async function orgNames(tx: Tx, user: U, text: string | undefined, limit: number) {
  const res = await tx.execute<{ id: string; name: string; parent_name: string | null }>(
    sql`select o.id, o.name, (select pa.name from orgs pa where pa.county_code = o.county_code and pa.id = o.parent_id) as parent_name
      from orgs o where ${orgFilter(user, { q: text })} order by o.depth, o.sort_order, o.name_pinyin limit ${limit}`,
  );
  return res.rows.map((r) => ({ id: String(r.id), name: String(r.name), parentName: r.parent_name ?? null }));
}

/** The top of the user's scope: the tree starts here. */
export async function scopeRoot(tx: Tx, user: SessionUser) {
  const res = await tx.execute<Record<string, unknown>>(
    sql`select ${SUMMARY_COLS} from orgs o where ${inCounty(user, 'o')} and o.id = ${user.orgId}`,
  );
  const counts = await subtreeCounts(tx, user.countyCode, [String(res.rows[0].path)]);
  return summary(res.rows[0], counts.get(String(res.rows[0].path)) ?? 0);
}

export async function children(tx: Tx, user: U, id: string, opts: { warnings?: boolean; deps?: Deps } = {}) {
  const org = await orgInScope(tx, user, id);
  const rows = await tx.execute<Record<string, unknown>>(
    sql`select ${SUMMARY_COLS}, o.term_end from orgs o where ${inCounty(org.countyCode, 'o')} and o.parent_id = ${id} and o.status = 'active' order by o.sort_order, o.name_pinyin`,
  );
  const counts = await subtreeCounts(
    tx,
    org.countyCode,
    rows.rows.map((r) => String(r.path)),
  );
  const items = rows.rows.map((r) => summary(r, counts.get(String(r.path)) ?? 0));
  if (!opts.warnings || !opts.deps || !items.length) return items;
  const warnings = await warningsOf(
    tx,
    opts.deps,
    org.countyCode,
    rows.rows.map((r) => ({
      id: String(r.id),
      kind: String(r.kind),
      status: String(r.status),
      path: String(r.path),
      termEnd: (r.term_end as string) ?? null,
    })),
  );
  return items.map((o) => ({ ...o, warnings: warnings.get(o.id) ?? [] }));
}

/**
 * The warnings of organizations' cards: the rules engine's open problems and reminders of the rules the
 * card shows (ORG-2/4/5/6, kept current by the re-check every write of posts, members or organizations
 * makes), then the card's own notes (checks.ts cardNotes). An inactive organization or a Party group has none.
 */
async function cardWarnings(
  tx: Tx,
  deps: Deps,
  county: string,
  orgs: { id: string; kind: string; status: string; posts: PostRow[]; totalMembers: number }[],
) {
  const live = orgs.filter((o) => o.status === 'active' && o.kind !== 'partyGroup');
  const findings = await standingFindings(
    tx,
    county,
    live.map((o) => o.id),
  );
  const branchMaxMembers = await getSetting(tx, county, 'org.branchMaxMembers');
  const today = shanghaiDate(deps.now());
  const out = new Map<string, Warning[]>();
  for (const o of live) {
    const own = findings
      .filter((f) => f.orgId === o.id)
      .map((f) => ({ rule: f.rule, level: f.level, message: f.message }));
    out.set(o.id, [...own, ...cardNotes(o, o.posts, today, { branchMaxMembers, totalMembers: o.totalMembers })]);
  }
  return out;
}

/** The card's checks for several organizations at once (the card's list of 下级组织). */
async function warningsOf(
  tx: Tx,
  deps: Deps,
  county: string,
  orgs: { id: string; kind: string; status: string; path: string; termEnd: string | null }[],
) {
  const ids = sql`${textArray(orgs.map((o) => o.id))}::uuid[]`;
  const members = await tx.execute<{ id: string; total: number }>(sql`
    select c.id, count(*)::int as total
    from orgs c join orgs s on ${underSql('s', 'c')} join members m on m.county_code = s.county_code and m.org_id = s.id
    where ${inCounty(county, 'c')} and c.id = any(${ids}) group by c.id`);
  const posts = await tx.execute<Record<string, unknown>>(sql`
    select p.org_id, p.post, p.member_id, coalesce(m.name, p.person_name) as person_name, p.start_date, p.term_end, p.vacant_since
    from org_posts p left join members m on m.county_code = p.county_code and m.id = p.member_id
    where ${inCounty(county, 'p')} and p.org_id = any(${ids}) and p.ended_on is null
    order by p.start_date`);
  return cardWarnings(
    tx,
    deps,
    county,
    orgs.map((o) => ({
      ...o,
      posts: posts.rows.filter((p) => p.org_id === o.id).map(postRow),
      totalMembers: members.rows.find((m) => m.id === o.id)?.total ?? 0,
    })),
  );
}

function postRow(p: Record<string, unknown>): PostRow {
  return {
    post: String(p.post),
    memberId: (p.member_id as string) ?? null,
    personName: (p.person_name as string) ?? null,
    vacantSince: (p.vacant_since as string) ?? null,
  };
}

/** Leadership posts in the order the card shows them. */
const POST_ORDER = sql`array['secretary','deputySecretary','organizationMember','propagandaMember','disciplineMember','member']`;

/** Cards as their statement read them, per organization and reader's scope, for the county's audit head (platform/read-cache.ts). */
const cards = new ReadCache<Record<string, unknown>>(2_000);

/**
 * The organization card. `opts.head`: the reader's audit head (`SessionUser.auditHead`), to use and
 * fill the card cache; only a plain read passes it, never a write answering with the card it just changed.
 */
export async function detail(tx: Tx, deps: Deps, user: U, id: string, opts: { head?: string } = {}) {
  const r = await cards.through(scopedKey(user, id), opts.head, () => cardRow(tx, user, id));
  return cardOf(tx, r, deps);
}

async function cardRow(tx: Tx, user: U, id: string): Promise<Record<string, unknown>> {
  // The whole card in one statement (a named one: its plan does not depend on the organization): the
  // organization in the user's county and subtree, its ancestors within the scope, member counts over
  // its subtree, the number of active children, the current posts and the last 50 events — every
  // subquery in the same county. It took seven statements one after another (issue 6 §4). The
  // subtree is the range of paths starting with this one (`~>=~`/`~<~`, the comparisons the
  // text_pattern_ops path index answers with the path taken from the outer row; paths end in '/',
  // and '0' follows '/'), checked again with `like`.
  const res = await executeNamed<Record<string, unknown>>(
    tx,
    'org_card',
    sql`select ${SUMMARY_COLS}, o.county_code, o.category, o.unit_situation, o.unit_name, o.founded_on, o.themed_day, o.lat, o.lng, o.contact_name, o.contact_phone_masked,
        o.term_start, o.term_end, o.term_years, o.version,
        (select count(*)::int from orgs c where c.county_code = o.county_code and c.parent_id = o.id and c.status = 'active') as child_count,
        (select coalesce(json_agg(json_build_object('id', a.id, 'name', a.name) order by a.depth), '[]'::json) from orgs a
          where ${ancestorOfSql('a', 'o')} and ${orgInScopeSql(user, 'a')}) as ancestors,
        (select coalesce(json_agg(c), '[]'::json) from (
          select m.standing, s.field, (m.org_id = o.id) as direct, count(*)::int as n
          from orgs s join members m on m.county_code = s.county_code and m.org_id = s.id
          where ${underIndexedSql('s', 'o')}
          group by 1, 2, 3) c) as counts,
        (select coalesce(json_agg(p order by array_position(${POST_ORDER}, p.post), p.start_date), '[]'::json) from (
          select p.id, p.post, p.member_id, coalesce(m.name, p.person_name) as person_name, p.start_date, p.term_end, p.vacant_since, m.full_date, m.standing
          from org_posts p left join members m on m.county_code = p.county_code and m.id = p.member_id
          where p.county_code = o.county_code and p.org_id = o.id and p.ended_on is null) p) as posts,
        (select coalesce(json_agg(json_build_object('kind', e.kind, 'at', to_char(e.at at time zone 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI'), 'detail', e.detail)
          order by e.at desc), '[]'::json)
          from (select e.kind, e.at, e.detail from org_events e where e.county_code = o.county_code and e.org_id = o.id order by e.at desc limit 50) e) as history
      from orgs o where ${inCounty(user, 'o')} and o.id = ${id} and ${orgInScopeSql(user)}`,
  );
  const r = res.rows[0];
  if (!r) throw new AppError('NOT_FOUND');
  return r;
}

/** The card from its row: counts summed, leadership and warnings (which depend on today and the settings) made anew each time. */
async function cardOf(tx: Tx, r: Record<string, unknown>, deps: Deps) {
  const org = { kind: String(r.kind), status: String(r.status), countyCode: String(r.county_code) };
  const counts = { rows: r.counts as { standing: string; field: string | null; direct: boolean; n: number }[] };
  const childCount = { rows: [{ n: Number(r.child_count) }] };
  const posts = { rows: r.posts as Record<string, unknown>[] };
  const anc = { rows: r.ancestors as { id: string; name: string }[] };
  const history = { rows: r.history as { kind: string; at: string; detail: Record<string, unknown> }[] };
  let total = 0;
  let direct = 0;
  let full = 0;
  let probationary = 0;
  const byField: Record<string, number> = {};
  for (const c of counts.rows) {
    total += c.n;
    if (c.direct) direct += c.n;
    if (c.standing === 'full') full += c.n;
    else probationary += c.n;
    const f = c.field ?? 'unknown';
    byField[f] = (byField[f] ?? 0) + c.n;
  }
  const leadership = posts.rows.map((p) => ({
    id: String(p.id),
    post: p.post as never,
    memberId: (p.member_id as string) ?? null,
    personName: (p.person_name as string) ?? null,
    startDate: (p.start_date as string) ?? null,
    termEnd: (p.term_end as string) ?? null,
    vacantSince: (p.vacant_since as string) ?? null,
  }));
  const warnings = await cardWarnings(tx, deps, org.countyCode, [
    { id: String(r.id), kind: org.kind, status: org.status, posts: posts.rows.map(postRow), totalMembers: total },
  ]);
  return {
    ...summary(r, total),
    path: anc.rows.map((a) => ({ id: a.id, name: a.name })),
    category: (r.category as string) ?? null,
    unitSituation: (r.unit_situation as string) ?? null,
    unitName: (r.unit_name as string) ?? null,
    foundedOn: (r.founded_on as string) ?? null,
    themedDay: r.themed_day == null ? null : Number(r.themed_day),
    location: r.lat == null || r.lng == null ? null : { lat: Number(r.lat), lng: Number(r.lng) },
    contactName: (r.contact_name as string) ?? null,
    contactPhoneMasked: (r.contact_phone_masked as string) ?? null,
    termStart: (r.term_start as string) ?? null,
    termEnd: (r.term_end as string) ?? null,
    termYears: (r.term_years as number) ?? null,
    version: Number(r.version),
    leadership,
    counts: { total, direct, full, probationary, byField, children: childCount.rows[0].n },
    warnings: warnings.get(String(r.id)) ?? [],
    committeeQuorum:
      (await loadRuleSettings(tx, org.countyCode)).at('life.committeeQuorum', shanghaiDate(deps.now())) ===
      'moreThanHalf'
        ? ('moreThanHalf' as const)
        : ('atLeastHalf' as const),
    history: history.rows,
  };
}

const KIND_TEXT: Record<string, string> = {
  committee: '党委',
  workingCommittee: '党工委',
  generalBranch: '党总支',
  branch: '党支部',
  jointBranch: '联合党支部',
  temporaryBranch: '临时党支部',
  partyGroup: '党小组',
};

function checkNesting(parentKind: string, kind: string) {
  if (!CHILD_KINDS[parentKind]?.includes(kind)) {
    throw fieldError([{ field: 'kind', message: `组织类型：${KIND_TEXT[parentKind]}下不能设立${KIND_TEXT[kind]}` }]);
  }
}

async function event(
  tx: Tx,
  countyCode: string,
  orgId: string,
  kind: string,
  detail: Record<string, unknown>,
  userId: string | null,
) {
  await tx.execute(
    sql`insert into org_events (county_code, org_id, kind, detail, user_id) values (${countyCode}, ${orgId}, ${kind}, ${JSON.stringify(detail)}::jsonb, ${userId})`,
  );
}

/** The contact phone as stored: sealed to the organization's row and masked (SEC-9, SEC-16), like a member's. */
function sealedContactPhone(deps: Deps, orgId: string, phone: string | null | undefined) {
  const p = phone?.trim();
  if (!p) return { enc: null, masked: null };
  if (!isPhone(p))
    throw fieldError([
      { field: 'contactPhone', message: '联系电话：应为 11 位手机号码或带区号的固定电话（如 0371-12345678）' },
    ]);
  return { enc: deps.crypto.encrypt(p, sealCtx('orgs.contactPhone', orgId)), masked: maskPhone(p) };
}

/** The full contact phone: the reveal permission, a stated reason, an audit entry (SEC-9). */
export async function revealOrgContact(tx: Tx, deps: Deps, user: U, actor: Actor, id: string, reason: string) {
  const org = await orgInScope(tx, user, id);
  const r = await tx.execute<{ contact_phone_enc: string | null }>(
    sql`select o.contact_phone_enc from orgs o where ${inCounty(org.countyCode, 'o')} and o.id = ${id}`,
  );
  await writeAudit(tx, deps.crypto, actor, [
    { action: 'org.reveal', objectType: 'org', objectId: id, detail: { reason } },
  ]);
  const enc = r.rows[0]?.contact_phone_enc;
  return { contactPhone: enc ? deps.crypto.decrypt(enc, sealCtx('orgs.contactPhone', id)) : null };
}

export async function createOrg(tx: Tx, deps: Deps, user: U, actor: Actor, body: z.infer<typeof orgCreate>) {
  const parent = await orgInScope(tx, user, body.parentId);
  if (parent.status !== 'active') throw new AppError('RULE_VIOLATION', '上级党组织已撤销或合并，不能在其下设立组织');
  checkNesting(parent.kind, body.kind);
  const coded = await codeIssues(tx, parent.countyCode, [
    { field: 'category', label: '组织类别', list: 'orgCategory', value: body.category },
  ]);
  if (coded.length) throw fieldError(coded);
  const newId = randomUUID();
  const phone = sealedContactPhone(deps, newId, body.contactPhone);
  // The rules hold an organization to the periods it existed in: without a founding date, it was founded today.
  const foundedOn = body.foundedOn ?? shanghaiDate(deps.now());
  const res = await tx.execute<{ id: string }>(sql`
    insert into orgs (id, county_code, parent_id, path, depth, name, short_name, name_pinyin, name_initials, kind, field, category, division_code, unit_situation, unit_name,
      founded_on, themed_day, contact_name, contact_phone_enc, contact_phone_masked, term_start, term_end, term_years)
    values (${newId}, ${parent.countyCode}, ${parent.id}, '', ${parent.depth + 1}, ${body.name}, ${body.shortName ?? null}, ${pinyinKey(body.name).replace(/ /g, '')},
      ${orgInitials(body.name, await countyNameFor(tx, parent.countyCode))}, ${body.kind}, ${body.field ?? parent.field}, ${body.category ?? null}, ${body.divisionCode ?? null}, ${body.unitSituation ?? null}, ${body.unitName ?? null},
      ${foundedOn}, ${body.themedDay ?? null}, ${body.contactName ?? null}, ${phone.enc}, ${phone.masked}, ${body.termStart ?? null}, ${body.termEnd ?? null}, ${body.termYears ?? null})
    returning id`);
  const id = res.rows[0].id;
  await tx.execute(
    sql`update orgs o set path = ${childPath(parent.path, id)} where ${inCounty(parent.countyCode, 'o')} and o.id = ${id}`,
  );
  await event(
    tx,
    parent.countyCode,
    id,
    'created',
    { parentId: parent.id, parentName: parent.name, name: body.name },
    user.id,
  );
  await writeAudit(tx, deps.crypto, actor, [
    { action: 'org.create', objectType: 'org', objectId: id, detail: { name: body.name, parentId: parent.id } },
  ]);
  await announce(tx, deps, user, parent.countyCode, [id, parent.id], 'founded', [foundedOn]);
  return id;
}

export async function patchOrg(tx: Tx, deps: Deps, user: U, actor: Actor, id: string, body: z.infer<typeof orgPatch>) {
  const org = await orgInScope(tx, user, id);
  if (org.status !== 'active') throw new AppError('RULE_VIOLATION', '该组织已撤销或合并，不能修改');
  if (body.kind && body.kind !== org.kind && org.parentId) {
    const parent = await tx.execute<{ kind: string }>(
      sql`select p.kind from orgs p where ${inCounty(org.countyCode, 'p')} and p.id = ${org.parentId}`,
    );
    checkNesting(parent.rows[0].kind, body.kind);
  }
  const cols: Record<string, string> = {
    name: 'name',
    shortName: 'short_name',
    kind: 'kind',
    field: 'field',
    category: 'category',
    divisionCode: 'division_code',
    unitSituation: 'unit_situation',
    unitName: 'unit_name',
    foundedOn: 'founded_on',
    themedDay: 'themed_day',
    contactName: 'contact_name',
    termStart: 'term_start',
    termEnd: 'term_end',
    termYears: 'term_years',
  };
  const coded = await codeIssues(tx, org.countyCode, [
    { field: 'category', label: '组织类别', list: 'orgCategory', value: body.category },
  ]);
  if (coded.length) throw fieldError(coded);
  if (body.foundedOn === null)
    throw fieldError([{ field: 'foundedOn', message: '成立日期：不能清空，规则按成立日期判断组织应开展的组织生活' }]);
  const before = await tx.execute<{ founded_on: string }>(
    sql`select o.founded_on from orgs o where ${inCounty(org.countyCode, 'o')} and o.id = ${id}`,
  );
  const sets = [];
  const changed: Record<string, unknown> = {};
  if (body.location !== undefined) {
    sets.push(sql`lat = ${body.location?.lat ?? null}`, sql`lng = ${body.location?.lng ?? null}`);
    changed.location = body.location ? '已标注' : '已清除';
  }
  if (body.contactPhone !== undefined) {
    const phone = sealedContactPhone(deps, id, body.contactPhone);
    sets.push(sql`contact_phone_enc = ${phone.enc}`, sql`contact_phone_masked = ${phone.masked}`);
    changed.contactPhone = '（已加密）';
  }
  for (const [k, col] of Object.entries(cols)) {
    const v = (body as Record<string, unknown>)[k];
    if (v !== undefined) {
      sets.push(sql`${sql.raw(col)} = ${v}`);
      changed[k] = v;
    }
  }
  if (body.name) {
    sets.push(sql`name_pinyin = ${pinyinKey(body.name).replace(/ /g, '')}`);
    sets.push(sql`name_initials = ${orgInitials(body.name, await countyNameFor(tx, org.countyCode))}`);
  }
  if (!sets.length) return;
  const res =
    await tx.execute(sql`update orgs o set ${sql.join(sets, sql`, `)}, version = version + 1, updated_at = now()
    where ${inCounty(org.countyCode, 'o')} and o.id = ${id} ${body.version !== undefined ? sql`and o.version = ${body.version}` : sql``}`);
  if (!res.rowCount) throw new AppError('CONFLICT', '该组织已被他人修改，请刷新后重试');
  if (body.name && body.name !== org.name)
    await event(tx, org.countyCode, id, 'renamed', { from: org.name, to: body.name }, user.id);
  else await event(tx, org.countyCode, id, 'updated', { fields: Object.keys(changed) }, user.id);
  await writeAudit(tx, deps.crypto, actor, [
    { action: 'org.update', objectType: 'org', objectId: id, detail: { fields: Object.keys(changed) } },
  ]);
  // What the rules read of an organization (its kind, field, founding and term); a new name or contact changes no check.
  // A founding date moved reaches back to the earlier of the two dates.
  if (Object.keys(changed).some((k) => RULE_FIELDS.has(k)))
    await announce(
      tx,
      deps,
      user,
      org.countyCode,
      [id],
      'updated',
      body.foundedOn ? [body.foundedOn, before.rows[0]?.founded_on].filter((d): d is string => !!d) : [],
    );
}

/** Fields of an organization the rules read. */
const RULE_FIELDS: ReadonlySet<string> = new Set([
  'kind',
  'field',
  'category',
  'foundedOn',
  'termStart',
  'termEnd',
  'termYears',
]);

/** Tell the modules that follow organizations (the rules engine re-checks them) what changed, in this transaction. */
async function announce(
  tx: Tx,
  deps: Deps,
  user: U,
  countyCode: string,
  orgIds: (string | null)[],
  change: OrgChange['change'],
  dates: string[],
): Promise<void> {
  await emit(tx, deps, 'orgs.changed', {
    countyCode,
    orgIds: orgIds.filter((x): x is string => !!x),
    change,
    dates,
    userId: user.id,
  });
}

export async function moveOrg(
  tx: Tx,
  deps: Deps,
  user: U,
  actor: Actor,
  id: string,
  newParentId: string,
  reason: string,
) {
  const org = await orgInScope(tx, user, id);
  const parent = await orgInScope(tx, user, newParentId);
  if (org.path === user.scopePath) throw new AppError('FORBIDDEN', '不能移动您自己所在的顶层组织');
  if (isWithin(parent.path, org.path)) throw new AppError('RULE_VIOLATION', '不能把组织移到它自己的下级组织之下');
  if (parent.status !== 'active') throw new AppError('RULE_VIOLATION', '目标上级组织已撤销');
  checkNesting(parent.kind, org.kind);
  const newPath = childPath(parent.path, id);
  const depthDelta = parent.depth + 1 - org.depth;
  await tx.execute(sql`update orgs o set path = ${newPath} || substr(o.path, ${org.path.length + 1}), depth = o.depth + ${depthDelta}, updated_at = now()
    where ${inSubtree(org)}`);
  await tx.execute(
    sql`update orgs o set parent_id = ${parent.id}, version = o.version + 1 where ${inCounty(org.countyCode, 'o')} and o.id = ${id}`,
  );
  const fromName = org.parentId
    ? (
        await tx.execute<{ name: string }>(
          sql`select p.name from orgs p where ${inCounty(org.countyCode, 'p')} and p.id = ${org.parentId}`,
        )
      ).rows[0]?.name
    : null;
  await event(
    tx,
    org.countyCode,
    id,
    'moved',
    { fromParentId: org.parentId, fromParentName: fromName, toParentId: parent.id, toParentName: parent.name, reason },
    user.id,
  );
  await writeAudit(tx, deps.crypto, actor, [
    { action: 'org.move', objectType: 'org', objectId: id, detail: { from: org.parentId, to: parent.id, reason } },
  ]);
  await announce(tx, deps, user, org.countyCode, [id, org.parentId, parent.id], 'moved', []);
}

/** Close every member's current membership in `fromOrgIds` (of `to`'s county) and open one in `to` (history kept). */
async function transferAllMembers(
  tx: Tx,
  fromOrgIds: string[],
  to: { id: string; name: string; countyCode: string },
  reason: string,
  date: string,
) {
  const ids = sql`${textArray(fromOrgIds)}::uuid[]`;
  const county = to.countyCode;
  await tx.execute(sql`update member_org_history h set to_date = ${date}
    where ${inCounty(county, 'h')} and h.to_date is null and h.member_id in (select m.id from members m where ${inCounty(county, 'm')} and m.org_id = any(${ids}))`);
  await tx.execute(sql`insert into member_org_history (county_code, member_id, org_id, org_name, from_date, reason)
    select m.county_code, m.id, ${to.id}, ${to.name}, ${date}, ${reason} from members m where ${inCounty(county, 'm')} and m.org_id = any(${ids})`);
  const res = await tx.execute(
    sql`update members m set org_id = ${to.id}, version = m.version + 1, updated_at = now() where ${inCounty(county, 'm')} and m.org_id = any(${ids})`,
  );
  return res.rowCount ?? 0;
}

export async function mergeOrg(tx: Tx, deps: Deps, user: U, actor: Actor, id: string, intoId: string, reason: string) {
  const org = await orgInScope(tx, user, id);
  const into = await orgInScope(tx, user, intoId);
  if (id === intoId || isWithin(into.path, org.path))
    throw new AppError('RULE_VIOLATION', '不能合并到自身或自己的下级组织');
  if (org.status !== 'active' || into.status !== 'active')
    throw new AppError('RULE_VIOLATION', '已撤销或合并的组织不能参与合并');
  const kids = await tx.execute<{ n: number }>(
    sql`select count(*)::int as n from orgs c where ${inCounty(org.countyCode, 'c')} and c.parent_id = ${id} and c.status = 'active' and c.kind <> 'partyGroup'`,
  );
  if (kids.rows[0].n > 0) throw new AppError('RULE_VIOLATION', '该组织下还有下级党组织，请先移走或撤销它们');
  const today = shanghaiDate(deps.now());
  const sub = await tx.execute<{ id: string }>(sql`select o.id from orgs o where ${inSubtree(org)}`);
  const moved = await transferAllMembers(
    tx,
    sub.rows.map((r) => r.id),
    into,
    `组织合并：${org.name} 并入 ${into.name}`,
    today,
  );
  await tx.execute(
    sql`update orgs o set status = 'merged', merged_into = ${into.id}, dissolved_on = ${today}, version = o.version + 1, updated_at = now() where ${inSubtree(org)}`,
  );
  await endPostsIn(tx, org, today);
  await event(
    tx,
    org.countyCode,
    id,
    'merged',
    { intoId: into.id, intoName: into.name, members: moved, reason },
    user.id,
  );
  await event(
    tx,
    into.countyCode,
    into.id,
    'absorbed',
    { fromId: id, fromName: org.name, members: moved, reason },
    user.id,
  );
  await writeAudit(tx, deps.crypto, actor, [
    { action: 'org.merge', objectType: 'org', objectId: id, detail: { into: into.id, members: moved, reason } },
  ]);
  await announce(tx, deps, user, org.countyCode, [id, into.id], 'merged', [today]);
  return moved;
}

export async function dissolveOrg(
  tx: Tx,
  deps: Deps,
  user: U,
  actor: Actor,
  id: string,
  reason: string,
  date?: string,
) {
  const org = await orgInScope(tx, user, id);
  if (org.path === user.scopePath) throw new AppError('FORBIDDEN', '不能撤销您自己所在的顶层组织');
  if (org.status !== 'active') throw new AppError('RULE_VIOLATION', '该组织已撤销或合并');
  const kids = await tx.execute<{ n: number }>(
    sql`select count(*)::int as n from orgs c where ${inCounty(org.countyCode, 'c')} and c.parent_id = ${id} and c.status = 'active' and c.kind <> 'partyGroup'`,
  );
  if (kids.rows[0].n > 0) throw new AppError('RULE_VIOLATION', '该组织下还有下级党组织，请先移走或撤销它们');
  const n = await tx.execute<{ n: number }>(
    sql`select count(*)::int as n from members m ${joinOrg('m')} where ${inCounty(org.countyCode, 'm')} and ${inSubtree(org)}`,
  );
  if (n.rows[0].n > 0)
    throw new AppError('RULE_VIOLATION', `该组织还有 ${n.rows[0].n} 名党员，请先转接他们的组织关系或将组织合并`);
  const day = date ?? shanghaiDate(deps.now());
  await tx.execute(
    sql`update orgs o set status = 'dissolved', dissolved_on = ${day}, version = o.version + 1, updated_at = now() where ${inSubtree(org)}`,
  );
  await endPostsIn(tx, org, day);
  await event(tx, org.countyCode, id, 'dissolved', { reason, date: day }, user.id);
  await writeAudit(tx, deps.crypto, actor, [
    { action: 'org.dissolve', objectType: 'org', objectId: id, detail: { reason } },
  ]);
  await announce(tx, deps, user, org.countyCode, [id, org.parentId], 'dissolved', [day]);
}

/** End the current posts of every organization in the subtree of `org` (merged or dissolved). */
async function endPostsIn(tx: Tx, org: Place, day: string) {
  await tx.execute(sql`update org_posts p set ended_on = ${day}
    where ${inCounty(org.countyCode, 'p')} and p.ended_on is null and p.org_id in (select o.id from orgs o where ${inSubtree(org)})`);
}

/** Appoint someone to a post (the previous holder's term ends today), or mark it vacant. */
export async function setPost(
  tx: Tx,
  deps: Deps,
  user: U,
  actor: Actor,
  orgId: string,
  body: z.infer<typeof postWrite>,
) {
  const org = await orgInScope(tx, user, orgId);
  let personName = body.personName ?? null;
  if (body.memberId) {
    const m = await tx.execute<{ name: string }>(
      sql`select m.name from members m ${joinOrg('m')} where ${inCounty(user, 'm')} and m.id = ${body.memberId} and ${orgInScopeSql(user)}`,
    );
    if (!m.rows[0]) throw fieldError([{ field: 'memberId', message: '任职人员：找不到该党员或不在您的管辖范围内' }]);
    personName = m.rows[0].name;
  }
  const today = shanghaiDate(deps.now());
  // The day the change took effect (an election on 20 November registered in December): the previous holder's term ends that day,
  // the new one's (or the vacancy) starts it, so each period is judged by the committee it had (LIFE-2, ORG-5).
  const day = body.startDate ?? today;
  if (body.post !== 'member') {
    await tx.execute(sql`update org_posts p set ended_on = greatest(${day}::date, coalesce(p.start_date, ${day}::date))
      where ${inCounty(org.countyCode, 'p')} and p.org_id = ${orgId} and p.post = ${body.post} and p.ended_on is null`);
  }
  const vacant = !body.memberId && !personName;
  await tx.execute(sql`insert into org_posts (county_code, org_id, post, member_id, person_name, start_date, term_end, vacant_since)
    values (${org.countyCode}, ${orgId}, ${body.post}, ${body.memberId ?? null}, ${personName}, ${vacant ? null : day}, ${body.termEnd ?? null}, ${vacant ? day : null})`);
  await event(
    tx,
    org.countyCode,
    orgId,
    vacant ? 'postVacated' : 'postFilled',
    { post: body.post, personName },
    user.id,
  );
  await writeAudit(tx, deps.crypto, actor, [
    { action: 'org.post', objectType: 'org', objectId: orgId, detail: { post: body.post, vacant } },
  ]);
  await announce(tx, deps, user, org.countyCode, [orgId], 'posts', [day]);
}
