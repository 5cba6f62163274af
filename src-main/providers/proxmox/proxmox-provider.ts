// Proxmox VE backend: clones a template (or uses an existing VM), tags what it creates so it
// always recognises its own, starts it, and offers its screen to the gateway on loopback.
import { randomBytes } from 'node:crypto';
import type { App, DesktopProtocol } from '../../../src-shared/model';
import type { ProxmoxDisplaySettings } from '../../../src-shared/app-config';
import { toProxmoxAppConfig, toProxmoxDisplay } from './app-settings';
import type { InstanceStats } from '../../../src-shared/contract';
import type { DisplayRequest, DisplayTarget, LaunchSpec, Launched, OwnedResource, Provider, ResourceEvent, SaveRequest } from '../provider';
import {
  clusterResources,
  guestAddresses,
  GuestAddress,
  leastLoadedNode,
  openConsole,
  pickGuestAddress,
  qemuVms,
  VmResource,
  vmRunning,
} from './proxmox-cluster';
import { ConnectionReport, ProxmoxClient, ProxmoxClientOptions, TaskProgress } from './proxmox-client';
import { errorText, type ErrorText } from '../../../src-shared/error-texts';
import type { ErrorTextRef } from '../../../src-shared/errors';
import { actionOf, ProxmoxError, proxmoxOp, thenCleanupFailed, type ProxmoxDoing } from './proxmox-errors';
import {
  ProxmoxAppConfig,
  ProxmoxCloneConfig,
  ProxmoxDisplay,
  ProxmoxEndpoint,
  ProxmoxExistingConfig,
  renderVmName,
  validateAppConfig,
} from './proxmox-settings';
import {
  appFromTags,
  appTag,
  cloneDescription,
  editTags,
  hasTag,
  instanceFromDescription,
  instanceFromTags,
  instanceTag,
  ownerFromTags,
  ownerTag,
  TAG_KEEP,
  TAG_MANAGED,
} from './proxmox-tags';
import { withVncClipboard } from './proxmox-vga';
import { VncBridge } from './vnc-bridge';
import { DEFAULT_GUEST_FOLDER, ProxmoxAgentFiles } from './proxmox-agent-files';

export interface ProxmoxLaunched extends Launched {
  node: string;
  vmid: number;
  /** 'rdp' only with display kind rdp (the connection then goes through guacd). */
  protocol: DesktopProtocol;
}

export type ProxmoxStep = 'clone' | 'tag' | 'start' | 'console' | 'stop' | 'delete' | 'untag' | 'template';

export interface ProxmoxProgress {
  instanceId: string;
  step: ProxmoxStep;
  /** One line for the instance's status: "Cloning VM 9000 to 105 on pve2" or a task log line. */
  message: string;
  /** The line by key and parameters when it is DaaS Desktop's own (task log lines have none). */
  text?: ErrorTextRef;
}

export interface ProxmoxTimeouts {
  cloneMs: number;
  startMs: number;
  stopMs: number;
  deleteMs: number;
  /** vncproxy + websocket + RFB handshakes of one console connection. */
  consoleMs: number;
  /** How long to wait for a lock left by another task before giving up on a VM. */
  lockWaitMs: number;
}

export interface ProxmoxProviderOptions {
  client?: ProxmoxClientOptions;
  timeouts?: Partial<ProxmoxTimeouts>;
  /** Graceful shutdown time for kept clones and existing VMs before they are stopped hard (default 60). */
  shutdownTimeoutSec?: number;
  /**
   * How often watch() polls /cluster/resources (default 7 s; Proxmox has no event stream). Not
   * 5 s: pveproxy closes a connection idle for 5 s, and a poll at that moment meets the close.
   */
  watchIntervalMs?: number;
  onProgress?: (progress: ProxmoxProgress) => void;
  log?: (message: string) => void;
  /**
   * This installation's id (Core's settings 'installation'): every VM it creates or binds gets
   * the owner tag, and only VMs with that tag (or with none, see listOwned) are its own.
   */
  installationId?: string;
}

const DEFAULT_TIMEOUTS: ProxmoxTimeouts = {
  cloneMs: 15 * 60_000,
  startMs: 3 * 60_000,
  stopMs: 3 * 60_000,
  deleteMs: 5 * 60_000,
  consoleMs: 15_000,
  lockWaitMs: 60_000,
};

/** watch()'s default poll interval: clear of pveproxy's 5 s idle close. */
export const WATCH_INTERVAL_MS = 7_000;

/** An instance whose launch is in progress; remove() cancels it and waits for its clean-up. */
interface Launch {
  cancelled: boolean;
  settled: Promise<unknown>;
}

class LaunchCancelled extends Error {
  constructor() {
    super('the instance was stopped while it was starting');
  }
}

/** Proxmox's words when the new VM id is already someone else's. */
function isIdTaken(err: unknown): boolean {
  return err instanceof ProxmoxError && /^VM \d+ already exists|config file already exists/i.test(err.proxmoxMessage ?? '');
}

/** `node/vmid`, as stored as the instance's resource id. */
export function resourceIdOf(node: string, vmid: number): string {
  return `${node}/${vmid}`;
}

export function parseResourceId(resourceId: string): { node: string; vmid: number } | undefined {
  const m = /^([a-zA-Z0-9-]+)\/(\d+)$/.exec(resourceId);
  return m ? { node: m[1]!, vmid: Number(m[2]) } : undefined;
}

/** An 8-character VNC password (VNC Authentication uses only 8). */
function newBridgePassword(): string {
  return randomBytes(6).toString('base64url').slice(0, 8);
}

export class ProxmoxProvider implements Provider {
  readonly client: ProxmoxClient;
  readonly endpoint: ProxmoxEndpoint;
  private readonly timeouts: ProxmoxTimeouts;
  /** Per instance: its loopback bridge and the password the app stored for it. */
  private readonly bridges = new Map<string, { bridge: VncBridge; password: string; node: string; vmid: number }>();
  /** Per instance: how its desktop is reached (from the app's config at launch). */
  private readonly displays = new Map<string, ProxmoxDisplay | undefined>();
  private readonly launches = new Map<string, Launch>();
  /** Per instance: the log of its last failed task, for tail(). */
  private readonly taskLogs = new Map<string, string[]>();
  /** Existing VMs the credentials could not tag: known only to this process. */
  private readonly untagged = new Map<string, number>();
  /** Per instance: the guest folder its viewer's uploads go to (the app's, as of its last ticket). */
  private readonly guestFolders = new Map<string, string>();
  /** Files to and from a VM console, through the QEMU guest agent. */
  readonly files: ProxmoxAgentFiles;

  constructor(
    endpoint: ProxmoxEndpoint,
    private readonly options: ProxmoxProviderOptions = {},
  ) {
    this.client = new ProxmoxClient(endpoint, options.client);
    this.files = new ProxmoxAgentFiles(
      this.client,
      (instanceId) => this.locate(instanceId),
      (instanceId) => this.guestFolders.get(instanceId) ?? DEFAULT_GUEST_FOLDER,
    );
    this.endpoint = this.client.endpoint;
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  }

  /** Version and missing privileges, for "Test connection". */
  testConnection(): Promise<ConnectionReport> {
    return this.client.testConnection();
  }

  /** Reachable, trusted, the credentials work, and (given an app) its VM can be used. */
  async preflight(app?: App): Promise<void> {
    await this.client.get('/version', {}, proxmoxOp('op.proxmox.tellVersion'));
    if (app?.provider === 'proxmox') await this.preflightApp(toProxmoxAppConfig(app.proxmox));
  }

  /** The app's VM exists and can be used as configured. */
  async preflightApp(config: ProxmoxAppConfig): Promise<void> {
    validateAppConfig(config);
    const vmid = config.mode === 'clone' ? config.templateVmid : config.vmid;
    const vm = await this.findVm(vmid);
    if (!vm) throw this.vmMissing(vmid);
    if (config.mode === 'clone' && !vm.template && !config.full && !(await this.isTemplateNow(vm))) throw this.notATemplate(vmid);
    if (config.mode === 'existing' && vm.template) throw this.isATemplate(vmid);
  }

  async launch(spec: LaunchSpec, onCreated: (resourceId: string) => Promise<void>): Promise<ProxmoxLaunched> {
    // The VM settings as the Proxmox backend's launchConfig made them, checked field by field.
    const config = spec.config as ProxmoxAppConfig | null | undefined;
    if (typeof config !== 'object' || config === null) {
      throw new ProxmoxError('api', errorText('error.proxmox.noVmSettings', { appId: spec.appId }), errorText('fix.proxmox.chooseVm'));
    }
    validateAppConfig(config);
    const launch: Launch = { cancelled: false, settled: Promise.resolve() };
    const run =
      config.mode === 'clone' ? this.launchClone(spec, config, launch, onCreated) : this.launchExisting(spec, config, launch, onCreated);
    launch.settled = run.catch(() => undefined);
    this.launches.set(spec.instanceId, launch);
    try {
      return await run;
    } finally {
      this.launches.delete(spec.instanceId);
    }
  }

  private async launchClone(
    spec: LaunchSpec,
    config: ProxmoxCloneConfig,
    launch: Launch,
    onCreated: (resourceId: string) => Promise<void>,
  ): Promise<ProxmoxLaunched> {
    const id = spec.instanceId;
    const resources = await clusterResources(this.client);
    const template = qemuVms(resources).find((v) => v.vmid === config.templateVmid);
    if (!template) throw this.vmMissing(config.templateVmid);
    if (!template.template && !config.full && !(await this.isTemplateNow(template))) throw this.notATemplate(config.templateVmid);
    let target = template.node;
    if (config.node === 'least-loaded') {
      const chosen = leastLoadedNode(resources);
      if (chosen) target = chosen;
      else this.options.log?.(`no node shows its load (Sys.Audit missing?); cloning on ${template.node}`);
    } else if (config.node) {
      target = config.node;
    }

    let created: { vmid: number; upid: string } | undefined;
    // Once the clone task has ended, a lock left on the clone is stale: no use waiting for it.
    let cloneEnded = false;
    try {
      // nextid reserves nothing: if someone takes the id first, Proxmox answers
      // "VM N already exists on node ..." (at once, or from the clone task when a clone on
      // another node claimed it first) and we ask for another.
      for (let attempt = 1; !created; attempt++) {
        const newid = Number(await this.client.get<string | number>('/cluster/nextid', {}, proxmoxOp('op.proxmox.pickVmid')));
        const name = renderVmName(config.namePattern, { instanceId: id, appId: spec.appId, vmid: newid });
        this.progress(id, 'clone', errorText('progress.proxmox.cloning', { templateVmid: config.templateVmid, vmid: newid, name, node: target }));
        let upid: string;
        try {
          upid = await this.client.post<string>(
            `/nodes/${template.node}/qemu/${config.templateVmid}/clone`,
            {
              newid,
              name,
              full: config.full,
              target: target !== template.node ? target : undefined,
              pool: config.pool,
              description: cloneDescription(id, spec.appId),
            },
            proxmoxOp('op.proxmox.cloneTemplate', { templateVmid: config.templateVmid }),
          );
        } catch (err) {
          if (attempt < 3 && isIdTaken(err)) continue;
          throw err;
        }
        created = { vmid: newid, upid };
        // The VM's config exists from here on (locked until the clone task ends).
        await onCreated(resourceIdOf(target, newid));
        try {
          await this.waitTask(id, 'clone', upid, this.timeouts.cloneMs, proxmoxOp('op.proxmox.cloneVm', { templateVmid: config.templateVmid, vmid: newid }));
        } catch (err) {
          // The id went to another VM before the task could lock it: nothing of ours exists.
          if (attempt < 3 && err instanceof ProxmoxError && err.kind === 'task' && isIdTaken(err)) {
            created = undefined;
            continue;
          }
          throw err;
        } finally {
          cloneEnded = (await this.client.taskStatus(upid).catch(() => undefined))?.status === 'stopped';
        }
      }
      const vmid = created.vmid;
      this.checkCancelled(launch);

      this.progress(id, 'tag', errorText('progress.proxmox.tagging', { vmid }));
      await this.addTags(target, vmid, [
        TAG_MANAGED,
        ...this.ownerTags(),
        instanceTag(id),
        appTag(spec.appId),
        ...(config.onStop === 'keep' ? [TAG_KEEP] : []),
      ]);
      this.checkCancelled(launch);

      if (config.clipboard) await this.enableVncClipboard(target, vmid);
      await this.startVm(id, target, vmid);
      this.checkCancelled(launch);
      return await this.display(id, spec.vncPassword, config.display, target, vmid);
    } catch (err) {
      if (created) {
        try {
          await this.destroyClone(id, created.vmid, cloneEnded ? 0 : this.timeouts.lockWaitMs);
        } catch (cleanupErr) {
          this.options.log?.(`clean-up of VM ${created.vmid} failed: ${(cleanupErr as Error).message}`);
          if (cleanupErr instanceof ProxmoxError && !(err instanceof LaunchCancelled)) {
            throw new ProxmoxError(cleanupErr.kind, thenCleanupFailed(err as Error, cleanupErr), actionOf(cleanupErr), {
              proxmoxMessage: cleanupErr.proxmoxMessage,
              cause: err,
            });
          }
          throw cleanupErr;
        }
      }
      throw err;
    }
  }

  private async launchExisting(
    spec: LaunchSpec,
    config: ProxmoxExistingConfig,
    launch: Launch,
    onCreated: (resourceId: string) => Promise<void>,
  ): Promise<ProxmoxLaunched> {
    const vm = await this.findVm(config.vmid);
    if (!vm) throw this.vmMissing(config.vmid);
    if (vm.template) throw this.isATemplate(config.vmid);
    const other = instanceFromTags(vm.tags);
    if (other && other !== spec.instanceId) {
      // (whichever installation holds it: the VM serves one instance at a time)
      throw new ProxmoxError('api', errorText('error.proxmox.vmInUse', { vmid: config.vmid }), errorText('fix.proxmox.stopThatInstance'));
    }
    // The tags let DaaS Desktop find the VM again after a restart. Without the privilege to
    // tag, the VM is still started (and reconcile then does not see it).
    try {
      await this.addTags(vm.node, vm.vmid, [...this.ownerTags(), instanceTag(spec.instanceId), appTag(spec.appId)]);
    } catch (err) {
      if (!(err instanceof ProxmoxError && err.kind === 'permission')) throw err;
      this.options.log?.(`cannot tag VM ${vm.vmid}: ${err.message}`);
      this.untagged.set(spec.instanceId, vm.vmid);
    }
    await onCreated(resourceIdOf(vm.node, vm.vmid));
    this.checkCancelled(launch);
    if (!(await vmRunning(this.client, vm.node, vm.vmid))) await this.startVm(spec.instanceId, vm.node, vm.vmid);
    this.checkCancelled(launch);
    return this.display(spec.instanceId, spec.vncPassword, config.display, vm.node, vm.vmid);
  }

  /**
   * The loopback address of an instance's screen, opening a new bridge if there is none
   * (after DaaS Desktop restarted, the old port is gone): call it for running instances at
   * reconcile, or before issuing a display ticket, with the password the store holds.
   */
  async ensureDisplay(instanceId: string, password: string, display?: ProxmoxDisplay): Promise<ProxmoxLaunched> {
    const wanted = display ?? this.displays.get(instanceId);
    const open = this.bridges.get(instanceId);
    if (open && open.password === password && (!wanted || wanted.kind === 'vncproxy')) {
      return { resourceId: resourceIdOf(open.node, open.vmid), host: open.bridge.host, port: open.bridge.port, node: open.node, vmid: open.vmid, protocol: 'vnc' };
    }
    const vm = await this.locate(instanceId);
    return this.display(instanceId, password, wanted, vm.node, vm.vmid);
  }

  /**
   * The console bridge lives in this process: make sure one is open for the instance (direct
   * VNC and RDP need none), with the app's display settings as they are now.
   */
  async displayTarget({ instanceId, connection, app, displayPassword }: DisplayRequest): Promise<DisplayTarget> {
    const display: ProxmoxDisplaySettings = app?.provider === 'proxmox' ? app.proxmox.display : { kind: 'vncproxy' };
    if (app?.provider === 'proxmox') this.guestFolders.set(instanceId, app.proxmox.guestFolder);
    const appPassword = display.kind === 'vncproxy' ? undefined : await displayPassword();
    const launched = await this.ensureDisplay(instanceId, connection.password, toProxmoxDisplay(display, appPassword));
    const target = { host: launched.host, port: launched.port, password: display.kind === 'vncproxy' ? connection.password : (appPassword ?? '') };
    // The console bridge listens on 127.0.0.1 but relays to the node across the network.
    if (display.kind === 'vncproxy') return { protocol: 'vnc', ...target, overNetwork: true };
    if (display.kind !== 'rdp') return { protocol: 'vnc', ...target };
    const { username, domain, security, ignoreCert, driveRedirection } = display;
    return {
      protocol: 'rdp',
      ...target,
      rdp: { ...(username ? { username } : {}), ...(domain ? { domain } : {}), security, ignoreCert, driveRedirection },
    };
  }

  /** RDP apps with drive redirection (on by default). */
  redirectsDrive(app: App | undefined): boolean {
    return app?.provider === 'proxmox' && app.proxmox.display.kind === 'rdp' && app.proxmox.display.driveRedirection;
  }

  /**
   * For adopting a tagged VM that has no instance row: a new bridge with a new password
   * (the old one lived only in the lost row).
   */
  async connectionOf(resourceId: string): Promise<{ host: string; port: number; password: string }> {
    const parsed = parseResourceId(resourceId);
    const vm = parsed && (await this.findVm(parsed.vmid));
    const instanceId = vm && instanceFromTags(vm.tags);
    if (!vm || !instanceId) throw new ProxmoxError('api', errorText('error.proxmox.notOurs', { resourceId }), errorText('fix.instance.refreshList'));
    const password = newBridgePassword();
    const launched = await this.display(instanceId, password, undefined, vm.node, vm.vmid);
    return { host: launched.host, port: launched.port, password };
  }

  private async display(instanceId: string, password: string, display: ProxmoxDisplay | undefined, node: string, vmid: number): Promise<ProxmoxLaunched> {
    const resourceId = resourceIdOf(node, vmid);
    this.displays.set(instanceId, display);
    if (display?.kind === 'vnc') {
      // The app's fixed password is not returned: the core reads it from the sealed store
      // when it issues a display ticket, so it is never copied into the connections table.
      await this.closeBridge(instanceId);
      return { resourceId, host: display.host, port: display.port, node, vmid, protocol: 'vnc' };
    }
    if (display?.kind === 'rdp') {
      await this.closeBridge(instanceId);
      const host = await this.waitForGuestAddress(node, vmid);
      return { resourceId, host, port: display.port ?? 3389, node, vmid, protocol: 'rdp' };
    }
    await this.closeBridge(instanceId);
    const state = { node };
    const bridge = await VncBridge.start({
      password,
      handshakeTimeoutMs: this.timeouts.consoleMs,
      log: this.options.log,
      openUpstream: async () => {
        try {
          return await openConsole(this.client, state.node, vmid, this.timeouts.consoleMs);
        } catch (err) {
          // The VM may have migrated: look it up once and retry on its new node.
          const moved = await this.findVm(vmid).catch(() => undefined);
          if (!moved || moved.node === state.node) throw err;
          state.node = moved.node;
          return openConsole(this.client, state.node, vmid, this.timeouts.consoleMs);
        }
      },
    });
    this.bridges.set(instanceId, { bridge, password, node, vmid });
    return { resourceId, host: bridge.host, port: bridge.port, node, vmid, protocol: 'vnc' };
  }

  /** Addresses the QEMU guest agent reports (for RDP to the guest). */
  guestAddresses(node: string, vmid: number): Promise<GuestAddress[]> {
    return guestAddresses(this.client, node, vmid);
  }

  private async waitForGuestAddress(node: string, vmid: number): Promise<string> {
    const deadline = Date.now() + this.timeouts.startMs;
    for (;;) {
      let last: unknown;
      try {
        const addresses = await guestAddresses(this.client, node, vmid);
        const picked = pickGuestAddress(addresses);
        if (picked) return picked;
        last = new ProxmoxError(
          'api',
          errorText('error.proxmox.onlyLoopback', { vmid, addresses: addresses.map((a) => a.address).join(', ') || '–' }),
          errorText('fix.proxmox.checkGuestNetwork'),
        );
      } catch (err) {
        last = err;
      }
      if (Date.now() > deadline) throw last;
      await new Promise((r) => setTimeout(r, 2_000));
    }
  }

  /** Shuts the VM down (stopping it hard if it does not go) and starts it again. */
  async restart(instanceId: string): Promise<ProxmoxLaunched> {
    const vm = await this.locate(instanceId);
    if (await vmRunning(this.client, vm.node, vm.vmid)) await this.shutdownVm(instanceId, vm.node, vm.vmid);
    await this.startVm(instanceId, vm.node, vm.vmid);
    const open = this.bridges.get(instanceId);
    if (open) return this.ensureDisplay(instanceId, open.password);
    const display = this.displays.get(instanceId);
    if (display?.kind === 'vnc' || display?.kind === 'rdp') return this.display(instanceId, '', display, vm.node, vm.vmid);
    throw new ProxmoxError('api', errorText('error.proxmox.noDisplayYet'), errorText('fix.proxmox.openAgain'));
  }

  async tail(instanceId: string, lines: number): Promise<string> {
    return (this.taskLogs.get(instanceId) ?? []).slice(-lines).join('\n');
  }

  async stats(instanceId: string): Promise<InstanceStats> {
    const vm = await this.locate(instanceId);
    const s = await this.client.get<{ cpu?: number; cpus?: number; mem?: number; maxmem?: number }>(
      `/nodes/${vm.node}/qemu/${vm.vmid}/status/current`,
      {},
      proxmoxOp('op.proxmox.readVmState', { vmid: vm.vmid }),
    );
    // Proxmox's cpu is a fraction of the VM's vCPUs; Docker's percent counts one core as 100.
    return { cpuPercent: (s.cpu ?? 0) * (s.cpus ?? 1) * 100, memoryBytes: s.mem ?? 0, memoryLimitBytes: s.maxmem ?? 0 };
  }

  /**
   * Stops what belongs to the instance: deletes its clone, or shuts down and untags a kept
   * clone or an existing VM (`force`: stop it hard instead of shutting it down).
   * `resourceId` (node/vmid as stored when the clone was created) also finds a clone that a
   * crash left before it could be tagged. Succeeds if nothing is left.
   */
  async remove(instanceId: string, options: { force?: boolean; resourceId?: string } = {}): Promise<void> {
    const launch = this.launches.get(instanceId);
    if (launch) {
      launch.cancelled = true;
      await launch.settled;
    }
    await this.closeBridge(instanceId);
    const vms = qemuVms(await clusterResources(this.client, 'vm'));
    const mine = vms.filter((v) => instanceFromTags(v.tags) === instanceId && this.isOurs(v.tags));
    const bound = this.untagged.get(instanceId);
    const boundVm = bound === undefined ? undefined : vms.find((v) => v.vmid === bound);
    if (boundVm && !mine.includes(boundVm)) mine.push(boundVm);
    const hinted = options.resourceId ? parseResourceId(options.resourceId) : undefined;
    if (hinted && !mine.some((v) => v.vmid === hinted.vmid)) {
      const vm = vms.find((v) => v.vmid === hinted.vmid);
      if (vm && !instanceFromTags(vm.tags) && (await this.describedAs(vm, instanceId))) mine.push(vm);
    }
    for (const vm of mine) await this.release(instanceId, vm, options.force ?? false);
    this.displays.delete(instanceId);
    this.untagged.delete(instanceId);
    this.guestFolders.delete(instanceId);
    this.files.forget(instanceId);
  }

  /**
   * Turns a stopped instance's kept clone into a template (its DaaS Desktop tags go first, so
   * it is no longer taken for a clone of ours) and returns the app settings that clone it.
   */
  async saveAsApp(request: SaveRequest): Promise<Record<string, unknown>> {
    const at = request.resourceId ? parseResourceId(request.resourceId) : undefined;
    if (request.state !== 'stopped') {
      const vmid = at?.vmid ?? 0;
      throw new ProxmoxError('api', errorText('error.save.vmRunning', { vmid }), errorText('fix.save.stopFirst'));
    }
    const vm = at && (await this.findVm(at.vmid));
    const kept =
      vm && hasTag(vm.tags, TAG_MANAGED) && hasTag(vm.tags, TAG_KEEP) && this.isOurs(vm.tags) && !instanceFromTags(vm.tags) && (await this.describedAs(vm, request.instanceId));
    if (!vm || !kept) throw new ProxmoxError('api', errorText('error.save.vmNotKept', { vmid: at?.vmid ?? 0 }), errorText('fix.save.keepOnStop'));
    const { node, vmid } = await this.waitUnlocked(vm);
    if (await vmRunning(this.client, node, vmid)) throw new ProxmoxError('api', errorText('error.save.vmRunning', { vmid }), errorText('fix.save.stopFirst'));
    await this.editVmTags(node, vmid, (tags) => editTags(tags, [], (t) => t.toLowerCase().startsWith('daas-')));
    this.progress(request.instanceId, 'template', errorText('progress.proxmox.makingTemplate', { vmid }));
    const doing = proxmoxOp('op.proxmox.makeTemplate', { vmid });
    const upid = await this.client.post<string>(`/nodes/${node}/qemu/${vmid}/template`, {}, doing);
    await this.waitTask(request.instanceId, 'template', upid, this.timeouts.cloneMs, doing);
    return { mode: 'clone', templateVmid: vmid, vmid: null, node };
  }

  /**
   * Every VM bound to an instance of this installation. A VM whose owner tag names another
   * installation is never listed (so never removed or adopted here). A VM with an instance tag
   * but no owner tag was tagged by a version before owner tags: it may be ours or another
   * installation's, and instance ids are random UUIDs, so it is listed marked `ownerUnknown`:
   * reconcile then treats it as ours only if an instance row of ours names it (and never
   * adopts or deletes it otherwise). Without an installation id every tagged VM is listed.
   */
  async listOwned(): Promise<OwnedResource[]> {
    const vms = qemuVms(await clusterResources(this.client, 'vm'));
    const mine = vms.filter((vm) => instanceFromTags(vm.tags) && this.isOurs(vm.tags));
    // Each one's state from its node: the list's status may be 10 s old ('unknown' when new),
    // and reconcile must not call a VM that just started stopped.
    return Promise.all(
      mine.map(async (vm) => ({
        resourceId: resourceIdOf(vm.node, vm.vmid),
        instanceId: instanceFromTags(vm.tags)!,
        appId: appFromTags(vm.tags) ?? '',
        running: await vmRunning(this.client, vm.node, vm.vmid).catch(() => vm.status === 'running'),
        ...(this.options.installationId && !ownerFromTags(vm.tags) ? { ownerUnknown: true as const } : {}),
      })),
    );
  }

  private ownerTags(): string[] {
    return this.options.installationId ? [ownerTag(this.options.installationId)] : [];
  }

  /** Not another installation's: our owner tag, or none at all. */
  private isOurs(tags: string | undefined): boolean {
    const owner = ownerFromTags(tags);
    return !owner || !this.options.installationId || owner === this.options.installationId.toLowerCase();
  }

  /**
   * Proxmox has no event stream: polls /cluster/resources and reports tagged VMs that stopped
   * ('died', exit code unknown) or vanished ('removed'). onReconnect runs after the first
   * successful poll and after every recovery from a failed one.
   */
  watch(onEvent: (event: ResourceEvent) => void, onReconnect: () => void): () => void {
    let stopped = false;
    let healthy = false;
    let known = new Map<string, boolean>();
    let timer: NodeJS.Timeout | undefined;
    const poll = async () => {
      try {
        const owned = await this.listOwned();
        const now = new Map(owned.map((o) => [o.instanceId, o.running]));
        if (!healthy) {
          healthy = true;
          onReconnect();
        } else {
          for (const [instanceId, wasRunning] of known) {
            const running = now.get(instanceId);
            if (running === undefined) onEvent({ instanceId, kind: 'removed', exitCode: null });
            else if (wasRunning && !running) onEvent({ instanceId, kind: 'died', exitCode: null });
          }
        }
        known = now;
      } catch {
        healthy = false;
      }
      if (!stopped) timer = setTimeout(() => void poll(), this.options.watchIntervalMs ?? WATCH_INTERVAL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }

  /** Running instances on this endpoint (for choosing among endpoints). */
  async runningCount(): Promise<number> {
    return (await this.listOwned()).filter((r) => r.running).length;
  }

  /** Closes every bridge (the VMs keep running; remove() stops them). */
  async close(): Promise<void> {
    await Promise.all([...this.bridges.keys()].map((id) => this.closeBridge(id)));
    this.client.close();
  }

  // ---- steps --------------------------------------------------------------------------------

  private async release(instanceId: string, found: VmResource, force: boolean): Promise<void> {
    const vm = await this.waitUnlocked(found);
    if (vm.status === 'gone') return;
    const { node, vmid } = vm;
    const created = hasTag(vm.tags, TAG_MANAGED) || (!vm.tags && (await this.describedAs(vm, instanceId)));
    // Asked of the node: the status in /cluster/resources may be 10 s old.
    const running = await vmRunning(this.client, node, vmid);
    if (created && !hasTag(vm.tags, TAG_KEEP)) {
      // Its disks are thrown away: no need for a graceful shutdown.
      if (running) await this.stopVm(instanceId, node, vmid);
      this.progress(instanceId, 'delete', errorText('progress.proxmox.deleting', { vmid }));
      const upid = await this.client.delete<string>(`/nodes/${node}/qemu/${vmid}`, { purge: true, 'destroy-unreferenced-disks': true }, proxmoxOp('op.proxmox.deleteVm', { vmid }));
      await this.waitTask(instanceId, 'delete', upid, this.timeouts.deleteMs, proxmoxOp('op.proxmox.deleteVm', { vmid }));
      return;
    }
    if (running) {
      if (force) await this.stopVm(instanceId, node, vmid);
      else await this.shutdownVm(instanceId, node, vmid);
    }
    this.progress(instanceId, 'untag', errorText('progress.proxmox.releasing', { vmid }));
    const tag = instanceTag(instanceId);
    await this.editVmTags(node, vmid, (tags) =>
      editTags(tags, [], (t) => t.toLowerCase() === tag || t.toLowerCase().startsWith('daas-app-') || (!created && t.toLowerCase().startsWith('daas-owner-'))),
    );
  }

  private async startVm(instanceId: string, node: string, vmid: number): Promise<void> {
    this.progress(instanceId, 'start', errorText('progress.proxmox.starting', { vmid, node }));
    const upid = await this.client.post<string>(`/nodes/${node}/qemu/${vmid}/status/start`, {}, proxmoxOp('op.proxmox.startVm', { vmid }));
    await this.waitTask(instanceId, 'start', upid, this.timeouts.startMs, proxmoxOp('op.proxmox.startVm', { vmid }));
  }

  private async stopVm(instanceId: string, node: string, vmid: number): Promise<void> {
    this.progress(instanceId, 'stop', errorText('progress.proxmox.stopping', { vmid }));
    const upid = await this.client.post<string>(`/nodes/${node}/qemu/${vmid}/status/stop`, {}, proxmoxOp('op.proxmox.stopVm', { vmid }));
    await this.waitTask(instanceId, 'stop', upid, this.timeouts.stopMs, proxmoxOp('op.proxmox.stopVm', { vmid }));
  }

  private async shutdownVm(instanceId: string, node: string, vmid: number): Promise<void> {
    const timeout = this.options.shutdownTimeoutSec ?? 60;
    this.progress(instanceId, 'stop', errorText('progress.proxmox.shuttingDown', { vmid }));
    const upid = await this.client.post<string>(`/nodes/${node}/qemu/${vmid}/status/shutdown`, { forceStop: true, timeout }, proxmoxOp('op.proxmox.shutDownVm', { vmid }));
    await this.waitTask(instanceId, 'stop', upid, timeout * 1000 + this.timeouts.stopMs, proxmoxOp('op.proxmox.shutDownVm', { vmid }));
  }

  /** Deletes a clone this launch created, wherever the failed task left it. */
  private async destroyClone(instanceId: string, vmid: number, lockWaitMs: number): Promise<void> {
    const found = await this.findVm(vmid);
    if (!found) return; // Proxmox's own error path already removed it
    const vm = await this.waitUnlocked(found, lockWaitMs);
    if (vm.status === 'gone') return;
    const tagged = instanceFromTags(vm.tags);
    if (tagged ? tagged !== instanceId : !(await this.describedAs(vm, instanceId))) {
      this.options.log?.(`VM ${vmid} is not the clone of ${instanceId}; leaving it alone`);
      return;
    }
    await this.release(instanceId, { ...vm, tags: editTags(vm.tags, [TAG_MANAGED], (t) => t === TAG_KEEP) }, true);
  }

  /** The VM once no task holds a lock on it (clone, migrate, backup ...). */
  private async waitUnlocked(vm: VmResource, maxWaitMs = this.timeouts.lockWaitMs): Promise<VmResource> {
    const deadline = Date.now() + maxWaitMs;
    let current = vm;
    while (current.lock) {
      if (Date.now() >= deadline) {
        throw new ProxmoxError(
          'api',
          errorText('error.proxmox.vmLocked', { vmid: vm.vmid, node: current.node, lock: current.lock }),
          current.lock === 'clone'
            ? errorText('fix.proxmox.unlockClone', { node: current.node, vmid: vm.vmid })
            : errorText('fix.proxmox.waitForLock'),
          { proxmoxMessage: `VM is locked (${current.lock})` },
        );
      }
      await new Promise((r) => setTimeout(r, 500));
      const again = await this.findVm(vm.vmid);
      if (!again) return { ...current, lock: undefined, status: 'gone' };
      current = again;
    }
    return current;
  }

  private async describedAs(vm: VmResource, instanceId: string): Promise<boolean> {
    try {
      const conf = await this.client.get<{ description?: string }>(`/nodes/${vm.node}/qemu/${vm.vmid}/config`, {}, proxmoxOp('op.proxmox.readVmSettings', { vmid: vm.vmid }));
      return instanceFromDescription(conf.description) === instanceId;
    } catch {
      return false;
    }
  }

  private async addTags(node: string, vmid: number, tags: string[]): Promise<void> {
    await this.editVmTags(node, vmid, (current) => editTags(current, tags));
  }

  /** Sets `clipboard=vnc` in the clone's `vga` (needs VM.Config.HWType). */
  private async enableVncClipboard(node: string, vmid: number): Promise<void> {
    const path = `/nodes/${node}/qemu/${vmid}/config`;
    const conf = await this.client.get<{ vga?: string; digest?: string }>(path, {}, proxmoxOp('op.proxmox.readVmSettings', { vmid }));
    const vga = withVncClipboard(conf.vga);
    if (vga !== conf.vga) await this.client.put(path, { vga, digest: conf.digest }, proxmoxOp('op.proxmox.setClipboard', { vmid }));
  }

  private async editVmTags(node: string, vmid: number, edit: (tags: string | undefined) => string): Promise<void> {
    const path = `/nodes/${node}/qemu/${vmid}/config`;
    const conf = await this.client.get<{ tags?: string; digest?: string }>(path, {}, proxmoxOp('op.proxmox.readVmSettings', { vmid }));
    const next = edit(conf.tags);
    if (next === (conf.tags ?? '')) return;
    await this.client.put(path, next ? { tags: next, digest: conf.digest } : { delete: 'tags', digest: conf.digest }, proxmoxOp('op.proxmox.tagVm', { vmid }));
  }

  /** Asked of the node: /cluster/resources says "template" up to 10 s after a conversion (pvestatd). */
  private async isTemplateNow(vm: VmResource): Promise<boolean> {
    const conf = await this.client.get<{ template?: number }>(`/nodes/${vm.node}/qemu/${vm.vmid}/config`, {}, proxmoxOp('op.proxmox.readVmSettings', { vmid: vm.vmid }));
    return conf.template === 1;
  }

  private async findVm(vmid: number): Promise<VmResource | undefined> {
    return qemuVms(await clusterResources(this.client, 'vm')).find((v) => v.vmid === vmid);
  }

  /** The VM tagged with (or, untagged, lent to) the instance. */
  private async locate(instanceId: string): Promise<VmResource> {
    const bound = this.untagged.get(instanceId);
    const vm = qemuVms(await clusterResources(this.client, 'vm')).find((v) =>
      bound === undefined ? instanceFromTags(v.tags) === instanceId : v.vmid === bound,
    );
    if (!vm) throw new ProxmoxError('api', errorText('error.proxmox.vmGone'), errorText('fix.instance.startNew'));
    return vm;
  }

  private async waitTask(instanceId: string, step: ProxmoxStep, upid: string, timeoutMs: number, doing: ProxmoxDoing): Promise<void> {
    try {
      await this.client.waitForTask(upid, {
        timeoutMs,
        doing,
        onProgress: (p: TaskProgress) => {
          for (const line of p.lines) if (!/^TASK /.test(line)) this.progress(instanceId, step, line);
        },
      });
    } catch (err) {
      if (err instanceof ProxmoxError && err.taskLog) for (const line of err.taskLog) this.record(instanceId, line);
      throw err;
    }
  }

  private checkCancelled(launch: Launch): void {
    if (launch.cancelled) throw new LaunchCancelled();
  }

  private async closeBridge(instanceId: string): Promise<void> {
    const open = this.bridges.get(instanceId);
    this.bridges.delete(instanceId);
    await open?.bridge.close();
  }

  /** A step in DaaS Desktop's words (translatable), or a task log line in Proxmox's (verbatim). */
  private progress(instanceId: string, step: ProxmoxStep, message: string | ErrorText): void {
    const english = typeof message === 'string' ? message : message.text;
    this.record(instanceId, english);
    this.options.onProgress?.({ instanceId, step, message: english, ...(typeof message === 'string' ? {} : { text: { key: message.key, params: message.params } }) });
  }

  /** Keeps the instance's recent steps and task output for tail() (the log panel). */
  private record(instanceId: string, line: string): void {
    const log = this.taskLogs.get(instanceId) ?? [];
    log.push(line);
    if (log.length > 1000) log.splice(0, log.length - 1000);
    this.taskLogs.set(instanceId, log);
  }

  private vmMissing(vmid: number): ProxmoxError {
    return new ProxmoxError(
      'api',
      errorText('error.proxmox.noSuchVm', { ...this.client.whoParams, vmid }),
      errorText('fix.proxmox.checkVmid', { ...this.client.whoParams }),
    );
  }

  private notATemplate(vmid: number): ProxmoxError {
    return new ProxmoxError(
      'api',
      errorText('error.proxmox.notATemplate', { vmid }),
      errorText('fix.proxmox.convertToTemplate'),
    );
  }

  private isATemplate(vmid: number): ProxmoxError {
    return new ProxmoxError('api', errorText('error.proxmox.isATemplate', { vmid }), errorText('fix.proxmox.cloneInstead'));
  }
}
