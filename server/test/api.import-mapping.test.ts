/**
 * The import wizard's one-time answers (issue 7 §1): an unknown header or a value not in a code list
 * is reported once per file, mapped once for the whole file, and remembered for the county.
 */
import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId, ORIGIN, rosterWorkbook, setup, type TestCtx } from './harness.ts';

let t: TestCtx;
let admin: string;
beforeAll(async () => {
  t = await setup();
  admin = await t.login('admin');
});
afterAll(async () => t?.close());

const HEADER = ['姓名', '身份证号', '所在党支部', '入党时间', '转正时间', '文化', '族别', '人员类别'];

/** POST with the wizard's answers in the multipart field `mapping`, before the file. */
async function upload(file: Buffer, dryRun: boolean, mapping?: unknown, cookie = admin) {
  const boundary = `----dj${crypto.randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  if (mapping !== undefined)
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="mapping"\r\n\r\n${typeof mapping === 'string' ? mapping : JSON.stringify(mapping)}\r\n`,
      ),
    );
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="r.xlsx"\r\nContent-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/members/import?dryRun=${dryRun}`,
    headers: {
      cookie,
      origin: ORIGIN,
      host: 'localhost:80',
      'content-type': `multipart/form-data; boundary=${boundary}`,
    },
    payload: Buffer.concat(parts),
  });
  return { status: res.statusCode, json: res.json() };
}

async function countMembers(): Promise<number> {
  return Number((await t.database.db.execute<{ n: number }>(sql`select count(*)::int as n from members`)).rows[0].n);
}

describe('import mapping wizard', () => {
  const ids = [newId('19800101'), newId('19810202'), newId('19820303')];
  const rows = [
    ['甲一', ids[0], '中共甲一村支部委员会', '2000-07-01', '2001-07-01', '初小', '汉', '农民'],
    ['甲二', ids[1], '中共甲一村支部委员会', '2000-07-01', '2001-07-01', '初小', '汉', '庄稼人'],
    ['甲三', ids[2], '中共甲一村支部委员会', '2000-07-01', '2001-07-01', '高中', '汉', '庄稼人'],
  ];

  it('reports each unknown header and each unknown value once, with the allowed values, and writes nothing', async () => {
    const before = await countMembers();
    const res = await upload(await rosterWorkbook(rows, HEADER), true);
    expect(res.status).toBe(422);
    expect(res.json.ok).toBe(false);
    expect(res.json.unknownHeaders).toEqual([
      { header: '文化', column: 'F' },
      { header: '族别', column: 'G' },
    ]);
    const v = res.json.unknownValues;
    expect(
      v.map((x: { field: string; value: string; count: number; rows: number[] }) => [
        x.field,
        x.value,
        x.count,
        x.rows,
      ]),
    ).toEqual([['personCategory', '庄稼人', 2, [3, 4]]]);
    expect(v[0].allowed.map((a: { label: string }) => a.label)).toContain('农牧渔民');
    expect(res.json.errors.filter((e: { column: string }) => e.column === '人员类别')).toHaveLength(2);
    expect(await countMembers()).toBe(before);
  });

  it('refuses a mapping to a code that is not in the list, and one that is not JSON, with a code', async () => {
    const bad = await upload(await rosterWorkbook(rows, HEADER), true, {
      values: { personCategory: { 庄稼人: '99x' } },
    });
    expect(bad.status).toBe(422);
    expect(bad.json.errors[0].message).toContain('不在代码表中');
    const notJson = await upload(await rosterWorkbook(rows, HEADER), true, '{headers');
    expect(notJson.status).toBe(400);
    expect(notJson.json.code).toBe('VALIDATION');
    const unknownColumn = await upload(await rosterWorkbook(rows, HEADER), true, { headers: { 文化: 'salary' } });
    expect(unknownColumn.status).toBe(400);
    expect(unknownColumn.json.code).toBe('VALIDATION');
  });

  it('imports with the mapping applied to the whole file, and the county remembers it for the next file', async () => {
    const mapping = {
      headers: { 文化: 'education', 族别: 'ethnicity' },
      values: { personCategory: { 庄稼人: '2' }, education: { 初小: '81' } },
    };
    const dry = await upload(await rosterWorkbook(rows, HEADER), true, mapping);
    expect(dry.status, JSON.stringify(dry.json.errors)).toBe(200);
    expect(dry.json.unknownHeaders).toEqual([]);
    // A dry run remembers nothing.
    expect((await t.database.db.execute(sql`select 1 from import_mappings`)).rows).toHaveLength(0);
    const res = await upload(await rosterWorkbook(rows, HEADER), false, mapping);
    expect(res.status).toBe(200);
    expect(res.json.created).toBe(3);
    const saved = await t.database.db.execute<Record<string, string>>(
      sql`select m.name, m.education, m.ethnicity, m.person_category from members m where m.name in ('甲一','甲二','甲三') order by m.name`,
    );
    expect(saved.rows).toEqual([
      { name: '甲一', education: '81', ethnicity: '01', person_category: '2' },
      { name: '甲三', education: '61', ethnicity: '01', person_category: '2' },
      { name: '甲二', education: '81', ethnicity: '01', person_category: '2' },
    ]);
    const remembered = await t.database.db.execute<Record<string, string>>(
      sql`select county_code, kind, field, source, target from import_mappings order by kind, field, source`,
    );
    expect(remembered.rows.map((r) => `${r.kind}:${r.field}:${r.source}→${r.target}`)).toEqual([
      'header::文化→education',
      'header::族别→ethnicity',
      'value:education:初小→81',
      'value:personCategory:庄稼人→2',
    ]);
    // Another file of the same office: nothing to ask any more.
    const next = [
      ['乙一', newId('19830404'), '中共甲一村支部委员会', '2001-07-01', '2002-07-01', '初小', '回', '庄稼人'],
    ];
    const again = await upload(await rosterWorkbook(next, HEADER), true);
    expect(again.status, JSON.stringify(again.json.errors)).toBe(200);
    expect(again.json.unknownHeaders).toEqual([]);
    expect(again.json.unknownValues).toEqual([]);
    // The import is audited with how many answers it remembered.
    const audit = await t.database.db.execute<{ detail: { mappings?: number } }>(
      sql`select detail from audit_log where action = 'member.import' and result = 'ok' order by seq desc limit 1`,
    );
    expect(audit.rows[0].detail.mappings).toBe(4);
  });

  it('keeps one county’s answers from another county', async () => {
    await t.database.db.execute(
      sql`insert into import_mappings (county_code, kind, field, source, target) values ('999999', 'value', 'personCategory', '种地的', '2')`,
    );
    const res = await upload(
      await rosterWorkbook(
        [['丙一', newId('19840505'), '中共甲一村支部委员会', '2001-07-01', '2002-07-01', '', '', '种地的']],
        HEADER,
      ),
      true,
    );
    expect(res.status).toBe(422);
    expect(res.json.unknownValues.map((x: { value: string }) => x.value)).toEqual(['种地的']);
  });
});
