// "Save as new app…": a container instance becomes a new image and a catalogue entry whose
// instances have the saved files (real dockerd, the real desktop image); a stopped, kept
// Proxmox clone becomes a template that the new app clones (the emulator, real QEMU).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { DaasEvent, ProxmoxEndpointView } from '../../src-shared/contract';
import type { App, DockerApp, Instance, ProxmoxApp } from '../../src-shared/model';
import type { Core } from '../../src-main/core';
import { startTestCluster, TEMPLATE_VMID, TOKEN_ID, type TestCluster } from '../fixtures/proxmox/setup';
import { callCore, openCore, tempDataDir, waitForState } from '../helpers/core';
import { containersOf, docker, dockerExec, removeOwnedBy } from '../helpers/docker';

describe('a container instance saved as a new app', () => {
  let core: Core;
  let dataDir: string;
  const images: string[] = [];
  const progress: DaasEvent[] = [];
  const call = <T>(channel: string, payload: unknown) => callCore<T>(core, channel, payload);

  before(async () => {
    dataDir = await tempDataDir();
    core = await openCore(dataDir);
    core.subscribe((e) => {
      if (e.event === 'instance.progress') progress.push(e);
    });
  });
  after(async () => {
    await core?.close();
    if (core) await removeOwnedBy(core.installationId);
    for (const image of images) await docker.getImage(image).remove({ force: true }).catch(() => undefined);
  });

  test('a file written in the instance is there in an instance of the saved app', async () => {
    const original = await call<Instance>('instances.start', { appId: 'linux-desktop' });
    await waitForState(core, original.id, 'running');
    const [container] = await containersOf(original.id);
    const wrote = await dockerExec(container!.Id, ['sh', '-c', 'echo "kept by Save as app" > /home/desktop/notes.txt'], 'desktop');
    assert.equal(wrote.exitCode, 0, wrote.output);

    const saved = await call<DockerApp>('instances.saveAsApp', { instanceId: original.id, name: 'My saved desktop' });
    images.push(saved.docker.image);
    assert.match(saved.docker.image, /^daas\/saved-my-saved-desktop:\d{14}$/);
    assert.equal(saved.name, 'My saved desktop');
    const from = (await core.apps.get('linux-desktop')) as DockerApp;
    assert.deepEqual({ ...saved.docker, image: from.docker.image, security: undefined }, { ...from.docker, security: undefined }, "the app's settings are copied");
    assert.equal(saved.desktopWidth, from.desktopWidth);
    assert.ok((await call<App[]>('apps.list', {})).some((a) => a.id === saved.id), 'the catalogue lists it');
    assert.ok(
      progress.some((e) => e.event === 'instance.progress' && e.payload.instanceId === original.id && e.payload.text?.key === 'progress.save.committing'),
      'the step is reported',
    );
    const image = await docker.getImage(saved.docker.image).inspect();
    const secret = (await core.instances.getConnection(original.id))!.password;
    assert.ok(!image.Config.Env.some((e) => e.includes(secret)), "the image keeps no instance's VNC password");
    assert.equal((await core.instances.get(original.id))?.state, 'running', 'the instance runs on');

    const copy = await call<Instance>('instances.start', { appId: saved.id });
    await waitForState(core, copy.id, 'running');
    const [copyContainer] = await containersOf(copy.id);
    const read = await dockerExec(copyContainer!.Id, ['cat', '/home/desktop/notes.txt'], 'desktop');
    assert.equal(read.exitCode, 0, read.output);
    assert.match(read.output, /kept by Save as app/);
    await call('instances.stop', { instanceId: copy.id });
    await call('instances.stop', { instanceId: original.id });
  });

  test('a container kept after it stopped while the app was closed is saved as it stopped', async () => {
    const instance = await call<Instance>('instances.start', { appId: 'linux-desktop' });
    await waitForState(core, instance.id, 'running');
    const [container] = await containersOf(instance.id);
    const wrote = await dockerExec(container!.Id, ['sh', '-c', 'echo "saved from a stopped container" > /home/desktop/kept.txt'], 'desktop');
    assert.equal(wrote.exitCode, 0, wrote.output);
    // The app closes; meanwhile the container is stopped (by hand, so its engine leaves it stopped).
    await core.close();
    await docker.getContainer(container!.Id).stop({ t: 5 });
    core = await openCore(dataDir);
    const failed = await waitForState(core, instance.id, 'failed');
    assert.equal(failed.stateReasonText?.texts[0]?.key, 'reason.stoppedWhileAwayKept');
    assert.equal((await containersOf(instance.id))[0]?.State, 'exited', 'the container is kept');

    const saved = await call<DockerApp>('instances.saveAsApp', { instanceId: instance.id, name: 'Kept desktop' });
    images.push(saved.docker.image);
    assert.equal((await containersOf(instance.id))[0]?.State, 'exited', 'saving does not start it');
    const copy = await call<Instance>('instances.start', { appId: saved.id });
    await waitForState(core, copy.id, 'running');
    const [copyContainer] = await containersOf(copy.id);
    const read = await dockerExec(copyContainer!.Id, ['cat', '/home/desktop/kept.txt'], 'desktop');
    assert.match(read.output, /saved from a stopped container/);
    await call('instances.stop', { instanceId: copy.id });
    await call('instances.stop', { instanceId: instance.id });
    assert.deepEqual(await containersOf(instance.id), [], 'removing the failed instance removes its kept container');
  });

  test('a stopped container instance has nothing left to save, and no app is added', async () => {
    const instance = await call<Instance>('instances.start', { appId: 'linux-desktop' });
    await waitForState(core, instance.id, 'running');
    await call('instances.stop', { instanceId: instance.id });
    const before = (await call<App[]>('apps.list', {})).length;
    await assert.rejects(call('instances.saveAsApp', { instanceId: instance.id, name: 'Nothing' }), (err: Error & { info?: { messageText?: { key: string } } }) => {
      assert.equal(err.info?.messageText?.key, 'error.save.noContainer');
      assert.match(err.message, /no longer exists, so there is nothing to save/);
      return true;
    });
    assert.equal((await call<App[]>('apps.list', {})).length, before);
  });
});

describe('a stopped Proxmox clone saved as a new app', () => {
  let cluster: TestCluster;
  let core: Core;
  let endpoint: ProxmoxEndpointView;
  const call = <T>(channel: string, payload: unknown) => callCore<T>(core, channel, payload);

  before(async () => {
    // Guests that power off on a shutdown: a kept clone stops at once, not after 60 s.
    cluster = await startTestCluster({ guestsPowerOff: true });
    core = await openCore(await tempDataDir());
    endpoint = await call<ProxmoxEndpointView>('proxmox.endpoints.save', {
      name: 'Lab',
      url: cluster.emu.url,
      authKind: 'token',
      principal: TOKEN_ID,
      secret: cluster.secret,
      tls: 'pinned',
      fingerprint: cluster.emu.fingerprint256,
    });
  });
  after(async () => {
    await core?.close();
    await cluster?.emu.close();
  });

  test('the kept clone becomes a template and the new app clones it', async () => {
    const app = await call<ProxmoxApp>('apps.create', {
      app: { name: 'Lab VM', provider: 'proxmox', proxmox: { endpointId: endpoint.id, mode: 'clone', templateVmid: TEMPLATE_VMID, onStop: 'keep' } },
    });
    const instance = await call<Instance>('instances.start', { appId: app.id });
    await waitForState(core, instance.id, 'running', 30_000);
    const clone = cluster.emu.vmList().find((vm) => vm.tags?.includes(`daas-instance-${instance.id}`))!;
    assert.ok(clone);
    await assert.rejects(call('instances.saveAsApp', { instanceId: instance.id, name: 'Too early' }), /still runs; only a stopped VM can become a template/);

    await call('instances.stop', { instanceId: instance.id });
    const saved = await call<ProxmoxApp>('instances.saveAsApp', { instanceId: instance.id, name: 'Lab VM, set up' });
    const template = cluster.emu.vmList().find((vm) => vm.vmid === clone.vmid)!;
    assert.equal(template.template, true, 'the clone is a template now');
    assert.ok(!(template.tags ?? '').includes('daas-'), 'and no longer tagged as a clone of ours');
    assert.equal(saved.proxmox.templateVmid, clone.vmid);
    assert.equal(saved.proxmox.node, clone.node);
    assert.equal(saved.proxmox.onStop, 'keep', "the app's settings are copied");

    const next = await call<Instance>('instances.start', { appId: saved.id });
    await waitForState(core, next.id, 'running', 30_000);
    const nextClone = cluster.emu.vmList().find((vm) => vm.tags?.includes(`daas-instance-${next.id}`));
    assert.ok(nextClone && nextClone.vmid !== clone.vmid, 'an instance of the saved app runs on a clone of the template');
    await call('instances.stop', { instanceId: next.id });
    assert.ok(cluster.emu.vmList().some((vm) => vm.vmid === clone.vmid && vm.template), 'the template stays');
  });

  test('a clone deleted on stop cannot be saved', async () => {
    const app = await call<ProxmoxApp>('apps.create', {
      app: { name: 'Throwaway VM', provider: 'proxmox', proxmox: { endpointId: endpoint.id, mode: 'clone', templateVmid: TEMPLATE_VMID } },
    });
    const instance = await call<Instance>('instances.start', { appId: app.id });
    await waitForState(core, instance.id, 'running', 30_000);
    await call('instances.stop', { instanceId: instance.id });
    await assert.rejects(call('instances.saveAsApp', { instanceId: instance.id, name: 'Nothing' }), /was not kept when its instance stopped/);
  });
});
