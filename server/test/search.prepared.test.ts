/**
 * The prepared pinyin search (members/service.ts listMembers, issue 6 §4) answers exactly as the
 * general search: the same total and the same rows in the same order, for every account, sort and
 * page, and it never skips the scope check when the county has a second root.
 */
import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setSetting } from '../platform/settings.ts';
import { COUNTY, newId, setup, type TestCtx } from './harness.ts';

let t: TestCtx;
const cookies: Record<string, string> = {};
const NAMES = [
  '张伟',
  '张敏',
  '张静',
  '赵丽',
  '赵强',
  '周杰',
  '朱红',
  '张三丰',
  '郑爽',
  '庄严',
  '章子',
  '张小',
  '邹平',
  '曾山',
  '钟南',
];

beforeAll(async () => {
  t = await setup();
  // Hundreds of searches per account here: the per-minute ceiling (SEC-23) is not what is tested.
  await setSetting(t.database.db, COUNTY, 'security.searchesPerMinute', 100_000);
  for (const u of ['admin', 'orga', 'orgb', 'seca1']) cookies[u] = await t.login(u);
  const orgs = [t.fx.villageA1, t.fx.groupA1, t.fx.villageA2, t.fx.villageB1, t.fx.organBranch];
  let i = 0;
  for (const name of NAMES)
    for (const orgId of orgs) {
      i++;
      const body = {
        name,
        orgId,
        idNumber: newId(`19${String(50 + (i % 40)).padStart(2, '0')}0${1 + (i % 9)}1${i % 10}`, i % 2 === 0),
        standing: 'full',
        joinDate: `20${String(i % 20).padStart(2, '0')}-07-01`,
        fullDate: `20${String((i % 20) + 1).padStart(2, '0')}-07-02`,
      };
      const r = await t.req('POST', '/api/members', { cookie: cookies.admin, body });
      expect(r.status, JSON.stringify(r.json)).toBe(201);
    }
});
afterAll(async () => t?.close());

async function list(user: string, query: Record<string, string | number>) {
  const qs = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)])).toString();
  const r = await t.req('GET', `/api/members?${qs}`, { cookie: cookies[user] });
  expect(r.status, JSON.stringify(r.json)).toBe(200);
  return {
    total: r.json.total as number,
    ids: (r.json.items as { id: string; name: string }[]).map((m) => `${m.name}:${m.id}`),
  };
}

const SCOPE: Record<string, () => string> = {
  admin: () => t.fx.county,
  orga: () => t.fx.townA,
  orgb: () => t.fx.townB,
  seca1: () => t.fx.villageA1,
};

describe('the prepared pinyin search', () => {
  it('gives the same total and page as the general search, for every account, sort and page', async () => {
    let compared = 0;
    for (const user of Object.keys(SCOPE))
      for (const q of ['z', 'zh', 'zw', 'zhang', 'ZS', 'zhao', 'q'])
        for (const sort of [
          {},
          { sort: 'age' },
          { sort: 'joinDate', order: 'desc' },
          { sort: 'name', order: 'desc' },
        ] as Record<string, string>[])
          for (const page of [1, 2, 9]) {
            const query = { q, page, pageSize: 7, ...sort };
            // With the account's own organization as the filter the search takes the general path:
            // the same set by definition, found another way.
            const fast = await list(user, query);
            const general = await list(user, { ...query, orgId: SCOPE[user](), subtree: 'true' });
            expect(fast, `${user} ${JSON.stringify(query)}`).toEqual(general);
            compared += fast.ids.length;
          }
    expect(compared).toBeGreaterThan(300);
  });

  it('checks the scope of every hit when the county has a second root', async () => {
    const before = await list('admin', { q: 'zh', page: 1, pageSize: 100 });
    const rootId = crypto.randomUUID();
    await t.database.db.execute(sql`insert into orgs (id, county_code, parent_id, path, depth, name, name_pinyin, name_initials, kind, field, term_years)
      values (${rootId}, ${COUNTY}, null, ${`/${rootId}/`}, 0, '中共另一县委员会', 'zhonggonglingyixianweiyuanhui', 'lyxw', 'committee', null, 5)`);
    const branchId = crypto.randomUUID();
    await t.database.db.execute(sql`insert into orgs (id, county_code, parent_id, path, depth, name, name_pinyin, name_initials, kind, field, term_years)
      values (${branchId}, ${COUNTY}, ${rootId}, ${`/${rootId}/${branchId}/`}, 1, '中共另一村支部委员会', 'zhonggonglingyicunzhibuweiyuanhui', 'lyc', 'branch', 'rural', 5)`);
    const outsider = crypto.randomUUID();
    const id = newId('19800101', true);
    const sealed = (await import('../modules/members/service.ts')).sealedColumns(
      t.deps.crypto,
      outsider,
      id,
      null,
      null,
    );
    await t.database.db.execute(sql`insert into members (id, county_code, org_id, name, name_pinyin, name_initials, sex, birth_date, standing, join_date, full_date, id_enc, id_bidx, id_tail_bidx)
      values (${outsider}, ${COUNTY}, ${branchId}, '张外人', 'zhangwairen', 'zwr', '1', '1980-01-01', 'full', '2010-07-01', '2011-07-01', ${sealed.idEnc}, ${sealed.idBidx}, ${sealed.idTailBidx})`);
    const after = await list('admin', { q: 'zh', page: 1, pageSize: 100 });
    expect(after).toEqual(before);
    expect(after.ids.join()).not.toContain(outsider);
    // Written the same through the general path.
    expect(await list('admin', { q: 'zh', page: 1, pageSize: 100, orgId: t.fx.county, subtree: 'true' })).toEqual(
      after,
    );
  });
});
