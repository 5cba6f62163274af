// Turns Proxmox VE answers and connection failures into errors a person can act on.
// Proxmox's own message is kept verbatim ("VM 100 already exists on node 'pve1'").
import { errorText, type ErrorText, type ErrorTextKey } from '../../../src-shared/error-texts';
import { DaasError } from '../../../src-shared/errors';

export type ProxmoxFailureKind =
  /** Network: refused, unknown host, timed out. */
  | 'unreachable'
  /** The server's certificate is not trusted, or does not match the pinned fingerprint. */
  | 'tls'
  /** Wrong token, password or expired credentials (HTTP 401). */
  | 'auth'
  /** HTTP 403: a privilege is missing. */
  | 'permission'
  /** A worker task ended with an error. */
  | 'task'
  /** A task or request took longer than allowed. */
  | 'timeout'
  /** Anything else Proxmox answered with an error (400, 500, ...). */
  | 'api';

export interface ProxmoxErrorDetails {
  status?: number;
  /** Proxmox's own message, first line, without the trailing newline. */
  proxmoxMessage?: string;
  /** Per-parameter messages of a 400 "Parameter verification failed." */
  paramErrors?: Record<string, string>;
  upid?: string;
  /** Last lines of a failed task's log. */
  taskLog?: string[];
  cause?: unknown;
}

/** A DaasError that also says what kind of Proxmox failure it is. The code is PROVIDER_FAILED
 * until src-shared/errors.ts grows Proxmox codes (see docs/proxmox.md). */
export class ProxmoxError extends DaasError {
  readonly kind: ProxmoxFailureKind;
  readonly status?: number;
  readonly proxmoxMessage?: string;
  readonly paramErrors?: Record<string, string>;
  readonly upid?: string;
  readonly taskLog?: string[];

  constructor(kind: ProxmoxFailureKind, message: string | ErrorText, action: string | ErrorText, details: ProxmoxErrorDetails = {}) {
    super('PROVIDER_FAILED', message, action, { cause: details.cause });
    this.name = 'ProxmoxError';
    this.kind = kind;
    this.status = details.status;
    this.proxmoxMessage = details.proxmoxMessage;
    this.paramErrors = details.paramErrors;
    this.upid = details.upid;
    this.taskLog = details.taskLog;
  }
}

/** What each privilege is needed for, in the words the user sees. */
export const PRIVILEGE_PURPOSE: Record<string, string> = {
  'VM.Audit': 'see virtual machines and their state',
  'VM.Clone': 'clone the template',
  'VM.Allocate': 'create and delete virtual machines',
  'VM.Config.Options': "tag virtual machines (so DaaS Desktop recognises its own)",
  'VM.PowerMgmt': 'start and stop virtual machines',
  'VM.Console': "open a virtual machine's screen",
  'VM.GuestAgent.Audit': "read the guest's network addresses through the QEMU guest agent",
  'Sys.Audit': 'see the load of each node (to pick the least-loaded one)',
  'Datastore.AllocateSpace': 'allocate disk space for full clones',
};

/** "Permission check failed (/vms/100, VM.Clone)" -> path and privileges. */
export function parsePermissionMessage(message: string): { path: string; privileges: string[] } | null {
  const m = /Permission check failed \(([^,]+), ([^)]+)\)/.exec(message);
  if (!m) return null;
  return { path: m[1]!.trim(), privileges: m[2]!.split(/[|,]\s*/).map((p) => p.trim()).filter(Boolean) };
}

export function permissionAction(privileges: string[], path: string, who: string): string {
  const uses = privileges.map((p) => (PRIVILEGE_PURPOSE[p] ? `${p} (to ${PRIVILEGE_PURPOSE[p]})` : p)).join(', ');
  return (
    `In Proxmox (Datacenter > Permissions), give ${who} ${uses} on ${path} or a path above it, ` +
    'for example through a role such as PVEVMAdmin. An API token with privilege separation needs the permission itself, not only its user.'
  );
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE']);
const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_UNTRUSTED',
]);

export function isNetworkError(err: unknown): boolean {
  return NETWORK_CODES.has((err as { code?: string } | null)?.code ?? '');
}

export function isTlsTrustError(err: unknown): boolean {
  return TLS_CODES.has((err as { code?: string } | null)?.code ?? '');
}

export function unreachable(url: string, err: unknown): ProxmoxError {
  const code = (err as { code?: string } | null)?.code;
  // A known cause by key (translated); anything else in Node's own words.
  const why =
    code === 'ECONNREFUSED' ? 'why.net.refused'
    : code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'why.net.unknownHost'
    : code === 'ETIMEDOUT' ? 'why.net.timedOut'
    : code === 'ECONNRESET' ? 'why.net.reset'
    : ((err as Error)?.message ?? 'network error');
  return new ProxmoxError('unreachable', errorText('error.proxmox.unreachable', { url, why }), errorText('fix.proxmox.checkAddress'), { cause: err });
}

export function requestTimeout(url: string, what: string, ms: number): ProxmoxError {
  return new ProxmoxError(
    'timeout',
    `Proxmox VE at ${url} did not answer ${what} within ${Math.round(ms / 1000)} s.`,
    'Check that the server is not overloaded and that nothing between this computer and it holds connections open.',
  );
}

/** Why a certificate is not trusted, as a key of its translatable words. */
export type CertificateDistrust = Extract<ErrorTextKey, `why.cert.${string}`>;

export function untrustedCertificate(url: string, why: CertificateDistrust, fingerprint: string | undefined, cause?: unknown): ProxmoxError {
  return new ProxmoxError(
    'tls',
    fingerprint ? errorText('error.proxmox.untrustedWithFingerprint', { url, why, fingerprint }) : errorText('error.proxmox.untrusted', { url, why }),
    errorText('fix.proxmox.pinOrTrust'),
    { cause },
  );
}

export function fingerprintMismatch(url: string, presented: string): ProxmoxError {
  return new ProxmoxError('tls', errorText('error.proxmox.fingerprintMismatch', { url, presented }), errorText('fix.proxmox.newFingerprint'));
}

/** Maps a non-2xx answer. `who` names the credentials ("the API token daas@pve!desk"). */
export function fromHttpError(
  status: number,
  reason: string,
  body: { message?: unknown; errors?: unknown } | null,
  context: { url: string; who: string; doing: string },
): ProxmoxError {
  const message = (typeof body?.message === 'string' ? body.message : reason).trim().split('\n')[0]!.trim() || `HTTP ${status}`;
  const details: ProxmoxErrorDetails = { status, proxmoxMessage: message };
  if (status === 401) {
    return new ProxmoxError(
      'auth',
      `Proxmox VE rejected ${context.who} (${message}).`,
      context.who.includes('token')
        ? 'Check the token ID (USER@REALM!TOKENID) and its secret in the endpoint settings; the token may have been deleted or have expired.'
        : 'Check the user name (with its realm, e.g. root@pam) and the password in the endpoint settings.',
      details,
    );
  }
  if (status === 403) {
    const perm = parsePermissionMessage(message);
    return new ProxmoxError(
      'permission',
      `Proxmox VE did not allow ${context.who} to ${context.doing}: ${message}.`,
      perm ? permissionAction(perm.privileges, perm.path, context.who) : `Give ${context.who} the needed permissions in Proxmox (Datacenter > Permissions).`,
      details,
    );
  }
  if (status === 400 && body?.errors && typeof body.errors === 'object') {
    const errors = body.errors as Record<string, string>;
    const list = Object.entries(errors).map(([k, v]) => `${k}: ${String(v).trim()}`).join('; ');
    return new ProxmoxError(
      'api',
      `Proxmox VE refused to ${context.doing}: ${message} (${list}).`,
      'Check the VM settings of this app; if they look right, this Proxmox version may not support them.',
      { ...details, paramErrors: errors },
    );
  }
  if (status === 595 || status === 596) {
    return new ProxmoxError('unreachable', `Proxmox VE could not ${context.doing}: ${message}.`, 'A cluster node is offline or unreachable from the node DaaS Desktop talks to.', details);
  }
  return new ProxmoxError(
    'api',
    `Proxmox VE could not ${context.doing}: ${message}.`,
    status === 501 ? 'This Proxmox VE version does not offer that call; update Proxmox VE or check the endpoint URL.' : 'Fix the cause Proxmox names, then try again.',
    details,
  );
}
