/**
 * A check-in kept on the device (app/offline.ts, kind 'checkin') until the server has it: made with no
 * network it waits on the phone, photo included, and goes when the network returns with the time it was
 * made (the server counts it for that day and marks how late it arrived). Sent as one form: the
 * position, the time, the phone's id of it (a resend answers the first) and the photo.
 */
import { errorFrom, routeAuthError, ApiError } from '../../app/api.ts';
import type { OfflineSender } from '../../app/offline.ts';
import type { CheckinView } from '../../app/types.ts';

export const CHECKIN_KIND = 'checkin';

export interface CheckinPayload {
  madeAt: string;
  lat?: number;
  lng?: number;
  accuracy?: number;
  checkId?: string;
  /** The photo kept under this id (offline.putBlob), its name and type; absent: sent without one. */
  photo?: { id: string; name: string; type: string; capturedAt?: string };
}

const LOST = '本机已找不到这张照片，将不带照片上传';

export const checkinSender: OfflineSender<CheckinPayload, CheckinView> = {
  async send(ctx) {
    const p = ctx.item.payload;
    const form = new FormData();
    form.append('clientId', ctx.item.clientId);
    form.append('madeAt', p.madeAt);
    if (p.lat !== undefined && p.lng !== undefined) {
      form.append('lat', String(p.lat));
      form.append('lng', String(p.lng));
      if (p.accuracy !== undefined) form.append('accuracy', String(Math.round(p.accuracy)));
    }
    if (p.checkId) form.append('checkId', p.checkId);
    if (p.photo) {
      const blob = await ctx.blob(p.photo.id);
      if (blob) {
        if (p.photo.capturedAt) form.append('capturedAt', p.photo.capturedAt);
        form.append('photo', new File([blob], p.photo.name, { type: p.photo.type }));
      } else ctx.progress(LOST);
    }
    ctx.progress('正在上传打卡…');
    let res: Response;
    try {
      res = await fetch('/api/checkins', {
        method: 'POST',
        body: form,
        credentials: 'same-origin',
        headers: { accept: 'application/json' },
      });
    } catch {
      throw new ApiError(0, 'NETWORK', '网络连接异常，打卡已保存在本机，网络恢复后自动上传');
    }
    const text = await res.text().catch(() => '');
    let data: unknown = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch {
      data = null;
    }
    if (!res.ok) throw routeAuthError(errorFrom(res.status, data, res.headers.get('x-request-id')), '/api/checkins');
    if (p.photo) await ctx.dropBlob(p.photo.id);
    return data as CheckinView;
  },
};
