// Raw (0): width*height pixels, row by row, in the negotiated pixel format.
import { Encoding } from '../encodings';
import { RfbProtocolError } from '../errors';
import { bytesPerPixel } from '../pixel-format';
import { assertInside } from './bounds';
import { RectDecoder } from './decoder';

export const rawDecoder: RectDecoder = {
  encoding: Encoding.Raw,
  decode(h, q, ctx) {
    const bpp = bytesPerPixel(ctx.pixelFormat);
    if (bpp !== 4) throw new RfbProtocolError(`Raw decoder expects 32 bpp, got ${ctx.pixelFormat.bitsPerPixel}`);
    assertInside(h, ctx);
    const size = h.width * h.height * bpp;
    if (q.length < size) return null;
    return { kind: 'pixels', x: h.x, y: h.y, width: h.width, height: h.height, data: q.read(size) };
  },
};
