/**
 * The caches of the organization card and the member detail (platform/read-cache.ts, issue 6 §4): a
 * repeated read is answered without the object's statement, and never after an audited write in the
 * county, from this or any other instance sharing the database.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeAudit } from '../platform/audit.ts';
import { COUNTY, setup, type TestCtx } from './harness.ts';

let t: TestCtx;
let admin: string;
beforeAll(async () => {
  t = await setup();
  admin = await t.login('admin');
});
afterAll(async () => t?.close());

const card = async (cookie: string, id: string) => {
  const res = await t.req('GET', `/api/orgs/${id}`, { cookie });
  expect(res.status).toBe(200);
  return res.json;
};

/** What another instance does when it changes a row: the change and its audit entry in one transaction. */
async function audited(change: ReturnType<typeof sql>, objectType: string, objectId: string) {
  await t.database.db.transaction(async (tx) => {
    await tx.execute(change);
    await writeAudit(
      tx,
      t.deps.crypto,
      {
        userId: null,
        username: 'other-instance',
        roles: [],
        orgId: null,
        countyCode: COUNTY,
        ip: null,
        requestId: null,
      },
      [{ action: `${objectType}.update`, objectType, objectId }],
    );
  });
}
const auditedRename = (id: string, name: string) =>
  audited(
    sql`update orgs set name = ${name}, version = version + 1 where county_code = ${COUNTY} and id = ${id}`,
    'org',
    id,
  );

describe('the organization card cache', () => {
  it('answers a repeated read from the cache: a change made without an audit entry is not seen until one is written', async () => {
    const first = await card(admin, t.fx.villageA1);
    // A hand edit in the database, outside the platform: nothing audited, the county's data "unchanged".
    await t.database.db.execute(
      sql`update orgs set contact_name = '手工改动' where county_code = ${COUNTY} and id = ${t.fx.villageA1}`,
    );
    expect((await card(admin, t.fx.villageA1)).contactName).toBe(first.contactName);
    // Another instance renames the organization: audited, so the next read goes to the database.
    await auditedRename(t.fx.villageA1, '甲村党支部（改）');
    const fresh = await card(admin, t.fx.villageA1);
    expect(fresh.name).toBe('甲村党支部（改）');
    expect(fresh.contactName).toBe('手工改动');
  });

  it('an audited write anywhere in the county refreshes every card (the parent’s name in a child’s card too)', async () => {
    const before = await card(admin, t.fx.groupA1);
    await auditedRename(t.fx.villageA1, '甲村党支部（再改）');
    const after = await card(admin, t.fx.groupA1);
    expect(after.parentName).toBe('甲村党支部（再改）');
    expect(after.parentName).not.toBe(before.parentName);
  });

  it('a change answers with the card it made, and the next read shows it', async () => {
    await card(admin, t.fx.villageA2);
    const patched = await t.req('PATCH', `/api/orgs/${t.fx.villageA2}`, {
      cookie: admin,
      body: { contactName: '新联系人' },
    });
    expect(patched.status).toBe(200);
    expect(patched.json.contactName).toBe('新联系人');
    expect((await card(admin, t.fx.villageA2)).contactName).toBe('新联系人');
  });

  it('keeps one card per reader’s scope: a township administrator’s card starts at the township', async () => {
    const orga = await t.login('orga'); // signing in is audited: before the reads, so both read at one head
    const county = await card(admin, t.fx.villageA2);
    const town = await card(orga, t.fx.villageA2);
    expect(county.path.map((p: { id: string }) => p.id)).toContain(t.fx.county);
    expect(town.path.map((p: { id: string }) => p.id)).not.toContain(t.fx.county);
    expect(town.path[0].id).toBe(t.fx.townA);
    expect((await card(admin, t.fx.villageA2)).path).toEqual(county.path);
  });

  it('answers 404 alike for an organization outside the scope, cached or not', async () => {
    const orga = await t.login('orga'); // audited: before the reads, so all read at one head
    await card(admin, t.fx.villageB1);
    for (let i = 0; i < 2; i++) {
      const res = await t.req('GET', `/api/orgs/${t.fx.villageB1}`, { cookie: orga });
      expect(res.status).toBe(404);
      expect(res.json.code).toBe('NOT_FOUND');
    }
  });
});

describe('the member detail cache', () => {
  const detail = async (cookie: string, id: string) => {
    const res = await t.req('GET', `/api/members/${id}`, { cookie });
    expect(res.status).toBe(200);
    return res.json;
  };
  const someone = () => Object.values(t.fx.members)[0];

  it('answers a repeated read from the cache until an audited write in the county', async () => {
    const id = someone();
    const first = await detail(admin, id);
    await t.database.db.execute(sql`update members set post = '手工改动' where county_code = ${COUNTY} and id = ${id}`);
    expect((await detail(admin, id)).post).toBe(first.post);
    await audited(
      sql`update members set post = '另一实例改动', version = version + 1 where county_code = ${COUNTY} and id = ${id}`,
      'member',
      id,
    );
    expect((await detail(admin, id)).post).toBe('另一实例改动');
  });

  it('makes each reader’s view from the kept row: the same row, masked for a reader who may not reveal', async () => {
    const id = someone();
    const leader = await t.login('leader'); // audited: before the reads, so all read at one head
    const forLeader = await detail(leader, id);
    const forAdmin = await detail(admin, id);
    expect(forLeader.birthDate).toBeNull();
    expect(forAdmin.birthDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(forLeader.name).toBe(forAdmin.name);
    expect((await detail(leader, id)).birthDate).toBeNull();
  });

  it('a change answers with the member it made, and the next read shows it', async () => {
    const id = someone();
    const before = await detail(admin, id);
    const patched = await t.req('PATCH', `/api/members/${id}`, {
      cookie: admin,
      body: { post: '组织委员', version: before.version },
    });
    expect(patched.status).toBe(200);
    expect(patched.json.post).toBe('组织委员');
    expect((await detail(admin, id)).post).toBe('组织委员');
  });

  it('answers 404 alike for a member outside the scope, after the county administrator’s read was kept', async () => {
    const orga = await t.login('orga'); // audited: before the reads, so all read at one head
    await detail(admin, t.fx.members.王五); // 乙一村: kept for the county's scope
    for (let i = 0; i < 2; i++) {
      const res = await t.req('GET', `/api/members/${t.fx.members.王五}`, { cookie: orga });
      expect(res.status).toBe(404);
      expect(res.json.code).toBe('NOT_FOUND');
    }
  });
});
