// Keeps the event log from growing forever: events older than the retention (setting
// eventRetentionDays) go at start-up and every few hours, in small batches that yield to
// the event loop between them, so no start or stop waits behind a long delete.
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { InstancesRepository } from './instances-repository';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface EventPrunerOptions {
  /** Days to keep; read before every run, so a settings change applies at the next one. */
  retentionDays: () => Promise<number>;
  intervalMs?: number;
  batch?: number;
  now?: () => number;
}

export class EventPruner {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(
    private readonly instances: InstancesRepository,
    private readonly options: EventPrunerOptions,
  ) {}

  /** Prunes now (in the background) and then every intervalMs (default 6 hours). */
  start(): void {
    void this.run();
    this.timer = setInterval(() => void this.run(), this.options.intervalMs ?? 6 * 60 * 60 * 1000).unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One pass; resolves with the number of events deleted. Never throws (the next pass tries again). */
  run(): Promise<number> {
    this.running ??= this.prune().finally(() => (this.running = undefined));
    return this.running;
  }

  private async prune(): Promise<number> {
    const batch = this.options.batch ?? 500;
    let total = 0;
    try {
      const days = await this.options.retentionDays();
      const before = new Date((this.options.now ?? Date.now)() - days * DAY_MS).toISOString();
      for (;;) {
        const deleted = await this.instances.pruneEvents(before, batch);
        total += deleted;
        if (deleted < batch) break;
        await yieldToLoop();
      }
    } catch (err) {
      console.warn(`pruning old events stopped: ${err instanceof Error ? err.message : String(err)}`);
    }
    return total;
  }
}
