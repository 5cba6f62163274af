// The one request/event contract between renderer windows and the main process.
// Electron IPC and the headless WebSocket host are two transports of it.
import { z } from 'zod';
import { appInputSchema } from './app-config';
import { SETTING_KEYS, settingSchemas, settingsLayerSchema, type SettingKey, type SettingsValues } from './settings';
import type { App, Instance } from './model';
import { DOCKER_URL_MESSAGE, DOCKER_URL_PATTERN } from './docker-endpoint-url';
import { DaasError, type ErrorInfo, type ErrorTextRef } from './errors';
import { errorText } from './error-texts';

const id = z.string().min(1).max(100).regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _ only');

/** Characters a catalogue file may have (catalogue.previewImport and catalogue.import). */
export const MAX_CATALOGUE_CHARS = 5 * 1024 * 1024;
const catalogueJson = z.string().max(MAX_CATALOGUE_CHARS);
const pem = z.string().max(64 * 1024).regex(/-----BEGIN [A-Z ]+-----/, 'paste the PEM text, starting with -----BEGIN');

/** Characters one terminal.input message may carry (a paste is split by the window). */
export const MAX_TERMINAL_INPUT = 4096;
/** Characters one terminal.output event carries at most (longer output comes as several). */
export const MAX_TERMINAL_OUTPUT = 32 * 1024;
const terminalSize = { cols: z.number().int().min(2).max(500), rows: z.number().int().min(2).max(300) };

/** Request payload schemas, checked at run time where they cross a process boundary. */

/** Creates (no id) or updates a Docker endpoint. tls: omitted keeps what is stored, null removes it. */
const dockerEndpointSave = z
  .object({
    id: id.optional(),
    name: z.string().trim().min(1, 'give the endpoint a name').max(80),
    url: z.string().trim().regex(DOCKER_URL_PATTERN, DOCKER_URL_MESSAGE),
    tls: z.object({ ca: pem, cert: pem, key: pem }).strict().nullable().optional(),
  })
  // Plain tcp:// beyond loopback is refused by the service (it knows the stored TLS) and the store.
  .strict();

/** Creates (no id) or updates a Proxmox endpoint. secret: omitted keeps the stored one. */
const proxmoxEndpointSave = z
  .object({
    id: id.optional(),
    name: z.string().trim().min(1, 'give the endpoint a name').max(80),
    url: z.string().trim().max(300).regex(/^https:\/\/[^\s/]+\/?$/, 'use https://HOST:8006'),
    authKind: z.enum(['token', 'password']),
    /** USER@REALM!TOKENID for a token, USER@REALM for a password. */
    principal: z.string().trim().min(1).max(200),
    secret: z.string().min(1).max(1000).optional(),
    tls: z.enum(['system', 'pinned', 'insecure']),
    fingerprint: z.string().max(200).optional(),
  })
  .strict();

export const requestSchemas = {
  'apps.list': z.object({}).strict(),
  'apps.create': z.object({ app: appInputSchema }).strict(),
  'apps.update': z.object({ appId: id, app: appInputSchema }).strict(),
  'apps.duplicate': z.object({ appId: id }).strict(),
  // deleteHomeVolume: remove the app's home volume too (refused while anything uses it).
  'apps.delete': z.object({ appId: id, deleteHomeVolume: z.boolean().optional() }).strict(),
  /** The whole catalogue as a JSON document (resources/schemas/catalogue.schema.json). */
  'catalogue.export': z.object({}).strict(),
  /** What importing the file would add, replace or refuse, and which entries are risky. Changes nothing. */
  'catalogue.previewImport': z.object({ json: catalogueJson }).strict(),
  /**
   * Applies a previewed file: the core checks it again and refuses it unless the preview (its
   * token) still holds. Adds the file's apps, replacing the user's own with the same id; built-in
   * and managed apps are never touched. All or nothing.
   */
  'catalogue.import': z.object({ json: catalogueJson, previewToken: z.string().max(100) }).strict(),
  /** Whether each app's image is present on its Docker endpoint. */
  'images.status': z.object({}).strict(),
  /** Builds an app's image from its recipe in resources/images; progress comes as image.progress events. */
  'images.build': z.object({ appId: id }).strict(),
  /** Pulls an app's image from its registry; per-layer progress comes as image.progress events. */
  'images.pull': z.object({ appId: id }).strict(),
  'instances.list': z.object({}).strict(),
  'instances.start': z.object({ appId: id }).strict(),
  'instances.stop': z.object({ instanceId: id }).strict(),
  /** Kills the container at once instead of asking it to stop. */
  'instances.forceStop': z.object({ instanceId: id }).strict(),
  'instances.restart': z.object({ instanceId: id }).strict(),
  'instances.stopAll': z.object({}).strict(),
  /** The instance's last log lines (poll to follow). */
  'instances.logs': z
    .object({
      instanceId: id,
      lines: z.number().int().min(1).max(5000).default(200),
      /** Each line prefixed with the time the engine received it (Docker's RFC 3339 stamp). */
      timestamps: z.boolean().optional(),
    })
    .strict(),
  'instances.stats': z.object({ instanceId: id }).strict(),
  /** The instance's configuration with secrets masked (by the main process), and a summary for the list's columns. */
  'instances.inspect': z.object({ instanceId: id }).strict(),
  /** A shell inside a running container (Docker exec with a TTY); its output comes as terminal.output events to this window only. */
  'terminal.open': z.object({ instanceId: id, ...terminalSize }).strict(),
  /** Keys typed into a terminal: at most MAX_TERMINAL_INPUT characters per message. */
  'terminal.input': z.object({ terminalId: id, data: z.string().min(1).max(MAX_TERMINAL_INPUT) }).strict(),
  'terminal.resize': z.object({ terminalId: id, ...terminalSize }).strict(),
  /** Ends the shell (and what runs in it). */
  'terminal.close': z.object({ terminalId: id }).strict(),
  /** Who uses an instance's desktop now (viewers, latest input): windows ask before stopping it. */
  'instances.activity': z.object({ instanceId: id }).strict(),
  /**
   * "Save as new app…": commits a container instance (running or kept) to a new image, or turns a
   * stopped instance's kept Proxmox clone into a template, and adds an app with the instance's
   * app's settings that starts from it. Answers once done; steps come as instance.progress.
   */
  'instances.saveAsApp': z.object({ instanceId: id, name: z.string().trim().min(1, 'give the app a name').max(80, 'keep the name under 80 characters') }).strict(),
  /** Deletes the rows (and event history) of stopped or failed instances; a failed one's kept resource goes too. */
  'instances.remove': z.object({ instanceIds: z.array(id).min(1).max(1000) }).strict(),
  /** Docker endpoints (the engines containers run on). */
  'docker.endpoints.list': z.object({}).strict(),
  /** Creates (no id) or updates a Docker endpoint. tls: omitted keeps what is stored, null removes it. */
  'docker.endpoints.save': dockerEndpointSave,
  'docker.endpoints.delete': z.object({ endpointId: id }).strict(),
  'docker.endpoints.test': z.object({ endpointId: id }).strict(),
  /** "Test" in the endpoint form: the values as typed, before saving (tls omitted: the stored endpoint's). */
  'docker.endpoints.testDraft': dockerEndpointSave,
  /** Pins the ssh:// host key the last "test connection" was offered, if it has this fingerprint. */
  'docker.endpoints.trustHostKey': z.object({ endpointId: id, fingerprint: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/, 'a SHA256 fingerprint') }).strict(),
  'proxmox.endpoints.list': z.object({}).strict(),
  /** Creates (no id) or updates a Proxmox endpoint. secret: omitted keeps the stored one. */
  'proxmox.endpoints.save': proxmoxEndpointSave,
  'proxmox.endpoints.delete': z.object({ endpointId: id }).strict(),
  'proxmox.endpoints.test': z.object({ endpointId: id }).strict(),
  /** "Test" in the endpoint form: the values as typed, before saving (secret omitted: the stored one). */
  'proxmox.endpoints.testDraft': proxmoxEndpointSave,
  'settings.get': z.object({}).strict(),
  /** Changes the user's own settings; keys locked by the administrator are refused. */
  'settings.update': settingsLayerSchema,
  /** Opens the instance's desktop in its own window. */
  'viewer.open': z.object({ instanceId: id }).strict(),
  /** Issued to a viewer window: a single-use, short-lived tunnel token for one instance. */
  'display.connect': z
    .object({
      instanceId: id,
      width: z.number().int().min(64).max(8192).optional(),
      height: z.number().int().min(64).max(8192).optional(),
      /** Watch only: no pointer, keys, paste or resize from this viewer. */
      readOnly: z.boolean().optional(),
    })
    .strict(),
  /** Counters of the display path (viewers, VNC connections, remembered tickets): diagnostics. */
  'display.usage': z.object({}).strict(),
  /** A single-use, short-lived address that streams the instance's home out as a .tar.gz, or one in. */
  'home.transfer': z.object({ instanceId: id, direction: z.enum(['export', 'import']) }).strict(),
} as const;

export type Channel = keyof typeof requestSchemas;
export const CHANNELS = Object.keys(requestSchemas) as Channel[];

/**
 * Deprecated channel names, answered as the channel they map to (same schema, same locks, same
 * handler) for one more release, then removed: in 0.1 Docker endpoints were the unnamed
 * `endpoints.*` and Proxmox endpoints `proxmox.*`. Nothing of ours sends them.
 */
export const DEPRECATED_CHANNELS = {
  'endpoints.list': 'docker.endpoints.list',
  'endpoints.save': 'docker.endpoints.save',
  'endpoints.delete': 'docker.endpoints.delete',
  'endpoints.test': 'docker.endpoints.test',
  'endpoints.trustHostKey': 'docker.endpoints.trustHostKey',
  'proxmox.list': 'proxmox.endpoints.list',
  'proxmox.save': 'proxmox.endpoints.save',
  'proxmox.delete': 'proxmox.endpoints.delete',
  'proxmox.test': 'proxmox.endpoints.test',
} as const satisfies Record<string, Channel>;

/** The channel a name stands for: itself, or what a deprecated name maps to; null when unknown. */
function channelOf(name: string): Channel | null {
  if (Object.prototype.hasOwnProperty.call(requestSchemas, name)) return name as Channel;
  if (Object.prototype.hasOwnProperty.call(DEPRECATED_CHANNELS, name)) return DEPRECATED_CHANNELS[name as keyof typeof DEPRECATED_CHANNELS];
  return null;
}

export type RequestOf<C extends Channel> = z.infer<(typeof requestSchemas)[C]>;

/** What the display path holds now; no secret, no instance named. */
export interface DisplayUsage {
  /** Viewer connections on the tunnel. */
  viewers: number;
  /** VNC connections of the embedded gateway (viewers of one desktop share one). */
  vncConnections: number;
  /** Redeemed display tickets remembered until they expire (that is what makes them single-use). */
  tickets: number;
}

/** What a viewer needs to reach the display tunnel. Carries no readable secret. */
/**
 * home.transfer: a WebSocket address (127.0.0.1, one connection, 30 s to connect). Export: the
 * archive arrives as binary messages, then the text {"done":true,"bytes":n}. Import: the window
 * sends the archive as binary messages of at most HOME_CHUNK_BYTES, each answered {"ack":n}
 * before the next, then the text "end"; {"done":true,"bytes":n} says it is unpacked. Either
 * way a failure arrives as {"error":ErrorInfo} and the socket closes.
 */
export interface HomeTransferTicket {
  url: string;
  /** The folder in the desktop (~ is the desktop user's home). */
  folder: string;
  /** What an export is saved as. */
  fileName: string;
}

/** The largest piece of an imported archive one message carries. */
export const HOME_CHUNK_BYTES = 1024 * 1024;

export interface DisplayTicket {
  tunnelUrl: string;
  token: string;
  /** What the viewer may do with the desktop's files (absent: nothing), so it shows only those controls. */
  files?: { upload: boolean; download: boolean };
  /** Whether the viewer hears the desktop and may send it the microphone (absent: neither), so it shows only those controls. */
  sound?: { playback: boolean; microphone: boolean };
}

/**
 * How a host answered `viewer.open`: Electron opens a window itself; a browser
 * client is told which URL to open in a new window.
 */
export type ViewerOpened = { kind: 'opened' } | { kind: 'navigate'; url: string };

/** A Docker endpoint as windows see it: TLS material stays in the main process. */
export interface DockerEndpointView {
  id: string;
  name: string;
  url: string;
  hasTls: boolean;
  /** ssh:// only: the fingerprint of the host key trusted for this endpoint (SHA256:…), or null. */
  hostKeyFingerprint: string | null;
  /** From the administrator's policy: not editable or deletable in the app. */
  managed: boolean;
}

export interface DockerEndpointTestResult {
  version: string;
  apiVersion: string;
  runningContainers: number;
}

/** A Proxmox endpoint as windows see it: the secret stays in the main process. */
export interface ProxmoxEndpointView {
  id: string;
  name: string;
  url: string;
  authKind: 'token' | 'password';
  principal: string;
  tls: 'system' | 'pinned' | 'insecure';
  fingerprint: string | null;
  /** From the administrator's policy: only the secret is the user's to enter; not deletable. */
  managed: boolean;
  /** A policy endpoint the user has not entered a secret for yet. */
  needsSecret: boolean;
}

export interface ProxmoxTestResult {
  version: string;
  /** Plain sentences (English): the version, then each missing privilege. */
  summary: string[];
  /** The same sentences by key and parameters, for windows to show in their language. */
  summaryText?: ErrorTextRef[];
}

export interface InstanceStats {
  cpuPercent: number;
  memoryBytes: number;
  memoryLimitBytes: number;
}

/** A port the instance's container exposes: no host port, address or password (those are connection details). */
export interface InstancePort {
  port: number;
  protocol: string;
  /** Published on the host (on loopback only when loopbackOnly). */
  published: boolean;
  loopbackOnly: boolean;
  /** The desktop's own VNC port. */
  desktop: boolean;
}

/** What the instance list's columns show about a running instance. */
export interface InstanceSummary {
  /** The container's image, or the VM's node and id (e.g. "pve1 / 101"). */
  image: string;
  /** The Docker or Proxmox endpoint's name. */
  endpoint: string;
  /** When the container or VM last started (ISO time), or null when not known. */
  startedAt: string | null;
  ports: InstancePort[];
}

/** instances.inspect: the configuration as JSON text, with every secret replaced by MASK. */
export interface InstanceInspect {
  summary: InstanceSummary;
  config: string;
  /** How many values were masked. */
  masked: number;
}

/** What replaces a secret in instances.inspect. */
export const MASK = '••••••';

/** Who uses an instance's desktop: what a window says before stopping or restarting it. */
export interface InstanceActivity {
  /** Viewers connected now. */
  viewers: number;
  /** The latest input from a viewer, or a viewer closing (ISO time); null if never viewed. */
  lastActivityAt: string | null;
}

/**
 * Why an import entry needs a second look: each one sends display traffic or credentials off
 * this machine, weakens a check, or overwrites an app of the user's.
 */
export type ImportFlag =
  /** Replaces the user's own app with this id (its name now). */
  | { kind: 'replacesApp'; name: string }
  /** Its desktop is shown through a guacd on another machine: screen, keys and passwords go there. */
  | { kind: 'remoteGuacd'; address: string }
  /** A VM's VNC server on another machine: the password and screen cross the network unencrypted. */
  | { kind: 'remoteVnc'; address: string }
  /** RDP with the server certificate not checked (ignoreCert). */
  | { kind: 'certChecksOff' }
  /** RDP security "rdp": the legacy encryption without TLS. */
  | { kind: 'rdpWithoutTls' };

export interface ImportPreviewEntry {
  /** The entry's place in the file (from 1). */
  number: number;
  id: string;
  name: string;
  provider: 'docker' | 'proxmox';
  /** add: a new app; replace: the user's app with this id changes; unchanged: skipped; refused: see `refused`. */
  action: 'add' | 'replace' | 'unchanged' | 'refused';
  /** replace: the settings that change, like docker.image or display.guacd. */
  changes: string[];
  /** refused: the entry would alter a built-in app or one the administrator manages. */
  refused?: 'builtIn' | 'managed';
  flags: ImportFlag[];
}

export interface ImportPreview {
  entries: ImportPreviewEntry[];
  /** Passed back with catalogue.import: that import applies exactly this preview or nothing. */
  token: string;
}

export interface ImageStatus {
  appId: string;
  image: string;
  present: boolean;
  /** A recipe in resources/images can build it. */
  buildable: boolean;
}

/** Every setting's value, which ones the administrator manages, and what the policy got wrong. */
export type SettingsView = SettingsValues & {
  /** Keys locked by the administrator's policy ("managed by your administrator"). */
  managed: SettingKey[];
  /** What was ignored in an invalid policy or packaged defaults; empty when all is well (English). */
  policyProblems: string[];
  /** The same lines by key and parameters, for windows to show in their language (a window that
   * does not know a key, from a newer core, shows the English lines). */
  policyProblemTexts?: { key: string; params: Record<string, string | number> }[];
};

export interface Responses {
  'apps.list': App[];
  'apps.create': App;
  'apps.update': App;
  'apps.duplicate': App;
  'apps.delete': { deleted: true };
  'catalogue.export': { json: string; fileName: string };
  'catalogue.previewImport': ImportPreview;
  /** How many apps were added or replaced (unchanged entries are skipped). */
  'catalogue.import': { imported: number };
  'images.status': ImageStatus[];
  'images.build': { image: string };
  'images.pull': { image: string };
  'instances.list': Instance[];
  'instances.start': Instance;
  'instances.stop': Instance;
  'instances.forceStop': Instance;
  'instances.restart': Instance;
  'instances.stopAll': { stopping: number };
  'instances.logs': { text: string };
  'instances.stats': InstanceStats;
  'instances.inspect': InstanceInspect;
  'terminal.open': { terminalId: string };
  'terminal.input': { written: true };
  'terminal.resize': { resized: true };
  'terminal.close': { closed: true };
  'instances.activity': InstanceActivity;
  /** The new app. */
  'instances.saveAsApp': App;
  /** The ids whose rows were deleted (a row no longer stopped or failed is left). */
  'instances.remove': { removed: string[] };
  'docker.endpoints.list': DockerEndpointView[];
  'docker.endpoints.save': DockerEndpointView;
  'docker.endpoints.delete': { deleted: true };
  'docker.endpoints.test': DockerEndpointTestResult;
  'docker.endpoints.testDraft': DockerEndpointTestResult;
  'docker.endpoints.trustHostKey': DockerEndpointView;
  'proxmox.endpoints.list': ProxmoxEndpointView[];
  'proxmox.endpoints.save': ProxmoxEndpointView;
  'proxmox.endpoints.delete': { deleted: true };
  'proxmox.endpoints.test': ProxmoxTestResult;
  'proxmox.endpoints.testDraft': ProxmoxTestResult;
  'settings.get': SettingsView;
  'settings.update': SettingsView;
  'viewer.open': ViewerOpened;
  'display.connect': DisplayTicket;
  'display.usage': DisplayUsage;
  'home.transfer': HomeTransferTicket;
}
export type ResponseOf<C extends Channel> = Responses[C];

/** One layer of an image pull, as the engine reports it. */
export interface LayerProgress {
  id: string;
  /** The engine's words (English): Waiting, Downloading, Extracting, Pull complete… */
  status: string;
  /** Bytes so far and in all; total 0 when not known. */
  current: number;
  total: number;
}

export interface ImageProgress {
  appId: string;
  image: string;
  /** A line of build or pull output, or the final outcome. */
  line: string;
  done: boolean;
  error: ErrorInfo | null;
  /** A pull's layers (the latest state of each); absent for builds. */
  layers?: LayerProgress[];
}

export interface Events {
  'instance.changed': Instance;
  /** Rows of stopped or failed instances were deleted: windows drop them. */
  'instances.removed': { instanceIds: string[] };
  /** The catalogue changed (created, edited, deleted, imported apps). */
  'apps.changed': App[];
  'image.progress': ImageProgress;
  /** Output of a terminal this window opened (sent to that window only). */
  'terminal.output': { terminalId: string; data: string };
  /** The terminal's shell ended (or its instance stopped). */
  'terminal.exit': { terminalId: string };
  /** A step of a long start or stop (e.g. a Proxmox clone task's log line). */
  'instance.progress': {
    instanceId: string;
    /** English (a Proxmox task log line verbatim). */
    message: string;
    /** The step by key, when it is DaaS Desktop's own words. */
    text?: ErrorTextRef;
  };
  /** Settings changed (from any window, or the shell): every value, as settings.get answers. */
  'settings.changed': SettingsView;
  /** Docker or Proxmox endpoints were saved or deleted: windows list them again. */
  'endpoints.changed': { kind: 'docker' | 'proxmox' };
}
export type EventName = keyof Events;
export type DaasEvent = { [E in EventName]: { event: E; payload: Events[E] } }[EventName];

/** The settings view as windows receive it. */
export const settingsViewSchema = z.object({
  ...settingSchemas,
  managed: z.array(z.enum(SETTING_KEYS as [SettingKey, ...SettingKey[]])),
  policyProblems: z.array(z.string()),
  policyProblemTexts: z.array(z.object({ key: z.string(), params: z.record(z.string(), z.union([z.string(), z.number()])) })).optional(),
});

/**
 * Events whose payload a window applies as state are checked where a window receives
 * them, whatever the transport (parseEvent): one that does not match is dropped rather
 * than applied.
 */
export const eventSchemas: {
  [E in 'settings.changed' | 'endpoints.changed' | 'instances.removed' | 'terminal.output' | 'terminal.exit']: z.ZodType<Events[E]>;
} = {
  'settings.changed': settingsViewSchema,
  'terminal.output': z.object({ terminalId: id, data: z.string().max(MAX_TERMINAL_OUTPUT) }).strict(),
  'terminal.exit': z.object({ terminalId: id }).strict(),
  'endpoints.changed': z.object({ kind: z.enum(['docker', 'proxmox']) }),
  'instances.removed': z.object({ instanceIds: z.array(z.string()) }),
};

/** An event from the wire, checked against its schema where it has one; null when it does not match. */
export function parseEvent(event: string, payload: unknown): DaasEvent | null {
  if (!Object.prototype.hasOwnProperty.call(eventSchemas, event)) return { event, payload } as DaasEvent;
  const parsed = eventSchemas[event as keyof typeof eventSchemas].safeParse(payload);
  return parsed.success ? ({ event, payload: parsed.data } as DaasEvent) : null;
}

export type Result<T> = { ok: true; result: T } | { ok: false; error: ErrorInfo };

/** The API object the renderer sees as `window.daas`, whatever the transport. */
export interface DaasApi {
  request<C extends Channel>(channel: C, payload: RequestOf<C>): Promise<Result<ResponseOf<C>>>;
  onEvent(listener: (event: DaasEvent) => void): () => void;
}

/** Validates a channel name and payload from an untrusted sender; a deprecated name comes back as its channel. */
export function parseRequest(
  channel: unknown,
  payload: unknown,
): { ok: true; channel: Channel; payload: RequestOf<Channel> } | { ok: false; error: ErrorInfo } {
  const c = typeof channel === 'string' ? channelOf(channel) : null;
  if (c === null) {
    const error = new DaasError('INVALID_REQUEST', errorText('error.request.unknown', { channel: String(channel).slice(0, 60) }), errorText('fix.request.updateApp'));
    return { ok: false, error: error.toInfo() };
  }
  const parsed = requestSchemas[c].safeParse(payload ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length ? issue.path.join('.') : 'request';
    const problem = issue?.message ?? 'malformed';
    const error = new DaasError('INVALID_REQUEST', errorText('error.request.invalid', { channel: c, path: where, problem }), errorText('fix.request.checkValues'));
    return { ok: false, error: error.toInfo() };
  }
  return { ok: true, channel: c, payload: parsed.data };
}

// Wire format of the headless WebSocket transport (Electron IPC carries the same objects).
/**
 * The largest request message a transport carries, in UTF-8 bytes: every request the schemas
 * accept fits (the catalogue file is the largest field, and JSON writes a character in at most
 * 6 bytes, as in \u001f). Larger ones are refused before they are sent or read.
 */
export const MAX_REQUEST_BYTES = 6 * MAX_CATALOGUE_CHARS + 64 * 1024;

export type ClientMessage = { type: 'request'; id: number; channel: string; payload: unknown };
export type ServerMessage =
  | ({ type: 'response'; id: number } & Result<unknown>)
  | ({ type: 'event' } & DaasEvent);

/** Electron IPC channel names. */
export const IPC_REQUEST = 'daas:request';
export const IPC_EVENT = 'daas:event';
