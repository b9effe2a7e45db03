/**
 * The demo county's training and exchange sessions (issue 20): two county trainings over the demo's
 * months and one coming next week (not yet held, nobody marked), and an exchange meeting in each of the
 * first townships with people posted; attendance mostly present, some on leave with a reason, one or two
 * absent. The county's management systems are left as the defaults. Deterministic from the county code;
 * called by demo.ts inside the county's transaction, after the roster.
 */
import { sql } from 'drizzle-orm';
import { shanghaiDate } from '../../../contract/calendar.ts';
import type { Tx } from '../../db/index.ts';
import { ancestorIdSql } from '../../platform/access.ts';
import { addDays, Rng } from '../seed/api.ts';

const LEAVE_NOTES = [
  '参加县防汛调度会',
  '病假',
  '村“两委”换届筹备，乡镇同意',
  '陪同上级检查组入户',
  '家中有事，已报派出单位',
];

type Session = {
  org: string;
  kind: 'training' | 'exchange';
  title: string;
  day: string;
  place: string;
  hours: number;
  content: string;
};

export async function seedTrainings(
  tx: Tx,
  county: string,
  now: Date,
  opts: { by: string; from: string },
): Promise<Record<string, number>> {
  const root = await tx.execute<{ id: string }>(
    sql`select id from orgs where county_code = ${county} and parent_id is null order by created_at limit 1`,
  );
  if (!root.rows[0]) return {};
  const people = await tx.execute<{ id: string; role: string; town_id: string | null; town_name: string | null }>(sql`
    select f.id, f.role, tw.id as town_id, tw.name as town_name from first_secretaries f
    join orgs o on o.county_code = f.county_code and o.id = f.org_id
    left join orgs tw on tw.county_code = o.county_code and tw.id = ${ancestorIdSql('o', 1)} and tw.id <> o.id
    where f.county_code = ${county} and f.status = 'serving' and f.start_date <= ${opts.from}::date
    order by tw.name_pinyin, o.name_pinyin, f.name`);
  if (!people.rows.length) return {};
  const rng = new Rng(`fs-trainings:${county}`);
  const today = shanghaiDate(now);
  const all = people.rows.map((p) => p.id);
  const towns = new Map<string, { name: string; ids: string[] }>();
  // Townships' exchange meetings are for the village first secretaries and work teams.
  for (const p of people.rows)
    if (p.town_id && p.town_name && p.role !== 'instructor') {
      const t = towns.get(p.town_id) ?? { name: p.town_name, ids: [] };
      t.ids.push(p.id);
      towns.set(p.town_id, t);
    }
  const sessions: (Session & { ids: string[] })[] = [
    {
      org: root.rows[0].id,
      kind: 'training',
      title: '全县驻村第一书记乡村振兴专题培训班',
      day: addDays(opts.from, 12),
      place: '县委党校报告厅',
      hours: 6,
      content:
        '学习《关于向重点乡村持续选派驻村第一书记和工作队的意见》；县农业农村局讲解高标准农田和土地流转政策；两名优秀第一书记介绍工作经验。',
      ids: all,
    },
    {
      org: root.rows[0].id,
      kind: 'training',
      title: '第一书记抓党建促乡村振兴能力提升培训',
      day: addDays(opts.from, 47),
      place: '县委党校第二教室',
      hours: 3,
      content: '“三会一课”和“四议两公开”规范操作；村集体经济项目申报；矛盾纠纷排查化解。',
      ids: all,
    },
    {
      org: root.rows[0].id,
      kind: 'training',
      title: '农村电商与“互联网+农产品”销售专题培训',
      day: addDays(today, 7),
      place: '县电子商务公共服务中心',
      hours: 3,
      content: '网店开设、直播带货和县第一书记推荐展厅的使用。',
      ids: all,
    },
    ...[...towns.entries()].slice(0, 3).map(([id, t], i) => ({
      org: id,
      kind: 'exchange' as const,
      title: `${t.name.replace(/^中共|(工作)?委员会$/g, '')}第一书记工作座谈交流会`,
      day: addDays(opts.from, 25 + i * 9),
      place: `${t.name.replace(/^中共|(工作)?委员会$/g, '')}便民服务中心会议室`,
      hours: 2,
      content: '各村第一书记汇报驻村以来的工作，交流土地流转、特色产业和矛盾调处的做法，乡镇党委书记点评。',
      ids: t.ids,
    })),
  ];
  let n = 0;
  let marked = 0;
  let absentLeft = 2;
  for (const [i, s] of sessions.entries()) {
    if (s.day > addDays(today, 365)) continue;
    const id = `${'0'.repeat(8)}-0000-4000-8000-${county}${String(i).padStart(6, '0')}`;
    await tx.execute(sql`insert into fs_trainings (id, county_code, org_id, kind, title, held_on, place, hours, content, created_by, created_at)
      values (${id}, ${county}, ${s.org}, ${s.kind}, ${s.title}, ${s.day}, ${s.place}, ${s.hours}, ${s.content}, ${opts.by},
        ${`${addDays(s.day, -7)}T09:00:00+08:00`}::timestamptz)`);
    n++;
    const held = s.day <= today;
    for (const fsId of s.ids) {
      let status = 'called';
      let note: string | null = null;
      if (held) {
        const r = rng.float();
        if (r < 0.1) {
          status = 'leave';
          note = rng.pick(LEAVE_NOTES);
        } else if (r < 0.14 && absentLeft > 0) {
          status = 'absent';
          note = '未请假，已约谈提醒';
          absentLeft--;
        } else status = 'present';
        marked++;
      }
      await tx.execute(sql`insert into fs_training_attendance (county_code, training_id, fs_id, status, note)
        values (${county}, ${id}, ${fsId}, ${status}, ${note})`);
    }
  }
  return { 培训交流: n, 培训出勤记录: marked };
}
