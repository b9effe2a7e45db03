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
});
