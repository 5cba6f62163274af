// SecretStore on Electron's safeStorage: the OS keychain (Keychain on macOS, DPAPI on
// Windows, libsecret/kwallet on Linux). Takes safeStorage as a parameter so it is tested
// under Node with a stand-in typed by Electron's own definitions.
import type { SafeStorage } from 'electron';
import { KEY_FILE_PREFIX, KEYCHAIN_PREFIX, PLAIN_PREFIX, PlainSecretStore, unreadableSecret, type SecretStore } from '../store/secret-store';

export type SafeStorageLike = Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString' | 'getSelectedStorageBackend'>;

class KeychainSecretStore implements SecretStore {
  readonly protection = 'os-keychain' as const;
  readonly description = "Secrets are encrypted with your operating system's keychain.";

  constructor(
    private readonly safeStorage: SafeStorageLike,
    /** The store used before a keychain was available (a key file): reads what it sealed. */
    private readonly before?: SecretStore,
  ) {}

  seal(secret: string): string {
    return KEYCHAIN_PREFIX + this.safeStorage.encryptString(secret).toString('base64');
  }

  open(stored: string): string {
    // Stored before a keychain was available: still readable, and resealed by the caller.
    if (stored.startsWith(PLAIN_PREFIX)) return stored.slice(PLAIN_PREFIX.length);
    if (stored.startsWith(KEY_FILE_PREFIX) && this.before) return this.before.open(stored);
    if (!stored.startsWith(KEYCHAIN_PREFIX)) throw unreadableSecret('its format is unknown');
    try {
      return this.safeStorage.decryptString(Buffer.from(stored.slice(KEYCHAIN_PREFIX.length), 'base64'));
    } catch {
      throw unreadableSecret('the OS keychain could not decrypt it (a different user, computer or keyring)');
    }
  }

  needsReseal(stored: string): boolean {
    return stored.startsWith(PLAIN_PREFIX) || (stored.startsWith(KEY_FILE_PREFIX) && this.before !== undefined);
  }
}

/**
 * The keychain store when the OS offers real encryption; otherwise `fallback` (the data
 * folder's key file), else the plain store, saying why. On Linux, Chromium's 'basic_text'
 * backend encrypts with a fixed key (no keyring found), which protects nothing, so it
 * counts as no keychain. Call after app 'ready' (safeStorage is not available before on Linux).
 */
export function createSecretStore(safeStorage: SafeStorageLike, platform: NodeJS.Platform = process.platform, fallback?: SecretStore): SecretStore {
  if (!safeStorage.isEncryptionAvailable()) return fallback ?? new PlainSecretStore('the operating system offers no keychain to this app');
  if (platform === 'linux') {
    const backend = safeStorage.getSelectedStorageBackend();
    if (backend === 'basic_text' || backend === 'unknown') {
      return fallback ?? new PlainSecretStore('no desktop keyring (GNOME Keyring or KWallet) is running');
    }
  }
  return new KeychainSecretStore(safeStorage, fallback);
}
