/**
 * Facts of the installation (platform_meta): its own division code and the counties it serves. The
 * installation's code is the county of entries that belong to no county (system and CLI work, a login
 * by an unknown name) and of settings read before anyone is known; for a county installation it is
 * that county, for a city or province one (a later issue) the city's or province's code.
 */
import { sql } from 'drizzle-orm';
import type { Tx } from '../db/index.ts';

/** The installation's own division code; throws before the first start has set it. */
export async function installationCounty(db: Tx): Promise<string> {
  const r = await db.execute<{ code: string | null }>(
    sql`select value->>'code' as code from platform_meta where key = 'county'`,
  );
  const code = r.rows[0]?.code;
  if (!code)
    throw new Error(
      '平台尚未初始化：platform_meta 中没有本安装的行政区划代码（请先运行 npm start 或 npm run cli -- seed）',
    );
  return code;
}

/** The counties this installation serves (platform_meta 'counties'), the installation's own first. */
export async function servedCounties(db: Tx): Promise<string[]> {
  const r = await db.execute<{ key: string; value: unknown }>(
    sql`select key, value from platform_meta where key in ('county', 'counties')`,
  );
  const own = (r.rows.find((x) => x.key === 'county')?.value as { code?: string } | undefined)?.code;
  const listed = (r.rows.find((x) => x.key === 'counties')?.value as string[] | undefined) ?? [];
  return [...new Set([...(own ? [own] : []), ...listed])];
}
