import { describe, expect, it } from 'vitest';
import { captureWarning, dHash, exifInstant, hamming, informativeHash } from './image-hash.ts';

describe('image hashing and EXIF', () => {
  it('EXIF local time without an offset is Shanghai time', () => {
    expect(exifInstant('2026:03:02 10:00:00')?.toISOString()).toBe('2026-03-02T02:00:00.000Z');
    expect(exifInstant('2026:03:02 10:00:00', '+00:00')?.toISOString()).toBe('2026-03-02T10:00:00.000Z');
    expect(exifInstant('0000:00:00 00:00:00')).toBeNull();
    expect(exifInstant(undefined)).toBeNull();
  });

  it('dHash and Hamming distance', () => {
    const rising = Uint8Array.from({ length: 72 }, (_, i) => i % 9);
    const falling = Uint8Array.from({ length: 72 }, (_, i) => 9 - (i % 9));
    expect(dHash(rising)).toBe('0000000000000000');
    expect(dHash(falling)).toBe('ffffffffffffffff');
    expect(hamming('0000000000000000', 'ffffffffffffffff')).toBe(64);
    expect(hamming('00000000000000f0', '0000000000000000')).toBe(4);
    expect(informativeHash('0000000000000000')).toBe(false);
    expect(informativeHash('00000000000000f0')).toBe(false);
    expect(informativeHash('5a5a5a5a5a5a5a5a')).toBe(true);
  });

  it('capture drift', () => {
    expect(captureWarning('2026-03-02', '2026-04-11', 3)?.message).toBe('照片拍摄于 2026-03-02，与会议日期相差 40 天');
    expect(captureWarning('2026-04-09', '2026-04-11', 3)).toBeNull();
    expect(captureWarning(null, '2026-04-11', 3)).toBeNull();
  });
});
