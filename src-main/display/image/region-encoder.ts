// How a region of the screen is sent, decided in one place for the live path, catch-up frames
// and refreshes: one colour is a fill (`rect` + `cfill`), a photographic area is JPEG for a
// viewer that takes it, anything else PNG. Each encoding is made once, on first use, and shared
// by every viewer that needs it.
import { pixelBuffers } from './buffer-pool';
import { looksPhotographic } from './classify';
import { encodeJpeg } from './jpeg-encoder';
import { PixelSource, pngBody } from './png-encoder';
import { solidColour } from './solid-colour';

type ImageEncode = { format: 'png' | 'jpeg'; body: Buffer | Promise<Buffer> };
export type RegionEncode = ImageEncode | { format: 'fill'; colour: number };

/** One region's pixels (a framebuffer snapshot from the buffer pool) and what was encoded of them. */
export class RegionEncoder {
  private colour: number | null | undefined;
  private photographic: boolean | undefined;
  private png: ImageEncode | undefined;
  private jpeg: ImageEncode | undefined;

  constructor(private readonly pixels: PixelSource) {}

  /** The region for a viewer that takes JPEG (`lossy`) or not. */
  take(lossy: boolean): RegionEncode {
    this.colour ??= solidColour(this.pixels);
    if (this.colour !== null) return { format: 'fill', colour: this.colour };
    if (lossy && (this.photographic ??= looksPhotographic(this.pixels))) {
      return (this.jpeg ??= { format: 'jpeg', body: encodeJpeg(this.pixels) });
    }
    return (this.png ??= { format: 'png', body: pngBody(this.pixels) });
  }

  /** No more takes: the pixels go back to the buffer pool once what is encoding is done. */
  release(): void {
    const pending = [this.png?.body, this.jpeg?.body].filter((body) => body instanceof Promise);
    const give = (): void => pixelBuffers.give(this.pixels.data);
    if (pending.length === 0) give();
    else void Promise.allSettled(pending).then(give);
  }
}

/** One region encoded for one kind of viewer; its pixels go back to the pool once encoded. */
export function encodeRegion(pixels: PixelSource, lossy: boolean): RegionEncode {
  const region = new RegionEncoder(pixels);
  const encode = region.take(lossy);
  region.release();
  return encode;
}
