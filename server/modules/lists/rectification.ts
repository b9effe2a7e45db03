/**
 * Rectification and 销号 of a problem (issue 19, 问题清单): the organization the problem belongs to
 * writes its plan (measures, deadline, the person answerable); the level above verifies it. A
 * rule-raised problem is 销号 when the rules engine no longer finds it (its status is cleared) and a
 * pass was recorded since it last opened: if the rule fires again the problem reopens and the earlier
 * pass no longer counts. A pass while the rule still fires is refused: the data must show the fix.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { PROBLEM_SOURCE_LABELS } from '../../../contract/labels.ts';
import type { z } from 'zod';
import {
  type majorList as majorListView,
  type problemReport,
  REPORTED_SOURCE_CATEGORY,
  type rectificationBody,
  type rectificationView,
  type verifyBody,
} from '../../../contract/lists.ts';
import type { Tx } from '../../db/index.ts';
import { childOf, requireOrgAccess } from '../../platform/access.ts';
import { shanghaiDate } from '../../platform/calendar.ts';
import { type Actor, writeAudit } from '../../platform/audit.ts';
import type { Deps, SessionUser } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { getSetting } from '../../platform/settings.ts';
import { closeProblem, type ProblemCore, problemCore, raiseProblem } from '../problems/api.ts';
import {
  bare,
  claimEvidence,
  evidenceCount,
  evidenceViews,
  insertEvidence,
  PROBLEM_EVIDENCE,
  type PreparedFile,
} from './evidence.ts';
import { answerableUp } from './responsibility.ts';
import { announce, todayOf } from './service.ts';

type View = z.infer<typeof rectificationView>;

const iso = (v: Date | string) => (v instanceof Date ? v : new Date(v)).toISOString();

export async function getRectification(tx: Tx, deps: Deps, user: SessionUser, id: string): Promise<View> {
  const p = await problemCore(tx, user, id);
  return view(tx, deps, user, p);
}

async function view(tx: Tx, deps: Deps, user: SessionUser, p: ProblemCore): Promise<View> {
  const today = todayOf(deps);
  // Who answers for it: the organization's 第一责任人 (the responsibility chain, overrides included).
  const org = await requireOrgAccess(tx, user, p.orgId);
  const plan = await tx.execute<{
    measures: string;
    deadline: string;
    responsible: string | null;
    set_by_name: string | null;
    set_at: Date;
  }>(sql`select r.measures, to_char(r.deadline, 'YYYY-MM-DD') as deadline, r.responsible, u.display_name as set_by_name, r.set_at
    from problem_rectifications r left join users u on u.county_code = r.county_code and u.id = r.set_by
    where ${childOf({ countyCode: p.countyCode, id: p.id }, 'r', 'problem_id')} order by r.set_at desc, r.id desc limit 1`);
  const checks = await tx.execute<{
    result: 'pass' | 'fail';
    comment: string | null;
    by_name: string | null;
    org_name: string | null;
    at: Date;
  }>(sql`select v.result, v.comment, u.display_name as by_name, o.name as org_name, v.at
    from problem_verifications v left join users u on u.county_code = v.county_code and u.id = v.by_user
    left join orgs o on o.county_code = v.county_code and o.id = v.by_org_id
    where ${childOf({ countyCode: p.countyCode, id: p.id }, 'v', 'problem_id')} order by v.at, v.id`);
  const opened = p.openedAt?.getTime() ?? 0;
  const verifications = checks.rows.map((c) => ({
    result: c.result,
    comment: c.comment,
    byName: c.by_name ?? '',
    orgName: c.org_name ?? '',
    at: iso(c.at),
    stale: new Date(c.at).getTime() < opened,
  }));
  const last = [...verifications].reverse().find((v) => !v.stale);
  const pl = plan.rows[0];
  const cleared = p.status === 'cleared';
  const state: View['state'] =
    p.status === 'orgDissolved' || p.status === 'orgMerged'
      ? 'ended'
      : cleared && last?.result === 'pass'
        ? 'closed'
        : last?.result === 'fail'
          ? 'failed'
          : cleared
            ? 'awaiting'
            : pl
              ? 'planned'
              : 'none';
  const own = user.orgId === p.orgId;
  const levels = await answerableUp(tx, user, org, today, p.openedAt ? shanghaiDate(p.openedAt) : null);
  const reports = await tx.execute<{ id: string; text: string; by_name: string | null; at: Date }>(sql`
    select g.id, g.text, u.display_name as by_name, g.at from problem_progress g
    left join users u on u.county_code = g.county_code and u.id = g.by_user
    where ${childOf({ countyCode: p.countyCode, id: p.id }, 'g', 'problem_id')} order by g.at, g.id`);
  const files = await evidenceViews(tx, PROBLEM_EVIDENCE, p);
  const working = state !== 'closed' && state !== 'ended';
  return {
    problemId: p.id,
    orgId: p.orgId,
    orgName: p.orgName,
    problemStatus: p.status,
    message: p.message,
    state,
    owner: { now: levels[0].now, whenOpened: levels[0].atStart, levels },
    plan: pl
      ? {
          measures: pl.measures,
          deadline: pl.deadline,
          responsible: pl.responsible,
          setByName: pl.set_by_name ?? '',
          setAt: iso(pl.set_at),
          overdue: state !== 'closed' && state !== 'ended' && pl.deadline < today,
        }
      : null,
    verifications,
    progress: reports.rows.map((g) => ({
      id: g.id,
      text: g.text,
      byName: g.by_name ?? '',
      at: iso(g.at),
      evidence: files.filter((f) => f.groupId === g.id).map(bare),
    })),
    pendingEvidence: files.filter((f) => !f.groupId).map(bare),
    source: p.source,
    reportedBy:
      typeof p.detail.reportedBy === 'string'
        ? `${p.detail.reportedBy}${typeof p.detail.receivedOn === 'string' ? `，${p.detail.receivedOn} 收到` : ''}`
        : null,
    maxPhotoBytes: Number(await getSetting(tx, p.countyCode, 'files.maxImageMB')) * 1024 * 1024,
    can: {
      plan: own && user.permissions.has('lists.work') && working,
      report: own && user.permissions.has('lists.work') && working && !!pl,
      verify:
        !own &&
        user.permissions.has('lists.review') &&
        (state === 'awaiting' || state === 'planned' || state === 'failed'),
    },
  };
}

export async function setRectification(
  tx: Tx,
  deps: Deps,
  user: SessionUser,
  actor: Actor,
  id: string,
  body: z.infer<typeof rectificationBody>,
): Promise<View> {
  const p = await problemCore(tx, user, id, true);
  if (user.orgId !== p.orgId) throw new AppError('RECTIFICATION_NOT_OWNER');
  if (p.status === 'orgDissolved' || p.status === 'orgMerged' || p.status === 'upcoming')
    throw new AppError(
      'RECTIFICATION_NOT_OPEN',
      p.status === 'upcoming' ? '该事项的期间尚未结束，还不是问题，无需整改' : undefined,
    );
  const today = todayOf(deps);
  if (body.deadline < today) throw new AppError('TASK_DEADLINE_PAST', `整改时限 ${body.deadline} 早于今天（${today}）`);
  await tx.execute(sql`insert into problem_rectifications (county_code, problem_id, org_id, measures, deadline, responsible, set_by, set_at)
    values (${p.countyCode}, ${p.id}, ${p.orgId}, ${body.measures}, ${body.deadline}, ${body.responsible ?? null}, ${user.id}, ${deps.now().toISOString()}::timestamptz)`);
  await writeAudit(tx, deps.crypto, actor, [
    {
      action: 'problem.rectification',
      objectType: 'problem',
      objectId: p.id,
      detail: { orgId: p.orgId, ruleId: p.ruleId, period: p.period, deadline: body.deadline },
    },
  ]);
  await announce(tx, deps, p.countyCode, [p.orgId], ['rectifications'], user.id);
  return view(tx, deps, user, p);
}

export async function verifyRectification(
  tx: Tx,
  deps: Deps,
  user: SessionUser,
  actor: Actor,
  id: string,
  body: z.infer<typeof verifyBody>,
): Promise<View> {
  const p = await problemCore(tx, user, id, true);
  // The level above: an organization whose subtree holds the problem's, not the organization itself.
  if (user.orgId === p.orgId) throw new AppError('RECTIFICATION_NOT_ABOVE');
  await requireOrgAccess(tx, user, p.orgId);
  if (p.status === 'orgDissolved' || p.status === 'orgMerged' || p.status === 'upcoming')
    throw new AppError('RECTIFICATION_NOT_OPEN');
  if (body.result === 'pass' && p.status === 'open' && p.source === 'rule')
    throw new AppError(
      'RECTIFICATION_STILL_FOUND',
      `规则检查仍发现该问题（${p.message}）。补录或更正记录、问题自动消除后才能验收销号`,
    );
  const before = await view(tx, deps, user, p);
  if (before.state === 'closed') throw new AppError('RECTIFICATION_NOT_OPEN', '该问题已销号');
  if (before.state === 'none')
    throw new AppError('RECTIFICATION_NOT_OPEN', '问题所在组织尚未制定整改措施，制定后再验收');
  await tx.execute(sql`insert into problem_verifications (county_code, problem_id, result, comment, by_user, by_org_id, at)
    values (${p.countyCode}, ${p.id}, ${body.result}, ${body.comment ?? null}, ${user.id}, ${user.orgId}, ${deps.now().toISOString()}::timestamptz)`);
  // A problem no rule raised (an inspection's finding) is closed by the pass itself.
  if (body.result === 'pass' && p.source !== 'rule') {
    await closeProblem(tx, deps, p.countyCode, p.id, user.id);
    p.status = 'cleared';
  }
  await writeAudit(tx, deps.crypto, actor, [
    {
      action: body.result === 'pass' ? 'problem.verifyPass' : 'problem.verifyFail',
      objectType: 'problem',
      objectId: p.id,
      detail: { orgId: p.orgId, ruleId: p.ruleId, period: p.period, comment: body.comment ?? null },
    },
  ]);
  await announce(tx, deps, p.countyCode, [p.orgId], ['rectifications'], user.id);
  return view(tx, deps, user, p);
}

// ── Progress with evidence (整改进展) ──

/** The problem, when the user's organization may report on it now: its own, planned, not closed. */
async function asReporter(tx: Tx, deps: Deps, user: SessionUser, id: string, lock = false): Promise<ProblemCore> {
  const p = await problemCore(tx, user, id, lock);
  if (user.orgId !== p.orgId) throw new AppError('RECTIFICATION_NOT_OWNER', '只有问题所在的组织才能汇报整改进展');
  const v = await view(tx, deps, user, p);
  if (v.state === 'closed' || v.state === 'ended')
    throw new AppError('RECTIFICATION_NOT_OPEN', v.state === 'closed' ? '该问题已销号' : undefined);
  if (!v.plan) throw new AppError('RECTIFICATION_NO_PLAN');
  return p;
}

/** Before an upload is read: the user's organization may add evidence to this rectification now. */
export async function precheckProgress(db: Tx, user: SessionUser, id: string): Promise<void> {
  await problemCore(db, user, id).then((p) => {
    if (user.orgId !== p.orgId) throw new AppError('RECTIFICATION_NOT_OWNER', '只有问题所在的组织才能上传整改材料');
  });
}

export async function recordProgressEvidence(
  tx: Tx,
  deps: Deps,
  user: SessionUser,
  actor: Actor,
  id: string,
  file: PreparedFile,
  max: number,
): Promise<string> {
  const p = await asReporter(tx, deps, user, id, true);
  const n = await evidenceCount(tx, PROBLEM_EVIDENCE, p);
  if (n >= max) throw new AppError('TASK_EVIDENCE_TOO_MANY', `每个问题的整改最多上传 ${max} 个佐证材料，已有 ${n} 个`);
  const evidenceId = await insertEvidence(tx, PROBLEM_EVIDENCE, p, file, user.id);
  await writeAudit(tx, deps.crypto, actor, [
    {
      action: 'problem.evidence',
      objectType: 'problemEvidence',
      objectId: evidenceId,
      detail: { problemId: p.id, orgId: p.orgId, kind: file.kind, size: file.size, sm3: file.sm3 },
    },
  ]);
  return evidenceId;
}

/** A progress report of the rectification (整改进展): it takes the evidence uploaded since the last one. */
export async function reportProgress(
  tx: Tx,
  deps: Deps,
  user: SessionUser,
  actor: Actor,
  id: string,
  text: string,
): Promise<View> {
  const p = await asReporter(tx, deps, user, id, true);
  const r = await tx.execute<{
    id: string;
  }>(sql`insert into problem_progress (county_code, problem_id, org_id, text, by_user, at)
    values (${p.countyCode}, ${p.id}, ${p.orgId}, ${text}, ${user.id}, ${deps.now().toISOString()}::timestamptz) returning id`);
  const evidence = await claimEvidence(tx, PROBLEM_EVIDENCE, p, r.rows[0].id);
  await writeAudit(tx, deps.crypto, actor, [
    {
      action: 'problem.progress',
      objectType: 'problem',
      objectId: p.id,
      detail: { orgId: p.orgId, ruleId: p.ruleId, evidence },
    },
  ]);
  return view(tx, deps, user, p);
}

// ── Problems from other sources (上级反馈、群众反映) ──

/**
 * A level above registers a problem for an organization of its subtree that a higher level fed back
 * or the public reported: it opens on the organization's list like an inspection's finding, and the
 * level above's verification closes it.
 */
export async function reportProblem(
  tx: Tx,
  deps: Deps,
  user: SessionUser,
  actor: Actor,
  body: z.infer<typeof problemReport>,
): Promise<string> {
  const org = await requireOrgAccess(tx, user, body.orgId);
  if (org.id === user.orgId) throw new AppError('PROBLEM_OWN_ORG');
  if (org.status !== 'active') throw new AppError('PROBLEM_ORG_INACTIVE');
  const today = todayOf(deps);
  if (body.receivedOn > today)
    throw new AppError('INSPECTION_FUTURE', `收到日期 ${body.receivedOn} 晚于今天（${today}）`);
  const subject = randomUUID();
  const id = await raiseProblem(
    tx,
    deps,
    {
      countyCode: org.countyCode,
      source: body.source,
      category: REPORTED_SOURCE_CATEGORY[body.source],
      subjectType: 'report',
      subjectId: subject,
      orgId: org.id,
      message: `${body.receivedOn}${PROBLEM_SOURCE_LABELS[body.source]}（${body.reportedBy}）：${body.text}`,
      clearedBy: body.clearedBy ?? '整改到位并经上级验收',
      detail: { reportedBy: body.reportedBy, receivedOn: body.receivedOn, byOrgId: user.orgId },
    },
    user.id,
  );
  await writeAudit(tx, deps.crypto, actor, [
    {
      action: 'problem.report',
      objectType: 'problem',
      objectId: id,
      detail: { orgId: org.id, source: body.source, reportedBy: body.reportedBy, receivedOn: body.receivedOn },
    },
  ]);
  return id;
}

// ── Major problems of the year (LIFE-9) ──

/** How many major problems a committee settles on in a year (LIFE-9: 2–3). */
export const MAJOR_PER_YEAR = 3;

/**
 * A committee (the user's own organization) picks a problem of its subtree as one of its year's major
 * problems (LIFE-9), at most three; the list then follows each one's rectification to its 销号.
 */
export async function pickMajor(
  tx: Tx,
  deps: Deps,
  user: SessionUser,
  actor: Actor,
  id: string,
  body: { year: number; note?: string },
): Promise<void> {
  const p = await problemCore(tx, user, id);
  const mine = await requireOrgAccess(tx, user, user.orgId);
  const taken = await tx.execute<{
    n: number;
    has: boolean;
  }>(sql`select count(*)::int as n, bool_or(m.problem_id = ${p.id}) as has
    from major_problems m where ${childOf({ countyCode: mine.countyCode, id: mine.id }, 'm', 'org_id')} and m.year = ${body.year}`);
  if (taken.rows[0].has) throw new AppError('MAJOR_ALREADY');
  if (Number(taken.rows[0].n) >= MAJOR_PER_YEAR)
    throw new AppError('MAJOR_TOO_MANY', `每年确定 2—3 个重点问题，${body.year} 年已确定 ${taken.rows[0].n} 个`);
  await tx.execute(sql`insert into major_problems (county_code, org_id, year, problem_id, note, chosen_by, chosen_at)
    values (${mine.countyCode}, ${mine.id}, ${body.year}, ${p.id}, ${body.note ?? null}, ${user.id}, ${deps.now().toISOString()}::timestamptz)`);
  await writeAudit(tx, deps.crypto, actor, [
    { action: 'problem.major', objectType: 'problem', objectId: p.id, detail: { orgId: mine.id, year: body.year } },
  ]);
}

export async function majorList(
  tx: Tx,
  deps: Deps,
  user: SessionUser,
  orgId: string | undefined,
  year: number | undefined,
): Promise<z.infer<typeof majorListView>> {
  const org = await requireOrgAccess(tx, user, orgId ?? user.orgId);
  const y = year ?? Number(todayOf(deps).slice(0, 4));
  const r = await tx.execute<{
    problem_id: string;
    note: string | null;
  }>(sql`select m.problem_id, m.note from major_problems m
    where ${childOf({ countyCode: org.countyCode, id: org.id }, 'm', 'org_id')} and m.year = ${y} order by m.chosen_at`);
  const items = [];
  for (const m of r.rows) {
    const p = await problemCore(tx, user, m.problem_id);
    const v = await view(tx, deps, user, p);
    items.push({ problemId: p.id, orgName: p.orgName, message: p.message, note: m.note, state: v.state });
  }
  return { orgId: org.id, orgName: org.name, year: y, items };
}
