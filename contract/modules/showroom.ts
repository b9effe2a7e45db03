/**
 * 第一书记推荐展厅 (issue 20, the showroom): the products and projects villages offer — entered by the
 * village's accounts, reviewed by the county before the public sees them — and the purchase or
 * cooperation inquiries visitors send, which land with the village alone and are tracked to an answer.
 * The public pages (/showroom) and their API answer without a session.
 */
import { declareModule } from '../module.ts';

export default declareModule({
  name: 'showroom',
  title: '推荐展厅',
  permissions: {
    'showroom.read': {
      label: '查看本组织范围内推荐展厅的产品、审核情况和各村意向咨询的答复统计',
      roles: ['countyAdmin', 'orgAdmin', 'branchSecretary', 'leader', 'firstSecretary'],
    },
    // The village's own accounts: its secretary's and its first secretary's (whose account sits on the village).
    'showroom.write': {
      label: '添加、修改、上传图片、提交审核和下架本村的产品',
      roles: ['orgAdmin', 'branchSecretary', 'firstSecretary'],
    },
    'showroom.answer': {
      label: '查看和答复本村收到的购买或合作意向',
      roles: ['orgAdmin', 'branchSecretary', 'firstSecretary'],
    },
    'showroom.review': { label: '审核发布或退回推荐展厅的产品，下架已发布的产品', roles: ['countyAdmin'] },
  },
  auditActions: {
    'product.create': '添加推荐展厅产品',
    'product.update': '修改推荐展厅产品',
    'product.picture': '上传推荐展厅产品图片',
    'product.pictureDelete': '删除推荐展厅产品图片',
    'product.submit': '提交推荐展厅产品审核',
    'product.publish': '审核发布推荐展厅产品',
    'product.return': '退回推荐展厅产品',
    'product.withdraw': '下架推荐展厅产品',
    'inquiry.receive': '收到推荐展厅意向咨询',
    'inquiry.view': '查看意向咨询的联系方式',
    'inquiry.answer': '答复推荐展厅意向咨询',
  },
  menu: [{ path: '/products', label: '推荐展厅', icon: 'shop', perm: 'showroom.read', order: 29.7 }],
  pages: [
    { path: 'products', page: 'showroom/ProductsPage', perm: 'showroom.read' },
    { path: 'products/new', page: 'showroom/ProductFormPage', perm: 'showroom.write' },
    { path: 'products/inquiries/:id', page: 'showroom/InquiryPage', perm: 'showroom.answer' },
    { path: 'products/:id', page: 'showroom/ProductPage', perm: 'showroom.read' },
    { path: 'products/:id/edit', page: 'showroom/ProductFormPage', perm: 'showroom.write' },
  ],
});
