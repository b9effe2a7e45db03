/** executeNamed (server/db/index.ts) answers what drizzle's execute answers, on the executor it is given. */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeNamed } from '../db/index.ts';
import { setup, type TestCtx } from './harness.ts';

let t: TestCtx;
beforeAll(async () => {
  t = await setup();
});
afterAll(async () => t?.close());

describe('executeNamed', () => {
  it('parses values as execute does: dates, times and intervals as text, counts as numbers, JSON as objects', async () => {
    const q = sql`select ${'2026-02-28'}::date as d, ${'2026-11-28T06:00:00Z'}::timestamptz as at, interval '90 minutes' as i,
      array[${'2026-01-01'}::date] as ds, count(*) as n, json_build_object('a', ${1}::int) as j, ${true}::boolean as b from (values (1), (2)) v(x)`;
    const named = await executeNamed<Record<string, unknown>>(t.database.db, 'test_types', q);
    const plain = await t.database.db.execute<Record<string, unknown>>(q);
    expect(named.rows).toEqual(plain.rows);
    expect(named.rows[0]).toMatchObject({ d: '2026-02-28', n: 2, j: { a: 1 }, b: true });
    expect(typeof named.rows[0].at).toBe('string');
  });

  it('runs inside the transaction it is given: it sees the transaction’s own uncommitted rows', async () => {
    const key = `execute-named-${Date.now()}`;
    await expect(
      t.database.db.transaction(async (tx) => {
        await tx.execute(sql`insert into platform_meta (key, value) values (${key}, '"in the transaction"'::jsonb)`);
        const seen = await executeNamed<{ value: string }>(
          tx,
          'test_tx',
          sql`select value from platform_meta where key = ${key}`,
        );
        expect(seen.rows).toEqual([{ value: 'in the transaction' }]);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    const after = await executeNamed(t.database.db, 'test_tx', sql`select value from platform_meta where key = ${key}`);
    expect(after.rows).toEqual([]);
  });
});
