/**
 * The app's shell on the device (issue 18 §3): reloading or reopening the app without a network opens it
 * and shows the records waiting to be sent (app/offline.ts), instead of the browser's "no internet" page.
 *
 * Written into web/dist/sw.js by web/service-worker-plugin.ts, which fills in the build's version and the
 * files of the shell (index.html, the JS and CSS chunks, fonts, icons). A new build has a new version:
 * the new worker replaces the old one at once and deletes its cache.
 *
 * Only the build's own files are kept. API answers (/api/…) are never cached: they pass through untouched.
 */
/* global self, caches, fetch, Response, URL */
const VERSION = '__VERSION__';
const FILES = __FILES__;
const CACHE = `dangjian-shell-${VERSION}`;
const PREFIX = 'dangjian-shell-';

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // The chunks are immutable and mostly in the HTTP cache already; index.html without cookies (no per-user hints).
      await cache.put('/index.html', await fetch('/index.html', { credentials: 'omit', cache: 'no-cache' }));
      await cache.addAll(FILES);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key.startsWith(PREFIX) && key !== CACHE) await caches.delete(key);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  // Never the API: personal data stays off the device's caches.
  if (url.pathname.startsWith('/api/')) return;
  if (req.mode === 'navigate') {
    // The page from the network when there is one (a new build at once), the kept shell when not.
    event.respondWith(
      fetch(req).catch(async () => (await caches.match('/index.html', { cacheName: CACHE })) ?? Response.error()),
    );
    return;
  }
  if (url.pathname.startsWith('/assets/') || FILES.includes(url.pathname)) {
    // Hashed names never change: the kept copy, else the network (kept for next time).
    event.respondWith(
      (async () => {
        const cache = await caches.open(CACHE);
        const hit = await cache.match(url.pathname);
        if (hit) return hit;
        const res = await fetch(req);
        if (res.ok && url.pathname.startsWith('/assets/')) await cache.put(url.pathname, res.clone());
        return res;
      })(),
    );
  }
});
