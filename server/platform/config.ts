import path from 'node:path';

/** Runtime configuration read once from the environment. */
export interface Config {
  dataDir: string;
  port: number;
  host: string;
  databaseUrl?: string;
  adminPassword?: string;
  demoCounty: string;
  demo: boolean;
  /** 'default' or 'level3' security profile (security.md SEC-2, SEC-5, SEC-10). */
  profile: 'default' | 'level3';
  /** Behind HTTPS: cookies get the Secure flag. */
  secureCookies: boolean;
  logLevel: string;
}

export const DEFAULT_DEMO_COUNTY = '410225'; // 兰考县, 河南省开封市

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const demoCounty = env.DANGJIAN_DEMO_COUNTY ?? DEFAULT_DEMO_COUNTY;
  if (!/^\d{6}$/.test(demoCounty)) {
    throw new Error(`DANGJIAN_DEMO_COUNTY 必须是 6 位县级行政区划代码，当前为 "${demoCounty}"`);
  }
  const profile = env.DANGJIAN_PROFILE === 'level3' ? 'level3' : 'default';
  return {
    dataDir: path.resolve(env.DANGJIAN_DATA_DIR ?? './data'),
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? '127.0.0.1',
    databaseUrl: env.DATABASE_URL || undefined,
    adminPassword: env.DANGJIAN_ADMIN_PASSWORD || undefined,
    demoCounty,
    demo: env.DANGJIAN_DEMO !== '0',
    profile,
    secureCookies: env.DANGJIAN_SECURE_COOKIES === '1',
    logLevel: env.LOG_LEVEL ?? 'info',
  };
}
