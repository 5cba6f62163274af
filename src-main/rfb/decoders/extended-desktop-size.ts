// ExtendedDesktopSize pseudo-encoding (-308): the new size plus the screen layout.
// x = reason (0 server, 1 this client asked, 2 another client asked), y = status of a
// request (0 ok, 1 prohibited, 2 out of resources, 3 invalid layout).
import { Encoding } from '../encodings';
import { RfbProtocolError } from '../errors';
import { checkFramebufferSize } from '../limits';
import { RectDecoder, Screen } from './decoder';

export const extendedDesktopSizeDecoder: RectDecoder = {
  encoding: Encoding.ExtendedDesktopSize,
  decode(h, q, ctx) {
    if (h.width === 0 || h.height === 0) throw new RfbProtocolError('ExtendedDesktopSize with an empty framebuffer');
    checkFramebufferSize(h.width, h.height, 'ExtendedDesktopSize');
    if (q.length < 4) return null;
    const count = q.peekU8(0);
    if (q.length < 4 + 16 * count) return null;
    q.skip(4);
    const screens: Screen[] = [];
    for (let i = 0; i < count; i++) {
      const b = q.read(16);
      screens.push({
        id: b.readUInt32BE(0),
        x: b.readUInt16BE(4),
        y: b.readUInt16BE(6),
        width: b.readUInt16BE(8),
        height: b.readUInt16BE(10),
        flags: b.readUInt32BE(12),
      });
    }
    ctx.width = h.width;
    ctx.height = h.height;
    return { kind: 'resize', width: h.width, height: h.height, extended: { reason: h.x, status: h.y, screens } };
  },
};
