/**
 * The audit log (SEC-12…15): every write and denial, in the same transaction as the change, so a
 * failed audit write fails the action. Rows are hash-chained with HMAC-SM3 under an advisory lock.
 */
import { type SQL, sql } from 'drizzle-orm';
import { auditSentence } from '../../contract/audit-text.ts';
import type { z } from 'zod';
import type { auditQuery } from '../../contract/users.ts';
import { insertColumns } from '../db/bulk.ts';
import type { Tx } from '../db/index.ts';
import type { AuditAnchor, ChainHead } from './anchor.ts';
import type { CryptoProvider } from './crypto.ts';
import type { SessionUser } from './deps.ts';
import { escapeLike } from './scope.ts';

export interface Actor {
  userId: string | null;
  username: string | null;
  roles: string[];
  orgId: string | null;
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

const CHAIN_LOCK = 7_302_001; // advisory lock key serializing the chain
export const GENESIS = '0'.repeat(64);

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
    canonical([r.at, r.userId, r.username, r.roles, r.orgId, r.countyCode, r.ip, r.action, r.objectType, r.objectId, r.result, r.requestId, r.detail, r.prevHash]),
  );
}

/**
 * The names an auditor reads, as they are at the time of the action (SEC-12): the account's display
 * name and organization, and each object's name. Kept in the (hashed) detail, so a later rename does
 * not rewrite history and an edit of the names is caught by the chain.
 */
async function namesAtTheTime(tx: Tx, actor: Actor, entries: AuditEntry[]): Promise<{ actorName: string | null; actorOrgName: string | null; objects: Map<string, string> }> {
  const ids = (type: string) => [...new Set(entries.filter((e) => e.objectType === type && e.objectId && UUID.test(e.objectId)).map((e) => e.objectId as string))];
  const members = ids('member');
  const orgs = ids('org');
  const users = ids('user');
  const objects = new Map<string, string>();
  // Nothing to name (system and unknown-user entries): no query on that path.
  if (!actor.userId && !actor.orgId && !members.length && !orgs.length && !users.length) return { actorName: null, actorOrgName: null, objects };
  const res = await tx.execute<{ kind: string; id: string; name: string }>(sql`
    select 'actor' as kind, id::text, display_name as name from users where id = ${actor.userId ?? null}::uuid
    union all select 'actorOrg', id::text, name from orgs where id = ${actor.orgId ?? null}::uuid
    union all select 'member', id::text, name from members where id = any(${sql.param(members)}::uuid[])
    union all select 'org', id::text, name from orgs where id = any(${sql.param(orgs)}::uuid[])
    union all select 'user', id::text, display_name || '（' || username || '）' from users where id = any(${sql.param(users)}::uuid[])`);
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

/** Append entries for one actor inside the caller's transaction. */
export async function writeAudit(tx: Tx, crypto: CryptoProvider, actor: Actor, entries: AuditEntry[]): Promise<void> {
  if (!entries.length) return;
  const names = await namesAtTheTime(tx, actor, entries);
  await tx.execute(sql`select pg_advisory_xact_lock(${CHAIN_LOCK})`);
  const last = await tx.execute<{ hash: string }>(sql`select hash from audit_log order by seq desc limit 1`);
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
      countyCode: actor.countyCode,
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
          ...(e.objectType && e.objectId && names.objects.has(`${e.objectType}:${e.objectId}`) ? { objectName: names.objects.get(`${e.objectType}:${e.objectId}`) } : {}),
        }),
      ),
      prevHash: prev,
    };
    const hash = rowHash(crypto, r);
    rows.push({ ...r, hash } as AuditRowForHash & { hash: string });
    prev = hash;
  }
  const cols: [string, string][] = [
    ['at', 'timestamptz'], ['user_id', 'uuid'], ['username', 'text'], ['roles', 'text'], ['org_id', 'uuid'], ['county_code', 'text'], ['ip', 'text'],
    ['action', 'text'], ['object_type', 'text'], ['object_id', 'text'], ['result', 'text'], ['request_id', 'text'], ['detail', 'jsonb'], ['prev_hash', 'text'], ['hash', 'text'],
  ];
  // Column arrays keep the order of the chain: unnest yields rows in array order and seq follows it.
  await insertColumns(
    tx,
    'audit_log',
    cols,
    (rows as (AuditRowForHash & { hash: string })[]).map((r) => [r.at, r.userId, r.username, r.roles, r.orgId, r.countyCode, r.ip, r.action, r.objectType, r.objectId, r.result, r.requestId, JSON.stringify(r.detail), r.prevHash, r.hash]),
  );
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  problems: { seq: number; problem: string }[];
  /** The head anchored outside the database, when an anchor was given and holds one. */
  anchored?: ChainHead | null;
}

/**
 * Walk the chain in order; report rows whose hash or link does not match (altered or missing rows).
 * With the anchor (SEC-32), also a chain that ends before the anchored head (a deleted tail) or whose
 * anchored row changed, and an anchor file that fails its MAC.
 */
export async function verifyAudit(db: Tx, crypto: CryptoProvider, anchor?: AuditAnchor): Promise<VerifyResult> {
  const problems: { seq: number; problem: string }[] = [];
  let prev = GENESIS;
  let checked = 0;
  let after = 0;
  let anchored: ChainHead | null | undefined;
  let anchoredHash: string | null = null;
  if (anchor) {
    // Read before the walk: a head anchored while we walk is then still inside the rows we see.
    const state = anchor.read();
    anchored = state.heads[await anchor.chain(db)] ?? null;
    if (state.problem) problems.push({ seq: 0, problem: state.problem });
    else if (!state.exists) problems.push({ seq: 0, problem: `未找到审计日志锚定文件 ${anchor.file}：无法确认末尾记录是否完整（平台运行时会自动生成）` });
  }
  for (;;) {
    const res = await db.execute<Record<string, unknown>>(
      sql`select seq, to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at, user_id, username, roles, org_id, county_code, ip, action, object_type, object_id, result, request_id, detail, prev_hash, hash from audit_log where seq > ${after} order by seq limit 5000`,
    );
    if (!res.rows.length) break;
    for (const row of res.rows) {
      const r: AuditRowForHash = {
        at: String(row.at),
        userId: row.user_id as string | null,
        username: row.username as string | null,
        roles: row.roles as string | null,
        orgId: row.org_id as string | null,
        countyCode: row.county_code as string | null,
        ip: row.ip as string | null,
        action: String(row.action),
        objectType: row.object_type as string | null,
        objectId: row.object_id as string | null,
        result: String(row.result),
        requestId: row.request_id as string | null,
        detail: row.detail,
        prevHash: String(row.prev_hash),
      };
      const seq = Number(row.seq);
      if (r.prevHash !== prev) problems.push({ seq, problem: '链接断开：上一条记录缺失或被改动' });
      if (rowHash(crypto, r) !== row.hash) problems.push({ seq, problem: '内容与哈希不符：记录被改动' });
      prev = String(row.hash);
      after = seq;
      checked++;
      if (anchored && seq === anchored.seq) anchoredHash = String(row.hash);
    }
  }
  if (anchored) {
    if (after < anchored.seq) {
      problems.push({
        seq: anchored.seq,
        problem: `审计日志末尾记录缺失：锚定的最新记录为序号 ${anchored.seq}（${anchored.at} 锚定），表中最后一条为序号 ${after || '（无）'}，序号 ${after + 1} 至 ${anchored.seq} 的记录被删除`,
      });
    } else if (anchoredHash === null) {
      problems.push({ seq: anchored.seq, problem: `审计日志锚定的记录（序号 ${anchored.seq}）不在表中：记录被删除` });
    } else if (anchoredHash !== anchored.hash) {
      problems.push({ seq: anchored.seq, problem: `审计日志锚定的记录（序号 ${anchored.seq}）哈希与锚定值不符：记录被替换` });
    }
  }
  return { ok: problems.length === 0, checked, problems, ...(anchor ? { anchored } : {}) };
}

/**
 * What an auditor may read (SEC-8, SEC-10): entries of their county whose actor organization lies in
 * their subtree. Entries without an organization (the system, the CLI, a login by an unknown name)
 * only for an auditor at the county root. Auditors belong at the county committee anyway; the scope
 * makes a misplaced one harmless.
 */
export function auditScopeSql(user: Pick<SessionUser, 'scopePath' | 'countyCode'>): SQL {
  const atRoot = user.scopePath.split('/').filter(Boolean).length === 1;
  const inSubtree = sql`a.county_code = ${user.countyCode} and a.org_id in (select o.id from orgs o where o.path like ${`${escapeLike(user.scopePath)}%`})`;
  return atRoot ? sql`((${inSubtree}) or (a.org_id is null and (a.county_code is null or a.county_code = ${user.countyCode})))` : sql`(${inSubtree})`;
}

/** One page of the audit log as the auditor may see it, newest first. */
function readable(a: Record<string, unknown>) {
  const detail = (a.detail as Record<string, unknown>) ?? {};
  const str = (k: string) => (typeof detail[k] === 'string' ? (detail[k] as string) : null);
  return {
    actorName: str('actorName'),
    actorOrgName: str('actorOrgName'),
    objectName: str('objectName'),
    summary: auditSentence({ action: String(a.action), result: String(a.result), objectType: (a.object_type as string) ?? null, detail }),
  };
}

export async function queryAudit(db: Tx, user: Pick<SessionUser, 'scopePath' | 'countyCode'>, q: z.infer<typeof auditQuery>) {
  const conds = [auditScopeSql(user)];
  if (q.username) conds.push(sql`a.username = ${q.username}`);
  if (q.person) conds.push(sql`(a.username ilike ${`%${escapeLike(q.person)}%`} or a.detail->>'actorName' like ${`%${escapeLike(q.person)}%`})`);
  if (q.orgId) conds.push(sql`a.org_id in (select o.id from orgs o where o.path like (select p.path from orgs p where p.id = ${q.orgId}) || '%')`);
  if (q.action) conds.push(sql`a.action like ${`${escapeLike(q.action)}%`}`);
  if (q.result) conds.push(sql`a.result = ${q.result}`);
  if (q.from) conds.push(sql`a.at >= ${q.from}::timestamptz`);
  if (q.to) conds.push(sql`a.at < ${q.to}::timestamptz + interval '1 day'`);
  const where = sql.join(conds, sql` and `);
  const total = await db.execute<{ n: number }>(sql`select count(*)::int as n from audit_log a where ${where}`);
  const rows = await db.execute<Record<string, unknown>>(sql`select a.* from audit_log a where ${where} order by a.seq desc limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`);
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
