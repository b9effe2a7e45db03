import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { precompress } from './precompress.ts';
import { preloadMap } from './preload-map.ts';
import { serviceWorker } from './service-worker-plugin.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const nodeModules = path.resolve(here, '../node_modules');

/**
 * The first screen most signed-in users see, on a phone too: the shell (layout, session check) and the
 * member list. What they import statically, from node_modules and from web/src/app and
 * web/src/components, goes in one chunk ('first'), so that screen downloads what it runs in a few files
 * (issue 7 §7). Left to the route-set grouping below, small sets were merged into neighbours and the
 * member list carried the date picker, the form, tabs and steps of other pages.
 *
 * The graph's static imports are followed, except through the two barrels we import from (`antd`,
 * `@ant-design/icons`), which import every component and icon: there only the names our file imports
 * are followed (read from its source), as tree-shaking keeps only those.
 */
const FIRST_SCREEN = [path.join(here, 'src/Shell.tsx'), path.join(here, 'src/pages/members/MembersPage.tsx')];
const BARRELS: Record<string, { from: string; file: (name: string) => string }> = {
  [path.join(nodeModules, 'antd/es/index.js')]: {
    from: 'antd',
    file: (n) => path.join(nodeModules, 'antd/es', n.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase(), 'index.js'),
  },
  [path.join(nodeModules, '@ant-design/icons/es/index.js')]: {
    from: '@ant-design/icons',
    file: (n) => path.join(nodeModules, '@ant-design/icons/es/icons', `${n}.js`),
  },
};
/** The value names `file` imports from package `from` (`import { A, type B, C as D } from 'from'` → A, C). */
function namedImports(file: string, from: string): string[] {
  const src = fs.readFileSync(file, 'utf8');
  const names: string[] = [];
  const re = new RegExp(`import\\s*\\{([^}]*)\\}\\s*from\\s*['"]${from.replace(/[/.]/g, '\\$&')}['"]`, 'g');
  for (const m of src.matchAll(re))
    for (const part of m[1].split(',')) {
      const t = part.trim();
      if (t && !t.startsWith('type ')) names.push(t.split(/\s+as\s+/)[0].trim());
    }
  return names;
}
type ChunkingCtx = {
  getModuleInfo(id: string): { importedIds: readonly string[]; dynamicallyImportedIds: readonly string[] } | null;
};
/** What `roots` import statically (through the barrels, only the names imported). */
function reachOf(roots: string[], ctx: ChunkingCtx): Set<string> {
  const seen = new Set<string>();
  const stack = [...roots];
  while (stack.length) {
    const m = stack.pop() as string;
    if (seen.has(m)) continue;
    seen.add(m);
    const info = ctx.getModuleInfo(m);
    const dynamic = new Set(info?.dynamicallyImportedIds ?? []);
    for (const i of info?.importedIds ?? []) {
      if (dynamic.has(i)) continue;
      const barrel = BARRELS[i];
      if (!barrel) stack.push(i);
      else {
        seen.add(i);
        for (const n of namedImports(m, barrel.from)) if (fs.existsSync(barrel.file(n))) stack.push(barrel.file(n));
      }
    }
  }
  return seen;
}
function firstScreenGroup() {
  let reach: Set<string> | null = null;
  return (id: string, ctx: ChunkingCtx): string | null => {
    reach ??= reachOf(FIRST_SCREEN, ctx);
    if (!reach.has(id) || FIRST_SCREEN.includes(id)) return null;
    return /node_modules[\\/]|[\\/]web[\\/]src[\\/](app|components)[\\/]/.test(id) ? 'first' : null;
  };
}
/**
 * The light pages (PageDecl.frame: the check-in, issue 20: a first secretary's home, on a slow phone,
 * within 3 s) and the public showroom: what they import beyond the entry, in one chunk of their own
 * ('light'), ahead of the first screen's group. Left to it, a label or a hook they share with the
 * member list sat in the first screen's 385 kB chunk, and the showroom downloaded all of it.
 */
const LIGHT = [path.join(here, 'src/pages/firstsec/CheckinPage.tsx'), path.join(here, 'src/pages/showroom/Public.tsx')];
function lightGroup() {
  let reach: Set<string> | null = null;
  return (id: string, ctx: ChunkingCtx): string | null => {
    reach ??= reachOf(LIGHT, ctx);
    // Styles stay with their page: a chunk's CSS is fetched only once its script has run (the page waits
    // for it), and the showroom's own sheet in 'light' cost the check-in page one more round trip.
    return reach.has(id) && !LIGHT.includes(id) && !/\.css($|\?)/.test(id) ? 'light' : null;
  };
}

export default defineConfig(({ command }) => ({
  root: here,
  plugins: [react(), preloadMap(), serviceWorker(), precompress()],
  resolve: {
    alias: [
      { find: '@contract', replacement: path.resolve(here, '../contract') },
      // react-router's package exports always point at its development build; the production build
      // has the same API without the development checks and warnings.
      ...(command === 'build'
        ? [{ find: /^react-router$/, replacement: path.join(nodeModules, 'react-router/dist/production/index.mjs') }]
        : []),
    ],
  },
  build: {
    outDir: path.resolve(here, 'dist'),
    emptyOutDir: true,
    rolldownOptions: {
      output: {
        codeSplitting: {
          // Everything the entry imports statically (the login page included) in one chunk: left alone,
          // rolldown spread it over shared chunks that also carried code of other routes (the menu,
          // dropdown and skeleton came with the login page) and cost extra requests.
          // React itself apart: it changes less often than our code, so it stays cached across releases,
          // and neither chunk passes the 500 kB warning.
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/, priority: 4 },
            // The charts of the statistics page (only that page loads them): the renderer and ECharts
            // apart, so neither passes the 500 kB warning.
            { name: 'zrender', test: /node_modules[\\/]zrender[\\/]/, priority: 5 },
            { name: 'echarts', test: /node_modules[\\/]echarts[\\/]/, priority: 5 },
            // The EXIF reader the meeting form loads when a photo is picked (app/photo-shrink.ts): apart,
            // or the route-set grouping merges it into a chunk that other pages load.
            { name: 'exifr', test: /node_modules[\\/]exifr[\\/]/, priority: 5 },
            { name: 'initial', tags: ['$initial'], priority: 3 },
            { name: lightGroup(), debugName: 'light', priority: 2.5 },
            { name: firstScreenGroup(), debugName: 'first', priority: 2 },
            // antd's root, which everything signed in loads first (components/AppHooks.tsx: ConfigProvider,
            // App, the style engine, the theme, the locale) with all it imports, in one chunk. The login
            // page needs none of it (it used to sit in the entry); left to the 'ui' group below, it was
            // spread over chunks that imported each other, and a class (the style engine's Keyframes)
            // was used before its chunk had run: "L is not a constructor", a blank page after login.
            {
              name: 'antd',
              test: /node_modules[\\/](antd[\\/]es[\\/](config-provider|app|locale|theme)[\\/]|@ant-design[\\/](cssinjs|cssinjs-utils)[\\/]|dayjs[\\/])/,
              priority: 1,
            },
            // antd's Input with its statics (Input.Group, .Search, .TextArea, .Password, .OTP) in one
            // chunk: split by routes, index.js (which sets the statics) and Input.js landed in two
            // chunks that imported each other, and the statics were set on an Input not yet defined
            // ("Cannot set properties of undefined (setting 'Group')": every signed-in page blank).
            {
              name: 'antd-input',
              test: /node_modules[\\/](antd[\\/]es[\\/]input[\\/]|@rc-component[\\/](input|textarea)[\\/])/,
              priority: 1,
            },
            // The rest of antd and friends by the set of routes that use them, small sets merged into a
            // neighbour: the member list came in 40 files, and on slow 4G each request costs a round trip.
            { name: 'ui', test: /node_modules[\\/]/, entriesAware: true, entriesAwareMergeThreshold: 120_000 },
          ],
        },
      },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
}));
