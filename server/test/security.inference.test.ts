/**
 * SEC-30 and friends: protected values cannot be rebuilt through the API or from a keyless copy of
 * the database; organization phones are sealed like members'; ciphertext is bound to its row; an ID
 * number that is already registered does not become a membership lookup service (SEC-8).
 */
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseExtract, readExtract } from '../modules/seed/divisions.ts';
import { checkChar, parseIdNumber } from '../platform/idcard.ts';
import { newId, setup, type TestCtx, uploadRoster } from './harness.ts';

/** A superuser connection to the test's own database, as an attacker with the raw database would have. */
async function ownerClient(t: TestCtx): Promise<pg.Client> {
  const name = (await t.database.db.execute<{ d: string }>(sql`select current_database() as d`)).rows[0].d;
  const u = new URL(inject('pgAdminUrl'));
  u.pathname = `/${name}`;
  const c = new pg.Client({ connectionString: u.toString() });
  await c.connect();
  return c;
}

/** Every county-level division code the attacker could try as the region part (the national list). */
const REGIONS: string[] = parseExtract(readExtract(), null).areas.map((a) => a.code);

interface Hints {
  /** Visible characters of the number by position (from a mask). */
  known: Map<number, string>;
  birthDate: string | null;
  sex: '1' | '2' | null;
  /** Last four characters, if some oracle gave them. */
  tail: string | null;
}

/**
 * The reviewer's attack, generalised: every ID number consistent with what is visible. Returns the
 * count of candidates (capped), so a test can say "one" (rebuilt) or "the whole space".
 */
function candidates(h: Hints, cap = 1_000_000): number {
  const regions = REGIONS.filter((r) => [...h.known].every(([i, ch]) => i >= 6 || r[i] === ch));
  const births = h.birthDate ? 1 : 365;
  let n = 0;
  for (const region of regions) {
    if (!h.birthDate) {
      // Without the birth date every day of the year remains: the count alone says enough.
      n += births * 500;
      if (n >= cap) return cap;
      continue;
    }
    const body14 = `${region}${h.birthDate.replaceAll('-', '')}`;
    if ([...h.known].some(([i, ch]) => i >= 6 && i < 14 && body14[i] !== ch)) continue;
    for (let seq = 0; seq < 1000; seq++) {
      const s = String(seq).padStart(3, '0');
      if (h.sex && (Number(s[2]) % 2 === 1 ? '1' : '2') !== h.sex) continue;
      const id = body14 + s + checkChar(body14 + s);
      if ([...h.known].some(([i, ch]) => id[i] !== ch)) continue;
      if (h.tail && id.slice(-4) !== h.tail) continue;
      n++;
      if (n >= cap) return cap;
    }
  }
  return n;
}

function hintsFromMask(mask: string): Map<number, string> {
  const m = new Map<number, string>();
  [...mask].forEach((ch, i) => {
    if (ch !== '*') m.set(i, ch);
  });
  return m;
}

let t: TestCtx;
let admin: string;
let leader: string;
let orga: string;
let orgb: string;
const victims = ['张三', '李四', '王五'] as const;

beforeAll(async () => {
  t = await setup();
  // A small refusal budget makes the membership-probe limit testable in a few requests.
  await t.database.db.execute(
    sql`insert into settings (county_code, key, value) values ('410225', 'security.duplicateRefusalsPerDay', '3'::jsonb)`,
  );
  admin = await t.login('admin');
  leader = await t.login('leader');
  orga = await t.login('orga');
  orgb = await t.login('orgb');
});
afterAll(async () => t?.close());

describe('through the API (SEC-30)', () => {
  it('a read-only leader sees neither the birth date nor any character of the ID number, and cannot search by it', async () => {
    for (const name of victims) {
      const id = t.fx.ids[name];
      const res = await t.req('GET', `/api/members/${t.fx.members[name]}`, { cookie: leader });
      expect(res.status).toBe(200);
      expect(res.json.birthDate).toBeNull();
      expect(res.json.age).toBeGreaterThan(17);
      expect(res.json.idNumberMasked).toBe('*'.repeat(18));
      // The attack from the review: 100 guesses of two digits through the tail search. It is refused outright.
      const probe = await t.req('GET', `/api/members?q=${id.slice(-4)}`, { cookie: leader });
      expect(probe.status).toBe(403);
      expect(probe.json.code).toBe('FORBIDDEN');
      const full = await t.req('GET', `/api/members?q=${id}`, { cookie: leader });
      expect(full.json.code).toBe('FORBIDDEN');
      // What is left to an attacker is the whole space: every region, every day of the year, every sequence number.
      const h: Hints = {
        known: hintsFromMask(res.json.idNumberMasked),
        birthDate: res.json.birthDate,
        sex: res.json.sex,
        tail: null,
      };
      expect(candidates(h)).toBe(1_000_000);
    }
    // Lists carry the same shape.
    const list = await t.req('GET', '/api/members?pageSize=50', { cookie: leader });
    for (const m of list.json.items) {
      expect(m.birthDate).toBeNull();
      expect(m.idNumberMasked).toBe('*'.repeat(18));
    }
  });

  it('the same attack against the old shape (first 4 + last 2, birth date, tail oracle) rebuilt the number: the measure works', () => {
    for (const name of victims) {
      const id = t.fx.ids[name];
      const p = parseIdNumber(id);
      if (!p.ok) throw new Error('fixture');
      const old: Hints = {
        known: hintsFromMask(`${id.slice(0, 4)}************${id.slice(-2)}`),
        birthDate: p.info.birthDate,
        sex: p.info.sex,
        tail: id.slice(-4),
      };
      expect(candidates(old)).toBeLessThanOrEqual(2);
    }
  });

  it('a role that may reveal sees first and last character only; each lookup by ID number is audited and capped', async () => {
    await t.database.db.execute(
      sql`insert into settings (county_code, key, value) values ('410225', 'security.idSearchesPerHour', '5'::jsonb) on conflict (county_code, key) do update set value = excluded.value`,
    );
    const id = t.fx.ids.张三;
    const res = await t.req('GET', `/api/members/${t.fx.members.张三}`, { cookie: orga });
    expect(res.json.idNumberMasked).toBe(`${id[0]}${'*'.repeat(16)}${id[17]}`);
    const hit = await t.req('GET', `/api/members?q=${id.slice(-4)}`, { cookie: orga });
    expect(hit.status).toBe(200);
    expect(hit.json.items.map((m: { id: string }) => m.id)).toContain(t.fx.members.张三);
    const byFull = await t.req('GET', `/api/members?q=${id.toLowerCase()}`, { cookie: orga });
    expect(byFull.json.items.map((m: { id: string }) => m.id)).toEqual([t.fx.members.张三]);
    const audit = await t.database.db.execute<{ detail: { kind: string; hits: number; memberIds: string[] } }>(
      sql`select detail from audit_log where action = 'member.search.idNumber' and username = 'orga' order by seq`,
    );
    expect(audit.rows.map((r) => r.detail.kind)).toEqual(['tail', 'full']);
    expect(audit.rows[0].detail.memberIds).toContain(t.fx.members.张三);
    // The audit entry never holds the searched digits.
    expect(JSON.stringify(audit.rows)).not.toContain(id.slice(-4));
    // Guessing tails one by one runs into the cap long before the 500 a rebuild would need.
    const codes: string[] = [];
    for (let i = 0; i < 5; i++)
      codes.push((await t.req('GET', `/api/members?q=${String(1000 + i)}`, { cookie: orga })).json?.code ?? 'ok');
    expect(codes).toContain('RATE_LIMITED');
  });

  it('an export records its filter but never the ID digits searched', async () => {
    const id = t.fx.ids.李四;
    const res = await t.req('GET', `/api/members/export?reason=${encodeURIComponent('核对')}&q=${id}`, {
      cookie: admin,
    });
    expect(res.status).toBe(200);
    const a = await t.database.db.execute<{ detail: unknown }>(
      sql`select detail from audit_log where action = 'member.export' order by seq desc limit 1`,
    );
    expect(JSON.stringify(a.rows[0].detail)).not.toContain(id.slice(-4));
  });
});

describe('a copy of the database without keys (SEC-16, SEC-30)', () => {
  it('no column beside the ciphertext narrows the number: the candidates left per member are the whole sequence space', async () => {
    const c = await ownerClient(t);
    try {
      const rows = await c.query('select row_to_json(m)::jsonb as j from members m');
      for (const { j } of rows.rows as { j: Record<string, unknown> }[]) {
        const name = String(j.name);
        const id = t.fx.ids[name];
        if (!id) continue;
        // Whatever plain column there is, the attacker reads it: masks, tails, birth date, sex, county.
        const plain = Object.entries(j).filter(([k]) => !k.endsWith('_enc') && !k.endsWith('_bidx'));
        const text = plain.map(([, v]) => String(v ?? '')).join('|');
        expect(text, `${name}: last four of the ID number in a plain column`).not.toContain(id.slice(-4));
        expect(text).not.toMatch(/[0-9X*]{18}/);
        const h: Hints = { known: new Map(), birthDate: String(j.birth_date), sex: j.sex as '1' | '2', tail: null };
        // The region is taken as known (the county's own): still 500 sequence numbers, none preferred.
        const local: Hints = { ...h, known: hintsFromMask(`${String(j.county_code)}************`) };
        expect(candidates(local)).toBe(500);
      }
    } finally {
      await c.end();
    }
  });

  it('no plaintext ID number or phone in any table or in the raw bytes of any relation file (SEC-16)', async () => {
    await t.req('PATCH', `/api/orgs/${t.fx.villageA1}`, { cookie: admin, body: { contactPhone: '13587654321' } });
    await t.req('PATCH', `/api/orgs/${t.fx.villageA2}`, { cookie: admin, body: { contactPhone: '0371-22334455' } });
    await t.req('POST', `/api/orgs/${t.fx.villageA1}/reveal`, { cookie: admin, body: { reason: '泄露扫描' } });
    await t.req('POST', `/api/members/${t.fx.members.李四}/reveal`, { cookie: admin, body: { reason: '泄露扫描' } });
    const secrets = [...Object.values(t.fx.ids), '13587654321', '0371-22334455', '37122334455', '13912345678'];
    const c = await ownerClient(t);
    try {
      await c.query('checkpoint');
      const tables = await c.query(`select table_name from information_schema.tables where table_schema = 'public'`);
      let dump = '';
      for (const { table_name } of tables.rows)
        dump += (await c.query(`select row_to_json(t)::text as j from "${table_name}" t`)).rows
          .map((r) => r.j)
          .join('\n');
      for (const s of secrets) expect(dump, `plaintext ${s} in a table`).not.toContain(s);
      // Every mobile-looking number standing on its own (not a run of digits inside a hex digest or
      // base64 ciphertext): none (masks keep only 3 + 4 digits).
      expect(dump.match(/(?<![0-9A-Za-z+/=_-])1[3-9]\d{9}(?![0-9A-Za-z+/=_-])/g) ?? []).toEqual([]);
      const files = await c.query(
        `select c.relname, pg_relation_filepath(c.oid) as f from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where n.nspname in ('public', 'pg_toast') and c.relkind in ('r', 'i', 't') and pg_relation_filepath(c.oid) is not null`,
      );
      let scanned = 0;
      for (const { relname, f } of files.rows) {
        const size = (await c.query('select coalesce((pg_stat_file($1, true)).size, 0) as s', [f])).rows[0].s;
        if (!Number(size)) continue;
        const bytes: Buffer = (await c.query('select pg_read_binary_file($1) as b', [f])).rows[0].b;
        scanned += bytes.length;
        const latin = bytes.toString('latin1');
        for (const s of secrets) expect(latin.includes(s), `plaintext ${s} in the file of ${relname}`).toBe(false);
      }
      expect(scanned).toBeGreaterThan(100_000);
    } finally {
      await c.end();
    }
  });
});

describe('organization contact phones (SEC-9, SEC-16)', () => {
  it('are masked for everyone, revealed by the audited action, refused to roles without the permission', async () => {
    await t.req('PATCH', `/api/orgs/${t.fx.villageB1}`, { cookie: admin, body: { contactPhone: '13611112222' } });
    const asLeader = await t.req('GET', `/api/orgs/${t.fx.villageB1}`, { cookie: leader });
    expect(asLeader.json.contactPhoneMasked).toBe('136****2222');
    expect(asLeader.json).not.toHaveProperty('contactPhone');
    expect(asLeader.body).not.toContain('13611112222');
    const denied = await t.req('POST', `/api/orgs/${t.fx.villageB1}/reveal`, {
      cookie: leader,
      body: { reason: '想看看' },
    });
    expect(denied.status).toBe(403);
    expect(denied.json.code).toBe('FORBIDDEN');
    const other = await t.req('POST', `/api/orgs/${t.fx.villageB1}/reveal`, {
      cookie: orga,
      body: { reason: '想看看' },
    });
    expect(other.json.code).toBe('NOT_FOUND');
    const ok = await t.req('POST', `/api/orgs/${t.fx.villageB1}/reveal`, {
      cookie: admin,
      body: { reason: '联系支部书记' },
    });
    expect(ok.json.contactPhone).toBe('13611112222');
    const a = await t.database.db.execute<{ detail: { reason: string } }>(
      sql`select detail from audit_log where action = 'org.reveal' and object_id = ${t.fx.villageB1}`,
    );
    expect(a.rows.map((r) => r.detail.reason)).toContain('联系支部书记');
    const bad = await t.req('PATCH', `/api/orgs/${t.fx.villageB1}`, { cookie: admin, body: { contactPhone: '12345' } });
    expect(bad.json.code).toBe('VALIDATION');
    expect(bad.json.details.fields[0].field).toBe('contactPhone');
  });
});

describe('ciphertext bound to its row (SEC-30)', () => {
  it('two members whose encrypted ID numbers are swapped in the database are caught, not shown as each other', async () => {
    const c = await ownerClient(t);
    try {
      await c.query(`update members a set id_enc = b.id_enc from members b where a.id = $1 and b.id = $2`, [
        t.fx.members.赵六,
        t.fx.members.王五,
      ]);
    } finally {
      await c.end();
    }
    const res = await t.req('POST', `/api/members/${t.fx.members.赵六}/reveal`, {
      cookie: admin,
      body: { reason: '核对' },
    });
    expect(res.status).toBe(500);
    expect(res.json.code).toBe('DATA_INTEGRITY');
    expect(res.body).not.toContain(t.fx.ids.王五);
    const a = await t.database.db.execute<{ n: number }>(
      sql`select count(*)::int as n from audit_log where action = 'access.denied' and detail->>'code' = 'DATA_INTEGRITY'`,
    );
    expect(a.rows[0].n).toBe(1);
  });
});

describe('membership oracle (SEC-8)', () => {
  it('a duplicate gets one neutral answer, each refusal is audited, and past the limit the county is alerted', async () => {
    const body = (id: string) => ({
      name: '探测',
      idNumber: id,
      orgId: t.fx.villageB1,
      standing: 'full',
      joinDate: '2010-07-01',
      fullDate: '2011-07-01',
    });
    const first = await t.req('POST', '/api/members', { cookie: orgb, body: body(t.fx.ids.张三) });
    expect(first.status).toBe(409);
    expect(first.json.code).toBe('DUPLICATE_ID_NUMBER');
    expect(first.json.message).toContain('组织关系转接');
    expect(first.json.message).not.toMatch(/已登记为党员|管辖范围以外/);
    // In scope or not, the answer reads the same.
    const inScope = await t.req('POST', '/api/members', { cookie: orgb, body: body(t.fx.ids.王五) });
    expect(inScope.json.message).toBe(first.json.message);
    const third = await t.req('POST', '/api/members', { cookie: orgb, body: body(t.fx.ids.李四) });
    expect(third.json.code).toBe('DUPLICATE_ID_NUMBER');
    const over = await t.req('POST', '/api/members', { cookie: orgb, body: body(t.fx.ids.赵六) });
    expect(over.status).toBe(429);
    expect(over.json.code).toBe('RATE_LIMITED');
    const audit = await t.database.db.execute<{ action: string }>(
      sql`select action from audit_log where username = 'orgb' and action in ('member.duplicateRefused', 'security.alert') order by seq`,
    );
    expect(audit.rows.map((r) => r.action)).toEqual([
      'member.duplicateRefused',
      'member.duplicateRefused',
      'member.duplicateRefused',
      'member.duplicateRefused',
      'security.alert',
    ]);
    // A fresh, unregistered number still works for this account: only refusals are limited.
    const fresh = await t.req('POST', '/api/members', { cookie: orgb, body: body(newId('19820303')) });
    expect(fresh.status).toBe(201);
  });

  it('an import answers each out-of-scope number neutrally and within the budget only; past it, no per-row answers', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('名册');
    ws.addRow(['姓名', '身份证号', '所在党支部', '党员类别', '入党时间']);
    ws.addRow(['探一', t.fx.ids.王五, '中共甲二村支部委员会', '正式党员', '2012-07-01']);
    ws.addRow(['探二', t.fx.ids.赵六, '中共甲二村支部委员会', '正式党员', '2012-07-01']);
    const file = Buffer.from(await wb.xlsx.writeBuffer());
    const send = async () => (await uploadRoster(t, orga, file)).json;
    const first = await send();
    expect(first.ok).toBe(false);
    expect(first.errors.map((e: { row: number }) => e.row)).toEqual([2, 3]);
    for (const e of first.errors) {
      expect(e.message).toContain('组织关系转接');
      expect(e.message).not.toMatch(/管辖范围以外|已登记为党员/);
    }
    const second = await send();
    expect(second.errors).toEqual([{ row: 0, column: '公民身份号码', message: expect.stringContaining('次数过多') }]);
    const alerts = await t.database.db.execute<{ n: number }>(
      sql`select count(*)::int as n from audit_log where username = 'orga' and action = 'security.alert'`,
    );
    expect(alerts.rows[0].n).toBe(1);
  });
});
