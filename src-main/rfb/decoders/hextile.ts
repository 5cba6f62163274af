// Hextile (5): the rect is cut into 16x16 tiles, left to right, top to bottom. Each tile
// starts with a subencoding mask: Raw (1) = plain pixels follow; otherwise an optional
// background (2) and foreground (4) colour, which carry over to later tiles of the same
// rect, then optional subrects (8), each coloured (16) or in the foreground colour.
// Tiles are consumed as soon as each is complete, so a huge rect never sits in the queue whole,
// and pixels are handed out in bands of whole tile rows (at most BAND_BYTES each), each band
// allocated when its first tile arrives: a server that announces a big rect and sends little
// costs us one band, not the rect's claimed size.
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

/** Output held for one band of a rect (16 rows of a 16384-wide rect are exactly this). */
const BAND_BYTES = 1 << 20;

interface Progress {
  header: RectHeader;
  /** The current band: rows bandY .. bandY + bandRows of the rect. */
  out: Buffer;
  bandY: number;
  bandRows: number;
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
  for (let y = y0 - p.bandY; y < y0 - p.bandY + h; y++) {
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
      const top = ty - progress.bandY;
      for (let r = 0; r < th; r++) b.copy(progress.out, ((top + r) * header.width + tx) * 4, 1 + r * tw * 4, 1 + (r + 1) * tw * 4);
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

  /** Starts the band holding the next tile once that tile's first byte is here. */
  const startBand = (q: ByteQueue, progress: Progress): boolean => {
    if (q.length < 1) return false;
    const { header } = progress;
    const bandY = Math.floor(progress.tile / progress.tilesX) * 16;
    const rowsPerBand = Math.max(16, Math.floor(BAND_BYTES / (header.width * 4) / 16) * 16);
    progress.bandY = bandY;
    progress.bandRows = Math.min(rowsPerBand, header.height - bandY);
    // Alpha bytes are left 0 (X): consumers treat every pixel as opaque.
    progress.out = Buffer.alloc(header.width * progress.bandRows * 4);
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
        p = { header: h, out: EMPTY, bandY: 0, bandRows: 0, tile: 0, tilesX, tiles, bg: 0, fg: 0, haveBg: false };
      }
      if (p.tiles === 0) {
        p = null;
        return { kind: 'pixels', x: h.x, y: h.y, width: h.width, height: h.height, data: EMPTY };
      }
      if (p.bandRows === 0 && !startBand(q, p)) return null;
      const bandEnd = Math.ceil((p.bandY + p.bandRows) / 16) * p.tilesX;
      while (p.tile < bandEnd) if (!decodeTile(q, p)) return null;
      const band: DecodedRect = { kind: 'pixels', x: h.x, y: h.y + p.bandY, width: h.width, height: p.bandRows, data: p.out };
      if (p.tile < p.tiles) {
        p.bandRows = 0;
        p.out = EMPTY;
        return { ...band, more: true };
      }
      p = null;
      return band;
    },
    dispose() {
      p = null;
    },
  };
}

const EMPTY = Buffer.alloc(0);
