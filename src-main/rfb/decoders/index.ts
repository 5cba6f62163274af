import { copyRectDecoder } from './copy-rect';
import { cursorDecoder } from './cursor';
import { AllocatePixels, RectDecoder } from './decoder';
import { desktopSizeDecoder } from './desktop-size';
import { extendedDesktopSizeDecoder } from './extended-desktop-size';
import { createHextileDecoder } from './hextile';
import { lastRectDecoder } from './last-rect';
import { rawDecoder } from './raw';
import { createZrleDecoder } from './zrle';

export * from './decoder';

/** A fresh set for one connection (Hextile and ZRLE keep per-connection state). */
export function createDecoders(allocatePixels?: AllocatePixels): RectDecoder[] {
  return [
    rawDecoder,
    copyRectDecoder,
    createHextileDecoder(),
    createZrleDecoder(allocatePixels),
    desktopSizeDecoder,
    extendedDesktopSizeDecoder,
    cursorDecoder,
    lastRectDecoder,
  ];
}
