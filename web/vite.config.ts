import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { precompress } from './precompress.ts';
import { preloadMap } from './preload-map.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const nodeModules = path.resolve(here, '../node_modules');

export default defineConfig(({ command }) => ({
  root: here,
  plugins: [react(), preloadMap(), precompress()],
  resolve: {
    alias: [
      { find: '@contract', replacement: path.resolve(here, '../contract') },
      // react-router's package exports always point at its development build; the production build
      // has the same API without the development checks and warnings.
      ...(command === 'build' ? [{ find: /^react-router$/, replacement: path.join(nodeModules, 'react-router/dist/production/index.mjs') }] : []),
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
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/, priority: 2 },
            // The charts of the statistics page (only that page loads them): the renderer and ECharts
            // apart, so neither passes the 500 kB warning.
            { name: 'zrender', test: /node_modules[\\/]zrender[\\/]/, priority: 3 },
            { name: 'echarts', test: /node_modules[\\/]echarts[\\/]/, priority: 3 },
            { name: 'initial', tags: ['$initial'], priority: 1 },
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
            { name: 'antd-input', test: /node_modules[\\/](antd[\\/]es[\\/]input[\\/]|@rc-component[\\/](input|textarea)[\\/])/, priority: 1 },
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
