/**
 * What a phone on slow 4G gets from the server for its first screen (issue 7 §7): the HTML names the
 * address's chunks and, for a signed-in browser, its first reads; API answers come compressed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstScreen, linkTags, pageFor, preloadMapReader } from '../platform/preload.ts';
import { webAppHandler } from '../platform/webapp.ts';
import { setup, type TestCtx } from './harness.ts';

const MAP = {
  chunks: {
    Shell: ['/assets/Shell-1.js', '/assets/first-1.js'],
    'components/AppHooks': ['/assets/AppHooks-1.js', '/assets/first-1.js'],
    'pages/members/MembersPage': ['/assets/MembersPage-1.js', '/assets/first-1.js'],
    'pages/members/MemberFormPage': ['/assets/MemberFormPage-1.js', '/assets/form-1.js'],
    'pages/members/MemberDetailPage': ['/assets/MemberDetailPage-1.js'],
    'pages/PasswordPage': ['/assets/PasswordPage-1.js'],
  },
};

describe('the first screen of an address', () => {
  it('names the shell and the page chunks once each, static paths before parameters', () => {
    expect(firstScreen(MAP, '/members', false)).toEqual({
      scripts: ['/assets/Shell-1.js', '/assets/first-1.js', '/assets/MembersPage-1.js'],
      fetches: [],
    });
    expect(pageFor('/members/new')?.page).toBe('members/MemberFormPage');
    expect(pageFor('/members/0b7c/edit')?.page).toBe('members/MemberFormPage');
    expect(pageFor('/members/0b7c')?.page).toBe('members/MemberDetailPage');
    expect(firstScreen(MAP, '/members/new', false).scripts).toContain('/assets/form-1.js');
    // An unknown path still gets the shell (its not-found page is inside it); the login page nothing.
    expect(firstScreen(MAP, '/no-such-page', false).scripts).toEqual(['/assets/Shell-1.js', '/assets/first-1.js']);
    expect(firstScreen(MAP, '/login', true)).toEqual({ scripts: [], fetches: [] });
    expect(firstScreen(MAP, '/login?next=%2Fmembers', true)).toEqual({ scripts: [], fetches: [] });
    // The public showroom: its own chunk, never the shell nor a read, signed in or not.
    expect(
      firstScreen({ chunks: { 'pages/showroom/Public': ['/assets/Public-1.js'] } }, '/showroom/0b7c', true),
    ).toEqual({
      scripts: ['/assets/Public-1.js'],
      fetches: [],
    });
    // The check-in page is light (its manifest's frame): its own chunks and reads, never the shell's.
    const light = {
      chunks: { ...MAP.chunks, 'pages/firstsec/CheckinPage': ['/assets/CheckinPage-1.js', '/assets/light-1.js'] },
    };
    expect(firstScreen(light, '/checkin', true)).toEqual({
      scripts: ['/assets/CheckinPage-1.js', '/assets/light-1.js'],
      fetches: ['/api/auth/me', '/api/first-secretaries/me'],
    });
    // Account pages sit in antd's root without the shell.
    expect(firstScreen(MAP, '/password', true).scripts).toEqual([
      '/assets/AppHooks-1.js',
      '/assets/first-1.js',
      '/assets/PasswordPage-1.js',
    ]);
    // No build map (an old build): no chunk hints, nothing breaks.
    expect(firstScreen(null, '/members', true).scripts).toEqual([]);
  });

  it('names the session check and the page first reads only for a browser with a session cookie, and only without a query string', () => {
    expect(firstScreen(MAP, '/members', true).fetches).toEqual([
      '/api/auth/me',
      '/api/members?page=1&pageSize=20&phones=true',
    ]);
    expect(firstScreen(MAP, '/members/', true).fetches).toEqual([
      '/api/auth/me',
      '/api/members?page=1&pageSize=20&phones=true',
    ]);
    // Filters in the URL: the page asks for something else; only the session check is named.
    expect(firstScreen(MAP, '/members?q=zs', true).fetches).toEqual(['/api/auth/me']);
    expect(firstScreen(MAP, '/members/0b7c', true).fetches).toEqual(['/api/auth/me']);
    expect(firstScreen(MAP, '/members', false).fetches).toEqual([]);
  });

  it('writes the tags with their attributes escaped, the reads first', () => {
    const html = linkTags({ scripts: ['/assets/a"b.js'], fetches: ['/api/members?page=1&pageSize=20&phones=true'] });
    expect(html.split('\n')[0]).toBe(
      '<link rel="preload" as="fetch" crossorigin href="/api/members?page=1&amp;pageSize=20&amp;phones=true">',
    );
    expect(html).toContain('<link rel="modulepreload" crossorigin href="/assets/a&quot;b.js">');
  });
});

describe('the HTML with first-screen hints', () => {
  let base: string;
  let app: FastifyInstance;
  const HTML = `<!doctype html><html><head><meta charset="utf-8"><title>党建</title></head><body><div id="root"></div></body></html>`;

  beforeAll(async () => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'first-screen-'));
    fs.mkdirSync(path.join(base, '.vite'));
    fs.writeFileSync(path.join(base, 'index.html'), HTML);
    fs.writeFileSync(path.join(base, '.vite', 'preload.json'), JSON.stringify(MAP));
    const read = preloadMapReader(base);
    app = Fastify();
    const serve = webAppHandler(base, {
      headHints: (req) => linkTags(firstScreen(read(), req.url, Boolean(req.headers.cookie?.includes('dj_sid=')))),
    });
    app.get('/*', (req, reply) => serve(req, reply));
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    fs.rmSync(base, { recursive: true, force: true });
  });

  it('puts the hints in the head, in every encoding, and revalidates by content', async () => {
    const plain = await app.inject({ url: '/members', headers: { cookie: 'dj_sid=abc' } });
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['cache-control']).toBe('no-cache');
    expect(plain.headers.vary).toBe('Accept-Encoding, Cookie');
    const head = plain.body.slice(0, plain.body.indexOf('</head>'));
    expect(head).toContain(
      '<link rel="preload" as="fetch" crossorigin href="/api/members?page=1&amp;pageSize=20&amp;phones=true">',
    );
    expect(head).toContain('<link rel="modulepreload" crossorigin href="/assets/MembersPage-1.js">');
    const br = await app.inject({ url: '/members', headers: { cookie: 'dj_sid=abc', 'accept-encoding': 'br' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(zlib.brotliDecompressSync(br.rawPayload).toString()).toBe(plain.body);
    const gz = await app.inject({ url: '/members', headers: { cookie: 'dj_sid=abc', 'accept-encoding': 'gzip' } });
    expect(zlib.gunzipSync(gz.rawPayload).toString()).toBe(plain.body);
    expect(Number(gz.headers['content-length'])).toBe(gz.rawPayload.length);

    // Signed out: the same address names no reads, so its ETag differs and an old copy is not reused.
    const out = await app.inject({ url: '/members', headers: { 'if-none-match': String(plain.headers.etag) } });
    expect(out.statusCode).toBe(200);
    expect(out.body).not.toContain('as="fetch"');
    expect(out.body).toContain('/assets/MembersPage-1.js');
    const same = await app.inject({
      url: '/members',
      headers: { cookie: 'dj_sid=abc', 'if-none-match': String(plain.headers.etag) },
    });
    expect(same.statusCode).toBe(304);
    // The login page is served as built.
    const login = await app.inject({ url: '/login' });
    expect(login.body).toBe(HTML);
  });

  it('keeps the build notes private, however the path is written', async () => {
    for (const url of [
      '/.vite/preload.json',
      '/%2evite/preload.json',
      '/%2Evite%2Fpreload.json',
      '/.VITE/preload.json',
      '/assets/../.vite/preload.json',
    ]) {
      const r = await app.inject({ url });
      expect(r.body, url).not.toContain('MembersPage-1.js');
      expect(r.statusCode, url).toBe(404);
      expect(r.json().code, url).toBe('NOT_FOUND');
    }
  });
});

describe('API answers on a slow network', () => {
  let t: TestCtx;
  let cookie: string;
  beforeAll(async () => {
    t = await setup();
    cookie = await t.login('admin');
  });
  afterAll(async () => t?.close());

  it('are compressed when accepted and at least 1 kB, the same JSON once decoded', async () => {
    const url = '/api/members?page=1&pageSize=20&phones=true';
    const plain = await t.app.inject({ url, headers: { cookie } });
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.length).toBeGreaterThan(1024);
    expect(plain.headers.vary).toBe('Accept-Encoding');

    const br = await t.app.inject({ url, headers: { cookie, 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['cache-control']).toBe('no-store');
    expect(br.rawPayload.length).toBeLessThan(plain.body.length / 2);
    expect(JSON.parse(zlib.brotliDecompressSync(br.rawPayload).toString())).toEqual(JSON.parse(plain.body));

    const gz = await t.app.inject({ url, headers: { cookie, 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(zlib.gunzipSync(gz.rawPayload).toString())).toEqual(JSON.parse(plain.body));

    // A small answer and an error stay as they are; the error keeps its code.
    const me = await t.app.inject({ url: '/api/auth/me', headers: { cookie, 'accept-encoding': 'br' } });
    expect(me.body.length).toBeLessThan(1024);
    expect(me.headers['content-encoding']).toBeUndefined();
    const denied = await t.app.inject({ url, headers: { 'accept-encoding': 'br' } });
    expect(denied.statusCode).toBe(401);
    expect(denied.json().code).toBe('UNAUTHENTICATED');
  });
});
