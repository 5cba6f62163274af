// `npm run bench:soak`: one `serve` process under churn, printed, never asserted:
//   - SOAK_VIEWERS (default 500) viewers connect to a running built-in desktop through the
//     tunnel (a real Guacamole client, each waiting for a drawn frame) and leave;
//   - SOAK_STARTS (default 200) start/stop cycles of the built-in desktop;
// and what the process holds before, after the viewers, and after everything has settled
// (open file descriptors, resident memory, containers, live instances, tunnels, VNC
// connections, remembered tickets — these expire 30 s after use, so the end waits for them).
// A desktop killed from outside (another process on a shared Docker engine) is replaced and
// counted, not fatal: the figures are about this process.
import { performance } from 'node:perf_hooks';
import { tempDataDir } from '../test/helpers/core';
import { formatFigures, isRunning, measure, rssMiB, settleFigures, shutDown, startDesktop, startStopCycle, viewerCycle, waitForInstanceState } from '../test/helpers/soak';
import { ServeProcess } from '../test/helpers/serve-process';

const VIEWERS = Number(process.env.SOAK_VIEWERS ?? 500);
const STARTS = Number(process.env.SOAK_STARTS ?? 200);

async function main(): Promise<void> {
  const serve = await ServeProcess.start(await tempDataDir());
  try {
    const before = await measure(serve);
    let id = await startDesktop(serve);
    const running = await measure(serve);
    let lost = 0;
    let viewerPeak = 0;
    const v0 = performance.now();
    for (let i = 0; i < VIEWERS; i++) {
      try {
        await viewerCycle(serve, id);
      } catch (err) {
        if (await isRunning(serve, id)) throw err;
        lost++;
        id = await startDesktop(serve);
        i--;
      }
      if (i % 10 === 9) viewerPeak = Math.max(viewerPeak, await rssMiB(serve.child.pid!));
    }
    const viewerMs = performance.now() - v0;
    const afterViewers = await measure(serve);
    await serve.request('instances.stop', { instanceId: id });
    await waitForInstanceState(serve, id, 'stopped');

    const s0 = performance.now();
    for (let i = 0; i < STARTS; i++) {
      await startStopCycle(serve).catch(async (err: Error) => {
        if (!/is failed/.test(err.message)) throw err;
        lost++;
        i--;
      });
    }
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
    console.log(`${'desktops killed from outside (replaced)'.padEnd(40)} ${lost}`);
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
