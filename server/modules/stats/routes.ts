import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { STATS_TABLE_TITLES, statsExportQuery, statsQuery, statsResult } from '../../../contract/stats.ts';
import { writeAudit } from '../../platform/audit.ts';
import { actorOf, userOf } from '../../platform/http.ts';
import { memberStats, writeStatsWorkbook } from './service.ts';
import { shanghaiDate } from '../../platform/calendar.ts';
import { spend } from '../../platform/ratelimit.ts';

/** Today in Asia/Shanghai, the day the counts are as of. */
function today(now: Date): string {
  return shanghaiDate(now);
}

export default async function statsRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const deps = app.deps;
  const { db } = deps.database;
  const tags = ['统计'];

  r.get('/api/stats', { config: { permission: 'members.read' }, schema: { tags, summary: '党员统计（党内统计表式）：组织及下级，按类别、性别、年龄段、学历、民族、领域、入党时间', querystring: statsQuery, response: { 200: statsResult } } }, async (req) =>
    memberStats(db, userOf(req), req.query.orgId, today(deps.now())),
  );

  r.get('/api/stats/export', { config: { permission: 'members.read' }, schema: { tags, summary: '导出统计表（.xlsx，每表一页；只含人数，不含个人信息；记审计）', querystring: statsExportQuery } }, async (req, reply) => {
    await spend(db, userOf(req), 'export');
    const result = await memberStats(db, userOf(req), req.query.orgId, today(deps.now()));
    await db.transaction((tx) =>
      writeAudit(tx, deps.crypto, actorOf(req), [{ action: 'stats.export', objectType: 'org', objectId: result.orgId, detail: { table: req.query.table ?? 'all', total: result.total } }]),
    );
    const name = `${result.orgName}-${req.query.table ? STATS_TABLE_TITLES[req.query.table].replace(/^按/, '') : '党员'}统计-${result.asOf}.xlsx`;
    reply
      .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="stats.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`);
    const out = new PassThrough();
    void writeStatsWorkbook(result, req.query.table, out).catch((e) => out.destroy(e));
    return reply.send(out);
  });
}
