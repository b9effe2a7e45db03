/** Upload size limits from the county's settings (SEC-21: limits are settings, not constants). */
import type { Tx } from '../../db/index.ts';
import { getSetting, SETTING_DEFAULTS, type SettingKey } from '../settings.ts';
import { FILE_KINDS, type FileKind, type KindInfo } from './kinds.ts';

const GROUP_SETTING = {
  image: 'files.maxImageMB',
  video: 'files.maxVideoMB',
  document: 'files.maxDocumentMB',
  import: 'files.maxImportMB',
} as const satisfies Record<KindInfo['group'], SettingKey>;

/** The size limit in bytes of each kind, for `FileService.store`'s `maxBytes`. */
export async function sizeLimits(
  db: Tx,
  county: string,
  kinds: readonly FileKind[],
): Promise<Partial<Record<FileKind, number>>> {
  const out: Partial<Record<FileKind, number>> = {};
  for (const kind of kinds) {
    const key = GROUP_SETTING[FILE_KINDS[kind].group];
    const mb = Number(await getSetting(db, county, key));
    // A value edited into something unusable falls back to the default rather than lifting the limit.
    out[kind] = Math.round((Number.isFinite(mb) && mb > 0 ? mb : SETTING_DEFAULTS[key]) * 1024 * 1024);
  }
  return out;
}
