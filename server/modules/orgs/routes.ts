import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listOf, okBody, uuidStr } from '../../../contract/common.ts';
import { revealBody } from '../../../contract/members.ts';
import {
  orgChild,
  orgChildrenQuery,
  orgCreate,
  orgDetail,
  orgDissolve,
  orgListQuery,
  orgMerge,
  orgMove,
  orgPatch,
  orgRevealResult,
  orgSummary,
  postWrite,
} from '../../../contract/orgs.ts';
import { actorOf, userOf } from '../../platform/http.ts';
import * as svc from './service.ts';
import { spend } from '../../platform/ratelimit.ts';

const idParam = z.object({ id: uuidStr });

export default async function orgRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app.deps.database;
  const tags = ['组织'];

  r.get(
    '/api/orgs',
    {
      config: { permission: 'orgs.read' },
      schema: {
        tags,
        summary: '党组织列表（管辖范围内）',
        querystring: orgListQuery,
        response: { 200: listOf(orgSummary) },
      },
    },
    async (req) => svc.listOrgs(db, userOf(req), req.query),
  );
  r.get(
    '/api/orgs/root',
    {
      config: { permission: 'orgs.read' },
      schema: { tags, summary: '管辖范围的顶层组织', response: { 200: orgSummary } },
    },
    async (req) => svc.scopeRoot(db, userOf(req)),
  );
  r.get(
    '/api/orgs/:id',
    {
      config: { permission: 'orgs.read' },
      schema: { tags, summary: '党组织详情：班子、人数、提醒、沿革', params: idParam, response: { 200: orgDetail } },
    },
    async (req) => {
      const user = userOf(req);
      return svc.detail(db, app.deps, user, req.params.id, { head: user.auditHead });
    },
  );
  r.get(
    '/api/orgs/:id/children',
    {
      config: { permission: 'orgs.read' },
      schema: {
        tags,
        summary: '下级党组织（warnings=true 时附各组织的提醒）',
        params: idParam,
        querystring: orgChildrenQuery,
        response: { 200: z.object({ items: z.array(orgChild) }) },
      },
    },
    async (req) => ({
      items: await svc.children(db, userOf(req), req.params.id, { warnings: req.query.warnings, deps: app.deps }),
    }),
  );
  r.post(
    '/api/orgs',
    {
      config: { permission: 'orgs.write' },
      schema: { tags, summary: '新建党组织', body: orgCreate, response: { 201: orgDetail } },
    },
    async (req, reply) => {
      const user = userOf(req);
      const id = await db.transaction((tx) => svc.createOrg(tx, app.deps, user, actorOf(req), req.body));
      reply.code(201);
      return svc.detail(db, app.deps, user, id);
    },
  );
  r.patch(
    '/api/orgs/:id',
    {
      config: { permission: 'orgs.write' },
      schema: {
        tags,
        summary: '修改党组织（改名等），保留沿革',
        params: idParam,
        body: orgPatch,
        response: { 200: orgDetail },
      },
    },
    async (req) => {
      const user = userOf(req);
      await db.transaction((tx) => svc.patchOrg(tx, app.deps, user, actorOf(req), req.params.id, req.body));
      return svc.detail(db, app.deps, user, req.params.id);
    },
  );
  r.post(
    '/api/orgs/:id/move',
    {
      config: { permission: 'orgs.write' },
      schema: { tags, summary: '调整隶属关系', params: idParam, body: orgMove, response: { 200: okBody } },
    },
    async (req) => {
      await db.transaction((tx) =>
        svc.moveOrg(tx, app.deps, userOf(req), actorOf(req), req.params.id, req.body.newParentId, req.body.reason),
      );
      return { ok: true as const };
    },
  );
  r.post(
    '/api/orgs/:id/merge',
    {
      config: { permission: 'orgs.write' },
      schema: {
        tags,
        summary: '合并到另一组织（党员随之转入）',
        params: idParam,
        body: orgMerge,
        response: { 200: z.object({ ok: z.literal(true), membersMoved: z.number() }) },
      },
    },
    async (req) => {
      const n = await db.transaction((tx) =>
        svc.mergeOrg(tx, app.deps, userOf(req), actorOf(req), req.params.id, req.body.intoId, req.body.reason),
      );
      return { ok: true as const, membersMoved: n };
    },
  );
  r.post(
    '/api/orgs/:id/dissolve',
    {
      config: { permission: 'orgs.write' },
      schema: { tags, summary: '撤销党组织', params: idParam, body: orgDissolve, response: { 200: okBody } },
    },
    async (req) => {
      await db.transaction((tx) =>
        svc.dissolveOrg(tx, app.deps, userOf(req), actorOf(req), req.params.id, req.body.reason, req.body.date),
      );
      return { ok: true as const };
    },
  );
  r.post(
    '/api/orgs/:id/reveal',
    {
      config: { permission: 'members.reveal' },
      schema: {
        tags,
        summary: '查看完整联系电话（须说明原因，记审计；每人每小时有次数上限）',
        params: idParam,
        body: revealBody,
        response: { 200: orgRevealResult },
      },
    },
    async (req) => {
      await spend(db, userOf(req), 'reveal');
      return db.transaction((tx) =>
        svc.revealOrgContact(tx, app.deps, userOf(req), actorOf(req), req.params.id, req.body.reason),
      );
    },
  );
  r.post(
    '/api/orgs/:id/posts',
    {
      config: { permission: 'orgs.write' },
      schema: { tags, summary: '班子任职或空缺登记', params: idParam, body: postWrite, response: { 200: orgDetail } },
    },
    async (req) => {
      const user = userOf(req);
      await db.transaction((tx) => svc.setPost(tx, app.deps, user, actorOf(req), req.params.id, req.body));
      return svc.detail(db, app.deps, user, req.params.id);
    },
  );
}
