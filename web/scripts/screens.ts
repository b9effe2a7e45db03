/**
 * Screenshots of every page at desktop (1440×900) and phone (390×844) width, into /tmp/screens.
 * Also prints browser console errors/warnings, page errors and failed requests.
 *
 *   BASE=http://127.0.0.1:3100 node --import tsx web/scripts/screens.ts
 *
 * Needs a running server with the built web app and the demo data; logs in as admin
 * (ADMIN_PASSWORD, default Admin#2026pass). Creates a member and an import test file on the way.
 */
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

const BASE = process.env.BASE ?? 'http://127.0.0.1:3100';
const OUT = process.env.OUT ?? '/tmp/screens';
const USER = process.env.ADMIN_USER ?? 'admin';
const PASS = process.env.ADMIN_PASSWORD ?? 'Admin#2026pass';
const ONLY = process.env.ONLY; // e.g. "members" to shoot only names containing it

fs.mkdirSync(OUT, { recursive: true });
const problems: string[] = [];

function watch(page: Page, tag: string) {
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`[${tag}] console.${m.type()}: ${m.text().slice(0, 400)}`);
  });
  page.on('pageerror', (e) => problems.push(`[${tag}] pageerror: ${e.message}`));
  page.on('requestfailed', (r) => {
    if (r.failure()?.errorText !== 'net::ERR_ABORTED') problems.push(`[${tag}] requestfailed: ${r.method()} ${r.url()} ${r.failure()?.errorText}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 500) problems.push(`[${tag}] HTTP ${r.status()} ${r.request().method()} ${r.url()}`);
    else if (r.status() >= 400 && r.url().includes('/api/'))
      void r.text().then(
        (t) => console.log(`   (${tag}) ${r.status()} ${r.request().method()} ${r.url().replace(BASE, '')} ${t.slice(0, 200)}`),
        () => undefined,
      );
  });
}

async function settle(page: Page) {
  await page.waitForLoadState('networkidle').catch(() => undefined);
  // antd animations
  await page.waitForTimeout(450);
}

async function shot(page: Page, tag: string, name: string, fullPage = true) {
  if (ONLY && !name.includes(ONLY)) return;
  await settle(page);
  if (fullPage) await page.evaluate(() => window.scrollTo(0, 0));
  const file = path.join(OUT, `${tag}-${name}.png`);
  const vp = page.viewportSize() ?? { width: 1440, height: 900 };
  const height = fullPage ? await page.evaluate(() => document.documentElement.scrollHeight) : vp.height;
  // Long phone pages come in parts of 1300 px so each stays readable.
  if (tag === 'mobile' && fullPage && height > 1400) {
    for (let i = 0, y = 0; y < height && i < 4; i++, y += 1300) {
      const part = file.replace(/\.png$/, `-${'abcd'[i]}.png`);
      await page.screenshot({ path: part, fullPage: true, clip: { x: 0, y, width: vp.width, height: Math.min(1300, height - y) } });
      console.log('  ', part);
    }
    return;
  }
  await page.screenshot({ path: file, fullPage });
  console.log('  ', file);
}

async function api<T>(page: Page, url: string): Promise<T> {
  const r = await page.request.get(BASE + url);
  if (!r.ok()) throw new Error(`${url} → ${r.status()} ${await r.text()}`);
  return (await r.json()) as T;
}

/** A valid 18-digit ID number (GB 11643 check digit) for the demo county. */
function idNumber(birth: string, seq: number): string {
  const body = `410225${birth.replace(/-/g, '')}${String(seq % 1000).padStart(3, '0')}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body[i]) * w[i];
  return body + '10X98765432'[sum % 11];
}

async function makeImportFiles(branchName: string): Promise<{ bad: string; good: string }> {
  const bad = path.join(OUT, 'import-bad.xlsx');
  const good = path.join(OUT, 'import-good.xlsx');
  const headers = ['姓名', '公民身份号码', '所在党组织', '党员类别', '入党日期', '转正日期', '联系电话'];
  const wb1 = new ExcelJS.Workbook();
  const s1 = wb1.addWorksheet('党员名册');
  s1.addRow(headers);
  s1.addRow(['张三', '41022519800101123X', '不存在的支部', '正式党员', '2001-07-01', '2002-07-01', '13800000000']);
  s1.addRow(['李四', '123', '', '党员', '2030-01-01', '', 'abc']);
  // One row without an error (a join date to the month only): the page offers 只导入无误的 1 行.
  s1.addRow(['导入丙', idNumber('1985-05-05', (Date.now() % 900) + 3), branchName, '', '2012.07', '', '']);
  await wb1.xlsx.writeFile(bad);
  const wb2 = new ExcelJS.Workbook();
  const s2 = wb2.addWorksheet('党员名册');
  s2.addRow(headers);
  const seed = Date.now() % 900;
  s2.addRow(['导入甲', idNumber('1988-03-15', seed + 1), branchName, '正式党员', '2012-07-01', '2013-07-01', '13912345678']);
  s2.addRow(['导入乙', idNumber('1992-11-02', seed + 2), branchName, '预备党员', '2025-06-01', '', '']);
  await wb2.xlsx.writeFile(good);
  return { bad, good };
}

async function run(browser: Browser, tag: 'desktop' | 'mobile') {
  const ctx: BrowserContext = await browser.newContext(
    tag === 'desktop'
      ? { viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' }
      : { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 1, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' },
  );
  const page = await ctx.newPage();
  watch(page, tag);
  console.log(`== ${tag}`);

  // Login: empty, wrong password, then in.
  await page.goto(`${BASE}/login`);
  await shot(page, tag, '01-login');
  await page.getByTestId('login-forgot').locator('summary').click();
  await shot(page, tag, '01b-login-forgot');
  await page.getByTestId('login-username').fill(USER);
  await page.getByTestId('login-password').fill('wrong-password');
  await page.getByTestId('login-submit').click();
  await page.getByTestId('login-error').waitFor();
  await shot(page, tag, '02-login-error');
  await page.getByTestId('login-password').fill(PASS);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));

  // Orgs
  await page.goto(`${BASE}/orgs`);
  await page.getByTestId('org-card').waitFor();
  await shot(page, tag, '03-orgs-root');
  if (tag === 'mobile') {
    await page.getByTestId('org-tree-open').click();
    await shot(page, tag, '03b-orgs-tree-drawer', false);
    await page.keyboard.press('Escape');
  }
  const branches = await api<{ items: { id: string; name: string }[] }>(page, '/api/orgs?kind=branch&pageSize=50');
  let branchId = branches.items[0]?.id;
  let branchName = branches.items[0]?.name;
  for (const b of branches.items) {
    const d = await api<{ warnings: unknown[]; leadership: unknown[] }>(page, `/api/orgs/${b.id}`);
    if (d.warnings.length && d.leadership.length) {
      branchId = b.id;
      branchName = b.name;
      break;
    }
  }
  await page.goto(`${BASE}/orgs/${branchId}`);
  await page.getByTestId('org-name').waitFor();
  await shot(page, tag, '04-orgs-branch');
  await page.getByTestId('org-edit').click();
  await shot(page, tag, '05-orgs-edit-modal', false);
  await page.keyboard.press('Escape');
  await page.getByTestId('org-post').click();
  await shot(page, tag, '06-orgs-post-modal', false);
  await page.keyboard.press('Escape');
  await page.getByTestId('org-move').click();
  await shot(page, tag, '06b-orgs-move-modal', false);
  await page.keyboard.press('Escape');

  if ((await page.getByTestId('org-tree').count()) === 0) problems.push(`[${tag}] no [data-testid=org-tree]`);
  if (tag === 'desktop') {
    // Search box jumps to an org and opens the tree down to it.
    await page.getByTestId('org-search').fill('樊寨村');
    const opt = page.locator('.ant-select-item-option').first();
    await opt.waitFor({ timeout: 10_000 }).catch(() => problems.push(`[${tag}] org search showed no options`));
    await shot(page, tag, '06c-orgs-search', false);
    await opt.click().catch(() => undefined);
    await page.waitForURL((u) => u.pathname.startsWith('/orgs/') && !u.pathname.endsWith(branchId ?? '-'), { timeout: 10_000 }).catch(() => problems.push(`[${tag}] org search did not jump`));
    await page.getByTestId('org-name').waitFor();
    await shot(page, tag, '06d-orgs-after-search');
  }

  // Members list
  await page.goto(`${BASE}/members`);
  await page.getByTestId('member-list').waitFor();
  await shot(page, tag, '07-members');
  await Promise.all([page.waitForResponse((r) => r.url().includes('/api/members?') && r.url().includes('q=zh')), page.getByTestId('member-search').fill('zh')]);
  await page.getByTestId('member-more').click();
  await shot(page, tag, '08-members-search-more');
  await page.goto(`${BASE}/members?orgId=${branchId}&subtree=true`);
  await page.getByTestId('member-list').waitFor();
  await shot(page, tag, '08b-members-by-org');
  if (tag === 'desktop') {
    await page.getByTestId('member-org').click();
    await page.keyboard.type('谷营');
    await page.locator('.ant-select-dropdown').getByText('中共谷营镇委员会').first().waitFor({ timeout: 10_000 }).catch(() => problems.push(`[${tag}] org picker search showed nothing`));
    await shot(page, tag, '08c-members-org-picker', false);
    await page.keyboard.press('Escape');
  }
  await page.getByTestId('member-export').click();
  await shot(page, tag, '09-members-export-modal', false);
  await page.keyboard.press('Escape');

  // New member: submit empty, then bad data to see the server's field errors.
  await page.goto(`${BASE}/members/new`);
  await page.getByTestId('member-form').waitFor();
  await page.evaluate(() => {
    for (let i = localStorage.length - 1; i >= 0; i--) if (localStorage.key(i)?.startsWith('dangjian.draft.')) localStorage.removeItem(localStorage.key(i) ?? '');
  });
  await page.reload();
  await page.getByTestId('member-form').waitFor();
  await shot(page, tag, '10-member-new');
  await page.getByTestId('member-save').click();
  await shot(page, tag, '11-member-new-required');
  // Filled in, but joined before 18: only the server knows, and says so on the field.
  await page.goto(`${BASE}/members/new?orgId=${branchId}`);
  await page.getByTestId('member-form').waitFor();
  await page.locator('#name').fill('测试党员');
  await page.locator('#idNumber').fill(idNumber('2000-01-01', Date.now() % 997));
  await page.locator('#joinDate').fill('2010-07-01');
  await page.locator('#joinDate').press('Enter');
  await page.locator('#fullDate').fill('2011-07-01');
  await page.locator('#fullDate').press('Enter');
  await page.locator('#phone').fill('13800138000');
  await page.getByTestId('member-save').click();
  await page.locator('.ant-form-item-explain-error').first().waitFor({ timeout: 10_000 }).catch(() => undefined);
  await shot(page, tag, '12-member-new-server-errors');
  // The draft survives a reload.
  await page.reload();
  await page.getByTestId('member-draft-restored').waitFor({ timeout: 10_000 }).catch(() => problems.push(`[${tag}] draft not restored after reload`));
  await shot(page, tag, '12b-member-new-draft-restored');
  await page.locator('#joinDate').fill('2020-07-01');
  await page.locator('#joinDate').press('Enter');
  await page.locator('#fullDate').fill('2021-07-01');
  await page.locator('#fullDate').press('Enter');
  await page.getByTestId('member-save').click();
  await page.waitForURL((u) => /\/members\/[0-9a-f-]{36}$/.test(u.pathname), { timeout: 15_000 }).catch(() => problems.push(`[${tag}] new member not saved`));
  await shot(page, tag, '12c-member-created');

  // Detail
  const one = await api<{ items: { id: string }[] }>(page, `/api/members?orgId=${branchId}&pageSize=1`);
  const memberId = one.items[0]?.id;
  await page.goto(`${BASE}/members/${memberId}`);
  await page.getByTestId('member-detail').waitFor();
  await shot(page, tag, '13-member-detail');
  await page.getByTestId('member-reveal').click();
  await page.getByTestId('reveal-reason').fill('核对身份信息');
  await page.getByTestId('reveal-submit').click();
  await page.getByTestId('reveal-result').waitFor();
  await shot(page, tag, '14-member-reveal', false);
  await page.keyboard.press('Escape');
  await page.getByTestId('member-transfer').click();
  await shot(page, tag, '15-member-transfer', false);
  await page.keyboard.press('Escape');
  await page.goto(`${BASE}/members/${memberId}/edit`);
  await page.getByTestId('member-form').waitFor();
  await shot(page, tag, '16-member-edit');

  // Import
  const files = await makeImportFiles(branchName ?? '');
  await page.goto(`${BASE}/members/import`);
  await shot(page, tag, '17-import');
  await page.getByTestId('import-file').setInputFiles(files.bad);
  await page.getByTestId('import-errors').waitFor({ timeout: 30_000 }).catch(() => undefined);
  await shot(page, tag, '18-import-errors');
  await page.getByTestId('import-file').setInputFiles(files.good);
  await page.getByTestId('import-confirm').waitFor({ timeout: 30_000 }).catch(() => problems.push(`[${tag}] good import file did not pass the check`));
  await shot(page, tag, '18b-import-checked');
  await page.getByTestId('import-confirm').click();
  await page.getByTestId('import-result').waitFor({ timeout: 30_000 }).catch(() => problems.push(`[${tag}] import did not finish`));
  await shot(page, tag, '18c-import-done');

  // Users
  await page.goto(`${BASE}/users`);
  await page.getByTestId('user-list').waitFor();
  await shot(page, tag, '19-users');
  await page.getByTestId('user-new').click();
  await shot(page, tag, '20-users-new-modal', false);
  await page.keyboard.press('Escape');

  // New accounts: first login forces a password change. An auditor sees the audit log; a leader reads only.
  const root = await api<{ id: string }>(page, '/api/orgs/root');
  const asNewUser = async (role: string, prefix: string) => {
    const username = `${prefix}${tag}${Date.now() % 100000}`;
    const created = await page.request.post(`${BASE}/api/users`, {
      headers: { origin: BASE },
      data: { username, displayName: `${role === 'auditor' ? '审计员' : '领导'}测试`, password: 'Init#Pass2026', roles: [role], orgId: root.id },
    });
    if (!created.ok()) problems.push(`[${tag}] could not create ${role}: ${created.status()} ${await created.text()}`);
    const c = await browser.newContext({ viewport: page.viewportSize() ?? undefined, isMobile: tag === 'mobile', hasTouch: tag === 'mobile', locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const p = await c.newPage();
    watch(p, `${tag}/${role}`);
    await p.goto(`${BASE}/login`);
    await p.getByTestId('login-username').fill(username);
    await p.getByTestId('login-password').fill('Init#Pass2026');
    await p.getByTestId('login-submit').click();
    await p.waitForURL((u) => u.pathname === '/password');
    return { c, p };
  };
  {
    const { c, p } = await asNewUser('auditor', 'shenji');
    await shot(p, tag, '21-password-forced');
    // The one-time password typed at login is carried over: the old password is asked only when it is not.
    if (await p.locator('#oldPassword').count()) await p.locator('#oldPassword').fill('Init#Pass2026');
    await p.locator('#newPassword').fill('Audit#Pass2027');
    await p.locator('#confirm').fill('Audit#Pass2027');
    await p.getByTestId('password-submit').click();
    await p.waitForURL((u) => u.pathname === '/audit');
    await p.getByTestId('audit-list').waitFor();
    await p.locator('[data-testid=audit-list] .ant-table-row, [data-testid=audit-toggle]').first().click();
    await shot(p, tag, '21b-audit');
    await c.close();
  }
  {
    const { c, p } = await asNewUser('leader', 'lingdao');
    // The one-time password typed at login is carried over: the old password is asked only when it is not.
    if (await p.locator('#oldPassword').count()) await p.locator('#oldPassword').fill('Init#Pass2026');
    await p.locator('#newPassword').fill('Lead#Pass2027');
    await p.locator('#confirm').fill('Lead#Pass2027');
    await p.getByTestId('password-submit').click();
    await p.waitForURL((u) => u.pathname === '/orgs');
    await p.getByTestId('org-card').waitFor();
    await shot(p, tag, '21c-leader-orgs');
    await p.goto(`${BASE}/members`);
    await p.getByTestId('member-list').waitFor();
    if (await p.getByTestId('member-new').count()) problems.push(`[${tag}] leader sees 新增党员`);
    await shot(p, tag, '21d-leader-members');
    await p.goto(`${BASE}/users`);
    await shot(p, tag, '21e-leader-users-denied');
    await c.close();
  }

  // Password, 404, menu
  await page.goto(`${BASE}/password`);
  await shot(page, tag, '22-password');
  await page.goto(`${BASE}/no-such-page`);
  await shot(page, tag, '23-404');
  if (tag === 'mobile') {
    await page.goto(`${BASE}/members`);
    await page.getByLabel('打开菜单').click();
    await shot(page, tag, '24-menu-drawer', false);
  } else {
    await page.goto(`${BASE}/members`);
    await page.getByTestId('user-menu').click();
    await shot(page, tag, '24-user-menu', false);
  }
  await ctx.close();
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
});
try {
  for (const tag of (process.env.TAGS ?? 'desktop,mobile').split(',') as ('desktop' | 'mobile')[]) {
    try {
      await run(browser, tag);
    } catch (e) {
      problems.push(`[${tag}] script stopped: ${(e as Error).message.split('\n')[0]}`);
      console.error(e);
    }
  }
} finally {
  await browser.close();
}
console.log(problems.length ? `\n${problems.length} problem(s):\n${problems.join('\n')}` : '\nno console errors or warnings');
