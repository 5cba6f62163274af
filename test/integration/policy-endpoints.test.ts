// The policy's dockerEndpoints and proxmoxEndpoints become managed endpoints, applied at
// every start like policy apps: an app names `lab` and runs there; the app cannot edit or
// delete them. Real SQLite, a real mutual-TLS Docker endpoint, a real policy file.
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { DockerEndpointTestResult, DockerEndpointView, ProxmoxEndpointView, ProxmoxTestResult } from '../../src-shared/contract';
import type { Instance } from '../../src-shared/model';
import { loadSettings } from '../../src-main/config/settings';
import { Core } from '../../src-main/core';
import { containersOf, docker, removeOwnedBy } from '../helpers/docker';
import { callCore, tempDataDir, waitForState } from '../helpers/core';
import { makePki, startTlsDockerProxy } from '../helpers/tls-docker-proxy';
import { startTestCluster, TOKEN_ID, type TestCluster } from '../fixtures/proxmox/setup';

let dir: string;
let proxy: { port: number; close(): Promise<void> };
let cluster: TestCluster | undefined;
const cores: Core[] = [];

before(async () => {
  dir = await tempDataDir();
  const pki = await makePki();
  proxy = await startTlsDockerProxy(pki.server);
  // The PEM files an administrator deploys beside the policy.
  for (const [name, text] of Object.entries({ 'ca.pem': pki.client.ca, 'cert.pem': pki.client.cert, 'key.pem': pki.client.key })) {
    await fs.writeFile(path.join(dir, name), text);
  }
});
after(async () => {
  for (const core of cores) await core.close();
  await proxy?.close();
  await cluster?.emu.close();
  for (const core of cores) await removeOwnedBy(core.installationId);
  await fs.rm(dir, { recursive: true, force: true });
});

async function coreWithPolicy(policy: object, data = `data-${cores.length}`): Promise<Core> {
  const file = path.join(dir, `policy-${cores.length}.json`);
  await fs.writeFile(file, JSON.stringify({ version: 1, ...policy }));
  const core = await Core.open({ ...loadSettings(path.join(dir, data), { DAAS_POLICY_FILE: file }), readinessTimeoutMs: 20_000 });
  cores.push(core);
  return core;
}

const lab = () => ({
  id: 'lab',
  name: 'Lab server',
  url: `tcp://127.0.0.1:${proxy.port}`,
  tls: { caFile: path.join(dir, 'ca.pem'), certFile: path.join(dir, 'cert.pem'), keyFile: path.join(dir, 'key.pem') },
});

test('a policy endpoint `lab` is there, managed, and an app naming it starts there; it cannot be edited or deleted', async () => {
  const core = await coreWithPolicy({
    dockerEndpoints: [lab()],
    apps: [{ id: 'office', name: 'Office', provider: 'docker', docker: { image: 'daas/desktop:latest', endpointId: 'lab' } }],
  });
  const call = <T>(channel: string, payload: unknown) => callCore<T>(core, channel, payload);
  const listed = await call<DockerEndpointView[]>('docker.endpoints.list', {});
  const managed = listed.find((e) => e.id === 'lab');
  assert.deepEqual(managed, { id: 'lab', name: 'Lab server', url: `tcp://127.0.0.1:${proxy.port}`, hasTls: true, hostKeyFingerprint: null, managed: true });
  assert.equal(listed.find((e) => e.id === 'local')?.managed, false);
  assert.ok(!JSON.stringify(listed).includes('PRIVATE KEY'), 'the key read from the file never reaches a window');
  assert.equal((await call<DockerEndpointTestResult>('docker.endpoints.test', { endpointId: 'lab' })).version, (await docker.version()).Version);

  const instance = await call<Instance>('instances.start', { appId: 'office' });
  await waitForState(core, instance.id, 'running');
  assert.equal((await core.instances.get(instance.id))?.endpointId, 'lab');
  assert.equal((await containersOf(instance.id)).length, 1);
  await call('instances.stop', { instanceId: instance.id });

  await assert.rejects(call('docker.endpoints.save', { id: 'lab', name: 'Mine now', url: 'unix:///var/run/docker.sock' }), /"lab" is managed by your administrator/);
  await assert.rejects(call('docker.endpoints.delete', { endpointId: 'lab' }), /"lab" is managed by your administrator/);
  assert.equal((await call<DockerEndpointView[]>('docker.endpoints.list', {})).find((e) => e.id === 'lab')?.name, 'Lab server');
});

test('a TLS file the policy names that cannot be read: the endpoint is listed, and using it says which file', async () => {
  const core = await coreWithPolicy({ dockerEndpoints: [{ ...lab(), tls: { ...lab().tls, keyFile: path.join(dir, 'missing-key.pem') } }] });
  const call = <T>(channel: string, payload: unknown) => callCore<T>(core, channel, payload);
  assert.equal((await call<DockerEndpointView[]>('docker.endpoints.list', {})).find((e) => e.id === 'lab')?.managed, true);
  await assert.rejects(call('docker.endpoints.test', { endpointId: 'lab' }), /"lab" from the policy cannot be used: .*missing-key\.pem cannot be read \(ENOENT\)/);
});

test('a policy Proxmox endpoint: listed as waiting for the secret; the user enters only the secret, even with editing locked', async () => {
  cluster = await startTestCluster();
  const pve = { id: 'pve', name: 'Proxmox cluster', url: cluster.emu.url, tokenId: TOKEN_ID, fingerprintSha256: cluster.emu.fingerprint256 };
  const core = await coreWithPolicy({ proxmoxEndpoints: [pve], locked: { allowEndpointEditing: false } });
  const call = <T>(channel: string, payload: unknown) => callCore<T>(core, channel, payload);
  const [waiting] = await call<ProxmoxEndpointView[]>('proxmox.endpoints.list', {});
  assert.deepEqual(waiting, { managed: true, needsSecret: true, id: 'pve', name: 'Proxmox cluster', url: cluster.emu.url, authKind: 'token', principal: TOKEN_ID, tls: 'pinned', fingerprint: cluster.emu.fingerprint256 });
  await assert.rejects(call('proxmox.endpoints.test', { endpointId: 'pve' }), /"pve" from the policy has no token secret yet\. Enter your token secret for it in Settings\./);

  // Whatever else the request says, only the secret is taken.
  const saved = await call<ProxmoxEndpointView>('proxmox.endpoints.save', {
    id: 'pve', name: 'Mine', url: 'https://evil.example:8006', authKind: 'token', principal: 'other@pve!x', secret: cluster.secret, tls: 'insecure',
  });
  assert.deepEqual(saved, { ...waiting, needsSecret: false });
  assert.match((await call<ProxmoxTestResult>('proxmox.endpoints.test', { endpointId: 'pve' })).version, /\d/);
  // Editing is locked: the user's own endpoints cannot be added.
  await assert.rejects(call('proxmox.endpoints.save', { name: 'Own', url: cluster.emu.url, authKind: 'token', principal: TOKEN_ID, secret: cluster.secret, tls: 'system' }), /administrator manages the endpoints/);

  // Where editing is allowed, the policy endpoint still cannot be deleted.
  const open = await coreWithPolicy({ proxmoxEndpoints: [pve] });
  await callCore(open, 'proxmox.endpoints.save', { id: 'pve', name: 'x', url: cluster.emu.url, authKind: 'token', principal: TOKEN_ID, secret: cluster.secret, tls: 'system' });
  await assert.rejects(callCore(open, 'proxmox.endpoints.delete', { endpointId: 'pve' }), /"pve" is managed by your administrator/);
  assert.equal((await callCore<ProxmoxEndpointView[]>(open, 'proxmox.endpoints.list', {}))[0]?.name, 'Proxmox cluster');
});
