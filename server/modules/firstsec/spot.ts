/**
 * Unannounced checks (不打招呼抽查, issue 20): an inspector asks a serving first secretary for an
 * on-the-spot photo within the county's minutes, or the platform does at a time it draws. The person's
 * check-in page shows the open check; the check-in that answers it closes it. No answer in time is
 * absence: that day does not count as a day in the village (attendance.ts).
 *
 * The platform's draw, each morning for the day: every serving person is asked on a working day with
 * the probability that gives the county's checks a month on average, at a time between 09:00 and 17:00;
 * the seed (county and day) is kept on each check, so the draw can be redone.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { spotCheckView } from '../../../contract/firstsec.ts';
import { isWorkingDay, shanghaiInstant } from '../../../contract/calendar.ts';
import type { Tx } from '../../db/index.ts';
import { inCounty, orgInScopeSql } from '../../platform/access.ts';
import { type Actor, writeAudit } from '../../platform/audit.ts';
import type { Deps, SessionUser } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { uniform } from '../../platform/seeded.ts';
import { getSetting } from '../../platform/settings.ts';
import { fsRow, ownRow } from './service.ts';

export type SpotCheckView = z.infer<typeof spotCheckView>;

type Row = {
  id: string;
  fs_id: string;
  name: string;
  org_name: string;
  asked_at: Date;
  due_at: Date;
  asked_by_name: string | null;
  seed: string | null;
  answered_by: string | null;
  answered_at: Date | null;
};

const S_SELECT = sql`select s.id, s.fs_id, f.name, o.name as org_name, s.asked_at, s.due_at, u.display_name as asked_by_name, s.seed,
    s.answered_by, s.answered_at
  from fs_spot_checks s join first_secretaries f on f.county_code = s.county_code and f.id = s.fs_id
  join orgs o on o.county_code = f.county_code and o.id = f.org_id
  left join users u on u.county_code = s.county_code and u.id = s.asked_by`;

function toView(r: Row, now: Date): SpotCheckView {
  const due = new Date(r.due_at);
  const answered = r.answered_at ? new Date(r.answered_at) : null;
  return {
    id: r.id,
    fsId: r.fs_id,
    name: r.name,
    orgName: r.org_name,
    askedAt: new Date(r.asked_at).toISOString(),
    dueAt: due.toISOString(),
    askedByName: r.asked_by_name,
    seed: r.seed,
    state: answered ? (answered <= due ? 'answered' : 'late') : due < now ? 'missed' : 'open',
    answeredAt: answered?.toISOString() ?? null,
    checkinId: r.answered_by,
  };
}

/** Checks matching `cond` (aliases s, f, o), newest first; only those already asked. */
async function spotViews(tx: Tx, deps: Deps, cond: SQL, limit = 50): Promise<SpotCheckView[]> {
  const now = deps.now();
  const r = await tx.execute<Row>(sql`${S_SELECT} where ${cond} and s.asked_at <= ${now.toISOString()}::timestamptz
    order by s.asked_at desc, s.id limit ${limit}`);
  return r.rows.map((x) => toView(x, now));
}

/** The signed-in first secretary's own checks (the open one first to answer). */
export async function ownSpotChecks(tx: Tx, deps: Deps, user: SessionUser): Promise<SpotCheckView[]> {
  const me = await ownRow(tx, user);
  return spotViews(tx, deps, sql`s.county_code = ${me.county_code} and s.fs_id = ${me.id}`);
}

/** An inspector's check of one person in the user's scope, due in the county's minutes. */
export async function askSpotCheck(tx: Tx, deps: Deps, user: SessionUser, actor: Actor, fsId: string): Promise<string> {
  const f = await fsRow(tx, user, fsId, true);
  if (f.status !== 'serving') throw new AppError('FS_NOT_SERVING');
  const minutes = Number(await getSetting(tx, f.county_code, 'firstsec.spotCheckMinutes'));
  const now = deps.now();
  const r = await tx.execute<{
    id: string;
  }>(sql`insert into fs_spot_checks (county_code, fs_id, asked_at, due_at, asked_by)
    values (${f.county_code}, ${f.id}, ${now.toISOString()}::timestamptz, ${new Date(now.getTime() + minutes * 60_000).toISOString()}::timestamptz,
      ${user.id}) returning id`);
  await writeAudit(tx, deps.crypto, actor, [
    {
      action: 'fs.spotCheck',
      objectType: 'fsSpotCheck',
      objectId: r.rows[0].id,
      detail: { fsId: f.id, orgId: f.org_id, minutes },
    },
  ]);
  return r.rows[0].id;
}

export async function spotChecksOf(tx: Tx, deps: Deps, user: SessionUser, fsId: string): Promise<SpotCheckView[]> {
  await fsRow(tx, user, fsId);
  return spotViews(tx, deps, sql`${inCounty(user, 's')} and s.fs_id = ${fsId} and ${orgInScopeSql(user)}`);
}

/**
 * The platform's draw of `day` for a county (the job runs it once a day; a repeat finds the day drawn
 * and adds nothing). Returns how many checks it made.
 */
export async function drawSpotChecks(tx: Tx, county: string, day: string): Promise<number> {
  if (!isWorkingDay(day)) return 0;
  const perMonth = Number(await getSetting(tx, county, 'firstsec.randomChecksPerMonth'));
  if (perMonth <= 0) return 0;
  const seed = `${county}:${day}`;
  const done = await tx.execute(
    sql`select 1 from fs_spot_checks s where s.county_code = ${county} and s.seed = ${seed} limit 1`,
  );
  if (done.rows.length) return 0;
  const minutes = Number(await getSetting(tx, county, 'firstsec.spotCheckMinutes'));
  const people = await tx.execute<{ id: string }>(sql`select f.id from first_secretaries f
    join orgs o on o.county_code = f.county_code and o.id = f.org_id
    where f.county_code = ${county} and f.status = 'serving' and f.user_id is not null and f.start_date <= ${day}::date
      and not exists (select 1 from fs_leaves l where l.county_code = f.county_code and l.fs_id = f.id and l.status = 'approved'
        and ${day}::date between l.from_date and l.to_date)
    order by f.id`);
  // About 21 working days a month: the chance a working day is drawn for a person.
  const p = Math.min(1, perMonth / 21);
  let n = 0;
  for (const f of people.rows) {
    if (uniform(seed, f.id, 0) >= p) continue;
    // 09:00–17:00 Beijing time, to the minute.
    const minute = Math.floor(uniform(seed, f.id, 1) * 8 * 60);
    const asked = new Date(shanghaiInstant(day, '09:00').getTime() + minute * 60_000);
    await tx.execute(sql`insert into fs_spot_checks (county_code, fs_id, asked_at, due_at, asked_by, seed)
      values (${county}, ${f.id}, ${asked.toISOString()}::timestamptz, ${new Date(asked.getTime() + minutes * 60_000).toISOString()}::timestamptz,
        null, ${seed})`);
    n++;
  }
  return n;
}
