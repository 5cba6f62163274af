// Electron's safeStorage cannot run here: a STAND-IN keychain for tests. It marks sealed
// values with the keychain prefix and reverses their bytes, so a test can tell a sealed
// secret from plain text in the database file.
import { KEYCHAIN_PREFIX, type SecretStore } from '../../src-main/store/secret-store';

export const standInKeychain: SecretStore = {
  protection: 'os-keychain',
  description: 'stand-in keychain (tests)',
  seal: (secret) => KEYCHAIN_PREFIX + Buffer.from(secret).reverse().toString('base64'),
  open: (stored) => Buffer.from(stored.slice(KEYCHAIN_PREFIX.length), 'base64').reverse().toString(),
  needsReseal: () => false,
};
