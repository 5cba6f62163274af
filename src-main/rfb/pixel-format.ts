// RFB PIXEL_FORMAT (16 bytes on the wire).

export interface PixelFormat {
  bitsPerPixel: number;
  depth: number;
  bigEndian: boolean;
  trueColour: boolean;
  redMax: number;
  greenMax: number;
  blueMax: number;
  redShift: number;
  greenShift: number;
  blueShift: number;
}

/**
 * 32 bpp little-endian with red in the lowest byte: pixels arrive in memory as R,G,B,X,
 * so a framebuffer becomes RGBA by setting every fourth byte to 255.
 */
export const RGBX_FORMAT: PixelFormat = {
  bitsPerPixel: 32,
  depth: 24,
  bigEndian: false,
  trueColour: true,
  redMax: 255,
  greenMax: 255,
  blueMax: 255,
  redShift: 0,
  greenShift: 8,
  blueShift: 16,
};

export function decodePixelFormat(b: Buffer): PixelFormat {
  return {
    bitsPerPixel: b.readUInt8(0),
    depth: b.readUInt8(1),
    bigEndian: b.readUInt8(2) !== 0,
    trueColour: b.readUInt8(3) !== 0,
    redMax: b.readUInt16BE(4),
    greenMax: b.readUInt16BE(6),
    blueMax: b.readUInt16BE(8),
    redShift: b.readUInt8(10),
    greenShift: b.readUInt8(11),
    blueShift: b.readUInt8(12),
  };
}

export function encodePixelFormat(f: PixelFormat): Buffer {
  const b = Buffer.alloc(16); // last 3 bytes are padding
  b.writeUInt8(f.bitsPerPixel, 0);
  b.writeUInt8(f.depth, 1);
  b.writeUInt8(f.bigEndian ? 1 : 0, 2);
  b.writeUInt8(f.trueColour ? 1 : 0, 3);
  b.writeUInt16BE(f.redMax, 4);
  b.writeUInt16BE(f.greenMax, 6);
  b.writeUInt16BE(f.blueMax, 8);
  b.writeUInt8(f.redShift, 10);
  b.writeUInt8(f.greenShift, 11);
  b.writeUInt8(f.blueShift, 12);
  return b;
}

export function bytesPerPixel(f: PixelFormat): number {
  return f.bitsPerPixel >> 3;
}
