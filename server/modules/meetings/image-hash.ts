/**
 * The evidence pictures' anti-fake facts, pure: the EXIF capture time as an instant and its drift from
 * the meeting's date, dHash and the distance between two hashes. evidence.ts decodes and calls these.
 */
import { daysBetween } from '../../platform/calendar.ts';
import type { Warning } from './rules.ts';

/**
 * An EXIF local time ("2026:03:02 10:00:00", optional offset "+08:00") as an instant: without an
 * offset it is read as Asia/Shanghai local time (the phones that take these photos are set to it).
 */
export function exifInstant(local: unknown, offset?: unknown): Date | null {
  if (typeof local !== 'string') return null;
  const m = /^(\d{4})[:-](\d{2})[:-](\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(local.trim());
  if (!m) return null;
  const off = typeof offset === 'string' && /^[+-]\d{2}:\d{2}$/.test(offset.trim()) ? offset.trim() : '+08:00';
  const ms = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${off}`);
  if (!Number.isFinite(ms) || Number(m[1]) < 1990) return null;
  return new Date(ms);
}

/** dHash of a 9×8 greyscale picture (72 bytes, row by row): 64 bits as 16 hex digits. */
export function dHash(pixels: Uint8Array, width = 9, height = 8): string {
  if (pixels.length < width * height) throw new Error('dHash needs 9x8 greyscale pixels');
  let bits = 0n;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width - 1; x++) {
      bits = (bits << 1n) | (pixels[y * width + x] > pixels[y * width + x + 1] ? 1n : 0n);
    }
  }
  return bits.toString(16).padStart(16, '0');
}

/** Differing bits of two 64-bit hashes given as 16 hex digits. */
export function hamming(a: string, b: string): number {
  let x = BigInt(`0x${a}`) ^ BigInt(`0x${b}`);
  let n = 0;
  while (x) {
    n += Number(x & 1n);
    x >>= 1n;
  }
  return n;
}

/**
 * A flat or smooth picture (a wall, the sky, a blank page) has a dHash of nearly all zeros or ones,
 * and any two of them look "similar": such hashes are not compared (fewer than 8 differing bits
 * from uniform).
 */
export function informativeHash(h: string): boolean {
  const ones = hamming(h, '0000000000000000');
  return ones >= 8 && ones <= 56;
}

/** Pictures this close (bits of 64) are taken for the same picture re-encoded, cropped a little or resized. */
export const SIMILAR_PICTURE_MAX_DISTANCE = 6;

export function captureWarning(capturedOn: string | null, heldOn: string, driftDays: number): Warning | null {
  if (!capturedOn) return null;
  const d = Math.abs(daysBetween(capturedOn, heldOn));
  if (d <= driftDays) return null;
  return { code: 'CAPTURE_TIME_FAR', message: `照片拍摄于 ${capturedOn}，与会议日期相差 ${d} 天` };
}
