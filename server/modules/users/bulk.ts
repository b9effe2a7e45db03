/**
 * Rolling out accounts (issue: a county has hundreds of branches): one account for every organization
 * of the chosen kinds in a subtree, named after its secretary, each with a one-time password that
 * must be changed at first login. The sheet of passwords is returned once and never stored (SEC-1).
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { bulkCreateBody } from '../../../contract/users.ts';
import type { Tx } from '../../db/index.ts';
import { type Actor, writeAudit } from '../../platform/audit.ts';
import type { Deps, SessionUser } from '../../platform/deps.ts';
import { AppError, fieldError } from '../../platform/errors.ts';
import { hashPassword, typeablePassword } from '../../platform/passwords.ts';
import { getSetting } from '../../platform/settings.ts';
import { namePinyin } from '../../platform/pinyin.ts';
import { inSubtree, orgInScope, roleAssignmentProblems } from '../../platform/access.ts';
import { addRow, addSheet, createWorkbook, FORMULA_START, setColumns } from '../../platform/xlsx-cells.ts';
import { insertUsers } from './service.ts';
import { shanghaiMinute } from '../../platform/calendar.ts';

/** Which organizations each role is rolled out to. */
export const BULK_KINDS: Record<string, string[]> = {
  branchSecretary: ['branch', 'jointBranch', 'temporaryBranch', 'generalBranch'],
  orgAdmin: ['committee', 'workingCommittee', 'generalBranch'],
};

export const BULK_MAX = 2000;

export interface PlannedAccount {
  orgId: string;
  orgName: string;
  displayName: string;
  username: string;
}

interface Plan {
  accounts: PlannedAccount[];
  skipped: { orgName: string; reason: string }[];
}

/** The accounts a rollout would create: secretaries' names in pinyin (or the organization's initials), unique, skipping organizations that have one. */
async function plan(tx: Tx, user: SessionUser, body: z.infer<typeof bulkCreateBody>): Promise<Plan> {
  const top = await orgInScope(tx, user, body.orgId);
  const kinds = BULK_KINDS[body.role];
  // Every active organization of the subtree (to order them as the tree reads), with the current
  // secretary of those rolled out to: who they are (the member, or the name of one who is not) and their name.
  const res = await tx.execute<{
    id: string;
    parent_id: string | null;
    name: string;
    short_name: string | null;
    kind: string;
    depth: number;
    sort_order: number;
    name_initials: string | null;
    wanted: boolean;
    secretary: string | null;
    secretary_key: string | null;
    has_account: boolean;
  }>(sql`
    select o.id, o.parent_id, o.name, o.short_name, o.kind, o.depth, o.sort_order, o.name_initials, s.wanted, sec.name as secretary, sec.key as secretary_key,
      s.wanted and exists (select 1 from users u where u.county_code = o.county_code and u.org_id = o.id and ${body.role} = any(u.roles) and not u.disabled) as has_account
    from orgs o
    cross join lateral (select o.kind = any(${sql.param(kinds)}::text[]) and o.id <> ${user.orgId} as wanted) s
    left join lateral (
      select coalesce(m.name, p.person_name) as name, coalesce(p.member_id::text, 'name:' || p.person_name) as key
      from org_posts p left join members m on m.county_code = p.county_code and m.id = p.member_id
      where s.wanted and p.county_code = o.county_code and p.org_id = o.id and p.post = 'secretary' and p.ended_on is null and p.vacant_since is null
      order by p.start_date desc nulls last limit 1) sec on true
    where ${inSubtree(top)} and o.status = 'active'`);
  const rows = treeOrder(res.rows).filter((o) => o.wanted);
  const byId = new Map(res.rows.map((o) => [o.id, o]));
  const out: Plan = { accounts: [], skipped: [] };
  const wanted: { o: (typeof res.rows)[number]; base: string }[] = [];
  for (const o of rows) {
    if (o.has_account) {
      out.skipped.push({ orgName: o.name, reason: '已有该角色的账号' });
      continue;
    }
    // One person, one account: the secretary of a 总支 (or a 党委) who is also secretary of one of its
    // branches gets the account of the wider one, whose scope takes in the branch.
    const above = o.secretary_key
      ? ancestorsOf(o, byId).find((a) => a.wanted && a.secretary_key === o.secretary_key)
      : undefined;
    if (above) {
      out.skipped.push({
        orgName: o.name,
        reason: `书记${o.secretary}同时是${above.short_name || above.name}的书记，用其账号管理（一人一个账号）`,
      });
      continue;
    }
    const problems = roleAssignmentProblems({
      granter: { userId: user.id, roles: user.roles },
      targetId: null,
      roles: [body.role],
      org: { depth: o.depth, kind: o.kind },
    });
    if (problems.length) {
      out.skipped.push({ orgName: o.name, reason: problems.join('；') });
      continue;
    }
    // zhangsan, zhangsan2…; without a secretary the organization's initials (e.g. jyc for 甲一村).
    let base = (o.secretary ? namePinyin(o.secretary).full : (o.name_initials ?? '').split(' ')[0])
      .replace(/[^a-z0-9]/g, '')
      .slice(0, 28);
    if (base.length < 3) base = `${base}zb${o.id.slice(0, 4)}`.slice(0, 28);
    wanted.push({ o, base });
  }
  // Login names are unique within the county: the county's names that start like ours.
  const prefixes = [...new Set(wanted.map((w) => `${w.base}%`))]; // a base is [a-z0-9] only: nothing to escape
  const taken = new Set(
    prefixes.length
      ? (
          await tx.execute<{ u: string }>(
            sql`select lower(u.username) as u from users u where u.county_code = ${user.countyCode} and lower(u.username) like any(${sql.param(prefixes)}::text[])`,
          )
        ).rows.map((r) => r.u)
      : [],
  );
  for (const { o, base } of wanted) {
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base}${n}`;
    taken.add(name);
    const label = o.short_name || o.name.replace(/^中共/, '');
    out.accounts.push({
      orgId: o.id,
      orgName: o.name,
      username: name,
      displayName: o.secretary ?? `${label}${body.role === 'branchSecretary' ? '书记' : '管理员'}`.slice(0, 30),
    });
  }
  if (out.accounts.length > BULK_MAX)
    throw fieldError([
      { field: 'orgId', message: `党组织：一次最多开通 ${BULK_MAX} 个账号，请选择下一级组织分批开通` },
    ]);
  return out;
}

/** The organizations above `o` within the rows read (nearest first). */
function ancestorsOf<O extends { parent_id: string | null }>(o: O, byId: Map<string, O & { id: string }>): O[] {
  const out: O[] = [];
  for (let p = o.parent_id ? byId.get(o.parent_id) : undefined; p; p = p.parent_id ? byId.get(p.parent_id) : undefined)
    out.push(p);
  return out;
}

const CHINESE_DIGITS: Record<string, number> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};

/** A Chinese number up to 99 (一, 十二, 二十, 九十九) as a number, or null. */
export function chineseNumber(s: string): number | null {
  const m = /^(?:([一二两三四五六七八九])?十)?([一二两三四五六七八九零〇])?$/.exec(s);
  if (!m || !s) return null;
  if (!s.includes('十')) return m[2] !== undefined ? CHINESE_DIGITS[m[2]] : null;
  return (m[1] ? CHINESE_DIGITS[m[1]] : 1) * 10 + (m[2] ? CHINESE_DIGITS[m[2]] : 0);
}

/** A name compared with Chinese ordinals read as numbers: 第二 before 第十, 第三 before 第十二. */
export function ordinalSortKey(name: string): string {
  return name.replace(/第([一二两三四五六七八九十零〇]+)/g, (whole, n: string) => {
    const v = chineseNumber(n);
    return v === null ? whole : `第${String(v).padStart(4, '0')}`;
  });
}

const collator = new Intl.Collator('zh-CN', { numeric: true });

/** The organizations in the order the tree reads: each under its parent, siblings by their order, then by name with ordinals as numbers. */
export function treeOrder<O extends { id: string; parent_id: string | null; name: string; sort_order: number }>(
  rows: O[],
): O[] {
  const ids = new Set(rows.map((r) => r.id));
  const children = new Map<string | null, O[]>();
  for (const r of rows) {
    const parent = r.parent_id && ids.has(r.parent_id) ? r.parent_id : null;
    children.set(parent, [...(children.get(parent) ?? []), r]);
  }
  const out: O[] = [];
  const walk = (parent: string | null) => {
    const list = (children.get(parent) ?? []).sort(
      (a, b) => a.sort_order - b.sort_order || collator.compare(ordinalSortKey(a.name), ordinalSortKey(b.name)),
    );
    for (const r of list) {
      out.push(r);
      walk(r.id);
    }
  };
  walk(null);
  return out;
}

export async function previewBulk(tx: Tx, user: SessionUser, body: z.infer<typeof bulkCreateBody>): Promise<Plan> {
  return plan(tx, user, body);
}

/**
 * Create them. Passwords are generated and hashed before the transaction opens (argon2id takes tens
 * of milliseconds each); the plan is recomputed inside it so a concurrent rollout cannot double up.
 */
export async function createBulk(deps: Deps, user: SessionUser, actor: Actor, body: z.infer<typeof bulkCreateBody>) {
  const db = deps.database.db;
  const preview = await plan(db, user, body);
  if (!preview.accounts.length)
    throw new AppError('RULE_VIOLATION', '所选范围内没有需要开通账号的党组织（都已有账号，或没有该类组织）');
  // Easy to type on a phone, within the county's rules (length, classes).
  const rules = {
    minLength: await getSetting(db, user.countyCode, 'security.passwordMinLength'),
    classes: await getSetting(db, user.countyCode, 'security.passwordClasses'),
  };
  const secrets = await Promise.all(
    preview.accounts.map(async () => {
      const password = sheetPassword(rules);
      return { password, hash: await hashPassword(password) };
    }),
  );
  const loginUrl = `${deps.config.publicOrigins[0]}/login`;
  return db.transaction(async (tx) => {
    const fresh = await plan(tx, user, body);
    const same =
      fresh.accounts.length === preview.accounts.length &&
      fresh.accounts.every((a, i) => a.username === preview.accounts[i].username);
    if (!same) throw new AppError('CONFLICT', '账号情况刚刚发生变化，请重新预览后再开通');
    const top = await orgInScope(tx, user, body.orgId);
    const ids = fresh.accounts.map(() => randomUUID());
    await insertUsers(
      tx,
      top.countyCode,
      fresh.accounts.map((a, i) => ({
        id: ids[i],
        username: a.username,
        displayName: a.displayName,
        hash: secrets[i].hash,
        orgId: a.orgId,
      })),
      [body.role],
      user.id,
    );
    await writeAudit(tx, deps.crypto, actor, [
      ...fresh.accounts.map((a, i) => ({
        action: 'user.create',
        objectType: 'user',
        objectId: ids[i],
        detail: { username: a.username, roles: [body.role], orgId: a.orgId, via: 'bulk' },
      })),
      {
        action: 'user.bulkCreate',
        objectType: 'org',
        objectId: top.id,
        detail: { role: body.role, created: fresh.accounts.length, skipped: fresh.skipped.length },
      },
    ]);
    const accounts = fresh.accounts.map((a, i) => ({ ...a, password: secrets[i].password }));
    return {
      accounts,
      skipped: fresh.skipped,
      loginUrl,
      sheet: await sheet(top.name, body.role, accounts, user, deps.now(), loginUrl),
    };
  });
}

/**
 * A one-time password the sheet shows exactly as it must be typed: never one that begins with + - @
 * (a spreadsheet would take it for a formula, and the neutralising apostrophe would be typed with it).
 */
function sheetPassword(rules: { minLength: number; classes: number }): string {
  for (;;) {
    const password = typeablePassword(rules);
    if (!FORMULA_START.test(password)) return password;
  }
}

const ROLE_TEXT: Record<string, string> = { branchSecretary: '支部书记', orgAdmin: '党组织管理员' };

/** The sheet to hand out: one row per account, watermarked; base64 so it travels in the one JSON answer. */
async function sheet(
  topName: string,
  role: string,
  accounts: (PlannedAccount & { password: string })[],
  user: SessionUser,
  now: Date,
  loginUrl: string,
): Promise<string> {
  const wb = createWorkbook('accounts');
  const stamp = shanghaiMinute(now);
  const mark =
    `${topName}${ROLE_TEXT[role]}账号开通单 登录地址：${loginUrl} 生成人：${user.displayName} ${stamp} 一次性密码，首次登录须修改，严禁外传`.replace(
      /&/g,
      '&&',
    );
  const ws = addSheet(wb, '账号开通单', {
    headerFooter: { oddHeader: `&C${mark}`, oddFooter: '&C第 &P 页，共 &N 页' },
    pageSetup: { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  setColumns(ws, [
    { header: '党组织', key: 'org', width: 40 },
    { header: '姓名', key: 'name', width: 14 },
    { header: '用户名', key: 'username', width: 18 },
    { header: '初始密码', key: 'password', width: 22 },
    // On every row: the sheet is cut into slips, one per secretary.
    { header: '登录地址', key: 'url', width: 34 },
  ]);
  ws.getRow(1).font = { bold: true };
  for (const a of accounts) {
    // Organization and person names are neutralised by addRow (SEC-20); a password never needs it (sheetPassword).
    const row = addRow(ws, [a.orgName, a.displayName, a.username, a.password, loginUrl]);
    // Text format: username and password stay text even when a user edits the cell.
    for (const c of [3, 4]) row.getCell(c).numFmt = '@';
  }
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  return Buffer.from(await wb.xlsx.writeBuffer()).toString('base64');
}
