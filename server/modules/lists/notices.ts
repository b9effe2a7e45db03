/**
 * Supervision notices (督查通报, issue 19): a draft made in one click from the data of the organizations
 * below one organization in a period — what was checked, the good examples, the ranking of task
 * completion and rectification, the open problems by organization, and the organizations named for
 * lagging (those holding a task share due in the period and not done) — kept as it was reviewed,
 * written as a Word document, published to that subtree, where each named organization signs for it.
 *
 * The problem figures read the problems module's `problems` table and this module's verifications in
 * one statement (a report across both; the problems module's rows are never written here).
 */
import {
  AlignmentType,
  Document,
  HeadingLevel,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { noticeBrief, noticeContent, noticeCreate, noticeListQuery, noticeView } from '../../../contract/lists.ts';
import { TASK_OPEN_STATUSES } from '../../../contract/lists.ts';
import { parsePeriod, periodLabel, shanghaiDate } from '../../../contract/periods.ts';
import { ruleInfo } from '../../../contract/rules.ts';
import type { Tx } from '../../db/index.ts';
import {
  childOf,
  inCounty,
  inSubtree,
  joinOrg,
  orgInScopeSql,
  requireOrgAccess,
  underSql,
} from '../../platform/access.ts';
import { type Actor, writeAudit } from '../../platform/audit.ts';
import type { Deps, SessionUser } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { closedSql } from './predicates.ts';
import { todayOf } from './service.ts';

type Content = z.infer<typeof noticeContent>;
type U = SessionUser;

const openList = sql.join(
  [...TASK_OPEN_STATUSES].map((s) => sql`${s}`),
  sql`, `,
);
const iso = (v: Date | string | null) => (v == null ? null : (v instanceof Date ? v : new Date(v)).toISOString());

/** The notice's figures, from the data as it is now. */
async function workOut(tx: Tx, deps: Deps, under: { countyCode: string; id: string; path: string }, period: string) {
  const p = parsePeriod(period);
  const today = todayOf(deps);
  const c = under.countyCode;
  // Task shares due in the period, per organization directly below, over its subtree.
  const ranking = await tx.execute<{
    org_id: string;
    org_name: string;
    tasks: number;
    done: number;
    on_time: number;
    overdue: number;
    problems: number;
    closed: number;
  }>(sql`select ch.id as org_id, ch.name as org_name,
      (select count(*)::int from task_assignments a join orgs ao on ao.county_code = a.county_code and ao.id = a.org_id
        where a.county_code = ch.county_code and ${underSql('ao', 'ch')} and a.deadline between ${p.start}::date and ${p.end}::date) as tasks,
      (select count(*)::int from task_assignments a join orgs ao on ao.county_code = a.county_code and ao.id = a.org_id
        where a.county_code = ch.county_code and ${underSql('ao', 'ch')} and a.deadline between ${p.start}::date and ${p.end}::date and a.status = 'done') as done,
      (select count(*)::int from task_assignments a join orgs ao on ao.county_code = a.county_code and ao.id = a.org_id
        where a.county_code = ch.county_code and ${underSql('ao', 'ch')} and a.deadline between ${p.start}::date and ${p.end}::date and a.status = 'done'
          and (a.done_at at time zone 'Asia/Shanghai')::date <= a.deadline) as on_time,
      (select count(*)::int from task_assignments a join orgs ao on ao.county_code = a.county_code and ao.id = a.org_id
        where a.county_code = ch.county_code and ${underSql('ao', 'ch')} and a.deadline between ${p.start}::date and ${p.end}::date
          and a.status in (${openList}) and a.deadline < ${today}::date) as overdue,
      (select count(*)::int from problems pr join orgs po on po.county_code = pr.county_code and po.id = pr.org_id
        where pr.county_code = ch.county_code and ${underSql('po', 'ch')} and pr.raised_at is not null
          and (pr.raised_at at time zone 'Asia/Shanghai')::date between ${p.start}::date and ${p.end}::date) as problems,
      (select count(*)::int from problems pr join orgs po on po.county_code = pr.county_code and po.id = pr.org_id
        where pr.county_code = ch.county_code and ${underSql('po', 'ch')} and pr.raised_at is not null
          and (pr.raised_at at time zone 'Asia/Shanghai')::date between ${p.start}::date and ${p.end}::date and ${closedSql('pr')}) as closed
    from orgs ch where ${childOf({ countyCode: c, id: under.id }, 'ch', 'parent_id')} and ch.status = 'active'
    order by ch.path`);
  const rows = ranking.rows.map((r) => {
    const tasks = Number(r.tasks);
    const problems = Number(r.problems);
    return {
      orgId: r.org_id,
      orgName: r.org_name,
      tasks,
      done: Number(r.done),
      onTime: Number(r.on_time),
      overdue: Number(r.overdue),
      completionRate: tasks ? Number(r.done) / tasks : null,
      problems,
      closed: Number(r.closed),
      rectificationRate: problems ? Number(r.closed) / problems : null,
    };
  });
  rows.sort(
    (a, b) =>
      (b.completionRate ?? -1) - (a.completionRate ?? -1) ||
      (b.rectificationRate ?? -1) - (a.rectificationRate ?? -1) ||
      a.overdue - b.overdue,
  );
  // Open problems now, per organization directly below, with their commonest rules.
  const open = await tx.execute<{
    org_name: string;
    rule_id: string;
    n: number;
  }>(sql`select ch.name as org_name, pr.rule_id, count(*)::int as n
    from orgs ch join orgs po on ${underSql('po', 'ch')}
    join problems pr on pr.county_code = po.county_code and pr.org_id = po.id and pr.status = 'open'
    where ${childOf({ countyCode: c, id: under.id }, 'ch', 'parent_id')} and ch.status = 'active'
    group by ch.name, ch.path, pr.rule_id order by ch.path, n desc, pr.rule_id`);
  const byOrg = new Map<string, { orgName: string; open: number; rules: { name: string; count: number }[] }>();
  for (const r of open.rows) {
    const o = byOrg.get(r.org_name) ?? { orgName: r.org_name, open: 0, rules: [] };
    o.open += Number(r.n);
    if (o.rules.length < 3) o.rules.push({ name: ruleInfo(r.rule_id).name, count: Number(r.n) });
    byOrg.set(r.org_name, o);
  }
  // Named: every organization of the subtree holding a share due in the period, past its deadline and not done.
  const late = await tx.execute<{ org_id: string; org_name: string; title: string; deadline: string; days: number }>(
    sql`select a.org_id, o.name as org_name, t.title, to_char(a.deadline, 'YYYY-MM-DD') as deadline, (${today}::date - a.deadline) as days
      from task_assignments a ${joinOrg('a')} join tasks t on t.county_code = a.county_code and t.id = a.task_id
      where ${inSubtree({ countyCode: c, path: under.path })} and o.id <> ${under.id}
        and a.deadline between ${p.start}::date and ${p.end}::date and a.status in (${openList}) and a.deadline < ${today}::date
      order by o.path, a.deadline, t.title`,
  );
  const lagging = new Map<string, Content['lagging'][number]>();
  for (const r of late.rows) {
    const x = lagging.get(r.org_id) ?? { orgId: r.org_id, orgName: r.org_name, overdue: [] };
    x.overdue.push({ title: r.title, deadline: r.deadline, days: Number(r.days) });
    lagging.set(r.org_id, x);
  }
  const draws = await tx.execute<{ seed: string; drawn_at: Date; names: string[] }>(sql`select d.seed, d.drawn_at,
      array(select so.name from jsonb_array_elements_text(d.sample) with ordinality s(id, n)
        join orgs so on so.county_code = d.county_code and so.id = s.id::uuid order by s.n) as names
    from inspection_draws d join orgs o on o.county_code = d.county_code and o.id = d.under_org_id
    where ${inSubtree({ countyCode: c, path: under.path })}
      and (d.drawn_at at time zone 'Asia/Shanghai')::date between ${p.start}::date and ${p.end}::date
    order by d.drawn_at`);
  const totals = await tx.execute<{
    tasks: number;
    assignments: number;
  }>(sql`select count(distinct a.task_id)::int as tasks, count(*)::int as assignments
    from task_assignments a ${joinOrg('a')}
    where ${inSubtree({ countyCode: c, path: under.path })} and a.deadline between ${p.start}::date and ${p.end}::date`);
  const content: Content = {
    periodLabel: periodLabel(period),
    asOf: today,
    checked: {
      tasks: Number(totals.rows[0].tasks),
      assignments: Number(totals.rows[0].assignments),
      problems: rows.reduce((s, r) => s + r.problems, 0),
      draws: draws.rows.map((d) => ({ seed: d.seed, drawnAt: iso(d.drawn_at) ?? '', sampleNames: d.names })),
    },
    ranking: rows,
    good: rows.filter((r) => r.tasks > 0 && r.onTime === r.tasks && r.closed === r.problems).map((r) => r.orgName),
    problemsByOrg: [...byOrg.values()],
    lagging: [...lagging.values()],
  };
  return content;
}

export async function createNotice(
  tx: Tx,
  deps: Deps,
  user: U,
  actor: Actor,
  body: z.infer<typeof noticeCreate>,
): Promise<string> {
  const under = await requireOrgAccess(tx, user, body.underOrgId);
  const content = await workOut(tx, deps, under, body.period);
  const r = await tx.execute<{
    id: string;
  }>(sql`insert into notices (county_code, title, under_org_id, period, status, content, created_by, created_at)
    values (${under.countyCode}, ${body.title}, ${under.id}, ${body.period}, 'draft', ${JSON.stringify(content)}::jsonb, ${user.id}, ${deps.now().toISOString()}::timestamptz)
    returning id`);
  const id = r.rows[0].id;
  if (content.lagging.length)
    await tx.execute(sql`insert into notice_signatures (county_code, notice_id, org_id)
      select ${under.countyCode}, ${id}, x.org_id from unnest(${`{${content.lagging.map((l) => l.orgId).join(',')}}`}::uuid[]) as x(org_id)`);
  await writeAudit(tx, deps.crypto, actor, [
    {
      action: 'notice.create',
      objectType: 'notice',
      objectId: id,
      detail: { title: body.title, underOrgId: under.id, period: body.period, named: content.lagging.length },
    },
  ]);
  return id;
}

type NoticeRow = {
  id: string;
  county_code: string;
  title: string;
  under_org_id: string;
  under_org_name: string;
  period: string;
  status: 'draft' | 'published';
  content: Content;
  created_at: Date;
  created_by_name: string | null;
  published_at: Date | null;
  issuer_side: boolean;
};

/**
 * A notice the user may read: its organization in the user's scope (the level that made it), or, once
 * published, one whose subtree holds the user's organization. NOT_FOUND otherwise.
 */
async function noticeRow(tx: Tx, user: U, id: string, lock = false): Promise<NoticeRow> {
  const r =
    await tx.execute<NoticeRow>(sql`select n.id, n.county_code, n.title, n.under_org_id, o.name as under_org_name, n.period, n.status, n.content,
      n.created_at, u.display_name as created_by_name, n.published_at, ${orgInScopeSql(user)} as issuer_side
    from notices n ${joinOrg('n', 'o', 'under_org_id')}
    left join users u on u.county_code = n.county_code and u.id = n.created_by
    where ${inCounty(user, 'n')} and n.id = ${id}
      and (${orgInScopeSql(user)} or (n.status = 'published' and exists (select 1 from orgs me where me.county_code = n.county_code and me.id = ${user.orgId} and ${underSql('me', 'o')})))
    ${lock ? sql`for update of n` : sql``}`);
  if (!r.rows[0]) throw new AppError('NOT_FOUND');
  return r.rows[0];
}

export async function getNotice(tx: Tx, user: U, id: string): Promise<z.infer<typeof noticeView>> {
  const n = await noticeRow(tx, user, id);
  const named = await tx.execute<{
    org_id: string;
    org_name: string;
    signed_at: Date | null;
    signed_by_name: string | null;
  }>(
    sql`select s.org_id, o.name as org_name, s.signed_at, u.display_name as signed_by_name
      from notice_signatures s ${joinOrg('s')} left join users u on u.county_code = s.county_code and u.id = s.signed_by
      where ${childOf({ countyCode: n.county_code, id: n.id }, 's', 'notice_id')} order by o.path`,
  );
  const mine = named.rows.find((r) => r.org_id === user.orgId);
  return {
    id: n.id,
    title: n.title,
    underOrgId: n.under_org_id,
    underOrgName: n.under_org_name,
    period: n.period,
    status: n.status,
    createdAt: iso(n.created_at) ?? '',
    createdByName: n.created_by_name ?? '',
    publishedAt: iso(n.published_at),
    content: n.content,
    named: named.rows.map((r) => ({
      orgId: r.org_id,
      orgName: r.org_name,
      signedAt: iso(r.signed_at),
      signedByName: r.signed_by_name,
    })),
    can: {
      publish: n.status === 'draft' && n.issuer_side && user.permissions.has('lists.inspect'),
      sign: n.status === 'published' && !!mine && !mine.signed_at && user.permissions.has('lists.work'),
    },
  };
}

export async function listNotices(
  tx: Tx,
  user: U,
  q: z.infer<typeof noticeListQuery>,
): Promise<{ items: z.infer<typeof noticeBrief>[]; total: number; page: number; pageSize: number }> {
  const where = sql`${inCounty(user, 'n')}
    and (${orgInScopeSql(user)} or (n.status = 'published' and exists (select 1 from orgs me where me.county_code = n.county_code and me.id = ${user.orgId} and ${underSql('me', 'o')})))`;
  const total = await tx.execute<{ n: number }>(
    sql`select count(*)::int as n from notices n ${joinOrg('n', 'o', 'under_org_id')} where ${where}`,
  );
  const r = await tx.execute<{
    id: string;
    title: string;
    under_org_name: string;
    period: string;
    status: 'draft' | 'published';
    created_at: Date;
    published_at: Date | null;
    named: number;
    signed: number;
    must_sign: boolean;
  }>(sql`select n.id, n.title, o.name as under_org_name, n.period, n.status, n.created_at, n.published_at,
      (select count(*)::int from notice_signatures s where ${childOf('n', 's', 'notice_id')}) as named,
      (select count(*)::int from notice_signatures s where ${childOf('n', 's', 'notice_id')} and s.signed_at is not null) as signed,
      n.status = 'published' and exists (select 1 from notice_signatures s where ${childOf('n', 's', 'notice_id')} and s.org_id = ${user.orgId} and s.signed_at is null) as must_sign
    from notices n ${joinOrg('n', 'o', 'under_org_id')} where ${where}
    order by n.created_at desc, n.id limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`);
  return {
    items: r.rows.map((x) => ({
      id: x.id,
      title: x.title,
      underOrgName: x.under_org_name,
      period: x.period,
      status: x.status,
      createdAt: iso(x.created_at) ?? '',
      publishedAt: iso(x.published_at),
      named: Number(x.named),
      signed: Number(x.signed),
      mustSign: !!x.must_sign,
    })),
    total: Number(total.rows[0].n),
    page: q.page,
    pageSize: q.pageSize,
  };
}

export async function publishNotice(tx: Tx, deps: Deps, user: U, actor: Actor, id: string): Promise<void> {
  const n = await noticeRow(tx, user, id, true);
  if (!n.issuer_side) throw new AppError('NOT_FOUND');
  if (n.status !== 'draft') throw new AppError('NOTICE_PUBLISHED');
  await tx.execute(sql`update notices set status = 'published', published_at = ${deps.now().toISOString()}::timestamptz, published_by = ${user.id}
    where county_code = ${n.county_code} and id = ${n.id}`);
  await writeAudit(tx, deps.crypto, actor, [
    {
      action: 'notice.publish',
      objectType: 'notice',
      objectId: n.id,
      detail: { underOrgId: n.under_org_id, period: n.period },
    },
  ]);
}

export async function signNotice(tx: Tx, deps: Deps, user: U, actor: Actor, id: string): Promise<void> {
  const n = await noticeRow(tx, user, id, true);
  if (n.status !== 'published') throw new AppError('NOT_FOUND');
  const r =
    await tx.execute(sql`update notice_signatures s set signed_at = ${deps.now().toISOString()}::timestamptz, signed_by = ${user.id}
    where ${childOf({ countyCode: n.county_code, id: n.id }, 's', 'notice_id')} and s.org_id = ${user.orgId} and s.signed_at is null`);
  if (!r.rowCount) {
    const named = await tx.execute(sql`select 1 from notice_signatures s
      where ${childOf({ countyCode: n.county_code, id: n.id }, 's', 'notice_id')} and s.org_id = ${user.orgId}`);
    throw new AppError(named.rows.length ? 'NOTICE_SIGNED' : 'NOTICE_NOT_NAMED');
  }
  await writeAudit(tx, deps.crypto, actor, [
    { action: 'notice.sign', objectType: 'notice', objectId: n.id, detail: { orgId: user.orgId } },
  ]);
}

// ── The Word document ──

const pct = (x: number | null) => (x == null ? '—' : `${(x * 100).toFixed(1)}%`);
const zhDate = (d: string) => `${d.slice(0, 4)}年${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;

function cell(text: string, bold = false): TableCell {
  return new TableCell({ children: [new Paragraph({ children: [new TextRun({ text, bold })] })] });
}

export async function noticeDocx(v: z.infer<typeof noticeView>): Promise<Buffer> {
  const c = v.content;
  const h = (text: string) => new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun(text)] });
  const para = (text: string) => new Paragraph({ children: [new TextRun(text)] });
  const children: (Paragraph | Table)[] = [
    new Paragraph({ heading: HeadingLevel.TITLE, alignment: AlignmentType.CENTER, children: [new TextRun(v.title)] }),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      children: [new TextRun(`${v.underOrgName}　${c.periodLabel}　（数据截至${zhDate(c.asOf)}）`)],
    }),
    h('一、督查情况'),
    para(
      `${c.periodLabel}，${v.underOrgName}范围内到期任务 ${c.checked.tasks} 项、分解到各组织 ${c.checked.assignments} 份；期间发现问题 ${c.checked.problems} 个。`,
    ),
    ...c.checked.draws.map((d) =>
      para(`${zhDate(shanghaiDate(d.drawnAt))}随机抽查（随机种子 ${d.seed}）：${d.sampleNames.join('、') || '无'}。`),
    ),
    h('二、好的典型'),
    para(
      c.good.length
        ? `${c.good.join('、')}按时完成全部任务，发现的问题全部整改销号，予以通报表扬。`
        : '本期无全部按时完成且问题全部销号的单位。',
    ),
    h('三、任务完成和问题整改排名'),
  ];
  if (c.ranking.length)
    children.push(
      new Table({
        width: { size: 100, type: WidthType.PERCENTAGE },
        rows: [
          new TableRow({
            tableHeader: true,
            children: [
              '名次',
              '单位',
              '到期任务',
              '已完成',
              '按时完成',
              '逾期',
              '完成率',
              '发现问题',
              '已销号',
              '整改销号率',
            ].map((x) => cell(x, true)),
          }),
          ...c.ranking.map(
            (r, i) =>
              new TableRow({
                children: [
                  String(i + 1),
                  r.orgName,
                  String(r.tasks),
                  String(r.done),
                  String(r.onTime),
                  String(r.overdue),
                  pct(r.completionRate),
                  String(r.problems),
                  String(r.closed),
                  pct(r.rectificationRate),
                ].map((x) => cell(x)),
              }),
          ),
        ],
      }),
    );
  else children.push(para('无下级单位。'));
  children.push(h('四、存在的问题'));
  if (c.problemsByOrg.length)
    for (const o of c.problemsByOrg)
      children.push(
        para(
          `${o.orgName}：未整改问题 ${o.open} 个，主要是${o.rules.map((r) => `${r.name}（${r.count} 个）`).join('、')}。`,
        ),
      );
  else children.push(para('范围内没有未整改的问题。'));
  children.push(h('五、通报的单位'));
  if (c.lagging.length) {
    for (const l of c.lagging)
      children.push(
        para(
          `${l.orgName}：${l.overdue.map((t) => `“${t.title}”（时限 ${zhDate(t.deadline)}，已逾期 ${t.days} 天）`).join('；')}。`,
        ),
      );
    children.push(para('请以上单位收到通报后在平台签收，并抓紧整改落实。'));
  } else children.push(para('本期没有逾期未完成任务的单位。'));
  children.push(
    new Paragraph({ alignment: AlignmentType.RIGHT, children: [new TextRun(v.underOrgName)] }),
    new Paragraph({
      alignment: AlignmentType.RIGHT,
      children: [new TextRun(zhDate(shanghaiDate(v.publishedAt ?? v.createdAt)))],
    }),
  );
  const doc = new Document({ creator: '党建平台', title: v.title, sections: [{ children }] });
  return Packer.toBuffer(doc);
}
