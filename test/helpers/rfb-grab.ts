// The server's framebuffer as a plain RFB client sees it (one full update): what a viewer's
// canvas must equal, pixel for pixel, once the screen is still.
import { Framebuffer } from '../../src-main/display/gateway/framebuffer';
import { RfbClient } from '../../src-main/rfb/rfb-client';

export async function grabRfb(port: number, password?: string): Promise<Framebuffer> {
  return new Promise((resolve, reject) => {
    let fb: Framebuffer | null = null;
    let pixels = false;
    const c: RfbClient = new RfbClient(
      { host: '127.0.0.1', port, password, localCursor: true },
      {
        onReady: (init) => (fb = new Framebuffer(init.width, init.height)),
        onRect: (r) => {
          if (r.kind === 'pixels') {
            fb!.putRgbx(r.x, r.y, r.width, r.height, r.data);
            pixels = true;
          } else if (r.kind === 'copy') fb!.copy(r.srcX, r.srcY, r.x, r.y, r.width, r.height);
        },
        onUpdateEnd: () => {
          // Xvnc answers the first request with pseudo-rects only; the pixels follow the next one.
          if (!pixels) return c.requestUpdate(true);
          resolve(fb!);
          c.close();
        },
        onClose: (err) => reject(err ?? new Error('RFB connection closed before a full update')),
      },
    );
  });
}

/** Pixels of an RGBA canvas that differ (in R, G or B) from the grabbed framebuffer. */
export function differingPixels(rgba: Buffer, fb: Framebuffer): number {
  let n = 0;
  for (let i = 0; i < fb.width * fb.height * 4; i += 4) {
    if (rgba[i] !== fb.data[i] || rgba[i + 1] !== fb.data[i + 1] || rgba[i + 2] !== fb.data[i + 2]) n++;
  }
  return n;
}
