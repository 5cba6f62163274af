// Turns Proxmox VE answers and connection failures into errors a person can act on.
// Proxmox's own message is kept verbatim ("VM 100 already exists on node 'pve1'").
import { composeText, errorText, type ErrorParams, type ErrorText, type ErrorTextArgs, type ErrorTextKey } from '../../../src-shared/error-texts';
import { DaasError } from '../../../src-shared/errors';
import { networkWhy } from '../network-why';

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

/** What each privilege is needed for, as a key of its translatable words. */
export const PRIVILEGE_PURPOSE = {
  'VM.Audit': 'why.privilege.vmAudit',
  'VM.Clone': 'why.privilege.vmClone',
  'VM.Allocate': 'why.privilege.vmAllocate',
  'VM.Config.Options': 'why.privilege.vmConfigOptions',
  'VM.PowerMgmt': 'why.privilege.vmPowerMgmt',
  'VM.Console': 'why.privilege.vmConsole',
  'VM.GuestAgent.Audit': 'why.privilege.vmGuestAgentAudit',
  // Before PVE 9.0, what the guest agent needed.
  'VM.Monitor': 'why.privilege.vmGuestAgentAudit',
  'Sys.Audit': 'why.privilege.sysAudit',
  'Datastore.AllocateSpace': 'why.privilege.datastoreAllocateSpace',
  'SDN.Use': 'why.privilege.sdnUse',
} as const satisfies Record<string, Extract<ErrorTextKey, `why.privilege.${string}`>>;
export type Privilege = keyof typeof PRIVILEGE_PURPOSE;

/** The key of what a privilege is needed for, if DaaS Desktop knows it. */
export function privilegePurpose(privilege: string): (typeof PRIVILEGE_PURPOSE)[Privilege] | undefined {
  return Object.prototype.hasOwnProperty.call(PRIVILEGE_PURPOSE, privilege) ? PRIVILEGE_PURPOSE[privilege as Privilege] : undefined;
}

/** What Proxmox was asked to do, as a key of its translatable words. */
export type ProxmoxOperation = Extract<ErrorTextKey, `op.proxmox.${string}`>;
/** An operation and the parameters its words need (`{ doing: 'op.proxmox.startVm', vmid: 100 }`);
 * spread into an error's parameters, `{{doing}}` is then translated with them. */
export interface ProxmoxDoing {
  readonly doing: ProxmoxOperation;
  readonly [param: string]: string | number;
}

export function proxmoxOp<K extends ProxmoxOperation>(key: K, ...args: ErrorTextArgs<K>): ProxmoxDoing {
  return { ...((args[0] as ErrorParams | undefined) ?? {}), doing: key };
}

/** Who DaaS Desktop is to Proxmox (`{ who: 'who.proxmox.token', tokenId }`), as parameters like ProxmoxDoing. */
export interface ProxmoxWho {
  readonly who: 'who.proxmox.token' | 'who.proxmox.user';
  readonly [param: string]: string | number;
}

export function proxmoxWho(auth: { tokenId: string } | { username: string }): ProxmoxWho {
  return 'tokenId' in auth ? { who: 'who.proxmox.token', tokenId: auth.tokenId } : { who: 'who.proxmox.user', username: auth.username };
}

/** "Permission check failed (/vms/100, VM.Clone)" -> path and privileges. */
export function parsePermissionMessage(message: string): { path: string; privileges: string[] } | null {
  const m = /Permission check failed \(([^,]+), ([^)]+)\)/.exec(message);
  if (!m) return null;
  return { path: m[1]!.trim(), privileges: m[2]!.split(/[|,]\s*/).map((p) => p.trim()).filter(Boolean) };
}

/** What to grant, and what for: one privilege with its purpose translated, or several by name. */
export function permissionAction(privileges: string[], path: string, who: ProxmoxWho): ErrorText {
  const purpose = privileges.length === 1 ? privilegePurpose(privileges[0]!) : undefined;
  if (purpose) return errorText('fix.proxmox.grantPrivilege', { ...who, privilege: privileges[0]!, purpose, path });
  return errorText('fix.proxmox.grantPrivileges', { ...who, privileges: privileges.join(', '), path });
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
  return new ProxmoxError('unreachable', errorText('error.proxmox.unreachable', { url, why: networkWhy(err) }), errorText('fix.proxmox.checkAddress'), { cause: err });
}

export function requestTimeout(url: string, doing: ProxmoxDoing, ms: number): ProxmoxError {
  return new ProxmoxError(
    'timeout',
    errorText('error.proxmox.requestTimeout', { ...doing, url, seconds: Math.round(ms / 1000) }),
    errorText('fix.proxmox.checkLoad'),
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

/** Maps a non-2xx answer. `who` names the credentials (the API token daas@pve!desk). */
export function fromHttpError(
  status: number,
  reason: string,
  body: { message?: unknown; errors?: unknown } | null,
  context: { url: string; who: ProxmoxWho; doing: ProxmoxDoing },
): ProxmoxError {
  const message = (typeof body?.message === 'string' ? body.message : reason).trim().split('\n')[0]!.trim() || `HTTP ${status}`;
  const details: ProxmoxErrorDetails = { status, proxmoxMessage: message };
  const { who, doing } = context;
  if (status === 401) {
    return new ProxmoxError(
      'auth',
      errorText('error.proxmox.rejected', { ...who, message }),
      errorText(who.who === 'who.proxmox.token' ? 'fix.proxmox.checkToken' : 'fix.proxmox.checkUser'),
      details,
    );
  }
  if (status === 403) {
    const perm = parsePermissionMessage(message);
    return new ProxmoxError(
      'permission',
      errorText('error.proxmox.forbidden', { ...doing, ...who, message }),
      perm ? permissionAction(perm.privileges, perm.path, who) : errorText('fix.proxmox.grantNeeded', { ...who }),
      details,
    );
  }
  if (status === 400 && body?.errors && typeof body.errors === 'object') {
    const errors = body.errors as Record<string, string>;
    const list = Object.entries(errors).map(([k, v]) => `${k}: ${String(v).trim()}`).join('; ');
    return new ProxmoxError('api', errorText('error.proxmox.refusedParams', { ...doing, message, list }), errorText('fix.proxmox.checkVmSettings'), {
      ...details,
      paramErrors: errors,
    });
  }
  if (status === 595 || status === 596) {
    return new ProxmoxError('unreachable', errorText('error.proxmox.failed', { ...doing, message }), errorText('fix.proxmox.nodeOffline'), details);
  }
  return new ProxmoxError(
    'api',
    errorText('error.proxmox.failed', { ...doing, message }),
    errorText(
      status === 501 ? 'fix.proxmox.callMissing'
      : /guest agent is not running/i.test(message) ? 'fix.proxmox.startGuestAgent'
      : 'fix.proxmox.fixCause',
    ),
    details,
  );
}

/** A failure, then a failure cleaning up after it: one message, both parts translatable. */
export function thenCleanupFailed(first: Error, cleanup: ProxmoxError): ErrorText {
  return composeText('error.proxmox.thenCleanup', { first: textOf(first), then: textOf(cleanup) });
}

/** An error's message as it was given: translatable if it has a key. */
export function textOf(err: Error): string | ErrorText {
  return err instanceof DaasError && err.messageText ? { key: err.messageText.key, params: err.messageText.params, text: err.message } : err.message;
}

/** An error's action as it was given: translatable if it has a key. */
export function actionOf(err: DaasError): string | ErrorText {
  return err.actionText ? { key: err.actionText.key, params: err.actionText.params, text: err.action } : err.action;
}
