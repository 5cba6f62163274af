// `node --import tsx bench/display-viewers.ts` (part of `npm run bench`): many viewers of one
// desktop (issue 14, point 7). The xterm-scroll workload of bench/display.ts on Xtigervnc, the
// standalone gateway CLI in its own process (CPU from /proc), and 1, then 10, guacd-protocol
// clients on the same VNC connection, each answering every `sync` as a viewer does. Printed,
// never asserted: gateway CPU, frames/s and bytes/s per viewer, and CPU(10) / CPU(1) against
// the target (< 2: a change is decoded and encoded once, whatever the number of viewers).
//
// Environment: BENCH_SECONDS (default 8), BENCH_VIEWERS (the larger count, default 10), BENCH_CPU_PROF (a
// folder for a V8 CPU profile of the gateway).
import { performance } from 'node:perf_hooks';
import { startGatewayCli, type GatewayCli } from '../test/helpers/gateway-cli';
import { GuacdWireClient } from '../test/helpers/guacd-wire-client';
import { startXApp, XApp } from '../test/helpers/x-apps';
import { startXvnc } from '../test/helpers/xvnc';
import { gatewayProfileArgs, processCpuMs } from './display-client';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const MANY = Number(process.env.BENCH_VIEWERS ?? 10);
const PASSWORD = 'bench-pw';
/** A viewer whose answers take this long falls behind and gets catch-up frames (merged changes). */
const LAGGING_MS = 250;
const WIDTH = 1024;
const HEIGHT = 768;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Figures {
  viewers: number;
  answerMs: number;
  cpuPercent: number;
  framesPerViewer: number;
  bytesPerViewer: number;
}

/**
 * `count` viewers on one VNC connection, measured for SECONDS after a 1 s warm-up; each answers
 * a `sync` after `answerMs` (0: at once; more: a viewer across a network, that falls behind).
 */
async function measure(gatewayPort: number, xvncPort: number, count: number, gatewayPid: number, answerMs = 0): Promise<Figures> {
  const viewers: GuacdWireClient[] = [];
  const frames = new Array<number>(count).fill(0);
  for (let n = 0; n < count; n++) {
    const c = await GuacdWireClient.open('127.0.0.1', gatewayPort);
    // Counted, not kept: ten streams of instructions for seconds would only cost the bench memory.
    c.observe((ins) => {
      if (ins[0] !== 'sync') return;
      frames[n]!++;
      c.instructions.length = 0;
      if (answerMs === 0) c.send('sync', ins[1]!);
      else setTimeout(() => c.send('sync', ins[1]!), answerMs);
    });
    await c.handshake({ hostname: '127.0.0.1', port: String(xvncPort), password: PASSWORD }, [WIDTH, HEIGHT, 96]);
    while (frames[n] === 0) await sleep(20);
    viewers.push(c);
  }
  await sleep(1_000);
  const frames0 = [...frames];
  const bytes0 = viewers.map((v) => v.received);
  const cpu0 = await processCpuMs(gatewayPid);
  const t0 = performance.now();
  await sleep(SECONDS * 1_000);
  const wallMs = performance.now() - t0;
  const cpu = (await processCpuMs(gatewayPid)) - cpu0;
  const perSecond = (v: number): number => (v * 1_000) / wallMs / count;
  const figures = {
    viewers: count,
    answerMs,
    cpuPercent: (cpu / wallMs) * 100,
    framesPerViewer: perSecond(frames.reduce((a, f, n) => a + f - frames0[n]!, 0)),
    bytesPerViewer: perSecond(viewers.reduce((a, v, n) => a + v.received - bytes0[n]!, 0)),
  };
  viewers.forEach((v) => v.close());
  await sleep(600); // the gateway drops the VNC connection of its last viewer
  return figures;
}

async function main(): Promise<void> {
  const apps: XApp[] = [];
  const xvnc = await startXvnc({ password: PASSWORD, width: WIDTH, height: HEIGHT, depth: 24 });
  let gateway: GatewayCli | undefined;
  try {
    await xvnc.x('xsetroot', '-solid', 'black');
    const loop = 'i=0; while :; do i=$((i+1)); echo "$i $(date +%T.%N) $(head -c 48 /dev/urandom | base64 -w0)"; sleep 0.02; done';
    apps.push(startXApp(xvnc.display, 'xterm', ['-geometry', '100x40+0+0', '-e', 'sh', '-c', loop]));
    apps.push(startXApp(xvnc.display, 'xclock', ['-update', '1', '-geometry', '200x200+800+300']));
    await sleep(1_500);
    gateway = await startGatewayCli(gatewayProfileArgs());

    console.log(`display viewers benchmark: xterm-scroll, Xtigervnc ${WIDTH}x${HEIGHT}x24, ${SECONDS} s per row; gateway = standalone CLI, pid ${gateway.pid}`);
    const rows: Figures[] = [];
    for (const answerMs of [0, LAGGING_MS]) {
      rows.push(await measure(gateway.port, xvnc.port, 1, gateway.pid, answerMs));
      rows.push(await measure(gateway.port, xvnc.port, MANY, gateway.pid, answerMs));
    }
    console.log('viewers | sync answered after | gateway CPU | frames/s per viewer | bytes/s per viewer');
    console.log('--- | --- | --- | --- | ---');
    for (const f of rows) {
      console.log(
        `${f.viewers} | ${f.answerMs} ms | ${f.cpuPercent.toFixed(1)} % | ${f.framesPerViewer.toFixed(1)} | ${(f.bytesPerViewer / 1024).toFixed(1)} KiB/s`,
      );
    }
    for (let i = 0; i < rows.length; i += 2) {
      const ratio = rows[i + 1]!.cpuPercent / rows[i]!.cpuPercent;
      console.log(`answers after ${rows[i]!.answerMs} ms: CPU(${MANY}) / CPU(1) = ${ratio.toFixed(2)} (target < 2)`);
    }
  } finally {
    await gateway?.stop();
    await Promise.all(apps.map((a) => a.stop()));
    await xvnc.stop();
  }
}

void main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
