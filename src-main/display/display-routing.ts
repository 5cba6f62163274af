// Which gateway shows an instance's desktop, and with what: the provider says where the
// desktop is (protocol, address, credentials), the app's display setting picks the gateway
// (embedded, or a guacd), and the clipboard settings become the ticket's parameters.
import type { App } from '../../src-shared/model';
import { DaasError } from '../../src-shared/errors';
import { errorText } from '../../src-shared/error-texts';
import type { UserSettings } from '../config/user-settings';
import { NETWORK_ENCODING_NAMES } from '../rfb/encodings';
import type { DisplayTarget, Provider } from '../providers/provider';
import type { Providers } from '../providers/providers';
import type { AppsRepository } from '../store/apps-repository';
import type { InstanceRecord, InstancesRepository } from '../store/instances-repository';
import type { DisplayService, DisplayTicket, GuacdEndpoint } from './display-service';
import { DEFAULT_TRANSFER_FOLDER } from './files/desktop-files';
import { DRIVE_NAME, type DriveFolders } from './guacd/drive-folders';
import type { RunningGuacd } from './guacd/guacd-runner';
import type { SftpParameters } from './guacd/parameters';

/** Where an app's display goes with gateway 'guacd' and no address anywhere: guacd's own default. */
const DEFAULT_GUACD: GuacdEndpoint = { host: '127.0.0.1', port: 4822 };

export interface DisplayRoutingDeps {
  apps: AppsRepository;
  instances: InstancesRepository;
  providers: Providers;
  userSettings: UserSettings;
  display: DisplayService;
  /** The guacd the app runs itself (setting guacdContainerImage), if any. */
  ownGuacd: RunningGuacd | null;
  /** The folders guacd redirects into RDP desktops as a drive. */
  drives: DriveFolders;
}

export class DisplayRouting {
  /** Targets of held desktops (see heldTarget). */
  private readonly heldTargets = new Map<string, DisplayTarget>();

  constructor(private readonly deps: DisplayRoutingDeps) {}

  /** A ticket that opens the (viewable) instance's desktop. */
  async connect(instance: InstanceRecord, size: { width?: number; height?: number }, readOnly: boolean | undefined): Promise<DisplayTicket> {
    const { apps, providers, userSettings, display } = this.deps;
    const app = await apps.get(instance.appId);
    const source = providers.displaySource(instance.provider, instance.endpointId);
    const found = this.heldTarget(instance.id) ?? (await this.target(source, instance.id));
    if (!found) {
      throw new DaasError('DISPLAY_UNAVAILABLE', errorText('error.display.noAddress'), errorText('fix.display.waitUntilRunning'));
    }
    const { clipboardToDesktop, clipboardFromDesktop, fileUpload, fileDownload, maxTransferSizeMiB, audio, microphone } = await userSettings.get();
    const target = { host: found.host, port: found.port, password: found.password, readOnly };
    const clipboard = { disableCopy: !clipboardFromDesktop, disablePaste: !clipboardToDesktop };
    // guacd's own file transfer (an RDP drive, SFTP) follows the same policy as the gateway's.
    const transfer = { disableUpload: !fileUpload || !!readOnly, disableDownload: !fileDownload };
    if (found.protocol === 'rdp') {
      const guacd = (await this.routeFor(app, 'rdp')) as GuacdEndpoint;
      const { driveRedirection, ...rdp } = found.rdp ?? { security: 'any' as const, ignoreCert: false };
      const drive = driveRedirection ? { path: await this.deps.drives.create(instance.id), name: DRIVE_NAME, createPath: true, ...transfer } : undefined;
      // guacd's RDP sound (policy audio) and microphone (policy microphone and the app's own
      // option; never for a watcher), the same rules as the embedded gateway's.
      const sound = { disableAudio: !audio, enableAudioInput: microphone && app?.display.microphone === true && !readOnly };
      return display.issueTicket(instance.id, target, size, {
        guacd,
        protocol: 'rdp',
        params: { ...clipboard, ...sound, ...rdp, ...(drive ? { drive } : {}) },
        ...(drive ? { guacdFiles: { upload: !transfer.disableUpload, download: !transfer.disableDownload } } : {}),
      });
    }
    const via = await this.throughOwnGuacd(instance, { ...target, audio: found.audio }, await this.routeFor(app, 'vnc'));
    const sftp = via.route !== 'embedded' && found.sftp ? sftpParameters(found, via.target.host !== target.host ? via.target.host : null, transfer) : undefined;
    // A backend that reaches the desktop's files lets the viewer send and fetch some (policy
    // fileUpload, fileDownload; a read-only viewer fetches only).
    const files = source?.files && {
      files: source.files,
      upload: fileUpload && !readOnly,
      download: fileDownload,
      maxBytes: maxTransferSizeMiB * 1024 * 1024,
      folder: providers.transferFolder(app) ?? DEFAULT_TRANSFER_FOLDER,
    };
    // A backend that reaches the desktop's sound server plays it (policy audio) and takes the
    // viewer's microphone (policy microphone and the app's own option; never for a watcher).
    const sound = source?.audio && {
      audio: source.audio,
      playback: audio,
      microphone: microphone && app?.display.microphone === true && !readOnly,
    };
    // A guacd plays the desktop's sound itself, from its sound server (policy audio); it has
    // no microphone path for VNC.
    const guacdSound = via.route !== 'embedded' && audio && via.target.audio ? { enableAudio: true, audioServername: `${via.target.audio.host}:${via.target.audio.port}` } : {};
    return display.issueTicket(instance.id, via.target, size, {
      guacd: via.route,
      params: { ...clipboard, ...guacdSound, ...(found.overNetwork ? { encodings: NETWORK_ENCODING_NAMES } : {}), ...(sftp ? { sftp } : {}) },
      ...(sftp ? { guacdFiles: { upload: !transfer.disableUpload, download: !transfer.disableDownload } } : {}),
      ...(files ? { files } : {}),
      ...(sound ? { audio: sound } : {}),
    });
  }

  /**
   * A prepared instance's desktop, opened in the embedded gateway ahead of its viewer (see
   * DisplayService.hold), where that gateway will show it: a VNC desktop of an app whose display
   * does not go through a guacd. Resolves true once its picture is ready.
   */
  async hold(instance: InstanceRecord): Promise<boolean> {
    const { apps, providers, display } = this.deps;
    const app = await apps.get(instance.appId);
    if ((await this.routeFor(app, 'vnc')) !== 'embedded') return false;
    const found = this.heldTarget(instance.id) ?? (await this.target(providers.displaySource(instance.provider, instance.endpointId), instance.id));
    if (!found || found.protocol !== 'vnc') return false;
    this.heldTargets.set(instance.id, found);
    return display.hold(instance.id, { host: found.host, port: found.port, password: found.password });
  }

  /** The instance's desktop need not be held any more (it stopped, or was discarded unviewed). */
  release(instanceId: string): void {
    this.heldTargets.delete(instanceId);
    this.deps.display.release(instanceId);
  }

  /**
   * Where a held desktop is, as found when its connection was opened: while that connection
   * lives the desktop has not moved, and a hand-out or its viewer's ticket need not ask the
   * engine again (a `docker inspect` waits behind the unpause running just then).
   */
  private heldTarget(instanceId: string): DisplayTarget | undefined {
    if (this.deps.display.holds(instanceId)) return this.heldTargets.get(instanceId);
    this.heldTargets.delete(instanceId);
    return undefined;
  }

  /** An instance is running: its redirected drive's folder is made now, before its window opens. */
  async prepare(instance: InstanceRecord): Promise<void> {
    const app = await this.deps.apps.get(instance.appId);
    const source = this.deps.providers.displaySource(instance.provider, instance.endpointId);
    if (source?.redirectsDrive?.(app)) await this.deps.drives.create(instance.id);
  }

  /**
   * Whether the app's VNC desktops go through a guacd now (its own choice, or the global one):
   * such a desktop's sound server must be reachable by guacd (LaunchSpec.guacdSound).
   */
  async showsThroughGuacd(app: App): Promise<boolean> {
    return (await this.routeFor(app, 'vnc')) !== 'embedded';
  }

  /** The address the guacd the app runs comes from, if it runs one (see showsThroughGuacd). */
  get ownGuacdAddress(): string | undefined {
    return this.deps.ownGuacd?.dialsFrom;
  }

  /** After a restart of the app: reopens what only lived in the previous process (a console bridge). */
  async resume(provider: Provider, instanceId: string): Promise<void> {
    if (provider.displayTarget) await this.target(provider, instanceId);
  }

  /**
   * Where the desktop is and how to log in: the provider's own target, else the stored
   * connection over VNC. A provider's new port is stored for the next time.
   */
  private async target(source: Provider | undefined, instanceId: string): Promise<DisplayTarget | undefined> {
    const { apps, instances } = this.deps;
    const connection = await instances.getConnection(instanceId);
    if (!connection) return undefined;
    if (!source?.displayTarget) return { protocol: 'vnc', host: connection.host, port: connection.port, password: connection.password };
    const record = await instances.get(instanceId);
    const app = record && (await apps.get(record.appId));
    const target = await source.displayTarget({ instanceId, connection, app, displayPassword: () => apps.displayPassword(app!.id) });
    if (target.port !== connection.port) await instances.setConnectionPort(instanceId, target.port);
    return target;
  }

  /**
   * The route of an app's display tickets: its own choice, or (gateway 'default') the global
   * guacd setting as it is now. RDP always needs a guacd: the global one, else 127.0.0.1:4822.
   */
  private async routeFor(app: App | undefined, protocol: 'vnc' | 'rdp'): Promise<GuacdEndpoint | 'embedded'> {
    const gateway = app?.display.gateway ?? 'default';
    // The guacd address in the settings, else the guacd the app runs, if any.
    const own = this.deps.ownGuacd;
    const global = (await this.deps.userSettings.get()).guacd ?? (own ? { host: own.host, port: own.port } : null);
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

  /**
   * The guacd the app runs may reach a desktop itself (the guacd container's own bridge
   * network, which a desktop of the same engine joins): it is dialled there. A VNC target on
   * this machine's loopback that it cannot reach (a console bridge) is shown by the
   * embedded gateway instead.
   */
  private async throughOwnGuacd<T extends { host: string; port: number; audio?: { host: string; port: number } }>(
    instance: InstanceRecord,
    target: T,
    route: GuacdEndpoint | 'embedded',
  ): Promise<{ target: T; route: GuacdEndpoint | 'embedded' }> {
    const own = this.deps.ownGuacd;
    if (!own || route === 'embedded' || route.host !== own.host || route.port !== own.port) return { target, route };
    const reached = await own.reach(instance);
    if (reached) {
      // Its sound server, too, on the network they share (the published loopback port is not guacd's).
      const audio = reached.audioPort === undefined ? undefined : { host: reached.host, port: reached.audioPort };
      return { target: { ...target, host: reached.host, port: reached.port, audio }, route };
    }
    return /^(127\.|::1$|localhost$)/.test(target.host) ? { target, route: 'embedded' } : { target, route };
  }
}

/**
 * guacd's SFTP to the desktop: at its published loopback port, or (`networkHost`: a guacd that
 * joins the desktop's network) at its own port there. The user logs in with the desktop's
 * password (the image sets it from VNC_PASSWORD); it travels in the ticket like the VNC one.
 */
function sftpParameters(
  target: DisplayTarget,
  networkHost: string | null,
  transfer: { disableUpload: boolean; disableDownload: boolean },
): SftpParameters {
  const server = target.sftp!;
  return {
    hostname: networkHost ?? server.host,
    port: networkHost ? server.internalPort : server.port,
    username: server.username,
    password: target.password,
    ...(server.directory ? { directory: server.directory } : {}),
    ...transfer,
  };
}
