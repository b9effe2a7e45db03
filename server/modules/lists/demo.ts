/**
 * The lists module's part of the demo county (issue 19): a year of county tasks sent to the townships
 * and split by each township to every organization directly below it, with what a real year leaves —
 * most shares signed, reported on and accepted in time, some done late, some returned once, some still
 * open past their deadline — and their history. Deterministic from the county code; nothing is dated
 * after the moment the demo is made. After the county commits, the reminders job's work is done once so
 * that the late shares are reminded and the longest-late reported up, as the nightly job would have.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/index.ts';
import { daysBetween, shanghaiDate } from '../../platform/calendar.ts';
import type { DemoPart } from '../../platform/demo.ts';
import { addDays, Rng } from '../seed/api.ts';
import { remindCounty } from './service.ts';

/** Tasks a county organization department sends its townships in a year. */
const TITLES: readonly [string, string][] = [
  ['开展党员冬春训工作', '各乡镇组织农村党员集中轮训不少于3天，建立培训台账'],
  ['软弱涣散村党组织集中整顿', '对排查确定的软弱涣散村党组织逐村制定整顿方案，落实县乡领导包联'],
  ['党员信息采集核对', '对照全国党员管理信息系统逐一核对党员基本信息，更正错漏'],
  ['流动党员排查登记', '摸清外出流动党员去向和联系方式，建立流动党员台账'],
  ['“三会一课”落实情况自查', '对本年度“三会一课”开展情况逐支部自查，补齐记录和照片'],
  ['党费收缴情况专项检查', '核对党员党费基数和缴纳情况，整改少交、漏交问题'],
  ['村级组织活动场所规范化排查', '排查活动场所面积、标识、制度上墙和使用情况，建立问题清单'],
  ['发展党员工作专项检查', '检查近三年发展党员档案材料，整改程序不规范问题'],
  ['村级后备力量摸排', '每村摸排储备2名以上村级后备力量，建立人才库'],
  ['清廉村居建设推进', '完善村级小微权力清单，推进村务监督委员会规范运行'],
  ['“四议两公开”落实情况自查', '对本年度村级重大事项决策程序逐项自查，补全会议记录和公开材料'],
  ['党建引领乡村振兴项目申报', '各乡镇择优申报1至2个党建引领乡村振兴示范项目'],
  ['基层党组织书记述职评议准备', '组织村（社区）党组织书记撰写述职报告，做好评议准备'],
  ['“七一”走访慰问老党员和困难党员', '建立走访慰问台账，拍照留存'],
  ['主题党日活动规范化', '统一主题党日时间和流程，每月报送活动开展情况'],
  ['村务公开专项检查', '检查村务公开栏内容、时限和群众知晓情况'],
  ['农村党员积分管理试点', '每个乡镇选择2个村开展党员积分管理试点'],
  ['党内统计年报', '做好年度党组织和党员数据统计，按时报送'],
  ['驻村第一书记在岗情况自查', '核实驻村第一书记在岗天数和工作日志'],
  ['基层党建示范点创建申报', '各乡镇推荐1个示范点，报送创建方案'],
];

const REPORTS = [
  '已召开专题会议部署，明确责任人和完成时限',
  '已完成过半，正在逐户（逐人）核对',
  '已组织党员集中学习，签到表和照片已留存',
  '已建立工作台账，发现的问题正在整改',
  '按要求完成，相关材料已整理归档',
];
const RETURNS = ['台账不完整，请补充后重新提交', '缺少照片佐证材料，请补充', '部分村未完成，请核实后再提交'];

type Share = {
  id: string;
  task_id: string;
  parent_id: string | null;
  org_id: string;
  issuer_org_id: string;
  status: string;
  deadline: string;
  signed_at: string | null;
  submitted_at: string | null;
  done_at: string | null;
  return_reason: string | null;
  created_at: string;
};
type Ev = { assignment_id: string; kind: string; text: string | null; at: string };

/** 09:00 + `minutes` on a day, Beijing time. */
const at = (day: string, minutes = 0) => new Date(Date.parse(`${day}T09:00:00+08:00`) + minutes * 60_000).toISOString();

async function insertAll(tx: Tx, county: string, tasks: object[], shares: Share[], events: Ev[]) {
  await tx.execute(sql`insert into tasks (id, county_code, title, description, source, deadline, weight, evidence_needed,
      issuer_org_id, under_org_id, org_kinds, created_by, created_at, updated_at)
    select x.id, ${county}, x.title, x.description, x.source, x.deadline, x.weight, x.evidence_needed, x.issuer_org_id,
      x.under_org_id, '["committee","workingCommittee"]'::jsonb, null, x.created_at, x.created_at
    from jsonb_to_recordset(${JSON.stringify(tasks)}::jsonb) as x(id uuid, title text, description text, source text, deadline date,
      weight int, evidence_needed text, issuer_org_id uuid, under_org_id uuid, created_at timestamptz)`);
  for (let i = 0; i < shares.length; i += 5000)
    await tx.execute(sql`insert into task_assignments (id, county_code, task_id, parent_id, org_id, issuer_org_id, status, deadline,
        signed_at, submitted_at, done_at, return_reason, created_at, updated_at)
      select x.id, ${county}, x.task_id, x.parent_id, x.org_id, x.issuer_org_id, x.status, x.deadline, x.signed_at, x.submitted_at,
        x.done_at, x.return_reason, x.created_at, coalesce(x.done_at, x.submitted_at, x.signed_at, x.created_at)
      from jsonb_to_recordset(${JSON.stringify(shares.slice(i, i + 5000))}::jsonb) as x(id uuid, task_id uuid, parent_id uuid, org_id uuid,
        issuer_org_id uuid, status text, deadline date, signed_at timestamptz, submitted_at timestamptz, done_at timestamptz,
        return_reason text, created_at timestamptz)`);
  for (let i = 0; i < events.length; i += 10000)
    await tx.execute(sql`insert into task_events (county_code, assignment_id, kind, text, at)
      select ${county}, x.assignment_id, x.kind, x.text, x.at
      from jsonb_to_recordset(${JSON.stringify(events.slice(i, i + 10000))}::jsonb) as x(assignment_id uuid, kind text, text text, at timestamptz)`);
}

/**
 * A year of county tasks up to `now` (the year of `now`, from mid-January), written in `tx`; `tag`
 * varies the draw (the benchmark adds earlier years with their own tag).
 */
export async function seedTaskYear(tx: Tx, county: string, now: Date, tag = ''): Promise<Record<string, number>> {
  const rng = new Rng(`tasks:${county}${tag}`);

  const today = shanghaiDate(now);
  // Every act is dated yesterday at the latest (09:00 plus a few hours): nothing after the demo's moment.
  const lastDay = addDays(today, -1);
  const root = await tx.execute<{ id: string }>(
    sql`select id from orgs where county_code = ${county} and parent_id is null order by path limit 1`,
  );
  if (!root.rows[0]) return {};
  const rootId = root.rows[0].id;
  const towns = await tx.execute<{ id: string }>(sql`select o.id from orgs o
      where o.county_code = ${county} and o.parent_id = ${rootId} and o.status = 'active' and o.kind in ('committee', 'workingCommittee')
      order by o.path`);
  const below = await tx.execute<{ id: string; parent_id: string }>(sql`select o.id, o.parent_id from orgs o
      join orgs t on t.county_code = o.county_code and t.id = o.parent_id
      where o.county_code = ${county} and t.parent_id = ${rootId} and o.status = 'active' and o.kind <> 'partyGroup'
      order by o.path`);
  const villagesOf = new Map<string, string[]>();
  for (const v of below.rows) villagesOf.set(v.parent_id, [...(villagesOf.get(v.parent_id) ?? []), v.id]);

  const year = today.slice(0, 4);
  const first = `${year}-01-12`;
  const span = Math.max(30, Math.round((Date.parse(today) - Date.parse(first)) / 86_400_000) - 5);
  const tasks: object[] = [];
  const shares: Share[] = [];
  const events: Ev[] = [];
  const uuid = () => randomUUID();
  const cap = (iso: string | null) => (iso && iso > now.toISOString() ? null : iso);

  TITLES.forEach(([title, description], i) => {
    const issued = addDays(first, Math.round((i * span) / TITLES.length));
    if (issued > lastDay) return;
    const deadline = addDays(issued, rng.int(20, 40));
    const taskId = uuid();
    tasks.push({
      id: taskId,
      title,
      description,
      source: `兰组通〔${year}〕${i + 3}号`,
      deadline,
      weight: rng.pick([5, 5, 10, 10, 15]),
      evidence_needed: rng.chance(0.6) ? '工作台账、会议记录和照片' : null,
      issuer_org_id: rootId,
      under_org_id: rootId,
      created_at: at(issued),
    });
    for (const town of towns.rows) {
      const townShare = uuid();
      const villages = villagesOf.get(town.id) ?? [];
      const signDay = addDays(issued, rng.int(0, 2));
      const townSigned = signDay <= lastDay && rng.chance(0.97);
      const splitDeadline = addDays(deadline, -rng.int(3, 7));
      events.push({ assignment_id: townShare, kind: 'issued', text: null, at: at(issued) });
      let allDone = villages.length > 0;
      const settledTown = rng.chance(0.9);
      let lastDone = issued;
      if (townSigned) {
        events.push({ assignment_id: townShare, kind: 'sign', text: null, at: at(signDay, 30) });
        if (villages.length)
          events.push({
            assignment_id: townShare,
            kind: 'split',
            text: `分解给下级 ${villages.length} 个组织，完成时限 ${splitDeadline}`,
            at: at(signDay, 60),
          });
        for (const v of villages) {
          const id = uuid();
          const s: Share = {
            id,
            task_id: taskId,
            parent_id: townShare,
            org_id: v,
            issuer_org_id: town.id,
            status: 'issued',
            deadline: splitDeadline,
            signed_at: null,
            submitted_at: null,
            done_at: null,
            return_reason: null,
            created_at: at(signDay, 60),
          };
          events.push({ assignment_id: id, kind: 'issued', text: null, at: at(signDay, 60) });
          const vSign = addDays(signDay, rng.int(0, 3));
          // A township chases its villages: a month after the deadline most tasks are closed everywhere.
          const settled = settledTown && daysBetween(splitDeadline, today) > 30;
          if (vSign <= lastDay && (settled || rng.chance(0.95))) {
            s.status = 'signed';
            s.signed_at = at(vSign, 120);
            events.push({ assignment_id: id, kind: 'sign', text: null, at: s.signed_at });
            const past = splitDeadline < today;
            const outcome = settled
              ? rng.weighted(['onTime', 'late'], [90, 10])
              : past
                ? rng.weighted(['onTime', 'late', 'submitted', 'working', 'signed'], [75, 8, 5, 7, 5])
                : rng.weighted(['working', 'signed', 'early'], [50, 40, 10]);
            const reportDay = addDays(vSign, rng.int(1, 8));
            if (outcome !== 'signed' && reportDay <= lastDay) {
              s.status = 'inProgress';
              events.push({ assignment_id: id, kind: 'report', text: rng.pick(REPORTS), at: at(reportDay, 180) });
            }
            let submitDay =
              outcome === 'late'
                ? addDays(splitDeadline, rng.int(1, 10))
                : outcome === 'early'
                  ? addDays(reportDay, rng.int(1, 3))
                  : addDays(splitDeadline, -rng.int(0, 5));
            // A settled share is reported on before it is submitted, even when the report came late.
            if (settled && submitDay <= reportDay) submitDay = addDays(reportDay, 1);
            if (
              (outcome === 'onTime' || outcome === 'late' || outcome === 'submitted' || outcome === 'early') &&
              submitDay <= lastDay &&
              submitDay > reportDay
            ) {
              s.status = 'submitted';
              s.submitted_at = at(submitDay, 240);
              events.push({ assignment_id: id, kind: 'submit', text: null, at: s.submitted_at });
              if (outcome !== 'submitted') {
                let acceptDay = addDays(submitDay, rng.int(0, 2));
                if (rng.chance(0.05) && addDays(acceptDay, 3) <= lastDay) {
                  const reason = rng.pick(RETURNS);
                  events.push({ assignment_id: id, kind: 'return', text: reason, at: at(acceptDay, 300) });
                  acceptDay = addDays(acceptDay, rng.int(1, 3));
                  events.push({ assignment_id: id, kind: 'submit', text: null, at: at(acceptDay, 120) });
                }
                if (acceptDay <= lastDay) {
                  s.status = 'done';
                  s.done_at = cap(at(acceptDay, 360));
                  if (!s.done_at) s.status = 'submitted';
                  else {
                    events.push({ assignment_id: id, kind: 'accept', text: null, at: s.done_at });
                    if (acceptDay > lastDone) lastDone = acceptDay;
                  }
                }
              }
            }
          }
          if (s.status !== 'done') allDone = false;
          shares.push(s);
        }
      }
      // The township answers to the county once every share it split is accepted.
      const t: Share = {
        id: townShare,
        task_id: taskId,
        parent_id: null,
        org_id: town.id,
        issuer_org_id: rootId,
        status: townSigned ? (villages.length ? 'inProgress' : 'signed') : 'issued',
        deadline,
        signed_at: townSigned ? at(signDay, 30) : null,
        submitted_at: null,
        done_at: null,
        return_reason: null,
        created_at: at(issued),
      };
      if (townSigned && allDone) {
        const submitDay = addDays(lastDone, rng.int(0, 2));
        const acceptDay = addDays(submitDay, rng.int(0, 2));
        if (submitDay <= lastDay) {
          t.status = 'submitted';
          t.submitted_at = cap(at(submitDay, 420));
          if (t.submitted_at) events.push({ assignment_id: townShare, kind: 'submit', text: null, at: t.submitted_at });
          else t.status = 'inProgress';
        }
        if (t.status === 'submitted' && acceptDay <= lastDay) {
          t.done_at = cap(at(acceptDay, 480));
          if (t.done_at) {
            t.status = 'done';
            events.push({ assignment_id: townShare, kind: 'accept', text: null, at: t.done_at });
          }
        }
      }
      shares.push(t);
    }
  });
  // Nothing after the demo's moment (an event at 09:00 + minutes on today).
  const kept = events.filter((e) => e.at <= now.toISOString());
  await insertAll(tx, county, tasks, shares, kept);
  return { 任务: tasks.length, 承办: shares.length, 办理记录: kept.length };
}

const part: DemoPart = {
  county: async (tx, { county, now }): Promise<Record<string, number>> => {
    const any = await tx.execute(sql`select 1 from tasks where county_code = ${county} limit 1`);
    if (any.rows.length) return {};
    return seedTaskYear(tx, county, now);
  },
  installed: async ({ county, owner, deps, now }): Promise<Record<string, number>> => {
    // The reminders the nightly job would have made by now (its audit entries need the platform's keys).
    if (!deps) return {};
    const r = await owner.db.transaction((tx) => remindCounty(tx, { ...deps, now }, county, 3, 3));
    return { 到期提醒: r.due, 逾期提醒: r.overdue, 逾期上报: r.escalated };
  },
};

export default part;
