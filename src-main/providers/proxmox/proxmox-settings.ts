// What the user configures: a Proxmox endpoint (URL, credentials, TLS trust) and, per app,
// which VM to run. Validation gives plain-words errors before anything talks to the server.
import { DaasError } from '../../../src-shared/errors';
import { errorText, type ErrorText } from '../../../src-shared/error-texts';

import type { ProxmoxAuth, ProxmoxEndpoint, ProxmoxPasswordAuth, ProxmoxTls, ProxmoxTokenAuth } from '../../../src-shared/endpoint-config';

// The endpoint types live in src-shared, where the store can use them too.
export type { ProxmoxAuth, ProxmoxEndpoint, ProxmoxPasswordAuth, ProxmoxTls, ProxmoxTokenAuth };

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
  /** Set `clipboard=vnc` in the clone's `vga` (Proxmox VE 8.1+; the guest needs spice-vdagent). */
  clipboard?: boolean;
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

function invalid(message: ErrorText, action: ErrorText): DaasError {
  return new DaasError('INVALID_REQUEST', message, action);
}

/** "ab:cd:..." or "ABCD..." -> "AB:CD:..." (Node's and Proxmox's spelling). */
export function normaliseFingerprint(value: string): string {
  const hex = value.replace(/[:\s]/g, '').toUpperCase();
  if (!/^[0-9A-F]{64}$/.test(hex)) {
    throw invalid(errorText('error.proxmox.badFingerprint'), errorText('fix.proxmox.copyFingerprint'));
  }
  return hex.match(/../g)!.join(':');
}

export function validateEndpoint(endpoint: ProxmoxEndpoint): ProxmoxEndpoint {
  let url: URL;
  try {
    url = new URL(endpoint.url);
  } catch {
    throw invalid(errorText('error.proxmox.notUrl', { url: endpoint.url }), errorText('fix.proxmox.enterAddress'));
  }
  if (url.protocol !== 'https:') throw invalid(errorText('error.proxmox.httpsOnly'), errorText('fix.proxmox.enterHttps'));
  const auth = endpoint.auth;
  if (isTokenAuth(auth)) {
    if (!TOKEN_ID.test(auth.tokenId)) {
      throw invalid(errorText('error.proxmox.badTokenId', { tokenId: auth.tokenId }), errorText('fix.proxmox.tokenIdForm'));
    }
    if (!auth.secret.trim()) throw invalid(errorText('error.proxmox.secretEmpty'), errorText('fix.proxmox.pasteSecret'));
  } else {
    if (!USER_ID.test(auth.username)) {
      throw invalid(errorText('error.proxmox.badUsername', { username: auth.username }), errorText('fix.proxmox.userWithRealm'));
    }
    if (!auth.password) throw invalid(errorText('error.proxmox.passwordEmpty'), errorText('fix.proxmox.enterPassword'));
  }
  const tls = endpoint.tls ?? {};
  if (tls.insecure && tls.fingerprintSha256) {
    throw invalid(errorText('error.proxmox.pinnedAndInsecure'), errorText('fix.proxmox.pinOrInsecure'));
  }
  return {
    ...(endpoint.id !== undefined ? { id: endpoint.id } : {}),
    ...(endpoint.name !== undefined ? { name: endpoint.name } : {}),
    url: `${url.protocol}//${url.host}`,
    auth,
    tls: tls.fingerprintSha256 ? { fingerprintSha256: normaliseFingerprint(tls.fingerprintSha256) } : tls.insecure ? { insecure: true } : {},
  };
}

function checkVmid(vmid: unknown, message: 'error.proxmox.badTemplateVmid' | 'error.proxmox.badVmid'): void {
  if (!Number.isInteger(vmid) || (vmid as number) < 100 || (vmid as number) > 999_999_999) {
    throw invalid(errorText(message), errorText('fix.proxmox.enterVmid'));
  }
}

function checkDisplay(display: ProxmoxDisplay | undefined): void {
  if (!display || display.kind === 'vncproxy') return;
  if (display.kind === 'vnc') {
    if (!display.host || !Number.isInteger(display.port) || display.port < 1 || display.port > 65535) {
      throw invalid(errorText('error.proxmox.badVncAddress'), errorText('fix.proxmox.enterVncAddress'));
    }
    return;
  }
  if (display.kind === 'rdp') {
    if (display.port !== undefined && (!Number.isInteger(display.port) || display.port < 1 || display.port > 65535)) {
      throw invalid(errorText('error.proxmox.badRdpPort'), errorText('fix.proxmox.rdpDefault'));
    }
    return;
  }
  throw invalid(errorText('error.proxmox.unknownDisplay'), errorText('fix.proxmox.pickDisplay'));
}

export function validateAppConfig(config: ProxmoxAppConfig): ProxmoxAppConfig {
  if (config.mode === 'clone') {
    checkVmid(config.templateVmid, 'error.proxmox.badTemplateVmid');
    if (config.node !== undefined && config.node !== 'least-loaded' && !NODE_NAME.test(config.node)) {
      throw invalid(errorText('error.proxmox.badNode', { node: config.node }), errorText('fix.proxmox.enterNodeOrLeastLoaded'));
    }
    if (config.pool !== undefined && !POOL_ID.test(config.pool)) {
      throw invalid(errorText('error.proxmox.badPool', { pool: config.pool }), errorText('fix.proxmox.enterPool'));
    }
    if (config.onStop !== 'delete' && config.onStop !== 'keep') throw invalid(errorText('error.proxmox.badOnStop'), errorText('fix.proxmox.pickOne'));
    // The name must stay a DNS name whatever the placeholders expand to.
    renderVmName(config.namePattern, { instanceId: '00000000-0000-4000-8000-000000000000', appId: 'app', vmid: 100 });
  } else if (config.mode === 'existing') {
    checkVmid(config.vmid, 'error.proxmox.badVmid');
    if (!NODE_NAME.test(config.node)) throw invalid(errorText('error.proxmox.badNode', { node: config.node }), errorText('fix.proxmox.enterNode'));
  } else {
    throw invalid(errorText('error.proxmox.badMode'), errorText('fix.proxmox.pickMode'));
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
    throw invalid(errorText('error.proxmox.badVmName', { pattern, name }), errorText('fix.proxmox.vmNameChars'));
  }
  return name;
}
