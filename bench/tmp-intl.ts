import { chromium } from 'playwright-core';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox'] });
const page = await browser.newPage();
const cdp = await page.context().newCDPSession(page);
await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
await page.goto('http://127.0.0.1:3300/favicon.svg');
console.log(await page.evaluate(() => { const t0 = performance.now(); (31206).toLocaleString('zh-CN'); const t1 = performance.now(); (1561).toLocaleString('zh-CN'); const t2 = performance.now(); for (let i = 0; i < 10; i++) (i * 1000).toLocaleString('zh-CN'); const t3 = performance.now(); return [t1 - t0, t2 - t1, (t3 - t2) / 10]; }));
await browser.close();
