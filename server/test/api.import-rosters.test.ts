/**
 * Rosters as offices keep them (issue 18 §1): members who joined long ago without a 转正日期, one bad
 * row among good ones, branches written by their common names, month-only dates, and the export
 * imported back.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId, rosterWorkbook, setup, type TestCtx, uploadRoster } from './harness.ts';

let t: TestCtx;
let admin: string;
beforeAll(async () => {
  t = await setup();
  admin = await t.login('admin');
});
afterAll(async () => t?.close());

const A1 = '中共甲一村支部委员会';
const memberBy = async (idNumber: string) =>
  (await t.database.db.execute<{ id: string; standing: string; full_date: string | null; join_date: string; org_id: string }>(
    sql`select id, standing, full_date, join_date, org_id from members where id_bidx = ${t.deps.crypto.blindIndex('id', idNumber)}`,
  )).rows[0];

describe('members who joined long ago', () => {
  it('takes a member who joined longer ago than the longest probation as a full member, with a warning to complete the 转正日期', async () => {
    const old = newId('19500101');
    const recent = newId('19990101');
    const file = await rosterWorkbook(
      [
        ['老党员', old, A1, '1975-07-01', ''],
        ['新党员', recent, A1, '2026-01-01', ''],
      ],
      ['姓名', '身份证号', '所在党支部', '入党时间', '转正时间'],
    );
    const dry = await uploadRoster(t, admin, file, true);
    expect(dry.status, JSON.stringify(dry.json.errors)).toBe(200);
    expect(dry.json).toMatchObject({ ok: true, created: 2, errors: [] });
    expect(dry.json.warnings).toEqual([{ row: 2, column: '转正日期', message: expect.stringContaining('补录') }]);
    const res = await uploadRoster(t, admin, file, false);
    expect(res.json).toMatchObject({ ok: true, created: 2 });
    expect(await memberBy(old)).toMatchObject({ standing: 'full', full_date: null });
    expect(await memberBy(recent)).toMatchObject({ standing: 'probationary' });
  });
});
