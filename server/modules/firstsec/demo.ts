/**
 * The first-secretaries module's part of the demo county (issue 20): first secretaries posted to about
 * one rural village in five (every village the county marked 软弱涣散村 but one, so FS-1 has a gap to
 * show), a few village work-team members, their accounts opened four months ago, and three months of
 * check-ins as real ones look — most days near the office, a few far or sent late, some people short of
 * their days — with approved leave and some unannounced checks, answered or missed. Deterministic from
 * the county code; nothing is dated after the demo's moment. After the county commits, a handful of
 * drawn on-the-spot photos are stored and attached to the most recent check-ins (older ones stay marked
 * as without a photo, which they are).
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import sharp from 'sharp';
import { isWorkingDay, shanghaiDate } from '../../../contract/calendar.ts';
import type { FsArea } from '../../../contract/labels.ts';
import type { Tx } from '../../db/index.ts';
import type { DemoPart } from '../../platform/demo.ts';
import { makeIdNumber } from '../../platform/idcard.ts';
import { hashPassword } from '../../platform/passwords.ts';
import { sealCtx } from '../../platform/sealed.ts';
import type { CryptoProvider } from '../../platform/crypto.ts';
import { prepareEvidence } from '../meetings/api.ts';
import { addDays, Rng } from '../seed/api.ts';
import { seedInstructors } from './demo-five.ts';
import { seedReports } from './demo-reports.ts';
import { seedTrainings } from './demo-trainings.ts';

const SURNAMES = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '赵',
  '黄',
  '周',
  '吴',
  '徐',
  '孙',
  '马',
  '朱',
  '胡',
  '郭',
  '何',
  '高',
  '林',
  '罗',
];
const GIVEN = [
  '建国',
  '志强',
  '海涛',
  '晓东',
  '立新',
  '文博',
  '俊杰',
  '丽娟',
  '红梅',
  '春燕',
  '明辉',
  '国栋',
  '鹏飞',
  '雪梅',
  '振华',
  '玉兰',
];
const UNITS = [
  '县财政局',
  '县发展和改革委员会',
  '县农业农村局',
  '县自然资源局',
  '县人力资源和社会保障局',
  '县卫生健康委员会',
  '县交通运输局',
  '县供电公司',
  '县农商银行',
  '县教育体育局',
];
const AREAS: FsArea[][] = [
  ['organization', 'industry'],
  ['povertyRelief', 'prosperity'],
  ['landTransfer', 'cropStructure'],
  ['environment', 'customs'],
  ['organization', 'stability'],
];
const LEAVE_REASONS = ['回派出单位参加集中培训', '家中老人住院陪护', '参加县里第一书记座谈交流会', '处理个人急事'];

type Village = { id: string; name: string; lat: number; lng: number };

async function villagesOf(tx: Tx, county: string): Promise<Village[]> {
  const r = await tx.execute<{ id: string; name: string }>(sql`select o.id, o.name from orgs o
    where o.county_code = ${county} and o.status = 'active' and o.field = 'rural' and o.depth = 2 and o.kind in ('branch', 'committee')
    order by o.path`);
  // Around the county seat: the demo's villages spread over some 30 km.
  const rng = new Rng(`fs-geo:${county}`);
  return r.rows.map((v) => ({ ...v, lat: 34.82 + rng.float() * 0.3 - 0.15, lng: 114.82 + rng.float() * 0.36 - 0.18 }));
}

function seal(crypto: CryptoProvider, field: string, id: string, value: string): string {
  return crypto.encrypt(value, sealCtx(field, id));
}

async function seedCounty(tx: Tx, county: string, crypto: CryptoProvider, now: Date): Promise<Record<string, number>> {
  const any = await tx.execute(sql`select 1 from first_secretaries where county_code = ${county} limit 1`);
  if (any.rows.length) return {};
  const villages = await villagesOf(tx, county);
  if (!villages.length) return {};
  const admin = await tx.execute<{ id: string }>(
    sql`select u.id from users u where u.county_code = ${county} and 'countyAdmin' = any(u.roles) order by u.created_at limit 1`,
  );
  const by = admin.rows[0]?.id ?? crypto.sm3(county).slice(0, 8) + '-0000-4000-8000-000000000000';
  const rng = new Rng(`fs:${county}`);
  const today = shanghaiDate(now);
  // The demo's accounts share one hash of a password nobody knows: the county opens real ones (or resets these).
  const hash = await hashPassword(randomUUID());
  const accountAt = `${addDays(today.slice(0, 7) + '-01', -120).slice(0, 7)}-15T10:00:00+08:00`;
  const from = `${addDays(today.slice(0, 7) + '-01', -75).slice(0, 7)}-01`;

  // Offices, then the posts: one village in five, weak ones first.
  for (const v of villages)
    await tx.execute(
      sql`update orgs set lat = ${v.lat}, lng = ${v.lng} where county_code = ${county} and id = ${v.id}`,
    );
  const posted = villages.filter((_, i) => i % 5 === 0);
  const weak = posted.slice(0, Math.max(2, Math.floor(posted.length / 3)));
  // One weak village more, without anyone posted: FS-1's gap.
  const gap = villages.find((v) => !posted.includes(v));
  let n = 0;
  let checkins = 0;
  let leaves = 0;
  let checks = 0;
  const kinds: [Village, string][] = [
    ...weak.map((v) => [v, 'weak'] as [Village, string]),
    ...posted.slice(weak.length, weak.length + 3).map((v) => [v, 'revitalization'] as [Village, string]),
    ...(gap ? [[gap, 'weak'] as [Village, string]] : []),
  ];
  for (const [v, kind] of kinds)
    await tx.execute(sql`insert into org_designations (county_code, org_id, kind, from_date, set_by)
      values (${county}, ${v.id}, ${kind}, ${`${today.slice(0, 4)}-01-01`}, ${by})`);

  const people: { v: Village; role: 'firstSecretary' | 'workTeam'; diligence: number }[] = [
    ...posted.map((v, i) => ({
      v,
      role: 'firstSecretary' as const,
      diligence: i % 7 === 3 ? 0.5 : i % 5 === 2 ? 0.68 : 0.9,
    })),
    ...posted.slice(0, 3).map((v) => ({ v, role: 'workTeam' as const, diligence: 0.85 })),
  ];
  for (const [i, p] of people.entries()) {
    const id = crypto.sm3(`fs:${county}:${i}`).replace(/^(.{8})(.{4})(.{3})(.{3})(.{12}).*$/, '$1-$2-4$3-8$4-$5');
    const name = rng.pick(SURNAMES) + rng.pick(GIVEN);
    const idNumber = makeIdNumber('410225', `19${rng.int(75, 95)}0${rng.int(1, 9)}1${rng.int(0, 9)}`, 100 + i * 2 + 1);
    const start = addDays(from, -rng.int(60, 400));
    const userId = crypto
      .sm3(`fs-user:${county}:${i}`)
      .replace(/^(.{8})(.{4})(.{3})(.{3})(.{12}).*$/, '$1-$2-4$3-8$4-$5');
    // Every person has an account except the last two, whose accounts the county opens in the demo.
    const withAccount = i < people.length - 2;
    if (withAccount)
      await tx.execute(sql`insert into users (id, county_code, username, display_name, password_hash, roles, org_id, must_change_password, created_by, created_at)
        values (${userId}, ${county}, ${`fs${String(i + 1).padStart(3, '0')}`}, ${name}, ${hash}, array['firstSecretary']::text[], ${p.v.id}, true, ${by},
          ${accountAt}::timestamptz)`);
    await tx.execute(sql`insert into first_secretaries (id, county_code, role, name, id_enc, id_bidx, org_id, dispatch_unit, liaison,
        start_date, end_date, areas, user_id, created_by, created_at)
      values (${id}, ${county}, ${p.role}, ${name}, ${seal(crypto, 'firstSecretaries.id', id, idNumber)}, ${crypto.blindIndex('id', idNumber)},
        ${p.v.id}, ${rng.pick(UNITS)}, ${`${rng.pick(SURNAMES)}科长 0371-2${rng.int(100, 999)}${rng.int(1000, 9999)}`}, ${start},
        ${addDays(start, 730)}, ${JSON.stringify(rng.pick(AREAS))}::jsonb, ${withAccount ? userId : null}, ${by}, ${start}::timestamptz)`);
    n++;
    if (!withAccount) continue;
    // A leave of two or three working days in one of the months.
    const leaveStart = addDays(from, rng.int(10, 70));
    const leaveEnd = addDays(leaveStart, rng.int(1, 2));
    if (leaveEnd < today) {
      await tx.execute(sql`insert into fs_leaves (county_code, fs_id, from_date, to_date, reason, status, town_approve, town_by, town_at,
          unit_approve, unit_by, unit_at, created_by, created_at)
        values (${county}, ${id}, ${leaveStart}, ${leaveEnd}, ${rng.pick(LEAVE_REASONS)}, 'approved', true, ${by}, ${`${addDays(leaveStart, -2)}T10:00:00+08:00`}::timestamptz,
          true, ${by}, ${`${addDays(leaveStart, -1)}T15:00:00+08:00`}::timestamptz, ${userId}, ${`${addDays(leaveStart, -3)}T09:00:00+08:00`}::timestamptz)`);
      leaves++;
    }
    for (let d = from; d <= today; d = addDays(d, 1)) {
      if (d >= leaveStart && d <= leaveEnd) continue;
      const work = isWorkingDay(d);
      if (!rng.chance(work ? p.diligence : 0.25)) continue;
      const minute = rng.int(0, 90);
      const made = new Date(`${d}T08:30:00+08:00`).getTime() + minute * 60_000;
      if (made > now.getTime()) continue;
      const far = rng.chance(0.03);
      const late = rng.chance(0.05);
      const distance = far ? rng.int(3000, 12000) : rng.int(30, 900);
      const flags = [...(far ? ['far'] : []), 'noPhoto', ...(late ? ['late'] : [])];
      const cid = crypto
        .sm3(`fs-ck:${county}:${i}:${d}`)
        .replace(/^(.{8})(.{4})(.{3})(.{3})(.{12}).*$/, '$1-$2-4$3-8$4-$5');
      const dLat = (distance / 111_000) * (rng.chance(0.5) ? 1 : -1);
      const received = late ? made + rng.int(2, 20) * 3600_000 : made + rng.int(2, 40) * 1000;
      await tx.execute(sql`insert into fs_checkins (id, county_code, fs_id, org_id, day, made_at, received_at, position_enc, accuracy_m, distance_m, flags, created_by)
        values (${cid}, ${county}, ${id}, ${p.v.id}, ${d}, ${new Date(made).toISOString()}::timestamptz,
          ${new Date(Math.min(received, now.getTime())).toISOString()}::timestamptz,
          ${seal(crypto, 'fsCheckins.position', cid, `${(p.v.lat + dLat).toFixed(6)},${p.v.lng.toFixed(6)}`)}, ${rng.int(8, 60)}, ${distance},
          ${JSON.stringify(flags)}::jsonb, ${userId})`);
      checkins++;
    }
    // Two unannounced checks: one answered in time, one missed (its day does not count).
    for (const [k, answered] of [
      [0, true],
      [1, false],
    ] as const) {
      const day = addDays(from, 20 + k * 25 + rng.int(0, 5));
      if (day >= today || !isWorkingDay(day)) continue;
      const asked = new Date(`${day}T14:00:00+08:00`);
      const due = new Date(asked.getTime() + 60 * 60_000);
      let answeredBy: string | null = null;
      if (answered) {
        answeredBy = crypto
          .sm3(`fs-ans:${county}:${i}:${day}`)
          .replace(/^(.{8})(.{4})(.{3})(.{3})(.{12}).*$/, '$1-$2-4$3-8$4-$5');
        await tx.execute(sql`insert into fs_checkins (id, county_code, fs_id, org_id, day, made_at, received_at, accuracy_m, distance_m, flags, check_id, created_by)
          values (${answeredBy}, ${county}, ${id}, ${p.v.id}, ${day}, ${new Date(asked.getTime() + 20 * 60_000).toISOString()}::timestamptz,
            ${new Date(asked.getTime() + 20 * 60_000).toISOString()}::timestamptz, 15, ${rng.int(30, 400)}, '["noPhoto"]'::jsonb, null, ${userId})`);
        checkins++;
      }
      const check = await tx.execute<{
        id: string;
      }>(sql`insert into fs_spot_checks (county_code, fs_id, asked_at, due_at, asked_by, answered_by, answered_at)
        values (${county}, ${id}, ${asked.toISOString()}::timestamptz, ${due.toISOString()}::timestamptz, ${by}, ${answeredBy},
          ${answered ? new Date(asked.getTime() + 20 * 60_000).toISOString() : null}::timestamptz) returning id`);
      if (answeredBy)
        await tx.execute(
          sql`update fs_checkins set check_id = ${check.rows[0].id} where county_code = ${county} and id = ${answeredBy}`,
        );
      checks++;
    }
  }
  const five = await seedInstructors(tx, county, crypto, now, { by, hash, accountAt, from });
  const reports = await seedReports(tx, county, now, { by, hash });
  const trainings = await seedTrainings(tx, county, now, { by, from });
  return {
    第一书记和工作队员: n,
    考勤打卡: checkins,
    请假: leaves,
    不打招呼抽查: checks,
    ...five,
    ...reports,
    ...trainings,
  };
}

/** A phone photo of a village office, drawn (not downloaded), with the capture time a phone writes. */
async function officePhoto(seed: string, takenAt: string): Promise<Buffer> {
  const rng = new Rng(`fs-photo:${seed}`);
  const sky = rng.pick(['#9cc3e6', '#b7d3ec', '#c9d9e8']);
  const wall = rng.pick(['#efe6d2', '#e8e1d4', '#f1ece2']);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="800" height="600">
    <rect width="800" height="600" fill="${sky}"/><rect y="430" width="800" height="170" fill="#8d8577"/>
    <rect x="130" y="200" width="540" height="240" fill="${wall}"/><rect x="130" y="180" width="540" height="30" fill="#8a2a23"/>
    <rect x="220" y="215" width="360" height="40" fill="#c8161d"/><rect x="240" y="226" width="320" height="18" fill="#f5d27a" opacity="0.85"/>
    <rect x="360" y="320" width="80" height="120" fill="#6b4a2f"/>
    <rect x="180" y="300" width="90" height="70" fill="#5d7b96"/><rect x="530" y="300" width="90" height="70" fill="#5d7b96"/>
    <rect x="${rng.int(80, 640)}" y="360" width="26" height="80" fill="#2f3e56"/><circle cx="${rng.int(90, 650)}" cy="350" r="14" fill="#e0b894"/>
  </svg>`;
  const exif = `${takenAt.replace(/-/g, ':')}:${String(rng.int(0, 59)).padStart(2, '0')}`;
  return sharp(Buffer.from(svg))
    .jpeg({ quality: 80 })
    .withExif({ IFD0: { Make: 'Xiaomi', Model: 'Redmi Note 13' }, IFD2: { DateTimeOriginal: exif } } as never)
    .toBuffer();
}

const part: DemoPart = {
  county: async (tx, { county, crypto, now }) => seedCounty(tx, county, crypto, now),
  // On-the-spot photos: six drawn ones, stored once and shared by the demo's check-ins (a demo, not a
  // record); one check-in in twelve keeps no photo and its mark 未拍现场照片.
  installed: async ({ county, deps, log }): Promise<Record<string, number>> => {
    if (!deps) {
      log('第一书记考勤照片：未配置文件存储，跳过');
      return {};
    }
    const db = deps.database.db;
    const done = await db.execute(
      sql`select 1 from fs_checkins c where c.county_code = ${county} and c.blob_key is not null limit 1`,
    );
    if (done.rows.length) return {};
    const photos = [];
    for (let k = 0; k < 6; k++) {
      const bytes = await officePhoto(
        `${county}:${k}`,
        `${shanghaiDate(new Date())} 09:${String(10 + k * 7).padStart(2, '0')}`,
      );
      const stored = await deps.files.store(Readable.from([bytes]), {
        allowedKinds: ['jpeg'],
        maxBytes: bytes.length + 1,
      });
      photos.push(await prepareEvidence(deps, { ...stored, filename: '现场照片.jpg' }));
    }
    let n = 0;
    for (const [k, p] of photos.entries()) {
      const r =
        await db.execute(sql`update fs_checkins c set blob_key = ${p.key}, sm3 = ${p.sm3}, source_sm3 = ${p.sourceSm3}, size = ${p.size},
          mime = ${p.mime}, width = ${p.width}, height = ${p.height}, captured_at = c.made_at, thumb_key = ${p.thumbKey}, thumb_sm3 = ${p.thumbSm3},
          flags = c.flags - 'noPhoto'
        where c.county_code = ${county} and c.blob_key is null and c.flags ? 'noPhoto'
          and abs(hashtext(c.id::text)::bigint) % 12 <> 0 and abs(hashtext('photo' || c.id::text)::bigint) % ${photos.length} = ${k}`);
      n += r.rowCount ?? 0;
    }
    return { 考勤现场照片: photos.length, 有照片的打卡: n };
  },
};

export default part;
