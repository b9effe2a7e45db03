import { chromium } from 'playwright-core';
const BASE = 'http://127.0.0.1:3300';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true, locale: 'zh-CN' });
let page = await context.newPage();
await page.goto(`${BASE}/login`);
await page.getByTestId('login-username').fill('admin');
await page.getByTestId('login-password').fill('Admin#2026pass');
await page.getByTestId('login-submit').click();
await page.waitForURL((u) => !u.pathname.startsWith('/login'));
await page.close();
page = await context.newPage();
const cdp = await context.newCDPSession(page);
await cdp.send('Network.enable');
await cdp.send('Network.clearBrowserCache');
await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 562.5, downloadThroughput: (1474.56 * 1024) / 8, uploadThroughput: (675 * 1024) / 8 });
await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
await cdp.send('Profiler.start');
await page.goto(`${BASE}/members`, { waitUntil: 'commit' });
await page.waitForSelector('[data-testid="member-card"]', { timeout: 60000 });
const { profile } = await cdp.send('Profiler.stop');
const self = new Map<string, number>();
const byUrl = new Map<string, number>();
const dt = profile.timeDeltas ?? [];
const idToNode = new Map(profile.nodes.map((n) => [n.id, n]));
const counts = new Map<number, number>();
(profile.samples ?? []).forEach((s, i) => counts.set(s, (counts.get(s) ?? 0) + (dt[i] ?? 0)));
for (const [id, us] of counts) {
  const n = idToNode.get(id)!;
  const f = n.callFrame;
  const url = f.url.replace(/.*\/assets\//, '').slice(0, 40);
  const key = `${f.functionName || '(anon)'} ${url}:${f.lineNumber}`;
  self.set(key, (self.get(key) ?? 0) + us);
  byUrl.set(url || f.functionName, (byUrl.get(url || f.functionName) ?? 0) + us);
}
const bySrc = new Map<string, number>();
const { SourceMapConsumer } = await import('source-map-js');
const fsm = await import('node:fs');
const maps = new Map<string, InstanceType<typeof SourceMapConsumer> | null>();
for (const [id, us] of counts) {
  const f = idToNode.get(id)!.callFrame;
  const file = f.url.replace(/.*\/assets\//, '');
  if (!file.endsWith('.js')) continue;
  if (!maps.has(file)) { const mp = `/tmp/vsm-g/assets/${file}.map`; maps.set(file, fsm.existsSync(mp) ? new SourceMapConsumer(JSON.parse(fsm.readFileSync(mp, 'utf8'))) : null); }
  const c = maps.get(file);
  if (!c) continue;
  const o = c.originalPositionFor({ line: f.lineNumber + 1, column: f.columnNumber });
  const key = `${(o.source ?? '?').replace(/.*node_modules\//, '')}:${o.line} ${o.name ?? f.functionName}`;
  bySrc.set(key, (bySrc.get(key) ?? 0) + us);
}
const top = (m: Map<string, number>, n: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `${(v / 1000).toFixed(0).padStart(6)} ms  ${k}`).join('\n');
console.log('by script:\n' + top(byUrl, 15));
// timeline: per 200 ms bucket, busy ms by script
let t = profile.startTime;
const buckets = new Map<number, Map<string, number>>();
(profile.samples ?? []).forEach((s, i) => {
  t += dt[i] ?? 0;
  const n = idToNode.get(s)!;
  const url = n.callFrame.url.replace(/.*\/assets\//, '').slice(0, 12) || n.callFrame.functionName;
  const b = Math.floor((t - profile.startTime) / 200000);
  const m = buckets.get(b) ?? new Map();
  m.set(url, (m.get(url) ?? 0) + (dt[i] ?? 0));
  buckets.set(b, m);
});
for (const [b, m] of [...buckets].sort((a, b) => a[0] - b[0])) console.log(`${b * 200}ms: ` + [...m].filter(([k]) => k !== '(idle)').sort((a, b) => b[1] - a[1]).slice(0, 5).map(([k, v]) => `${k} ${(v / 1000).toFixed(0)}`).join(', '));
console.log('by source:\n' + top(bySrc, 45));
await browser.close();
