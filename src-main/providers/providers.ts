// Where an app runs and where an instance lives: a registry of backends keyed by kind. Each
// backend (docker/, proxmox/) is one ProviderBackend; src-main/backends.ts lists them.
import type { App } from '../../src-shared/model';
import type { Provider } from './provider';

/**
 * What one instance of an app claims of the memory budget (setting maxTotalMemoryMiB): bytes
 * (its memory limit), 'unlimited' (no limit: it may take all, so it claims the whole budget),
 * or 'not-counted' (it does not run on this machine's budget: a VM on a Proxmox server).
 */
export type MemoryClaim = number | 'unlimited' | 'not-counted';

export type ProviderKind = App['provider'];

/** The app of one backend kind. */
export type AppOf<K extends ProviderKind> = Extract<App, { provider: K }>;

export interface ProviderEntry {
  kind: ProviderKind;
  endpointId: string;
  provider: Provider;
}

/** One backend: its endpoints' providers and what it reads from an app of its kind. */
export interface ProviderBackend<K extends ProviderKind = ProviderKind> {
  readonly kind: K;
  /** Re-reads the endpoints (at start-up and after a settings change). */
  load(): Promise<void>;
  /** The provider a new instance of the app starts on. */
  forApp(app: AppOf<K>): Promise<ProviderEntry>;
  /**
   * The app's configuration as its providers launch it (LaunchSpec.config). `displayPassword`
   * reads the app's sealed display password, for a backend that logs in to the desktop itself.
   */
  launchConfig(app: AppOf<K>, displayPassword: () => Promise<string | undefined>): Promise<unknown>;
  of(endpointId: string): Provider;
  /** What an instance of the app claims of the memory budget (maxTotalMemoryMiB). Absent: not counted. */
  memoryClaim?(app: AppOf<K>): MemoryClaim;
  /** The app's own warm-pool size (null: the setting's). Absent: the backend keeps no pool. */
  warmPool?(app: AppOf<K>): number | null;
  /** Where a viewer's uploads land in the app's desktops (null: the default folder). Absent: the default. */
  transferFolder?(app: AppOf<K>): string | null;
  /** The folder of the app's desktops that "Export home" and "Import home" read and fill. Absent: they have none. */
  homeFolder?(app: AppOf<K>): string;
  /**
   * The provider that supplies an instance's display target itself, or undefined where the
   * stored connection is the target.
   */
  displaySource(endpointId: string | null): Provider | undefined;
  all(): ProviderEntry[];
  /** Closes what the backend holds open in this process (console bridges). */
  close(): Promise<void>;
}

/** One backend of any kind, typed with its own kind's apps. */
export type AnyProviderBackend = { [K in ProviderKind]: ProviderBackend<K> }[ProviderKind];

/** What lifecycle asks: the provider an app starts on, its launch configuration, and the one an instance lives on. */
export interface ProviderRegistry {
  forApp(app: App): Promise<ProviderEntry>;
  launchConfig(app: App, displayPassword: () => Promise<string | undefined>): Promise<unknown>;
  of(kind: ProviderKind, endpointId: string): Provider;
  /** What an instance of the app claims of the memory budget; absent: nothing counts. */
  memoryClaim?(app: App): MemoryClaim;
}

export class Providers implements ProviderRegistry {
  private readonly backends = new Map<ProviderKind, ProviderBackend>();

  constructor(backends: readonly AnyProviderBackend[]) {
    for (const backend of backends) {
      if (this.backends.has(backend.kind)) throw new Error(`two backends registered for kind ${backend.kind}`);
      // A backend is asked only about apps of its own kind: the map is looked up by app.provider.
      this.backends.set(backend.kind, backend as ProviderBackend);
    }
  }

  private backend(kind: ProviderKind): ProviderBackend {
    const backend = this.backends.get(kind);
    if (!backend) throw new Error(`no backend registered for kind ${kind}`);
    return backend;
  }

  async load(): Promise<void> {
    await Promise.all([...this.backends.values()].map((b) => b.load()));
  }

  forApp(app: App): Promise<ProviderEntry> {
    return this.backend(app.provider).forApp(app);
  }

  launchConfig(app: App, displayPassword: () => Promise<string | undefined>): Promise<unknown> {
    return this.backend(app.provider).launchConfig(app, displayPassword);
  }

  memoryClaim(app: App): MemoryClaim {
    return this.backend(app.provider).memoryClaim?.(app) ?? 'not-counted';
  }

  /** How many prepared instances the app keeps: its own number, else `setting`; 0 where its backend keeps none. */
  warmPoolSize(app: App, setting: number): number {
    const backend = this.backend(app.provider);
    return backend.warmPool ? (backend.warmPool(app) ?? setting) : 0;
  }

  /** The app's transfer folder, or null for the default (also for a deleted app). */
  transferFolder(app: App | undefined): string | null {
    return app ? (this.backend(app.provider).transferFolder?.(app) ?? null) : null;
  }

  /** The folder the app's home export and import work on; null where its backend offers none. */
  homeFolder(app: App): string | null {
    return this.backend(app.provider).homeFolder?.(app) ?? null;
  }

  displaySource(kind: ProviderKind, endpointId: string | null): Provider | undefined {
    return this.backend(kind).displaySource(endpointId);
  }

  of(kind: ProviderKind, endpointId: string): Provider {
    return this.backend(kind).of(endpointId);
  }

  async close(): Promise<void> {
    await Promise.all([...this.backends.values()].map((b) => b.close()));
  }

  all(): ProviderEntry[] {
    return [...this.backends.values()].flatMap((b) => b.all());
  }
}
