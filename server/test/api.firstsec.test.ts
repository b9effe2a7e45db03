/**
 * First secretaries (issue 20): the roster with its sealed ID number and the person's own account;
 * check-ins measured against the office, marked (far, no photo, sent late) but never refused, a resend
 * answering the first; the days in the village of a month counted once a day, holidays and approved leave
 * taken out, judged by FS-2; a village marked weak without a first secretary (FS-1); unannounced checks
 * answered or missed; and a first secretary's account reading only its own records.
 */
import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drawSpotChecks } from '../modules/firstsec/spot.ts';
import { runCounty } from '../modules/problems/engine.ts';
import { addDays, shanghaiDate } from '../platform/calendar.ts';
import { makeIdNumber } from '../platform/idcard.ts';
import { setSetting } from '../platform/settings.ts';
import { COUNTY, ORIGIN, setup, type TestCtx } from './harness.ts';

let t: TestCtx;
const cookies: Record<string, string> = {};
const post = (user: string, url: string, body: unknown = {}) => t.req('POST', url, { cookie: cookies[user], body });
const get = (user: string, url: string) => t.req('GET', url, { cookie: cookies[user] });

function expectError(res: { status: number; json: any; body: string }, status: number, code: string) {
  expect(res.status, res.body).toBe(status);
  expect(res.json?.code, res.body).toBe(code);
  expect(res.json?.message, res.body).toMatch(/[\u4e00-\u9fa5]/);
}

/** The office of village A1 and a point about 300 m from it; one about 5 km away. */
const OFFICE = { lat: 34.8, lng: 114.8 };
const NEAR = { lat: 34.8027, lng: 114.8 };
const FAR = { lat: 34.845, lng: 114.8 };

function form(fields: Record<string, string | number>, photo?: Buffer): { body: Buffer; type: string } {
  const b = `----fs${crypto.randomBytes(6).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields))
    parts.push(Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (photo)
    parts.push(
      Buffer.from(
        `--${b}\r\nContent-Disposition: form-data; name="photo"; filename="现场.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
      ),
      photo,
      Buffer.from('\r\n'),
    );
  parts.push(Buffer.from(`--${b}--\r\n`));
  return { body: Buffer.concat(parts), type: `multipart/form-data; boundary=${b}` };
}

async function checkin(user: string, fields: Record<string, string | number>, photo?: Buffer) {
  const f = form(fields, photo);
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/checkins',
    headers: { cookie: cookies[user], origin: ORIGIN, host: 'localhost:80', 'content-type': f.type },
    payload: f.body,
  });
  return { status: res.statusCode, json: res.json(), body: res.body };
}

let jpeg: Buffer;
let fsId = '';
const ID = makeIdNumber('410225', '19850612', 131);

beforeAll(async () => {
  t = await setup();
  for (const u of ['admin', 'orga', 'orgb', 'leader']) cookies[u] = await t.login(u);
  jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#3a7' } })
    .jpeg()
    .toBuffer();
});
afterAll(async () => t?.close());

const today = () => shanghaiDate(t.deps.now());

describe('the roster and the person’s own account', () => {
  const body = () => ({
    name: '李明',
    idNumber: ID,
    role: 'firstSecretary',
    dispatchUnit: '县财政局',
    liaison: '王科长 0371-2345678',
    orgId: t.fx.villageA1,
    startDate: '2026-08-01',
    endDate: '2028-07-31',
    areas: ['organization', 'industry'],
  });

  it('registers a first secretary in the township’s scope; bad input changes nothing', async () => {
    expectError(
      await post('orga', '/api/first-secretaries', { ...body(), idNumber: undefined }),
      422,
      'FS_ID_REQUIRED',
    );
    const bad = await post('orga', '/api/first-secretaries', { ...body(), idNumber: '410225198506121234' });
    expectError(bad, 400, 'VALIDATION');
    expect(bad.json.message).toContain('校验位');
    expectError(await post('orga', '/api/first-secretaries', { ...body(), endDate: '2026-08-01' }), 422, 'FS_DATES');
    expectError(await post('orgb', '/api/first-secretaries', body()), 404, 'NOT_FOUND');
    expectError(await post('leader', '/api/first-secretaries', body()), 403, 'FORBIDDEN');
    const res = await post('orga', '/api/first-secretaries', body());
    expect(res.status, res.body).toBe(201);
    fsId = res.json.id;
    expect(res.json).toMatchObject({
      name: '李明',
      role: 'firstSecretary',
      orgName: '中共甲一村支部委员会',
      townshipName: '中共甲镇委员会',
      status: 'serving',
      username: null,
    });
    expect(res.json.idNumberMasked).toMatch(/^4\*+\d$/);
    expectError(await post('orga', '/api/first-secretaries', body()), 409, 'FS_ALREADY_SERVING');
    // The raw database holds no ID number in clear.
    const raw = await t.database.db.execute(sql`select * from first_secretaries where county_code = ${COUNTY}`);
    expect(JSON.stringify(raw.rows)).not.toContain(ID);
    expect((await get('orgb', `/api/first-secretaries/${fsId}`)).status).toBe(404);
    expect((await get('orga', '/api/first-secretaries')).json.items.map((x: any) => x.id)).toEqual([fsId]);
  });

  it('opens the person’s own account once, shown once', async () => {
    const made = await post('orga', `/api/first-secretaries/${fsId}/account`);
    expect(made.status, made.body).toBe(201);
    expect(made.json.username).toBe('liming');
    expect(made.json.oneTimePassword.length).toBeGreaterThanOrEqual(12);
    expectError(await post('orga', `/api/first-secretaries/${fsId}/account`), 409, 'FS_ACCOUNT_EXISTS');
    const u = await t.database.db.execute<{ roles: string[]; org_id: string; must_change_password: boolean }>(
      sql`select roles, org_id, must_change_password from users where county_code = ${COUNTY} and username = 'liming'`,
    );
    expect(u.rows[0]).toEqual({ roles: ['firstSecretary'], org_id: t.fx.villageA1, must_change_password: true });
    // The test signs in with the harness's password instead of changing the one-time one; the account
    // reads as opened on 20 August, so that September and October are judged (FS-2 from the month after).
    await t.database.db.execute(sql`update users set must_change_password = false, created_at = '2026-08-20T10:00:00+08:00',
      password_hash = (select password_hash from users where county_code = ${COUNTY} and username = 'admin')
      where county_code = ${COUNTY} and username = 'liming'`);
    cookies.fs = await t.login('liming');
  });
});

describe('check-ins from the phone', () => {
  it('marks what it finds and refuses nothing but the impossible', async () => {
    // Without the office's position the distance is unknown, and says so.
    const blind = await checkin('fs', { lat: NEAR.lat, lng: NEAR.lng, accuracy: 20 }, jpeg);
    expect(blind.status, blind.body).toBe(201);
    expect(blind.json).toMatchObject({ distanceM: null, flags: ['noOfficeLocation'], hasPhoto: true, day: today() });
    const loc = await t.req('PATCH', `/api/orgs/${t.fx.villageA1}`, {
      cookie: cookies.orga,
      body: { location: OFFICE },
    });
    expect(loc.status, loc.body).toBe(200);
    expect(loc.json.location).toEqual(OFFICE);
    expectError(
      await t.req('PATCH', `/api/orgs/${t.fx.villageA1}`, {
        cookie: cookies.orga,
        body: { location: { lat: 91, lng: 0 } },
      }),
      400,
      'VALIDATION',
    );

    const near = await checkin(
      'fs',
      { lat: NEAR.lat, lng: NEAR.lng, accuracy: 15, clientId: crypto.randomUUID() },
      jpeg,
    );
    expect(near.json.flags).toEqual([]);
    expect(near.json.distanceM).toBeGreaterThan(250);
    expect(near.json.distanceM).toBeLessThan(350);
    const far = await checkin('fs', { lat: FAR.lat, lng: FAR.lng, accuracy: 15 }, jpeg);
    expect(far.json.flags).toEqual(['far']);
    expect(far.json.distanceM).toBeGreaterThan(4500);
    const noPhoto = await checkin('fs', { lat: NEAR.lat, lng: NEAR.lng, accuracy: 900 });
    expect(noPhoto.status, noPhoto.body).toBe(201);
    expect(noPhoto.json.flags).toEqual(['lowAccuracy', 'noPhoto']);
    const noPlace = await checkin('fs', {}, jpeg);
    expect(noPlace.json.flags).toEqual(['noLocation']);

    // Made offline three hours ago: counts for the day it was made, marked as sent late.
    const clientId = crypto.randomUUID();
    const madeAt = new Date(t.deps.now().getTime() - 3 * 3600_000).toISOString();
    const late = await checkin('fs', { lat: NEAR.lat, lng: NEAR.lng, accuracy: 10, madeAt, clientId }, jpeg);
    expect(late.status, late.body).toBe(201);
    expect(late.json.flags).toEqual(['late']);
    expect(late.json.day).toBe(shanghaiDate(madeAt));
    // The phone sends it again: the first answers, no second row.
    const again = await checkin('fs', { lat: NEAR.lat, lng: NEAR.lng, accuracy: 10, madeAt, clientId }, jpeg);
    expect(again.status, again.body).toBe(200);
    expect(again.json.id).toBe(late.json.id);

    expectError(
      await checkin('fs', {
        lat: NEAR.lat,
        lng: NEAR.lng,
        madeAt: new Date(t.deps.now().getTime() + 3600_000).toISOString(),
      }),
      422,
      'FS_CHECKIN_FUTURE',
    );
    expectError(
      await checkin('fs', {
        lat: NEAR.lat,
        lng: NEAR.lng,
        madeAt: new Date(t.deps.now().getTime() - 9 * 86_400_000).toISOString(),
      }),
      422,
      'FS_CHECKIN_TOO_OLD',
    );
    expectError(await checkin('fs', { lat: 'north' }), 400, 'VALIDATION');
    expectError(await checkin('orga', { lat: NEAR.lat, lng: NEAR.lng }), 403, 'FORBIDDEN');

    // Where the person stood is sealed: neither the table nor the audit trail holds the coordinates.
    const raw = await t.database.db.execute(sql`select * from fs_checkins where county_code = ${COUNTY}`);
    expect(JSON.stringify(raw.rows)).not.toContain(String(NEAR.lat));
    const audit = await t.database.db.execute(
      sql`select detail from audit_log where county_code = ${COUNTY} and action = 'fs.checkin'`,
    );
    expect(audit.rows).toHaveLength(6);
    expect(JSON.stringify(audit.rows)).not.toContain(String(NEAR.lat));

    // Today counts once, however many check-ins it has. The one made three hours ago is another day
    // between midnight and 03:00 in Beijing (and last month's on the 1st): counted for its own day.
    const me = await get('fs', '/api/first-secretaries/me');
    expect(me.status, me.body).toBe(200);
    expect(me.json).toMatchObject({ checkedInToday: true, office: OFFICE, farMeters: 2000 });
    const days = new Set([today(), shanghaiDate(madeAt)].filter((d) => d.slice(0, 7) === today().slice(0, 7)));
    expect(me.json.secretary.attendance.daysIn).toBe(days.size);
  });

  it('the township sees the check-ins and their photos; the other township nothing', async () => {
    // Far, without a photo (and poorly placed), without a position, sent late; not the one made before the office was placed.
    const list = await get('orga', `/api/checkins?fsId=${fsId}&flagged=true`);
    expect(list.json.total).toBe(4);
    const withPhoto = (await get('orga', `/api/checkins?fsId=${fsId}`)).json.items.find((c: any) => c.hasPhoto);
    const photo = await t.app.inject({
      method: 'GET',
      url: `/api/checkins/${withPhoto.id}/thumbnail`,
      headers: { cookie: cookies.orga, host: 'localhost:80' },
    });
    expect(photo.statusCode).toBe(200);
    expect(photo.headers['content-type']).toBe('image/jpeg');
    expect((await get('orgb', `/api/checkins?fsId=${fsId}`)).json.items).toEqual([]);
    expectError(await get('orgb', `/api/checkins/${withPhoto.id}/photo`), 404, 'NOT_FOUND');
  });
});

describe('days in the village (FS-2)', () => {
  /** Check-ins written straight into the table for October 2026 (the phone cannot send a month back). */
  async function octoberDay(day: string, flags: string[] = []) {
    await t.database.db.execute(sql`insert into fs_checkins (county_code, fs_id, org_id, day, made_at, received_at, distance_m, flags, created_by)
      values (${COUNTY}, ${fsId}, ${t.fx.villageA1}, ${day}, ${`${day}T09:00:00+08:00`}::timestamptz, ${`${day}T09:00:00+08:00`}::timestamptz,
        ${flags.includes('far') ? 5000 : 200}, ${JSON.stringify(flags)}::jsonb, ${t.fx.users.admin})`);
  }

  it('counts working days by the State Council’s arrangement, each day once, far ones not at all', async () => {
    // October 2026: 22 weekdays, 1–2 and 5–7 off for 国庆, Saturday 10 worked: 18 working days, 12 owed (2/3).
    for (const d of ['2026-10-08', '2026-10-09', '2026-10-10', '2026-10-12', '2026-10-13', '2026-10-14', '2026-10-15'])
      await octoberDay(d);
    for (const d of ['2026-10-16', '2026-10-19', '2026-10-20', '2026-10-21']) await octoberDay(d);
    await octoberDay('2026-10-21');
    await octoberDay('2026-10-22', ['far']);
    const v = await get('orga', `/api/first-secretaries/${fsId}?month=2026-10`);
    expect(v.json.attendance).toEqual({
      month: '2026-10',
      daysIn: 11,
      workingDays: 18,
      leaveDays: 0,
      required: 12,
      // 22 (far), 23, 26–30: seven working days in a row without a day in the village.
      longestGap: 7,
      gapAlert: true,
      flagged: 1,
      judged: true,
    });
    await runCounty(t.database.db, t.deps, COUNTY, 'full', { from: '2026-08-01' });
    const p = await get('orga', `/api/problems?orgId=${t.fx.villageA1}&rule=FS-2&period=2026-10`);
    expect(p.json.items.map((x: any) => [x.message, x.subjectName])).toEqual([
      ['2026年10月第一书记李明在村 11 天，应不少于 12 天（在岗工作日 18 天）', '李明'],
    ]);
    // September: the account was opened on 20 August, no check-ins before October.
    const sep = await get('orga', `/api/problems?orgId=${t.fx.villageA1}&rule=FS-2&period=2026-09`);
    expect(sep.json.items[0].message).toContain('在村 0 天');
    // August is not judged: the account was opened in its course, so the platform cannot hold its days.
    expect(
      (await get('orga', `/api/problems?orgId=${t.fx.villageA1}&rule=FS-2&period=2026-08&status=open`)).json.items,
    ).toEqual([]);
  });

  it('approved leave takes its working days out, and the problem clears when both sides approve', async () => {
    const asked = await post('fs', '/api/first-secretaries/leaves', {
      fromDate: '2026-10-26',
      toDate: '2026-10-27',
      reason: '参加派出单位集中培训',
    });
    expect(asked.status, asked.body).toBe(201);
    expect(asked.json).toMatchObject({
      status: 'pending',
      days: 2,
      can: { cancel: true, township: false, unit: false },
    });
    expectError(
      await post('fs', '/api/first-secretaries/leaves', {
        fromDate: '2026-10-27',
        toDate: '2026-10-28',
        reason: '重叠',
      }),
      409,
      'FS_LEAVE_OVERLAP',
    );
    expectError(
      await post('orgb', `/api/first-secretaries/leaves/${asked.json.id}/township`, { approve: true }),
      404,
      'NOT_FOUND',
    );
    expectError(
      await post('orga', `/api/first-secretaries/leaves/${asked.json.id}/unit`, { approve: true }),
      403,
      'FS_LEAVE_NOT_YOURS',
    );
    expectError(
      await post('orga', `/api/first-secretaries/leaves/${asked.json.id}/township`, { approve: false }),
      400,
      'VALIDATION',
    );
    const town = await post('orga', `/api/first-secretaries/leaves/${asked.json.id}/township`, { approve: true });
    expect(town.json).toMatchObject({ status: 'pending', township: { approve: true } });
    // The dispatching unit is not on the platform: the county decides for it.
    const unit = await post('admin', `/api/first-secretaries/leaves/${asked.json.id}/unit`, {
      approve: true,
      comment: '同意',
    });
    expect(unit.json).toMatchObject({ status: 'approved', unit: { approve: true, comment: '同意' } });
    expect((await get('orga', `/api/first-secretaries/${fsId}?month=2026-10`)).json.attendance).toMatchObject({
      workingDays: 18,
      leaveDays: 2,
      required: 11,
      daysIn: 11,
    });
    // Re-checked in the approval's transaction: the month is now met.
    const p = await get('orga', `/api/problems?orgId=${t.fx.villageA1}&rule=FS-2&period=2026-10&status=cleared`);
    expect(p.json.items).toHaveLength(1);
    expectError(
      await post('orga', `/api/first-secretaries/leaves/${asked.json.id}/township`, { approve: true }),
      409,
      'FS_LEAVE_DECIDED',
    );
  });
});

describe('villages marked for a first secretary (FS-1)', () => {
  it('a weak village without a serving first secretary is a problem until one is posted', async () => {
    expectError(
      await t.req('PUT', `/api/first-secretaries/designations/${t.fx.townA}`, {
        cookie: cookies.admin,
        body: { designations: [{ kind: 'weak', fromDate: '2026-01-01' }] },
      }),
      422,
      'FS_NOT_VILLAGE',
    );
    const put = await t.req('PUT', `/api/first-secretaries/designations/${t.fx.villageA2}`, {
      cookie: cookies.admin,
      body: { designations: [{ kind: 'weak', fromDate: '2026-01-01' }] },
    });
    expect(put.status, put.body).toBe(200);
    const open = async () =>
      (await get('admin', `/api/problems?orgId=${t.fx.villageA2}&rule=FS-1`)).json.items.map((x: any) => x.message);
    expect(await open()).toEqual(['标注为软弱涣散村（2026-01-01 起），没有在岗的第一书记']);
    const person = (name: string, role: string, id: string) =>
      post('orga', '/api/first-secretaries', {
        name,
        idNumber: id,
        role,
        dispatchUnit: '县农业农村局',
        orgId: t.fx.villageA2,
        startDate: addDays(today(), -30),
        endDate: addDays(today(), 700),
      });
    expect((await person('赵队员', 'workTeam', makeIdNumber('410225', '19900101', 151))).status).toBe(201);
    expect(await open()).toEqual(['标注为软弱涣散村（2026-01-01 起），没有在岗的第一书记（仅有驻村工作队员）']);
    expect((await person('孙书记', 'firstSecretary', makeIdNumber('410225', '19880808', 171))).status).toBe(201);
    expect(await open()).toEqual([]);
  });
});

describe('unannounced checks', () => {
  it('an inspector asks; an answer in time closes it, none in time is absence', async () => {
    const asked = await post('orga', `/api/first-secretaries/${fsId}/spot-checks`);
    expect(asked.status, asked.body).toBe(201);
    const check = asked.json[0];
    expect(check.state).toBe('open');
    const mine = await get('fs', '/api/first-secretaries/me/spot-checks');
    expect(mine.json.map((c: any) => c.id)).toEqual([check.id]);
    const answer = await checkin('fs', { lat: NEAR.lat, lng: NEAR.lng, accuracy: 10, checkId: check.id }, jpeg);
    expect(answer.status, answer.body).toBe(201);
    expect(answer.json.checkId).toBe(check.id);
    expectError(await checkin('fs', { lat: NEAR.lat, lng: NEAR.lng, checkId: check.id }, jpeg), 409, 'FS_CHECK_CLOSED');
    expect((await get('orga', `/api/first-secretaries/${fsId}/spot-checks`)).json[0].state).toBe('answered');

    const before = (await get('orga', `/api/first-secretaries/${fsId}`)).json.attendance.daysIn;
    await setSetting(t.database.db, COUNTY, 'firstsec.spotCheckMinutes', 1);
    const second = (await post('orga', `/api/first-secretaries/${fsId}/spot-checks`)).json[0];
    t.advance(2 * 60_000);
    try {
      const after = await get('orga', `/api/first-secretaries/${fsId}/spot-checks`);
      expect(after.json.find((c: any) => c.id === second.id).state).toBe('missed');
      // The day of the missed check (today, with check-ins) no longer counts as a day in the village.
      const month = (await get('orga', `/api/first-secretaries/${fsId}?month=${today().slice(0, 7)}`)).json.attendance;
      if (shanghaiDate(second.dueAt) === today().slice(0, 10)) expect(month.daysIn).toBe(before - 1);
    } finally {
      t.advance(-2 * 60_000);
    }
  });

  it('the platform’s draw is kept with its seed and made once a day', async () => {
    await setSetting(t.database.db, COUNTY, 'firstsec.randomChecksPerMonth', 21);
    const day = '2026-12-07';
    const first = await t.database.db.transaction((tx) => drawSpotChecks(tx, COUNTY, day));
    // Only people with an account are asked: 李明.
    expect(first).toBe(1);
    expect(await t.database.db.transaction((tx) => drawSpotChecks(tx, COUNTY, day))).toBe(0);
    const r = await t.database.db.execute<{ seed: string; asked: string }>(
      sql`select seed, to_char(asked_at at time zone 'Asia/Shanghai', 'HH24:MI') as asked from fs_spot_checks where county_code = ${COUNTY} and seed is not null`,
    );
    expect(r.rows).toHaveLength(1);
    expect(r.rows[0].seed).toBe(`${COUNTY}:${day}`);
    expect(r.rows[0].asked >= '09:00' && r.rows[0].asked < '17:00').toBe(true);
    // A Sunday is not drawn.
    expect(await t.database.db.transaction((tx) => drawSpotChecks(tx, COUNTY, '2026-12-13'))).toBe(0);
  });
});

describe('a first secretary’s own account', () => {
  it('reads its own records only, and the roster not at all', async () => {
    expectError(await get('fs', '/api/first-secretaries'), 403, 'FORBIDDEN');
    const other = await t.database.db.execute<{ id: string }>(
      sql`select id from first_secretaries where county_code = ${COUNTY} and name = '孙书记'`,
    );
    expectError(await get('fs', `/api/first-secretaries/${other.rows[0].id}`), 404, 'NOT_FOUND');
    expect((await get('fs', `/api/first-secretaries/${fsId}`)).status).toBe(200);
    expect((await get('fs', '/api/checkins')).json.items.every((c: any) => c.fsId === fsId)).toBe(true);
  });

  it('ending the posting disables the account (SEC-11)', async () => {
    const v = (await get('orga', `/api/first-secretaries/${fsId}`)).json;
    const ended = await t.req('PATCH', `/api/first-secretaries/${fsId}`, {
      cookie: cookies.orga,
      body: { version: v.version, status: 'recalled', endReason: '派出单位另有任用' },
    });
    expect(ended.status, ended.body).toBe(200);
    expect(ended.json).toMatchObject({ status: 'recalled', endedOn: today(), endReason: '派出单位另有任用' });
    const u = await t.database.db.execute<{ disabled: boolean }>(
      sql`select disabled from users where county_code = ${COUNTY} and username = 'liming'`,
    );
    expect(u.rows[0].disabled).toBe(true);
  });
});
