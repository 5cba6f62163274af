// `npm run bench` (and `npm run bench:start`): Start -> first remote frame, cold (a new
// container) and warm (a prepared instance from the warm pool), with where the time goes.
// Cold: create (the container), start (it runs), VNC banner (the desktop answers), tunnel
// (ticket and WebSocket open), first frame (the gateway dials the VNC server; img + sync arrive).
// Warm: hand-out (Start's reply: take the row, docker unpause, claim), of it unpause (the
// engine's own floor), ticket (display.connect), tunnel (WebSocket open), first frame (from the
// gateway's held connection: probe answered, catch-up sent). Then what a prepared desktop costs
// held: CPU per second paused and running idle, and the unpause itself.
// Targets (issue 15), printed, not asserted: warm <= 150 ms, cold <= 500 ms.
// BENCH_START_RUNS (default 8) runs each; BENCH_START_ONLY=warm skips the cold runs.
import fs from 'node:fs/promises';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type Docker from 'dockerode';
import type { DisplayTicket } from '../src-shared/contract';
import type { Instance } from '../src-shared/model';
import type { Core } from '../src-main/core';
import type { DockerProvider } from '../src-main/providers/docker/docker-provider';
import { LABEL_INSTANCE } from '../src-main/providers/docker/docker-labels';
import { GuacTestClient } from '../test/helpers/guac-client';
import { openCore, tempDataDir, waitForState, TEST_HOST as HOST } from '../test/helpers/core';
import { removeOwnedBy } from '../test/helpers/docker';
import { summarise } from './stats';

const RUNS = Number(process.env.BENCH_START_RUNS ?? 8);

const ONLY_WARM = process.env.BENCH_START_ONLY === 'warm';

interface Marks {
  created?: number;
  started?: number;
  /** Time the engine took to unpause the prepared container. */
  unpauseMs?: number;
}

/** Notes when the engine has created and started each container (the provider's own calls). */
function instrument(core: Core, marks: Marks): void {
  const provider = core.providers.of('docker', 'local') as DockerProvider;
  const docker = provider.docker;
  const create = docker.createContainer.bind(docker);
  docker.createContainer = (async (options: Docker.ContainerCreateOptions) => {
    const container = await create(options);
    marks.created = performance.now();
    const start = container.start.bind(container);
    container.start = (async () => {
      const result = await start();
      marks.started = performance.now();
      return result;
    }) as typeof container.start;
    return container;
  }) as typeof docker.createContainer;
  const release = provider.releaseWarm.bind(provider);
  provider.releaseWarm = async (instanceId: string) => {
    const t = performance.now();
    await release(instanceId);
    marks.unpauseMs = performance.now() - t;
  };
}

async function request<T>(core: Core, channel: string, payload: unknown): Promise<T> {
  const r = await core.handle(channel, payload, HOST);
  if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
  return r.result as T;
}

/** Start -> first frame; returns the phases (ms from the previous mark). */
async function once(core: Core, marks: Marks, appId: string, warm: boolean): Promise<Record<string, number>> {
  marks.created = marks.started = marks.unpauseMs = undefined;
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  const started = await request<Instance>(core, 'instances.start', { appId });
  // The refill's container is created meanwhile: its marks are not this start's.
  const { created, started: startedMark } = marks;
  const replied = performance.now();
  await waitForState(core, started.id, 'running');
  const running = performance.now();
  const ticket = await request<DisplayTicket>(core, 'display.connect', { instanceId: started.id, width: 1280, height: 800 });
  const ticketed = performance.now();
  const client = await GuacTestClient.connect(ticket.tunnelUrl, `token=${encodeURIComponent(ticket.token)}&width=1280&height=800`);
  const open = performance.now();
  await client.waitForOpcode('img', 10_000);
  await client.waitForOpcode('sync', 10_000);
  const frame = performance.now();
  const used = process.cpuUsage(cpu);
  await client.close();
  await request(core, 'instances.stop', { instanceId: started.id });
  const phases: Record<string, number> = {};
  if (warm) {
    phases['hand-out (Start reply)'] = replied - t0;
    phases['  of it: docker unpause'] = marks.unpauseMs ?? NaN;
    phases.ticket = ticketed - replied;
  } else {
    phases.create = created! - t0;
    phases.start = startedMark! - created!;
    phases['VNC banner'] = running - startedMark!;
    phases.ticket = ticketed - running;
  }
  phases.tunnel = open - ticketed;
  phases['first frame'] = frame - open;
  phases.total = frame - t0;
  phases['CPU of this process'] = (used.user + used.system) / 1000;
  return phases;
}

/** CPU time (ms) the container used per second of wall time over `ms` (cgroup v1 cpuacct). */
async function containerCpuPerSecond(id: string, ms: number): Promise<number> {
  const file = `/sys/fs/cgroup/cpuacct/docker/${id}/cpuacct.usage`;
  const read = async () => Number(await fs.readFile(file, 'utf8'));
  const before = await read();
  const t = performance.now();
  await new Promise((r) => setTimeout(r, ms));
  return (await read().then((n) => n - before)) / 1e6 / ((performance.now() - t) / 1000);
}

/** What a prepared desktop costs while it waits: paused, and running idle (is the pause worth it?). */
async function heldCost(core: Core, appId: string): Promise<string[]> {
  await core.warmPool.sync();
  await core.lifecycle.settledAll();
  const row = (await core.instances.list()).find((r) => r.warm && r.appId === appId);
  const provider = core.providers.of('docker', 'local') as DockerProvider;
  const info = row && (await provider.docker.listContainers({ filters: { label: [`${LABEL_INSTANCE}=${row.id}`] } }))[0];
  if (!info) return ['## prepared desktop held: no prepared container found'];
  const container = provider.docker.getContainer(info.Id);
  const paused = [];
  const running = [];
  const unpause = [];
  try {
    for (let i = 0; i < 3; i++) {
      paused.push(await containerCpuPerSecond(info.Id, 2_000));
      const t = performance.now();
      await container.unpause();
      unpause.push(performance.now() - t);
      running.push(await containerCpuPerSecond(info.Id, 2_000));
      await container.pause();
    }
  } catch (err) {
    return [`## prepared desktop held: not measured (${String(err)})`];
  }
  return [
    '## prepared desktop held (its container\'s CPU, cgroup; the gateway holds its connection)',
    summarise('  CPU paused', paused, 'ms/s'),
    summarise('  CPU running idle', running, 'ms/s'),
    summarise('  docker unpause', unpause),
  ];
}

function print(title: string, runs: Record<string, number>[]): void {
  console.log(`## ${title}`);
  for (const phase of Object.keys(runs[0] ?? {})) console.log(summarise(`  ${phase}`, runs.map((r) => r[phase]!)));
}

async function main(): Promise<void> {
  const cold: Record<string, number>[] = [];
  const warm: Record<string, number>[] = [];
  let held: string[] = [];
  const core = await openCore(await tempDataDir());
  const marks: Marks = {};
  instrument(core, marks);
  try {
    if (!ONLY_WARM) for (let i = 0; i < RUNS; i++) cold.push(await once(core, marks, 'linux-desktop', false));
    await request(core, 'settings.update', { warmPoolSize: 1 });
    for (let i = 0; i < RUNS; i++) {
      // Wait until the pool has its prepared instance again (launched, its display held, paused).
      await core.warmPool.sync();
      await core.lifecycle.settledAll();
      warm.push(await once(core, marks, 'linux-desktop', true));
    }
    held = await heldCost(core, 'linux-desktop');
  } finally {
    await core.close();
    await removeOwnedBy(core.installationId);
  }
  console.log(`# Start -> first remote frame, built-in Linux desktop, ${RUNS} runs each, ${new Date().toISOString()}, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  if (!ONLY_WARM) print('cold start (new container; target <= 500 ms)', cold);
  print('warm start (prepared instance; target <= 150 ms)', warm);
  for (const line of held) console.log(line);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
