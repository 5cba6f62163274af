// The core: store, provider, lifecycle and display wired together behind the contract.
// Both transports (Electron IPC, headless WebSocket) call `handle` and forward events.
import type { Channel, DaasEvent, RequestOf, Result, ViewerOpened } from '../src-shared/contract';
import { parseRequest } from '../src-shared/contract';
import { DaasError, toErrorInfo } from '../src-shared/errors';
import { canView } from '../src-shared/instance-states';
import { loadBuiltInApps } from './config/built-in-apps';
import type { Settings } from './config/settings';
import { DisplayService } from './display/display-service';
import { EventBus } from './lifecycle/instance-events';
import { Lifecycle, toPublic } from './lifecycle/lifecycle';
import { reconcileAtStartup } from './lifecycle/reconcile';
import { DockerProvider } from './providers/docker/docker-provider';
import type { Provider } from './providers/provider';
import { AppsRepository } from './store/apps-repository';
import { openDatabase, type Db } from './store/database';
import { InstancesRepository } from './store/instances-repository';

/** What only the host (Electron or headless) can do. */
export interface HostActions {
  openViewer(instanceId: string): Promise<ViewerOpened>;
}

export class Core {
  readonly bus = new EventBus();
  readonly apps: AppsRepository;
  readonly instances: InstancesRepository;
  readonly lifecycle: Lifecycle;

  private constructor(
    private readonly db: Db,
    readonly provider: Provider,
    readonly display: DisplayService,
    settings: Settings,
  ) {
    this.apps = new AppsRepository(db);
    this.instances = new InstancesRepository(db);
    this.lifecycle = new Lifecycle(this.apps, this.instances, provider, this.bus, {
      readinessTimeoutMs: settings.readinessTimeoutMs,
    });
  }

  static async open(settings: Settings, provider: Provider = new DockerProvider({ socketPath: settings.dockerSocket })): Promise<Core> {
    const db = await openDatabase(settings.dataDir);
    const display = await DisplayService.start();
    const core = new Core(db, provider, display, settings);
    await core.apps.seed(await loadBuiltInApps(settings.defaultsDir));
    try {
      await reconcileAtStartup(core.instances, provider, core.bus);
    } catch (err) {
      // Docker may be down at start-up; the app still opens and says so when used.
      console.warn(`reconcile skipped: ${err instanceof Error ? err.message : String(err)}`);
    }
    return core;
  }

  subscribe(listener: (event: DaasEvent) => void): () => void {
    return this.bus.subscribe(listener);
  }

  /** Validates and runs one request from an untrusted window. Never throws. */
  async handle(channel: unknown, payload: unknown, host: HostActions): Promise<Result<unknown>> {
    const parsed = parseRequest(channel, payload);
    if (!parsed.ok) return parsed;
    try {
      return { ok: true, result: await this.dispatch(parsed.channel, parsed.payload, host) };
    } catch (err) {
      if (!(err instanceof DaasError)) console.error(`request ${parsed.channel} failed`, err);
      return { ok: false, error: toErrorInfo(err) };
    }
  }

  private async dispatch(channel: Channel, payload: RequestOf<Channel>, host: HostActions): Promise<unknown> {
    switch (channel) {
      case 'apps.list':
        return this.apps.list();
      case 'instances.list':
        return (await this.instances.list()).map(toPublic);
      case 'instances.start':
        return this.lifecycle.start((payload as RequestOf<'instances.start'>).appId);
      case 'instances.stop':
        return this.lifecycle.stop((payload as RequestOf<'instances.stop'>).instanceId);
      case 'viewer.open': {
        const { instanceId } = payload as RequestOf<'viewer.open'>;
        await this.viewableInstance(instanceId);
        return host.openViewer(instanceId);
      }
      case 'display.connect': {
        const { instanceId, width, height } = payload as RequestOf<'display.connect'>;
        await this.viewableInstance(instanceId);
        const connection = await this.instances.getConnection(instanceId);
        if (!connection) {
          throw new DaasError('DISPLAY_UNAVAILABLE', 'This instance has no desktop address yet.', 'Wait until it is running.');
        }
        return this.display.issueTicket(
          instanceId,
          { host: connection.host, port: connection.port, password: connection.password },
          { width, height },
        );
      }
    }
  }

  private async viewableInstance(instanceId: string) {
    const instance = await this.instances.get(instanceId);
    if (!instance) {
      throw new DaasError('INSTANCE_NOT_FOUND', `There is no instance with id "${instanceId}".`, 'Refresh the instance list.');
    }
    if (!canView(instance.state)) {
      throw new DaasError('DISPLAY_UNAVAILABLE', `${instance.name} is ${instance.state}.`, 'Open it once it is running.');
    }
    return instance;
  }

  async close(): Promise<void> {
    await this.lifecycle.settledAll();
    await this.display.close();
    await this.db.destroy();
  }
}
