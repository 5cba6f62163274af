// Cursor pseudo-encoding (-239): x,y is the hotspot; the body is width*height pixels, then a
// 1-bit mask (rows padded to whole bytes, most significant bit first) saying which are opaque.
import { Encoding } from '../encodings';
import { RfbProtocolError } from '../errors';
import { assertRgbx } from './bounds';
import { RectDecoder } from './decoder';

/** X11 cursors are small; anything bigger is a broken or hostile server. */
const MAX_CURSOR = 256;

export const cursorDecoder: RectDecoder = {
  encoding: Encoding.Cursor,
  decode(h, q, ctx) {
    assertRgbx(ctx, 'Cursor');
    const { width, height } = h;
    if (width > MAX_CURSOR || height > MAX_CURSOR) throw new RfbProtocolError(`cursor of ${width}x${height} is too large`);
    const maskRow = (width + 7) >> 3;
    const size = width * height * 4 + maskRow * height;
    if (q.length < size) return null;
    const body = q.read(size);
    const rgba = Buffer.alloc(width * height * 4);
    const maskStart = width * height * 4;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = (y * width + x) * 4;
        const opaque = (body[maskStart + y * maskRow + (x >> 3)]! >> (7 - (x & 7))) & 1;
        if (!opaque) continue;
        rgba[i] = body[i]!;
        rgba[i + 1] = body[i + 1]!;
        rgba[i + 2] = body[i + 2]!;
        rgba[i + 3] = 255;
      }
    }
    const hotX = Math.min(h.x, Math.max(0, width - 1));
    const hotY = Math.min(h.y, Math.max(0, height - 1));
    return { kind: 'cursor', hotX, hotY, width, height, rgba };
  },
};
