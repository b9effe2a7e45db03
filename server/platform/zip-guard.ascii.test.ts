/** XML parts re-encoded as ASCII: no character is ever cut, however the bytes arrive. */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { AsciiXml, wholeUtf8Length } from './zip-guard.ts';

async function through(chunks: Buffer[]): Promise<string> {
  const out: Buffer[] = [];
  for await (const c of Readable.from(chunks).pipe(new AsciiXml())) out.push(c as Buffer);
  return Buffer.concat(out).toString('latin1');
}

describe('AsciiXml', () => {
  const xml = '<si><t>张三丰 𠀋 ü</t></si>';
  const bytes = Buffer.from(xml, 'utf8');

  it('writes only ASCII, with every other character as a character reference', async () => {
    const out = await through([bytes]);
    expect(out).toBe('<si><t>&#x5f20;&#x4e09;&#x4e30; &#x2000b; &#xfc;</t></si>');
    expect(/[^\p{ASCII}]/u.test(out)).toBe(false);
  });

  it('gives the same output whatever the chunk boundaries, even one byte at a time', async () => {
    const whole = await through([bytes]);
    for (let cut = 1; cut < bytes.length; cut++)
      expect(await through([bytes.subarray(0, cut), bytes.subarray(cut)]), `cut at ${cut}`).toBe(whole);
    expect(await through([...bytes].map((b) => Buffer.from([b])))).toBe(whole);
  });

  it('drops a leading byte-order mark, however the bytes arrive, and keeps one elsewhere as a reference', async () => {
    const withBom = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from('<?xml version="1.0"?><t>\ufeff中</t>', 'utf8'),
    ]);
    const want = '<?xml version="1.0"?><t>&#xfeff;&#x4e2d;</t>';
    expect(await through([withBom])).toBe(want);
    for (let cut = 1; cut < 5; cut++)
      expect(await through([withBom.subarray(0, cut), withBom.subarray(cut)]), `cut at ${cut}`).toBe(want);
    expect(await through([...withBom].map((b) => Buffer.from([b])))).toBe(want);
  });

  it('finds the last whole character of a buffer', () => {
    const zhong = Buffer.from('中', 'utf8'); // 3 bytes
    expect(wholeUtf8Length(Buffer.concat([Buffer.from('a'), zhong.subarray(0, 2)]))).toBe(1);
    expect(wholeUtf8Length(Buffer.concat([Buffer.from('a'), zhong]))).toBe(4);
    expect(wholeUtf8Length(Buffer.from('𠀋', 'utf8').subarray(0, 3))).toBe(0);
    expect(wholeUtf8Length(Buffer.from('abc'))).toBe(3);
  });
});
