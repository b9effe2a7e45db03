import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listOf } from '../../../contract/common.ts';
import { auditExportQuery, auditQuery, auditView } from '../../../contract/users.ts';
import { AUDIT_EXPORT_MAX, writeAuditExport } from '../../platform/audit-export.ts';
import { queryAudit } from '../../platform/audit.ts';
import { sendDownload, XLSX } from '../../platform/download.ts';
import { userOf } from '../../platform/http.ts';
import { orgNames } from '../orgs/api.ts';
import { shanghaiMinute } from '../../platform/calendar.ts';

export default async function auditRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const deps = app.deps;
  const { db } = deps.database;

  r.get(
    '/api/audit/export',
    {
      config: { permission: 'audit.read' },
      schema: {
        tags: ['审计'],
        summary: '导出审计日志（按筛选条件；须说明用途；记审计）',
        querystring: auditExportQuery,
      },
    },
    async (req, reply) => {
      const user = userOf(req);
      const { reason, ...filter } = req.query;
      const stamp = shanghaiMinute(deps.now());
      const mark = `导出人：${user.displayName}（${user.username}） 导出时间：${stamp} 用途：${reason} 审计日志，严禁外传`;
      return sendDownload(req, reply, {
        spend: ['export'],
        prepare: async () => (await queryAudit(db, user, { ...filter, page: 1, pageSize: 1 })).total,
        audit: (total) => ({
          action: 'audit.export',
          objectType: 'audit',
          detail: { reason, rows: Math.min(total, AUDIT_EXPORT_MAX), filter },
        }),
        file: () => ({ name: `审计日志-${stamp.slice(0, 10)}.xlsx`, fallback: 'audit.xlsx', type: XLSX }),
        body: () => (out) => writeAuditExport(db, user, filter, mark, out),
      });
    },
  );
  r.get(
    '/api/audit',
    {
      config: { permission: 'audit.read' },
      schema: {
        tags: ['审计'],
        summary: '审计日志（只读）',
        querystring: auditQuery,
        response: { 200: listOf(auditView) },
      },
    },
    async (req) => queryAudit(db, userOf(req), req.query),
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
        response: {
          200: z.object({
            items: z.array(z.object({ id: z.string(), name: z.string(), parentName: z.string().nullable() })),
          }),
        },
      },
    },
    async (req) => ({ items: await orgNames(db, userOf(req), req.query.q || undefined, 20) }),
  );
}
