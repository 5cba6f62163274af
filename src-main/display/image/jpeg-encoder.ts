// JPEG for photographic regions, encoded by libvips (the `sharp` package) on libuv's thread
// pool: the event loop only hands the pixels over. Why sharp: it ships prebuilt N-API
// binaries (libjpeg-turbo/mozjpeg inside) through npm, with no download at install time; a
// 512x384 photo encodes in ~8 ms off the loop, where a pure-JS encoder (jpeg-js) would block
// the loop for several times that.
//
// sharp is loaded on first use, so a process that never meets a JPEG-capable viewer never
// loads it, and a platform where it cannot load falls back to PNG (`jpegAvailable`).
import type { Sharp, SharpOptions } from 'sharp';
import { PixelSource } from './png-encoder';

type SharpFactory = (input: Buffer, options: SharpOptions) => Sharp;

let loading: Promise<SharpFactory | null> | null = null;
let loaded: SharpFactory | null | undefined;

/** Starts loading sharp; resolves to false if it cannot be loaded here. */
export function loadJpegEncoder(): Promise<boolean> {
  loading ??= import('sharp').then(
    (m) => {
      const sharp = (m.default ?? m) as unknown as SharpFactory & { cache(on: boolean): void; concurrency(n?: number): number };
      // Every input is a fresh raw buffer: libvips' operation cache would only hold memory.
      sharp.cache(false);
      // One libvips thread per image: images already encode in parallel on libuv's pool.
      sharp.concurrency(1);
      loaded = sharp;
      return sharp;
    },
    () => {
      loaded = null;
      return null;
    },
  );
  return loading.then((s) => s !== null);
}

/** True once sharp has loaded (JPEG can be used); false before or if it cannot load. */
export function jpegAvailable(): boolean {
  return typeof loaded === 'function';
}

/** Quality 80: guacd's default for lossy updates is close (its JPEG quality adapts 30–90). */
export const JPEG_QUALITY = 80;

/** Encodes opaque R,G,B,X pixels as a baseline JPEG (alpha dropped, 4:2:0). Requires `jpegAvailable()`. */
export async function encodeJpeg(src: PixelSource, quality = JPEG_QUALITY): Promise<Buffer> {
  if (!loaded) throw new Error('JPEG encoder not loaded');
  const { width, height } = src;
  const stride = src.stride ?? width * 4;
  const offset = src.offset ?? 0;
  // sharp wants tightly packed rows; the framebuffer snapshots and decoded rects already are.
  const data = stride === width * 4 && offset === 0 && src.data.length === width * height * 4 ? src.data : pack(src);
  return loaded(data, { raw: { width, height, channels: 4 } })
    .removeAlpha()
    .jpeg({ quality, chromaSubsampling: '4:2:0', optimizeCoding: false, mozjpeg: false })
    .toBuffer();
}

function pack(src: PixelSource): Buffer {
  const { width, height } = src;
  const stride = src.stride ?? width * 4;
  const offset = src.offset ?? 0;
  const out = Buffer.allocUnsafe(width * height * 4);
  for (let y = 0; y < height; y++) src.data.copy(out, y * width * 4, offset + y * stride, offset + y * stride + width * 4);
  return out;
}
