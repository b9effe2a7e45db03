import os from 'node:os';
import path from 'node:path';

/** Runtime configuration read once from the environment. */
export interface Config {
  dataDir: string;
  port: number;
  host: string;
  databaseUrl?: string;
  /** The platform's own least-privilege connection to the DATABASE_URL database (SEC-32); migrations use DATABASE_URL. */
  appDatabaseUrl?: string;
  adminPassword?: string;
  /** The installation's own county at first start (DANGJIAN_DEMO_COUNTY, or the first of DANGJIAN_COUNTIES); seeded with demo data unless `demo` is off. */
  demoCounty: string;
  /**
   * Counties to serve besides those the database already serves (DANGJIAN_COUNTIES, comma-separated
   * 6-digit codes): each gets its root organization (and demo data) at start-up. Empty: just the
   * installation's own county.
   */
  counties: string[];
  demo: boolean;
  /** A smaller demo: only the first N townships of each county (DANGJIAN_DEMO_TOWNSHIPS; tests and quick tries). */
  demoTownships?: number;
  /** How many demo counties are seeded and checked at once at start-up (DANGJIAN_SEED_WORKERS; default: the machine's cores, at most 8). */
  seedWorkers: number;
  /** 'default' or 'level3' security profile (security.md SEC-2, SEC-5, SEC-10). */
  profile: 'default' | 'level3';
  /** Behind HTTPS: cookies get the Secure flag. */
  secureCookies: boolean;
  logLevel: string;
  /**
   * Origins a state-changing request may come from (CSRF, SEC-22): scheme, host and port of
   * DANGJIAN_PUBLIC_URL, or of the listening address (127.0.0.1 / 0.0.0.0 also as `localhost`).
   */
  publicOrigins: string[];
  /** The nightly backup (platform/backup-schedule.ts): where its archives go and how many are kept. */
  backup: BackupConfig;
}

export interface BackupConfig {
  /** DANGJIAN_BACKUP_DIR, default `<data>/backups`. */
  dir: string;
  /** The newest archive of each of the last N days (DANGJIAN_BACKUP_KEEP_DAILY, default 7). */
  keepDaily: number;
  /** The newest archive of each of the last N weeks (DANGJIAN_BACKUP_KEEP_WEEKLY, default 4). */
  keepWeekly: number;
  /** A full archive when the last one is this many days old; incremental ones on it until then (DANGJIAN_BACKUP_FULL_DAYS, default 7). */
  fullEveryDays: number;
}

export const DEFAULT_DEMO_COUNTY = '410225'; // 兰考县, 河南省开封市

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const counties = (env.DANGJIAN_COUNTIES ?? '')
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  for (const c of counties)
    if (!/^\d{6}$/.test(c)) throw new Error(`DANGJIAN_COUNTIES 中的每一项都必须是 6 位县级行政区划代码，当前有 "${c}"`);
  const demoCounty = env.DANGJIAN_DEMO_COUNTY ?? counties[0] ?? DEFAULT_DEMO_COUNTY;
  if (!/^\d{6}$/.test(demoCounty)) {
    throw new Error(`DANGJIAN_DEMO_COUNTY 必须是 6 位县级行政区划代码，当前为 "${demoCounty}"`);
  }
  const townships = env.DANGJIAN_DEMO_TOWNSHIPS ? Number(env.DANGJIAN_DEMO_TOWNSHIPS) : undefined;
  if (townships !== undefined && !(Number.isInteger(townships) && townships > 0))
    throw new Error(`DANGJIAN_DEMO_TOWNSHIPS 必须是正整数，当前为 "${env.DANGJIAN_DEMO_TOWNSHIPS}"`);
  const count = (name: string, fallback: number, min: number): number => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) throw new Error(`${name} 必须是不小于 ${min} 的整数，当前为 "${raw}"`);
    return n;
  };
  const profile = env.DANGJIAN_PROFILE === 'level3' ? 'level3' : 'default';
  const port = Number(env.PORT || 3000);
  const host = env.HOST || '127.0.0.1';
  // An empty value (DANGJIAN_DATA_DIR=$UNSET) is no value: it must not put the database into the current directory.
  const dataDir = path.resolve(env.DANGJIAN_DATA_DIR?.trim() || './data');
  return {
    dataDir,
    port,
    host,
    databaseUrl: env.DATABASE_URL || undefined,
    appDatabaseUrl: env.DANGJIAN_APP_DATABASE_URL || undefined,
    adminPassword: env.DANGJIAN_ADMIN_PASSWORD || undefined,
    demoCounty,
    counties: [...new Set(counties)],
    demo: env.DANGJIAN_DEMO !== '0',
    ...(townships ? { demoTownships: townships } : {}),
    // At most 8 by default: each county being seeded holds its whole plan in memory (some 100–200 MB).
    seedWorkers: count('DANGJIAN_SEED_WORKERS', Math.min(os.availableParallelism(), 8), 1),
    profile,
    secureCookies: env.DANGJIAN_SECURE_COOKIES === '1',
    logLevel: env.LOG_LEVEL ?? 'info',
    publicOrigins: publicOrigins(env.DANGJIAN_PUBLIC_URL, host, port),
    backup: {
      dir: path.resolve(env.DANGJIAN_BACKUP_DIR?.trim() || path.join(dataDir, 'backups')),
      keepDaily: count('DANGJIAN_BACKUP_KEEP_DAILY', 7, 1),
      keepWeekly: count('DANGJIAN_BACKUP_KEEP_WEEKLY', 4, 0),
      fullEveryDays: count('DANGJIAN_BACKUP_FULL_DAYS', 7, 1),
    },
  };
}

/** The origin (scheme://host[:port], default ports dropped) of a URL, or null when it is not one. */
export function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    return u.origin;
  } catch {
    return null;
  }
}

function publicOrigins(publicUrl: string | undefined, host: string, port: number): string[] {
  if (publicUrl) {
    // Usually one address; a comma-separated list for a second name (e.g. the Vite dev server).
    return publicUrl.split(',').map((u) => {
      const o = originOf(u.trim());
      if (!o) throw new Error(`DANGJIAN_PUBLIC_URL 必须是 http(s) 地址，例如 https://dj.example.gov.cn，当前为 "${u}"`);
      return o;
    });
  }
  // The listening address; a loopback or any-address listener is also reached as localhost.
  const names = ['127.0.0.1', '0.0.0.0', 'localhost', '::', '::1'].includes(host)
    ? ['localhost', '127.0.0.1']
    : [host.includes(':') ? `[${host}]` : host];
  return names.map((h) => originOf(`http://${h}:${port}`)).filter((o): o is string => !!o);
}
