// Hextile (5): the rect is cut into 16x16 tiles, left to right, top to bottom. Each tile
// starts with a subencoding mask: Raw (1) = plain pixels follow; otherwise an optional
// background (2) and foreground (4) colour, which carry over to later tiles of the same
// rect, then optional subrects (8), each coloured (16) or in the foreground colour.
// Tiles are consumed as soon as each is complete, so a huge rect never sits in the queue whole.
import { ByteQueue } from '../byte-queue';
import { Encoding } from '../encodings';
import { RfbProtocolError } from '../errors';
import { assertInside, assertRgbx } from './bounds';
import { DecodedRect, RectDecoder, RectHeader } from './decoder';

const RAW = 1;
const BACKGROUND = 2;
const FOREGROUND = 4;
const ANY_SUBRECTS = 8;
const SUBRECTS_COLOURED = 16;

interface Progress {
  header: RectHeader;
  out: Buffer;
  tile: number;
  tilesX: number;
  tiles: number;
  bg: number;
  fg: number;
  haveBg: boolean;
}

/** Bytes the tile at the queue's head needs, or -1 if even that is not known yet. */
function tileSize(q: ByteQueue, tw: number, th: number): number {
  if (q.length < 1) return -1;
  const mask = q.peekU8(0);
  if (mask & RAW) return 1 + tw * th * 4;
  let n = 1;
  if (mask & BACKGROUND) n += 4;
  if (mask & FOREGROUND) n += 4;
  if (mask & ANY_SUBRECTS) {
    if (q.length < n + 1) return -1;
    const count = q.peekU8(n);
    n += 1 + count * (mask & SUBRECTS_COLOURED ? 6 : 2);
  }
  return n;
}

function fill(p: Progress, colour: number, x0: number, y0: number, w: number, h: number): void {
  const { out } = p;
  const width = p.header.width;
  for (let y = y0; y < y0 + h; y++) {
    let i = (y * width + x0) * 4;
    for (let x = 0; x < w; x++, i += 4) out.writeUInt32LE(colour, i);
  }
}

export function createHextileDecoder(): RectDecoder {
  let p: Progress | null = null;

  const decodeTile = (q: ByteQueue, progress: Progress): boolean => {
    const { header } = progress;
    const tx = (progress.tile % progress.tilesX) * 16;
    const ty = Math.floor(progress.tile / progress.tilesX) * 16;
    const tw = Math.min(16, header.width - tx);
    const th = Math.min(16, header.height - ty);
    const size = tileSize(q, tw, th);
    if (size < 0 || q.length < size) return false;
    const b = q.read(size);
    const mask = b[0]!;
    if (mask & RAW) {
      for (let r = 0; r < th; r++) b.copy(progress.out, ((ty + r) * header.width + tx) * 4, 1 + r * tw * 4, 1 + (r + 1) * tw * 4);
      progress.tile++;
      return true;
    }
    let o = 1;
    if (mask & BACKGROUND) {
      progress.bg = b.readUInt32LE(o);
      progress.haveBg = true;
      o += 4;
    }
    if (!progress.haveBg) throw new RfbProtocolError('Hextile tile without a background colour');
    if (mask & FOREGROUND) {
      progress.fg = b.readUInt32LE(o);
      o += 4;
    }
    fill(progress, progress.bg, tx, ty, tw, th);
    if (mask & ANY_SUBRECTS) {
      const count = b[o++]!;
      const coloured = (mask & SUBRECTS_COLOURED) !== 0;
      for (let i = 0; i < count; i++) {
        let colour = progress.fg;
        if (coloured) {
          colour = b.readUInt32LE(o);
          o += 4;
        }
        const xy = b[o++]!;
        const wh = b[o++]!;
        const sx = xy >> 4;
        const sy = xy & 15;
        const sw = (wh >> 4) + 1;
        const sh = (wh & 15) + 1;
        if (sx + sw > tw || sy + sh > th) throw new RfbProtocolError('Hextile subrect outside its tile');
        fill(progress, colour, tx + sx, ty + sy, sw, sh);
      }
    }
    progress.tile++;
    return true;
  };

  return {
    encoding: Encoding.Hextile,
    decode(h, q, ctx): DecodedRect | null {
      if (!p) {
        assertRgbx(ctx, 'Hextile');
        assertInside(h, ctx);
        const tilesX = Math.ceil(h.width / 16);
        const tiles = tilesX * Math.ceil(h.height / 16);
        // Alpha bytes are left 0 (X): consumers treat every pixel as opaque.
        p = { header: h, out: Buffer.alloc(h.width * h.height * 4), tile: 0, tilesX, tiles, bg: 0, fg: 0, haveBg: false };
      }
      while (p.tile < p.tiles) if (!decodeTile(q, p)) return null;
      const done: DecodedRect = { kind: 'pixels', x: h.x, y: h.y, width: h.width, height: h.height, data: p.out };
      p = null;
      return done;
    },
    dispose() {
      p = null;
    },
  };
}
