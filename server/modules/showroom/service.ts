/**
 * The showroom's rules and SQL (issue 20): a village's entries (draft → submitted → published |
 * returned; a published one withdrawn or, when edited, back to review), their pictures, and the
 * inquiries visitors send. Entries are read and written through the user's organization subtree;
 * inquiries only by the accounts of the entry's own village; the public reads only published entries of
 * the installation's county and nothing personal.
 *
 * An edit of a published entry (its fields or pictures) sends it back to review (status 'submitted'):
 * the public page drops it until the county publishes it again. Nothing unreviewed is ever public, and
 * there is only one version of an entry to keep.
 */
import { patchSets } from '../../platform/patch.ts';
import { randomUUID } from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type {
  entryListItem,
  entryListQuery,
  entryView,
  inquiryCreate,
  inquiryListItem,
  inquiryListQuery,
  inquiryStats,
  inquiryView,
  productCreate,
  productPatch,
  publicCard,
  publicProduct,
  publicQuery,
  publicTownships,
} from '../../../contract/showroom.ts';
import type { Tx } from '../../db/index.ts';
import {
  ancestorIdSql,
  childOf,
  escapeLike,
  inCounty,
  inSubtree,
  joinOrg,
  orgInScopeSql,
  requireOrgAccess,
} from '../../platform/access.ts';
import { type Actor, writeAudit } from '../../platform/audit.ts';
import type { Deps, SessionUser } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { maskPhone } from '../../platform/idcard.ts';
import { sealCtx } from '../../platform/sealed.ts';
import type { PreparedEvidence } from '../meetings/api.ts';

type U = SessionUser;
type EntryView = z.infer<typeof entryView>;
type ProductStatus = EntryView['status'];

/** Kinds of organization that stand for a village (a 村党支部, 党总支 or 村党委 of the rural field, below a township). */
const VILLAGE_KINDS = ['committee', 'generalBranch', 'branch', 'jointBranch'];
/** Depth of a village in a county's tree: county 0, township 1, village 2. */
const VILLAGE_DEPTH = 2;
const TOWNSHIP_DEPTH = 1;

const iso = (v: Date | string | null | undefined) =>
  v === null || v === undefined ? null : (v instanceof Date ? v : new Date(v)).toISOString();

/** SQL: the display name of organization `a` (the village or township itself, not its Party body's full name). */
const placeName = (a: string) => sql.raw(`coalesce(${a}.unit_name, ${a}.short_name, ${a}.name)`);
/** `left join orgs t` on the township above village `o`. */
const joinTownship = sql`left join orgs t on t.county_code = o.county_code and t.id = ${ancestorIdSql('o', TOWNSHIP_DEPTH)}`;

// ── Entries ──

type Row = {
  id: string;
  county_code: string;
  org_id: string;
  village_name: string;
  township_name: string | null;
  kind: EntryView['kind'];
  name: string;
  description: string;
  price: string | null;
  season: string | null;
  quantity: string | null;
  contact_kind: EntryView['contactKind'];
  office_phone: string;
  private_phone_enc: string | null;
  private_phone_consent_at: Date | null;
  consent_by_name: string | null;
  shop_url: string | null;
  status: ProductStatus;
  return_reason: string | null;
  submitted_at: Date | null;
  published_at: Date | null;
  reviewed_at: Date | null;
  created_at: Date;
  updated_at: Date;
};

const ENTRY_COLUMNS = sql`p.id, p.county_code, p.org_id, ${placeName('o')} as village_name, ${placeName('t')} as township_name,
  p.kind, p.name, p.description, p.price, p.season, p.quantity, p.contact_kind, p.office_phone, p.private_phone_enc,
  p.private_phone_consent_at, cu.display_name as consent_by_name, p.shop_url, p.status, p.return_reason, p.submitted_at,
  p.published_at, p.reviewed_at, p.created_at, p.updated_at`;

/** An entry whose village lies in the user's subtree (locked for a write), or NOT_FOUND. */
async function entryRow(tx: Tx, user: U, id: string, lock = false): Promise<Row> {
  const r = await tx.execute<Row>(sql`select ${ENTRY_COLUMNS}
    from showroom_products p ${joinOrg('p')} ${joinTownship}
    left join users cu on cu.county_code = p.county_code and cu.id = p.private_phone_consent_by
    where ${inCounty(user, 'p')} and p.id = ${id} and ${orgInScopeSql(user)}
    ${lock ? sql`for update of p` : sql``}`);
  if (!r.rows[0]) throw new AppError('NOT_FOUND');
  return r.rows[0];
}

type Picture = {
  id: string;
  product_id: string;
  org_id: string;
  blob_key: string;
  sm3: string;
  size: number;
  kind: string;
  mime: string;
  filename: string;
  width: number | null;
  height: number | null;
  thumb_key: string | null;
  thumb_sm3: string | null;
};

async function picturesOf(tx: Tx, p: { county_code: string; id: string }) {
  const r = await tx.execute<Picture>(sql`select x.id, x.width, x.height, x.thumb_key from showroom_pictures x
    where ${childOf({ countyCode: p.county_code, id: p.id }, 'x', 'product_id')} and x.deleted_at is null
    order by x.created_at, x.id`);
  return r.rows.map((x) => ({
    id: x.id,
    hasThumbnail: !!x.thumb_key,
    width: x.width === null ? null : Number(x.width),
    height: x.height === null ? null : Number(x.height),
  }));
}

function canOf(user: U, status: ProductStatus): EntryView['can'] {
  const write = user.permissions.has('showroom.write');
  const review = user.permissions.has('showroom.review');
  return {
    edit: write,
    submit: write && (status === 'draft' || status === 'returned' || status === 'withdrawn'),
    publish: review && status === 'submitted',
    return: review && (status === 'submitted' || status === 'published'),
    withdraw: write && (status === 'published' || status === 'submitted'),
  };
}

function privatePhoneOf(deps: Deps, r: Pick<Row, 'id' | 'private_phone_enc'>): string | null {
  return r.private_phone_enc ? deps.crypto.decrypt(r.private_phone_enc, sealCtx('showroom.privatePhone', r.id)) : null;
}

async function viewOf(tx: Tx, deps: Deps, user: U, r: Row): Promise<EntryView> {
  const phone = privatePhoneOf(deps, r);
  return {
    id: r.id,
    orgId: r.org_id,
    villageName: r.village_name,
    townshipName: r.township_name,
    kind: r.kind,
    name: r.name,
    description: r.description,
    price: r.price,
    season: r.season,
    quantity: r.quantity,
    contactKind: r.contact_kind,
    officePhone: r.office_phone,
    privatePhoneMasked: phone ? maskPhone(phone) : null,
    privatePhoneConsentAt: iso(r.private_phone_consent_at),
    privatePhoneConsentByName: phone ? (r.consent_by_name ?? '') : null,
    shopUrl: r.shop_url,
    status: r.status,
    returnReason: r.return_reason,
    submittedAt: iso(r.submitted_at),
    publishedAt: iso(r.published_at),
    reviewedAt: iso(r.reviewed_at),
    createdAt: iso(r.created_at) as string,
    updatedAt: iso(r.updated_at) as string,
    pictures: await picturesOf(tx, r),
    can: canOf(user, r.status),
  };
}

/** One entry as the user may see it. */
export async function getEntry(tx: Tx, deps: Deps, user: U, id: string): Promise<EntryView> {
  return viewOf(tx, deps, user, await entryRow(tx, user, id));
}

/** Entries in the user's subtree, newest change first (the county's review queue: `status=submitted`). */
export async function listEntries(
  tx: Tx,
  user: U,
  q: z.infer<typeof entryListQuery>,
): Promise<{ items: z.infer<typeof entryListItem>[]; total: number; page: number; pageSize: number }> {
  const where: SQL[] = [inCounty(user, 'p'), orgInScopeSql(user)];
  if (q.orgId) {
    const org = await requireOrgAccess(tx, user, q.orgId);
    where.push(inSubtree({ countyCode: org.countyCode, path: org.path }, 'o'));
  }
  if (q.status) where.push(sql`p.status = ${q.status}`);
  if (q.kind) where.push(sql`p.kind = ${q.kind}`);
  if (q.q) where.push(sql`p.name ilike ${`%${escapeLike(q.q)}%`}`);
  const cond = sql.join(where, sql` and `);
  const total = await tx.execute<{ n: number }>(
    sql`select count(*)::int as n from showroom_products p ${joinOrg('p')} where ${cond}`,
  );
  const r = await tx.execute<{
    id: string;
    org_id: string;
    village_name: string;
    township_name: string | null;
    kind: EntryView['kind'];
    name: string;
    status: ProductStatus;
    return_reason: string | null;
    updated_at: Date;
    submitted_at: Date | null;
    picture_count: number;
    cover_id: string | null;
  }>(sql`select p.id, p.org_id, ${placeName('o')} as village_name, ${placeName('t')} as township_name, p.kind, p.name,
      p.status, p.return_reason, p.updated_at, p.submitted_at,
      (select count(*)::int from showroom_pictures x where ${childOf('p', 'x', 'product_id')} and x.deleted_at is null) as picture_count,
      (select x.id from showroom_pictures x where ${childOf('p', 'x', 'product_id')} and x.deleted_at is null order by x.created_at, x.id limit 1) as cover_id
    from showroom_products p ${joinOrg('p')} ${joinTownship}
    where ${cond}
    order by ${q.status === 'submitted' ? sql`p.submitted_at, p.id` : sql`p.updated_at desc, p.id`}
    limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`);
  return {
    items: r.rows.map((x) => ({
      id: x.id,
      orgId: x.org_id,
      villageName: x.village_name,
      townshipName: x.township_name,
      kind: x.kind,
      name: x.name,
      status: x.status,
      returnReason: x.return_reason,
      updatedAt: iso(x.updated_at) as string,
      submittedAt: iso(x.submitted_at),
      pictureCount: Number(x.picture_count),
      coverId: x.cover_id,
    })),
    total: Number(total.rows[0].n),
    page: q.page,
    pageSize: q.pageSize,
  };
}

/** The private phone's columns for a body: sealed with the consent's account and time, or cleared. */
function phoneColumns(
  deps: Deps,
  user: U,
  id: string,
  body: { privatePhone?: string | null; privatePhoneConsent?: boolean },
): SQL[] | null {
  if (body.privatePhone === undefined) {
    if (body.privatePhoneConsent === false)
      return [
        sql`private_phone_enc = null`,
        sql`private_phone_consent_by = null`,
        sql`private_phone_consent_at = null`,
      ];
    return null;
  }
  if (body.privatePhone === null)
    return [sql`private_phone_enc = null`, sql`private_phone_consent_by = null`, sql`private_phone_consent_at = null`];
  // SEC-9: a private phone is published only when its owner said so, and who recorded it when is kept.
  if (body.privatePhoneConsent !== true) throw new AppError('SHOWROOM_PHONE_CONSENT');
  return [
    sql`private_phone_enc = ${deps.crypto.encrypt(body.privatePhone, sealCtx('showroom.privatePhone', id))}`,
    sql`private_phone_consent_by = ${user.id}`,
    sql`private_phone_consent_at = ${deps.now().toISOString()}`,
  ];
}

/** Create a draft entry of a village in the user's scope. */
export async function createEntry(
  tx: Tx,
  deps: Deps,
  user: U,
  actor: Actor,
  body: z.infer<typeof productCreate>,
): Promise<string> {
  const org = await requireOrgAccess(tx, user, body.orgId);
  const village = await tx.execute<{ field: string | null }>(
    sql`select o.field from orgs o where ${inCounty(user, 'o')} and o.id = ${org.id}`,
  );
  if (
    org.status !== 'active' ||
    org.depth !== VILLAGE_DEPTH ||
    !VILLAGE_KINDS.includes(org.kind) ||
    village.rows[0]?.field !== 'rural'
  )
    throw new AppError('SHOWROOM_NOT_VILLAGE');
  const id = randomUUID();
  const phone = phoneColumns(deps, user, id, body);
  await tx.execute(sql`insert into showroom_products (id, county_code, org_id, kind, name, description, price, season,
      quantity, contact_kind, office_phone, shop_url, status, created_by)
    values (${id}, ${user.countyCode}, ${org.id}, ${body.kind}, ${body.name}, ${body.description}, ${body.price ?? null},
      ${body.season ?? null}, ${body.quantity ?? null}, ${body.contactKind}, ${body.officePhone}, ${body.shopUrl ?? null},
      'draft', ${user.id})`);
  if (phone)
    await tx.execute(
      sql`update showroom_products set ${sql.join(phone, sql`, `)} where county_code = ${user.countyCode} and id = ${id}`,
    );
  await writeAudit(tx, deps.crypto, actor, [
    {
      action: 'product.create',
      objectType: 'showroomProduct',
      objectId: id,
      detail: { orgId: org.id, name: body.name, kind: body.kind, privatePhone: !!phone && !!body.privatePhone },
    },
  ]);
  return id;
}

/** The status after a change of an entry's content: a published one goes back to review. */
const afterChange = (status: ProductStatus): ProductStatus => (status === 'published' ? 'submitted' : status);

/** Change an entry's fields; a published entry goes back to review (see the module comment). */
export async function updateEntry(
  tx: Tx,
  deps: Deps,
  user: U,
  actor: Actor,
  id: string,
  body: z.infer<typeof productPatch>,
): Promise<void> {
  const p = await entryRow(tx, user, id, true);
  const { sets, changed } = patchSets(body, {
    kind: 'kind',
    name: 'name',
    description: 'description',
    price: 'price',
    season: 'season',
    quantity: 'quantity',
    contactKind: 'contact_kind',
    officePhone: 'office_phone',
    shopUrl: 'shop_url',
  });
  const phone = phoneColumns(deps, user, id, body);
  if (phone) {
    sets.push(...phone);
    changed.push('privatePhone');
  }
  if (!sets.length) return;
  const status = afterChange(p.status);
  sets.push(sql`status = ${status}`, sql`updated_at = now()`);
  if (status !== p.status) sets.push(sql`submitted_at = now()`);
  await tx.execute(
    sql`update showroom_products set ${sql.join(sets, sql`, `)} where county_code = ${user.countyCode} and id = ${id}`,
  );
  await writeAudit(tx, deps.crypto, actor, [
    {
      action: 'product.update',
      objectType: 'showroomProduct',
      objectId: id,
      detail: { orgId: p.org_id, name: body.name ?? p.name, fields: changed, status, from: p.status },
    },
  ]);
}

/** Move an entry from one of `from` to `to`, with the columns that go with it; audited as `action`. */
async function transition(
  tx: Tx,
  deps: Deps,
  user: U,
  actor: Actor,
  id: string,
  o: { from: ProductStatus[]; to: ProductStatus; action: string; sets?: SQL[]; detail?: Record<string, unknown> },
): Promise<void> {
  const p = await entryRow(tx, user, id, true);
  if (!o.from.includes(p.status)) throw new AppError('SHOWROOM_WRONG_STATE');
  await tx.execute(sql`update showroom_products set status = ${o.to}, updated_at = now()
    ${o.sets?.length ? sql`, ${sql.join(o.sets, sql`, `)}` : sql``}
    where county_code = ${user.countyCode} and id = ${id}`);
  await writeAudit(tx, deps.crypto, actor, [
    {
      action: o.action,
      objectType: 'showroomProduct',
      objectId: id,
      detail: { orgId: p.org_id, name: p.name, from: p.status, ...o.detail },
    },
  ]);
}

export const submitEntry = (tx: Tx, deps: Deps, user: U, actor: Actor, id: string) =>
  transition(tx, deps, user, actor, id, {
    from: ['draft', 'returned', 'withdrawn'],
    to: 'submitted',
    action: 'product.submit',
    sets: [sql`submitted_at = now()`, sql`return_reason = null`],
  });

export const publishEntry = (tx: Tx, deps: Deps, user: U, actor: Actor, id: string) =>
  transition(tx, deps, user, actor, id, {
    from: ['submitted'],
    to: 'published',
    action: 'product.publish',
    sets: [sql`published_at = now()`, sql`reviewed_by = ${user.id}`, sql`reviewed_at = now()`],
  });

/** Return a submitted entry, or take a published one down, with the reason (the county's review). */
export const returnEntry = (tx: Tx, deps: Deps, user: U, actor: Actor, id: string, reason: string) =>
  transition(tx, deps, user, actor, id, {
    from: ['submitted', 'published'],
    to: 'returned',
    action: 'product.return',
    sets: [sql`return_reason = ${reason}`, sql`reviewed_by = ${user.id}`, sql`reviewed_at = now()`],
    detail: { reason },
  });

/** 下架: the village takes its entry off the public page (or out of review). */
export const withdrawEntry = (tx: Tx, deps: Deps, user: U, actor: Actor, id: string) =>
  transition(tx, deps, user, actor, id, {
    from: ['published', 'submitted'],
    to: 'withdrawn',
    action: 'product.withdraw',
  });

// ── Pictures ──

/** Refuse an upload before its bytes are read: the entry is in scope and has room for one more picture. */
export async function precheckPicture(tx: Tx, user: U, id: string, max: number): Promise<void> {
  const p = await entryRow(tx, user, id);
  const n = await tx.execute<{ n: number }>(sql`select count(*)::int as n from showroom_pictures x
    where ${childOf({ countyCode: p.county_code, id: p.id }, 'x', 'product_id')} and x.deleted_at is null`);
  if (Number(n.rows[0].n) >= max)
    throw new AppError('SHOWROOM_TOO_MANY_PICTURES', `该产品的图片已达上限（${max} 张），请先删除不用的图片`);
}

/** Record a prepared picture on an entry (a published entry goes back to review); its id. */
export async function recordPicture(
  tx: Tx,
  deps: Deps,
  user: U,
  actor: Actor,
  id: string,
  f: PreparedEvidence,
  max: number,
): Promise<string> {
  const p = await entryRow(tx, user, id, true);
  await precheckPicture(tx, user, id, max);
  const r = await tx.execute<{
    id: string;
  }>(sql`insert into showroom_pictures (county_code, product_id, org_id, blob_key,
      sm3, source_sm3, size, kind, mime, filename, width, height, thumb_key, thumb_sm3, uploaded_by)
    values (${user.countyCode}, ${p.id}, ${p.org_id}, ${f.key}, ${f.sm3}, ${f.sourceSm3}, ${f.size}, ${f.kind}, ${f.mime},
      ${f.filename}, ${f.width}, ${f.height}, ${f.thumbKey}, ${f.thumbSm3}, ${user.id})
    returning id`);
  const status = afterChange(p.status);
  await tx.execute(sql`update showroom_products set status = ${status}, updated_at = now()
    ${status !== p.status ? sql`, submitted_at = now()` : sql``}
    where county_code = ${user.countyCode} and id = ${p.id}`);
  await writeAudit(tx, deps.crypto, actor, [
    {
      action: 'product.picture',
      objectType: 'showroomProduct',
      objectId: p.id,
      detail: { orgId: p.org_id, pictureId: r.rows[0].id, sm3: f.sm3, size: f.size, status, from: p.status },
    },
  ]);
  return r.rows[0].id;
}

/** A picture of an entry in the user's scope (any status), or NOT_FOUND. */
export async function scopedPicture(tx: Tx, user: U, id: string): Promise<Picture> {
  const r =
    await tx.execute<Picture>(sql`select x.id, x.product_id, x.org_id, x.blob_key, x.sm3, x.size, x.kind, x.mime,
      x.filename, x.width, x.height, x.thumb_key, x.thumb_sm3
    from showroom_pictures x ${joinOrg('x')}
    where ${inCounty(user, 'x')} and x.id = ${id} and x.deleted_at is null and ${orgInScopeSql(user)}`);
  if (!r.rows[0]) throw new AppError('NOT_FOUND');
  return r.rows[0];
}

/** Remove a picture from its entry (the file stays for the audit's sake until a sweep); a published entry goes back to review. */
export async function deletePicture(tx: Tx, deps: Deps, user: U, actor: Actor, id: string): Promise<void> {
  const x = await scopedPicture(tx, user, id);
  const p = await entryRow(tx, user, x.product_id, true);
  await tx.execute(
    sql`update showroom_pictures set deleted_at = now() where county_code = ${user.countyCode} and id = ${x.id}`,
  );
  const status = afterChange(p.status);
  await tx.execute(sql`update showroom_products set status = ${status}, updated_at = now()
    ${status !== p.status ? sql`, submitted_at = now()` : sql``}
    where county_code = ${user.countyCode} and id = ${p.id}`);
  await writeAudit(tx, deps.crypto, actor, [
    {
      action: 'product.pictureDelete',
      objectType: 'showroomProduct',
      objectId: p.id,
      detail: { orgId: p.org_id, pictureId: x.id, status, from: p.status },
    },
  ]);
}

// ── Public (no session: the installation's county, published entries only, nothing personal) ──

const PUBLIC_COLUMNS = sql`p.id, p.kind, p.name, ${placeName('o')} as village_name, ${placeName('t')} as township_name,
  p.price, p.season,
  (select x.id from showroom_pictures x where ${childOf('p', 'x', 'product_id')} and x.deleted_at is null order by x.created_at, x.id limit 1) as cover_id`;

type PublicRow = {
  id: string;
  kind: EntryView['kind'];
  name: string;
  village_name: string;
  township_name: string | null;
  price: string | null;
  season: string | null;
  cover_id: string | null;
};
const cardOf = (r: PublicRow): z.infer<typeof publicCard> => ({
  id: r.id,
  kind: r.kind,
  name: r.name,
  villageName: r.village_name,
  townshipName: r.township_name,
  price: r.price,
  season: r.season,
  coverId: r.cover_id,
});

/** Published entries of the county, newest first, filtered by kind, township and a keyword. */
export async function publicList(
  tx: Tx,
  county: string,
  q: z.infer<typeof publicQuery>,
): Promise<{ items: z.infer<typeof publicCard>[]; total: number; page: number; pageSize: number }> {
  const where: SQL[] = [inCounty(county, 'p'), sql`p.status = 'published'`];
  if (q.kind) where.push(sql`p.kind = ${q.kind}`);
  if (q.townshipId) {
    const t = await tx.execute<{ path: string }>(
      sql`select o.path from orgs o where ${inCounty(county, 'o')} and o.id = ${q.townshipId} and o.depth = ${TOWNSHIP_DEPTH}`,
    );
    if (!t.rows[0]) return { items: [], total: 0, page: q.page, pageSize: q.pageSize };
    where.push(inSubtree({ countyCode: county, path: t.rows[0].path }, 'o'));
  }
  if (q.q) {
    const like = `%${escapeLike(q.q)}%`;
    where.push(
      sql`(p.name ilike ${like} or p.description ilike ${like} or ${placeName('o')} ilike ${like} or ${placeName('t')} ilike ${like})`,
    );
  }
  const cond = sql.join(where, sql` and `);
  const total = await tx.execute<{ n: number }>(sql`select count(*)::int as n
    from showroom_products p ${joinOrg('p')} ${joinTownship} where ${cond}`);
  const r = await tx.execute<PublicRow>(sql`select ${PUBLIC_COLUMNS}
    from showroom_products p ${joinOrg('p')} ${joinTownship}
    where ${cond} order by p.published_at desc, p.id
    limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`);
  return { items: r.rows.map(cardOf), total: Number(total.rows[0].n), page: q.page, pageSize: q.pageSize };
}

/** One published entry, or NOT_FOUND: a draft, returned or withdrawn entry does not exist for the public. */
export async function publicDetail(
  tx: Tx,
  deps: Deps,
  county: string,
  id: string,
): Promise<z.infer<typeof publicProduct>> {
  const r = await tx.execute<
    PublicRow & {
      description: string;
      quantity: string | null;
      contact_kind: EntryView['contactKind'];
      office_phone: string;
      private_phone_enc: string | null;
      private_phone_consent_at: Date | null;
      shop_url: string | null;
      published_at: Date;
      county_code: string;
    }
  >(sql`select ${PUBLIC_COLUMNS}, p.county_code, p.description, p.quantity, p.contact_kind, p.office_phone,
      p.private_phone_enc, p.private_phone_consent_at, p.shop_url, p.published_at
    from showroom_products p ${joinOrg('p')} ${joinTownship}
    where ${inCounty(county, 'p')} and p.id = ${id} and p.status = 'published'`);
  const p = r.rows[0];
  if (!p) throw new AppError('NOT_FOUND', '该产品不存在或已下架');
  const phone = p.private_phone_consent_at ? privatePhoneOf(deps, p) : null;
  return {
    ...cardOf(p),
    description: p.description,
    quantity: p.quantity,
    contactKind: p.contact_kind,
    officePhone: p.office_phone,
    privatePhone: phone,
    shopUrl: p.shop_url,
    publishedAt: iso(p.published_at) as string,
    pictures: (await picturesOf(tx, p)).map((x) => ({ id: x.id, hasThumbnail: x.hasThumbnail })),
  };
}

/** A picture of a published entry of the county, or NOT_FOUND. */
export async function publicPicture(tx: Tx, county: string, id: string): Promise<Picture> {
  const r =
    await tx.execute<Picture>(sql`select x.id, x.product_id, x.org_id, x.blob_key, x.sm3, x.size, x.kind, x.mime,
      x.filename, x.width, x.height, x.thumb_key, x.thumb_sm3
    from showroom_pictures x join showroom_products p on ${childOf('p', 'x', 'product_id')}
    where ${inCounty(county, 'x')} and x.id = ${id} and x.deleted_at is null and p.status = 'published'`);
  if (!r.rows[0]) throw new AppError('NOT_FOUND', '图片不存在或所属产品已下架');
  return r.rows[0];
}

/** The townships with published entries, for the public filter (in the county's tree order). */
export async function publicTownshipList(tx: Tx, county: string): Promise<z.infer<typeof publicTownships>> {
  const r = await tx.execute<{
    id: string;
    name: string;
    n: number;
  }>(sql`select t.id, ${placeName('t')} as name, count(*)::int as n
    from showroom_products p ${joinOrg('p')} ${joinTownship}
    where ${inCounty(county, 'p')} and p.status = 'published' and t.id is not null
    group by t.id, t.unit_name, t.short_name, t.name, t.path order by t.path`);
  const root = await tx.execute<{ name: string }>(
    sql`select ${placeName('o')} as name from orgs o where ${inCounty(county, 'o')} and o.parent_id is null order by o.path limit 1`,
  );
  return {
    items: r.rows.map((x) => ({ id: x.id, name: x.name, count: Number(x.n) })),
    county: root.rows[0]?.name ?? '',
  };
}

/** The mask of a visitor's contact: a phone's middle digits, or all but the first character. */
export function maskContact(contact: string): string {
  const digits = contact.replace(/[\s-]/g, '');
  if (/^\+?\d{7,}$/.test(digits)) return maskPhone(digits);
  const chars = [...contact];
  return `${chars[0] ?? ''}${'*'.repeat(Math.min(6, Math.max(3, chars.length - 1)))}`;
}

/** A visitor's inquiry about a published entry: sealed, for the entry's village; audited in the county's chain. */
export async function createInquiry(
  tx: Tx,
  deps: Deps,
  county: string,
  actor: Actor,
  body: z.infer<typeof inquiryCreate>,
): Promise<string> {
  const p = await tx.execute<{ id: string; org_id: string }>(sql`select p.id, p.org_id from showroom_products p
    where ${inCounty(county, 'p')} and p.id = ${body.productId} and p.status = 'published'`);
  if (!p.rows[0]) throw new AppError('INQUIRY_PRODUCT_UNAVAILABLE');
  const id = randomUUID();
  const seal = (field: string, v: string) => deps.crypto.encrypt(v, sealCtx(field, id));
  await tx.execute(sql`insert into showroom_inquiries (id, county_code, product_id, org_id, name_enc, contact_enc,
      contact_masked, message_enc)
    values (${id}, ${county}, ${p.rows[0].id}, ${p.rows[0].org_id}, ${seal('showroom.inquiryName', body.name)},
      ${seal('showroom.inquiryContact', body.contact)}, ${maskContact(body.contact)}, ${seal('showroom.inquiryMessage', body.message)})`);
  // Nothing the visitor wrote goes into the audit (SEC-13): the entry, the village, the size.
  await writeAudit(tx, deps.crypto, { ...actor, countyCode: county, orgId: p.rows[0].org_id }, [
    {
      action: 'inquiry.receive',
      objectType: 'showroomInquiry',
      objectId: id,
      detail: { productId: p.rows[0].id, orgId: p.rows[0].org_id, length: body.message.length },
    },
  ]);
  return id;
}

// ── Inquiries: the village's own accounts only ──

/** SQL: the inquiry `i` belongs to the user's own organization (the entry's village), in the user's county. */
const ownVillage = (user: U) => sql`${inCounty(user, 'i')} and i.org_id = ${user.orgId}`;

/** The inquiries the user's village received, newest first; contacts masked. */
export async function listInquiries(
  tx: Tx,
  user: U,
  q: z.infer<typeof inquiryListQuery>,
): Promise<{ items: z.infer<typeof inquiryListItem>[]; total: number; page: number; pageSize: number }> {
  const cond = sql`${ownVillage(user)} ${q.status ? sql`and i.status = ${q.status}` : sql``}`;
  const total = await tx.execute<{ n: number }>(sql`select count(*)::int as n from showroom_inquiries i where ${cond}`);
  const r = await tx.execute<{
    id: string;
    product_id: string;
    product_name: string;
    contact_masked: string;
    status: 'open' | 'answered';
    created_at: Date;
    answered_at: Date | null;
  }>(sql`select i.id, i.product_id, p.name as product_name, i.contact_masked, i.status, i.created_at, i.answered_at
    from showroom_inquiries i join showroom_products p on p.county_code = i.county_code and p.id = i.product_id
    where ${cond} order by (i.status = 'open') desc, i.created_at desc, i.id
    limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`);
  return {
    items: r.rows.map((x) => ({
      id: x.id,
      productId: x.product_id,
      productName: x.product_name,
      contactMasked: x.contact_masked,
      status: x.status,
      createdAt: iso(x.created_at) as string,
      answeredAt: iso(x.answered_at),
    })),
    total: Number(total.rows[0].n),
    page: q.page,
    pageSize: q.pageSize,
  };
}

type InquiryRow = {
  id: string;
  org_id: string;
  product_id: string;
  product_name: string;
  name_enc: string;
  contact_enc: string;
  contact_masked: string;
  message_enc: string;
  status: 'open' | 'answered';
  answer: string | null;
  answered_at: Date | null;
  answered_by_name: string | null;
  created_at: Date;
};

async function inquiryRow(tx: Tx, user: U, id: string, lock = false): Promise<InquiryRow> {
  const r = await tx.execute<InquiryRow>(sql`select i.id, i.org_id, i.product_id, p.name as product_name, i.name_enc,
      i.contact_enc, i.contact_masked, i.message_enc, i.status, i.answer, i.answered_at, u.display_name as answered_by_name,
      i.created_at
    from showroom_inquiries i join showroom_products p on p.county_code = i.county_code and p.id = i.product_id
    left join users u on u.county_code = i.county_code and u.id = i.answered_by
    where ${ownVillage(user)} and i.id = ${id} ${lock ? sql`for update of i` : sql``}`);
  // Anyone but the village's own accounts: as if it did not exist (SEC-8).
  if (!r.rows[0]) throw new AppError('NOT_FOUND');
  return r.rows[0];
}

/** One inquiry with the visitor's name, contact and message; the reading is audited (SEC-9). */
export async function getInquiry(
  tx: Tx,
  deps: Deps,
  user: U,
  actor: Actor,
  id: string,
): Promise<z.infer<typeof inquiryView>> {
  const i = await inquiryRow(tx, user, id);
  const open = (field: string, v: string) => deps.crypto.decrypt(v, sealCtx(field, i.id));
  await writeAudit(tx, deps.crypto, actor, [
    { action: 'inquiry.view', objectType: 'showroomInquiry', objectId: i.id, detail: { orgId: i.org_id } },
  ]);
  return {
    id: i.id,
    productId: i.product_id,
    productName: i.product_name,
    contactMasked: i.contact_masked,
    status: i.status,
    createdAt: iso(i.created_at) as string,
    answeredAt: iso(i.answered_at),
    name: open('showroom.inquiryName', i.name_enc),
    contact: open('showroom.inquiryContact', i.contact_enc),
    message: open('showroom.inquiryMessage', i.message_enc),
    answer: i.answer,
    answeredByName: i.answered_by_name,
  };
}

/** Record the village's answer (once). */
export async function answerInquiry(
  tx: Tx,
  deps: Deps,
  user: U,
  actor: Actor,
  id: string,
  answer: string,
): Promise<void> {
  const i = await inquiryRow(tx, user, id, true);
  if (i.status === 'answered') throw new AppError('INQUIRY_ANSWERED');
  await tx.execute(sql`update showroom_inquiries set status = 'answered', answer = ${answer}, answered_by = ${user.id},
      answered_at = ${deps.now().toISOString()}
    where county_code = ${user.countyCode} and id = ${i.id}`);
  await writeAudit(tx, deps.crypto, actor, [
    {
      action: 'inquiry.answer',
      objectType: 'showroomInquiry',
      objectId: i.id,
      detail: { orgId: i.org_id, productId: i.product_id },
    },
  ]);
}

/** Per village in the user's subtree (or under `orgId`): entries published, inquiries received and answered, median hours to answer. */
export async function inquiryStatsOf(tx: Tx, user: U, orgId?: string): Promise<z.infer<typeof inquiryStats>> {
  const under = orgId ? await requireOrgAccess(tx, user, orgId) : null;
  const scope = under ? inSubtree({ countyCode: under.countyCode, path: under.path }, 'o') : orgInScopeSql(user);
  const r = await tx.execute<{
    org_id: string;
    village_name: string;
    township_name: string | null;
    published: number;
    received: number;
    answered: number;
    median_hours: number | null;
  }>(sql`with v as (
      select p.org_id from showroom_products p where ${inCounty(user, 'p')}
      union select i.org_id from showroom_inquiries i where ${inCounty(user, 'i')}
    )
    select o.id as org_id, ${placeName('o')} as village_name, ${placeName('t')} as township_name,
      (select count(*)::int from showroom_products p where p.county_code = o.county_code and p.org_id = o.id and p.status = 'published') as published,
      (select count(*)::int from showroom_inquiries i where i.county_code = o.county_code and i.org_id = o.id) as received,
      (select count(*)::int from showroom_inquiries i where i.county_code = o.county_code and i.org_id = o.id and i.status = 'answered') as answered,
      (select percentile_cont(0.5) within group (order by extract(epoch from i.answered_at - i.created_at) / 3600)
        from showroom_inquiries i where i.county_code = o.county_code and i.org_id = o.id and i.answered_at is not null) as median_hours
    from orgs o ${joinTownship}
    where ${inCounty(user, 'o')} and o.id in (select org_id from v) and ${scope}
    order by o.path`);
  return {
    rows: r.rows.map((x) => ({
      orgId: x.org_id,
      villageName: x.village_name,
      townshipName: x.township_name,
      published: Number(x.published),
      received: Number(x.received),
      answered: Number(x.answered),
      medianHours: x.median_hours === null ? null : Math.round(Number(x.median_hours) * 10) / 10,
    })),
  };
}
