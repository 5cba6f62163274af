// `npm run bench:soak`: one `serve` process under churn, printed, never asserted:
//   - SOAK_VIEWERS (default 500) viewers connect to a running built-in desktop through the
//     tunnel (a real Guacamole client, each waiting for a drawn frame) and leave;
//   - SOAK_STARTS (default 200) start/stop cycles of the built-in desktop;
// and what the process holds before, after the viewers, and after everything has settled
// (open file descriptors, resident memory, containers, live instances, tunnels, VNC
// connections, remembered tickets — these expire 30 s after use, so the end waits for them).
import { performance } from 'node:perf_hooks';
import { tempDataDir } from '../test/helpers/core';
import { formatFigures, measure, settleFigures, shutDown, startDesktop, startStopCycle, viewerCycles, waitForInstanceState } from '../test/helpers/soak';
import { ServeProcess } from '../test/helpers/serve-process';

const VIEWERS = Number(process.env.SOAK_VIEWERS ?? 500);
const STARTS = Number(process.env.SOAK_STARTS ?? 200);

async function main(): Promise<void> {
  const serve = await ServeProcess.start(await tempDataDir());
  try {
    const before = await measure(serve);
    const id = await startDesktop(serve);
    const running = await measure(serve);
    const v0 = performance.now();
    const viewerPeak = await viewerCycles(serve, id, VIEWERS);
    const viewerMs = performance.now() - v0;
    const afterViewers = await measure(serve);
    await serve.request('instances.stop', { instanceId: id });
    await waitForInstanceState(serve, id, 'stopped');

    const s0 = performance.now();
    for (let i = 0; i < STARTS; i++) await startStopCycle(serve);
    const startMs = performance.now() - s0;
    const settled = await settleFigures(
      serve,
      (f) => f.tunnels === 0 && f.vncConnections === 0 && f.tickets === 0 && f.containers === 0 && f.liveInstances === 0,
      60_000,
    );

    console.log(`# DaaS Desktop soak: one serve process, ${VIEWERS} viewer cycles, ${STARTS} start/stop cycles, ${new Date().toISOString()}`);
    console.log(`${`${VIEWERS} viewer cycles`.padEnd(40)} ${(viewerMs / 1000).toFixed(1)} s (${(viewerMs / VIEWERS).toFixed(0)} ms each)`);
    console.log(`${`${STARTS} start/stop cycles`.padEnd(40)} ${(startMs / 1000).toFixed(1)} s (${(startMs / STARTS).toFixed(0)} ms each)`);
    console.log(`${'resident memory peak during viewers'.padEnd(40)} ${viewerPeak.toFixed(1)} MiB`);
    console.log(
      formatFigures([
        ['start', before],
        ['desktop up', running],
        ['after viewers', afterViewers],
        ['settled', settled],
      ]),
    );
  } finally {
    await shutDown(serve);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
