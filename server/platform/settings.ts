/** County-editable settings with defaults (speech.md "(n)" numbers, security.md "(setting)"). */
import { sql } from 'drizzle-orm';
import type { Tx } from '../db/index.ts';

export const SETTING_DEFAULTS = {
  'security.passwordMinLength': 8,
  'security.passwordClasses': 3,
  'security.lockoutThreshold': 5,
  'security.lockoutMinutes': 15,
  'security.idleMinutes': 30,
  'security.absoluteHours': 12,
  'security.passwordHistory': 5,
  'security.passwordMaxAgeDays': 90,
  'security.loginPerIpPerMinute': 30,
  'security.exportsPerHour': 20,
  'security.importsPerHour': 30,
  'security.searchesPerMinute': 120,
  /** Searches by ID number (full or last four): each is audited; this caps them per account (SEC-30). */
  'security.idSearchesPerHour': 60,
  /** Refusals because an ID number is already registered, per account per day, before the county is alerted (SEC-8). */
  'security.duplicateRefusalsPerDay': 10,
  /** A branch secretary sees the phone numbers of their own branch's members in the list (one audit entry per list view). */
  'members.secretarySeesPhones': true,
  /** 上传文件大小上限（MB，SEC-21）：照片（JPEG、PNG、WebP、HEIC 等）。 */
  'files.maxImageMB': 20,
  /** 视频（MP4、MOV）；超过 20 MB 的视频上传须相应延长请求时限。 */
  'files.maxVideoMB': 200,
  /** 文档与扫描件（PDF、Word）。 */
  'files.maxDocumentMB': 50,
  /** 党员名册导入（.xlsx）；解压后的大小另由压缩包检查限制。 */
  'files.maxImportMB': 20,
  'org.secretaryVacantMonths': 3,
  'org.branchMaxMembers': 50,
} as const;
export type SettingKey = keyof typeof SETTING_DEFAULTS;

const cache = new Map<string, { at: number; value: unknown }>();
const TTL = 10_000;

/** Read a setting; cached for 10 s per process so hot paths do not query on every request. */
export async function getSetting<K extends SettingKey>(db: Tx, key: K): Promise<(typeof SETTING_DEFAULTS)[K]> {
  const c = cache.get(key);
  if (c && Date.now() - c.at < TTL) return c.value as (typeof SETTING_DEFAULTS)[K];
  const res = await db.execute<{ value: unknown }>(sql`select value from settings where key = ${key}`);
  const value = (res.rows[0]?.value ?? SETTING_DEFAULTS[key]) as (typeof SETTING_DEFAULTS)[K];
  cache.set(key, { at: Date.now(), value });
  return value;
}
