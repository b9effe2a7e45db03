/**
 * A periodic report kept on the device (app/offline.ts, kind 'fsReport') from the first keystroke until
 * the server has it: typed in the village with no network it waits on the phone and goes when the network
 * returns, with the time it was written (the server counts its lateness by that time). A resend of the
 * same clientId answers the first, so a retry after a lost answer makes no second report.
 */
import type { z } from 'zod';
import type { reportView } from '../../../../contract/firstsec-reports.ts';
import type { FsArea, FsReportKind } from '../../../../contract/labels.ts';
import { api } from '../../app/api.ts';
import type { OfflineSender } from '../../app/offline.ts';

export type ReportView = z.infer<typeof reportView>;

export const REPORT_KIND = 'fsReport';

export interface ReportPayload {
  kind: FsReportKind;
  period: string;
  body: string;
  areas: FsArea[];
  /** When it was submitted on the phone (set at 提交; absent while it is only a draft). */
  madeAt?: string;
}

export const reportSender: OfflineSender<ReportPayload, ReportView> = {
  async send(ctx) {
    const p = ctx.item.payload;
    ctx.progress('正在上传汇报…');
    return api.post<ReportView>('/api/first-secretaries/reports', {
      kind: p.kind,
      period: p.period,
      body: p.body,
      areas: p.areas,
      madeAt: p.madeAt ?? new Date().toISOString(),
      clientId: ctx.item.clientId,
    });
  },
};
