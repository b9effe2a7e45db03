/**
 * A task down the tree and back up (issue 19), in Chromium against the real platform on a fresh embedded
 * database: the county administrator issues a task to every 党委 below the county (desktop); a township
 * administrator signs its share and splits it to two villages; one village's secretary, on a phone, signs,
 * adds a large photo (shrunk on the phone before it goes up), reports and submits; the township accepts;
 * the county's 任务督办 and the task page count the village's share as done. Accounts are made through
 * the API; everything else is clicked; the API reads the result back at the end.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
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
if (!haveBrowser && !process.env.CI)
  console.warn('端到端测试已跳过：未找到 Chromium（安装 Debian 的 chromium 或设置 CHROMIUM_PATH）');

interface Org {
  id: string;
  name: string;
  kind: string;
  field: string | null;
  status: string;
  parentId: string | null;
}
interface DashRow {
  orgId: string;
  total: number;
  done: number;
}

let platform: Platform;
let browser: Browser;
let api: Api;
const TOWN_PASSWORD = 'Town#Tasks2026e2e';
const SECRETARY_PASSWORD = 'Branch#Tasks2026e2e';
/** The photo's long edge: over the phone's PHOTO_MAX_EDGE (2560), so the page must shrink it. */
const PHOTO_WIDTH = 3200;
const today = shanghaiDate(new Date());
const inDays = (n: number) => shanghaiDate(new Date(Date.parse(`${today}T12:00:00+08:00`) + n * 86_400_000));
const title = `端到端任务清单 ${Date.now() % 100_000}`;
const facts = {
  root: { id: '', name: '' },
  town: { id: '', name: '' },
  villages: [] as { id: string; name: string }[],
  /** Every active 党委 below the county: who the task goes to. */
  committees: [] as string[],
  /** 村党委 inside the township: each holds a share of the county's task of its own. */
  townCommittees: 0,
  before: { total: 0, done: 0 },
  photo: '',
  taskId: '',
  townShare: '',
  villageShare: '',
};

/** The antd message (toast) that says `text`. */
async function toast(page: Page, text: string | RegExp): Promise<void> {
  await page.locator('.ant-message-notice', { hasText: text }).first().waitFor({ timeout: 30_000 });
}

/** The value of the stat cell labelled `label` inside `box` (thousands separators dropped). */
async function stat(page: Page, box: string, label: string): Promise<number> {
  const cell = page.getByTestId(box).locator('.stat-cell', { has: page.locator('.stat-label', { hasText: label }) });
  return Number((await cell.locator('.stat-value').innerText()).replace(/,/g, ''));
}

describe.skipIf(!haveBrowser && !process.env.CI)('a task issued, split, done on a phone and accepted', () => {
  beforeAll(async () => {
    // Five townships: the first three of the demo county are streets (党工委); the next are towns (党委).
    platform = await startPlatform({ DANGJIAN_DEMO_TOWNSHIPS: '5' });
    api = new Api(platform.url);
    await api.login('admin', ADMIN_PASSWORD);
    const root = await api.call('GET', '/api/orgs/root');
    facts.root = { id: root.id, name: root.name };
    const committees: Org[] = (await api.call('GET', '/api/orgs?kind=committee&pageSize=200')).items;
    facts.committees = committees.filter((o) => o.status === 'active' && o.id !== root.id).map((o) => o.id);
    // Where each 党委 sits: a 村党委 inside a township gets its own share from the county too.
    const ancestors = new Map<string, string[]>();
    for (const id of facts.committees)
      ancestors.set(
        id,
        (await api.call('GET', `/api/orgs/${id}`)).path.map((p: { id: string }) => p.id),
      );
    const inside = (townId: string) =>
      facts.committees.filter((c) => c !== townId && ancestors.get(c)?.includes(townId));
    // A town committee with at least two village branches directly below it (the fewest 村党委 first).
    const kids: Org[] = (await api.call('GET', `/api/orgs/${root.id}/children`)).items;
    const towns = kids
      .filter((k) => k.kind === 'committee' && k.field === 'rural' && k.status === 'active')
      .sort((a, b) => inside(a.id).length - inside(b.id).length);
    for (const t of towns) {
      const below: Org[] = (await api.call('GET', `/api/orgs/${t.id}/children`)).items;
      const villages = below.filter((o) => o.kind === 'branch' && o.field === 'rural' && o.status === 'active');
      if (villages.length >= 2) {
        facts.town = { id: t.id, name: t.name };
        facts.villages = villages.slice(0, 2).map((v) => ({ id: v.id, name: v.name }));
        facts.townCommittees = inside(t.id).length;
        break;
      }
    }
    expect(facts.town.id, '有两个以上村党支部的乡镇党委').not.toBe('');
    expect(facts.committees).toContain(facts.town.id);
    // The township's row of the county's 任务督办 before the task (the demo county has a year of tasks).
    const dash = await api.call('GET', '/api/tasks/dashboard');
    const row = (dash.rows as DashRow[]).find((r) => r.orgId === facts.town.id);
    facts.before = { total: row?.total ?? 0, done: row?.done ?? 0 };

    // The township's administrator and the first village's secretary; their first password is changed here.
    for (const [username, displayName, password, roles, orgId] of [
      ['tasks.town', '乡镇组织委员', TOWN_PASSWORD, ['orgAdmin'], facts.town.id],
      ['tasks.village', '村支部书记', SECRETARY_PASSWORD, ['branchSecretary'], facts.villages[0].id],
    ] as const) {
      await api.call('POST', '/api/users', { username, displayName, password, roles, orgId });
      const user = new Api(platform.url);
      await user.login(username, password);
      await user.call('POST', '/api/auth/password', { oldPassword: password, newPassword: `${password}!` });
    }

    facts.photo = path.join(os.tmpdir(), `tasks-${Date.now()}.jpg`);
    const banner = Buffer.from(
      `<svg width="${PHOTO_WIDTH}" height="2400"><rect x="200" y="300" width="2800" height="1800" fill="#fff3cf"/>` +
        '<circle cx="1600" cy="1200" r="600" fill="#c8102e"/></svg>',
    );
    await sharp({ create: { width: PHOTO_WIDTH, height: 2400, channels: 3, background: { r: 150, g: 30, b: 30 } } })
      .composite([{ input: banner }])
      .jpeg({ quality: 85 })
      .toFile(facts.photo);
    browser = await launchBrowser();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
    if (facts.photo) fs.rmSync(facts.photo, { force: true });
  });

  it('the county issues, the township splits, a village does it on a phone, the township accepts, the county sees it', async () => {
    // ── 1. The county administrator issues the task to every 党委 below the county. ──
    const county = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    const admin = await county.newPage();
    const errors: string[] = [];
    admin.on('pageerror', (e) => errors.push(String(e)));
    await login(admin, platform.url, 'admin', ADMIN_PASSWORD);
    await admin.goto(`${platform.url}/tasks/new`);
    await admin.getByTestId('task-title').fill(title);
    await admin.getByTestId('task-description').fill('各乡镇党委组织所属村党支部逐村自查，拍照留存，按时汇报。');
    await admin.locator('#deadline').click();
    await admin.locator('#deadline').fill(inDays(7));
    await admin.keyboard.press('Enter');
    // 下发范围: the county's top, picked from the search of the organization picker.
    await admin.getByLabel('下发范围').click();
    await admin.keyboard.type(facts.root.name);
    await admin
      .locator('.ant-select-dropdown:visible .org-title-name')
      .getByText(facts.root.name, { exact: true })
      .click({ timeout: 15_000 });
    const scope = admin.locator('.ant-select', { has: admin.getByLabel('下发范围') });
    await expect.poll(() => scope.innerText(), { timeout: 10_000 }).toContain(facts.root.name);
    // 组织类别: 党委 (the default below the county's top), and only it.
    const kinds = admin.locator('.ant-select', { has: admin.locator('#orgKinds') });
    await expect.poll(() => kinds.locator('.ant-select-selection-item').allInnerTexts()).toEqual(['党委']);
    expect(await admin.getByTestId('task-form').innerText()).toContain('将下发给下发范围内的每个党委');
    await shot(admin, 'tasks-01-form');
    await admin.getByTestId('task-submit').click();
    await toast(admin, `已下发给 ${facts.committees.length} 个组织`);
    await admin.waitForURL(/\/tasks\/[0-9a-f-]{36}$/, { timeout: 15_000 });
    facts.taskId = new URL(admin.url()).pathname.split('/').pop() ?? '';
    await expect.poll(() => stat(admin, 'task-rollup', '承办组织'), { timeout: 15_000 }).toBe(facts.committees.length);
    await expect
      .poll(() => admin.getByTestId('assignment-tree').innerText(), { timeout: 15_000 })
      .toContain(facts.town.name);
    await shot(admin, 'tasks-02-issued');
    const issued = await api.call('GET', `/api/tasks/${facts.taskId}`);
    expect(issued.title).toBe(title);
    expect(issued.assignments.map((a: { orgId: string }) => a.orgId).sort()).toEqual([...facts.committees].sort());

    // ── 2. The township signs its share and splits it to two villages. ──
    const township = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    const town = await township.newPage();
    town.on('pageerror', (e) => errors.push(String(e)));
    await login(town, platform.url, 'tasks.town', `${TOWN_PASSWORD}!`);
    await town.goto(`${platform.url}/tasks`);
    await town.getByTestId('task-view').getByText('我承办的', { exact: true }).click();
    await town.waitForURL((u) => u.searchParams.get('view') === 'received');
    const row = town.getByTestId('task-list').locator('tr', { hasText: title });
    await row.getByTestId('task-mine').click({ timeout: 15_000 });
    await town.waitForURL(/\/tasks\/assignments\/[0-9a-f-]{36}$/, { timeout: 15_000 });
    facts.townShare = new URL(town.url()).pathname.split('/').pop() ?? '';
    await town.getByTestId('assignment-sign').click({ timeout: 15_000 });
    await toast(town, '已签收');
    await town.getByTestId('assignment-split').click({ timeout: 15_000 });
    const dialog = town.locator('.ant-modal', { hasText: '分解到下级' });
    const splitTree = dialog.getByTestId('split-tree');
    await splitTree.waitFor({ timeout: 15_000 });
    for (const v of facts.villages)
      await splitTree.locator('.ant-tree-treenode', { hasText: v.name }).locator('.ant-tree-checkbox').click();
    await expect.poll(() => dialog.innerText()).toContain('已选 2 个');
    // Five days ahead: before the township's own deadline a week ahead.
    const splitDeadline = dialog.getByRole('textbox', { name: '完成时限' });
    await splitDeadline.click();
    await splitDeadline.fill(inDays(5));
    await town.keyboard.press('Enter');
    await expect.poll(() => splitDeadline.inputValue()).toBe(inDays(5));
    await shot(town, 'tasks-03-split');
    await dialog.getByTestId('split-send').click();
    await toast(town, '已分解给 2 个组织');
    const children = town.getByTestId('child-assignment');
    await expect.poll(() => children.count(), { timeout: 15_000 }).toBe(2);
    for (const v of facts.villages) expect(await town.locator('.task-children').innerText()).toContain(v.name);
    expect(await town.locator('.task-children').innerText()).toContain(`完成时限 ${inDays(5)}`);

    // ── 3. The first village's secretary, on a phone: sign, photo, report, submit. ──
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    const village = await phone.newPage();
    village.on('pageerror', (e) => errors.push(String(e)));
    await login(village, platform.url, 'tasks.village', `${SECRETARY_PASSWORD}!`);
    await village.goto(`${platform.url}/tasks`);
    await village.getByTestId('task-view').getByText('我承办的', { exact: true }).click();
    await village.waitForURL((u) => u.searchParams.get('view') === 'received');
    await village.locator('.list-card-wrap', { hasText: title }).getByTestId('task-mine').click({ timeout: 15_000 });
    await village.waitForURL(/\/tasks\/assignments\/[0-9a-f-]{36}$/, { timeout: 15_000 });
    facts.villageShare = new URL(village.url()).pathname.split('/').pop() ?? '';
    expect(await village.locator('.task-status-line').innerText()).toContain(facts.villages[0].name);
    await shot(village, 'tasks-04-phone-share');
    await village.getByTestId('assignment-sign').click({ timeout: 15_000 });
    await toast(village, '已签收');
    await village.getByTestId('evidence-camera').setInputFiles(facts.photo, { timeout: 15_000 });
    const pendingPhoto = village.getByTestId('pending-evidence').getByTestId('task-evidence');
    await expect.poll(() => pendingPhoto.count(), { timeout: 30_000 }).toBe(1);
    await village.getByTestId('report-text').fill('已召开支部委员会部署自查，逐户走访完毕，照片已留存。');
    await shot(village, 'tasks-05-phone-report');
    await village.getByTestId('report-send').click();
    await toast(village, '已汇报进展');
    const history = village.getByTestId('assignment-history');
    await expect.poll(() => history.innerText(), { timeout: 15_000 }).toContain('逐户走访完毕');
    expect(await history.getByTestId('task-evidence').count()).toBe(1);
    await village.getByTestId('assignment-submit').click();
    await village
      .locator('.ant-modal-confirm-btns')
      .getByRole('button', { name: /^提\s*交$/ })
      .click();
    await toast(village, `已提交，等待${facts.town.name}验收`);
    await expect
      .poll(() => village.locator('.task-status-line').innerText(), { timeout: 15_000 })
      .toContain('已提交待验收');
    await shot(village, 'tasks-06-phone-submitted');

    // ── 4. The township accepts the village's submission. ──
    await town.reload();
    await expect
      .poll(() => town.getByTestId('children-to-review').innerText(), { timeout: 15_000 })
      .toContain('有 1 个下级组织已提交完成情况');
    await children.filter({ hasText: facts.villages[0].name }).click();
    await town.waitForURL((u) => u.pathname.endsWith(facts.villageShare), { timeout: 15_000 });
    const review = town.getByTestId('assignment-review');
    await review.waitFor({ timeout: 15_000 });
    // The report and its photo are there to be checked before accepting.
    expect(await town.getByTestId('assignment-history').innerText()).toContain('逐户走访完毕');
    await shot(town, 'tasks-07-review');
    await review.getByTestId('assignment-accept').click();
    await town.locator('.ant-modal-confirm-btns').getByRole('button', { name: '验收通过' }).click();
    await toast(town, '已验收通过');
    await expect.poll(() => town.locator('.task-status-line').innerText(), { timeout: 15_000 }).toContain('已完成');

    // ── 5. The county sees the roll-up: 任务督办 and the task page. ──
    await admin.goto(`${platform.url}/tasks/dashboard`);
    const townRow = admin
      .getByTestId('dashboard-rows')
      .locator('tr', { has: admin.getByRole('button', { name: facts.town.name, exact: true }) });
    await townRow.waitFor({ timeout: 15_000 });
    // 下级组织, 总数, 待签收, 办理中, 待验收, 已完成, 逾期, 逾期上报.
    const cells = async () => (await townRow.locator('td').allInnerTexts()).map((s) => s.replace(/,/g, '').trim());
    await expect
      .poll(async () => (await cells())[1], { timeout: 15_000 })
      .toBe(String(facts.before.total + 3 + facts.townCommittees));
    expect((await cells())[5]).toBe(String(facts.before.done + 1));
    await shot(admin, 'tasks-08-dashboard');
    await admin.goto(`${platform.url}/tasks/${facts.taskId}`);
    await expect.poll(() => stat(admin, 'task-rollup', '已完成'), { timeout: 15_000 }).toBe(1);
    expect(await stat(admin, 'task-rollup', '承办组织')).toBe(facts.committees.length + 2);
    const tree = admin.getByTestId('assignment-tree');
    await expect.poll(() => tree.innerText(), { timeout: 15_000 }).toContain(facts.villages[1].name);
    expect(await tree.locator('tr', { hasText: facts.villages[0].name }).innerText()).toContain('已完成');
    await shot(admin, 'tasks-09-task');

    // Read back: the village's share is done, the township's still in progress, the photo is the report's.
    const villageShare = await api.call('GET', `/api/tasks/assignments/${facts.villageShare}`);
    expect(villageShare.status).toBe('done');
    expect(villageShare.orgId).toBe(facts.villages[0].id);
    expect(villageShare.parentId).toBe(facts.townShare);
    const townShare = await api.call('GET', `/api/tasks/assignments/${facts.townShare}`);
    expect(townShare.status).toBe('inProgress');
    expect(townShare.rollup).toMatchObject({ total: 3, done: 1 });
    expect(townShare.childAssignments.map((c: { orgId: string }) => c.orgId).sort()).toEqual(
      facts.villages.map((v) => v.id).sort(),
    );
    const reports = (villageShare.events as { kind: string; evidence: { id: string; filename: string }[] }[]).filter(
      (e) => e.kind === 'report',
    );
    expect(reports).toHaveLength(1);
    expect(reports[0].evidence).toHaveLength(1);
    expect(villageShare.pendingEvidence).toEqual([]);
    // What the server keeps is the phone's smaller copy.
    const original = await phone.request.get(`${platform.url}/api/tasks/evidence/${reports[0].evidence[0].id}`);
    expect(original.status()).toBe(200);
    const kept = await sharp(await original.body()).metadata();
    expect(kept.width).toBe(2560);
    expect(kept.height).toBe(1920);
    expect(errors).toEqual([]);
    await county.close();
    await township.close();
    await phone.close();
  }, 120_000);
});
