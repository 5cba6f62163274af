// One decoder per RFB encoding behind one interface; the message reader picks by number.
// Decoders are created per connection (`createDecoders`), so they may keep state: Hextile
// resumes a rect tile by tile, ZRLE owns the connection's zlib stream.
import { ByteQueue } from '../byte-queue';
import { PixelFormat } from '../pixel-format';

export interface RectHeader {
  x: number;
  y: number;
  width: number;
  height: number;
  encoding: number;
}

export interface Screen {
  id: number;
  x: number;
  y: number;
  width: number;
  height: number;
  flags: number;
}

export type DecodedRect =
  /**
   * Pixels in R,G,B,X byte order, rows of width*4 bytes. `more`: a band of a larger rect,
   * whose next band the decoder hands out when called again with the same header.
   */
  | { kind: 'pixels'; x: number; y: number; width: number; height: number; data: Buffer; more?: boolean }
  /** Copy of an area the client already has (source may overlap destination). */
  | { kind: 'copy'; x: number; y: number; width: number; height: number; srcX: number; srcY: number }
  /**
   * The framebuffer size (DesktopSize, ExtendedDesktopSize). Contents are undefined until
   * redrawn. ExtendedDesktopSize adds who asked (`reason`), whether a request of ours
   * succeeded (`status`, 0 = yes) and the screen layout.
   */
  | { kind: 'resize'; width: number; height: number; extended?: { reason: number; status: number; screens: Screen[] } }
  /** Cursor shape: RGBA (alpha 0 or 255) and hotspot; 0x0 hides the cursor. */
  | { kind: 'cursor'; hotX: number; hotY: number; width: number; height: number; rgba: Buffer }
  /** LastRect: the update ends here, whatever its rect count said. */
  | { kind: 'last-rect' };

/**
 * A zero-filled buffer of `size` bytes for decoded pixels. The owner may hand out pooled
 * memory (the gateway does, and gives it back after drawing); zeroed, because a reused
 * buffer may hold another desktop's pixels.
 */
export type AllocatePixels = (size: number) => Buffer;

export interface DecodeContext {
  pixelFormat: PixelFormat;
  /** Current framebuffer size, to reject rects that cannot be real. */
  width: number;
  height: number;
}

/**
 * null: more bytes needed (the decoder may already have consumed and kept some);
 * a Promise: the rect is complete once it settles (work done off the event loop).
 */
export type DecodeResult = DecodedRect | null | Promise<DecodedRect>;

export interface RectDecoder {
  readonly encoding: number;
  /** Called again with the same header until it returns non-null. */
  decode(header: RectHeader, q: ByteQueue, ctx: DecodeContext): DecodeResult;
  /** Releases resources (e.g. a zlib stream) when the connection ends. */
  dispose?(): void;
}
