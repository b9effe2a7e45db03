import crypto from 'node:crypto';

/**
 * The one crypto provider (SEC-18): SM4-CBC with HMAC-SM3 (encrypt-then-MAC) for personal fields,
 * HMAC-SM3 blind indexes for exact lookup, SM3 digests, HMAC-SM3 for the audit chain (SEC-14, SEC-16).
 *
 * Ciphertext is bound to where it lives (SEC-30): the MAC covers a context string such as
 * `members.id:<row id>`, so a value copied or swapped into another row or column no longer opens.
 * Keys live outside the database (data directory or environment). Data keys carry a version and
 * rotate (`npm run cli -- rotate-keys`); the blind-index and audit keys are designated keys of
 * their own that never rotate with the data key, so lookups and the audit chain stay stable.
 */
export interface DataKey {
  version: number;
  enc: Buffer; // 16 bytes SM4
  mac: Buffer; // 32 bytes HMAC-SM3 over version, context, iv and ciphertext
}

export interface KeyRing {
  /** The data key new ciphertext is written with. */
  current: number;
  data: DataKey[];
  /** Designated blind-index key (HMAC-SM3). */
  index: Buffer;
  /** Designated audit-chain key (HMAC-SM3). */
  audit: Buffer;
}

export interface CryptoProvider {
  /** Encrypt a personal field bound to `context` (table.field:rowId). */
  encrypt(plain: string, context: string): string;
  /** Open a value sealed for `context`; throws `CryptoIntegrityError` if it was altered or moved. */
  decrypt(token: string, context: string): string;
  /** Open a value written before ciphertext was bound to its row (format `v<n>:`), for re-sealing only. */
  decryptLegacy(token: string): string;
  /** True when the token is bound and under the current data key (nothing to re-seal). */
  isCurrent(token: string): boolean;
  blindIndex(kind: string, normalized: string): string;
  sm3(data: string | Buffer): string;
  /** An incremental SM3 digest, for data that arrives as a stream (uploaded files, SEC-17). */
  sm3Hasher(): Sm3Hasher;
  /** SM3 over data given in parts (a table streamed by the backup), hex. */
  sm3Stream(): { update(data: string | Buffer): void; digest(): string };
  auditMac(data: string): string;
  readonly keyVersion: number;
}

/** SM3 over data fed chunk by chunk; `digest()` (lowercase hex) ends it. */
export interface Sm3Hasher {
  update(chunk: Buffer): void;
  digest(): string;
}

export class CryptoIntegrityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CryptoIntegrityError';
  }
}

/** Fresh key material in the key file's format (format 2). */
export function generateKeyFile(): KeyFile {
  return {
    format: 2,
    current: 1,
    data: [newDataKeyMaterial(1)],
    index: crypto.randomBytes(32).toString('hex'),
    audit: crypto.randomBytes(32).toString('hex'),
  };
}

export function newDataKeyMaterial(version: number): { version: number; enc: string; mac: string } {
  return { version, enc: crypto.randomBytes(16).toString('hex'), mac: crypto.randomBytes(32).toString('hex') };
}

/** keys.json / DANGJIAN_KEYS. Format 2 names the designated keys; format 1 was a bare array of key sets. */
export interface KeyFile {
  format: 2;
  current: number;
  data: { version: number; enc: string; mac: string }[];
  index: string;
  audit: string;
}

type LegacyKeySet = { version: number | string; enc: string; mac: string; index: string; audit: string };

/** Read either format. Format 1 (an array, current first) used the *last* set's index and audit keys: keep exactly those. */
export function parseKeyFile(raw: unknown): KeyFile {
  if (Array.isArray(raw)) {
    const sets = raw as LegacyKeySet[];
    if (!sets.length) throw new Error('密钥文件为空');
    const stable = sets[sets.length - 1];
    return {
      format: 2,
      current: Number(sets[0].version),
      data: sets.map((s) => ({ version: Number(s.version), enc: s.enc, mac: s.mac })),
      index: stable.index,
      audit: stable.audit,
    };
  }
  const f = raw as KeyFile;
  if (f?.format !== 2 || !Array.isArray(f.data) || !f.index || !f.audit) throw new Error('密钥文件格式不正确');
  return f;
}

export function keyRingFrom(file: KeyFile): KeyRing {
  const hex = (s: string, bytes: number, what: string) => {
    const b = Buffer.from(String(s), 'hex');
    if (b.length !== bytes) throw new Error(`密钥文件中的${what}长度不正确`);
    return b;
  };
  const ring: KeyRing = {
    current: Number(file.current),
    data: file.data.map((d) => ({
      version: Number(d.version),
      enc: hex(d.enc, 16, '数据加密密钥'),
      mac: hex(d.mac, 32, '数据校验密钥'),
    })),
    index: hex(file.index, 32, '检索索引密钥'),
    audit: hex(file.audit, 32, '审计密钥'),
  };
  if (!ring.data.some((d) => d.version === ring.current))
    throw new Error(`密钥文件中没有当前版本 ${ring.current} 的数据密钥`);
  return ring;
}

/** The primitives the provider is built on; the self-test checks them against the standards' vectors. */
export interface Primitives {
  sm3(data: Buffer): Buffer;
  hmacSm3(key: Buffer, data: Buffer): Buffer;
  sm4EcbBlock(key: Buffer, block: Buffer): Buffer;
}

export const NODE_PRIMITIVES: Primitives = {
  sm3: (d) => crypto.createHash('sm3').update(d).digest(),
  hmacSm3: (k, d) => crypto.createHmac('sm3', k).update(d).digest(),
  sm4EcbBlock: (k, b) => {
    const c = crypto.createCipheriv('sm4-ecb', k, null);
    c.setAutoPadding(false);
    return Buffer.concat([c.update(b), c.final()]);
  },
};

const hexb = (s: string) => Buffer.from(s, 'hex');
/** GB/T 32905-2016 (SM3) Appendix A, GB/T 32907-2016 (SM4) Appendix A.1, GM/T 0042-2015 (HMAC-SM3) Appendix D.3. */
export const STANDARD_VECTORS = {
  sm3: [
    { input: Buffer.from('abc'), digest: '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0' },
    {
      input: Buffer.from('abcd'.repeat(16)),
      digest: 'debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732',
    },
  ],
  sm4: [
    {
      key: '0123456789abcdeffedcba9876543210',
      plain: '0123456789abcdeffedcba9876543210',
      cipher: '681edf34d206965e86b3e94f536e4246',
    },
  ],
  hmacSm3: [
    {
      key: '0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20',
      input: Buffer.from(
        'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopqabcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq',
      ),
      mac: 'ca05e144ed05d1857840d1f318a4a8669e559fc8391f414485bfdf7bb408963a',
    },
    {
      key: '0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425',
      input: hexb('cd'.repeat(50)),
      mac: '220bf579ded555393f0159f66c99877822a3ecf610d1552154b41d44b94db3ae',
    },
  ],
};

/** Known-answer self-test (run at every start): a provider whose primitives disagree with the standards refuses to start. */
export function selfTest(p: Primitives = NODE_PRIMITIVES): void {
  const fail = (what: string) => {
    throw new Error(`密码模块自检失败：${what}与国家标准测试向量不符，平台拒绝启动`);
  };
  try {
    for (const v of STANDARD_VECTORS.sm3) if (p.sm3(v.input).toString('hex') !== v.digest) fail('SM3 杂凑');
    for (const v of STANDARD_VECTORS.sm4)
      if (p.sm4EcbBlock(hexb(v.key), hexb(v.plain)).toString('hex') !== v.cipher) fail('SM4 分组密码');
    for (const v of STANDARD_VECTORS.hmacSm3)
      if (p.hmacSm3(hexb(v.key), v.input).toString('hex') !== v.mac) fail('HMAC-SM3');
  } catch (e) {
    if (e instanceof Error && e.message.startsWith('密码模块自检失败')) throw e;
    throw new Error(`密码模块自检失败：${e instanceof Error ? e.message : String(e)}`);
  }
}

const TAG_BYTES = 16;

export function createCrypto(ring: KeyRing, primitives: Primitives = NODE_PRIMITIVES): CryptoProvider {
  selfTest(primitives);
  const byVersion = new Map(ring.data.map((k) => [k.version, k]));
  const current = byVersion.get(ring.current);
  if (!current) throw new Error(`没有当前版本 ${ring.current} 的数据密钥`);
  const tagOf = (k: DataKey, context: string, iv: Buffer, ct: Buffer) =>
    crypto
      .createHmac('sm3', k.mac)
      .update(`k${k.version}\u0000${context}\u0000`)
      .update(iv)
      .update(ct)
      .digest()
      .subarray(0, TAG_BYTES);
  const open = (k: DataKey, buf: Buffer, want: Buffer | null, tag: Buffer) => {
    const iv = buf.subarray(0, 16);
    const ct = buf.subarray(16, buf.length - TAG_BYTES);
    if (want && !crypto.timingSafeEqual(tag, want)) throw new CryptoIntegrityError('ciphertext integrity');
    const decipher = crypto.createDecipheriv('sm4-cbc', k.enc, iv);
    return Buffer.concat([decipher.update(ct), decipher.final()]).toString('utf8');
  };
  return {
    keyVersion: current.version,
    encrypt(plain, context) {
      const iv = crypto.randomBytes(16);
      const cipher = crypto.createCipheriv('sm4-cbc', current.enc, iv);
      const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `k${current.version}:${Buffer.concat([iv, ct, tagOf(current, context, iv, ct)]).toString('base64')}`;
    },
    decrypt(token, context) {
      const m = /^k(\d+):(.+)$/.exec(token);
      if (!m) throw new CryptoIntegrityError('ciphertext format');
      const k = byVersion.get(Number(m[1]));
      if (!k) throw new CryptoIntegrityError(`no data key version ${m[1]}`);
      const buf = Buffer.from(m[2], 'base64');
      if (buf.length < 16 + 16 + TAG_BYTES) throw new CryptoIntegrityError('ciphertext length');
      const iv = buf.subarray(0, 16);
      const ct = buf.subarray(16, buf.length - TAG_BYTES);
      return open(k, buf, tagOf(k, context, iv, ct), buf.subarray(buf.length - TAG_BYTES));
    },
    decryptLegacy(token) {
      const m = /^v(\d+):(.+)$/.exec(token);
      if (!m) throw new CryptoIntegrityError('legacy ciphertext format');
      const k = byVersion.get(Number(m[1]));
      if (!k) throw new CryptoIntegrityError(`no data key version ${m[1]}`);
      const buf = Buffer.from(m[2], 'base64');
      const iv = buf.subarray(0, 16);
      const ct = buf.subarray(16, buf.length - TAG_BYTES);
      const want = crypto.createHmac('sm3', k.mac).update(iv).update(ct).digest().subarray(0, TAG_BYTES);
      return open(k, buf, want, buf.subarray(buf.length - TAG_BYTES));
    },
    isCurrent(token) {
      return token.startsWith(`k${current.version}:`);
    },
    blindIndex(kind, normalized) {
      return crypto.createHmac('sm3', ring.index).update(`${kind}:${normalized}`).digest('base64url');
    },
    sm3(data) {
      return crypto.createHash('sm3').update(data).digest('hex');
    },
    sm3Hasher() {
      const h = crypto.createHash('sm3');
      return {
        update: (chunk) => {
          h.update(chunk);
        },
        digest: () => h.digest('hex'),
      };
    },
    sm3Stream() {
      const h = crypto.createHash('sm3');
      return {
        update: (data) => {
          h.update(data);
        },
        digest: () => h.digest('hex'),
      };
    },
    auditMac(data) {
      return crypto.createHmac('sm3', ring.audit).update(data).digest('hex');
    },
  };
}

/** A provider with fresh random keys (tests, tools). */
export function ephemeralCrypto(): CryptoProvider {
  return createCrypto(keyRingFrom(generateKeyFile()));
}
