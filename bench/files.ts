// `npm run bench:files`: a file into a container desktop and back out through the tunnel and
// the embedded gateway, both ways a viewer can: the transfer lane (binary WebSocket messages
// beside the Guacamole stream, what the app's viewer uses) and base64 blobs inside the Guacamole
// stream (a window ahead of the acks, what any Guacamole client does); beside `docker cp` of the
// same file on the same machine (the floor), with the peak RSS growth of the process running the
// core. Printed, never asserted. BENCH_FILES_MIB (default 512).
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { open, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { DisplayTicket } from '../src-shared/contract';
import type { App, Instance } from '../src-shared/model';
import { callCore, openCore, tempDataDir, waitForState } from '../test/helpers/core';
import { containersOf, removeOwnedBy } from '../test/helpers/docker';
import { repeatedPiece, TransferClient } from '../test/helpers/file-transfer-client';

const MIB = 1024 * 1024;
const SIZE = Number(process.env.BENCH_FILES_MIB ?? 512) * MIB;
const PATTERN = randomBytes(MIB);

/** Wall time, peak RSS growth, and this process's CPU time (less at the mercy of a shared machine's load than the rate). */
async function timed(work: () => Promise<unknown>): Promise<{ seconds: number; rssMiB: number; cpuSeconds: number }> {
  const base = process.memoryUsage().rss;
  const cpu0 = process.cpuUsage();
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const t0 = performance.now();
  await work();
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  clearInterval(timer);
  return { seconds, rssMiB: (peak - base) / MIB, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

const rate = (s: number) => `${(SIZE / MIB / s).toFixed(1)} MiB/s`;

async function main(): Promise<void> {
  const core = await openCore(await tempDataDir());
  const local = join(tmpdir(), `daas-bench-files-${process.pid}.bin`);
  try {
    const call = <T>(channel: string, payload: unknown) => callCore<T>(core, channel, payload);
    const app = await call<App>('apps.create', { app: { name: 'Bench files', provider: 'docker', display: { gateway: 'embedded' }, docker: { image: 'daas/desktop:latest' } } });
    const instance = await call<Instance>('instances.start', { appId: app.id });
    await waitForState(core, instance.id, 'running', 60_000);
    const container = (await containersOf(instance.id))[0]!.Id;
    const ticket = await call<DisplayTicket>('display.connect', { instanceId: instance.id });
    const client = await TransferClient.connect(ticket.tunnelUrl, ticket.token);

    const fill = (offset: number, n: number) => repeatedPiece(PATTERN, offset, n);
    const laneUp = await timed(() => client.upload(1, 'lane.bin', SIZE, fill, { lane: true }));
    const laneDown = await timed(() => client.download(0, '/lane.bin', () => undefined, { lane: true }));
    const up = await timed(() => client.upload(2, 'blobs.bin', SIZE, fill));
    const down = await timed(() => client.download(0, '/blobs.bin', () => undefined));
    client.close();

    const file = await open(local, 'w');
    for (let i = 0; i < SIZE / MIB; i++) await file.write(PATTERN);
    await file.close();
    const run = promisify(execFile);
    const cpIn = await timed(() => run('docker', ['cp', local, `${container}:/tmp/cp.bin`]));
    const cpOut = await timed(() => run('docker', ['cp', `${container}:/tmp/cp.bin`, `${local}.out`]));

    // CPU: the core and the client together (one process), per GiB moved.
    const cpuPerGiB = (s: number) => `${((s * 1024 * MIB) / SIZE).toFixed(1)} s/GiB`;
    console.log(`file of ${SIZE / MIB} MiB              through the tunnel                        docker cp        share   load ${loadavg()[0]!.toFixed(2)}`);
    const rows = [
      ['upload, lane', laneUp, cpIn],
      ['download, lane', laneDown, cpOut],
      ['upload, Guacamole blobs', up, cpIn],
      ['download, Guacamole blobs', down, cpOut],
    ] as const;
    for (const [label, t, cp] of rows) {
      console.log(
        `${label.padEnd(28)}${rate(t.seconds).padEnd(14)} (RSS +${t.rssMiB.toFixed(1)} MiB, CPU ${cpuPerGiB(t.cpuSeconds)})   ${rate(cp.seconds).padEnd(14)}   ${((cp.seconds / t.seconds) * 100).toFixed(0)} %`,
      );
    }
  } finally {
    await rm(local, { force: true });
    await rm(`${local}.out`, { force: true });
    await core.close();
    await removeOwnedBy(core.installationId);
  }
}

void main();
