import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listOf } from '../../../contract/common.ts';
import { auditExportQuery, auditQuery, auditView } from '../../../contract/users.ts';
import { AUDIT_EXPORT_MAX, writeAuditExport } from '../../platform/audit-export.ts';
import { queryAudit, writeAudit } from '../../platform/audit.ts';
import { actorOf, userOf } from '../../platform/http.ts';
import { spend } from '../../platform/ratelimit.ts';
import { orgNames } from '../orgs/api.ts';
import { shanghaiMinute } from '../../platform/calendar.ts';

export default async function auditRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const deps = app.deps;
  const { db } = deps.database;

  r.get('/api/audit/export', { config: { permission: 'audit.read' }, schema: { tags: ['审计'], summary: '导出审计日志（按筛选条件；须说明用途；记审计）', querystring: auditExportQuery } }, async (req, reply) => {
    const user = userOf(req);
    const { reason, ...filter } = req.query;
    await spend(db, user, 'export');
    const stamp = shanghaiMinute(deps.now());
    const mark = `导出人：${user.displayName}（${user.username}） 导出时间：${stamp} 用途：${reason} 审计日志，严禁外传`;
    const total = (await queryAudit(db, user, { ...filter, page: 1, pageSize: 1 })).total;
    await db.transaction((tx) => writeAudit(tx, deps.crypto, actorOf(req), [{ action: 'audit.export', objectType: 'audit', detail: { reason, rows: Math.min(total, AUDIT_EXPORT_MAX), filter } }]));
    const out = new PassThrough();
    reply
      .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="audit.xlsx"; filename*=UTF-8''${encodeURIComponent(`审计日志-${stamp.slice(0, 10)}.xlsx`)}`);
    void writeAuditExport(db, user, filter, mark, out).catch((e) => out.destroy(e));
    return reply.send(out);
  });
  r.get('/api/audit', { config: { permission: 'audit.read' }, schema: { tags: ['审计'], summary: '审计日志（只读）', querystring: auditQuery, response: { 200: listOf(auditView) } } }, async (req) =>
    queryAudit(db, userOf(req), req.query),
  );

  // The organization filter of an auditor, who holds no organization permission: names in the scope only, nothing about members.
  r.get(
    '/api/audit/orgs',
    {
      config: { permission: 'audit.read' },
      schema: {
        tags: ['审计'],
        summary: '审计日志的组织筛选：按名称、拼音或首字母查找管辖范围内的党组织（只返回名称）',
        querystring: z.object({ q: z.string().trim().max(50).optional() }),
        response: { 200: z.object({ items: z.array(z.object({ id: z.string(), name: z.string(), parentName: z.string().nullable() })) }) },
      },
    },
    async (req) => ({ items: await orgNames(db, userOf(req), req.query.q || undefined, 20) }),
  );
}
