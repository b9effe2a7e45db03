/**
 * Tables of the showroom (issue 20, 第一书记推荐展厅): the products and projects a village offers, their
 * pictures (through the evidence pipeline) and the inquiries visitors send. Distributed by county_code
 * (docs/SCALE.md).
 */
import { bigint, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { countyCode, countyKey, createdAt, id, updatedAt } from '../../db/columns.ts';

/**
 * A product or project of a village (org_id: a village-level organization). Public only while
 * `status` is 'published'; an edit of a published entry sends it back to review (status 'submitted').
 */
export const showroomProducts = pgTable(
  'showroom_products',
  {
    id: id(),
    countyCode: countyCode(),
    orgId: uuid('org_id').notNull(),
    kind: text('kind').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    /** Price or price range as the village writes it (元/斤, 面议…). */
    price: text('price'),
    season: text('season'),
    quantity: text('quantity'),
    /** Whose office line `office_phone` is: the village's or the first secretary's (PRODUCT_CONTACT_KINDS). */
    contactKind: text('contact_kind').notNull(),
    officePhone: text('office_phone').notNull(),
    /** A private phone (SEC-16: SM4 bound to the row), shown only with its owner's consent recorded below. */
    privatePhoneEnc: text('private_phone_enc'),
    /** The account that recorded the owner's consent to publish the private phone, and when. */
    privatePhoneConsentBy: uuid('private_phone_consent_by'),
    privatePhoneConsentAt: timestamp('private_phone_consent_at', { withTimezone: true }),
    /** An online shop (http or https only). */
    shopUrl: text('shop_url'),
    status: text('status').notNull().default('draft'),
    returnReason: text('return_reason'),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    reviewedBy: uuid('reviewed_by'),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
    /** Null for the demo county's seeded entries. */
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    countyKey(t),
    index('showroom_products_status_idx').on(t.countyCode, t.status, t.publishedAt),
    index('showroom_products_org_idx').on(t.countyCode, t.orgId, t.updatedAt),
  ],
);

/** A picture of an entry, re-encoded without metadata, with its SM3 and thumbnail (meetings/evidence.ts prepareEvidence). */
export const showroomPictures = pgTable(
  'showroom_pictures',
  {
    id: id(),
    countyCode: countyCode(),
    productId: uuid('product_id').notNull(),
    orgId: uuid('org_id').notNull(),
    blobKey: text('blob_key').notNull(),
    sm3: text('sm3').notNull(),
    sourceSm3: text('source_sm3').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    kind: text('kind').notNull(),
    mime: text('mime').notNull(),
    filename: text('filename').notNull(),
    width: integer('width'),
    height: integer('height'),
    thumbKey: text('thumb_key'),
    thumbSm3: text('thumb_sm3'),
    /** Null for the demo county's seeded pictures. */
    uploadedBy: uuid('uploaded_by'),
    createdAt: createdAt(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [countyKey(t), index('showroom_pictures_product_idx').on(t.countyCode, t.productId, t.createdAt)],
);

/**
 * A visitor's purchase or cooperation inquiry about a published entry: it lands with the entry's
 * village (org_id) alone. The visitor's name, contact and message are personal data, stored sealed
 * (SM4 bound to the row); the contact's mask is kept for lists.
 */
export const showroomInquiries = pgTable(
  'showroom_inquiries',
  {
    id: id(),
    countyCode: countyCode(),
    productId: uuid('product_id').notNull(),
    orgId: uuid('org_id').notNull(),
    nameEnc: text('name_enc').notNull(),
    contactEnc: text('contact_enc').notNull(),
    contactMasked: text('contact_masked').notNull(),
    messageEnc: text('message_enc').notNull(),
    status: text('status').notNull().default('open'),
    answer: text('answer'),
    answeredBy: uuid('answered_by'),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    countyKey(t),
    index('showroom_inquiries_org_idx').on(t.countyCode, t.orgId, t.createdAt),
    index('showroom_inquiries_product_idx').on(t.countyCode, t.productId),
  ],
);
