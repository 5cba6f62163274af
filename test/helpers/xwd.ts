// Reads the X display's root window as RGBA with `xwd` (x11-apps), to compare what the
// gateway drew with what the X server really shows.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Screenshot {
  width: number;
  height: number;
  rgba: Buffer;
}

/** Parses an XWD dump (ZPixmap, TrueColor, 24/32 bits per pixel). */
export function parseXwd(b: Buffer): Screenshot {
  const u32 = (i: number): number => b.readUInt32BE(i * 4);
  const headerSize = u32(0);
  if (u32(1) !== 7) throw new Error('not an XWD version 7 dump');
  if (u32(2) !== 2) throw new Error('only ZPixmap dumps');
  const width = u32(4);
  const height = u32(5);
  const byteOrder = u32(7); // 0 LSBFirst
  const bitsPerPixel = u32(11);
  const bytesPerLine = u32(12);
  const [redMask, greenMask, blueMask] = [u32(14), u32(15), u32(16)];
  const ncolors = u32(19);
  if (bitsPerPixel !== 32) throw new Error(`only 32 bpp dumps (got ${bitsPerPixel})`);
  const shift = (mask: number): number => 31 - Math.clz32(mask & -mask);
  const pixels = headerSize + ncolors * 12;
  const rgba = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = pixels + y * bytesPerLine + x * 4;
      const v = byteOrder === 0 ? b.readUInt32LE(o) : b.readUInt32BE(o);
      const i = (y * width + x) * 4;
      rgba[i] = ((v & redMask) >>> shift(redMask)) & 0xff;
      rgba[i + 1] = ((v & greenMask) >>> shift(greenMask)) & 0xff;
      rgba[i + 2] = ((v & blueMask) >>> shift(blueMask)) & 0xff;
      rgba[i + 3] = 255;
    }
  }
  return { width, height, rgba };
}

export async function screenshotX(display: number): Promise<Screenshot> {
  const { stdout } = await run('xwd', ['-root', '-silent', '-display', `:${display}`], {
    encoding: 'buffer',
    maxBuffer: 64 << 20,
    timeout: 10_000,
  });
  return parseXwd(stdout);
}

/** Index of the first pixel where two RGB(A) pictures differ, or -1 (alpha ignored). */
export function firstDifference(a: Buffer, b: Buffer): number {
  if (a.length !== b.length) return 0;
  for (let i = 0; i < a.length; i += 4) {
    if (a[i] !== b[i] || a[i + 1] !== b[i + 1] || a[i + 2] !== b[i + 2]) return i / 4;
  }
  return -1;
}
