import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listOf, okBody, uuidStr } from '../../../contract/common.ts';
import {
  checkinFields,
  checkinListQuery,
  checkinView,
  designationsBody,
  designationView,
  fsAccount,
  fsCreate,
  fsListQuery,
  fsMe,
  fsPatch,
  fsView,
  leaveCreate,
  leaveDecision,
  leaveListQuery,
  leaveView,
  spotCheckView,
} from '../../../contract/firstsec.ts';
import { sendDownload } from '../../platform/download.ts';
import { AppError } from '../../platform/errors.ts';
import { FILE_KINDS } from '../../platform/files/kinds.ts';
import { sizeLimits } from '../../platform/files/limits.ts';
import { receiveForm } from '../../platform/files/upload.ts';
import { actorOf, userOf } from '../../platform/http.ts';
import { hit } from '../../platform/ratelimit.ts';
import { getSetting } from '../../platform/settings.ts';
import { blobsOf, type PreparedEvidence, prepareEvidence, VERIFY_FIRST_BYTES } from '../meetings/api.ts';
import { checkinPhoto, getCheckin, listCheckins, recordCheckin } from './checkins.ts';
import { cancelLeave, decideLeave, getLeave, listLeaves, requestLeave } from './leaves.ts';
import manifest from './manifest.ts';
import fiveRoutes from './routes-five.ts';
import scoreRoutes from './routes-score.ts';
import reportRoutes from './routes-reports.ts';
import trainingRoutes from './routes-trainings.ts';
import * as svc from './service.ts';
import { askSpotCheck, ownSpotChecks, spotChecksOf } from './spot.ts';

const idParam = z.object({ id: uuidStr });
const monthQuery = z.strictObject({
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 2026-12')
    .optional(),
});
/** Only pictures: a check-in's photo is taken on the spot. */
const PHOTO_KINDS = ['jpeg', 'png', 'webp'] as const;

/** The form's text fields checked like a JSON body: unknown fields refused, Chinese messages. */
function parseFields(fields: Record<string, string>): z.infer<typeof checkinFields> {
  const r = checkinFields.safeParse(fields);
  if (!r.success)
    throw new AppError(
      'VALIDATION',
      `打卡信息有误：${r.error.issues.map((i) => `${i.path.map((x) => (manifest.fieldLabels as Record<string, string>)[String(x)] ?? String(x)).join('·')} ${i.message}`).join('；')}`,
    );
  return r.data;
}

export default async function firstsecRoutes(app: FastifyInstance) {
  await fiveRoutes(app);
  await scoreRoutes(app);
  await reportRoutes(app);
  await trainingRoutes(app);
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app.deps.database;
  const deps = app.deps;
  const tags = ['第一书记'];

  r.get(
    '/api/first-secretaries',
    {
      config: { permission: 'firstsec.roster' },
      schema: {
        tags,
        summary: '第一书记（驻村工作队员、党建指导员）名册，附所选月份的在村天数',
        querystring: fsListQuery,
        response: { 200: listOf(fsView) },
      },
    },
    async (req) => svc.listFs(db, deps, userOf(req), req.query),
  );
  r.post(
    '/api/first-secretaries',
    {
      config: { permission: 'firstsec.manage' },
      schema: { tags, summary: '登记第一书记（驻村工作队员、党建指导员）', body: fsCreate, response: { 201: fsView } },
    },
    async (req, reply) => {
      const user = userOf(req);
      const id = await db.transaction((tx) => svc.createFs(tx, deps, user, actorOf(req), req.body));
      reply.code(201);
      return svc.getFs(db, deps, user, id);
    },
  );
  r.get(
    '/api/first-secretaries/me',
    {
      config: { permission: 'firstsec.self' },
      schema: { tags, summary: '本人的驻村信息、今天是否已打卡、近期打卡和本月在村天数', response: { 200: fsMe } },
    },
    async (req) => svc.me(db, deps, userOf(req)),
  );
  r.get(
    '/api/first-secretaries/me/spot-checks',
    {
      config: { permission: 'firstsec.self' },
      schema: { tags, summary: '本人收到的不打招呼抽查（最新在前）', response: { 200: z.array(spotCheckView) } },
    },
    async (req) => ownSpotChecks(db, deps, userOf(req)),
  );
  r.get(
    '/api/first-secretaries/:id',
    {
      config: { permission: 'firstsec.read' },
      schema: {
        tags,
        summary: '一名第一书记的信息和所选月份的在村天数',
        params: idParam,
        querystring: monthQuery,
        response: { 200: fsView },
      },
    },
    async (req) => svc.getFs(db, deps, userOf(req), req.params.id, req.query.month),
  );
  r.patch(
    '/api/first-secretaries/:id',
    {
      config: { permission: 'firstsec.manage' },
      schema: {
        tags,
        summary: '修改第一书记信息；任期结束或召回（账号随之停用）',
        params: idParam,
        body: fsPatch,
        response: { 200: fsView },
      },
    },
    async (req) => {
      const user = userOf(req);
      await db.transaction((tx) => svc.patchFs(tx, deps, user, actorOf(req), req.params.id, req.body));
      return svc.getFs(db, deps, user, req.params.id);
    },
  );
  r.post(
    '/api/first-secretaries/:id/account',
    {
      config: { permission: 'firstsec.manage' },
      schema: {
        tags,
        summary: '为第一书记开通本人账号（角色第一书记，限所驻组织）；一次性密码只显示这一次，首次登录须修改',
        params: idParam,
        response: { 201: fsAccount },
      },
    },
    async (req, reply) => {
      const made = await db.transaction((tx) => svc.openAccount(tx, deps, userOf(req), actorOf(req), req.params.id));
      reply.code(201);
      return made;
    },
  );
  r.get(
    '/api/first-secretaries/:id/spot-checks',
    {
      config: { permission: 'firstsec.read' },
      schema: {
        tags,
        summary: '对一名第一书记的不打招呼抽查及回应情况',
        params: idParam,
        response: { 200: z.array(spotCheckView) },
      },
    },
    async (req) => spotChecksOf(db, deps, userOf(req), req.params.id),
  );
  r.post(
    '/api/first-secretaries/:id/spot-checks',
    {
      config: { permission: 'firstsec.approve' },
      schema: {
        tags,
        summary: '发起不打招呼抽查：要求其在县里设定的时限内拍摄现场照片打卡，逾时未回应记为不在岗',
        params: idParam,
        response: { 201: z.array(spotCheckView) },
      },
    },
    async (req, reply) => {
      const user = userOf(req);
      await db.transaction((tx) => askSpotCheck(tx, deps, user, actorOf(req), req.params.id));
      reply.code(201);
      return spotChecksOf(db, deps, user, req.params.id);
    },
  );

  // ── Check-ins ──

  r.post(
    '/api/checkins',
    {
      config: { permission: 'firstsec.self' },
      schema: {
        tags,
        summary:
          '考勤打卡（multipart：字段 lat、lng、accuracy、madeAt（离线打卡的时间）、clientId、checkId，文件 photo）；距离较远、未拍照等只标记不拒绝',
        response: { 200: checkinView, 201: checkinView },
      },
    },
    async (req, reply) => {
      const user = userOf(req);
      await hit(db, `upload:${user.id}`, await getSetting(db, user.countyCode, 'security.uploadsPerHour'), 3600);
      await svc.ownRow(db, user);
      const form = await receiveForm(req, deps.files, {
        allowedKinds: PHOTO_KINDS,
        maxBytes: await sizeLimits(db, user.countyCode, PHOTO_KINDS),
        messages: { unsupported: '现场照片只能是 JPEG、PNG 或 WebP 图片' },
      });
      let photo: PreparedEvidence | null = null;
      try {
        const fields = parseFields(form.fields);
        photo = form.file ? await prepareEvidence(deps, form.file) : null;
        const made = await db.transaction((tx) => recordCheckin(tx, deps, user, actorOf(req), fields, photo));
        // A resend keeps the check-in made the first time; this copy of the photo is not needed.
        if (made.replayed && photo) for (const k of blobsOf(photo)) await deps.files.delete(k).catch(() => {});
        reply.code(made.replayed ? 200 : 201);
        return getCheckin(db, user, made.id);
      } catch (e) {
        if (photo) for (const k of blobsOf(photo)) await deps.files.delete(k).catch(() => {});
        else if (form.file) await deps.files.delete(form.file.key).catch(() => {});
        throw e;
      }
    },
  );
  r.get(
    '/api/checkins',
    {
      config: { permission: 'firstsec.read' },
      schema: {
        tags,
        summary: '考勤打卡记录（最新在前；可只看有标记的）',
        querystring: checkinListQuery,
        response: { 200: listOf(checkinView) },
      },
    },
    async (req) => listCheckins(db, userOf(req), req.query),
  );
  r.get(
    '/api/checkins/:id/photo',
    {
      config: { permission: 'firstsec.read' },
      schema: { tags, summary: '打卡的现场照片（SM3 校验，记审计）', params: idParam },
    },
    async (req, reply) =>
      sendDownload(req, reply, {
        spend: ['download'],
        prepare: async () => {
          const p = await checkinPhoto(db, userOf(req), req.params.id);
          if (Number(p.size) <= VERIFY_FIRST_BYTES) await deps.files.verify(p.blob_key, p.sm3);
          return { p, stream: await deps.files.open(p.blob_key, p.sm3) };
        },
        audit: ({ p }) => ({
          action: 'fs.photoDownload',
          objectType: 'fsCheckin',
          objectId: p.id,
          detail: { fsId: p.fs_id, orgId: p.org_id },
        }),
        file: ({ p }) => {
          // The photo's own kind names it (a PNG is not called .jpg).
          const ext = Object.values(FILE_KINDS).find((k) => k.mime === p.mime)?.ext ?? 'jpg';
          return { name: `现场照片.${ext}`, fallback: `checkin.${ext}`, type: p.mime, inline: true };
        },
        body: ({ stream }) => stream,
      }),
  );
  r.get(
    '/api/checkins/:id/thumbnail',
    {
      config: { permission: 'firstsec.read' },
      schema: { tags, summary: '打卡现场照片的缩略图（JPEG）', params: idParam },
    },
    async (req, reply) =>
      sendDownload(req, reply, {
        prepare: async () => {
          const p = await checkinPhoto(db, userOf(req), req.params.id);
          if (!p.thumb_key || !p.thumb_sm3) throw new AppError('NOT_FOUND', '该照片没有缩略图');
          await deps.files.verify(p.thumb_key, p.thumb_sm3);
          return deps.files.open(p.thumb_key, p.thumb_sm3);
        },
        file: () => ({ name: 'thumbnail.jpg', fallback: 'thumbnail.jpg', type: 'image/jpeg', inline: true }),
        body: (stream) => stream,
      }),
  );

  // ── Leave ──

  r.get(
    '/api/first-secretaries/leaves',
    {
      config: { permission: 'firstsec.read' },
      schema: {
        tags,
        summary: '请假申请（待审批在前）',
        querystring: leaveListQuery,
        response: { 200: listOf(leaveView) },
      },
    },
    async (req) => listLeaves(db, userOf(req), req.query),
  );
  r.post(
    '/api/first-secretaries/leaves',
    {
      config: { permission: 'firstsec.self' },
      schema: {
        tags,
        summary: '申请请假（由乡镇党委和派出单位审批）',
        body: leaveCreate,
        response: { 200: leaveView, 201: leaveView },
      },
    },
    async (req, reply) => {
      const user = userOf(req);
      const made = await db.transaction((tx) => requestLeave(tx, deps, user, actorOf(req), req.body));
      reply.code(made.replayed ? 200 : 201);
      return getLeave(db, user, made.id);
    },
  );
  for (const side of ['township', 'unit'] as const)
    r.post(
      `/api/first-secretaries/leaves/:id/${side}`,
      {
        config: { permission: 'firstsec.approve' },
        schema: {
          tags,
          summary:
            side === 'township' ? '乡镇党委审批请假' : '派出单位审批请假（派出单位不在平台时由县委组织部代为审批）',
          params: idParam,
          body: leaveDecision,
          response: { 200: leaveView },
        },
      },
      async (req) => {
        const user = userOf(req);
        await db.transaction((tx) => decideLeave(tx, deps, user, actorOf(req), req.params.id, side, req.body));
        return getLeave(db, user, req.params.id);
      },
    );
  r.post(
    '/api/first-secretaries/leaves/:id/cancel',
    {
      config: { permission: 'firstsec.self' },
      schema: { tags, summary: '撤回本人尚未审批的请假', params: idParam, response: { 200: leaveView } },
    },
    async (req) => {
      const user = userOf(req);
      await db.transaction((tx) => cancelLeave(tx, deps, user, actorOf(req), req.params.id));
      return getLeave(db, user, req.params.id);
    },
  );

  // ── Villages' designations (FS-1) ──

  r.get(
    '/api/first-secretaries/designations/:id',
    {
      config: { permission: 'firstsec.roster' },
      schema: {
        tags,
        summary: '一个村（社区）的重点村标注（软弱涣散村等）',
        params: idParam,
        response: { 200: z.array(designationView) },
      },
    },
    async (req) => svc.getDesignations(db, userOf(req), req.params.id),
  );
  r.put(
    '/api/first-secretaries/designations/:id',
    {
      config: { permission: 'firstsec.manage' },
      schema: {
        tags,
        summary: '设定一个村（社区）的重点村标注及起止日期（整体替换）；FS-1 据此检查是否选派第一书记',
        params: idParam,
        body: designationsBody,
        response: { 200: okBody },
      },
    },
    async (req) => {
      await db.transaction((tx) => svc.putDesignations(tx, deps, userOf(req), actorOf(req), req.params.id, req.body));
      return { ok: true as const };
    },
  );
}
