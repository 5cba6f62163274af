// Many instances, tools and failures, through the real core and real dockerd.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { InstanceStats } from '../../src-shared/contract';
import type { App, Instance } from '../../src-shared/model';
import type { Core } from '../../src-main/core';
import { containersOf, docker, removeOwnedBy } from '../helpers/docker';
import { callCore, openCore, tempDataDir, waitForState } from '../helpers/core';

let core: Core;

before(async () => {
  core = await openCore(await tempDataDir());
});
after(async () => {
  await core?.close();
  if (core) await removeOwnedBy(core.installationId);
});

const call = <T>(channel: string, payload: unknown) => callCore<T>(core, channel, payload);

test('10 concurrent starts of one app all reach running, with distinct ports and passwords', async () => {
  const started = await Promise.all(Array.from({ length: 10 }, () => call<Instance>('instances.start', { appId: 'linux-desktop' })));
  await Promise.all(started.map((i) => waitForState(core, i.id, 'running', 60_000)));
  const connections = await Promise.all(started.map((i) => core.instances.getConnection(i.id)));
  assert.equal(new Set(connections.map((c) => c!.port)).size, 10, 'distinct ports');
  assert.equal(new Set(connections.map((c) => c!.password)).size, 10, 'distinct passwords');
  assert.equal(new Set(started.map((i) => i.name)).size, 10, 'distinct names');
  for (const i of started) assert.equal((await containersOf(i.id)).length, 1);

  const { stopping } = await call<{ stopping: number }>('instances.stopAll', {});
  assert.equal(stopping, 10);
  for (const i of started) {
    assert.equal((await core.instances.get(i.id))?.state, 'stopped');
    assert.deepEqual(await containersOf(i.id), []);
  }
});

test('a container killed outside the app is reflected within 2 s, with the reason', async () => {
  const instance = await call<Instance>('instances.start', { appId: 'linux-desktop' });
  await waitForState(core, instance.id, 'running');
  const [container] = await containersOf(instance.id);
  const killedAt = Date.now();
  await docker.getContainer(container!.Id).kill();
  const failed = await waitForState(core, instance.id, 'failed', 2_000);
  console.log(`# docker kill reflected after ${Date.now() - killedAt} ms`);
  assert.match(failed.stateReason ?? '', /outside DaaS Desktop \(exit code 137, killed\)/);
  // Windows translate it: the reason also travels as a key and its parameters.
  assert.deepEqual(failed.stateReasonText?.texts, [{ key: 'reason.killedOutside', params: { code: 137 } }]);
  const listed = (await call<Instance[]>('instances.list', {})).find((i) => i.id === instance.id);
  assert.deepEqual(listed?.stateReasonText, failed.stateReasonText, 'stored and read back from SQLite');
  // The dead container is cleaned up, not left behind.
  for (let i = 0; i < 20 && (await containersOf(instance.id)).length; i++) await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(await containersOf(instance.id), []);
});

test('a container removed outside the app makes its instance stopped', async () => {
  const instance = await call<Instance>('instances.start', { appId: 'linux-desktop' });
  await waitForState(core, instance.id, 'running');
  const [container] = await containersOf(instance.id);
  await docker.getContainer(container!.Id).remove({ force: true });
  const after = await waitForState(core, instance.id, 'failed', 2_000).catch(() => waitForState(core, instance.id, 'stopped', 2_000));
  assert.match(after.stateReason ?? '', /outside DaaS Desktop/);
});

test('an image without a VNC server fails within the readiness timeout, with its last log lines', async () => {
  await call('settings.update', { readinessTimeoutSeconds: 5 });
  try {
    const app = await call<App>('apps.create', {
      app: {
        name: 'No VNC here',
        provider: 'docker',
        docker: { image: 'daas/desktop:latest', command: ['sh', '-c', 'echo "this image has no VNC server"; exec sleep 600'] },
      },
    });
    const t0 = Date.now();
    const instance = await call<Instance>('instances.start', { appId: app.id });
    const failed = await waitForState(core, instance.id, 'failed', 15_000);
    assert.ok(Date.now() - t0 < 12_000, 'failed soon after the 5 s readiness timeout');
    assert.match(failed.stateReason ?? '', /did not answer within 5 s/);
    assert.match(failed.stateReason ?? '', /this image has no VNC server/);
    assert.deepEqual(failed.stateReasonText?.texts.map((t) => t.key), ['error.desktop.vncSilent', 'fix.desktop.checkVnc']);
    assert.match(failed.stateReasonText?.logs ?? '', /this image has no VNC server/, 'log lines verbatim');
    assert.deepEqual(await containersOf(instance.id), [], 'the failed container is removed');
  } finally {
    await call('settings.update', { readinessTimeoutSeconds: 30 });
  }
});

test('logs, stats, restart and force stop of a running instance', async () => {
  const instance = await call<Instance>('instances.start', { appId: 'linux-desktop' });
  await waitForState(core, instance.id, 'running');

  const { text } = await call<{ text: string }>('instances.logs', { instanceId: instance.id, lines: 50 });
  assert.match(text, /Xvnc|TigerVNC|vncext/i, 'the VNC server log');

  const stats = await call<InstanceStats>('instances.stats', { instanceId: instance.id });
  assert.ok(stats.memoryBytes > 1024 * 1024, `memory in use: ${stats.memoryBytes}`);
  assert.ok(stats.memoryLimitBytes >= stats.memoryBytes);
  assert.ok(stats.cpuPercent >= 0);

  const [before] = await containersOf(instance.id);
  const restarting = await call<Instance>('instances.restart', { instanceId: instance.id });
  assert.equal(restarting.state, 'starting');
  await waitForState(core, instance.id, 'running', 30_000);
  await core.lifecycle.settled(instance.id);
  const [afterRestart] = await containersOf(instance.id);
  assert.equal(afterRestart?.Id, before?.Id, 'the same container restarted');
  assert.equal((await core.instances.get(instance.id))?.state, 'running');

  const stopped = await call<Instance>('instances.forceStop', { instanceId: instance.id });
  assert.equal(stopped.state, 'stopped');
  assert.match(stopped.stateReason ?? '', /Force-stopped/);
  assert.deepEqual(await containersOf(instance.id), []);
});

test('an app with limits starts a container with those limits', async () => {
  const app = await call<App>('apps.create', {
    app: { name: 'Limited', provider: 'docker', docker: { image: 'daas/desktop:latest', memory: '512m', cpus: 0.5, shmSize: '128m', env: { GREETING: 'hello' } } },
  });
  const instance = await call<Instance>('instances.start', { appId: app.id });
  await waitForState(core, instance.id, 'running');
  const [container] = await containersOf(instance.id);
  const info = await docker.getContainer(container!.Id).inspect();
  assert.equal(info.HostConfig.Memory, 512 * 1024 * 1024);
  assert.equal(info.HostConfig.NanoCpus, 0.5e9);
  assert.equal(info.HostConfig.ShmSize, 128 * 1024 * 1024);
  assert.ok(info.Config.Env.includes('GREETING=hello'));
  await call('instances.stop', { instanceId: instance.id });
});

test('a force stop while the container is still being made, then quitting: the start settles first and leaves no container behind', async () => {
  const dataDir = await tempDataDir();
  const quitting = await openCore(dataDir);
  let instance: Instance | undefined;
  try {
    instance = await callCore<Instance>(quitting, 'instances.start', { appId: 'linux-desktop' });
    await callCore(quitting, 'instances.forceStop', { instanceId: instance.id });
    await quitting.close();
    // Checked before reopening: a reopened app would clear up leftovers itself.
    assert.deepEqual(await containersOf(instance.id), [], 'the start did not go on to make a container after the stop');
    const reopened = await openCore(dataDir);
    try {
      assert.equal((await reopened.instances.get(instance.id))?.state, 'stopped');
    } finally {
      await reopened.close();
    }
  } finally {
    await removeOwnedBy(quitting.installationId);
  }
});
