// PNG encoding of opaque pixels without blocking the event loop: rows are filtered in small
// slices (yielding between them) and compressed by zlib on libuv's thread pool.
import { constants, crc32, createDeflate, deflate, deflateSync } from 'node:zlib';
import { endianness } from 'node:os';
import { pixelBuffers } from './buffer-pool';

export interface PixelSource {
  /** Pixels as R,G,B,X (or RGBA; the fourth byte is ignored: the image is opaque). */
  data: Buffer;
  width: number;
  height: number;
  /** Bytes per source row; defaults to width*4. */
  stride?: number;
  /** Byte offset of the first pixel. */
  offset?: number;
  /** Keep the fourth byte as alpha (RGBA PNG), e.g. for cursors. */
  alpha?: boolean;
}

export interface PngOptions {
  /** zlib level: 1 is ~5x faster than 6 for desktop content and only ~30 % larger. */
  level?: number;
  /** Pixels filtered per event-loop turn (~0.5 ms each on a slow core). */
  sliceCost?: number;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** PNG colour types: RGB for opaque pixels (no alpha channel to compress), RGBA (cursors), palette. */
const RGB = 2;
const RGBA = 6;
const INDEXED = 3;

/**
 * The PNG file, written into one buffer: signature, IHDR, PLTE (palette images), IDAT, IEND.
 * Each chunk is its length, type, body, then the CRC of type and body.
 */
function pngFile(width: number, height: number, colourType: number, bitDepth: number, plte: Buffer | null, idat: Buffer): Buffer {
  const chunks: [string, Buffer | null][] = [['IHDR', null], ...(plte ? [['PLTE', plte] as [string, Buffer]] : []), ['IDAT', idat], ['IEND', null]];
  const lengthOf = ([type, body]: [string, Buffer | null]): number => (type === 'IHDR' ? 13 : (body?.length ?? 0));
  const out = Buffer.allocUnsafe(SIGNATURE.length + chunks.reduce((n, c) => n + 12 + lengthOf(c), 0));
  SIGNATURE.copy(out, 0);
  let o = SIGNATURE.length;
  for (const c of chunks) {
    const [type, body] = c;
    const length = lengthOf(c);
    out.writeUInt32BE(length, o);
    out.write(type, o + 4, 'latin1');
    const at = o + 8;
    if (type === 'IHDR') {
      out.writeUInt32BE(width, at);
      out.writeUInt32BE(height, at + 4);
      out[at + 8] = bitDepth;
      out[at + 9] = colourType;
      out.fill(0, at + 10, at + 13); // deflate, adaptive filtering, no interlace
    } else body?.copy(out, at);
    out.writeUInt32BE(crc32(out.subarray(o + 4, at + length)) >>> 0, at + length);
    o = at + length + 4;
  }
  return out;
}

/**
 * Rows [y0, y1) as PNG scanlines with filter 1 (Sub): desktop content is mostly horizontal
 * runs, which Sub turns into zeros (a 1280x800 desktop: ~100 KB vs ~540 KB unfiltered).
 */
function filterRows(src: PixelSource, y0: number, y1: number): Buffer {
  if (src.alpha) return filterRowsRgba(src, y0, y1);
  const { data, width } = src;
  const stride = src.stride ?? width * 4;
  const base = src.offset ?? 0;
  // Scanlines live only until zlib has read them: pooled (see deflateOnce, deflateSliced).
  const out = pixelBuffers.take((width * 3 + 1) * (y1 - y0));
  let o = 0;
  for (let y = y0; y < y1; y++) {
    out[o++] = 1;
    let i = base + y * stride;
    let pr = 0;
    let pg = 0;
    let pb = 0;
    for (let x = 0; x < width; x++, i += 4) {
      const r = data[i]!;
      const g = data[i + 1]!;
      const b = data[i + 2]!;
      out[o++] = (r - pr) & 0xff;
      out[o++] = (g - pg) & 0xff;
      out[o++] = (b - pb) & 0xff;
      pr = r;
      pg = g;
      pb = b;
    }
  }
  return out;
}

function filterRowsRgba(src: PixelSource, y0: number, y1: number): Buffer {
  const { data, width } = src;
  const stride = src.stride ?? width * 4;
  const base = src.offset ?? 0;
  const row = width * 4;
  const out = pixelBuffers.take((row + 1) * (y1 - y0));
  let o = 0;
  for (let y = y0; y < y1; y++) {
    out[o++] = 1;
    const i = base + y * stride;
    for (let x = 0; x < row; x++) out[o++] = (data[i + x]! - (x >= 4 ? data[i + x - 4]! : 0)) & 0xff;
  }
  return out;
}

/**
 * Filtered images up to this size are compressed on the calling thread: ~0.1-0.3 ms at level 1,
 * where a trip through the thread pool costs ~0.3 ms of CPU (and latency) by itself. Most
 * updates are small (a line of text, a pointer-sized area).
 */
const SYNC_DEFLATE_MAX = 32 * 1024;

const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Compresses scanlines on the thread pool, then hands them back to the pool. */
function deflateOnce(raw: Buffer, level: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    deflate(raw, { level }, (err, out) => {
      pixelBuffers.give(raw);
      if (err) reject(err);
      else resolve(out);
    }),
  );
}

/**
 * Scanlines up to this size go out uncompressed: deflate saves little or nothing on them (a typed
 * character: 39 bytes either way), and zlib's set-up was most of such an image's encoding time
 * as measured in the gateway (~0.15 ms of ~0.25).
 */
const STORED_MAX = 256;

/** A zlib stream of one stored (uncompressed) deflate block: RFC 1950 header, RFC 1951 block, Adler-32. */
function stored(raw: Buffer): Buffer {
  const out = Buffer.allocUnsafe(2 + 5 + raw.length + 4);
  out[0] = 0x78; // deflate, 32 KiB window
  out[1] = 0x01; // no preset dictionary (0x7801 is a multiple of 31, as the header check asks)
  out[2] = 0x01; // the final block, stored
  out.writeUInt16LE(raw.length, 3);
  out.writeUInt16LE(~raw.length & 0xffff, 5);
  raw.copy(out, 7);
  let a = 1;
  let b = 0;
  for (let i = 0; i < raw.length; i++) {
    a = (a + raw[i]!) % 65521;
    b = (b + a) % 65521;
  }
  out.writeUInt32BE(((b << 16) | a) >>> 0, 7 + raw.length);
  return out;
}

/**
 * Compresses on this thread, with zlib's window and hash table no larger than the input needs:
 * its default state is ~256 KB, which a small image (a typed character) would pay to set up
 * every time (~60 us of a ~100 us encode at the default size, ~20 us sized).
 */
function deflateHere(raw: Buffer, level: number): Buffer {
  if (raw.length <= STORED_MAX) return stored(raw);
  const windowBits = Math.max(9, Math.min(15, Math.ceil(Math.log2(raw.length + 262))));
  return deflateSync(raw, { level, windowBits, memLevel: Math.max(1, windowBits - 7) });
}

/** Compresses scanlines on this thread (small ones), then hands them back to the pool. */
function deflateNow(raw: Buffer, level: number): Buffer {
  try {
    return deflateHere(raw, level);
  } finally {
    pixelBuffers.give(raw);
  }
}

/** Filters slice by slice while zlib compresses earlier slices in parallel. */
async function deflateSliced(src: PixelSource, rowsPerSlice: number, level: number): Promise<Buffer> {
  const z = createDeflate({ level, strategy: constants.Z_DEFAULT_STRATEGY });
  const parts: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    z.on('data', (b: Buffer) => parts.push(b));
    z.on('end', () => resolve(Buffer.concat(parts)));
    z.on('error', reject);
  });
  for (let y = 0; y < src.height; y += rowsPerSlice) {
    if (y > 0) await yieldToLoop();
    const slice = filterRows(src, y, Math.min(src.height, y + rowsPerSlice));
    // The callback runs once zlib has consumed the slice.
    z.write(slice, () => pixelBuffers.give(slice));
  }
  z.end();
  return done;
}

function assemble(src: PixelSource, idat: Buffer): Buffer {
  return pngFile(src.width, src.height, src.alpha ? RGBA : RGB, 8, null, idat);
}

function checkSize(src: PixelSource): void {
  if (src.width <= 0 || src.height <= 0) throw new RangeError(`cannot encode a ${src.width}x${src.height} image`);
}

/**
 * The PNG at once if the image is small (filtered data <= SYNC_DEFLATE_MAX: a line of text, a
 * pointer-sized area; ~0.1 ms), else null (use `encodePng`). Lets the gateway write a small
 * frame in the same turn of the event loop in which its update arrived, with no promise hop.
 */
export function encodePngNow(src: PixelSource, options: Pick<PngOptions, 'level'> = {}): Buffer | null {
  checkSize(src);
  if ((src.width * (src.alpha ? 4 : 3) + 1) * src.height > SYNC_DEFLATE_MAX) return null;
  if (!src.alpha) {
    const palette = encodeIndexed(src, options.level ?? INDEXED_LEVEL);
    if (palette) return palette;
  }
  return assemble(src, deflateNow(filterRows(src, 0, src.height), options.level ?? 1));
}

/**
 * zlib level for palette images: they are small (see encodePngNow) and 1 byte a pixel or less,
 * so level 6 costs little more time than 1 on them and makes them ~15 % smaller.
 */
const INDEXED_LEVEL = 6;

/**
 * A palette PNG when the opaque image has at most 256 colours (text, UI, a clock face), else
 * null: one index of 1, 2, 4 or 8 bits a pixel instead of 3 bytes compresses several times
 * better. Exact: every colour is in the palette as it is.
 */
export function encodeIndexed(src: PixelSource, level = INDEXED_LEVEL): Buffer | null {
  const indexed = paletteScan(src, 0, src.height, new PaletteImage(src.width, src.height));
  return indexed && indexed.png(deflateHere(indexed.raw, level));
}

/** Little-endian machines read a pixel's R, G, B bytes as one 32-bit word (see paletteScan). */
const LITTLE_ENDIAN = endianness() === 'LE';

/** A palette image being built: its colours so far and its scanlines (filter 0, None). */
class PaletteImage {
  readonly colours = new Map<number, number>();
  readonly indexes: Uint8Array;
  readonly recent: RecentColours = { last: -1, lastIndex: 0, before: -1, beforeIndex: 0 };

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.indexes = new Uint8Array(width * height);
  }

  /** The packed scanlines, 1, 2, 4 or 8 bits a pixel (filter 0 on every row: the usual best for palettes). */
  get raw(): Buffer {
    const { width, height, indexes } = this;
    const depth = this.depth;
    const perByte = 8 / depth;
    const rowBytes = Math.ceil(width / perByte);
    const raw = Buffer.allocUnsafe((rowBytes + 1) * height);
    for (let y = 0, p = 0, o = 0; y < height; y++, p += width) {
      raw[o++] = 0; // filter None
      if (depth === 8) {
        raw.set(indexes.subarray(p, p + width), o);
        o += width;
        continue;
      }
      // Leftmost pixel in the high bits (PNG's order); a short last byte is padded with zeros.
      for (let x = 0; x < width; x += perByte) {
        let byte = 0;
        const end = Math.min(width, x + perByte);
        for (let i = x; i < end; i++) byte = (byte << depth) | indexes[p + i]!;
        raw[o++] = byte << (depth * (x + perByte - end));
      }
    }
    return raw;
  }

  get depth(): number {
    const n = this.colours.size;
    return n <= 2 ? 1 : n <= 4 ? 2 : n <= 16 ? 4 : 8;
  }

  png(idat: Buffer): Buffer {
    const plte = Buffer.alloc(this.colours.size * 3);
    for (const [colour, index] of this.colours) {
      plte[index * 3] = colour & 0xff;
      plte[index * 3 + 1] = (colour >> 8) & 0xff;
      plte[index * 3 + 2] = colour >> 16;
    }
    return pngFile(this.width, this.height, INDEXED, this.depth, plte, idat);
  }
}

/**
 * Indexes rows [y0, y1) of `src` into `image`; null once it has more than 256 colours. Colours
 * are keyed 0xBBGGRR, a pixel's first three bytes read little-endian: aligned pixels are read as
 * one 32-bit word each (see scanWords) rather than three bytes.
 */
function paletteScan(src: PixelSource, y0: number, y1: number, image: PaletteImage): PaletteImage | null {
  const { data, width } = src;
  const stride = src.stride ?? width * 4;
  const start = data.byteOffset + (src.offset ?? 0);
  if (LITTLE_ENDIAN && start % 4 === 0 && stride % 4 === 0) {
    const words = new Uint32Array(data.buffer, start, (data.length - (src.offset ?? 0)) >> 2);
    return scanWords(words, stride >> 2, y0, y1, image) ? image : null;
  }
  return scanBytes(data, start - data.byteOffset, stride, y0, y1, image) ? image : null;
}

/**
 * The palette scan's state between slices of one image: the last two colours seen, so text
 * (foreground, background, foreground...) rarely needs the map.
 */
interface RecentColours {
  last: number;
  lastIndex: number;
  before: number;
  beforeIndex: number;
}

/** The index of `colour` in `image`'s palette, adding it; -1 once it would be the 257th. */
function indexOf(image: PaletteImage, colour: number): number {
  let index = image.colours.get(colour);
  if (index === undefined) {
    if (image.colours.size === 256) return -1;
    index = image.colours.size;
    image.colours.set(colour, index);
  }
  return index;
}

/**
 * The scan's hot loop, written twice on purpose: here one aligned 32-bit read a pixel, in
 * scanBytes three byte reads for a source that is not aligned. One loop taking a reader
 * function would put a call a pixel into the hottest loop of the encoder.
 */
function scanWords(words: Uint32Array, strideWords: number, y0: number, y1: number, image: PaletteImage): boolean {
  const { width, indexes, recent: r } = image;
  let { last, lastIndex, before, beforeIndex } = r;
  for (let y = y0, p = y0 * width; y < y1; y++) {
    for (let i = y * strideWords, end = i + width; i < end; i++, p++) {
      const colour = words[i]! & 0xffffff;
      if (colour !== last) {
        const index = colour === before ? beforeIndex : indexOf(image, colour);
        if (index < 0) return false;
        before = last;
        beforeIndex = lastIndex;
        last = colour;
        lastIndex = index;
      }
      indexes[p] = lastIndex;
    }
  }
  Object.assign(r, { last, lastIndex, before, beforeIndex });
  return true;
}

function scanBytes(data: Buffer, base: number, stride: number, y0: number, y1: number, image: PaletteImage): boolean {
  const { width, indexes, recent: r } = image;
  let { last, lastIndex, before, beforeIndex } = r;
  for (let y = y0, p = y0 * width; y < y1; y++) {
    for (let i = base + y * stride, end = i + width * 4; i < end; i += 4, p++) {
      const colour = data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16);
      if (colour !== last) {
        const index = colour === before ? beforeIndex : indexOf(image, colour);
        if (index < 0) return false;
        before = last;
        beforeIndex = lastIndex;
        last = colour;
        lastIndex = index;
      }
      indexes[p] = lastIndex;
    }
  }
  Object.assign(r, { last, lastIndex, before, beforeIndex });
  return true;
}

/**
 * A large opaque image as a palette PNG if it has at most 256 colours (a screen of text: 1 bit
 * a pixel instead of 3 bytes, several times smaller and cheaper than RGB), else null. Scanned in
 * slices, yielding between them; compressed on the thread pool.
 */
async function encodeIndexedLarge(src: PixelSource, rowsPerSlice: number): Promise<Buffer | null> {
  const image = new PaletteImage(src.width, src.height);
  for (let y = 0; y < src.height; y += rowsPerSlice) {
    if (y > 0) await yieldToLoop();
    if (!paletteScan(src, y, Math.min(src.height, y + rowsPerSlice), image)) return null;
  }
  const raw = image.raw;
  // Packed indexes are small (a screen of text: ~100 KB at 1 bit a pixel): most compress here
  // faster than a trip through the thread pool (see SYNC_DEFLATE_MAX).
  if (raw.length <= SYNC_DEFLATE_MAX) return image.png(deflateHere(raw, INDEXED_LEVEL));
  const idat = await new Promise<Buffer>((resolve, reject) => deflate(raw, { level: INDEXED_LEVEL }, (err, out) => (err ? reject(err) : resolve(out))));
  return image.png(idat);
}

/** Small images as `encodePngNow`, larger ones as they are encoded (off the event loop). */
export function pngBody(src: PixelSource): Buffer | Promise<Buffer> {
  return encodePngNow(src) ?? (src.alpha ? encodePng(src) : encodeLargeOpaque(src));
}

/** A palette PNG where the colours allow, else RGB (see encodePng). */
async function encodeLargeOpaque(src: PixelSource): Promise<Buffer> {
  return (await encodeIndexedLarge(src, rowsPerSliceOf(src.width))) ?? encodePng(src);
}

/** Rows filtered or scanned per event-loop turn. */
function rowsPerSliceOf(width: number, sliceCost = 65_536): number {
  return Math.max(1, Math.floor(sliceCost / width));
}

export async function encodePng(src: PixelSource, options: PngOptions = {}): Promise<Buffer> {
  checkSize(src);
  const { width, height } = src;
  const level = options.level ?? 1;
  const rowsPerSlice = rowsPerSliceOf(width, options.sliceCost);
  let idat: Buffer;
  if (height <= rowsPerSlice) {
    const raw = filterRows(src, 0, height);
    idat = raw.length <= SYNC_DEFLATE_MAX ? deflateNow(raw, level) : await deflateOnce(raw, level);
  } else {
    idat = await deflateSliced(src, rowsPerSlice, level);
  }
  return assemble(src, idat);
}
