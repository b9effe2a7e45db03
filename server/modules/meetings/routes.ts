/** Organizational life: meetings, evidence files, appraisal, talks and the yearly ledger (thin handlers: permission, schema, transaction, service). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listOf, okBody, uuidStr } from '../../../contract/common.ts';
import {
  appraisalParams,
  appraisalPut,
  appraisalView,
  evidenceView,
  ledgerQuery,
  meetingCreate,
  meetingKindsQuery,
  meetingKindsResult,
  meetingListQuery,
  meetingPatch,
  meetingSummary,
  meetingView,
  talkMatrix,
  talkQuery,
} from '../../../contract/meetings.ts';
import { FILE_KINDS } from '../../platform/files/kinds.ts';
import { sizeLimits } from '../../platform/files/limits.ts';
import { receiveFile } from '../../platform/files/upload.ts';
import { DOCX, sendDownload, XLSX } from '../../platform/download.ts';
import { actorOf, userOf } from '../../platform/http.ts';
import { hit } from '../../platform/ratelimit.ts';
import { getSetting } from '../../platform/settings.ts';
import { getAppraisal, putAppraisal } from './appraisal.ts';
import * as ev from './evidence.ts';
import { ledgerDocx, ledgerRows, writeLedgerXlsx } from './ledger.ts';
import { kindsFor } from './kinds.ts';
import * as svc from './service.ts';
import { talks } from './talks.ts';

const idParam = z.strictObject({ id: uuidStr });

export default async function meetingRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app.deps.database;
  const deps = app.deps;
  const tags = ['组织生活'];

  r.get(
    '/api/meetings/kinds',
    {
      config: { permission: 'meetings.read' },
      schema: {
        tags,
        summary: '该党组织可以记录的会议类型（如党小组会只由党小组记录）',
        querystring: meetingKindsQuery,
        response: { 200: meetingKindsResult },
      },
    },
    async (req) => kindsFor(db, userOf(req), req.query.orgId),
  );
  r.get(
    '/api/meetings',
    {
      config: { permission: 'meetings.read' },
      schema: {
        tags,
        summary: '组织生活记录列表（本组织及下级，最新在前）',
        querystring: meetingListQuery,
        response: { 200: listOf(meetingSummary) },
      },
    },
    async (req) => svc.listMeetings(db, userOf(req), req.query),
  );
  r.post(
    '/api/meetings',
    {
      config: { permission: 'meetings.write' },
      schema: {
        tags,
        summary: '记录一次会议或活动（同一 clientId 再次提交时返回已有记录，状态 200）',
        body: meetingCreate,
        response: { 200: meetingView, 201: meetingView },
      },
    },
    async (req, reply) => {
      const user = userOf(req);
      const res = await db.transaction((tx) => svc.createMeeting(tx, deps, user, actorOf(req), req.body));
      reply.code(res.created ? 201 : 200);
      return svc.getMeeting(db, deps, user, res.id);
    },
  );
  r.get(
    '/api/meetings/talks',
    {
      config: { permission: 'meetings.read' },
      schema: {
        tags,
        summary: '谈心谈话情况（班子成员与党员，LIFE-7）',
        querystring: talkQuery,
        response: { 200: talkMatrix },
      },
    },
    async (req) => talks(db, deps, userOf(req), req.query.orgId, req.query.year),
  );
  r.get(
    '/api/meetings/ledger',
    {
      config: { permission: 'meetings.read' },
      schema: { tags, summary: '导出三会一课年度台账（.xlsx 或 .docx，记审计）', querystring: ledgerQuery },
    },
    async (req, reply) => {
      const q = req.query;
      return sendDownload(req, reply, {
        spend: ['export'],
        prepare: async () => {
          const ledger = await ledgerRows(db, userOf(req), q.orgId, q.year);
          return {
            ...ledger,
            docx: q.format === 'docx' ? await ledgerDocx(ledger.orgName, q.year, ledger.rows) : null,
          };
        },
        audit: ({ rows }) => ({
          action: 'meeting.ledger.export',
          objectType: 'org',
          objectId: q.orgId,
          detail: { year: q.year, format: q.format, records: rows.length },
        }),
        file: ({ orgName }) => ({
          name: `三会一课台账-${orgName}-${q.year}.${q.format}`,
          fallback: `ledger-${q.year}.${q.format}`,
          type: q.format === 'xlsx' ? XLSX : DOCX,
        }),
        body: ({ orgName, rows, docx }) => docx ?? ((out) => writeLedgerXlsx(orgName, q.year, rows, out)),
      });
    },
  );
  r.get(
    '/api/meetings/:id',
    {
      config: { permission: 'meetings.read' },
      schema: {
        tags,
        summary: '组织生活记录详情（考勤、决议、影像资料与提示）',
        params: idParam,
        response: { 200: meetingView },
      },
    },
    async (req) => svc.getMeeting(db, deps, userOf(req), req.params.id),
  );
  r.patch(
    '/api/meetings/:id',
    {
      config: { permission: 'meetings.write' },
      schema: {
        tags,
        summary: '修改组织生活记录（须带读取时的 version）',
        params: idParam,
        body: meetingPatch,
        response: { 200: meetingView },
      },
    },
    async (req) => {
      const user = userOf(req);
      await db.transaction((tx) => svc.patchMeeting(tx, deps, user, actorOf(req), req.params.id, req.body));
      return svc.getMeeting(db, deps, user, req.params.id);
    },
  );
  r.delete(
    '/api/meetings/:id',
    {
      config: { permission: 'meetings.write' },
      schema: {
        tags,
        summary: '删除组织生活记录（保留记录与影像资料，记审计）',
        params: idParam,
        response: { 200: okBody },
      },
    },
    async (req) => {
      await db.transaction((tx) => svc.deleteMeeting(tx, deps, userOf(req), actorOf(req), req.params.id));
      return { ok: true as const };
    },
  );

  r.post(
    '/api/meetings/:id/evidence',
    {
      config: { permission: 'meetings.write' },
      schema: {
        tags,
        summary: '上传影像资料（multipart 字段 file：照片、视频、PDF；照片去除元数据后重新编码）',
        params: idParam,
        response: { 201: evidenceView },
      },
    },
    async (req, reply) => {
      const user = userOf(req);
      // SEC-23/31: each upload is stored and a picture decoded, so uploads are counted per account.
      await hit(db, `upload:${user.id}`, await getSetting(db, user.countyCode, 'security.uploadsPerHour'), 3600);
      // Scope and room first: nothing is received for a record the user may not touch.
      await ev.precheckUpload(db, user, req.params.id);
      const upload = await receiveFile(req, deps.files, {
        allowedKinds: ev.EVIDENCE_KINDS,
        maxBytes: await sizeLimits(db, user.countyCode, ev.EVIDENCE_KINDS),
        missing: '请选择要上传的照片、视频或 PDF 文件',
        messages: { unsupported: ev.EVIDENCE_UNSUPPORTED_MESSAGE },
      });
      // Decoding and re-encoding happen before the transaction opens.
      const prepared = await ev.prepareEvidence(deps, upload);
      let id: string;
      try {
        id = await db.transaction((tx) => ev.recordEvidence(tx, deps, user, actorOf(req), req.params.id, prepared));
      } catch (e) {
        for (const k of ev.blobsOf(prepared)) await deps.files.delete(k).catch(() => {});
        throw e;
      }
      reply.code(201);
      return ev.getEvidence(db, user, id);
    },
  );
  r.get(
    '/api/evidence/:id',
    {
      config: { permission: 'meetings.read' },
      schema: { tags, summary: '下载影像资料（SM3 校验，记审计）', params: idParam },
    },
    async (req, reply) =>
      sendDownload(req, reply, {
        spend: ['download'],
        prepare: () => ev.openForDownload(db, deps, userOf(req), actorOf(req), req.params.id),
        audit: ({ e }) => ({
          action: 'evidence.download',
          objectType: 'evidence',
          objectId: e.id,
          detail: { meetingId: e.owner_id, orgId: e.org_id },
        }),
        file: ({ e }) => ({
          name: e.filename,
          fallback: `evidence.${FILE_KINDS[e.kind as keyof typeof FILE_KINDS]?.ext ?? 'bin'}`,
          type: e.mime,
        }),
        body: ({ stream }) => stream,
      }),
  );
  r.get(
    '/api/evidence/:id/thumbnail',
    { config: { permission: 'meetings.read' }, schema: { tags, summary: '影像资料缩略图（JPEG）', params: idParam } },
    async (req, reply) =>
      sendDownload(req, reply, {
        prepare: async () => ev.openEvidence(deps, await ev.evidenceRow(db, userOf(req), req.params.id), 'thumbnail'),
        file: () => ({ name: 'thumbnail.jpg', fallback: 'thumbnail.jpg', type: 'image/jpeg', inline: true }),
        body: (stream) => stream,
      }),
  );
  r.delete(
    '/api/evidence/:id',
    {
      config: { permission: 'meetings.write' },
      schema: { tags, summary: '删除影像资料（保留文件，记审计）', params: idParam, response: { 200: okBody } },
    },
    async (req) => {
      await db.transaction((tx) => ev.deleteEvidence(tx, deps, userOf(req), actorOf(req), req.params.id));
      return { ok: true as const };
    },
  );

  r.get(
    '/api/appraisals/:orgId/:year',
    {
      config: { permission: 'meetings.read' },
      schema: {
        tags,
        summary: '民主评议党员等次（本组织及党小组党员，LIFE-8）',
        params: appraisalParams,
        response: { 200: appraisalView },
      },
    },
    async (req) => getAppraisal(db, userOf(req), req.params.orgId, req.params.year),
  );
  r.put(
    '/api/appraisals/:orgId/:year',
    {
      config: { permission: 'meetings.write' },
      schema: {
        tags,
        summary: '登记民主评议等次与不合格党员处置（按党员覆盖）',
        params: appraisalParams,
        body: appraisalPut,
        response: { 200: appraisalView },
      },
    },
    async (req) => {
      const user = userOf(req);
      await db.transaction((tx) =>
        putAppraisal(tx, deps, user, actorOf(req), req.params.orgId, req.params.year, req.body),
      );
      return getAppraisal(db, user, req.params.orgId, req.params.year);
    },
  );
}
