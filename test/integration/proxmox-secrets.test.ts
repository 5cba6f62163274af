// Proxmox credentials pass through the SecretStore before they reach SQLite. Electron's
// safeStorage cannot run here, so a stand-in store that marks and reverses the bytes
// plays the OS keychain; the plain store is what a caller may still pass explicitly (the
// headless host's key-file store is tested in store-secrets.test.ts).
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import type { ProxmoxEndpointView } from '../../src-shared/contract';
import { KEYCHAIN_PREFIX, PlainSecretStore } from '../../src-main/store/secret-store';
import { standInKeychain } from '../helpers/stand-in-keychain';
import { Core } from '../../src-main/core';
import { DATABASE_FILE } from '../../src-main/store/database';
import { tempDataDir, testSettings, TEST_HOST as HOST } from '../helpers/core';

const SECRET = '6f1c2a3b-0000-4000-8000-1234567890ab';
const cores: Core[] = [];
after(async () => {
  for (const core of cores) await core.close();
});

function storedSecrets(dataDir: string): string[] {
  const db = new BetterSqlite3(path.join(dataDir, DATABASE_FILE), { readonly: true });
  try {
    return (db.prepare('SELECT secret FROM proxmox_endpoints').all() as { secret: string }[]).map((r) => r.secret);
  } finally {
    db.close();
  }
}

test('with a keychain the token secret is sealed in SQLite and never sent to a window', async () => {
  const dataDir = await tempDataDir();
  const core = await Core.open(testSettings(dataDir), { secrets: standInKeychain });
  cores.push(core);
  const saved = await core.handle(
    'proxmox.endpoints.save',
    { name: 'Sealed', url: 'https://127.0.0.1:8006', authKind: 'token', principal: 'daas@pve!desktop', secret: SECRET, tls: 'system' },
    HOST,
  );
  assert.ok(saved.ok, JSON.stringify(saved));
  const [stored] = storedSecrets(dataDir);
  assert.ok(stored?.startsWith(KEYCHAIN_PREFIX));
  assert.ok(!stored.includes(SECRET), 'not stored as plain text');
  const listed = await core.handle('proxmox.endpoints.list', {}, HOST);
  assert.ok(listed.ok);
  assert.ok(!JSON.stringify(listed.result).includes(SECRET));
  assert.equal((listed.result as ProxmoxEndpointView[])[0]?.principal, 'daas@pve!desktop');
});

test('the plain store keeps secrets marked as plain, and reads them back', async () => {
  const dataDir = await tempDataDir();
  const core = await Core.open(testSettings(dataDir), { secrets: new PlainSecretStore() });
  cores.push(core);
  const saved = await core.handle(
    'proxmox.endpoints.save',
    { name: 'Plain', url: 'https://127.0.0.1:8006', authKind: 'password', principal: 'alice@pve', secret: 'pw', tls: 'insecure' },
    HOST,
  );
  assert.ok(saved.ok, JSON.stringify(saved));
  assert.deepEqual(storedSecrets(dataDir), ['plain:pw']);
  // Saving again without a secret keeps the stored one.
  const again = await core.handle(
    'proxmox.endpoints.save',
    { id: (saved.result as ProxmoxEndpointView).id, name: 'Renamed', url: 'https://127.0.0.1:8006', authKind: 'password', principal: 'alice@pve', tls: 'insecure' },
    HOST,
  );
  assert.ok(again.ok, JSON.stringify(again));
  assert.deepEqual(storedSecrets(dataDir), ['plain:pw']);
});
