// Proxmox answering 500 and 401 in bursts (as pveproxy does while the cluster file system
// or quorum is away, or after its auth key changed), against the emulator with real QEMU:
// starting and stopping a VM app through the core ends with rows that match the cluster
// (no row left in a transient state), errors say what Proxmox said, and after 401s the app
// logs in again by itself.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Core } from '../../src-main/core';
import type { ProxmoxEndpointView } from '../../src-shared/contract';
import type { App, Instance, InstanceState } from '../../src-shared/model';
import { PASSWORD, startTestCluster, TEMPLATE_VMID, USERNAME, type TestCluster } from '../fixtures/proxmox/setup';
import { callCore, openCore, tempDataDir } from '../helpers/core';
import { waitUntil } from '../helpers/x-apps';

const FINAL: InstanceState[] = ['running', 'stopped', 'failed'];

let cluster: TestCluster;
let core: Core;
let app: App;

before(async () => {
  cluster = await startTestCluster();
  core = await openCore(await tempDataDir());
  const endpoint = await call<ProxmoxEndpointView>('proxmox.endpoints.save', {
    name: 'Flaky cluster',
    url: cluster.emu.url,
    authKind: 'password',
    principal: USERNAME,
    secret: PASSWORD,
    tls: 'pinned',
    fingerprint: cluster.emu.fingerprint256,
  });
  app = await call<App>('apps.create', {
    app: { name: 'Flaky VM', provider: 'proxmox', proxmox: { endpointId: endpoint.id, mode: 'clone', templateVmid: TEMPLATE_VMID } },
  });
});

after(async () => {
  await core?.close();
  await cluster?.emu.close();
});

function call<T>(channel: string, payload: unknown): Promise<T> {
  return callCore<T>(core, channel, payload);
}

/** The instance once it is in a final state (running, stopped or failed). */
async function settled(id: string): Promise<Instance> {
  await core.lifecycle.settled(id);
  return waitUntil(async () => {
    const instance = (await call<Instance[]>('instances.list', {})).find((i) => i.id === id);
    return instance && FINAL.includes(instance.state) ? instance : undefined;
  }, 60_000, `instance ${id} to reach a final state`);
}

/** The clones tagged for this instance that the cluster still has. */
function clonesOf(id: string) {
  return cluster.emu.vmList().filter((vm) => vm.tags?.includes(`daas-instance-${id}`));
}

/** What the row says agrees with the cluster. */
function assertRowMatchesCluster(instance: Instance): void {
  const clones = clonesOf(instance.id);
  if (instance.state === 'running') {
    assert.equal(clones.length, 1, 'a running instance has its clone');
    assert.ok(clones[0]!.running, 'and the clone runs');
  } else {
    assert.equal(clones.length, 0, `a ${instance.state} instance left no clone (${JSON.stringify(clones)})`);
  }
}

test('a start into a short burst of 500s still runs the VM', async () => {
  cluster.emu.faults.burst(500, 3);
  const started = await call<Instance>('instances.start', { appId: app.id });
  const instance = await settled(started.id);
  assert.equal(instance.state, 'running', instance.stateReason ?? '');
  assertRowMatchesCluster(instance);
  assert.equal(cluster.emu.faults.burstLeft, 0);

  cluster.emu.faults.burst(500, 3);
  await call('instances.stop', { instanceId: started.id });
  const stopped = await settled(started.id);
  assert.equal(stopped.state, 'stopped', stopped.stateReason ?? '');
  assertRowMatchesCluster(stopped);
});

test('a burst of 500s longer than the retries ends in a final row with Proxmox words, and the app recovers', async () => {
  const started = await call<Instance>('instances.start', { appId: app.id });
  cluster.emu.faults.burst(500, 12);
  const instance = await settled(started.id);
  if (instance.state === 'failed') assert.match(instance.stateReason ?? '', /cluster not ready - no quorum\?/);
  assertRowMatchesCluster(instance);
  await waitUntil(async () => cluster.emu.faults.burstLeft === 0 || undefined, 60_000, 'the burst to pass');

  // Stopping while Proxmox keeps failing: the stop fails in words, the row is final.
  const running = await call<Instance>('instances.start', { appId: app.id });
  assert.equal((await settled(running.id)).state, 'running');
  cluster.emu.faults.burst(500, 12);
  const stop = await call('instances.stop', { instanceId: running.id }).then(() => null, (err: Error) => err);
  const afterStop = await settled(running.id);
  if (stop) assert.match(stop.message, /cluster not ready - no quorum\?/);
  assert.ok(afterStop.state === 'stopped' || afterStop.state === 'failed', afterStop.state);
  await waitUntil(async () => cluster.emu.faults.burstLeft === 0 || undefined, 60_000, 'the burst to pass');
  if (afterStop.state === 'failed') {
    assert.match(afterStop.stateReason ?? '', /cluster not ready - no quorum\?/);
    // A failed stop can be repeated once Proxmox is back, and then nothing is left.
    await call('instances.stop', { instanceId: running.id });
  }
  const final = await settled(running.id);
  assert.equal(final.state === 'failed' ? 'failed' : 'stopped', final.state);
  assert.equal(clonesOf(running.id).length, 0, 'no clone is left once Proxmox answers again');
});

test('after a burst of 401s the app logs in again by itself: start and stop go through', async () => {
  const logins = () => cluster.emu.requests.filter((r) => r.path === '/access/ticket' && r.method === 'POST' && r.status === 200).length;
  const before = logins();
  cluster.emu.faults.burst(401, 3);
  const started = await call<Instance>('instances.start', { appId: app.id });
  const instance = await settled(started.id);
  assert.equal(instance.state, 'running', instance.stateReason ?? '');
  assert.ok(logins() > before, 'a new ticket was obtained after the 401s');
  assertRowMatchesCluster(instance);

  const again = logins();
  cluster.emu.faults.burst(401, 3);
  await call('instances.stop', { instanceId: started.id });
  const stopped = await settled(started.id);
  assert.equal(stopped.state, 'stopped', stopped.stateReason ?? '');
  assert.ok(logins() > again, 'logged in again during the stop');
  assertRowMatchesCluster(stopped);
});
