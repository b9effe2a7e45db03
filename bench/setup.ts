/**
 * The bench database, shared by `npm run bench` and `npm run bench:throughput`: an embedded
 * PostgreSQL under bench/.data with the demo county 兰考县 (410225) and the account `admin`, created
 * and seeded on the first run and reused later. In this database only, the ceilings of the search,
 * export and import rate limits are raised (the counters still run on every request).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureAdmin, ensureCounty, makeDeps } from '../server/bootstrap.ts';
import type { Database } from '../server/db/index.ts';
import { acquireDataDirLock } from '../server/db/lock.ts';
import { type Config, loadConfig } from '../server/platform/config.ts';
import type { Deps } from '../server/platform/deps.ts';

export const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
export const DATA_DIR = path.join(BENCH_DIR, '.data');
export const README = path.join(BENCH_DIR, 'README.md');
export const PASSWORD = 'Bench#Pass2026';
/** The origin state-changing requests (the login) must carry: the configured public URL. */
export const ORIGIN = 'http://localhost:80';
export const MIN_MEMBERS = 30_000;

export interface BenchDatabase {
  config: Config;
  deps: Deps;
  /** The schema owner's connection (VACUUM). */
  owner: Database;
  rootId: string;
  /** Close the app's and owner's connections, stop the embedded server, release the data-directory lock. */
  stop(): Promise<void>;
}

export async function openBenchDatabase(log: (msg: string) => void): Promise<BenchDatabase> {
  const release = acquireDataDirLock(DATA_DIR);
  try {
    const config = loadConfig({
      DANGJIAN_DATA_DIR: DATA_DIR,
      DANGJIAN_ADMIN_PASSWORD: PASSWORD,
      DANGJIAN_PUBLIC_URL: ORIGIN,
    });
    const { deps, owner, stop } = await makeDeps(config, log);
    try {
      const { rootId } = await ensureCounty(owner, deps.crypto, config, log);
      await ensureAdmin(deps.database, deps.crypto, config, rootId);
      // The limiter's bookkeeping (one upsert per search, export or import) stays in the measured path;
      // only its ceilings are raised in this bench database so a bench's searches do not trip it.
      for (const key of ['security.searchesPerMinute', 'security.exportsPerHour', 'security.importsPerHour']) {
        await deps.database.pool.query(
          `insert into settings (county_code, key, value) values ($1, $2, '1000000'::jsonb) on conflict (county_code, key) do update set value = excluded.value, updated_at = now()`,
          [config.demoCounty, key],
        );
      }
      return {
        config,
        deps,
        owner,
        rootId,
        async stop() {
          try {
            await stop();
          } finally {
            release();
          }
        },
      };
    } catch (e) {
      await stop().catch(() => {});
      throw e;
    }
  } catch (e) {
    release();
    throw e;
  }
}

/** Replace the text between `<!-- name:start -->` and `<!-- name:end -->` in bench/README.md (appended when absent). */
export function writeReadmeSection(name: string, section: string): void {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const text = fs.existsSync(README) ? fs.readFileSync(README, 'utf8') : `# Benchmarks\n`;
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  const next =
    a >= 0 && b > a
      ? `${text.slice(0, a + start.length)}\n${section}${text.slice(b)}`
      : `${text.trimEnd()}\n\n${start}\n${section}${end}\n`;
  fs.writeFileSync(README, next);
}
