import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listOf, uuidStr } from '../../../contract/common.ts';
import {
  assignmentDetail,
  dashboard,
  dashboardQuery,
  directiveBrief,
  directiveCreate,
  directiveLateness,
  directiveListQuery,
  directiveReportBody,
  directiveView,
  drawBody,
  drawResult,
  inspectionCreate,
  inspectionListQuery,
  inspectionPlanCreate,
  inspectionPlanListQuery,
  inspectionPlanView,
  inspectionView,
  problemReport,
  progressBody,
  ledger,
  ledgerQuery,
  majorBody,
  majorList as majorListView,
  noticeBrief,
  overrideBody,
  personList as personListView,
  personQuery,
  noticeCreate,
  noticeListQuery,
  noticeView,
  rectificationBody,
  rectificationView,
  reportBody,
  responsibilityChain,
  responsibilityQuery,
  returnBody,
  splitBody,
  splitResult,
  taskCreate,
  taskCreated,
  taskDetail,
  taskEvidenceView,
  taskListItem,
  targetCreate,
  targetItemParams,
  targetListQuery,
  targetReportBody,
  targetScoreBody,
  targetSheet,
  taskListQuery,
  verifyBody,
} from '../../../contract/lists.ts';
import { DOCX, sendDownload, XLSX } from '../../platform/download.ts';
import { AppError } from '../../platform/errors.ts';
import { FILE_KINDS } from '../../platform/files/kinds.ts';
import { sizeLimits } from '../../platform/files/limits.ts';
import { receiveFile } from '../../platform/files/upload.ts';
import { actorOf, userOf } from '../../platform/http.ts';
import type { Actor } from '../../platform/audit.ts';
import type { SessionUser } from '../../platform/deps.ts';
import type { Tx } from '../../db/index.ts';
import { hit } from '../../platform/ratelimit.ts';
import { getSetting } from '../../platform/settings.ts';
import {
  blobsOf,
  EVIDENCE_KINDS,
  EVIDENCE_UNSUPPORTED_MESSAGE,
  prepareEvidence,
  VERIFY_FIRST_BYTES,
} from '../meetings/api.ts';
import {
  createDirective,
  directiveLatenessOf,
  directiveRow,
  getDirective,
  listDirectives,
  reportDirective,
  signDirective,
} from './directives.ts';
import {
  createPlan,
  drawInspection,
  getInspection,
  getPlan,
  listInspections,
  listPlans,
  recordInspection,
} from './inspections.ts';
import { createNotice, getNotice, listNotices, noticeDocx, publishNotice, signNotice } from './notices.ts';
import {
  getRectification,
  majorList,
  pickMajor,
  precheckProgress,
  recordProgressEvidence,
  reportProblem,
  reportProgress,
  setRectification,
  verifyRectification,
} from './rectification.ts';
import { getChain, personList, setOverride } from './responsibility.ts';
import { createTargets, getTargets, listTargets, reportTarget, scoreTarget } from './targets.ts';
import manifest from './manifest.ts';
import * as svc from './service.ts';
import {
  type EvidenceFile,
  type EvidenceStore,
  evidenceFile,
  evidenceView,
  PROBLEM_EVIDENCE,
  type PreparedFile,
  TASK_EVIDENCE,
} from './evidence.ts';

const idParam = z.object({ id: uuidStr });

/** A multipart field holding JSON, checked against `schema`; a Chinese VALIDATION error otherwise. */
function parseJsonField<T extends z.ZodType>(
  schema: T,
  field: string | undefined,
  name: string,
  labels: Record<string, string> = {},
): z.infer<T> {
  if (field === undefined) throw new AppError('VALIDATION', `缺少${name}`);
  let json: unknown;
  try {
    json = JSON.parse(field);
  } catch {
    throw new AppError('VALIDATION', `${name}不是有效的 JSON`);
  }
  const r = schema.safeParse(json);
  if (!r.success)
    throw new AppError(
      'VALIDATION',
      `${name}有误：${r.error.issues.map((i) => `${i.path.map((x) => labels[String(x)] ?? (manifest.fieldLabels as Record<string, string>)[String(x)] ?? String(x)).join('·')} ${i.message}`).join('；')}`,
    );
  return r.data;
}

export default async function listsRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app.deps.database;
  const deps = app.deps;
  const tags = ['任务清单与督查'];

  r.get(
    '/api/tasks',
    {
      config: { permission: 'lists.read' },
      schema: {
        tags,
        summary: '任务清单（本组织下发的、承办的，或范围内全部；最新在前，附范围内的完成情况）',
        querystring: taskListQuery,
        response: { 200: listOf(taskListItem) },
      },
    },
    async (req) => svc.listTasks(db, deps, userOf(req), req.query),
  );
  r.post(
    '/api/tasks',
    {
      config: { permission: 'lists.issue' },
      schema: {
        tags,
        summary: '下发任务：向所选范围内指定类别（和领域）的每个下级组织各下发一份',
        body: taskCreate,
        response: { 200: taskCreated, 201: taskCreated },
      },
    },
    async (req, reply) => {
      const user = userOf(req);
      const { replayed, ...res } = await db.transaction((tx) => svc.createTask(tx, deps, user, actorOf(req), req.body));
      reply.code(replayed ? 200 : 201);
      return res;
    },
  );
  r.get(
    '/api/tasks/dashboard',
    {
      config: { permission: 'lists.read' },
      schema: {
        tags,
        summary: '任务督办：本组织及每个直属下级组织范围内的任务状态、逾期和上报',
        querystring: dashboardQuery,
        response: { 200: dashboard },
      },
    },
    async (req) => svc.taskDashboard(db, deps, userOf(req), req.query.orgId),
  );
  r.get(
    '/api/tasks/dashboard/export',
    {
      config: { permission: 'lists.read' },
      schema: {
        tags,
        summary: '导出任务督办表（.xlsx：各直属下级组织的任务、问题整改和文件落实情况；记审计）',
        querystring: dashboardQuery,
      },
    },
    async (req, reply) =>
      sendDownload(req, reply, {
        spend: ['export'],
        prepare: () => svc.taskDashboard(db, deps, userOf(req), req.query.orgId),
        audit: (d) => ({
          action: 'task.boardExport',
          objectType: 'org',
          objectId: d.orgId,
          detail: { rows: d.rows.length },
        }),
        file: (d) => ({ name: `${d.orgName}任务督办表-${svc.todayOf(deps)}.xlsx`, fallback: 'tasks.xlsx', type: XLSX }),
        body: (d) => (out) => svc.writeDashboardXlsx(d, svc.todayOf(deps), out),
      }),
  );
  r.get(
    '/api/tasks/ledger',
    {
      config: { permission: 'lists.read' },
      schema: {
        tags,
        summary: '组织的任务台账：承办的每项任务、向谁负责、完成时限和状态（逾期在前）',
        querystring: ledgerQuery,
        response: { 200: ledger },
      },
    },
    async (req) => svc.taskLedger(db, deps, userOf(req), req.query.orgId, req.query.open === 'true'),
  );
  r.get(
    '/api/tasks/:id',
    {
      config: { permission: 'lists.read' },
      schema: {
        tags,
        summary: '任务详情：范围内的各级承办组织及汇总（rollup，含分解到下级的）',
        params: idParam,
        response: { 200: taskDetail },
      },
    },
    async (req) => svc.getTask(db, deps, userOf(req), req.params.id),
  );
  r.get(
    '/api/tasks/assignments/:id',
    {
      config: { permission: 'lists.read' },
      schema: {
        tags,
        summary: '一个组织承办的任务：进展、佐证材料、分解情况和可办理的操作',
        params: idParam,
        response: { 200: assignmentDetail },
      },
    },
    async (req) => svc.getAssignment(db, deps, userOf(req), req.params.id),
  );
  r.post(
    '/api/tasks/assignments/:id/split',
    {
      config: { permission: 'lists.work' },
      schema: {
        tags,
        summary: '分解任务：承办组织转给本组织的下级组织，完成时限不晚于本级',
        params: idParam,
        body: splitBody,
        response: { 201: splitResult },
      },
    },
    async (req, reply) => {
      const user = userOf(req);
      const assignments = await db.transaction((tx) =>
        svc.splitAssignment(tx, deps, user, actorOf(req), req.params.id, req.body),
      );
      reply.code(201);
      return { assignments };
    },
  );
  const act = (
    path: string,
    permission: 'lists.work' | 'lists.review',
    summary: string,
    fn: (
      tx: Parameters<Parameters<typeof db.transaction>[0]>[0],
      req: { id: string; user: ReturnType<typeof userOf>; actor: ReturnType<typeof actorOf> },
    ) => Promise<void>,
  ) =>
    r.post(
      `/api/tasks/assignments/:id/${path}`,
      {
        config: { permission },
        schema: { tags, summary, params: idParam, response: { 200: assignmentDetail } },
      },
      async (req) => {
        const user = userOf(req);
        await db.transaction((tx) => fn(tx, { id: req.params.id, user, actor: actorOf(req) }));
        return svc.getAssignment(db, deps, user, req.params.id);
      },
    );
  act('sign', 'lists.work', '签收任务', (tx, q) => svc.signAssignment(tx, deps, q.user, q.actor, q.id));
  act('submit', 'lists.work', '提交完成情况（分解给下级的须先全部验收；未随汇报上传的佐证材料一并提交）', (tx, q) =>
    svc.submitAssignment(tx, deps, q.user, q.actor, q.id),
  );
  act('accept', 'lists.review', '验收通过（下发组织）', (tx, q) =>
    svc.acceptAssignment(tx, deps, q.user, q.actor, q.id),
  );
  r.post(
    '/api/tasks/assignments/:id/report',
    {
      config: { permission: 'lists.work' },
      schema: {
        tags,
        summary: '汇报进展（此前上传、尚未汇报的佐证材料随本次汇报）',
        params: idParam,
        body: reportBody,
        response: { 200: assignmentDetail },
      },
    },
    async (req) => {
      const user = userOf(req);
      await db.transaction((tx) => svc.reportAssignment(tx, deps, user, actorOf(req), req.params.id, req.body.text));
      return svc.getAssignment(db, deps, user, req.params.id);
    },
  );
  r.post(
    '/api/tasks/assignments/:id/return',
    {
      config: { permission: 'lists.review' },
      schema: {
        tags,
        summary: '退回（下发组织，须写明原因）',
        params: idParam,
        body: returnBody,
        response: { 200: assignmentDetail },
      },
    },
    async (req) => {
      const user = userOf(req);
      await db.transaction((tx) => svc.returnAssignment(tx, deps, user, actorOf(req), req.params.id, req.body.reason));
      return svc.getAssignment(db, deps, user, req.params.id);
    },
  );

  /** Upload, download and thumbnail of one kind of evidence (a task share's, a rectification's). */
  function evidenceRoutes(o: {
    store: EvidenceStore;
    /** The upload's path (with :id of what it belongs to) and the files' path prefix. */
    upload: string;
    files: string;
    /** What it is evidence of, for the summaries: 任务 / 整改. */
    what: string;
    precheck: (user: SessionUser, id: string) => Promise<void>;
    record: (tx: Tx, user: SessionUser, actor: Actor, id: string, p: PreparedFile) => Promise<string>;
    download: { action: string; objectType: string; detail: (e: EvidenceFile) => Record<string, unknown> };
  }) {
    r.post(
      o.upload,
      {
        config: { permission: 'lists.work' },
        schema: {
          tags,
          summary: `上传${o.what}佐证材料（multipart 字段 file：照片、视频、PDF；照片去除元数据后重新编码），随下一次汇报`,
          params: idParam,
          response: { 201: taskEvidenceView },
        },
      },
      async (req, reply) => {
        const user = userOf(req);
        await hit(db, `upload:${user.id}`, await getSetting(db, user.countyCode, 'security.uploadsPerHour'), 3600);
        await o.precheck(user, req.params.id);
        const upload = await receiveFile(req, deps.files, {
          allowedKinds: EVIDENCE_KINDS,
          maxBytes: await sizeLimits(db, user.countyCode, EVIDENCE_KINDS),
          missing: '请选择要上传的照片、视频或 PDF 文件',
          messages: { unsupported: EVIDENCE_UNSUPPORTED_MESSAGE },
        });
        const prepared = await prepareEvidence(deps, upload);
        let id: string;
        try {
          id = await db.transaction((tx) => o.record(tx, user, actorOf(req), req.params.id, prepared));
        } catch (e) {
          for (const k of blobsOf(prepared)) await deps.files.delete(k).catch(() => {});
          throw e;
        }
        reply.code(201);
        return evidenceView(db, o.store, user, id);
      },
    );
    r.get(
      `${o.files}/:id`,
      {
        config: { permission: 'lists.read' },
        schema: { tags, summary: `下载${o.what}佐证材料（SM3 校验，记审计）`, params: idParam },
      },
      async (req, reply) =>
        sendDownload(req, reply, {
          spend: ['download'],
          prepare: async () => {
            const e = await evidenceFile(db, o.store, userOf(req), req.params.id);
            if (Number(e.size) <= VERIFY_FIRST_BYTES) await deps.files.verify(e.blob_key, e.sm3);
            return { e, stream: await deps.files.open(e.blob_key, e.sm3) };
          },
          audit: ({ e }) => ({
            action: o.download.action,
            objectType: o.download.objectType,
            objectId: e.id,
            detail: o.download.detail(e),
          }),
          file: ({ e }) => ({
            name: e.filename,
            fallback: `evidence.${FILE_KINDS[e.kind as keyof typeof FILE_KINDS]?.ext ?? 'bin'}`,
            type: e.mime,
          }),
          body: ({ stream }) => stream,
        }),
    );
    r.get(
      `${o.files}/:id/thumbnail`,
      {
        config: { permission: 'lists.read' },
        schema: { tags, summary: `${o.what}佐证材料缩略图（JPEG）`, params: idParam },
      },
      async (req, reply) =>
        sendDownload(req, reply, {
          prepare: async () => {
            const e = await evidenceFile(db, o.store, userOf(req), req.params.id);
            if (!e.thumb_key || !e.thumb_sm3) throw new AppError('NOT_FOUND', '该材料没有缩略图');
            await deps.files.verify(e.thumb_key, e.thumb_sm3);
            return deps.files.open(e.thumb_key, e.thumb_sm3);
          },
          file: () => ({ name: 'thumbnail.jpg', fallback: 'thumbnail.jpg', type: 'image/jpeg', inline: true }),
          body: (stream) => stream,
        }),
    );
  }

  evidenceRoutes({
    store: TASK_EVIDENCE,
    upload: '/api/tasks/assignments/:id/evidence',
    files: '/api/tasks/evidence',
    what: '任务',
    precheck: (user, id) => svc.precheckEvidence(db, user, id),
    record: async (tx, user, actor, id, p) =>
      svc.recordEvidence(
        tx,
        deps,
        user,
        actor,
        id,
        p,
        Number(await getSetting(tx, user.countyCode, 'lists.maxEvidencePerAssignment')),
      ),
    download: {
      action: 'task.evidenceDownload',
      objectType: 'taskEvidence',
      detail: (e) => ({ assignmentId: e.parent_id, orgId: e.org_id }),
    },
  });
  evidenceRoutes({
    store: PROBLEM_EVIDENCE,
    upload: '/api/problems/:id/evidence',
    files: '/api/problems/evidence',
    what: '整改',
    precheck: (user, id) => precheckProgress(db, user, id),
    record: async (tx, user, actor, id, p) =>
      recordProgressEvidence(
        tx,
        deps,
        user,
        actor,
        id,
        p,
        Number(await getSetting(tx, user.countyCode, 'lists.maxEvidencePerAssignment')),
      ),
    download: {
      action: 'problem.evidenceDownload',
      objectType: 'problemEvidence',
      detail: (e) => ({ problemId: e.parent_id, orgId: e.org_id }),
    },
  });

  r.get(
    '/api/problems/:id/rectification',
    {
      config: { permission: 'lists.read' },
      schema: {
        tags,
        summary: '问题的整改情况：责任人、整改措施、上级验收和是否销号',
        params: idParam,
        response: { 200: rectificationView },
      },
    },
    async (req) => getRectification(db, deps, userOf(req), req.params.id),
  );
  r.post(
    '/api/problems/:id/rectification',
    {
      config: { permission: 'lists.work' },
      schema: {
        tags,
        summary: '制定（或更新）整改措施：问题所在组织填写措施、时限和责任人',
        params: idParam,
        body: rectificationBody,
        response: { 200: rectificationView },
      },
    },
    async (req) =>
      db.transaction((tx) => setRectification(tx, deps, userOf(req), actorOf(req), req.params.id, req.body)),
  );
  r.post(
    '/api/problems/:id/verify',
    {
      config: { permission: 'lists.review' },
      schema: {
        tags,
        summary: '上级验收整改：通过（规则已不再发现该问题时即销号）或不通过（须写明原因）',
        params: idParam,
        body: verifyBody,
        response: { 200: rectificationView },
      },
    },
    async (req) =>
      db.transaction((tx) => verifyRectification(tx, deps, userOf(req), actorOf(req), req.params.id, req.body)),
  );

  r.post(
    '/api/problems/:id/progress',
    {
      config: { permission: 'lists.work' },
      schema: {
        tags,
        summary: '汇报整改进展（问题所在组织；随附此前上传、尚未汇报的佐证材料）',
        params: idParam,
        body: progressBody,
        response: { 200: rectificationView },
      },
    },
    async (req) =>
      db.transaction((tx) => reportProgress(tx, deps, userOf(req), actorOf(req), req.params.id, req.body.text)),
  );
  r.post(
    '/api/problems',
    {
      config: { permission: 'lists.inspect' },
      schema: {
        tags,
        summary: '登记上级反馈或群众反映的问题：列入下级组织的问题清单，整改后由上级验收销号',
        body: problemReport,
        response: { 201: rectificationView },
      },
    },
    async (req, reply) => {
      const user = userOf(req);
      const id = await db.transaction((tx) => reportProblem(tx, deps, user, actorOf(req), req.body));
      reply.code(201);
      return getRectification(db, deps, user, id);
    },
  );

  r.get(
    '/api/notices',
    {
      config: { permission: 'lists.read' },
      schema: {
        tags,
        summary: '督查通报（本级及下级生成的，和上级发布到本组织的；最新在前）',
        querystring: noticeListQuery,
        response: { 200: listOf(noticeBrief) },
      },
    },
    async (req) => listNotices(db, userOf(req), req.query),
  );
  r.post(
    '/api/notices',
    {
      config: { permission: 'lists.inspect' },
      schema: {
        tags,
        summary: '由数据生成督查通报草稿：督查情况、好的典型、完成和整改排名、存在的问题、通报的单位',
        body: noticeCreate,
        response: { 201: noticeView },
      },
    },
    async (req, reply) => {
      const user = userOf(req);
      const id = await db.transaction((tx) => createNotice(tx, deps, user, actorOf(req), req.body));
      reply.code(201);
      return getNotice(db, user, id);
    },
  );
  r.get(
    '/api/notices/:id',
    {
      config: { permission: 'lists.read' },
      schema: { tags, summary: '督查通报内容和各被通报单位的签收情况', params: idParam, response: { 200: noticeView } },
    },
    async (req) => getNotice(db, userOf(req), req.params.id),
  );
  r.get(
    '/api/notices/:id/document',
    {
      config: { permission: 'lists.read' },
      schema: { tags, summary: '下载督查通报（Word 文档，记审计）', params: idParam },
    },
    async (req, reply) =>
      sendDownload(req, reply, {
        prepare: async () => {
          const v = await getNotice(db, userOf(req), req.params.id);
          return { v, docx: await noticeDocx(v) };
        },
        audit: ({ v }) => ({
          action: 'notice.download',
          objectType: 'notice',
          objectId: v.id,
          detail: { status: v.status },
        }),
        file: ({ v }) => ({ name: `${v.title}.docx`, fallback: 'notice.docx', type: DOCX }),
        body: ({ docx }) => docx,
      }),
  );
  r.post(
    '/api/notices/:id/publish',
    {
      config: { permission: 'lists.inspect' },
      schema: {
        tags,
        summary: '审核后发布督查通报（发布到该组织及下级，被通报单位须签收）',
        params: idParam,
        response: { 200: noticeView },
      },
    },
    async (req) => {
      const user = userOf(req);
      await db.transaction((tx) => publishNotice(tx, deps, user, actorOf(req), req.params.id));
      return getNotice(db, user, req.params.id);
    },
  );
  r.post(
    '/api/notices/:id/sign',
    {
      config: { permission: 'lists.work' },
      schema: { tags, summary: '被通报单位签收督查通报', params: idParam, response: { 200: noticeView } },
    },
    async (req) => {
      const user = userOf(req);
      await db.transaction((tx) => signNotice(tx, deps, user, actorOf(req), req.params.id));
      return getNotice(db, user, req.params.id);
    },
  );

  r.get(
    '/api/directives',
    {
      config: { permission: 'lists.read' },
      schema: {
        tags,
        summary: '上级文件（本组织下发的、收到的，或范围内全部；最新在前，附签收和报告情况）',
        querystring: directiveListQuery,
        response: { 200: listOf(directiveBrief) },
      },
    },
    async (req) => listDirectives(db, deps, userOf(req), req.query),
  );
  r.post(
    '/api/directives',
    {
      config: { permission: 'lists.issue' },
      schema: {
        tags,
        summary: '下发文件（multipart：字段 data 为 JSON，字段 file 为 PDF 或 Word 文件；data 须在 file 之前）',
        response: { 200: directiveView, 201: directiveView },
      },
    },
    async (req, reply) => {
      const user = userOf(req);
      const kinds = ['pdf', 'docx'] as const;
      const upload = await receiveFile(req, deps.files, {
        allowedKinds: kinds,
        maxBytes: await sizeLimits(db, user.countyCode, kinds),
        missing: '请选择要下发的文件（PDF 或 Word）',
        messages: { unsupported: '文件类型不支持（按文件内容识别），可上传 PDF 或 Word（.docx）文件' },
      });
      try {
        const body = parseJsonField(directiveCreate, upload.fields.data, '文件信息', { title: '文件标题' });
        const made = await db.transaction((tx) => createDirective(tx, deps, user, actorOf(req), body, upload));
        // A repeated send keeps the document sent the first time; this copy of the file is not needed.
        if (made.replayed) await deps.files.delete(upload.key).catch(() => {});
        reply.code(made.replayed ? 200 : 201);
        return getDirective(db, deps, user, made.id);
      } catch (e) {
        await deps.files.delete(upload.key).catch(() => {});
        throw e;
      }
    },
  );
  r.get(
    '/api/directives/lateness',
    {
      config: { permission: 'lists.read' },
      schema: {
        tags,
        summary: '各直属下级组织（含其下级）收到的文件中未按时签收或报告落实情况的数量',
        querystring: dashboardQuery,
        response: { 200: directiveLateness },
      },
    },
    async (req) => directiveLatenessOf(db, deps, userOf(req), req.query.orgId),
  );
  r.get(
    '/api/directives/:id',
    {
      config: { permission: 'lists.read' },
      schema: {
        tags,
        summary: '文件及范围内各接收单位的签收、报告情况',
        params: idParam,
        response: { 200: directiveView },
      },
    },
    async (req) => getDirective(db, deps, userOf(req), req.params.id),
  );
  r.get(
    '/api/directives/:id/file',
    {
      config: { permission: 'lists.read' },
      schema: { tags, summary: '下载文件（SM3 校验，记审计）', params: idParam },
    },
    async (req, reply) =>
      sendDownload(req, reply, {
        spend: ['download'],
        prepare: async () => {
          const d = await directiveRow(db, userOf(req), req.params.id);
          await deps.files.verify(d.file_key, d.file_sm3);
          return { d, stream: await deps.files.open(d.file_key, d.file_sm3) };
        },
        audit: ({ d }) => ({ action: 'directive.download', objectType: 'directive', objectId: d.id, detail: {} }),
        file: ({ d }) => ({ name: d.file_name, fallback: `directive.${d.file_kind}`, type: d.file_mime }),
        body: ({ stream }) => stream,
      }),
  );
  r.post(
    '/api/directives/:id/sign',
    {
      config: { permission: 'lists.work' },
      schema: { tags, summary: '签收文件（接收单位）', params: idParam, response: { 200: directiveView } },
    },
    async (req) => {
      const user = userOf(req);
      await db.transaction((tx) => signDirective(tx, deps, user, actorOf(req), req.params.id));
      return getDirective(db, deps, user, req.params.id);
    },
  );
  r.post(
    '/api/directives/:id/report',
    {
      config: { permission: 'lists.work' },
      schema: {
        tags,
        summary: '报告贯彻落实情况（接收单位，签收后；可更正，以首次报告时间计是否按时）',
        params: idParam,
        body: directiveReportBody,
        response: { 200: directiveView },
      },
    },
    async (req) => {
      const user = userOf(req);
      await db.transaction((tx) => reportDirective(tx, deps, user, actorOf(req), req.params.id, req.body.text));
      return getDirective(db, deps, user, req.params.id);
    },
  );

  r.get(
    '/api/responsibility',
    {
      config: { permission: 'lists.read' },
      schema: {
        tags,
        summary: '党建责任链条：某日的第一、直接、相关、具体责任人（由班子职务得出，或经调整）及调整记录',
        querystring: responsibilityQuery,
        response: { 200: responsibilityChain },
      },
    },
    async (req) => getChain(db, deps, userOf(req), req.query.orgId, req.query.date),
  );
  r.post(
    '/api/responsibility/overrides',
    {
      config: { permission: 'lists.issue' },
      schema: {
        tags,
        summary: '调整某一层级的责任人（自某日起；不填姓名则恢复按职务确定），须写明原因',
        body: overrideBody,
        response: { 200: responsibilityChain },
      },
    },
    async (req) => {
      const user = userOf(req);
      await db.transaction((tx) => setOverride(tx, deps, user, actorOf(req), req.body));
      return getChain(db, deps, user, req.body.orgId, req.body.from);
    },
  );

  r.get(
    '/api/inspections',
    {
      config: { permission: 'lists.read' },
      schema: {
        tags,
        summary: '督查检查记录（本组织及下级被检查的，最新在前，附发现的问题及其状态）',
        querystring: inspectionListQuery,
        response: { 200: listOf(inspectionView) },
      },
    },
    async (req) => listInspections(db, userOf(req), req.query),
  );
  r.post(
    '/api/inspections',
    {
      config: { permission: 'lists.inspect' },
      schema: {
        tags,
        summary: '登记一次督查检查（调研、日常检查、随机抽查）；每个发现的问题列入被检查组织的问题清单',
        body: inspectionCreate,
        response: { 201: inspectionView },
      },
    },
    async (req, reply) => {
      const user = userOf(req);
      const id = await db.transaction((tx) => recordInspection(tx, deps, user, actorOf(req), req.body));
      reply.code(201);
      return getInspection(db, user, id);
    },
  );
  r.get(
    '/api/inspections/plans',
    {
      config: { permission: 'lists.read' },
      schema: {
        tags,
        summary: '督查检查计划（本组织及下级制定的，附各检查对象的完成情况）',
        querystring: inspectionPlanListQuery,
        response: { 200: listOf(inspectionPlanView) },
      },
    },
    async (req) => listPlans(db, deps, userOf(req), req.query),
  );
  r.post(
    '/api/inspections/plans',
    {
      config: { permission: 'lists.inspect' },
      schema: {
        tags,
        summary: '制定督查检查计划：检查什么、检查哪些组织（或一次随机抽取的结果）、何时、由谁检查',
        body: inspectionPlanCreate,
        response: { 201: inspectionPlanView },
      },
    },
    async (req, reply) => {
      const user = userOf(req);
      const id = await db.transaction((tx) => createPlan(tx, deps, user, actorOf(req), req.body));
      reply.code(201);
      return getPlan(db, deps, user, id);
    },
  );
  r.get(
    '/api/inspections/plans/:id',
    {
      config: { permission: 'lists.read' },
      schema: { tags, summary: '一项督查检查计划及其完成情况', params: idParam, response: { 200: inspectionPlanView } },
    },
    async (req) => getPlan(db, deps, userOf(req), req.params.id),
  );
  r.get(
    '/api/inspections/:id',
    {
      config: { permission: 'lists.read' },
      schema: { tags, summary: '一次督查检查及其发现的问题', params: idParam, response: { 200: inspectionView } },
    },
    async (req) => getInspection(db, userOf(req), req.params.id),
  );
  r.get(
    '/api/targets',
    {
      config: { permission: 'lists.read' },
      schema: {
        tags,
        summary: '年度目标责任书（本组织及下级的，某年度；默认本年）及年底兑标得分',
        querystring: targetListQuery,
        response: { 200: z.array(targetSheet) },
      },
    },
    async (req) => listTargets(db, deps, userOf(req), req.query),
  );
  r.post(
    '/api/targets',
    {
      config: { permission: 'lists.issue' },
      schema: {
        tags,
        summary: '为下级组织设定年度目标责任书（各项目标及分值）',
        body: targetCreate,
        response: { 201: targetSheet },
      },
    },
    async (req, reply) => {
      const user = userOf(req);
      const id = await db.transaction((tx) => createTargets(tx, deps, user, actorOf(req), req.body));
      reply.code(201);
      return getTargets(db, deps, user, id);
    },
  );
  r.get(
    '/api/targets/:id',
    {
      config: { permission: 'lists.read' },
      schema: {
        tags,
        summary: '一份目标责任书：各项目标、完成情况和得分',
        params: idParam,
        response: { 200: targetSheet },
      },
    },
    async (req) => getTargets(db, deps, userOf(req), req.params.id),
  );
  r.post(
    '/api/targets/:id/items/:itemId/report',
    {
      config: { permission: 'lists.work' },
      schema: {
        tags,
        summary: '报告一项目标的完成情况（目标责任书所属组织）',
        params: targetItemParams,
        body: targetReportBody,
        response: { 200: targetSheet },
      },
    },
    async (req) => {
      const user = userOf(req);
      await db.transaction((tx) =>
        reportTarget(tx, deps, user, actorOf(req), req.params.id, req.params.itemId, req.body.text),
      );
      return getTargets(db, deps, user, req.params.id);
    },
  );
  r.post(
    '/api/targets/:id/items/:itemId/score',
    {
      config: { permission: 'lists.review' },
      schema: {
        tags,
        summary: '年底兑标：为一项目标打分（设定目标的组织，12 月 1 日起；不超过该项分值）',
        params: targetItemParams,
        body: targetScoreBody,
        response: { 200: targetSheet },
      },
    },
    async (req) => {
      const user = userOf(req);
      await db.transaction((tx) =>
        scoreTarget(tx, deps, user, actorOf(req), req.params.id, req.params.itemId, req.body),
      );
      return getTargets(db, deps, user, req.params.id);
    },
  );

  r.get(
    '/api/responsibility/person',
    {
      config: { permission: 'lists.read' },
      schema: {
        tags,
        summary: '个人责任清单：某人在范围内担任的责任、职责（县级模板）、承办的任务、问题和本年目标责任书',
        querystring: personQuery,
        response: { 200: personListView },
      },
    },
    async (req) => personList(db, deps, userOf(req), req.query.name, req.query.orgId),
  );
  r.post(
    '/api/problems/:id/major',
    {
      config: { permission: 'lists.issue' },
      schema: {
        tags,
        summary: '确定为本组织年度重点问题（每年 2—3 个，跟踪到销号）',
        params: idParam,
        body: majorBody,
        response: { 200: majorListView },
      },
    },
    async (req) => {
      const user = userOf(req);
      await db.transaction((tx) => pickMajor(tx, deps, user, actorOf(req), req.params.id, req.body));
      return majorList(db, deps, user, undefined, req.body.year);
    },
  );
  r.get(
    '/api/responsibility/major',
    {
      config: { permission: 'lists.read' },
      schema: {
        tags,
        summary: '某组织某年确定的重点问题及其整改进度',
        querystring: targetListQuery,
        response: { 200: majorListView },
      },
    },
    async (req) => majorList(db, deps, userOf(req), req.query.orgId, req.query.year),
  );

  r.post(
    '/api/inspections/draw',
    {
      config: { permission: 'lists.inspect' },
      schema: {
        tags,
        summary: '随机抽取督查对象：按乡镇或领域分层，同一随机种子和范围抽取结果相同（记录种子和总体）',
        body: drawBody,
        response: { 201: drawResult },
      },
    },
    async (req, reply) => {
      const user = userOf(req);
      const res = await db.transaction((tx) => drawInspection(tx, deps, user, actorOf(req), req.body));
      reply.code(201);
      return res;
    },
  );
}
