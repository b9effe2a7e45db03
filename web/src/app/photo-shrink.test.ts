import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  type DecodedPhoto,
  exifToIso,
  PHOTO_MAX_EDGE,
  PHOTO_QUALITY,
  PhotoRefused,
  type PhotoOps,
  preparePhoto,
  readCaptureTime,
} from './photo-shrink.ts';

const MB = 1024 * 1024;
const LIMIT = 20 * MB;

/** A file of `size` bytes (the content does not matter to the fake decoder). */
const fileOf = (size: number, name = 'IMG_0001.jpg', type = 'image/jpeg') =>
  new File([new Uint8Array(size)], name, { type });

/** A decoder that reports a picture of w × h and encodes to `outBytes`, logging what it was asked, in order. */
function fakeOps(w: number, h: number, outBytes: number, time?: string) {
  const log: string[] = [];
  const ops: PhotoOps = {
    async captureTime() {
      log.push('exif');
      return time;
    },
    async decode(): Promise<DecodedPhoto | null> {
      log.push('decode');
      if (!w) return null;
      return {
        width: w,
        height: h,
        async encode(ew, eh, q) {
          log.push(`encode ${ew}x${eh} q${q}`);
          return new Blob([new Uint8Array(outBytes)], { type: 'image/jpeg' });
        },
        close: () => log.push('close'),
      };
    },
  };
  return { ops, log };
}

describe('photos shrunk on the phone (issue 18 §2)', () => {
  it('a 5 MB 4000×3000 photo becomes a 2560-px JPEG at 85 %, with the capture time read from the original first', async () => {
    const { ops, log } = fakeOps(4000, 3000, 520_000, '2026-11-05T09:12:00+08:00');
    const p = await preparePhoto(fileOf(5 * MB), LIMIT, { shrink: true }, ops);
    expect(log).toEqual(['exif', 'decode', `encode ${PHOTO_MAX_EDGE}x1920 q${PHOTO_QUALITY}`, 'close']);
    expect(p).toMatchObject({
      name: 'IMG_0001.jpg',
      type: 'image/jpeg',
      capturedAt: '2026-11-05T09:12:00+08:00',
      originalSize: 5 * MB,
      shrunk: true,
    });
    expect(p.blob.size).toBe(520_000);
  });

  it('a portrait photo keeps its orientation: the long edge is the height', async () => {
    const { ops, log } = fakeOps(3000, 4000, 500_000);
    const p = await preparePhoto(fileOf(4 * MB, 'a.png', 'image/png'), LIMIT, { shrink: true }, ops);
    expect(log).toContain(`encode 1920x${PHOTO_MAX_EDGE} q${PHOTO_QUALITY}`);
    expect(p.name).toBe('a.jpg');
  });

  it('a small photo within bounds is kept as it is; so is one that re-encoding would make larger', async () => {
    const small = fakeOps(1600, 1200, 999_999);
    const f = fileOf(400_000);
    const p = await preparePhoto(f, LIMIT, { shrink: true }, small.ops);
    expect(p.blob).toBe(f);
    expect(p.shrunk).toBe(false);
    expect(small.log.some((l) => l.startsWith('encode'))).toBe(false);
    const bigger = fakeOps(2000, 1500, 3 * MB);
    const g = fileOf(2 * MB);
    expect((await preparePhoto(g, LIMIT, { shrink: true }, bigger.ops)).blob).toBe(g);
  });

  it('refuses at once what is not a picture, or cannot be brought under the limit, naming the limit', async () => {
    const { ops } = fakeOps(4000, 3000, 500_000);
    await expect(
      preparePhoto(fileOf(1000, '会议.pdf', 'application/pdf'), LIMIT, { shrink: true }, ops),
    ).rejects.toThrow(/不是照片.*20 MB/);
    // Not decodable here (HEIC in Chrome) and over the limit.
    const heic = fakeOps(0, 0, 0);
    const e = await preparePhoto(fileOf(30 * MB, 'a.heic', 'image/heic'), LIMIT, { shrink: true }, heic.ops).catch(
      (x) => x,
    );
    expect(e).toBeInstanceOf(PhotoRefused);
    expect(e.message).toBe('a.heic 有 30 MB，超过照片上限 20 MB，且无法在手机上缩小，请选择较小的照片');
    // Not decodable but within the limit: sent, the server decides.
    const f = fileOf(3 * MB, 'b.heic', 'image/heic');
    expect((await preparePhoto(f, LIMIT, { shrink: true }, heic.ops)).blob).toBe(f);
    // Shrunk and still over a county's small limit.
    await expect(preparePhoto(fileOf(5 * MB), 0.3 * MB, { shrink: true }, ops)).rejects.toThrow(/上限 0.3 MB/);
  });

  it('with shrinking off, the original goes and only the limit is checked', async () => {
    const { ops, log } = fakeOps(4000, 3000, 500_000, '2026-11-05T09:12:00+08:00');
    const f = fileOf(5 * MB);
    const p = await preparePhoto(f, LIMIT, { shrink: false }, ops);
    expect(p.blob).toBe(f);
    expect(p.capturedAt).toBe('2026-11-05T09:12:00+08:00');
    expect(log).toEqual(['exif']);
    await expect(preparePhoto(fileOf(21 * MB), LIMIT, { shrink: false }, ops)).rejects.toThrow(PhotoRefused);
  });

  it('reads the capture time from a real JPEG, Beijing time when the camera wrote no offset', async () => {
    const jpeg = async (exif: Record<string, string>) =>
      sharp({ create: { width: 64, height: 48, channels: 3, background: '#c33' } })
        .jpeg()
        .withExif({ IFD0: { Make: 'TestPhone' }, IFD2: exif } as never)
        .toBuffer();
    const plain = await jpeg({ DateTimeOriginal: '2026:11:05 09:12:30' });
    expect(await readCaptureTime(new Blob([new Uint8Array(plain)]))).toBe('2026-11-05T09:12:30+08:00');
    const withOffset = await jpeg({ DateTimeOriginal: '2026:11:05 09:12:30', OffsetTimeOriginal: '+00:00' });
    expect(await readCaptureTime(new Blob([new Uint8Array(withOffset)]))).toBe('2026-11-05T09:12:30+00:00');
    const none = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } })
      .jpeg()
      .toBuffer();
    expect(await readCaptureTime(new Blob([new Uint8Array(none)])).catch(() => undefined)).toBeUndefined();
    expect(exifToIso('0000:00:00 00:00:00')).toBeUndefined();
  });
});
