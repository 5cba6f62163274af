// Start and stop instances: each transition is one store transaction plus one event.
import { randomBytes, randomUUID } from 'node:crypto';
import { DaasError } from '../../src-shared/errors';
import { canStop } from '../../src-shared/instance-states';
import type { Instance, InstanceState } from '../../src-shared/model';
import type { Provider } from '../providers/provider';
import { waitForVncBanner } from '../providers/vnc-readiness';
import type { AppsRepository } from '../store/apps-repository';
import type { InstanceRecord, InstancesRepository, TransitionDetails } from '../store/instances-repository';
import type { EventBus } from './instance-events';

export interface LifecycleOptions {
  readinessTimeoutMs: number;
}

/** A VNC password: 8 characters, since VNC Authentication uses only the first 8. */
function newVncPassword(): string {
  return randomBytes(6).toString('base64url').slice(0, 8);
}

export function toPublic(record: InstanceRecord): Instance {
  const { resourceId: _resourceId, ...instance } = record;
  return instance;
}

export class Lifecycle {
  /** Background start-ups still in flight, so tests and shutdown can wait for them. */
  private readonly pending = new Map<string, Promise<void>>();

  constructor(
    private readonly apps: AppsRepository,
    private readonly instances: InstancesRepository,
    private readonly provider: Provider,
    private readonly bus: EventBus,
    private readonly options: LifecycleOptions,
  ) {}

  /**
   * Checks the backend, writes the instance row, and returns it in state "creating";
   * launching and readiness continue in the background and are reported as events.
   */
  async start(appId: string): Promise<Instance> {
    const app = await this.apps.get(appId);
    if (!app) throw new DaasError('APP_NOT_FOUND', `There is no app with id "${appId}".`, 'Pick an app from the catalogue.');
    await this.provider.preflight(app.image);

    const id = randomUUID();
    const number = (await this.instances.countByApp(app.id)) + 1;
    const record = await this.instances.create({
      id,
      appId: app.id,
      name: `${app.name} #${number}`,
      connection: { protocol: 'vnc', host: '127.0.0.1', port: 0, password: newVncPassword() },
    });
    this.emit(record);

    const task = this.launch(id).finally(() => this.pending.delete(id));
    this.pending.set(id, task);
    return toPublic(record);
  }

  private async launch(id: string): Promise<void> {
    const record = await this.instances.get(id);
    const connection = await this.instances.getConnection(id).catch(() => undefined);
    const app = record && (await this.apps.get(record.appId));
    if (!record || !app) return;
    let resourceId: string | undefined;
    try {
      const launched = await this.provider.launch(
        {
          instanceId: id,
          appId: app.id,
          name: `daas-${id}`,
          image: app.image,
          vncPort: app.vncPort,
          vncPassword: connection?.password ?? newVncPassword(),
          desktopWidth: app.desktopWidth,
          desktopHeight: app.desktopHeight,
        },
        async (created) => {
          resourceId = created;
          await this.instances.setResourceId(id, created);
        },
      );
      resourceId = launched.resourceId;
      await this.transition(id, 'starting', { resourceId: launched.resourceId, connectionPort: launched.port });
      await waitForVncBanner(launched.host, launched.port, this.options.readinessTimeoutMs);
      await this.transition(id, 'running');
    } catch (err) {
      await this.failStart(id, err, resourceId);
    }
  }

  /** A start that went wrong: record why, and leave nothing running behind. */
  private async failStart(id: string, err: unknown, resourceId: string | undefined): Promise<void> {
    const current = await this.instances.get(id);
    if (!current || current.state === 'stopping' || current.state === 'stopped') {
      // A stop raced the start and owns the final state; the container may have been
      // created after the stop removed what it found, so remove again.
      if (resourceId) await this.provider.remove(id).catch((e) => console.error(`could not remove ${id}`, e));
      return;
    }
    let reason = err instanceof DaasError ? `${err.message} ${err.action}` : `Start failed: ${String(err)}`;
    if (resourceId) {
      const logs = await this.provider.tail(resourceId, 20);
      if (logs) reason += `\nLast log lines:\n${logs}`;
    }
    await this.provider.remove(id).catch((removeErr) => console.error(`could not remove ${id}`, removeErr));
    await this.transition(id, 'failed', { reason }).catch((e) => console.error(`could not mark ${id} failed`, e));
  }

  async stop(instanceId: string): Promise<Instance> {
    const record = await this.instances.get(instanceId);
    if (!record) {
      throw new DaasError('INSTANCE_NOT_FOUND', `There is no instance with id "${instanceId}".`, 'Refresh the instance list.');
    }
    if (!canStop(record.state)) {
      throw new DaasError(
        'INVALID_TRANSITION',
        `${record.name} is already ${record.state}.`,
        record.state === 'stopped' ? 'Nothing to do; start a new instance if you need one.' : 'Wait for it to finish stopping.',
      );
    }
    await this.transition(instanceId, 'stopping');
    try {
      await this.provider.remove(instanceId);
    } catch (err) {
      const reason = err instanceof DaasError ? `Stop failed: ${err.message} ${err.action}` : `Stop failed: ${String(err)}`;
      await this.transition(instanceId, 'failed', { reason });
      throw err;
    }
    return toPublic(await this.transition(instanceId, 'stopped', { reason: 'Stopped by the user.' }));
  }

  /** Resolves when the background start of an instance has settled (running or failed). */
  async settled(instanceId: string): Promise<void> {
    await this.pending.get(instanceId);
  }

  async settledAll(): Promise<void> {
    await Promise.allSettled([...this.pending.values()]);
  }

  private async transition(id: string, to: InstanceState, details?: TransitionDetails): Promise<InstanceRecord> {
    const record = await this.instances.transition(id, to, details);
    this.emit(record);
    return record;
  }

  private emit(record: InstanceRecord): void {
    this.bus.publish({ event: 'instance.changed', payload: toPublic(record) });
  }
}
