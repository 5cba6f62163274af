// What the encoder sends for a nearly idle desktop and for a moving photo (issue 14), against a
// real Xtigervnc, with a viewer that announced image/jpeg:
//   - a ticking `xclock`: what one tick touches goes out merged (at most two images a tick),
//     each image of at most 256 colours as a palette PNG;
//   - a one-colour background goes out as `rect` + `cfill`, no image;
//   - a photo shown at a new place every 150 ms goes out as JPEG while it moves, and once it
//     stops the picture ends pixel-exact (0 pixels differ from an RFB framebuffer grab).
import assert from 'node:assert/strict';
import { rm, writeFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { Gateway, startGateway } from '../../src-main/display/gateway';
import { Instruction } from '../../src-main/display/guacamole/protocol';
import { GuacCanvas } from '../helpers/guac-canvas';
import { GuacdWireClient } from '../helpers/guacd-wire-client';
import { decodePng } from '../helpers/png';
import { differingPixels, grabRfb } from '../helpers/rfb-grab';
import { startXApp, waitUntil, XApp } from '../helpers/x-apps';
import { photoXwd } from '../helpers/xwd';
import { startXvnc, XvncServer } from '../helpers/xvnc';

const W = 640;
const H = 480;

async function decodeJpeg(jpeg: Buffer): Promise<{ width: number; height: number; rgba: Buffer }> {
  const { data, info } = await sharp(jpeg).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, rgba: data };
}

/** The default layer's drawing, frame by frame: images (mimetype, decoded PNG body) and fills. */
interface Frame {
  images: { mimetype: string; body: Buffer }[];
  fills: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('encoder: idle clock, one-colour areas, a moving photo (Xtigervnc)', () => {
  let xvnc: XvncServer;
  let gateway: Gateway;
  const apps: XApp[] = [];
  const files: string[] = [];

  const open = async (): Promise<{ c: GuacdWireClient; canvas: GuacCanvas; frames: Frame[] }> => {
    const c = await GuacdWireClient.open(gateway.host, gateway.port);
    const canvas = new GuacCanvas().withJpeg(decodeJpeg);
    const frames: Frame[] = [];
    let frame: Frame = { images: [], fills: 0 };
    const streams = new Map<string, { mimetype: string; parts: string[] }>();
    c.observe((ins: Instruction) => {
      canvas.apply(ins);
      const [op, ...a] = ins;
      if (op === 'img' && a[2] === '0') streams.set(a[0]!, { mimetype: a[3]!, parts: [] });
      else if (op === 'blob') streams.get(a[0]!)?.parts.push(a[1]!);
      else if (op === 'end' && streams.has(a[0]!)) {
        const s = streams.get(a[0]!)!;
        streams.delete(a[0]!);
        frame.images.push({ mimetype: s.mimetype, body: Buffer.concat(s.parts.map((p) => Buffer.from(p, 'base64'))) });
      } else if (op === 'cfill' && a[1] === '0') frame.fills++;
      else if (op === 'sync') {
        frames.push(frame);
        frame = { images: [], fills: 0 };
      }
    });
    c.answerSyncs();
    await c.handshake({ hostname: '127.0.0.1', port: String(xvnc.port) }, [W, H, 96], ['image/png', 'image/jpeg']);
    await c.waitFor((i) => i[0] === 'sync');
    return { c, canvas, frames };
  };

  before(async () => {
    xvnc = await startXvnc({ password: null, width: W, height: H });
    await xvnc.x('xsetroot', '-solid', '#203040');
    gateway = await startGateway({ session: { log: () => undefined } });
  });

  after(async () => {
    await gateway?.close();
    await Promise.all(apps.map((a) => a.stop()));
    await xvnc?.stop();
    await Promise.all(files.map((f) => rm(f, { force: true })));
  });

  it('a ticking clock: at most two images a tick, palette PNGs where <= 256 colours; a one-colour background is rect + cfill; the canvas ends exact', async (t) => {
    const clock = startXApp(xvnc.display, 'xclock', ['-update', '1', '-geometry', '200x200+400+20']);
    apps.push(clock);
    const v = await open();
    try {
      await sleep(1_500); // the clock's first drawing is out
      const start = v.frames.length;
      await waitUntil(async () => v.frames.length >= start + 3 || undefined, 10_000, 'three clock ticks');
      const ticks = v.frames.slice(start).filter((f) => f.images.length > 0);
      assert.ok(ticks.length >= 2, `clock ticks drew images (${ticks.length})`);
      let palette = 0;
      for (const tick of ticks) {
        assert.ok(tick.images.length <= 2, `one tick's changes merged: ${tick.images.length} images`);
        for (const img of tick.images) {
          assert.equal(img.mimetype, 'image/png', 'the clock face is not photographic');
          const png = decodePng(img.body);
          const colours = new Set<number>();
          for (let i = 0; i < png.rgba.length; i += 4) colours.add(png.rgba.readUInt32BE(i));
          if (colours.size <= 256) {
            assert.equal(img.body.readUInt8(25), 3, `an image of ${colours.size} colours is a palette PNG`);
            palette++;
          }
        }
      }
      t.diagnostic(`ticks ${ticks.length}, images ${ticks.map((f) => f.images.length).join(',')}, palette ${palette}`);
      assert.ok(palette > 0, 'the clock went out as palette PNGs');

      // The clock stops; a new background colour: nothing but one colour changes.
      await clock.stop();
      await sleep(300);
      const changed = v.frames.length;
      await xvnc.x('xsetroot', '-solid', '#884422');
      await waitUntil(async () => v.frames.slice(changed).some((f) => f.fills > 0) || undefined, 5_000, 'the new background');
      await sleep(300);
      const background = v.frames.slice(changed);
      assert.deepEqual(background.flatMap((f) => f.images.map((i) => i.mimetype)), [], 'no image for a one-colour background');
      await v.canvas.settle();
      assert.equal(differingPixels(v.canvas.rgba, await grabRfb(xvnc.port)), 0, 'pixels differing from the framebuffer');
    } finally {
      v.c.close();
    }
  });

  it('a photo shown at a new place every 150 ms goes out as JPEG while it moves; once still, 0 pixels differ from an RFB grab', async (t) => {
    const file = `/tmp/daas-encoder-photo-${process.pid}.xwd`;
    files.push(file);
    await writeFile(file, photoXwd(240, 180, 99));
    const v = await open();
    await sleep(300);
    let shown: XApp | null = null;
    try {
      const moving = v.frames.length;
      for (let i = 0; i < 8; i++) {
        const next = startXApp(xvnc.display, 'xwud', ['-in', file, '-noclick', '-geometry', `+${20 + i * 40}+${40 + i * 25}`]);
        await sleep(150);
        await shown?.stop();
        shown = next;
      }
      apps.push(shown!);
      const jpegs = v.frames.slice(moving).flatMap((f) => f.images).filter((i) => i.mimetype === 'image/jpeg').length;
      // Still for well over the refresh delay (400 ms); then the canvas and the server's framebuffer are compared.
      await sleep(1_500);
      await v.canvas.settle();
      const fb = await grabRfb(xvnc.port);
      t.diagnostic(`JPEG images while moving: ${jpegs}`);
      assert.ok(jpegs > 0, 'the moving photo went out as JPEG');
      assert.equal(v.canvas.lossy.reduce((n, l) => n + l, 0), 0, 'no JPEG pixels remain on the canvas');
      assert.equal(differingPixels(v.canvas.rgba, fb), 0, 'pixels differing from the framebuffer');
    } finally {
      v.c.close();
    }
  });
});
