/**
 * `npm test`: typecheck, lint, migration drift, unit + API tests against PostgreSQL (embedded unless
 * DATABASE_URL is set), then the web build and end-to-end tests in Chromium. Ends with one line
 * "N passed, N failed" for CI. `npm test -- --db-only` runs only the database suites.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkDrift } from './drift.ts';

const root = path.resolve(import.meta.dirname, '..');
const dbOnly = process.argv.includes('--db-only');
const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);
let passed = 0;
let failed = 0;
let skipped = 0;
const failures: string[] = [];

function step(title: string, cmd: string, args: string[], env: Record<string, string> = {}): boolean {
  console.log(`\n━━ ${title} ━━`);
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  const ok = r.status === 0;
  console.log(`━━ ${title}: ${ok ? 'ok' : 'FAILED'} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  if (!ok) failures.push(title);
  return ok;
}

/** Add a vitest JSON report's counts; a run that reported nothing, or no test at all, is a failure (a configuration error once ran no test and passed). */
function countVitest(file: string, title: string) {
  if (!fs.existsSync(file)) {
    failures.push(`${title}: no report`);
    failed++;
    return;
  }
  const j = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    numTotalTests: number;
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
    success?: boolean;
  };
  if (!j.numTotalTests) {
    failures.push(`${title}: no test ran`);
    failed++;
  }
  passed += j.numPassedTests;
  failed += j.numFailedTests;
  skipped += j.numPendingTests + j.numTodoTests;
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-test-'));

if (!dbOnly) {
  step('typecheck', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']) ? passed++ : failed++;
  step('lint', bin('biome'), ['lint', 'server', 'contract', 'web/src', 'e2e', 'bench', 'scripts'])
    ? passed++
    : failed++;
  // One format for the tree (biome.json: 120 columns); `npm run format` writes it.
  step('format', bin('biome'), ['format', 'server', 'contract', 'web/src', 'e2e', 'bench', 'scripts'])
    ? passed++
    : failed++;
  const drift = checkDrift(root);
  console.log('\n━━ migration drift ━━');
  if (!drift.ok) {
    console.log(drift.output);
    console.log(
      'schema.ts and the committed migrations differ: run `npm run db:generate` and commit the new migration',
    );
    failures.push('migration drift');
    failed++;
  } else {
    console.log('no drift');
    passed++;
  }
}

const serverReport = path.join(tmp, 'server.json');
step(`unit and API tests (${process.env.DATABASE_URL ? 'DATABASE_URL' : 'embedded PostgreSQL'})`, bin('vitest'), [
  'run',
  '--project',
  'server',
  '--project',
  'web',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${serverReport}`,
]);
countVitest(serverReport, 'unit and API tests');

if (!dbOnly) {
  const browser = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!fs.existsSync(browser) && !process.env.CI) {
    console.log(
      `\n━━ end-to-end: skipped — no Chromium at ${browser} (install Debian's chromium or set CHROMIUM_PATH) ━━`,
    );
  } else if (
    step('web build', process.execPath, [
      path.join(root, 'node_modules/vite/bin/vite.js'),
      'build',
      '--config',
      'web/vite.config.ts',
      '--logLevel',
      'warn',
    ])
  ) {
    const e2eReport = path.join(tmp, 'e2e.json');
    step('end-to-end (Chromium)', bin('vitest'), [
      'run',
      '--project',
      'e2e',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${e2eReport}`,
    ]);
    countVitest(e2eReport, 'end-to-end');
  } else failed++;
}

fs.rmSync(tmp, { recursive: true, force: true });
console.log(`\nfailed steps: ${failures.length ? failures.join(', ') : 'none'}`);
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failures.length || failed ? 1 : 0);
