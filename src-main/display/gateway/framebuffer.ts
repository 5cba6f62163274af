// Server-side copy of the remote screen (R,G,B,X), kept in step with every update so a
// region can be re-sent at any time (e.g. after a resize or to a client that lost frames).
// The fourth byte is whatever the decoder left there: every image made from it is opaque
// (PNG without alpha, JPEG), so it is never read — and not forcing it to 255 saves a pass
// over every pixel (a blank 1024x768 framebuffer took ~10 ms to fill byte by byte).
// Its memory and its region snapshots come from the display path's buffer pool.
import { pixelBuffers } from '../image/buffer-pool';

export class Framebuffer {
  data: Buffer;

  constructor(
    public width: number,
    public height: number,
  ) {
    this.data = Framebuffer.blank(width, height);
  }

  private static blank(width: number, height: number): Buffer {
    // Zeroed: a pooled buffer may hold another desktop's pixels.
    return pixelBuffers.takeZeroed(width * height * 4);
  }

  /** New size: contents are undefined until the server redraws (black here). */
  resize(width: number, height: number): void {
    pixelBuffers.give(this.data);
    this.width = width;
    this.height = height;
    this.data = Framebuffer.blank(width, height);
  }

  /** The connection ended: its memory goes back to the pool (the framebuffer is empty afterwards). */
  release(): void {
    pixelBuffers.give(this.data);
    this.width = 0;
    this.height = 0;
    this.data = Buffer.alloc(0);
  }

  /** Writes R,G,B,X pixels (rows of width*4 bytes). */
  putRgbx(x: number, y: number, width: number, height: number, src: Buffer): void {
    const row = width * 4;
    if (x === 0 && width === this.width) {
      src.copy(this.data, y * row, 0, row * height); // full rows: one copy
      return;
    }
    for (let r = 0; r < height; r++) src.copy(this.data, ((y + r) * this.width + x) * 4, r * row, r * row + row);
  }

  /** CopyRect semantics: source and destination may overlap. */
  copy(srcX: number, srcY: number, x: number, y: number, width: number, height: number): void {
    const row = width * 4;
    // Buffer.copy is a memmove within a row; walk rows away from the overlap.
    const down = y > srcY;
    for (let i = 0; i < height; i++) {
      const r = down ? height - 1 - i : i;
      const from = ((srcY + r) * this.width + srcX) * 4;
      this.data.copy(this.data, ((y + r) * this.width + x) * 4, from, from + row);
    }
  }

  /** A snapshot of a region (later updates do not change it); hand it to the pool when done. */
  region(x: number, y: number, width: number, height: number): Buffer {
    const out = pixelBuffers.take(width * height * 4);
    const row = width * 4;
    for (let r = 0; r < height; r++) {
      const from = ((y + r) * this.width + x) * 4;
      this.data.copy(out, r * row, from, from + row);
    }
    return out;
  }
}
