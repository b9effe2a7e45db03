import crypto from 'node:crypto';

/**
 * The one crypto provider (SEC-18): SM4-CBC with HMAC-SM3 (encrypt-then-MAC) for personal fields,
 * HMAC-SM3 blind indexes for exact lookup, SM3 digests, HMAC-SM3 for the audit chain (SEC-14, SEC-16).
 * Keys live outside the database (data directory or environment) and carry a version for rotation.
 */
export interface KeySet {
  version: number;
  enc: Buffer; // 16 bytes SM4
  mac: Buffer; // 32 bytes HMAC-SM3 over ciphertext
  index: Buffer; // 32 bytes blind index
  audit: Buffer; // 32 bytes audit chain
}

export interface CryptoProvider {
  encrypt(plain: string): string;
  decrypt(token: string): string;
  blindIndex(kind: string, normalized: string): string;
  sm3(data: string | Buffer): string;
  auditMac(data: string): string;
  readonly keyVersion: number;
}

export function generateKeyMaterial(version = 1): Record<string, string | number> {
  return {
    version,
    enc: crypto.randomBytes(16).toString('hex'),
    mac: crypto.randomBytes(32).toString('hex'),
    index: crypto.randomBytes(32).toString('hex'),
    audit: crypto.randomBytes(32).toString('hex'),
  };
}

export function keySetFrom(raw: Record<string, string | number>): KeySet {
  return {
    version: Number(raw.version),
    enc: Buffer.from(String(raw.enc), 'hex'),
    mac: Buffer.from(String(raw.mac), 'hex'),
    index: Buffer.from(String(raw.index), 'hex'),
    audit: Buffer.from(String(raw.audit), 'hex'),
  };
}

/** keys: current first; older versions kept so that old ciphertext still opens after rotation. */
export function createCrypto(keys: KeySet[]): CryptoProvider {
  const current = keys[0];
  const byVersion = new Map(keys.map((k) => [k.version, k]));
  // The blind index and audit keys never rotate with the encryption key: lookups and the chain stay stable.
  const stable = keys[keys.length - 1];
  return {
    keyVersion: current.version,
    encrypt(plain) {
      const iv = crypto.randomBytes(16);
      const cipher = crypto.createCipheriv('sm4-cbc', current.enc, iv);
      const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      const tag = crypto.createHmac('sm3', current.mac).update(iv).update(ct).digest().subarray(0, 16);
      return `v${current.version}:${Buffer.concat([iv, ct, tag]).toString('base64')}`;
    },
    decrypt(token) {
      const m = /^v(\d+):(.+)$/.exec(token);
      if (!m) throw new Error('ciphertext format');
      const k = byVersion.get(Number(m[1]));
      if (!k) throw new Error(`no key version ${m[1]}`);
      const buf = Buffer.from(m[2], 'base64');
      const iv = buf.subarray(0, 16);
      const ct = buf.subarray(16, buf.length - 16);
      const tag = buf.subarray(buf.length - 16);
      const want = crypto.createHmac('sm3', k.mac).update(iv).update(ct).digest().subarray(0, 16);
      if (!crypto.timingSafeEqual(tag, want)) throw new Error('ciphertext integrity');
      const decipher = crypto.createDecipheriv('sm4-cbc', k.enc, iv);
      return Buffer.concat([decipher.update(ct), decipher.final()]).toString('utf8');
    },
    blindIndex(kind, normalized) {
      return crypto.createHmac('sm3', stable.index).update(`${kind}:${normalized}`).digest('base64url');
    },
    sm3(data) {
      return crypto.createHash('sm3').update(data).digest('hex');
    },
    auditMac(data) {
      return crypto.createHmac('sm3', stable.audit).update(data).digest('hex');
    },
  };
}
