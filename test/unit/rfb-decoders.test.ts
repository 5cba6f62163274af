// Hextile, ZRLE, Cursor, ExtendedDesktopSize and LastRect, from byte streams built here by
// small reference encoders that exercise every subencoding, split at random points.
import assert from 'node:assert/strict';
import { constants, createDeflate } from 'node:zlib';
import { describe, it } from 'node:test';
import { ByteQueue } from '../../src-main/rfb/byte-queue';
import { createDecoders } from '../../src-main/rfb/decoders';
import { Encoding } from '../../src-main/rfb/encodings';
import { RfbProtocolError } from '../../src-main/rfb/errors';
import { ZlibStream } from '../../src-main/rfb/decoders/zrle';
import { RGBX_FORMAT } from '../../src-main/rfb/pixel-format';
import { ServerEvent, ServerMessageReader } from '../../src-main/rfb/server-messages';
import { rectHeader } from '../helpers/hostile-rfb-server';

/** Deterministic generator (mulberry32) so every run sees the same bytes. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const update = (rects: Buffer[], count = rects.length): Buffer => {
  const head = Buffer.from([0, 0, 0, 0]);
  head.writeUInt16BE(count, 2);
  return Buffer.concat([head, ...rects]);
};

/** An image with flat areas, few-colour areas and noise, as R,G,B,X. */
function picture(w: number, h: number, seed: number): Buffer {
  const r = rng(seed);
  const out = Buffer.alloc(w * h * 4);
  const palette = [0x102030, 0xffffff, 0x00ff00, 0xff0000, 0x0000ff];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 4;
      let c: number;
      if (x < w / 3) c = 0x336699; // flat
      else if (x < (2 * w) / 3) c = palette[(x >> 2) % (y % 7 === 0 ? 5 : 2)]!; // few colours
      else c = Math.floor(r() * 0xffffff); // noise
      out[i] = c & 255;
      out[i + 1] = (c >> 8) & 255;
      out[i + 2] = (c >> 16) & 255;
    }
  }
  return out;
}

const px = (img: Buffer, w: number, x: number, y: number): number => img.readUInt32LE((y * w + x) * 4) & 0xffffff;
const u32le = (v: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v >>> 0);
  return b;
};

/** Hextile encoder using raw, solid, foreground-subrect and coloured-subrect tiles in turn. */
function hextile(img: Buffer, w: number, h: number): Buffer {
  const parts: Buffer[] = [];
  let t = 0;
  let lastBg = -1;
  for (let ty = 0; ty < h; ty += 16) {
    for (let tx = 0; tx < w; tx += 16, t++) {
      const tw = Math.min(16, w - tx);
      const th = Math.min(16, h - ty);
      const bg = px(img, w, tx, ty);
      const cells: Array<[number, number, number]> = [];
      for (let y = 0; y < th; y++) for (let x = 0; x < tw; x++) if (px(img, w, tx + x, ty + y) !== bg) cells.push([x, y, px(img, w, tx + x, ty + y)]);
      const colours = new Set(cells.map((c) => c[2]));
      const prevBg = lastBg;
      lastBg = bg;
      if (t % 4 === 0 || cells.length > 200) {
        lastBg = -1;
        const raw: Buffer[] = [Buffer.from([1])];
        for (let y = 0; y < th; y++) raw.push(img.subarray(((ty + y) * w + tx) * 4, ((ty + y) * w + tx + tw) * 4));
        parts.push(...raw);
      } else if (cells.length === 0) {
        // Mask 0 reuses the previous tile's background (only valid after a non-raw tile).
        parts.push(prevBg === bg ? Buffer.from([0]) : Buffer.concat([Buffer.from([2]), u32le(bg)]));
      } else if (colours.size === 1) {
        const [fg] = colours;
        parts.push(Buffer.concat([Buffer.from([2 | 4 | 8]), u32le(bg), u32le(fg!), Buffer.from([cells.length]), ...cells.map(([x, y]) => Buffer.from([(x << 4) | y, 0]))]));
      } else {
        parts.push(Buffer.concat([Buffer.from([2 | 8 | 16]), u32le(bg), Buffer.from([cells.length]), ...cells.map(([x, y, c]) => Buffer.concat([u32le(c), Buffer.from([(x << 4) | y, 0])]))]));
      }
    }
  }
  return Buffer.concat(parts);
}

const cpixel = (c: number): Buffer => Buffer.from([c & 255, (c >> 8) & 255, (c >> 16) & 255]);

function runLength(n: number): Buffer {
  const out: number[] = [];
  let left = n - 1;
  while (left >= 255) {
    out.push(255);
    left -= 255;
  }
  out.push(left);
  return Buffer.from(out);
}

/** ZRLE tile data (before zlib) using raw, solid, packed palette, plain RLE and palette RLE. */
function zrleTiles(img: Buffer, w: number, h: number): Buffer {
  const parts: Buffer[] = [];
  let t = 0;
  for (let ty = 0; ty < h; ty += 64) {
    for (let tx = 0; tx < w; tx += 64, t++) {
      const tw = Math.min(64, w - tx);
      const th = Math.min(64, h - ty);
      const pixels: number[] = [];
      for (let y = 0; y < th; y++) for (let x = 0; x < tw; x++) pixels.push(px(img, w, tx + x, ty + y));
      const colours = [...new Set(pixels)];
      if (colours.length === 1) {
        parts.push(Buffer.from([1]), cpixel(colours[0]!));
      } else if (colours.length <= 16 && t % 2 === 0) {
        const bits = colours.length === 2 ? 1 : colours.length <= 4 ? 2 : 4;
        parts.push(Buffer.from([colours.length]), ...colours.map(cpixel));
        const rowBytes = Math.ceil((tw * bits) / 8);
        const packed = Buffer.alloc(rowBytes * th);
        pixels.forEach((p, i) => {
          const x = i % tw;
          const y = Math.floor(i / tw);
          const bit = x * bits;
          packed[y * rowBytes + (bit >> 3)]! |= colours.indexOf(p) << (8 - bits - (bit & 7));
        });
        parts.push(packed);
      } else if (colours.length <= 127 && t % 3 !== 0) {
        parts.push(Buffer.from([128 + colours.length]), ...colours.map(cpixel));
        for (let i = 0; i < pixels.length; ) {
          let n = 1;
          while (i + n < pixels.length && pixels[i + n] === pixels[i]) n++;
          const index = colours.indexOf(pixels[i]!);
          parts.push(n === 1 ? Buffer.from([index]) : Buffer.concat([Buffer.from([index | 128]), runLength(n)]));
          i += n;
        }
      } else if (t % 5 === 1) {
        parts.push(Buffer.from([128]));
        for (let i = 0; i < pixels.length; ) {
          let n = 1;
          while (i + n < pixels.length && pixels[i + n] === pixels[i]) n++;
          parts.push(cpixel(pixels[i]!), runLength(n));
          i += n;
        }
      } else {
        parts.push(Buffer.from([0]), ...pixels.map(cpixel));
      }
    }
  }
  return Buffer.concat(parts);
}

/** One zlib stream for several rects, flushed after each (as servers do). */
async function zlibRects(datas: Buffer[]): Promise<Buffer[]> {
  const z = createDeflate();
  const out: Buffer[] = [];
  let chunks: Buffer[] = [];
  z.on('data', (b: Buffer) => chunks.push(b));
  for (const d of datas) {
    z.write(d);
    await new Promise<void>((resolve) => z.flush(constants.Z_SYNC_FLUSH, () => resolve()));
    const body = Buffer.concat(chunks);
    chunks = [];
    const len = Buffer.alloc(4);
    len.writeUInt32BE(body.length);
    out.push(Buffer.concat([len, body]));
  }
  z.close();
  return out;
}

/** Feeds the stream in random pieces, waiting for async rects as RfbClient does. */
export async function readAll(stream: Buffer, width: number, height: number, seed: number, decoders = createDecoders()): Promise<ServerEvent[]> {
  const reader = new ServerMessageReader(decoders, { pixelFormat: RGBX_FORMAT, width, height });
  const q = new ByteQueue();
  const events: ServerEvent[] = [];
  const r = rng(seed);
  try {
    for (let i = 0; i < stream.length; ) {
      const n = 1 + Math.floor(r() * (r() < 0.1 ? 20_000 : 40));
      q.push(stream.subarray(i, i + n));
      i += n;
      for (;;) {
        events.push(...reader.read(q));
        const pending = reader.pending();
        if (!pending) break;
        await pending;
      }
    }
  } finally {
    reader.dispose();
  }
  return events;
}

function pixelsOf(events: ServerEvent[]): Buffer[] {
  return events.flatMap((e) => (e.type === 'rect' && e.rect.kind === 'pixels' ? [e.rect.data] : []));
}

const rgbEqual = (a: Buffer, b: Buffer): boolean => {
  for (let i = 0; i < a.length; i += 4) if (a[i] !== b[i] || a[i + 1] !== b[i + 1] || a[i + 2] !== b[i + 2]) return false;
  return a.length === b.length;
};

describe('Hextile', () => {
  it('decodes raw, background, foreground and coloured-subrect tiles, split anywhere', async () => {
    for (const [w, h, seed] of [[100, 37, 1], [16, 16, 2], [33, 70, 3]] as const) {
      const img = picture(w, h, seed);
      const events = await readAll(update([Buffer.concat([rectHeader(0, 0, w, h, Encoding.Hextile), hextile(img, w, h)])]), w, h, seed);
      const [out] = pixelsOf(events);
      assert.ok(out && rgbEqual(out, img), `${w}x${h}`);
      assert.equal(events.at(-1)!.type, 'update-end');
    }
  });

  it('rejects a first tile without a background and a subrect outside its tile', async () => {
    await assert.rejects(readAll(update([Buffer.concat([rectHeader(0, 0, 16, 16, Encoding.Hextile), Buffer.from([0])])]), 16, 16, 1), RfbProtocolError);
    const bad = Buffer.concat([Buffer.from([2 | 4 | 8]), u32le(0), u32le(1), Buffer.from([1, 0xf0, 0x10])]); // x=15, w=2
    await assert.rejects(readAll(update([Buffer.concat([rectHeader(0, 0, 16, 16, Encoding.Hextile), bad])]), 16, 16, 1), RfbProtocolError);
  });
});

describe('ZRLE', () => {
  it('decodes every subencoding across rects sharing one zlib stream', async () => {
    const w = 150;
    const h = 130;
    const a = picture(w, h, 7);
    const b = picture(w, h, 8);
    const [za, zb] = await zlibRects([zrleTiles(a, w, h), zrleTiles(b, w, h)]);
    const stream = update([Buffer.concat([rectHeader(0, 0, w, h, Encoding.ZRLE), za!]), Buffer.concat([rectHeader(0, 0, w, h, Encoding.ZRLE), zb!])]);
    for (const seed of [1, 2, 3]) {
      const [outA, outB] = pixelsOf(await readAll(stream, w, h, seed));
      assert.ok(outA && rgbEqual(outA, a), 'first rect');
      assert.ok(outB && rgbEqual(outB, b), 'second rect (continues the zlib stream)');
    }
  });

  it("takes its pixel memory from the owner's allocator (the gateway's pool)", async () => {
    const w = 70;
    const h = 65;
    const img = picture(w, h, 9);
    const [z] = await zlibRects([zrleTiles(img, w, h)]);
    const handedOut: Buffer[] = [];
    const allocate = (size: number): Buffer => {
      const b = Buffer.alloc(size);
      handedOut.push(b);
      return b;
    };
    const [out] = pixelsOf(await readAll(update([Buffer.concat([rectHeader(0, 0, w, h, Encoding.ZRLE), z!])]), w, h, 1, createDecoders(allocate)));
    assert.ok(out && rgbEqual(out, img));
    assert.equal(handedOut.length, 1);
    assert.equal(handedOut[0], out, 'the decoded rect is the buffer the allocator gave');
  });

  it('rejects corrupt zlib data, undefined subencodings and data that ends inside a tile', async () => {
    const junk = Buffer.concat([rectHeader(0, 0, 8, 8, Encoding.ZRLE), Buffer.from([0, 0, 0, 4, 1, 2, 3, 4])]);
    await assert.rejects(readAll(update([junk]), 8, 8, 1), RfbProtocolError);
    const [undef] = await zlibRects([Buffer.from([17])]);
    await assert.rejects(readAll(update([Buffer.concat([rectHeader(0, 0, 8, 8, Encoding.ZRLE), undef!])]), 8, 8, 1), RfbProtocolError);
    const [short] = await zlibRects([Buffer.from([0, 1, 2, 3])]);
    await assert.rejects(readAll(update([Buffer.concat([rectHeader(0, 0, 8, 8, Encoding.ZRLE), short!])]), 8, 8, 1), RfbProtocolError);
  });
});

describe('pseudo-encodings', () => {
  it('Cursor: pixels plus a bit mask become RGBA with a hotspot', async () => {
    const w = 10;
    const h = 2;
    const pixels = Buffer.alloc(w * h * 4, 0x80);
    const mask = Buffer.from([0b10000000, 0b01000000, 0xff, 0xff]); // row 0: x=0, x=9; row 1: all
    const [ev] = await readAll(update([Buffer.concat([rectHeader(3, 1, w, h, Encoding.Cursor), pixels, mask])]), 100, 100, 1).then((e) => e.filter((x) => x.type === 'rect'));
    assert.ok(ev?.type === 'rect' && ev.rect.kind === 'cursor');
    const c = ev.rect;
    assert.deepEqual([c.hotX, c.hotY, c.width, c.height], [3, 1, 10, 2]);
    const alpha = (x: number, y: number): number => c.rgba[(y * w + x) * 4 + 3]!;
    assert.deepEqual([alpha(0, 0), alpha(1, 0), alpha(9, 0), alpha(5, 1)], [255, 0, 255, 255]);
  });

  it('ExtendedDesktopSize carries reason, status and screens; LastRect ends an open-ended update', async () => {
    const screen = Buffer.alloc(16);
    screen.writeUInt32BE(7, 0);
    screen.writeUInt16BE(640, 8);
    screen.writeUInt16BE(480, 10);
    const eds = Buffer.concat([rectHeader(1, 0, 640, 480, Encoding.ExtendedDesktopSize), Buffer.from([1, 0, 0, 0]), screen]);
    const last = rectHeader(0, 0, 0, 0, Encoding.LastRect);
    const events = await readAll(Buffer.concat([update([eds, last], 0xffff), update([])]), 320, 240, 1);
    assert.deepEqual(
      events.map((e) => e.type),
      ['update-start', 'rect', 'update-end', 'update-start', 'update-end'],
    );
    const r = events[1]!;
    assert.ok(r.type === 'rect' && r.rect.kind === 'resize');
    assert.deepEqual(r.rect.extended, { reason: 1, status: 0, screens: [{ id: 7, x: 0, y: 0, width: 640, height: 480, flags: 0 }] });
  });
});

describe('sizes a hostile server claims', () => {
  it('DesktopSize and ExtendedDesktopSize above the limits fail the connection', async () => {
    const screen = Buffer.alloc(16);
    const eds = (w: number, h: number): Buffer => Buffer.concat([rectHeader(0, 0, w, h, Encoding.ExtendedDesktopSize), Buffer.from([1, 0, 0, 0]), screen]);
    await assert.rejects(readAll(update([rectHeader(0, 0, 32767, 32767, Encoding.DesktopSize)]), 320, 240, 1), /DesktopSize announces a 32767x32767 desktop/);
    await assert.rejects(readAll(update([eds(16384, 4097)]), 320, 240, 1), /ExtendedDesktopSize announces a 16384x4097 desktop/);
    const ok = await readAll(update([eds(7680, 4320)]), 320, 240, 1);
    assert.ok(ok.some((e) => e.type === 'rect' && e.rect.kind === 'resize' && e.rect.width === 7680));
  });

  it('a Hextile rect is decoded in bands: a big claim with little data allocates one band, not the rect', () => {
    const w = 8192;
    const h = 4096; // 128 MiB if allocated whole
    const reader = new ServerMessageReader(createDecoders(), { pixelFormat: RGBX_FORMAT, width: w, height: h });
    const q = new ByteQueue();
    const before = process.memoryUsage().arrayBuffers;
    // Two tiles of a solid background, then the server goes quiet.
    q.push(Buffer.concat([update([rectHeader(0, 0, w, h, Encoding.Hextile)]), Buffer.from([2]), u32le(0x336699), Buffer.from([0])]));
    const events = reader.read(q);
    const grown = process.memoryUsage().arrayBuffers - before;
    reader.dispose();
    assert.deepEqual(events.map((e) => e.type), ['update-start']);
    assert.ok(grown < 8 << 20, `decoding two tiles of a 8192x4096 rect allocated ${grown} bytes`);
  });

  it('bands of a Hextile rect cover it exactly, in order, each flagged until the last', async () => {
    const w = 4096;
    const h = 200;
    const img = picture(w, h, 9);
    const events = await readAll(update([Buffer.concat([rectHeader(0, 0, w, h, Encoding.Hextile), hextile(img, w, h)])]), w, h, 4);
    const bands = events.flatMap((e) => (e.type === 'rect' && e.rect.kind === 'pixels' ? [e.rect] : []));
    assert.deepEqual(bands.map((b) => [b.y, b.height, b.more ?? false]), [[0, 64, true], [64, 64, true], [128, 64, true], [192, 8, false]]);
    assert.ok(rgbEqual(Buffer.concat(bands.map((b) => b.data)), img));
    assert.equal(events.at(-1)!.type, 'update-end');
  });

  it('a ZRLE rect whose data is too short or too long for its size fails before its pixels are allocated', async () => {
    // 4 bytes of tile data cannot fill 64 tiles.
    const [short] = await zlibRects([Buffer.concat([Buffer.from([1]), cpixel(0xffffff)])]);
    await assert.rejects(readAll(update([Buffer.concat([rectHeader(0, 0, 512, 512, Encoding.ZRLE), short!])]), 512, 512, 1), /ends before its rect is complete/);
    // An 8x8 rect cannot need 10 MB of compressed data: refused from its length alone.
    const huge = Buffer.concat([rectHeader(0, 0, 8, 8, Encoding.ZRLE), Buffer.from([0, 0x98, 0x96, 0x80])]);
    await assert.rejects(readAll(update([huge]), 8, 8, 1), /too large for a 8x8 rect/);
  });
});

describe('ZRLE zlib stream (synchronous inflate)', () => {
  /** One zlib stream cut into rects, each ended with the given flush (as a server would). */
  async function deflatedRects(datas: Buffer[], flush: (i: number) => number): Promise<Buffer[]> {
    const z = createDeflate();
    const out: Buffer[] = [];
    let chunks: Buffer[] = [];
    z.on('data', (b: Buffer) => chunks.push(b));
    for (const [i, d] of datas.entries()) {
      z.write(d);
      await new Promise<void>((resolve) => z.flush(flush(i), () => resolve()));
      out.push(Buffer.concat(chunks));
      chunks = [];
    }
    z.close();
    return out;
  }

  const inputs = (): Buffer[] => {
    const list: Buffer[] = [];
    for (let i = 0; i < 40; i++) {
      // Repetitive data (back-references into earlier rects) with some noise, 1 B .. 80 KB.
      const n = i === 7 ? 80_000 : 1 + ((i * 7919) % 5000);
      const b = Buffer.alloc(n);
      for (let j = 0; j < n; j++) b[j] = (j * 31 + i) % 97 < 80 ? (j >> 3) % 11 : (j * 2654435761) >>> 24;
      list.push(b);
    }
    return list;
  };

  it('inflates sync-flushed rects exactly as one long-lived stream does', async () => {
    const datas = inputs();
    const rects = await deflatedRects(datas, () => constants.Z_SYNC_FLUSH);
    const z = new ZlibStream();
    rects.forEach((r, i) => assert.ok(z.inflate(r, 1 << 20).equals(datas[i]!), `rect ${i}`));
  });

  it('falls back to a streaming inflater for rects that end inside a deflate block', async () => {
    const datas = inputs();
    // Sync flushes first (the fast path), then Z_PARTIAL_FLUSH, whose output is not byte-aligned.
    const rects = await deflatedRects(datas, (i) => (i < 20 ? constants.Z_SYNC_FLUSH : constants.Z_PARTIAL_FLUSH));
    const z = new ZlibStream();
    let got = Buffer.alloc(0);
    for (const r of rects) got = Buffer.concat([got, z.inflate(r, 1 << 20)]);
    const want = Buffer.concat(datas);
    // Partial flushes may hold the last bits of a rect back until the next one; all data arrives.
    assert.ok(want.subarray(0, got.length).equals(got) && got.length >= want.length - 64, `${got.length} of ${want.length} bytes`);
  });

  it('rejects output over the limit and a bad zlib header', async () => {
    const [r] = await deflatedRects([Buffer.alloc(10_000, 1)], () => constants.Z_SYNC_FLUSH);
    assert.throws(() => new ZlibStream().inflate(r!, 100), RfbProtocolError);
    assert.throws(() => new ZlibStream().inflate(Buffer.from([0x78, 0x00, 0, 0, 0xff, 0xff]), 100), RfbProtocolError);
  });
});
