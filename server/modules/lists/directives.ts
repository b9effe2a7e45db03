/**
 * Documents from above (上级文件, issue 19): a document (PDF or Word) sent to every organization of the
 * chosen kinds and fields below one organization, each of which signs for it by one deadline and reports
 * how it carried it out by another. Late ones are flagged; the number not carried out in time per
 * organization (`lateness`) is what the assessment will read.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type {
  directiveBrief,
  directiveCreate,
  directiveLateness,
  directiveListQuery,
  directiveRecipient,
  directiveView,
} from '../../../contract/lists.ts';
import type { Tx } from '../../db/index.ts';
import { childOf, inCounty, joinOrg, orgInScopeSql, requireOrgAccess, underIndexedSql } from '../../platform/access.ts';
import { type Actor, writeAudit } from '../../platform/audit.ts';
import type { Deps, SessionUser } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import type { StoredFile } from '../../platform/files/file-service.ts';
import { announce, targetOrgs, todayOf } from './service.ts';

type U = SessionUser;
type Recipient = z.infer<typeof directiveRecipient>;

const iso = (v: Date | string | null) => (v == null ? null : (v instanceof Date ? v : new Date(v)).toISOString());

/** SQL of a recipient row `r` of directive `d`: signed late (or not signed and the day has passed), reported late likewise. */
function lateSql(today: string): { sign: SQL; report: SQL } {
  return {
    sign: sql`(case when r.signed_at is null then d.sign_deadline < ${today}::date else (r.signed_at at time zone 'Asia/Shanghai')::date > d.sign_deadline end)`,
    report: sql`(case when r.reported_at is null then d.report_deadline < ${today}::date else (r.reported_at at time zone 'Asia/Shanghai')::date > d.report_deadline end)`,
  };
}

export async function createDirective(
  tx: Tx,
  deps: Deps,
  user: U,
  actor: Actor,
  body: z.infer<typeof directiveCreate>,
  file: StoredFile & { filename: string },
): Promise<{ id: string; replayed: boolean }> {
  if (body.clientId) {
    const made = await tx.execute<{ id: string }>(sql`select d.id from directives d
      where d.county_code = ${user.countyCode} and d.created_by = ${user.id} and d.client_id = ${body.clientId}`);
    if (made.rows[0]) return { id: made.rows[0].id, replayed: true };
  }
  const under = await requireOrgAccess(tx, user, body.targets.underOrgId);
  const today = todayOf(deps);
  if (body.signDeadline < today)
    throw new AppError('TASK_DEADLINE_PAST', `签收时限 ${body.signDeadline} 早于今天（${today}）`);
  if (body.reportDeadline < body.signDeadline)
    throw new AppError(
      'DIRECTIVE_DEADLINES',
      `落实情况报告时限 ${body.reportDeadline} 早于签收时限 ${body.signDeadline}`,
    );
  const targets = { rows: (await targetOrgs(tx, under, body.targets, '文件未下发')).map((id) => ({ id })) };
  const r = await tx.execute<{
    id: string;
  }>(sql`insert into directives (county_code, title, doc_number, summary, issuer_org_id, under_org_id,
      org_kinds, fields, sign_deadline, report_deadline, file_key, file_sm3, file_name, file_mime, file_kind, file_size, created_by, client_id, created_at)
    values (${user.countyCode}, ${body.title}, ${body.docNumber ?? null}, ${body.summary ?? null}, ${user.orgId}, ${under.id},
      ${JSON.stringify(body.targets.orgKinds)}::jsonb, ${body.targets.fields ? JSON.stringify(body.targets.fields) : null}::jsonb,
      ${body.signDeadline}, ${body.reportDeadline}, ${file.key}, ${file.sm3}, ${file.filename || `${body.title}.${file.kind}`},
      ${file.mime}, ${file.kind}, ${file.size}, ${user.id}, ${body.clientId ?? null}, ${deps.now().toISOString()}::timestamptz)
    returning id`);
  const id = r.rows[0].id;
  await tx.execute(sql`insert into directive_recipients (county_code, directive_id, org_id)
    select ${user.countyCode}, ${id}, x.org_id from unnest(${`{${targets.rows.map((t) => t.id).join(',')}}`}::uuid[]) as x(org_id)`);
  await writeAudit(tx, deps.crypto, actor, [
    {
      action: 'directive.create',
      objectType: 'directive',
      objectId: id,
      detail: {
        title: body.title,
        docNumber: body.docNumber ?? null,
        underOrgId: under.id,
        recipients: targets.rows.length,
        sm3: file.sm3,
      },
    },
  ]);
  return { id, replayed: false };
}

type DirectiveRow = {
  id: string;
  county_code: string;
  title: string;
  doc_number: string | null;
  summary: string | null;
  issuer_org_id: string;
  issuer_org_name: string;
  sign_deadline: string;
  report_deadline: string;
  file_key: string;
  file_sm3: string;
  file_name: string;
  file_mime: string;
  file_kind: string;
  file_size: number;
  created_at: Date;
};

const D_COLS = sql`d.id, d.county_code, d.title, d.doc_number, d.summary, d.issuer_org_id, io.name as issuer_org_name,
  to_char(d.sign_deadline, 'YYYY-MM-DD') as sign_deadline, to_char(d.report_deadline, 'YYYY-MM-DD') as report_deadline,
  d.file_key, d.file_sm3, d.file_name, d.file_mime, d.file_kind, d.file_size, d.created_at`;

/** Who may read a directive: the level that sent it (its issuer in scope) or a recipient in scope. */
function readable(user: U): SQL {
  return sql`(exists (select 1 from orgs o where o.county_code = d.county_code and o.id = d.issuer_org_id and ${orgInScopeSql(user)})
    or exists (select 1 from directive_recipients r ${joinOrg('r')} where ${childOf('d', 'r', 'directive_id')} and ${orgInScopeSql(user)}))`;
}

export async function directiveRow(tx: Tx, user: U, id: string): Promise<DirectiveRow> {
  const r = await tx.execute<DirectiveRow>(sql`select ${D_COLS} from directives d ${joinOrg('d', 'io', 'issuer_org_id')}
    where ${inCounty(user, 'd')} and d.id = ${id} and ${readable(user)}`);
  if (!r.rows[0]) throw new AppError('NOT_FOUND');
  return r.rows[0];
}

/** The copies in the user's scope of the directives `ids` (one county), by directive, in tree order: one statement for a page of them. */
async function recipientsOf(
  tx: Tx,
  deps: Deps,
  user: U,
  county: string,
  ids: string[],
): Promise<Map<string, Recipient[]>> {
  const out = new Map<string, Recipient[]>(ids.map((id) => [id, []]));
  if (!ids.length) return out;
  const late = lateSql(todayOf(deps));
  const r = await tx.execute<{
    directive_id: string;
    org_id: string;
    org_name: string;
    signed_at: Date | null;
    reported_at: Date | null;
    report: string | null;
    sign_late: boolean;
    report_late: boolean;
  }>(sql`select r.directive_id, r.org_id, o.name as org_name, r.signed_at, r.reported_at, r.report, ${late.sign} as sign_late, ${late.report} as report_late
    from directive_recipients r ${joinOrg('r')} join directives d on d.county_code = r.county_code and d.id = r.directive_id
    where r.county_code = ${county} and r.directive_id = any(${`{${ids.join(',')}}`}::uuid[]) and ${orgInScopeSql(user)}
    order by o.path`);
  for (const x of r.rows)
    out.get(x.directive_id)?.push({
      orgId: x.org_id,
      orgName: x.org_name,
      signedAt: iso(x.signed_at),
      reportedAt: iso(x.reported_at),
      report: x.report,
      signLate: !!x.sign_late,
      reportLate: !!x.report_late,
    });
  return out;
}

async function recipients(tx: Tx, deps: Deps, user: U, d: DirectiveRow): Promise<Recipient[]> {
  return (await recipientsOf(tx, deps, user, d.county_code, [d.id])).get(d.id) ?? [];
}

function toView(d: DirectiveRow, list: Recipient[], user: U): z.infer<typeof directiveView> {
  return {
    id: d.id,
    title: d.title,
    docNumber: d.doc_number,
    summary: d.summary,
    issuerOrgId: d.issuer_org_id,
    issuerOrgName: d.issuer_org_name,
    signDeadline: d.sign_deadline,
    reportDeadline: d.report_deadline,
    fileName: d.file_name,
    fileSize: Number(d.file_size),
    createdAt: iso(d.created_at) ?? '',
    recipients: list,
    mine: list.find((r) => r.orgId === user.orgId) ?? null,
    counts: {
      total: list.length,
      signed: list.filter((r) => r.signedAt).length,
      reported: list.filter((r) => r.reportedAt).length,
      late: list.filter((r) => r.signLate || r.reportLate).length,
    },
  };
}

export async function getDirective(tx: Tx, deps: Deps, user: U, id: string): Promise<z.infer<typeof directiveView>> {
  const d = await directiveRow(tx, user, id);
  return toView(d, await recipients(tx, deps, user, d), user);
}

export async function listDirectives(
  tx: Tx,
  deps: Deps,
  user: U,
  q: z.infer<typeof directiveListQuery>,
): Promise<{ items: z.infer<typeof directiveBrief>[]; total: number; page: number; pageSize: number }> {
  const view =
    q.view === 'issued'
      ? sql`d.issuer_org_id = ${user.orgId}`
      : q.view === 'received'
        ? sql`exists (select 1 from directive_recipients r where ${childOf('d', 'r', 'directive_id')} and r.org_id = ${user.orgId})`
        : readable(user);
  const where = sql`${inCounty(user, 'd')} and ${view}`;
  const total = await tx.execute<{ n: number }>(sql`select count(*)::int as n from directives d where ${where}`);
  const rows =
    await tx.execute<DirectiveRow>(sql`select ${D_COLS} from directives d ${joinOrg('d', 'io', 'issuer_org_id')}
    where ${where} order by d.created_at desc, d.id limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`);
  const copies = await recipientsOf(
    tx,
    deps,
    user,
    user.countyCode,
    rows.rows.map((d) => d.id),
  );
  const items = rows.rows.map((d) => {
    const { recipients: _r, summary: _s, ...brief } = toView(d, copies.get(d.id) ?? [], user);
    return brief;
  });
  return { items, total: Number(total.rows[0].n), page: q.page, pageSize: q.pageSize };
}

async function ownCopy(tx: Tx, user: U, id: string) {
  const d = await directiveRow(tx, user, id);
  const r = await tx.execute<{ signed_at: Date | null; reported_at: Date | null }>(sql`select r.signed_at, r.reported_at
    from directive_recipients r where ${childOf({ countyCode: d.county_code, id: d.id }, 'r', 'directive_id')} and r.org_id = ${user.orgId}
    for update of r`);
  if (!r.rows[0]) throw new AppError('DIRECTIVE_NOT_RECIPIENT');
  return { d, copy: r.rows[0] };
}

export async function signDirective(tx: Tx, deps: Deps, user: U, actor: Actor, id: string): Promise<void> {
  const { d, copy } = await ownCopy(tx, user, id);
  if (copy.signed_at) throw new AppError('DIRECTIVE_SIGNED');
  await tx.execute(sql`update directive_recipients r set signed_at = ${deps.now().toISOString()}::timestamptz, signed_by = ${user.id}
    where ${childOf({ countyCode: d.county_code, id: d.id }, 'r', 'directive_id')} and r.org_id = ${user.orgId}`);
  await writeAudit(tx, deps.crypto, actor, [
    { action: 'directive.sign', objectType: 'directive', objectId: d.id, detail: { orgId: user.orgId } },
  ]);
  await announce(tx, deps, d.county_code, [user.orgId], ['directives'], user.id);
}

export async function reportDirective(
  tx: Tx,
  deps: Deps,
  user: U,
  actor: Actor,
  id: string,
  text: string,
): Promise<void> {
  const { d, copy } = await ownCopy(tx, user, id);
  if (!copy.signed_at) throw new AppError('DIRECTIVE_NOT_SIGNED');
  // A report can be corrected until the deadline passes; the first report's time is what counts.
  await tx.execute(sql`update directive_recipients r set report = ${text}, reported_by = ${user.id},
      reported_at = coalesce(r.reported_at, ${deps.now().toISOString()}::timestamptz)
    where ${childOf({ countyCode: d.county_code, id: d.id }, 'r', 'directive_id')} and r.org_id = ${user.orgId}`);
  await writeAudit(tx, deps.crypto, actor, [
    {
      action: 'directive.report',
      objectType: 'directive',
      objectId: d.id,
      detail: { orgId: user.orgId, again: !!copy.reported_at },
    },
  ]);
  await announce(tx, deps, d.county_code, [user.orgId], ['directives'], user.id);
}

/** Per organization directly below `orgId` (default: the user's), documents received and not carried out in time, over its subtree. */
export async function directiveLatenessOf(
  tx: Tx,
  deps: Deps,
  user: U,
  orgId: string | undefined,
): Promise<z.infer<typeof directiveLateness>> {
  const org = await requireOrgAccess(tx, user, orgId ?? user.orgId);
  const late = lateSql(todayOf(deps));
  const r = await tx.execute<{
    org_id: string;
    org_name: string;
    received: number;
    sign_late: number;
    report_late: number;
    not_in_time: number;
  }>(sql`select c.id as org_id, c.name as org_name, count(r.org_id)::int as received,
      count(r.org_id) filter (where ${late.sign})::int as sign_late,
      count(r.org_id) filter (where ${late.report})::int as report_late,
      count(r.org_id) filter (where ${late.sign} or ${late.report})::int as not_in_time
    from orgs c
    left join orgs ro on ${underIndexedSql('ro', 'c')}
    left join directive_recipients r on r.county_code = ro.county_code and r.org_id = ro.id
    left join directives d on d.county_code = r.county_code and d.id = r.directive_id
    where ${childOf({ countyCode: org.countyCode, id: org.id }, 'c', 'parent_id')} and c.status = 'active'
    group by c.id, c.name, c.path order by c.path`);
  return {
    orgId: org.id,
    orgName: org.name,
    rows: r.rows.map((x) => ({
      orgId: x.org_id,
      orgName: x.org_name,
      received: Number(x.received),
      signLate: Number(x.sign_late),
      reportLate: Number(x.report_late),
      notInTime: Number(x.not_in_time),
    })),
  };
}
