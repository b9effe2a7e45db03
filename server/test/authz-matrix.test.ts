/**
 * Authorization matrix (SEC-7, SEC-8): every route × role × tree position. Expected answers are
 * derived from two facts only — does the role hold the route's permission, and does the target lie
 * in the user's subtree — so a route that forgets its scope check fails here.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { permissionsFor } from '../platform/permissions.ts';
import { newId, setup, type TestCtx } from './harness.ts';

let t: TestCtx;
const cookies: Record<string, string> = {};
const paths: Record<string, string> = {};
const USERS = { admin: 'county', orga: 'townA', seca1: 'villageA1', leader: 'county', secadmin: 'county', auditor: 'county' } as const;
const ROLES: Record<keyof typeof USERS, string> = { admin: 'countyAdmin', orga: 'orgAdmin', seca1: 'branchSecretary', leader: 'leader', secadmin: 'securityAdmin', auditor: 'auditor' };
type Pos = 'own' | 'child' | 'sibling' | 'parent' | 'otherTownship';
const POSITIONS: Record<keyof typeof USERS, Partial<Record<Pos, keyof TestCtx['fx']>>> = {
  admin: { own: 'county', child: 'townA', otherTownship: 'villageB1' },
  leader: { own: 'county', child: 'townA', otherTownship: 'villageB1' },
  secadmin: { own: 'county', child: 'townA' },
  auditor: { own: 'county', child: 'townA' },
  orga: { own: 'townA', child: 'villageA1', sibling: 'townB', parent: 'county', otherTownship: 'villageB1' },
  seca1: { own: 'villageA1', child: 'groupA1', sibling: 'villageA2', parent: 'townA', otherTownship: 'villageB1' },
};
const BRANCHES = new Set(['villageA1', 'villageA2', 'villageB1', 'organBranch']);

beforeAll(async () => {
  t = await setup();
  for (const u of Object.keys(USERS)) cookies[u] = await t.login(u);
  const res = await t.database.db.execute<{ id: string; path: string }>(sql`select id, path from orgs`);
  for (const r of res.rows) paths[r.id] = r.path;
});
afterAll(async () => t?.close());

function has(user: keyof typeof USERS, perm: string) {
  return permissionsFor([ROLES[user]], 'default').has(perm as never);
}
function inScope(user: keyof typeof USERS, orgId: string) {
  return paths[orgId].startsWith(paths[t.fx[USERS[user]] as string]);
}
/** A member placed directly in the organization, or else the first one below it. */
async function memberIn(orgId: string): Promise<{ id: string; orgId: string } | null> {
  const r = await t.database.db.execute<{ id: string; org_id: string }>(
    sql`select m.id, m.org_id from members m join orgs o on o.id = m.org_id where o.path like ${`${paths[orgId]}%`} order by (m.org_id = ${orgId}) desc, m.name limit 1`,
  );
  return r.rows[0] ? { id: r.rows[0].id, orgId: r.rows[0].org_id } : null;
}

const covered = new Set<string>();
const cases: [keyof typeof USERS, Pos, keyof TestCtx['fx']][] = [];
for (const [u, pos] of Object.entries(POSITIONS)) for (const [p, key] of Object.entries(pos)) cases.push([u as keyof typeof USERS, p as Pos, key]);

describe('routes that target an organization or a member', () => {
  it.each(cases)('%s → %s (%s)', async (user, _pos, key) => {
    const org = t.fx[key] as string;
    const cookie = cookies[user];
    const scoped = inScope(user, org);
    const check = async (route: string, perm: string, ok: number | number[], method: string, url: string, body?: unknown, scopeOf = org) => {
      covered.add(route);
      const res = await t.req(method, url, { cookie, body });
      const want = !has(user, perm) ? 403 : inScope(user, scopeOf) ? ok : 404;
      if (Array.isArray(want)) expect(want, `${route} as ${user} on ${key}: ${res.body}`).toContain(res.status);
      else expect(res.status, `${route} as ${user} on ${key}: ${res.body}`).toBe(want);
      return res;
    };
    await check('GET /api/orgs/:id', 'orgs.read', 200, 'GET', `/api/orgs/${org}`);
    await check('GET /api/orgs/:id/children', 'orgs.read', 200, 'GET', `/api/orgs/${org}/children`);
    await check('PATCH /api/orgs/:id', 'orgs.write', 200, 'PATCH', `/api/orgs/${org}`, { contactName: '矩阵' });
    await check('POST /api/orgs/:id/posts', 'orgs.write', 200, 'POST', `/api/orgs/${org}/posts`, { post: 'deputySecretary', personName: '矩阵' });
    await check('POST /api/orgs/:id/reveal', 'members.reveal', 200, 'POST', `/api/orgs/${org}/reveal`, { reason: '矩阵测试' });
    const childKind = BRANCHES.has(key) ? 'partyGroup' : key === 'groupA1' ? 'partyGroup' : 'branch';
    const created = await t.req('POST', '/api/orgs', { cookie, body: { parentId: org, name: '矩阵测试组织', kind: childKind } });
    covered.add('POST /api/orgs');
    expect(created.status, `POST /api/orgs as ${user} under ${key}: ${created.body}`).toBe(!has(user, 'orgs.write') ? 403 : scoped ? (key === 'groupA1' ? 400 : 201) : 404);
    const own = org === (t.fx[USERS[user]] as string);
    await check('POST /api/orgs/:id/dissolve', 'orgs.write', own ? 403 : 422, 'POST', `/api/orgs/${org}/dissolve`, { reason: '矩阵测试' });
    await check('POST /api/orgs/:id/move', 'orgs.write', [200, 403, 404, 400, 422], 'POST', `/api/orgs/${org}/move`, { newParentId: org, reason: '矩阵测试' });
    await check('POST /api/orgs/:id/merge', 'orgs.write', [400, 422], 'POST', `/api/orgs/${org}/merge`, { intoId: org, reason: '矩阵测试' });
    await check('GET /api/members?orgId', 'members.read', 200, 'GET', `/api/members?orgId=${org}`);
    covered.add('GET /api/members');
    // A new member placed in this organization: out of scope is a field error, never a write.
    const add = await t.req('POST', '/api/members', { cookie, body: { name: '矩阵', idNumber: newId(), orgId: org, standing: 'full', joinDate: '2010-07-01', fullDate: '2011-07-01' } });
    covered.add('POST /api/members');
    expect(add.status, `POST /api/members as ${user} in ${key}: ${add.body}`).toBe(!has(user, 'members.write') ? 403 : scoped && (BRANCHES.has(key) || key === 'groupA1') ? 201 : 400);
    const m = await memberIn(org);
    if (m) {
      await check('GET /api/members/:id', 'members.read', 200, 'GET', `/api/members/${m.id}`, undefined, m.orgId);
      await check('PATCH /api/members/:id', 'members.write', 200, 'PATCH', `/api/members/${m.id}`, { post: '矩阵' }, m.orgId);
      await check('POST /api/members/:id/reveal', 'members.reveal', 200, 'POST', `/api/members/${m.id}/reveal`, { reason: '矩阵测试' }, m.orgId);
    }
    const u = Object.entries(t.fx.users).find(([name]) => (USERS as Record<string, string>)[name] === key)?.[1];
    if (u) {
      await check('GET /api/users/:id', 'users.read', 200, 'GET', `/api/users/${u}`);
      await check('PATCH /api/users/:id', 'users.manage', [200, 403], 'PATCH', `/api/users/${u}`, { displayName: '矩阵' });
    }
  });
});

describe('routes without a target', () => {
  const plain: [string, string, string, number][] = [
    ['GET /api/orgs', 'orgs.read', '/api/orgs', 200],
    ['GET /api/orgs/root', 'orgs.read', '/api/orgs/root', 200],
    ['GET /api/code-lists', 'authenticated', '/api/code-lists', 200],
    ['GET /api/users', 'users.read', '/api/users', 200],
    ['GET /api/audit', 'audit.read', '/api/audit', 200],
    ['GET /api/members/import/template', 'members.import', '/api/members/import/template', 200],
    ['GET /api/members/export', 'members.export', `/api/members/export?reason=${encodeURIComponent('矩阵测试')}`, 200],
  ];
  it.each(Object.keys(USERS))('%s', async (user) => {
    const u = user as keyof typeof USERS;
    for (const [route, perm, url, ok] of plain) {
      covered.add(route);
      const res = await t.req('GET', url, { cookie: cookies[u] });
      expect(res.status, `${route} as ${user}`).toBe(has(u, perm) ? ok : 403);
    }
    covered.add('POST /api/members/import');
    const imp = await t.req('POST', '/api/members/import', { cookie: cookies[u], body: {} });
    expect(imp.status).toBe(has(u, 'members.import') ? 406 : 403);
    covered.add('POST /api/users');
    const mk = await t.req('POST', '/api/users', { cookie: cookies[u], body: { username: `m_${user}`, displayName: '矩阵', password: 'Matrix#Pass2026', roles: ['leader'], orgId: t.fx.villageB1 } });
    // In scope for county-level managers; a township manager would get a field error.
    expect(mk.status, `POST /api/users as ${user}: ${mk.body}`).toBe(has(u, 'users.manage') ? 201 : 403);
  });

  it('anonymous requests get 401 on every non-public route', async () => {
    for (const r of t.app.routeTable) {
      if (r.permission === 'public') continue;
      const url = r.url.replace(/:id/g, t.fx.county).replace('/*', '/x');
      const res = await t.req(r.method, url, { body: r.method === 'GET' ? undefined : {} });
      expect(res.status, `${r.method} ${r.url}`).toBe(401);
    }
  });

  it('covers every route the app declares', () => {
    const skip = new Set(['GET /api/health', 'GET /api/openapi.json', 'POST /api/auth/login', 'POST /api/auth/logout', 'GET /api/auth/me', 'POST /api/auth/password', 'POST /api/auth/totp/setup', 'POST /api/auth/totp/enable', 'POST /api/auth/totp/disable', 'GET /', 'GET /*']);
    const missing = t.app.routeTable.map((r) => `${r.method} ${r.url}`).filter((k) => !skip.has(k) && !covered.has(k) && !k.startsWith('GET /api/docs'));
    expect(missing).toEqual([]);
  });
});
