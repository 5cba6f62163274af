// The core: store, providers, lifecycle, catalogue and display wired together behind
// the contract. Both transports (Electron IPC, headless WebSocket) call `handle` and
// forward events.
import { randomUUID } from 'node:crypto';
import Docker from 'dockerode';
import type { Channel, DaasEvent, RequestOf, Responses, Result, ViewerOpened } from '../src-shared/contract';
import { parseRequest } from '../src-shared/contract';
import { appConfigSchema, type ProxmoxDisplaySettings } from '../src-shared/app-config';
import type { App } from '../src-shared/model';
import { DaasError, toErrorInfo } from '../src-shared/errors';
import { composeText, errorText } from '../src-shared/error-texts';
import { canView } from '../src-shared/instance-states';
import { CatalogueService } from './catalogue/catalogue-service';
import { loadBuiltInApps } from './config/built-in-apps';
import { resourcesDir } from './config/paths';
import { KeyFileSecretStore, type SecretStore } from './store/secret-store';
import type { Settings } from './config/settings';
import { UserSettings } from './config/user-settings';
import { GuacdContainer } from './display/guacd/guacd-container';
import { DisplayService, type GuacdEndpoint } from './display/display-service';
import { adoptResource } from './lifecycle/adopt';
import { IdleMonitor } from './lifecycle/idle-monitor';
import { EventBus } from './lifecycle/instance-events';
import { Lifecycle, toPublic } from './lifecycle/lifecycle';
import { reconcile } from './lifecycle/reconcile';
import { LOCAL_ENDPOINT_ID } from './providers/docker/docker-endpoint';
import { DockerEndpoints } from './providers/docker/docker-endpoints';
import { managedDockerEndpoints, type ManagedDockerEndpoint } from './config/managed-endpoints';
import { EndpointsService } from './endpoints/docker-endpoints-service';
import { ImageBuilder } from './providers/docker/image-builder';
import { Providers, type ProviderEntry } from './providers/providers';
import { ProxmoxEndpoints } from './providers/proxmox/proxmox-endpoints';
import { ProxmoxEndpointsService } from './endpoints/proxmox-endpoints-service';
import { toProxmoxDisplay } from './providers/proxmox/app-settings';
import type { ProxmoxProvider } from './providers/proxmox/proxmox-provider';
import { ProxmoxEndpointsRepository } from './store/proxmox-endpoints-repository';
import { AppsRepository } from './store/apps-repository';
import { openDatabase, type Db } from './store/database';
import { EndpointsRepository } from './store/endpoints-repository';
import { EventPruner } from './store/event-pruner';
import { InstancesRepository, type InstanceRecord } from './store/instances-repository';
import { sealStoredSecrets } from './store/seal-secrets';
import { SettingsRepository } from './store/settings-repository';

/** Where an app's display goes with gateway 'guacd' and no address anywhere: guacd's own default. */
const DEFAULT_GUACD: GuacdEndpoint = { host: '127.0.0.1', port: 4822 };

/** A Proxmox instance's desktop as the display path needs it. */
interface ProxmoxTarget {
  host: string;
  port: number;
  password: string;
  display: ProxmoxDisplaySettings;
}

/** What only the host (Electron or headless) can do. */
export interface HostActions {
  openViewer(instanceId: string): Promise<ViewerOpened>;
}

type Handlers = { [C in Channel]: (payload: RequestOf<C>, host: HostActions) => Promise<Responses[C]> };

export class Core {
  readonly bus = new EventBus();
  readonly apps: AppsRepository;
  readonly instances: InstancesRepository;
  readonly endpoints: DockerEndpoints;
  readonly providers: Providers;
  readonly userSettings: UserSettings;
  readonly lifecycle: Lifecycle;
  readonly catalogue: CatalogueService;
  readonly idle: IdleMonitor;
  readonly eventPruner: EventPruner;
  private readonly endpointsService: EndpointsService;
  private readonly proxmoxService: ProxmoxEndpointsService;
  private readonly endpointsRepository: EndpointsRepository;
  private readonly settingsRepository: SettingsRepository;
  private readonly watchers = new Map<string, { entry: ProviderEntry; stop: () => void }>();
  private reconciling: Promise<void> = Promise.resolve();
  /** Hourly reconcile: removes kept resources of failed instances once keepFailedContainersHours is up. */
  private expiryTimer?: NodeJS.Timeout;

  private constructor(
    private readonly db: Db,
    readonly display: DisplayService,
    private readonly settings: Settings,
    /** This data folder's id: it labels the containers this installation owns. */
    readonly installationId: string,
    secrets: SecretStore,
    /** The guacd the app runs itself (setting guacdContainerImage), if any. */
    private readonly guacdContainer: GuacdContainer | null = null,
    /** The policy's endpoints (config/managed-endpoints.ts). */
    managed: { docker: ManagedDockerEndpoint[] } = { docker: [] },
  ) {
    this.apps = new AppsRepository(db, secrets);
    this.instances = new InstancesRepository(db, secrets);
    this.endpointsRepository = new EndpointsRepository(db, secrets);
    this.settingsRepository = new SettingsRepository(db);
    this.endpoints = new DockerEndpoints(this.endpointsRepository, installationId, managed.docker);
    const proxmoxRepository = new ProxmoxEndpointsRepository(db, secrets);
    const proxmox = new ProxmoxEndpoints(
      proxmoxRepository,
      {
        installationId,
        onProgress: ({ instanceId, message, text }) => this.bus.publish({ event: 'instance.progress', payload: { instanceId, message, ...(text ? { text } : {}) } }),
      },
      settings.policy.policy.proxmoxEndpoints,
    );
    this.providers = new Providers(this.endpoints, proxmox);
    this.proxmoxService = new ProxmoxEndpointsService(proxmoxRepository, proxmox, this.apps, this.instances);
    this.userSettings = new UserSettings(this.settingsRepository, settings);
    this.lifecycle = new Lifecycle(this.apps, this.instances, this.providers, this.bus, {
      readinessTimeoutMs: async () => (await this.userSettings.get()).readinessTimeoutSeconds * 1000,
    });
    this.catalogue = new CatalogueService(this.apps, this.instances, this.endpoints, new ImageBuilder(`${resourcesDir()}/images`), this.bus);
    this.endpointsService = new EndpointsService(this.endpointsRepository, this.endpoints, this.instances);
    this.idle = new IdleMonitor(this.apps, this.instances, this.lifecycle, display);
    this.eventPruner = new EventPruner(this.instances, { retentionDays: async () => (await this.userSettings.get()).eventRetentionDays });
    // A desktop that stopped or failed takes its viewers' tunnels with it: none is left
    // retrying against a dead (or restarted-by-its-engine) VNC server.
    this.bus.subscribe((e) => {
      if (e.event === 'instance.changed' && (e.payload.state === 'stopped' || e.payload.state === 'failed')) display.disconnectInstance(e.payload.id);
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
    const { guacd, guacdContainerImage } = await new UserSettings(settingsRepository, settings).get();
    const guacdContainer = !guacd && guacdContainerImage ? await startGuacdContainer(settings, guacdContainerImage, installationId) : null;
    const defaultGuacd = guacd ?? guacdContainer?.endpoint;
    let display: DisplayService;
    try {
      display = await DisplayService.start(defaultGuacd ? { guacd: defaultGuacd } : {});
    } catch (err) {
      await guacdContainer?.stop();
      throw err;
    }
    const managed = { docker: await managedDockerEndpoints(settings.policy.policy.dockerEndpoints) };
    const core = new Core(db, display, settings, installationId, secrets, guacdContainer, managed);
    await core.firstRun();
    await core.apps.syncManaged(
      settings.policy.policy.apps.map(({ id, ...entry }) => ({ id, config: appConfigSchema.parse(entry) })),
    );
    await core.providers.load();
    await Promise.all(core.providers.all().map((entry) => core.reconcileEndpoint(entry)));
    core.syncWatchers();
    core.idle.start();
    core.eventPruner.start();
    core.expiryTimer = setInterval(() => core.providers.all().forEach((entry) => void core.reconcileEndpoint(entry)), 3_600_000).unref();
    return core;
  }

  /** Seeds the packaged catalogue and the local Docker endpoint, once per data folder. */
  private async firstRun(): Promise<void> {
    if (await this.settingsRepository.get<boolean>('seeded')) return;
    await this.apps.seed(await loadBuiltInApps(this.settings.defaultsDir));
    if (!(await this.endpointsRepository.get(LOCAL_ENDPOINT_ID))) {
      await this.endpointsRepository.save({ id: LOCAL_ENDPOINT_ID, name: 'This computer', url: `unix://${this.settings.dockerSocket}`, tls: null });
    }
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
          resume: async (e, instanceId) => {
            if (e.kind === 'proxmox') await this.reopenConsole(e.provider as ProxmoxProvider, instanceId);
          },
        });
      } catch (err) {
        // The backend may be down; the app still opens and says so when used.
        console.warn(`reconcile of ${entry.kind} endpoint ${entry.endpointId} skipped: ${err instanceof Error ? err.message : String(err)}`);
      }
    });
    return this.reconciling;
  }

  /**
   * A Proxmox console bridge lives in this process: make sure one is open for the instance
   * (direct VNC and RDP need none). Returns where the desktop is and how to log in.
   */
  private async reopenConsole(provider: ProxmoxProvider, instanceId: string): Promise<ProxmoxTarget | undefined> {
    const connection = await this.instances.getConnection(instanceId);
    if (!connection) return undefined;
    const record = await this.instances.get(instanceId);
    const app = record && (await this.apps.get(record.appId));
    const display: ProxmoxDisplaySettings = app?.provider === 'proxmox' ? app.proxmox.display : { kind: 'vncproxy' };
    const appPassword = display.kind === 'vncproxy' ? undefined : await this.apps.displayPassword(app!.id);
    const launched = await provider.ensureDisplay(instanceId, connection.password, toProxmoxDisplay(display, appPassword));
    if (launched.port !== connection.port) await this.instances.setConnectionPort(instanceId, launched.port);
    return {
      host: launched.host,
      port: launched.port,
      password: display.kind === 'vncproxy' ? connection.password : (appPassword ?? ''),
      display,
    };
  }

  /**
   * The route of an app's display tickets: its own choice, or (gateway 'default') the global
   * guacd setting as it is now. RDP always needs a guacd: the global one, else 127.0.0.1:4822.
   */
  private async routeFor(app: App | undefined, protocol: 'vnc' | 'rdp'): Promise<GuacdEndpoint | 'embedded'> {
    const gateway = app?.display.gateway ?? 'default';
    // The guacd address in the settings, else the guacd container the app runs, if any.
    const global = (await this.userSettings.get()).guacd ?? this.guacdContainer?.endpoint ?? null;
    if (gateway === 'embedded') {
      if (protocol === 'rdp') {
        throw new DaasError('DISPLAY_UNAVAILABLE', errorText('error.display.rdpNeedsGuacd'), errorText('fix.display.chooseGuacd'));
      }
      return 'embedded';
    }
    if (gateway === 'guacd') return app?.display.guacd ?? global ?? DEFAULT_GUACD;
    if (protocol === 'rdp') return global ?? DEFAULT_GUACD;
    return global ?? 'embedded';
  }

  subscribe(listener: (event: DaasEvent) => void): () => void {
    return this.bus.subscribe(listener);
  }

  /** Validates and runs one request from an untrusted window. Never throws. */
  async handle(channel: unknown, payload: unknown, host: HostActions): Promise<Result<unknown>> {
    const parsed = parseRequest(channel, payload);
    if (!parsed.ok) return parsed;
    try {
      const handler = this.handlers[parsed.channel] as (p: unknown, h: HostActions) => Promise<unknown>;
      return { ok: true, result: await handler(parsed.payload, host) };
    } catch (err) {
      if (!(err instanceof DaasError)) console.error(`request ${parsed.channel} failed`, err);
      return { ok: false, error: toErrorInfo(err) };
    }
  }

  /** The administrator may switch catalogue or endpoint editing off. */
  private async allowed(what: 'allowCatalogueEditing' | 'allowEndpointEditing', appId?: string): Promise<void> {
    if (!(await this.userSettings.get())[what]) {
      throw new DaasError(
        'INVALID_REQUEST',
        errorText(what === 'allowCatalogueEditing' ? 'error.policy.catalogueManaged' : 'error.policy.endpointsManaged'),
        errorText('fix.askAdmin'),
      );
    }
    if (appId && (await this.apps.get(appId))?.managed) {
      throw new DaasError('INVALID_REQUEST', errorText('error.app.managed'), errorText('fix.app.duplicate'));
    }
  }

  private readonly handlers: Handlers = {
    'apps.list': () => this.apps.list(),
    'apps.create': async ({ app }) => {
      await this.allowed('allowCatalogueEditing');
      return this.catalogue.create(app);
    },
    'apps.update': async ({ appId, app }) => {
      await this.allowed('allowCatalogueEditing', appId);
      return this.catalogue.update(appId, app);
    },
    'apps.duplicate': async ({ appId }) => {
      await this.allowed('allowCatalogueEditing');
      return this.catalogue.duplicate(appId);
    },
    'apps.delete': async ({ appId }) => {
      await this.allowed('allowCatalogueEditing', appId);
      return this.catalogue.delete(appId);
    },
    'catalogue.export': () => this.catalogue.exportFile(),
    'catalogue.previewImport': async ({ json }) => {
      await this.allowed('allowCatalogueEditing');
      return this.catalogue.previewImport(json);
    },
    'catalogue.import': async ({ json, previewToken }) => {
      await this.allowed('allowCatalogueEditing');
      return this.catalogue.importFile(json, previewToken);
    },
    'images.status': () => this.catalogue.imageStatus(),
    'images.build': ({ appId }) => this.catalogue.buildImage(appId),
    'instances.list': async () => (await this.instances.list()).map((r) => toPublic(this.lifecycle.current(r))),
    'instances.start': ({ appId }) => this.lifecycle.start(appId),
    'instances.stop': ({ instanceId }) => this.lifecycle.stop(instanceId),
    'instances.forceStop': ({ instanceId }) => this.lifecycle.stop(instanceId, { force: true }),
    'instances.restart': ({ instanceId }) => this.lifecycle.restart(instanceId),
    'instances.stopAll': async () => ({ stopping: await this.lifecycle.stopAll() }),
    'instances.logs': async ({ instanceId, lines }) => ({ text: await this.lifecycle.logs(instanceId, lines) }),
    'instances.stats': ({ instanceId }) => this.lifecycle.stats(instanceId),
    'endpoints.list': () => this.endpointsService.list(),
    'endpoints.save': async (request) => {
      await this.allowed('allowEndpointEditing');
      const saved = await this.endpointsService.save(request);
      this.syncWatchers();
      this.bus.publish({ event: 'endpoints.changed', payload: { kind: 'docker' } });
      return saved;
    },
    'endpoints.delete': async ({ endpointId }) => {
      await this.allowed('allowEndpointEditing');
      const deleted = await this.endpointsService.delete(endpointId);
      this.syncWatchers();
      this.bus.publish({ event: 'endpoints.changed', payload: { kind: 'docker' } });
      return deleted;
    },
    'endpoints.test': ({ endpointId }) => this.endpointsService.test(endpointId),
    'endpoints.trustHostKey': async ({ endpointId, fingerprint }) => {
      await this.allowed('allowEndpointEditing');
      const trusted = await this.endpointsService.trustHostKey(endpointId, fingerprint);
      this.bus.publish({ event: 'endpoints.changed', payload: { kind: 'docker' } });
      return trusted;
    },
    'proxmox.list': () => this.proxmoxService.list(),
    'proxmox.save': async (request) => {
      // A policy endpoint's secret is each user's to enter, even where editing is off.
      if (!this.proxmoxService.isManaged(request.id)) await this.allowed('allowEndpointEditing');
      const saved = await this.proxmoxService.save(request);
      this.syncWatchers();
      this.bus.publish({ event: 'endpoints.changed', payload: { kind: 'proxmox' } });
      return saved;
    },
    'proxmox.delete': async ({ endpointId }) => {
      await this.allowed('allowEndpointEditing');
      const deleted = await this.proxmoxService.delete(endpointId);
      this.syncWatchers();
      this.bus.publish({ event: 'endpoints.changed', payload: { kind: 'proxmox' } });
      return deleted;
    },
    'proxmox.test': ({ endpointId }) => this.proxmoxService.test(endpointId),
    'settings.get': () => this.userSettings.get(),
    'settings.update': async (patch) => {
      const view = await this.userSettings.update(patch);
      // Every window (and the shell's menu, tray and dialogs) follows at once.
      this.bus.publish({ event: 'settings.changed', payload: view });
      return view;
    },
    'viewer.open': async ({ instanceId }, host) => {
      await this.viewableInstance(instanceId);
      return host.openViewer(instanceId);
    },
    'display.connect': async ({ instanceId, width, height, readOnly }) => {
      const instance = await this.viewableInstance(instanceId);
      const app = await this.apps.get(instance.appId);
      const proxmox =
        instance.provider === 'proxmox' ? await this.reopenConsole(this.providers.proxmox.get(instance.endpointId ?? ''), instanceId) : undefined;
      const connection = proxmox ?? (await this.instances.getConnection(instanceId));
      if (!connection) {
        throw new DaasError('DISPLAY_UNAVAILABLE', errorText('error.display.noAddress'), errorText('fix.display.waitUntilRunning'));
      }
      const { clipboardToDesktop, clipboardFromDesktop } = await this.userSettings.get();
      const target = { host: connection.host, port: connection.port, password: connection.password, readOnly };
      const clipboard = { disableCopy: !clipboardFromDesktop, disablePaste: !clipboardToDesktop };
      const rdp = proxmox?.display.kind === 'rdp' ? proxmox.display : undefined;
      if (rdp) {
        const guacd = (await this.routeFor(app, 'rdp')) as GuacdEndpoint;
        return this.display.issueTicket(instanceId, target, { width, height }, {
          guacd,
          protocol: 'rdp',
          params: {
            ...clipboard,
            ...(rdp.username ? { username: rdp.username } : {}),
            ...(rdp.domain ? { domain: rdp.domain } : {}),
            security: rdp.security,
            ignoreCert: rdp.ignoreCert,
          },
        });
      }
      const via = await this.throughGuacdContainer(instance, target, await this.routeFor(app, 'vnc'));
      return this.display.issueTicket(instanceId, via.target, { width, height }, { guacd: via.route, params: clipboard });
    },
    'display.usage': async () => this.display.usage(),
  };

  /**
   * The guacd container is on its own bridge network: a desktop container of the local engine
   * joins it and is dialled there; a VNC target on this machine's loopback that it cannot reach
   * (a Proxmox console bridge) is shown by the embedded gateway instead.
   */
  private async throughGuacdContainer<T extends { host: string; port: number }>(
    instance: InstanceRecord,
    target: T,
    route: GuacdEndpoint | 'embedded',
  ): Promise<{ target: T; route: GuacdEndpoint | 'embedded' }> {
    const container = this.guacdContainer;
    if (!container || route === 'embedded' || route.host !== container.host || route.port !== container.port) return { target, route };
    if (instance.provider === 'docker' && (instance.endpointId ?? LOCAL_ENDPOINT_ID) === LOCAL_ENDPOINT_ID && instance.resourceId) {
      const reached = await container.reach(instance.resourceId);
      if (reached) return { target: { ...target, ...reached }, route };
    }
    return /^(127\.|::1$|localhost$)/.test(target.host) ? { target, route: 'embedded' } : { target, route };
  }

  private async viewableInstance(instanceId: string) {
    const instance = await this.instances.get(instanceId);
    if (!instance) {
      throw new DaasError('INSTANCE_NOT_FOUND', errorText('error.instance.notFound', { instanceId }), errorText('fix.instance.refreshList'));
    }
    if (!canView(instance.state)) {
      throw new DaasError('DISPLAY_UNAVAILABLE', errorText('error.instance.inState', { name: instance.name, state: instance.state }), errorText('fix.instance.openWhenRunning'));
    }
    return instance;
  }

  async close(): Promise<void> {
    this.idle.stop();
    this.lifecycle.stopRetrying();
    await this.eventPruner.stop();
    clearInterval(this.expiryTimer);
    for (const watcher of this.watchers.values()) watcher.stop();
    this.watchers.clear();
    await this.lifecycle.settledAll();
    await this.reconciling;
    await this.display.close();
    await this.guacdContainer?.stop();
    await this.providers.proxmox.close();
    await this.db.destroy();
  }
}

/**
 * Starts the guacd container the settings ask for. When it cannot start, the app still opens
 * with the built-in gateway, and the banner says why.
 */
async function startGuacdContainer(settings: Settings, image: string, owner: string): Promise<GuacdContainer | null> {
  try {
    return await GuacdContainer.start({ docker: new Docker({ socketPath: settings.dockerSocket }), image, owner });
  } catch (err) {
    const info = toErrorInfo(err);
    const message = err instanceof DaasError ? `${info.message} ${info.action}` : String(err);
    const problem =
      err instanceof DaasError
        ? composeText('problem.guacd.notStarted', {
            message: info.messageText ? { ...info.messageText, text: info.message } : info.message,
            action: info.actionText ? { ...info.actionText, text: info.action } : info.action,
          })
        : errorText('problem.guacd.notStartedBecause', { detail: message });
    settings.problems.push(problem.text);
    // Only alongside lines that already have theirs, so both lists stay in step.
    if (settings.problemTexts?.length === settings.problems.length - 1) settings.problemTexts.push(problem);
    console.warn(`guacd container (${image}) did not start: ${message}`);
    return null;
  }
}
