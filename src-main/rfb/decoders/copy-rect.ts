// CopyRect (1): the body is just the source position (u16 x, u16 y).
import { Encoding } from '../encodings';
import { assertInside } from './bounds';
import { RectDecoder } from './decoder';

export const copyRectDecoder: RectDecoder = {
  encoding: Encoding.CopyRect,
  decode(h, q, ctx) {
    assertInside(h, ctx);
    if (q.length < 4) return null;
    const srcX = q.readU16();
    const srcY = q.readU16();
    assertInside({ ...h, x: srcX, y: srcY }, ctx);
    return { kind: 'copy', x: h.x, y: h.y, width: h.width, height: h.height, srcX, srcY };
  },
};
