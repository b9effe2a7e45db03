import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

const codeListsBody = z.object({ lists: z.record(z.string(), z.array(z.object({ code: z.string(), label: z.string() }))) });

/** Code lists (民族, 学历, 人员类别, …): reference data a county may edit, for forms and labels. */
export default async function codeRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app.deps.database;
  r.get('/api/code-lists', { config: { permission: 'authenticated' }, schema: { tags: ['系统'], summary: '代码表（民族、学历、人员类别等）', response: { 200: codeListsBody } } }, async () => {
    const res = await db.execute<{ list: string; code: string; label: string }>(sql`select list, code, label from code_lists order by list, sort, code`);
    const lists: Record<string, { code: string; label: string }[]> = {};
    for (const row of res.rows) {
      lists[row.list] = lists[row.list] ?? [];
      lists[row.list].push({ code: row.code, label: row.label });
    }
    return { lists };
  });
}
