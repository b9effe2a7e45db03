/**
 * A first secretary's yearly score (issue 20), from what the platform already judged rather than a second
 * count: the rules' results of the year's ended periods (FS-2 months in the village, FS-4 reports on time,
 * FS-3 five ones), the posted organization's task shares due while the person served (done by the
 * deadline) and its problems raised then (cleared; the FS rules' own left out, they are counted above),
 * and the township's and the dispatching unit's marks out of 100. Each part is weighted by the county's
 * setting (firstsec.score.*); a part with nothing to judge is left out and the others scaled to 100.
 * `yearScores` is what the assessment issue reads.
 */
import type { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { scoreMarkBody, scoreView } from '../../../contract/firstsec-score.ts';
import { shanghaiMinute } from '../../../contract/calendar.ts';
import { FS_ROLE_LABELS, FS_SCORE_PART_LABELS, FS_SCORE_PARTS, type FsScorePart } from '../../../contract/labels.ts';
import type { Tx } from '../../db/index.ts';
import { ancestorIdSql, inCounty, inSubtree, orgInScopeSql, requireOrgAccess } from '../../platform/access.ts';
import { type Actor, writeAudit } from '../../platform/audit.ts';
import type { Deps, SessionUser } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { getSetting } from '../../platform/settings.ts';
import { addRow, addSheet, createWorkbook, LANDSCAPE_PRINT, setColumns } from '../../platform/xlsx-cells.ts';
import { sides } from './leaves.ts';
import { fsRow, ownOnly, todayOf } from './service.ts';

type View = z.infer<typeof scoreView>;

type Person = {
  id: string;
  name: string;
  role: View['role'];
  org_id: string;
  org_name: string;
  org_path: string;
  township_name: string | null;
  dispatch_org_id: string | null;
  start_date: string;
  ended_on: string | null;
};

const P_SELECT = sql`select f.id, f.name, f.role, f.org_id, o.name as org_name, o.path as org_path, t.name as township_name, f.dispatch_org_id,
    to_char(f.start_date, 'YYYY-MM-DD') as start_date, to_char(f.ended_on, 'YYYY-MM-DD') as ended_on
  from first_secretaries f join orgs o on o.county_code = f.county_code and o.id = f.org_id
  left join orgs t on t.county_code = o.county_code and t.id = ${ancestorIdSql('o', 1)} and t.id <> o.id`;

const round1 = (n: number) => Math.round(n * 10) / 10;
const pct = (n: number) => `${Math.round(n * 1000) / 10}%`;

/** The weights in force (the county's settings). */
async function weights(tx: Tx, county: string): Promise<Record<FsScorePart, number>> {
  const out = {} as Record<FsScorePart, number>;
  for (const p of FS_SCORE_PARTS) out[p] = Number(await getSetting(tx, county, `firstsec.score.${p}`));
  return out;
}

/** The scores of these people for a year (in the order given). */
export async function yearScores(
  tx: Tx,
  deps: Deps,
  county: string,
  people: Person[],
  year: number,
  user: SessionUser | null,
): Promise<View[]> {
  if (!people.length) return [];
  const ids = `{${people.map((p) => p.id).join(',')}}`;
  const today = todayOf(deps);
  const y0 = `${year}-01-01`;
  const y1 = `${year}-12-31`;
  const w = await weights(tx, county);
  const rules = await tx.execute<{ fs_id: string; rule_id: string; n: number; ok: number; req: number; held: number }>(
    sql`select r.subject_id as fs_id, r.rule_id, count(*)::int as n, (count(*) filter (where r.ok))::int as ok,
        sum(r.required)::int as req, sum(least(r.held, r.required))::int as held
      from rule_results r where r.county_code = ${county} and r.subject_type = 'firstSecretary' and r.subject_id = any(${ids}::uuid[])
        and r.rule_id in ('FS-2', 'FS-3', 'FS-4') and r.ended and r.period like ${`${year}%`}
      group by 1, 2`,
  );
  // The span of the year the person served, up to yesterday (a deadline of today is not yet missed).
  const served = sql`greatest(f.start_date, ${y0}::date) and least(coalesce(f.ended_on - 1, ${y1}::date), ${y1}::date, ${today}::date - 1)`;
  const tasks = await tx.execute<{ fs_id: string; n: number; ok: number }>(
    sql`select f.id as fs_id, count(*)::int as n,
        (count(*) filter (where a.status = 'done' and (a.submitted_at at time zone 'Asia/Shanghai')::date <= a.deadline))::int as ok
      from first_secretaries f join task_assignments a on a.county_code = f.county_code and a.org_id = f.org_id
      where f.county_code = ${county} and f.id = any(${ids}::uuid[]) and a.deadline between ${served}
      group by 1`,
  );
  const problems = await tx.execute<{ fs_id: string; n: number; ok: number }>(
    sql`select f.id as fs_id, count(*)::int as n, (count(*) filter (where p.status = 'cleared'))::int as ok
      from first_secretaries f join problems p on p.county_code = f.county_code and p.org_id = f.org_id
      where f.county_code = ${county} and f.id = any(${ids}::uuid[]) and p.rule_id not like 'FS-%' and p.status in ('open', 'cleared')
        and p.raised_at is not null and (p.raised_at at time zone 'Asia/Shanghai')::date between ${served}
      group by 1`,
  );
  const marks = await tx.execute<{
    fs_id: string;
    side: 'town' | 'unit';
    score: string;
    comment: string;
    by_name: string | null;
    given_at: Date;
  }>(sql`select s.fs_id, s.side, s.score, s.comment, u.display_name as by_name, s.given_at
    from fs_score_items s left join users u on u.county_code = s.county_code and u.id = s.given_by
    where s.county_code = ${county} and s.fs_id = any(${ids}::uuid[]) and s.year = ${year}`);

  return people.map((p) => {
    const rule = (id: string) => rules.rows.find((r) => r.fs_id === p.id && r.rule_id === id);
    const count = (rows: { fs_id: string; n: number; ok: number }[]) => rows.find((r) => r.fs_id === p.id);
    const mark = (side: 'town' | 'unit') => {
      const m = marks.rows.find((r) => r.fs_id === p.id && r.side === side);
      return m
        ? {
            score: Number(m.score),
            comment: m.comment,
            byName: m.by_name,
            at: new Date(m.given_at).toISOString(),
          }
        : null;
    };
    const town = mark('town');
    const unit = mark('unit');
    const parts: { part: FsScorePart; rate: number | null; note: string }[] = [];
    const fs2 = rule('FS-2');
    parts.push(
      p.role === 'instructor'
        ? { part: 'attendance', rate: null, note: '党建指导员不按在村天数考核（到联系组织的天数计入“五个一”）' }
        : fs2
          ? {
              part: 'attendance',
              rate: fs2.ok / fs2.n,
              note: `已检查的 ${fs2.n} 个月中 ${fs2.ok} 个月在村天数达到要求`,
            }
          : { part: 'attendance', rate: null, note: '当年没有已结束并检查的月份' },
    );
    const fs4 = rule('FS-4');
    parts.push(
      fs4
        ? { part: 'reports', rate: fs4.ok / fs4.n, note: `应交的 ${fs4.n} 份定期汇报中 ${fs4.ok} 份已提交` }
        : { part: 'reports', rate: null, note: '当年没有已到期的定期汇报' },
    );
    const fs3 = rule('FS-3');
    parts.push(
      fs3 && fs3.req > 0
        ? { part: 'fiveOnes', rate: fs3.held / fs3.req, note: `已到期的 ${fs3.req} 项中完成 ${fs3.held} 项` }
        : {
            part: 'fiveOnes',
            rate: null,
            note:
              p.role === 'workTeam' || !fs3
                ? '不适用或当年没有已到期的事项（只考核两新组织第一书记、党建指导员）'
                : '当年没有已到期的事项',
          },
    );
    const tk = count(tasks.rows);
    parts.push(
      tk?.n
        ? { part: 'tasks', rate: tk.ok / tk.n, note: `到期的 ${tk.n} 项任务中 ${tk.ok} 项按期完成` }
        : { part: 'tasks', rate: null, note: '任期内当年没有到期的任务' },
    );
    const pb = count(problems.rows);
    parts.push(
      pb?.n
        ? {
            part: 'problems',
            rate: pb.ok / pb.n,
            note: `任期内当年发现的 ${pb.n} 个问题中 ${pb.ok} 个已整改销号或消除`,
          }
        : { part: 'problems', rate: null, note: '任期内当年没有发现问题' },
    );
    parts.push(
      town
        ? {
            part: 'town',
            rate: town.score / 100,
            note: `${town.byName ?? ''}评 ${town.score} 分${town.comment ? `：${town.comment}` : ''}`,
          }
        : { part: 'town', rate: null, note: '乡镇（街道）尚未评价' },
    );
    parts.push(
      unit
        ? {
            part: 'unit',
            rate: unit.score / 100,
            note: `${unit.byName ?? ''}评 ${unit.score} 分${unit.comment ? `：${unit.comment}` : ''}`,
          }
        : { part: 'unit', rate: null, note: '派出单位尚未评价' },
    );
    const counted = parts.filter((x) => x.rate !== null && w[x.part] > 0);
    const weightSum = counted.reduce((s, x) => s + w[x.part], 0);
    const scale = weightSum > 0 ? 100 / weightSum : 0;
    const s = user ? sides(user, p) : { township: false, unit: false };
    return {
      fsId: p.id,
      name: p.name,
      role: p.role,
      orgName: p.org_name,
      townshipName: p.township_name,
      year,
      parts: parts.map((x) => ({
        part: x.part,
        weight: w[x.part],
        rate: x.rate === null ? null : round1(x.rate * 1000) / 1000,
        points: x.rate === null || w[x.part] === 0 ? null : round1(x.rate * w[x.part]),
        note: x.rate === null ? x.note : `${x.note}（${pct(x.rate)}）`,
      })),
      total: weightSum > 0 ? round1(counted.reduce((t, x) => t + (x.rate ?? 0) * w[x.part], 0) * scale) : null,
      final: !!town && !!unit && y1 < today,
      town,
      unit,
      can: { town: s.township, unit: s.unit },
    };
  });
}

/** The scores of the people posted in the user's scope (optionally under one organization), best first. */
export async function listScores(tx: Tx, deps: Deps, user: SessionUser, year: number, orgId?: string): Promise<View[]> {
  // Under one organization of the scope (404 outside it).
  const under = orgId ? await requireOrgAccess(tx, user, orgId) : null;
  const r = await tx.execute<Person>(sql`${P_SELECT}
    where ${inCounty(user, 'f')} and ${orgInScopeSql(user)} and ${ownOnly(user)}
      and f.start_date <= ${`${year}-12-31`}::date and (f.ended_on is null or f.ended_on > ${`${year}-01-01`}::date)
      ${under ? sql`and ${inSubtree(under, 'o')}` : sql``}
    order by o.path, f.name`);
  const all = await yearScores(tx, deps, user.countyCode, r.rows, year, user);
  return all.sort((a, b) => (b.total ?? -1) - (a.total ?? -1));
}

async function person(tx: Tx, user: SessionUser, id: string, lock = false): Promise<Person> {
  await fsRow(tx, user, id, lock);
  const r = await tx.execute<Person>(sql`${P_SELECT} where ${inCounty(user, 'f')} and f.id = ${id}`);
  return r.rows[0];
}

export async function scoreOf(tx: Tx, deps: Deps, user: SessionUser, id: string, year?: number): Promise<View> {
  const p = await person(tx, user, id);
  const y = year ?? Number(todayOf(deps).slice(0, 4));
  return (await yearScores(tx, deps, user.countyCode, [p], y, user))[0];
}

/** The township's (side town) or the dispatching unit's (side unit) mark of a year; given again, it replaces the first. */
export async function markScore(
  tx: Tx,
  deps: Deps,
  user: SessionUser,
  actor: Actor,
  id: string,
  side: 'town' | 'unit',
  body: z.infer<typeof scoreMarkBody>,
): Promise<void> {
  const p = await person(tx, user, id, true);
  const s = sides(user, p);
  if (!(side === 'town' ? s.township : s.unit)) throw new AppError('FS_SCORE_NOT_YOURS');
  const today = todayOf(deps);
  if (
    `${body.year}-01-01` > today ||
    `${body.year}-12-31` < p.start_date ||
    (p.ended_on && `${body.year}-01-01` >= p.ended_on)
  )
    throw new AppError('FS_SCORE_YEAR');
  await tx.execute(sql`insert into fs_score_items (county_code, fs_id, year, side, score, comment, given_by)
    values (${user.countyCode}, ${id}, ${body.year}, ${side}, ${body.score}, ${body.comment}, ${user.id})
    on conflict (county_code, fs_id, year, side) do update set score = excluded.score, comment = excluded.comment,
      given_by = excluded.given_by, given_at = now()`);
  await writeAudit(tx, deps.crypto, actor, [
    {
      action: 'fs.score',
      objectType: 'firstSecretary',
      objectId: id,
      detail: { year: body.year, side, score: body.score },
    },
  ]);
}

/**
 * The scores as an .xlsx (年度考核得分表): a title row (the year, the scope and the time of export), the
 * Chinese headers with each part's weight, one row per person best first, each part's points or 不计,
 * the total and whether it is final; a second sheet with what each part's points rest on.
 */
export async function writeScoresExport(
  tx: Tx,
  deps: Deps,
  user: SessionUser,
  year: number,
  orgId: string | undefined,
  title: string,
  out: Writable,
): Promise<number> {
  const items = await listScores(tx, deps, user, year, orgId);
  const w = await weights(tx, user.countyCode);
  const wb = createWorkbook('fsScores');
  const ws = addSheet(wb, '年度考核得分', {
    pageSetup: LANDSCAPE_PRINT,
    views: [{ state: 'frozen', ySplit: 2 }],
  });
  setColumns(
    ws,
    [6, 10, 12, 30, 24, ...FS_SCORE_PARTS.map(() => 12), 8, 8].map((width) => ({ width })),
  );
  addRow(ws, [`${title}（${year}年；导出时间：${shanghaiMinute(deps.now())}）`]);
  addRow(ws, [
    '名次',
    '姓名',
    '类别',
    '驻村（联系）组织',
    '乡镇（街道）',
    ...FS_SCORE_PARTS.map((p) => `${FS_SCORE_PART_LABELS[p]}（${w[p]}分）`),
    '总分',
    '状态',
  ]);
  let rank = 0;
  for (const s of items) {
    if (s.total !== null) rank++;
    addRow(ws, [
      s.total === null ? '' : rank,
      s.name,
      FS_ROLE_LABELS[s.role],
      s.orgName,
      s.townshipName ?? '',
      ...FS_SCORE_PARTS.map((p) => {
        const x = s.parts.find((y) => y.part === p);
        return x?.points ?? '不计';
      }),
      s.total ?? '',
      s.total === null ? '无可计分项' : s.final ? '已定' : '暂计',
    ]);
  }
  const notes = addSheet(wb, '计分依据', { views: [{ state: 'frozen', ySplit: 1 }] });
  setColumns(notes, [{ width: 10 }, { width: 14 }, { width: 70 }]);
  addRow(notes, ['姓名', '项目', '依据']);
  for (const s of items) for (const p of s.parts) addRow(notes, [s.name, FS_SCORE_PART_LABELS[p.part], p.note]);
  await wb.xlsx.write(out);
  out.end();
  return items.length;
}
