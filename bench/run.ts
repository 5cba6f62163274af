// `npm run bench`: start the built-in app through the real core, N times, and measure
// Start -> running (VNC banner answers) and Start -> first remote frame (the first
// image and sync through tunnel and gateway, as a viewer receives them), then Stop;
// then M concurrent starts: time until all run, and the core process's memory.
import { performance } from 'node:perf_hooks';
import type { Instance } from '../src-shared/model';
import type { DisplayTicket } from '../src-shared/contract';
import { GuacTestClient } from '../test/helpers/guac-client';
import { openCore, tempDataDir, waitForState, TEST_HOST as HOST } from '../test/helpers/core';
import { removeOwnedBy } from '../test/helpers/docker';
import { summarise } from './stats';

const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const CONCURRENT = Number(process.env.BENCH_CONCURRENT ?? 20);

async function main(): Promise<void> {
  const core = await openCore(await tempDataDir());
  const toRunning: number[] = [];
  const toFirstFrame: number[] = [];
  const stops: number[] = [];
  let concurrent: { allRunningMs: number; rssBefore: number; rssAfter: number; stopAllMs?: number } | undefined;
  try {
    for (let run = 0; run < RUNS; run++) {
      const t0 = performance.now();
      const started = await core.handle('instances.start', { appId: 'linux-desktop' }, HOST);
      if (!started.ok) throw new Error(started.error.message);
      const { id } = started.result as Instance;
      await waitForState(core, id, 'running');
      toRunning.push(performance.now() - t0);

      const ticket = await core.handle('display.connect', { instanceId: id, width: 1280, height: 800 }, HOST);
      if (!ticket.ok) throw new Error(ticket.error.message);
      const { tunnelUrl, token } = ticket.result as DisplayTicket;
      const client = await GuacTestClient.connect(tunnelUrl, `token=${encodeURIComponent(token)}&width=1280&height=800`);
      await client.waitForOpcode('img', 10_000);
      await client.waitForOpcode('sync', 10_000);
      toFirstFrame.push(performance.now() - t0);
      await client.close();

      const s0 = performance.now();
      const stopped = await core.handle('instances.stop', { instanceId: id }, HOST);
      if (!stopped.ok) throw new Error(stopped.error.message);
      stops.push(performance.now() - s0);
    }

    // Many at once: how long until all answer, and what the core process then holds.
    const rssBefore = process.memoryUsage().rss;
    const c0 = performance.now();
    const many = await Promise.all(
      Array.from({ length: CONCURRENT }, async () => {
        const r = await core.handle('instances.start', { appId: 'linux-desktop' }, HOST);
        if (!r.ok) throw new Error(r.error.message);
        return (r.result as Instance).id;
      }),
    );
    await Promise.all(many.map((id) => waitForState(core, id, 'running', 120_000)));
    concurrent = { allRunningMs: performance.now() - c0, rssBefore, rssAfter: process.memoryUsage().rss };
    const s0 = performance.now();
    await core.handle('instances.stopAll', {}, HOST);
    concurrent.stopAllMs = performance.now() - s0;
  } finally {
    await core.close();
    await removeOwnedBy(core.installationId);
  }
  console.log(`# DaaS Desktop benchmark: built-in Linux desktop, ${RUNS} runs, ${new Date().toISOString()}`);
  console.log(summarise('start -> running (VNC banner)', toRunning));
  console.log(summarise('start -> first remote frame', toFirstFrame));
  console.log(summarise('stop (container stopped + removed)', stops));
  if (concurrent) {
    const mib = (n: number) => (n / 1024 / 1024).toFixed(1);
    console.log(`${`${CONCURRENT} concurrent starts -> all running`.padEnd(40)} ${concurrent.allRunningMs.toFixed(0)} ms`);
    console.log(`${'main process RSS before / all running'.padEnd(40)} ${mib(concurrent.rssBefore)} MiB / ${mib(concurrent.rssAfter)} MiB`);
    console.log(`${`stop all ${CONCURRENT}`.padEnd(40)} ${concurrent.stopAllMs?.toFixed(0)} ms`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
