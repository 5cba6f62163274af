// Docker endpoints beyond the local socket: a real mutual-TLS tcp:// endpoint, test
// connection, apps pinned to an endpoint, and readable failures.
import { createServer, type AddressInfo } from 'node:net';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { DockerEndpointTestResult, DockerEndpointView } from '../../src-shared/contract';
import type { App, Instance } from '../../src-shared/model';
import type { Core } from '../../src-main/core';
import { containersOf, docker, removeOwnedBy } from '../helpers/docker';
import { callCore, openCore, tempDataDir, waitForState } from '../helpers/core';
import { startSshServer } from '../helpers/ssh-server';
import { makePki, startTlsDockerProxy, type Pki } from '../helpers/tls-docker-proxy';

let core: Core;
let proxy: { port: number; close(): Promise<void> };
let client: Pki;
let stranger: Pki;

before(async () => {
  const pki = await makePki();
  client = pki.client;
  stranger = (await makePki()).client; // signed by a CA the proxy does not trust
  proxy = await startTlsDockerProxy(pki.server);
  core = await openCore(await tempDataDir());
});
after(async () => {
  await core?.close();
  await proxy?.close();
  if (core) await removeOwnedBy(core.installationId);
});

const call = <T>(channel: string, payload: unknown) => callCore<T>(core, channel, payload);

test('the local endpoint is there from the first run and answers "test connection"', async () => {
  const [local] = await call<DockerEndpointView[]>('docker.endpoints.list', {});
  assert.equal(local?.id, 'local');
  assert.match(local!.url, /^unix:\/\//);
  const result = await call<DockerEndpointTestResult>('docker.endpoints.test', { endpointId: 'local' });
  assert.equal(result.version, (await docker.version()).Version);
});

test('a tcp:// endpoint with TLS: test connection, and an app pinned to it starts there', async () => {
  const saved = await call<DockerEndpointView>('docker.endpoints.save', { name: 'TLS engine', url: `tcp://127.0.0.1:${proxy.port}`, tls: client });
  assert.equal(saved.hasTls, true);
  assert.ok(!JSON.stringify(await call('docker.endpoints.list', {})).includes('PRIVATE KEY'), 'the key never leaves the main process');

  const result = await call<DockerEndpointTestResult>('docker.endpoints.test', { endpointId: saved.id });
  assert.equal(result.apiVersion, (await docker.version()).ApiVersion);

  const app = await call<App>('apps.create', {
    app: { name: 'Over TLS', provider: 'docker', docker: { image: 'daas/desktop:latest', endpointId: saved.id } },
  });
  const instance = await call<Instance>('instances.start', { appId: app.id });
  await waitForState(core, instance.id, 'running');
  assert.equal((await core.instances.get(instance.id))?.endpointId, saved.id);
  assert.equal((await containersOf(instance.id)).length, 1);
  await call('instances.stop', { instanceId: instance.id });
  assert.deepEqual(await containersOf(instance.id), []);

  // Editing the endpoint without TLS fields keeps the stored certificates.
  await call('docker.endpoints.save', { id: saved.id, name: 'Renamed', url: `tcp://127.0.0.1:${proxy.port}` });
  assert.ok((await call<DockerEndpointTestResult>('docker.endpoints.test', { endpointId: saved.id })).version);
});

test('a certificate the engine does not trust gives a readable TLS error', async () => {
  const saved = await call<DockerEndpointView>('docker.endpoints.save', { name: 'Wrong cert', url: `tcp://127.0.0.1:${proxy.port}`, tls: stranger });
  await assert.rejects(call('docker.endpoints.test', { endpointId: saved.id }), (err: { info: { code: string; message: string; action: string } }) => {
    assert.equal(err.info.code, 'DOCKER_UNREACHABLE');
    assert.match(err.info.action, /TLS CA, certificate and key/);
    return true;
  });
  await call('docker.endpoints.delete', { endpointId: saved.id });
});

test('an engine address where nothing listens says so, not "start Docker here"', async () => {
  const closed = await new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
  const url = `tcp://127.0.0.1:${closed}`;
  const saved = await call<DockerEndpointView>('docker.endpoints.save', { name: 'Nothing there', url });
  await assert.rejects(call('docker.endpoints.test', { endpointId: saved.id }), (err: { info: { code: string; message: string; action: string } }) => {
    assert.equal(err.info.code, 'DOCKER_UNREACHABLE');
    assert.equal(err.info.message, `The Docker engine at ${url} cannot be reached: the connection was refused.`);
    assert.doesNotMatch(err.info.action, /systemctl|Start Docker/);
    return true;
  });
  await call('docker.endpoints.delete', { endpointId: saved.id });
});

test('plain tcp:// to another machine is refused; the local endpoint cannot be deleted', async () => {
  await assert.rejects(call('docker.endpoints.save', { name: 'Plain', url: 'tcp://192.0.2.10:2375' }), /without TLS/);
  await assert.rejects(call('docker.endpoints.delete', { endpointId: 'local' }), /cannot be deleted/);
  await assert.rejects(call('docker.endpoints.save', { name: 'Bad', url: 'http://example' }), /unix:\/\/\/path, tcp:\/\/host:port or ssh:\/\/user@host/);
});

test('an ssh:// endpoint reaches the engine through a real OpenSSH server and the ssh agent', async () => {
  const ssh = await startSshServer();
  const previousAgent = process.env.SSH_AUTH_SOCK;
  process.env.SSH_AUTH_SOCK = ssh.agentSocket;
  try {
    const saved = await call<DockerEndpointView>('docker.endpoints.save', { name: 'Over SSH', url: `ssh://${ssh.user}@127.0.0.1:${ssh.port}` });
    // First use of an unknown host: refused with its fingerprint, which the user then trusts.
    const refused = await call('docker.endpoints.test', { endpointId: saved.id }).catch((err: { info: { messageText?: { params: { fingerprint?: string } } } }) => err.info);
    const fingerprint = (refused as { messageText?: { params: { fingerprint?: string } } }).messageText?.params.fingerprint;
    assert.match(String(fingerprint), /^SHA256:/);
    await call('docker.endpoints.trustHostKey', { endpointId: saved.id, fingerprint });
    const result = await call<DockerEndpointTestResult>('docker.endpoints.test', { endpointId: saved.id });
    assert.equal(result.version, (await docker.version()).Version);
    await call('docker.endpoints.delete', { endpointId: saved.id });
  } finally {
    process.env.SSH_AUTH_SOCK = previousAgent;
    await ssh.close();
  }
});
