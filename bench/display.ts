// `npm run bench:display` (node --import tsx bench/display.ts): the issue's "xterm-scroll"
// workload through the real display path, with the embedded gateway run on its own (the
// standalone gateway CLI in a child process, as a drop-in guacd would run) so its CPU can be
// read from /proc. Printed, never asserted:
//   - frames/s (syncs following >= 1 drawing instruction), bytes/s on the tunnel, gateway CPU;
//   - connect -> first complete frame;
//   - key-to-pixel latency p50/p95 through tunnel + gateway, and a bare RFB client's floor;
//   - idle cost of a static desktop (bytes/s, CPU);
//   - pixel fidelity: the picture rebuilt from the received instructions vs. the X framebuffer;
//   - a photo slideshow's bytes/s for a viewer with JPEG and one without;
//   - full motion (bench/display-motion.ts): a full-screen xterm scrolling as fast as it can and
//     a 640x480 photo moved every 40 ms, frames/s against a bare RFB client's updates/s;
//   - audio from a container desktop (bench/display-audio.ts; BENCH_AUDIO=0 skips it).
// Key-to-pixel is taken, interleaved in rounds, on three paths: the standalone gateway (tunnel
// here, gateway in its own process), the in-app path (tunnel and gateway in one child process,
// as the app's main process runs them; bench/display-app-process.ts) and the bare RFB floor.
// Apache guacd 1.6.0's figures on the same workload (from the issue) are printed beside ours;
// `--guacd HOST:PORT` measures a guacd at that address in the same run instead (key-to-pixel
// and full motion; its CPU when it runs on this machine, found by its listening port).
//
// Options: --guacd HOST:PORT; --quick (key-to-pixel and full motion only).
// Environment: BENCH_SECONDS (default 10), BENCH_KEYS (key-to-pixel samples per path, default 40),
// BENCH_ENCODINGS (guacd's `encodings` parameter, e.g. "zrle"; default: the gateway's choice),
// BENCH_MOTION (xterm, photo, or none: which full-motion workloads run; default both), BENCH_CPU_PROF
// (a folder for a V8 CPU profile of the gateway).
import { spawn } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { DisplayService } from '../src-main/display/display-service';
import { RfbClient } from '../src-main/rfb/rfb-client';
import { GuacCanvas } from '../test/helpers/guac-canvas';
import { startGatewayCli, type GatewayCli } from '../test/helpers/gateway-cli';
import { startXApp, XApp } from '../test/helpers/x-apps';
import { GuacdWireClient } from '../test/helpers/guacd-wire-client';
import { photoXwd, screenshotX } from '../test/helpers/xwd';
import { startXvnc, XvncServer } from '../test/helpers/xvnc';
import { BenchClient, gatewayProfileArgs, listenerPid, percentile, processCpuMs, threadCpuMs, treeCpuMs } from './display-client';
import { audioFigures } from './display-audio';
import { motionFigures, MotionFigures, MotionTarget } from './display-motion';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ARGS = process.argv.slice(2);
const QUICK = ARGS.includes('--quick');
/** `--guacd HOST:PORT`: a guacd (or anything speaking its protocol) to measure beside ours. */
const GUACD_ADDRESS = ((): { host: string; port: number } | null => {
  const i = ARGS.indexOf('--guacd');
  if (i < 0) return null;
  const m = /^(.+):(\d+)$/.exec(ARGS[i + 1] ?? '');
  if (!m) throw new Error('--guacd takes HOST:PORT');
  return { host: m[1]!.replace(/^\[(.*)\]$/, '$1'), port: Number(m[2]) };
})();
const KEYS = Number(process.env.BENCH_KEYS ?? 40);
const PASSWORD = 'bench-pw';
const WIDTH = 1024;
const HEIGHT = 768;
/** The cat xterm for key-to-pixel: 80x24 at +0+0 (6x13 "fixed" font: ~490x320 px with borders). */
const TERM_AREA = { x: 0, y: 0, width: 520, height: 340 };
/** Pointer: every 50 ms, a 9° step on a circle of radius 150 centred on (900, 200) (one turn per 2 s). */
const POINTER = { cx: 900, cy: 200, r: 150, everyMs: 50, step: (2 * Math.PI) / 40 };

const GUACD = {
  fps: '47–55',
  bytes: '2.4–2.7 MiB/s',
  cpu: '20–24 %',
  firstFrame: '~110 ms',
  keyP50: '21.3 ms',
  keyP95: '22 ms',
  floorP50: '9.2 ms',
  floorP95: '9.8 ms',
};

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const mib = (bytesPerSecond: number): string => `${(bytesPerSecond / (1 << 20)).toFixed(2)} MiB/s`;
const kib = (bytesPerSecond: number): string => `${(bytesPerSecond / 1024).toFixed(3)} KiB/s (${bytesPerSecond.toFixed(1)} B/s)`;
const ms = (v: number): string => `${v.toFixed(1)} ms`;

function row(name: string, ours: string, guacd = '', target = ''): void {
  console.log(`${name.padEnd(34)} ${ours.padEnd(22)} ${guacd.padEnd(16)} ${target}`);
}


/** CPU % of one core used by `pid` over `run()`. */
async function cpuOver<T>(pid: number, run: () => Promise<T>): Promise<{ result: T; percent: number; wallMs: number }> {
  const cpu0 = await processCpuMs(pid);
  const t0 = performance.now();
  const result = await run();
  const wallMs = performance.now() - t0;
  const cpu1 = await processCpuMs(pid);
  return { result, percent: ((cpu1 - cpu0) / wallMs) * 100, wallMs };
}

async function connectViewer(display: DisplayService, gatewayPort: number, host = '127.0.0.1'): Promise<BenchClient> {
  const ticket = display.issueTicket('bench', { host: '127.0.0.1', port: xvncPort, password: PASSWORD }, {}, {
    guacd: { host, port: gatewayPort },
    ...(process.env.BENCH_ENCODINGS ? { params: { encodings: process.env.BENCH_ENCODINGS } } : {}),
  });
  return BenchClient.connect(`${ticket.tunnelUrl}?token=${encodeURIComponent(ticket.token)}&width=${WIDTH}&height=${HEIGHT}&dpi=96`);
}

async function waitFor(probe: () => boolean, timeoutMs: number, label: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${label}`);
    await sleep(5);
  }
}

let xvncPort = 0;

/** Key presses into the cat xterm; ms from sending the key until `arrived` reports pixels in the terminal. */
async function keyLatencies(
  count: number,
  press: (keysym: number, down: boolean) => void,
  arrived: (listener: () => void) => () => void,
): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    if (i > 0 && i % 50 === 0) {
      press(0xff0d, true); // Return, untimed, keeps the line short
      press(0xff0d, false);
      await sleep(200);
    }
    const keysym = 0x61 + (i % 26);
    const t = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        remove();
        reject(new Error('no pixels arrived for a key press within 2 s'));
      }, 2_000);
      const remove = arrived(() => {
        clearTimeout(timer);
        remove();
        resolve(performance.now() - t0);
      });
      const t0 = performance.now();
      press(keysym, true);
    });
    press(keysym, false);
    samples.push(t);
    // Let the echo and the key release settle before the next press.
    await sleep(120);
  }
  return samples;
}

const inTerm = (x: number, y: number): boolean =>
  x >= TERM_AREA.x && y >= TERM_AREA.y && x < TERM_AREA.x + TERM_AREA.width && y < TERM_AREA.y + TERM_AREA.height;

interface AppProcess {
  pid: number;
  /** A viewer URL (tunnel + ticket) for the benchmark's VNC server. */
  ticketUrl(): Promise<string>;
  stop(): Promise<void>;
}

/** The app's display path (tunnel + embedded gateway in one process): bench/display-app-process.ts. */
async function startAppProcess(): Promise<AppProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/display-app-process.ts'], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const replies: unknown[] = [];
  let wake: (() => void) | null = null;
  child.on('message', (m) => {
    replies.push(m);
    wake?.();
  });
  const next = async (): Promise<unknown> => {
    while (replies.length === 0) await new Promise<void>((r) => (wake = r));
    return replies.shift();
  };
  if ((await next()) !== 'ready') throw new Error('the app process did not start');
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    pid: child.pid!,
    async ticketUrl() {
      child.send({ host: '127.0.0.1', port: xvncPort, password: PASSWORD, width: WIDTH, height: HEIGHT });
      return ((await next()) as { url: string }).url;
    },
    async stop() {
      child.disconnect();
      const t = setTimeout(() => child.kill('SIGKILL'), 3_000);
      await exited;
      clearTimeout(t);
    },
  };
}

/** One way of typing into the cat xterm and seeing the echo: open, then `keys` samples, then closed. */
interface KeyPath {
  name: string;
  open(): Promise<{
    press(keysym: number, down: boolean): void;
    arrived(listener: () => void): () => void;
    close(): Promise<void>;
  }>;
}

/** A viewer (through some tunnel) as a key path. */
function viewerPath(name: string, connect: () => Promise<BenchClient>): KeyPath {
  return {
    name,
    async open() {
      const viewer = await connect();
      await waitFor(() => viewer.firstCompleteFrameAt !== null, 10_000, `${name}: the first complete frame`);
      viewer.send('mouse', 200, 150, 0); // no window manager: the keyboard focus follows the pointer
      return {
        press: (keysym, down) => viewer.send('key', keysym, down ? 1 : 0),
        arrived: (listener) => viewer.onDraw((d) => (d.x >= 0 && inTerm(d.x, d.y) ? listener() : undefined)),
        close: () => viewer.close(),
      };
    },
  };
}

/**
 * Key-to-pixel on every path, interleaved: `rounds` rounds, each taking count/rounds samples
 * on each path in turn (only that path connected), so all paths see the same machine load.
 */
async function keyRounds(paths: KeyPath[], count: number, rounds = 4): Promise<Map<string, number[]>> {
  const out = new Map(paths.map((p) => [p.name, [] as number[]]));
  for (let r = 0; r < rounds; r++) {
    for (const path of paths) {
      const session = await path.open();
      await sleep(300);
      try {
        const samples = await keyLatencies(Math.ceil(count / rounds), session.press, session.arrived).catch((err: Error) => {
          throw new Error(`${path.name}: ${err.message}`);
        });
        out.get(path.name)!.push(...samples);
        session.press(0xff0d, true); // Return: the line stays short
        session.press(0xff0d, false);
        await sleep(100);
      } finally {
        await session.close();
      }
      await sleep(400); // the gateway drops the VNC connection of its last viewer
    }
  }
  return out;
}

/** The floor: our own RFB client typing straight into the VNC server, timed to the first pixels. */
function floorPath(xvnc: XvncServer): KeyPath {
  return {
    name: 'bare RFB floor',
    async open() {
      let onPixels: (() => void) | null = null;
      let ready!: () => void;
      const started = new Promise<void>((r) => (ready = r));
      let first = true;
      const rfb = new RfbClient(
        { host: '127.0.0.1', port: xvnc.port, password: PASSWORD, localCursor: true },
        {
          onReady: () => undefined,
          onRect: (rect) => {
            if ((rect.kind === 'pixels' || rect.kind === 'copy') && inTerm(rect.x, rect.y)) onPixels?.();
          },
          onUpdateEnd: () => {
            if (first) {
              first = false;
              ready();
            }
            rfb.requestUpdate(true); // always one request outstanding, as a viewer keeps
          },
          onClose: () => undefined,
        },
      );
      await started;
      rfb.sendPointer(0, 200, 150); // no window manager: the keyboard focus follows the pointer
      return {
        press: (keysym, down) => rfb.sendKey(down, keysym),
        arrived: (listener) => {
          onPixels = listener;
          return () => {
            if (onPixels === listener) onPixels = null;
          };
        },
        close: async () => rfb.close(),
      };
    },
  };
}

/** Rebuilds the default layer from instructions and counts pixels that differ from the X framebuffer. */
async function fidelity(instructions: string[][], xvnc: XvncServer): Promise<{ mismatched: number; total: number; sizeOk: boolean }> {
  const canvas = new GuacCanvas();
  for (const ins of instructions) canvas.apply(ins);
  const shot = await screenshotX(xvnc.display);
  if (canvas.width !== shot.width || canvas.height !== shot.height) return { mismatched: -1, total: shot.width * shot.height, sizeOk: false };
  let mismatched = 0;
  for (let i = 0; i < shot.rgba.length; i += 4) {
    if (canvas.rgba[i] !== shot.rgba[i] || canvas.rgba[i + 1] !== shot.rgba[i + 1] || canvas.rgba[i + 2] !== shot.rgba[i + 2]) mismatched++;
  }
  return { mismatched, total: shot.width * shot.height, sizeOk: true };
}

/**
 * A photo slideshow (a new 400x300 gradient-plus-noise picture shown with xwud every 300 ms,
 * on the static desktop) seen by two viewers on the guacd wire protocol at once: one that
 * announces image/jpeg and one that announces only image/png. Bytes/s each.
 */
async function photoSlideshow(gatewayPort: number, xvnc: XvncServer): Promise<{ png: number; jpeg: number; jpegImages: number }> {
  const files = [1, 2, 3].map((i) => `/tmp/daas-bench-photo-${process.pid}-${i}.xwd`);
  await Promise.all(files.map((f, i) => writeFile(f, photoXwd(400, 300, 1000 + i))));
  const open = async (imageTypes: string[]): Promise<GuacdWireClient> => {
    const c = await GuacdWireClient.open('127.0.0.1', gatewayPort);
    c.answerSyncs();
    await c.handshake({ hostname: '127.0.0.1', port: String(xvncPort), password: PASSWORD }, [WIDTH, HEIGHT, 96], imageTypes);
    await c.waitFor((i) => i[0] === 'sync', 10_000);
    return c;
  };
  const png = await open(['image/png']);
  const jpeg = await open(['image/png', 'image/jpeg']);
  let jpegImages = 0;
  jpeg.observe((ins) => {
    if (ins[0] === 'img' && ins[4] === 'image/jpeg') jpegImages++;
  });
  await sleep(500);
  const png0 = png.received;
  const jpeg0 = jpeg.received;
  const t0 = performance.now();
  let shown: XApp | null = null;
  for (let i = 0; i < 12; i++) {
    const next = startXApp(xvnc.display, 'xwud', ['-in', files[i % files.length]!, '-noclick', '-geometry', '+560+400']);
    await sleep(300);
    await shown?.stop();
    shown = next;
  }
  await sleep(300);
  const seconds = (performance.now() - t0) / 1000;
  await shown?.stop();
  png.close();
  jpeg.close();
  await Promise.all(files.map((f) => rm(f, { force: true })));
  return { png: (png.received - png0) / seconds, jpeg: (jpeg.received - jpeg0) / seconds, jpegImages };
}

/**
 * The issue's xterm-scroll workload (xterm line every 20 ms, xeyes, xclock, a circling pointer)
 * on the standalone gateway: frames, bytes, CPU, first frames, then the static desktop's cost,
 * pixel fidelity and the photo slideshow. Prints its rows; leaves the screen black.
 */
async function scrollWorkload(xvnc: XvncServer, display: DisplayService, gateway: GatewayCli): Promise<void> {
  const apps: XApp[] = [];
  try {
    apps.push(startXApp(xvnc.display, 'xeyes', ['-geometry', '200x150+800+0']));
    const clock = startXApp(xvnc.display, 'xclock', ['-update', '1', '-geometry', '200x200+800+300']);
    apps.push(clock);
    // The counter also goes to a file (a shell builtin write, no extra process) to report the real line rate.
    const counterFile = `/tmp/daas-bench-lines-${process.pid}`;
    const loop = `i=0; while :; do i=$((i+1)); echo "$i $(date +%T.%N) $(head -c 48 /dev/urandom | base64 -w0)"; echo $i > ${counterFile}; sleep 0.02; done`;
    const linesNow = async (): Promise<number> => Number((await readFile(counterFile, 'utf8').catch(() => '0')).trim()) || 0;
    const scroll = startXApp(xvnc.display, 'xterm', ['-geometry', '100x40+0+0', '-e', 'sh', '-c', loop]);
    apps.push(scroll);
    await sleep(1_500);
    console.log(`xterm-scroll: ${SECONDS} s; pointer: every ${POINTER.everyMs} ms, r=${POINTER.r} around (${POINTER.cx},${POINTER.cy}), ${((POINTER.step * 180) / Math.PI).toFixed(0)}° per step\n`);

    // 1. Connect -> first complete frame, each on a fresh VNC connection (no other viewer).
    const firstFrames: number[] = [];
    const firstFrameSteps: string[] = [];
    for (let i = 0; i < 5; i++) {
      const c = await connectViewer(display, gateway.port);
      await waitFor(() => c.firstCompleteFrameAt !== null, 10_000, 'the first complete frame');
      firstFrames.push(c.firstCompleteFrameAt! - c.startedAt);
      const step = (name: string, t: number | undefined): string => `${name} +${t === undefined ? '?' : (t - c.startedAt).toFixed(0)}`;
      firstFrameSteps.push(
        [step('open', c.openedAt), ...['ready', 'size', 'img', 'sync'].map((o) => step(o, c.firstAt.get(o))), step('complete', c.firstCompleteFrameAt!)].join(' '),
      );
      await c.close();
      await sleep(400); // the gateway drops the VNC connection of its last viewer
    }

    // 2. The workload, measured for SECONDS.
    const viewer = await connectViewer(display, gateway.port);
    viewer.record = true;
    await waitFor(() => viewer.firstCompleteFrameAt !== null, 10_000, 'the first complete frame');
    let angle = 0;
    const pointerTimer = setInterval(() => {
      angle += POINTER.step;
      viewer.send('mouse', Math.round(POINTER.cx + POINTER.r * Math.cos(angle)), Math.round(POINTER.cy + POINTER.r * Math.sin(angle)), 0);
    }, POINTER.everyMs);
    await sleep(1_000); // warm up
    const bench0 = process.cpuUsage();
    const xvncCpu0 = await processCpuMs(xvnc.process.pid!);
    const frames0 = viewer.frames;
    const bytes0 = viewer.bytes;
    const threads0 = await threadCpuMs(gateway.pid);
    const lines0 = await linesNow();
    const load = await cpuOver(gateway.pid, () => sleep(SECONDS * 1_000));
    const threads1 = await threadCpuMs(gateway.pid);
    const linesPerSecond = (((await linesNow()) - lines0) * 1_000) / load.wallMs;
    await rm(counterFile, { force: true });
    const benchCpu = process.cpuUsage(bench0);
    const xvncCpu = ((await processCpuMs(xvnc.process.pid!)) - xvncCpu0) / load.wallMs * 100;
    const fps = ((viewer.frames - frames0) * 1_000) / load.wallMs;
    const bps = ((viewer.bytes - bytes0) * 1_000) / load.wallMs;
    clearInterval(pointerTimer);

    // 3. A static desktop: the scroll and the clock stop; an xterm running `cat` with the pointer on it.
    await scroll.stop();
    await clock.stop();
    apps.push(startXApp(xvnc.display, 'xterm', ['-geometry', '80x24+0+0', '-e', 'cat']));
    await sleep(800);
    viewer.send('mouse', 200, 150, 0);
    await sleep(1_500);
    const idleBytes0 = viewer.bytes;
    const idle = await cpuOver(gateway.pid, () => sleep(SECONDS * 1_000));
    const idleBps = ((viewer.bytes - idleBytes0) * 1_000) / idle.wallMs;

    // 4. Pixel fidelity on the static desktop: the long-running viewer, and a fresh one.
    viewer.record = false;
    const longRun = await fidelity(viewer.recorded, xvnc);
    viewer.recorded.length = 0;
    const fresh = await connectViewer(display, gateway.port);
    fresh.record = true;
    await waitFor(() => fresh.firstCompleteFrameAt !== null, 10_000, 'the fresh viewer\'s first frame');
    await sleep(500);
    const freshFit = await fidelity(fresh.recorded, xvnc);
    await fresh.close();
    await viewer.close();

    // 5. Photos: a slideshow with and without JPEG.
    const photo = await photoSlideshow(gateway.port, xvnc);

    console.log(`${'figure'.padEnd(34)} ${'ours'.padEnd(22)} ${'guacd 1.6.0'.padEnd(16)} target`);
    row('frames/s', fps.toFixed(1), GUACD.fps, '>= guacd');
    row('bytes/s on the tunnel', mib(bps), GUACD.bytes, '<= guacd');
    row('gateway CPU (% of one core)', `${load.percent.toFixed(1)} %`, GUACD.cpu, '<= 1.5x guacd (36 %)');
    row('connect -> first complete frame', `${ms(percentile(firstFrames, 0.5))} (median of ${firstFrames.length})`, GUACD.firstFrame);
    row('static desktop: bytes/s', kib(idleBps), '', '< 5 KiB/s');
    row('static desktop: gateway CPU', `${idle.percent.toFixed(2)} %`);
    const fit = (f: { mismatched: number; total: number; sizeOk: boolean }): string =>
      f.sizeOk ? `${f.mismatched} of ${f.total} px differ` : 'size differs';
    row('pixel fidelity, after the workload', fit(longRun), '', '0 (lossless)');
    row('pixel fidelity, fresh viewer', fit(freshFit), '', '0 (lossless)');
    row('photo slideshow: bytes/s, PNG only', mib(photo.png));
    row('photo slideshow: bytes/s, with JPEG', `${mib(photo.jpeg)} (${photo.jpegImages} JPEG)`);
    console.log('');
    console.log(`first complete frames: ${firstFrames.map((v) => v.toFixed(0)).join(', ')} ms`);
    for (const steps of firstFrameSteps) console.log(`  ${steps} ms`);
    console.log(`Xtigervnc CPU during the workload: ${xvncCpu.toFixed(1)} %; benchmark process (tunnel + client): ${(((benchCpu.user + benchCpu.system) / 1000 / load.wallMs) * 100).toFixed(1)} %`);
    const perThread = [...threads1]
      .map(([name, cpu]) => [name, ((cpu - (threads0.get(name) ?? 0)) / load.wallMs) * 100] as const)
      .filter(([, pct]) => pct >= 0.1)
      .sort((a, b) => b[1] - a[1]);
    console.log(`gateway CPU by thread during the workload: ${perThread.map(([n, p]) => `${n} ${p.toFixed(1)} %`).join(', ')}`);
    console.log(`workload events: ${linesPerSecond.toFixed(1)} xterm lines/s + ${1_000 / POINTER.everyMs} pointer moves/s + 1 clock tick/s`);
    console.log(`syncs during the workload: ${viewer.syncs}; frames: ${viewer.frames}`);
    console.log('');
  } finally {
    await Promise.all(apps.map((a) => a.stop()));
  }
}

/** Key-to-pixel on the cat xterm: standalone gateway, in-app path, guacd (if given), floor. */
async function keyFigures(xvnc: XvncServer, display: DisplayService, gateway: GatewayCli, app: AppProcess): Promise<void> {
  const term = startXApp(xvnc.display, 'xterm', ['-geometry', '80x24+0+0', '-e', 'cat']);
  try {
    await sleep(1_000);
    const paths = [
      floorPath(xvnc),
      viewerPath('standalone gateway', () => connectViewer(display, gateway.port)),
      viewerPath('in-app (tunnel + gateway)', async () => BenchClient.connect(await app.ticketUrl())),
    ];
    if (GUACD_ADDRESS) paths.push(viewerPath('guacd', () => connectViewer(display, GUACD_ADDRESS.port, GUACD_ADDRESS.host)));
    const keys = await keyRounds(paths, KEYS);
    const floor = keys.get('bare RFB floor')!;
    const fp50 = percentile(floor, 0.5);
    const fp95 = percentile(floor, 0.95);
    console.log(`key-to-pixel (${KEYS} keys per path, in 4 interleaved rounds; load average ${loadAverage()})`);
    console.log(`${'path'.padEnd(34)} ${'p50'.padEnd(9)} ${'p95'.padEnd(9)} ${'max'.padEnd(9)} ${'p50 - floor'.padEnd(12)} ${'p95 - floor'.padEnd(12)} target`);
    for (const [name, samples] of keys) {
      const p50 = percentile(samples, 0.5);
      const p95 = percentile(samples, 0.95);
      const over = name === 'bare RFB floor' ? ['', ''] : [`+${(p50 - fp50).toFixed(1)} ms`, `+${(p95 - fp95).toFixed(1)} ms`];
      const target = name === 'bare RFB floor' || name === 'guacd' ? '' : 'p95 <= floor + 2.5 ms';
      console.log(`${name.padEnd(34)} ${ms(p50).padEnd(9)} ${ms(p95).padEnd(9)} ${ms(Math.max(...samples)).padEnd(9)} ${over[0]!.padEnd(12)} ${over[1]!.padEnd(12)} ${target}`);
    }
    if (!GUACD_ADDRESS) console.log(`guacd 1.6.0 (the issue's figures): p50 ${GUACD.keyP50}, p95 ${GUACD.keyP95}; its floor p50 ${GUACD.floorP50}, p95 ${GUACD.floorP95}`);
    console.log('');
  } finally {
    await term.stop();
  }
}

/** Full motion: the ceiling, our gateway and (with --guacd) guacd, per workload. */
async function motion(xvnc: XvncServer, display: DisplayService, gateway: GatewayCli): Promise<void> {
  const target = (name: string, host: string, port: number, pid: number | null): MotionTarget => ({
    name,
    connect: async () => {
      const c = await connectViewer(display, port, host);
      await waitFor(() => c.frames > 0, 10_000, `${name}: the first frame`);
      return c;
    },
    cpuMs: async () => (pid === null ? null : treeCpuMs(pid)),
  });
  const targets = [target('gateway', '127.0.0.1', gateway.port, gateway.pid)];
  if (GUACD_ADDRESS) {
    const pid = await listenerPid(GUACD_ADDRESS.port);
    targets.push(target(`guacd${pid === null ? ' (CPU not readable)' : ` (pid ${pid})`}`, GUACD_ADDRESS.host, GUACD_ADDRESS.port, pid));
  }
  const figures = await motionFigures({ display: xvnc.display, port: xvnc.port, password: PASSWORD, width: WIDTH, height: HEIGHT }, targets, SECONDS);
  console.log(`full motion (${SECONDS} s each; load average ${loadAverage()})`);
  printMotion(figures);
}

function printMotion(figures: MotionFigures[]): void {
  // "server frames/s": the syncs' second argument (the server updates the frames showed), as
  // the gateway (and guacd 1.5+) counts them: below frames/s' share, updates the pacer merged.
  const head = ['workload / client'.padEnd(44), 'frames/s'.padEnd(10), 'of ceiling'.padEnd(11), 'server fr/s'.padEnd(12), 'bytes/s'.padEnd(12), 'CPU'.padEnd(8), 'img/frame'.padEnd(10)];
  console.log(`${head.join(' ')} target`);
  for (const f of figures) {
    console.log(f.workload);
    for (const t of f.targets) {
      const cpu = t.cpuPercent === null ? 'n/a' : `${t.cpuPercent.toFixed(1)} %`;
      const share = `${((t.framesPerSecond / t.ceiling.updatesPerSecond) * 100).toFixed(0)} %`;
      console.log(`${'  bare RFB client, same window'.padEnd(44)} ${t.ceiling.updatesPerSecond.toFixed(1).padEnd(10)} ${''.padEnd(11)} ${''.padEnd(12)} ${`${mib(t.ceiling.bytesPerSecond)}`.padEnd(12)} ${''.padEnd(8)} ${''.padEnd(10)} (RFB, ceiling)`);
      const target = t.name === 'gateway' ? '>= 90 % of ceiling' : '';
      console.log(`${`  ${t.name}`.padEnd(44)} ${t.framesPerSecond.toFixed(1).padEnd(10)} ${share.padEnd(11)} ${t.serverFramesPerSecond.toFixed(1).padEnd(12)} ${mib(t.bytesPerSecond).padEnd(12)} ${cpu.padEnd(8)} ${t.imagesPerFrame.toFixed(1).padEnd(10)} ${target}`);
    }
  }
  console.log('');
}

function loadAverage(): string {
  return loadavg().map((v) => v.toFixed(2)).join(', ');
}

async function main(): Promise<void> {
  let gateway: GatewayCli | undefined;
  let display: DisplayService | undefined;
  let app: AppProcess | undefined;
  const xvnc = await startXvnc({ password: PASSWORD, width: WIDTH, height: HEIGHT, depth: 24 });
  xvncPort = xvnc.port;
  try {
    await xvnc.x('xsetroot', '-solid', 'black');
    gateway = await startGatewayCli(gatewayProfileArgs());
    display = await DisplayService.start({ connectRetries: 0 });
    app = await startAppProcess();
    await sleep(500);
    const against = GUACD_ADDRESS ? `; guacd at ${GUACD_ADDRESS.host}:${GUACD_ADDRESS.port}` : '';
    console.log(`display benchmark: Xtigervnc ${WIDTH}x${HEIGHT}x24; gateway = standalone CLI, pid ${gateway.pid}; in-app path pid ${app.pid}${against}; load average ${loadAverage()}\n`);
    if (!QUICK) await scrollWorkload(xvnc, display, gateway);
    if (process.env.BENCH_KEYS !== '0') await keyFigures(xvnc, display, gateway, app);
    if (process.env.BENCH_MOTION !== 'none') await motion(xvnc, display, gateway);
  } finally {
    await app?.stop();
    await display?.close();
    await gateway?.stop();
    await xvnc.stop();
  }
  if (process.env.BENCH_AUDIO !== '0' && !QUICK) {
    console.log('');
    await audioFigures(row).catch((err: unknown) => console.log(`audio: not measured (${(err as Error).message})`));
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
