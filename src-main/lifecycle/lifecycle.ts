// Start, stop and restart instances: each transition is one store transaction plus one event.
// A final state the disk refuses (full, read-only) is told to windows at once and written
// as soon as the data folder takes writes again: no row stays creating/starting/stopping.
import { randomBytes, randomUUID } from 'node:crypto';
import type { InstanceInspect, InstanceStats } from '../../src-shared/contract';
import { DaasError } from '../../src-shared/errors';
import { errorText, stateReason, type ErrorText } from '../../src-shared/error-texts';
import { canRestart, canStop } from '../../src-shared/instance-states';
import type { App, Instance, InstanceState } from '../../src-shared/model';
import type { ProviderRegistry } from '../providers/providers';
import type { LaunchSpec, Provider, ResourceEvent, ShellSession } from '../providers/provider';
import { waitForVncBanner } from '../providers/vnc-readiness';
import type { AppsRepository } from '../store/apps-repository';
import type { InstanceRecord, InstancesRepository, TransitionDetails } from '../store/instances-repository';
import { isStorageError } from '../store/storage-errors';
import type { EventBus } from './instance-events';
import { checkStartLimits, holdsResources, type StartLimits } from './limits';

export interface LifecycleOptions {
  readinessTimeoutMs: () => Promise<number>;
  /** The limits a start must stay within (settings); absent: none. */
  limits?: () => Promise<StartLimits>;
  /** How often a final state the disk refused is tried again; default 5 s. */
  retryUnwrittenMs?: number;
  /** Whether (and for whom) the app's desktops open their sound server to a guacd; absent: never. */
  guacdSound?: (app: App) => Promise<LaunchSpec['guacdSound']>;
  /** What shows prepared instances at once (the display's held connections); absent: nothing. */
  warmDisplay?: WarmDisplay;
}

/**
 * The display side of the warm pool: a prepared desktop's connection is opened (and its picture
 * made ready) before it is held, so that its first viewer's first frame comes from memory.
 */
export interface WarmDisplay {
  /** The prepared instance runs: open its desktop; resolves once its picture is ready (or given up). */
  prepare(record: InstanceRecord): Promise<void>;
  /** It is being handed out (its desktop released in parallel): open it if not open yet, and keep it for its viewer a while. */
  handOut(record: InstanceRecord): Promise<void>;
  /** It is discarded unviewed: close what prepare opened. */
  discard(instanceId: string): void;
}

/** The instance as it will be once `to` is written. */
function withState(record: InstanceRecord, to: InstanceState, reason: TransitionDetails['reason']): InstanceRecord {
  const { stateReasonText: _before, ...rest } = record;
  if (reason === undefined || reason === null || typeof reason === 'string') return { ...rest, state: to, stateReason: reason ?? null };
  return { ...rest, state: to, stateReason: reason.text, stateReasonText: reason.reason };
}

/** A VNC password: 8 characters, since VNC Authentication uses only the first 8. */
export function newVncPassword(): string {
  return randomBytes(6).toString('base64url').slice(0, 8);
}

export function toPublic(record: InstanceRecord): Instance {
  const { resourceId: _resourceId, endpointId: _endpointId, provider: _provider, warm: _warm, ...instance } = record;
  return instance;
}

const describe = (err: unknown) => (err instanceof DaasError ? `${err.message} ${err.action}` : String(err));

/** An error as reason sentences: translatable when it carries its keys. */
function errorReason(err: unknown, before: ErrorText[] = [], logs?: string): ReturnType<typeof stateReason> | string {
  if (err instanceof DaasError && err.messageText && err.actionText) {
    const text = (ref: { key: ErrorText['key']; params: ErrorText['params'] }, english: string): ErrorText => ({ ...ref, text: english });
    return stateReason([...before, text(err.messageText, err.message), text(err.actionText, err.action)], logs);
  }
  const plain = [...before.map((t) => t.text), describe(err)].join(' ');
  return logs ? `${plain}\nLast log lines:\n${logs}` : plain;
}

export class Lifecycle {
  /** Operations in flight per instance; reconcile leaves these instances alone. */
  private readonly busy = new Map<string, Set<Promise<unknown>>>();
  /** Final states the disk refused, per instance, until they are written. */
  private readonly unwritten = new Map<string, { to: InstanceState; details: TransitionDetails }>();
  private retryTimer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;
  /** Starts pass the limit check and write their row one at a time, so two cannot both take the last place. */
  private admitting: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly apps: AppsRepository,
    private readonly instances: InstancesRepository,
    private readonly providers: ProviderRegistry,
    private readonly bus: EventBus,
    private readonly options: LifecycleOptions,
  ) {}

  isBusy(instanceId: string): boolean {
    return this.busy.has(instanceId);
  }

  /**
   * Marks the instance busy while the work runs. Every operation in flight counts, not only the
   * newest: a stop racing a launch must not hide the launch from settledAll() (closing would
   * then pull the database from under the launch's last writes).
   */
  private track<T>(instanceId: string, work: Promise<T>): Promise<T> {
    const inFlight = this.busy.get(instanceId) ?? new Set<Promise<unknown>>();
    this.busy.set(instanceId, inFlight);
    const tracked = work.finally(() => {
      inFlight.delete(tracked);
      if (!inFlight.size && this.busy.get(instanceId) === inFlight) this.busy.delete(instanceId);
    });
    inFlight.add(tracked);
    return tracked;
  }

  /** Work nobody awaits (a launch after Start replied): tracked, and a failure is logged, not left unhandled. */
  private inBackground(instanceId: string, what: string, work: Promise<unknown>): void {
    this.track(instanceId, work).catch((err: unknown) => console.error(`${what} of ${instanceId} failed`, err));
  }

  providerOf(record: InstanceRecord): Provider {
    return this.providers.of(record.provider, record.endpointId ?? 'local');
  }

  private async record(instanceId: string): Promise<InstanceRecord> {
    const record = await this.instances.get(instanceId);
    if (!record) {
      throw new DaasError('INSTANCE_NOT_FOUND', errorText('error.instance.notFound', { instanceId }), errorText('fix.instance.refreshList'));
    }
    return record;
  }

  /**
   * Checks the backend, writes the instance row, and returns it in state "creating";
   * launching and readiness continue in the background and are reported as events.
   */
  async start(appId: string): Promise<Instance> {
    await this.writeUnwritten();
    const app = await this.apps.get(appId);
    if (!app) throw new DaasError('APP_NOT_FOUND', errorText('error.app.notFound', { appId }), errorText('fix.app.pickFromCatalogue'));
    const prepared = await this.warm?.take(app);
    if (prepared) return prepared;
    const { kind, endpointId, provider } = await this.providers.forApp(app);
    await provider.preflight(app);

    const id = randomUUID();
    const password = newVncPassword();
    const create = async () =>
      this.instances.create({
        id,
        appId: app.id,
        name: `${app.name} #${(await this.instances.countByApp(app.id)) + 1}`,
        provider: kind,
        endpointId,
        connection: { protocol: 'vnc', host: '127.0.0.1', port: 0, password },
      });
    let record: InstanceRecord;
    for (;;) {
      try {
        record = await this.admit(app, create);
        break;
      } catch (err) {
        // Prepared instances of other apps give way to a user's start.
        if (err instanceof DaasError && err.code === 'LIMIT_REACHED' && (await this.evictWarm(app.id))) continue;
        throw err;
      }
    }
    this.emit(record);
    this.inBackground(id, 'start', this.launch(record, app, provider, password));
    return toPublic(record);
  }

  /** Handed-out instances whose release (unpause) is still under way. */
  private readonly thawing = new Map<string, Promise<void>>();

  /** Where Start finds prepared instances (the warm pool), once the core has one. */
  private warm: { take(app: App): Promise<Instance | undefined> } | undefined;

  useWarmPool(pool: { take(app: App): Promise<Instance | undefined> }): void {
    this.warm = pool;
  }

  /**
   * Prepares an instance for the warm pool: within the limits, launched and then held (paused)
   * in the background; no window hears of it until it is handed out. Throws LIMIT_REACHED.
   */
  async prepareWarm(app: App, fingerprint: string): Promise<void> {
    const { kind, endpointId, provider } = await this.providers.forApp(app);
    await provider.preflight(app);
    const id = randomUUID();
    const password = newVncPassword();
    const record = await this.admit(app, () =>
      this.instances.create({
        id,
        appId: app.id,
        name: `${app.name} (prepared)`,
        provider: kind,
        endpointId,
        connection: { protocol: 'vnc', host: '127.0.0.1', port: 0, password },
        warm: fingerprint,
      }),
    );
    this.inBackground(
      id,
      'preparing',
      (async () => {
        await this.launch(record, app, provider, password);
        const running = await this.instances.get(id);
        if (running?.state !== 'running') return;
        // Before it is paused: the gateway takes its picture while it can still answer.
        await this.options.warmDisplay?.prepare(running).catch((err) => console.warn(`prepared instance ${id}: display not opened: ${describe(err)}`));
        await provider.holdWarm?.(id).catch(async (err) => {
          await this.failStart(id, provider, err, true);
        });
      })(),
    );
  }

  /**
   * Hands a prepared instance of the app to the user: named, listed, and released. Start's reply
   * does not wait for the release (the engine's unpause): the desktop thaws while the reply
   * travels and the viewer opens, and the viewer's first frame waits for it in the gateway (its
   * probe is answered once the server runs). A release that fails ends the instance as failed.
   */
  async takeWarm(app: App, fingerprint: string): Promise<Instance | undefined> {
    const ready = (await this.instances.list()).filter((r) => r.warm === fingerprint && r.appId === app.id && r.state === 'running' && !this.busy.has(r.id));
    for (const row of ready) {
      const provider = this.providerOf(row);
      const handOut = async (): Promise<Instance | undefined> => {
        // The display is readied while the desktop is released, not after.
        void this.options.warmDisplay?.handOut(row).catch((err) => console.warn(`prepared instance ${row.id}: display not opened: ${describe(err)}`));
        const released = provider.releaseWarm?.(row.id) ?? Promise.resolve();
        released.catch(() => undefined); // handled below, once the row is claimed (or not)
        if (!(await this.instances.claimWarm(row.id, `${app.name} #${(await this.instances.countByApp(app.id)) + 1}`))) {
          await released;
          return undefined;
        }
        // Busy until it runs again; a stop meanwhile waits for that (see finishStop).
        const thawed = released.catch((err) => this.failStart(row.id, provider, err, true)).finally(() => this.thawing.delete(row.id));
        this.thawing.set(row.id, thawed);
        this.inBackground(row.id, 'thaw', thawed);
        const claimed = await this.record(row.id);
        this.emit(claimed);
        return toPublic(claimed);
      };
      try {
        const taken = await this.track(row.id, handOut());
        if (taken) return taken;
      } catch (err) {
        console.warn(`prepared instance ${row.id} could not be handed out: ${describe(err)}`);
      }
    }
    return undefined;
  }

  /** Ends a prepared instance and deletes its row (nobody saw it). */
  async discardWarm(id: string): Promise<void> {
    const record = await this.instances.get(id);
    if (!record?.warm || this.busy.has(id)) return;
    this.options.warmDisplay?.discard(id);
    if (record.state !== 'stopped') await this.stop(id, { force: true });
    await this.instances.remove([id]);
  }

  /** Discards one prepared instance of another app, to make room for a user's start. */
  private async evictWarm(exceptAppId: string): Promise<boolean> {
    const rows = (await this.instances.list()).filter((r) => r.warm && r.appId !== exceptAppId && holdsResources(r.state) && !this.busy.has(r.id));
    for (const row of rows) {
      try {
        await this.discardWarm(row.id);
        return true;
      } catch (err) {
        console.warn(`could not discard prepared instance ${row.id}: ${describe(err)}`);
      }
    }
    return false;
  }

  /** Checks the limits and writes the row, one start at a time; a refused start writes nothing. */
  private admit<T>(app: App, write: () => Promise<T>): Promise<T> {
    const turn = this.admitting.then(async () => {
      const limits = await this.options.limits?.();
      if (limits) {
        const live = (await this.instances.list()).filter((i) => holdsResources(this.current(i).state));
        const apps = new Map<string, App | undefined>();
        for (const appId of new Set(live.map((i) => i.appId))) apps.set(appId, await this.apps.get(appId));
        apps.set(app.id, app);
        checkStartLimits(app, live, limits, (appId) => {
          const of = apps.get(appId);
          return of ? (this.providers.memoryClaim?.(of) ?? 'not-counted') : 'not-counted';
        });
      }
      return write();
    });
    this.admitting = turn.catch(() => undefined);
    return turn;
  }

  private async launch(record: InstanceRecord, app: App, provider: Provider, password: string): Promise<void> {
    const id = record.id;
    let resourceId: string | undefined;
    const probing = new AbortController();
    try {
      // What the launch and the readiness wait need, asked at once (each is a look-up of its own).
      const [config, guacdSound, readinessTimeoutMs] = await Promise.all([
        this.providers.launchConfig(app, () => this.apps.displayPassword(app.id)),
        this.options.guacdSound?.(app),
        this.options.readinessTimeoutMs(),
      ]);
      const launched = await provider.launch(
        {
          instanceId: id,
          appId: app.id,
          name: `daas-${id}`,
          config,
          vncPassword: password,
          desktopWidth: app.desktopWidth,
          desktopHeight: app.desktopHeight,
          guacdSound,
        },
        async (created) => {
          resourceId = created;
          await this.instances.setResourceId(id, created);
        },
      );
      resourceId = launched.resourceId;
      if (launched.password) await this.instances.setConnectionPassword(id, launched.password);
      // An RDP desktop has no banner; its provider returned once the guest reported its address.
      // The wait begins while "starting" is written, and ends with the start if that fails.
      const ready = launched.protocol === 'rdp' ? Promise.resolve() : waitForVncBanner(launched.host, launched.port, readinessTimeoutMs, probing.signal);
      ready.catch(() => undefined);
      await this.transition(id, 'starting', { resourceId: launched.resourceId, connectionPort: launched.port });
      await ready;
      await this.transition(id, 'running');
    } catch (err) {
      probing.abort();
      await this.failStart(id, provider, err, resourceId !== undefined);
    }
  }

  /** A start that went wrong: record why, and leave nothing running behind. */
  private async failStart(id: string, provider: Provider, err: unknown, created: boolean): Promise<void> {
    const current = await this.instances.get(id);
    if (!current || current.state === 'stopping' || current.state === 'stopped') {
      // A stop raced the start and owns the final state; the container may have been
      // created after the stop removed what it found, so remove again.
      if (created) await provider.remove(id, { force: true }).catch((e) => console.error(`could not remove ${id}`, e));
      return;
    }
    const logs = created ? await provider.tail(id, 20).catch(() => '') : '';
    const reason = errorReason(err, [], logs || undefined);
    await provider.remove(id, { force: true }).catch((e) => console.error(`could not remove ${id}`, e));
    await this.settle(id, 'failed', { reason });
  }

  /**
   * Writes a final state (stopped, failed). When the disk refuses it, windows learn the
   * state now and the row is written by the next retry; throws nothing.
   */
  private async settle(id: string, to: InstanceState, details: TransitionDetails): Promise<void> {
    try {
      await this.transition(id, to, details);
      this.unwritten.delete(id);
    } catch (err) {
      if (!isStorageError(err)) {
        console.error(`could not mark ${id} ${to}`, err);
        return;
      }
      console.warn(`could not mark ${id} ${to} yet: ${(err as Error).message}`);
      this.unwritten.set(id, { to, details });
      const current = await this.instances.get(id).catch(() => undefined);
      if (current) this.emit(withState(current, to, details.reason));
      this.retryTimer ??= setInterval(() => void this.writeUnwritten(), this.options.retryUnwrittenMs ?? 5000).unref();
    }
  }

  /** Tries again to write the final states the disk refused; runs before every start and stop. */
  writeUnwritten(): Promise<void> {
    // One pass at a time: the timer and a request must not write the same state twice.
    this.writing ??= this.writeUnwrittenOnce().finally(() => (this.writing = undefined));
    return this.writing;
  }

  private async writeUnwrittenOnce(): Promise<void> {
    for (const [id, { to, details }] of [...this.unwritten]) {
      if (this.busy.has(id)) continue; // the operation in flight settles it
      const current = await this.instances.get(id).catch(() => undefined);
      if (!current || current.state === 'stopped' || current.state === 'failed') {
        this.unwritten.delete(id);
        continue;
      }
      try {
        await this.transition(id, to, details);
        this.unwritten.delete(id);
      } catch (err) {
        if (isStorageError(err)) break; // still refused: the next retry
        console.error(`could not mark ${id} ${to}`, err);
        this.unwritten.delete(id);
      }
    }
    if (!this.unwritten.size) this.stopRetrying();
  }

  /** The instance as windows should see it: with a final state still waiting to be written. */
  current(record: InstanceRecord): InstanceRecord {
    const pending = this.unwritten.get(record.id);
    return pending ? withState(record, pending.to, pending.details.reason) : record;
  }

  stopRetrying(): void {
    clearInterval(this.retryTimer);
    this.retryTimer = undefined;
  }

  async stop(instanceId: string, options: { force?: boolean; reason?: TransitionDetails['reason'] } = {}): Promise<Instance> {
    await this.writeUnwritten();
    const record = await this.record(instanceId);
    if (!canStop(record.state)) {
      throw new DaasError(
        'INVALID_TRANSITION',
        errorText('error.instance.alreadyStopping', { name: record.name, state: record.state }),
        errorText(record.state === 'stopped' ? 'fix.instance.nothingToDo' : 'fix.instance.waitForStop'),
      );
    }
    await this.transition(instanceId, 'stopping');
    return this.track(instanceId, this.finishStop(record, options));
  }

  private async finishStop(record: InstanceRecord, options: { force?: boolean; reason?: TransitionDetails['reason'] }): Promise<Instance> {
    await this.thawing.get(record.id); // a handed-out desktop being released: stopped once it runs
    try {
      // A prepared instance is paused: asking it to stop would wait for nothing.
      await this.providerOf(record).remove(record.id, { force: options.force || record.warm !== null });
    } catch (err) {
      await this.settle(record.id, 'failed', { reason: errorReason(err, [errorText('reason.stopFailed')]) });
      throw err;
    }
    const reason = options.reason ?? stateReason([errorText(options.force ? 'reason.forceStoppedByUser' : 'reason.stoppedByUser')]);
    try {
      return toPublic(await this.transition(record.id, 'stopped', { reason }));
    } catch (err) {
      // The container is gone; the row says so as soon as the disk allows.
      if (isStorageError(err)) await this.settle(record.id, 'stopped', { reason });
      throw err;
    }
  }

  /** Asks every live instance to stop; they stop in parallel. */
  async stopAll(): Promise<number> {
    const live = (await this.instances.list()).filter((i) => canStop(i.state));
    const results = await Promise.allSettled(live.map((i) => this.stop(i.id)));
    return results.filter((r) => r.status === 'fulfilled').length;
  }

  async restart(instanceId: string): Promise<Instance> {
    const record = await this.record(instanceId);
    if (!canRestart(record.state)) {
      throw new DaasError('INVALID_TRANSITION', errorText('error.instance.cannotRestart', { name: record.name, state: record.state }), errorText('fix.instance.startNew'));
    }
    const starting = await this.transition(instanceId, 'starting', { reason: stateReason([errorText('reason.restarting')]) });
    this.inBackground(instanceId, 'restart', this.finishRestart(record));
    return toPublic(starting);
  }

  private async finishRestart(record: InstanceRecord): Promise<void> {
    const provider = this.providerOf(record);
    try {
      const launched = await provider.restart(record.id);
      await this.instances.setConnectionPort(record.id, launched.port);
      if (launched.protocol !== 'rdp') await waitForVncBanner(launched.host, launched.port, await this.options.readinessTimeoutMs());
      await this.transition(record.id, 'running');
    } catch (err) {
      await this.failStart(record.id, provider, err, true);
    }
  }

  async logs(instanceId: string, lines: number, options: { timestamps?: boolean } = {}): Promise<string> {
    const record = await this.record(instanceId);
    if (record.state === 'stopped' || record.state === 'failed') return '';
    return this.providerOf(record).tail(instanceId, lines, options);
  }

  async stats(instanceId: string): Promise<InstanceStats> {
    const record = await this.record(instanceId);
    if (record.state !== 'running' && record.state !== 'starting') {
      throw new DaasError('INVALID_TRANSITION', errorText('error.instance.inState', { name: record.name, state: record.state }), errorText('fix.instance.statsWhileRunning'));
    }
    return this.providerOf(record).stats(instanceId);
  }

  /** The configuration of a running (or starting) instance's resource, secrets masked by its provider. */
  async inspect(instanceId: string): Promise<InstanceInspect> {
    const { record, provider } = await this.live(instanceId, 'fix.instance.statsWhileRunning');
    if (!provider.inspect) throw new DaasError('INVALID_REQUEST', errorText('error.inspect.unsupported', { name: record.name }), errorText('fix.none'));
    return provider.inspect(instanceId);
  }

  /** A shell inside a running instance (its provider's; a VM has none). */
  async openShell(instanceId: string, size: { cols: number; rows: number }): Promise<ShellSession> {
    const { record, provider } = await this.live(instanceId, 'fix.terminal.whileRunning');
    if (!provider.openShell) throw new DaasError('INVALID_REQUEST', errorText('error.terminal.unsupported', { name: record.name }), errorText('fix.terminal.useDesktop'));
    return provider.openShell(instanceId, size);
  }

  private async live(instanceId: string, fix: 'fix.instance.statsWhileRunning' | 'fix.terminal.whileRunning'): Promise<{ record: InstanceRecord; provider: Provider }> {
    const record = await this.record(instanceId);
    if (record.state !== 'running' && record.state !== 'starting') {
      throw new DaasError('INVALID_TRANSITION', errorText('error.instance.inState', { name: record.name, state: record.state }), errorText(fix));
    }
    return { record, provider: this.providerOf(record) };
  }

  /** A container died or vanished outside the app: say so within moments. */
  async onResourceEvent(event: ResourceEvent): Promise<void> {
    if (this.busy.has(event.instanceId)) return; // our own stop or restart, or this handler
    const stored = await this.instances.get(event.instanceId);
    // A final state still waiting for the disk counts: the removal our clean-up caused is no news.
    const record = stored && this.current(stored);
    if (!record || !['running', 'starting', 'creating'].includes(record.state)) return;
    // Tracked as busy, so the "removed" event our own clean-up causes is not taken for
    // a removal outside the app.
    await this.track(record.id, this.recordOutsideChange(record, event));
  }

  private async recordOutsideChange(record: InstanceRecord, event: ResourceEvent): Promise<void> {
    const provider = this.providerOf(record);
    if (event.kind === 'removed') {
      await this.settle(record.id, 'stopped', { reason: stateReason([errorText('reason.removedOutside')]) });
      return;
    }
    const logs = await provider.tail(record.id, 20).catch(() => '');
    await provider.remove(record.id, { force: true }).catch(() => undefined);
    const code = event.exitCode;
    // 143: ended by SIGTERM, i.e. asked to stop (`docker stop`; a single-app image's status for it).
    const clean = code === 0 || code === 143;
    const what =
      code === null ? errorText('reason.stoppedOutside') : errorText(code === 137 ? 'reason.killedOutside' : 'reason.stoppedOutsideCode', { code });
    const reason = stateReason([what], logs && !clean ? logs : undefined);
    await this.settle(record.id, clean ? 'stopped' : 'failed', { reason });
  }

  /** Resolves when every operation in flight on the instance has settled. */
  async settled(instanceId: string): Promise<void> {
    while (this.busy.has(instanceId)) await Promise.allSettled(this.busy.get(instanceId)!);
  }

  async settledAll(): Promise<void> {
    while (this.busy.size) await Promise.allSettled([...this.busy.values()].flatMap((inFlight) => [...inFlight]));
  }

  async transition(id: string, to: InstanceState, details?: TransitionDetails): Promise<InstanceRecord> {
    const record = await this.instances.transition(id, to, details);
    this.emit(record);
    return record;
  }

  private emit(record: InstanceRecord): void {
    // Prepared instances are no user's until handed out: windows do not list them.
    if (record.warm) return;
    this.bus.publish({ event: 'instance.changed', payload: toPublic(record) });
  }
}
