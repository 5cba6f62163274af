// Secrets the app must keep (a Proxmox API token secret) pass through a SecretStore
// before they reach SQLite. In Electron it encrypts with the OS keychain (safeStorage,
// see electron/safe-storage-secret-store.ts); the headless host has no keychain and
// says so instead of pretending.
import { DaasError } from '../../src-shared/errors';
import { errorText } from '../../src-shared/error-texts';

export interface SecretStore {
  /** 'os-keychain': encrypted with a key the OS keeps for this user; 'plain': stored as text. */
  readonly protection: 'os-keychain' | 'plain';
  /** One sentence for settings and logs saying how secrets are kept. */
  readonly description: string;
  /** Turns a secret into the text to store. */
  seal(secret: string): string;
  /** Reads stored text back; throws a DaasError when it cannot (e.g. sealed by another store). */
  open(stored: string): string;
  /** Whether `stored` should be sealed again (it was stored with weaker protection than now available). */
  needsReseal(stored: string): boolean;
}

/** Stored-text prefixes: the form a secret takes in SQLite tells how it was sealed. */
export const PLAIN_PREFIX = 'plain:';
export const KEYCHAIN_PREFIX = 'keychain:v1:';

export function unreadableSecret(why: string): DaasError {
  return new DaasError('INVALID_REQUEST', errorText('error.secret.unreadable', { why }), errorText('fix.secret.enterAgain'));
}

/** No encryption: the headless host, or Electron where the OS offers no keychain. */
export class PlainSecretStore implements SecretStore {
  readonly protection = 'plain' as const;
  readonly description: string;

  constructor(why = 'this process has no OS keychain (headless host)') {
    this.description = `Secrets are stored unencrypted in the app's database, because ${why}. Protect the data folder.`;
  }

  seal(secret: string): string {
    return PLAIN_PREFIX + secret;
  }

  open(stored: string): string {
    if (stored.startsWith(PLAIN_PREFIX)) return stored.slice(PLAIN_PREFIX.length);
    if (stored.startsWith(KEYCHAIN_PREFIX)) throw unreadableSecret('it was encrypted with the desktop app\'s OS keychain, which this process cannot use');
    throw unreadableSecret('its format is unknown');
  }

  needsReseal(_stored: string): boolean {
    return false;
  }
}
