// The warm pool with real Docker: prepared instances are started and paused in the background,
// not listed, handed out at once on Start (running, listed, their desktop answering), refilled,
// replaced when the app changes, removed when the pool shrinks, kept across a restart of the
// app, and they give way to another app's start at a limit.
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { after, test } from 'node:test';
import type { App, Instance } from '../../src-shared/model';
import { loadSettings } from '../../src-main/config/settings';
import { Core } from '../../src-main/core';
import { LABEL_APP, LABEL_INSTANCE, LABEL_OWNER } from '../../src-main/providers/docker/docker-labels';
import { callCore, tempDataDir } from '../helpers/core';
import { docker, removeOwnedBy } from '../helpers/docker';

const cores: Core[] = [];
const owners = new Set<string>();
after(async () => {
  for (const core of cores) await core.close().catch(() => undefined);
  for (const owner of owners) await removeOwnedBy(owner);
});

async function open(dataDir: string, policy: object = {}): Promise<Core> {
  const file = path.join(dataDir, '..', `${path.basename(dataDir)}-policy.json`);
  await fs.writeFile(file, JSON.stringify({ version: 1, ...policy }));
  const core = await Core.open({ ...loadSettings(dataDir, { DAAS_POLICY_FILE: file }), readinessTimeoutMs: 20_000 });
  cores.push(core);
  owners.add(core.installationId);
  return core;
}

async function containers(core: Core) {
  return docker.listContainers({ all: true, filters: { label: [`${LABEL_OWNER}=${core.installationId}`] } });
}

/**
 * The instance ids of this core's paused (prepared) containers, once there are `count`; with
 * `appId`, of that app's only (a policy pool prepares every built-in app whose image is here).
 */
async function paused(core: Core, count: number, appId?: string, timeoutMs = 30_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ids = (await containers(core))
      .filter((c) => c.State === 'paused' && (appId === undefined || c.Labels[LABEL_APP] === appId))
      .map((c) => c.Labels[LABEL_INSTANCE]!);
    if (ids.length === count) return ids;
    if (Date.now() > deadline) throw new Error(`expected ${count} paused containers, found ${ids.length}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function banner(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let data = '';
    socket.setEncoding('latin1');
    socket.setTimeout(5000, () => socket.destroy(new Error('no banner within 5 s')));
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

const list = (core: Core) => callCore<Instance[]>(core, 'instances.list', {});

test('a policy pool: prepared and paused unseen, handed out running on Start, refilled, kept across a restart', async () => {
  const dataDir = await tempDataDir();
  let core = await open(dataDir, { recommended: { warmPoolSize: 1 } });
  const [prepared] = await paused(core, 1, 'linux-desktop');
  const row = await core.instances.get(prepared!);
  assert.equal(row?.state, 'running');
  assert.ok(row?.warm, 'the row is marked prepared');
  assert.deepEqual(await list(core), [], 'a prepared instance is not listed');
  const [info] = (await containers(core)).filter((c) => c.Labels[LABEL_INSTANCE] === prepared);
  assert.equal(info?.Labels[LABEL_OWNER], core.installationId, 'it carries the owner label');

  // The app restarts: the prepared instance is reconciled and kept, still paused.
  await core.close();
  core = await open(dataDir, { recommended: { warmPoolSize: 1 } });
  assert.deepEqual(await paused(core, 1, 'linux-desktop'), [prepared]);

  const events: Instance[] = [];
  core.subscribe((e) => {
    if (e.event === 'instance.changed') events.push(e.payload);
  });
  const started = await callCore<Instance>(core, 'instances.start', { appId: 'linux-desktop' });
  assert.equal(started.id, prepared, 'Start hands out the prepared instance');
  assert.equal(started.state, 'running');
  assert.equal(started.name, 'Linux desktop #1');
  assert.deepEqual(events.map((e) => [e.id, e.state]), [[prepared, 'running']], 'windows hear of it once, running');
  assert.deepEqual((await list(core)).map((i) => i.id), [prepared]);
  // Start's reply does not wait for the unpause: the container runs again just after.
  await until('its container runs again', async () => (await containers(core)).some((c) => c.Labels[LABEL_INSTANCE] === prepared && c.State === 'running'));
  const connection = await core.instances.getConnection(prepared!);
  assert.equal(await banner(connection!.port), 'RFB 003.008\n', 'its desktop answers');

  const [refill] = await paused(core, 1, 'linux-desktop');
  assert.notEqual(refill, prepared, 'the pool is refilled with a new instance');
  assert.deepEqual((await list(core)).map((i) => i.id), [prepared], 'the refill is not listed');

  // Stop all (as at quit) takes the prepared one too, and the pool deletes its row.
  await callCore(core, 'instances.stopAll', {});
  await core.lifecycle.settledAll();
  await until('no container is left', async () => (await containers(core)).filter((c) => c.Labels[LABEL_INSTANCE] === refill).length === 0);
});

test("an app's own pool: replaced when the app changes, removed when it shrinks to 0", async () => {
  const core = await open(await tempDataDir());
  const app = await callCore<App>(core, 'apps.create', { app: { name: 'Pooled', provider: 'docker', docker: { image: 'daas/desktop:latest', warmPool: 1 } } });
  const [first] = await paused(core, 1);

  await callCore(core, 'apps.update', { appId: app.id, app: { name: 'Pooled', provider: 'docker', desktopWidth: 1024, docker: { image: 'daas/desktop:latest', warmPool: 1 } } });
  await until('the old prepared instance is gone and a new one prepared', async () => {
    const ids = (await containers(core)).filter((c) => c.State === 'paused').map((c) => c.Labels[LABEL_INSTANCE]);
    return ids.length === 1 && ids[0] !== first && !(await core.instances.get(first!));
  });

  await callCore(core, 'apps.update', { appId: app.id, app: { name: 'Pooled', provider: 'docker', desktopWidth: 1024, docker: { image: 'daas/desktop:latest', warmPool: 0 } } });
  await until('no prepared container is left', async () => (await containers(core)).length === 0);
  assert.equal((await core.instances.list()).filter((r) => r.warm).length, 0, 'and no prepared row');

  // An app with prepared instances can be deleted: they are nobody's, and go with it.
  const other = await callCore<App>(core, 'apps.create', { app: { name: 'Pooled too', provider: 'docker', docker: { image: 'daas/desktop:latest', warmPool: 1 } } });
  await paused(core, 1);
  await callCore(core, 'apps.delete', { appId: other.id });
  await until('its prepared container is gone', async () => (await containers(core)).length === 0);
});

test("at the total limit, another app's prepared instance gives way to a start", async () => {
  const core = await open(await tempDataDir(), { recommended: { maxInstancesTotal: 1 } });
  const pooled = await callCore<App>(core, 'apps.create', { app: { name: 'Pooled', provider: 'docker', docker: { image: 'daas/desktop:latest', warmPool: 1 } } });
  const [prepared] = await paused(core, 1);
  const started = await callCore<Instance>(core, 'instances.start', { appId: 'linux-desktop' });
  assert.notEqual(started.id, prepared);
  assert.equal(await core.instances.get(prepared!), undefined, "the other app's prepared instance was discarded");
  await core.lifecycle.settledAll();
  assert.deepEqual((await containers(core)).map((c) => c.Labels[LABEL_INSTANCE]), [started.id], 'only the started one holds a container');
  // The pool cannot refill beyond the limit.
  await core.warmPool.sync();
  assert.equal((await core.instances.list()).filter((r) => r.warm && r.appId === pooled.id).length, 0);
});
