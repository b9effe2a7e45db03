/** `npm run db:check`: fails when schema.ts and the committed migrations differ (run `npm run db:generate`). */
import path from 'node:path';
import { checkDrift } from './drift.ts';

const { ok, output } = checkDrift(path.resolve(import.meta.dirname, '..'));
if (ok) console.log('迁移与 schema.ts 一致（no drift）');
else {
  console.log(output);
  console.log('schema.ts 与已提交的迁移不一致：请运行 npm run db:generate 并提交新的迁移');
}
process.exit(ok ? 0 : 1);
