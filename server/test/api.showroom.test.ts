/**
 * The showroom (issue 20, 第一书记推荐展厅): a village enters a product with a picture, the county
 * publishes it, the public reads it without a session and without personal data, a visitor's inquiry
 * reaches the village alone (sealed at rest), and the county sees counts only. Unpublished entries and
 * their pictures stay hidden; a private phone shows only with its owner's consent.
 */
import { sql } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COUNTY, multipart, ORIGIN, setup, type TestCtx } from './harness.ts';

let t: TestCtx;
const cookies: Record<string, string> = {};
const post = (user: string | null, url: string, body: unknown = {}) =>
  t.req('POST', url, { cookie: user ? cookies[user] : undefined, body });
const get = (user: string | null, url: string) => t.req('GET', url, { cookie: user ? cookies[user] : undefined });
const patch = (user: string, url: string, body: unknown) => t.req('PATCH', url, { cookie: cookies[user], body });

function expectError(res: { status: number; json: any; body: string }, status: number, code: string) {
  expect(res.status, res.body).toBe(status);
  expect(res.json?.code, res.body).toBe(code);
  expect(res.json?.message, res.body).toMatch(/[\u4e00-\u9fa5]/);
}

const photo = () =>
  sharp({ create: { width: 640, height: 480, channels: 3, background: '#8db33a' } })
    .jpeg()
    .toBuffer();

async function upload(user: string, productId: string) {
  const mp = multipart(await photo(), '蜜瓜.jpg');
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/showroom/entries/${productId}/pictures`,
    headers: { cookie: cookies[user], origin: ORIGIN, host: 'localhost:80', 'content-type': mp.type },
    payload: mp.body,
  });
  return { status: res.statusCode, json: res.json(), body: res.body };
}

const ENTRY = {
  kind: 'farm',
  name: '甲一村蜜瓜',
  description: '沙壤土种植，瓜瓤脆甜',
  price: '3—5 元/斤',
  season: '6—7 月',
  quantity: '约 10 万斤',
  contactKind: 'village',
  officePhone: '0371-22001234',
  shopUrl: 'https://shop.example.cn/melon',
};
const PRIVATE_PHONE = '13912340000';
const VISITOR = { name: '郑州王经理', contact: '13700009999', message: '想每周采购两吨，请联系我' };

beforeAll(async () => {
  t = await setup();
  for (const u of ['admin', 'orga', 'orgb', 'seca1', 'leader', 'auditor']) cookies[u] = await t.login(u);
});
afterAll(async () => t?.close());

/** Forget the per-address counters (every request of the test comes from one address). */
const resetLimits = () => t.database.db.execute(sql`delete from rate_limits where key like 'showroom-%'`);

describe('a village entry, reviewed, public, asked about', () => {
  let id = '';
  let picture = '';
  let inquiry = '';

  it('is entered by the village as a draft; only villages in scope, only with a consent for a private phone', async () => {
    expectError(
      await post('orga', '/api/showroom/entries', { ...ENTRY, orgId: t.fx.townA }),
      422,
      'SHOWROOM_NOT_VILLAGE',
    );
    expectError(await post('seca1', '/api/showroom/entries', { ...ENTRY, orgId: t.fx.villageB1 }), 404, 'NOT_FOUND');
    expectError(await post('admin', '/api/showroom/entries', { ...ENTRY, orgId: t.fx.villageA1 }), 403, 'FORBIDDEN');
    expectError(
      await post('seca1', '/api/showroom/entries', { ...ENTRY, orgId: t.fx.villageA1, privatePhone: PRIVATE_PHONE }),
      422,
      'SHOWROOM_PHONE_CONSENT',
    );
    for (const shopUrl of ['javascript:alert(1)', 'ftp://shop.example.cn/x', 'data:text/html,x', 'shop.example.cn'])
      expectError(
        await post('seca1', '/api/showroom/entries', { ...ENTRY, orgId: t.fx.villageA1, shopUrl }),
        400,
        'VALIDATION',
      );
    expectError(
      await post('seca1', '/api/showroom/entries', { ...ENTRY, orgId: t.fx.villageA1, officePhone: '打电话' }),
      400,
      'VALIDATION',
    );
    const made = await post('seca1', '/api/showroom/entries', { ...ENTRY, orgId: t.fx.villageA1 });
    expect(made.status, made.body).toBe(201);
    expect(made.json).toMatchObject({
      status: 'draft',
      villageName: '中共甲一村支部委员会',
      townshipName: '中共甲镇委员会',
    });
    expect(made.json.can).toMatchObject({ edit: true, submit: true, publish: false });
    id = made.json.id;
    const up = await upload('seca1', id);
    expect(up.status, up.body).toBe(201);
    expect(up.json.hasThumbnail).toBe(true);
    picture = up.json.id;
    // Another township's account does not see it; the township above does.
    expectError(await get('orgb', `/api/showroom/entries/${id}`), 404, 'NOT_FOUND');
    expectError(await get('orgb', `/api/showroom/entry-pictures/${picture}`), 404, 'NOT_FOUND');
    expect((await get('orga', `/api/showroom/entries/${id}`)).status).toBe(200);
    expect((await get('seca1', `/api/showroom/entry-pictures/${picture}/thumbnail`)).status).toBe(200);
  });

  it('stays hidden from the public until the county publishes it (list, detail, pictures)', async () => {
    const hidden = async () => {
      const list = await get(null, '/api/showroom/products');
      expect(list.status, list.body).toBe(200);
      expect(list.json.items.map((x: { id: string }) => x.id)).not.toContain(id);
      expectError(await get(null, `/api/showroom/products/${id}`), 404, 'NOT_FOUND');
      expectError(await get(null, `/api/showroom/pictures/${picture}`), 404, 'NOT_FOUND');
      expectError(await get(null, `/api/showroom/pictures/${picture}/thumbnail`), 404, 'NOT_FOUND');
      expectError(
        await post(null, '/api/showroom/inquiries', { productId: id, ...VISITOR }),
        404,
        'INQUIRY_PRODUCT_UNAVAILABLE',
      );
    };
    await hidden();
    expectError(await post('admin', `/api/showroom/entries/${id}/publish`), 409, 'SHOWROOM_WRONG_STATE');
    const sub = await post('seca1', `/api/showroom/entries/${id}/submit`);
    expect(sub.json.status, sub.body).toBe('submitted');
    await hidden();
    expectError(await post('seca1', `/api/showroom/entries/${id}/publish`), 403, 'FORBIDDEN');
    // The county's queue holds it; the county returns it once with a reason, the village submits again.
    const queue = await get('admin', '/api/showroom/entries?status=submitted');
    expect(queue.json.items.map((x: { id: string }) => x.id)).toContain(id);
    expectError(await post('admin', `/api/showroom/entries/${id}/return`, { reason: '' }), 400, 'VALIDATION');
    const ret = await post('admin', `/api/showroom/entries/${id}/return`, { reason: '请补充产品产地和规格' });
    expect(ret.json).toMatchObject({ status: 'returned', returnReason: '请补充产品产地和规格' });
    await hidden();
    await post('seca1', `/api/showroom/entries/${id}/submit`);
    const pub = await post('admin', `/api/showroom/entries/${id}/publish`);
    expect(pub.json.status, pub.body).toBe('published');
  });

  it('is public without a session once published, with no personal data', async () => {
    const list = await get(null, '/api/showroom/products?kind=farm');
    expect(list.status, list.body).toBe(200);
    expect(list.json.items.map((x: { id: string }) => x.id)).toContain(id);
    expect((await get(null, '/api/showroom/products?kind=craft')).json.items).toEqual([]);
    expect((await get(null, `/api/showroom/products?townshipId=${t.fx.townA}`)).json.total).toBe(1);
    expect((await get(null, `/api/showroom/products?townshipId=${t.fx.townB}`)).json.total).toBe(0);
    expect((await get(null, `/api/showroom/products?q=${encodeURIComponent('蜜瓜')}`)).json.total).toBe(1);
    expect((await get(null, `/api/showroom/products?q=${encodeURIComponent('粉条')}`)).json.total).toBe(0);
    const towns = await get(null, '/api/showroom/townships');
    expect(towns.json.items).toEqual([{ id: t.fx.townA, name: '中共甲镇委员会', count: 1 }]);
    const detail = await get(null, `/api/showroom/products/${id}`);
    expect(detail.status, detail.body).toBe(200);
    expect(detail.json).toMatchObject({
      name: '甲一村蜜瓜',
      officePhone: '0371-22001234',
      privatePhone: null,
      shopUrl: 'https://shop.example.cn/melon',
      pictures: [{ id: picture, hasThumbnail: true }],
    });
    // No account or member names, no account ids (SEC-9): the village, the township, the office line.
    for (const body of [list.body, detail.body, towns.body]) {
      expect(body).not.toMatch(/测试|张三|李四|王五|seca1|admin/);
      expect(body).not.toContain(t.fx.users.seca1);
      expect(body).not.toContain(t.fx.users.admin);
    }
    const pic = await get(null, `/api/showroom/pictures/${picture}`);
    expect(pic.status).toBe(200);
    expect(pic.headers['content-type']).toBe('image/jpeg');
    expect(pic.headers['x-content-type-options']).toBe('nosniff');
    expect((await get(null, `/api/showroom/pictures/${picture}/thumbnail`)).status).toBe(200);
    expectError(await get(null, '/api/showroom/products?kind=nope'), 400, 'VALIDATION');
  });

  it('shows a private phone only with its owner’s consent, sealed at rest; an edit goes back to review', async () => {
    const edited = await patch('seca1', `/api/showroom/entries/${id}`, {
      privatePhone: PRIVATE_PHONE,
      privatePhoneConsent: true,
    });
    expect(edited.status, edited.body).toBe(200);
    expect(edited.json).toMatchObject({ status: 'submitted', privatePhoneMasked: '139****0000' });
    expect(edited.json.privatePhoneConsentByName).toBe('测试seca1');
    expect(edited.json.privatePhoneConsentAt).toBeTruthy();
    // Back in review: off the public page until the county publishes the change.
    expectError(await get(null, `/api/showroom/products/${id}`), 404, 'NOT_FOUND');
    await post('admin', `/api/showroom/entries/${id}/publish`);
    expect((await get(null, `/api/showroom/products/${id}`)).json.privatePhone).toBe(PRIVATE_PHONE);
    const raw = await t.database.db.execute(
      sql`select p::text as row from showroom_products p where county_code = ${COUNTY} and id = ${id}`,
    );
    expect(String(raw.rows[0].row)).not.toContain(PRIVATE_PHONE);
    // Consent withdrawn: the phone goes.
    await patch('seca1', `/api/showroom/entries/${id}`, { privatePhone: null });
    await post('admin', `/api/showroom/entries/${id}/publish`);
    expect((await get(null, `/api/showroom/products/${id}`)).json.privatePhone).toBeNull();
  });

  it('takes a visitor’s inquiry without a session, with Chinese errors and codes on bad input', async () => {
    await resetLimits();
    const ok = await post(null, '/api/showroom/inquiries', { productId: id, ...VISITOR });
    expect(ok.status, ok.body).toBe(201);
    expect(ok.json.message).toMatch(/已送达/);
    inquiry = ok.json.id;
    const bad: [unknown, number, string][] = [
      [{ productId: t.fx.county, ...VISITOR }, 404, 'INQUIRY_PRODUCT_UNAVAILABLE'],
      [{ productId: id, ...VISITOR, name: '' }, 400, 'VALIDATION'],
      [{ productId: id, ...VISITOR, contact: '   ' }, 400, 'VALIDATION'],
      [{ productId: id, ...VISITOR, message: '长'.repeat(1001) }, 400, 'VALIDATION'],
      [{ productId: id, ...VISITOR, name: '王\u0000经理' }, 400, 'VALIDATION'],
      [{ productId: id, ...VISITOR, message: '咨询\u001b[31m' }, 400, 'VALIDATION'],
      [{ productId: 'x', ...VISITOR }, 400, 'VALIDATION'],
      [{ productId: id, ...VISITOR, extra: 1 }, 400, 'VALIDATION'],
    ];
    for (const [body, status, code] of bad)
      expectError(await post(null, '/api/showroom/inquiries', body), status, code);
    const empty = await post(null, '/api/showroom/inquiries', { productId: id, ...VISITOR, name: '' });
    expect(empty.json.message).toContain('称呼');
    // Sealed at rest: neither the contact, the name nor the message is in the row.
    const raw = await t.database.db.execute(
      sql`select i::text as row from showroom_inquiries i where county_code = ${COUNTY} and id = ${inquiry}`,
    );
    const row = String(raw.rows[0].row);
    for (const v of Object.values(VISITOR)) expect(row).not.toContain(v);
    // Audited in the county's chain, without what the visitor wrote.
    const audit = await t.database.db.execute(
      sql`select a::text as row from audit_log a where county_code = ${COUNTY} and action = 'inquiry.receive' and object_id = ${inquiry}`,
    );
    expect(audit.rows.length).toBe(1);
    for (const v of Object.values(VISITOR)) expect(String(audit.rows[0].row)).not.toContain(v);
  });

  it('reaches the village and nobody else; the village answers; the county sees counts only', async () => {
    const mine = await get('seca1', '/api/showroom/inquiries');
    expect(mine.status, mine.body).toBe(200);
    expect(mine.json.items).toEqual([
      expect.objectContaining({ id: inquiry, productName: '甲一村蜜瓜', contactMasked: '137****9999', status: 'open' }),
    ]);
    expect(mine.body).not.toContain(VISITOR.contact);
    const one = await get('seca1', `/api/showroom/inquiries/${inquiry}`);
    expect(one.json).toMatchObject({ ...VISITOR, status: 'open', answer: null });
    expect(one.headers['cache-control']).toBe('no-store');
    // Another township's account, the township above, the county: nothing of it.
    for (const user of ['orgb', 'orga']) {
      expect((await get(user, '/api/showroom/inquiries')).json.total, user).toBe(0);
      expectError(await get(user, `/api/showroom/inquiries/${inquiry}`), 404, 'NOT_FOUND');
      expectError(await post(user, `/api/showroom/inquiries/${inquiry}/answer`, { answer: '好' }), 404, 'NOT_FOUND');
    }
    for (const user of ['admin', 'leader']) {
      expectError(await get(user, '/api/showroom/inquiries'), 403, 'FORBIDDEN');
      expectError(await get(user, `/api/showroom/inquiries/${inquiry}`), 403, 'FORBIDDEN');
    }
    expectError(await post('seca1', `/api/showroom/inquiries/${inquiry}/answer`, { answer: '' }), 400, 'VALIDATION');
    // 20 minutes later (the platform's clock; sessions stay within their idle timeout).
    t.advance(20 * 60_000);
    const answered = await post('seca1', `/api/showroom/inquiries/${inquiry}/answer`, {
      answer: '已电话联系，约定周五看货',
    });
    expect(answered.status, answered.body).toBe(200);
    expect(answered.json).toMatchObject({ status: 'answered', answer: '已电话联系，约定周五看货' });
    expect(answered.json.answeredAt).toBeTruthy();
    expectError(
      await post('seca1', `/api/showroom/inquiries/${inquiry}/answer`, { answer: '再答' }),
      409,
      'INQUIRY_ANSWERED',
    );
    const stats = await get('admin', '/api/showroom/inquiry-stats');
    expect(stats.status, stats.body).toBe(200);
    const row = stats.json.rows.find((r: { orgId: string }) => r.orgId === t.fx.villageA1);
    expect(row).toMatchObject({ published: 1, received: 1, answered: 1 });
    expect(row.medianHours).toBeGreaterThanOrEqual(0.3);
    expect(row.medianHours).toBeLessThan(1);
    for (const v of [...Object.values(VISITOR), '已电话联系']) expect(stats.body).not.toContain(v);
    expect((await get('leader', '/api/showroom/inquiry-stats')).status).toBe(200);
    expect((await get('orgb', '/api/showroom/inquiry-stats')).json.rows).toEqual([]);
    const actions = await t.database.db.execute<{ action: string }>(
      sql`select distinct action from audit_log where county_code = ${COUNTY} and action like any (array['product.%', 'inquiry.%'])`,
    );
    expect(actions.rows.map((r) => r.action).sort()).toEqual([
      'inquiry.answer',
      'inquiry.receive',
      'inquiry.view',
      'product.create',
      'product.picture',
      'product.publish',
      'product.return',
      'product.submit',
      'product.update',
    ]);
  });

  it('answers its code when a visitor sends too many inquiries', async () => {
    await resetLimits();
    const codes: string[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await post(null, '/api/showroom/inquiries', { productId: id, ...VISITOR });
      codes.push(res.status === 201 ? 'ok' : res.json.code);
    }
    expect(codes).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'INQUIRY_RATE_LIMITED']);
    const limited = await post(null, '/api/showroom/inquiries', { productId: id, ...VISITOR });
    expectError(limited, 429, 'INQUIRY_RATE_LIMITED');
    await resetLimits();
  });

  it('is withdrawn (下架) by the village: off the public page with its pictures', async () => {
    const w = await post('seca1', `/api/showroom/entries/${id}/withdraw`);
    expect(w.json.status, w.body).toBe('withdrawn');
    expectError(await get(null, `/api/showroom/products/${id}`), 404, 'NOT_FOUND');
    expectError(await get(null, `/api/showroom/pictures/${picture}`), 404, 'NOT_FOUND');
    expect((await get(null, '/api/showroom/products')).json.total).toBe(0);
    expect((await get(null, '/api/showroom/townships')).json.items).toEqual([]);
    expectError(
      await post(null, '/api/showroom/inquiries', { productId: id, ...VISITOR }),
      404,
      'INQUIRY_PRODUCT_UNAVAILABLE',
    );
    expectError(await post('seca1', `/api/showroom/entries/${id}/withdraw`), 409, 'SHOWROOM_WRONG_STATE');
    // The village still sees it, and the inquiries it received.
    expect((await get('seca1', `/api/showroom/entries/${id}`)).json.status).toBe('withdrawn');
    expect((await get('seca1', '/api/showroom/inquiries')).json.total).toBeGreaterThan(0);
  });
});
