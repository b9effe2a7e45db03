/**
 * A branch secretary's phone day (issue 18 §3), in Chromium at 390×844 against the real platform: the
 * secretary lands on what is due (待办), taps 去记录 on this month's 主题党日 and finds the form with the
 * kind filled in; saves it with no network; reloads the app still offline and the kept shell
 * (web/service-worker.js) opens and shows the record waiting; the network comes back and it goes up.
 * The worker script is served no-cache, and no API answer is ever in its cache.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiDate } from '../server/platform/calendar.ts';
import {
  ADMIN_PASSWORD,
  Api,
  browserPath,
  launchBrowser,
  login,
  type Platform,
  shot,
  startPlatform,
} from './support.ts';

const haveBrowser = !!browserPath();
let platform: Platform;
let browser: Browser;
const PASSWORD = 'Branch#Day2026phone';
const period = shanghaiDate(new Date()).slice(0, 7);
const branch = { id: '', name: '' };

describe.skipIf(!haveBrowser && !process.env.CI)("a secretary's phone day", () => {
  beforeAll(async () => {
    platform = await startPlatform({ DANGJIAN_DEMO_TOWNSHIPS: '2' });
    const api = new Api(platform.url);
    await api.login('admin', ADMIN_PASSWORD);
    // A branch that has not held this month's themed day yet.
    const upcoming = await api.call('GET', `/api/problems?status=upcoming&rule=LIFE-5&period=${period}&pageSize=20`);
    const first = (upcoming.items as { orgId: string; orgName: string }[])[0];
    expect(first, '本月尚未开展主题党日的支部').toBeTruthy();
    Object.assign(branch, { id: first.orgId, name: first.orgName });
    await api.call('POST', '/api/users', {
      username: 'day.secretary',
      displayName: '支部书记',
      password: PASSWORD,
      roles: ['branchSecretary'],
      orgId: branch.id,
    });
    const secretary = new Api(platform.url);
    await secretary.login('day.secretary', PASSWORD);
    await secretary.call('POST', '/api/auth/password', { oldPassword: PASSWORD, newPassword: `${PASSWORD}!` });
    browser = await launchBrowser();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('lands on what is due, records it offline, reopens offline with the record waiting, sends it when back', async () => {
    const sw = await fetch(`${platform.url}/sw.js`);
    expect(sw.status).toBe(200);
    expect(sw.headers.get('cache-control')).toBe('no-cache');
    expect(sw.headers.get('content-type')).toContain('javascript');

    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    const page = await context.newPage();
    await login(page, platform.url, 'day.secretary', `${PASSWORD}!`);
    // The landing page: this month's requirements, the themed day not yet held.
    expect(new URL(page.url()).pathname).toBe('/todo');
    const item = page.getByTestId('due-item').filter({ hasText: '主题党日' }).first();
    await item.waitFor({ timeout: 15_000 });
    expect(await item.innerText()).toContain('待开展');
    await shot(page, 'day-01-todo');
    // The shell is kept on the phone once the worker controls the page.
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller), { timeout: 15_000 }).toBe(true);

    await item.getByTestId('due-record').click();
    await page.waitForURL(/\/meetings\/new\?/);
    const kind = page.getByTestId('meeting-kind').locator('.ant-radio-button-wrapper-checked');
    await expect.poll(() => kind.innerText(), { timeout: 15_000 }).toContain('主题党日');
    const topic = `断网时记录的主题党日 ${Date.now() % 100000}`;
    await page.getByTestId('meeting-topic').fill(topic);

    await context.setOffline(true);
    await page.getByTestId('meeting-save').click();
    await page.getByTestId('meeting-offline').waitFor({ timeout: 15_000 });

    // Reopened without a network: the kept shell, not the browser's error page, with the record waiting.
    await page.reload();
    const waiting = page.getByTestId('offline-item');
    await waiting.waitFor({ timeout: 15_000 }).catch(async (e) => {
      if (process.env.E2E_SCREENSHOTS) {
        await shot(page, 'day-debug');
        console.log(page.url(), (await page.content()).slice(0, 3000));
      }
      throw e;
    });
    expect(await waiting.innerText()).toContain(topic);
    expect(await waiting.innerText()).toContain('等待网络');
    expect(await page.getByTestId('offline-home').innerText()).toContain('当前没有网络');
    await shot(page, 'day-02-offline');
    const cached = await page.evaluate(async () => {
      const urls: string[] = [];
      for (const name of await caches.keys())
        for (const r of await (await caches.open(name)).keys()) urls.push(new URL(r.url).pathname);
      return urls;
    });
    expect(cached).toContain('/index.html');
    expect(cached.filter((u) => u.startsWith('/api/'))).toEqual([]);

    // The network is back: the shell checks the session again by itself (\`online\`), opens the app and sends it.
    await context.setOffline(false);
    await expect
      .poll(() => page.locator('body').innerText(), { timeout: 20_000 })
      .toContain('已上传本机保存的 1 条组织生活记录');
    await context.close();

    const admin = new Api(platform.url);
    await admin.login('admin', ADMIN_PASSWORD);
    const list = await admin.call('GET', `/api/meetings?orgId=${branch.id}&kind=themedDay&pageSize=50`);
    expect((list.items as { topic: string | null }[]).filter((m) => m.topic === topic)).toHaveLength(1);
  }, 180_000);
});
