// Raw (0): width*height pixels, row by row, in the negotiated pixel format.
import { Encoding } from '../encodings';
import { assertInside, assertRgbx } from './bounds';
import { RectDecoder } from './decoder';

export const rawDecoder: RectDecoder = {
  encoding: Encoding.Raw,
  decode(h, q, ctx) {
    assertRgbx(ctx, 'Raw');
    assertInside(h, ctx);
    const size = h.width * h.height * 4;
    if (q.length < size) return null;
    return { kind: 'pixels', x: h.x, y: h.y, width: h.width, height: h.height, data: q.read(size) };
  },
};
