/** The "五个一" tracker and its hand-recorded items (FS-3): routes of five.ts. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { uuidStr } from '../../../contract/common.ts';
import { fiveItemCreate, fiveQuery, fiveView } from '../../../contract/firstsec-five.ts';
import { actorOf, userOf } from '../../platform/http.ts';
import { addFiveItem, confirmFiveItem, fiveOf, removeFiveItem } from './five.ts';

const idParam = z.object({ id: uuidStr });

export default async function fiveRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app.deps.database;
  const deps = app.deps;
  const tags = ['第一书记'];

  r.get(
    '/api/first-secretaries/:id/five-ones',
    {
      config: { permission: 'firstsec.read' },
      schema: {
        tags,
        summary: '两新组织第一书记、党建指导员的“五个一”：一年中每项已完成、待完成、未完成或不作要求',
        params: idParam,
        querystring: fiveQuery,
        response: { 200: fiveView },
      },
    },
    async (req) => fiveOf(db, deps, userOf(req), req.params.id, req.query.year),
  );
  r.post(
    '/api/first-secretaries/:id/five-items',
    {
      config: { permission: 'firstsec.read' },
      schema: {
        tags,
        summary: '记录“五个一”中的经验做法、解决的实际问题或心得体会文章（本人或名册管理人员）',
        params: idParam,
        body: fiveItemCreate,
        response: { 201: fiveView },
      },
    },
    async (req, reply) => {
      const user = userOf(req);
      await db.transaction((tx) => addFiveItem(tx, deps, user, actorOf(req), req.params.id, req.body));
      reply.code(201);
      return fiveOf(db, deps, user, req.params.id, Number(req.body.doneOn.slice(0, 4)));
    },
  );
  r.post(
    '/api/first-secretaries/five-items/:id/confirm',
    {
      config: { permission: 'firstsec.approve' },
      schema: {
        tags,
        summary: '乡镇（街道）或县委组织部确认“五个一”记录',
        params: idParam,
        response: { 200: fiveView },
      },
    },
    async (req) => {
      const user = userOf(req);
      const done = await db.transaction((tx) => confirmFiveItem(tx, deps, user, actorOf(req), req.params.id));
      return fiveOf(db, deps, user, done.fsId, done.year);
    },
  );
  r.delete(
    '/api/first-secretaries/five-items/:id',
    {
      config: { permission: 'firstsec.read' },
      schema: { tags, summary: '删除未确认的“五个一”记录', params: idParam, response: { 200: fiveView } },
    },
    async (req) => {
      const user = userOf(req);
      const done = await db.transaction((tx) => removeFiveItem(tx, deps, user, actorOf(req), req.params.id));
      return fiveOf(db, deps, user, done.fsId, done.year);
    },
  );
}
