// Sizes a VNC server may announce. A server states its framebuffer size (ServerInit,
// DesktopSize, ExtendedDesktopSize) and we allocate it (4 bytes a pixel): an unchecked
// 32767x32767 is 4 GiB. Above these limits the connection fails with a clear reason.
import { RfbProtocolError } from './errors';

/** Per side: twice the widest single display in use (8K UHD, 7680), and room for side-by-side monitors. */
export const MAX_FRAMEBUFFER_SIDE = 16384;

/**
 * Total pixels: 8192x4096 (33.5 Mpx, a 128 MiB framebuffer). It holds an 8K UHD screen
 * (7680x4320, 33.2 Mpx), four 4K monitors in a 2x2 wall, or three side by side (11520x2160),
 * which is more than any desktop we serve; twice that would let one hostile server make the
 * app hold a quarter of a GiB per connection.
 */
export const MAX_FRAMEBUFFER_PIXELS = 8192 * 4096;

/** Throws unless a server-announced framebuffer size is within the limits. */
export function checkFramebufferSize(width: number, height: number, what: string): void {
  if (width > MAX_FRAMEBUFFER_SIDE || height > MAX_FRAMEBUFFER_SIDE || width * height > MAX_FRAMEBUFFER_PIXELS) {
    throw new RfbProtocolError(
      `${what} announces a ${width}x${height} desktop; the largest accepted is ${MAX_FRAMEBUFFER_SIDE} pixels a side and ${MAX_FRAMEBUFFER_PIXELS} pixels (8192x4096) in all`,
    );
  }
}
