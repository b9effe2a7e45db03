/**
 * The offline service (offline.ts) over in-memory stores: what a record kept on the device goes
 * through — sent at once, kept when the network is gone and sent later with the same clientId (the
 * server's dedupe), handed back when refused, resumed from its recorded progress, one send at a time,
 * kept across a reload, per user, and moved from where meeting drafts were kept before.
 */
import { describe, expect, it } from 'vitest';
import { ApiError } from './api.ts';
import {
  type BlobStore,
  createOfflineService,
  OFFLINE_MESSAGE,
  type OfflineSender,
  type TextStore,
} from './offline.ts';
import { createOfflineEvents, LEGACY_MEETING_PREFIX, type OfflineEvent, OFFLINE_PREFIX } from './offline-kinds.ts';

function memoryText(limit = Number.POSITIVE_INFINITY): TextStore & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    keys: () => [...map.keys()],
    get: (k) => map.get(k) ?? null,
    set: (k, v) => {
      if (v.length > limit) throw new Error('QuotaExceededError');
      map.set(k, v);
    },
    remove: (k) => void map.delete(k),
  };
}
function memoryBlobs(): BlobStore & { map: Map<string, Blob> } {
  const map = new Map<string, Blob>();
  return {
    map,
    put: async (k, b) => void map.set(k, b),
    get: async (k) => map.get(k),
    delete: async (k) => void map.delete(k),
    deletePrefix: async (p) => {
      for (const k of [...map.keys()]) if (k.startsWith(p)) map.delete(k);
    },
  };
}

/** A server that keeps records by clientId (a repeated send answers the first record) and takes files. */
function fakeServer() {
  const records = new Map<string, { id: string; title: string }>();
  const files: string[] = [];
  let down = false;
  let answerLost = false;
  return {
    records,
    files,
    set down(v: boolean) {
      down = v;
    },
    /** The next record is stored but its answer never arrives. */
    loseNextAnswer() {
      answerLost = true;
    },
    createRecord(clientId: string, title: string) {
      if (down) throw new ApiError(0, 'NETWORK', '网络连接异常');
      if (!title) throw new ApiError(400, 'VALIDATION', '请填写标题');
      const rec = records.get(clientId) ?? { id: `r${records.size + 1}`, title };
      records.set(clientId, rec);
      if (answerLost) {
        answerLost = false;
        throw new ApiError(0, 'NETWORK', '网络连接异常');
      }
      return rec;
    },
    upload(name: string) {
      if (down) throw new ApiError(0, 'NETWORK', '网络连接异常');
      files.push(name);
    },
  };
}

interface Payload {
  title: string;
  recordId?: string;
  photos: { id: string; sent?: boolean }[];
}

/** A kind like the meetings': the record, then each photo, each step recorded. */
function sender(
  server: ReturnType<typeof fakeServer>,
  calls: { n: number } = { n: 0 },
): OfflineSender<Payload, { recordId: string }> {
  return {
    async send(ctx) {
      calls.n++;
      if (!ctx.item.payload.recordId)
        ctx.update({ recordId: server.createRecord(ctx.item.clientId, ctx.item.payload.title).id });
      for (const p of ctx.item.payload.photos) {
        if (p.sent) continue;
        const blob = await ctx.blob(p.id);
        server.upload(`${p.id}:${blob ? await blob.text() : 'missing'}`);
        ctx.update({ photos: ctx.item.payload.photos.map((x) => (x.id === p.id ? { ...x, sent: true } : x)) });
        await ctx.dropBlob(p.id);
      }
      return { recordId: ctx.item.payload.recordId as string };
    },
  };
}

function setup(opts: { limit?: number } = {}) {
  const text = memoryText(opts.limit);
  const blobs = memoryBlobs();
  const server = fakeServer();
  const calls = { n: 0 };
  const events = createOfflineEvents();
  const seen: OfflineEvent[] = [];
  events.on((e) => seen.push(e));
  const make = () =>
    createOfflineService({ text, blobs, events, senders: () => sender(server, calls) as OfflineSender });
  return { text, blobs, server, calls, seen, make, service: make() };
}

const USER = 'u1';

describe('offline service', () => {
  it('sends a queued record at once and forgets it and its files', async () => {
    const { service, server, blobs, seen } = setup();
    await service.putBlob('c1', 'p1', new Blob(['photo']));
    const res = await service.queue<Payload, { recordId: string }>(
      'visit',
      { title: '走访', photos: [{ id: 'p1' }] },
      { clientId: 'c1', userId: USER },
    );
    expect(res).toEqual({ recordId: 'r1' });
    expect(server.files).toEqual(['p1:photo']);
    expect(service.get('visit', 'c1')).toBeNull();
    expect(blobs.map.size).toBe(0);
    expect(seen.filter((e) => e.type === 'sent')).toEqual([
      { type: 'sent', kind: 'visit', clientId: 'c1', result: { recordId: 'r1' } },
    ]);
  });

  it('keeps a record while the network is gone, and sends it later once, with the same clientId', async () => {
    const { service, server, make, seen } = setup();
    server.down = true;
    await expect(
      service.queue('visit', { title: '走访', photos: [] }, { clientId: 'c1', userId: USER }),
    ).rejects.toMatchObject({ code: 'NETWORK' });
    expect(service.get('visit', 'c1')).toMatchObject({ state: 'pending', lastError: OFFLINE_MESSAGE });
    expect(seen.find((e) => e.type === 'failed')).toEqual({
      type: 'failed',
      kind: 'visit',
      clientId: 'c1',
      message: OFFLINE_MESSAGE,
      waiting: true,
    });

    // A reload: a new service over the same storage still has it.
    const again = make();
    expect(again.list(null, USER).map((i) => i.clientId)).toEqual(['c1']);
    server.down = false;
    const run = await again.sync(USER);
    expect(run.sent.map((s) => s.clientId)).toEqual(['c1']);
    expect(server.records.size).toBe(1);
    expect(again.get('visit', 'c1')).toBeNull();
    expect(seen.at(-1)).toEqual({ type: 'synced', sent: [{ kind: 'visit', clientId: 'c1' }], refused: [] });
  });

  it('makes no second record when the answer to the first send was lost', async () => {
    const { service, server } = setup();
    server.loseNextAnswer();
    await expect(
      service.queue('visit', { title: '走访', photos: [] }, { clientId: 'c1', userId: USER }),
    ).rejects.toMatchObject({ code: 'NETWORK' });
    await service.sync(USER);
    expect([...server.records.values()]).toEqual([{ id: 'r1', title: '走访' }]);
  });

  it('resumes where a send stopped: a photo already sent is not sent again', async () => {
    const { service, server } = setup();
    await service.putBlob('c1', 'p1', new Blob(['one']));
    await service.putBlob('c1', 'p2', new Blob(['two']));
    let uploads = 0;
    const upload = server.upload.bind(server);
    server.upload = (name: string) => {
      if (++uploads === 2) throw new ApiError(503, 'UNAVAILABLE', '服务暂时不可用，请稍后再试');
      upload(name);
    };
    await expect(
      service.queue('visit', { title: '走访', photos: [{ id: 'p1' }, { id: 'p2' }] }, { clientId: 'c1', userId: USER }),
    ).rejects.toMatchObject({ status: 503 });
    expect(service.get<Payload>('visit', 'c1')?.payload).toMatchObject({
      recordId: 'r1',
      photos: [{ id: 'p1', sent: true }, { id: 'p2' }],
    });
    await service.send('visit', 'c1');
    expect(server.files).toEqual(['p1:one', 'p2:two']);
    expect(server.records.size).toBe(1);
  });

  it('hands a refused record back to the user with the server’s Chinese reason, and the next run leaves it', async () => {
    const { service, server, seen } = setup();
    await expect(
      service.queue('visit', { title: '', photos: [] }, { clientId: 'c1', userId: USER }),
    ).rejects.toMatchObject({ code: 'VALIDATION' });
    expect(service.get('visit', 'c1')).toMatchObject({ state: 'editing', lastError: '请填写标题' });
    expect(seen.find((e) => e.type === 'failed')).toMatchObject({ message: '请填写标题', waiting: false });
    const run = await service.sync(USER);
    expect(run).toEqual({ sent: [], refused: [], waiting: 0 });
    expect(server.records.size).toBe(0);
  });

  it('sends an item once however many ask at the same time', async () => {
    const { service, calls } = setup();
    service.keep('visit', { title: '走访', photos: [] }, { clientId: 'c1', userId: USER, state: 'pending' });
    const [a, b, c] = await Promise.all([service.send('visit', 'c1'), service.send('visit', 'c1'), service.sync(USER)]);
    expect(a).toEqual(b);
    expect(c.sent.length).toBe(1);
    expect(calls.n).toBe(1);
  });

  it('lists and sends only the signed-in user’s items, newest first', async () => {
    let t = 1000;
    const text = memoryText();
    const server = fakeServer();
    const service = createOfflineService({
      text,
      blobs: memoryBlobs(),
      events: createOfflineEvents(),
      senders: () => sender(server) as OfflineSender,
      now: () => t++,
    });
    service.keep('visit', { title: '甲', photos: [] }, { clientId: 'a', userId: 'u1', state: 'pending' });
    service.keep('visit', { title: '乙', photos: [] }, { clientId: 'b', userId: 'u2', state: 'pending' });
    service.keep('check', { title: '丙', photos: [] }, { clientId: 'c', userId: 'u1' });
    expect(service.list(null, 'u1').map((i) => i.clientId)).toEqual(['c', 'a']);
    expect(service.list('visit', 'u1').map((i) => i.clientId)).toEqual(['a']);
    await service.sync('u1');
    expect([...server.records.values()].map((r) => r.title)).toEqual(['甲']);
    expect(service.get('visit', 'b')).not.toBeNull();
    expect(service.get('check', 'c')).toMatchObject({ state: 'editing' });
  });

  it('says when the device has no room: keep answers false', () => {
    const { service } = setup({ limit: 200 });
    expect(service.keep('visit', { title: '走访', photos: [] }, { clientId: 'c1', userId: USER })).toBe(true);
    expect(service.keep('visit', { title: '很长'.repeat(200), photos: [] }, { clientId: 'c1', userId: USER })).toBe(
      false,
    );
  });

  it('moves meeting drafts kept before the service under its key, payload and state kept', () => {
    const text = memoryText();
    const old = {
      clientId: 'm1',
      userId: USER,
      editOf: 'meet-9',
      version: 3,
      state: 'pending',
      savedAt: 42,
      lastError: OFFLINE_MESSAGE,
      values: { topic: '学习' },
      photos: [{ id: 'p1', name: 'a.jpg', type: 'image/jpeg', size: 1 }],
    };
    text.set(`${LEGACY_MEETING_PREFIX}m1`, JSON.stringify(old));
    text.set('dangjian.meetingPlaces.u1', '["会议室"]');
    const service = createOfflineService({
      text,
      blobs: memoryBlobs(),
      events: createOfflineEvents(),
      senders: () => ({ send: async () => null }),
      legacy: [
        {
          prefix: LEGACY_MEETING_PREFIX,
          kind: 'meeting',
          payload: (o) =>
            o.values ? { editOf: o.editOf, version: o.version, values: o.values, photos: o.photos } : null,
        },
      ],
    });
    expect(service.list('meeting', USER)).toEqual([
      {
        kind: 'meeting',
        clientId: 'm1',
        userId: USER,
        state: 'pending',
        savedAt: 42,
        lastError: OFFLINE_MESSAGE,
        payload: { editOf: 'meet-9', version: 3, values: { topic: '学习' }, photos: old.photos },
      },
    ]);
    expect(text.keys().sort()).toEqual(['dangjian.meetingPlaces.u1', `${OFFLINE_PREFIX}meeting.m1`]);
  });
});
