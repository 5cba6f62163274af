// Replays Guacamole drawing instructions (size, img/blob/end with PNG, copy) onto an RGBA
// canvas for the default layer, the way guacamole-common-js draws them, so tests can compare
// the picture a viewer would show with the remote framebuffer.
import { Instruction } from '../../src-main/display/guacamole/protocol';
import { decodePng } from './png';

export class GuacCanvas {
  width = 0;
  height = 0;
  rgba = Buffer.alloc(0);
  private readonly streams = new Map<string, { layer: number; x: number; y: number; mimetype: string; parts: string[] }>();

  apply([opcode, ...a]: Instruction): void {
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
        if (s.mimetype !== 'image/png') throw new Error(`unexpected ${s.mimetype}`);
        const png = decodePng(Buffer.concat(s.parts.map((p) => Buffer.from(p, 'base64'))));
        this.blit(png.rgba, png.width, png.height, s.x, s.y);
        break;
      }
      case 'copy': {
        const [src, sx, sy, w, h, , dst, dx, dy] = a.map(Number) as number[];
        if (src !== 0 || dst !== 0) break;
        const region = Buffer.alloc(w! * h! * 4);
        for (let r = 0; r < h!; r++) this.rgba.copy(region, r * w! * 4, ((sy! + r) * this.width + sx!) * 4, ((sy! + r) * this.width + sx! + w!) * 4);
        this.blit(region, w!, h!, dx!, dy!);
        break;
      }
    }
  }

  private resize(width: number, height: number): void {
    const old = this.rgba;
    const oldWidth = this.width;
    const oldHeight = this.height;
    this.width = width;
    this.height = height;
    this.rgba = Buffer.alloc(width * height * 4);
    // guacamole-common-js keeps the old contents where they still fit.
    for (let y = 0; y < Math.min(height, oldHeight); y++) {
      old.copy(this.rgba, y * width * 4, y * oldWidth * 4, y * oldWidth * 4 + Math.min(width, oldWidth) * 4);
    }
  }

  private blit(src: Buffer, w: number, h: number, x: number, y: number): void {
    for (let r = 0; r < h; r++) {
      if (y + r >= this.height) break;
      const cols = Math.min(w, this.width - x);
      src.copy(this.rgba, ((y + r) * this.width + x) * 4, r * w * 4, r * w * 4 + cols * 4);
    }
  }
}
