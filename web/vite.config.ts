import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { precompress } from './precompress.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const nodeModules = path.resolve(here, '../node_modules');

export default defineConfig(({ command }) => ({
  root: here,
  plugins: [react(), precompress()],
  resolve: {
    alias: [
      { find: '@contract', replacement: path.resolve(here, '../contract') },
      // react-router's package exports always point at its development build; the production build
      // has the same API without the development checks and warnings.
      ...(command === 'build' ? [{ find: /^react-router$/, replacement: path.join(nodeModules, 'react-router/dist/production/index.mjs') }] : []),
    ],
  },
  build: { outDir: path.resolve(here, 'dist'), emptyOutDir: true },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
}));
