/**
 * Domain events in the writer's transaction (issue 17 §1): organizations and members announce their
 * changes, and the rules engine (a subscriber) re-checks what they touch before the write commits.
 * Before, only meetings re-checked (by importing the engine); a term set to the past or a member
 * marked lost waited for the nightly run.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emit } from '../platform/events.ts';
import { setup, type TestCtx } from './harness.ts';

let t: TestCtx;
let admin: string;

async function problem(ruleId: string, subjectId: string): Promise<string | null> {
  const r = await t.database.db.execute<{ status: string }>(
    sql`select status from problems where rule_id = ${ruleId} and subject_id = ${subjectId}`,
  );
  return r.rows[0]?.status ?? null;
}

beforeAll(async () => {
  t = await setup();
  admin = await t.login('admin');
});
afterAll(async () => t?.close());

describe('changes re-check at once (issue 17 §1)', () => {
  it('an organization whose term ended gets its problem with the write, and loses it with the correction', async () => {
    const past = await t.req('PATCH', `/api/orgs/${t.fx.villageA2}`, {
      cookie: admin,
      body: { termStart: '2018-01-01', termEnd: '2023-01-01' },
    });
    expect(past.status, past.body).toBe(200);
    expect(await problem('ORG-4', t.fx.villageA2)).toBe('open');
    const fixed = await t.req('PATCH', `/api/orgs/${t.fx.villageA2}`, {
      cookie: admin,
      body: { termStart: '2023-01-01', termEnd: '2028-01-01' },
    });
    expect(fixed.status, fixed.body).toBe(200);
    expect(await problem('ORG-4', t.fx.villageA2)).toBe('cleared');
  });

  it('a member marked lost long ago gets MEM-3 with the write', async () => {
    const res = await t.req('PATCH', `/api/members/${t.fx.members.李四}`, {
      cookie: admin,
      body: { lostContact: true, lastContactDate: '2024-01-01' },
    });
    expect(res.status, res.body).toBe(200);
    expect(await problem('MEM-3', t.fx.members.李四)).toBe('open');
  });

  it('a new phone number announces nothing: no re-check for what no rule reads', async () => {
    const before = await t.database.db.execute<{ n: number }>(sql`select count(*)::int as n from problem_events`);
    await t.database.db.execute(
      sql`delete from problems where rule_id = 'MEM-3' and subject_id = ${t.fx.members.李四}`,
    );
    const res = await t.req('PATCH', `/api/members/${t.fx.members.李四}`, {
      cookie: admin,
      body: { phone: '13911112222' },
    });
    expect(res.status, res.body).toBe(200);
    expect(await problem('MEM-3', t.fx.members.李四)).toBeNull();
    const after = await t.database.db.execute<{ n: number }>(sql`select count(*)::int as n from problem_events`);
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it('an event nobody declared is refused, and a failing subscriber fails the write', async () => {
    await expect(
      t.database.db.transaction((tx) => emit(tx, t.deps, 'nobody.said' as never, {} as never)),
    ).rejects.toThrow(/未在任何模块/);
    // An organization id that is not a uuid makes the engine's statement fail inside the transaction: the change is rolled back with it.
    const before = await t.database.db.execute<{ term_end: string | null }>(
      sql`select term_end::text from orgs where id = ${t.fx.villageB1}`,
    );
    await expect(
      t.database.db.transaction(async (tx) => {
        await tx.execute(sql`update orgs set term_end = '2001-01-01' where id = ${t.fx.villageB1}`);
        await emit(tx, t.deps, 'orgs.changed', {
          countyCode: '410225',
          orgIds: ['not-a-uuid'],
          change: 'updated',
          dates: [],
        });
      }),
    ).rejects.toThrow();
    const after = await t.database.db.execute<{ term_end: string | null }>(
      sql`select term_end::text from orgs where id = ${t.fx.villageB1}`,
    );
    expect(after.rows[0].term_end).toBe(before.rows[0].term_end);
  });
});
