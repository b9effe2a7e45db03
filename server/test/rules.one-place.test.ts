/**
 * Issue 16 §5, one place per rule: the organization card and the engine give the same answers on the
 * same data, the appraisal page warns with the engine's setting, and every page names a rule as its
 * declaration does.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ruleInfo } from '../../contract/rules.ts';
import { runCounty } from '../modules/problems/engine.ts';
import { putRuleSetting } from '../modules/problems/rule-settings.ts';
import { COUNTY, setup, type TestCtx } from './harness.ts';

let t: TestCtx;
let admin: string;
const db = () => t.database.db;

function clockAt(local: string) {
  t.advance(Date.parse(`${local}+08:00`) - t.deps.now().getTime());
}

/** The engine's open problems and reminders of the card's rules on an organization: rule and message. */
async function engineFindings(orgId: string) {
  const r = await db().execute<{ rule_id: string; message: string }>(sql`select rule_id, message from problems
    where county_code = ${COUNTY} and subject_id = ${orgId} and subject_type = 'org' and period = '' and status in ('open', 'upcoming')
      and rule_id in ('ORG-2', 'ORG-4', 'ORG-5', 'ORG-6') order by rule_id, message`);
  return r.rows.map((x) => `${x.rule_id} ${x.message}`);
}

async function cardFindings(orgId: string) {
  const card = await t.req('GET', `/api/orgs/${orgId}`, { cookie: admin });
  expect(card.status).toBe(200);
  return (card.json.warnings as { rule: string; level: string; message: string }[])
    .filter((w) => w.level === 'warning')
    .map((w) => `${w.rule} ${w.message}`)
    .sort();
}

beforeAll(async () => {
  t = await setup();
  clockAt('2026-12-20T10:00:00');
  admin = await t.login('admin');
});
afterAll(async () => t?.close());

describe('the organization card and the engine: the same answers on the same data', () => {
  it('ORG-2, ORG-4, ORG-5 and ORG-6 say the same on the card as on the problem list, with the county’s settings', async () => {
    // ORG-5: villageA2's secretary vacant for five months; ORG-4: its term ended in January.
    await db().execute(
      sql`insert into org_posts (county_code, org_id, post, vacant_since) values (${COUNTY}, ${t.fx.villageA2}, 'secretary', '2026-07-10')`,
    );
    await db().execute(sql`update orgs set term_end = '2026-01-31' where id = ${t.fx.villageA2}`);
    // ORG-6 with the county's own number: three years of standing; 王五 became full in 2011, 李四 two years before taking the post.
    await putRuleSetting(db(), COUNTY, 'org.secretaryStandingYears', 3, '2020-01-01', null);
    await db().execute(sql`update members set full_date = '2022-03-01' where id = ${t.fx.members.李四}`);
    await db().execute(
      sql`insert into org_posts (county_code, org_id, post, member_id, start_date) values (${COUNTY}, ${t.fx.townA}, 'secretary', ${t.fx.members.李四}, '2024-03-01')`,
    );
    // ORG-2: eight full members in the finance bureau's branch, one post.
    for (let i = 0; i < 7; i++) {
      await db().execute(sql`insert into members (county_code, org_id, name, name_pinyin, name_initials, sex, birth_date, standing, join_date, full_date, id_enc, id_bidx)
        values (${COUNTY}, ${t.fx.organBranch}, ${`党员${i}`}, 'x', 'x', '1', '1980-01-01', 'full', '2000-01-01', '2001-01-01', 'x', ${`one-place-${i}`})`);
    }
    await db().execute(
      sql`insert into org_posts (county_code, org_id, post, member_id, start_date) values (${COUNTY}, ${t.fx.organBranch}, 'secretary', ${t.fx.members.赵六}, '2020-01-01')`,
    );
    await runCounty(db(), t.deps, COUNTY, 'full', { from: '2026-01-01' });
    const seen: string[] = [];
    for (const org of [t.fx.villageA2, t.fx.townA, t.fx.organBranch, t.fx.villageA1, t.fx.townB]) {
      const engine = await engineFindings(org);
      expect(await cardFindings(org), org).toEqual(engine);
      seen.push(...engine.map((x) => x.split(' ')[0]));
    }
    // Each rule was found somewhere, so the comparison compared something.
    expect(new Set(seen)).toEqual(new Set(['ORG-2', 'ORG-4', 'ORG-5', 'ORG-6']));
  });

  it('the children list shows each child’s card warnings', async () => {
    const res = await t.req('GET', `/api/orgs/${t.fx.townA}/children?warnings=true`, { cookie: admin });
    const a2 = res.json.items.find((o: { id: string }) => o.id === t.fx.villageA2);
    const card = await t.req('GET', `/api/orgs/${t.fx.villageA2}`, { cookie: admin });
    expect(a2.warnings).toEqual(card.json.warnings);
    expect(a2.warnings.map((w: { rule: string }) => w.rule)).toEqual(expect.arrayContaining(['ORG-4', 'ORG-5']));
  });
});

describe('a record’s warnings read the rule’s own setting', () => {
  it('LIFE-8: the appraisal page warns about 优秀 with the county’s share, the one the engine checks', async () => {
    await putRuleSetting(db(), COUNTY, 'life.excellentMaxShare', '2/3', '2020-01-01', null);
    const url = `/api/appraisals/${t.fx.villageA1}/2026`;
    const put = await t.req('PUT', url, {
      cookie: admin,
      body: {
        grades: [
          { memberId: t.fx.members.张三, grade: 'excellent' },
          { memberId: t.fx.members.张珊, grade: 'excellent' },
          { memberId: t.fx.members.钱七, grade: 'qualified' },
        ],
      },
    });
    expect(put.status).toBe(200);
    // 2 of 3 is within 2/3: no warning on the page, and the engine finds the share kept.
    expect(put.json.warnings.map((w: { code: string }) => w.code)).not.toContain('EXCELLENT_OVER_LIMIT');
    expect(put.json.excellentLimit).toBeCloseTo(2 / 3);
    const r = await db().execute<{ ok: boolean }>(
      sql`select ok from rule_results where county_code = ${COUNTY} and rule_id = 'LIFE-8' and subject_id = ${t.fx.villageA1} and period = '2026'`,
    );
    expect(r.rows[0].ok).toBe(true);
  });
});

describe('a rule is named as its declaration names it, everywhere', () => {
  it('the rules page, the problem list and the warnings’ tags give each rule the same name', async () => {
    const rules = await t.req('GET', '/api/problems/rules', { cookie: admin });
    expect(rules.status).toBe(200);
    for (const r of rules.json) expect(ruleInfo(r.id).name, r.id).toBe(r.name);
    const list = await t.req('GET', '/api/problems?pageSize=200', { cookie: admin });
    for (const p of list.json.items) expect(p.ruleName.replace(/（书记）$/, ''), p.rule).toBe(ruleInfo(p.rule).name);
    expect(ruleInfo('ORG-5').name).toBe(rules.json.find((r: { id: string }) => r.id === 'ORG-5').name);
    expect(ruleInfo('MEM-4').name).toBe(rules.json.find((r: { id: string }) => r.id === 'MEM-4').name);
  });
});
