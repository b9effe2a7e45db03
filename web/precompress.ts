/**
 * A Vite plugin that writes `name.br` (brotli, quality 11) and `name.gz` (gzip, level 9) beside every
 * text file of the build (JS, CSS, HTML, SVG, JSON) once the bundle is written. The server
 * (server/platform/webapp.ts) sends them to browsers that accept them, so nothing is compressed per
 * request. Files under 1 kB are left alone: their headers cost more than compression saves.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Plugin } from 'vite';

const TEXT = /\.(html|js|mjs|css|json|webmanifest|map|svg|txt)$/i;
const MIN_BYTES = 1024;

function* files(dir: string): Generator<string> {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* files(p);
    else if (TEXT.test(e.name)) yield p;
  }
}

export function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'dangjian-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      const jobs: Promise<void>[] = [];
      let raw = 0;
      let br = 0;
      let gz = 0;
      for (const file of files(outDir)) {
        const data = fs.readFileSync(file);
        if (data.length < MIN_BYTES) continue;
        jobs.push(
          (async () => {
            const [b, g] = await Promise.all([
              new Promise<Buffer>((ok, fail) =>
                zlib.brotliCompress(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length } }, (e, r) => (e ? fail(e) : ok(r))),
              ),
              new Promise<Buffer>((ok, fail) => zlib.gzip(data, { level: 9 }, (e, r) => (e ? fail(e) : ok(r)))),
            ]);
            fs.writeFileSync(`${file}.br`, b);
            fs.writeFileSync(`${file}.gz`, g);
            raw += data.length;
            br += b.length;
            gz += g.length;
          })(),
        );
      }
      await Promise.all(jobs);
      this.info?.(`precompressed ${jobs.length} files: ${(raw / 1024).toFixed(0)} kB → brotli ${(br / 1024).toFixed(0)} kB, gzip ${(gz / 1024).toFixed(0)} kB`);
    },
  };
}
