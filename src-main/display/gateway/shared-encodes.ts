// Regions of the framebuffer encoded for one viewer and kept for the others while the
// framebuffer stays unchanged. Viewers that fall behind by the same changes (ten viewers across
// the same slow network) get the same catch-up frame: it is encoded once, not once per viewer.
// The live path shares its encodes by itself (a RegionEncoder per rect, see vnc-connection.ts).

import type { RegionEncode } from '../image/region-encoder';

export class SharedEncodes {
  private readonly byRegion = new Map<string, RegionEncode>();

  /** The framebuffer changed: nothing encoded before fits any more. */
  changed(): void {
    if (this.byRegion.size > 0) this.byRegion.clear();
  }

  /** The region's encode for a viewer that takes JPEG (`lossy`) or not, made by `encode` on first use. */
  take(lossy: boolean, x: number, y: number, width: number, height: number, encode: () => RegionEncode): RegionEncode {
    const key = `${lossy ? 'l' : 'p'}${x},${y},${width},${height}`;
    let e = this.byRegion.get(key);
    if (!e) {
      e = encode();
      this.byRegion.set(key, e);
    }
    return e;
  }
}
