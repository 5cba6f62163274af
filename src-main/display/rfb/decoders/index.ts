import { copyRectDecoder } from './copy-rect';
import { RectDecoder } from './decoder';
import { desktopSizeDecoder } from './desktop-size';
import { rawDecoder } from './raw';

export * from './decoder';

export const DEFAULT_DECODERS: readonly RectDecoder[] = [rawDecoder, copyRectDecoder, desktopSizeDecoder];
