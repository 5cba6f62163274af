// Lossless or lossy? A region goes out as JPEG only when it is large and looks photographic;
// everything else (text, UI, flat colours, gradients of few colours) stays PNG and is drawn
// pixel-exact.
//
// The test, cheap enough for every rect (a sample of at most ~4096 pixels): in natural
// images almost every pixel differs from its left neighbour, while desktop content is made
// of runs (backgrounds, glyph strokes, borders). guacd uses the same signal (its "PNG
// optimality": equal vs. different neighbours) together with how often the area changes;
// we also require many distinct colours in the sample, which rejects dithered or patterned
// backgrounds (few colours, but few equal neighbours either).
import { PixelSource } from './png-encoder';

/** Below this many pixels JPEG's headers and 8x8 blocks cost more than they save (guacd: 4096). */
export const JPEG_MIN_AREA = 64 * 64;
/** Sampled pixels (rows spread over the region, each row read in full up to this width). */
const SAMPLE_PIXELS = 4096;
/** At most this fraction of sampled pixels may equal their left neighbour. */
const MAX_EQUAL_FRACTION = 0.2;
/** At least this many distinct colours among the sampled pixels (quantized to 15 bits). */
const MIN_DISTINCT = 256;

export function looksPhotographic(src: PixelSource): boolean {
  const { width, height, data } = src;
  if (width * height < JPEG_MIN_AREA || width < 16 || height < 16) return false;
  const stride = src.stride ?? width * 4;
  const base = src.offset ?? 0;
  const cols = Math.min(width, 256);
  const rows = Math.max(1, Math.min(height, Math.floor(SAMPLE_PIXELS / cols)));
  const colStep = width / cols;
  const seen = new Uint8Array(1 << 15);
  let distinct = 0;
  let equal = 0;
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const y = Math.floor(((r + 0.5) * height) / rows);
    const row = base + y * stride;
    for (let c = 1; c < cols; c++) {
      const x = Math.floor(c * colStep);
      const i = row + x * 4;
      const red = data[i]!;
      const green = data[i + 1]!;
      const blue = data[i + 2]!;
      // Equality with the true left neighbour (x - 1), not the previous sample.
      if (red === data[i - 4] && green === data[i - 3] && blue === data[i - 2]) equal++;
      total++;
      const key = ((red >> 3) << 10) | ((green >> 3) << 5) | (blue >> 3);
      if (!seen[key]) {
        seen[key] = 1;
        distinct++;
      }
    }
  }
  return total > 0 && equal <= total * MAX_EQUAL_FRACTION && distinct >= MIN_DISTINCT;
}
