/**
 * Small things seen (issue 18 §7a): the member list filters by 学历 and 民族, a future 入党日期 is
 * refused with a message, and the meeting form is offered only the kinds an organization may record.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiDate } from '../platform/calendar.ts';
import { newId, setup, type TestCtx } from './harness.ts';

let t: TestCtx;
let admin: string;
beforeAll(async () => {
  t = await setup();
  admin = await t.login('admin');
});
afterAll(async () => t?.close());

describe('the member list', () => {
  it('filters by 学历 and by 民族 (codes of the lists)', async () => {
    await t.database.db.execute(sql`update members set education = '21' where id = ${t.fx.members.张三}`);
    await t.database.db.execute(sql`update members set ethnicity = '03' where id = ${t.fx.members.李四}`);
    const byEducation = await t.req('GET', '/api/members?education=21', { cookie: admin });
    expect(byEducation.status).toBe(200);
    expect(byEducation.json.items.map((m: { name: string }) => m.name)).toEqual(['张三']);
    const byEthnicity = await t.req('GET', '/api/members?ethnicity=03', { cookie: admin });
    expect(byEthnicity.json.items.map((m: { name: string }) => m.name)).toEqual(['李四']);
    const both = await t.req('GET', '/api/members?education=21&ethnicity=03', { cookie: admin });
    expect(both.json.total).toBe(0);
  });
});

describe('a future 入党日期', () => {
  it('is refused with a Chinese message on the field, naming today', async () => {
    const today = shanghaiDate(new Date());
    const tomorrow = new Date(Date.parse(`${today}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const res = await t.req('POST', '/api/members', {
      cookie: admin,
      body: {
        name: '未来',
        idNumber: newId('19900101'),
        orgId: t.fx.villageA1,
        standing: 'probationary',
        joinDate: tomorrow,
      },
    });
    expect(res.status).toBe(400);
    expect(res.json.code).toBe('VALIDATION');
    expect(JSON.stringify(res.json)).toContain(`入党日期：不能晚于今天（${today}）`);
  });
});

describe('meeting kinds an organization may record', () => {
  it('offers a branch no 党小组会 and a Party group only 党小组会; the server refuses the rest', async () => {
    const branch = await t.req('GET', `/api/meetings/kinds?orgId=${t.fx.villageA2}`, { cookie: admin });
    expect(branch.status).toBe(200);
    expect(branch.json.kinds).toContain('branchMeeting');
    expect(branch.json.kinds).not.toContain('groupMeeting');
    const group = await t.req('GET', `/api/meetings/kinds?orgId=${t.fx.groupA1}`, { cookie: admin });
    expect(group.json.kinds).toEqual(['groupMeeting']);
    // The county's photo limit (files.maxImageMB, 20 MB by default), checked by the form when a photo is picked.
    expect(group.json.maxPhotoBytes).toBe(20 * 1024 * 1024);
    const refused = await t.req('POST', '/api/meetings', {
      cookie: admin,
      body: { orgId: t.fx.villageA2, kind: 'groupMeeting', startsAt: '2026-11-02T09:00:00+08:00' },
    });
    expect(refused.json.code).toBe('MEETING_KIND_NOT_FOR_ORG');
  });

  it('answers NOT_FOUND for an organization outside the scope', async () => {
    const sec = await t.login('seca1');
    const res = await t.req('GET', `/api/meetings/kinds?orgId=${t.fx.villageB1}`, { cookie: sec });
    expect(res.status).toBe(404);
    expect(res.json.code).toBe('NOT_FOUND');
  });
});
