// The Proxmox endpoint form. The token secret or password is write-only: the box starts
// empty and, left empty while editing, keeps what the main process stores.
import { requestSchemas, type ProxmoxEndpointView, type RequestOf } from '../../src-shared/contract';
import { t } from '../i18n/i18n';
import { issueMessage } from './zod-messages';

export type ProxmoxAuthKind = ProxmoxEndpointView['authKind'];
export type ProxmoxTlsMode = ProxmoxEndpointView['tls'];

export interface ProxmoxFormValues {
  name: string;
  url: string;
  authKind: ProxmoxAuthKind;
  /** USER@REALM!TOKENID for a token, USER@REALM for a password. */
  principal: string;
  secret: string;
  tls: ProxmoxTlsMode;
  fingerprint: string;
  /** The person read the warning and still wants certificate checks off. */
  insecureConfirmed: boolean;
}

export type ProxmoxField = 'name' | 'url' | 'authKind' | 'principal' | 'secret' | 'tls' | 'fingerprint' | 'insecureConfirmed';
export type ProxmoxFormErrors = Partial<Record<ProxmoxField, string>>;

/** Form order: the first field with an error gets focus. */
export const PROXMOX_FIELDS: readonly ProxmoxField[] = [
  'name',
  'url',
  'authKind',
  'principal',
  'secret',
  'tls',
  'fingerprint',
  'insecureConfirmed',
];

// The forms Proxmox gives these (the main process checks them again).
const TOKEN_ID = /^[^\s:/@!]+@[A-Za-z][A-Za-z0-9.\-_]+![A-Za-z][A-Za-z0-9.\-_]+$/;
const USER_ID = /^[^\s:/@!]+@[A-Za-z][A-Za-z0-9.\-_]+$/;
const FINGERPRINT_HEX = /^[0-9A-F]{64}$/;

export function emptyProxmoxForm(): ProxmoxFormValues {
  return {
    name: '',
    url: 'https://',
    authKind: 'token',
    principal: '',
    secret: '',
    tls: 'system',
    fingerprint: '',
    insecureConfirmed: false,
  };
}

export function formFromProxmoxEndpoint(endpoint: ProxmoxEndpointView): ProxmoxFormValues {
  return {
    name: endpoint.name,
    url: endpoint.url,
    authKind: endpoint.authKind,
    principal: endpoint.principal,
    secret: '',
    tls: endpoint.tls,
    fingerprint: endpoint.fingerprint ?? '',
    // Already chosen when it was saved.
    insecureConfirmed: endpoint.tls === 'insecure',
  };
}

/** Whether a stored secret is kept when the box is left empty. */
export function keepsStoredSecret(values: ProxmoxFormValues, existing: ProxmoxEndpointView | null): boolean {
  return existing !== null && existing.authKind === values.authKind;
}

/** "ab cd:ef…" -> "AB:CD:EF:…", or null when it is not 64 hexadecimal digits. */
export function normaliseFingerprint(text: string): string | null {
  const hex = text.replace(/[:\s]/g, '').toUpperCase();
  return FINGERPRINT_HEX.test(hex) ? hex.match(/../g)!.join(':') : null;
}

export function buildProxmoxSave(
  values: ProxmoxFormValues,
  existing: ProxmoxEndpointView | null,
): { request: RequestOf<'proxmox.endpoints.save'>; errors: ProxmoxFormErrors } {
  const errors: ProxmoxFormErrors = {};
  const principal = values.principal.trim();
  const request: RequestOf<'proxmox.endpoints.save'> = {
    name: values.name,
    url: values.url.trim().replace(/\/+$/, ''),
    authKind: values.authKind,
    principal,
    tls: values.tls,
  };
  if (existing) request.id = existing.id;

  if (values.secret !== '') request.secret = values.secret;
  else if (!keepsStoredSecret(values, existing)) {
    errors.secret = values.authKind === 'token' ? t('form.tokenSecretMissing') : t('form.passwordMissing');
  }

  if (principal !== '') {
    if (values.authKind === 'token' && !TOKEN_ID.test(principal)) {
      errors.principal = t('form.tokenIdForm');
    } else if (values.authKind === 'password' && !USER_ID.test(principal)) {
      errors.principal = t('form.userForm');
    }
  }

  if (values.tls === 'pinned') {
    const fingerprint = normaliseFingerprint(values.fingerprint);
    if (values.fingerprint.trim() === '') errors.fingerprint = t('form.fingerprintMissing');
    else if (!fingerprint) errors.fingerprint = t('form.fingerprintForm');
    else request.fingerprint = fingerprint;
  }
  if (values.tls === 'insecure' && !values.insecureConfirmed) {
    errors.insecureConfirmed = t('form.insecureConfirm');
  }

  const parsed = requestSchemas['proxmox.endpoints.save'].safeParse(request);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const top = issue.path[0];
      const field: ProxmoxField =
        typeof top === 'string' && (PROXMOX_FIELDS as readonly string[]).includes(top) ? (top as ProxmoxField) : 'name';
      if (errors[field] === undefined) {
        errors[field] = field === 'principal' && values.principal.trim() === '' ? principalMissing(values.authKind) : issueMessage(issue);
      }
    }
  }
  return { request, errors };
}

function principalMissing(kind: ProxmoxAuthKind): string {
  return kind === 'token' ? t('form.tokenIdMissing') : t('form.userMissing');
}
