// What the data folder gives away to someone who can read its files: the folder is the
// user's alone, the database holds no VNC password, Proxmox secret or TLS key in clear
// (the headless host seals them with its key file), older plain rows are sealed on open,
// an ended instance keeps no password, and old events are pruned. Real SQLite, real Docker.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import type { Instance } from '../../src-shared/model';
import { KEY_FILE, KEY_FILE_PREFIX } from '../../src-main/store/secret-store';
import type { Core } from '../../src-main/core';
import { DATABASE_FILE } from '../../src-main/store/database';
import { callCore, openCore, tempDataDir, waitForState } from '../helpers/core';
import { containersOf, docker } from '../helpers/docker';
import { makePki } from '../helpers/tls-docker-proxy';
import { waitUntil } from '../helpers/x-apps';

const PROXMOX_SECRET = '6f1c2a3b-0000-4000-8000-1234567890ab';
const cores: Core[] = [];
const started: string[] = [];

after(async () => {
  for (const core of cores) await core.close().catch(() => undefined);
  for (const id of started) {
    for (const c of await containersOf(id)) await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
  }
});

async function open(dataDir: string): Promise<Core> {
  const core = await openCore(dataDir);
  cores.push(core);
  return core;
}

async function close(core: Core): Promise<void> {
  await core.close();
  cores.splice(cores.indexOf(core), 1);
}

/** Every byte SQLite keeps in the folder: the database, its WAL and shared memory. */
function rawDatabase(dataDir: string): Buffer {
  return Buffer.concat(
    ['', '-wal', '-shm'].map((suffix) => path.join(dataDir, DATABASE_FILE + suffix)).filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)),
  );
}

function sqlite(dataDir: string): BetterSqlite3.Database {
  return new BetterSqlite3(path.join(dataDir, DATABASE_FILE));
}

const mode = (file: string) => fs.statSync(file).mode & 0o777;

test('a new data folder is 0700 and every file in it 0600', async () => {
  const dataDir = path.join(await tempDataDir(), 'new-folder');
  const core = await open(dataDir);
  await callCore(core, 'settings.update', { theme: 'dark' }); // a write, so the WAL exists
  assert.equal(mode(dataDir), 0o700);
  const files = fs.readdirSync(dataDir);
  for (const name of [DATABASE_FILE, `${DATABASE_FILE}-wal`, `${DATABASE_FILE}-shm`, KEY_FILE]) assert.ok(files.includes(name), name);
  for (const name of files) assert.equal(mode(path.join(dataDir, name)), 0o600, name);
  await close(core);
});

test('an existing folder left readable by others is tightened on open', async () => {
  const dataDir = await tempDataDir();
  await close(await open(dataDir));
  fs.chmodSync(dataDir, 0o755);
  fs.chmodSync(path.join(dataDir, DATABASE_FILE), 0o644);
  await close(await open(dataDir));
  assert.equal(mode(dataDir), 0o700);
  assert.equal(mode(path.join(dataDir, DATABASE_FILE)), 0o600);
});

test('the database file holds no VNC password, Proxmox secret or TLS key in clear; a stopped instance keeps none', async () => {
  const dataDir = await tempDataDir();
  const core = await open(dataDir);
  const saved = await core.handle(
    'proxmox.endpoints.save',
    { name: 'Sealed', url: 'https://127.0.0.1:8006', authKind: 'token', principal: 'daas@pve!desktop', secret: PROXMOX_SECRET, tls: 'system' },
    { openViewer: async () => ({ kind: 'opened' as const }) },
  );
  assert.ok(saved.ok, JSON.stringify(saved));
  const { client } = await makePki();
  await callCore(core, 'docker.endpoints.save', { name: 'TLS engine', url: 'tcp://127.0.0.1:2376', tls: client });
  const instance = await callCore<Instance>(core, 'instances.start', { appId: 'linux-desktop' });
  started.push(instance.id);
  await waitForState(core, instance.id, 'running');
  const password = (await core.instances.getConnection(instance.id))!.password;
  assert.equal(password.length, 8);
  // The password really is the one the desktop asks for (the container got it).
  assert.equal((await containersOf(instance.id)).length, 1);

  const raw = rawDatabase(dataDir);
  assert.ok(!raw.includes(Buffer.from(password)), 'the VNC password is not in the database files');
  assert.ok(!raw.includes(Buffer.from(PROXMOX_SECRET)), 'the Proxmox secret is not in the database files');
  const keyBody = client.key.split('\n')[1]!;
  assert.ok(keyBody.length > 40 && !raw.includes(Buffer.from(keyBody)), 'the TLS private key is not in the database files');
  const db = sqlite(dataDir);
  const stored = db.prepare('SELECT password FROM connections WHERE instance_id = ?').get(instance.id) as { password: string };
  assert.ok(stored.password.startsWith(KEY_FILE_PREFIX));
  db.close();

  await callCore(core, 'instances.stop', { instanceId: instance.id });
  const after = sqlite(dataDir);
  assert.deepEqual(after.prepare('SELECT password FROM connections WHERE instance_id = ?').get(instance.id), { password: '' });
  after.close();
  assert.equal((await core.instances.getConnection(instance.id))?.password, '');
  await close(core);
});

test('plain secrets written by earlier versions are sealed on open, and ended instances lose theirs', async () => {
  const dataDir = await tempDataDir();
  await close(await open(dataDir));
  // Rows as earlier versions wrote them: passwords and the TLS key in clear, the Proxmox secret marked plain.
  const db = sqlite(dataDir);
  const now = new Date().toISOString();
  const addInstance = (id: string, state: string, password: string) => {
    db.prepare(
      "INSERT INTO instances (id, app_id, name, state, provider, endpoint_id, created_at, updated_at) VALUES (?, 'linux-desktop', ?, ?, 'docker', 'elsewhere', ?, ?)",
    ).run(id, id, state, now, now);
    db.prepare("INSERT INTO connections (instance_id, protocol, host, port, password) VALUES (?, 'vnc', '127.0.0.1', 5901, ?)").run(id, password);
  };
  addInstance('legacy-running', 'running', 'Run1Pass');
  addInstance('legacy-stopped', 'stopped', 'Old2Pass');
  db.prepare(
    "INSERT INTO proxmox_endpoints (id, name, url, auth_kind, principal, secret, tls_mode, created_at) VALUES ('pve-old', 'Old', 'https://127.0.0.1:8006', 'token', 'daas@pve!desktop', ?, 'system', ?)",
  ).run(`plain:${PROXMOX_SECRET}`, now);
  const tlsKey = '-----BEGIN PRIVATE KEY-----\nTLSKEYMATERIAL\n-----END PRIVATE KEY-----\n';
  db.prepare("INSERT INTO docker_endpoints (id, name, url, tls_ca, tls_cert, tls_key, created_at) VALUES ('tls-old', 'Old TLS', 'tcp://127.0.0.1:1', 'ca', 'cert', ?, ?)").run(tlsKey, now);
  db.close();

  const core = await open(dataDir);
  const raw = rawDatabase(dataDir);
  for (const secret of ['Run1Pass', 'Old2Pass', PROXMOX_SECRET, 'TLSKEYMATERIAL']) assert.ok(!raw.includes(Buffer.from(secret)), `${secret} not in clear`);
  // Still readable where they are needed.
  assert.equal((await core.instances.getConnection('legacy-running'))?.password, 'Run1Pass');
  assert.equal((await core.instances.getConnection('legacy-stopped'))?.password, '');
  const listed = await callCore<{ id: string; principal: string }[]>(core, 'proxmox.endpoints.list', {});
  assert.ok(listed.some((e) => e.id === 'pve-old'));
  await close(core);
});

test('events older than eventRetentionDays are pruned in batches; newer ones stay', async () => {
  const dataDir = await tempDataDir();
  const core = await open(dataDir);
  const instance = await core.instances.create({
    id: 'events-instance',
    appId: 'linux-desktop',
    name: 'Events',
    provider: 'docker',
    endpointId: 'elsewhere',
    connection: { protocol: 'vnc', host: '127.0.0.1', port: 0, password: 'x' },
  });
  const db = sqlite(dataDir);
  const insert = db.prepare("INSERT INTO events (instance_id, at, state) VALUES (?, ?, 'running')");
  const day = 24 * 60 * 60 * 1000;
  db.transaction(() => {
    for (let i = 0; i < 1200; i++) insert.run(instance.id, new Date(Date.now() - 40 * day - i * 1000).toISOString());
    for (let i = 0; i < 5; i++) insert.run(instance.id, new Date(Date.now() - 10 * day).toISOString());
  })();
  const count = () => (db.prepare('SELECT count(*) AS n FROM events WHERE instance_id = ?').get(instance.id) as { n: number }).n;
  assert.equal(count(), 1206);

  assert.equal(await core.eventPruner.run(), 1200, 'the 40-day-old events, past the default 30 days');
  assert.equal(count(), 6);
  await callCore(core, 'settings.update', { eventRetentionDays: 7 });
  assert.equal(await core.eventPruner.run(), 5);
  assert.equal(count(), 1, 'only the event written just now');

  // At start-up, without being asked.
  await close(core);
  insert.run(instance.id, new Date(Date.now() - 8 * day).toISOString());
  assert.equal(count(), 2);
  const reopened = await open(dataDir);
  await waitUntil(async () => count() === 1, 10_000, 'the start-up prune');
  db.close();
  await close(reopened);
});
