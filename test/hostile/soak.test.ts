// Soak: one `serve` process, 50 viewers connecting to a real container desktop through the
// tunnel (a real Guacamole client that waits for a drawn frame) and leaving, then 10 start/stop
// cycles of that desktop. Afterwards everything the process holds comes back to where it
// started: open file descriptors, containers, live instances, tunnels (viewer connections),
// VNC connections and remembered tickets. Resident memory may keep what the first viewers
// made it grow by once (code, JIT, heap): it is compared with its level after a warm-up of
// 10 viewers and may be at most 40 MiB above it (before the fixes, viewer connections that
// guacamole-lite closed stayed counted and held, and every viewer left ~8 MiB of pixel
// buffers to the garbage collector). The bench (`npm run bench:soak`) prints the same
// figures for 500 and 200 cycles.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { tempDataDir } from '../helpers/core';
import { ServeProcess } from '../helpers/serve-process';
import {
  formatFigures,
  measure,
  settleFigures,
  shutDown,
  startDesktop,
  startStopCycle,
  viewerCycles,
  waitForInstanceState,
  type SoakFigures,
} from '../helpers/soak';

// Enough churn to show a leak of one viewer's buffers or one start's handles (the bench's 500
// and 200 measure the slope); kept small for CI's time.
const VIEWERS = 50;
const STARTS = 10;
const WARM_UP = 10;
const RSS_TOLERANCE_MIB = 40;

let serve: ServeProcess;

before(async () => {
  serve = await ServeProcess.start(await tempDataDir());
});

after(async () => {
  if (serve) await shutDown(serve);
});

test('after viewer and start/stop churn the serve process holds what it held at the start', async (t) => {
  const start = await measure(serve);
  const id = await startDesktop(serve);
  await viewerCycles(serve, id, WARM_UP);
  const warm = await measure(serve);

  await viewerCycles(serve, id, VIEWERS);
  const afterViewers = await settleFigures(serve, (f) => f.tunnels === 0 && f.vncConnections === 0, 10_000);
  assert.equal(afterViewers.tunnels, 0, 'every viewer connection that left is gone from the tunnel');
  assert.equal(afterViewers.vncConnections, 0, 'no VNC connection outlives its last viewer');

  await serve.request('instances.stop', { instanceId: id });
  await waitForInstanceState(serve, id, 'stopped');
  for (let i = 0; i < STARTS; i++) await startStopCycle(serve);

  // Redeemed tickets are remembered until they would have expired (30 s).
  const end = await settleFigures(
    serve,
    (f) => f.tickets === 0 && f.tunnels === 0 && f.vncConnections === 0 && f.containers === 0 && f.liveInstances === 0 && f.fds <= start.fds,
    60_000,
  );
  const table = formatFigures([
    ['start', start],
    ['warm', warm],
    ['after viewers', afterViewers],
    ['end', end],
  ]);
  t.diagnostic(`\n${table}`);
  const same = (key: keyof SoakFigures) => assert.equal(end[key], start[key], `${key} back to its start\n${table}`);
  same('containers');
  same('liveInstances');
  same('tunnels');
  same('vncConnections');
  same('tickets');
  assert.ok(end.fds <= start.fds, `open file descriptors back to their start\n${table}`);
  assert.ok(end.rssMiB <= warm.rssMiB + RSS_TOLERANCE_MIB, `resident memory within ${RSS_TOLERANCE_MIB} MiB of its warm level\n${table}`);
  assert.equal(serve.child.exitCode, null, 'the process is still alive');
});
