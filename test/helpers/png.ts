// Minimal PNG decoder for tests: 8-bit RGB or RGBA, or a palette of 1, 2, 4 or 8 bits a pixel;
// no interlace, all five filter types.
import { crc32, inflateSync } from 'node:zlib';

export interface DecodedPng {
  width: number;
  height: number;
  /** RGBA, 4 bytes per pixel. */
  rgba: Buffer;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  if (pa <= pb && pa <= pc) return a;
  return pb <= pc ? b : c;
}

export function decodePng(png: Buffer): DecodedPng {
  if (png.subarray(0, 8).toString('hex') !== '89504e470d0a1a0a') throw new Error('not a PNG');
  let pos = 8;
  let width = 0;
  let height = 0;
  let colourType = -1;
  let depth = 8;
  let palette = Buffer.alloc(0);
  const idat: Buffer[] = [];
  while (pos < png.length) {
    const len = png.readUInt32BE(pos);
    const type = png.toString('latin1', pos + 4, pos + 8);
    const body = png.subarray(pos + 8, pos + 8 + len);
    const crc = png.readUInt32BE(pos + 8 + len);
    if ((crc32(png.subarray(pos + 4, pos + 8 + len)) >>> 0) !== crc) throw new Error(`bad CRC in ${type}`);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      depth = body[8]!;
      colourType = body[9]!;
      if (body[12] !== 0) throw new Error('only non-interlaced PNGs');
      if (colourType === 3 ? ![1, 2, 4, 8].includes(depth) : depth !== 8) throw new Error(`unsupported bit depth ${depth}`);
    } else if (type === 'PLTE') {
      palette = Buffer.from(body);
    } else if (type === 'IDAT') {
      idat.push(body);
    } else if (type === 'IEND') {
      break;
    }
    pos += 12 + len;
  }
  if (colourType === 3) return decodeIndexed(inflateSync(Buffer.concat(idat)), width, height, depth, palette);
  const channels = colourType === 2 ? 3 : colourType === 6 ? 4 : 0;
  if (!channels) throw new Error(`unsupported colour type ${colourType}`);
  const raw = inflateSync(Buffer.concat(idat));
  const rowLen = width * channels;
  if (raw.length !== (rowLen + 1) * height) throw new Error('IDAT size does not match the image size');
  const pixels = Buffer.alloc(rowLen * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (rowLen + 1)]!;
    const src = y * (rowLen + 1) + 1;
    const dst = y * rowLen;
    for (let x = 0; x < rowLen; x++) {
      const a = x >= channels ? pixels[dst + x - channels]! : 0;
      const b = y > 0 ? pixels[dst - rowLen + x]! : 0;
      const c = x >= channels && y > 0 ? pixels[dst - rowLen + x - channels]! : 0;
      const v = raw[src + x]!;
      let out: number;
      switch (filter) {
        case 0: out = v; break;
        case 1: out = v + a; break;
        case 2: out = v + b; break;
        case 3: out = v + ((a + b) >> 1); break;
        case 4: out = v + paeth(a, b, c); break;
        default: throw new Error(`bad filter ${filter}`);
      }
      pixels[dst + x] = out & 0xff;
    }
  }
  if (channels === 4) return { width, height, rgba: pixels };
  const rgba = Buffer.alloc(width * height * 4);
  for (let i = 0, j = 0; i < pixels.length; i += 3, j += 4) {
    rgba[j] = pixels[i]!;
    rgba[j + 1] = pixels[i + 1]!;
    rgba[j + 2] = pixels[i + 2]!;
    rgba[j + 3] = 255;
  }
  return { width, height, rgba };
}

/** Palette images as the gateway writes them: filter 0 (None) on every row. */
function decodeIndexed(raw: Buffer, width: number, height: number, depth: number, palette: Buffer): DecodedPng {
  const rowBytes = Math.ceil((width * depth) / 8);
  if (raw.length !== (rowBytes + 1) * height) throw new Error('IDAT size does not match the image size');
  const rgba = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    const row = y * (rowBytes + 1);
    if (raw[row] !== 0) throw new Error(`palette row with filter ${raw[row]}`);
    for (let x = 0; x < width; x++) {
      const bit = x * depth;
      const index = (raw[row + 1 + (bit >> 3)]! >> (8 - depth - (bit & 7))) & ((1 << depth) - 1);
      if (index * 3 + 2 >= palette.length) throw new Error(`palette index ${index} out of range`);
      const o = (y * width + x) * 4;
      palette.copy(rgba, o, index * 3, index * 3 + 3);
      rgba[o + 3] = 255;
    }
  }
  return { width, height, rgba };
}
