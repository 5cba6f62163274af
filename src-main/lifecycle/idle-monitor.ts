// Idle auto-stop: an instance with no viewer and no input for its app's idle timeout
// is stopped. Off unless the app sets idleTimeoutMinutes.
import type { AppsRepository } from '../store/apps-repository';
import type { InstancesRepository } from '../store/instances-repository';
import type { Lifecycle } from './lifecycle';
import { errorText, stateReason } from '../../src-shared/error-texts';

/** What the display path knows about an instance's use. */
export interface ActivitySource {
  /** Viewers connected now. */
  viewerCount(instanceId: string): number;
  /** Last input or last viewer disconnect, in ms since the epoch; undefined if never viewed. */
  lastActivityAt(instanceId: string): number | undefined;
}

export class IdleMonitor {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly apps: AppsRepository,
    private readonly instances: InstancesRepository,
    private readonly lifecycle: Lifecycle,
    private readonly activity: ActivitySource,
  ) {}

  start(intervalMs = 15_000): void {
    this.timer = setInterval(() => void this.check().catch((err) => console.error('idle check failed', err)), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Stops every instance idle for longer than its app allows; returns their ids. */
  async check(now = Date.now()): Promise<string[]> {
    const stopped: string[] = [];
    const running = (await this.instances.list()).filter((i) => i.state === 'running' && !i.warm && !this.lifecycle.isBusy(i.id));
    for (const instance of running) {
      const app = await this.apps.get(instance.appId);
      const minutes = app?.idleTimeoutMinutes;
      if (!minutes || this.activity.viewerCount(instance.id) > 0) continue;
      // Never viewed: idle since it became running.
      const since = Math.max(this.activity.lastActivityAt(instance.id) ?? 0, Date.parse(instance.updatedAt));
      if (now - since < minutes * 60_000) continue;
      await this.lifecycle
        .stop(instance.id, { reason: stateReason([errorText('reason.idleStopped', { count: minutes })]) })
        .then(() => stopped.push(instance.id))
        .catch((err) => console.error(`idle stop of ${instance.id} failed`, err));
    }
    return stopped;
  }
}
