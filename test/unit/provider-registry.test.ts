// The provider registry keyed by kind (src-main/providers/providers.ts): every call goes to the
// backend registered for the app's or instance's kind, the real Docker and Proxmox backends
// answer from the endpoint lists the wiring hands them, and a provider refuses a launch
// configuration that is not its own before creating anything. No Docker, no Proxmox needed.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { appConfigSchema } from '../../src-shared/app-config';
import type { App } from '../../src-shared/model';
import { dockerBackend } from '../../src-main/providers/docker/docker-backend';
import { DockerProvider } from '../../src-main/providers/docker/docker-provider';
import type { LaunchSpec } from '../../src-main/providers/provider';
import { Providers, type AppOf, type ProviderBackend, type ProviderKind } from '../../src-main/providers/providers';
import { proxmoxBackend } from '../../src-main/providers/proxmox/proxmox-backend';
import { ProxmoxProvider } from '../../src-main/providers/proxmox/proxmox-provider';
import { AppsRepository } from '../../src-main/store/apps-repository';
import { openDatabase, type Db } from '../../src-main/store/database';
import { FakeProvider } from '../helpers/fake-provider';
import { tempDataDir } from '../helpers/core';

let db: Db;
let containerApp: AppOf<'docker'>;
let vmApp: AppOf<'proxmox'>;

before(async () => {
  db = await openDatabase(await tempDataDir());
  const apps = new AppsRepository(db);
  const create = async (input: unknown): Promise<App> => apps.create(appConfigSchema.parse(input));
  containerApp = (await create({ name: 'Container', provider: 'docker', docker: { image: 'daas/desktop:latest' } })) as AppOf<'docker'>;
  vmApp = (await create({
    name: 'VM',
    provider: 'proxmox',
    proxmox: { endpointId: 'pve', mode: 'existing', vmid: 120, node: 'pve1', display: { kind: 'vnc', host: 'pve1', port: 5977 } },
  })) as AppOf<'proxmox'>;
});

after(() => db.destroy());

/** A backend of one kind over one fake provider, recording what it was asked. */
function fakeBackend<K extends ProviderKind>(kind: K, endpointId: string) {
  const provider = new FakeProvider();
  const entry = { kind, endpointId, provider };
  const asked: string[] = [];
  const backend: ProviderBackend<K> = {
    kind,
    load: async () => void asked.push('load'),
    forApp: async (app) => (asked.push(`forApp ${app.id}`), entry),
    launchConfig: async (app) => ({ from: kind, app: app.id }),
    of: (id) => (asked.push(`of ${id}`), provider),
    displaySource: (id) => (asked.push(`displaySource ${id}`), kind === 'proxmox' ? provider : undefined),
    all: () => [entry],
    close: async () => void asked.push('close'),
  };
  return { backend, provider, asked };
}

test('every call goes to the backend registered for the kind', async () => {
  const docker = fakeBackend('docker', 'local');
  const proxmox = fakeBackend('proxmox', 'pve');
  const providers = new Providers([docker.backend, proxmox.backend]);
  await providers.load();

  assert.equal((await providers.forApp(containerApp)).provider, docker.provider);
  assert.equal((await providers.forApp(vmApp)).provider, proxmox.provider);
  assert.deepEqual(await providers.launchConfig(vmApp, async () => undefined), { from: 'proxmox', app: vmApp.id });
  assert.deepEqual(await providers.launchConfig(containerApp, async () => undefined), { from: 'docker', app: containerApp.id });
  assert.equal(providers.of('proxmox', 'pve'), proxmox.provider);
  assert.equal(providers.displaySource('docker', 'local'), undefined);
  assert.equal(providers.displaySource('proxmox', 'pve'), proxmox.provider);
  assert.deepEqual(
    providers.all().map((e) => [e.kind, e.endpointId]),
    [
      ['docker', 'local'],
      ['proxmox', 'pve'],
    ],
    'in registration order',
  );
  await providers.close();
  assert.deepEqual(docker.asked, ['load', `forApp ${containerApp.id}`, 'displaySource local', 'close']);
  assert.deepEqual(proxmox.asked, ['load', `forApp ${vmApp.id}`, 'of pve', 'displaySource pve', 'close']);
});

test('two backends of one kind are refused, and a kind nobody registered is named', async () => {
  assert.throws(() => new Providers([fakeBackend('docker', 'a').backend, fakeBackend('docker', 'b').backend]), /two backends registered for kind docker/);
  const onlyDocker = new Providers([fakeBackend('docker', 'local').backend]);
  await assert.rejects(async () => onlyDocker.forApp(vmApp), /no backend registered for kind proxmox/);
});

test('the Docker and Proxmox backends answer from the endpoint lists the wiring hands them', async () => {
  const docker = dockerBackend({ source: { list: async () => [{ id: 'local', name: 'This computer', url: 'unix:///nonexistent/docker.sock', tls: null }] }, owner: 'test' });
  const proxmox = proxmoxBackend({
    source: { list: async () => [{ id: 'pve', name: 'PVE', url: 'https://127.0.0.1:1', auth: { username: 'root@pam', password: 'x' } }] },
    provider: { installationId: 'test' },
  });
  const providers = new Providers([docker, proxmox]);
  await providers.load();
  try {
    const container = await providers.forApp(containerApp);
    assert.deepEqual([container.kind, container.endpointId, container.provider instanceof DockerProvider], ['docker', 'local', true]);
    assert.deepEqual(await providers.launchConfig(containerApp, async () => assert.fail('a container app has no display password')), containerApp.docker);
    assert.equal(providers.displaySource('docker', 'local'), container.provider, "a container's engine says where its desktop is");
    assert.equal(providers.displaySource('docker', 'gone'), undefined, 'with its endpoint gone, the stored connection is the target');

    const vm = await providers.forApp(vmApp);
    assert.deepEqual([vm.kind, vm.endpointId, vm.provider instanceof ProxmoxProvider], ['proxmox', 'pve', true]);
    const config = (await providers.launchConfig(vmApp, async () => 'sealed-pw')) as { mode: string; display: unknown };
    assert.equal(config.mode, 'existing');
    assert.deepEqual(config.display, { kind: 'vnc', host: 'pve1', port: 5977, password: 'sealed-pw' }, "the app's sealed display password reaches the VM's config");
    assert.equal(providers.displaySource('proxmox', 'pve'), vm.provider);
    assert.deepEqual(
      providers.all().map((e) => [e.kind, e.endpointId]),
      [
        ['docker', 'local'],
        ['proxmox', 'pve'],
      ],
    );
  } finally {
    await providers.close();
  }
});

test("a provider refuses another backend's launch configuration before creating anything", async () => {
  const spec = (config: unknown): LaunchSpec => ({ instanceId: 'i-1', appId: 'a', name: 'daas-i-1', config, vncPassword: 'pw', desktopWidth: 800, desktopHeight: 600 });
  const created = async () => assert.fail('nothing may be created');
  const container = new DockerProvider({ id: 'local', name: 'x', url: 'unix:///nonexistent/docker.sock', tls: null }, 'test');
  await assert.rejects(container.launch(spec({ mode: 'existing', vmid: 120, node: 'pve1' }), created), /a container launch needs the docker configuration/);
  const vm = new ProxmoxProvider({ id: 'pve', name: 'PVE', url: 'https://127.0.0.1:1', auth: { username: 'root@pam', password: 'x' } }, { installationId: 'test' });
  try {
    await assert.rejects(vm.launch(spec(undefined), created), { code: 'PROVIDER_FAILED' });
    await assert.rejects(vm.launch(spec(containerApp.docker), created), /must clone a template or use an existing VM/);
  } finally {
    await vm.close();
  }
});
