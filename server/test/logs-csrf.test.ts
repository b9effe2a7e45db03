/** Logs without personal data or one-time passwords (SEC-13) and the CSRF origin check (SEC-22). */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildApp } from '../app.ts';
import { loadConfig } from '../platform/config.ts';
import { maskIdNumber } from '../platform/idcard.ts';
import { verifyPassword } from '../platform/passwords.ts';
import { serializeError } from '../platform/logging.ts';
import { deliverOneTimePasswords } from '../platform/onetime.ts';
import { newId, ORIGIN, setup, type TestCtx } from './harness.ts';

let t: TestCtx;
let admin: string;
beforeAll(async () => {
  t = await setup();
  admin = await t.login('admin');
});
afterAll(async () => t?.close());

describe('CSRF: the Origin must be the configured public origin (SEC-22)', () => {
  const patch = (headers: Record<string, string>) =>
    t.req('PATCH', `/api/orgs/${t.fx.villageA1}`, { cookie: admin, body: { contactName: '来源' }, headers });

  it('refuses an https Origin on an http server', async () => {
    const res = await patch({ origin: 'https://localhost' });
    expect(res.status).toBe(403);
    expect(res.json.code).toBe('CSRF');
  });

  it('refuses another port of the same host, even when Host agrees with it', async () => {
    const res = await patch({ origin: 'http://localhost:8080', host: 'localhost:8080' });
    expect(res.status).toBe(403);
    expect(res.json.code).toBe('CSRF');
    const ref = await patch({ origin: '', referer: 'http://localhost:8080/members' });
    expect(ref.json.code).toBe('CSRF');
  });

  it('accepts the public origin behind a proxy that rewrites Host; Referer works when Origin is absent', async () => {
    const config = {
      ...t.deps.config,
      publicOrigins: loadConfig({ DANGJIAN_PUBLIC_URL: 'https://dj.example.gov.cn' }).publicOrigins,
    };
    const app = await buildApp({ ...t.deps, config });
    try {
      const send = (headers: Record<string, string>) =>
        app.inject({
          method: 'PATCH',
          url: `/api/orgs/${t.fx.villageA1}`,
          headers: { cookie: admin, host: '127.0.0.1:3000', ...headers },
          payload: { contactName: '代理' },
        });
      const ok = await send({ origin: 'https://dj.example.gov.cn' });
      expect(ok.statusCode, ok.body).toBe(200);
      const viaReferer = await send({ referer: 'https://dj.example.gov.cn/orgs/x' });
      expect(viaReferer.statusCode, viaReferer.body).toBe(200);
      const plain = await send({ origin: 'http://dj.example.gov.cn' });
      expect(plain.json().code).toBe('CSRF');
      const local = await send({ origin: 'http://127.0.0.1:3000' });
      expect(local.json().code).toBe('CSRF');
    } finally {
      await app.close();
    }
  });

  it('defaults to the listening address, localhost included for a loopback listener', () => {
    expect(loadConfig({ PORT: '3999' }).publicOrigins).toEqual(['http://localhost:3999', 'http://127.0.0.1:3999']);
    expect(loadConfig({ HOST: '10.1.2.3', PORT: '80' }).publicOrigins).toEqual(['http://10.1.2.3']);
    expect(() => loadConfig({ DANGJIAN_PUBLIC_URL: 'dj.example.gov.cn' })).toThrow(/DANGJIAN_PUBLIC_URL/);
  });
});

describe('logs (SEC-13)', () => {
  it('a failed insert logs the SQL state, not the name, birth date, ID tail and mask or phone', async () => {
    let out = '';
    const stream = new Writable({
      write(chunk, _enc, cb) {
        out += chunk.toString();
        cb();
      },
    });
    const app = await buildApp(t.deps, { logger: true, logStream: stream });
    await app.ready();
    // The database refuses this one row (a check only the test adds), as it would a constraint the service missed.
    const owner = new pg.Client({ connectionString: t.ownerUrl });
    await owner.connect();
    await owner.query(`alter table members add constraint leak_probe check (name <> '柳泄露')`);
    await owner.end();
    // An ID number whose tail ends in X: four characters that no request id or hash can contain by chance.
    let id = newId('19771231');
    while (!id.endsWith('X')) id = newId('19771231');
    const phone = '13687654321';
    try {
      const res = await app.inject({
        method: 'POST',
        url: '/api/members',
        headers: { cookie: admin, origin: ORIGIN, host: 'localhost:80' },
        payload: {
          name: '柳泄露',
          idNumber: id,
          orgId: t.fx.villageA1,
          standing: 'full',
          joinDate: '2010-07-01',
          fullDate: '2011-07-01',
          phone,
          address: '河南省兰考县泄露路9号',
        },
      });
      expect(res.statusCode).toBe(500);
      expect(res.json().code).toBe('INTERNAL');
    } finally {
      await app.close();
      const c = new pg.Client({ connectionString: t.ownerUrl });
      await c.connect();
      await c.query('alter table members drop constraint leak_probe');
      await c.end();
    }
    expect(out).toContain('"code":"23514"'); // check_violation: the maintainer still learns what failed
    expect(out).toContain('leak_probe');
    for (const secret of [
      '柳泄露',
      'liuxielou',
      '1977-12-31',
      '19771231',
      id.slice(-4),
      maskIdNumber(id),
      phone,
      '136****4321',
      '泄露路',
    ]) {
      expect(out, secret).not.toContain(secret);
    }
  });

  it('the request log names route patterns, never a query or a value in the path (issue 15 §4)', async () => {
    let out = '';
    const stream = new Writable({
      write(chunk, _enc, cb) {
        out += chunk.toString();
        cb();
      },
    });
    const app = await buildApp(t.deps, { logger: true, logStream: stream });
    await app.ready();
    const id = t.fx.ids.张三;
    const phone = '13912345678';
    const query = `q=${id}&idNumber=${id}&phone=${phone}&name=%E5%BC%A0%E4%B8%89`;
    const fill = (url: string) => url.replace(/:[a-zA-Z]+/g, t.fx.members.张三);
    let sent = 0;
    try {
      // Every GET route, its parameters filled and personal data in the query: whatever it answers, the log keeps none of it.
      for (const r of app.routeTable.filter(
        (x) => x.method === 'GET' && x.url.startsWith('/api/') && !x.url.startsWith('/api/docs'),
      )) {
        await app.inject({
          method: 'GET',
          url: `${fill(r.url)}?${query}`,
          headers: { cookie: admin, host: 'localhost:80' },
        });
        sent++;
      }
      await app.inject({
        method: 'GET',
        url: `/api/members/export?q=${id.slice(-4)}${id.slice(0, 2)}&reason=x`,
        headers: { cookie: admin, host: 'localhost:80' },
      });
      await app.inject({
        method: 'GET',
        url: `/api/no-such/${id}?q=${id}`,
        headers: { cookie: admin, host: 'localhost:80' },
      });
    } finally {
      await app.close();
    }
    expect(sent).toBeGreaterThan(20);
    expect(out).toContain('"url":"/api/members"');
    expect(out).toContain('"url":"/api/members/:id"');
    for (const secret of [id, id.slice(-6), phone, '张三', '%E5%BC%A0']) expect(out, secret).not.toContain(secret);
  });

  it('the error serializer keeps names and codes, drops values from pg errors', () => {
    const pgErr = Object.assign(new Error('invalid input syntax for type date: "1977-13-45"'), {
      code: '22007',
      severity: 'ERROR',
      routine: 'DateTimeParseError',
      detail: 'Failing row contains (张三, 13912345678).',
      where: "unnamed portal parameter $7 = '1977-13-45'",
    });
    const wrapped = Object.assign(
      new Error('Failed query: insert into members (name) values ($1)\nparams: 张三,13912345678'),
      { query: 'insert into members (name) values ($1)', params: ['张三', '13912345678'], cause: pgErr },
    );
    const text = JSON.stringify(serializeError(wrapped));
    expect(text).not.toMatch(/张三|13912345678|1977-13-45/);
    expect(text).toContain('22007');
    expect(text).toContain('values ($1)');
  });
});

describe('one-time passwords reach only a terminal (SEC-1, SEC-13)', () => {
  it('with stdout not a terminal they go to a 0600 file and only its path is printed', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-otp-'));
    try {
      const printed: string[] = [];
      const file = deliverOneTimePasswords([{ username: 'auditor', password: 'Secret#One2026' }], {
        dataDir: dir,
        what: '初始密码',
        print: (l) => printed.push(l),
        tty: false,
      });
      expect(file).toBe(path.join(dir, 'initial-passwords.txt'));
      expect(printed.join('\n')).not.toContain('Secret#One2026');
      expect(printed.join('\n')).toContain(String(file));
      expect(fs.readFileSync(String(file), 'utf8')).toContain('Secret#One2026');
      expect(fs.statSync(String(file)).mode & 0o777).toBe(0o600);
      const tty: string[] = [];
      deliverOneTimePasswords([{ username: 'auditor', password: 'Secret#Two2026' }], {
        dataDir: dir,
        what: '初始密码',
        print: (l) => tty.push(l),
        tty: true,
      });
      expect(tty.join('\n')).toContain('Secret#Two2026');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a level3 first start whose port is taken still leaves every new account’s one-time password in the file (issue 15 §8)', async () => {
    const adminUrl = inject('pgAdminUrl');
    const name = `${inject('pgTemplate')}_t_port${Date.now()}`;
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    await c.query(`create database "${name}"`);
    await c.end();
    const u = new URL(adminUrl);
    u.pathname = `/${name}`;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-port-'));
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const r = spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 120_000,
        env: {
          ...process.env,
          DATABASE_URL: u.toString(),
          DANGJIAN_APP_DATABASE_URL: t.appUrlFor(name),
          DANGJIAN_DEMO: '0',
          DANGJIAN_PROFILE: 'level3',
          DANGJIAN_DATA_DIR: dir,
          DANGJIAN_SKIP_WEB_BUILD: '1',
          HOST: '127.0.0.1',
          PORT: String(port),
        },
      });
      expect(r.status, r.stdout + r.stderr).toBe(1);
      expect(r.stderr).toContain(`端口 ${port} 已被其他程序占用`);
      const filed = fs.readFileSync(path.join(dir, 'initial-passwords.txt'), 'utf8');
      const filedPasswords = new Map([...filed.matchAll(/用户名：(\S+)\t初始密码：(\S+)/g)].map((m) => [m[1], m[2]]));
      expect([...filedPasswords.keys()].sort(), filed).toEqual(['admin', 'auditor', 'secadmin']);
      // The passwords open the accounts the failed start created.
      const owner = new pg.Client({ connectionString: u.toString() });
      await owner.connect();
      const rows = await owner.query<{ username: string; password_hash: string }>(
        'select username, password_hash from users order by username',
      );
      await owner.end();
      expect(rows.rows.map((x) => x.username)).toEqual(['admin', 'auditor', 'secadmin']);
      for (const row of rows.rows)
        expect(await verifyPassword(row.password_hash, String(filedPasswords.get(row.username))), row.username).toBe(
          true,
        );
    } finally {
      blocker.close();
      fs.rmSync(dir, { recursive: true, force: true });
      const c2 = new pg.Client({ connectionString: adminUrl });
      await c2.connect();
      await c2.query(`drop database if exists "${name}" with (force)`);
      await c2.end();
    }
  });

  it('`cli seed` with piped stdout prints no password', async () => {
    const adminUrl = inject('pgAdminUrl');
    const name = `${inject('pgTemplate')}_t_cli${Date.now()}`;
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    await c.query(`create database "${name}"`);
    await c.end();
    const u = new URL(adminUrl);
    u.pathname = `/${name}`;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-cli-'));
    try {
      const r = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'seed'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          DATABASE_URL: u.toString(),
          DANGJIAN_APP_DATABASE_URL: t.appUrlFor(name),
          DANGJIAN_DEMO: '0',
          DANGJIAN_PROFILE: 'level3',
          DANGJIAN_DATA_DIR: dir,
        },
      });
      expect(r.status, r.stdout + r.stderr).toBe(0);
      const file = path.join(dir, 'initial-passwords.txt');
      const filed = fs.readFileSync(file, 'utf8');
      const passwords = [...filed.matchAll(/初始密码：(\S+)/g)].map((m) => m[1]);
      expect(passwords.length).toBe(3); // admin, secadmin, auditor
      for (const p of passwords) expect(r.stdout + r.stderr).not.toContain(p);
      expect(r.stdout).toContain(file);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      const c2 = new pg.Client({ connectionString: adminUrl });
      await c2.connect();
      await c2.query(`drop database if exists "${name}" with (force)`);
      await c2.end();
    }
  });
});
