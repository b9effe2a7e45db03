import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listOf, uuidStr } from '../../../contract/common.ts';
import {
  batchTransferBody,
  batchTransferResult,
  exportQuery,
  importMapping,
  importQuery,
  importResult,
  memberCreate,
  memberDetail,
  memberListQuery,
  memberPatch,
  memberView,
  revealBody,
  revealResult,
} from '../../../contract/members.ts';
import { AppError, ERRORS } from '../../platform/errors.ts';
import { sizeLimits } from '../../platform/files/limits.ts';
import { receiveFile } from '../../platform/files/upload.ts';
import { idQueryKind } from '../../platform/idcard.ts';
import { sendDownload, XLSX } from '../../platform/download.ts';
import { actorOf, userOf } from '../../platform/http.ts';
import { hit, spend } from '../../platform/ratelimit.ts';
import { getSetting } from '../../platform/settings.ts';
import { writeExport } from './export.ts';
import { importRoster, rejectedRows } from './import.ts';
import type { ImportMapping } from './roster.ts';
import { writeRejected, writeTemplate } from './template.ts';
import * as svc from './service.ts';
import { shanghaiDate } from '../../platform/calendar.ts';

const idParam = z.object({ id: uuidStr });

/** The multipart field `mapping`: JSON of what the user mapped in the wizard (absent: nothing). */
function parseMappingField(field: string | undefined): ImportMapping {
  if (field === undefined) return {};
  let json: unknown;
  try {
    json = JSON.parse(field);
  } catch {
    throw new AppError('VALIDATION', '导入对照（mapping）不是有效的 JSON');
  }
  const r = importMapping.safeParse(json);
  if (!r.success)
    throw new AppError(
      'VALIDATION',
      `导入对照（mapping）有误：${r.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('；')}`,
    );
  return r.data;
}

export default async function memberRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app.deps.database;
  const deps = app.deps;
  const tags = ['党员'];

  r.get(
    '/api/members',
    {
      config: { permission: 'members.read' },
      schema: {
        tags,
        summary: '党员查询（姓名、拼音或首字母、身份证后四位、组织及下级、条件筛选；按拼音排序）',
        querystring: memberListQuery,
        response: { 200: listOf(memberView) },
      },
    },
    async (req) => {
      const user = userOf(req);
      const idKind = req.query.q ? idQueryKind(req.query.q) : null;
      // A lookup by ID number is a use of the protected value (SEC-30): capped and audited with what it found.
      if (req.query.q)
        await spend(db, user, 'search', ...(idKind && svc.mayReveal(user) ? (['idLookup'] as const) : []));
      return svc.searchMembers(db, deps, user, actorOf(req), req.query);
    },
  );
  r.get(
    '/api/members/import/template',
    { config: { permission: 'members.import' }, schema: { tags, summary: '下载党员名册导入模板（.xlsx）' } },
    async (req, reply) =>
      sendDownload(req, reply, {
        prepare: async () => userOf(req),
        file: () => ({ name: '党员名册导入模板.xlsx', fallback: 'members.xlsx', type: XLSX }),
        body: (user) => (out) => writeTemplate(db, user, out),
      }),
  );
  r.get(
    '/api/members/export',
    {
      config: { permission: 'members.export' },
      schema: { tags, summary: '导出查询结果（默认脱敏；须说明用途；带水印；记审计）', querystring: exportQuery },
    },
    async (req, reply) => {
      const user = userOf(req);
      const q = req.query;
      if (q.unmasked && !user.permissions.has('members.reveal'))
        throw new AppError('FORBIDDEN', '您没有导出完整个人信息的权限');
      const byId = !!(q.q && idQueryKind(q.q));
      return sendDownload(req, reply, {
        // An export filtered by an ID number or its tail is a lookup by ID number too: it spends that budget (issue 15 §6).
        spend: ['export', ...(byId && svc.mayReveal(user) ? (['idLookup'] as const) : [])],
        prepare: () => svc.checkSearch(db, deps, user, q),
        // The filter is recorded, but never an ID number or its tail (the log must not help rebuild one).
        audit: () => ({
          action: 'member.export',
          objectType: 'member',
          detail: {
            reason: q.reason,
            unmasked: q.unmasked,
            filter: { ...q, reason: undefined, q: byId ? '（按身份证号码）' : q.q },
          },
        }),
        file: () => ({ name: `党员名册-${shanghaiDate(deps.now())}.xlsx`, fallback: 'members.xlsx', type: XLSX }),
        body: () => (out) => writeExport(db, deps, user, q, { unmasked: q.unmasked, reason: q.reason }, out),
      });
    },
  );
  /** An uploaded roster and the wizard's answers: counted like an export (SEC-23/31), kind by its bytes and size from the settings (SEC-21). */
  const receiveRoster = async (req: FastifyRequest) => {
    const user = userOf(req);
    // SEC-23/31: each import inflates and parses a workbook, so imports are counted like exports.
    await hit(db, `import:${user.id}`, await getSetting(db, user.countyCode, 'security.importsPerHour'), 3600);
    // SEC-21: kind by magic bytes, size limit from the settings, streamed to a generated name.
    const upload = await receiveFile(req, deps.files, {
      allowedKinds: ['xlsx'],
      maxBytes: await sizeLimits(db, user.countyCode, ['xlsx']),
      missing: '请选择要上传的 Excel 文件',
      messages: { unsupported: ERRORS.UNSUPPORTED_FILE[1] },
    });
    // The wizard's answers (JSON in the multipart field `mapping`, sent before the file).
    return { user, upload, sent: parseMappingField(upload.fields.mapping) };
  };
  r.post(
    '/api/members/import',
    {
      config: { permission: 'members.import' },
      schema: {
        tags,
        summary:
          '导入党员名册（.xlsx，multipart 字段 file；可在 file 之前附字段 mapping：导入向导的表头与代码对照 JSON，导入成功后本县记住）；dryRun=true 只校验；默认任一行有误则不写入，skipInvalid=true 只导入无误的行，有误的行在 skipped 中列出',
        querystring: importQuery,
        response: { 200: importResult, 422: importResult },
      },
    },
    async (req, reply) => {
      const { user, upload, sent } = await receiveRoster(req);
      const result = await importRoster(db, deps, user, actorOf(req), upload, {
        dryRun: req.query.dryRun === 'true',
        skipInvalid: req.query.skipInvalid === 'true',
        sent,
      });
      reply.code(result.ok ? 200 : 422);
      return result;
    },
  );
  r.post(
    '/api/members/import/rejected',
    {
      config: { permission: 'members.import' },
      schema: {
        tags,
        summary:
          '名册中有误、导入时未导入的行（.xlsx：每行的错误说明和原填写，改正后可再次导入；上传与导入相同，不写入数据）',
      },
    },
    async (req, reply) =>
      sendDownload(req, reply, {
        prepare: async () => {
          const { user, upload, sent } = await receiveRoster(req);
          return {
            name: upload.filename.replace(/\.xlsx$/i, ''),
            rejected: await rejectedRows(db, deps, user, actorOf(req), upload, sent),
          };
        },
        // The file repeats what the user uploaded (no data of the platform's): recorded, with how many rows.
        audit: (p) => ({
          action: 'member.import.rejected',
          objectType: 'import',
          detail: { rows: p.rejected.rows.length },
        }),
        file: (p) => ({ name: `未导入的行-${p.name || '党员名册'}.xlsx`, fallback: 'rejected-rows.xlsx', type: XLSX }),
        body: (p) => (out) => writeRejected(p.rejected, out),
      }),
  );
  r.get(
    '/api/members/:id',
    {
      config: { permission: 'members.read' },
      schema: { tags, summary: '党员详情（含组织关系历史）', params: idParam, response: { 200: memberDetail } },
    },
    async (req) => {
      const user = userOf(req);
      return svc.getMember(db, deps, user, req.params.id, { head: user.auditHead });
    },
  );
  r.post(
    '/api/members',
    {
      config: { permission: 'members.write' },
      schema: {
        tags,
        summary: '新增党员（出生日期、性别由身份证号码生成）',
        body: memberCreate,
        response: { 201: memberDetail },
      },
    },
    async (req, reply) => {
      const user = userOf(req);
      const id = await db.transaction((tx) => svc.createMember(tx, deps, user, actorOf(req), req.body));
      reply.code(201);
      return svc.getMember(db, deps, user, id);
    },
  );
  r.patch(
    '/api/members/:id',
    {
      config: { permission: 'members.write' },
      schema: {
        tags,
        summary: '修改党员信息；改 orgId 即组织关系转接（保留历史）',
        params: idParam,
        body: memberPatch,
        response: { 200: memberDetail },
      },
    },
    async (req) => {
      const user = userOf(req);
      await db.transaction((tx) => svc.patchMember(tx, deps, user, actorOf(req), req.params.id, req.body));
      return svc.getMember(db, deps, user, req.params.id);
    },
  );
  r.post(
    '/api/members/transfer',
    {
      config: { permission: 'members.write' },
      schema: {
        tags,
        summary: '批量转接组织关系（列表中所选党员，一次最多 200 人；逐人保留历史）',
        body: batchTransferBody,
        response: { 200: batchTransferResult },
      },
    },
    async (req) => {
      const r2 = await db.transaction((tx) =>
        svc.batchTransfer(tx, deps, userOf(req), actorOf(req), req.body.memberIds, req.body.orgId, req.body.reason),
      );
      return { ok: true as const, ...r2 };
    },
  );
  r.post(
    '/api/members/:id/reveal',
    {
      config: { permission: 'members.reveal' },
      schema: {
        tags,
        summary: '查看完整身份证号码、电话、住址（须说明原因，记审计；每人每小时有次数上限）',
        params: idParam,
        body: revealBody,
        response: { 200: revealResult },
      },
    },
    async (req) => {
      // A full view shows the ID number: it spends the lookup budget as well as its own (issue 15 §6).
      await spend(db, userOf(req), 'reveal', 'idLookup');
      return db.transaction((tx) =>
        svc.revealMember(tx, deps, userOf(req), actorOf(req), req.params.id, req.body.reason),
      );
    },
  );
}
