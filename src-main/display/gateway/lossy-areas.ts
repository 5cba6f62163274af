// Areas of one viewer's display that currently show lossy (JPEG) pixels, each with the time
// lossy pixels last reached it. Once an area has been still for a while it is due for a
// lossless refresh, so a still picture ends pixel-exact (as guacd's does). An area that keeps
// changing keeps getting JPEG and stays lossy until it settles. Overlapping areas merge (their
// bounding box, the newer time), and many collapse to one, so the list stays short.
import { Rect, union } from './dirty-region';

interface LossyArea extends Rect {
  at: number;
}

const MAX_AREAS = 32;

const overlaps = (a: Rect, b: Rect): boolean =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

const contains = (outer: Rect, inner: Rect): boolean =>
  inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height;

/** `a` minus the overlapping `r`: up to four bands (above, below, left, right of `r`). */
function subtract(a: LossyArea, r: Rect): LossyArea[] {
  const top = Math.max(a.y, r.y);
  const bottom = Math.min(a.y + a.height, r.y + r.height);
  const bands: LossyArea[] = [
    { x: a.x, y: a.y, width: a.width, height: top - a.y, at: a.at },
    { x: a.x, y: bottom, width: a.width, height: a.y + a.height - bottom, at: a.at },
    { x: a.x, y: top, width: Math.max(a.x, r.x) - a.x, height: bottom - top, at: a.at },
    { x: r.x + r.width, y: top, width: a.x + a.width - (r.x + r.width), height: bottom - top, at: a.at },
  ];
  return bands.filter((b) => b.width > 0 && b.height > 0);
}

/** The areas, or past MAX_AREAS their one bounding area (the newest time), so the list stays short. */
function bounded(areas: LossyArea[]): LossyArea[] {
  if (areas.length <= MAX_AREAS) return areas;
  return [areas.reduce((u, b) => ({ ...union(u, b), at: Math.max(u.at, b.at) }))];
}

export class LossyAreas {
  private areas: LossyArea[] = [];

  get empty(): boolean {
    return this.areas.length === 0;
  }

  /** Lossy pixels were drawn over `rect` at `now`. */
  add(rect: Rect, now: number): void {
    if (rect.width <= 0 || rect.height <= 0) return;
    let a: LossyArea = { ...rect, at: now };
    for (let merged = true; merged; ) {
      merged = false;
      for (let i = 0; i < this.areas.length; i++) {
        const b = this.areas[i]!;
        if (!overlaps(a, b)) continue;
        a = { ...union(a, b), at: Math.max(a.at, b.at) };
        this.areas.splice(i, 1);
        merged = true;
        break;
      }
    }
    this.areas.push(a);
    this.areas = bounded(this.areas);
  }

  /**
   * Lossless pixels were drawn over `rect`: what it covers is exact again (an area partly
   * covered keeps only its uncovered bands, so a picture redrawn piecewise is not refreshed).
   */
  drawnLosslessly(rect: Rect): void {
    if (this.areas.length === 0) return;
    const kept: LossyArea[] = [];
    for (const a of this.areas) {
      if (!overlaps(a, rect)) kept.push(a);
      else if (!contains(rect, a)) kept.push(...subtract(a, rect));
    }
    this.areas = bounded(kept);
  }

  /** A `copy` from `src` to `dst`: lossy pixels copied make the destination lossy too. */
  copied(src: Rect, dst: Rect, now: number): void {
    if (this.areas.some((a) => overlaps(a, src))) this.add(dst, now);
    else this.drawnLosslessly(dst);
  }

  /** When the next area becomes due (ms timestamp), or null if none is lossy. */
  nextDue(stillMs: number): number | null {
    if (this.areas.length === 0) return null;
    return Math.min(...this.areas.map((a) => a.at)) + stillMs;
  }

  /** Removes and returns the areas that have been still for `stillMs` at `now`. */
  takeDue(now: number, stillMs: number): Rect[] {
    const due: Rect[] = [];
    this.areas = this.areas.filter((a) => {
      if (now - a.at < stillMs) return true;
      due.push({ x: a.x, y: a.y, width: a.width, height: a.height });
      return false;
    });
    return due;
  }

  clear(): void {
    this.areas = [];
  }
}
