/** Start-up settings from the environment: an empty variable counts as not set. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('keeps the data in ./data when DANGJIAN_DATA_DIR is empty (e.g. set from an unset shell variable), never in the current directory', () => {
    expect(loadConfig({ DANGJIAN_DATA_DIR: '' }).dataDir).toBe(path.resolve('./data'));
    expect(loadConfig({ DANGJIAN_DATA_DIR: '  ' }).dataDir).toBe(path.resolve('./data'));
    expect(loadConfig({}).dataDir).toBe(path.resolve('./data'));
    expect(loadConfig({ DANGJIAN_DATA_DIR: '/srv/dangjian' }).dataDir).toBe('/srv/dangjian');
  });

  it('takes an empty PORT or HOST as the default', () => {
    const c = loadConfig({ PORT: '', HOST: '' });
    expect(c.port).toBe(3000);
    expect(c.host).toBe('127.0.0.1');
  });

  it('puts the nightly backups under the data directory unless DANGJIAN_BACKUP_DIR says where, keeping 7 days and 4 weeks', () => {
    expect(loadConfig({ DANGJIAN_DATA_DIR: '/srv/dj' }).backup).toEqual({
      dir: '/srv/dj/backups',
      keepDaily: 7,
      keepWeekly: 4,
      fullEveryDays: 7,
    });
    const c = loadConfig({
      DANGJIAN_DATA_DIR: '/srv/dj',
      DANGJIAN_BACKUP_DIR: '/mnt/nas/dj',
      DANGJIAN_BACKUP_KEEP_DAILY: '14',
      DANGJIAN_BACKUP_KEEP_WEEKLY: '0',
      DANGJIAN_BACKUP_FULL_DAYS: '',
    });
    expect(c.backup).toEqual({ dir: '/mnt/nas/dj', keepDaily: 14, keepWeekly: 0, fullEveryDays: 7 });
    expect(() => loadConfig({ DANGJIAN_BACKUP_KEEP_DAILY: '0' })).toThrow(
      /DANGJIAN_BACKUP_KEEP_DAILY 必须是不小于 1 的整数/,
    );
    expect(() => loadConfig({ DANGJIAN_BACKUP_KEEP_WEEKLY: 'many' })).toThrow(/DANGJIAN_BACKUP_KEEP_WEEKLY/);
  });
});
