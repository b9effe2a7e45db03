/** The yearly score of first secretaries (score.ts): the list for a scope, one person's, and the two sides' marks. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { uuidStr } from '../../../contract/common.ts';
import {
  scoreListQuery,
  scoreMarkBody,
  scoreQuery,
  scoreSideParam,
  scoreView,
} from '../../../contract/firstsec-score.ts';
import { shanghaiDate } from '../../../contract/calendar.ts';
import { requireOrgAccess } from '../../platform/access.ts';
import { sendDownload, XLSX } from '../../platform/download.ts';
import { actorOf, userOf } from '../../platform/http.ts';
import { listScores, markScore, scoreOf, writeScoresExport } from './score.ts';
import { todayOf } from './service.ts';

const idParam = z.object({ id: uuidStr });

export default async function scoreRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app.deps.database;
  const deps = app.deps;
  const tags = ['第一书记'];

  r.get(
    '/api/first-secretaries/scores',
    {
      config: { permission: 'firstsec.roster' },
      schema: {
        tags,
        summary: '第一书记年度考核得分（在村考勤、定期汇报、“五个一”、任务、问题整改、乡镇和派出单位评价），高分在前',
        querystring: scoreListQuery,
        response: { 200: z.object({ year: z.number().int(), items: z.array(scoreView) }) },
      },
    },
    async (req) => {
      const year = req.query.year ?? Number(todayOf(deps).slice(0, 4));
      return { year, items: await listScores(db, deps, userOf(req), year, req.query.orgId) };
    },
  );
  r.get(
    '/api/first-secretaries/scores/export',
    {
      config: { permission: 'firstsec.roster' },
      schema: {
        tags,
        summary: '导出第一书记年度考核得分表（.xlsx，筛选条件同列表；记审计）',
        querystring: scoreListQuery,
      },
    },
    async (req, reply) => {
      const user = userOf(req);
      const year = req.query.year ?? Number(todayOf(deps).slice(0, 4));
      return sendDownload(req, reply, {
        spend: ['export'],
        prepare: async () => ({ org: await requireOrgAccess(db, user, req.query.orgId ?? user.orgId) }),
        audit: ({ org }) => ({
          action: 'fs.scoresExport',
          objectType: 'org',
          objectId: org.id,
          detail: { year, orgId: req.query.orgId ?? null },
        }),
        file: ({ org }) => ({
          name: `第一书记年度考核-${year}年-${org.name}-${shanghaiDate(deps.now())}.xlsx`,
          fallback: 'first-secretary-scores.xlsx',
          type: XLSX,
        }),
        body:
          ({ org }) =>
          (out) =>
            writeScoresExport(db, deps, user, year, req.query.orgId, `${org.name}第一书记年度考核得分`, out),
      });
    },
  );
  r.get(
    '/api/first-secretaries/:id/score',
    {
      config: { permission: 'firstsec.read' },
      schema: {
        tags,
        summary: '一名第一书记的年度考核得分',
        params: idParam,
        querystring: scoreQuery,
        response: { 200: scoreView },
      },
    },
    async (req) => scoreOf(db, deps, userOf(req), req.params.id, req.query.year),
  );
  r.put(
    '/api/first-secretaries/:id/score/:side',
    {
      config: { permission: 'firstsec.approve' },
      schema: {
        tags,
        summary: '乡镇（街道）党（工）委（town）或派出单位（unit）给出年度评价分（百分制）；再次给出即修改',
        params: scoreSideParam,
        body: scoreMarkBody,
        response: { 200: scoreView },
      },
    },
    async (req) => {
      const user = userOf(req);
      await db.transaction((tx) => markScore(tx, deps, user, actorOf(req), req.params.id, req.params.side, req.body));
      return scoreOf(db, deps, user, req.params.id, req.body.year);
    },
  );
}
