import { RfbProtocolError } from '../errors';
import { DecodeContext, RectHeader } from './decoder';

/** A rect outside the framebuffer means we lost sync (or the server is broken). */
export function assertInside(h: RectHeader, ctx: DecodeContext): void {
  if (h.x + h.width > ctx.width || h.y + h.height > ctx.height) {
    throw new RfbProtocolError(
      `rect ${h.width}x${h.height}+${h.x}+${h.y} outside ${ctx.width}x${ctx.height} framebuffer`,
    );
  }
}
