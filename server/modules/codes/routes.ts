import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { userOf } from '../../platform/http.ts';
import { codeLists } from './service.ts';

const codeListsBody = z.object({
  lists: z.record(z.string(), z.array(z.object({ code: z.string(), label: z.string() }))),
});

/** Code lists (民族, 学历, 人员类别, …): the national lists with the user's county's own entries, for forms and labels. */
export default async function codeRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app.deps.database;
  r.get(
    '/api/code-lists',
    {
      config: { permission: 'authenticated' },
      schema: { tags: ['系统'], summary: '代码表（民族、学历、人员类别等）', response: { 200: codeListsBody } },
    },
    async (req) => {
      return { lists: await codeLists(db, userOf(req).countyCode) };
    },
  );
}
