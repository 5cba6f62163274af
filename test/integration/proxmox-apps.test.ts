// VM apps through the core, against the Proxmox emulator backed by real QEMU: endpoint
// settings, clone -> start -> the SeaBIOS screen through tunnel and gateway -> stop and
// delete; a wrong token; the console bridge after DaaS Desktop restarts.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { DisplayTicket, ProxmoxEndpointView, ProxmoxTestResult } from '../../src-shared/contract';
import type { App, Instance } from '../../src-shared/model';
import type { Core } from '../../src-main/core';
import { startTestCluster, TEMPLATE_VMID, TOKEN_ID, type TestCluster } from '../fixtures/proxmox/setup';
import { callCore, openCore, tempDataDir, waitForState } from '../helpers/core';
import { litPixels } from '../helpers/guac-client';

let cluster: TestCluster;
let dataDir: string;
let core: Core;

before(async () => {
  cluster = await startTestCluster();
  dataDir = await tempDataDir();
  core = await openCore(dataDir);
});
after(async () => {
  await core?.close();
  await cluster?.emu.close();
});

const call = <T>(channel: string, payload: unknown) => callCore<T>(core, channel, payload);

async function litPixelsOf(instanceId: string): Promise<number> {
  return litPixels(await call<DisplayTicket>('display.connect', { instanceId }));
}

let endpoint: ProxmoxEndpointView;
let app: App;

test('a Proxmox endpoint with an API token and a pinned certificate; the secret stays inside', async () => {
  endpoint = await call<ProxmoxEndpointView>('proxmox.endpoints.save', {
    name: 'Lab cluster',
    url: cluster.emu.url,
    authKind: 'token',
    principal: TOKEN_ID,
    secret: cluster.secret,
    tls: 'pinned',
    fingerprint: cluster.emu.fingerprint256,
  });
  assert.equal(endpoint.tls, 'pinned');
  assert.ok(!JSON.stringify(await call('proxmox.endpoints.list', {})).includes(cluster.secret), 'the token secret never reaches a window');
  const report = await call<ProxmoxTestResult>('proxmox.endpoints.test', { endpointId: endpoint.id });
  assert.match(report.version, /^\d+\.\d+/);
});

test('a VM app: clone, start, see SeaBIOS through the gateway, stop, and the clone is deleted', async () => {
  app = await call<App>('apps.create', {
    app: { name: 'Lab VM', provider: 'proxmox', proxmox: { endpointId: endpoint.id, mode: 'clone', templateVmid: TEMPLATE_VMID } },
  });
  const vmsBefore = cluster.emu.vmList().length;
  const instance = await call<Instance>('instances.start', { appId: app.id });
  await waitForState(core, instance.id, 'running', 30_000);
  const clone = cluster.emu.vmList().find((vm) => vm.tags?.includes(`daas-instance-${instance.id}`));
  assert.ok(clone, 'the clone carries the instance tag');
  assert.ok(clone.running);
  // The parameters travel encrypted in the ticket: read them on their way in.
  const asked: (string | undefined)[] = [];
  const issue = core.display.issueTicket.bind(core.display);
  core.display.issueTicket = (id, target, size, options) => {
    asked.push((options?.params as { encodings?: string } | undefined)?.encodings);
    return issue(id, target, size, options);
  };
  try {
    assert.ok((await litPixelsOf(instance.id)) > 100, 'the SeaBIOS screen arrives through the bridge, gateway and tunnel');
  } finally {
    core.display.issueTicket = issue;
  }
  // The bridge listens on 127.0.0.1, the VM is across the network: compressed pixels, not raw.
  assert.deepEqual(asked, ['copyrect zrle hextile raw']);

  await call('instances.stop', { instanceId: instance.id });
  assert.equal((await core.instances.get(instance.id))?.state, 'stopped');
  assert.equal(cluster.emu.vmList().length, vmsBefore, 'the clone is deleted');
  assert.ok(!cluster.emu.vmList().some((vm) => vm.vmid === clone.vmid));
});

test('after DaaS Desktop restarts, a running VM instance is still viewable', async () => {
  const instance = await call<Instance>('instances.start', { appId: app.id });
  await waitForState(core, instance.id, 'running', 30_000);
  await core.close();
  core = await openCore(dataDir);
  assert.equal((await core.instances.get(instance.id))?.state, 'running');
  assert.ok((await litPixelsOf(instance.id)) > 100, 'a new console bridge was opened');
  await call('instances.stop', { instanceId: instance.id });
});

test('a wrong token secret gives a readable error and creates nothing', async () => {
  const wrong = await call<ProxmoxEndpointView>('proxmox.endpoints.save', {
    name: 'Wrong secret',
    url: cluster.emu.url,
    authKind: 'token',
    principal: TOKEN_ID,
    secret: '00000000-0000-0000-0000-000000000000',
    tls: 'pinned',
    fingerprint: cluster.emu.fingerprint256,
  });
  await assert.rejects(call('proxmox.endpoints.test', { endpointId: wrong.id }), (err: { info: { message: string; action: string } }) => {
    assert.match(`${err.info.message} ${err.info.action}`, /token|authenticat/i);
    return true;
  });
  const vmApp = await call<App>('apps.create', {
    app: { name: 'Wrong VM', provider: 'proxmox', proxmox: { endpointId: wrong.id, mode: 'clone', templateVmid: TEMPLATE_VMID } },
  });
  const vms = cluster.emu.vmList().length;
  const instances = (await core.instances.list()).length;
  await assert.rejects(call('instances.start', { appId: vmApp.id }));
  assert.equal(cluster.emu.vmList().length, vms, 'no clone');
  assert.equal((await core.instances.list()).length, instances, 'no instance row');
});

test('long VM steps are reported as progress events', async () => {
  const progress: string[] = [];
  const unsubscribe = core.subscribe((e) => {
    if (e.event === 'instance.progress') progress.push(e.payload.message);
  });
  const instance = await call<Instance>('instances.start', { appId: app.id });
  await waitForState(core, instance.id, 'running', 30_000);
  await call('instances.stop', { instanceId: instance.id });
  unsubscribe();
  assert.ok(progress.some((m) => /clon/i.test(m)), progress.join('\n'));
});

test("a running VM's log panel shows its task steps", async () => {
  const instance = await call<Instance>('instances.start', { appId: app.id });
  await waitForState(core, instance.id, 'running', 30_000);
  const { text } = await call<{ text: string }>('instances.logs', { instanceId: instance.id, lines: 100 });
  assert.match(text, /Cloning VM 9000/);
  assert.match(text, /Starting VM/);
  await call('instances.stop', { instanceId: instance.id });
});
