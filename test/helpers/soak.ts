// Soak workloads against one `serve` process, shared by `npm run bench:soak` and the soak
// test: viewers connecting and leaving (a real Guacamole client through the tunnel to a real
// container's desktop, each waiting for a drawn frame), instances started and stopped, and
// what the process holds meanwhile (open files, resident memory, containers, tunnels, tickets).
import { readdir, readFile } from 'node:fs/promises';
import type { DisplayTicket, DisplayUsage } from '../../src-shared/contract';
import type { Instance, InstanceState } from '../../src-shared/model';
import { LABEL_INSTANCE, LABEL_MANAGED } from '../../src-main/providers/docker/docker-labels';
import { docker } from './docker';
import { GuacTestClient } from './guac-client';
import type { ServeProcess } from './serve-process';

export const DESKTOP_APP = 'linux-desktop';

export interface SoakFigures {
  /** Open file descriptors (/proc/PID/fd). */
  fds: number;
  /** Resident memory (VmRSS), MiB. */
  rssMiB: number;
  /** Containers (any state) of this serve process's instances. */
  containers: number;
  /** Instances creating, starting, running or stopping (neither stopped nor failed). */
  liveInstances: number;
  /** Viewer connections on the tunnel. */
  tunnels: number;
  /** VNC connections of the embedded gateway. */
  vncConnections: number;
  /** Redeemed tickets the vault still remembers. */
  tickets: number;
}

export async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

/** What the serve process holds now. */
export async function measure(serve: ServeProcess): Promise<SoakFigures> {
  const pid = serve.child.pid!;
  const instances = await serve.request<Instance[]>('instances.list');
  const ids = new Set(instances.map((i) => i.id));
  const managed = await docker.listContainers({ all: true, filters: { label: [`${LABEL_MANAGED}=true`] } });
  const usage = await serve.request<DisplayUsage>('display.usage');
  return {
    fds: (await readdir(`/proc/${pid}/fd`)).length,
    rssMiB: await rssMiB(pid),
    containers: managed.filter((c) => ids.has(c.Labels[LABEL_INSTANCE] ?? '')).length,
    liveInstances: instances.filter((i) => i.state !== 'stopped' && i.state !== 'failed').length,
    tunnels: usage.viewers,
    vncConnections: usage.vncConnections,
    tickets: usage.tickets,
  };
}

export async function waitForInstanceState(serve: ServeProcess, id: string, state: InstanceState, timeoutMs = 60_000): Promise<Instance> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const instance = (await serve.request<Instance[]>('instances.list')).find((i) => i.id === id);
    if (instance?.state === state) return instance;
    if (instance?.state === 'failed' || Date.now() > deadline) {
      throw new Error(`instance ${id} is ${instance?.state ?? 'gone'} (${instance?.stateReason ?? ''}), not ${state}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Starts the built-in desktop and waits until it runs. */
export async function startDesktop(serve: ServeProcess): Promise<string> {
  const started = await serve.request<Instance>('instances.start', { appId: DESKTOP_APP });
  await waitForInstanceState(serve, started.id, 'running');
  return started.id;
}

/**
 * One viewer: a ticket, the tunnel, the desktop's first complete frame (an image and the
 * `sync` after it), then the viewer leaves and its connection is closed.
 */
export async function viewerCycle(serve: ServeProcess, instanceId: string, size = { width: 1280, height: 800 }): Promise<void> {
  const ticket = await serve.request<DisplayTicket>('display.connect', { instanceId, ...size });
  const client = await GuacTestClient.connect(ticket.tunnelUrl, `token=${encodeURIComponent(ticket.token)}&width=${size.width}&height=${size.height}`);
  try {
    await client.waitForOpcode('img', 15_000);
    await client.waitForOpcode('sync', 15_000);
  } finally {
    await client.close();
  }
}

/** `n` viewer cycles one after another; resolves with the highest resident memory seen (sampled every 10). */
export async function viewerCycles(serve: ServeProcess, instanceId: string, n: number): Promise<number> {
  let peak = 0;
  for (let i = 0; i < n; i++) {
    await viewerCycle(serve, instanceId);
    if (i % 10 === 9) peak = Math.max(peak, await rssMiB(serve.child.pid!));
  }
  return peak;
}

/** Whether the instance still runs (a cycle that failed because something outside killed the desktop). */
export async function isRunning(serve: ServeProcess, instanceId: string): Promise<boolean> {
  const instance = (await serve.request<Instance[]>('instances.list')).find((i) => i.id === instanceId);
  return instance?.state === 'running';
}

/** Starts the built-in desktop, waits until it runs, stops it. */
export async function startStopCycle(serve: ServeProcess): Promise<void> {
  const id = await startDesktop(serve);
  await serve.request('instances.stop', { instanceId: id });
  await waitForInstanceState(serve, id, 'stopped');
}

/** Polls until `done(figures)` holds or the time is up; returns the last figures either way. */
export async function settleFigures(serve: ServeProcess, done: (f: SoakFigures) => boolean, timeoutMs: number): Promise<SoakFigures> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const figures = await measure(serve);
    if (done(figures) || Date.now() > deadline) return figures;
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Stops whatever still runs and ends the process (also after a failure: nothing is left behind). */
export async function shutDown(serve: ServeProcess): Promise<void> {
  if (serve.child.exitCode === null) {
    await serve.request('instances.stopAll').catch(() => undefined);
    await settleFigures(serve, (f) => f.containers === 0 && f.liveInstances === 0, 30_000).catch(() => undefined);
    await serve.stop();
  }
}

const ROWS: Array<[keyof SoakFigures, string]> = [
  ['fds', 'open file descriptors'],
  ['rssMiB', 'resident memory (MiB)'],
  ['containers', 'containers'],
  ['liveInstances', 'instances live'],
  ['tunnels', 'tunnels (viewer connections)'],
  ['vncConnections', 'VNC connections'],
  ['tickets', 'tickets remembered'],
];

/** Before/after as a table, one metric a line. */
export function formatFigures(columns: Array<[string, SoakFigures]>): string {
  const head = `${'metric'.padEnd(30)} ${columns.map(([name]) => name.padStart(14)).join(' ')}`;
  const lines = ROWS.map(
    ([key, label]) => `${label.padEnd(30)} ${columns.map(([, f]) => (key === 'rssMiB' ? f[key].toFixed(1) : String(f[key])).padStart(14)).join(' ')}`,
  );
  return [head, ...lines].join('\n');
}
