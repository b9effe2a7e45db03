/** The first bytes of every file kind the platform accepts, and of some it must refuse, made here (no binary fixtures). */
import zlib from 'node:zlib';

const pad = (head: Buffer, total = 2048) => Buffer.concat([head, Buffer.alloc(Math.max(0, total - head.length), 0x5a)]);

/** An ISO base media `ftyp` box with its major and compatible brands, then an `mdat` box. */
export function ftyp(major: string, ...compatible: string[]): Buffer {
  const box = Buffer.alloc(16 + 4 * compatible.length);
  box.writeUInt32BE(box.length, 0);
  box.write('ftyp', 4, 'latin1');
  box.write(major, 8, 'latin1');
  compatible.forEach((b, i) => {
    box.write(b, 16 + 4 * i, 'latin1');
  });
  const mdat = Buffer.alloc(8);
  mdat.writeUInt32BE(2048, 0);
  mdat.write('mdat', 4, 'latin1');
  return pad(Buffer.concat([box, mdat]));
}

/** A zip of stored entries, with a central directory (enough for the sniffer and for unzip). */
export function zipOf(entries: { name: string; data: Buffer | string }[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const data = Buffer.from(e.data);
    const name = Buffer.from(e.name, 'utf8');
    const crc = zlib.crc32(data) >>> 0;
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0);
    lh.writeUInt16LE(20, 4);
    lh.writeUInt32LE(crc, 14);
    lh.writeUInt32LE(data.length, 18);
    lh.writeUInt32LE(data.length, 22);
    lh.writeUInt16LE(name.length, 26);
    locals.push(lh, name, data);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0);
    ch.writeUInt16LE(20, 4);
    ch.writeUInt16LE(20, 6);
    ch.writeUInt32LE(crc, 16);
    ch.writeUInt32LE(data.length, 20);
    ch.writeUInt32LE(data.length, 24);
    ch.writeUInt16LE(name.length, 28);
    ch.writeUInt32LE(offset, 42);
    central.push(ch, name);
    offset += 30 + name.length + data.length;
  }
  const cd = Buffer.concat(central);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(entries.length, 8);
  eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}

const CONTENT_TYPES =
  '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>';

/** One sample per accepted kind. */
export const SAMPLES = {
  jpeg: pad(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0', 'latin1')])),
  png: pad(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
      Buffer.from('IHDR', 'latin1'),
    ]),
  ),
  gif: pad(Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1')),
  webp: pad(Buffer.from('RIFF\x00\x08\x00\x00WEBPVP8 ', 'latin1')),
  heic: ftyp('heic', 'mif1', 'heic'),
  heif: ftyp('mif1', 'mif1', 'miaf'),
  mp4: ftyp('isom', 'isom', 'iso2', 'avc1', 'mp41'),
  mov: ftyp('qt  ', 'qt  '),
  pdf: pad(Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n', 'latin1')),
  xlsx: zipOf([
    { name: '[Content_Types].xml', data: CONTENT_TYPES },
    { name: '_rels/.rels', data: '<Relationships/>' },
    { name: 'xl/workbook.xml', data: '<workbook/>' },
  ]),
  docx: zipOf([
    { name: '[Content_Types].xml', data: CONTENT_TYPES },
    { name: '_rels/.rels', data: '<Relationships/>' },
    { name: 'word/document.xml', data: '<w:document/>' },
  ]),
  zip: zipOf([{ name: 'readme.txt', data: 'hello' }]),
} as const;

/** Files that must be refused whatever their name says. */
export const HOSTILE = {
  /** A Windows executable renamed photo.jpg. */
  exe: pad(Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00', 'latin1')),
  /** An HTML page renamed photo.jpg (a stored XSS if it were ever served inline). */
  html: Buffer.from('<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>'),
  /** SVG is an image to a browser and a script carrier too. */
  svg: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
  /** An ELF binary. */
  elf: pad(Buffer.from('\x7fELF\x02\x01\x01\x00', 'latin1')),
  /** AVIF shares HEIF's container but is not on the list. */
  avif: ftyp('avif', 'mif1', 'avif', 'miaf'),
  /** A JPEG signature behind a few bytes of something else is not a JPEG. */
  shiftedJpeg: pad(Buffer.concat([Buffer.from('xx'), Buffer.from([0xff, 0xd8, 0xff, 0xe0])])),
};
