// The warm pool: per app, N instances prepared in the background (launched, then paused) that
// Start hands out at once, refilled afterwards. They are instance rows like any other (limits,
// owner label, reconcile) marked with their app's configuration fingerprint; windows do not see
// them until one is handed out. A changed or deleted app, or a smaller pool, discards them.
import { createHash } from 'node:crypto';
import { DaasError } from '../../src-shared/errors';
import type { App, Instance } from '../../src-shared/model';
import type { AppsRepository } from '../store/apps-repository';
import type { InstancesRepository } from '../store/instances-repository';
import { holdsResources } from './limits';
import type { Lifecycle } from './lifecycle';

export interface WarmPoolDeps {
  apps: AppsRepository;
  instances: InstancesRepository;
  lifecycle: Lifecycle;
  /** How many the app keeps: its own number, else the setting's; 0 where its backend keeps none. */
  size(app: App): Promise<number>;
}

/** Changes with anything in the app's configuration: a prepared instance of an older one is not handed out. */
export function appFingerprint(app: App): string {
  return createHash('sha256').update(JSON.stringify(app)).digest('base64url').slice(0, 22);
}

/**
 * A refill waits this long after a hand-out: launching the next desktop (engine calls, its
 * start-up, its picture's encode) would otherwise compete with the start it follows, whose
 * viewer is opening and fetching its first frame just then.
 */
const REFILL_DELAY_MS = 2_000;

export class WarmPool {
  private syncing: Promise<void> = Promise.resolve();
  private refill: NodeJS.Timeout | null = null;
  private pending = false;
  private closed = false;

  constructor(private readonly deps: WarmPoolDeps) {}

  /** A prepared instance of the app, handed out (running, listed from now); undefined when none is ready. */
  async take(app: App): Promise<Instance | undefined> {
    if (this.closed) return undefined;
    const taken = await this.deps.lifecycle.takeWarm(app, appFingerprint(app));
    if (taken && !this.refill) {
      this.refill = setTimeout(() => {
        this.refill = null;
        void this.sync();
      }, REFILL_DELAY_MS);
    }
    return taken;
  }

  /** Brings every pool to its size; calls made while one runs fold into one more run. */
  sync(): Promise<void> {
    if (this.closed) return this.syncing;
    if (this.pending) return this.syncing;
    this.pending = true;
    this.syncing = this.syncing.then(async () => {
      this.pending = false;
      try {
        await this.syncOnce();
      } catch (err) {
        console.warn(`warm pool: ${err instanceof Error ? err.message : String(err)}`);
      }
    });
    return this.syncing;
  }

  /** No more preparing; resolves when the run in progress ends. */
  close(): Promise<void> {
    this.closed = true;
    if (this.refill) clearTimeout(this.refill);
    return this.syncing;
  }

  private async syncOnce(): Promise<void> {
    const { apps, instances, lifecycle } = this.deps;
    const byId = new Map((await apps.list()).map((app) => [app.id, app]));
    const wanted = new Map<string, number>();
    for (const app of byId.values()) wanted.set(app.id, await this.deps.size(app));
    const kept = new Map<string, number>();
    for (const row of (await instances.list()).filter((r) => r.warm)) {
      const app = byId.get(row.appId);
      const current = app && row.warm === appFingerprint(app) && holdsResources(row.state);
      const count = kept.get(row.appId) ?? 0;
      // Being prepared counts as kept; what is not wanted goes (once its launch settled).
      if (current && count < (wanted.get(row.appId) ?? 0)) {
        kept.set(row.appId, count + 1);
        continue;
      }
      if (lifecycle.isBusy(row.id)) continue;
      await lifecycle.discardWarm(row.id).catch((err) => console.warn(`warm pool: could not discard ${row.id}: ${String(err)}`));
    }
    for (const [appId, want] of wanted) {
      const app = byId.get(appId)!;
      for (let have = kept.get(appId) ?? 0; have < want && !this.closed; have++) {
        try {
          await lifecycle.prepareWarm(app, appFingerprint(app));
        } catch (err) {
          // At a limit, or the app cannot start (its image is missing): the next run tries again.
          if (!(err instanceof DaasError)) console.warn(`warm pool: could not prepare ${app.name}: ${String(err)}`);
          break;
        }
      }
    }
  }
}
