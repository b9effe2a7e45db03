/**
 * Input and errors (SEC-19, SEC-24): control characters, date filters, framework errors in the
 * Chinese `{code, message, requestId}` form, zod messages in Chinese, spreadsheet formula injection,
 * and slow request bodies (SEC-31).
 */
import net from 'node:net';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { cellText } from '../modules/members/import.ts';
import { safeCellText } from '../platform/xlsx-cells.ts';
import { newId, ORIGIN, setup, type TestCtx } from './harness.ts';

let t: TestCtx;
let admin: string;
beforeAll(async () => {
  t = await setup();
  admin = await t.login('admin');
});
afterAll(async () => t?.close());

const CHINESE = /[\u4e00-\u9fff]/;
/** Three or more Latin letters in a row: English leaking into a message (field names are translated). */
const ENGLISH = /[A-Za-z]{3,}/;

function expectChineseError(res: { status: number; json: any; body: string }, status: number, code: string) {
  expect(res.status, res.body).toBe(status);
  expect(res.json?.code, res.body).toBe(code);
  expect(res.json.message).toMatch(CHINESE);
  expect(res.json.requestId).toMatch(/^[0-9a-f]{16}$/);
  expect(res.body).not.toMatch(/statusCode|FST_|Bad Request|stack/);
}

describe('control characters are refused everywhere (SEC-19)', () => {
  it('a NUL in the search word', async () => {
    expectChineseError(await t.req('GET', '/api/members?q=%00', { cookie: admin }), 400, 'VALIDATION');
    expectChineseError(await t.req('GET', '/api/members?q=%E5%BC%A0%00', { cookie: admin }), 400, 'VALIDATION');
    expectChineseError(await t.req('GET', '/api/users?q=a%00b', { cookie: admin }), 400, 'VALIDATION');
  });

  it('query strings that fail URL decoding or hide a NUL in a key never reach PostgreSQL as a 500', async () => {
    for (const url of [
      '/api/members?q=%E0%A4%A',
      '/api/members?q=%',
      '/api/members?q=%00%E0',
      '/api/members?%00=1',
      '/api/members?q=%C0%80',
      '/api/users?q=%E0%A4%A%00',
    ]) {
      const res = await t.req('GET', url, { cookie: admin });
      expect(res.status, `${url} ${res.body}`).toBeLessThan(500);
      if (res.status >= 400) expect(res.json.code).toMatch(/^[A-Z_]+$/);
    }
  });

  it('other control characters in a query; a tab in a query too', async () => {
    for (const c of ['%07', '%1B', '%7F', '%09', '%0A']) {
      const res = await t.req('GET', `/api/members?q=a${c}`, { cookie: admin });
      expectChineseError(res, 400, 'VALIDATION');
      expect(res.json.message).toMatch(/搜索词/);
    }
  });

  it('a NUL in a member post or address, or an organization contact name', async () => {
    const id = t.fx.members.张三;
    for (const body of [{ post: 'a\u0000b' }, { address: '河南\u0000省' }, { name: '张\u0008三' }]) {
      const res = await t.req('PATCH', `/api/members/${id}`, { cookie: admin, body });
      expectChineseError(res, 400, 'VALIDATION');
    }
    const create = await t.req('POST', '/api/members', {
      cookie: admin,
      body: {
        name: '新人',
        idNumber: newId('19900101'),
        orgId: t.fx.villageA1,
        standing: 'full',
        joinDate: '2015-07-01',
        fullDate: '2016-07-01',
        post: '\u0000',
      },
    });
    expectChineseError(create, 400, 'VALIDATION');
    const org = await t.req('PATCH', `/api/orgs/${t.fx.villageA2}`, {
      cookie: admin,
      body: { contactName: '李\u0000支书' },
    });
    expectChineseError(org, 400, 'VALIDATION');
    expect(org.json.message).toMatch(/联系人/);
  });

  it('tab and line breaks stay allowed in bodies', async () => {
    const res = await t.req('PATCH', `/api/orgs/${t.fx.villageA2}`, {
      cookie: admin,
      body: { contactName: '李\t支书' },
    });
    expect(res.status, res.body).toBeLessThan(500);
    expect(res.json.code).not.toBe('VALIDATION');
  });

  it('audit date filters are validated', async () => {
    const auditor = await t.login('auditor');
    expectChineseError(await t.req('GET', '/api/audit?from=garbage', { cookie: auditor }), 400, 'VALIDATION');
    expectChineseError(await t.req('GET', '/api/audit?to=2026-13-45', { cookie: auditor }), 400, 'VALIDATION');
    expectChineseError(await t.req('GET', '/api/audit?from=2026-01-01%00', { cookie: auditor }), 400, 'VALIDATION');
    const ok = await t.req('GET', '/api/audit?from=2026-01-01&to=2026-12-31', { cookie: auditor });
    expect(ok.status, ok.body).toBe(200);
  });
});

describe('every error answers in the Chinese form (SEC-24)', () => {
  it('a malformed URL', async () => {
    expectChineseError(await t.req('GET', '/%E0%A4%A'), 400, 'BAD_URL');
    expectChineseError(await t.req('GET', '/api/members/%E0%A4%A', { cookie: admin }), 400, 'BAD_URL');
    // A path parameter over Fastify's length limit is refused before routing as well.
    expectChineseError(await t.req('GET', `/api/members/${'a'.repeat(200)}`, { cookie: admin }), 400, 'BAD_URL');
  });

  it('a body over the limit', async () => {
    const res = await t.req('PATCH', `/api/orgs/${t.fx.villageA2}`, {
      cookie: admin,
      body: { contactName: 'x'.repeat(2 * 1024 * 1024) },
    });
    expectChineseError(res, 413, 'BODY_TOO_LARGE');
  });

  it('an unsupported media type', async () => {
    const res = await t.req('POST', '/api/members', {
      cookie: admin,
      body: 'name=x',
      headers: { 'content-type': 'text/xml' },
    });
    expectChineseError(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('invalid JSON and an empty JSON body', async () => {
    expectChineseError(
      await t.req('POST', '/api/members', {
        cookie: admin,
        body: '{"name":',
        headers: { 'content-type': 'application/json' },
      }),
      400,
      'INVALID_JSON',
    );
    expectChineseError(
      await t.req('POST', '/api/members', { cookie: admin, body: '', headers: { 'content-type': 'application/json' } }),
      400,
      'EMPTY_BODY',
    );
  });

  it('an oversized import', async () => {
    const big = Buffer.alloc(21 * 1024 * 1024, 0x41);
    big.write('PK\u0003\u0004', 0, 'binary');
    const boundary = '----djbig';
    const body = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.xlsx"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      big,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/members/import',
      headers: {
        cookie: admin,
        origin: ORIGIN,
        host: 'localhost:80',
        'content-type': `multipart/form-data; boundary=${boundary}`,
      },
      payload: body,
    });
    expectChineseError({ status: res.statusCode, json: res.json(), body: res.body }, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('zod speaks Chinese: pageSize=999 and other schema failures', async () => {
    for (const url of [
      '/api/members?pageSize=999',
      '/api/members?page=0',
      '/api/members?pageSize=abc',
      '/api/members?sex=3',
      '/api/members?orgId=nope',
      `/api/members?q=${'x'.repeat(60)}`,
    ]) {
      const res = await t.req('GET', url, { cookie: admin });
      expectChineseError(res, 400, 'VALIDATION');
      expect(res.json.message, url).not.toMatch(ENGLISH);
    }
    const pageSize = await t.req('GET', '/api/members?pageSize=999', { cookie: admin });
    expect(pageSize.json.message).toMatch(/每页条数：.*200/);
    const unknown = await t.req('PATCH', `/api/orgs/${t.fx.villageA2}`, { cookie: admin, body: { bogus: 1 } });
    expectChineseError(unknown, 400, 'VALIDATION');
    expect(unknown.json.message.replace('bogus', '')).not.toMatch(ENGLISH);
  });
});

describe('spreadsheet formula injection (SEC-19)', () => {
  async function exportRows(reason: string) {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/members/export?reason=${encodeURIComponent(reason)}&orgId=${t.fx.villageA1}`,
      headers: { cookie: admin, host: 'localhost:80' },
    });
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    return wb.worksheets[0];
  }

  it('exported text cells that start a formula are neutralised with a leading apostrophe', async () => {
    // Leading tab and CR cannot reach the database through the API (fields are trimmed); safeCellText covers them below.
    const payloads = ['=HYPERLINK("http://x","y")', '+1+2', '-2+3', '@SUM(A1)'];
    for (const [i, post] of payloads.entries()) {
      const id = i % 2 ? t.fx.members.张珊 : t.fx.members.张三;
      const res = await t.req('PATCH', `/api/members/${id}`, { cookie: admin, body: { post } });
      expect(res.status, res.body).toBe(200);
      const ws = await exportRows('统计');
      const posts: string[] = [];
      // 职务 found by its header in row 1; data starts on row 2 (the watermark is in the header, footer and its own sheet).
      const postCol = (ws.getRow(1).values as unknown[]).map((v) => String(v ?? '')).indexOf('职务');
      expect(postCol).toBeGreaterThan(0);
      ws.eachRow((r, n) => n > 1 && posts.push(String(r.getCell(postCol).value ?? '')));
      expect(posts).toContain(`'${post}`);
      for (const p of posts) expect(p).not.toMatch(/^[=+\-@\t\r]/);
    }
  });

  it('the apostrophe is added for every formula start and removed again on import', () => {
    for (const v of ['=1+2', '+1', '-1', '@A1', '\tx', '\rx']) {
      expect(safeCellText(v)).toBe(`'${v}`);
      expect(cellText(safeCellText(v))).toBe(v);
    }
    expect(safeCellText('张三')).toBe('张三');
    expect(safeCellText("'plain")).toBe("'plain");
    expect(cellText("'plain")).toBe("'plain");
    expect(cellText('a\u0000b\u0007c')).toBe('abc');
  });

  it('the export reason cannot inject header and footer codes', async () => {
    const ws = await exportRows('统计&K00FF00绿色&P&"Arial,Bold"&L左');
    const hf = ws.headerFooter;
    for (const s of [hf.oddHeader, hf.oddFooter]) {
      expect(s).toBeTruthy();
      // Once escaped ampersands are removed, only our own codes remain.
      const codes = String(s).replace(/&&/g, '').match(/&./g);
      expect(codes?.filter((c) => !['&C', '&P', '&N'].includes(c))).toEqual([]);
      expect(s).toContain('&&K00FF00');
    }
  });
});

describe('slow requests are cut off (SEC-31)', () => {
  /** Open a socket, send `head`, then one byte of `drip` every 100 ms; what came back, and when. */
  async function trickle(port: number, head: string, drip: string): Promise<{ outcome: string; took: number }> {
    const started = Date.now();
    const outcome = await new Promise<string>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      let got = '';
      let timer: NodeJS.Timeout | undefined;
      let i = 0;
      s.on('connect', () => {
        s.write(head);
        timer = setInterval(() => s.writable && s.write(drip[i++ % drip.length]), 100);
      });
      s.on('data', (d) => {
        got += d.toString();
      });
      const end = () => {
        clearInterval(timer);
        resolve(got || 'closed');
      };
      s.on('close', end);
      s.on('error', end);
      setTimeout(() => {
        s.destroy();
        resolve('still open');
      }, 8000);
    });
    return { outcome, took: Date.now() - started };
  }

  it('a trickled body or trickled headers get a Chinese 408 within the request timeout', async () => {
    const app = await buildApp(t.deps, { requestTimeoutMs: 800 });
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const port = (app.server.address() as net.AddressInfo).port;
      const body = await trickle(
        port,
        `POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: ${ORIGIN}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{`,
        ' ',
      );
      const headers = await trickle(
        port,
        `GET /api/health HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n`,
        'X-Slow: aaaaaaaa\r\n',
      );
      for (const { outcome, took } of [body, headers]) {
        // Node answers 408 through our client error handler, in the Chinese form, and closes.
        expect(outcome).toMatch(/^HTTP\/1\.1 408/);
        const json = JSON.parse(outcome.slice(outcome.indexOf('\r\n\r\n') + 4));
        expect(json).toMatchObject({
          code: 'REQUEST_TIMEOUT',
          message: expect.stringMatching(CHINESE),
          requestId: expect.stringMatching(/^[0-9a-f]{16}$/),
        });
        expect(took).toBeLessThan(4000);
      }
    } finally {
      await app.close();
    }
  });
});
