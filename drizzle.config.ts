import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  // The platform's tables and every module's own schema.ts.
  schema: ['./server/db/schema.ts', './server/modules/*/schema.ts'],
  out: './server/db/migrations',
});
