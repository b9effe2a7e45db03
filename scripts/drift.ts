/**
 * Migration drift: do the committed migrations produce exactly schema.ts? drizzle-kit resolves --out
 * against the working directory and exits 0 even when it fails, so the copy lives inside the project
 * and only its own "no changes" line counts as no drift. Used by `npm test` and `npm run db:check`.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export function checkDrift(root: string): { ok: boolean; output: string } {
  const outRel = path.join('.tmp', `drift-${process.pid}`);
  const out = path.join(root, outRel);
  fs.rmSync(out, { recursive: true, force: true });
  fs.cpSync(path.join(root, 'server/db/migrations'), out, { recursive: true });
  const bin = path.join(root, 'node_modules', '.bin', 'drizzle-kit');
  // The schema of drizzle.config.ts (the platform's tables and every module's schema.ts), into the copy.
  const config = path.join(root, '.tmp', `drift-${process.pid}.config.json`);
  fs.writeFileSync(
    config,
    JSON.stringify({
      dialect: 'postgresql',
      schema: ['./server/db/schema.ts', './server/modules/*/schema.ts'],
      out: `./${outRel}`,
    }),
  );
  const r = spawnSync(bin, ['generate', '--config', config], { cwd: root, encoding: 'utf8' });
  fs.rmSync(out, { recursive: true, force: true });
  fs.rmSync(config, { force: true });
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  return { ok: r.status === 0 && /No schema changes/.test(output), output };
}
