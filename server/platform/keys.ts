/**
 * Key material lives outside the database (SEC-16): DANGJIAN_KEYS (JSON) or <data>/keys.json, mode 600.
 * The file names the current data key, keeps older data keys so old ciphertext opens during a
 * rotation, and holds the designated blind-index and audit keys (crypto.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  createCrypto,
  type CryptoProvider,
  generateKeyFile,
  type KeyFile,
  keyRingFrom,
  newDataKeyMaterial,
  parseKeyFile,
} from './crypto.ts';

export function keyFilePath(dataDir: string): string {
  return path.join(dataDir, 'keys.json');
}

function writeKeyFile(file: string, keys: KeyFile): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(keys, null, 2), { mode: 0o600 });
  const fd = fs.openSync(tmp, 'r');
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  fs.renameSync(tmp, file);
}

/** The key file's content: from DANGJIAN_KEYS, or the data directory (created on first start, upgraded from format 1 in place). */
export function loadKeyFile(
  dataDir: string,
  env: NodeJS.ProcessEnv = process.env,
): { keys: KeyFile; source: 'env' | 'file' } {
  if (env.DANGJIAN_KEYS) return { keys: parseKeyFile(JSON.parse(env.DANGJIAN_KEYS)), source: 'env' };
  const file = keyFilePath(dataDir);
  fs.mkdirSync(dataDir, { recursive: true });
  if (!fs.existsSync(file)) writeKeyFile(file, generateKeyFile());
  const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  const keys = parseKeyFile(raw);
  // Format 1 kept the designated keys implicitly (the last set): write them down by name, same material.
  if (Array.isArray(raw)) writeKeyFile(file, keys);
  return { keys, source: 'file' };
}

export function loadOrCreateKeys(dataDir: string, env: NodeJS.ProcessEnv = process.env): CryptoProvider {
  return createCrypto(keyRingFrom(loadKeyFile(dataDir, env).keys));
}

/** Rotation, step 1: a new data key becomes current; older ones stay until nothing is sealed with them. */
export function addDataKey(dataDir: string, env: NodeJS.ProcessEnv = process.env): KeyFile {
  const { keys, source } = loadKeyFile(dataDir, env);
  if (source === 'env')
    throw new Error(
      '密钥由环境变量 DANGJIAN_KEYS 提供：请在密钥文件中轮换后更新该变量（或改用数据目录中的 keys.json）',
    );
  const version = Math.max(...keys.data.map((d) => d.version)) + 1;
  const next: KeyFile = { ...keys, current: version, data: [...keys.data, newDataKeyMaterial(version)] };
  writeKeyFile(keyFilePath(dataDir), next);
  return next;
}

/** Rotation, last step: drop data keys that no ciphertext uses any more. */
export function retireDataKeys(dataDir: string, inUse: Set<number>): number[] {
  const { keys } = loadKeyFile(dataDir, {});
  const keep = keys.data.filter((d) => d.version === keys.current || inUse.has(d.version));
  const dropped = keys.data.filter((d) => !keep.includes(d)).map((d) => d.version);
  if (dropped.length) writeKeyFile(keyFilePath(dataDir), { ...keys, data: keep });
  return dropped;
}
