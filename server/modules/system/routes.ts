import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { jobsOverview } from '../../../contract/system.ts';
import * as svc from './service.ts';

export default async function systemRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const deps = app.deps;
  const tags = ['系统运行'];

  r.get(
    '/api/system/jobs',
    {
      config: { permission: 'system.jobs' },
      schema: {
        tags,
        summary: '定时任务与备份：各任务最近的运行、备份文件与磁盘空间、需要处理的警告',
        response: { 200: jobsOverview },
      },
    },
    async () => svc.jobsOverview(deps),
  );
}
