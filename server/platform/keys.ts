/** Key material lives outside the database (SEC-16): DANGJIAN_KEYS (JSON) or <data>/keys.json, mode 600. */
import fs from 'node:fs';
import path from 'node:path';
import { createCrypto, type CryptoProvider, generateKeyMaterial, keySetFrom } from './crypto.ts';

export function loadOrCreateKeys(dataDir: string, env: NodeJS.ProcessEnv = process.env): CryptoProvider {
  if (env.DANGJIAN_KEYS) return createCrypto((JSON.parse(env.DANGJIAN_KEYS) as Record<string, string>[]).map(keySetFrom));
  const file = path.join(dataDir, 'keys.json');
  fs.mkdirSync(dataDir, { recursive: true });
  if (!fs.existsSync(file)) fs.writeFileSync(file, JSON.stringify([generateKeyMaterial(1)], null, 2), { mode: 0o600 });
  const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>[];
  return createCrypto(raw.map(keySetFrom));
}
