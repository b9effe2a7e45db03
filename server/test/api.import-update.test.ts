/**
 * The import's update path: a roster imported again with the same ID numbers and changed facts
 * (a name's spelling, a phone, an education, and one member moved to another organization) updates
 * the members it names, never duplicates them, records the move in the membership history, keeps
 * both organizations' member counts right, and audits each update.
 */
import { sql } from 'drizzle-orm';
import { shanghaiDate } from '../../contract/calendar.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from '../platform/audit.ts';
import { sealCtx } from '../platform/sealed.ts';
import { newId, rosterWorkbook, setup, type TestCtx, uploadRoster } from './harness.ts';

let t: TestCtx;
let admin: string;
beforeAll(async () => {
  t = await setup();
  admin = await t.login('admin');
});
afterAll(async () => t?.close());

const HEADER = ['姓名', '身份证号', '所在党支部', '党员类别', '入党时间', '转正时间', '手机号', '学历'];
const A2 = '中共甲二村支部委员会';
const B1 = '中共乙一村支部委员会';
const A1 = '中共甲一村支部委员会';

type Row = {
  id: string;
  name: string;
  org_id: string;
  education: string | null;
  phone_enc: string | null;
  version: number;
  name_pinyin: string;
};

async function membersByBidx(ids: string[]): Promise<Row[]> {
  const out: Row[] = [];
  for (const idNumber of ids) {
    const r = await t.database.db.execute<Row>(
      sql`select id, name, org_id, education, phone_enc, version, name_pinyin from members where id_bidx = ${t.deps.crypto.blindIndex('id', idNumber)}`,
    );
    expect(r.rows, `one member per ID number ${idNumber.slice(-4)}`).toHaveLength(1);
    out.push(r.rows[0]);
  }
  return out;
}

const memberCount = async (orgId: string) =>
  (await t.database.db.execute<{ member_count: number }>(sql`select member_count from orgs where id = ${orgId}`))
    .rows[0].member_count;
const actualCount = async (orgId: string) =>
  (await t.database.db.execute<{ n: number }>(sql`select count(*)::int as n from members where org_id = ${orgId}`))
    .rows[0].n;
const phoneOf = (m: Row) => (m.phone_enc ? t.deps.crypto.decrypt(m.phone_enc, sealCtx('members.phone', m.id)) : null);

describe('re-importing a roster with changed facts', () => {
  it('updates the same members in place, moves one with its history, and audits every update', async () => {
    const ids = [
      newId('19810101'),
      newId('19820202', false),
      newId('19830303'),
      newId('19840404'),
      newId('19850505', false),
    ];
    const first = [
      ['周一', ids[0], A2, '正式党员', '2005-07-01', '2006-07-01', '13700001111', '大学本科'],
      ['吴二', ids[1], A2, '正式党员', '2006-07-01', '2007-07-01', '13700002222', '普通高中'],
      ['郑三', ids[2], A2, '正式党员', '2007-07-01', '2008-07-01', '', '初中'],
      ['王四', ids[3], B1, '正式党员', '2008-07-01', '2009-07-01', '13700004444', '大学专科'],
      ['冯五', ids[4], B1, '正式党员', '2009-07-01', '2010-07-01', '', '大学本科'],
    ];
    const created = await uploadRoster(t, admin, await rosterWorkbook(first, HEADER), false);
    expect(created.json).toMatchObject({ ok: true, created: 5, updated: 0, unchanged: 0 });
    const before = await membersByBidx(ids);
    const total = (await t.database.db.execute<{ n: number }>(sql`select count(*)::int as n from members`)).rows[0].n;
    const counts = {
      a2: await memberCount(t.fx.villageA2),
      b1: await memberCount(t.fx.villageB1),
      a1: await memberCount(t.fx.villageA1),
    };
    const auditSeq = (await t.database.db.execute<{ seq: number }>(sql`select max(seq) as seq from audit_log`)).rows[0]
      .seq;

    const second = [
      ['邹一', ids[0], A2, '正式党员', '2005-07-01', '2006-07-01', '13700001111', '大学本科'], // a misspelt surname corrected
      ['吴二', ids[1], A2, '正式党员', '2006-07-01', '2007-07-01', '13900009999', '普通高中'], // phone
      ['郑三', ids[2], A2, '正式党员', '2007-07-01', '2008-07-01', '', '大学专科'], // education
      ['王四', ids[3], A1, '正式党员', '2008-07-01', '2009-07-01', '13700004444', '大学专科'], // moved B1 → A1
      ['冯五', ids[4], B1, '正式党员', '2009-07-01', '2010-07-01', '', '大学本科'], // unchanged
    ];
    const file = await rosterWorkbook(second, HEADER);
    const dry = await uploadRoster(t, admin, file, true);
    expect(dry.json).toMatchObject({ ok: true, dryRun: true, created: 0, updated: 4, unchanged: 1 });
    expect(await membersByBidx(ids)).toEqual(before); // a dry run writes nothing
    const res = await uploadRoster(t, admin, file, false);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ ok: true, created: 0, updated: 4, unchanged: 1, errors: [] });

    // The same rows, updated: no duplicates, same ids, new versions only where something changed.
    expect((await t.database.db.execute<{ n: number }>(sql`select count(*)::int as n from members`)).rows[0].n).toBe(
      total,
    );
    const after = await membersByBidx(ids);
    expect(after.map((m) => m.id)).toEqual(before.map((m) => m.id));
    expect(after.map((m) => m.version)).toEqual(before.map((m, i) => m.version + (i < 4 ? 1 : 0)));
    expect(after[0].name).toBe('邹一');
    expect(after[0].name_pinyin).not.toBe(before[0].name_pinyin); // search by the new spelling works
    expect(phoneOf(after[1])).toBe('13900009999');
    expect(after[2].education).toBe('31'); // 大学专科 (GB/T 4658)
    expect(before[2].education).toBe('71');
    expect(after[3].org_id).toBe(t.fx.villageA1);
    expect(after[4]).toEqual(before[4]);
    const found = await t.req('GET', `/api/members?q=${encodeURIComponent('邹一')}`, { cookie: admin });
    expect(found.json.items.map((m: { id: string }) => m.id)).toEqual([after[0].id]);

    // The move: the old membership closed today, a new one opened today in the new organization.
    // The day in Beijing, as the server dates a move (between 00:00 and 08:00 it is not the UTC day).
    const today = shanghaiDate(t.deps.now());
    const hist = await t.database.db.execute<{
      org_id: string;
      org_name: string;
      from_date: string;
      to_date: string | null;
      reason: string;
    }>(
      sql`select org_id, org_name, from_date, to_date, reason from member_org_history where member_id = ${after[3].id} order by to_date nulls last, from_date`,
    );
    expect(hist.rows).toEqual([
      { org_id: t.fx.villageB1, org_name: B1, from_date: today, to_date: today, reason: 'Excel 导入' },
      { org_id: t.fx.villageA1, org_name: A1, from_date: today, to_date: null, reason: 'Excel 导入（组织关系变更）' },
    ]);
    for (const m of [after[0], after[1], after[2]]) {
      const h = await t.database.db.execute<{ n: number }>(
        sql`select count(*)::int as n from member_org_history where member_id = ${m.id}`,
      );
      expect(h.rows[0].n, 'no history row for an update that is not a move').toBe(1);
    }
    const detail = await t.req('GET', `/api/members/${after[3].id}`, { cookie: admin });
    expect(detail.json.orgName).toBe(A1);

    // Member counts: one fewer in the old organization, one more in the new, the rest unchanged, and all equal to the rows.
    expect(await memberCount(t.fx.villageB1)).toBe(counts.b1 - 1);
    expect(await memberCount(t.fx.villageA1)).toBe(counts.a1 + 1);
    expect(await memberCount(t.fx.villageA2)).toBe(counts.a2);
    for (const org of [t.fx.villageA1, t.fx.villageA2, t.fx.villageB1])
      expect(await memberCount(org)).toBe(await actualCount(org));

    // The audit log: one update per changed member, by the importing account, and the import's summary.
    const audit = await t.database.db.execute<{
      action: string;
      object_id: string | null;
      username: string;
      detail: Record<string, unknown>;
    }>(
      sql`select action, object_id, username, detail from audit_log where seq > ${auditSeq} and action like 'member.%' order by seq`,
    );
    const updates = audit.rows.filter((r) => r.action === 'member.update');
    expect(updates.map((r) => r.object_id).sort()).toEqual(
      after
        .slice(0, 4)
        .map((m) => m.id)
        .sort(),
    );
    for (const u of updates) expect(u).toMatchObject({ username: 'admin', detail: { via: 'import' } });
    expect(audit.rows.filter((r) => r.action === 'member.create')).toEqual([]);
    expect(audit.rows.find((r) => r.action === 'member.import')?.detail).toMatchObject({
      rows: 5,
      created: 0,
      updated: 4,
      unchanged: 1,
    });
    expect((await verifyAudit(t.database.db, t.deps.crypto)).ok).toBe(true);

    // Imported a third time, the roster changes nothing.
    const again = await uploadRoster(t, admin, file, false);
    expect(again.json).toMatchObject({ ok: true, created: 0, updated: 0, unchanged: 5 });
    expect(await membersByBidx(ids)).toEqual(after);
  });
});
