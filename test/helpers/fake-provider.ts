// A Provider kept in memory, for testing lifecycle, reconcile and idle stop without Docker.
// It keeps the interface's contract: launch calls onCreated before starting, remove succeeds
// when nothing is left, listOwned lists every resource it made. A running resource has a
// real loopback listener that sends the RFB banner, so the real readiness check passes.
// Every call is recorded; `failNext` makes the next call of a method throw.
import net from 'node:net';
import type { InstanceStats } from '../../src-shared/contract';
import type { App } from '../../src-shared/model';
import type { Launched, LaunchSpec, OwnedResource, Provider, ResourceEvent } from '../../src-main/providers/provider';

type Method = keyof Provider;

export interface FakeResource {
  resourceId: string;
  instanceId: string;
  appId: string;
  password: string;
  /** The desktop's listener while the resource runs. */
  desktop: net.Server | undefined;
  port: number;
  logs: string;
  ownerUnknown?: true;
}

/** A VNC server's first words (RFB 3.8); enough for the readiness check. */
async function openDesktop(): Promise<{ server: net.Server; port: number }> {
  const server = net.createServer((socket) => {
    socket.on('error', () => undefined);
    socket.end('RFB 003.008\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return { server, port: (server.address() as net.AddressInfo).port };
}

function closeDesktop(resource: FakeResource): Promise<void> {
  const server = resource.desktop;
  resource.desktop = undefined;
  return server ? new Promise((resolve) => server.close(() => resolve())) : Promise.resolve();
}

export class FakeProvider implements Provider {
  readonly calls: { method: Method; args: unknown[] }[] = [];
  /** Resources by instance id. */
  readonly resources = new Map<string, FakeResource>();
  private readonly failures = new Map<Method, Error>();
  private readonly watchers = new Set<(event: ResourceEvent) => void>();
  private nextId = 1;
  /** What a new resource has printed (tail's answer). */
  logsOnCreate = '';

  /** The next call of `method` throws `error` (after launch has created the resource). */
  failNext(method: Method, error: Error): void {
    this.failures.set(method, error);
  }

  callsOf(method: Method): unknown[][] {
    return this.calls.filter((c) => c.method === method).map((c) => c.args);
  }

  private enter(method: Method, ...args: unknown[]): void {
    this.calls.push({ method, args });
  }

  private failure(method: Method): void {
    const error = this.failures.get(method);
    if (!error) return;
    this.failures.delete(method);
    throw error;
  }

  private resource(instanceId: string): FakeResource {
    const resource = this.resources.get(instanceId);
    if (!resource) throw new Error(`no resource for instance ${instanceId}`);
    return resource;
  }

  private async start(resource: FakeResource): Promise<Launched> {
    if (!resource.desktop) {
      const { server, port } = await openDesktop();
      resource.desktop = server;
      resource.port = port;
    }
    return { resourceId: resource.resourceId, host: '127.0.0.1', port: resource.port };
  }

  async preflight(app: App): Promise<void> {
    this.enter('preflight', app);
    this.failure('preflight');
  }

  async launch(spec: LaunchSpec, onCreated: (resourceId: string) => Promise<void>): Promise<Launched> {
    this.enter('launch', spec);
    const resource = this.create(spec.instanceId, spec.appId, spec.vncPassword);
    await onCreated(resource.resourceId);
    this.failure('launch');
    return this.start(resource);
  }

  async restart(instanceId: string): Promise<Launched> {
    this.enter('restart', instanceId);
    this.failure('restart');
    const resource = this.resource(instanceId);
    await closeDesktop(resource);
    return this.start(resource);
  }

  async tail(instanceId: string, lines: number): Promise<string> {
    this.enter('tail', instanceId, lines);
    this.failure('tail');
    return this.resource(instanceId).logs.split('\n').slice(-lines).join('\n');
  }

  async stats(instanceId: string): Promise<InstanceStats> {
    this.enter('stats', instanceId);
    this.failure('stats');
    this.resource(instanceId);
    return { cpuPercent: 1, memoryBytes: 1024, memoryLimitBytes: 4096 };
  }

  async remove(instanceId: string, options?: { force?: boolean; resourceId?: string }): Promise<void> {
    this.enter('remove', instanceId, options);
    this.failure('remove');
    const resource = this.resources.get(instanceId);
    if (!resource) return;
    await closeDesktop(resource);
    this.resources.delete(instanceId);
  }

  async currentAddress(instanceId: string): Promise<{ host: string; port: number }> {
    this.enter('currentAddress', instanceId);
    this.failure('currentAddress');
    const resource = this.resource(instanceId);
    if (!resource.desktop) throw new Error(`${resource.resourceId} is not running`);
    return { host: '127.0.0.1', port: resource.port };
  }

  async connectionOf(resourceId: string): Promise<{ host: string; port: number; password: string }> {
    this.enter('connectionOf', resourceId);
    this.failure('connectionOf');
    const resource = [...this.resources.values()].find((r) => r.resourceId === resourceId);
    if (!resource) throw new Error(`no resource ${resourceId}`);
    return { host: '127.0.0.1', port: resource.port, password: resource.password };
  }

  async runningCount(): Promise<number> {
    this.enter('runningCount');
    this.failure('runningCount');
    return [...this.resources.values()].filter((r) => r.desktop).length;
  }

  async listOwned(): Promise<OwnedResource[]> {
    this.enter('listOwned');
    this.failure('listOwned');
    return [...this.resources.values()].map((r) => ({
      resourceId: r.resourceId,
      instanceId: r.instanceId,
      appId: r.appId,
      running: r.desktop !== undefined,
      ...(r.ownerUnknown ? { ownerUnknown: true as const } : {}),
    }));
  }

  watch(onEvent: (event: ResourceEvent) => void, _onReconnect: () => void): () => void {
    this.enter('watch');
    this.watchers.add(onEvent);
    return () => this.watchers.delete(onEvent);
  }

  // What happens outside the app's calls: a crash between create and the row, the engine.

  private create(instanceId: string, appId: string, password: string): FakeResource {
    const resource: FakeResource = { resourceId: `fake-${this.nextId++}`, instanceId, appId, password, desktop: undefined, port: 0, logs: this.logsOnCreate };
    this.resources.set(instanceId, resource);
    return resource;
  }

  /** A labelled resource no call made (a crash before its row was written). */
  async orphan(instanceId: string, appId: string, options: { running: boolean; ownerUnknown?: true }): Promise<FakeResource> {
    const resource = this.create(instanceId, appId, 'orphan12');
    if (options.ownerUnknown) resource.ownerUnknown = true;
    if (options.running) await this.start(resource);
    return resource;
  }

  /** The resource stops by itself (its engine stopped or it crashed); `emit` tells watchers. */
  async stopOutside(instanceId: string, exitCode: number | null, emit = true): Promise<void> {
    await closeDesktop(this.resource(instanceId));
    if (emit) for (const watcher of this.watchers) watcher({ instanceId, kind: 'died', exitCode });
  }

  /** Its engine starts it again, as a restart policy does. */
  async startOutside(instanceId: string): Promise<void> {
    await this.start(this.resource(instanceId));
  }

  /** The resource is removed by someone else; `emit` tells watchers. */
  async removeOutside(instanceId: string, emit = true): Promise<void> {
    await closeDesktop(this.resource(instanceId));
    this.resources.delete(instanceId);
    if (emit) for (const watcher of this.watchers) watcher({ instanceId, kind: 'removed', exitCode: null });
  }

  /** Closes every desktop listener. */
  async close(): Promise<void> {
    await Promise.all([...this.resources.values()].map(closeDesktop));
  }
}
