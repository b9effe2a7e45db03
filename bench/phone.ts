/**
 * `npm run bench:phone`: how long the web app takes on a phone on a slow mobile network, measured in
 * Debian's Chromium (playwright-core + a CDP session) against a running platform.
 *
 *   DANGJIAN_DATA_DIR=/tmp/dj DANGJIAN_ADMIN_PASSWORD='Admin#2026pass' PORT=3300 npm start   # another shell
 *   BASE=http://127.0.0.1:3300 npm run bench:phone
 *
 * Each run uses a new browser context (empty cache, no cookies) at 390×844 and measures, in page time
 * (performance.now(), whose origin is the navigation start):
 *   - login: navigation to /login until the username field is rendered, visible and enabled (the
 *     animation frame after it appeared);
 *   - member list: after signing in, the browser cache is emptied (the session cookie stays) and
 *     /members is opened; until the first member row (card on a phone, table row on a desktop);
 *   - check-in page (issue 20): in a new context, signed in as a first secretary of the demo county, the
 *     cache (and the service worker's app shell) emptied as for the member list, /checkin opened in a new
 *     tab; until the big 拍照打卡 button (`checkin-shoot`) has a box;
 *   - the bytes of JavaScript the login page downloaded (as sent on the wire, i.e. compressed when the
 *     server compresses), and all bytes it downloaded; the JavaScript of the member list and check-in page.
 * The first secretary's account is arranged through the API as admin before the runs (see fsAccount):
 * one serving first secretary without an account gets one and a password of the bench's; the username and
 * password are kept in the OS temp dir per BASE, so a second run against the same platform reuses them.
 * Every run is done twice, once with the phone settings and once without throttling (the baseline:
 * the ratio is what the slow network and CPU cost); the order flips every run.
 *
 * Phone settings are Lighthouse's mobile "devtools" throttling (the numbers Lighthouse itself hands to
 * Chromium through CDP for its slow 4G profile, rtt 150 ms / 1.6 Mbps, which it applies per request
 * as 562.5 ms latency and 90 % of the throughput): latency 562.5 ms per request, 1,474.56 kbit/s down,
 * 675 kbit/s up, CPU 4× slower. Override with PHONE_LATENCY_MS, PHONE_DOWN_KBPS, PHONE_UP_KBPS, PHONE_CPU.
 *
 * Env: BASE (required), ADMIN_USER (admin), ADMIN_PASSWORD (Admin#2026pass), RUNS (5), CHROMIUM
 * (/usr/bin/chromium), PHONE_WRITE=0 to skip writing the results into bench/README.md.
 *
 * PHONE_CASE=photos measures instead a meeting recorded with three 5 MB photos (issue 18 §2), on the
 * phone settings: the seconds from tapping 保存 to 已保存, with the photos shrunk on the phone (the
 * default) and without (localStorage 'dangjian.photoShrink' = 'off', as before), alternating, RUNS (3)
 * of each; also the time the phone takes to prepare the photos when they are picked, and the bytes sent.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, type CDPSession, chromium, type Page } from 'playwright-core';

const BASE = process.env.BASE?.replace(/\/+$/, '');
const USER = process.env.ADMIN_USER ?? 'admin';
const PASS = process.env.ADMIN_PASSWORD ?? 'Admin#2026pass';
const RUNS = Number(process.env.RUNS ?? 5);
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const README = path.join(path.dirname(fileURLToPath(import.meta.url)), 'README.md');

const PHONE = {
  latencyMs: Number(process.env.PHONE_LATENCY_MS ?? 562.5),
  downKbps: Number(process.env.PHONE_DOWN_KBPS ?? 1474.56),
  upKbps: Number(process.env.PHONE_UP_KBPS ?? 675),
  cpu: Number(process.env.PHONE_CPU ?? 4),
};
const AIM = { loginMs: 3000, membersMs: 4000, loginJsKb: 150, checkinMs: 3000 };
const VIEWPORT = { width: 390, height: 844 };
const MEMBER_ROW = '[data-testid="member-card"], [data-testid="member-link"]';
const CHECKIN_SHOOT = '[data-testid="checkin-shoot"]';

const log = (msg: string) => console.log(`[bench:phone] ${msg}`);
const CASE = process.env.PHONE_CASE ?? 'pages';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

type Mode = 'phone' | 'none';

interface Run {
  loginMs: number;
  membersMs: number;
  loginJsBytes: number;
  loginAllBytes: number;
  loginRequests: number;
  membersJsBytes: number;
  checkinMs: number;
  checkinJsBytes: number;
}

// ---- The first secretary the check-in page is measured as ----

interface Account {
  username: string;
  password: string;
}

/** Session cookie + Origin against the platform's API, as e2e/support.ts's Api does. */
class Api {
  private cookie = '';
  constructor(private readonly base: string) {}
  async login(username: string, password: string): Promise<{ mustChangePassword?: boolean }> {
    const res = await fetch(`${this.base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: this.base },
      body: JSON.stringify({ username, password }),
    });
    if (!res.ok) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
    this.cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
    return res.json();
  }
  async call<T = unknown>(method: string, url: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.base}${url}`, {
      method,
      headers: {
        cookie: this.cookie,
        ...(method === 'GET' ? {} : { origin: this.base }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : null) as T;
  }
}

/** Where the first secretary's account is kept between runs against the same platform (BASE). */
function accountFile(): string {
  const key = crypto.createHash('sha256').update(BASE!).digest('hex').slice(0, 12);
  return path.join(os.tmpdir(), `dangjian-bench-phone-fs-${key}.json`);
}

/** A password the county's rules accept (four classes, long, no username or county name in it). */
const benchPassword = () => `Bq7#${crypto.randomBytes(10).toString('hex')}`;

/** Whether `a` signs in and lands on the check-in page's data (a serving first secretary, password current). */
async function works(a: Account): Promise<boolean> {
  try {
    const api = new Api(BASE!);
    const me = await api.login(a.username, a.password);
    if (me.mustChangePassword) return false;
    await api.call('GET', '/api/first-secretaries/me');
    return true;
  } catch {
    return false;
  }
}

/** Signs in with the one-time (or reset) password and changes it to one of the bench's. */
async function setPassword(username: string, oneTime: string): Promise<Account> {
  const api = new Api(BASE!);
  await api.login(username, oneTime);
  const password = benchPassword();
  await api.call('POST', '/api/auth/password', { oldPassword: oneTime, newPassword: password });
  return { username, password };
}

/**
 * A first secretary of the demo county who can sign in: the one kept from an earlier run against this
 * BASE if it still signs in; else a serving one without an account gets one (the demo leaves two); else
 * (every one has an account, the file gone) admin resets the password of one with an account.
 */
async function fsAccount(): Promise<Account> {
  const file = accountFile();
  let kept: Account | null = null;
  try {
    kept = JSON.parse(fs.readFileSync(file, 'utf8')) as Account;
  } catch {}
  if (kept && (await works(kept))) {
    log(`first secretary: ${kept.username} (kept in ${file})`);
    return kept;
  }
  const admin = new Api(BASE!);
  await admin.login(USER, PASS);
  const { items } = await admin.call<{ items: { id: string; name: string; username: string | null }[] }>(
    'GET',
    '/api/first-secretaries?status=serving&pageSize=200',
  );
  let made: Account;
  const without = items.find((f) => f.username === null);
  if (without) {
    const acc = await admin.call<{ username: string; oneTimePassword: string }>(
      'POST',
      `/api/first-secretaries/${without.id}/account`,
    );
    made = await setPassword(acc.username, acc.oneTimePassword);
    log(`first secretary: account ${made.username} opened for ${without.name}`);
  } else {
    const withAccount = items.find((f) => f.username === kept?.username) ?? items.find((f) => f.username);
    if (!withAccount?.username) throw new Error('no serving first secretary in the demo county: is the demo seeded?');
    const { items: users } = await admin.call<{ items: { id: string; username: string }[] }>(
      'GET',
      `/api/users?q=${encodeURIComponent(withAccount.username)}&pageSize=50`,
    );
    const u = users.find((x) => x.username === withAccount.username);
    if (!u) throw new Error(`user ${withAccount.username} not found`);
    const reset = benchPassword();
    const res = await admin.call<{ pending?: boolean }>('PATCH', `/api/users/${u.id}`, {
      password: reset,
      unlock: true,
    });
    if (res?.pending) throw new Error(`resetting ${u.username}'s password waits for a second person (level3)`);
    made = await setPassword(u.username, reset);
    log(`first secretary: every one has an account; password of ${made.username} (${withAccount.name}) reset`);
  }
  if (!(await works(made))) throw new Error(`${made.username} does not sign in to the check-in page`);
  fs.writeFileSync(file, JSON.stringify(made), { mode: 0o600 });
  return made;
}

/** Bytes on the wire per request of a page, by resource type, from the CDP network events. */
function traffic(cdp: CDPSession) {
  const type = new Map<string, string>();
  const bytes = new Map<string, number>();
  cdp.on('Network.responseReceived', (e) => type.set(e.requestId, e.type));
  cdp.on('Network.loadingFinished', (e) => bytes.set(e.requestId, e.encodedDataLength));
  return {
    reset() {
      type.clear();
      bytes.clear();
    },
    sum(of?: string): { bytes: number; requests: number } {
      let total = 0;
      let n = 0;
      for (const [id, b] of bytes) {
        if (of && type.get(id) !== of) continue;
        total += b;
        n++;
      }
      return { bytes: total, requests: n };
    },
  };
}

/**
 * With PHONE_WATERFALL=1, the member list's requests of each phone run as a timeline: when each was
 * sent, when its answer began and when it ended, relative to the document's request (CDP timestamps).
 */
function waterfall(cdp: CDPSession) {
  const rows = new Map<string, { url: string; sent: number; head?: number; end?: number; bytes?: number }>();
  cdp.on('Network.requestWillBeSent', (e) => rows.set(e.requestId, { url: e.request.url, sent: e.timestamp }));
  cdp.on('Network.responseReceived', (e) => {
    const r = rows.get(e.requestId);
    if (r) r.head = e.timestamp;
  });
  cdp.on('Network.loadingFinished', (e) => {
    const r = rows.get(e.requestId);
    if (r) {
      r.end = e.timestamp;
      r.bytes = e.encodedDataLength;
    }
  });
  return (readyMs: number) => {
    const all = [...rows.values()].sort((a, b) => a.sent - b.sent);
    const t0 = all[0]?.sent ?? 0;
    const ms = (t?: number) => (t === undefined ? '     —' : ((t - t0) * 1000).toFixed(0).padStart(6));
    for (const r of all) {
      const u = new URL(r.url);
      log(
        `  ${ms(r.sent)} ${ms(r.head)} ${ms(r.end)} ms ${String(Math.round((r.bytes ?? 0) / 1000)).padStart(4)} kB  ${u.pathname}${u.search}`.slice(
          0,
          160,
        ),
      );
    }
    log(`  ready (first row, or the check-in button) at ${readyMs.toFixed(0)} ms (page time)`);
  };
}

/** What PHONE_WATERFALL=1 also notes in the page: when each of these first appeared. */
const MARKS: Record<string, string> = {
  spinner: '.ant-spin, .page-spin',
  header: '.app-header',
  'search box': '[data-testid="member-search"]',
  'first row': MEMBER_ROW,
  'org picker': '[data-testid="member-org"]',
  'user menu': '[data-testid="user-menu"]',
};

function marksProbe(marks: Record<string, string>) {
  return `(() => {
    const marks = ${JSON.stringify(marks)};
    window.__marks = {};
    const check = () => {
      for (const [k, sel] of Object.entries(marks)) if (window.__marks[k] === undefined && document.querySelector(sel)) window.__marks[k] = performance.now();
    };
    new MutationObserver(check).observe(document, { childList: true, subtree: true });
  })();`;
}

/**
 * Records in the page (performance.now(), origin = navigation start) the animation frame after the
 * first element matching `selector` (and, for inputs, enabled) has a box.
 */
function readyProbe(selector: string) {
  return `(() => {
    const sel = ${JSON.stringify(selector)};
    const check = () => {
      if (window.__ready !== undefined) return true;
      const el = document.querySelector(sel);
      if (!el || el.disabled) return false;
      const r = el.getBoundingClientRect();
      if (!r.width || !r.height) return false;
      window.__ready = -1;
      requestAnimationFrame(() => { window.__ready = performance.now(); });
      return true;
    };
    const start = () => {
      if (check()) return;
      const mo = new MutationObserver(() => { if (check()) mo.disconnect(); });
      mo.observe(document, { childList: true, subtree: true, attributes: true });
    };
    start();
  })();`;
}

async function waitReady(page: Page): Promise<number> {
  await page.waitForFunction(
    () =>
      (window as unknown as { __ready?: number }).__ready !== undefined &&
      (window as unknown as { __ready: number }).__ready > 0,
    null,
    { timeout: 60_000, polling: 100 },
  );
  return page.evaluate(() => (window as unknown as { __ready: number }).__ready);
}

async function throttle(cdp: CDPSession, mode: Mode) {
  await cdp.send('Network.enable');
  if (mode === 'phone') {
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: PHONE.latencyMs,
      downloadThroughput: (PHONE.downKbps * 1024) / 8,
      uploadThroughput: (PHONE.upKbps * 1024) / 8,
    });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: PHONE.cpu });
  }
}

/**
 * Waits until the service worker the app registers (after the first screen's load, when idle) is active,
 * i.e. its install has fetched the app shell. Closing the tab earlier leaves that install running in the
 * background: it fills the HTTP cache again after it was emptied and takes the network and CPU while
 * the next page is measured, so "cold" would not be cold (seen on the unthrottled runs: 7 kB of the
 * member list's JavaScript on the wire, the rest from the cache).
 */
async function settleServiceWorker(page: Page) {
  await page.evaluate(async () => {
    if (!('serviceWorker' in navigator)) return;
    const until = Date.now() + 15_000;
    while (!(await navigator.serviceWorker.getRegistration()) && Date.now() < until)
      await new Promise((r) => setTimeout(r, 100));
    if (!(await navigator.serviceWorker.getRegistration())) return;
    await Promise.race([navigator.serviceWorker.ready, new Promise((r) => setTimeout(r, 60_000))]);
  });
}

/** Signs in through the login form in a new tab (not measured, not throttled) and closes the tab. */
async function signIn(context: BrowserContext, a: Account) {
  const page = await context.newPage();
  await page.goto(`${BASE}/login`);
  await page.getByTestId('login-username').fill(a.username);
  await page.getByTestId('login-password').fill(a.password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 60_000 });
  await settleServiceWorker(page);
  await page.close();
}

/**
 * Opens `pathname` cold in a new tab of `context` (signed in): the browser cache, the service worker and
 * the app shell it keeps are cleared first, then the page is loaded on `mode`'s settings until
 * `selector` has a box. Returns the in-page time and the JavaScript bytes on the wire.
 */
async function coldOpen(
  context: BrowserContext,
  mode: Mode,
  pathname: string,
  selector: string,
  watch?: (cdp: CDPSession) => ((ms: number) => void) | null,
  marks?: Record<string, string>,
) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.clearBrowserCache');
  await cdp.send('Storage.clearDataForOrigin', {
    origin: new URL(BASE!).origin,
    storageTypes: 'cache_storage,service_workers',
  });
  await throttle(cdp, mode);
  const net = traffic(cdp);
  const timeline = watch?.(cdp) ?? null;
  if (timeline && marks) await page.addInitScript(marksProbe(marks));
  await page.addInitScript(readyProbe(selector));
  await page.goto(`${BASE}${pathname}`, { waitUntil: 'commit' });
  const ms = await waitReady(page);
  if (timeline) {
    timeline(ms);
    if (marks) {
      const at = await page.evaluate(() => (window as unknown as { __marks: Record<string, number> }).__marks);
      log(
        `  in the page: ${Object.entries(at)
          .map(([k, v]) => `${k} ${v.toFixed(0)} ms`)
          .join(', ')}`,
      );
    }
  }
  const js = net.sum('Script');
  await page.close();
  return { ms, jsBytes: js.bytes };
}

const newContext = (browser: Browser) =>
  browser.newContext({
    viewport: VIEWPORT,
    deviceScaleFactor: 3,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
  });

async function oneRun(browser: Browser, mode: Mode, fsUser: Account): Promise<Run> {
  let context = await newContext(browser);
  try {
    // Login, cold.
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.clearBrowserCache');
    await throttle(cdp, mode);
    const net = traffic(cdp);
    await page.addInitScript(readyProbe('[data-testid="login-username"]'));
    await page.goto(`${BASE}/login`, { waitUntil: 'commit' });
    const loginMs = await waitReady(page);
    await page.waitForLoadState('networkidle').catch(() => undefined);
    const js = net.sum('Script');
    const all = net.sum();

    await page.getByTestId('login-username').fill(USER);
    await page.getByTestId('login-password').fill(PASS);
    await page.getByTestId('login-submit').click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 60_000 });
    await settleServiceWorker(page);
    await page.close();

    // Member list: a new tab, cache emptied, the session cookie kept. The service worker the login
    // page registered, and the app shell it keeps, go too: cold means nothing of the app on the phone.
    const members = await coldOpen(
      context,
      mode,
      '/members',
      MEMBER_ROW,
      (cdp) => (mode === 'phone' && process.env.PHONE_WATERFALL === '1' ? waterfall(cdp) : null),
      MARKS,
    );
    await context.close();

    // Check-in page: a first secretary's own context, signed in, then cold the same way.
    context = await newContext(browser);
    await signIn(context, fsUser);
    const checkin = await coldOpen(context, mode, '/checkin', CHECKIN_SHOOT, (cdp) =>
      mode === 'phone' && process.env.PHONE_WATERFALL === '1' ? waterfall(cdp) : null,
    );
    return {
      loginMs,
      membersMs: members.ms,
      loginJsBytes: js.bytes,
      loginAllBytes: all.bytes,
      loginRequests: all.requests,
      membersJsBytes: members.jsBytes,
      checkinMs: checkin.ms,
      checkinJsBytes: checkin.jsBytes,
    };
  } finally {
    await context.close();
  }
}

// ---- PHONE_CASE=photos: a meeting with three 5 MB photos ----

/** Seeded pseudo-random numbers (mulberry32): the same photos every run. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A 12 MP phone photo of about 5 MB (4000×3000, JPEG 95 %, with the camera's EXIF capture time): a smooth
 * scene with sensor grain, which shrinks to 2560 px about as a real photo does (~0.6 MB).
 */
async function phonePhoto(seed: number, takenAt: Date): Promise<Buffer> {
  const { default: sharp } = await import('sharp');
  const rnd = prng(seed);
  const [W, H, lw, lh] = [4000, 3000, 40, 30];
  const lo = Buffer.alloc(lw * lh * 3);
  for (let i = 0; i < lo.length; i++) lo[i] = Math.floor(rnd() * 256);
  const px = await sharp(lo, { raw: { width: lw, height: lh, channels: 3 } })
    .resize(W, H, { kernel: 'cubic' })
    .raw()
    .toBuffer();
  for (let i = 0; i < px.length; i++) px[i] = Math.max(0, Math.min(255, px[i] + Math.floor((rnd() - 0.5) * 26)));
  const local = new Date(takenAt.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
  return sharp(px, { raw: { width: W, height: H, channels: 3 } })
    .jpeg({ quality: 95 })
    .withExif({ IFD0: { Make: 'BenchPhone' }, IFD2: { DateTimeOriginal: local.replace(/-/g, ':') } } as never)
    .toBuffer();
}

interface PhotoRun {
  pickMs: number;
  saveMs: number;
  sentBytes: number;
}

async function photoRun(browser: Browser, shrink: boolean, photos: Buffer[]): Promise<PhotoRun> {
  const context = await browser.newContext({
    viewport: VIEWPORT,
    deviceScaleFactor: 3,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
  });
  try {
    if (!shrink) await context.addInitScript(() => localStorage.setItem('dangjian.photoShrink', 'off'));
    // In the page: when the photos were picked (the input's change), and the bytes of each file sent.
    await context.addInitScript(() => {
      const w = window as unknown as { __picked?: number; __sent: number };
      w.__sent = 0;
      document.addEventListener('change', () => (w.__picked ??= performance.now()), true);
      const send = XMLHttpRequest.prototype.send;
      XMLHttpRequest.prototype.send = function (body) {
        if (body instanceof FormData) for (const v of body.values()) if (v instanceof Blob) w.__sent += v.size;
        return send.call(this, body);
      };
    });
    const page = await context.newPage();
    // Signed in without throttling: what is measured starts at the form.
    await page.goto(`${BASE}/login`);
    await page.getByTestId('login-username').fill(USER);
    await page.getByTestId('login-password').fill(PASS);
    await page.getByTestId('login-submit').click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 60_000 });
    // A branch that holds 支委会 (its committee makes the attendance list).
    const orgId = await page.evaluate(async () => {
      const r = await fetch('/api/meetings?kind=committeeMeeting&pageSize=1', { credentials: 'include' });
      return ((await r.json()) as { items: { orgId: string }[] }).items[0].orgId;
    });
    const cdp = await context.newCDPSession(page);
    await throttle(cdp, 'phone');
    await page.goto(`${BASE}/meetings/new?orgId=${orgId}&kind=committeeMeeting`);
    await page.getByTestId('attendance-person').first().waitFor({ timeout: 60_000 });
    await page.waitForLoadState('networkidle').catch(() => undefined);
    await page.getByTestId('meeting-gallery').setInputFiles(
      photos.map((buffer, i) => ({ name: `IMG_2026120${i + 1}.jpg`, mimeType: 'image/jpeg', buffer })),
      { timeout: 180_000 },
    );
    // From the input's change (playwright's transfer of the files into the page is not counted) until
    // the photos are kept on the device and shown, in page time.
    const ready = await page.waitForFunction(
      (n) =>
        document.querySelectorAll('[data-testid="meeting-photo"] img').length >= n &&
        !document.querySelector('.mr-saved')?.textContent?.includes('正在处理照片') &&
        performance.now(),
      photos.length,
      { timeout: 120_000, polling: 50 },
    );
    const pickMs =
      Number(await ready.jsonValue()) -
      (await page.evaluate(() => (window as unknown as { __picked: number }).__picked));
    const t1 = Date.now();
    await page.getByTestId('meeting-save').click();
    await page.waitForFunction(
      () => [...document.querySelectorAll('.ant-message-notice')].some((n) => n.textContent?.includes('已保存')),
      null,
      { timeout: 600_000, polling: 100 },
    );
    const saveMs = Date.now() - t1;
    const refused = await page.evaluate(() =>
      [...document.querySelectorAll('.ant-message-notice')].some((n) => n.textContent?.includes('未被接收')),
    );
    if (refused) throw new Error('the server refused a photo: see the page');
    const sentBytes = await page.evaluate(() => (window as unknown as { __sent: number }).__sent);
    // What the server kept: three photos, each with the capture time the camera wrote.
    await page.waitForURL(/\/meetings\/[0-9a-f-]{36}$/, { timeout: 60_000 });
    const id = new URL(page.url()).pathname.split('/').pop();
    const ev = await page.evaluate(async (id) => {
      const r = await fetch(`/api/meetings/${id}`, { credentials: 'include' });
      return ((await r.json()) as { evidence: { capturedAt: string | null }[] }).evidence;
    }, id);
    if (ev.length !== photos.length || ev.some((e) => !e.capturedAt))
      throw new Error(`the record has ${ev.length} photos, capture times ${ev.map((e) => e.capturedAt).join(', ')}`);
    return { pickMs, saveMs, sentBytes };
  } finally {
    await context.close();
  }
}

async function photosCase(browser: Browser) {
  const runs = Number(process.env.RUNS ?? 3);
  const takenAt = new Date(Date.now() - 20 * 60_000);
  const photos = await Promise.all([1, 2, 3].map((i) => phonePhoto(i, takenAt)));
  log(`photos: ${photos.map((p) => `${(p.length / 2 ** 20).toFixed(2)} MB`).join(', ')}`);
  const load0 = os.loadavg()[0];
  const res: Record<'before' | 'after', PhotoRun[]> = { before: [], after: [] };
  for (let i = 0; i < runs; i++) {
    const order: ('before' | 'after')[] = i % 2 ? ['before', 'after'] : ['after', 'before'];
    for (const k of order) {
      // Once more when a run fails on the shared machine (a web build replacing web/dist under it).
      const r = await photoRun(browser, k === 'after', photos).catch((e) => {
        log(`run ${i + 1} ${k} failed (${String(e).split('\n')[0]}), once more`);
        return photoRun(browser, k === 'after', photos);
      });
      res[k].push(r);
      log(
        `run ${i + 1} ${k}: picked → ready ${s(r.pickMs)} s, 保存 → 已保存 ${s(r.saveMs)} s, sent ${kB(r.sentBytes)} kB`,
      );
    }
  }
  const load1 = os.loadavg()[0];
  const m = (k: 'before' | 'after', f: keyof PhotoRun) => median(res[k].map((r) => r[f]));
  const mb = photos.reduce((a, p) => a + p.length, 0) / 2 ** 20;
  const head = [
    `Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC — ${os.cpus()[0]?.model.trim()}, ${os.cpus().length} cores; Chromium ${browser.version()}; ${runs} runs of each (medians), alternating, against ${BASE}.`,
    `A 支委会 recorded with three photos of 4000×3000 (${mb.toFixed(1)} MB together, EXIF capture time) picked from the album, on the phone settings (latency ${PHONE.latencyMs} ms, ${PHONE.upKbps} kbit/s up, CPU ${PHONE.cpu}×, 390×844). Before: shrinking off (\`dangjian.photoShrink\` = off), the originals sent; after: shrunk on the phone to 2560 px, JPEG 85 %. Load average (1 min) at start ${load0.toFixed(1)}, at end ${load1.toFixed(1)}.`,
    '',
    '| measurement | before (originals) | after (shrunk on the phone) |',
    '|---|---:|---:|',
    `| 保存 → 已保存 (s) | ${s(m('before', 'saveMs'))} | ${s(m('after', 'saveMs'))} |`,
    `| photos picked → ready on the form (s) | ${s(m('before', 'pickMs'))} | ${s(m('after', 'pickMs'))} |`,
    `| photos on the wire (kB, three) | ${kB(m('before', 'sentBytes'))} | ${kB(m('after', 'sentBytes'))} |`,
  ].join('\n');
  console.log(`\n${head}\n`);
  if (process.env.PHONE_WRITE !== '0') writeBetween('<!-- phone-photos:start -->', '<!-- phone-photos:end -->', head);
}

function writeBetween(start: string, end: string, text: string) {
  const readme = fs.readFileSync(README, 'utf8');
  const i = readme.indexOf(start);
  const j = readme.indexOf(end);
  if (i >= 0 && j > i) {
    fs.writeFileSync(README, `${readme.slice(0, i + start.length)}\n${text}\n${readme.slice(j)}`);
    log('results written into bench/README.md');
  } else log(`no ${start} markers in bench/README.md: results not written`);
}

const kB = (b: number) => (b / 1000).toFixed(0);
const s = (ms: number) => (ms / 1000).toFixed(2);

async function main() {
  if (!BASE) {
    console.error(
      'BASE is required, e.g. BASE=http://127.0.0.1:3300 npm run bench:phone (start the platform first: see bench/README.md)',
    );
    process.exit(2);
  }
  const probe = await fetch(`${BASE}/login`).catch(() => null);
  if (!probe?.ok) throw new Error(`${BASE}/login does not answer: is the platform running?`);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
    // playwright gives the browser a fresh temporary profile (user-data-dir) of its own.
  });
  if (CASE === 'photos') {
    try {
      await photosCase(browser);
    } finally {
      await browser.close();
    }
    return;
  }
  const runs: Record<Mode, Run[]> = { phone: [], none: [] };
  const fsUser = await fsAccount().catch(async (e) => {
    await browser.close();
    throw e;
  });
  const load0 = os.loadavg()[0];
  try {
    // Warm-up (server caches, Chromium start-up), not counted.
    await oneRun(browser, 'none', fsUser);
    for (let i = 0; i < RUNS; i++) {
      const order: Mode[] = i % 2 ? ['none', 'phone'] : ['phone', 'none'];
      for (const mode of order) {
        const r = await oneRun(browser, mode, fsUser);
        runs[mode].push(r);
        log(
          `run ${i + 1} ${mode}: login ${s(r.loginMs)} s (JS ${kB(r.loginJsBytes)} kB, all ${kB(r.loginAllBytes)} kB in ${r.loginRequests} requests), member list ${s(r.membersMs)} s (JS ${kB(r.membersJsBytes)} kB), check-in ${s(r.checkinMs)} s (JS ${kB(r.checkinJsBytes)} kB)`,
        );
      }
    }
  } finally {
    await browser.close();
  }
  const load1 = os.loadavg()[0];

  const m = (mode: Mode, k: keyof Run) => median(runs[mode].map((r) => r[k]));
  const rows = [
    [
      'login: form usable (s)',
      s(m('phone', 'loginMs')),
      s(m('none', 'loginMs')),
      (m('phone', 'loginMs') / m('none', 'loginMs')).toFixed(1),
      `< ${AIM.loginMs / 1000}`,
      m('phone', 'loginMs') < AIM.loginMs,
    ],
    [
      'member list: first row, cold cache (s)',
      s(m('phone', 'membersMs')),
      s(m('none', 'membersMs')),
      (m('phone', 'membersMs') / m('none', 'membersMs')).toFixed(1),
      `< ${AIM.membersMs / 1000}`,
      m('phone', 'membersMs') < AIM.membersMs,
    ],
    [
      'login: JavaScript on the wire (kB)',
      kB(m('phone', 'loginJsBytes')),
      kB(m('none', 'loginJsBytes')),
      '',
      `< ${AIM.loginJsKb}`,
      m('phone', 'loginJsBytes') / 1000 < AIM.loginJsKb,
    ],
    [
      'login: everything on the wire (kB)',
      kB(m('phone', 'loginAllBytes')),
      kB(m('none', 'loginAllBytes')),
      '',
      '',
      null,
    ],
    ['login: requests', String(m('phone', 'loginRequests')), String(m('none', 'loginRequests')), '', '', null],
    [
      'member list: JavaScript on the wire (kB)',
      kB(m('phone', 'membersJsBytes')),
      kB(m('none', 'membersJsBytes')),
      '',
      '',
      null,
    ],
    [
      'check-in page: tap-ready, cold cache (s)',
      s(m('phone', 'checkinMs')),
      s(m('none', 'checkinMs')),
      (m('phone', 'checkinMs') / m('none', 'checkinMs')).toFixed(1),
      `< ${AIM.checkinMs / 1000}`,
      m('phone', 'checkinMs') < AIM.checkinMs,
    ],
    [
      'check-in page: JavaScript on the wire (kB)',
      kB(m('phone', 'checkinJsBytes')),
      kB(m('none', 'checkinJsBytes')),
      '',
      '',
      null,
    ],
  ] as const;
  const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
  const version = browser.version();
  const head = [
    `Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC — ${cpu}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM; Chromium ${version}; ${RUNS} runs per column (medians), against ${BASE}.`,
    `Phone: latency ${PHONE.latencyMs} ms per request, ${PHONE.downKbps} kbit/s down, ${PHONE.upKbps} kbit/s up, CPU ${PHONE.cpu}× slower, 390×844. Baseline: the same runs without throttling. Load average (1 min) at start ${load0.toFixed(1)}, at end ${load1.toFixed(1)}.`,
    '',
    '| measurement | phone (slow 4G, 4× CPU) | no throttling | ratio | aim | met |',
    '|---|---:|---:|---:|---:|:---:|',
    ...rows.map(
      ([name, a, b, ratio, aim, met]) =>
        `| ${name} | ${a} | ${b} | ${ratio ? `${ratio}×` : ''} | ${aim} | ${met === null ? '' : met ? 'yes' : 'no'} |`,
    ),
  ].join('\n');
  console.log(`\n${head}\n`);
  if (process.env.PHONE_WRITE !== '0') {
    const readme = fs.readFileSync(README, 'utf8');
    const start = '<!-- phone:start -->';
    const end = '<!-- phone:end -->';
    const i = readme.indexOf(start);
    const j = readme.indexOf(end);
    if (i >= 0 && j > i) {
      fs.writeFileSync(README, `${readme.slice(0, i + start.length)}\n${head}\n${readme.slice(j)}`);
      log('results written into bench/README.md');
    } else log('no phone markers in bench/README.md: results not written');
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
