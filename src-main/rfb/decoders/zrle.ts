// ZRLE (16): u32 length + zlib data. All ZRLE rects of a connection share one zlib stream
// (the server flushes after each rect), inflated here synchronously (see ZlibStream). The
// inflated data is 64x64 tiles, each with a subencoding: 0 raw, 1 solid, 2..16 packed palette,
// 128 plain RLE, 130..255 palette RLE. Pixels are CPIXELs: for our 32 bpp depth-24 format
// the three low-order bytes, i.e. R,G,B on the wire.
import { constants, inflateRawSync } from 'node:zlib';
import { Inflate as FflateInflate } from 'fflate';
import { Encoding } from '../encodings';
import { RfbProtocolError } from '../errors';
import { assertInside, assertRgbx } from './bounds';
import { AllocatePixels, DecodedRect, DecodeResult, RectDecoder, RectHeader } from './decoder';

const TILE = 64;
/** Compressed payloads above this are not plausible for a 16-bit sized rect. */
const MAX_COMPRESSED = 64 << 20;
/** Deflate's window: back-references reach at most this far into earlier output. */
const WINDOW = 32 * 1024;
/** What Z_SYNC_FLUSH (and Z_FULL_FLUSH) end with: an empty stored block, byte-aligned. */
const FLUSH_MARKER = Buffer.from([0x00, 0x00, 0xff, 0xff]);

/**
 * The connection's zlib stream, inflated synchronously, one rect at a time.
 *
 * Why synchronous: a rect's data is small (a line of text is a few KB inflated) and zlib
 * inflates it in tens of microseconds, while a trip through libuv's thread pool (Node's
 * async zlib stream) costs a round trip per rect — ~60 ms over a first full-screen update.
 *
 * How, with Node's own (native) zlib: servers end every rect with Z_SYNC_FLUSH, i.e. on a
 * deflate block boundary, so a rect is a run of complete raw-deflate blocks whose only link
 * to the earlier stream is the sliding window. `inflateRawSync` with the last 32 KiB of
 * output as its preset dictionary therefore decodes exactly what one long-lived stream would
 * (3-7x faster than a pure-JS inflater on desktop data). A rect that does not end on a flush
 * boundary (no server we know does this) switches the connection to fflate's streaming
 * inflater, primed with the same window, which keeps bit-level state between rects.
 */
export class ZlibStream {
  private window: Buffer = Buffer.alloc(0);
  /** zlib header bytes (RFC 1950: CMF, FLG) still to skip at the start of the stream. */
  private headerLeft = 2;
  private cmf = 0;
  private streaming: { z: FflateInflate; parts: Uint8Array[]; total: number; limit: number } | null = null;

  /** Inflates one rect's bytes; throws RfbProtocolError on corrupt data or output over `limit`. */
  inflate(data: Buffer, limit: number): Buffer {
    if (this.headerLeft > 0) {
      const n = Math.min(this.headerLeft, data.length);
      for (let i = 0; i < n; i++) this.checkHeader(2 - this.headerLeft + i, data[i]!);
      this.headerLeft -= n;
      data = data.subarray(n);
    }
    if (data.length === 0) return Buffer.alloc(0);
    let out: Buffer;
    try {
      if (!this.streaming && data.length >= 4 && data.subarray(data.length - 4).equals(FLUSH_MARKER)) {
        out = inflateRawSync(data, {
          finishFlush: constants.Z_SYNC_FLUSH,
          maxOutputLength: Math.max(1, limit),
          ...(this.window.length > 0 ? { dictionary: this.window } : {}),
        });
      } else {
        out = this.inflateStreaming(data, limit);
      }
    } catch (err) {
      if (err instanceof RfbProtocolError) throw err;
      // inflateRawSync stops at maxOutputLength with this code: a compression bomb.
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new RfbProtocolError('ZRLE data inflates beyond its rect');
      throw new RfbProtocolError(`ZRLE zlib stream: ${(err as Error).message}`);
    }
    if (out.length > limit) throw new RfbProtocolError('ZRLE data inflates beyond its rect');
    this.remember(out);
    return out;
  }

  private checkHeader(index: number, byte: number): void {
    if (index === 0) {
      this.cmf = byte;
      if ((byte & 0x0f) !== 8) throw new RfbProtocolError('ZRLE zlib stream: not deflate data');
    } else if ((((this.cmf << 8) | byte) % 31 !== 0) || (byte & 0x20) !== 0) {
      throw new RfbProtocolError('ZRLE zlib stream: bad zlib header');
    }
  }

  private inflateStreaming(data: Buffer, limit: number): Buffer {
    if (!this.streaming) {
      const s = { z: null as unknown as FflateInflate, parts: [] as Uint8Array[], total: 0, limit: 0 };
      s.z = new FflateInflate(this.window.length > 0 ? { dictionary: this.window } : {}, (chunk) => {
        s.total += chunk.length;
        if (s.total > s.limit) throw new RfbProtocolError('ZRLE data inflates beyond its rect');
        s.parts.push(chunk);
      });
      this.streaming = s;
    }
    const s = this.streaming;
    s.parts = [];
    s.total = 0;
    s.limit = limit;
    s.z.push(data, false);
    return Buffer.concat(s.parts, s.total);
  }

  /** Keeps the last WINDOW bytes of output: the next rect's dictionary. */
  private remember(out: Buffer): void {
    if (this.streaming || out.length === 0) return;
    if (out.length >= WINDOW) {
      this.window = Buffer.from(out.subarray(out.length - WINDOW));
    } else {
      const keep = Math.min(this.window.length, WINDOW - out.length);
      this.window = Buffer.concat([this.window.subarray(this.window.length - keep), out]);
    }
  }
}

/** Reads tiles from the inflated bytes with bounds checks that throw protocol errors. */
class TileReader {
  pos = 0;
  constructor(private readonly b: Buffer) {}

  need(n: number): void {
    if (this.pos + n > this.b.length) throw new RfbProtocolError('ZRLE data ends inside a tile');
  }

  u8(): number {
    this.need(1);
    return this.b[this.pos++]!;
  }

  /** A CPIXEL as a little-endian u32 (R | G<<8 | B<<16), alpha byte 0. */
  cpixel(): number {
    this.need(3);
    const b = this.b;
    const v = b[this.pos]! | (b[this.pos + 1]! << 8) | (b[this.pos + 2]! << 16);
    this.pos += 3;
    return v;
  }

  runLength(): number {
    let len = 1;
    for (;;) {
      const v = this.u8();
      len += v;
      if (v !== 255) return len;
    }
  }
}

/** Pixels are written as u32 values R | G<<8 | B<<16, which is R,G,B,X in memory on little-endian hosts only. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Fills `len` pixels of a tile from pixel index `i` (tile row order) with one colour, row segment by row segment. */
function fillRun(out: Uint32Array, width: number, tx: number, ty: number, tw: number, i: number, len: number, colour: number): void {
  let row = Math.floor(i / tw);
  let col = i - row * tw;
  while (len > 0) {
    const n = Math.min(len, tw - col);
    const o = (ty + row) * width + tx + col;
    if (n === 1) out[o] = colour;
    else out.fill(colour, o, o + n);
    len -= n;
    col = 0;
    row++;
  }
}

function decodeTiles(h: RectHeader, data: Buffer, allocate: AllocatePixels): Buffer {
  const out = allocate(h.width * h.height * 4);
  // A u32 view of the output when the host byte order allows it (allocations are 8-byte aligned).
  const px = new Uint32Array(out.buffer, out.byteOffset, h.width * h.height);
  const put = LITTLE_ENDIAN
    ? (o: number, colour: number): void => {
        px[o] = colour;
      }
    : (o: number, colour: number): void => {
        out.writeUInt32LE(colour >>> 0, o * 4);
      };
  const fill = LITTLE_ENDIAN
    ? fillRun
    : (_out: Uint32Array, width: number, tx: number, ty: number, tw: number, i: number, len: number, colour: number): void => {
        for (const end = i + len; i < end; i++) put((ty + Math.floor(i / tw)) * width + tx + (i % tw), colour);
      };
  const r = new TileReader(data);
  const palette = new Uint32Array(128);
  const width = h.width;
  for (let ty = 0; ty < h.height; ty += TILE) {
    const th = Math.min(TILE, h.height - ty);
    for (let tx = 0; tx < width; tx += TILE) {
      const tw = Math.min(TILE, width - tx);
      const count = tw * th;
      const sub = r.u8();
      if (sub === 0) {
        r.need(count * 3);
        let p = r.pos;
        for (let y = 0; y < th; y++) {
          let o = (ty + y) * width + tx;
          for (let x = 0; x < tw; x++, o++, p += 3) put(o, data[p]! | (data[p + 1]! << 8) | (data[p + 2]! << 16));
        }
        r.pos = p;
      } else if (sub === 1) {
        const c = r.cpixel();
        for (let y = 0; y < th; y++) fill(px, width, tx, ty, tw, y * tw, tw, c);
      } else if (sub <= 16) {
        for (let i = 0; i < sub; i++) palette[i] = r.cpixel();
        const bits = sub === 2 ? 1 : sub <= 4 ? 2 : 4;
        const rowBytes = Math.ceil((tw * bits) / 8);
        r.need(rowBytes * th);
        const mask = (1 << bits) - 1;
        for (let y = 0; y < th; y++) {
          const row = r.pos + y * rowBytes;
          let o = (ty + y) * width + tx;
          for (let x = 0; x < tw; x++, o++) {
            const bit = x * bits;
            const index = (data[row + (bit >> 3)]! >> (8 - bits - (bit & 7))) & mask;
            if (index >= sub) throw new RfbProtocolError('ZRLE palette index out of range');
            put(o, palette[index]!);
          }
        }
        r.pos += rowBytes * th;
      } else if (sub === 128) {
        for (let i = 0; i < count; ) {
          const c = r.cpixel();
          const len = r.runLength();
          if (i + len > count) throw new RfbProtocolError('ZRLE run longer than its tile');
          fill(px, width, tx, ty, tw, i, len, c);
          i += len;
        }
      } else if (sub >= 130) {
        const size = sub - 128;
        for (let i = 0; i < size; i++) palette[i] = r.cpixel();
        for (let i = 0; i < count; ) {
          const v = r.u8();
          const index = v & 127;
          if (index >= size) throw new RfbProtocolError('ZRLE palette index out of range');
          const len = v & 128 ? r.runLength() : 1;
          if (i + len > count) throw new RfbProtocolError('ZRLE run longer than its tile');
          fill(px, width, tx, ty, tw, i, len, palette[index]!);
          i += len;
        }
      } else {
        throw new RfbProtocolError(`ZRLE subencoding ${sub} is not defined`);
      }
    }
  }
  return out;
}

export function createZrleDecoder(allocate: AllocatePixels = (size) => Buffer.alloc(size)): RectDecoder {
  const zlib = new ZlibStream();
  return {
    encoding: Encoding.ZRLE,
    decode(h, q, ctx): DecodeResult {
      assertRgbx(ctx, 'ZRLE');
      assertInside(h, ctx);
      if (q.length < 4) return null;
      const len = q.peekU32(0);
      const tiles = Math.ceil(h.width / TILE) * Math.ceil(h.height / TILE);
      // Worst case: plain RLE of single pixels (4 bytes each), plus per-tile palettes.
      const limit = h.width * h.height * 4 + tiles * 400;
      // The payload is buffered whole before it is inflated: no more than deflate's worst
      // case (stored blocks, a few bytes per 64 KiB) of what the rect can inflate to.
      if (len > Math.min(MAX_COMPRESSED, limit + (limit >> 3) + 1024)) {
        throw new RfbProtocolError(`ZRLE data of ${len} bytes is too large for a ${h.width}x${h.height} rect`);
      }
      if (q.length < 4 + len) return null;
      q.skip(4);
      const compressed = q.read(len); // inflated at once: the queue's chunk may be reused later
      const data = zlib.inflate(compressed, limit);
      // Every tile takes at least 4 bytes (subencoding and one colour): checked before the
      // rect's pixels are allocated, so a short payload cannot claim a big rect.
      if (data.length < tiles * 4) throw new RfbProtocolError('ZRLE data ends before its rect is complete');
      return { kind: 'pixels', x: h.x, y: h.y, width: h.width, height: h.height, data: decodeTiles(h, data, allocate) } satisfies DecodedRect;
    },
  };
}
