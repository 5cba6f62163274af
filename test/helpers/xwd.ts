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

/** An XWD (version 7, ZPixmap, TrueColor, 32 bpp, MSB first) of a gradient with noise. */
export function photoXwd(width: number, height: number, seed = 12345): Buffer {
  const name = Buffer.from('photo\0');
  const headerSize = 100 + name.length;
  const header = Buffer.alloc(100);
  const fields = [
    headerSize, 7, 2, 24, width, height, 0, 1, 32, 1, 32, 32, width * 4, 4,
    0xff0000, 0xff00, 0xff, 8, 0, 0, width, height, 0, 0, 0,
  ];
  fields.forEach((v, i) => header.writeUInt32BE(v >>> 0, i * 4));
  const pixels = Buffer.alloc(width * height * 4);
  const noise = (): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return (seed >> 16) % 25 - 12;
  };
  const clamp = (v: number): number => Math.max(0, Math.min(255, Math.round(v)));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      pixels[o + 1] = clamp((x * 255) / width + 20 * Math.sin(y / 9) + noise());
      pixels[o + 2] = clamp((y * 255) / height + 20 * Math.cos(x / 13) + noise());
      pixels[o + 3] = clamp(128 + 90 * Math.sin((x + y) / 40) + noise());
    }
  }
  return Buffer.concat([header, name, pixels]);
}
