/** County-editable settings over platform defaults (speech.md "(n)" numbers, security.md "(setting)"): one row per county and key. */
import { DEFAULT_MAX_IMAGE_MB } from '../../contract/limits.ts';
import { sql } from 'drizzle-orm';
import type { Tx } from '../db/index.ts';
import type { SettingDecl, SettingsOf } from '../modules/module.ts';
import { MODULES } from '../modules/registry.ts';

/** The platform's own settings; each module declares its own in its manifest (`settings`). */
export const PLATFORM_SETTINGS = {
  'security.passwordMinLength': { default: 8, label: '密码最短长度', unit: '位' },
  'security.passwordClasses': { default: 3, label: '密码须含的字符类别数（大写、小写、数字、符号）', unit: '类' },
  'security.lockoutThreshold': { default: 5, label: '连续登录失败锁定次数', unit: '次' },
  'security.lockoutMinutes': { default: 15, label: '账号锁定时长', unit: '分钟' },
  'security.idleMinutes': { default: 30, label: '无操作自动退出', unit: '分钟' },
  'security.absoluteHours': { default: 12, label: '登录最长有效', unit: '小时' },
  'security.passwordHistory': { default: 5, label: '新密码不得与最近几次相同', unit: '次' },
  'security.passwordMaxAgeDays': { default: 90, label: '密码有效期', unit: '天' },
  'security.loginPerIpPerMinute': { default: 30, label: '同一地址每分钟登录次数上限', unit: '次' },
  'security.exportsPerHour': { default: 20, label: '每人每小时导出次数上限', unit: '次' },
  'security.importsPerHour': { default: 30, label: '每人每小时导入次数上限', unit: '次' },
  /** Evidence uploads (photos, videos, scans) per account: each is stored, and a picture decoded (SEC-21, SEC-31). 30 a record, a few records an hour. */
  'security.uploadsPerHour': { default: 120, label: '每人每小时上传文件次数上限', unit: '次' },
  'security.searchesPerMinute': { default: 120, label: '每人每分钟查询次数上限', unit: '次' },
  /** Searches by ID number (full or last four): each is audited; this caps them per account (SEC-30). */
  'security.idSearchesPerHour': { default: 60, label: '每人每小时按身份证号码查找次数上限', unit: '次' },
  /** Full views of a member's or organization's protected values (SEC-9, SEC-14); a member's also counts as a lookup by ID number. */
  'security.revealsPerHour': { default: 30, label: '每人每小时查看完整个人信息次数上限', unit: '次' },
  /** Evidence files downloaded in full (photos, videos, scans) per account (SEC-14). */
  'security.downloadsPerHour': { default: 300, label: '每人每小时下载影像资料次数上限', unit: '次' },
  /** Refusals because an ID number is already registered, per account per day, before the county is alerted (SEC-8). */
  'security.duplicateRefusalsPerDay': {
    default: 10,
    label: '每人每天因身份证号码已登记被拒绝的次数上限（超过即报警）',
    unit: '次',
  },
  /** Upload size limits (MB, SEC-21): photos (JPEG, PNG, WebP, HEIC…). */
  'files.maxImageMB': { default: DEFAULT_MAX_IMAGE_MB, label: '照片大小上限', unit: 'MB' },
  /** Videos (MP4, MOV): above 20 MB an upload route needs a longer request time limit. */
  'files.maxVideoMB': { default: 200, label: '视频大小上限', unit: 'MB' },
  /** Documents and scans (PDF, Word). */
  'files.maxDocumentMB': { default: 50, label: '文档与扫描件大小上限', unit: 'MB' },
  /** Member roster imports (.xlsx); the inflated size is limited again by the archive check. */
  'files.maxImportMB': { default: 20, label: '党员名册导入文件大小上限', unit: 'MB' },
} as const satisfies Record<string, SettingDecl>;

type Widen<T> = T extends number ? number : T extends boolean ? boolean : T extends string ? string : T;
type SettingValues = {
  -readonly [K in keyof typeof PLATFORM_SETTINGS]: Widen<(typeof PLATFORM_SETTINGS)[K]['default']>;
} & SettingsOf<typeof MODULES>;
export type SettingKey = keyof SettingValues;

/** Every setting with its default value, Chinese name and unit: the platform's and the modules'. */
export const SETTING_DECLS: Readonly<Record<SettingKey, SettingDecl>> = Object.assign(
  {},
  PLATFORM_SETTINGS,
  ...MODULES.map((m) => ('settings' in m ? m.settings : {})),
);
export const SETTING_DEFAULTS = Object.fromEntries(
  Object.entries(SETTING_DECLS).map(([k, v]) => [k, v.default]),
) as SettingValues;
/** A setting's value type (a number for a number setting, not the literal default). */
export type SettingValue<K extends SettingKey> = SettingValues[K];

const cache = new Map<string, { at: number; value: unknown }>();
const TTL = 10_000;

/**
 * A county's setting: its own value, else the platform default. Cached for 10 s per process and
 * county, so hot paths do not query on every request. Before anyone is known (a login attempt) pass
 * the installation's county (`installationCounty`).
 */
export async function getSetting<K extends SettingKey>(db: Tx, county: string, key: K): Promise<SettingValue<K>> {
  const ck = `${county}\u0000${key}`;
  const c = cache.get(ck);
  if (c && Date.now() - c.at < TTL) return c.value as SettingValue<K>;
  const res = await db.execute<{ value: unknown }>(
    sql`select value from settings where county_code = ${county} and key = ${key}`,
  );
  const value = (res.rows[0]?.value ?? SETTING_DEFAULTS[key]) as SettingValue<K>;
  cache.set(ck, { at: Date.now(), value });
  return value;
}

/** Set (or, with null, clear back to the platform default) a county's setting; this process sees it at once. */
export async function setSetting<K extends SettingKey>(
  db: Tx,
  county: string,
  key: K,
  value: SettingValue<K> | null,
): Promise<void> {
  if (value === null) await db.execute(sql`delete from settings where county_code = ${county} and key = ${key}`);
  else {
    await db.execute(sql`insert into settings (county_code, key, value) values (${county}, ${key}, ${JSON.stringify(value)}::jsonb)
      on conflict (county_code, key) do update set value = excluded.value, updated_at = now()`);
  }
  cache.delete(`${county}\u0000${key}`);
}
