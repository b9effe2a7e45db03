/** The filtered audit log as an .xlsx for auditors (SEC-12): sentences, not codes; the export itself is audited by the caller. */
import type { Writable } from 'node:stream';
import type { z } from 'zod';
import { AUDIT_ACTION_LABELS } from '../../contract/audit-text.ts';
import type { auditQuery } from '../../contract/users.ts';
import type { Tx } from '../db/index.ts';
import { queryAudit } from './audit.ts';
import type { SessionUser } from './deps.ts';
import { addRow, addSheet, createStreamingWorkbook, LANDSCAPE_PRINT, setColumns } from './xlsx-cells.ts';

const RESULT_TEXT: Record<string, string> = { ok: '成功', denied: '拒绝', failed: '失败' };
export const AUDIT_EXPORT_MAX = 100_000;

export async function writeAuditExport(
  db: Tx,
  user: Pick<SessionUser, 'scopePath' | 'countyCode' | 'displayName' | 'username'>,
  q: Omit<z.infer<typeof auditQuery>, 'page' | 'pageSize'>,
  mark: string,
  out: Writable,
): Promise<number> {
  const wb = createStreamingWorkbook('audit', out);
  const hf = mark.replace(/&/g, '&&');
  const ws = addSheet(wb, '审计日志', {
    headerFooter: { oddHeader: `&C${hf}`, oddFooter: `&C${hf} 第 &P 页，共 &N 页` },
    pageSetup: LANDSCAPE_PRINT,
    views: [{ state: 'frozen', ySplit: 1 }],
  });
  setColumns(ws, [
    { header: '序号', width: 10 },
    { header: '时间', width: 20 },
    { header: '账号', width: 14 },
    { header: '姓名', width: 12 },
    { header: '所属组织', width: 30 },
    { header: '操作', width: 16 },
    { header: '内容', width: 60 },
    { header: '结果', width: 8 },
    { header: 'IP 地址', width: 16 },
    { header: '请求编号', width: 18 },
  ]);
  let n = 0;
  for (let page = 1; n < AUDIT_EXPORT_MAX; page++) {
    const res = await queryAudit(db, user, { ...q, page, pageSize: 1000 } as z.infer<typeof auditQuery>);
    for (const r of res.items) {
      const at = new Date(new Date(r.at).getTime() + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
      // Names and summaries come from users' data: addRow neutralises formula-like text (SEC-20).
      addRow(ws, [
        r.seq,
        at,
        r.username,
        r.actorName,
        r.actorOrgName,
        AUDIT_ACTION_LABELS[r.action] ?? r.action,
        r.summary,
        RESULT_TEXT[r.result] ?? r.result,
        r.ip ?? '',
        r.requestId ?? '',
      ]).commit();
      n++;
    }
    if (res.items.length < 1000) break;
  }
  ws.commit();
  const about = addSheet(wb, '导出说明');
  addRow(about, [mark]).commit();
  about.commit();
  await wb.commit();
  return n;
}
