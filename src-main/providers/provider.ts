// The one interface every backend (Docker, Proxmox) implements.
import type { InstanceInspect, InstanceStats } from '../../src-shared/contract';
import type { RDP_SECURITY } from '../../src-shared/app-config';
import type { ErrorText } from '../../src-shared/error-texts';
import type { App, DesktopProtocol, InstanceState } from '../../src-shared/model';
import type { DesktopAudio } from '../display/audio/desktop-audio';
import type { DesktopFiles } from '../display/files/desktop-files';
import type { HomeArchive } from '../display/files/home-archive';

export interface LaunchSpec {
  instanceId: string;
  appId: string;
  /** A human-readable, unique name for the resource. */
  name: string;
  /**
   * The app's configuration for its backend, as that backend's `launchConfig` made it
   * (providers.ts); the provider checks its shape before using it.
   */
  config: unknown;
  vncPassword: string;
  desktopWidth: number;
  desktopHeight: number;
  /**
   * The desktop is shown through a guacd, whose own PulseAudio client (audio-servername) must
   * reach its sound server: on a port published on this machine's 127.0.0.1, and from the
   * addresses in `allowFrom` (the app's own guacd, on the network the desktop joins). Absent: no.
   */
  guacdSound?: { allowFrom: readonly string[] };
}

/** Where the launched desktop can be reached from this machine. */
export interface Launched {
  resourceId: string;
  host: string;
  port: number;
  /** Set when the backend fixes the VNC password itself (instead of vncPassword). */
  password?: string;
  /**
   * 'rdp': an RDP desktop (through guacd). It has no banner to wait for: the provider
   * returns once the guest reports its address. Absent: VNC.
   */
  protocol?: DesktopProtocol;
}

/** What the display path needs to show an instance's desktop. */
export interface DisplayTarget {
  protocol: DesktopProtocol;
  host: string;
  port: number;
  password: string;
  /** Where a guacd on this machine reaches the desktop's sound server (LaunchSpec.guacdSound). */
  audio?: { host: string; port: number };
  /**
   * The VNC server is across a network although `host` is this machine's loopback (a console
   * bridge relays to it): its pixels are asked for compressed, not raw (see rfb/encodings.ts).
   */
  overNetwork?: boolean;
  /** RDP login options (with protocol 'rdp'); `driveRedirection`: guacd redirects a drive into the desktop. */
  rdp?: { username?: string; domain?: string; security: (typeof RDP_SECURITY)[number]; ignoreCert: boolean; driveRedirection?: boolean };
  /**
   * The desktop's SFTP server (with protocol 'vnc'), for a guacd to move the viewer's files:
   * where this machine reaches it (`host`, `port`), its port on the desktop's own network
   * (`internalPort`, for a guacd that joins it), and the user, who logs in with `password`.
   */
  sftp?: { host: string; port: number; internalPort: number; username: string; directory: string | null };
}

/** An instance whose desktop is about to be shown, as the store knows it. */
export interface DisplayRequest {
  instanceId: string;
  /** Its stored connection. */
  connection: { host: string; port: number; password: string };
  /** Its app (undefined once the app is deleted). */
  app: App | undefined;
  /** Reads the app's sealed display password. */
  displayPassword(): Promise<string | undefined>;
}

export interface OwnedResource {
  resourceId: string;
  instanceId: string;
  appId: string;
  running: boolean;
  /**
   * The resource carries no owner mark (made by a version before owner tags): it may belong
   * to another installation, so reconcile only touches it when it has a row for its instance.
   */
  ownerUnknown?: true;
}

/** Something that happened to a resource outside the app's own calls. */
export interface ResourceEvent {
  instanceId: string;
  kind: 'died' | 'removed';
  exitCode: number | null;
}

/** A shell inside an instance (a terminal): text in, text out, until it exits or is closed. */
export interface ShellSession {
  write(data: string): void;
  resize(cols: number, rows: number): Promise<void>;
  /** Decoded UTF-8 output, in order. */
  onData(listener: (text: string) => void): void;
  onExit(listener: () => void): void;
  /** Ends the shell and everything started in it. */
  close(): Promise<void>;
}

/** An instance whose resource is to become the start of a new app ("Save as new app…"). */
export interface SaveRequest {
  instanceId: string;
  /** Its name, for messages. */
  name: string;
  state: InstanceState;
  /** The resource as the row recorded it (a kept VM is found by it after its instance stopped). */
  resourceId: string | null;
  /** The new app's name (a committed image is named after it). */
  appName: string;
  /** A step of the work, for the instance's progress line. */
  progress(text: ErrorText): void;
}

export interface Provider {
  /** Fails fast, with a DaasError, when the backend or the app's image or VM is unusable. */
  preflight(app: App): Promise<void>;
  /** Creates and starts the resource. Calls onCreated as soon as it exists, before starting it. */
  launch(spec: LaunchSpec, onCreated: (resourceId: string) => Promise<void>): Promise<Launched>;
  /** Restarts the instance's resource; its address may change. */
  restart(instanceId: string): Promise<Launched>;
  /** The last lines the resource printed. */
  tail(instanceId: string, lines: number, options?: { timestamps?: boolean }): Promise<string>;
  stats(instanceId: string): Promise<InstanceStats>;
  /** The resource's configuration, secrets masked here, and the list's summary of it. */
  inspect?(instanceId: string): Promise<InstanceInspect>;
  /** A shell inside the instance. Absent: the backend has none to offer (a VM's console is its desktop). */
  openShell?(instanceId: string, size: { cols: number; rows: number }): Promise<ShellSession>;
  /** Stops and removes everything belonging to the instance. Succeeds if nothing is left. */
  remove(instanceId: string, options?: { force?: boolean; resourceId?: string }): Promise<void>;
  /**
   * Where the instance's desktop answers now, for a backend whose address can change behind
   * the app's back (an engine restarting a container publishes it on a new port).
   */
  currentAddress?(instanceId: string): Promise<{ host: string; port: number }>;
  /**
   * Where the desktop is shown from, opening what lives only in this process (a console
   * bridge) if needed. Absent: the stored connection is the target, over VNC.
   */
  displayTarget?(request: DisplayRequest): Promise<DisplayTarget>;
  /**
   * Keeps what the instance's resource holds now as the start of a new app (a committed image,
   * a template) and returns the fields of the app's backend section that start from it.
   * Absent: the backend cannot.
   */
  saveAsApp?(request: SaveRequest): Promise<Record<string, unknown>>;
  /** Freezes a prepared (warm-pool) instance's desktop until it is handed out. Absent: it stays running. */
  holdWarm?(instanceId: string): Promise<void>;
  /** Lets a held instance run again, at once. */
  releaseWarm?(instanceId: string): Promise<void>;
  /** Writes files into an instance's desktop (a viewer's uploads). Absent: the backend cannot. */
  readonly files?: DesktopFiles;
  /** Packs and unpacks the desktop's home as a .tar.gz. Absent: the backend cannot. */
  readonly homeArchive?: HomeArchive;
  /** Records the desktop's sound and plays a microphone into it. Absent: the backend cannot. */
  readonly audio?: DesktopAudio;
  /** The app's desktop gets a drive redirected through guacd (its folder is made at start). Absent: never. */
  redirectsDrive?(app: App | undefined): boolean;
  /** The address and password of a labelled resource that has no instance row (adoption). */
  connectionOf(resourceId: string): Promise<{ host: string; port: number; password: string }>;
  runningCount(): Promise<number>;
  /** Every resource this app created, found by its labels. */
  listOwned(): Promise<OwnedResource[]>;
  /** Follows the backend's events, reconnecting when the stream drops; returns a stop function. */
  watch(onEvent: (event: ResourceEvent) => void, onReconnect: () => void): () => void;
}
