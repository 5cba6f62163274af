// The limits on running instances (per app, in total, memory claimed), as a user meets them:
// a start beyond one is refused with the limit named and what frees room, and leaves no row
// and no container behind. Real SQLite, real dockerd, the real desktop image.
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, test } from 'node:test';
import type { ErrorInfo } from '../../src-shared/errors';
import type { App, Instance } from '../../src-shared/model';
import { loadSettings } from '../../src-main/config/settings';
import { Core } from '../../src-main/core';
import { LABEL_OWNER } from '../../src-main/providers/docker/docker-labels';
import { docker, removeOwnedBy } from '../helpers/docker';
import { tempDataDir, waitForState, TEST_HOST as HOST } from '../helpers/core';

const cores: Core[] = [];
after(async () => {
  for (const core of cores) {
    await core.close();
    await removeOwnedBy(core.installationId);
  }
});

async function coreWithPolicy(policy: object): Promise<Core> {
  const dir = await tempDataDir();
  const file = path.join(dir, 'policy.json');
  await fs.writeFile(file, JSON.stringify({ version: 1, ...policy }));
  const core = await Core.open({ ...loadSettings(path.join(dir, 'data'), { DAAS_POLICY_FILE: file }), readinessTimeoutMs: 20_000 });
  cores.push(core);
  return core;
}

async function start(core: Core, appId: string): Promise<{ ok: true; instance: Instance } | { ok: false; error: ErrorInfo }> {
  const r = await core.handle('instances.start', { appId }, HOST);
  return r.ok ? { ok: true, instance: r.result as Instance } : { ok: false, error: r.error };
}

async function createApp(core: Core, name: string, memory: string | null): Promise<App> {
  const r = await core.handle('apps.create', { app: { name, provider: 'docker', docker: { image: 'daas/desktop:latest', memory } } }, HOST);
  assert.ok(r.ok, JSON.stringify(r));
  return r.result as App;
}

async function containerCount(core: Core): Promise<number> {
  return (await docker.listContainers({ all: true, filters: { label: [`${LABEL_OWNER}=${core.installationId}`] } })).length;
}

/** Every start has settled (its container created or not) before the counts are read. */
async function settle(core: Core): Promise<void> {
  await core.lifecycle.settledAll();
}

test('a locked per-app limit refuses the next start, names the limit, and writes nothing', async () => {
  const core = await coreWithPolicy({ locked: { maxInstancesPerApp: 1 } });
  const first = await start(core, 'linux-desktop');
  assert.ok(first.ok);
  await waitForState(core, first.instance.id, 'running');

  const second = await start(core, 'linux-desktop');
  assert.equal(second.ok, false);
  if (second.ok) return;
  assert.equal(second.error.code, 'LIMIT_REACHED');
  assert.match(second.error.message, /Linux desktop already runs 1 instances.*\(1, in Settings: Instances\)/);
  assert.match(second.error.action, /Stop an instance of Linux desktop/);
  assert.equal(second.error.messageText?.key, 'error.limit.perApp');
  await settle(core);
  assert.equal((await core.instances.list()).length, 1, 'no row for the refused start');
  assert.equal(await containerCount(core), 1, 'no container for the refused start');

  // The user cannot lift a locked limit.
  const raised = await core.handle('settings.update', { maxInstancesPerApp: 5 }, HOST);
  assert.equal(raised.ok, false);

  // Stopping the instance frees the place.
  const stopped = await core.handle('instances.stop', { instanceId: first.instance.id }, HOST);
  assert.ok(stopped.ok);
  await waitForState(core, first.instance.id, 'stopped');
  const again = await start(core, 'linux-desktop');
  assert.ok(again.ok, 'a start fits again once an instance stopped');
  await waitForState(core, again.instance.id, 'running');
});

test('the total limit counts every app, and starts at the same moment cannot both take the last place', async () => {
  const core = await coreWithPolicy({});
  const updated = await core.handle('settings.update', { maxInstancesTotal: 2 }, HOST);
  assert.ok(updated.ok);
  const other = await createApp(core, 'Second desktop', null);
  const results = await Promise.all([start(core, 'linux-desktop'), start(core, other.id), start(core, 'linux-desktop'), start(core, other.id)]);
  const admitted = results.filter((r) => r.ok);
  const refused = results.filter((r): r is { ok: false; error: ErrorInfo } => !r.ok);
  assert.equal(admitted.length, 2);
  assert.equal(refused.length, 2);
  for (const r of refused) {
    assert.equal(r.error.code, 'LIMIT_REACHED');
    assert.match(r.error.message, /2 instances already run, the most that may run at once \(2/);
    assert.match(r.error.action, /Stop an instance you no longer need/);
  }
  await settle(core);
  assert.equal((await core.instances.list()).length, 2);
  assert.equal(await containerCount(core), 2);
});

test("the memory budget sums the apps' memory limits; an app without one runs only alone", async () => {
  const core = await coreWithPolicy({ recommended: { maxTotalMemoryMiB: 600 } });
  const small = await createApp(core, 'Small desktop', '256m');
  const unlimited = await createApp(core, 'Unlimited desktop', null);

  const alone = await start(core, unlimited.id);
  assert.ok(alone.ok, 'an app without a memory limit starts when nothing else runs');
  const besideIt = await start(core, small.id);
  assert.equal(besideIt.ok, false);
  if (!besideIt.ok) assert.match(besideIt.error.message, /Small desktop would claim 256 MiB.*already claim 600 MiB of the 600 MiB allowed/);
  if (alone.ok) await waitForState(core, alone.instance.id, 'running');
  const stopped = await core.handle('instances.stop', { instanceId: alone.ok ? alone.instance.id : '' }, HOST);
  assert.ok(stopped.ok);
  await settle(core);

  assert.ok((await start(core, small.id)).ok);
  assert.ok((await start(core, small.id)).ok);
  const third = await start(core, small.id);
  assert.equal(third.ok, false);
  if (third.ok) return;
  assert.equal(third.error.code, 'LIMIT_REACHED');
  assert.match(third.error.message, /would claim 256 MiB of memory, but running containers already claim 512 MiB of the 600 MiB allowed/);
  assert.match(third.error.action, /give the app a memory limit/);
  const noLimit = await start(core, unlimited.id);
  assert.equal(noLimit.ok, false);
  if (!noLimit.ok) assert.match(noLimit.error.message, /Unlimited desktop has no memory limit, so it claims all 600 MiB.*already claim 512 MiB/);
  await settle(core);
  const live = (await core.instances.list()).filter((i) => i.state !== 'stopped');
  assert.equal(live.length, 2);
  assert.equal(await containerCount(core), 2);
});
