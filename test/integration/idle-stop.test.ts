// Idle auto-stop: no viewer and no input for the app's idle timeout stops the instance;
// a connected viewer keeps it alive. Real container, real tunnel and gateway.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { DisplayTicket } from '../../src-shared/contract';
import type { App, Instance } from '../../src-shared/model';
import type { Core } from '../../src-main/core';
import { containersOf, removeOwnedBy } from '../helpers/docker';
import { callCore, openCore, tempDataDir, waitForState } from '../helpers/core';
import { GuacTestClient } from '../helpers/guac-client';

const MINUTE = 60_000;
let core: Core;

before(async () => {
  core = await openCore(await tempDataDir());
});
after(async () => {
  await core?.close();
  if (core) await removeOwnedBy(core.installationId);
});

const call = <T>(channel: string, payload: unknown) => callCore<T>(core, channel, payload);

test('an instance is stopped after its idle timeout only while nobody views it', async () => {
  const app = await call<App>('apps.create', {
    app: { name: 'Idle 1 min', provider: 'docker', docker: { image: 'daas/desktop:latest' }, idleTimeoutMinutes: 1 },
  });
  const never = await call<App>('apps.create', { app: { name: 'Never idle', provider: 'docker', docker: { image: 'daas/desktop:latest' } } });
  const instance = await call<Instance>('instances.start', { appId: app.id });
  const other = await call<Instance>('instances.start', { appId: never.id });
  await waitForState(core, instance.id, 'running');
  await waitForState(core, other.id, 'running');

  // Not idle long enough yet.
  assert.deepEqual(await core.idle.check(Date.now() + 0.5 * MINUTE), []);

  // A viewer is connected: never idle, however late it is.
  const ticket = await call<DisplayTicket>('display.connect', { instanceId: instance.id });
  const viewer = await GuacTestClient.connect(ticket.tunnelUrl, `token=${encodeURIComponent(ticket.token)}`);
  await viewer.waitForOpcode('sync', 10_000);
  assert.equal(core.display.viewerCount(instance.id), 1);
  assert.deepEqual(await core.idle.check(Date.now() + 10 * MINUTE), []);
  await viewer.close();
  for (let i = 0; i < 50 && core.display.viewerCount(instance.id) > 0; i++) await new Promise((r) => setTimeout(r, 20));

  // The viewer left just now: the clock restarts from its departure.
  assert.deepEqual(await core.idle.check(Date.now() + 0.5 * MINUTE), []);
  const stopped = await core.idle.check(Date.now() + 1.5 * MINUTE);
  assert.deepEqual(stopped, [instance.id], 'only the app with an idle timeout is stopped');
  const row = await core.instances.get(instance.id);
  assert.equal(row?.state, 'stopped');
  assert.match(row?.stateReason ?? '', /after 1 minute without a viewer or input/);
  assert.deepEqual(await containersOf(instance.id), []);
  assert.equal((await core.instances.get(other.id))?.state, 'running');
  await call('instances.stop', { instanceId: other.id });
});
