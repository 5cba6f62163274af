// Secrets in the store: the plain fallback says what it is; the key-file store (serve, and
// Electron without a keyring) encrypts with a key in the data folder; the keychain store
// (Electron safeStorage) is exercised with a stand-in typed by Electron's definitions.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { KEY_FILE, KEY_FILE_PREFIX, KEYCHAIN_PREFIX, KeyFileSecretStore, PlainSecretStore } from '../../src-main/store/secret-store';
import { createSecretStore, type SafeStorageLike } from '../../src-main/electron/safe-storage-secret-store';
import { DaasError } from '../../src-shared/errors';

const SECRET = '3f0c9a52-6b8e-4d8f-9e1f-0b7c2d4e5a61';

test('the plain store round-trips, marks what it stores, and says it does not encrypt', () => {
  const store = new PlainSecretStore();
  assert.equal(store.protection, 'plain');
  assert.match(store.description, /unencrypted.*headless host/);
  const sealed = store.seal(SECRET);
  assert.equal(sealed, `plain:${SECRET}`);
  assert.equal(store.open(sealed), SECRET);
  assert.equal(store.open(store.seal('')), '');
  assert.equal(store.open(store.seal('päß:wörd:')), 'päß:wörd:');
  assert.equal(store.needsReseal(sealed), false);
});

test('the plain store refuses keychain-sealed and unknown text with an error a user can act on', () => {
  const store = new PlainSecretStore();
  for (const stored of [`${KEYCHAIN_PREFIX}AAAA`, SECRET, '']) {
    assert.throws(
      () => store.open(stored),
      (err: unknown) => err instanceof DaasError && /cannot be read/.test(err.message) && /Enter the secret again/.test(err.action),
    );
  }
});

/** XOR with a fixed byte: reversible and visibly not the plain text. */
function fakeSafeStorage(options: { available?: boolean; backend?: ReturnType<SafeStorageLike['getSelectedStorageBackend']> } = {}): SafeStorageLike {
  return {
    isEncryptionAvailable: () => options.available ?? true,
    getSelectedStorageBackend: () => options.backend ?? 'gnome_libsecret',
    encryptString: (plain) => Buffer.from(Buffer.from(plain, 'utf8').map((b) => b ^ 0x5a)),
    decryptString: (buf) => {
      if (buf.length === 0) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return Buffer.from(buf.map((b) => b ^ 0x5a)).toString('utf8');
    },
  };
}

test('with a keychain, secrets are sealed encrypted and plain ones are read and flagged for resealing', () => {
  const store = createSecretStore(fakeSafeStorage(), 'linux');
  assert.equal(store.protection, 'os-keychain');
  const sealed = store.seal(SECRET);
  assert.ok(sealed.startsWith(KEYCHAIN_PREFIX));
  assert.ok(!sealed.includes(SECRET));
  assert.equal(store.open(sealed), SECRET);
  assert.equal(store.needsReseal(sealed), false);
  const old = new PlainSecretStore().seal(SECRET);
  assert.equal(store.open(old), SECRET);
  assert.equal(store.needsReseal(old), true);
  assert.throws(() => store.open(KEYCHAIN_PREFIX), /could not decrypt/);
});

test('no keychain, or Linux without a keyring (basic_text), falls back to the plain store and says why', () => {
  const none = createSecretStore(fakeSafeStorage({ available: false }), 'win32');
  assert.equal(none.protection, 'plain');
  assert.match(none.description, /no keychain/);
  const basic = createSecretStore(fakeSafeStorage({ backend: 'basic_text' }), 'linux');
  assert.equal(basic.protection, 'plain');
  assert.match(basic.description, /keyring/);
  // The backend only matters on Linux.
  assert.equal(createSecretStore(fakeSafeStorage({ backend: 'unknown' }), 'darwin').protection, 'os-keychain');
});

test('the key-file store encrypts with a 0600 key of its own folder, and no other key opens it', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'daas-keyfile-'));
  const dataDir = path.join(dir, 'data');
  const store = await KeyFileSecretStore.open(dataDir);
  assert.equal(store.protection, 'key-file');
  assert.equal(fs.statSync(path.join(dataDir, KEY_FILE)).mode & 0o777, 0o600);
  assert.equal(fs.statSync(path.join(dataDir, KEY_FILE)).size, 32);
  const sealed = store.seal(SECRET);
  assert.ok(sealed.startsWith(KEY_FILE_PREFIX));
  assert.ok(!sealed.includes(SECRET));
  assert.notEqual(store.seal(SECRET), sealed, 'a fresh IV every time');
  assert.equal(store.open(sealed), SECRET);
  assert.equal(store.open(store.seal('päß:wörd:')), 'päß:wörd:');
  // The same folder gives the same key; another folder's key cannot open it, nor can tampering.
  assert.equal((await KeyFileSecretStore.open(dataDir)).open(sealed), SECRET);
  const other = await KeyFileSecretStore.open(path.join(dir, 'other'));
  assert.throws(() => other.open(sealed), /does not match/);
  const tampered = KEY_FILE_PREFIX + Buffer.from(Buffer.from(sealed.slice(KEY_FILE_PREFIX.length), 'base64').map((b, i) => (i === 30 ? b ^ 1 : b))).toString('base64');
  assert.throws(() => store.open(tampered), /does not match/);
  // Plain text from before is read, and flagged to be sealed.
  const old = new PlainSecretStore().seal(SECRET);
  assert.equal(store.open(old), SECRET);
  assert.equal(store.needsReseal(old), true);
  assert.equal(store.needsReseal(sealed), false);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('without a keyring Electron falls back to the key file; a keychain found later reads and reseals its secrets', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'daas-keyfile-'));
  const keyFile = await KeyFileSecretStore.open(dir);
  const noKeyring = createSecretStore(fakeSafeStorage({ backend: 'basic_text' }), 'linux', keyFile);
  assert.equal(noKeyring.protection, 'key-file');
  const sealed = noKeyring.seal(SECRET);
  const keychain = createSecretStore(fakeSafeStorage(), 'linux', keyFile);
  assert.equal(keychain.open(sealed), SECRET);
  assert.equal(keychain.needsReseal(sealed), true);
  fs.rmSync(dir, { recursive: true, force: true });
});
