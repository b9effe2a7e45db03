/**
 * A Vite plugin that writes `sw.js` (web/service-worker.js with the build's version and the shell's files)
 * into the build once the bundle is written, before web/precompress.ts compresses it. The version is a
 * digest of the file names, which carry their content hashes: a new build is a new worker.
 * The statistics page's charts (ECharts, zrender) are left out: they are large, and that page needs
 * the network anyway.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));
const SHELL = /\.(js|css|woff2?|svg|png|ico|webmanifest)$/i;
const LEFT_OUT = /^assets\/(echarts|zrender)[-.]/;

function* files(dir: string, base = dir): Generator<string> {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== '.vite') yield* files(p, base);
    } else yield path.relative(base, p).split(path.sep).join('/');
  }
}

/** The shell's files of a build directory, as absolute paths, sorted. */
export function shellFiles(outDir: string): string[] {
  return [...files(outDir)]
    .filter((f) => SHELL.test(f) && f !== 'sw.js' && !LEFT_OUT.test(f))
    .sort()
    .map((f) => `/${f}`);
}

/** sw.js for a build directory. */
export function serviceWorkerSource(outDir: string): string {
  const list = shellFiles(outDir);
  const index = fs.readFileSync(path.join(outDir, 'index.html'));
  const version = createHash('sha256').update(list.join('\n')).update(index).digest('hex').slice(0, 16);
  return fs
    .readFileSync(path.join(here, 'service-worker.js'), 'utf8')
    .replace("'__VERSION__'", JSON.stringify(version))
    .replace('__FILES__', JSON.stringify(list));
}

export function serviceWorker(): Plugin {
  let outDir = '';
  return {
    name: 'dangjian-service-worker',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    writeBundle() {
      fs.writeFileSync(path.join(outDir, 'sw.js'), serviceWorkerSource(outDir));
    },
  };
}
