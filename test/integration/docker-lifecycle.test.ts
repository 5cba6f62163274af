// The built-in app through the real core: real SQLite, real dockerd, the real desktop image.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, test } from 'node:test';
import type { Core } from '../../src-main/core';
import { containersOf, docker, removeOwnedBy } from '../helpers/docker';
import { openCore, tempDataDir, waitForState, TEST_HOST as HOST } from '../helpers/core';

let dataDir: string;
let core: Core;

before(async () => {
  dataDir = await tempDataDir();
  core = await openCore(dataDir);
});

after(async () => {
  await core?.close();
  if (core) await removeOwnedBy(core.installationId);
});

function readBanner(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let data = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      data += chunk;
      if (data.length >= 12) {
        socket.destroy();
        resolve(data.slice(0, 12));
      }
    });
    socket.on('error', reject);
  });
}

test('start the built-in app, find its labelled container on loopback only, stop it', async () => {
  const started = await core.handle('instances.start', { appId: 'linux-desktop' }, HOST);
  assert.ok(started.ok, JSON.stringify(started));
  const instance = started.result as { id: string; state: string };
  assert.equal(instance.state, 'creating');

  const running = await waitForState(core, instance.id, 'running');
  assert.equal(running.stateReason, null);

  const containers = await containersOf(instance.id);
  assert.equal(containers.length, 1, 'exactly one container carries the instance label');
  const info = await docker.getContainer(containers[0]!.Id).inspect();
  assert.equal(info.State.Running, true);
  const bindings = Object.values(info.NetworkSettings.Ports ?? {}).flat().filter(Boolean);
  assert.ok(bindings.length >= 1, 'the VNC port is published');
  for (const b of bindings) assert.equal(b!.HostIp, '127.0.0.1', 'published on loopback only');
  assert.ok(info.Config.Env.some((e) => /^VNC_PASSWORD=.{8}$/.test(e)), 'a per-instance VNC password');

  const connection = await core.instances.getConnection(instance.id);
  assert.ok(connection);
  assert.equal(Number(bindings[0]!.HostPort), connection.port);
  assert.equal(await readBanner(connection.port), 'RFB 003.008\n');

  // What the renderer sees carries no secret.
  const listed = await core.handle('instances.list', {}, HOST);
  assert.ok(listed.ok);
  assert.doesNotMatch(JSON.stringify(listed.result), new RegExp(connection.password));
  assert.doesNotMatch(JSON.stringify(listed.result), new RegExp(String(connection.port)));

  const stopped = await core.handle('instances.stop', { instanceId: instance.id }, HOST);
  assert.ok(stopped.ok, JSON.stringify(stopped));
  assert.equal((stopped.result as { state: string }).state, 'stopped');
  assert.deepEqual(await containersOf(instance.id), [], 'the container is gone');

  const row = await core.instances.get(instance.id);
  assert.equal(row?.state, 'stopped');
  const history = (await core.instances.events(instance.id)).map((e) => e.state);
  assert.deepEqual(history, ['creating', 'starting', 'running', 'stopping', 'stopped']);
});

test('the catalogue and instance history survive a restart', async () => {
  const before = await core.instances.list();
  await core.close();
  core = await openCore(dataDir);
  const apps = await core.handle('apps.list', {}, HOST);
  assert.ok(apps.ok);
  assert.ok((apps.result as { id: string }[]).some((a) => a.id === 'linux-desktop'));
  const after = await core.instances.list();
  assert.deepEqual(
    after.map((i) => [i.id, i.state]),
    before.map((i) => [i.id, i.state]),
  );
  assert.ok(after.length >= 1);
});

test('an unknown app id is a typed error and creates nothing', async () => {
  const count = (await core.instances.list()).length;
  const result = await core.handle('instances.start', { appId: 'no-such-app' }, HOST);
  assert.equal(result.ok, false);
  if (!result.ok) {
    assert.equal(result.error.code, 'APP_NOT_FOUND');
    assert.match(result.error.action, /catalogue/);
  }
  assert.equal((await core.instances.list()).length, count);
});

test('stopping a stopped instance is a typed error and changes nothing', async () => {
  const [stopped] = (await core.instances.list()).filter((i) => i.state === 'stopped');
  assert.ok(stopped, 'the first test left a stopped instance');
  const eventsBefore = await core.instances.events(stopped.id);
  const result = await core.handle('instances.stop', { instanceId: stopped.id }, HOST);
  assert.equal(result.ok, false);
  if (!result.ok) {
    assert.equal(result.error.code, 'INVALID_TRANSITION');
    assert.match(result.error.message, /already stopped/);
  }
  assert.deepEqual(await core.instances.events(stopped.id), eventsBefore);
});

test('stopping an unknown instance is a typed error', async () => {
  const result = await core.handle('instances.stop', { instanceId: 'nope' }, HOST);
  assert.equal(result.ok, false);
  if (!result.ok) assert.equal(result.error.code, 'INSTANCE_NOT_FOUND');
});

test('a missing image is a typed error that says how to get it, and no instance is stuck', async () => {
  const created = await core.handle(
    'apps.create',
    { app: { name: 'Missing image', provider: 'docker', docker: { image: 'daas/does-not-exist:1' } } },
    HOST,
  );
  assert.ok(created.ok, JSON.stringify(created));
  const result = await core.handle('instances.start', { appId: (created.result as { id: string }).id }, HOST);
  assert.equal(result.ok, false);
  if (!result.ok) {
    assert.equal(result.error.code, 'IMAGE_MISSING');
    assert.match(result.error.message, /daas\/does-not-exist:1/);
    assert.match(result.error.action, /pull|build/i);
  }
  const stuck = (await core.instances.list()).filter((i) => ['creating', 'starting', 'stopping'].includes(i.state));
  assert.deepEqual(stuck, []);
});

test('Docker unreachable is a typed error that says to start Docker, and no instance is stuck', async () => {
  const dir = await tempDataDir();
  const offline = await openCore(dir, { dockerSocket: `${dir}/no-docker.sock` });
  try {
    const result = await offline.handle('instances.start', { appId: 'linux-desktop' }, HOST);
    assert.equal(result.ok, false);
    if (!result.ok) {
      assert.equal(result.error.code, 'DOCKER_UNREACHABLE');
      assert.match(result.error.action, /Start Docker/);
    }
    assert.deepEqual(await offline.instances.list(), []);
  } finally {
    await offline.close();
  }
});
