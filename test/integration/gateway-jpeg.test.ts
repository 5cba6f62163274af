// JPEG for photographic regions against a real Xtigervnc: a photo-like picture (a smooth
// gradient plus noise, written here as an XWD file and shown with `xwud`) reaches a viewer
// that announced image/jpeg as JPEG, close to the framebuffer; a viewer that announced only
// image/png gets it as PNG, pixel-exact; text (an xterm) stays PNG and pixel-exact for both.
// Once the photo has been still for a moment, the JPEG viewer gets it again losslessly: the
// still screen ends with 0 pixels differing from the framebuffer an RFB client grabs.
import assert from 'node:assert/strict';
import { writeFile, rm } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { DisplayService } from '../../src-main/display/display-service';
import { Gateway, startGateway } from '../../src-main/display/gateway';
import { GuacTestClient } from '../helpers/guac-client';
import { GuacCanvas } from '../helpers/guac-canvas';
import { GuacdWireClient } from '../helpers/guacd-wire-client';
import { grabRfb } from '../helpers/rfb-grab';
import { startXApp, waitUntil, XApp } from '../helpers/x-apps';
import { photoXwd, screenshotX } from '../helpers/xwd';
import { startXvnc, XvncServer } from '../helpers/xvnc';

const W = 640;
const H = 480;
const PHOTO = { x: 300, y: 180, width: 300, height: 240 };
const TERM = { x: 0, y: 0, width: 250, height: 120 };

async function decodeJpeg(jpeg: Buffer): Promise<{ width: number; height: number; rgba: Buffer }> {
  const { data, info } = await sharp(jpeg).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, rgba: data };
}

const inside = (r: { x: number; y: number; width: number; height: number }, x: number, y: number): boolean =>
  x >= r.x && y >= r.y && x < r.x + r.width && y < r.y + r.height;

describe('JPEG for photographic regions (Xtigervnc, xwud)', () => {
  let xvnc: XvncServer;
  let gateway: Gateway;
  const apps: XApp[] = [];
  const clients: GuacdWireClient[] = [];
  const file = `/tmp/daas-photo-${process.pid}.xwd`;

  const open = async (imageTypes: string[], via = gateway, extra: Record<string, string> = {}) => {
    const c = await GuacdWireClient.open(via.host, via.port);
    clients.push(c);
    const canvas = new GuacCanvas().withJpeg(decodeJpeg);
    const mimetypes: string[] = [];
    c.observe((ins) => {
      if (ins[0] === 'img' && ins[3] === '0') mimetypes.push(ins[4]!);
      canvas.apply(ins);
    });
    c.answerSyncs();
    await c.handshake({ hostname: '127.0.0.1', port: String(xvnc.port), ...extra }, [W, H, 96], imageTypes);
    await c.waitFor((i) => i[0] === 'sync');
    return { c, canvas, mimetypes };
  };

  before(async () => {
    xvnc = await startXvnc({ password: null, width: W, height: H });
    await xvnc.x('xsetroot', '-solid', '#203040');
    apps.push(startXApp(xvnc.display, 'xterm', ['-geometry', '40x8+0+0', '-e', 'sh', '-c', 'ls -la /; sleep 600']));
    await writeFile(file, photoXwd(PHOTO.width, PHOTO.height));
    await new Promise((r) => setTimeout(r, 1_000));
    // JPEG areas stay lossy here long enough to measure them (the refresh has its own test).
    gateway = await startGateway({ session: { log: () => undefined, lossyStillMs: 120_000 } });
  });

  after(async () => {
    clients.forEach((c) => c.close());
    await gateway?.close();
    await Promise.all(apps.map((a) => a.stop()));
    await xvnc?.stop();
    await rm(file, { force: true });
  });

  it('sends the photo as JPEG to a viewer that announced it, PNG to one that did not; text stays lossless', async (t) => {
    const jpegViewer = await open(['image/png', 'image/jpeg']);
    const pngViewer = await open(['image/png']);
    // Let the first frames (before the photo: desktop and terminal only) settle: all PNG.
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual([...new Set(jpegViewer.mimetypes)], ['image/png']);

    apps.push(startXApp(xvnc.display, 'xwud', ['-in', file, '-noclick', '-geometry', `+${PHOTO.x}+${PHOTO.y}`]));
    await waitUntil(async () => jpegViewer.mimetypes.includes('image/jpeg') || undefined, 10_000, 'a JPEG image');
    await new Promise((r) => setTimeout(r, 1_000)); // the window is drawn and the display is quiet
    await jpegViewer.canvas.settle();
    await pngViewer.canvas.settle();
    const shot = await screenshotX(xvnc.display);

    assert.ok(!pngViewer.mimetypes.includes('image/jpeg'), 'no JPEG for a PNG-only viewer');
    assert.equal(pngViewer.canvas.jpegs.length, 0);

    // The PNG-only viewer: every pixel exact. The JPEG viewer: exact wherever it got PNG
    // (the terminal among them), close to the framebuffer inside the photo.
    let pngMismatch = 0;
    let losslessMismatch = 0;
    let lossyPixels = 0;
    let lossyOutside = 0;
    let termLossy = 0;
    let absError = 0;
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const p = y * W + x;
        const i = p * 4;
        const same = (c: Buffer): boolean => c[i] === shot.rgba[i] && c[i + 1] === shot.rgba[i + 1] && c[i + 2] === shot.rgba[i + 2];
        if (!same(pngViewer.canvas.rgba)) pngMismatch++;
        const a = jpegViewer.canvas;
        if (a.lossy[p]) {
          lossyPixels++;
          if (!inside(PHOTO, x, y)) lossyOutside++;
          if (inside(TERM, x, y)) termLossy++;
          for (let k = 0; k < 3; k++) absError += Math.abs(a.rgba[i + k]! - shot.rgba[i + k]!);
        } else if (!same(a.rgba)) {
          losslessMismatch++;
        }
      }
    }
    assert.equal(pngMismatch, 0, 'PNG-only viewer: pixel-exact');
    assert.equal(losslessMismatch, 0, 'JPEG viewer: pixel-exact outside JPEG images');
    assert.equal(termLossy, 0, 'the terminal stays lossless');
    assert.ok(lossyPixels >= PHOTO.width * PHOTO.height * 0.8, `the photo went out as JPEG (${lossyPixels} px)`);
    assert.ok(lossyOutside <= PHOTO.width * PHOTO.height * 0.1, `JPEG stays on the photo (${lossyOutside} px outside)`);
    const mae = absError / (lossyPixels * 3);
    t.diagnostic(`JPEG images ${jpegViewer.canvas.jpegs.length}, lossy ${lossyPixels} px (${lossyOutside} outside the photo), mean abs error ${mae.toFixed(2)}`);
    assert.ok(mae < 10, `JPEG close to the framebuffer: mean abs error ${mae.toFixed(2)}`);
  });

  it('a still photo ends pixel-exact for a JPEG viewer: 0 pixels differ from an RFB framebuffer grab', async (t) => {
    const exact = await startGateway({ session: { log: () => undefined } }); // the default refresh delay
    const still = `/tmp/daas-photo-still-${process.pid}.xwd`;
    let viewer: Awaited<ReturnType<typeof open>> | undefined;
    try {
      await writeFile(still, photoXwd(PHOTO.width, PHOTO.height, 777));
      const v = (viewer = await open(['image/png', 'image/jpeg'], exact));
      await new Promise((r) => setTimeout(r, 500)); // the first frames are drawn and acknowledged
      apps.push(startXApp(xvnc.display, 'xwud', ['-in', still, '-noclick', '-geometry', '+40+140']));
      await waitUntil(async () => v.mimetypes.includes('image/jpeg') || undefined, 10_000, 'a JPEG image');
      // Still for well over the refresh delay; then the canvas and the server's framebuffer are compared.
      await new Promise((r) => setTimeout(r, 1_500));
      await v.canvas.settle();
      const fb = await grabRfb(xvnc.port);
      assert.equal(v.canvas.width, fb.width);
      let differing = 0;
      let lossy = 0;
      for (let p = 0; p < fb.width * fb.height; p++) {
        const i = p * 4;
        const c = v.canvas.rgba;
        if (c[i] !== fb.data[i] || c[i + 1] !== fb.data[i + 1] || c[i + 2] !== fb.data[i + 2]) differing++;
        if (v.canvas.lossy[p]) lossy++;
      }
      t.diagnostic(`JPEG images ${v.canvas.jpegs.length}, PNG images ${v.mimetypes.filter((m) => m === 'image/png').length}`);
      assert.ok(v.canvas.jpegs.length > 0, 'the photo first went out as JPEG');
      assert.equal(lossy, 0, 'no JPEG pixels remain on the canvas');
      assert.equal(differing, 0, 'pixels differing from the framebuffer');
    } finally {
      viewer?.c.close(); // before closing the gateway, which waits for its viewers
      await exact.close();
      await rm(still, { force: true });
    }
  });

  it('force-lossless: a viewer that announced image/jpeg gets no JPEG, and its picture is exact', async () => {
    // The shared gateway keeps JPEG areas lossy (no refresh), so any JPEG would still show.
    const control = await open(['image/png', 'image/jpeg']);
    const forced = await open(['image/png', 'image/jpeg'], gateway, { 'force-lossless': 'true' });
    await new Promise((r) => setTimeout(r, 500));
    const file2 = `/tmp/daas-photo-lossless-${process.pid}.xwd`;
    try {
      await writeFile(file2, photoXwd(PHOTO.width, PHOTO.height, 4242));
      apps.push(startXApp(xvnc.display, 'xwud', ['-in', file2, '-noclick', '-geometry', '+100+60']));
      await waitUntil(async () => control.mimetypes.includes('image/jpeg') || undefined, 10_000, 'a JPEG image for the control viewer');
      await new Promise((r) => setTimeout(r, 1_000));
      await forced.canvas.settle();
      const fb = await grabRfb(xvnc.port);
      assert.deepEqual([...new Set(forced.mimetypes)], ['image/png']);
      assert.equal(forced.canvas.jpegs.length, 0);
      let differing = 0;
      for (let i = 0; i < fb.width * fb.height * 4; i += 4) {
        if (forced.canvas.rgba[i] !== fb.data[i] || forced.canvas.rgba[i + 1] !== fb.data[i + 1] || forced.canvas.rgba[i + 2] !== fb.data[i + 2]) differing++;
      }
      assert.equal(differing, 0, 'pixels differing from the framebuffer');
    } finally {
      await rm(file2, { force: true });
    }
  });

  it("through the app's own tunnel (guacamole-lite announces image/jpeg for the viewer), a new photo arrives as JPEG", async () => {
    const display = await DisplayService.start({ connectRetries: 0 });
    try {
      const ticket = display.issueTicket('i-jpeg', { host: '127.0.0.1', port: xvnc.port, password: '' });
      const viewer = await GuacTestClient.connect(ticket.tunnelUrl, `token=${encodeURIComponent(ticket.token)}&width=${W}&height=${H}&dpi=96`);
      await viewer.waitForOpcode('sync');
      apps.push(startXApp(xvnc.display, 'xwud', ['-in', file, '-noclick', '-geometry', '+20+200']));
      await waitUntil(async () => viewer.images.some((i) => i.mimetype === 'image/jpeg') || undefined, 10_000, 'a JPEG image through the tunnel');
      await viewer.close();
    } finally {
      await display.close();
    }
  });
});

