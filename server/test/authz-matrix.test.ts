/**
 * Authorization matrix (SEC-7, SEC-8): every route × role × tree position, in both security profiles.
 * Expected answers are derived from two facts only — does the role hold the route's permission in
 * this profile (`permissionsFor`), and does the target lie in the user's subtree — so a route that
 * forgets its scope check fails here. Refusals are checked by their code: FORBIDDEN (no permission),
 * NOT_FOUND (outside the subtree), TOTP_SETUP_REQUIRED (level3 administrator without a second factor).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCounty } from '../modules/problems/engine.ts';
import { permissionsFor, TOTP_REQUIRED_ROLES } from '../platform/permissions.ts';
import sharp from 'sharp';
import { countyOffenders } from './county-check.ts';
import { COUNTY, multipart, newId, ORIGIN, setup, type TestCtx } from './harness.ts';

/** A small picture for the evidence routes. */
const evidencePng = () =>
  sharp({ create: { width: 32, height: 24, channels: 3, background: '#c03020' } })
    .png()
    .toBuffer();

const USERS = {
  admin: 'county',
  orga: 'townA',
  seca1: 'villageA1',
  leader: 'county',
  secadmin: 'county',
  auditor: 'county',
} as const;
const ROLES: Record<keyof typeof USERS, string> = {
  admin: 'countyAdmin',
  orga: 'orgAdmin',
  seca1: 'branchSecretary',
  leader: 'leader',
  secadmin: 'securityAdmin',
  auditor: 'auditor',
};
type Pos = 'own' | 'child' | 'sibling' | 'parent' | 'otherTownship';
const POSITIONS: Record<keyof typeof USERS, Partial<Record<Pos, keyof TestCtx['fx']>>> = {
  admin: { own: 'county', child: 'townA', otherTownship: 'villageB1' },
  leader: { own: 'county', child: 'townA', otherTownship: 'villageB1' },
  secadmin: { own: 'county', child: 'townA' },
  auditor: { own: 'county', child: 'townA' },
  orga: { own: 'townA', child: 'villageA1', sibling: 'townB', parent: 'county', otherTownship: 'villageB1' },
  seca1: { own: 'villageA1', child: 'groupA1', sibling: 'villageA2', parent: 'townA', otherTownship: 'villageB1' },
};
const BRANCHES = new Set(['villageA1', 'villageA2', 'villageB1', 'organBranch']);
const CODE_OF: Record<number, string> = { 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN', 404: 'NOT_FOUND' };

describe.each(['default', 'level3'] as const)('%s profile', (profile) => {
  let t: TestCtx;
  const cookies: Record<string, string> = {};
  const paths: Record<string, string> = {};
  /** The matrix task's share of each organization below the county (beforeAll). */
  const shares: Record<string, string> = {};
  let taskId = '';
  let taskEvidence = '';
  let problemEvidence = '';
  let planId = '';
  /** A first secretary of village A1 with his own account (fs1), a check-in with its photo, and a pending leave. */
  const fs = { id: '', checkin: '', leave: '', report: '' };
  /** A county training that called fs1's person, held on 5 January (attendance may be recorded). */
  let fsTraining = '';
  let noticeA = '';
  let noticeC = '';
  let directive = '';
  /** The showroom's entries (published and draft) of village A1 and village B1, a picture of each published one, an inquiry on A1's. */
  const showroom = { pubA: '', pubB: '', draftA: '', draftB: '', picA: '', picB: '', inquiry: '' };

  beforeAll(async () => {
    // level3: every administrator has enrolled a second factor and logs in with a fresh code.
    // A second county in the same database: every statement must name its county (county-check.ts).
    t = await setup({ profile, totp: true, otherCounty: true });
    for (const u of Object.keys(USERS)) cookies[u] = await t.login(u);
    const res = await t.database.db.execute<{ id: string; path: string }>(
      sql`select id, path from orgs where county_code = ${COUNTY}`,
    );
    for (const r of res.rows) paths[r.id] = r.path;
    // Problems in every organization, for the problem routes.
    await runCounty(t.database.db, t.deps, COUNTY, 'full');
    // A county task held by every organization below the county, for the task routes; and a photo on
    // village A1's share of a second one, for the evidence routes.
    const task = await t.req('POST', '/api/tasks', {
      cookie: cookies.admin,
      body: {
        title: '矩阵任务',
        deadline: '2099-12-31',
        targets: {
          underOrgId: t.fx.county,
          orgKinds: ['committee', 'workingCommittee', 'branch', 'partyGroup'],
        },
      },
    });
    expect(task.status, task.body).toBe(201);
    taskId = task.json.id;
    for (const x of task.json.assignments) shares[x.orgId] = x.id;
    const second = await t.req('POST', '/api/tasks', {
      cookie: cookies.admin,
      body: { title: '矩阵佐证', deadline: '2099-12-31', targets: { underOrgId: t.fx.townA, orgKinds: ['branch'] } },
    });
    const share = second.json.assignments.find((x: { orgId: string }) => x.orgId === t.fx.villageA1).id;
    expect((await t.req('POST', `/api/tasks/assignments/${share}/sign`, { cookie: cookies.seca1 })).status).toBe(200);
    const mp = multipart(await evidencePng(), 'matrix.png');
    const up = await t.app.inject({
      method: 'POST',
      url: `/api/tasks/assignments/${share}/evidence`,
      headers: { cookie: cookies.seca1, origin: ORIGIN, host: 'localhost:80', 'content-type': mp.type },
      payload: mp.body,
    });
    expect(up.statusCode, up.body).toBe(201);
    taskEvidence = up.json().id;
    // A photo on the rectification of one of village A1's problems (planned by the village), and an
    // inspection plan of the county over it, for the rectification's evidence and the plan routes.
    const vp = await t.database.db.execute<{ id: string }>(sql`select id from problems
      where county_code = ${COUNTY} and org_id = ${t.fx.villageA1} and status = 'open' limit 1`);
    const planned = await t.req('POST', `/api/problems/${vp.rows[0].id}/rectification`, {
      cookie: cookies.seca1,
      body: { measures: '矩阵整改', deadline: '2099-12-31' },
    });
    expect(planned.status, planned.body).toBe(200);
    const pmp = multipart(await evidencePng(), 'matrix.png');
    const pup = await t.app.inject({
      method: 'POST',
      url: `/api/problems/${vp.rows[0].id}/evidence`,
      headers: { cookie: cookies.seca1, origin: ORIGIN, host: 'localhost:80', 'content-type': pmp.type },
      payload: pmp.body,
    });
    expect(pup.statusCode, pup.body).toBe(201);
    problemEvidence = pup.json().id;
    const plan = await t.req('POST', '/api/inspections/plans', {
      cookie: cookies.admin,
      body: {
        title: '矩阵计划',
        kind: 'routine',
        orgIds: [t.fx.villageA1],
        startsOn: '2099-01-01',
        endsOn: '2099-01-31',
        inspectors: '矩阵',
      },
    });
    expect(plan.status, plan.body).toBe(201);
    planId = plan.json.id;
    // A draft notice under township A and a published one under the county, for the notice routes.
    const draft = await t.req('POST', '/api/notices', {
      cookie: cookies.admin,
      body: { title: '矩阵通报', underOrgId: t.fx.townA, period: '2026-12' },
    });
    expect(draft.status, draft.body).toBe(201);
    noticeA = draft.json.id;
    const county = await t.req('POST', '/api/notices', {
      cookie: cookies.admin,
      body: { title: '矩阵全县通报', underOrgId: t.fx.county, period: '2026-12' },
    });
    noticeC = county.json.id;
    // A document sent to every organization below the county, for the directive routes.
    const b = 'matrixboundary';
    const doc = await t.app.inject({
      method: 'POST',
      url: '/api/directives',
      headers: {
        cookie: cookies.admin,
        origin: ORIGIN,
        host: 'localhost:80',
        'content-type': `multipart/form-data; boundary=${b}`,
      },
      payload: Buffer.concat([
        Buffer.from(
          `--${b}\r\nContent-Disposition: form-data; name="data"\r\n\r\n${JSON.stringify({
            title: '矩阵文件',
            signDeadline: '2099-12-30',
            reportDeadline: '2099-12-31',
            targets: { underOrgId: t.fx.county, orgKinds: ['committee', 'workingCommittee', 'branch', 'partyGroup'] },
          })}\r\n--${b}\r\nContent-Disposition: form-data; name="file"; filename="m.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n%%EOF\n\r\n--${b}--\r\n`,
        ),
      ]),
    });
    expect(doc.statusCode, doc.body).toBe(201);
    directive = doc.json().id;
    expect((await t.req('POST', `/api/notices/${noticeC}/publish`, { cookie: cookies.admin })).status).toBe(200);
    // First secretaries (issue 20): one posted to village A1, signed in as fs1 (role firstSecretary).
    const posted = await t.req('POST', '/api/first-secretaries', {
      cookie: cookies.admin,
      body: {
        name: '矩阵书记',
        idNumber: newId('19860101', true),
        role: 'firstSecretary',
        dispatchUnit: '县财政局',
        orgId: t.fx.villageA1,
        startDate: '2026-01-01',
        endDate: '2027-12-31',
      },
    });
    expect(posted.status, posted.body).toBe(201);
    fs.id = posted.json.id;
    const fsUser = await t.addUser('fs1', ['firstSecretary'], t.fx.villageA1);
    await t.database.db.execute(
      sql`update first_secretaries set user_id = ${fsUser} where county_code = ${COUNTY} and id = ${fs.id}`,
    );
    cookies.fs1 = await t.login('fs1');
    const ck = multipart(await evidencePng(), 'matrix.png');
    const ckBody = Buffer.concat([
      Buffer.from(ck.body.toString('latin1').replace('name="file"', 'name="photo"'), 'latin1'),
    ]);
    const ckUp = await t.app.inject({
      method: 'POST',
      url: '/api/checkins',
      headers: { cookie: cookies.fs1, origin: ORIGIN, host: 'localhost:80', 'content-type': ck.type },
      payload: ckBody,
    });
    expect(ckUp.statusCode, ckUp.body).toBe(201);
    fs.checkin = ckUp.json().id;
    const lv = await t.req('POST', '/api/first-secretaries/leaves', {
      cookie: cookies.fs1,
      body: { fromDate: '2099-01-01', toDate: '2099-01-02', reason: '矩阵请假' },
    });
    expect(lv.status, lv.body).toBe(201);
    fs.leave = lv.json.id;
    const tr = await t.req('POST', '/api/first-secretaries/trainings', {
      cookie: cookies.admin,
      body: { kind: 'training', title: '矩阵培训', heldOn: '2026-01-05', fsIds: [fs.id] },
    });
    expect(tr.status, tr.body).toBe(201);
    fsTraining = tr.json.id;
    const rp = await t.req('POST', '/api/first-secretaries/reports', {
      cookie: cookies.fs1,
      body: {
        kind: 'monthly',
        period: '2026-01',
        body: '矩阵工作日志：走访农户，召开支委会。',
        areas: ['organization'],
      },
    });
    expect(rp.status, rp.body).toBe(201);
    fs.report = rp.json.id;
    // The showroom (issue 20): in village A1 (made by its secretary) and in village B1 (by township B's
    // administrator), one entry published with a picture and one draft; a visitor's inquiry on A1's.
    const orgb = await t.login('orgb');
    const entry = { kind: 'farm', name: '矩阵产品', contactKind: 'village', officePhone: '0371-22001234' };
    for (const [cookie, orgId, pub, draft, pic] of [
      [cookies.seca1, t.fx.villageA1, 'pubA', 'draftA', 'picA'],
      [orgb, t.fx.villageB1, 'pubB', 'draftB', 'picB'],
    ] as const) {
      for (const key of [pub, draft]) {
        const made = await t.req('POST', '/api/showroom/entries', { cookie, body: { ...entry, orgId } });
        expect(made.status, made.body).toBe(201);
        showroom[key] = made.json.id;
      }
      const smp = multipart(await evidencePng(), 'matrix.png');
      const sup = await t.app.inject({
        method: 'POST',
        url: `/api/showroom/entries/${showroom[pub]}/pictures`,
        headers: { cookie, origin: ORIGIN, host: 'localhost:80', 'content-type': smp.type },
        payload: smp.body,
      });
      expect(sup.statusCode, sup.body).toBe(201);
      showroom[pic] = sup.json().id;
      expect((await t.req('POST', `/api/showroom/entries/${showroom[pub]}/submit`, { cookie })).status).toBe(200);
      const pb = await t.req('POST', `/api/showroom/entries/${showroom[pub]}/publish`, { cookie: cookies.admin });
      expect(pb.status, pb.body).toBe(200);
    }
    const asked = await t.req('POST', '/api/showroom/inquiries', {
      body: { productId: showroom.pubA, name: '矩阵访客', contact: '13700000000', message: '矩阵咨询' },
    });
    expect(asked.status, asked.body).toBe(201);
    showroom.inquiry = asked.json.id;
  });
  afterAll(async () => t?.close());

  function has(user: keyof typeof USERS, perm: string) {
    return permissionsFor([ROLES[user]], profile).has(perm as never);
  }
  function inScope(user: keyof typeof USERS, orgId: string) {
    return paths[orgId].startsWith(paths[t.fx[USERS[user]] as string]);
  }
  /** Status and, for a refusal, its code. */
  function expectAnswer(
    res: { status: number; json: { code?: string } | null; body: string },
    want: number,
    what: string,
  ) {
    expect(res.status, `${what}: ${res.body}`).toBe(want);
    if (CODE_OF[want]) expect(res.json?.code, `${what}: ${res.body}`).toBe(CODE_OF[want]);
  }
  /** A member placed directly in the organization, or else the first one below it. */
  async function memberIn(orgId: string): Promise<{ id: string; orgId: string } | null> {
    const r = await t.database.db.execute<{ id: string; org_id: string }>(
      sql`select m.id, m.org_id from members m join orgs o on o.county_code = m.county_code and o.id = m.org_id where m.county_code = ${COUNTY} and o.path like ${`${paths[orgId]}%`} order by (m.org_id = ${orgId}) desc, m.name limit 1`,
    );
    return r.rows[0] ? { id: r.rows[0].id, orgId: r.rows[0].org_id } : null;
  }

  const covered = new Set<string>();
  const cases: [keyof typeof USERS, Pos, keyof TestCtx['fx']][] = [];
  for (const [u, pos] of Object.entries(POSITIONS))
    for (const [p, key] of Object.entries(pos)) cases.push([u as keyof typeof USERS, p as Pos, key]);

  describe('routes that target an organization or a member', () => {
    it.each(cases)('%s → %s (%s)', async (user, _pos, key) => {
      const org = t.fx[key] as string;
      const cookie = cookies[user];
      const scoped = inScope(user, org);
      const check = async (
        route: string,
        perm: string,
        ok: number | number[],
        method: string,
        url: string,
        body?: unknown,
        scopeOf = org,
      ) => {
        covered.add(route);
        const res = await t.req(method, url, { cookie, body });
        const want = !has(user, perm) ? 403 : inScope(user, scopeOf) ? ok : 404;
        if (Array.isArray(want)) expect(want, `${route} as ${user} on ${key}: ${res.body}`).toContain(res.status);
        else expectAnswer(res, want, `${route} as ${user} on ${key}`);
        return res;
      };
      await check('GET /api/orgs/:id', 'orgs.read', 200, 'GET', `/api/orgs/${org}`);
      await check('GET /api/orgs/:id/children', 'orgs.read', 200, 'GET', `/api/orgs/${org}/children`);
      await check('GET /api/stats?orgId', 'members.read', 200, 'GET', `/api/stats?orgId=${org}`);
      // A showroom entry for this organization: only a village (a rural branch below a township) may hold one.
      const village = ['villageA1', 'villageA2', 'villageB1'].includes(key);
      const entry = await check(
        'POST /api/showroom/entries',
        'showroom.write',
        village ? 201 : 422,
        'POST',
        '/api/showroom/entries',
        {
          orgId: org,
          kind: 'craft',
          name: '矩阵产品',
          contactKind: 'village',
          officePhone: '0371-22001234',
        },
      );
      if (entry.status === 422) expect(entry.json.code).toBe('SHOWROOM_NOT_VILLAGE');
      await check('PATCH /api/orgs/:id', 'orgs.write', 200, 'PATCH', `/api/orgs/${org}`, { contactName: '矩阵' });
      await check('POST /api/orgs/:id/posts', 'orgs.write', 200, 'POST', `/api/orgs/${org}/posts`, {
        post: 'deputySecretary',
        personName: '矩阵',
      });
      await check('POST /api/orgs/:id/reveal', 'members.reveal', 200, 'POST', `/api/orgs/${org}/reveal`, {
        reason: '矩阵测试',
      });
      const childKind = BRANCHES.has(key) ? 'partyGroup' : key === 'groupA1' ? 'partyGroup' : 'branch';
      const created = await t.req('POST', '/api/orgs', {
        cookie,
        body: { parentId: org, name: '矩阵测试组织', kind: childKind },
      });
      covered.add('POST /api/orgs');
      expectAnswer(
        created,
        !has(user, 'orgs.write') ? 403 : scoped ? (key === 'groupA1' ? 400 : 201) : 404,
        `POST /api/orgs as ${user} under ${key}`,
      );
      const own = org === (t.fx[USERS[user]] as string);
      await check('POST /api/orgs/:id/dissolve', 'orgs.write', own ? 403 : 422, 'POST', `/api/orgs/${org}/dissolve`, {
        reason: '矩阵测试',
      });
      // Under itself: refused as a rule (422), or, for the user's own top organization, as forbidden (403).
      const move = await check(
        'POST /api/orgs/:id/move',
        'orgs.write',
        own ? 403 : 422,
        'POST',
        `/api/orgs/${org}/move`,
        { newParentId: org, reason: '矩阵测试' },
      );
      if (move.status === 422) expect(move.json.code).toBe('RULE_VIOLATION');
      // Into itself: refused as a rule, whoever asks (the organization is in scope, so it is not a 404).
      const merge = await check('POST /api/orgs/:id/merge', 'orgs.write', 422, 'POST', `/api/orgs/${org}/merge`, {
        intoId: org,
        reason: '矩阵测试',
      });
      if (merge.status === 422) expect(merge.json.code).toBe('RULE_VIOLATION');
      await check('GET /api/members?orgId', 'members.read', 200, 'GET', `/api/members?orgId=${org}`);
      covered.add('GET /api/members');
      // A new member placed in this organization: out of scope is a field error, never a write.
      const add = await t.req('POST', '/api/members', {
        cookie,
        body: {
          name: '矩阵',
          idNumber: newId(),
          orgId: org,
          standing: 'full',
          joinDate: '2010-07-01',
          fullDate: '2011-07-01',
        },
      });
      covered.add('POST /api/members');
      expectAnswer(
        add,
        !has(user, 'members.write') ? 403 : scoped && (BRANCHES.has(key) || key === 'groupA1') ? 201 : 400,
        `POST /api/members as ${user} in ${key}`,
      );
      const found = await memberIn(org);
      expect(found, `a member in or below ${key}`).toBeTruthy();
      const m = found as { id: string; orgId: string };
      await check('GET /api/members/:id', 'members.read', 200, 'GET', `/api/members/${m.id}`, undefined, m.orgId);
      await check(
        'PATCH /api/members/:id',
        'members.write',
        200,
        'PATCH',
        `/api/members/${m.id}`,
        { post: '矩阵' },
        m.orgId,
      );
      await check(
        'POST /api/members/:id/reveal',
        'members.reveal',
        200,
        'POST',
        `/api/members/${m.id}/reveal`,
        { reason: '矩阵测试' },
        m.orgId,
      );
      // Organizational life: a record made by the county administrator in this organization, then each route on it.
      const kind = key === 'groupA1' ? 'groupMeeting' : 'committeeMeeting';
      await check('POST /api/meetings', 'meetings.write', 201, 'POST', '/api/meetings', {
        orgId: org,
        kind,
        startsAt: '2026-04-01T09:00:00+08:00',
      });
      const made = await t.req('POST', '/api/meetings', {
        cookie: cookies.admin,
        body: { orgId: org, kind, startsAt: '2026-04-02T09:00:00+08:00' },
      });
      expectAnswer(made, 201, `POST /api/meetings as admin in ${key}`);
      const mid = made.json.id as string;
      await check('GET /api/meetings?orgId', 'meetings.read', 200, 'GET', `/api/meetings?orgId=${org}`);
      await check('GET /api/meetings/kinds', 'meetings.read', 200, 'GET', `/api/meetings/kinds?orgId=${org}`);
      covered.add('GET /api/meetings');
      await check('GET /api/meetings/:id', 'meetings.read', 200, 'GET', `/api/meetings/${mid}`);
      await check('PATCH /api/meetings/:id', 'meetings.write', 200, 'PATCH', `/api/meetings/${mid}`, {
        version: 1,
        topic: '矩阵',
      });
      // Not multipart: refused as such inside the scope, after the scope check.
      await check(
        'POST /api/meetings/:id/evidence',
        'meetings.write',
        415,
        'POST',
        `/api/meetings/${mid}/evidence`,
        {},
      );
      const mp = multipart(await evidencePng(), 'matrix.png');
      const up = await t.app.inject({
        method: 'POST',
        url: `/api/meetings/${mid}/evidence`,
        headers: { cookie: cookies.admin, origin: ORIGIN, host: 'localhost:80', 'content-type': mp.type },
        payload: mp.body,
      });
      expect(up.statusCode, up.body).toBe(201);
      const eid = up.json().id as string;
      await check('GET /api/evidence/:id', 'meetings.read', 200, 'GET', `/api/evidence/${eid}`);
      await check('GET /api/evidence/:id/thumbnail', 'meetings.read', 200, 'GET', `/api/evidence/${eid}/thumbnail`);
      await check('DELETE /api/evidence/:id', 'meetings.write', 200, 'DELETE', `/api/evidence/${eid}`);
      await check('DELETE /api/meetings/:id', 'meetings.write', 200, 'DELETE', `/api/meetings/${mid}`);
      await check('GET /api/meetings/talks', 'meetings.read', 200, 'GET', `/api/meetings/talks?orgId=${org}&year=2026`);
      await check(
        'GET /api/meetings/ledger',
        'meetings.read',
        200,
        'GET',
        `/api/meetings/ledger?orgId=${org}&year=2026&format=xlsx`,
      );
      await check('GET /api/appraisals/:orgId/:year', 'meetings.read', 200, 'GET', `/api/appraisals/${org}/2026`);
      // A member placed elsewhere in the subtree is not this organization's to grade (422).
      await check(
        'PUT /api/appraisals/:orgId/:year',
        'meetings.write',
        [200, 422],
        'PUT',
        `/api/appraisals/${org}/2026`,
        { grades: [{ memberId: m.id, grade: 'qualified' }] },
      );
      // Problems, compliance and the calendar of this organization.
      await check('GET /api/problems?orgId', 'problems.read', 200, 'GET', `/api/problems?orgId=${org}`);
      covered.add('GET /api/problems');
      await check('GET /api/problems/export?orgId', 'problems.read', 200, 'GET', `/api/problems/export?orgId=${org}`);
      covered.add('GET /api/problems/export');
      const p = await t.database.db.execute<{ id: string }>(
        sql`select id from problems where county_code = ${COUNTY} and org_id = ${org} limit 1`,
      );
      expect(
        p.rows[0],
        `a problem of ${key} (the full run in beforeAll raises some in every organization)`,
      ).toBeTruthy();
      await check('GET /api/problems/:id', 'problems.read', 200, 'GET', `/api/problems/${p.rows[0].id}`);
      // Its rectification: the plan by the organization itself, the verification by the level above.
      const pid = p.rows[0].id;
      await check(
        'GET /api/problems/:id/rectification',
        'lists.read',
        200,
        'GET',
        `/api/problems/${pid}/rectification`,
      );
      // A major problem of the user's own organization's year: any problem in scope, at most three a year.
      const major = await check(
        'POST /api/problems/:id/major',
        'lists.issue',
        [200, 422],
        'POST',
        `/api/problems/${pid}/major`,
        {
          year: 2026,
        },
      );
      void major;
      for (const [verb, perm, mine, body, refusal] of [
        [
          'rectification',
          'lists.work',
          true,
          { measures: '矩阵整改', deadline: '2099-12-31' },
          'RECTIFICATION_NOT_OWNER',
        ],
        ['verify', 'lists.review', false, { result: 'fail', comment: '矩阵验收' }, 'RECTIFICATION_NOT_ABOVE'],
        // After the plan above, the organization itself reports its progress (409 once the problem is closed or ended).
        ['progress', 'lists.work', true, { text: '矩阵进展' }, 'RECTIFICATION_NOT_OWNER'],
      ] as const) {
        const route = `POST /api/problems/:id/${verb}`;
        covered.add(route);
        const res = await t.req('POST', `/api/problems/${pid}/${verb}`, { cookie, body });
        const what = `${route} as ${user} on ${key}: ${res.body}`;
        if (!has(user, perm)) expectAnswer(res, 403, what);
        else if (!scoped) expectAnswer(res, 404, what);
        else if (own !== mine) {
          expect(res.status, what).toBe(403);
          expect(res.json?.code, what).toBe(refusal);
        } else expect([200, 409], what).toContain(res.status);
      }
      // Not multipart: refused as such once the problem is the user's organization's.
      {
        covered.add('POST /api/problems/:id/evidence');
        const res = await t.req('POST', `/api/problems/${pid}/evidence`, { cookie, body: {} });
        const what = `POST /api/problems/:id/evidence as ${user} on ${key}: ${res.body}`;
        if (!has(user, 'lists.work')) expectAnswer(res, 403, what);
        else if (!scoped) expectAnswer(res, 404, what);
        else if (!own) {
          expect(res.status, what).toBe(403);
          expect(res.json?.code, what).toBe('RECTIFICATION_NOT_OWNER');
        } else expect(res.status, what).toBe(415);
      }
      await check(
        'GET /api/problems/evidence/:id',
        'lists.read',
        200,
        'GET',
        `/api/problems/evidence/${problemEvidence}`,
        undefined,
        t.fx.villageA1,
      );
      await check(
        'GET /api/problems/evidence/:id/thumbnail',
        'lists.read',
        200,
        'GET',
        `/api/problems/evidence/${problemEvidence}/thumbnail`,
        undefined,
        t.fx.villageA1,
      );
      // A problem fed back from above, registered by a level above (the organization itself is refused).
      await check('POST /api/problems', 'lists.inspect', own ? 422 : 201, 'POST', '/api/problems', {
        orgId: org,
        source: 'feedback',
        text: '矩阵反馈',
        reportedBy: '矩阵',
        receivedOn: '2026-12-01',
      });
      // An inspection plan over this organization: any organization outside the planner's subtree (or its own) is refused alike.
      {
        covered.add('POST /api/inspections/plans');
        const res = await t.req('POST', '/api/inspections/plans', {
          cookie,
          body: {
            title: '矩阵计划',
            kind: 'spot',
            orgIds: [org],
            startsOn: '2099-02-01',
            endsOn: '2099-02-02',
            inspectors: '矩阵',
          },
        });
        const what = `POST /api/inspections/plans as ${user} on ${key}: ${res.body}`;
        if (!has(user, 'lists.inspect')) expectAnswer(res, 403, what);
        else if (!scoped || own) {
          expect(res.status, what).toBe(422);
          expect(res.json?.code, what).toBe('INSPECTION_PLAN_ORGS');
        } else expect(res.status, what).toBe(201);
      }
      await check(
        'GET /api/inspections/plans/:id',
        'lists.read',
        200,
        'GET',
        `/api/inspections/plans/${planId}`,
        undefined,
        t.fx.county,
      );
      // First secretaries posted in this organization's subtree, their check-ins, a posting to it and its designations.
      await check(
        'GET /api/first-secretaries?orgId',
        'firstsec.roster',
        200,
        'GET',
        `/api/first-secretaries?orgId=${org}`,
      );
      covered.add('GET /api/first-secretaries');
      await check('GET /api/checkins?orgId', 'firstsec.read', 200, 'GET', `/api/checkins?orgId=${org}`);
      covered.add('GET /api/checkins');
      // A party group is no place to post anyone (400 with the field named).
      await check(
        'POST /api/first-secretaries',
        'firstsec.manage',
        key === 'groupA1' ? 400 : 201,
        'POST',
        '/api/first-secretaries',
        {
          name: '矩阵队员',
          idNumber: newId('19910101', true),
          role: 'workTeam',
          dispatchUnit: '矩阵单位',
          orgId: org,
          startDate: '2026-01-01',
          endDate: '2027-12-31',
        },
      );
      await check(
        'GET /api/first-secretaries/designations/:id',
        'firstsec.roster',
        200,
        'GET',
        `/api/first-secretaries/designations/${org}`,
      );
      // Only a village (below a township) is marked; a party group is not one (FS_NOT_VILLAGE).
      await check(
        'PUT /api/first-secretaries/designations/:id',
        'firstsec.manage',
        paths[org].split('/').filter(Boolean).length >= 3 && key !== 'groupA1' ? 200 : 422,
        'PUT',
        `/api/first-secretaries/designations/${org}`,
        { designations: [{ kind: 'weak', fromDate: '2026-01-01' }] },
      );
      // The marked villages under this organization (the workbook, one export each, with the routes without a target).
      await check(
        'GET /api/first-secretaries/designations?orgId',
        'firstsec.roster',
        200,
        'GET',
        `/api/first-secretaries/designations?orgId=${org}`,
      );
      covered.add('GET /api/first-secretaries/designations');
      await check('GET /api/compliance?orgId', 'problems.read', 200, 'GET', `/api/compliance?orgId=${org}&year=2026`);
      covered.add('GET /api/compliance');
      await check(
        'GET /api/compliance/missing',
        'problems.read',
        200,
        'GET',
        `/api/compliance/missing?orgId=${org}&kind=committeeMeeting&period=2026-10`,
      );
      await check(
        'GET /api/compliance/calendar/:orgId',
        'problems.read',
        200,
        'GET',
        `/api/compliance/calendar/${org}?year=2026`,
      );
      // Tasks: the views of this organization, a task and a spot check under it.
      await check('GET /api/tasks/dashboard?orgId', 'lists.read', 200, 'GET', `/api/tasks/dashboard?orgId=${org}`);
      covered.add('GET /api/tasks/dashboard');
      await check(
        'GET /api/tasks/dashboard/export?orgId',
        'lists.read',
        200,
        'GET',
        `/api/tasks/dashboard/export?orgId=${org}`,
      );
      covered.add('GET /api/tasks/dashboard/export');
      await check('GET /api/tasks/ledger?orgId', 'lists.read', 200, 'GET', `/api/tasks/ledger?orgId=${org}`);
      covered.add('GET /api/tasks/ledger');
      // Below a branch without party groups there is no one to send it to (TASK_NO_TARGETS), nor to draw (DRAW_EMPTY).
      await check('POST /api/tasks', 'lists.issue', [201, 422], 'POST', '/api/tasks', {
        title: '矩阵下发',
        deadline: '2099-12-31',
        targets: { underOrgId: org, orgKinds: ['committee', 'workingCommittee', 'branch', 'partyGroup'] },
      });
      await check('POST /api/inspections/draw', 'lists.inspect', [201, 422], 'POST', '/api/inspections/draw', {
        underOrgId: org,
        strata: 'township',
        size: 1,
      });
      await check(
        'GET /api/tasks/evidence/:id',
        'lists.read',
        200,
        'GET',
        `/api/tasks/evidence/${taskEvidence}`,
        undefined,
        t.fx.villageA1,
      );
      await check(
        'GET /api/tasks/evidence/:id/thumbnail',
        'lists.read',
        200,
        'GET',
        `/api/tasks/evidence/${taskEvidence}/thumbnail`,
        undefined,
        t.fx.villageA1,
      );
      await check(
        'GET /api/directives/lateness?orgId',
        'lists.read',
        200,
        'GET',
        `/api/directives/lateness?orgId=${org}`,
      );
      covered.add('GET /api/directives/lateness');
      await check('GET /api/responsibility?orgId', 'lists.read', 200, 'GET', `/api/responsibility?orgId=${org}`);
      covered.add('GET /api/responsibility');
      // An inspection of this organization: by a level above (the organization itself is refused), findings become its problems.
      const insp = await check('POST /api/inspections', 'lists.inspect', own ? 422 : 201, 'POST', '/api/inspections', {
        kind: 'routine',
        orgId: org,
        checkedOn: '2026-12-01',
        inspectors: '矩阵',
        findings: [{ text: '矩阵发现' }],
      });
      if (insp.status === 201)
        await check('GET /api/inspections/:id', 'lists.read', 200, 'GET', `/api/inspections/${insp.json.id}`);
      await check('GET /api/inspections?orgId', 'lists.read', 200, 'GET', `/api/inspections?orgId=${org}`);
      covered.add('GET /api/inspections');
      // A target sheet for this organization (by a level above), reported by it, scored by its issuer from 1 December.
      const sheet = await check('POST /api/targets', 'lists.issue', own ? 422 : 201, 'POST', '/api/targets', {
        orgId: org,
        year: 2031,
        items: [{ text: '矩阵目标', weight: 10 }],
      });
      await check('GET /api/targets?orgId', 'lists.read', 200, 'GET', `/api/targets?orgId=${org}&year=2031`);
      covered.add('GET /api/targets');
      await check(
        'GET /api/responsibility/major?orgId',
        'lists.read',
        200,
        'GET',
        `/api/responsibility/major?orgId=${org}`,
      );
      covered.add('GET /api/responsibility/major');
      await check(
        'GET /api/responsibility/person?orgId',
        'lists.read',
        200,
        'GET',
        `/api/responsibility/person?orgId=${org}&name=${encodeURIComponent('矩阵')}`,
      );
      covered.add('GET /api/responsibility/person');
      if (sheet.status === 201) {
        await check('GET /api/targets/:id', 'lists.read', 200, 'GET', `/api/targets/${sheet.json.id}`);
        const item = sheet.json.items[0].id;
        // The sheet's holder is the organization, its issuer the user: the issuer may not report; scoring 2031 has not opened.
        covered.add('POST /api/targets/:id/items/:itemId/report');
        const rep = await t.req('POST', `/api/targets/${sheet.json.id}/items/${item}/report`, {
          cookie,
          body: { text: '矩阵' },
        });
        expect(rep.status, rep.body).toBe(403);
        expect(rep.json?.code).toBe(has(user, 'lists.work') ? 'TARGET_NOT_HOLDER' : 'FORBIDDEN');
        covered.add('POST /api/targets/:id/items/:itemId/score');
        const sc = await t.req('POST', `/api/targets/${sheet.json.id}/items/${item}/score`, {
          cookie,
          body: { score: 1 },
        });
        expect(sc.status, sc.body).toBe(409);
        expect(sc.json?.code).toBe('TARGET_NOT_YET');
      }
      // The same organization, level and day a second time (another user's case) is refused: history is not rewritten.
      await check(
        'POST /api/responsibility/overrides',
        'lists.issue',
        [200, 409],
        'POST',
        '/api/responsibility/overrides',
        {
          orgId: org,
          level: 'related',
          personName: '矩阵',
          reason: '矩阵测试',
          from: '2026-12-01',
        },
      );
      // A draft notice is read only by the level that made it (township A's subtree holds it).
      await check('GET /api/notices/:id', 'lists.read', 200, 'GET', `/api/notices/${noticeA}`, undefined, t.fx.townA);
      await check(
        'GET /api/notices/:id/document',
        'lists.read',
        200,
        'GET',
        `/api/notices/${noticeA}/document`,
        undefined,
        t.fx.townA,
      );
      const share = shares[org];
      if (share) {
        await check('GET /api/tasks/assignments/:id', 'lists.read', 200, 'GET', `/api/tasks/assignments/${share}`);
        // The holder's acts: only an account of the organization holding the share (TASK_NOT_HOLDER for
        // anyone else in scope); the issuer's: only an account of the organization that issued it, the county.
        const holder = own;
        const issuer = (t.fx[USERS[user]] as string) === t.fx.county;
        const act = async (verb: string, perm: string, ok: number[], body: unknown, refusal: string) => {
          const route = `POST /api/tasks/assignments/:id/${verb}`;
          covered.add(route);
          const res = await t.req('POST', `/api/tasks/assignments/${share}/${verb}`, { cookie, body });
          const what = `${route} as ${user} on ${key}: ${res.body}`;
          if (!has(user, perm)) return expectAnswer(res, 403, what);
          if (!scoped) return expectAnswer(res, 404, what);
          if (!ok.length) {
            expect(res.status, what).toBe(403);
            return expect(res.json?.code, what).toBe(refusal);
          }
          expect(ok, what).toContain(res.status);
        };
        const child = Object.keys(shares).find((id) => paths[id] !== paths[org] && paths[id].startsWith(paths[org]));
        await act('sign', 'lists.work', holder ? [200, 409] : [], {}, 'TASK_NOT_HOLDER');
        // Not multipart: refused as such once the share is the user's and open.
        await act('evidence', 'lists.work', holder ? [415] : [], {}, 'TASK_NOT_HOLDER');
        await act('report', 'lists.work', holder ? [200] : [], { text: '矩阵' }, 'TASK_NOT_HOLDER');
        // Every organization below already holds a share of this task (TASK_ALREADY_ASSIGNED), or there is none (TASK_SPLIT_OUTSIDE).
        await act(
          'split',
          'lists.work',
          holder ? [409, 422] : [],
          { orgIds: [child ?? t.fx.villageB1], deadline: '2099-12-30' },
          'TASK_NOT_HOLDER',
        );
        await act('submit', 'lists.work', holder ? [200, 409] : [], {}, 'TASK_NOT_HOLDER');
        await act('accept', 'lists.review', issuer ? [200, 409] : [], {}, 'TASK_NOT_ISSUER');
        await act('return', 'lists.review', issuer ? [200, 409] : [], { reason: '矩阵退回' }, 'TASK_NOT_ISSUER');
      }
      const u = Object.entries(t.fx.users).find(([name]) => (USERS as Record<string, string>)[name] === key)?.[1];
      if (u) {
        await check('GET /api/users/:id', 'users.read', 200, 'GET', `/api/users/${u}`);
        await check('PATCH /api/users/:id', 'users.manage', [200, 403], 'PATCH', `/api/users/${u}`, {
          displayName: '矩阵',
        });
      }
    });
  });

  describe('routes without a target', () => {
    const plain: [string, string, string, number][] = [
      ['GET /api/orgs', 'orgs.read', '/api/orgs', 200],
      ['GET /api/orgs/root', 'orgs.read', '/api/orgs/root', 200],
      ['GET /api/code-lists', 'authenticated', '/api/code-lists', 200],
      ['GET /api/users', 'users.read', '/api/users', 200],
      ['GET /api/audit', 'audit.read', '/api/audit', 200],
      ['GET /api/audit/orgs', 'audit.read', '/api/audit/orgs?q=jz', 200],
      ['GET /api/members/import/template', 'members.import', '/api/members/import/template', 200],
      [
        'GET /api/members/export',
        'members.export',
        `/api/members/export?reason=${encodeURIComponent('矩阵测试')}`,
        200,
      ],
      ['GET /api/stats', 'members.read', '/api/stats', 200],
      ['GET /api/audit/export', 'audit.read', `/api/audit/export?reason=${encodeURIComponent('矩阵测试')}`, 200],
      ['GET /api/stats/export', 'members.read', '/api/stats/export', 200],
      ['GET /api/problems', 'problems.read', '/api/problems', 200],
      ['GET /api/problems/rules', 'problems.read', '/api/problems/rules', 200],
      ['GET /api/problems/runs', 'problems.read', '/api/problems/runs', 200],
      ['GET /api/problems/export', 'problems.read', '/api/problems/export', 200],
      [
        'GET /api/first-secretaries/designations/export',
        'firstsec.roster',
        '/api/first-secretaries/designations/export',
        200,
      ],
      ['GET /api/first-secretaries/scores/export', 'firstsec.roster', '/api/first-secretaries/scores/export', 200],
      ['GET /api/settings/rules', 'problems.read', '/api/settings/rules', 200],
      ['GET /api/compliance', 'problems.read', '/api/compliance', 200],
      ['GET /api/inspections/plans', 'lists.read', '/api/inspections/plans', 200],
      ['GET /api/system/jobs', 'system.jobs', '/api/system/jobs', 200],
    ];
    it.each(Object.keys(USERS))('%s', async (user) => {
      const u = user as keyof typeof USERS;
      for (const [route, perm, url, ok] of plain) {
        covered.add(route);
        const res = await t.req('GET', url, { cookie: cookies[u] });
        expectAnswer(res, has(u, perm) ? ok : 403, `${route} as ${user}`);
      }
      for (const [route, url] of [
        ['GET /api/tasks', '/api/tasks'],
        ['GET /api/tasks/:id', `/api/tasks/${taskId}`],
      ]) {
        covered.add(route);
        expectAnswer(
          await t.req('GET', url, { cookie: cookies[u] }),
          has(u, 'lists.read') ? 200 : 403,
          `${route} as ${user}`,
        );
      }
      // Notices: a holder of lists.inspect makes and publishes one under its own organization; a published
      // notice naming nobody is signed by no one (NOTICE_NOT_NAMED), and the list answers everyone who reads.
      covered.add('GET /api/notices');
      expectAnswer(
        await t.req('GET', '/api/notices', { cookie: cookies[u] }),
        has(u, 'lists.read') ? 200 : 403,
        `notices as ${user}`,
      );
      covered.add('POST /api/notices');
      const made = await t.req('POST', '/api/notices', {
        cookie: cookies[u],
        body: { title: '矩阵自建通报', underOrgId: t.fx[USERS[u]], period: '2026-12' },
      });
      expectAnswer(made, has(u, 'lists.inspect') ? 201 : 403, `POST /api/notices as ${user}`);
      covered.add('POST /api/notices/:id/publish');
      const pub = await t.req('POST', `/api/notices/${made.json?.id ?? noticeA}/publish`, { cookie: cookies[u] });
      expectAnswer(pub, has(u, 'lists.inspect') ? 200 : 403, `POST /api/notices/:id/publish as ${user}`);
      covered.add('POST /api/notices/:id/sign');
      const sign = await t.req('POST', `/api/notices/${noticeC}/sign`, { cookie: cookies[u] });
      expect(sign.status, `sign as ${user}: ${sign.body}`).toBe(403);
      expect(sign.json?.code, `sign as ${user}`).toBe(has(u, 'lists.work') ? 'NOTICE_NOT_NAMED' : 'FORBIDDEN');
      // Documents from above: every organization below the county received the matrix's; the county itself did not.
      for (const [route, url] of [
        ['GET /api/directives', '/api/directives'],
        ['GET /api/directives/:id', `/api/directives/${directive}`],
        ['GET /api/directives/:id/file', `/api/directives/${directive}/file`],
      ]) {
        covered.add(route);
        expectAnswer(
          await t.req('GET', url, { cookie: cookies[u] }),
          has(u, 'lists.read') ? 200 : 403,
          `${route} as ${user}`,
        );
      }
      covered.add('POST /api/directives');
      expectAnswer(
        await t.req('POST', '/api/directives', { cookie: cookies[u], body: {} }),
        has(u, 'lists.issue') ? 415 : 403,
        `POST /api/directives as ${user}`,
      );
      const recipient = USERS[u] !== 'county';
      for (const [verb, body] of [
        ['sign', {}],
        ['report', { text: '矩阵落实' }],
      ] as const) {
        covered.add(`POST /api/directives/:id/${verb}`);
        const res = await t.req('POST', `/api/directives/${directive}/${verb}`, { cookie: cookies[u], body });
        if (!has(u, 'lists.work')) expectAnswer(res, 403, `${verb} as ${user}`);
        else if (!recipient) {
          expect(res.status, `${verb} as ${user}: ${res.body}`).toBe(403);
          expect(res.json?.code).toBe('DIRECTIVE_NOT_RECIPIENT');
        } else expect(res.status, `${verb} as ${user}: ${res.body}`).toBe(200);
      }
      covered.add('POST /api/members/import');
      const imp = await t.req('POST', '/api/members/import', { cookie: cookies[u], body: {} });
      expectAnswer(imp, has(u, 'members.import') ? 415 : 403, `POST /api/members/import as ${user}`);
      covered.add('POST /api/members/import/rejected');
      const rejected = await t.req('POST', '/api/members/import/rejected', { cookie: cookies[u], body: {} });
      expectAnswer(rejected, has(u, 'members.import') ? 415 : 403, `POST /api/members/import/rejected as ${user}`);
      // Dual control: only holders of users.approve (level3) reach the requests.
      covered.add('GET /api/users/requests');
      expectAnswer(
        await t.req('GET', '/api/users/requests', { cookie: cookies[u] }),
        has(u, 'users.approve') ? 200 : 403,
        `GET /api/users/requests as ${user}`,
      );
      for (const verb of ['approve', 'reject']) {
        covered.add(`POST /api/users/requests/:id/${verb}`);
        const res = await t.req('POST', `/api/users/requests/${t.fx.county}/${verb}`, { cookie: cookies[u] });
        expectAnswer(res, has(u, 'users.approve') ? 404 : 403, `POST /api/users/requests/:id/${verb} as ${user}`);
      }
      covered.add('POST /api/members/transfer');
      const tr = await t.req('POST', '/api/members/transfer', {
        cookie: cookies[u],
        body: { memberIds: [t.fx.members.王五], orgId: t.fx.villageB1, reason: '矩阵测试' },
      });
      // 王五 sits in township B: only county-wide writers reach him; others with the permission get 404.
      expectAnswer(
        tr,
        !has(u, 'members.write') ? 403 : inScope(u, t.fx.villageB1) ? 200 : 404,
        `POST /api/members/transfer as ${user}`,
      );
      // A run by hand of the whole county: only the county's holders of problems.run (202; the run finishes in the background).
      covered.add('POST /api/problems/run');
      expectAnswer(
        await t.req('POST', '/api/problems/run', { cookie: cookies[u] }),
        has(u, 'problems.run') ? 202 : 403,
        `POST /api/problems/run as ${user}`,
      );
      covered.add('PUT /api/settings/rules');
      const setting = await t.req('PUT', '/api/settings/rules', {
        cookie: cookies[u],
        body: { key: 'life.themedDaysPerMonth', value: 1, effectiveFrom: '2099-01-01' },
      });
      expectAnswer(setting, has(u, 'problems.settings') ? 200 : 403, `PUT /api/settings/rules as ${user}`);
      covered.add('POST /api/users');
      const mk = await t.req('POST', '/api/users', {
        cookie: cookies[u],
        body: {
          username: `m_${user}`,
          displayName: '矩阵',
          password: 'Matrix#Pass2026',
          roles: ['leader'],
          orgId: t.fx.villageB1,
        },
      });
      // In scope for county-level managers; a township manager would get a field error.
      expectAnswer(
        mk,
        !has(u, 'users.manage') ? 403 : inScope(u, t.fx.villageB1) ? 201 : 400,
        `POST /api/users as ${user}`,
      );
      covered.add('POST /api/users/bulk');
      const bulk = await t.req('POST', '/api/users/bulk', {
        cookie: cookies[u],
        body: { orgId: t.fx.villageB1, role: 'branchSecretary', dryRun: true },
      });
      expectAnswer(
        bulk,
        !has(u, 'users.manage') ? 403 : inScope(u, t.fx.villageB1) ? 200 : 404,
        `POST /api/users/bulk as ${user}`,
      );
      // The showroom (issue 20): entries and pictures by the subtree; inquiries only by the village's own accounts.
      {
        const on = (perm: string, scoped: boolean, ok: number) => (!has(u, perm) ? 403 : scoped ? ok : 404);
        const sr = async (route: string, method: string, url: string, want: number | number[], body?: unknown) => {
          covered.add(route);
          const res = await t.req(method, url, { cookie: cookies[u], body });
          if (Array.isArray(want)) expect(want, `${route} as ${user}: ${res.body}`).toContain(res.status);
          else expectAnswer(res, want, `${route} as ${user}`);
          return res;
        };
        await sr('GET /api/showroom/entries', 'GET', '/api/showroom/entries', has(u, 'showroom.read') ? 200 : 403);
        await sr(
          'GET /api/showroom/inquiry-stats',
          'GET',
          '/api/showroom/inquiry-stats',
          has(u, 'showroom.read') ? 200 : 403,
        );
        for (const [village, pub, draft, pic] of [
          [t.fx.villageA1, showroom.pubA, showroom.draftA, showroom.picA],
          [t.fx.villageB1, showroom.pubB, showroom.draftB, showroom.picB],
        ]) {
          const scoped = inScope(u, village);
          await sr(
            'GET /api/showroom/entries/:id',
            'GET',
            `/api/showroom/entries/${pub}`,
            on('showroom.read', scoped, 200),
          );
          // An empty change changes nothing (the entry stays published).
          await sr(
            'PATCH /api/showroom/entries/:id',
            'PATCH',
            `/api/showroom/entries/${pub}`,
            on('showroom.write', scoped, 200),
            {},
          );
          // Published: not submitted again; a draft: neither published, returned nor withdrawn (SHOWROOM_WRONG_STATE).
          await sr(
            'POST /api/showroom/entries/:id/submit',
            'POST',
            `/api/showroom/entries/${pub}/submit`,
            on('showroom.write', scoped, 409),
          );
          for (const verb of ['publish', 'withdraw'] as const)
            await sr(
              `POST /api/showroom/entries/:id/${verb}`,
              'POST',
              `/api/showroom/entries/${draft}/${verb}`,
              on(verb === 'publish' ? 'showroom.review' : 'showroom.write', scoped, 409),
            );
          await sr(
            'POST /api/showroom/entries/:id/return',
            'POST',
            `/api/showroom/entries/${draft}/return`,
            on('showroom.review', scoped, 409),
            { reason: '矩阵退回' },
          );
          // Not multipart: refused as such once the entry is in scope.
          await sr(
            'POST /api/showroom/entries/:id/pictures',
            'POST',
            `/api/showroom/entries/${draft}/pictures`,
            on('showroom.write', scoped, 415),
            {},
          );
          await sr(
            'GET /api/showroom/entry-pictures/:id',
            'GET',
            `/api/showroom/entry-pictures/${pic}`,
            on('showroom.read', scoped, 200),
          );
          await sr(
            'GET /api/showroom/entry-pictures/:id/thumbnail',
            'GET',
            `/api/showroom/entry-pictures/${pic}/thumbnail`,
            on('showroom.read', scoped, 200),
          );
          // Another's picture out of scope is a 404; in scope, the user's own new picture on the draft is removed.
          let target = pic;
          if (has(u, 'showroom.write') && scoped) {
            const mp = multipart(await evidencePng(), 'matrix.png');
            const up = await t.app.inject({
              method: 'POST',
              url: `/api/showroom/entries/${draft}/pictures`,
              headers: { cookie: cookies[u], origin: ORIGIN, host: 'localhost:80', 'content-type': mp.type },
              payload: mp.body,
            });
            expect(up.statusCode, up.body).toBe(201);
            target = up.json().id;
          }
          await sr(
            'DELETE /api/showroom/entry-pictures/:id',
            'DELETE',
            `/api/showroom/entry-pictures/${target}`,
            on('showroom.write', scoped, 200),
          );
        }
        // The village's own accounts only: the township above (in scope) gets 404 like everyone else.
        const own = (t.fx[USERS[u]] as string) === t.fx.villageA1;
        await sr(
          'GET /api/showroom/inquiries',
          'GET',
          '/api/showroom/inquiries',
          has(u, 'showroom.answer') ? 200 : 403,
        );
        await sr(
          'GET /api/showroom/inquiries/:id',
          'GET',
          `/api/showroom/inquiries/${showroom.inquiry}`,
          on('showroom.answer', own, 200),
        );
        await sr(
          'POST /api/showroom/inquiries/:id/answer',
          'POST',
          `/api/showroom/inquiries/${showroom.inquiry}/answer`,
          !has(u, 'showroom.answer') ? 403 : own ? [200, 409] : 404,
          { answer: '矩阵答复' },
        );
        // Public: the same for everyone and for nobody (published entries only).
        for (const cookie of [cookies[u], undefined]) {
          for (const [route, url] of [
            ['GET /api/showroom/products', '/api/showroom/products'],
            ['GET /api/showroom/products/:id', `/api/showroom/products/${showroom.pubB}`],
            ['GET /api/showroom/townships', '/api/showroom/townships'],
            ['GET /api/showroom/pictures/:id', `/api/showroom/pictures/${showroom.picA}`],
            ['GET /api/showroom/pictures/:id/thumbnail', `/api/showroom/pictures/${showroom.picB}/thumbnail`],
          ]) {
            covered.add(route);
            expectAnswer(await t.req('GET', url, { cookie }), 200, `${route} as ${cookie ? user : 'nobody'}`);
          }
          expectAnswer(
            await t.req('GET', `/api/showroom/products/${showroom.draftA}`, { cookie }),
            404,
            'a draft, publicly',
          );
          await t.database.db.execute(sql`delete from rate_limits where key like 'showroom-inquiry:%'`);
          covered.add('POST /api/showroom/inquiries');
          const sent = await t.req('POST', '/api/showroom/inquiries', {
            cookie,
            body: { productId: showroom.pubB, name: '矩阵访客', contact: '13700000000', message: '矩阵咨询' },
          });
          expectAnswer(sent, 201, `POST /api/showroom/inquiries as ${cookie ? user : 'nobody'}`);
        }
      }
      // Public: the login page's list of served counties, the same for everyone and for nobody.
      covered.add('GET /api/auth/counties');
      expectAnswer(
        await t.req('GET', '/api/auth/counties', { cookie: cookies[u] }),
        200,
        `GET /api/auth/counties as ${user}`,
      );
      expectAnswer(await t.req('GET', '/api/auth/counties'), 200, 'GET /api/auth/counties anonymously');
    });

    it.each(Object.keys(USERS))('first secretaries as %s', async (user) => {
      const u = user as keyof typeof USERS;
      const cookie = cookies[u];
      const A1 = t.fx.villageA1;
      const req = async (route: string, method: string, url: string, body?: unknown) => {
        covered.add(route);
        return t.req(method, url, { cookie, body });
      };
      const expectFor = async (
        route: string,
        perm: string,
        method: string,
        url: string,
        ok: number | number[],
        body?: unknown,
        refusal?: [number, string],
      ) => {
        const res = await req(route, method, url, body);
        const what = `${route} as ${user}: ${res.body}`;
        if (!has(u, perm)) return expectAnswer(res, 403, what);
        if (!inScope(u, A1)) return expectAnswer(res, 404, what);
        if (refusal) {
          expect(res.status, what).toBe(refusal[0]);
          return expect(res.json?.code, what).toBe(refusal[1]);
        }
        expect([ok].flat(), what).toContain(res.status);
      };
      await expectFor('GET /api/first-secretaries/:id', 'firstsec.read', 'GET', `/api/first-secretaries/${fs.id}`, 200);
      // A stale version is refused as such (nothing changes).
      await expectFor(
        'PATCH /api/first-secretaries/:id',
        'firstsec.manage',
        'PATCH',
        `/api/first-secretaries/${fs.id}`,
        409,
        { version: 999, liaison: '矩阵' },
      );
      await expectFor(
        'POST /api/first-secretaries/:id/account',
        'firstsec.manage',
        'POST',
        `/api/first-secretaries/${fs.id}/account`,
        409,
      );
      await expectFor(
        'GET /api/first-secretaries/:id/spot-checks',
        'firstsec.read',
        'GET',
        `/api/first-secretaries/${fs.id}/spot-checks`,
        200,
      );
      await expectFor(
        'POST /api/first-secretaries/:id/spot-checks',
        'firstsec.approve',
        'POST',
        `/api/first-secretaries/${fs.id}/spot-checks`,
        201,
      );
      // The 五个一 (FS-3): the village's first secretary is not held to them; an item that does not exist is not found.
      await expectFor(
        'GET /api/first-secretaries/:id/five-ones',
        'firstsec.read',
        'GET',
        `/api/first-secretaries/${fs.id}/five-ones?year=2026`,
        200,
      );
      await expectFor(
        'POST /api/first-secretaries/:id/five-items',
        'firstsec.read',
        'POST',
        `/api/first-secretaries/${fs.id}/five-items`,
        422,
        { kind: 'deed', doneOn: '2026-03-01', title: '矩阵事项' },
        [422, 'FS_FIVE_NOT_TWO_NEW'],
      );
      await expectFor(
        'POST /api/first-secretaries/five-items/:id/confirm',
        'firstsec.approve',
        'POST',
        `/api/first-secretaries/five-items/${fs.id}/confirm`,
        404,
        {},
        [404, 'NOT_FOUND'],
      );
      await expectFor(
        'DELETE /api/first-secretaries/five-items/:id',
        'firstsec.read',
        'DELETE',
        `/api/first-secretaries/five-items/${fs.id}`,
        404,
        undefined,
        [404, 'NOT_FOUND'],
      );
      await expectFor('GET /api/checkins/:id/photo', 'firstsec.read', 'GET', `/api/checkins/${fs.checkin}/photo`, 200);
      await expectFor(
        'GET /api/checkins/:id/thumbnail',
        'firstsec.read',
        'GET',
        `/api/checkins/${fs.checkin}/thumbnail`,
        200,
      );
      // Leave: the township side by an organization above the village, the unit side by the county (the unit is not on the platform).
      const above = u === 'admin' || u === 'orga';
      await expectFor(
        'POST /api/first-secretaries/leaves/:id/township',
        'firstsec.approve',
        'POST',
        `/api/first-secretaries/leaves/${fs.leave}/township`,
        [200, 409],
        { approve: true },
        above ? undefined : [403, 'FS_LEAVE_NOT_YOURS'],
      );
      await expectFor(
        'POST /api/first-secretaries/leaves/:id/unit',
        'firstsec.approve',
        'POST',
        `/api/first-secretaries/leaves/${fs.leave}/unit`,
        [200, 409],
        { approve: true },
        u === 'admin' ? undefined : [403, 'FS_LEAVE_NOT_YOURS'],
      );
      // The yearly score: the list by the roster's permission; the township's mark by an organization above the village.
      await expectFor(
        'GET /api/first-secretaries/:id/score',
        'firstsec.read',
        'GET',
        `/api/first-secretaries/${fs.id}/score?year=2026`,
        200,
      );
      await expectFor(
        'PUT /api/first-secretaries/:id/score/:side',
        'firstsec.approve',
        'PUT',
        `/api/first-secretaries/${fs.id}/score/town`,
        200,
        { year: 2026, score: 85 },
        above ? undefined : [403, 'FS_SCORE_NOT_YOURS'],
      );
      const scores = await req('GET /api/first-secretaries/scores', 'GET', '/api/first-secretaries/scores?year=2026');
      expectAnswer(scores, has(u, 'firstsec.roster') ? 200 : 403, `scores as ${user}`);
      // Trainings: the county's session calls A1's person; a township sees it but cannot change it; it organizes its own.
      const trainings = await req('GET /api/first-secretaries/trainings', 'GET', '/api/first-secretaries/trainings');
      expectAnswer(trainings, has(u, 'firstsec.read') ? 200 : 403, `trainings as ${user}`);
      await expectFor(
        'POST /api/first-secretaries/trainings',
        'firstsec.manage',
        'POST',
        '/api/first-secretaries/trainings',
        201,
        { kind: 'exchange', title: '矩阵座谈', heldOn: '2026-01-06', fsIds: [fs.id] },
      );
      await expectFor(
        'GET /api/first-secretaries/trainings/:id',
        'firstsec.read',
        'GET',
        `/api/first-secretaries/trainings/${fsTraining}`,
        200,
      );
      await expectFor(
        'PATCH /api/first-secretaries/trainings/:id',
        'firstsec.manage',
        'PATCH',
        `/api/first-secretaries/trainings/${fsTraining}`,
        409,
        { version: 999, title: '矩阵' },
        u === 'admin' ? [409, 'CONFLICT'] : [403, 'FS_TRAINING_ORGANIZER'],
      );
      await expectFor(
        'PUT /api/first-secretaries/trainings/:id/attendance',
        'firstsec.manage',
        'PUT',
        `/api/first-secretaries/trainings/${fsTraining}/attendance`,
        200,
        { entries: [{ fsId: fs.id, status: 'present' }] },
        u === 'admin' ? undefined : [403, 'FS_TRAINING_ORGANIZER'],
      );
      const systems = await req('GET /api/first-secretaries/systems', 'GET', '/api/first-secretaries/systems');
      expectAnswer(systems, has(u, 'firstsec.read') ? 200 : 403, `systems as ${user}`);
      await expectFor(
        'PUT /api/first-secretaries/systems',
        'firstsec.manage',
        'PUT',
        '/api/first-secretaries/systems',
        200,
        { items: [] },
        u === 'admin' ? undefined : [403, 'FS_SYSTEMS_COUNTY'],
      );
      const leaves = await req('GET /api/first-secretaries/leaves', 'GET', '/api/first-secretaries/leaves');
      expectAnswer(leaves, has(u, 'firstsec.read') ? 200 : 403, `leaves as ${user}`);
      // Periodic reports: read by scope; every reader above the village comments (the township, the county).
      const reports = await req('GET /api/first-secretaries/reports', 'GET', '/api/first-secretaries/reports');
      expectAnswer(reports, has(u, 'firstsec.read') ? 200 : 403, `reports as ${user}`);
      await expectFor(
        'GET /api/first-secretaries/reports/:id',
        'firstsec.read',
        'GET',
        `/api/first-secretaries/reports/${fs.report}`,
        200,
      );
      await expectFor(
        'GET /api/first-secretaries/reports/status',
        'firstsec.roster',
        'GET',
        `/api/first-secretaries/reports/status?kind=monthly&period=2026-01&orgId=${A1}`,
        200,
      );
      await expectFor(
        'POST /api/first-secretaries/reports/:id/comments',
        'firstsec.read',
        'POST',
        `/api/first-secretaries/reports/${fs.report}/comments`,
        201,
        { text: '矩阵批阅意见' },
      );
      // The person's own acts: no other role holds firstsec.self.
      for (const [route, method, url, body] of [
        ['GET /api/first-secretaries/me', 'GET', '/api/first-secretaries/me', undefined],
        ['GET /api/first-secretaries/me/spot-checks', 'GET', '/api/first-secretaries/me/spot-checks', undefined],
        [
          'POST /api/first-secretaries/leaves',
          'POST',
          '/api/first-secretaries/leaves',
          { fromDate: '2099-02-01', toDate: '2099-02-01', reason: '矩阵' },
        ],
        [
          'POST /api/first-secretaries/leaves/:id/cancel',
          'POST',
          `/api/first-secretaries/leaves/${fs.leave}/cancel`,
          {},
        ],
        ['POST /api/checkins', 'POST', '/api/checkins', {}],
        [
          'POST /api/first-secretaries/reports',
          'POST',
          '/api/first-secretaries/reports',
          { kind: 'monthly', period: '2026-02', body: '矩阵工作日志：走访农户。', areas: [] },
        ],
        [
          'PATCH /api/first-secretaries/reports/:id',
          'PATCH',
          `/api/first-secretaries/reports/${fs.report}`,
          { version: 1, body: '矩阵工作日志：改正后的内容。' },
        ],
        [
          'POST /api/first-secretaries/reminders/:id/read',
          'POST',
          `/api/first-secretaries/reminders/${fs.report}/read`,
          {},
        ],
      ] as const)
        expectAnswer(await req(route, method, url, body), 403, `${route} as ${user}`);
    });

    it('a first secretary’s own account: its own acts, nothing of the roster, every other route refused', async () => {
      const cookie = cookies.fs1;
      expect((await t.req('GET', '/api/first-secretaries/me', { cookie })).status).toBe(200);
      expect((await t.req('GET', '/api/first-secretaries/me/spot-checks', { cookie })).status).toBe(200);
      const called = (await t.req('GET', '/api/first-secretaries/trainings', { cookie })).json.items;
      expect(called.map((x: { id: string }) => x.id)).toContain(fsTraining);
      expect((await t.req('GET', `/api/first-secretaries/trainings/${fsTraining}`, { cookie })).status).toBe(200);
      expect((await t.req('GET', '/api/first-secretaries/systems', { cookie })).status).toBe(200);
      expect((await t.req('GET', `/api/first-secretaries/${fs.id}`, { cookie })).status).toBe(200);
      expect((await t.req('GET', `/api/checkins/${fs.checkin}/thumbnail`, { cookie })).status).toBe(200);
      const mine = await t.req('POST', '/api/first-secretaries/leaves', {
        cookie,
        body: { fromDate: '2099-03-01', toDate: '2099-03-01', reason: '矩阵' },
      });
      expect(mine.status, mine.body).toBe(201);
      expect((await t.req('POST', `/api/first-secretaries/leaves/${mine.json.id}/cancel`, { cookie })).status).toBe(
        200,
      );
      expect((await t.req('GET', `/api/first-secretaries/reports/${fs.report}`, { cookie })).status).toBe(200);
      // Corrected unless someone has commented already (the other users' tests may have run first).
      const fixed = await t.req('PATCH', `/api/first-secretaries/reports/${fs.report}`, {
        cookie,
        body: { version: 1, body: '矩阵工作日志：改正后的内容。' },
      });
      expect(fixed.status === 200 || fixed.json?.code === 'FS_REPORT_COMMENTED', fixed.body).toBe(true);
      const own = await t.req('POST', `/api/first-secretaries/reports/${fs.report}/comments`, {
        cookie,
        body: { text: '本人不能批阅' },
      });
      expect(own.json?.code, own.body).toBe('FS_REPORT_NOT_YOURS');
      const noReminder = await t.req('POST', `/api/first-secretaries/reminders/${fs.report}/read`, { cookie });
      expect(noReminder.json?.code, noReminder.body).toBe('NOT_FOUND');
      expectAnswer(await t.req('GET', '/api/first-secretaries', { cookie }), 403, 'roster as fs1');
      // Every route whose permission the role lacks answers 403 FORBIDDEN, whatever the target.
      const perms = permissionsFor(['firstSecretary'], profile);
      for (const r of t.app.routeTable) {
        if (r.permission === 'public' || perms.has(r.permission as never)) continue;
        const url = r.url.replace(/:[a-zA-Z]+/g, t.fx.villageA1).replace('/*', '/x');
        const res = await t.req(r.method, url, { cookie, body: r.method === 'GET' ? undefined : {} });
        expectAnswer(res, 403, `${r.method} ${r.url} as fs1`);
      }
    });

    it('anonymous requests get 401 on every non-public route', async () => {
      for (const r of t.app.routeTable) {
        if (r.permission === 'public') continue;
        const url = r.url.replace(/:id/g, t.fx.county).replace('/*', '/x');
        const res = await t.req(r.method, url, { body: r.method === 'GET' ? undefined : {} });
        expectAnswer(res, 401, `${r.method} ${r.url}`);
      }
    });

    it('covers every route the app declares', () => {
      const skip = new Set([
        'GET /api/health',
        'GET /api/openapi.json',
        'POST /api/auth/login',
        'POST /api/auth/logout',
        'GET /api/auth/me',
        'POST /api/auth/password',
        'POST /api/auth/totp/setup',
        'POST /api/auth/totp/enable',
        'POST /api/auth/totp/disable',
        'GET /',
        'GET /*',
      ]);
      const missing = t.app.routeTable
        .map((r) => `${r.method} ${r.url}`)
        .filter((k) => !skip.has(k) && !covered.has(k) && !k.startsWith('GET /api/docs'));
      expect(missing).toEqual([]);
    });
  });

  describe('the audit log is scoped like everything else (SEC-8, SEC-10)', () => {
    it('an auditor misplaced in township A sees none of township B, nor entries without an organization', async () => {
      // Placement is refused by the account rules; the scope makes a misplaced auditor harmless anyway.
      await t.addUser('auditora', ['auditor'], t.fx.townA);
      const auditorA = await t.login('auditora');
      // Township B acts: a login and a full reveal with its reason; a failed login by an unknown name has no organization.
      const orgb = await t.login('orgb');
      expectAnswer(
        await t.req('POST', `/api/members/${t.fx.members.王五}/reveal`, {
          cookie: orgb,
          body: { reason: '乙镇核对信息' },
        }),
        200,
        'reveal as orgb',
      );
      await t.req('POST', '/api/auth/login', { body: { username: 'nobody-here', password: 'wrong-password' } });
      await t.login('orga');

      const all = await t.req('GET', '/api/audit?pageSize=200', { cookie: cookies.auditor });
      expectAnswer(all, 200, 'GET /api/audit as the county auditor');
      const countyItems = all.json.items as { orgId: string | null; action: string; detail: Record<string, unknown> }[];
      expect(countyItems.some((i) => i.orgId === t.fx.townB && i.action === 'member.reveal')).toBe(true);
      expect(countyItems.some((i) => i.orgId === null)).toBe(true);

      // Every page (the matrix's own writes fill more than one): the total counts exactly what the pages show.
      const items: { orgId: string | null; detail: Record<string, unknown> }[] = [];
      let mine: Awaited<ReturnType<TestCtx['req']>>;
      for (let page = 1; ; page++) {
        mine = await t.req('GET', `/api/audit?pageSize=200&page=${page}`, { cookie: auditorA });
        expectAnswer(mine, 200, 'GET /api/audit as the township A auditor');
        items.push(...mine.json.items);
        if (mine.json.items.length < 200) break;
      }
      expect(items.length).toBeGreaterThan(0);
      for (const i of items) {
        expect(i.orgId, JSON.stringify(i)).not.toBeNull();
        expect(paths[i.orgId as string].startsWith(paths[t.fx.townA]), JSON.stringify(i)).toBe(true);
      }
      expect(JSON.stringify(items)).not.toContain('乙镇核对信息');
      expect(mine.json.total).toBe(items.length);
      // Filters narrow inside the scope; the count agrees with what is shown.
      const filtered = await t.req('GET', '/api/audit?action=member.reveal&pageSize=200', { cookie: auditorA });
      expect(filtered.json.items.length).toBeGreaterThan(0);
      for (const i of filtered.json.items) expect(paths[i.orgId].startsWith(paths[t.fx.townA])).toBe(true);
      expect(filtered.json.total).toBe(filtered.json.items.length);
    });
  });

  describe('level3: an administrator without a second factor', () => {
    it.runIf(profile === 'level3')(
      'answers TOTP_SETUP_REQUIRED on every route until enrolled; other roles are unaffected',
      async () => {
        // Created directly, without the harness's enrolment.
        await t.database.db.execute(sql`insert into users (county_code, username, display_name, password_hash, roles, org_id)
          select county_code, 'orgnototp', '未开启两步验证', password_hash, array['orgAdmin']::text[], ${t.fx.townA} from users where username = 'orga'`);
        const login = await t.req('POST', '/api/auth/login', {
          body: { username: 'orgnototp', password: 'Test#Pass2026' },
        });
        expectAnswer(login, 200, 'login without a second factor');
        const cookie = String(login.headers['set-cookie']).split(';')[0];
        expect(login.json.mustSetupTotp).toBe(true);
        for (const r of t.app.routeTable) {
          if (r.permission === 'public' || r.permission === 'authenticated') continue;
          const url = r.url.replace(/:id/g, t.fx.townA).replace('/*', '/x');
          const res = await t.req(r.method, url, { cookie, body: r.method === 'GET' ? undefined : {} });
          expect(res.status, `${r.method} ${r.url}`).toBe(403);
          expect(res.json.code, `${r.method} ${r.url}: ${res.body}`).toBe('TOTP_SETUP_REQUIRED');
        }
        for (const u of ['leader', 'seca1'] as const) expect(TOTP_REQUIRED_ROLES.has(ROLES[u])).toBe(false);
        expectAnswer(await t.req('GET', '/api/orgs/root', { cookie: cookies.leader }), 200, 'leader');
      },
    );
  });

  // Last: over every statement the routes above sent, in a database that holds a second county (issue 17 §2).
  describe('the county by construction', () => {
    it('every statement names the county of each county table it reads or writes', () => {
      const { offending, checked } = countyOffenders(t.statements);
      expect(checked).toBeGreaterThan(150);
      expect(offending.map(([text, refs]) => `${refs.join(', ')} ← ${text}`)).toEqual([]);
    });
    it('no answer carried the other county’s rows', async () => {
      const admin = cookies.admin;
      const orgs = await t.req('GET', '/api/orgs?q=紫云', { cookie: admin });
      expect(orgs.status).toBe(200);
      expect(orgs.body).not.toContain('紫云');
      const members = await t.req('GET', `/api/members?q=${encodeURIComponent('紫云党员')}`, { cookie: admin });
      expect(members.json.total).toBe(0);
    });
  });
});
