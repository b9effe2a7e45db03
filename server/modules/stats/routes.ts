import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { STATS_TABLE_TITLES, statsExportQuery, statsQuery, statsResult } from '../../../contract/stats.ts';
import { sendDownload, XLSX } from '../../platform/download.ts';
import { userOf } from '../../platform/http.ts';
import { memberStats, writeStatsWorkbook } from './service.ts';
import { shanghaiDate } from '../../platform/calendar.ts';

/** Today in Asia/Shanghai, the day the counts are as of. */
function today(now: Date): string {
  return shanghaiDate(now);
}

export default async function statsRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const deps = app.deps;
  const { db } = deps.database;
  const tags = ['统计'];

  r.get(
    '/api/stats',
    {
      config: { permission: 'members.read' },
      schema: {
        tags,
        summary: '党员统计（党内统计表式）：组织及下级，按类别、性别、年龄段、学历、民族、领域、入党时间',
        querystring: statsQuery,
        response: { 200: statsResult },
      },
    },
    async (req) => memberStats(db, userOf(req), req.query.orgId, today(deps.now())),
  );

  r.get(
    '/api/stats/export',
    {
      config: { permission: 'members.read' },
      schema: {
        tags,
        summary: '导出统计表（.xlsx，每表一页；只含人数，不含个人信息；记审计）',
        querystring: statsExportQuery,
      },
    },
    async (req, reply) => {
      const table = req.query.table;
      return sendDownload(req, reply, {
        spend: ['export'],
        prepare: () => memberStats(db, userOf(req), req.query.orgId, today(deps.now())),
        audit: (result) => ({
          action: 'stats.export',
          objectType: 'org',
          objectId: result.orgId,
          detail: { table: table ?? 'all', total: result.total },
        }),
        file: (result) => ({
          name: `${result.orgName}-${table ? STATS_TABLE_TITLES[table].replace(/^按/, '') : '党员'}统计-${result.asOf}.xlsx`,
          fallback: 'stats.xlsx',
          type: XLSX,
        }),
        body: (result) => (out) => writeStatsWorkbook(result, table, out),
      });
    },
  );
}
