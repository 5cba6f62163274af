import { RfbProtocolError } from '../errors';
import { bytesPerPixel } from '../pixel-format';
import { DecodeContext, RectHeader } from './decoder';

/** A rect outside the framebuffer means we lost sync (or the server is broken). */
export function assertInside(h: RectHeader, ctx: DecodeContext): void {
  if (h.x + h.width > ctx.width || h.y + h.height > ctx.height) {
    throw new RfbProtocolError(
      `rect ${h.width}x${h.height}+${h.x}+${h.y} outside ${ctx.width}x${ctx.height} framebuffer`,
    );
  }
}

/** Decoders write R,G,B,X: only the 32 bpp true-colour format we ask for is accepted. */
export function assertRgbx(ctx: DecodeContext, what: string): void {
  const f = ctx.pixelFormat;
  if (bytesPerPixel(f) !== 4 || !f.trueColour || f.bigEndian || f.redShift !== 0 || f.greenShift !== 8 || f.blueShift !== 16) {
    throw new RfbProtocolError(`${what} decoder expects the 32 bpp RGBX pixel format`);
  }
}
