/** The crypto provider against the standards' test vectors, its start-up self-test, row binding and designated keys (SEC-16, SEC-18, SEC-30). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createCrypto,
  CryptoIntegrityError,
  generateKeyFile,
  keyRingFrom,
  NODE_PRIMITIVES,
  parseKeyFile,
  type Primitives,
  STANDARD_VECTORS,
  selfTest,
} from './crypto.ts';
import { addDataKey, loadKeyFile, loadOrCreateKeys } from './keys.ts';

describe('standard test vectors', () => {
  it('SM3 (GB/T 32905-2016 Appendix A)', () => {
    for (const v of STANDARD_VECTORS.sm3) expect(NODE_PRIMITIVES.sm3(v.input).toString('hex')).toBe(v.digest);
    // The vectors themselves, written out, so a changed table cannot pass by agreeing with itself.
    expect(STANDARD_VECTORS.sm3[0].digest).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
  });
  it('SM3 fed in pieces (uploaded files) gives the same digests as in one piece', () => {
    const provider = createCrypto(keyRingFrom(generateKeyFile()));
    for (const v of STANDARD_VECTORS.sm3) {
      const h = provider.sm3Hasher();
      for (let i = 0; i < v.input.length; i += 7) h.update(v.input.subarray(i, i + 7));
      expect(h.digest()).toBe(v.digest);
      expect(provider.sm3(v.input)).toBe(v.digest);
    }
  });
  it('SM4 (GB/T 32907-2016 Appendix A.1)', () => {
    const v = STANDARD_VECTORS.sm4[0];
    expect(NODE_PRIMITIVES.sm4EcbBlock(Buffer.from(v.key, 'hex'), Buffer.from(v.plain, 'hex')).toString('hex')).toBe(
      '681edf34d206965e86b3e94f536e4246',
    );
  });
  it('HMAC-SM3 (GM/T 0042-2015 Appendix D.3)', () => {
    for (const v of STANDARD_VECTORS.hmacSm3)
      expect(NODE_PRIMITIVES.hmacSm3(Buffer.from(v.key, 'hex'), v.input).toString('hex')).toBe(v.mac);
    expect(STANDARD_VECTORS.hmacSm3[0].mac).toBe('ca05e144ed05d1857840d1f318a4a8669e559fc8391f414485bfdf7bb408963a');
  });
});

describe('start-up self-test', () => {
  it('passes with the real primitives and refuses a provider whose primitive is wrong', () => {
    expect(() => selfTest()).not.toThrow();
    const broken: Primitives[] = [
      { ...NODE_PRIMITIVES, sm3: (d) => NODE_PRIMITIVES.sm3(Buffer.concat([d, Buffer.from([0])])) },
      { ...NODE_PRIMITIVES, sm4EcbBlock: (_k, b) => NODE_PRIMITIVES.sm4EcbBlock(Buffer.alloc(16), b) },
      { ...NODE_PRIMITIVES, hmacSm3: (_k, d) => NODE_PRIMITIVES.sm3(d) },
    ];
    const ring = keyRingFrom(generateKeyFile());
    expect(() => createCrypto(ring, broken[0])).toThrow(/密码模块自检失败：SM3/);
    expect(() => createCrypto(ring, broken[1])).toThrow(/密码模块自检失败：SM4/);
    expect(() => createCrypto(ring, broken[2])).toThrow(/密码模块自检失败：HMAC-SM3/);
  });
});

describe('ciphertext bound to its row', () => {
  const c = createCrypto(keyRingFrom(generateKeyFile()));
  it('opens only in the context it was sealed for', () => {
    const a = c.encrypt('41022519800101011X', 'members.id:aaaa');
    expect(c.decrypt(a, 'members.id:aaaa')).toBe('41022519800101011X');
    // The same value moved to another row, or to another field of the same row, does not open.
    expect(() => c.decrypt(a, 'members.id:bbbb')).toThrow(CryptoIntegrityError);
    expect(() => c.decrypt(a, 'members.phone:aaaa')).toThrow(CryptoIntegrityError);
  });
  it('detects a flipped byte and a truncated value', () => {
    const a = c.encrypt('13912345678', 'members.phone:x');
    const raw = Buffer.from(a.slice(a.indexOf(':') + 1), 'base64');
    raw[20] ^= 1;
    expect(() => c.decrypt(`${a.slice(0, a.indexOf(':') + 1)}${raw.toString('base64')}`, 'members.phone:x')).toThrow(
      CryptoIntegrityError,
    );
    expect(() => c.decrypt(a.slice(0, 20), 'members.phone:x')).toThrow(CryptoIntegrityError);
  });
  it('refuses the unbound legacy format in the normal path', () => {
    expect(() => c.decrypt('v1:AAAA', 'members.id:x')).toThrow(CryptoIntegrityError);
  });
});

describe('designated keys', () => {
  it('format 1 (an array, current first) keeps the index and audit keys it used: the last set', () => {
    const legacy = [
      { version: 2, enc: '11'.repeat(16), mac: '22'.repeat(32), index: '33'.repeat(32), audit: '44'.repeat(32) },
      { version: 1, enc: '55'.repeat(16), mac: '66'.repeat(32), index: '77'.repeat(32), audit: '88'.repeat(32) },
    ];
    const f = parseKeyFile(legacy);
    expect(f.current).toBe(2);
    expect(f.index).toBe('77'.repeat(32));
    expect(f.audit).toBe('88'.repeat(32));
  });

  it('a new data key changes neither the blind index nor the audit MAC, and old ciphertext still opens', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-keys-'));
    try {
      const before = loadOrCreateKeys(dir, {});
      const sealed = before.encrypt('张三的住址', 'members.address:1');
      const next = addDataKey(dir, {});
      expect(next.current).toBe(2);
      const after = loadOrCreateKeys(dir, {});
      expect(after.keyVersion).toBe(2);
      expect(after.blindIndex('id', 'X')).toBe(before.blindIndex('id', 'X'));
      expect(after.auditMac('chain')).toBe(before.auditMac('chain'));
      expect(after.decrypt(sealed, 'members.address:1')).toBe('张三的住址');
      expect(after.isCurrent(sealed)).toBe(false);
      expect(after.isCurrent(after.encrypt('x', 'members.address:1'))).toBe(true);
      // The file is private to the platform's user.
      expect(fs.statSync(path.join(dir, 'keys.json')).mode & 0o077).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a format-1 key file is rewritten in format 2 with the same material', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-keys-'));
    try {
      const legacy = [
        { version: 1, enc: 'ab'.repeat(16), mac: 'cd'.repeat(32), index: 'ef'.repeat(32), audit: '01'.repeat(32) },
      ];
      fs.writeFileSync(path.join(dir, 'keys.json'), JSON.stringify(legacy), { mode: 0o600 });
      const { keys } = loadKeyFile(dir, {});
      const onDisk = JSON.parse(fs.readFileSync(path.join(dir, 'keys.json'), 'utf8'));
      expect(onDisk).toEqual(keys);
      expect(onDisk.format).toBe(2);
      expect(onDisk.index).toBe('ef'.repeat(32));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
