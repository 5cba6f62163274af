// `npm run bench:display-idle` (node --import tsx bench/display-idle.ts): what a nearly idle
// desktop costs a viewer, and what photos cost, through the real tunnel and the embedded
// gateway (in this process). Printed, never asserted:
//   - idle: a 1024x768 desktop where only `xclock -update 1` changes (plus a static xterm):
//     bytes/s and instructions/s at the client, instructions by opcode, images by type;
//   - photo slideshow: a new 400x300 photo (gradient plus noise, shown with xwud) every
//     300 ms, 12 photos, then 1.5 s still (so the lossless refresh of the last one counts):
//     total bytes for a viewer with image/jpeg and one with only image/png;
//   - the pixels of both viewers against the X framebuffer at the end (0 = exact).
// The figures before this encoder work (issue 14 points 1 and 3) are printed beside them.
//
// Environment: BENCH_SECONDS (idle window, default 60: one turn of the second hand, whose
// angle decides how large the changed area is; 20 s windows varied 2.1-3.0 KiB/s).
import { rm, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { DisplayService } from '../src-main/display/display-service';
import { Gateway, startGateway } from '../src-main/display/gateway';
import { GuacCanvas } from '../test/helpers/guac-canvas';
import { GuacdWireClient } from '../test/helpers/guacd-wire-client';
import { startXApp, XApp } from '../test/helpers/x-apps';
import { photoXwd, screenshotX } from '../test/helpers/xwd';
import { startXvnc, XvncServer } from '../test/helpers/xvnc';
import { BenchClient } from './display-client';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const WIDTH = 1024;
const HEIGHT = 768;
const PASSWORD = 'bench-pw';

/**
 * The branch point (f285f2b: a PNG per rect, RGB only, no fills) with this file, two runs
 * interleaved with two of the change, load average 13-17 on 2 cores (2026-12-02).
 */
const BEFORE = {
  idleBytes: '3.86, 5.92 KiB/s',
  idleInstructions: '18.5, 21.7 /s',
  slideshowJpeg: '1254, 937 KiB',
  slideshowPng: '3061, 3847 KiB',
};
const GUACD = { idleBytes: '2.5 KiB/s', idleInstructions: '9 /s' };

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;
const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');

function row(name: string, now: string, before = '', guacd = ''): void {
  console.log(`${name.padEnd(36)} ${now.padEnd(22)} ${before.padEnd(16)} ${guacd}`);
}

async function decodeJpeg(jpeg: Buffer): Promise<{ width: number; height: number; rgba: Buffer }> {
  const { data, info } = await sharp(jpeg).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, rgba: data };
}

/** Pixels of a canvas that differ from the X server's framebuffer. */
async function differing(canvas: GuacCanvas, xvnc: XvncServer): Promise<number> {
  await canvas.settle();
  const shot = await screenshotX(xvnc.display);
  let n = 0;
  for (let i = 0; i < shot.rgba.length; i += 4) {
    if (canvas.rgba[i] !== shot.rgba[i] || canvas.rgba[i + 1] !== shot.rgba[i + 1] || canvas.rgba[i + 2] !== shot.rgba[i + 2]) n++;
  }
  return n;
}

/** The idle desktop through the app's tunnel (guacamole-lite announces PNG and JPEG). */
async function idle(display: DisplayService, xvnc: XvncServer): Promise<{ bps: number; ips: number; opcodes: Map<string, number>; pngBytes: number; seconds: number }> {
  const ticket = display.issueTicket('bench-idle', { host: '127.0.0.1', port: xvnc.port, password: PASSWORD });
  const viewer = await BenchClient.connect(`${ticket.tunnelUrl}?token=${encodeURIComponent(ticket.token)}&width=${WIDTH}&height=${HEIGHT}&dpi=96`);
  try {
    await sleep(2_000); // the first frame is drawn
    viewer.record = true;
    const bytes0 = viewer.bytes;
    const t0 = performance.now();
    await sleep(SECONDS * 1_000);
    const seconds = (performance.now() - t0) / 1000;
    viewer.record = false;
    const opcodes = new Map<string, number>();
    let pngBytes = 0;
    for (const ins of viewer.recorded) {
      opcodes.set(ins[0]!, (opcodes.get(ins[0]!) ?? 0) + 1);
      if (ins[0] === 'blob') pngBytes += Buffer.byteLength(ins[2]!, 'base64');
    }
    return { bps: (viewer.bytes - bytes0) / seconds, ips: viewer.recorded.length / seconds, opcodes, pngBytes, seconds };
  } finally {
    await viewer.close();
  }
}

/** Two guacd-protocol viewers (JPEG and PNG only) watch a slideshow; total bytes each and final fidelity. */
async function slideshow(gateway: Gateway, xvnc: XvncServer): Promise<{ jpeg: number; png: number; jpegImages: number; jpegDiff: number; pngDiff: number }> {
  const files = [1, 2, 3].map((i) => `/tmp/daas-bench-idle-photo-${process.pid}-${i}.xwd`);
  await Promise.all(files.map((f, i) => writeFile(f, photoXwd(400, 300, 1000 + i))));
  const open = async (imageTypes: string[]): Promise<{ c: GuacdWireClient; canvas: GuacCanvas }> => {
    const c = await GuacdWireClient.open(gateway.host, gateway.port);
    const canvas = new GuacCanvas().withJpeg(decodeJpeg);
    c.observe((ins) => canvas.apply(ins));
    c.answerSyncs();
    await c.handshake({ hostname: '127.0.0.1', port: String(xvnc.port), password: PASSWORD }, [WIDTH, HEIGHT, 96], imageTypes);
    await c.waitFor((i) => i[0] === 'sync', 10_000);
    return { c, canvas };
  };
  const png = await open(['image/png']);
  const jpeg = await open(['image/png', 'image/jpeg']);
  let jpegImages = 0;
  jpeg.c.observe((ins) => {
    if (ins[0] === 'img' && ins[4] === 'image/jpeg') jpegImages++;
  });
  let shown: XApp | null = null;
  try {
    await sleep(1_000);
    const png0 = png.c.received;
    const jpeg0 = jpeg.c.received;
    for (let i = 0; i < 12; i++) {
      const next = startXApp(xvnc.display, 'xwud', ['-in', files[i % files.length]!, '-noclick', '-geometry', '+560+400']);
      await sleep(300);
      await shown?.stop();
      shown = next;
    }
    await sleep(1_500);
    const result = { jpeg: jpeg.c.received - jpeg0, png: png.c.received - png0, jpegImages };
    return { ...result, jpegDiff: await differing(jpeg.canvas, xvnc), pngDiff: await differing(png.canvas, xvnc) };
  } finally {
    await shown?.stop();
    png.c.close();
    jpeg.c.close();
    await Promise.all(files.map((f) => rm(f, { force: true })));
  }
}

async function main(): Promise<void> {
  const apps: XApp[] = [];
  const xvnc = await startXvnc({ password: PASSWORD, width: WIDTH, height: HEIGHT, depth: 24 });
  let display: DisplayService | undefined;
  let gateway: Gateway | undefined;
  try {
    await xvnc.x('xsetroot', '-solid', '#204060');
    apps.push(startXApp(xvnc.display, 'xterm', ['-geometry', '80x24+0+0', '-e', 'sh', '-c', 'ls -la /; sleep 600']));
    const clock = startXApp(xvnc.display, 'xclock', ['-update', '1', '-geometry', '200x200+800+20']);
    apps.push(clock);
    await sleep(1_500);
    display = await DisplayService.start({ connectRetries: 0 });
    gateway = await startGateway({ session: { log: () => undefined } });
    const loadBefore = load();
    const i = await idle(display, xvnc);
    await clock.stop(); // the slideshow's fidelity is read on a still desktop
    const photos = await slideshow(gateway, xvnc);
    console.log(`display idle benchmark: Xtigervnc ${WIDTH}x${HEIGHT}x24, xclock -update 1 + a static xterm, ${i.seconds.toFixed(1)} s`);
    console.log(`load average: ${loadBefore} (start), ${load()} (end); 2 cores shared with other work: figures are noisy\n`);
    console.log(`${'figure'.padEnd(36)} ${'now'.padEnd(22)} ${'before'.padEnd(16)} guacd 1.6.0`);
    row('idle: bytes/s at the client', `${(i.bps / 1024).toFixed(2)} KiB/s`, BEFORE.idleBytes, GUACD.idleBytes);
    row('idle: instructions/s', `${i.ips.toFixed(1)} /s`, BEFORE.idleInstructions, GUACD.idleInstructions);
    row('slideshow: bytes, with JPEG', `${kib(photos.jpeg)} (${photos.jpegImages} JPEG)`, BEFORE.slideshowJpeg);
    row('slideshow: bytes, PNG only', kib(photos.png), BEFORE.slideshowPng);
    row('slideshow: px differing at the end', `${photos.jpegDiff} (JPEG), ${photos.pngDiff} (PNG)`, '', '0');
    console.log('');
    console.log(`idle instructions by opcode: ${[...i.opcodes].sort((a, b) => b[1] - a[1]).map(([o, n]) => `${o} ${(n / i.seconds).toFixed(1)}/s`).join(', ')}`);
    console.log(`idle image payload: ${(i.pngBytes / i.seconds).toFixed(0)} B/s decoded from base64`);
    console.log('before: two runs of this file on the branch point, load average 13-17 (see BEFORE)');
  } finally {
    await display?.close();
    await gateway?.close();
    await Promise.all(apps.map((a) => a.stop()));
    await xvnc.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
