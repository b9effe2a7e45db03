/**
 * The audit log (SEC-12…15): every write and denial, in the same transaction as the change, so a
 * failed audit write fails the action. Rows are hash-chained with HMAC-SM3, one chain per county
 * under that county's advisory lock, so counties never wait on each other (docs/SCALE.md).
 */
import { type SQL, sql } from 'drizzle-orm';
import { auditSentence } from '../../contract/audit-text.ts';
import type { z } from 'zod';
import type { auditQuery } from '../../contract/users.ts';
import { insertColumns } from '../db/bulk.ts';
import type { Tx } from '../db/index.ts';
import type { AuditAnchor, ChainHead } from './anchor.ts';
import type { CryptoProvider } from './crypto.ts';
import { escapeLike, inSubtree, orgInScopeSql } from './access.ts';
import type { SessionUser } from './deps.ts';
import { installationCounty } from './installation.ts';

export interface Actor {
  userId: string | null;
  username: string | null;
  roles: string[];
  orgId: string | null;
  /** The county whose chain the entries join; null: the installation's (system work, an unknown login name). */
  countyCode: string | null;
  ip: string | null;
  requestId: string | null;
}

export interface AuditEntry {
  action: string;
  objectType?: string | null;
  objectId?: string | null;
  result?: 'ok' | 'denied' | 'failed';
  detail?: Record<string, unknown>;
}

/** First key of the two-key advisory lock serializing one county's chain; the second is the county code as a number (no two counties share a lock). */
const CHAIN_LOCK_SPACE = 7_302_001;
export const GENESIS = '0'.repeat(64);

/** How an entry is chained (the chain_rule column). */
export const CHAIN_RULE = {
  /** Written before migration 0010 without a county: global chain, hashed with no county (0010 filled county_code in). */
  legacyNoCounty: 0,
  /** Written before migration 0010: the one global chain, hashed with its county. */
  legacy: 1,
  /** The county's own chain: prev_hash is the hash of the county's previous entry. */
  county: 2,
} as const;

function chainLock(county: string): SQL {
  if (!/^\d{6}$/.test(county)) throw new Error(`审计日志：县级行政区划代码应为 6 位数字，当前为 "${county}"`);
  return sql`select pg_advisory_xact_lock(${CHAIN_LOCK_SPACE}::int, ${Number(county)}::int)`;
}

/** JSON with sorted keys: the same bytes before and after a jsonb round trip. */
export function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(obj[k])}`)
    .join(',')}}`;
}

export interface AuditRowForHash {
  at: string;
  userId: string | null;
  username: string | null;
  roles: string | null;
  orgId: string | null;
  countyCode: string | null;
  ip: string | null;
  action: string;
  objectType: string | null;
  objectId: string | null;
  result: string;
  requestId: string | null;
  detail: unknown;
  prevHash: string;
}

export function rowHash(crypto: CryptoProvider, r: AuditRowForHash): string {
  return crypto.auditMac(
    canonical([
      r.at,
      r.userId,
      r.username,
      r.roles,
      r.orgId,
      r.countyCode,
      r.ip,
      r.action,
      r.objectType,
      r.objectId,
      r.result,
      r.requestId,
      r.detail,
      r.prevHash,
    ]),
  );
}

/**
 * The names an auditor reads, as they are at the time of the action (SEC-12): the account's display
 * name and organization, and each object's name. Kept in the (hashed) detail, so a later rename does
 * not rewrite history and an edit of the names is caught by the chain.
 */
async function namesAtTheTime(
  tx: Tx,
  county: string,
  actor: Actor,
  entries: AuditEntry[],
): Promise<{ actorName: string | null; actorOrgName: string | null; objects: Map<string, string> }> {
  const ids = (type: string) => [
    ...new Set(
      entries
        .filter((e) => e.objectType === type && e.objectId && UUID.test(e.objectId))
        .map((e) => e.objectId as string),
    ),
  ];
  const members = ids('member');
  const orgs = ids('org');
  const users = ids('user');
  const objects = new Map<string, string>();
  // Nothing to name (system and unknown-user entries): no query on that path.
  if (!actor.userId && !actor.orgId && !members.length && !orgs.length && !users.length)
    return { actorName: null, actorOrgName: null, objects };
  const res = await tx.execute<{ kind: string; id: string; name: string }>(sql`
    select 'actor' as kind, id::text, display_name as name from users where county_code = ${county} and id = ${actor.userId ?? null}::uuid
    union all select 'actorOrg', id::text, name from orgs where county_code = ${county} and id = ${actor.orgId ?? null}::uuid
    union all select 'member', id::text, name from members where county_code = ${county} and id = any(${sql.param(members)}::uuid[])
    union all select 'org', id::text, name from orgs where county_code = ${county} and id = any(${sql.param(orgs)}::uuid[])
    union all select 'user', id::text, display_name || '（' || username || '）' from users where county_code = ${county} and id = any(${sql.param(users)}::uuid[])`);
  let actorName: string | null = null;
  let actorOrgName: string | null = null;
  for (const r of res.rows) {
    if (r.kind === 'actor') actorName = r.name;
    else if (r.kind === 'actorOrg') actorOrgName = r.name;
    else objects.set(`${r.kind}:${r.id}`, r.name);
  }
  return { actorName, actorOrgName, objects };
}
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Append entries for one actor inside the caller's transaction, to the chain of the actor's county
 * (the installation's for an actor without one): under that county's lock, each entry linked to the
 * county's previous one.
 */
export async function writeAudit(tx: Tx, crypto: CryptoProvider, actor: Actor, entries: AuditEntry[]): Promise<void> {
  if (!entries.length) return;
  const county = actor.countyCode ?? (await installationCounty(tx));
  const names = await namesAtTheTime(tx, county, actor, entries);
  await tx.execute(chainLock(county));
  const last = await tx.execute<{ hash: string }>(
    sql`select hash from audit_log where county_code = ${county} order by seq desc limit 1`,
  );
  let prev = last.rows[0]?.hash ?? GENESIS;
  const at = new Date().toISOString();
  const rows: AuditRowForHash[] = [];
  for (const e of entries) {
    const r: AuditRowForHash = {
      at,
      userId: actor.userId,
      username: actor.username,
      roles: actor.roles.join(',') || null,
      orgId: actor.orgId,
      countyCode: county,
      ip: actor.ip,
      action: e.action,
      objectType: e.objectType ?? null,
      objectId: e.objectId ?? null,
      result: e.result ?? 'ok',
      requestId: actor.requestId,
      detail: JSON.parse(
        canonical({
          ...(e.detail ?? {}),
          ...(names.actorName ? { actorName: names.actorName } : {}),
          ...(names.actorOrgName ? { actorOrgName: names.actorOrgName } : {}),
          ...(e.objectType && e.objectId && names.objects.has(`${e.objectType}:${e.objectId}`)
            ? { objectName: names.objects.get(`${e.objectType}:${e.objectId}`) }
            : {}),
        }),
      ),
      prevHash: prev,
    };
    const hash = rowHash(crypto, r);
    rows.push({ ...r, hash } as AuditRowForHash & { hash: string });
    prev = hash;
  }
  const cols: [string, string][] = [
    ['at', 'timestamptz'],
    ['user_id', 'uuid'],
    ['username', 'text'],
    ['roles', 'text'],
    ['org_id', 'uuid'],
    ['county_code', 'text'],
    ['ip', 'text'],
    ['action', 'text'],
    ['object_type', 'text'],
    ['object_id', 'text'],
    ['result', 'text'],
    ['request_id', 'text'],
    ['detail', 'jsonb'],
    ['prev_hash', 'text'],
    ['hash', 'text'],
    ['chain_rule', 'int2'],
  ];
  // Column arrays keep the order of the chain: unnest yields rows in array order and seq follows it.
  await insertColumns(
    tx,
    'audit_log',
    cols,
    (rows as (AuditRowForHash & { hash: string })[]).map((r) => [
      r.at,
      r.userId,
      r.username,
      r.roles,
      r.orgId,
      r.countyCode,
      r.ip,
      r.action,
      r.objectType,
      r.objectId,
      r.result,
      r.requestId,
      JSON.stringify(r.detail),
      r.prevHash,
      r.hash,
      CHAIN_RULE.county,
    ]),
  );
}

export interface AuditProblem {
  /** The entry's sequence number; 0 for a problem of the anchor file itself. */
  seq: number;
  /** The chain the problem is in; null for the anchor file. */
  county: string | null;
  problem: string;
}

/** One county's chain. */
export interface CountyVerifyResult {
  county: string;
  ok: boolean;
  checked: number;
  problems: AuditProblem[];
  /** The head anchored outside the database for this county, when an anchor was given and holds one. */
  anchored?: ChainHead | null;
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  /** Every problem, of every county and of the anchor file. */
  problems: AuditProblem[];
  /** Each county's chain on its own. */
  counties: CountyVerifyResult[];
}

const ROW_COLS = sql`seq, to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at, user_id, username, roles, org_id, county_code, ip, action, object_type, object_id, result, request_id, detail, prev_hash, hash, chain_rule`;

function hashInput(row: Record<string, unknown>): AuditRowForHash {
  return {
    at: String(row.at),
    userId: row.user_id as string | null,
    username: row.username as string | null,
    roles: row.roles as string | null,
    orgId: row.org_id as string | null,
    // An entry written before 0010 without a county was hashed with none.
    countyCode: Number(row.chain_rule) === CHAIN_RULE.legacyNoCounty ? null : (row.county_code as string),
    ip: row.ip as string | null,
    action: String(row.action),
    objectType: row.object_type as string | null,
    objectId: row.object_id as string | null,
    result: String(row.result),
    requestId: row.request_id as string | null,
    detail: row.detail,
    prevHash: String(row.prev_hash),
  };
}

/** The counties that have entries, from the primary key (a skip scan, not a pass over the table). */
export async function auditCounties(db: Tx): Promise<string[]> {
  const r = await db.execute<{ cc: string }>(sql`
    with recursive c as (
      select min(county_code) as cc from audit_log
      union all select (select min(county_code) from audit_log where county_code > c.cc) from c where c.cc is not null)
    select cc from c where cc is not null`);
  return r.rows.map((x) => String(x.cc));
}

const LINK_BROKEN = '链接断开：上一条记录缺失或被改动';
const HASH_MISMATCH = '内容与哈希不符：记录被改动';

/**
 * Walk each county's chain in order and report entries whose hash or link does not match (altered or
 * missing entries), per county; entries from before migration 0010 are checked as the one global chain
 * they were written in. With the anchor (SEC-32), also a county's chain that ends before its anchored
 * head (a deleted tail) or whose anchored entry changed, and an anchor file that fails its MAC.
 * `only` limits the walk to one county.
 */
export async function verifyAudit(
  db: Tx,
  crypto: CryptoProvider,
  anchor?: AuditAnchor,
  only?: string,
): Promise<VerifyResult> {
  const fileProblems: AuditProblem[] = [];
  let heads: Record<string, ChainHead> = {};
  if (anchor) {
    // Read before the walk: a head anchored while we walk is then still inside the rows we see.
    const state = anchor.read();
    heads = state.heads;
    if (state.problem) fileProblems.push({ seq: 0, county: null, problem: state.problem });
    else if (!state.exists)
      fileProblems.push({
        seq: 0,
        county: null,
        problem: `未找到审计日志锚定文件 ${anchor.file}：无法确认末尾记录是否完整（平台运行时会自动生成）`,
      });
  }
  const byCounty = new Map<string, CountyVerifyResult>();
  const result = (county: string) => {
    let r = byCounty.get(county);
    if (!r) {
      r = { county, ok: true, checked: 0, problems: [], ...(anchor ? { anchored: heads[county] ?? null } : {}) };
      byCounty.set(county, r);
    }
    return r;
  };
  const counties = [...new Set([...(await auditCounties(db)), ...Object.keys(heads)])]
    .filter((c) => !only || c === only)
    .sort();
  for (const c of counties) result(c);

  // Entries from before the per-county chains: one global chain in sequence order.
  let legacyInstallation: string | null | undefined;
  let prevLegacy = GENESIS;
  for (let after = 0; ; ) {
    const res = await db.execute<Record<string, unknown>>(
      sql`select ${ROW_COLS} from audit_log where chain_rule < ${CHAIN_RULE.county} and seq > ${after} order by seq limit 5000`,
    );
    if (!res.rows.length) break;
    for (const row of res.rows) {
      const seq = Number(row.seq);
      const county = String(row.county_code);
      after = seq;
      const r = hashInput(row);
      const mine = !only || county === only;
      if (mine && r.prevHash !== prevLegacy) result(county).problems.push({ seq, county, problem: LINK_BROKEN });
      if (mine && rowHash(crypto, r) !== row.hash)
        result(county).problems.push({ seq, county, problem: HASH_MISMATCH });
      if (mine && Number(row.chain_rule) === CHAIN_RULE.legacyNoCounty) {
        // Migration 0010 gave these the installation's county; their hash covers none, so check that here.
        legacyInstallation ??= await installationCounty(db).catch(() => null);
        if (legacyInstallation && county !== legacyInstallation) {
          result(county).problems.push({
            seq,
            county,
            problem: `迁移前未记县代码的记录应属本安装（${legacyInstallation}），现为 ${county}：记录被改动`,
          });
        }
      }
      prevLegacy = String(row.hash);
    }
  }

  // Each county's chain: an entry links to the county's previous entry (of any rule).
  for (const county of counties) {
    const out = result(county);
    const anchored = heads[county];
    let prev = GENESIS;
    let last = 0;
    let anchoredHash: string | null = null;
    for (;;) {
      const res = await db.execute<Record<string, unknown>>(
        sql`select ${ROW_COLS} from audit_log where county_code = ${county} and seq > ${last} order by seq limit 5000`,
      );
      if (!res.rows.length) break;
      for (const row of res.rows) {
        const seq = Number(row.seq);
        if (Number(row.chain_rule) === CHAIN_RULE.county) {
          const r = hashInput(row);
          if (r.prevHash !== prev) out.problems.push({ seq, county, problem: LINK_BROKEN });
          if (rowHash(crypto, r) !== row.hash) out.problems.push({ seq, county, problem: HASH_MISMATCH });
        }
        prev = String(row.hash);
        last = seq;
        out.checked++;
        if (anchored && seq === anchored.seq) anchoredHash = String(row.hash);
      }
    }
    if (anchored) {
      if (last < anchored.seq) {
        out.problems.push({
          seq: anchored.seq,
          county,
          problem: `审计日志末尾记录缺失（${county}）：锚定的最新记录为序号 ${anchored.seq}（${anchored.at} 锚定），表中最后一条为序号 ${last || '（无）'}，序号 ${last + 1} 至 ${anchored.seq} 之间本县的记录被删除`,
        });
      } else if (anchoredHash === null) {
        out.problems.push({
          seq: anchored.seq,
          county,
          problem: `审计日志锚定的记录（${county}，序号 ${anchored.seq}）不在表中：记录被删除`,
        });
      } else if (anchoredHash !== anchored.hash) {
        out.problems.push({
          seq: anchored.seq,
          county,
          problem: `审计日志锚定的记录（${county}，序号 ${anchored.seq}）哈希与锚定值不符：记录被替换`,
        });
      }
    }
    out.problems.sort((a, b) => a.seq - b.seq);
    out.ok = out.problems.length === 0;
  }
  const list = counties.map((c) => result(c));
  const problems = [...fileProblems, ...list.flatMap((c) => c.problems)];
  return { ok: problems.length === 0, checked: list.reduce((n, c) => n + c.checked, 0), problems, counties: list };
}

/**
 * What an auditor may read (SEC-8, SEC-10): entries of their county whose actor organization lies in
 * their subtree. Entries without an organization (the system, the CLI, a login by an unknown name;
 * those that concern no county are the installation's) only for an auditor at the county root.
 * Auditors belong at the county committee anyway; the scope makes a misplaced one harmless.
 */
export function auditScopeSql(user: Pick<SessionUser, 'scopePath' | 'countyCode'>): SQL {
  const atRoot = user.scopePath.split('/').filter(Boolean).length === 1;
  const inSubtree = sql`a.org_id in (select o.id from orgs o where ${orgInScopeSql(user)})`;
  return sql`(a.county_code = ${user.countyCode} and ${atRoot ? sql`(a.org_id is null or ${inSubtree})` : inSubtree})`;
}

/** One page of the audit log as the auditor may see it, newest first. */
function readable(a: Record<string, unknown>) {
  const detail = (a.detail as Record<string, unknown>) ?? {};
  const str = (k: string) => (typeof detail[k] === 'string' ? (detail[k] as string) : null);
  return {
    actorName: str('actorName'),
    actorOrgName: str('actorOrgName'),
    objectName: str('objectName'),
    summary: auditSentence({
      action: String(a.action),
      result: String(a.result),
      objectType: (a.object_type as string) ?? null,
      detail,
    }),
  };
}

export async function queryAudit(
  db: Tx,
  user: Pick<SessionUser, 'scopePath' | 'countyCode'>,
  q: z.infer<typeof auditQuery>,
) {
  const conds = [auditScopeSql(user)];
  if (q.username) conds.push(sql`a.username = ${q.username}`);
  if (q.person)
    conds.push(
      sql`(a.username ilike ${`%${escapeLike(q.person)}%`} or a.detail->>'actorName' like ${`%${escapeLike(q.person)}%`})`,
    );
  if (q.orgId) {
    // The organization through the scope: one outside it filters to nothing (the list stays scoped anyway).
    const org = await db.execute<{ path: string }>(
      sql`select o.path from orgs o where ${orgInScopeSql(user)} and o.id = ${q.orgId}`,
    );
    const place = org.rows[0] ? { countyCode: user.countyCode, path: org.rows[0].path } : null;
    conds.push(place ? sql`a.org_id in (select o.id from orgs o where ${inSubtree(place)})` : sql`false`);
  }
  if (q.action) conds.push(sql`a.action like ${`${escapeLike(q.action)}%`}`);
  if (q.result) conds.push(sql`a.result = ${q.result}`);
  if (q.from) conds.push(sql`a.at >= ${q.from}::timestamptz`);
  if (q.to) conds.push(sql`a.at < ${q.to}::timestamptz + interval '1 day'`);
  const where = sql.join(conds, sql` and `);
  const total = await db.execute<{ n: number }>(sql`select count(*)::int as n from audit_log a where ${where}`);
  const rows = await db.execute<Record<string, unknown>>(
    sql`select a.* from audit_log a where ${where} order by a.seq desc limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`,
  );
  return {
    items: rows.rows.map((a) => ({
      seq: Number(a.seq),
      at: new Date(String(a.at)).toISOString(),
      username: (a.username as string) ?? null,
      roles: (a.roles as string) ?? null,
      orgId: (a.org_id as string) ?? null,
      ip: (a.ip as string) ?? null,
      action: String(a.action),
      objectType: (a.object_type as string) ?? null,
      objectId: (a.object_id as string) ?? null,
      result: String(a.result),
      requestId: (a.request_id as string) ?? null,
      detail: (a.detail as Record<string, unknown>) ?? {},
      ...readable(a),
    })),
    total: total.rows[0].n,
    page: q.page,
    pageSize: q.pageSize,
  };
}
