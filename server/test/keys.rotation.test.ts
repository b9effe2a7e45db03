/** Key rotation and the start-up re-seal (SEC-16): rotate, restart, lookups, reveals and the audit chain still work. */
import nodeCrypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from '../platform/audit.ts';
import { loadKeyFile, loadOrCreateKeys } from '../platform/keys.ts';
import { reseal, rotateDataKey, sealCtx } from '../platform/sealed.ts';
import { newId, setup, type TestCtx } from './harness.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-rotate-'));
let t: TestCtx;
const actor = { userId: null, username: 'cli', roles: [], orgId: null, countyCode: null, ip: 'local', requestId: null };

beforeAll(async () => {
  t = await setup({ crypto: loadOrCreateKeys(dir, {}) });
});
afterAll(async () => {
  await t?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('rotate-keys', () => {
  it('re-seals everything under a new data key; after a restart search by ID, reveal and the audit chain all work', async () => {
    let admin = await t.login('admin');
    const id = newId('19790909');
    const created = await t.req('POST', '/api/members', {
      cookie: admin,
      body: {
        name: '轮换',
        idNumber: id,
        orgId: t.fx.villageA1,
        standing: 'full',
        joinDate: '2005-07-01',
        fullDate: '2006-07-01',
        phone: '13700001111',
      },
    });
    expect(created.status).toBe(201);
    await t.req('PATCH', `/api/orgs/${t.fx.villageA1}`, { cookie: admin, body: { contactPhone: '0371-66668888' } });
    const before = await t.database.db.execute<{ n: number }>(
      sql`select count(*)::int as n from members where id_enc like 'k1:%'`,
    );
    expect(before.rows[0].n).toBeGreaterThan(5);

    const r = await rotateDataKey(t.database, dir, actor);
    expect(r).toMatchObject({ from: 1, to: 2, retired: [1] });
    expect(r.resealed).toBeGreaterThan(before.rows[0].n);
    const left = await t.database.db.execute<{ n: number }>(
      sql`select (select count(*) from members where id_enc not like 'k2:%' or phone_enc not like 'k2:%' or address_enc not like 'k2:%')
        + (select count(*) from orgs where contact_phone_enc not like 'k2:%') as n`,
    );
    expect(Number(left.rows[0].n)).toBe(0);
    // The key file keeps only the data key in use, and the designated keys unchanged.
    const { keys } = loadKeyFile(dir, {});
    expect(keys.data.map((d) => d.version)).toEqual([2]);

    // Restart with keys read from the file again, as `npm start` would.
    await t.restart(loadOrCreateKeys(dir, {}));
    admin = await t.login('admin');
    const found = await t.req('GET', `/api/members?q=${id}`, { cookie: admin });
    expect(found.json.items.map((m: { name: string }) => m.name)).toEqual(['轮换']);
    const byTail = await t.req('GET', `/api/members?q=${id.slice(-4)}`, { cookie: admin });
    expect(byTail.json.items.map((m: { name: string }) => m.name)).toContain('轮换');
    const shown = await t.req('POST', `/api/members/${created.json.id}/reveal`, {
      cookie: admin,
      body: { reason: '轮换后核对' },
    });
    expect(shown.json).toMatchObject({ idNumber: id, phone: '13700001111' });
    const org = await t.req('POST', `/api/orgs/${t.fx.villageA1}/reveal`, {
      cookie: admin,
      body: { reason: '轮换后核对' },
    });
    expect(org.json.contactPhone).toBe('0371-66668888');
    const v = await verifyAudit(t.database.db, t.deps.crypto);
    expect(v.problems).toEqual([]);
    const a = await t.database.db.execute<{ detail: { to: number } }>(
      sql`select detail from audit_log where action = 'system.keys.rotate'`,
    );
    expect(a.rows[0].detail.to).toBe(2);
  });
});

describe('start-up re-seal of values written before binding', () => {
  it('opens legacy unbound ciphertext, binds it to its row, fills the tail index and seals a plain org phone', async () => {
    const { keys } = loadKeyFile(dir, {});
    const k = keys.data.find((d) => d.version === keys.current);
    if (!k) throw new Error('key');
    // The format before this change: SM4-CBC, HMAC-SM3 over iv||ct, no context.
    const legacy = (plain: string) => {
      const iv = nodeCrypto.randomBytes(16);
      const c = nodeCrypto.createCipheriv('sm4-cbc', Buffer.from(k.enc, 'hex'), iv);
      const ct = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      const tag = nodeCrypto
        .createHmac('sm3', Buffer.from(k.mac, 'hex'))
        .update(iv)
        .update(ct)
        .digest()
        .subarray(0, 16);
      return `v${k.version}:${Buffer.concat([iv, ct, tag]).toString('base64')}`;
    };
    const id = newId('19660606');
    const m = t.fx.members.钱七;
    await t.database.db.execute(
      sql`update members set id_enc = ${legacy(id)}, id_bidx = ${t.deps.crypto.blindIndex('id', id)}, id_tail_bidx = null where id = ${m}`,
    );
    await t.database.db.execute(
      sql`update orgs set contact_phone = '13899990000', contact_phone_enc = null where id = ${t.fx.villageA2}`,
    );
    const r = await reseal(t.database, t.deps.crypto);
    expect(r.resealed).toBeGreaterThanOrEqual(1);
    expect(r.tailsIndexed).toBe(1);
    expect(r.orgPhonesSealed).toBe(1);
    const row = await t.database.db.execute<{ id_enc: string; id_tail_bidx: string }>(
      sql`select id_enc, id_tail_bidx from members where id = ${m}`,
    );
    expect(t.deps.crypto.decrypt(row.rows[0].id_enc, sealCtx('members.id', m))).toBe(id);
    const org = await t.database.db.execute<{ contact_phone: string | null; contact_phone_masked: string }>(
      sql`select contact_phone, contact_phone_masked from orgs where id = ${t.fx.villageA2}`,
    );
    expect(org.rows[0]).toEqual({ contact_phone: null, contact_phone_masked: '138****0000' });
    // Idempotent: a second start finds nothing to do.
    expect(await reseal(t.database, t.deps.crypto)).toMatchObject({ resealed: 0, tailsIndexed: 0, orgPhonesSealed: 0 });
    const admin = await t.login('admin');
    const found = await t.req('GET', `/api/members?q=${id.slice(-4)}`, { cookie: admin });
    expect(found.json.items.map((x: { id: string }) => x.id)).toContain(m);
  });
});
