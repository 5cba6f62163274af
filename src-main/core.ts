// The core: store, providers, lifecycle, catalogue and display wired together behind
// the contract. Both transports (Electron IPC, headless WebSocket) call `handle` and
// forward events.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { DaasEvent, Result } from '../src-shared/contract';
import { parseRequest } from '../src-shared/contract';
import { appConfigSchema } from '../src-shared/app-config';
import { DaasError, toErrorInfo } from '../src-shared/errors';
import { openBackends, type Backends } from './backends';
import { CatalogueService } from './catalogue/catalogue-service';
import { loadBuiltInApps } from './config/built-in-apps';
import { KeyFileSecretStore, type SecretStore } from './store/secret-store';
import type { Settings } from './config/settings';
import { UserSettings } from './config/user-settings';
import { startOwnGuacd, type RunningGuacd } from './display/guacd/guacd-runner';
import { DisplayService } from './display/display-service';
import { DisplayRouting } from './display/display-routing';
import { DriveFolders } from './display/guacd/drive-folders';
import { adoptResource } from './lifecycle/adopt';
import { IdleMonitor } from './lifecycle/idle-monitor';
import { EventBus } from './lifecycle/instance-events';
import { Lifecycle } from './lifecycle/lifecycle';
import { WarmPool } from './lifecycle/warm-pool';
import { catalogueHandlers } from './handlers/catalogue-handlers';
import { displayHandlers } from './handlers/display-handlers';
import type { Handlers, HostActions } from './handlers/handler-types';
import { homeHandlers } from './handlers/home-handlers';
import { instanceHandlers } from './handlers/instance-handlers';
import { PolicyGuards } from './handlers/policy-guards';
import { settingsHandlers } from './handlers/settings-handlers';
import { terminalHandlers } from './handlers/terminal-handlers';
import { Terminals } from './lifecycle/terminals';
import { saveAsAppHandlers } from './handlers/save-as-app-handlers';
import { AppSaver } from './catalogue/save-as-app';
import { reconcile } from './lifecycle/reconcile';
import type { Providers, ProviderEntry } from './providers/providers';
import { AppsRepository } from './store/apps-repository';
import { openDatabase, type Db } from './store/database';
import { EventPruner } from './store/event-pruner';
import { InstancesRepository } from './store/instances-repository';
import { sealStoredSecrets } from './store/seal-secrets';
import { SettingsRepository } from './store/settings-repository';

/** How long a handed-out instance's desktop connection waits for its viewer (as long as a display ticket lives). */
const HANDED_OUT_HOLD_MS = 30_000;

export type { HostActions };

/** What Core.open builds before the core itself. */
interface CoreParts {
  db: Db;
  display: DisplayService;
  settings: Settings;
  installationId: string;
  bus: EventBus;
  apps: AppsRepository;
  instances: InstancesRepository;
  backends: Backends;
  /** The guacd the app runs itself (setting guacdContainerImage), if any. */
  ownGuacd: RunningGuacd | null;
}

export class Core {
  readonly bus: EventBus;
  readonly apps: AppsRepository;
  readonly instances: InstancesRepository;
  readonly providers: Providers;
  readonly display: DisplayService;
  /** This data folder's id: it labels the resources this installation owns. */
  readonly installationId: string;
  readonly userSettings: UserSettings;
  readonly lifecycle: Lifecycle;
  readonly catalogue: CatalogueService;
  readonly idle: IdleMonitor;
  readonly terminals: Terminals;
  readonly warmPool: WarmPool;
  /** The warm pool is brought to size this often too (a prepared instance that died is replaced). */
  private warmTimer?: NodeJS.Timeout;
  readonly eventPruner: EventPruner;
  private readonly db: Db;
  private readonly settings: Settings;
  private readonly backends: Backends;
  private readonly ownGuacd: RunningGuacd | null;
  private readonly displayRouting: DisplayRouting;
  /** The folders guacd redirects into RDP desktops as a drive (deleted with their instance). */
  private readonly drives: DriveFolders;
  private readonly guards: PolicyGuards;
  private readonly handlers: Handlers;
  private readonly settingsRepository: SettingsRepository;
  private readonly watchers = new Map<string, { entry: ProviderEntry; stop: () => void }>();
  private reconciling: Promise<void> = Promise.resolve();
  /** Hourly reconcile: removes kept resources of failed instances once keepFailedContainersHours is up. */
  private expiryTimer?: NodeJS.Timeout;

  private constructor(parts: CoreParts) {
    const { db, display, settings, bus, apps, instances, backends, ownGuacd } = parts;
    this.db = db;
    this.display = display;
    this.settings = settings;
    this.installationId = parts.installationId;
    this.bus = bus;
    this.apps = apps;
    this.instances = instances;
    this.backends = backends;
    this.ownGuacd = ownGuacd;
    this.providers = backends.providers;
    this.drives = new DriveFolders(path.join(settings.dataDir, 'drives'));
    this.settingsRepository = new SettingsRepository(db);
    this.userSettings = new UserSettings(this.settingsRepository, settings);
    this.lifecycle = new Lifecycle(this.apps, this.instances, this.providers, this.bus, {
      readinessTimeoutMs: async () => (await this.userSettings.get()).readinessTimeoutSeconds * 1000,
      limits: async () => {
        const { maxInstancesPerApp, maxInstancesTotal, maxTotalMemoryMiB } = await this.userSettings.get();
        return { perApp: maxInstancesPerApp, total: maxInstancesTotal, memoryMiB: maxTotalMemoryMiB };
      },
      // A desktop shown through a guacd opens its sound server to it (guacd's audio-servername).
      guacdSound: async (app) => {
        if (!(await this.displayRouting.showsThroughGuacd(app).catch(() => false))) return undefined;
        const own = this.displayRouting.ownGuacdAddress;
        return { allowFrom: own ? [`${own}/32`] : [] };
      },
      // A prepared desktop's connection is opened before it is paused (and again at hand-out
      // after a restart of the app): its viewer's first frame comes from the gateway's memory.
      warmDisplay: {
        prepare: async (record) => void (await this.displayRouting.hold(record)),
        handOut: async (record) => {
          await this.displayRouting.hold(record);
          display.releaseAfter(record.id, HANDED_OUT_HOLD_MS);
        },
        discard: (instanceId) => this.displayRouting.release(instanceId),
      },
    });
    this.catalogue = new CatalogueService(this.apps, this.instances, backends.images.endpoints, backends.images.builder, this.bus);
    this.displayRouting = new DisplayRouting({
      apps: this.apps,
      instances: this.instances,
      providers: this.providers,
      userSettings: this.userSettings,
      display,
      ownGuacd,
      drives: this.drives,
    });
    this.guards = new PolicyGuards({ userSettings: this.userSettings, apps: this.apps, ...backends.guardDeps });
    const endpointChanges = { bus: this.bus, syncWatchers: () => this.syncWatchers() };
    this.terminals = new Terminals((instanceId, size) => this.lifecycle.openShell(instanceId, size), this.bus);
    this.handlers = {
      ...catalogueHandlers(this.apps, this.catalogue),
      ...instanceHandlers(this.instances, this.lifecycle, { activity: display, bus: this.bus }),
      ...saveAsAppHandlers(new AppSaver(this.apps, this.instances, this.lifecycle, this.bus)),
      ...backends.endpointHandlers(endpointChanges),
      ...settingsHandlers(this.userSettings, this.bus),
      ...displayHandlers(this.instances, this.displayRouting, display),
      ...terminalHandlers(this.terminals),
      ...homeHandlers({ apps: this.apps, instances: this.instances, providers: this.providers, userSettings: this.userSettings, display }),
    };
    this.warmPool = new WarmPool({
      apps: this.apps,
      instances: this.instances,
      lifecycle: this.lifecycle,
      size: async (app) => this.providers.warmPoolSize(app, (await this.userSettings.get()).warmPoolSize),
    });
    this.lifecycle.useWarmPool(this.warmPool);
    this.bus.subscribe((e) => {
      if (e.event === 'apps.changed' || e.event === 'settings.changed') void this.warmPool.sync();
    });
    this.idle = new IdleMonitor(this.apps, this.instances, this.lifecycle, display);
    this.eventPruner = new EventPruner(this.instances, { retentionDays: async () => (await this.userSettings.get()).eventRetentionDays });
    // A desktop that stopped or failed takes its viewers' tunnels with it: none is left
    // retrying against a dead (or restarted-by-its-engine) VNC server.
    this.bus.subscribe((e) => {
      if (e.event === 'instance.changed' && e.payload.state === 'running') {
        void this.instances
          .get(e.payload.id)
          .then((record) => record && this.displayRouting.prepare(record))
          .catch((err: unknown) => console.warn(`drive folder of ${e.payload.id} not made: ${String(err)}`));
      }
      if (e.event === 'instance.changed' && (e.payload.state === 'stopped' || e.payload.state === 'failed')) {
        display.disconnectInstance(e.payload.id);
        this.displayRouting.release(e.payload.id);
        // Its drive folder goes with it (files the user kept there are gone: see docs/display.md).
        void this.drives.remove(e.payload.id).catch((err: unknown) => console.warn(`drive folder of ${e.payload.id} not removed: ${String(err)}`));
      }
    });
  }

  /** `secrets` seals stored credentials: Electron passes its OS-keychain store; else a key file in the data folder. */
  static async open(settings: Settings, options: { secrets?: SecretStore } = {}): Promise<Core> {
    const db = await openDatabase(settings.dataDir);
    let secrets: SecretStore;
    try {
      secrets = options.secrets ?? (await KeyFileSecretStore.open(settings.dataDir));
      await sealStoredSecrets(db, secrets);
    } catch (err) {
      await db.destroy();
      throw err;
    }
    const settingsRepository = new SettingsRepository(db);
    let installationId = await settingsRepository.get<string>('installation');
    if (!installationId) {
      installationId = randomUUID();
      await settingsRepository.set('installation', installationId);
    }
    const bus = new EventBus();
    const apps = new AppsRepository(db, secrets);
    const instances = new InstancesRepository(db, secrets);
    const backends = await openBackends({ db, secrets, settings, installationId, bus, apps, instances });
    const { guacd, guacdContainerImage } = await new UserSettings(settingsRepository, settings).get();
    const ownGuacd = !guacd && guacdContainerImage ? await startOwnGuacd(backends.guacd, guacdContainerImage, settings) : null;
    const defaultGuacd = guacd ?? (ownGuacd ? { host: ownGuacd.host, port: ownGuacd.port } : undefined);
    let display: DisplayService;
    try {
      display = await DisplayService.start(defaultGuacd ? { guacd: defaultGuacd } : {});
    } catch (err) {
      await ownGuacd?.stop();
      throw err;
    }
    const core = new Core({ db, display, settings, installationId, bus, apps, instances, backends, ownGuacd });
    await core.firstRun();
    await core.apps.syncManaged(
      settings.policy.policy.apps.map(({ id, ...entry }) => ({ id, config: appConfigSchema.parse(entry) })),
    );
    const live = (await core.instances.list()).filter((i) => i.state !== 'stopped' && i.state !== 'failed');
    await core.drives.prune(new Set(live.map((i) => i.id)));
    await core.providers.load();
    await Promise.all(core.providers.all().map((entry) => core.reconcileEndpoint(entry)));
    core.syncWatchers();
    core.idle.start();
    void core.warmPool.sync();
    core.warmTimer = setInterval(() => void core.warmPool.sync(), 60_000).unref();
    core.eventPruner.start();
    core.expiryTimer = setInterval(() => core.providers.all().forEach((entry) => void core.reconcileEndpoint(entry)), 3_600_000).unref();
    return core;
  }

  /** Seeds the packaged catalogue and what the backends start with, once per data folder. */
  private async firstRun(): Promise<void> {
    if (await this.settingsRepository.get<boolean>('seeded')) return;
    await this.apps.seed(await loadBuiltInApps(this.settings.defaultsDir));
    await this.backends.seed();
    await this.settingsRepository.set('seeded', true);
  }

  /** One event watcher per configured endpoint, following settings changes. */
  private syncWatchers(): void {
    const current = new Map(this.providers.all().map((entry) => [`${entry.kind}:${entry.endpointId}`, entry]));
    for (const [key, watcher] of this.watchers) {
      if (current.get(key)?.provider !== watcher.entry.provider) {
        watcher.stop();
        this.watchers.delete(key);
      }
    }
    for (const [key, entry] of current) {
      if (this.watchers.has(key)) continue;
      const stop = entry.provider.watch(
        (event) => void this.lifecycle.onResourceEvent(event).catch((err) => console.error('resource event failed', err)),
        () => void this.reconcileEndpoint(entry),
      );
      this.watchers.set(key, { entry, stop });
    }
  }

  /** Reconciles one endpoint; runs are serialised so two never interleave. */
  reconcileEndpoint(entry: ProviderEntry): Promise<void> {
    this.reconciling = this.reconciling.then(async () => {
      try {
        const { orphanPolicy, keepFailedContainersHours, readinessTimeoutSeconds } = await this.userSettings.get();
        const options = { orphanPolicy, keepFailedHours: keepFailedContainersHours, readinessTimeoutMs: readinessTimeoutSeconds * 1000 };
        await reconcile(entry, options, {
          instances: this.instances,
          lifecycle: this.lifecycle,
          adopt: (e, resource) => adoptResource(e, resource, this.apps, this.instances, this.lifecycle),
          resume: (e, instanceId) => this.displayRouting.resume(e.provider, instanceId),
        });
      } catch (err) {
        // The backend may be down; the app still opens and says so when used.
        console.warn(`reconcile of ${entry.kind} endpoint ${entry.endpointId} skipped: ${err instanceof Error ? err.message : String(err)}`);
      }
    });
    return this.reconciling;
  }

  subscribe(listener: (event: DaasEvent) => void): () => void {
    return this.bus.subscribe(listener);
  }

  /** Validates and runs one request from an untrusted window. Never throws. */
  async handle(channel: unknown, payload: unknown, host: HostActions): Promise<Result<unknown>> {
    const parsed = parseRequest(channel, payload);
    if (!parsed.ok) return parsed;
    try {
      await this.guards.check(parsed.channel, parsed.payload);
      const handler = this.handlers[parsed.channel] as (p: unknown, h: HostActions) => Promise<unknown>;
      return { ok: true, result: await handler(parsed.payload, host) };
    } catch (err) {
      if (!(err instanceof DaasError)) console.error(`request ${parsed.channel} failed`, err);
      return { ok: false, error: toErrorInfo(err) };
    }
  }

  async close(): Promise<void> {
    clearInterval(this.warmTimer);
    await this.warmPool.close();
    this.idle.stop();
    this.lifecycle.stopRetrying();
    await this.terminals.closeAll();
    await this.eventPruner.stop();
    clearInterval(this.expiryTimer);
    for (const watcher of this.watchers.values()) watcher.stop();
    this.watchers.clear();
    await this.lifecycle.settledAll();
    await this.reconciling;
    await this.display.close();
    await this.ownGuacd?.stop();
    await this.providers.close();
    await this.db.destroy();
  }
}
