// `npm run bench` (and `npm run bench:start`): Start -> first remote frame, cold (a new
// container) and warm (a prepared instance from the warm pool), with where the time goes.
// Cold: create (the container), start (it runs), VNC banner (the desktop answers), tunnel
// (ticket and WebSocket open), first frame (the gateway dials the VNC server; img + sync arrive).
// Warm: hand-out (Start's reply: take the row, docker unpause, claim), of it unpause (the
// engine's own floor), ticket (display.connect), tunnel (WebSocket open), first frame (from the
// gateway's held connection: probe answered, catch-up sent). Then what a prepared desktop costs
// held: CPU per second paused and running idle, and the unpause itself.
// Targets (issue 15), printed, not asserted: warm <= 150 ms, cold <= 500 ms.
// The floor: Docker's own create and start of the same container, and of variants without one
// part each (bench/start-floor.ts), with the engine's CPU time, which a busy machine
// distorts less than wall time.
// BENCH_START_RUNS (default 8) runs each; BENCH_START_ONLY=warm skips the cold runs and the floor.
import fs from 'node:fs/promises';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type Docker from 'dockerode';
import type { DisplayTicket } from '../src-shared/contract';
import type { App, Instance } from '../src-shared/model';
import type { Core } from '../src-main/core';
import type { DockerProvider } from '../src-main/providers/docker/docker-provider';
import { LABEL_INSTANCE } from '../src-main/providers/docker/docker-labels';
import { GuacTestClient } from '../test/helpers/guac-client';
import { openCore, tempDataDir, waitForState, TEST_HOST as HOST } from '../test/helpers/core';
import { removeOwnedBy } from '../test/helpers/docker';
import { summarise } from './stats';
import { containerCpuMs, containerEngineCpuMs, containerIp, daemonsCpuMs, engineDaemons } from './engine-cpu';
import { measureFloor } from './start-floor';

const RUNS = Number(process.env.BENCH_START_RUNS ?? 8);
/** Rounds of the floor measurement (0: none). */
const FLOOR_RUNS = Number(process.env.BENCH_START_FLOOR_RUNS ?? Math.min(RUNS, 3));
/** Another desktop image to start (an A/B of an image change); the built-in app's otherwise. */
const IMAGE = process.env.BENCH_START_IMAGE;

const ONLY_WARM = process.env.BENCH_START_ONLY === 'warm';

interface Marks {
  /** When the provider asked the engine to create the container. */
  creating?: number;
  created?: number;
  started?: number;
  containerId?: string;
  /** The engine daemons' CPU ms when the create was asked and when the start returned. */
  daemonsCpuBefore?: number;
  daemonsCpuAfter?: number;
  /** Time the engine took to unpause the prepared container. */
  unpauseMs?: number;
}

/**
 * Notes when the engine has created and started each container (the provider's own calls),
 * reading only the daemons' two /proc files on the way: the rest is counted after the frame.
 */
function instrument(core: Core, marks: Marks, daemons: number[] | null): void {
  const provider = core.providers.of('docker', 'local') as DockerProvider;
  const docker = provider.docker;
  const create = docker.createContainer.bind(docker);
  docker.createContainer = (async (options: Docker.ContainerCreateOptions) => {
    marks.creating = performance.now();
    if (daemons) marks.daemonsCpuBefore = await daemonsCpuMs(daemons);
    const container = await create(options);
    marks.created = performance.now();
    marks.containerId = container.id;
    const start = container.start.bind(container);
    container.start = (async () => {
      const result = await start();
      marks.started = performance.now();
      if (daemons) marks.daemonsCpuAfter = await daemonsCpuMs(daemons);
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

/** The engine's CPU for the create and start `marks` saw: the daemons', the container's shim and proxy. */
async function engineCpu(core: Core, marks: Marks): Promise<number | undefined> {
  if (marks.daemonsCpuBefore === undefined || marks.daemonsCpuAfter === undefined || !marks.containerId) return undefined;
  const provider = core.providers.of('docker', 'local') as DockerProvider;
  const ip = containerIp(await provider.docker.getContainer(marks.containerId).inspect());
  return marks.daemonsCpuAfter - marks.daemonsCpuBefore + (await containerEngineCpuMs(marks.containerId, ip));
}

async function request<T>(core: Core, channel: string, payload: unknown): Promise<T> {
  const r = await core.handle(channel, payload, HOST);
  if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
  return r.result as T;
}

/**
 * Start -> first frame; returns the phases (ms from the previous mark). A warm start's create
 * marks are the pool's refill, not this start's: only a cold one reads them.
 */
async function once(core: Core, marks: Marks, appId: string, warm: boolean): Promise<Record<string, number>> {
  for (const key of Object.keys(marks) as (keyof Marks)[]) delete marks[key];
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  const started = await request<Instance>(core, 'instances.start', { appId });
  const replied = performance.now();
  await waitForState(core, started.id, 'running');
  const running = performance.now();
  const containerCpu = !warm && marks.containerId ? await containerCpuMs(marks.containerId) : null;
  const ticket = await request<DisplayTicket>(core, 'display.connect', { instanceId: started.id, width: 1280, height: 800 });
  const ticketed = performance.now();
  const client = await GuacTestClient.connect(ticket.tunnelUrl, `token=${encodeURIComponent(ticket.token)}&width=1280&height=800`);
  const open = performance.now();
  await client.waitForOpcode('img', 10_000);
  await client.waitForOpcode('sync', 10_000);
  const frame = performance.now();
  const used = process.cpuUsage(cpu);
  await client.close();
  const engine = warm ? undefined : await engineCpu(core, marks);
  await request(core, 'instances.stop', { instanceId: started.id });
  const phases: Record<string, number> = {};
  if (warm) {
    phases['hand-out (Start reply)'] = replied - t0;
    phases['  of it: docker unpause'] = marks.unpauseMs ?? NaN;
    phases.ticket = ticketed - replied;
  } else if (marks.creating !== undefined && marks.created !== undefined && marks.started !== undefined) {
    phases['before create (ours)'] = marks.creating - t0;
    phases.create = marks.created - marks.creating;
    phases.start = marks.started - marks.created;
    phases['VNC banner'] = running - marks.started;
    phases.ticket = ticketed - running;
  }
  phases.tunnel = open - ticketed;
  phases['first frame'] = frame - open;
  phases.total = frame - t0;
  if (engine !== undefined) phases['engine CPU, create + start'] = engine;
  if (containerCpu !== null) phases['container CPU to banner'] = containerCpu;
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
  const phases = [...new Set(runs.flatMap((r) => Object.keys(r)))];
  for (const phase of phases) console.log(summarise(`  ${phase}`, runs.flatMap((r) => (r[phase] === undefined ? [] : [r[phase]]))));
}

const FLOOR_NAMES = { create: 'create', start: 'start', banner: 'start -> VNC banner', engineCpu: 'engine CPU, create + start', containerCpu: 'container CPU to banner' };

async function main(): Promise<void> {
  const cold: Record<string, number>[] = [];
  const warm: Record<string, number>[] = [];
  let held: string[] = [];
  const core = await openCore(await tempDataDir());
  const marks: Marks = {};
  const daemons = await engineDaemons();
  instrument(core, marks, daemons);
  const provider = core.providers.of('docker', 'local') as DockerProvider;
  const load = os.loadavg()[0]!.toFixed(2);
  let floor: Awaited<ReturnType<typeof measureFloor>> = {};
  try {
    if (FLOOR_RUNS > 0 && !ONLY_WARM) floor = await measureFloor(provider.docker, IMAGE ?? 'daas/desktop:latest', `daas-bench-floor-${core.installationId}`, FLOOR_RUNS);
    const appId = IMAGE ? (await request<App>(core, 'apps.create', { app: { name: 'Bench desktop', provider: 'docker', docker: { image: IMAGE, vncPort: 5901, shmSize: '256m' } } })).id : 'linux-desktop';
    if (!ONLY_WARM) for (let i = 0; i < RUNS; i++) cold.push(await once(core, marks, appId, false));
    await request(core, 'settings.update', { warmPoolSize: 1 });
    for (let i = 0; i < RUNS; i++) {
      // Wait until the pool has its prepared instance again (launched, its display held, paused).
      await core.warmPool.sync();
      await core.lifecycle.settledAll();
      warm.push(await once(core, marks, appId, true));
    }
    held = await heldCost(core, appId);
  } finally {
    await core.close();
    await removeOwnedBy(core.installationId);
  }
  console.log(`# Start -> first remote frame, ${IMAGE ?? 'built-in Linux desktop'}, ${RUNS} runs each, ${new Date().toISOString()}, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} (at the start ${load})`);
  if (!ONLY_WARM) {
    console.log('## floor: docker create + start of the same container (no app), and without one part each');
    for (const [variant, samples] of Object.entries(floor)) {
      console.log(`  ${variant}`);
      for (const key of ['create', 'start', 'banner', 'engineCpu', 'containerCpu'] as const) {
        const values = samples.flatMap((sample) => (sample[key] === undefined ? [] : [sample[key]]));
        if (values.length) console.log(summarise(`    ${FLOOR_NAMES[key]}`, values));
      }
    }
    print('cold start (new container; target <= 500 ms)', cold);
  }
  print('warm start (prepared instance; target <= 150 ms)', warm);
  for (const line of held) console.log(line);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
