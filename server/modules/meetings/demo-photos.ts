/**
 * Photos for the demo county's meeting records: drawn, not downloaded (a meeting room with its red
 * banner, a table and the people round it), in the colours and framing of a phone photo, with the
 * EXIF capture time a phone writes. Deterministic for the same seed.
 */
import sharp from 'sharp';
import { Rng } from '../seed/api.ts';

/** A JPEG of about 800×600 with EXIF DateTimeOriginal `takenAt` ('YYYY-MM-DD HH:MM', Shanghai time). */
export async function demoPhoto(seed: string, takenAt: string): Promise<Buffer> {
  const rng = new Rng(`photo:${seed}`);
  const w = 1280;
  const h = 960;
  const wall = rng.pick(['#e9e4d8', '#dfe6e9', '#efe9dd', '#e6e0d0']);
  const floor = rng.pick(['#b08d6a', '#9c8062', '#a7a29a']);
  const people: string[] = [];
  const n = rng.int(6, 14);
  for (let i = 0; i < n; i++) {
    const x = 120 + (i * (w - 240)) / Math.max(1, n - 1) + rng.int(-20, 20);
    const y = 560 + (i % 2) * 70 + rng.int(-10, 10);
    const shirt = rng.pick(['#2f3e56', '#3b3b3b', '#f2f2f2', '#5a6b7d', '#7a2e2e', '#2e5a4a']);
    people.push(`<ellipse cx="${x}" cy="${y + 110}" rx="48" ry="80" fill="${shirt}"/>`);
    people.push(`<circle cx="${x}" cy="${y}" r="34" fill="#e0b894"/>`);
    people.push(`<path d="M${x - 34} ${y - 6} Q${x} ${y - 52} ${x + 34} ${y - 6} Z" fill="#1c1c1c"/>`);
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="800" height="600" viewBox="0 0 ${w} ${h}">
    <rect width="${w}" height="${h}" fill="${wall}"/>
    <rect y="${h * 0.72}" width="${w}" height="${h * 0.28}" fill="${floor}"/>
    <rect x="${w * 0.12}" y="70" width="${w * 0.76}" height="120" fill="#c8161d"/>
    <rect x="${w * 0.12 + 40}" y="112" width="${w * 0.76 - 80}" height="36" fill="#f5d27a" opacity="0.85"/>
    <circle cx="${w / 2}" cy="270" r="46" fill="#c8161d"/><circle cx="${w / 2}" cy="270" r="30" fill="#f5d27a"/>
    ${people.join('')}
    <rect x="80" y="${h * 0.7}" width="${w - 160}" height="60" rx="8" fill="#6b4a2f"/>
  </svg>`;
  // A little noise and blur, as a phone camera gives: keeps the perceptual hash of each photo its own.
  const noise = await sharp({
    create: {
      width: 800,
      height: 600,
      channels: 3,
      background: '#808080',
      noise: { type: 'gaussian', mean: 128, sigma: 12 },
    },
  })
    .png()
    .toBuffer();
  const exifTime = `${takenAt.replace(/-/g, ':')}:${String(rng.int(0, 59)).padStart(2, '0')}`;
  return sharp(Buffer.from(svg))
    .composite([{ input: noise, blend: 'soft-light' }])
    .blur(0.6)
    .jpeg({ quality: 82 })
    .withExif({ IFD0: { Make: 'HUAWEI', Model: 'Mate 60' }, IFD2: { DateTimeOriginal: exifTime } } as never)
    .toBuffer();
}
