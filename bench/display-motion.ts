// Full motion for `npm run bench:display`: two workloads on the benchmark's Xtigervnc that
// change the screen as fast as they can, each measured through the tunnel and each
// guacd-protocol target (the embedded gateway, and a guacd when `--guacd` names one) —
// frames/s at the client, bytes/s on the tunnel, the target's CPU — while a bare RFB client
// (ours, always one request outstanding, the encodings the gateway asks a loopback server
// for) counts the updates/s the server delivers over the same window: the ceiling.
import { performance } from 'node:perf_hooks';
import { writeFile, rm } from 'node:fs/promises';
import { RfbClient } from '../src-main/rfb/rfb-client';
import { LOOPBACK_ENCODINGS } from '../src-main/rfb/encodings';
import { startXApp, XApp } from '../test/helpers/x-apps';
import type { BenchClient } from './display-client';
import { startPhotoMotion } from './x11-photo';

export interface MotionTarget {
  name: string;
  /** A viewer through the tunnel to this target, with its first frame drawn. */
  connect(): Promise<BenchClient>;
  /** CPU ms of the target's processes so far, or null if it cannot be read (a remote guacd). */
  cpuMs(): Promise<number | null>;
}

export interface MotionFigures {
  workload: string;
  targets: Array<{
    name: string;
    /** The bare RFB client's rate over the same window. */
    ceiling: Rate;
    /** Frames showing server updates (lossless redraws of a still picture not counted). */
    framesPerSecond: number; serverFramesPerSecond: number; bytesPerSecond: number; imagesPerFrame: number;
    cpuPercent: number | null;
  }>;
}

interface Rate {
  updatesPerSecond: number;
  bytesPerSecond: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A large text file `cat` runs through in a loop (lines of varied length, like a log). */
async function textFile(path: string): Promise<void> {
  const words = 'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt'.split(' ');
  const lines: string[] = [];
  for (let i = 0; i < 40_000; i++) lines.push(`${i} ${words.slice(0, 3 + (i % 11)).join(' ')} ${(i * 7919) % 100_003}`);
  await writeFile(path, lines.join('\n'));
}

/** A 640x480 gradient-plus-noise picture (the slideshow's photo; JPEG-worthy by the classifier). */
function photoPixel(): (x: number, y: number) => [number, number, number] {
  let seed = 4242;
  const noise = (): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return ((seed >> 16) % 25) - 12;
  };
  const c = (v: number): number => Math.max(0, Math.min(255, Math.round(v)));
  return (x, y) => [
    c((x * 255) / 640 + 20 * Math.sin(y / 9) + noise()),
    c((y * 255) / 480 + 20 * Math.cos(x / 13) + noise()),
    c(128 + 90 * Math.sin((x + y) / 40) + noise()),
  ];
}

/** A bare RFB client that always has a request outstanding, counting updates that drew something. */
async function bareClient(port: number, password: string): Promise<{ snapshot(): { updates: number; bytes: number }; close(): void }> {
  let updates = 0;
  let bytes = 0;
  let drew = false;
  let ready!: () => void;
  const started = new Promise<void>((r) => (ready = r));
  const rfb = new RfbClient(
    { host: '127.0.0.1', port, password, encodings: LOOPBACK_ENCODINGS },
    {
      onReady: () => ready(),
      onReceive: (n) => (bytes += n),
      onRect: (rect) => {
        if (rect.kind === 'pixels' || rect.kind === 'copy') drew = true;
      },
      onUpdateEnd: () => {
        if (drew) updates++;
        drew = false;
        rfb.requestUpdate(true);
      },
      onClose: () => undefined,
    },
  );
  await started;
  return { snapshot: () => ({ updates, bytes }), close: () => rfb.close() };
}

/**
 * One target under the workload, with the bare client connected over the same window: both
 * see the same server ticks and the same machine load (this machine's load moves the
 * server's own rate by 2x between minutes, so a ceiling taken before or after says little).
 */
async function throughTarget(target: MotionTarget, xvnc: { port: number; password: string }, seconds: number): Promise<MotionFigures['targets'][number]> {
  const bare = await bareClient(xvnc.port, xvnc.password);
  const viewer = await target.connect();
  await sleep(1_000); // warm up
  const f0 = viewer.updateFrames;
  const s0 = viewer.serverFrames;
  const b0 = viewer.bytes;
  const i0 = viewer.images;
  const all0 = viewer.frames;
  const bare0 = bare.snapshot();
  const cpu0 = await target.cpuMs();
  const t0 = performance.now();
  await sleep(seconds * 1_000);
  const wallMs = performance.now() - t0;
  const cpu1 = await target.cpuMs();
  const bare1 = bare.snapshot();
  const figures = {
    name: target.name,
    ceiling: { updatesPerSecond: ((bare1.updates - bare0.updates) * 1_000) / wallMs, bytesPerSecond: ((bare1.bytes - bare0.bytes) * 1_000) / wallMs },
    framesPerSecond: ((viewer.updateFrames - f0) * 1_000) / wallMs,
    serverFramesPerSecond: ((viewer.serverFrames - s0) * 1_000) / wallMs,
    bytesPerSecond: ((viewer.bytes - b0) * 1_000) / wallMs,
    imagesPerFrame: (viewer.images - i0) / Math.max(1, viewer.frames - all0),
    cpuPercent: cpu0 === null || cpu1 === null ? null : ((cpu1 - cpu0) / wallMs) * 100,
  };
  bare.close();
  await viewer.close();
  await sleep(400); // the gateway drops the VNC connection of its last viewer
  return figures;
}

async function measure(
  workload: string,
  xvnc: { port: number; password: string },
  targets: MotionTarget[],
  seconds: number,
): Promise<MotionFigures> {
  const results = [];
  for (const t of targets) results.push(await throughTarget(t, xvnc, seconds));
  return { workload, targets: results };
}

/**
 * Both workloads on an otherwise black screen: (a) a 1024x768 xterm (fixed 6x13 font, 170x59)
 * running `cat` of a 40,000-line file in a loop; (b) a 640x480 photo redrawn 8 px right and
 * 6 px down (bouncing) every 40 ms.
 */
export async function motionFigures(
  xvnc: { display: number; port: number; password: string; width: number; height: number },
  targets: MotionTarget[],
  seconds: number,
): Promise<MotionFigures[]> {
  const out: MotionFigures[] = [];
  const only = process.env.BENCH_MOTION; // 'xterm' or 'photo': one workload only
  if (only !== 'photo') out.push(await scrollingXterm(xvnc, targets, seconds));
  if (only !== 'xterm') out.push(await movingPhoto(xvnc, targets, seconds));
  return out;
}

async function scrollingXterm(
  xvnc: { display: number; port: number; password: string },
  targets: MotionTarget[],
  seconds: number,
): Promise<MotionFigures> {
  const text = `/tmp/daas-bench-text-${process.pid}.txt`;
  await textFile(text);
  let scroll: XApp | null = null;
  try {
    scroll = startXApp(xvnc.display, 'xterm', ['-geometry', '170x59+0+0', '-e', 'sh', '-c', `while :; do cat ${text}; done`]);
    await sleep(1_500);
    return await measure('xterm 1024x768, cat in a loop', xvnc, targets, seconds);
  } finally {
    await scroll?.stop();
    await rm(text, { force: true });
  }
}

async function movingPhoto(
  xvnc: { display: number; port: number; password: string; width: number; height: number },
  targets: MotionTarget[],
  seconds: number,
): Promise<MotionFigures> {
  const photo = await startPhotoMotion(
    xvnc.display,
    { width: 640, height: 480, rgb: photoPixel() },
    { everyMs: 40, stepX: 8, stepY: 6, screen: { width: xvnc.width, height: xvnc.height } },
  );
  try {
    await sleep(1_000);
    return await measure('640x480 photo moved every 40 ms', xvnc, targets, seconds);
  } finally {
    await photo.stop();
  }
}
