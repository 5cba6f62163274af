// Which regions go out as JPEG: large photo-like ones only; desktop content stays PNG.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { JPEG_MIN_AREA, looksPhotographic } from '../../src-main/display/image/classify';
import { encodeJpeg, jpegAvailable, loadJpegEncoder } from '../../src-main/display/image/jpeg-encoder';

function picture(width: number, height: number, pixel: (x: number, y: number) => [number, number, number]): Buffer {
  const b = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, bl] = pixel(x, y);
      b.set([r, g, bl, 0], (y * width + x) * 4);
    }
  }
  return b;
}

let seed = 1;
const noise = (): number => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return (seed >> 16) % 21 - 10;
};
const clamp = (v: number): number => Math.max(0, Math.min(255, v | 0));
const photo = (w: number, h: number): Buffer =>
  picture(w, h, (x, y) => [clamp((x * 255) / w + noise()), clamp((y * 255) / h + noise()), clamp(128 + 60 * Math.sin((x + y) / 20) + noise())]);

describe('photographic region test', () => {
  it('says yes for a large noisy gradient, no when it is small', () => {
    assert.equal(looksPhotographic({ data: photo(200, 150), width: 200, height: 150 }), true);
    assert.equal(looksPhotographic({ data: photo(60, 60), width: 60, height: 60 }), false, `below ${JPEG_MIN_AREA} px`);
  });

  it('says no for text on a plain background, flat colours and a two-colour pattern', () => {
    const text = picture(400, 200, (x, y) => ((x * 7 + y * 3) % 11 < 2 && y % 13 < 10 ? [230, 230, 230] : [0, 0, 0]));
    assert.equal(looksPhotographic({ data: text, width: 400, height: 200 }), false);
    assert.equal(looksPhotographic({ data: picture(300, 300, () => [10, 20, 30]), width: 300, height: 300 }), false);
    const checker = picture(300, 300, (x, y) => ((x + y) % 2 ? [255, 0, 0] : [0, 0, 255]));
    assert.equal(looksPhotographic({ data: checker, width: 300, height: 300 }), false, 'few colours');
  });

  it('reads a region of a larger buffer (stride and offset)', () => {
    const big = photo(400, 300);
    assert.equal(looksPhotographic({ data: big, width: 200, height: 100, stride: 400 * 4, offset: (50 * 400 + 100) * 4 }), true);
  });
});

describe('JPEG encoder (sharp)', () => {
  it('encodes R,G,B,X pixels (X = 0) off the event loop, close to the source', async () => {
    assert.equal(await loadJpegEncoder(), true);
    assert.equal(jpegAvailable(), true);
    const w = 160;
    const h = 120;
    const src = photo(w, h);
    const jpeg = await encodeJpeg({ data: src, width: w, height: h });
    assert.deepEqual([...jpeg.subarray(0, 2)], [0xff, 0xd8]);
    const { data, info } = await sharp(jpeg).raw().toBuffer({ resolveWithObject: true });
    assert.deepEqual([info.width, info.height, info.channels], [w, h, 3]);
    let err = 0;
    for (let p = 0; p < w * h; p++) for (let k = 0; k < 3; k++) err += Math.abs(data[p * 3 + k]! - src[p * 4 + k]!);
    assert.ok(err / (w * h * 3) < 8, `mean abs error ${(err / (w * h * 3)).toFixed(2)}`);
  });
});
