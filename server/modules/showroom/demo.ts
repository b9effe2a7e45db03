/**
 * The showroom's part of the demo county (issue 20): a handful of published products and projects in
 * villages of different townships, one entry waiting for the county's review, and a few inquiries (one
 * answered) so that the public page, the review queue and the per-village counts are not empty. The
 * pictures are drawn here and put through the upload pipeline after the county commits. Deterministic
 * from the county code; nothing is dated after the demo's moment.
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import sharp from 'sharp';
import type { Tx } from '../../db/index.ts';
import { childOf } from '../../platform/access.ts';
import type { DemoPart } from '../../platform/demo.ts';
import type { Deps } from '../../platform/deps.ts';
import { sealCtx } from '../../platform/sealed.ts';
import { prepareEvidence } from '../meetings/api.ts';
import { Rng } from '../seed/api.ts';
import { maskContact } from './service.ts';

type Demo = {
  kind: 'farm' | 'craft' | 'tourism' | 'cooperation';
  name: string;
  description: string;
  price: string;
  season: string;
  quantity: string;
  shop?: string;
  /** Colours of the drawn picture: background and subject. */
  colors: [string, string];
};

const PRODUCTS: readonly Demo[] = [
  {
    kind: 'farm',
    name: '黄河滩区蜜瓜',
    description:
      '黄河故道沙壤土种植，昼夜温差大，瓜瓤脆甜，含糖量 15 度以上。村集体合作社统一品种、统一采收，可整车发货。',
    price: '3—5 元/斤（批发面议）',
    season: '5 月下旬—7 月',
    quantity: '约 30 万斤',
    colors: ['#f3e7b3', '#8db33a'],
  },
  {
    kind: 'craft',
    name: '泡桐木民族乐器（古筝、琵琶）',
    description: '选用当地泡桐木，老艺人手工制作音板，音色通透。可定制刻字，提供学校、培训机构批量采购。',
    price: '800—6000 元/台',
    season: '常年供应',
    quantity: '每月约 200 台',
    shop: 'https://shop.example.cn/paotong-guzheng',
    colors: ['#e9d8c4', '#8a5a2b'],
  },
  {
    kind: 'farm',
    name: '红薯粉条',
    description: '本村红薯手工漏制，不添加明矾，久煮不烂。真空包装，每袋 2.5 斤。',
    price: '12 元/斤',
    season: '11 月—次年 4 月',
    quantity: '约 5 万斤',
    colors: ['#efe4d6', '#9c6b4e'],
  },
  {
    kind: 'tourism',
    name: '黄河湾采摘园与农家乐',
    description: '葡萄、桃、梨四季采摘，农家饭菜，可接待 80 人团队。周末有亲子农事体验。',
    price: '采摘 20 元/人起，餐饮 40—60 元/人',
    season: '4 月—10 月',
    quantity: '每日接待 300 人',
    colors: ['#d9eef7', '#4f8a3c'],
  },
  {
    kind: 'farm',
    name: '古法压榨花生油',
    description: '本地小粒花生，物理压榨，自然沉淀。5 升桶装，支持单位福利团购。',
    price: '18—22 元/斤',
    season: '常年供应',
    quantity: '约 2 万斤',
    colors: ['#fbf1cf', '#d29a1f'],
  },
  {
    kind: 'craft',
    name: '手工柳编收纳篮',
    description: '黄河滩柳条手工编织，结实耐用，可按图样定制尺寸和花样，承接外贸订单。',
    price: '15—120 元/个',
    season: '常年供应',
    quantity: '每月约 3000 个',
    colors: ['#f1ead9', '#b08a4a'],
  },
  {
    kind: 'cooperation',
    name: '蔬菜大棚种植合作项目',
    description: '村集体有标准化大棚 40 座，寻求农业企业合作经营或订单种植，村里负责用工和管理。',
    price: '面议',
    season: '全年',
    quantity: '大棚 40 座，约 60 亩',
    colors: ['#e3f0e3', '#2f7d4a'],
  },
  {
    kind: 'farm',
    name: '富硒小米',
    description: '旱地种植，不施化肥，石碾脱壳。500 克礼盒装和 5 公斤袋装两种规格。',
    price: '10 元/斤，礼盒 68 元',
    season: '10 月起',
    quantity: '约 3 万斤',
    colors: ['#fbeec1', '#d8a21c'],
  },
];

/** The entry waiting for review in the demo (the county's queue is not empty). */
const PENDING: Demo = {
  kind: 'farm',
  name: '散养土鸡蛋',
  description: '林下散养，喂玉米和青菜，每日现捡现发。',
  price: '1.2 元/枚',
  season: '常年供应',
  quantity: '每日约 2000 枚',
  colors: ['#f6efe3', '#c98a3c'],
};

const INQUIRIES: readonly { name: string; contact: string; message: string; answer?: string }[] = [
  {
    name: '王经理',
    contact: '13700000001',
    message: '我们是郑州的生鲜超市，想每周采购 2 吨，请问能否供货？价格怎么算？',
    answer: '可以供货，已电话联系您约定看货时间。',
  },
  { name: '李女士', contact: 'li-travel-2026', message: '公司团建 50 人，周六能否安排采摘和午饭？' },
  { name: '陈老师', contact: '0371-60000002', message: '学校民乐团需要采购 10 台古筝，能否上门试音？' },
];

const hoursAgo = (now: Date, h: number) => new Date(now.getTime() - h * 3_600_000).toISOString();

/** Villages of the county (rural 村党支部/党总支/村党委 below a township), one per township first. */
async function villages(tx: Tx, county: string, n: number): Promise<{ id: string; township: string }[]> {
  const r = await tx.execute<{ id: string; parent_id: string }>(sql`select o.id, o.parent_id from orgs o
    where o.county_code = ${county} and o.depth = 2 and o.field = 'rural' and o.status = 'active'
      and o.kind in ('committee', 'generalBranch', 'branch', 'jointBranch')
    order by o.path`);
  const byTown = new Map<string, string[]>();
  for (const v of r.rows) byTown.set(v.parent_id, [...(byTown.get(v.parent_id) ?? []), v.id]);
  const out: { id: string; township: string }[] = [];
  // Round-robin over the townships: the demo spreads over as many as it can.
  for (let round = 0; out.length < n; round++) {
    let added = false;
    for (const [town, list] of byTown)
      if (list[round] && out.length < n) {
        out.push({ id: list[round], township: town });
        added = true;
      }
    if (!added) break;
  }
  return out;
}

async function insertProduct(
  tx: Tx,
  county: string,
  orgId: string,
  p: Demo,
  phone: string,
  status: 'published' | 'submitted',
  at: string,
): Promise<string> {
  const id = randomUUID();
  await tx.execute(sql`insert into showroom_products (id, county_code, org_id, kind, name, description, price, season,
      quantity, contact_kind, office_phone, shop_url, status, submitted_at, published_at, reviewed_at, created_at, updated_at)
    values (${id}, ${county}, ${orgId}, ${p.kind}, ${p.name}, ${p.description}, ${p.price}, ${p.season}, ${p.quantity},
      'village', ${phone}, ${p.shop ?? null}, ${status}, ${at}, ${status === 'published' ? at : null},
      ${status === 'published' ? at : null}, ${at}, ${at})`);
  return id;
}

/** A drawn picture of a product (no text: no font needed), as a phone would send it. */
async function picture(seed: string, [bg, fg]: [string, string]): Promise<Buffer> {
  const rng = new Rng(seed);
  const shapes = Array.from({ length: 7 }, () => {
    const x = rng.int(120, 1080);
    const y = rng.int(260, 760);
    const r = rng.int(60, 150);
    return `<ellipse cx="${x}" cy="${y}" rx="${r}" ry="${Math.round(r * 0.8)}" fill="${fg}" fill-opacity="${(0.55 + rng.float() * 0.4).toFixed(2)}"/>`;
  }).join('');
  const svg = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="900"><rect width="1200" height="900" fill="${bg}"/>` +
      `<rect y="640" width="1200" height="260" fill="${fg}" fill-opacity="0.18"/>${shapes}</svg>`,
  );
  return sharp(svg).jpeg({ quality: 82 }).toBuffer();
}

async function seedPictures(deps: Deps, county: string): Promise<number> {
  const { db } = deps.database;
  const r = await db.execute<{ id: string; org_id: string; name: string }>(sql`select p.id, p.org_id, p.name
    from showroom_products p where p.county_code = ${county} and p.created_by is null
      and not exists (select 1 from showroom_pictures x where ${childOf('p', 'x', 'product_id')})
    order by p.created_at, p.id`);
  let n = 0;
  for (const p of r.rows) {
    const demo = [...PRODUCTS, PENDING].find((d) => d.name === p.name);
    if (!demo) continue;
    for (let k = 0; k < (demo.kind === 'tourism' || demo.kind === 'craft' ? 2 : 1); k++) {
      const bytes = await picture(`${county}:${p.id}:${k}`, demo.colors);
      const stored = await deps.files.store(Readable.from([bytes]), {
        allowedKinds: ['jpeg'],
        maxBytes: bytes.length + 1,
      });
      const f = await prepareEvidence(deps, { ...stored, filename: `${demo.name}-${k + 1}.jpg` });
      await db.execute(sql`insert into showroom_pictures (county_code, product_id, org_id, blob_key, sm3, source_sm3, size,
          kind, mime, filename, width, height, thumb_key, thumb_sm3)
        values (${county}, ${p.id}, ${p.org_id}, ${f.key}, ${f.sm3}, ${f.sourceSm3}, ${f.size}, ${f.kind}, ${f.mime},
          ${f.filename}, ${f.width}, ${f.height}, ${f.thumbKey}, ${f.thumbSm3})`);
      n++;
    }
  }
  return n;
}

const part: DemoPart = {
  county: async (tx, { county, now, crypto }): Promise<Record<string, number>> => {
    const any = await tx.execute(sql`select 1 from showroom_products where county_code = ${county} limit 1`);
    if (any.rows.length) return {};
    const rng = new Rng(`showroom:${county}`);
    const places = await villages(tx, county, PRODUCTS.length + 1);
    if (!places.length) return {};
    const ids: string[] = [];
    for (const [i, p] of PRODUCTS.entries()) {
      const v = places[i % places.length];
      const phone = `0371-${rng.int(2200, 2299)}${String(rng.int(0, 9999)).padStart(4, '0')}`;
      ids.push(await insertProduct(tx, county, v.id, p, phone, 'published', hoursAgo(now, 24 * (30 - i * 3))));
    }
    const last = places[PRODUCTS.length % places.length];
    await insertProduct(
      tx,
      county,
      last.id,
      PENDING,
      `0371-${rng.int(2200, 2299)}1234`,
      'submitted',
      hoursAgo(now, 20),
    );
    // Inquiries on the first entries, sealed as a visitor's are (the first one answered the next morning).
    let inquiries = 0;
    for (const [k, q] of INQUIRIES.entries()) {
      const productId = ids[[0, 3, 1][k] % ids.length];
      const org = await tx.execute<{ org_id: string }>(
        sql`select org_id from showroom_products where county_code = ${county} and id = ${productId}`,
      );
      const id = randomUUID();
      const seal = (field: string, v: string) => crypto.encrypt(v, sealCtx(field, id));
      const at = hoursAgo(now, 72 - k * 20);
      await tx.execute(sql`insert into showroom_inquiries (id, county_code, product_id, org_id, name_enc, contact_enc,
          contact_masked, message_enc, status, answer, answered_at, created_at)
        values (${id}, ${county}, ${productId}, ${org.rows[0].org_id}, ${seal('showroom.inquiryName', q.name)},
          ${seal('showroom.inquiryContact', q.contact)}, ${maskContact(q.contact)}, ${seal('showroom.inquiryMessage', q.message)},
          ${q.answer ? 'answered' : 'open'}, ${q.answer ?? null}, ${q.answer ? hoursAgo(now, 72 - k * 20 - 18) : null}, ${at})`);
      inquiries++;
    }
    return { 展厅产品: PRODUCTS.length + 1, 意向咨询: inquiries };
  },
  installed: async ({ county, deps, log }): Promise<Record<string, number>> => {
    if (!deps) {
      log('推荐展厅图片：未配置文件存储，跳过');
      return {};
    }
    return { 展厅图片: await seedPictures(deps, county) };
  },
};

export default part;
