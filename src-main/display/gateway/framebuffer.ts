// Server-side copy of the remote screen (RGBA, opaque), kept in step with every update so a
// region can be re-sent at any time (e.g. after a resize or to a client that lost frames).

export class Framebuffer {
  data: Buffer;

  constructor(
    public width: number,
    public height: number,
  ) {
    this.data = Framebuffer.blank(width, height);
  }

  private static blank(width: number, height: number): Buffer {
    const b = Buffer.alloc(width * height * 4);
    for (let i = 3; i < b.length; i += 4) b[i] = 255;
    return b;
  }

  /** New size: contents are undefined until the server redraws (black here). */
  resize(width: number, height: number): void {
    this.width = width;
    this.height = height;
    this.data = Framebuffer.blank(width, height);
  }

  /** Writes R,G,B,X pixels (rows of width*4 bytes), forcing alpha to 255. */
  putRgbx(x: number, y: number, width: number, height: number, src: Buffer): void {
    const row = width * 4;
    for (let r = 0; r < height; r++) {
      const dst = ((y + r) * this.width + x) * 4;
      src.copy(this.data, dst, r * row, r * row + row);
      for (let i = dst + 3; i < dst + row; i += 4) this.data[i] = 255;
    }
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

  /** A snapshot of a region (later updates do not change it). */
  region(x: number, y: number, width: number, height: number): Buffer {
    const out = Buffer.allocUnsafe(width * height * 4);
    const row = width * 4;
    for (let r = 0; r < height; r++) {
      const from = ((y + r) * this.width + x) * 4;
      this.data.copy(out, r * row, from, from + row);
    }
    return out;
  }
}
