// One decoder per RFB encoding behind one interface; the message reader picks by number.
import { ByteQueue } from '../byte-queue';
import { PixelFormat } from '../pixel-format';

export interface RectHeader {
  x: number;
  y: number;
  width: number;
  height: number;
  encoding: number;
}

export type DecodedRect =
  /** Pixels in R,G,B,X byte order, rows of width*4 bytes. */
  | { kind: 'pixels'; x: number; y: number; width: number; height: number; data: Buffer }
  /** Copy of an area the client already has (source may overlap destination). */
  | { kind: 'copy'; x: number; y: number; width: number; height: number; srcX: number; srcY: number }
  /** The framebuffer changed size; its contents are undefined until redrawn. */
  | { kind: 'resize'; width: number; height: number };

export interface DecodeContext {
  pixelFormat: PixelFormat;
  /** Current framebuffer size, to reject rects that cannot be real. */
  width: number;
  height: number;
}

export interface RectDecoder {
  readonly encoding: number;
  /** Decodes the rect body if all of it is buffered; otherwise returns null and consumes nothing. */
  decode(header: RectHeader, q: ByteQueue, ctx: DecodeContext): DecodedRect | null;
}
