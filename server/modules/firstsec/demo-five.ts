/**
 * The demo county's two-new Party-building instructors (FS-3): one posted to each of the first few
 * enterprises' and social organizations' Party organizations, accounts opened with the village first
 * secretaries', a check-in at the organization about twice a month (one of them let a half month pass),
 * and the yearly items some have recorded — a practice confirmed by the township, a problem solved still
 * waiting. The organizations' themed Party days are the life module's demo records. Deterministic from the
 * county code; called by demo.ts inside the county's transaction.
 */
import { sql } from 'drizzle-orm';
import { shanghaiDate } from '../../../contract/calendar.ts';
import type { CryptoProvider } from '../../platform/crypto.ts';
import type { Tx } from '../../db/index.ts';
import { makeIdNumber } from '../../platform/idcard.ts';
import { sealCtx } from '../../platform/sealed.ts';
import { addDays, Rng } from '../seed/api.ts';

const NAMES = ['韩雪峰', '冯立群', '曹静怡', '邓国庆', '许文涛', '彭晓燕'];
const UNITS = ['县工商业联合会', '县市场监督管理局', '县委组织部', '县民政局'];
const PRACTICES = [
  [
    '“党建+生产”车间班组融合做法',
    '在三个车间设立党员示范岗，党员带班组攻关，次品率下降两成，经验在全县非公企业党建推进会上交流。',
  ],
  [
    '“红色物业”进小区的做法',
    '协会党支部牵头组织物业服务企业党员亮身份、办实事，月度恳谈会收集业主意见 40 余条，已办结 36 条。',
  ],
];
const DEEDS = [
  ['协调解决党员活动室场地', '协调企业腾出 60 平方米会议室，配齐桌椅和学习资料，支部活动有了固定场所。'],
  ['帮助企业申报稳岗补贴', '对接县人社局，帮助企业申报稳岗补贴 12.6 万元。'],
];

const uuidOf = (crypto: CryptoProvider, seed: string) =>
  crypto.sm3(seed).replace(/^(.{8})(.{4})(.{3})(.{3})(.{12}).*$/, '$1-$2-4$3-8$4-$5');

export async function seedInstructors(
  tx: Tx,
  county: string,
  crypto: CryptoProvider,
  now: Date,
  opts: { by: string; hash: string; accountAt: string; from: string },
): Promise<Record<string, number>> {
  const orgs = await tx.execute<{ id: string; name: string }>(sql`select o.id, o.name from orgs o
    where o.county_code = ${county} and o.status = 'active' and o.field in ('nonPublicEnterprise', 'socialOrganization')
      and o.kind in ('branch', 'jointBranch', 'generalBranch') order by o.path limit 4`);
  const rng = new Rng(`fs-five:${county}`);
  const today = shanghaiDate(now);
  let people = 0;
  let checkins = 0;
  let items = 0;
  for (const [i, o] of orgs.rows.entries()) {
    // The enterprise's office, in the county seat's industrial area: check-ins are measured against it.
    await tx.execute(sql`update orgs set lat = ${34.83 + rng.float() * 0.04}, lng = ${114.8 + rng.float() * 0.05}
      where county_code = ${county} and id = ${o.id}`);
    const id = uuidOf(crypto, `fs-five:${county}:${i}`);
    const userId = uuidOf(crypto, `fs-five-user:${county}:${i}`);
    const name = NAMES[i % NAMES.length];
    const idNumber = makeIdNumber('410225', `19${rng.int(78, 92)}0${rng.int(1, 9)}2${rng.int(0, 8)}`, 301 + i * 2);
    const start = `${today.slice(0, 4)}-01-05`;
    await tx.execute(sql`insert into users (id, county_code, username, display_name, password_hash, roles, org_id, must_change_password, created_by, created_at)
      values (${userId}, ${county}, ${`zd${String(i + 1).padStart(3, '0')}`}, ${name}, ${opts.hash}, array['firstSecretary']::text[], ${o.id}, true,
        ${opts.by}, ${opts.accountAt}::timestamptz)`);
    await tx.execute(sql`insert into first_secretaries (id, county_code, role, name, id_enc, id_bidx, org_id, dispatch_unit, liaison,
        start_date, end_date, areas, user_id, created_by, created_at)
      values (${id}, ${county}, 'instructor', ${name}, ${crypto.encrypt(idNumber, sealCtx('firstSecretaries.id', id))}, ${crypto.blindIndex('id', idNumber)},
        ${o.id}, ${UNITS[i % UNITS.length]}, null, ${start}, ${addDays(start, 730)}, '["organization"]'::jsonb, ${userId}, ${opts.by},
        ${start}::timestamptz)`);
    people++;
    // About twice a month at the organization since the account opened; the second instructor let one half month pass.
    for (let d = addDays(opts.accountAt.slice(0, 10), 2); d <= today; d = addDays(d, rng.int(5, 8))) {
      if (i === 1 && d.slice(8) >= '16' && d.slice(0, 7) === opts.from.slice(0, 7)) continue;
      const made = new Date(`${d}T09:${String(rng.int(10, 50))}:00+08:00`);
      if (made > now) continue;
      const cid = uuidOf(crypto, `fs-five-ck:${county}:${i}:${d}`);
      await tx.execute(sql`insert into fs_checkins (id, county_code, fs_id, org_id, day, made_at, received_at, accuracy_m, distance_m, flags, created_by)
        values (${cid}, ${county}, ${id}, ${o.id}, ${d}, ${made.toISOString()}::timestamptz, ${made.toISOString()}::timestamptz,
          ${rng.int(8, 40)}, ${rng.int(20, 300)}, '["noPhoto"]'::jsonb, ${userId})`);
      checkins++;
    }
    // The yearly items: a practice confirmed by the county, a problem solved still to confirm (not everyone).
    if (i % 2 === 0) {
      const [title, body] = PRACTICES[(i / 2) % PRACTICES.length];
      await tx.execute(sql`insert into fs_five_items (county_code, fs_id, kind, year, done_on, title, body, confirmed_by, confirmed_at, created_by)
        values (${county}, ${id}, 'practice', ${Number(today.slice(0, 4))}, ${addDays(opts.from, 20)}, ${title}, ${body}, ${opts.by},
          ${`${addDays(opts.from, 25)}T10:00:00+08:00`}::timestamptz, ${userId})`);
      items++;
    }
    if (i < 2) {
      const [title, body] = DEEDS[i];
      await tx.execute(sql`insert into fs_five_items (county_code, fs_id, kind, year, done_on, title, body, created_by)
        values (${county}, ${id}, 'deed', ${Number(today.slice(0, 4))}, ${addDays(opts.from, 50)}, ${title}, ${body}, ${userId})`);
      items++;
    }
  }
  return people ? { 两新组织党建指导员: people, 指导员打卡: checkins, '“五个一”记录': items } : {};
}
