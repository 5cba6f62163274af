import { copyRectDecoder } from './copy-rect';
import { cursorDecoder } from './cursor';
import { RectDecoder } from './decoder';
import { desktopSizeDecoder } from './desktop-size';
import { extendedDesktopSizeDecoder } from './extended-desktop-size';
import { createHextileDecoder } from './hextile';
import { lastRectDecoder } from './last-rect';
import { rawDecoder } from './raw';
import { createZrleDecoder } from './zrle';

export * from './decoder';

/** A fresh set for one connection (Hextile and ZRLE keep per-connection state). */
export function createDecoders(): RectDecoder[] {
  return [
    rawDecoder,
    copyRectDecoder,
    createHextileDecoder(),
    createZrleDecoder(),
    desktopSizeDecoder,
    extendedDesktopSizeDecoder,
    cursorDecoder,
    lastRectDecoder,
  ];
}
