// Replays Guacamole drawing instructions (size, img/blob/end with PNG or JPEG, copy, rect +
// cfill) onto an
// RGBA canvas for the default layer, the way guacamole-common-js draws them, so tests can
// compare the picture a viewer would show with the remote framebuffer. JPEG images need an
// asynchronous decoder: they are kept in order and drawn by `settle()`; `lossy` marks the
// pixels they cover (lossless comparisons skip those).
import { Instruction } from '../../src-main/display/guacamole/protocol';
import { decodePng } from './png';

/** Queue marker (not a Guacamole opcode): draw JPEG number N at (x, y). */
const JPEG_READY = '.jpeg-ready';

export class GuacCanvas {
  width = 0;
  height = 0;
  rgba = Buffer.alloc(0);
  /** 1 where the last image drawn was lossy (JPEG). */
  lossy = new Uint8Array(0);
  /** JPEGs received, in order (with where they were drawn). */
  readonly jpegs: { x: number; y: number; data: Buffer }[] = [];
  private queue: Instruction[] = [];
  private decodeJpeg: ((jpeg: Buffer) => Promise<{ width: number; height: number; rgba: Buffer }>) | null = null;

  /** Lets JPEG images be drawn: instructions after the first JPEG wait for `settle()`. */
  withJpeg(decode: (jpeg: Buffer) => Promise<{ width: number; height: number; rgba: Buffer }>): this {
    this.decodeJpeg = decode;
    return this;
  }

  /** Draws everything held back behind JPEG images. */
  async settle(): Promise<void> {
    while (this.queue.length > 0) {
      const ins = this.queue.shift()!;
      const [opcode, ...a] = ins;
      if (opcode === JPEG_READY) {
        const img = await this.decodeJpeg!(this.jpegs[Number(a[0])]!.data);
        this.blit(img.rgba, img.width, img.height, Number(a[1]), Number(a[2]), 1);
      } else {
        const held = this.draw(ins);
        if (held) this.queue.unshift(held);
      }
    }
  }
  private readonly streams = new Map<string, { layer: number; x: number; y: number; mimetype: string; parts: string[] }>();
  /** The default layer's current path: rects since the last fill. */
  private path: number[][] = [];

  apply(ins: Instruction): void {
    if (this.queue.length > 0) {
      this.queue.push(ins);
      return;
    }
    const held = this.draw(ins);
    if (held) this.queue.push(held);
  }

  /** Draws one instruction; a JPEG comes back as a marker to draw once decoded. */
  private draw(ins: Instruction): Instruction | null {
    const [opcode, ...a] = ins;
    switch (opcode) {
      case 'size':
        if (a[0] === '0') this.resize(Number(a[1]), Number(a[2]));
        break;
      case 'img':
        this.streams.set(a[0]!, { layer: Number(a[2]), mimetype: a[3]!, x: Number(a[4]), y: Number(a[5]), parts: [] });
        break;
      case 'blob':
        this.streams.get(a[0]!)?.parts.push(a[1]!);
        break;
      case 'end': {
        const s = this.streams.get(a[0]!);
        this.streams.delete(a[0]!);
        if (!s || s.layer !== 0) break;
        const body = Buffer.concat(s.parts.map((p) => Buffer.from(p, 'base64')));
        if (s.mimetype === 'image/jpeg' && this.decodeJpeg) {
          this.jpegs.push({ x: s.x, y: s.y, data: body });
          // Later instructions wait until the JPEG is decoded and drawn (settle()).
          return [JPEG_READY, String(this.jpegs.length - 1), String(s.x), String(s.y)];
        }
        if (s.mimetype !== 'image/png') throw new Error(`unexpected ${s.mimetype}`);
        const png = decodePng(body);
        this.blit(png.rgba, png.width, png.height, s.x, s.y, 0);
        break;
      }
      case 'rect':
        if (a[0] === '0') this.path.push(a.slice(1, 5).map(Number));
        break;
      case 'cfill': {
        // cfill,mask,layer,r,g,b,a: fills the path (opaque colours only here), which then starts afresh.
        if (a[1] !== '0') break;
        const [r, g, b, alpha] = a.slice(2, 6).map(Number) as number[];
        if (alpha !== 255) throw new Error(`unexpected translucent cfill (alpha ${alpha})`);
        for (const [x, y, w, h] of this.path) {
          const colour = Buffer.alloc(w! * h! * 4);
          for (let i = 0; i < colour.length; i += 4) colour.set([r!, g!, b!, 255], i);
          this.blit(colour, w!, h!, x!, y!, 0);
        }
        this.path = [];
        break;
      }
      case 'copy': {
        const [src, sx, sy, w, h, , dst, dx, dy] = a.map(Number) as number[];
        if (src !== 0 || dst !== 0) break;
        const region = Buffer.alloc(w! * h! * 4);
        for (let r = 0; r < h!; r++) this.rgba.copy(region, r * w! * 4, ((sy! + r) * this.width + sx!) * 4, ((sy! + r) * this.width + sx! + w!) * 4);
        const lossy = new Uint8Array(w! * h!);
        for (let r = 0; r < h!; r++) lossy.set(this.lossy.subarray((sy! + r) * this.width + sx!, (sy! + r) * this.width + sx! + w!), r * w!);
        this.blit(region, w!, h!, dx!, dy!, lossy);
        break;
      }
    }
    return null;
  }

  private resize(width: number, height: number): void {
    const old = this.rgba;
    const oldWidth = this.width;
    const oldHeight = this.height;
    this.width = width;
    this.height = height;
    this.rgba = Buffer.alloc(width * height * 4);
    const oldLossy = this.lossy;
    this.lossy = new Uint8Array(width * height);
    for (let y = 0; y < Math.min(height, oldHeight); y++) {
      this.lossy.set(oldLossy.subarray(y * oldWidth, y * oldWidth + Math.min(width, oldWidth)), y * width);
    }
    // guacamole-common-js keeps the old contents where they still fit.
    for (let y = 0; y < Math.min(height, oldHeight); y++) {
      old.copy(this.rgba, y * width * 4, y * oldWidth * 4, y * oldWidth * 4 + Math.min(width, oldWidth) * 4);
    }
  }

  /** Copies pixels in; `lossy` is 1/0 for the whole image or per pixel (a copied area keeps its marks). */
  private blit(src: Buffer, w: number, h: number, x: number, y: number, lossy: 0 | 1 | Uint8Array): void {
    for (let r = 0; r < h; r++) {
      if (y + r >= this.height) break;
      const cols = Math.min(w, this.width - x);
      src.copy(this.rgba, ((y + r) * this.width + x) * 4, r * w * 4, r * w * 4 + cols * 4);
      const at = (y + r) * this.width + x;
      if (typeof lossy === 'number') this.lossy.fill(lossy, at, at + cols);
      else this.lossy.set(lossy.subarray(r * w, r * w + cols), at);
    }
  }
}
