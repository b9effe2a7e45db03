/** Logs without personal data or one-time passwords (SEC-13) and the CSRF origin check (SEC-22). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { loadConfig } from '../platform/config.ts';
import { setup, type TestCtx } from './harness.ts';

let t: TestCtx;
let admin: string;
beforeAll(async () => {
  t = await setup();
  admin = await t.login('admin');
});
afterAll(async () => t?.close());

describe('CSRF: the Origin must be the configured public origin (SEC-22)', () => {
  const patch = (headers: Record<string, string>) => t.req('PATCH', `/api/orgs/${t.fx.villageA1}`, { cookie: admin, body: { contactName: '来源' }, headers });

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
    const config = { ...t.deps.config, publicOrigins: loadConfig({ DANGJIAN_PUBLIC_URL: 'https://dj.example.gov.cn' }).publicOrigins };
    const app = await buildApp({ ...t.deps, config });
    try {
      const send = (headers: Record<string, string>) =>
        app.inject({ method: 'PATCH', url: `/api/orgs/${t.fx.villageA1}`, headers: { cookie: admin, host: '127.0.0.1:3000', ...headers }, payload: { contactName: '代理' } });
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
