/**
 * Photos shrunk on the phone before they are sent (issue 18 §2): a phone's 5 MB photo took about a
 * minute at 750 kbps, a 30 MB one was refused by the server only after 70 s of upload. A photo is made
 * at most PHOTO_MAX_EDGE pixels on its long edge, as a JPEG at PHOTO_QUALITY (about 0.5 MB from 5 MB),
 * with the camera's orientation applied; one already small and within bounds is kept as it is.
 *
 * The capture time is read from the original's EXIF *before* shrinking (the canvas writes no EXIF) and
 * sent with the upload as the `capturedAt` field: the server's anti-fake check (capture date against the
 * meeting's date) needs it, and uses it only when the file has no EXIF time of its own.
 *
 * The size is checked when the photo is picked: a file that is not a picture, or one that cannot be
 * shrunk below the county's limit, is refused at once (PhotoRefused, a Chinese message naming the limit).
 * The decoding and encoding are behind `PhotoOps` so the rules are unit-tested without a browser.
 */

export const PHOTO_MAX_EDGE = 2560;
export const PHOTO_QUALITY = 0.85;
/** A JPEG, PNG or WebP this small whose long edge is within PHOTO_MAX_EDGE is sent as it is. */
export const PHOTO_SMALL_BYTES = 1024 * 1024;
/** The flag that turns shrinking off (bench/phone.ts measures the upload without it): localStorage[key] = 'off'. */
export const PHOTO_SHRINK_FLAG = 'dangjian.photoShrink';

/** A photo the form will not keep, with the reason to show. */
export class PhotoRefused extends Error {}

export interface PreparedPhoto {
  blob: Blob;
  name: string;
  type: string;
  /** The capture time from the original's EXIF, ISO 8601 with its offset; absent when it has none. */
  capturedAt?: string;
  originalSize: number;
  shrunk: boolean;
}

/** A decoded picture, upright (EXIF orientation applied), ready to be drawn smaller. */
export interface DecodedPhoto {
  width: number;
  height: number;
  /** A JPEG of the picture at width × height. */
  encode(width: number, height: number, quality: number): Promise<Blob>;
  close(): void;
}

export interface PhotoOps {
  /** The EXIF capture time as an ISO instant, or undefined. */
  captureTime(file: Blob): Promise<string | undefined>;
  /** The decoded picture, or null when this browser cannot decode it (HEIC in Chrome, a damaged file). */
  decode(file: Blob): Promise<DecodedPhoto | null>;
}

const mb = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
const KEPT_AS_IS = new Set(['image/jpeg', 'image/png', 'image/webp']);
const IMAGE_NAME = /\.(jpe?g|png|webp|gif|heic|heif|bmp|avif)$/i;

/** Is shrinking on (the default)? */
export function photoShrinkOn(): boolean {
  try {
    return globalThis.localStorage?.getItem(PHOTO_SHRINK_FLAG) !== 'off';
  } catch {
    return true;
  }
}

/**
 * What is kept of a picked photo: the original or a smaller JPEG, with its capture time. Throws
 * PhotoRefused when it is not a picture or cannot be made to fit `maxBytes`.
 */
export async function preparePhoto(
  file: File,
  maxBytes: number,
  opts: { shrink: boolean } = { shrink: true },
  ops: PhotoOps = browserPhotoOps,
): Promise<PreparedPhoto> {
  const limit = mb(maxBytes);
  const name = file.name || '照片.jpg';
  // Some pickers give no type: the name then says whether it is a picture; the decoder has the last word.
  if (file.type ? !file.type.startsWith('image/') : !IMAGE_NAME.test(name))
    throw new PhotoRefused(`${name} 不是照片，只能选择照片（JPEG、PNG 等，每张不超过 ${limit}）`);
  // First, from the original: the shrunk copy has no EXIF.
  const capturedAt = await ops.captureTime(file).catch(() => undefined);
  const original: PreparedPhoto = {
    blob: file,
    name,
    type: file.type || 'image/jpeg',
    capturedAt,
    originalSize: file.size,
    shrunk: false,
  };
  const tooLarge = () =>
    new PhotoRefused(`${name} 有 ${mb(file.size)}，超过照片上限 ${limit}，且无法在手机上缩小，请选择较小的照片`);
  // An animated GIF would lose its frames on a canvas: kept as it is.
  if (!opts.shrink || file.type === 'image/gif') {
    if (file.size > maxBytes) throw tooLarge();
    return original;
  }
  const pic = await ops.decode(file).catch(() => null);
  if (!pic) {
    // Not decodable here (HEIC in Chrome): sent as it is when it fits; the server decides (and explains HEIC).
    if (file.size > maxBytes) throw tooLarge();
    return original;
  }
  try {
    const long = Math.max(pic.width, pic.height);
    if (long <= PHOTO_MAX_EDGE && file.size <= Math.min(PHOTO_SMALL_BYTES, maxBytes) && KEPT_AS_IS.has(file.type))
      return original;
    const scale = Math.min(1, PHOTO_MAX_EDGE / long);
    const w = Math.max(1, Math.round(pic.width * scale));
    const h = Math.max(1, Math.round(pic.height * scale));
    const blob = await pic.encode(w, h, PHOTO_QUALITY);
    // Re-encoding a picture already within bounds made it larger: the original goes (when it fits).
    if (long <= PHOTO_MAX_EDGE && blob.size >= file.size && file.size <= maxBytes && KEPT_AS_IS.has(file.type))
      return original;
    if (blob.size > maxBytes) throw tooLarge();
    return {
      blob,
      name: `${name.replace(/\.[^.]*$/, '')}.jpg`,
      type: 'image/jpeg',
      capturedAt,
      originalSize: file.size,
      shrunk: true,
    };
  } finally {
    pic.close();
  }
}

/**
 * An EXIF local time ("2026:03:02 10:00:00", optional offset "+08:00") as an ISO instant: without an
 * offset it is Beijing time, as the server reads the file's own tag (meetings/image-hash.ts exifInstant).
 */
export function exifToIso(local: unknown, offset?: unknown): string | undefined {
  if (typeof local !== 'string') return undefined;
  const m = /^(\d{4})[:-](\d{2})[:-](\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(local.trim());
  if (!m || Number(m[1]) < 1990) return undefined;
  const off = typeof offset === 'string' && /^[+-]\d{2}:\d{2}$/.test(offset.trim()) ? offset.trim() : '+08:00';
  const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${off}`;
  return Number.isFinite(Date.parse(iso)) ? iso : undefined;
}

/** The EXIF capture time of a picture (its first 256 KB: EXIF sits at the start of a JPEG). */
export async function readCaptureTime(file: Blob): Promise<string | undefined> {
  const { default: exifr } = await import('exifr');
  const head = new Uint8Array(await file.slice(0, 256 * 1024).arrayBuffer());
  const tags = (await exifr.parse(head, {
    pick: ['DateTimeOriginal', 'OffsetTimeOriginal', 'CreateDate', 'OffsetTime'],
    reviveValues: false,
  })) as Record<string, unknown> | undefined;
  if (!tags) return undefined;
  return exifToIso(tags.DateTimeOriginal, tags.OffsetTimeOriginal) ?? exifToIso(tags.CreateDate, tags.OffsetTime);
}

async function canvasJpeg(source: CanvasImageSource, width: number, height: number, quality: number): Promise<Blob> {
  if (typeof OffscreenCanvas !== 'undefined') {
    const c = new OffscreenCanvas(width, height);
    const g = c.getContext('2d');
    if (!g) throw new Error('no 2d context');
    g.imageSmoothingQuality = 'high';
    g.drawImage(source, 0, 0, width, height);
    return c.convertToBlob({ type: 'image/jpeg', quality });
  }
  const c = document.createElement('canvas');
  c.width = width;
  c.height = height;
  const g = c.getContext('2d');
  if (!g) throw new Error('no 2d context');
  g.imageSmoothingQuality = 'high';
  g.drawImage(source, 0, 0, width, height);
  return new Promise((resolve, reject) =>
    c.toBlob((b) => (b ? resolve(b) : reject(new Error('toBlob failed'))), 'image/jpeg', quality),
  );
}

/** The browser's decoder: createImageBitmap with the EXIF orientation applied, else an <img> (upright by CSS default). */
export const browserPhotoOps: PhotoOps = {
  captureTime: readCaptureTime,
  async decode(file) {
    try {
      const bmp = await createImageBitmap(file, { imageOrientation: 'from-image' });
      return {
        width: bmp.width,
        height: bmp.height,
        encode: (w, h, q) => canvasJpeg(bmp, w, h, q),
        close: () => bmp.close(),
      };
    } catch {
      /* an older browser: an <img> below */
    }
    if (typeof Image === 'undefined') return null;
    const url = URL.createObjectURL(file);
    try {
      const img = new Image();
      img.src = url;
      await img.decode();
      return {
        width: img.naturalWidth,
        height: img.naturalHeight,
        encode: (w, h, q) => canvasJpeg(img, w, h, q),
        close: () => URL.revokeObjectURL(url),
      };
    } catch {
      URL.revokeObjectURL(url);
      return null;
    }
  },
};
