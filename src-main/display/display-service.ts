// Entry point of the display path: the embedded VNC gateway plus the WebSocket tunnel, both on
// loopback ephemeral ports, and the tickets that let one viewer window reach one instance.
import type { DisplayUsage } from '../../src-shared/contract';
import type { ActivitySource } from '../lifecycle/idle-monitor';
import { AUDIO_GRANT_ARG, AudioGrant } from './audio/audio-grants';
import { FILE_GRANT_ARG, FileGrant, FileGrants } from './files/file-grants';
import { Gateway, startGateway } from './gateway';
import type { HeldConnection } from './gateway/protocol';
import { RdpParameters, toGuacdParameters, VncParameters } from './guacd/parameters';
import { MAX_TICKET_TTL_MS, TicketVault } from './tokens';
import { DisplayTunnel, startTunnel } from './tunnel';
import { HOME_TRANSFER_PATH, HomeTransfers, type HomeTransferGrant } from './home-transfer';
import { TransferLanes } from './files/transfer-lanes';
import { LANE_PATH } from '../../src-shared/file-transfer';

export interface VncTarget {
  host: string;
  port: number;
  password: string;
  /** A viewer that may watch but not type, point, paste or resize. */
  readOnly?: boolean;
}

/** An Apache guacd (or anything speaking its protocol) at host:port. */
export interface GuacdEndpoint {
  host: string;
  port: number;
}

export interface DisplayTicket {
  /** e.g. ws://127.0.0.1:PORT/ */
  tunnelUrl: string;
  /** Opaque to the renderer; pass as `token=` + encodeURIComponent(token). */
  token: string;
  /** See src-shared/contract.ts DisplayTicket. */
  sound?: { playback: boolean; microphone: boolean };
}

/** guacd parameters beyond the target's address, password and read-only flag. */
export type VncTicketParams = Omit<VncParameters, 'protocol' | 'hostname' | 'port' | 'password' | 'readOnly'>;
export type RdpTicketParams = Omit<RdpParameters, 'protocol' | 'hostname' | 'port' | 'password' | 'readOnly'>;

/**
 * How one ticket's connection is made. `guacd`: an external guacd for this ticket only, or
 * 'embedded' for the embedded gateway; absent: the service's default (see `start`). RDP needs a guacd.
 */
export type TicketOptions =
  | {
      guacd?: GuacdEndpoint | 'embedded';
      protocol?: 'vnc';
      params?: VncTicketParams;
      /** Files the viewer may send into the desktop (the embedded gateway only); absent: none. */
      files?: Omit<FileGrant, 'instanceId'>;
      /** Sound and microphone (the embedded gateway only); absent: neither. */
      audio?: Omit<AudioGrant, 'instanceId'>;
      /** Files a guacd moves itself (its SFTP): what the viewer may offer. */
      guacdFiles?: GuacdFiles;
    }
  | { guacd?: GuacdEndpoint; protocol: 'rdp'; params?: RdpTicketParams; /** Files guacd moves itself (its redirected drive). */ guacdFiles?: GuacdFiles };

/** A guacd's own file transfer (an RDP drive, SFTP): whether the viewer may send and fetch. */
export interface GuacdFiles {
  upload: boolean;
  download: boolean;
}

/** What the viewer hears and may send, as the ticket's route decides it (for its controls). */
function soundOf(options: TicketOptions, grant: Omit<AudioGrant, 'instanceId'> | undefined): DisplayTicket['sound'] {
  if (options.protocol === 'rdp') return { playback: options.params?.disableAudio !== true, microphone: options.params?.enableAudioInput === true };
  if (grant) return { playback: grant.playback, microphone: grant.microphone };
  // A guacd records a VNC desktop's sound itself; it takes no microphone for VNC.
  return options.params?.enableAudio ? { playback: true, microphone: false } : undefined;
}

export interface DisplayServiceOptions {
  log?: (message: string) => void;
  /** Extra 1 s-spaced attempts when a desktop is not listening yet (default 3). */
  connectRetries?: number;
  /** Route displays through this external guacd by default instead of the embedded gateway. */
  guacd?: GuacdEndpoint;
}

/** How long a held connection may wait for its picture before the caller goes on without it. */
const HOLD_READY_MS = 5_000;

export class DisplayService implements ActivitySource {
  /** Desktop connections opened before their viewers, by instance (see hold). */
  private readonly held = new Map<string, { connection: HeldConnection; expiry: NodeJS.Timeout | null }>();

  private constructor(
    private readonly gateway: Gateway,
    private readonly defaultGuacd: GuacdEndpoint | null,
    private readonly tunnel: DisplayTunnel,
    private readonly vault: TicketVault,
    private readonly connectRetries: number,
    private readonly fileGrants: FileGrants,
    private readonly audioGrants: FileGrants<AudioGrant>,
    private readonly homeTransfers: HomeTransfers,
    private readonly lanes: TransferLanes,
  ) {}

  static async start(options: DisplayServiceOptions = {}): Promise<DisplayService> {
    // The embedded gateway always runs (an idle loopback listener costs nothing), so single
    // tickets can use it even when an external guacd is the default.
    const fileGrants = new FileGrants(MAX_TICKET_TTL_MS);
    const audioGrants = new FileGrants<AudioGrant>(MAX_TICKET_TTL_MS);
    // File bytes take the tunnel's transfer lanes, issued by the gateway per stream (transfer-lanes.ts).
    const lanes = new TransferLanes();
    const gateway = await startGateway({ host: '127.0.0.1', port: 0, session: { log: options.log, files: fileGrants, audio: audioGrants, lanes } });
    try {
      const vault = new TicketVault();
      const guacd = options.guacd ?? { host: gateway.host, port: gateway.port };
      const homeTransfers = new HomeTransfers(MAX_TICKET_TTL_MS);
      const tunnel = await startTunnel({ vault, guacd, log: options.log, routes: { [HOME_TRANSFER_PATH]: homeTransfers.upgrade, [LANE_PATH]: lanes.upgrade } });
      return new DisplayService(gateway, options.guacd ? { ...options.guacd } : null, tunnel, vault, options.connectRetries ?? 3, fileGrants, audioGrants, homeTransfers, lanes);
    } catch (err) {
      await gateway.close();
      throw err;
    }
  }

  /** Where viewers' connections are served by default: the embedded gateway's or the external guacd's address. */
  get backend(): { kind: 'embedded' | 'guacd'; host: string; port: number } {
    return this.defaultGuacd
      ? { kind: 'guacd', ...this.defaultGuacd }
      : { kind: 'embedded', host: this.gateway.host, port: this.gateway.port };
  }

  /** The embedded gateway's own address (it speaks the protocols in `gateway.protocols`). */
  get embedded(): { host: string; port: number } {
    return { host: this.gateway.host, port: this.gateway.port };
  }

  /**
   * A single-use ticket, valid for 30 s, that opens the display of one instance, through the
   * guacd `options.guacd` names (or the service's default), with guacd's parameters for
   * `options.protocol` (VNC by default; one the embedded gateway does not speak needs an external guacd).
   */
  issueTicket(
    instanceId: string,
    target: VncTarget,
    size: { width?: number; height?: number } = {},
    options: TicketOptions = {},
  ): DisplayTicket {
    const guacd = this.route(options);
    const type = options.protocol ?? 'vnc';
    if (!guacd && !this.gateway.protocols.includes(type)) {
      const spoken = this.gateway.protocols.map((p) => p.toUpperCase()).join(', ');
      throw new RangeError(`${type.toUpperCase()} needs an external guacd: the embedded gateway speaks ${spoken} only`);
    }
    // The same guacd parameters serve the embedded gateway and an external guacd.
    let settings: Record<string, string | number>;
    if (options.protocol === 'rdp') {
      settings = toGuacdParameters({
        ...options.params,
        protocol: 'rdp',
        hostname: target.host,
        port: target.port,
        password: target.password,
        readOnly: target.readOnly,
      });
    } else {
      settings = this.vncParameters(target, options.params);
    }
    if (size.width) settings.width = size.width;
    if (size.height) settings.height = size.height;
    // Only the embedded gateway takes file streams; the grant stays in this process, the ticket names it.
    const files = !guacd && options.protocol !== 'rdp' ? options.files : undefined;
    if (files) settings[FILE_GRANT_ARG] = this.fileGrants.issue({ ...files, instanceId });
    const audio = !guacd && options.protocol !== 'rdp' ? options.audio : undefined;
    if (audio) settings[AUDIO_GRANT_ARG] = this.audioGrants.issue({ ...audio, instanceId });
    const token = this.vault.issue(instanceId, { type, settings }, { guacd: guacd ?? this.embedded });
    // The viewer shows the file controls the connection serves: the gateway's grant, or guacd's own.
    const offered = files ? { upload: files.upload, download: files.download } : guacd ? options.guacdFiles : undefined;
    const sound = soundOf(options, audio);
    return { tunnelUrl: this.tunnel.url, token, ...(offered ? { files: { ...offered } } : {}), ...(sound ? { sound } : {}) };
  }

  /** guacd's parameters for a VNC target, the same for a ticket and a held connection (so they share it). */
  private vncParameters(target: VncTarget, params: VncTicketParams | undefined): Record<string, string | number> {
    return toGuacdParameters({
      // A desktop that is (re)starting may not listen yet when its window opens.
      autoretry: this.connectRetries,
      ...params,
      protocol: 'vnc',
      hostname: target.host,
      port: target.port,
      password: target.password,
      readOnly: target.readOnly,
    });
  }

  /**
   * Opens the instance's VNC desktop in the embedded gateway before any viewer asks (a prepared
   * instance's), and keeps it open with its picture current and encoded until the first viewer
   * takes it over or `release` is called: that viewer's first frame comes from memory. Resolves
   * true once the picture is ready (false: the desktop could not be reached or took too long).
   */
  async hold(instanceId: string, target: VncTarget): Promise<boolean> {
    let entry = this.held.get(instanceId);
    if (entry?.connection.closed) this.release(instanceId);
    entry = this.held.get(instanceId);
    if (!entry) {
      const connection = this.gateway.hold('vnc', this.vncParameters(target, undefined));
      if (!connection) return false;
      entry = { connection, expiry: null };
      this.held.set(instanceId, entry);
    }
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), HOLD_READY_MS).unref()));
    try {
      return await Promise.race([entry.connection.ready, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Whether the instance's desktop connection is held and open (see hold). */
  holds(instanceId: string): boolean {
    const entry = this.held.get(instanceId);
    return entry !== undefined && !entry.connection.closed;
  }

  /** The instance's held connection (if any) is released `afterMs` from now, unless a viewer took it over. */
  releaseAfter(instanceId: string, afterMs: number): void {
    const entry = this.held.get(instanceId);
    if (!entry) return;
    if (entry.expiry) clearTimeout(entry.expiry);
    entry.expiry = setTimeout(() => this.release(instanceId), afterMs);
    entry.expiry.unref();
  }

  /** Releases the instance's held connection: nobody views it, it closes. */
  release(instanceId: string): void {
    const entry = this.held.get(instanceId);
    if (!entry) return;
    this.held.delete(instanceId);
    if (entry.expiry) clearTimeout(entry.expiry);
    entry.connection.release();
  }

  /** The address of one home transfer (home-transfer.ts), on the tunnel's listener; usable once, for 30 s. */
  issueHomeTransfer(grant: HomeTransferGrant): string {
    const ticket = this.homeTransfers.issue(grant);
    return `ws://${this.tunnel.host}:${this.tunnel.port}${HOME_TRANSFER_PATH}?ticket=${ticket}`;
  }

  /** The external guacd a ticket goes through, or null for the embedded gateway. */
  private route(options: TicketOptions): GuacdEndpoint | null {
    if (options.guacd === 'embedded') return null;
    const guacd = options.guacd ?? this.defaultGuacd;
    if (!guacd) return null;
    if (!guacd.host || !Number.isInteger(guacd.port) || guacd.port <= 0 || guacd.port > 65535) {
      throw new RangeError(`invalid guacd address ${guacd.host}:${guacd.port}`);
    }
    return guacd;
  }

  /** Viewers connected to an instance now (ActivitySource, for idle auto-stop). */
  viewerCount(instanceId: string): number {
    return this.tunnel.viewerCount(instanceId);
  }

  /** What the display path holds now: for diagnostics, and for soak tests to see it all come back. */
  usage(): DisplayUsage {
    return { viewers: this.tunnel.viewerTotal, vncConnections: this.gateway.connectionCount, tickets: this.vault.remembered };
  }

  /** Last input from any viewer of the instance, or its last viewer disconnect (ms since the epoch). */
  lastActivityAt(instanceId: string): number | undefined {
    return this.tunnel.lastActivityAt(instanceId);
  }

  /** Closes every open viewer connection of an instance. */
  disconnectInstance(instanceId: string): void {
    this.tunnel.closeInstance(instanceId);
  }

  /**
   * Fault injection for tests: cuts the instance's viewer connections without a close
   * handshake, as a network failure would; viewers should reconnect by themselves.
   */
  dropViewerConnections(instanceId: string): number {
    return this.tunnel.dropInstance(instanceId);
  }

  async close(): Promise<void> {
    for (const id of [...this.held.keys()]) this.release(id);
    this.homeTransfers.close();
    this.lanes.close();
    await this.tunnel.close();
    await this.gateway.close();
  }
}
