/**
 * Answers are written by functions compiled from the response schemas (platform/serialize.ts): for
 * real answers of the busiest routes, the JSON is what zod's encode and JSON.stringify write for the
 * same data (optional fields after the required ones), and zod accepts every answer (so nothing
 * outside the schema was written).
 */
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listOf } from '../../contract/common.ts';
import { memberDetail, memberView } from '../../contract/members.ts';
import { orgChild, orgDetail } from '../../contract/orgs.ts';
import { me } from '../../contract/users.ts';
import { setup, type TestCtx } from './harness.ts';

let t: TestCtx;
beforeAll(async () => {
  t = await setup();
});
afterAll(async () => t?.close());

describe('compiled serializers write what zod wrote', () => {
  it('for the session, member lists and details, organization cards and children, as each role sees them', async () => {
    const someone = Object.values(t.fx.members)[0];
    const cases: [string, z.ZodType][] = [
      ['/api/auth/me', me],
      ['/api/members?q=z', listOf(memberView)],
      ['/api/members?page=1&pageSize=50&sort=age&order=desc', listOf(memberView)],
      [`/api/members/${someone}`, memberDetail],
      [`/api/orgs/${t.fx.villageA1}`, orgDetail],
      [`/api/orgs/${t.fx.county}`, orgDetail],
      [`/api/orgs/${t.fx.townA}/children?warnings=true`, z.object({ items: z.array(orgChild) })],
    ];
    let checked = 0;
    for (const user of ['admin', 'orga', 'seca1', 'leader']) {
      const cookie = await t.login(user);
      for (const [url, schema] of cases) {
        const res = await t.req('GET', url, { cookie });
        if (res.status !== 200) continue; // outside this role's scope or permissions
        // Equal as JSON (key order aside: optional fields come after the required ones), same length:
        // nothing more, nothing less, no value written differently.
        const byZod = JSON.stringify(z.encode(schema, JSON.parse(res.body)));
        expect(JSON.parse(res.body), `${user} ${url}`).toEqual(JSON.parse(byZod));
        expect(res.body.length, `${user} ${url}`).toBe(byZod.length);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(20);
  });
});
