/**
 * Two-step verification (SEC-5) walked through in a browser, with screenshots at desktop (1440×900)
 * and phone (390×844) width into /tmp/totp-screens. Not part of the test suite.
 *
 *   BASE=http://127.0.0.1:3300 ADMIN_PASSWORD='Totp#Admin2026' node --import tsx web/scripts/totp-screens.ts
 *
 * Needs a server in the level3 profile with the built web app, and an `admin` account (a
 * county administrator) that has not enrolled yet: it must be sent to /security after login.
 * The flow: forced setup page → QR + secret → a wrong code → the right code → the app →
 * the enabled state → log out → log in, asked for the code → a wrong code → the right code → in.
 * Codes are computed here from the secret shown on the page. Each 30-second code is accepted once,
 * so the script waits for a fresh one between logins.
 */
import fs from 'node:fs';
import path from 'node:path';
import { generate } from 'otplib';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

const BASE = process.env.BASE ?? 'http://127.0.0.1:3300';
const OUT = process.env.OUT ?? '/tmp/totp-screens';
const USER = process.env.ADMIN_USER ?? 'admin';
const PASS = process.env.ADMIN_PASSWORD ?? 'Totp#Admin2026';

fs.mkdirSync(OUT, { recursive: true });
const problems: string[] = [];

function watch(page: Page, tag: string) {
  page.on('console', (m) => {
    // The deliberate wrong codes answer 4xx; those responses are printed below instead.
    if (m.text().startsWith('Failed to load resource: the server responded with a status of 4')) return;
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`[${tag}] console.${m.type()}: ${m.text().slice(0, 400)}`);
  });
  page.on('pageerror', (e) => problems.push(`[${tag}] pageerror: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 500) problems.push(`[${tag}] HTTP ${r.status()} ${r.request().method()} ${r.url()}`);
    else if (r.status() >= 400 && r.url().includes('/api/'))
      void r.text().then(
        (t) => console.log(`   (${tag}) ${r.status()} ${r.request().method()} ${r.url().replace(BASE, '')} ${t.slice(0, 160)}`),
        () => undefined,
      );
  });
}

async function shot(page: Page, tag: string, name: string) {
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await page.waitForTimeout(450); // antd animations
  const file = path.join(OUT, `${tag}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  console.log('  ', file);
}

const stepNow = () => Math.floor(Date.now() / 30_000);
let lastStep = -1;

/** A code from a 30-second step not used before (the server refuses a code twice). */
async function freshCode(secret: string): Promise<string> {
  while (stepNow() <= lastStep) await new Promise((r) => setTimeout(r, 500));
  lastStep = stepNow();
  return generate({ secret });
}

async function newPage(browser: Browser, tag: 'desktop' | 'mobile'): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext(
    tag === 'desktop'
      ? { viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' }
      : { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 1, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' },
  );
  const page = await ctx.newPage();
  watch(page, tag);
  return { ctx, page };
}

async function loginWithPassword(page: Page) {
  await page.goto(`${BASE}/login`);
  await page.getByTestId('login-username').fill(USER);
  await page.getByTestId('login-password').fill(PASS);
  await page.getByTestId('login-submit').click();
}

async function expectPath(page: Page, p: string) {
  await page.waitForURL((u) => u.pathname === p, { timeout: 10_000 });
}

async function logout(page: Page) {
  await page.getByRole('button', { name: '退出' }).first().click();
  await expectPath(page, '/login');
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
});
try {
  // Phone first: the forced page and the setup step (its pending secret is replaced by the desktop one below).
  console.log('== mobile: forced setup');
  const m = await newPage(browser, 'mobile');
  await loginWithPassword(m.page);
  await expectPath(m.page, '/security');
  await shot(m.page, 'mobile', '01-security-forced');
  await m.page.getByTestId('totp-setup-password').fill(PASS);
  await m.page.getByTestId('totp-setup').click();
  await m.page.getByTestId('totp-secret').waitFor();
  await shot(m.page, 'mobile', '02-security-setup');

  console.log('== desktop: forced setup, enrol');
  const d = await newPage(browser, 'desktop');
  await loginWithPassword(d.page);
  await expectPath(d.page, '/security');
  // Nothing else opens until enrolment is done.
  await d.page.goto(`${BASE}/orgs`);
  await expectPath(d.page, '/security');
  await shot(d.page, 'desktop', '01-security-forced');
  await d.page.getByTestId('totp-setup-password').fill(PASS);
  await d.page.getByTestId('totp-setup').click();
  const secret = ((await d.page.getByTestId('totp-secret').textContent()) ?? '').replace(/\s+/g, '');
  if (!/^[A-Z2-7]{16,}$/.test(secret)) throw new Error(`unexpected secret on the page: ${secret}`);
  await shot(d.page, 'desktop', '02-security-setup');
  await d.page.getByTestId('totp-code').fill('000000');
  await d.page.getByTestId('totp-enable').click();
  await d.page.locator('.ant-form-item-explain-error').first().waitFor();
  await shot(d.page, 'desktop', '03-security-wrong-code');
  await d.page.getByTestId('totp-code').fill(await freshCode(secret));
  await d.page.getByTestId('totp-enable').click();
  await d.page.waitForURL((u) => u.pathname !== '/security', { timeout: 10_000 });
  console.log('   enrolled, now at', new URL(d.page.url()).pathname);
  await shot(d.page, 'desktop', '04-app-after-enrol');
  await d.page.getByTestId('user-menu').click();
  await d.page.getByRole('menuitem', { name: '两步验证' }).click();
  await expectPath(d.page, '/security');
  await d.page.getByTestId('totp-status').filter({ hasText: '已开启' }).waitFor();
  await shot(d.page, 'desktop', '05-security-enabled');

  console.log('== mobile: enabled state');
  await m.page.goto(`${BASE}/security`);
  await m.page.getByTestId('totp-status').filter({ hasText: '已开启' }).waitFor();
  await shot(m.page, 'mobile', '05-security-enabled');

  console.log('== desktop: log out, log in with the code');
  await d.page.getByRole('button', { name: /返\s*回/ }).click();
  await logout(d.page);
  await loginWithPassword(d.page);
  await d.page.getByTestId('login-totp').waitFor();
  if (!(await d.page.getByTestId('login-totp').evaluate((el) => el === document.activeElement))) problems.push('[desktop] the code field did not take the focus');
  await shot(d.page, 'desktop', '06-login-code');
  await d.page.getByTestId('login-totp').fill('123456');
  await d.page.getByTestId('login-submit').click();
  await d.page.getByTestId('login-error').waitFor();
  if ((await d.page.getByTestId('login-totp').inputValue()) !== '') problems.push('[desktop] the code field was not cleared after BAD_TOTP');
  await shot(d.page, 'desktop', '07-login-bad-code');
  await d.page.getByTestId('login-totp').fill(await freshCode(secret));
  await d.page.getByTestId('login-submit').click();
  await d.page.waitForURL((u) => !u.pathname.startsWith('/login') && u.pathname !== '/security', { timeout: 10_000 });
  console.log('   signed in with the code, at', new URL(d.page.url()).pathname);
  await shot(d.page, 'desktop', '08-app-after-login');

  console.log('== mobile: log out, log in with the code');
  await m.page.goto(`${BASE}/orgs`);
  await logout(m.page);
  await loginWithPassword(m.page);
  await m.page.getByTestId('login-totp').waitFor();
  await shot(m.page, 'mobile', '06-login-code');
  await m.page.getByTestId('login-totp').fill(await freshCode(secret));
  await m.page.getByTestId('login-submit').click();
  await m.page.waitForURL((u) => !u.pathname.startsWith('/login') && u.pathname !== '/security', { timeout: 10_000 });
  console.log('   signed in with the code, at', new URL(m.page.url()).pathname);
  await shot(m.page, 'mobile', '08-app-after-login');
} finally {
  await browser.close();
}
console.log(problems.length ? `\n${problems.length} problem(s):\n${problems.join('\n')}` : '\nno console errors or warnings');
