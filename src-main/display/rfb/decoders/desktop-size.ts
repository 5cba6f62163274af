// DesktopSize pseudo-encoding (-223): no body; the rect's width/height are the new size.
import { Encoding } from '../encodings';
import { RectDecoder } from './decoder';

export const desktopSizeDecoder: RectDecoder = {
  encoding: Encoding.DesktopSize,
  decode(h, _q, ctx) {
    ctx.width = h.width;
    ctx.height = h.height;
    return { kind: 'resize', width: h.width, height: h.height };
  },
};
