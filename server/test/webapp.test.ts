/** The web app's static files: precompressed encodings, caching, and no way out of the dist directory. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { negotiateEncoding, resolveInside, webAppHandler } from '../platform/webapp.ts';

const JS = `export const x = ${JSON.stringify('党建'.repeat(2000))};\n`;
const HTML = `<!doctype html><html><head><meta charset="utf-8"><title>党建</title></head><body><div id="root"></div>${' '.repeat(1200)}</body></html>`;
let base: string;
let dist: string;
let app: FastifyInstance;

function writeWithSiblings(file: string, text: string) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  fs.writeFileSync(`${file}.br`, zlib.brotliCompressSync(text));
  fs.writeFileSync(`${file}.gz`, zlib.gzipSync(text));
}

beforeAll(async () => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'webapp-test-'));
  dist = path.join(base, 'dist');
  writeWithSiblings(path.join(dist, 'index.html'), HTML);
  writeWithSiblings(path.join(dist, 'assets', 'app-AbC123.js'), JS);
  fs.writeFileSync(path.join(dist, 'assets', 'logo-AbC123.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  // Neighbours of the dist directory that must never be served.
  fs.writeFileSync(path.join(base, 'secret.txt'), 'SECRET');
  fs.mkdirSync(path.join(base, 'dist-old'));
  fs.writeFileSync(path.join(base, 'dist-old', 'index.html'), 'OLD-SECRET');
  app = Fastify();
  const serve = webAppHandler(dist);
  app.get('/*', (req, reply) => serve(req, reply));
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  fs.rmSync(base, { recursive: true, force: true });
});

const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });

describe('web app static files', () => {
  it('sends brotli when accepted, gzip otherwise, the plain file when neither', async () => {
    const br = await get('/assets/app-AbC123.js', { 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(br.statusCode).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(zlib.brotliDecompressSync(br.rawPayload).toString()).toBe(JS);

    const gz = await get('/assets/app-AbC123.js', { 'accept-encoding': 'gzip, deflate' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(gz.rawPayload).toString()).toBe(JS);

    const plain = await get('/assets/app-AbC123.js', { 'accept-encoding': 'identity' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(JS);
    const none = await get('/assets/app-AbC123.js');
    expect(none.headers['content-encoding']).toBeUndefined();
    expect(none.body).toBe(JS);

    for (const r of [br, gz, plain]) {
      expect(r.headers['content-type']).toBe('text/javascript; charset=utf-8');
      expect(r.headers.vary).toBe('Accept-Encoding');
      expect(Number(r.headers['content-length'])).toBe(r.rawPayload.length);
    }
  });

  it('honours q-values: br;q=0 means gzip, *;q=0 means identity', () => {
    expect(negotiateEncoding('br;q=0, gzip')).toBe('gzip');
    expect(negotiateEncoding('gzip;q=0.5, br;q=0.1')).toBe('br');
    expect(negotiateEncoding('*')).toBe('br');
    expect(negotiateEncoding('*;q=0')).toBe('identity');
    expect(negotiateEncoding('deflate')).toBe('identity');
    expect(negotiateEncoding(undefined)).toBe('identity');
  });

  it('caches hashed assets for a year as immutable and index.html never without asking', async () => {
    const asset = await get('/assets/app-AbC123.js', { 'accept-encoding': 'br' });
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const index = await get('/', { 'accept-encoding': 'br' });
    expect(index.statusCode).toBe(200);
    expect(index.headers['cache-control']).toBe('no-cache');
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.headers['content-encoding']).toBe('br');
    expect(zlib.brotliDecompressSync(index.rawPayload).toString()).toBe(HTML);
    // Client-side routes get index.html; a revalidation with its ETag is a 304.
    const route = await get('/members/123?page=2', { 'accept-encoding': 'gzip' });
    expect(route.headers['cache-control']).toBe('no-cache');
    expect(zlib.gunzipSync(route.rawPayload).toString()).toBe(HTML);
    const again = await get('/members/123', { 'accept-encoding': 'gzip', 'if-none-match': String(route.headers.etag) });
    expect(again.statusCode).toBe(304);
  });

  it('does not compress binary files and answers a missing hashed asset with 404, not the HTML page', async () => {
    const png = await get('/assets/logo-AbC123.png', { 'accept-encoding': 'br' });
    expect(png.headers['content-type']).toBe('image/png');
    expect(png.headers['content-encoding']).toBeUndefined();
    const gone = await get('/assets/app-OLD999.js', { 'accept-encoding': 'br' });
    expect(gone.statusCode).toBe(404);
    // The precompressed copies are not addressable by themselves.
    const sib = await get('/assets/app-AbC123.js.br');
    expect(sib.statusCode).toBe(404);
  });

  it('never leaves the dist directory, however the path is encoded', async () => {
    const attempts = [
      '/../secret.txt',
      '/..%2fsecret.txt',
      '/..%2Fsecret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/%2e%2e/secret.txt',
      '/%2e%2e%2fsecret.txt',
      '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/..%5csecret.txt',
      '/assets/..%5c..%5csecret.txt',
      '/%252e%252e%252fsecret.txt',
      '/..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd',
      '/%2fetc%2fpasswd',
      '//etc/passwd',
      '/..%2fdist-old%2findex.html',
      '/secret.txt%00.js',
      '/%E0%A4%A',
    ];
    for (const url of attempts) {
      const r = await get(url, { 'accept-encoding': 'identity' });
      expect(r.body, url).not.toMatch(/SECRET|root:/);
      expect([200, 400, 404], url).toContain(r.statusCode);
      if (r.statusCode === 200) expect(r.body, url).toBe(HTML);
    }
    expect(resolveInside(dist, '/..%2fdist-old/index.html')).toBeNull();
    expect(resolveInside(dist, '/assets/..%2f..%2fsecret.txt')).toBeNull();
    expect(resolveInside(dist, '/%2e%2e%2fsecret.txt')).toBeNull();
    expect(resolveInside(dist, '/..%5csecret.txt')).toBeNull();
    expect(resolveInside(dist, '/a%00b')).toBeNull();
    expect(resolveInside(dist, '/assets/app-AbC123.js')).toBe(path.join(dist, 'assets', 'app-AbC123.js'));
  });
});
