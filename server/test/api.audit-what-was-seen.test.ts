/**
 * The audit log says which meeting was recorded or deleted, and records the phone numbers a person
 * looked at, not those a page fetched without showing them (issue 18 §6).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditSentence } from '../../contract/audit-text.ts';
import { setup, type TestCtx } from './harness.ts';

let t: TestCtx;
beforeAll(async () => {
  t = await setup();
});
afterAll(async () => t?.close());

async function lastSentence(action: string): Promise<string> {
  const r = await t.database.db.execute<{
    action: string;
    result: string;
    object_type: string;
    detail: Record<string, unknown>;
  }>(sql`select action, result, object_type, detail from audit_log where action = ${action} order by seq desc limit 1`);
  const e = r.rows[0];
  return auditSentence({ action: e.action, result: e.result, objectType: e.object_type, detail: e.detail });
}

describe('records of organizational life in the log', () => {
  it('names the organization, the kind and the date of a meeting recorded and of one deleted', async () => {
    const admin = await t.login('admin');
    const made = await t.req('POST', '/api/meetings', {
      cookie: admin,
      body: { orgId: t.fx.villageA1, kind: 'partyLecture', startsAt: '2026-11-05T09:00:00+08:00', topic: '学习党章' },
    });
    expect(made.status, made.body).toBe(201);
    expect(await lastSentence('meeting.create')).toBe('记录组织生活：中共甲一村支部委员会 党课（2026-11-05）');
    // Renamed afterwards: the entry keeps the name of the time.
    await t.database.db.execute(sql`update orgs set name = '中共甲一村改名支部委员会' where id = ${t.fx.villageA1}`);
    const gone = await t.req('DELETE', `/api/meetings/${made.json.id}`, { cookie: admin });
    expect(gone.status).toBe(200);
    expect(await lastSentence('meeting.delete')).toBe('删除组织生活记录：中共甲一村改名支部委员会 党课（2026-11-05）');
    expect(await lastSentence('meeting.create')).toContain('中共甲一村支部委员会');
    await t.database.db.execute(sql`update orgs set name = '中共甲一村支部委员会' where id = ${t.fx.villageA1}`);
  });
});

describe('phone numbers a secretary looked at', () => {
  const phoneViews = async () =>
    Number(
      (
        await t.database.db.execute<{ n: number }>(
          sql`select count(*)::int as n from audit_log where action = 'member.phones.view'`,
        )
      ).rows[0].n,
    );

  it('loads no full phones and logs nothing for a list that does not show them (the meeting form, a picker)', async () => {
    const sec = await t.login('seca1');
    const before = await phoneViews();
    for (const url of [
      `/api/members?orgId=${t.fx.villageA1}&subtree=true&pageSize=200&page=1&sort=name`,
      `/api/members?orgId=${t.fx.villageA1}&subtree=true&q=zs&pageSize=20`,
    ]) {
      const res = await t.req('GET', url, { cookie: sec });
      expect(res.status).toBe(200);
      expect(res.json.items.length).toBeGreaterThan(0);
      for (const m of res.json.items) expect(m.phone).toBeUndefined();
    }
    expect(await phoneViews()).toBe(before);
  });

  it('loads them, and logs the view, for the list page that shows them (phones=true)', async () => {
    const sec = await t.login('seca1');
    const before = await phoneViews();
    const res = await t.req('GET', '/api/members?page=1&pageSize=20&phones=true', { cookie: sec });
    expect(res.json.items.some((m: { phone?: string }) => typeof m.phone === 'string')).toBe(true);
    expect(await phoneViews()).toBe(before + 1);
    expect(await lastSentence('member.phones.view')).toMatch(/^查看了本支部 \d+ 名党员的联系电话$/);
  });
});
