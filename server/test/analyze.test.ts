/**
 * Statistics after the platform's own bulk writes (issue 21). The app role may not ANALYZE: its own
 * `analyze members` after a large import was skipped with a warning, and the planner kept taking a
 * county's new rows for absent. It asks the owner's `dangjian_analyze` (db/roles.ts) instead, which
 * analyzes the tables it names and nothing else.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeTables } from '../db/index.ts';
import { COUNTY, setup, type TestCtx } from './harness.ts';

let t: TestCtx;

beforeAll(async () => {
  t = await setup();
});
afterAll(async () => {
  await t?.close();
});

const estimate = async () =>
  Number(
    (
      await t.database.db.execute<{ n: number }>(
        sql`select reltuples::int as n from pg_class where relname = 'members'`,
      )
    ).rows[0].n,
  );
const actual = async () =>
  Number(
    (
      await t.database.db.execute<{ n: number }>(
        sql`select count(*)::int as n from members where county_code = ${COUNTY}`,
      )
    ).rows[0].n,
  );

describe('statistics after a bulk write', () => {
  it('the app role’s own ANALYZE does nothing; through the owner’s function it counts the rows', async () => {
    const before = await estimate();
    await t.database.db.execute(sql`analyze members`);
    expect(await estimate()).toBe(before);
    expect(before).not.toBe(await actual());
    await analyzeTables(t.database.db, ['members', 'member_org_history']);
    expect(await estimate()).toBe(await actual());
  });

  it('names tables, never statements: an unknown name is refused', async () => {
    await expect(analyzeTables(t.database.db, ['members; drop table members'])).rejects.toThrow();
    await expect(analyzeTables(t.database.db, ['pg_authid'])).rejects.toThrow();
    expect(await actual()).toBeGreaterThan(0);
  });
});
