// An area of one colour is drawn by the client from a colour, not from an image: guacd's
// `rect` + `cfill` is ~60 bytes whatever the size, where even a tiny PNG is ~100 with its
// stream instructions. The check stops at the first pixel that differs, so areas with
// content (almost every one) cost a few pixels' reads.
import { PixelSource } from './png-encoder';

/** The R,G,B colour (0xRRGGBB) if every pixel has it, else null. */
export function solidColour(src: PixelSource): number | null {
  const { data, width, height } = src;
  const stride = src.stride ?? width * 4;
  const base = src.offset ?? 0;
  const r = data[base]!;
  const g = data[base + 1]!;
  const b = data[base + 2]!;
  for (let y = 0; y < height; y++) {
    for (let i = base + y * stride, end = i + width * 4; i < end; i += 4) {
      if (data[i] !== r || data[i + 1] !== g || data[i + 2] !== b) return null;
    }
  }
  return (r << 16) | (g << 8) | b;
}
