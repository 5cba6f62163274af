// Changed areas a viewer has not been sent yet. Rects are merged when one image of their
// union costs less than separate images (each image carries ~100 bytes of instructions and
// PNG headers, and small images compress worse), and collapse to their bounding box when
// there are many, as guacd's display optimizer combines updates.

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Pixels an extra image is worth (its fixed overhead expressed as area). */
const IMAGE_COST = 32 * 32;
const MAX_RECTS = 32;

const area = (r: Rect): number => r.width * r.height;

export function union(a: Rect, b: Rect): Rect {
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return { x, y, width: Math.max(a.x + a.width, b.x + b.width) - x, height: Math.max(a.y + a.height, b.y + b.height) - y };
}

function overlaps(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

export class DirtyRegion {
  private rects: Rect[] = [];

  /** `imageCost`: the pixels an extra image is worth (a larger value merges more eagerly). */
  constructor(private readonly imageCost = IMAGE_COST) {}

  get empty(): boolean {
    return this.rects.length === 0;
  }

  /** Rects held (after merging). */
  get count(): number {
    return this.rects.length;
  }

  add(rect: Rect): void {
    if (rect.width <= 0 || rect.height <= 0) return;
    let r = rect;
    for (let merged = true; merged; ) {
      merged = false;
      for (let i = 0; i < this.rects.length; i++) {
        const e = this.rects[i]!;
        const u = union(e, r);
        if (overlaps(e, r) || area(u) <= area(e) + area(r) + this.imageCost) {
          this.rects.splice(i, 1);
          r = u;
          merged = true;
          break;
        }
      }
    }
    this.rects.push(r);
    if (this.rects.length > MAX_RECTS) this.rects = [this.rects.reduce(union)];
  }

  /** The merged rects, clipped to width x height; the region is empty afterwards. */
  take(width: number, height: number): Rect[] {
    const out: Rect[] = [];
    for (const r of this.rects) {
      const x = Math.max(0, r.x);
      const y = Math.max(0, r.y);
      const w = Math.min(width, r.x + r.width) - x;
      const h = Math.min(height, r.y + r.height) - y;
      if (w > 0 && h > 0) out.push({ x, y, width: w, height: h });
    }
    this.rects = [];
    return out;
  }

  clear(): void {
    this.rects = [];
  }
}
