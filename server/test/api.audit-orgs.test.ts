import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from '../platform/audit.ts';
import { setup, type TestCtx } from './harness.ts';

let t: TestCtx;
let admin: string;
beforeAll(async () => {
  t = await setup();
  admin = await t.login('admin');
});
afterAll(async () => t?.close());

describe('audit log (SEC-12…15)', () => {
  it('records writes with user, role, IP, action, object, result and request id', async () => {
    const res = await t.req('PATCH', `/api/orgs/${t.fx.villageA2}`, { cookie: admin, body: { contactName: '李支书' } });
    expect(res.status).toBe(200);
    const a = await t.database.db.execute<Record<string, unknown>>(
      sql`select * from audit_log where action = 'org.update' order by seq desc limit 1`,
    );
    expect(a.rows[0]).toMatchObject({
      username: 'admin',
      roles: 'countyAdmin',
      object_type: 'org',
      object_id: t.fx.villageA2,
      result: 'ok',
    });
    expect(a.rows[0].ip).toBeTruthy();
    expect(a.rows[0].request_id).toBe(res.headers['x-request-id']);
  });

  it('keeps one unbroken chain under concurrent writes', async () => {
    const writes = Array.from({ length: 24 }, (_, i) =>
      t.req('PATCH', `/api/orgs/${i % 2 ? t.fx.villageA1 : t.fx.villageB1}`, {
        cookie: admin,
        body: { contactName: `并发${i}` },
      }),
    );
    const res = await Promise.all(writes);
    expect(res.every((r) => r.status === 200)).toBe(true);
    expect((await verifyAudit(t.database.db, t.deps.crypto)).ok).toBe(true);
  });

  it('refuses to start with a route that declares no permission (SEC-7)', async () => {
    const { buildApp } = await import('../app.ts');
    const app = await buildApp(t.deps);
    expect(() => app.get('/api/forgotten', async () => ({}))).toThrow(/未声明权限/);
    await app.close();
  });

  it('the database refuses UPDATE and DELETE on the audit log', async () => {
    // The app's role has no such privilege (SEC-32); even the owner meets the append-only trigger (SEC-14).
    await expect(t.database.pool.query(`update audit_log set action = 'x'`)).rejects.toThrow(/permission denied/);
    await expect(t.database.pool.query('delete from audit_log')).rejects.toThrow(/permission denied/);
    const owner = new pg.Client({ connectionString: t.ownerUrl });
    await owner.connect();
    try {
      await expect(owner.query(`update audit_log set action = 'x'`)).rejects.toThrow(/append-only/);
      await expect(owner.query('delete from audit_log')).rejects.toThrow(/append-only/);
    } finally {
      await owner.end();
    }
  });

  it('verify finds an altered row', async () => {
    expect((await verifyAudit(t.database.db, t.deps.crypto)).ok).toBe(true);
    // A superuser who switches the trigger off and edits a row is still caught by the chain.
    const c = new pg.Client({ connectionString: t.ownerUrl });
    await c.connect();
    await c.query('alter table audit_log disable trigger audit_log_no_update');
    const { rows } = await c.query(`select min(seq) as s from audit_log where action = 'auth.login'`);
    await c.query(`update audit_log set username = 'someone-else' where seq = $1`, [rows[0].s]);
    await c.query('alter table audit_log enable trigger audit_log_no_update');
    await c.end();
    const v = await verifyAudit(t.database.db, t.deps.crypto);
    expect(v.ok).toBe(false);
    expect(v.problems.map((p) => p.seq)).toContain(Number(rows[0].s));
  });

  it('only the auditor reads the audit log', async () => {
    expect((await t.req('GET', '/api/audit', { cookie: admin })).status).toBe(403);
    const auditor = await t.login('auditor');
    const res = await t.req('GET', '/api/audit?action=auth.login', { cookie: auditor });
    expect(res.status).toBe(200);
    expect(res.json.items.length).toBeGreaterThan(0);
    expect(res.json.items.every((i: { action: string }) => i.action === 'auth.login')).toBe(true);
    expect((await t.req('GET', '/api/members', { cookie: auditor })).status).toBe(403);
  });
});

describe('organization tree', () => {
  it('shows the tree with subtree member counts', async () => {
    const root = await t.req('GET', '/api/orgs/root', { cookie: admin });
    expect(root.json).toMatchObject({ id: t.fx.county, hasChildren: true, memberCount: 6 });
    const kids = await t.req('GET', `/api/orgs/${t.fx.county}/children`, { cookie: admin });
    const byName = Object.fromEntries(
      kids.json.items.map((k: { name: string; memberCount: number }) => [k.name, k.memberCount]),
    );
    expect(byName.中共甲镇委员会).toBe(4);
    expect(byName.中共乙镇委员会).toBe(1);
  });

  it('finds an organization by a part of its name or of its pinyin', async () => {
    const byPinyin = await t.req('GET', '/api/orgs?q=jiayi', { cookie: admin });
    expect(byPinyin.json.items.map((o: { name: string }) => o.name)).toEqual(
      expect.arrayContaining(['中共甲一村支部委员会', '甲一村第一党小组']),
    );
    const byName = await t.req('GET', `/api/orgs?q=${encodeURIComponent('财政局')}`, { cookie: admin });
    expect(byName.json.items.map((o: { name: string }) => o.name)).toEqual(['中共兰考县财政局机关支部委员会']);
  });

  it('a township account sees its township as the root and cannot read a sibling', async () => {
    const orga = await t.login('orga');
    const root = await t.req('GET', '/api/orgs/root', { cookie: orga });
    expect(root.json.id).toBe(t.fx.townA);
    expect((await t.req('GET', `/api/orgs/${t.fx.townB}`, { cookie: orga })).status).toBe(404);
    expect((await t.req('GET', `/api/orgs/${t.fx.county}`, { cookie: orga })).status).toBe(404);
    const list = await t.req('GET', '/api/orgs?pageSize=200', { cookie: orga });
    expect(list.json.items.every((o: { name: string }) => !o.name.includes('乙'))).toBe(true);
  });

  it('warns about a missing secretary, an expired term and a small committee', async () => {
    await t.req('PATCH', `/api/orgs/${t.fx.villageA1}`, {
      cookie: admin,
      body: { termStart: '2020-01-01', termEnd: '2025-01-01' },
    });
    const d = await t.req('GET', `/api/orgs/${t.fx.villageA1}`, { cookie: admin });
    expect(d.status).toBe(200);
    const rules = d.json.warnings.map((w: { rule: string }) => w.rule);
    expect(rules).toContain('ORG-4');
    expect(rules).toContain('ORG-5');
    expect(d.json.counts).toMatchObject({ total: 3, direct: 2, full: 2, probationary: 1 });
    const post = await t.req('POST', `/api/orgs/${t.fx.villageA1}/posts`, {
      cookie: admin,
      body: { post: 'secretary', memberId: t.fx.members.张三, startDate: '2021-01-01' },
    });
    expect(post.status).toBe(200);
    expect(post.json.leadership[0]).toMatchObject({ post: 'secretary', personName: '张三' });
    expect(post.json.warnings.map((w: { rule: string }) => w.rule)).not.toContain('ORG-5');
    const prob = await t.req('POST', `/api/orgs/${t.fx.villageA1}/posts`, {
      cookie: admin,
      body: { post: 'secretary', memberId: t.fx.members.钱七 },
    });
    expect(prob.json.warnings.map((w: { rule: string }) => w.rule)).toContain('ORG-6');
  });

  it('creates, renames, moves, merges and dissolves with the history kept', async () => {
    const made = await t.req('POST', '/api/orgs', {
      cookie: admin,
      body: { parentId: t.fx.townA, name: '中共甲三村支部委员会', kind: 'branch', field: 'rural' },
    });
    expect(made.status).toBe(201);
    const id = made.json.id;
    const short = await t.req('POST', '/api/orgs', {
      cookie: admin,
      body: { parentId: id, name: '甲', kind: 'partyGroup' },
    });
    expect(short.json.message).toContain('名称：名称至少 2 个字');
    const bad = await t.req('POST', '/api/orgs', {
      cookie: admin,
      body: { parentId: id, name: '中共某某党委', kind: 'committee' },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.message).toMatch(/党支部下不能设立党委/);
    const renamed = await t.req('PATCH', `/api/orgs/${id}`, { cookie: admin, body: { name: '中共甲三村党支部' } });
    expect(renamed.json.history[0]).toMatchObject({
      kind: 'renamed',
      detail: { from: '中共甲三村支部委员会', to: '中共甲三村党支部' },
    });
    const moved = await t.req('POST', `/api/orgs/${id}/move`, {
      cookie: admin,
      body: { newParentId: t.fx.townB, reason: '区划调整' },
    });
    expect(moved.status).toBe(200);
    const after = await t.req('GET', `/api/orgs/${id}`, { cookie: admin });
    expect(after.json.path.map((p: { id: string }) => p.id)).toEqual([t.fx.county, t.fx.townB, id]);
    const orga = await t.login('orga');
    expect((await t.req('GET', `/api/orgs/${id}`, { cookie: orga })).status).toBe(404);
    // Merge A2 (李四) into B1: members follow, history says so.
    const merged = await t.req('POST', `/api/orgs/${t.fx.villageA2}/merge`, {
      cookie: admin,
      body: { intoId: t.fx.villageB1, reason: '村庄合并' },
    });
    expect(merged.json).toEqual({ ok: true, membersMoved: 1 });
    const li = await t.req('GET', `/api/members/${t.fx.members.李四}`, { cookie: admin });
    expect(li.json.orgId).toBe(t.fx.villageB1);
    expect(li.json.history[0].reason).toMatch(/组织合并/);
    expect(li.json.history[1].orgId).toBe(t.fx.villageA2);
    const dissolved = await t.req('POST', `/api/orgs/${id}/dissolve`, { cookie: admin, body: { reason: '撤村并居' } });
    expect(dissolved.status).toBe(200);
    const kids = await t.req('GET', `/api/orgs/${t.fx.townB}/children`, { cookie: admin });
    expect(kids.json.items.map((k: { id: string }) => k.id)).not.toContain(id);
    const nonEmpty = await t.req('POST', `/api/orgs/${t.fx.villageB1}/dissolve`, {
      cookie: admin,
      body: { reason: '测试' },
    });
    expect(nonEmpty.status).toBe(422);
    expect(nonEmpty.json.message).toMatch(/还有 \d+ 名党员/);
  });

  it('keeps the per-organization member counts equal to the members after transfers and merges', async () => {
    const off = await t.database.db.execute<{ id: string }>(sql`
      select o.id from orgs o left join (select org_id, count(*)::int as n from members group by org_id) c on c.org_id = o.id
      where o.member_count <> coalesce(c.n, 0)`);
    expect(off.rows).toEqual([]);
    const sum = await t.database.db.execute<{ n: number }>(sql`select sum(member_count)::int as n from orgs`);
    expect(sum.rows[0].n).toBe(6);
  });
});
