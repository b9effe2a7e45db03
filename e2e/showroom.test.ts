/**
 * The showroom at phone width (issue 20), in Chromium against the real platform on a fresh embedded
 * database with the demo county: a visitor without an account opens /showroom, searches, opens a product
 * and sends an inquiry; the village's secretary, on a phone, finds it under 推荐展厅 → 意向咨询 and answers;
 * the county's per-village counts include it. The account is made through the API; everything else is clicked.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
if (!haveBrowser && !process.env.CI)
  console.warn('端到端测试已跳过：未找到 Chromium（安装 Debian 的 chromium 或设置 CHROMIUM_PATH）');

let platform: Platform;
let browser: Browser;
let api: Api;
const SECRETARY_PASSWORD = 'Branch#Showroom2026e2e';
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const facts = { productId: '', productName: '', orgId: '', visitor: `端到端访客${Date.now() % 10_000}` };

describe.skipIf(!haveBrowser && !process.env.CI)('a visitor asks about a village product; the village answers', () => {
  beforeAll(async () => {
    platform = await startPlatform({ DANGJIAN_DEMO_TOWNSHIPS: '5' });
    api = new Api(platform.url);
    await api.login('admin', ADMIN_PASSWORD);
    // The demo county's showroom: published entries in its villages.
    const list = await (await fetch(`${platform.url}/api/showroom/products?pageSize=48`)).json();
    expect(list.total).toBeGreaterThan(3);
    const product = list.items.find((p: { name: string }) => p.name === '红薯粉条') ?? list.items[0];
    facts.productId = product.id;
    facts.productName = product.name;
    facts.orgId = (await api.call('GET', `/api/showroom/entries/${product.id}`)).orgId;
    // A 村党支部's secretary, or the administrator of a 村党委 (a secretary's account sits on a branch).
    const kind = (await api.call('GET', `/api/orgs/${facts.orgId}`)).kind;
    await api.call('POST', '/api/users', {
      username: 'showroom.village',
      displayName: '村支部书记',
      password: SECRETARY_PASSWORD,
      roles: [kind === 'branch' ? 'branchSecretary' : 'orgAdmin'],
      orgId: facts.orgId,
    });
    const user = new Api(platform.url);
    await user.login('showroom.village', SECRETARY_PASSWORD);
    await user.call('POST', '/api/auth/password', {
      oldPassword: SECRETARY_PASSWORD,
      newPassword: `${SECRETARY_PASSWORD}!`,
    });
    browser = await launchBrowser();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('a visitor finds a product on a phone and sends an inquiry; the village sees and answers it', async () => {
    // ── 1. The visitor: no account, a phone. ──
    const visitorCtx = await browser.newContext({ ...PHONE, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const visitor = await visitorCtx.newPage();
    const errors: string[] = [];
    visitor.on('pageerror', (e) => errors.push(String(e)));
    const requested: string[] = [];
    visitor.on('request', (r) => requested.push(new URL(r.url()).pathname));
    await visitor.goto(`${platform.url}/showroom`);
    await visitor.getByTestId('sr-card').first().waitFor({ timeout: 15_000 });
    expect(await visitor.getByTestId('sr-card').count()).toBeGreaterThan(3);
    // No session check and nothing of the signed-in app: the page is public.
    expect(requested).not.toContain('/api/auth/me');
    expect(visitor.url()).toContain('/showroom');
    // The cards' thumbnails are the public pictures of published entries.
    await expect
      .poll(
        () =>
          visitor
            .locator('img.sr-cover')
            .first()
            .evaluate((i) => (i as HTMLImageElement).naturalWidth),
        {
          timeout: 10_000,
        },
      )
      .toBeGreaterThan(0);
    await shot(visitor, 'showroom-01-list');
    // Search by keyword: the address carries it (a link to share).
    await visitor.getByTestId('sr-q').fill(facts.productName);
    await visitor.getByTestId('sr-search').click();
    await visitor.waitForURL(/q=/);
    await expect.poll(() => visitor.getByTestId('sr-card').count(), { timeout: 10_000 }).toBe(1);
    await visitor.getByTestId('sr-card').first().click();
    await visitor.waitForURL(new RegExp(`/showroom/${facts.productId}$`));
    const detail = visitor.getByTestId('sr-detail');
    await detail.waitFor({ timeout: 10_000 });
    expect(await detail.innerText()).toContain(facts.productName);
    expect(await visitor.getByTestId('sr-phone').innerText()).toMatch(/^0371-\d{8}$/);
    await shot(visitor, 'showroom-02-detail');
    // An empty form is refused on the page, in Chinese.
    await visitor.getByTestId('sr-inquiry-send').click();
    expect(await visitor.getByTestId('sr-inquiry').innerText()).toContain('请填写您的称呼');
    await visitor.getByTestId('sr-inquiry-name').fill(facts.visitor);
    await visitor.getByTestId('sr-inquiry-contact').fill('13800001111');
    await visitor.getByTestId('sr-inquiry-message').fill('想为单位食堂每月采购 500 斤，请报价');
    await visitor.getByTestId('sr-inquiry-send').click();
    const done = visitor.getByTestId('sr-inquiry-done');
    await done.waitFor({ timeout: 10_000 });
    expect(await done.innerText()).toContain('提交成功');
    await shot(visitor, 'showroom-03-sent');
    expect(errors).toEqual([]);

    // ── 2. The village's secretary, on a phone: 推荐展厅 → 意向咨询, then the answer. ──
    const villageCtx = await browser.newContext({ ...PHONE, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const village = await villageCtx.newPage();
    village.on('pageerror', (e) => errors.push(String(e)));
    await login(village, platform.url, 'showroom.village', `${SECRETARY_PASSWORD}!`);
    await village.goto(`${platform.url}/products?tab=inquiries`);
    const card = village.getByTestId('inquiry-card').filter({ hasText: facts.productName }).first();
    await card.waitFor({ timeout: 15_000 });
    expect(await card.innerText()).toContain('138****1111');
    await card.click();
    const one = village.getByTestId('inquiry-detail');
    await one.waitFor({ timeout: 10_000 });
    expect(await one.innerText()).toContain(facts.visitor);
    expect(await one.innerText()).toContain('13800001111');
    await village.getByTestId('inquiry-answer-text').fill('已电话联系，约定下周一送样品');
    await village.getByTestId('inquiry-answer-send').click();
    await village.getByTestId('inquiry-answer').waitFor({ timeout: 10_000 });
    await shot(village, 'showroom-04-answered');
    expect(errors).toEqual([]);

    // ── 3. The county's counts include it: received and answered, no visitor's data. ──
    const stats = await api.call('GET', '/api/showroom/inquiry-stats');
    const row = stats.rows.find((r: { orgId: string }) => r.orgId === facts.orgId);
    expect(row.received).toBeGreaterThanOrEqual(1);
    expect(row.answered).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(stats)).not.toContain(facts.visitor);
  }, 180_000);
});
