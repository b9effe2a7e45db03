/**
 * 第一书记推荐展厅 (issue 20): requests and answers of the showroom. The paths the issue spells out are a
 * contract other tools rely on: `GET /api/showroom/products`, `GET /api/showroom/products/:id` (public,
 * published entries only) and `POST /api/showroom/inquiries` `{"productId","name","contact","message"}`
 * (public, rate-limited). The public shapes carry no personal data: no account or member names, a
 * private phone only when its owner's consent is recorded.
 */
import { z } from 'zod';
import { pageQuery, uuidStr } from './common.ts';
import { INQUIRY_STATUSES, PRODUCT_CONTACT_KINDS, PRODUCT_KINDS, PRODUCT_STATUSES } from './labels.ts';

export {
  INQUIRY_STATUS_LABELS,
  INQUIRY_STATUSES,
  PRODUCT_CONTACT_KIND_LABELS,
  PRODUCT_CONTACT_KINDS,
  PRODUCT_KIND_LABELS,
  PRODUCT_KINDS,
  PRODUCT_STATUS_LABELS,
  PRODUCT_STATUSES,
} from './labels.ts';

const text = (max: number) => z.string().trim().max(max, `不能超过 ${max} 个字`);

/** An office line as offices write it: 0371-12345678, (0371)1234 5678, 13912345678. */
export const officePhone = z
  .string()
  .trim()
  .regex(/^[0-9+\-()（）\s]{7,20}$/, '办公电话格式不正确（数字、区号和“-”，7—20 位）')
  .refine((s) => (s.match(/\d/g) ?? []).length >= 7, '办公电话格式不正确（至少 7 位数字）');
/** A mobile phone of the Chinese mainland. */
export const mobilePhone = z
  .string()
  .trim()
  .regex(/^1[3-9]\d{9}$/, '手机号码格式不正确（11 位手机号）');
/** A link to an online shop: http or https only (no javascript:, data: or other schemes). */
export const shopUrl = z
  .string()
  .trim()
  .max(500, '网店链接不能超过 500 个字符')
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'http:' || u.protocol === 'https:') && !!u.hostname && !u.username && !u.password;
    } catch {
      return false;
    }
  }, '网店链接须以 http:// 或 https:// 开头的有效网址');

const productFields = {
  kind: z.enum(PRODUCT_KINDS),
  name: text(60).min(1, '请填写产品名称'),
  description: text(2000).default(''),
  /** Price or range as written (元/斤, 30—50 元/盒, 面议). */
  price: text(60).nullish(),
  season: text(60).nullish(),
  quantity: text(60).nullish(),
  contactKind: z.enum(PRODUCT_CONTACT_KINDS),
  officePhone,
  /** A private mobile phone, published only with `privatePhoneConsent`; null removes it. */
  privatePhone: mobilePhone.nullish(),
  /** The phone's owner agrees to its publication (recorded with the account and the time). */
  privatePhoneConsent: z.boolean().optional(),
  shopUrl: shopUrl.nullish(),
};

/** POST /api/showroom/entries: a draft of a village's entry. */
export const productCreate = z.strictObject({
  /** The village (a village-level organization in the user's scope). */
  orgId: uuidStr,
  ...productFields,
});

/** PATCH /api/showroom/entries/:id: the fields to change (a published entry goes back to review). */
export const productPatch = z.strictObject({
  kind: productFields.kind.optional(),
  name: productFields.name.optional(),
  description: text(2000).optional(),
  price: productFields.price,
  season: productFields.season,
  quantity: productFields.quantity,
  contactKind: productFields.contactKind.optional(),
  officePhone: officePhone.optional(),
  privatePhone: productFields.privatePhone,
  privatePhoneConsent: productFields.privatePhoneConsent,
  shopUrl: productFields.shopUrl,
});

export const returnBody = z.strictObject({ reason: text(500).min(1, '请填写退回原因') });

export const entryListQuery = z.strictObject({
  status: z.enum(PRODUCT_STATUSES).optional(),
  orgId: uuidStr.optional(),
  kind: z.enum(PRODUCT_KINDS).optional(),
  q: text(40).optional(),
  ...pageQuery,
});

export const pictureView = z.object({
  id: z.string(),
  hasThumbnail: z.boolean(),
  width: z.number().nullable(),
  height: z.number().nullable(),
});

/** An entry as the village and the county see it inside the platform. */
export const entryView = z.object({
  id: z.string(),
  orgId: z.string(),
  villageName: z.string(),
  townshipName: z.string().nullable(),
  kind: z.enum(PRODUCT_KINDS),
  name: z.string(),
  description: z.string(),
  price: z.string().nullable(),
  season: z.string().nullable(),
  quantity: z.string().nullable(),
  contactKind: z.enum(PRODUCT_CONTACT_KINDS),
  officePhone: z.string(),
  /** The private phone, masked (its owner's own entry: the village sees what it published). */
  privatePhoneMasked: z.string().nullable(),
  privatePhoneConsentAt: z.string().nullable(),
  privatePhoneConsentByName: z.string().nullable(),
  shopUrl: z.string().nullable(),
  status: z.enum(PRODUCT_STATUSES),
  returnReason: z.string().nullable(),
  submittedAt: z.string().nullable(),
  publishedAt: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  pictures: z.array(pictureView),
  /** What this user may do with it now. */
  can: z.object({
    edit: z.boolean(),
    submit: z.boolean(),
    publish: z.boolean(),
    return: z.boolean(),
    withdraw: z.boolean(),
  }),
});

export const entryListItem = z.object({
  id: z.string(),
  orgId: z.string(),
  villageName: z.string(),
  townshipName: z.string().nullable(),
  kind: z.enum(PRODUCT_KINDS),
  name: z.string(),
  status: z.enum(PRODUCT_STATUSES),
  returnReason: z.string().nullable(),
  updatedAt: z.string(),
  submittedAt: z.string().nullable(),
  pictureCount: z.number().int(),
  /** The first picture, for a thumbnail. */
  coverId: z.string().nullable(),
});

// ── Public ──

export const publicQuery = z.strictObject({
  kind: z.enum(PRODUCT_KINDS).optional(),
  townshipId: uuidStr.optional(),
  q: text(40).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(48).default(12),
});

export const publicCard = z.object({
  id: z.string(),
  kind: z.enum(PRODUCT_KINDS),
  name: z.string(),
  villageName: z.string(),
  townshipName: z.string().nullable(),
  price: z.string().nullable(),
  season: z.string().nullable(),
  /** The first picture (public thumbnail: /api/showroom/pictures/:id/thumbnail). */
  coverId: z.string().nullable(),
});

export const publicProduct = publicCard.extend({
  description: z.string(),
  quantity: z.string().nullable(),
  contactKind: z.enum(PRODUCT_CONTACT_KINDS),
  officePhone: z.string(),
  /** Only when its owner agreed to its publication. */
  privatePhone: z.string().nullable(),
  shopUrl: z.string().nullable(),
  publishedAt: z.string(),
  pictures: z.array(z.object({ id: z.string(), hasThumbnail: z.boolean() })),
});

export const publicTownships = z.object({
  items: z.array(z.object({ id: z.string(), name: z.string(), count: z.number().int() })),
  county: z.string(),
});

/** POST /api/showroom/inquiries (no session). */
export const inquiryCreate = z.strictObject({
  productId: uuidStr,
  name: text(40).min(1, '请填写您的称呼'),
  contact: text(60).min(1, '请填写联系方式（手机、电话或微信号）'),
  message: text(1000).min(1, '请填写咨询内容'),
});
export const inquiryReceived = z.object({ id: z.string(), message: z.string() });

// ── Inquiries, the village's ──

export const inquiryListQuery = z.strictObject({
  status: z.enum(INQUIRY_STATUSES).optional(),
  ...pageQuery,
});
export const inquiryListItem = z.object({
  id: z.string(),
  productId: z.string(),
  productName: z.string(),
  contactMasked: z.string(),
  status: z.enum(INQUIRY_STATUSES),
  createdAt: z.string(),
  answeredAt: z.string().nullable(),
});
/** One inquiry with the visitor's name, contact and message (its reading is audited). */
export const inquiryView = inquiryListItem.extend({
  name: z.string(),
  contact: z.string(),
  message: z.string(),
  answer: z.string().nullable(),
  answeredByName: z.string().nullable(),
});
export const answerBody = z.strictObject({ answer: text(1000).min(1, '请填写答复内容') });

export const inquiryStatsQuery = z.strictObject({ orgId: uuidStr.optional() });
/** Per village: counts only, never a visitor's contact or message. */
export const inquiryStats = z.object({
  rows: z.array(
    z.object({
      orgId: z.string(),
      villageName: z.string(),
      townshipName: z.string().nullable(),
      published: z.number().int(),
      received: z.number().int(),
      answered: z.number().int(),
      /** Median hours from receipt to answer over the answered ones; null when none is answered. */
      medianHours: z.number().nullable(),
    }),
  ),
});
