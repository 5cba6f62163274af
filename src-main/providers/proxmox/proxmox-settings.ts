// What the user configures: a Proxmox endpoint (URL, credentials, TLS trust) and, per app,
// which VM to run. Validation gives plain-words errors before anything talks to the server.
import { DaasError } from '../../../src-shared/errors';

/** An API token: `USER@REALM!TOKENID` and its secret (a UUID as Proxmox generates it). */
export interface ProxmoxTokenAuth {
  tokenId: string;
  secret: string;
}

/** A user and password: the client logs in for a ticket and renews it before it expires. */
export interface ProxmoxPasswordAuth {
  /** With realm, e.g. root@pam or alice@pve. */
  username: string;
  password: string;
}

export type ProxmoxAuth = ProxmoxTokenAuth | ProxmoxPasswordAuth;

/** Certificate trust: the system CAs (default), a pinned SHA-256 fingerprint, or none at all. */
export interface ProxmoxTls {
  /** "AB:CD:..." (64 hex digits; colons and case do not matter). */
  fingerprintSha256?: string;
  /** Explicit opt-in: accept any certificate. */
  insecure?: true;
}

export interface ProxmoxEndpoint {
  /** The stored endpoint's id and display name (as Docker endpoints have). */
  id?: string;
  name?: string;
  /** e.g. https://pve.example.org:8006 */
  url: string;
  auth: ProxmoxAuth;
  tls?: ProxmoxTls;
}

/** How the desktop of a VM app is shown. */
export type ProxmoxDisplay =
  /** Default: vncproxy + vncwebsocket through the API, offered to the gateway on loopback. */
  | { kind: 'vncproxy' }
  /** A VNC server the VM's host exposes directly (`args: -vnc 0.0.0.0:N` or similar). */
  | { kind: 'vnc'; host: string; port: number; password: string }
  /** RDP to the guest's address from the QEMU guest agent, through guacd. */
  | { kind: 'rdp'; port?: number };

export interface ProxmoxCloneConfig {
  mode: 'clone';
  templateVmid: number;
  /** Target node; 'least-loaded' picks from /cluster/resources; absent: the template's node. */
  node?: string;
  /** Full clone (independent disks) or linked clone (shares the template's base disks). */
  full: boolean;
  /** The VM name: {instance} = first 8 characters of the instance id, {app} = app id, {vmid}. */
  namePattern: string;
  pool?: string;
  /** Delete the clone when the instance stops, or keep it (shut down). */
  onStop: 'delete' | 'keep';
  display?: ProxmoxDisplay;
}

export interface ProxmoxExistingConfig {
  mode: 'existing';
  vmid: number;
  node: string;
  display?: ProxmoxDisplay;
}

export type ProxmoxAppConfig = ProxmoxCloneConfig | ProxmoxExistingConfig;

export function isTokenAuth(auth: ProxmoxAuth): auth is ProxmoxTokenAuth {
  return 'tokenId' in auth;
}

export const TOKEN_ID = /^[^\s:/@!]+@[A-Za-z][A-Za-z0-9.\-_]+![A-Za-z][A-Za-z0-9.\-_]+$/;
const USER_ID = /^[^\s:/@!]+@[A-Za-z][A-Za-z0-9.\-_]+$/;
const NODE_NAME = /^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$/;
const DNS_LABEL = '[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?';
const DNS_NAME = new RegExp(`^(${DNS_LABEL}\\.)*${DNS_LABEL}$`);
const POOL_ID = /^[A-Za-z0-9_][A-Za-z0-9_\-.]*(\/[A-Za-z0-9_][A-Za-z0-9_\-.]*){0,2}$/;

function invalid(message: string, action: string): DaasError {
  return new DaasError('INVALID_REQUEST', message, action);
}

/** "ab:cd:..." or "ABCD..." -> "AB:CD:..." (Node's and Proxmox's spelling). */
export function normaliseFingerprint(value: string): string {
  const hex = value.replace(/[:\s]/g, '').toUpperCase();
  if (!/^[0-9A-F]{64}$/.test(hex)) {
    throw invalid(
      'The pinned certificate fingerprint is not a SHA-256 fingerprint.',
      'Copy the SHA-256 fingerprint (64 hexadecimal digits, usually with colons) from Proxmox: Datacenter > node > System > Certificates.',
    );
  }
  return hex.match(/../g)!.join(':');
}

export function validateEndpoint(endpoint: ProxmoxEndpoint): ProxmoxEndpoint {
  let url: URL;
  try {
    url = new URL(endpoint.url);
  } catch {
    throw invalid(`"${endpoint.url}" is not a URL.`, 'Enter the Proxmox address as https://HOST:8006.');
  }
  if (url.protocol !== 'https:') throw invalid('The Proxmox API is only served over HTTPS.', 'Enter the address as https://HOST:8006.');
  const auth = endpoint.auth;
  if (isTokenAuth(auth)) {
    if (!TOKEN_ID.test(auth.tokenId)) {
      throw invalid(
        `"${auth.tokenId}" is not an API token ID.`,
        'A token ID has the form USER@REALM!TOKENID, e.g. daas@pve!desktop (Datacenter > Permissions > API Tokens).',
      );
    }
    if (!auth.secret.trim()) throw invalid('The API token secret is empty.', 'Paste the secret Proxmox showed when the token was created.');
  } else {
    if (!USER_ID.test(auth.username)) {
      throw invalid(`"${auth.username}" is not a Proxmox user name.`, 'Give the user with its realm, e.g. root@pam or alice@pve.');
    }
    if (!auth.password) throw invalid('The password is empty.', 'Enter the password of the Proxmox user.');
  }
  const tls = endpoint.tls ?? {};
  if (tls.insecure && tls.fingerprintSha256) {
    throw invalid('Certificate checks cannot be both pinned and turned off.', 'Pin the fingerprint, or turn certificate checks off, not both.');
  }
  return {
    ...(endpoint.id !== undefined ? { id: endpoint.id } : {}),
    ...(endpoint.name !== undefined ? { name: endpoint.name } : {}),
    url: `${url.protocol}//${url.host}`,
    auth,
    tls: tls.fingerprintSha256 ? { fingerprintSha256: normaliseFingerprint(tls.fingerprintSha256) } : tls.insecure ? { insecure: true } : {},
  };
}

function checkVmid(vmid: unknown, what: string): void {
  if (!Number.isInteger(vmid) || (vmid as number) < 100 || (vmid as number) > 999_999_999) {
    throw invalid(`${what} must be a VM ID between 100 and 999999999.`, 'Enter the numeric ID Proxmox shows next to the VM.');
  }
}

function checkDisplay(display: ProxmoxDisplay | undefined): void {
  if (!display || display.kind === 'vncproxy') return;
  if (display.kind === 'vnc') {
    if (!display.host || !Number.isInteger(display.port) || display.port < 1 || display.port > 65535) {
      throw invalid('Direct VNC needs a host and a port between 1 and 65535.', 'Enter the address of the VNC server the VM host exposes.');
    }
    return;
  }
  if (display.kind === 'rdp') {
    if (display.port !== undefined && (!Number.isInteger(display.port) || display.port < 1 || display.port > 65535)) {
      throw invalid('The RDP port must be between 1 and 65535.', 'Leave it empty for 3389.');
    }
    return;
  }
  throw invalid('Unknown display kind.', 'Pick vncproxy, vnc or rdp.');
}

export function validateAppConfig(config: ProxmoxAppConfig): ProxmoxAppConfig {
  if (config.mode === 'clone') {
    checkVmid(config.templateVmid, 'The template');
    if (config.node !== undefined && config.node !== 'least-loaded' && !NODE_NAME.test(config.node)) {
      throw invalid(`"${config.node}" is not a node name.`, 'Enter a node name as Proxmox shows it, or choose "least loaded".');
    }
    if (config.pool !== undefined && !POOL_ID.test(config.pool)) {
      throw invalid(`"${config.pool}" is not a pool name.`, 'Enter a pool name as Proxmox shows it (Datacenter > Permissions > Pools).');
    }
    if (config.onStop !== 'delete' && config.onStop !== 'keep') throw invalid('On stop must be "delete" or "keep".', 'Pick one.');
    // The name must stay a DNS name whatever the placeholders expand to.
    renderVmName(config.namePattern, { instanceId: '00000000-0000-4000-8000-000000000000', appId: 'app', vmid: 100 });
  } else if (config.mode === 'existing') {
    checkVmid(config.vmid, 'The VM');
    if (!NODE_NAME.test(config.node)) throw invalid(`"${config.node}" is not a node name.`, 'Enter the node the VM lives on.');
  } else {
    throw invalid('A Proxmox app must clone a template or use an existing VM.', 'Pick "clone" or "existing".');
  }
  checkDisplay(config.display);
  return config;
}

/** Expands a name pattern; the result must be a DNS name, as Proxmox requires. */
export function renderVmName(pattern: string, values: { instanceId: string; appId: string; vmid: number }): string {
  const app = values.appId.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'app';
  const name = pattern
    .replaceAll('{instance}', values.instanceId.slice(0, 8).toLowerCase())
    .replaceAll('{app}', app)
    .replaceAll('{vmid}', String(values.vmid));
  if (!DNS_NAME.test(name) || name.length > 63 * 4) {
    throw invalid(
      `The VM name pattern "${pattern}" gives "${name}", which Proxmox does not accept as a VM name.`,
      'Use letters, digits, hyphens and dots, e.g. "daas-{app}-{instance}".',
    );
  }
  return name;
}
