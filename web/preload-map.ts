/**
 * A Vite plugin that writes `.vite/preload.json` into the build: for every lazily loaded file of
 * web/src (the shell, the account frame, each page), the chunks it needs beyond the entry's own, i.e.
 * its chunk and everything that chunk imports statically, in the order a browser should ask for them.
 *
 * The server (server/platform/preload.ts) reads it to name the first screen's chunks in the HTML as
 * `<link rel="modulepreload">`, so that on a slow phone network they travel with the entry instead of
 * after it has run (one round trip and the entry's download and start-up less before the page shows).
 * The file is not served (server/platform/webapp.ts keeps `/.vite/` private).
 */
import path from 'node:path';
import type { Plugin } from 'vite';

export interface PreloadMap {
  /** Key: the file under web/src without its extension, e.g. `Shell`, `pages/members/MembersPage`. */
  readonly chunks: Record<string, string[]>;
}

export const PRELOAD_MAP_FILE = '.vite/preload.json';

export function preloadMap(): Plugin {
  let src = '';
  return {
    name: 'dangjian-preload-map',
    apply: 'build',
    configResolved(config) {
      src = path.resolve(config.root, 'src');
    },
    generateBundle(_options, bundle) {
      const chunks = new Map<string, { imports: string[] }>();
      for (const out of Object.values(bundle)) if (out.type === 'chunk') chunks.set(out.fileName, out);
      const closure = (file: string) => {
        const seen = new Set<string>();
        const visit = (f: string) => {
          if (seen.has(f)) return;
          seen.add(f);
          for (const i of chunks.get(f)?.imports ?? []) visit(i);
        };
        visit(file);
        return seen;
      };
      const entry = Object.values(bundle).find((o) => o.type === 'chunk' && o.isEntry);
      if (entry?.type !== 'chunk') return;
      const inEntry = closure(entry.fileName);
      const map: PreloadMap = { chunks: {} };
      for (const out of Object.values(bundle)) {
        if (out.type !== 'chunk' || !out.isDynamicEntry || !out.facadeModuleId) continue;
        const rel = path.relative(src, out.facadeModuleId).split(path.sep).join('/');
        if (rel.startsWith('..')) continue;
        map.chunks[rel.replace(/\.[jt]sx?$/, '')] = [...closure(out.fileName)].filter((f) => !inEntry.has(f)).map((f) => `/${f}`);
      }
      this.emitFile({ type: 'asset', fileName: PRELOAD_MAP_FILE, source: `${JSON.stringify(map, null, 1)}\n` });
    },
  };
}
