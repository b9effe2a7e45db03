/** Training and exchange sessions, the county's management systems and the marked villages' list: routes of trainings.ts, systems.ts and villages.ts. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { shanghaiDate } from '../../../contract/calendar.ts';
import { listOf, uuidStr } from '../../../contract/common.ts';
import {
  attendanceBody,
  markedVillagesQuery,
  markedVillagesView,
  systemsBody,
  systemsView,
  trainingCreate,
  trainingListQuery,
  trainingPatch,
  trainingSummary,
  trainingView,
} from '../../../contract/firstsec-trainings.ts';
import { sendDownload, XLSX } from '../../platform/download.ts';
import { actorOf, userOf } from '../../platform/http.ts';
import { getSystems, putSystems } from './systems.ts';
import { createTraining, getTraining, listTrainings, patchTraining, recordAttendance } from './trainings.ts';
import { markedVillages, villagesTarget, writeVillagesExport } from './villages.ts';

const idParam = z.object({ id: uuidStr });

export default async function trainingRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app.deps.database;
  const deps = app.deps;
  const tags = ['第一书记'];

  r.get(
    '/api/first-secretaries/trainings',
    {
      config: { permission: 'firstsec.read' },
      schema: {
        tags,
        summary: '培训、座谈交流（最新在前）：本级及下级组织的，和通知了本范围内人员的；第一书记本人只看通知自己参加的',
        querystring: trainingListQuery,
        response: { 200: listOf(trainingSummary) },
      },
    },
    async (req) => listTrainings(db, userOf(req), req.query),
  );
  r.post(
    '/api/first-secretaries/trainings',
    {
      config: { permission: 'firstsec.manage' },
      schema: {
        tags,
        summary: '组织培训或座谈交流（县委组织部或乡镇党委），通知管辖范围内在岗的第一书记等人员参加',
        body: trainingCreate,
        response: { 201: trainingView },
      },
    },
    async (req, reply) => {
      const user = userOf(req);
      const id = await db.transaction((tx) => createTraining(tx, deps, user, actorOf(req), req.body));
      reply.code(201);
      return getTraining(db, deps, user, id);
    },
  );
  r.get(
    '/api/first-secretaries/trainings/:id',
    {
      config: { permission: 'firstsec.read' },
      schema: {
        tags,
        summary: '一次培训或座谈交流及参加人员的出勤（只列本范围内的人员）',
        params: idParam,
        response: { 200: trainingView },
      },
    },
    async (req) => getTraining(db, deps, userOf(req), req.params.id),
  );
  r.patch(
    '/api/first-secretaries/trainings/:id',
    {
      config: { permission: 'firstsec.manage' },
      schema: {
        tags,
        summary: '修改培训或座谈交流（带版本号；参加人员整体替换，保留者的出勤不变）',
        params: idParam,
        body: trainingPatch,
        response: { 200: trainingView },
      },
    },
    async (req) => {
      const user = userOf(req);
      await db.transaction((tx) => patchTraining(tx, deps, user, actorOf(req), req.params.id, req.body));
      return getTraining(db, deps, user, req.params.id);
    },
  );
  r.put(
    '/api/first-secretaries/trainings/:id/attendance',
    {
      config: { permission: 'firstsec.manage' },
      schema: {
        tags,
        summary: '记录出勤（出席、请假、缺席）：举办当天起，只限通知参加的人员',
        params: idParam,
        body: attendanceBody,
        response: { 200: trainingView },
      },
    },
    async (req) => {
      const user = userOf(req);
      await db.transaction((tx) => recordAttendance(tx, deps, user, actorOf(req), req.params.id, req.body));
      return getTraining(db, deps, user, req.params.id);
    },
  );

  // ── The county's management systems ──

  r.get(
    '/api/first-secretaries/systems',
    {
      config: { permission: 'firstsec.read' },
      schema: {
        tags,
        summary: '本县第一书记管理制度（未制定时为方案所列七项制度的名称）',
        response: { 200: systemsView },
      },
    },
    async (req) => getSystems(db, userOf(req)),
  );
  r.put(
    '/api/first-secretaries/systems',
    {
      config: { permission: 'firstsec.manage' },
      schema: {
        tags,
        summary: '县委组织部修改管理制度（按顺序整体替换；清空则恢复方案所列七项）',
        body: systemsBody,
        response: { 200: systemsView },
      },
    },
    async (req) => {
      const user = userOf(req);
      await db.transaction((tx) => putSystems(tx, deps, user, actorOf(req), req.body));
      return getSystems(db, user);
    },
  );

  // ── The marked villages (FS-1) ──

  r.get(
    '/api/first-secretaries/designations',
    {
      config: { permission: 'firstsec.roster' },
      schema: {
        tags,
        summary: '重点村（软弱涣散村等）一览：所属乡镇、标注、在岗的第一书记和驻村工作队员、是否符合选派要求',
        querystring: markedVillagesQuery,
        response: { 200: markedVillagesView },
      },
    },
    async (req) => markedVillages(db, deps, userOf(req), req.query),
  );
  r.get(
    '/api/first-secretaries/designations/export',
    {
      config: { permission: 'firstsec.roster' },
      schema: {
        tags,
        summary: '导出重点村选派第一书记情况（.xlsx，筛选条件同列表；记审计）',
        querystring: markedVillagesQuery,
      },
    },
    async (req, reply) => {
      const user = userOf(req);
      return sendDownload(req, reply, {
        spend: ['export'],
        prepare: async () => ({ org: await villagesTarget(db, user, req.query) }),
        audit: ({ org }) => ({
          action: 'fs.villagesExport',
          objectType: 'org',
          objectId: org.id,
          detail: { filter: req.query },
        }),
        file: ({ org }) => ({
          name: `重点村选派情况-${org.name}-${shanghaiDate(deps.now())}.xlsx`,
          fallback: 'villages.xlsx',
          type: XLSX,
        }),
        body:
          ({ org }) =>
          (out) =>
            writeVillagesExport(db, deps, user, req.query, `${org.name}重点村选派第一书记情况`, out),
      });
    },
  );
}
