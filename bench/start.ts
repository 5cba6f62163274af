// `npm run bench` (and `npm run bench:start`): Start -> first remote frame, cold (a new
// container) and warm (a prepared instance from the warm pool), with where the time goes:
// create (the container), start (it runs), VNC banner (the desktop answers), tunnel (ticket
// and WebSocket open), first frame (the gateway dials the VNC server; img + sync arrive).
// Targets (issue 15), printed, not asserted: warm <= 150 ms, cold <= 500 ms.
import { performance } from 'node:perf_hooks';
import type Docker from 'dockerode';
import type { DisplayTicket } from '../src-shared/contract';
import type { Instance } from '../src-shared/model';
import type { Core } from '../src-main/core';
import type { DockerProvider } from '../src-main/providers/docker/docker-provider';
import { GuacTestClient } from '../test/helpers/guac-client';
import { openCore, tempDataDir, waitForState, TEST_HOST as HOST } from '../test/helpers/core';
import { removeOwnedBy } from '../test/helpers/docker';
import { summarise } from './stats';

const RUNS = Number(process.env.BENCH_START_RUNS ?? 8);

interface Marks {
  created?: number;
  started?: number;
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
}

async function request<T>(core: Core, channel: string, payload: unknown): Promise<T> {
  const r = await core.handle(channel, payload, HOST);
  if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
  return r.result as T;
}

/** Start -> first frame; returns the phases (ms from the previous mark). */
async function once(core: Core, marks: Marks, appId: string): Promise<Record<string, number>> {
  marks.created = marks.started = undefined;
  const t0 = performance.now();
  const started = await request<Instance>(core, 'instances.start', { appId });
  await waitForState(core, started.id, 'running');
  const running = performance.now();
  const ticket = await request<DisplayTicket>(core, 'display.connect', { instanceId: started.id, width: 1280, height: 800 });
  const client = await GuacTestClient.connect(ticket.tunnelUrl, `token=${encodeURIComponent(ticket.token)}&width=1280&height=800`);
  const open = performance.now();
  await client.waitForOpcode('img', 10_000);
  await client.waitForOpcode('sync', 10_000);
  const frame = performance.now();
  await client.close();
  await request(core, 'instances.stop', { instanceId: started.id });
  const phases: Record<string, number> = {};
  if (marks.created !== undefined && marks.started !== undefined) {
    phases.create = marks.created - t0;
    phases.start = marks.started - marks.created;
    phases['VNC banner'] = running - marks.started;
  } else {
    phases['hand-out'] = running - t0;
  }
  phases.tunnel = open - running;
  phases['first frame'] = frame - open;
  phases.total = frame - t0;
  return phases;
}

function print(title: string, runs: Record<string, number>[]): void {
  console.log(`## ${title}`);
  for (const phase of Object.keys(runs[0] ?? {})) console.log(summarise(`  ${phase}`, runs.map((r) => r[phase]!)));
}

async function main(): Promise<void> {
  const cold: Record<string, number>[] = [];
  const warm: Record<string, number>[] = [];
  const core = await openCore(await tempDataDir());
  const marks: Marks = {};
  instrument(core, marks);
  try {
    for (let i = 0; i < RUNS; i++) cold.push(await once(core, marks, 'linux-desktop'));
    await request(core, 'settings.update', { warmPoolSize: 1 });
    for (let i = 0; i < RUNS; i++) {
      // Wait until the pool has its prepared instance again (launched and paused).
      await core.warmPool.sync();
      await core.lifecycle.settledAll();
      warm.push(await once(core, marks, 'linux-desktop'));
    }
  } finally {
    await core.close();
    await removeOwnedBy(core.installationId);
  }
  console.log(`# Start -> first remote frame, built-in Linux desktop, ${RUNS} runs each, ${new Date().toISOString()}`);
  print('cold start (new container; target <= 500 ms)', cold);
  print('warm start (prepared instance; target <= 150 ms)', warm);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
