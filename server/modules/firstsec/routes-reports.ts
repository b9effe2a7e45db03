/** Periodic reports' routes (定期汇报, FS-4; service in reports.ts), registered from routes.ts. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listOf, okBody, uuidStr } from '../../../contract/common.ts';
import {
  reportCommentBody,
  reportCreate,
  reportListQuery,
  reportPatch,
  reportStatusQuery,
  reportStatusView,
  reportView,
} from '../../../contract/firstsec-reports.ts';
import { actorOf, userOf } from '../../platform/http.ts';
import {
  commentReport,
  createReport,
  getReport,
  listReports,
  patchReport,
  readReminder,
  reportStatus,
} from './reports.ts';

const idParam = z.object({ id: uuidStr });

export default async function reportRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app.deps.database;
  const deps = app.deps;
  const tags = ['第一书记'];

  r.get(
    '/api/first-secretaries/reports',
    {
      config: { permission: 'firstsec.read' },
      schema: {
        tags,
        summary: '定期汇报（工作日志、季度报告、年度总结），附批阅意见；第一书记本人只看自己的',
        querystring: reportListQuery,
        response: { 200: listOf(reportView) },
      },
    },
    async (req) => listReports(db, userOf(req), req.query),
  );
  r.post(
    '/api/first-secretaries/reports',
    {
      config: { permission: 'firstsec.self' },
      schema: {
        tags,
        summary: '提交本人的定期汇报（每类每期一份；离线保存的按填写时间 madeAt 计，同一 clientId 重发返回原汇报）',
        body: reportCreate,
        response: { 200: reportView, 201: reportView },
      },
    },
    async (req, reply) => {
      const user = userOf(req);
      const made = await db.transaction((tx) => createReport(tx, deps, user, actorOf(req), req.body));
      reply.code(made.replayed ? 200 : 201);
      return getReport(db, user, made.id);
    },
  );
  r.get(
    '/api/first-secretaries/reports/status',
    {
      config: { permission: 'firstsec.roster' },
      schema: {
        tags,
        summary: '某一期定期汇报的提交情况：管辖范围内每名驻村干部已提交、逾期提交、未到期、逾期未交或不要求',
        querystring: reportStatusQuery,
        response: { 200: reportStatusView },
      },
    },
    async (req) => reportStatus(db, deps, userOf(req), req.query),
  );
  r.get(
    '/api/first-secretaries/reports/:id',
    {
      config: { permission: 'firstsec.read' },
      schema: { tags, summary: '一份定期汇报及其批阅意见', params: idParam, response: { 200: reportView } },
    },
    async (req) => getReport(db, userOf(req), req.params.id),
  );
  r.patch(
    '/api/first-secretaries/reports/:id',
    {
      config: { permission: 'firstsec.self' },
      schema: {
        tags,
        summary: '修改本人的汇报（内容、工作领域；已有批阅意见的不能修改）',
        params: idParam,
        body: reportPatch,
        response: { 200: reportView },
      },
    },
    async (req) => {
      const user = userOf(req);
      await db.transaction((tx) => patchReport(tx, deps, user, actorOf(req), req.params.id, req.body));
      return getReport(db, user, req.params.id);
    },
  );
  r.post(
    '/api/first-secretaries/reports/:id/comments',
    {
      config: { permission: 'firstsec.read' },
      schema: {
        tags,
        summary: '批阅汇报：所驻组织的乡镇（街道）党委、派出单位或县委组织部写下意见',
        params: idParam,
        body: reportCommentBody,
        response: { 201: reportView },
      },
    },
    async (req, reply) => {
      const user = userOf(req);
      await db.transaction((tx) => commentReport(tx, deps, user, actorOf(req), req.params.id, req.body));
      reply.code(201);
      return getReport(db, user, req.params.id);
    },
  );
  r.post(
    '/api/first-secretaries/reminders/:id/read',
    {
      config: { permission: 'firstsec.self' },
      schema: { tags, summary: '将本人的一条汇报提醒标为已读', params: idParam, response: { 200: okBody } },
    },
    async (req) => {
      await db.transaction((tx) => readReminder(tx, deps, userOf(req), actorOf(req), req.params.id));
      return { ok: true as const };
    },
  );
}
