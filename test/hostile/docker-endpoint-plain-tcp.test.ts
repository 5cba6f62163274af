// Finding 10 of issue 10: plain tcp:// (no TLS) reaches only loopback, by one rule, however
// the endpoint is saved (new, tls: null, TLS removed from an existing one, a changed
// address that keeps "no TLS", the policy) and when a row an older version stored is dialled.
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { after, before, test } from 'node:test';
import type { DockerEndpointTestResult, DockerEndpointView } from '../../src-shared/contract';
import { parsePolicy } from '../../src-main/config/policy';
import type { Core } from '../../src-main/core';
import { openDatabase } from '../../src-main/store/database';
import { docker } from '../helpers/docker';
import { callCore, openCore, tempDataDir } from '../helpers/core';
import { startPlainDockerProxy } from '../helpers/plain-docker-proxy';

let dataDir: string;
let core: Core;
const proxies: { port: number; close(): Promise<void> }[] = [];
let engineVersion: string;

before(async () => {
  dataDir = await tempDataDir();
  core = await openCore(dataDir);
  engineVersion = (await docker.version()).Version;
});
after(async () => {
  await core?.close();
  for (const proxy of proxies) await proxy.close();
  await fs.rm(dataDir, { recursive: true, force: true });
});

const call = <T>(channel: string, payload: unknown) => callCore<T>(core, channel, payload);
const NO_TLS = /Docker at tcp:\/\/.* would be reached without TLS\. Add the TLS CA, certificate and key, or use ssh:\/\//;
const FAKE_TLS = { ca: '-----BEGIN CERTIFICATE-----\nx', cert: '-----BEGIN CERTIFICATE-----\ny', key: '-----BEGIN PRIVATE KEY-----\nz' };

async function urls(): Promise<string[]> {
  return (await call<DockerEndpointView[]>('docker.endpoints.list', {})).map((e) => e.url);
}

test('loopback without TLS is accepted and really reached: 127.0.0.2 (127.0.0.0/8), ::1 and localhost', async () => {
  const v4 = await startPlainDockerProxy('127.0.0.2');
  const v6 = await startPlainDockerProxy('::1');
  const local = await startPlainDockerProxy('127.0.0.1');
  proxies.push(v4, v6, local);
  for (const url of [`tcp://127.0.0.2:${v4.port}`, `tcp://[::1]:${v6.port}`, `tcp://localhost:${local.port}`]) {
    const saved = await call<DockerEndpointView>('docker.endpoints.save', { name: url, url, tls: null });
    const result = await call<DockerEndpointTestResult>('docker.endpoints.test', { endpointId: saved.id });
    assert.equal(result.version, engineVersion, url);
  }
});

test('beyond loopback without TLS is refused on every path, and nothing is stored', async () => {
  const before = await urls();
  for (const url of ['tcp://10.1.2.3:2375', 'tcp://docker.lab.example:2375', 'tcp://127.1:2375', 'tcp://2130706433:2375', 'tcp://[::ffff:7f00:1]:2375', 'tcp://localhost.:2375']) {
    await assert.rejects(call('docker.endpoints.save', { name: 'New', url }), NO_TLS, `${url}, tls omitted`);
    await assert.rejects(call('docker.endpoints.save', { name: 'New', url, tls: null }), NO_TLS, `${url}, tls: null`);
    await assert.rejects(call('docker.endpoints.save', { id: 'chosen-id', name: 'New', url }), NO_TLS, `${url}, a new id`);
  }
  // An endpoint with TLS may be anywhere; removing its TLS is refused.
  const withTls = await call<DockerEndpointView>('docker.endpoints.save', { name: 'Lab', url: 'tcp://10.1.2.3:2376', tls: FAKE_TLS });
  await assert.rejects(call('docker.endpoints.save', { id: withTls.id, name: 'Lab', url: 'tcp://10.1.2.3:2376', tls: null }), NO_TLS);
  // A loopback endpoint without TLS cannot be moved to another machine keeping "no TLS".
  const plain = await call<DockerEndpointView>('docker.endpoints.save', { name: 'Loop', url: 'tcp://127.0.0.1:2375' });
  await assert.rejects(call('docker.endpoints.save', { id: plain.id, name: 'Loop', url: 'tcp://10.1.2.3:2375' }), NO_TLS);
  assert.deepEqual(await urls(), [...before, 'tcp://10.1.2.3:2376', 'tcp://127.0.0.1:2375']);
  assert.equal((await call<DockerEndpointView[]>('docker.endpoints.list', {})).find((e) => e.id === withTls.id)?.hasTls, true);
});

test('a policy endpoint on plain tcp:// beyond loopback is left out with a problem line', () => {
  const { policy, problems } = parsePolicy(
    JSON.stringify({
      version: 1,
      dockerEndpoints: [
        { id: 'lab', name: 'Lab', url: 'tcp://10.1.2.3:2375' },
        { id: 'loop', name: 'Loop', url: 'tcp://127.0.0.1:2375' },
      ],
    }),
    'policy.json',
  );
  assert.deepEqual(policy.dockerEndpoints.map((e) => e.id), ['loop']);
  assert.match(problems[0]!, /dockerEndpoints\[0\] \("lab"\): url: without TLS, tcp:\/\/ reaches only this computer/);
});

test('a row an older version stored (plain tcp:// to another machine) is refused when dialled, not crashed on', async () => {
  await core.close();
  const db = await openDatabase(dataDir);
  await db.insertInto('docker_endpoints').values({ id: 'old', name: 'Old', url: 'tcp://10.1.2.3:2375', tls_ca: null, tls_cert: null, tls_key: null, created_at: new Date().toISOString() }).execute();
  await db.destroy();
  core = await openCore(dataDir);
  assert.ok((await urls()).includes('tcp://10.1.2.3:2375'), 'still listed, so the user can fix or delete it');
  await assert.rejects(call('docker.endpoints.test', { endpointId: 'old' }), NO_TLS);
  const app = await call<{ id: string }>('apps.create', { app: { name: 'On old', provider: 'docker', docker: { image: 'daas/desktop:latest', endpointId: 'old' } } });
  await assert.rejects(call('instances.start', { appId: app.id }), NO_TLS);
  await call('docker.endpoints.delete', { endpointId: 'old' });
});
