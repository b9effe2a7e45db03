import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listOf, okBody, uuidStr } from '../../../contract/common.ts';
import {
  answerBody,
  entryListItem,
  entryListQuery,
  entryView,
  inquiryCreate,
  inquiryListItem,
  inquiryListQuery,
  inquiryReceived,
  inquiryStats,
  inquiryStatsQuery,
  inquiryView,
  pictureView,
  productCreate,
  productPatch,
  publicCard,
  publicProduct,
  publicQuery,
  publicTownships,
  returnBody,
} from '../../../contract/showroom.ts';
import { sendDownload } from '../../platform/download.ts';
import { AppError } from '../../platform/errors.ts';
import { FILE_KINDS, type FileKind } from '../../platform/files/kinds.ts';
import { sizeLimits } from '../../platform/files/limits.ts';
import { receiveFile } from '../../platform/files/upload.ts';
import { actorOf, userOf } from '../../platform/http.ts';
import { installationCounty } from '../../platform/installation.ts';
import { hit } from '../../platform/ratelimit.ts';
import { getSetting } from '../../platform/settings.ts';
import { blobsOf, prepareEvidence, VERIFY_FIRST_BYTES } from '../meetings/api.ts';
import * as svc from './service.ts';

const idParam = z.object({ id: uuidStr });
/** Pictures only: re-encoded without metadata by the evidence pipeline (no video or PDF in a showroom). */
const PICTURE_KINDS = ['jpeg', 'png', 'webp'] as const satisfies readonly FileKind[];

export default async function showroomRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app.deps.database;
  const deps = app.deps;
  const tags = ['推荐展厅'];
  const publicTags = ['推荐展厅（公开）'];

  /** A rate limit of a request without a session, per network address, answered with the module's own code. */
  async function perIp(req: FastifyRequest, county: string, what: 'read' | 'inquiry'): Promise<void> {
    const [key, setting, window, code] =
      what === 'read'
        ? (['showroom-read', 'showroom.publicReadsPerIpPerMinute', 60, 'SHOWROOM_READ_RATE_LIMITED'] as const)
        : (['showroom-inquiry', 'showroom.inquiriesPerIpPerHour', 3600, 'INQUIRY_RATE_LIMITED'] as const);
    try {
      await hit(db, `${key}:${req.ip}`, Number(await getSetting(db, county, setting)), window);
    } catch (e) {
      if (e instanceof AppError && e.code === 'RATE_LIMITED') throw new AppError(code);
      throw e;
    }
  }

  // ── Public: no session; the installation's county; published entries only. ──

  r.get(
    '/api/showroom/products',
    {
      config: { permission: 'public' },
      schema: {
        tags: publicTags,
        summary: '推荐展厅：已发布的产品和项目（按类别、乡镇、关键词查找；最新发布在前）',
        querystring: publicQuery,
        response: { 200: listOf(publicCard) },
      },
    },
    async (req) => {
      const county = await installationCounty(db);
      await perIp(req, county, 'read');
      return svc.publicList(db, county, req.query);
    },
  );
  r.get(
    '/api/showroom/products/:id',
    {
      config: { permission: 'public' },
      schema: {
        tags: publicTags,
        summary: '推荐展厅：一个已发布的产品（未发布、已退回或已下架的答复 404）',
        params: idParam,
        response: { 200: publicProduct },
      },
    },
    async (req) => {
      const county = await installationCounty(db);
      await perIp(req, county, 'read');
      return svc.publicDetail(db, deps, county, req.params.id);
    },
  );
  r.get(
    '/api/showroom/townships',
    {
      config: { permission: 'public' },
      schema: {
        tags: publicTags,
        summary: '推荐展厅：有已发布产品的乡镇（查找条件）和本县名称',
        response: { 200: publicTownships },
      },
    },
    async () => svc.publicTownshipList(db, await installationCounty(db)),
  );
  /** A picture of a published entry: the whole picture, or its thumbnail. */
  const publicPictureRoute = (thumbnail: boolean) =>
    r.get(
      `/api/showroom/pictures/:id${thumbnail ? '/thumbnail' : ''}`,
      {
        config: { permission: 'public' },
        schema: {
          tags: publicTags,
          summary: thumbnail ? '推荐展厅：已发布产品的图片缩略图（JPEG）' : '推荐展厅：已发布产品的图片（SM3 校验）',
          params: idParam,
        },
      },
      async (req, reply) =>
        sendPicture(req, reply, thumbnail, async () =>
          svc.publicPicture(db, await installationCounty(db), req.params.id),
        ),
    );
  publicPictureRoute(false);
  publicPictureRoute(true);

  r.post(
    '/api/showroom/inquiries',
    {
      config: { permission: 'public' },
      schema: {
        tags: publicTags,
        summary: '推荐展厅：访客提交购买或合作意向（无须登录；按网络地址限频；联系方式加密保存，只有该村能看到）',
        body: inquiryCreate,
        response: { 201: inquiryReceived },
      },
    },
    async (req, reply) => {
      const county = await installationCounty(db);
      await perIp(req, county, 'inquiry');
      const id = await db.transaction((tx) => svc.createInquiry(tx, deps, county, actorOf(req), req.body));
      reply.code(201);
      return { id, message: '您的咨询已送达该村，村里会通过您留下的联系方式答复' };
    },
  );

  async function sendPicture(
    req: FastifyRequest,
    reply: FastifyReply,
    thumbnail: boolean,
    load: () => Promise<Awaited<ReturnType<typeof svc.publicPicture>>>,
  ) {
    return sendDownload(req, reply, {
      prepare: async () => {
        const x = await load();
        if (thumbnail) {
          if (!x.thumb_key || !x.thumb_sm3) throw new AppError('NOT_FOUND', '该图片没有缩略图');
          await deps.files.verify(x.thumb_key, x.thumb_sm3);
          return { x, stream: await deps.files.open(x.thumb_key, x.thumb_sm3) };
        }
        if (Number(x.size) <= VERIFY_FIRST_BYTES) await deps.files.verify(x.blob_key, x.sm3);
        return { x, stream: await deps.files.open(x.blob_key, x.sm3) };
      },
      file: ({ x }) =>
        thumbnail
          ? { name: 'thumbnail.jpg', fallback: 'thumbnail.jpg', type: 'image/jpeg', inline: true }
          : {
              name: x.filename,
              fallback: `picture.${FILE_KINDS[x.kind as keyof typeof FILE_KINDS]?.ext ?? 'bin'}`,
              type: x.mime,
              inline: true,
            },
      body: ({ stream }) => stream,
    });
  }

  // ── Inside the platform: the village's entries, the county's review. ──

  r.get(
    '/api/showroom/entries',
    {
      config: { permission: 'showroom.read' },
      schema: {
        tags,
        summary: '本组织范围内的推荐展厅产品（县级审核：status=submitted，最早提交在前）',
        querystring: entryListQuery,
        response: { 200: listOf(entryListItem) },
      },
    },
    async (req) => svc.listEntries(db, userOf(req), req.query),
  );
  r.post(
    '/api/showroom/entries',
    {
      config: { permission: 'showroom.write' },
      schema: {
        tags,
        summary: '添加本村的产品或项目（草稿；个人手机须经本人同意才公开）',
        body: productCreate,
        response: { 201: entryView },
      },
    },
    async (req, reply) => {
      const user = userOf(req);
      const id = await db.transaction((tx) => svc.createEntry(tx, deps, user, actorOf(req), req.body));
      reply.code(201);
      return svc.getEntry(db, deps, user, id);
    },
  );
  r.get(
    '/api/showroom/entries/:id',
    {
      config: { permission: 'showroom.read' },
      schema: { tags, summary: '一个推荐展厅产品及可办理的操作', params: idParam, response: { 200: entryView } },
    },
    async (req) => svc.getEntry(db, deps, userOf(req), req.params.id),
  );
  r.patch(
    '/api/showroom/entries/:id',
    {
      config: { permission: 'showroom.write' },
      schema: {
        tags,
        summary: '修改产品（已发布的产品修改后重新进入审核，审核通过前不在展厅显示）',
        params: idParam,
        body: productPatch,
        response: { 200: entryView },
      },
    },
    async (req) => {
      const user = userOf(req);
      await db.transaction((tx) => svc.updateEntry(tx, deps, user, actorOf(req), req.params.id, req.body));
      return svc.getEntry(db, deps, user, req.params.id);
    },
  );
  const act = (
    verb: 'submit' | 'publish' | 'withdraw',
    permission: 'showroom.write' | 'showroom.review',
    summary: string,
    fn: typeof svc.submitEntry,
  ) =>
    r.post(
      `/api/showroom/entries/:id/${verb}`,
      { config: { permission }, schema: { tags, summary, params: idParam, response: { 200: entryView } } },
      async (req) => {
        const user = userOf(req);
        await db.transaction((tx) => fn(tx, deps, user, actorOf(req), req.params.id));
        return svc.getEntry(db, deps, user, req.params.id);
      },
    );
  act('submit', 'showroom.write', '提交县级审核（草稿、已退回或已下架的产品）', svc.submitEntry);
  act('publish', 'showroom.review', '审核通过并在推荐展厅发布', svc.publishEntry);
  act('withdraw', 'showroom.write', '下架（已发布或待审核的产品不再显示或不再审核）', svc.withdrawEntry);
  r.post(
    '/api/showroom/entries/:id/return',
    {
      config: { permission: 'showroom.review' },
      schema: {
        tags,
        summary: '退回（待审核的产品），或撤下已发布的产品，须写明原因',
        params: idParam,
        body: returnBody,
        response: { 200: entryView },
      },
    },
    async (req) => {
      const user = userOf(req);
      await db.transaction((tx) => svc.returnEntry(tx, deps, user, actorOf(req), req.params.id, req.body.reason));
      return svc.getEntry(db, deps, user, req.params.id);
    },
  );
  r.post(
    '/api/showroom/entries/:id/pictures',
    {
      config: { permission: 'showroom.write' },
      schema: {
        tags,
        summary: '上传产品图片（multipart 字段 file：JPEG、PNG、WebP；去除元数据后重新编码，生成缩略图）',
        params: idParam,
        response: { 201: pictureView },
      },
    },
    async (req, reply) => {
      const user = userOf(req);
      await hit(db, `upload:${user.id}`, await getSetting(db, user.countyCode, 'security.uploadsPerHour'), 3600);
      const max = Number(await getSetting(db, user.countyCode, 'showroom.maxPictures'));
      await svc.precheckPicture(db, user, req.params.id, max);
      const upload = await receiveFile(req, deps.files, {
        allowedKinds: PICTURE_KINDS,
        maxBytes: await sizeLimits(db, user.countyCode, PICTURE_KINDS),
        missing: '请选择要上传的产品图片',
        messages: { unsupported: '图片类型不支持（按文件内容识别），可上传 JPEG、PNG、WebP 图片' },
      });
      const prepared = await prepareEvidence(deps, upload);
      let id: string;
      try {
        id = await db.transaction((tx) =>
          svc.recordPicture(tx, deps, user, actorOf(req), req.params.id, prepared, max),
        );
      } catch (e) {
        for (const k of blobsOf(prepared)) await deps.files.delete(k).catch(() => {});
        throw e;
      }
      reply.code(201);
      return { id, hasThumbnail: !!prepared.thumbKey, width: prepared.width, height: prepared.height };
    },
  );
  const entryPictureRoute = (thumbnail: boolean) =>
    r.get(
      `/api/showroom/entry-pictures/:id${thumbnail ? '/thumbnail' : ''}`,
      {
        config: { permission: 'showroom.read' },
        schema: {
          tags,
          summary: thumbnail
            ? '产品图片缩略图（任何状态，本组织范围内）'
            : '产品图片（任何状态，本组织范围内；SM3 校验）',
          params: idParam,
        },
      },
      async (req, reply) => sendPicture(req, reply, thumbnail, () => svc.scopedPicture(db, userOf(req), req.params.id)),
    );
  entryPictureRoute(false);
  entryPictureRoute(true);
  r.delete(
    '/api/showroom/entry-pictures/:id',
    {
      config: { permission: 'showroom.write' },
      schema: {
        tags,
        summary: '删除产品图片（已发布的产品重新进入审核）',
        params: idParam,
        response: { 200: okBody },
      },
    },
    async (req) => {
      const user = userOf(req);
      await db.transaction((tx) => svc.deletePicture(tx, deps, user, actorOf(req), req.params.id));
      return { ok: true as const };
    },
  );

  // ── Inquiries: the village's own accounts; the county sees counts. ──

  r.get(
    '/api/showroom/inquiries',
    {
      config: { permission: 'showroom.answer' },
      schema: {
        tags,
        summary: '本村收到的意向咨询（未答复在前；联系方式遮蔽）',
        querystring: inquiryListQuery,
        response: { 200: listOf(inquiryListItem) },
      },
    },
    async (req) => svc.listInquiries(db, userOf(req), req.query),
  );
  r.get(
    '/api/showroom/inquiries/:id',
    {
      config: { permission: 'showroom.answer' },
      schema: {
        tags,
        summary: '一条意向咨询及访客的联系方式（只有该村的账号能看到；记审计）',
        params: idParam,
        response: { 200: inquiryView },
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      const user = userOf(req);
      return db.transaction((tx) => svc.getInquiry(tx, deps, user, actorOf(req), req.params.id));
    },
  );
  r.post(
    '/api/showroom/inquiries/:id/answer',
    {
      config: { permission: 'showroom.answer' },
      schema: { tags, summary: '答复意向咨询', params: idParam, body: answerBody, response: { 200: inquiryView } },
    },
    async (req) => {
      const user = userOf(req);
      return db.transaction(async (tx) => {
        await svc.answerInquiry(tx, deps, user, actorOf(req), req.params.id, req.body.answer);
        return svc.getInquiry(tx, deps, user, actorOf(req), req.params.id);
      });
    },
  );
  r.get(
    '/api/showroom/inquiry-stats',
    {
      config: { permission: 'showroom.read' },
      schema: {
        tags,
        summary: '各村推荐展厅的发布数、收到和答复的咨询数、答复用时中位数（只有数字，不含访客信息）',
        querystring: inquiryStatsQuery,
        response: { 200: inquiryStats },
      },
    },
    async (req) => svc.inquiryStatsOf(db, userOf(req), req.query.orgId),
  );
}
