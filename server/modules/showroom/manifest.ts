/**
 * 第一书记推荐展厅 (issue 20): villages' products and projects, reviewed by the county before the public
 * sees them; visitors' inquiries land with the village and are tracked to an answer.
 */
import decl from '../../../contract/modules/showroom.ts';
import { defineModule } from '../module.ts';

/** The declaration (contract/modules/showroom.ts) and what only the server reads. */
export default defineModule({
  ...decl,
  apiPrefixes: ['/api/showroom'],
  hasRoutes: true,
  demo: { title: '演示县：推荐展厅里几个村已发布的农产品、手工艺品和乡村旅游项目', after: ['seed'] },
  fieldLabels: {
    orgId: '所属村',
    kind: '类别',
    name: '名称',
    description: '介绍',
    price: '价格',
    season: '上市季节',
    quantity: '供应数量',
    contactKind: '联系电话类别',
    officePhone: '办公电话',
    privatePhone: '个人手机',
    privatePhoneConsent: '本人同意公开手机号',
    shopUrl: '网店链接',
    reason: '退回原因',
    status: '状态',
    q: '关键词',
    townshipId: '乡镇',
    productId: '产品',
    contact: '联系方式',
    message: '咨询内容',
    answer: '答复内容',
  },
  errors: {
    SHOWROOM_NOT_VILLAGE: [422, '推荐展厅的产品只能属于村级党组织（农村党支部、党总支或村党委）'],
    SHOWROOM_WRONG_STATE: [409, '该产品当前状态不能进行此操作'],
    SHOWROOM_PHONE_CONSENT: [422, '公开个人手机号须经本人同意：请勾选“本人同意在推荐展厅公开此手机号”'],
    SHOWROOM_TOO_MANY_PICTURES: [422, '该产品的图片已达上限'],
    INQUIRY_PRODUCT_UNAVAILABLE: [404, '该产品不存在或已下架，无法咨询'],
    INQUIRY_ANSWERED: [409, '该咨询已答复'],
    INQUIRY_RATE_LIMITED: [429, '提交咨询过于频繁，请一小时后再试'],
    SHOWROOM_READ_RATE_LIMITED: [429, '访问过于频繁，请稍候一分钟再试'],
  },
  settings: {
    'showroom.inquiriesPerIpPerHour': { default: 5, label: '推荐展厅：每个网络地址每小时最多提交咨询', unit: '条' },
    'showroom.publicReadsPerIpPerMinute': {
      default: 240,
      label: '推荐展厅：每个网络地址每分钟最多查询',
      unit: '次',
    },
    'showroom.maxPictures': { default: 9, label: '推荐展厅：每个产品最多上传图片', unit: '张' },
  },
  tables: {
    showroom_products: {
      role: 'distributed',
      reason: "a county's villages' showroom entries: co-located with its organizations",
      parents: ['orgs', 'users'],
    },
    showroom_pictures: {
      role: 'distributed',
      reason: "an entry's pictures (bytes in the file store): co-located with the entry",
      parents: ['showroom_products', 'orgs', 'users'],
      files: [
        { key: 'blob_key', sm3: 'sm3' },
        { key: 'thumb_key', sm3: 'thumb_sm3' },
      ],
    },
    showroom_inquiries: {
      role: 'distributed',
      reason: "visitors' inquiries about a county's entries, sealed: co-located with the entry",
      parents: ['showroom_products', 'orgs', 'users'],
    },
  },
});
