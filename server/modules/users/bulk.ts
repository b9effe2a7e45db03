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
import { hashPassword, randomPassword } from '../../platform/passwords.ts';
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
  const res = await tx.execute<{ id: string; name: string; short_name: string | null; kind: string; depth: number; name_initials: string | null; secretary: string | null; has_account: boolean }>(sql`
    select o.id, o.name, o.short_name, o.kind, o.depth, o.name_initials,
      (select coalesce(m.name, p.person_name) from org_posts p left join members m on m.county_code = p.county_code and m.id = p.member_id
        where p.county_code = o.county_code and p.org_id = o.id and p.post = 'secretary' and p.ended_on is null and p.vacant_since is null
        order by p.start_date desc nulls last limit 1) as secretary,
      exists (select 1 from users u where u.county_code = o.county_code and u.org_id = o.id and ${body.role} = any(u.roles) and not u.disabled) as has_account
    from orgs o
    where ${inSubtree(top)} and o.status = 'active' and o.kind = any(${sql.param(kinds)}::text[]) and o.id <> ${user.orgId}
    order by o.path`);
  const out: Plan = { accounts: [], skipped: [] };
  const wanted: { o: (typeof res.rows)[number]; base: string }[] = [];
  for (const o of res.rows) {
    if (o.has_account) {
      out.skipped.push({ orgName: o.name, reason: '已有该角色的账号' });
      continue;
    }
    const problems = roleAssignmentProblems({ granter: { userId: user.id, roles: user.roles }, targetId: null, roles: [body.role], org: { depth: o.depth, kind: o.kind } });
    if (problems.length) {
      out.skipped.push({ orgName: o.name, reason: problems.join('；') });
      continue;
    }
    // zhangsan, zhangsan2…; without a secretary the organization's initials (e.g. jyc for 甲一村).
    let base = (o.secretary ? namePinyin(o.secretary).full : (o.name_initials ?? '').split(' ')[0]).replace(/[^a-z0-9]/g, '').slice(0, 28);
    if (base.length < 3) base = `${base}zb${o.id.slice(0, 4)}`.slice(0, 28);
    wanted.push({ o, base });
  }
  // Login names are unique within the county: the county's names that start like ours.
  const prefixes = [...new Set(wanted.map((w) => `${w.base}%`))]; // a base is [a-z0-9] only: nothing to escape
  const taken = new Set(
    prefixes.length
      ? (await tx.execute<{ u: string }>(sql`select lower(u.username) as u from users u where u.county_code = ${user.countyCode} and lower(u.username) like any(${sql.param(prefixes)}::text[])`)).rows.map((r) => r.u)
      : [],
  );
  for (const { o, base } of wanted) {
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base}${n}`;
    taken.add(name);
    const label = o.short_name || o.name.replace(/^中共/, '');
    out.accounts.push({ orgId: o.id, orgName: o.name, username: name, displayName: o.secretary ?? `${label}${body.role === 'branchSecretary' ? '书记' : '管理员'}`.slice(0, 30) });
  }
  if (out.accounts.length > BULK_MAX) throw fieldError([{ field: 'orgId', message: `党组织：一次最多开通 ${BULK_MAX} 个账号，请选择下一级组织分批开通` }]);
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
  if (!preview.accounts.length) throw new AppError('RULE_VIOLATION', '所选范围内没有需要开通账号的党组织（都已有账号，或没有该类组织）');
  const secrets = await Promise.all(
    preview.accounts.map(async () => {
      const password = sheetPassword();
      return { password, hash: await hashPassword(password) };
    }),
  );
  return db.transaction(async (tx) => {
    const fresh = await plan(tx, user, body);
    const same = fresh.accounts.length === preview.accounts.length && fresh.accounts.every((a, i) => a.username === preview.accounts[i].username);
    if (!same) throw new AppError('CONFLICT', '账号情况刚刚发生变化，请重新预览后再开通');
    const top = await orgInScope(tx, user, body.orgId);
    const ids = fresh.accounts.map(() => randomUUID());
    await insertUsers(
      tx,
      top.countyCode,
      fresh.accounts.map((a, i) => ({ id: ids[i], username: a.username, displayName: a.displayName, hash: secrets[i].hash, orgId: a.orgId })),
      [body.role],
      user.id,
    );
    await writeAudit(tx, deps.crypto, actor, [
      ...fresh.accounts.map((a, i) => ({ action: 'user.create', objectType: 'user', objectId: ids[i], detail: { username: a.username, roles: [body.role], orgId: a.orgId, via: 'bulk' } })),
      { action: 'user.bulkCreate', objectType: 'org', objectId: top.id, detail: { role: body.role, created: fresh.accounts.length, skipped: fresh.skipped.length } },
    ]);
    const accounts = fresh.accounts.map((a, i) => ({ ...a, password: secrets[i].password }));
    return { accounts, skipped: fresh.skipped, sheet: await sheet(top.name, body.role, accounts, user, deps.now()) };
  });
}

/**
 * A one-time password the sheet shows exactly as it must be typed: never one that begins with + - @
 * (a spreadsheet would take it for a formula, and the neutralising apostrophe would be typed with it).
 */
function sheetPassword(): string {
  for (;;) {
    const password = randomPassword();
    if (!FORMULA_START.test(password)) return password;
  }
}

const ROLE_TEXT: Record<string, string> = { branchSecretary: '支部书记', orgAdmin: '党组织管理员' };

/** The sheet to hand out: one row per account, watermarked; base64 so it travels in the one JSON answer. */
async function sheet(topName: string, role: string, accounts: (PlannedAccount & { password: string })[], user: SessionUser, now: Date): Promise<string> {
  const wb = createWorkbook('accounts');
  const stamp = shanghaiMinute(now);
  const mark = `${topName}${ROLE_TEXT[role]}账号开通单 生成人：${user.displayName} ${stamp} 一次性密码，首次登录须修改，严禁外传`.replace(/&/g, '&&');
  const ws = addSheet(wb, '账号开通单', {
    headerFooter: { oddHeader: `&C${mark}`, oddFooter: '&C第 &P 页，共 &N 页' },
    pageSetup: { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  setColumns(ws, [
    { header: '党组织', key: 'org', width: 40 },
    { header: '姓名', key: 'name', width: 14 },
    { header: '用户名', key: 'username', width: 18 },
    { header: '初始密码', key: 'password', width: 22 },
  ]);
  ws.getRow(1).font = { bold: true };
  for (const a of accounts) {
    // Organization and person names are neutralised by addRow (SEC-20); a password never needs it (sheetPassword).
    const row = addRow(ws, [a.orgName, a.displayName, a.username, a.password]);
    // Text format: username and password stay text even when a user edits the cell.
    for (const c of [3, 4]) row.getCell(c).numFmt = '@';
  }
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  return Buffer.from(await wb.xlsx.writeBuffer()).toString('base64');
}
