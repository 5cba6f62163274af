// Secrets the app must keep (VNC passwords, Proxmox credentials, TLS keys) pass through a
// SecretStore before they reach SQLite. In Electron it encrypts with the OS keychain
// (safeStorage, see electron/safe-storage-secret-store.ts); the headless host has no
// keychain and encrypts with a key file in the data folder, which keeps the database
// alone (a copy, a backup, a bug report) from giving secrets away, but not the folder.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { DaasError } from '../../src-shared/errors';
import { errorText } from '../../src-shared/error-texts';
import { fileSystemError } from './storage-errors';

export interface SecretStore {
  /**
   * 'os-keychain': encrypted with a key the OS keeps for this user; 'key-file': encrypted
   * with a key kept in the data folder; 'plain': stored as text.
   */
  readonly protection: 'os-keychain' | 'key-file' | 'plain';
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
export const KEY_FILE_PREFIX = 'keyfile:v1:';

/** The key file's name in the data folder. */
export const KEY_FILE = 'secrets.key';

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

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM with a random 32-byte key in `secrets.key` (0600) in the data folder: the
 * headless host's store. Whoever can read the data folder can read the secrets; the
 * database file alone cannot.
 */
export class KeyFileSecretStore implements SecretStore {
  readonly protection = 'key-file' as const;
  readonly description: string;

  private constructor(
    private readonly key: Buffer,
    keyFile: string,
  ) {
    this.description = `Secrets are encrypted with a key kept in ${keyFile}: protect the data folder, since whoever can read it can read them.`;
  }

  /** Reads the data folder's key, or creates it (0600) on first use. */
  static async open(dataDir: string): Promise<KeyFileSecretStore> {
    const file = path.join(dataDir, KEY_FILE);
    try {
      await fs.mkdir(dataDir, { recursive: true, mode: 0o700 });
      return new KeyFileSecretStore(await readKey(file), file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw fileSystemError(err, dataDir);
    }
    try {
      // 'wx': two processes starting at once must not each write their own key.
      await fs.writeFile(file, randomBytes(32), { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        await fs.rm(file, { force: true }).catch(() => undefined);
        throw fileSystemError(err, dataDir);
      }
    }
    return new KeyFileSecretStore(await readKey(file), file);
  }

  seal(secret: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return KEY_FILE_PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  open(stored: string): string {
    // Stored before this store existed: still readable, and resealed on open.
    if (stored.startsWith(PLAIN_PREFIX)) return stored.slice(PLAIN_PREFIX.length);
    if (stored.startsWith(KEYCHAIN_PREFIX)) throw unreadableSecret('it was encrypted with the desktop app\'s OS keychain, which this process cannot use');
    if (!stored.startsWith(KEY_FILE_PREFIX)) throw unreadableSecret('its format is unknown');
    const raw = Buffer.from(stored.slice(KEY_FILE_PREFIX.length), 'base64');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, IV_BYTES));
      decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw unreadableSecret('the key file in the data folder does not match it (the key file was replaced or lost)');
    }
  }

  needsReseal(stored: string): boolean {
    return stored.startsWith(PLAIN_PREFIX);
  }
}

async function readKey(file: string): Promise<Buffer> {
  const key = await fs.readFile(file);
  if (key.length !== 32) throw unreadableSecret(`the key file ${file} is damaged`);
  return key;
}
