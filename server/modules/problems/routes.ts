import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listOf, uuidStr } from '../../../contract/common.ts';
import {
  calendarQuery,
  calendarView,
  complianceMissingQuery,
  complianceMissingView,
  complianceQuery,
  complianceView,
  problemDetail,
  problemListQuery,
  problemView,
  ruleInfo,
  ruleRunView,
  ruleSettingPut,
  ruleSettingPutResult,
  ruleSettingView,
} from '../../../contract/problems.ts';
import { sendDownload, XLSX } from '../../platform/download.ts';
import { actorOf, userOf } from '../../platform/http.ts';
import { finishRun } from './engine.ts';
import * as svc from './service.ts';
import { shanghaiDate } from '../../platform/calendar.ts';

const idParam = z.object({ id: uuidStr });
const orgParam = z.object({ orgId: uuidStr });

export default async function problemRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const deps = app.deps;
  const { db } = deps.database;
  const tags = ['问题清单'];

  // Runs started by hand carry on after their request; the app waits for them before its pool closes.
  const background = new Set<Promise<unknown>>();
  app.addHook('onClose', async () => {
    await Promise.allSettled([...background]);
  });

  r.get(
    '/api/problems',
    {
      config: { permission: 'problems.read' },
      schema: {
        tags,
        summary: '问题清单（组织及下级；默认未整改；按发现时间倒序）',
        querystring: problemListQuery,
        response: { 200: listOf(problemView) },
      },
    },
    async (req) => svc.listProblems(db, userOf(req), req.query),
  );
  r.get(
    '/api/problems/rules',
    {
      config: { permission: 'problems.read' },
      schema: { tags, summary: '检查规则一览（名称、条文、依据、适用对象）', response: { 200: z.array(ruleInfo) } },
    },
    async () => svc.listRules(),
  );
  r.get(
    '/api/problems/export',
    {
      config: { permission: 'problems.read' },
      schema: {
        tags,
        summary: '导出问题清单（.xlsx，筛选条件同列表；记审计）',
        querystring: problemListQuery.omit({ page: true, pageSize: true }),
      },
    },
    async (req, reply) => {
      const user = userOf(req);
      return sendDownload(req, reply, {
        spend: ['export'],
        prepare: async () => ({ org: await svc.exportTarget(db, user, req.query) }),
        audit: ({ org }) => ({
          action: 'problems.export',
          objectType: 'org',
          objectId: org.id,
          detail: { filter: { ...req.query, status: req.query.status ?? 'open' } },
        }),
        file: ({ org }) => ({
          name: `问题清单-${org.name}-${shanghaiDate(deps.now())}.xlsx`,
          fallback: 'problems.xlsx',
          type: XLSX,
        }),
        body: () => (out) => svc.writeProblemsExport(db, deps, user, req.query, out),
      });
    },
  );
  r.get(
    '/api/problems/runs',
    {
      config: { permission: 'problems.read' },
      schema: { tags, summary: '最近 10 次全县规则检查', response: { 200: z.array(ruleRunView) } },
    },
    async (req) => svc.listRuns(db, userOf(req)),
  );
  r.post(
    '/api/problems/run',
    {
      config: { permission: 'problems.run' },
      schema: {
        tags,
        summary: '立即检查：对全县发起一次规则检查（后台进行；已有检查在进行时拒绝）',
        response: { 202: ruleRunView },
      },
    },
    async (req, reply) => {
      const user = userOf(req);
      const runId = await svc.startRunByHand(db, deps, user, actorOf(req));
      const job = finishRun(db, deps, user.countyCode, runId, 'full', { userId: user.id })
        .then((n) => req.log.info({ runId, rules: n }, 'rule run done'))
        .catch((e) => req.log.error({ err: e, runId }, 'rule run failed'))
        .finally(() => background.delete(job));
      background.add(job);
      reply.code(202);
      return svc.getRun(db, user, runId);
    },
  );
  r.get(
    '/api/problems/:id',
    {
      config: { permission: 'problems.read' },
      schema: {
        tags,
        summary: '问题详情（变化记录、规则条文与依据）',
        params: idParam,
        response: { 200: problemDetail },
      },
    },
    async (req) => svc.getProblem(db, userOf(req), req.params.id),
  );

  r.get(
    '/api/settings/rules',
    {
      config: { permission: 'problems.read' },
      schema: {
        tags,
        summary: '规则参数（默认值、按生效日期的历史、当前值）',
        response: { 200: z.array(ruleSettingView) },
      },
    },
    async (req) => svc.listRuleSettings(db, deps, userOf(req).countyCode),
  );
  r.put(
    '/api/settings/rules',
    {
      config: { permission: 'problems.settings' },
      schema: {
        tags,
        summary: '设置规则参数（自生效日期起开始的期间适用，不改写已过去的期间；记审计）',
        body: ruleSettingPut,
        response: { 200: ruleSettingPutResult },
      },
    },
    async (req) => {
      const user = userOf(req);
      return db.transaction((tx) => svc.setRuleSetting(tx, deps, user, actorOf(req), req.body));
    },
  );

  r.get(
    '/api/compliance',
    {
      config: { permission: 'problems.read' },
      schema: {
        tags,
        summary: '组织生活合规情况（下级组织各自及其下级，按月、季度或年）',
        querystring: complianceQuery,
        response: { 200: complianceView },
      },
    },
    async (req) => svc.compliance(db, deps, userOf(req), req.query),
  );
  r.get(
    '/api/compliance/missing',
    {
      config: { permission: 'problems.read' },
      schema: {
        tags,
        summary: '合规情况中未完成的组织（已结束的期间）',
        querystring: complianceMissingQuery,
        response: { 200: complianceMissingView },
      },
    },
    async (req) => svc.complianceMissing(db, userOf(req), req.query),
  );
  r.get(
    '/api/compliance/calendar/:orgId',
    {
      config: { permission: 'problems.read' },
      schema: {
        tags,
        summary: '组织生活日历（一个组织一年中各月、季度、年度应开与已开）',
        params: orgParam,
        querystring: calendarQuery,
        response: { 200: calendarView },
      },
    },
    async (req) => svc.calendar(db, deps, userOf(req), req.params.orgId, req.query.year),
  );
}
