// Client-to-server RFB messages (rfbproto "Client to Server Messages").
import type { Screen } from './decoders';
import { encodePixelFormat, PixelFormat } from './pixel-format';

export function setPixelFormat(format: PixelFormat): Buffer {
  return Buffer.concat([Buffer.from([0, 0, 0, 0]), encodePixelFormat(format)]);
}

export function setEncodings(encodings: readonly number[]): Buffer {
  const b = Buffer.alloc(4 + 4 * encodings.length);
  b.writeUInt8(2, 0);
  b.writeUInt16BE(encodings.length, 2);
  encodings.forEach((e, i) => b.writeInt32BE(e, 4 + 4 * i));
  return b;
}

export function framebufferUpdateRequest(incremental: boolean, x: number, y: number, w: number, h: number): Buffer {
  const b = Buffer.alloc(10);
  b.writeUInt8(3, 0);
  b.writeUInt8(incremental ? 1 : 0, 1);
  b.writeUInt16BE(x, 2);
  b.writeUInt16BE(y, 4);
  b.writeUInt16BE(w, 6);
  b.writeUInt16BE(h, 8);
  return b;
}

/** X11 keysyms are what RFB expects, so Guacamole keysyms pass straight through. */
export function keyEvent(down: boolean, keysym: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt8(4, 0);
  b.writeUInt8(down ? 1 : 0, 1);
  b.writeUInt32BE(keysym >>> 0, 4);
  return b;
}

/** Button mask bits: 1 left, 2 middle, 4 right, 8 wheel up, 16 wheel down (same as Guacamole). */
export function pointerEvent(buttonMask: number, x: number, y: number): Buffer {
  const b = Buffer.alloc(6);
  b.writeUInt8(5, 0);
  b.writeUInt8(buttonMask & 0xff, 1);
  b.writeUInt16BE(clampU16(x), 2);
  b.writeUInt16BE(clampU16(y), 4);
  return b;
}

/** RFB cut text is Latin-1; `body` is already encoded (see clipboard-encoding). */
export function clientCutText(body: Buffer): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt8(6, 0);
  b.writeUInt32BE(body.length, 4);
  return Buffer.concat([b, body]);
}

function clampU16(v: number): number {
  return Math.max(0, Math.min(0xffff, Math.trunc(v) || 0));
}

/** SetDesktopSize (251, ExtendedDesktopSize extension): the new size and screen layout. */
export function setDesktopSize(width: number, height: number, screens: readonly Screen[]): Buffer {
  const b = Buffer.alloc(8 + 16 * screens.length);
  b.writeUInt8(251, 0);
  b.writeUInt16BE(width, 2);
  b.writeUInt16BE(height, 4);
  b.writeUInt8(screens.length, 6);
  screens.forEach((s, i) => {
    const o = 8 + 16 * i;
    b.writeUInt32BE(s.id >>> 0, o);
    b.writeUInt16BE(s.x, o + 4);
    b.writeUInt16BE(s.y, o + 6);
    b.writeUInt16BE(s.width, o + 8);
    b.writeUInt16BE(s.height, o + 10);
    b.writeUInt32BE(s.flags >>> 0, o + 12);
  });
  return b;
}
