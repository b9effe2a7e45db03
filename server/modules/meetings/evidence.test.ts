/** The decode budget of uploaded pictures (issue 15): real phone photos pass, decompression bombs are refused from their header. */
import { describe, expect, it } from 'vitest';
import { decodeRefusal } from './evidence.ts';

const jpeg = (width: number, height: number, isProgressive = false) => ({
  format: 'jpeg',
  width,
  height,
  channels: 3,
  depth: 'uchar',
  isProgressive,
});

describe('decodeRefusal', () => {
  it('passes the photos phones take', () => {
    expect(decodeRefusal(jpeg(4032, 3024), false)).toBeNull();
    expect(decodeRefusal(jpeg(3024, 4032, true), false)).toBeNull();
    expect(decodeRefusal(jpeg(8160, 6120), false)).toBeNull();
    expect(decodeRefusal(jpeg(8000, 6000), false)).toBeNull();
    expect(
      decodeRefusal(
        { format: 'png', width: 1290, height: 2796, channels: 4, depth: 'uchar', isProgressive: false },
        false,
      ),
    ).toBeNull();
    expect(
      decodeRefusal({ format: 'gif', width: 480, height: 480, pages: 100, channels: 4, depth: 'uchar' }, true),
    ).toBeNull();
  });

  it('refuses a progressive JPEG above 4096×4096 with a Chinese way out', () => {
    const m = decodeRefusal(jpeg(9990, 9990, true), false);
    expect(m).toContain('9990×9990');
    expect(m).toContain('渐进式');
    expect(m).toContain('请在手机上缩小后重新上传');
    expect(decodeRefusal(jpeg(4032, 4200, true), false)).not.toBeNull();
  });

  it('refuses by decoded bytes: more pixels, 16-bit samples, all frames of an animation', () => {
    expect(decodeRefusal(jpeg(9990, 9990), false)).toContain('超出可处理的上限');
    expect(
      decodeRefusal({ format: 'png', width: 8000, height: 6000, channels: 4, depth: 'uchar' }, false),
    ).not.toBeNull();
    expect(decodeRefusal({ format: 'png', width: 6000, height: 4000, channels: 3, depth: 'ushort' }, false)).toBeNull();
    expect(
      decodeRefusal({ format: 'png', width: 7000, height: 5000, channels: 3, depth: 'ushort' }, false),
    ).not.toBeNull();
    const gif = { format: 'gif', width: 1600, height: 1600, pageHeight: 1600, pages: 24, channels: 4, depth: 'uchar' };
    expect(decodeRefusal(gif, true)).toContain('共 24 帧');
    // Only the first frame of a WebP animation is decoded.
    expect(
      decodeRefusal({ format: 'webp', width: 2000, height: 2000, pages: 40, channels: 4, depth: 'uchar' }, false),
    ).toBeNull();
    expect(decodeRefusal({ format: 'webp', width: 8160, height: 6120, channels: 3, depth: 'uchar' }, false)).toContain(
      'WEBP',
    );
  });

  it('leaves a header without a size to the decoder (refused there as undecodable)', () => {
    expect(decodeRefusal({ format: 'jpeg' }, false)).toBeNull();
  });
});
