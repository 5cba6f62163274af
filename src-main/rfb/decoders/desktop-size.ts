// DesktopSize pseudo-encoding (-223): no body; the rect's width/height are the new size.
import { Encoding } from '../encodings';
import { RfbProtocolError } from '../errors';
import { checkFramebufferSize } from '../limits';
import { RectDecoder } from './decoder';

export const desktopSizeDecoder: RectDecoder = {
  encoding: Encoding.DesktopSize,
  decode(h, _q, ctx) {
    if (h.width === 0 || h.height === 0) throw new RfbProtocolError('DesktopSize with an empty framebuffer');
    checkFramebufferSize(h.width, h.height, 'DesktopSize');
    ctx.width = h.width;
    ctx.height = h.height;
    return { kind: 'resize', width: h.width, height: h.height };
  },
};
