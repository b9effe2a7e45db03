/**
 * Screenshots of the organizational-life and problems pages at desktop (1366×900) and phone
 * (390×844) width, into /tmp/life-screens; prints console errors and failed API calls.
 *
 *   BASE=http://127.0.0.1:3100 ADMIN_PASSWORD=… node --import tsx web/scripts/life-screens.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import sharp from 'sharp';

const BASE = process.env.BASE ?? 'http://127.0.0.1:3100';
const OUT = process.env.OUT ?? '/tmp/life-screens';
const PASS = process.env.ADMIN_PASSWORD ?? 'Admin#2026pass';
const ONLY = process.env.ONLY;
fs.mkdirSync(OUT, { recursive: true });

function watch(page: Page, tag: string) {
  page.on('console', (m) => {
    if (m.type() === 'error') console.log(`  [${tag}] console.error: ${m.text().slice(0, 300)}`);
  });
  page.on('pageerror', (e) => console.log(`  [${tag}] pageerror: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 400 && r.url().includes('/api/')) void r.text().then((t) => console.log(`  [${tag}] ${r.status()} ${r.request().method()} ${r.url().replace(BASE, '')} ${t.slice(0, 200)}`), () => undefined);
  });
}

async function shot(page: Page, tag: string, name: string) {
  if (ONLY && !name.includes(ONLY)) return;
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await page.waitForTimeout(700);
  const file = path.join(OUT, `${tag}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  console.log('  ', file);
}

async function main() {
  const jpeg = await sharp({ create: { width: 320, height: 240, channels: 3, background: { r: 200, g: 30, b: 30 } } }).jpeg().toBuffer();
  const photo = path.join(OUT, 'photo.jpg');
  fs.writeFileSync(photo, jpeg);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  for (const [tag, viewport] of [
    ['desktop', { width: 1366, height: 900 }],
    ['mobile', { width: 390, height: 844 }],
  ] as const) {
    const ctx = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', isMobile: tag === 'mobile', hasTouch: tag === 'mobile', deviceScaleFactor: 1 });
    const page = await ctx.newPage();
    watch(page, tag);
    await page.goto(`${BASE}/login`);
    await page.getByTestId('login-username').fill('admin');
    await page.getByTestId('login-password').fill(PASS);
    await page.getByTestId('login-submit').click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    const list = (await (await page.request.get(`${BASE}/api/meetings?kind=committeeMeeting&pageSize=50`)).json()) as { items: { id: string; orgId: string; valid: boolean; warningCount: number }[] };
    const sample = list.items.find((m) => !m.valid) ?? list.items[0];
    const branch = sample?.orgId;

    await page.goto(`${BASE}/meetings`);
    await shot(page, tag, '01-meetings');
    await page.goto(`${BASE}/meetings/new`);
    await page.waitForTimeout(500);
    if (branch) {
      // An admin sits on the county: pick the branch through the URL-less way, the picker's search.
      await page.getByTestId('meeting-org').click();
      const detail = (await (await page.request.get(`${BASE}/api/orgs/${branch}`)).json()) as { name: string };
      await page.keyboard.type(detail.name.slice(0, 6));
      await page.waitForTimeout(900);
      await page.locator('.ant-select-tree-node-content-wrapper').first().click();
      await page.waitForTimeout(800);
    }
    await page.getByTestId('meeting-topic').fill('研究发展党员工作');
    const people = page.getByTestId('attendance-person');
    if ((await people.count()) > 2) {
      await people.nth(1).click();
      await people.nth(2).click();
      await people.nth(2).click();
    }
    await page.getByTestId('meeting-gallery').setInputFiles(photo);
    await page.waitForTimeout(500);
    await page.getByTestId('meeting-minutes').fill('一、学习上级文件精神。\n二、研究确定入党积极分子人选。');
    await shot(page, tag, '02-record-new');
    if (sample) {
      await page.goto(`${BASE}/meetings/${sample.id}`);
      await shot(page, tag, '03-detail');
      await page.goto(`${BASE}/meetings/${sample.id}/edit`);
      await shot(page, tag, '04-edit');
      await page.goto(`${BASE}/meetings/appraisal?orgId=${branch}`);
      await shot(page, tag, '05-appraisal');
      await page.goto(`${BASE}/meetings/talks?orgId=${branch}`);
      await shot(page, tag, '06-talks');
      await page.goto(`${BASE}/problems/calendar/${branch}`);
      await shot(page, tag, '09-calendar');
    }
    await page.goto(`${BASE}/problems`);
    await shot(page, tag, '07-problems');
    const row = page.locator('[data-testid="problem-list"] tbody tr, [data-testid="problem-card"]').first();
    if (await row.count()) {
      await row.click();
      await page.getByTestId('problem-detail').waitFor({ timeout: 5000 }).catch(() => undefined);
      await shot(page, tag, '07b-problem-drawer');
      await page.keyboard.press('Escape');
    }
    await page.goto(`${BASE}/compliance`);
    await shot(page, tag, '08-compliance');
    await page.goto(`${BASE}/settings/rules`);
    await shot(page, tag, '10-rules');
    await page.goto(`${BASE}/meetings`);
    await shot(page, tag, '11-meetings-drafts');
    await ctx.close();
  }
  await browser.close();
}

await main();
